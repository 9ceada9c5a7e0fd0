//===- TileOps.td - the target-independent Tile dialect ----*- tablegen -*-===//
//
// Tile IR: values are scalars, pointers, or builtin ranked tensors with static
// power-of-two shapes of scalars or pointers. Elementwise math comes from
// upstream arith/math, control flow from scf, functions from func.
//
//===----------------------------------------------------------------------===//

#ifndef TESSEL_TILE_OPS
#define TESSEL_TILE_OPS

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/BuiltinTypeInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

def Tile_Dialect : Dialect {
  let name = "tile";
  let cppNamespace = "::tessel::tile";
  let summary = "Target-independent tile operations";
  let description = [{
    Operations on whole tiles: ranges, splats, broadcasts, pointer
    arithmetic, masked loads and stores, and program identification.
  }];
  let useDefaultTypePrinterParser = 1;
  let hasConstantMaterializer = 1;
  // `tile.kernel` / `tile.noinline` functions: every value has a valid tile
  // type (static power-of-two shapes, at most kMaxTileElements elements).
  let hasOperationAttrVerify = 1;
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::func::FuncDialect"];
}

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

def Tile_PtrType : TypeDef<Tile_Dialect, "Pointer"> {
  let mnemonic = "ptr";
  let summary = "pointer to global memory";
  let parameters = (ins "::mlir::Type":$pointeeType);
  let assemblyFormat = "`<` $pointeeType `>`";
  // Pointees are scalars: integers, f16/bf16/f32/f64, or pointers.
  let genVerifyDecl = 1;
  let builders = [
    TypeBuilderWithInferredContext<(ins "::mlir::Type":$pointeeType), [{
      return $_get(pointeeType.getContext(), pointeeType);
    }]>
  ];
}

def Tile_TensorMapType : TypeDef<Tile_Dialect, "TensorMap"> {
  let mnemonic = "tensormap";
  let summary = "a CUDA tensor map of a host tensor descriptor";
  let description = [{
    The 128-byte tensor map (CUtensorMap) that the launcher encodes from a
    host tensor descriptor: the tensor's address, shape and strides, and a
    box and swizzle derived from the descriptor's block shape (see
    `tile.load`). A kernel parameter only. NVIDIA Hopper kernels read tiles
    through it with TMA; other targets never read it (their launchers pass
    zeros).
  }];
}

def Tile_Float : AnyTypeOf<[F16, BF16, F32, F64]>;
def Tile_Scalar : AnyTypeOf<[AnySignlessInteger, Tile_Float, Tile_PtrType]>;
def Tile_Tensor : RankedTensorOf<[AnySignlessInteger, Tile_Float, Tile_PtrType]>;
def Tile_Value : AnyTypeOf<[Tile_Scalar, Tile_Tensor]>;
def Tile_IntTensor : RankedTensorOf<[AnySignlessInteger]>;
def Tile_PtrLike : AnyTypeOf<[Tile_PtrType, RankedTensorOf<[Tile_PtrType]>]>;
def Tile_IntLike : AnyTypeOf<[AnySignlessInteger, RankedTensorOf<[AnySignlessInteger]>]>;
def Tile_BoolLike : AnyTypeOf<[I1, RankedTensorOf<[I1]>]>;

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Tile_GridAxis : I32EnumAttr<"GridAxis", "axis of the launch grid", [
    I32EnumAttrCase<"X", 0, "x">, I32EnumAttrCase<"Y", 1, "y">,
    I32EnumAttrCase<"Z", 2, "z">]> {
  let cppNamespace = "::tessel::tile";
}

def Tile_RMWKind : I32EnumAttr<"RMWKind", "atomic read-modify-write operation", [
    I32EnumAttrCase<"And", 0, "and">, I32EnumAttrCase<"Or", 1, "or">,
    I32EnumAttrCase<"Xor", 2, "xor">, I32EnumAttrCase<"Add", 3, "add">,
    I32EnumAttrCase<"FAdd", 4, "fadd">, I32EnumAttrCase<"Max", 5, "max">,
    I32EnumAttrCase<"Min", 6, "min">, I32EnumAttrCase<"UMax", 7, "umax">,
    I32EnumAttrCase<"UMin", 8, "umin">, I32EnumAttrCase<"Xchg", 9, "xchg">]> {
  let cppNamespace = "::tessel::tile";
}

def Tile_MemSemantic : I32EnumAttr<"MemSemantic", "memory ordering of an atomic", [
    I32EnumAttrCase<"Relaxed", 0, "relaxed">, I32EnumAttrCase<"Acquire", 1, "acquire">,
    I32EnumAttrCase<"Release", 2, "release">, I32EnumAttrCase<"AcqRel", 3, "acq_rel">]> {
  let cppNamespace = "::tessel::tile";
}

def Tile_MemScope : I32EnumAttr<"MemScope", "threads an atomic synchronizes with", [
    I32EnumAttrCase<"GPU", 0, "gpu">, I32EnumAttrCase<"CTA", 1, "cta">,
    I32EnumAttrCase<"System", 2, "sys">]> {
  let cppNamespace = "::tessel::tile";
}

def Tile_CacheModifier : I32EnumAttr<"CacheModifier",
    "PTX cache operator of a load or store", [
    I32EnumAttrCase<"None", 0, "none">, I32EnumAttrCase<"CA", 1, "ca">,
    I32EnumAttrCase<"CG", 2, "cg">, I32EnumAttrCase<"CS", 3, "cs">,
    I32EnumAttrCase<"CV", 4, "cv">, I32EnumAttrCase<"WB", 5, "wb">,
    I32EnumAttrCase<"WT", 6, "wt">]> {
  let cppNamespace = "::tessel::tile";
}

def Tile_EvictionPolicy : I32EnumAttr<"EvictionPolicy",
    "L1 eviction priority of a load or store", [
    I32EnumAttrCase<"Normal", 0, "evict_normal">,
    I32EnumAttrCase<"First", 1, "evict_first">,
    I32EnumAttrCase<"Last", 2, "evict_last">]> {
  let cppNamespace = "::tessel::tile";
}

//===----------------------------------------------------------------------===//
// Ops
//===----------------------------------------------------------------------===//

// Tile ops compute inside a function: at module scope there is no thread to
// run them (and the lowering has no function to put them in). Their tensors
// are tiles (static power-of-two shapes, at most 2^20 elements).
def Tile_InFunction : NativeOpTrait<"InFunction"> {
  let cppNamespace = "::tessel::tile";
}

class Tile_Op<string mnemonic, list<Trait> traits = []>
    : Op<Tile_Dialect, mnemonic, !listconcat(traits, [Tile_InFunction])>;

def Tile_ProgramIdOp : Tile_Op<"program_id", [Pure]> {
  let summary = "index of this program along a grid axis";
  let arguments = (ins Tile_GridAxis:$axis);
  let results = (outs I32:$result);
  let assemblyFormat = "$axis attr-dict `:` type($result)";
}

def Tile_NumProgramsOp : Tile_Op<"num_programs", [Pure]> {
  let summary = "number of programs along a grid axis";
  let arguments = (ins Tile_GridAxis:$axis);
  let results = (outs I32:$result);
  let assemblyFormat = "$axis attr-dict `:` type($result)";
}

def Tile_MakeRangeOp : Tile_Op<"make_range", [Pure]> {
  let summary = "1-D tensor of consecutive i32 values [start, end)";
  let arguments = (ins I32Attr:$start, I32Attr:$end);
  let results = (outs RankedTensorOf<[I32]>:$result);
  let assemblyFormat = "$start `to` $end attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Tile_SplatOp : Tile_Op<"splat", [Pure,
    TypesMatchWith<"result element type matches the scalar", "result", "src",
                   "::mlir::cast<::mlir::RankedTensorType>($_self).getElementType()">]> {
  let summary = "tensor filled with one scalar";
  let arguments = (ins Tile_Scalar:$src);
  let results = (outs Tile_Tensor:$result);
  let assemblyFormat = "$src attr-dict `:` type($result)";
  let hasFolder = 1;
}

def Tile_BroadcastOp : Tile_Op<"broadcast", [Pure, SameOperandsAndResultElementType]> {
  let summary = "stretch dimensions of size 1";
  let arguments = (ins Tile_Tensor:$src);
  let results = (outs Tile_Tensor:$result);
  let assemblyFormat = "$src attr-dict `:` type($src) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Tile_ExpandDimsOp : Tile_Op<"expand_dims", [Pure, SameOperandsAndResultElementType]> {
  let summary = "insert a dimension of size 1";
  let arguments = (ins Tile_Tensor:$src, I32Attr:$axis);
  let results = (outs Tile_Tensor:$result);
  let assemblyFormat = "$src attr-dict `:` type($src) `->` type($result)";
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def Tile_TransOp : Tile_Op<"trans", [Pure, SameOperandsAndResultElementType]> {
  let summary = "permute the dimensions of a tensor";
  let description = [{
    Result dimension i is source dimension `order[i]` (Triton's
    `tl.permute`/`tl.trans`).
  }];
  let arguments = (ins Tile_Tensor:$src, DenseI32ArrayAttr:$order);
  let results = (outs Tile_Tensor:$result);
  let assemblyFormat = "$src `,` $order attr-dict `:` type($src) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tile_ReshapeOp : Tile_Op<"reshape", [Pure, SameOperandsAndResultElementType]> {
  let summary = "the same elements, in row-major order, in another shape";
  let arguments = (ins Tile_Tensor:$src);
  let results = (outs Tile_Tensor:$result);
  let assemblyFormat = "$src attr-dict `:` type($src) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tile_JoinOp : Tile_Op<"join", [Pure, SameTypeOperands]> {
  let summary = "stack two tensors along a new last dimension of size 2";
  let arguments = (ins Tile_Tensor:$lhs, Tile_Tensor:$rhs);
  let results = (outs Tile_Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `->` type($result)";
  let hasVerifier = 1;
}

def Tile_SplitOp : Tile_Op<"split", [Pure, AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "split a tensor along its last dimension, of size 2";
  let arguments = (ins Tile_Tensor:$src);
  let results = (outs Tile_Tensor:$lhs, Tile_Tensor:$rhs);
  let assemblyFormat = "$src attr-dict `:` type($src) `->` type($lhs)";
  let hasVerifier = 1;
}

def Tile_XorPermuteOp : Tile_Op<"xor_permute", [Pure, AllTypesMatch<["src", "result"]>]> {
  let summary = "permute a tensor along one axis by XOR-ing indices";
  let description = [{
    Result element `i` along `axis` is source element `i ^ mask`. With
    `mask` = size - 1 this reverses the axis (`tl.flip`); with one bit set it
    pairs each element with its partner in a bitonic sorting network.
  }];
  let arguments = (ins Tile_Tensor:$src, I32Attr:$axis, I64Attr:$mask);
  let results = (outs Tile_Tensor:$result);
  let assemblyFormat = [{
    $src `axis` `=` $axis `mask` `=` $mask attr-dict `:` type($src)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tile_GatherOp : Tile_Op<"gather", [Pure]> {
  let summary = "gather elements along one axis by index";
  let description = [{
    Triton's `tl.gather`: `result[..., i, ...] = src[..., index[..., i, ...], ...]`
    with the index replacing the coordinate along `axis`. `index` and the
    result have the same shape, which equals the source's except along
    `axis`. Indices outside the source are undefined behaviour, as in Triton.
  }];
  let arguments = (ins Tile_Tensor:$src, Tile_IntTensor:$index, I32Attr:$axis);
  let results = (outs Tile_Tensor:$result);
  let assemblyFormat = [{
    $src `[` $index `]` `axis` `=` $axis attr-dict `:` type($src) `,`
    type($index) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Tile_PtrCastOp : Tile_Op<"ptr_cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "reinterpret pointers as pointers to another element type";
  let arguments = (ins Tile_PtrLike:$src);
  let results = (outs Tile_PtrLike:$result);
  let assemblyFormat = "$src attr-dict `:` type($src) `->` type($result)";
}

def Tile_HintOp : Tile_Op<"hint", [Pure, AllTypesMatch<["src", "result"]>]> {
  let summary = "facts the kernel author asserts about a value";
  let description = [{
    The result is `src`. Per dimension, `divisibility` says the first value
    of each run is a multiple of it (elements for integers, bytes for
    pointers), `contiguity` that values come in runs of consecutive numbers
    this long, `constancy` that they come in runs of equal values this long
    (Triton's `tl.multiple_of`, `tl.max_contiguous`, `tl.max_constancy`). The
    axis analysis takes the stronger of each hint and what it derives; a
    false hint is undefined behaviour.
  }];
  let arguments = (ins Tile_Value:$src,
                       OptionalAttr<DenseI64ArrayAttr>:$divisibility,
                       OptionalAttr<DenseI64ArrayAttr>:$contiguity,
                       OptionalAttr<DenseI64ArrayAttr>:$constancy);
  let results = (outs Tile_Value:$result);
  let assemblyFormat = "$src attr-dict `:` type($src)";
  let hasVerifier = 1;
}

def Tile_AssumeOp : Tile_Op<"assume"> {
  let summary = "a condition the optimizer may take as true";
  let description = [{
    Triton's `tl.assume`: every element of `cond` is true (`llvm.intr.assume`
    per element); a false condition is undefined behaviour.
  }];
  let arguments = (ins Tile_BoolLike:$cond);
  let assemblyFormat = "$cond attr-dict `:` type($cond)";
}

def Tile_ExternElementwiseOp : Tile_Op<"extern_elementwise",
    [DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "call an external scalar function on each element";
  let description = [{
    Triton's `tl.extern_elementwise`: `symbol` is called on each element of
    the operands (all of one shape, or all scalars). Device-library names are
    portable: `__nv_<f>` (libdevice) and `__ocml_<f>_f32` (OCML) become the
    same function of the target's library (libdevice on NVIDIA, OCML on AMD,
    libm on the CPU); other names are called as they are. Without `pure` the
    call may read and write memory.
  }];
  let arguments = (ins Variadic<Tile_Value>:$srcs, StrAttr:$symbol,
                       UnitAttr:$pure);
  let results = (outs Tile_Value:$result);
  let assemblyFormat = [{
    $symbol `(` $srcs `)` attr-dict `:` functional-type($srcs, $result)
  }];
  let hasVerifier = 1;
}

def Tile_InlineAsmOp : Tile_Op<"inline_asm",
    [DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "inline assembly applied elementwise";
  let description = [{
    Triton's `tl.inline_asm_elementwise` (NVIDIA only): each instance of the
    assembly takes `pack` elements of every operand and produces `pack`
    elements of every result. Elements narrower than 32 bits travel packed
    into 32-bit registers. Operands and results share one shape (or are all
    scalars, with `pack` = 1). `constraints` is LLVM's constraint string,
    outputs first.
  }];
  let arguments = (ins Variadic<Tile_Value>:$srcs, StrAttr:$asm_string,
                       StrAttr:$constraints, UnitAttr:$pure, I32Attr:$pack);
  let results = (outs Variadic<Tile_Value>:$results);
  let assemblyFormat = [{
    $asm_string `,` $constraints `(` $srcs `)` attr-dict `:`
    functional-type($srcs, $results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::LogicalResult verifyAsmOperands();
  }];
}

def Tile_PrintOp : Tile_Op<"print", [AttrSizedOperandSegments,
    MemoryEffects<[MemWrite]>]> {
  let summary = "print values from the device";
  let description = [{
    Triton's `tl.device_print`: one line per element a thread holds,
    `pid (x, y, z) idx (i, j) <prefix><values>`, with the program ids
    `pids` (3 values), the element's coordinates and every operand at them
    (all tensor operands share one shape). `is_signed` per operand picks
    signed or unsigned integer printing; `hex` prints bit patterns.
  }];
  let arguments = (ins StrAttr:$prefix, Variadic<I32>:$pids,
                       Variadic<Tile_Value>:$args, BoolAttr:$hex,
                       DenseBoolArrayAttr:$is_signed);
  let assemblyFormat = [{
    $prefix `pid` `(` $pids `)` (`values` `(` $args^ `:` type($args) `)`)?
    attr-dict
  }];
  let hasVerifier = 1;
}

def Tile_AssertOp : Tile_Op<"assert", [MemoryEffects<[MemWrite]>]> {
  let summary = "stop the kernel when a condition is false";
  let description = [{
    Triton's `tl.device_assert`: where an element of `cond` is false the
    kernel reports `message` with the op's location (NVIDIA: `__assertfail`,
    which aborts the launch; AMD: a message then a trap; CPU: the launch
    raises an error naming the first failure once the grid finishes).
  }];
  let arguments = (ins Tile_BoolLike:$cond, StrAttr:$message);
  let assemblyFormat = "$cond `,` $message attr-dict `:` type($cond)";
}

def Tile_BarrierOp : Tile_Op<"barrier", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "synchronize the threads of a program";
  let description = [{
    Triton's `tl.debug_barrier`: every thread of the program waits here and
    memory operations before it are visible after it. A no-op on the CPU,
    where a program is one thread.
  }];
  let assemblyFormat = "attr-dict";
}

def Tile_AddPtrOp : Tile_Op<"addptr", [Pure, AllTypesMatch<["ptr", "result"]>]> {
  let summary = "advance pointers by an element offset";
  let arguments = (ins Tile_PtrLike:$ptr, Tile_IntLike:$offset);
  let results = (outs Tile_PtrLike:$result);
  let assemblyFormat = "$ptr `,` $offset attr-dict `:` type($result) `,` type($offset)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tile_LoadOp : Tile_Op<"load", [AttrSizedOperandSegments,
    MemoryEffects<[MemRead]>,
    TypesMatchWith<"result is the pointee of ptr", "ptr", "result",
                   "::tessel::tile::getPointeeTypeLike($_self)">,
    TypesMatchWith<"mask has the shape of ptr", "ptr", "mask",
                   "::tessel::tile::getBoolTypeLike($_self)",
                   "(this->getODSOperands(1).empty()) || std::equal_to<>()">,
    TypesMatchWith<"other has the type of the result", "ptr", "other",
                   "::tessel::tile::getPointeeTypeLike($_self)",
                   "(this->getODSOperands(2).empty()) || std::equal_to<>()">]> {
  let summary = "masked load from global memory";
  let description = [{
    Loads the values that `ptr` points to. Lanes whose `mask` is false are not
    read; they take the value of `other` (undefined when `other` is absent).
    `cache` and `evict` are Triton's cache_modifier and eviction_policy
    (PTX `ld.global.cg`, `.L1::evict_first`, ... on NVIDIA; hints other
    targets may ignore); `isVolatile` reads memory every time.
    With `tensormap` (a host descriptor's tensor map) and `coords` (one i32
    per dimension, the outermost first), the load is also that descriptor's
    block at `coords`: `ptr` and `mask` are exactly its elements and bounds,
    so a target may read it with TMA instead (NVIDIA Hopper's ring does).
    The tensor map's box is the block's rows by the widest of 128, 64 or 32
    bytes that divides a row, with the matching swizzle. A rewrite that
    changes `ptr` or `mask` must drop both.
  }];
  let arguments = (ins Tile_PtrLike:$ptr, Optional<Tile_BoolLike>:$mask,
                   Optional<Tile_Value>:$other,
                   Optional<Tile_TensorMapType>:$tensormap,
                   Variadic<I32>:$coords,
                   DefaultValuedAttr<Tile_CacheModifier,
                       "::tessel::tile::CacheModifier::None">:$cache,
                   DefaultValuedAttr<Tile_EvictionPolicy,
                       "::tessel::tile::EvictionPolicy::Normal">:$evict,
                   UnitAttr:$isVolatile);
  let results = (outs Tile_Value:$result);
  let assemblyFormat = [{
    $ptr (`,` $mask^)? (`,` $other^)?
    (`tensormap` $tensormap^ `[` $coords `]`)? attr-dict `:` type($ptr)
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Value":$ptr, "::mlir::Value":$mask,
                   "::mlir::Value":$other,
                   "::tessel::tile::CacheModifier":$cache,
                   "::tessel::tile::EvictionPolicy":$evict,
                   "bool":$isVolatile), [{
      build($_builder, $_state, ptr, mask, other, /*tensormap=*/::mlir::Value(),
            ::mlir::ValueRange(), cache, evict, isVolatile);
    }]>
  ];
  let hasVerifier = 1;
}

def Tile_StoreOp : Tile_Op<"store", [
    MemoryEffects<[MemWrite]>,
    TypesMatchWith<"value is the pointee of ptr", "ptr", "value",
                   "::tessel::tile::getPointeeTypeLike($_self)">,
    TypesMatchWith<"mask has the shape of ptr", "ptr", "mask",
                   "::tessel::tile::getBoolTypeLike($_self)",
                   "($_op.getOperands().size() <= 2) || std::equal_to<>()">]> {
  let summary = "masked store to global memory";
  let description = [{
    Stores `value` where `mask` holds. `cache` and `evict` are Triton's
    cache_modifier and eviction_policy (PTX `st.global.wt`, ... on NVIDIA).
  }];
  let arguments = (ins Tile_PtrLike:$ptr, Tile_Value:$value,
                   Optional<Tile_BoolLike>:$mask,
                   DefaultValuedAttr<Tile_CacheModifier,
                       "::tessel::tile::CacheModifier::None">:$cache,
                   DefaultValuedAttr<Tile_EvictionPolicy,
                       "::tessel::tile::EvictionPolicy::Normal">:$evict);
  let assemblyFormat = "$ptr `,` $value (`,` $mask^)? attr-dict `:` type($ptr)";
  let hasVerifier = 1;
}

def Tile_AtomicRMWOp : Tile_Op<"atomic_rmw", [
    MemoryEffects<[MemRead, MemWrite]>,
    TypesMatchWith<"value is the pointee of ptr", "ptr", "val",
                   "::tessel::tile::getPointeeTypeLike($_self)">,
    TypesMatchWith<"result is the pointee of ptr", "ptr", "result",
                   "::tessel::tile::getPointeeTypeLike($_self)">,
    TypesMatchWith<"mask has the shape of ptr", "ptr", "mask",
                   "::tessel::tile::getBoolTypeLike($_self)",
                   "($_op.getOperands().size() <= 2) || std::equal_to<>()">]> {
  let summary = "atomic read-modify-write of each element";
  let description = [{
    For each element whose mask is set, atomically applies `kind` with `val`
    to the memory `ptr` points to and returns the value it held before.
    Elements whose mask is clear return 0 and touch no memory.
  }];
  let arguments = (ins Tile_RMWKind:$kind, Tile_MemSemantic:$sem,
                       Tile_MemScope:$scope, Tile_PtrLike:$ptr, Tile_Value:$val,
                       Optional<Tile_BoolLike>:$mask);
  let results = (outs Tile_Value:$result);
  let assemblyFormat = [{
    $kind `,` $sem `,` $scope `,` $ptr `,` $val (`,` $mask^)? attr-dict `:` type($ptr)
  }];
  let hasVerifier = 1;
}

def Tile_AtomicCASOp : Tile_Op<"atomic_cas", [
    MemoryEffects<[MemRead, MemWrite]>,
    TypesMatchWith<"cmp is the pointee of ptr", "ptr", "cmp",
                   "::tessel::tile::getPointeeTypeLike($_self)">,
    TypesMatchWith<"value is the pointee of ptr", "ptr", "val",
                   "::tessel::tile::getPointeeTypeLike($_self)">,
    TypesMatchWith<"result is the pointee of ptr", "ptr", "result",
                   "::tessel::tile::getPointeeTypeLike($_self)">]> {
  let summary = "atomic compare-and-swap of each element";
  let description = [{
    For each element, atomically stores `val` if memory holds `cmp`, and
    returns the value memory held before.
  }];
  let arguments = (ins Tile_MemSemantic:$sem, Tile_MemScope:$scope,
                       Tile_PtrLike:$ptr, Tile_Value:$cmp, Tile_Value:$val);
  let results = (outs Tile_Value:$result);
  let assemblyFormat = [{
    $sem `,` $scope `,` $ptr `,` $cmp `,` $val attr-dict `:` type($ptr)
  }];
  let hasVerifier = 1;
}

def Tile_InputPrecision : I32EnumAttr<"InputPrecision",
    "how a dot multiplies float32 inputs", [
    I32EnumAttrCase<"IEEE", 0, "ieee">, I32EnumAttrCase<"TF32", 1, "tf32">,
    I32EnumAttrCase<"TF32x3", 2, "tf32x3">]> {
  let cppNamespace = "::tessel::tile";
}

def Tile_Float8Format : I32EnumAttr<"Float8Format",
    "the float8 format an i8 dot operand holds", [
    I32EnumAttrCase<"None", 0, "none">, I32EnumAttrCase<"E4M3", 1, "e4m3">,
    I32EnumAttrCase<"E5M2", 2, "e5m2">]> {
  let cppNamespace = "::tessel::tile";
}

def Tile_Float8EncodeOp : Tile_Op<"float8_encode", [Pure, Elementwise,
    SameOperandsAndResultShape]> {
  let summary = "float32 elements rounded to float8 codes";
  let description = [{
    Each float32 element rounded to the nearest `format` value (ties to
    even), saturating to the largest finite magnitude, NaN staying NaN (PTX's
    `cvt.rn.satfinite`); the result holds the codes as i8, as every float8
    value in Tile IR does. Targets with float8 conversions (NVIDIA sm_89 and
    later) run it as one instruction per pair of elements;
    tessel-expand-float8-encode rewrites it into integer arithmetic for the
    others.
  }];
  let arguments = (ins AnyTypeOf<[F32, RankedTensorOf<[F32]>]>:$src,
                       Tile_Float8Format:$format);
  let results = (outs AnyTypeOf<[I8, RankedTensorOf<[I8]>]>:$result);
  let assemblyFormat = [{
    $format $src attr-dict `:` type($src) `->` type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tile_DotOp : Tile_Op<"dot", [Pure,
    AllTypesMatch<["acc", "result"]>]> {
  let summary = "matrix product of two tiles, added to an accumulator";
  let description = [{
    Triton's `tl.dot`: `result[b, i, j] = acc[b, i, j] + sum_k a[b, i, k] *
    b[b, k, j]` for 2-D operands (M x K, K x N) or 3-D ones with a leading
    batch dimension. `a` and `b` have one element type: f16, bf16, f32, f64
    or i8; the accumulator is f32 (or f16 for f16 inputs, f64 for f64) and i32
    for i8. Products are formed in the accumulator's type. `input_precision`
    says how f32 inputs may be rounded before multiplying (tf32 is allowed to
    round to 10 mantissa bits; ieee keeps them); `max_num_imprecise_acc`
    bounds how many products a lower-precision accumulator may sum before
    promoting (Triton's float8 knob; 0 = no bound).

    `a_float8` / `b_float8` (e4m3 = 1: float8e4nv, e5m2 = 2: float8e5) say
    that an i8 operand holds float8 codes (Tile IR carries float8 as i8);
    both are set or neither, and the accumulator is then f32. Targets with
    float8 tensor cores multiply the codes as they are (Hopper's wgmma,
    accumulating as Triton does: max_num_imprecise_acc 0 leaves the bound
    to the hardware); the others widen them to f16 first
    (`widenFloat8Operands`), which is exact.
  }];
  let arguments = (ins Tile_Tensor:$a, Tile_Tensor:$b, Tile_Tensor:$acc,
                       DefaultValuedAttr<Tile_InputPrecision,
                           "::tessel::tile::InputPrecision::IEEE">:$input_precision,
                       DefaultValuedAttr<I32Attr, "0">:$max_num_imprecise_acc,
                       DefaultValuedAttr<Tile_Float8Format,
                           "::tessel::tile::Float8Format::None">:$a_float8,
                       DefaultValuedAttr<Tile_Float8Format,
                           "::tessel::tile::Float8Format::None">:$b_float8);
  let results = (outs Tile_Tensor:$result);
  let assemblyFormat = [{
    $a `,` $b `,` $acc attr-dict `:` type($a) `,` type($b) `->` type($result)
  }];
  let hasVerifier = 1;
  // x + dot(a, b, 0) is dot(a, b, x) (`acc += tl.dot(a, b)`).
  let hasCanonicalizer = 1;
  let extraClassDeclaration = [{
    /// Whether the operands are float8 codes (a_float8 / b_float8 set).
    bool isFloat8() { return getAFloat8() != Float8Format::None; }
    /// Decodes float8 operands to f16 (exact) in front of the dot and
    /// clears the formats: for targets without float8 tensor cores.
    void widenFloat8Operands(::mlir::OpBuilder &builder);
  }];
}

def Tile_ReduceOp : Tile_Op<"reduce", [Pure, SameOperandsShape]> {
  let summary = "reduce tensors along one axis with a combine region";
  let description = [{
    Combines the elements of each operand along `axis` with the region, which
    takes (accumulators..., elements...) as scalars and returns the new
    accumulators with `tile.reduce.return`. Several operands reduce together
    (argmax reduces values and indices). Results drop `axis`; a 1-D input
    reduces to scalars. The combine function should be associative: the
    order in which elements meet is the layout's (within a thread, then
    across lanes, then across warps).
  }];
  let arguments = (ins Variadic<Tile_Tensor>:$srcs, I32Attr:$axis);
  let results = (outs Variadic<Tile_Value>:$results);
  let regions = (region SizedRegion<1>:$combineOp);
  let assemblyFormat = [{
    `(` $srcs `)` `axis` `=` $axis attr-dict `:` functional-type($srcs, $results)
    $combineOp
  }];
  let hasRegionVerifier = 1;
}

def Tile_ScanOp : Tile_Op<"scan", [Pure, SameOperandsShape]> {
  let summary = "inclusive scan of tensors along one axis";
  let description = [{
    Each result element combines, with the region, all operand elements at or
    before it along `axis` (at or after it when `reverse` is set). The region
    takes (accumulators..., elements...) scalars and returns the new
    accumulators with `tile.reduce.return`; it should be associative.
  }];
  let arguments = (ins Variadic<Tile_Tensor>:$srcs, I32Attr:$axis,
                       BoolAttr:$reverse);
  let results = (outs Variadic<Tile_Tensor>:$results);
  let regions = (region SizedRegion<1>:$combineOp);
  let assemblyFormat = [{
    `(` $srcs `)` `axis` `=` $axis `reverse` `=` $reverse attr-dict `:`
    functional-type($srcs, $results) $combineOp
  }];
  let hasRegionVerifier = 1;
}

def Tile_ReduceReturnOp : Tile_Op<"reduce.return",
    [ParentOneOf<["ReduceOp", "ScanOp"]>, Pure, Terminator, ReturnLike]> {
  let summary = "the combined values of a reduce region";
  let arguments = (ins Variadic<AnyType>:$result);
  let assemblyFormat = "$result attr-dict `:` type($result)";
}

#endif // TESSEL_TILE_OPS

//===- Passes.td - Tessel passes and conversions ------------*- tablegen -*-===//
#ifndef TESSEL_PASSES
#define TESSEL_PASSES

include "mlir/Pass/PassBase.td"

def TestAxisInfo : Pass<"tessel-test-axis-info", "::mlir::func::FuncOp"> {
  let summary = "Print the axis analysis (contiguity, divisibility, constancy)";
  let description = [{
    Attaches the axis analysis of every op result as a remark, for lit tests.
  }];
}

def ConvertTileToTileGPU : Pass<"convert-tile-to-tilegpu", "::mlir::ModuleOp"> {
  let summary = "Assign a data layout to every tensor";
  let description = [{
    Gives every tensor a blocked layout chosen from its rank, the number of
    warps and the widest memory access; inputs of expand_dims get the slice of
    their result's layout, propagated backwards through layout-agnostic ops,
    with convert_layout only where a value is needed in two layouts.
  }];
  let options = [
    Option<"target", "target", "std::string", "\"cpu\"",
           "Target: cpu, nvidia:sm_XX, amd:gfxXXX">,
    Option<"numWarps", "num-warps", "unsigned", "4", "Warps per program">,
  ];
  let dependentDialects = ["::tessel::tilegpu::TileGPUDialect"];
}

def PrefetchLoads : Pass<"tessel-prefetch-loads", "::mlir::ModuleOp"> {
  let summary = "Issue the next iteration's loads of a dot loop one iteration early";
  let description = [{
    Software pipelining in registers (`num_stages` >= 2): in an `scf.for`
    whose body computes a `tile.dot`, each `tile.load` whose pointer, mask
    and other value are computed from the induction variable, the iteration
    arguments and loop invariants by pure ops is issued for iteration i + 1
    at the top of iteration i (masked off past the last iteration), and for
    the first iteration before the loop; the loaded value is carried to the
    next iteration. The global-memory latency of the next tiles then
    overlaps the current iteration's dot.

    With a `register-budget`, a loop is left alone when its estimated
    32-bit registers per thread (accumulators, the dots' operand fragments
    with their copies across warps, the prefetched tiles, and 40 for
    addresses and masks) would pass it: the prefetched tiles would push a
    big mma.sync tile into spills (ptxas then spilled 4-8 KB per thread).

    With `cp-async-ring` (NVIDIA sm_80 and later), a loop whose dots read
    16-bit tiles loaded in the body with 16-byte aligned runs of 8 elements
    along their rows (what tessel-pipeline-dot-operands copies with
    cp.async), their other operands defined before the loop or computed
    from a dot's result (attention), is left to that pass's ring.
  }];
  let options = [
    Option<"numStages", "num-stages", "unsigned", "3",
           "Triton's num_stages; 2 and more prefetch one iteration">,
    Option<"cpAsyncRing", "cp-async-ring", "bool", "false",
           "leave the loops tessel-pipeline-dot-operands rings (sm_80+)">,
    Option<"numThreads", "num-threads", "unsigned", "128",
           "threads per program (num_warps times the warp size)">,
    Option<"registerBudget", "register-budget", "unsigned", "0",
           "registers per thread a prefetching loop may need (0: no limit)">,
  ];
}

def Coalesce : Pass<"tessel-coalesce", "::mlir::ModuleOp"> {
  let summary = "Give each GPU memory access the layout its addresses favour";
  let description = [{
    The layout assignment makes the last dimension the fastest for every
    tensor. A load or store whose addresses are contiguous along another
    dimension (a column of a row-major matrix, a transposed read) would then
    touch one element per lane and per address. This pass gives such an
    access a blocked layout whose fastest dimension is the one the axis
    analysis finds most contiguous (vectors of up to 16 bytes along it),
    with conversions around it; tessel-remove-layout-conversions then
    recomputes the addresses and masks in the new layout, leaving one
    conversion of the data (through shared memory, as Triton does).

    A load whose tile goes to a wgmma dot (directly or through tl.trans)
    gets a layout fitted to its own shape and element type (16-byte vectors,
    lanes spread over the tile instead of replicating it), and the dot takes
    the tile in that layout with no conversion: its operands go through
    shared memory, written from any layout.
  }];
}

def RemoveLayoutConversions : Pass<"tessel-remove-layout-conversions", "::mlir::ModuleOp"> {
  let summary = "Remove tilegpu.convert_layout ops by recomputing cheap values";
  let description = [{
    Layout conversions move data between threads (through shared memory on
    GPUs). This pass removes them where cheaper means exist:
    - a conversion to the layout a value already has, or of a conversion,
      folds (chains collapse to one conversion);
    - a value computed only from cheap ops (make_range, splat, constants,
      elementwise arith/math, addptr) is recomputed in the wanted layout;
    - a store of a converted value stores it in its own layout, recomputing
      the pointers and mask there instead;
    - an elementwise op of several conversions from one layout runs in that
      layout, followed by one conversion of its result.
  }];
}

def AsyncDots : Pass<"tessel-async-dots", "::mlir::ModuleOp"> {
  let summary = "Overlap a loop's wgmma dots with the next iteration";
  let description = [{
    In an `scf.for` whose body accumulates a wgmma dot (an `#tilegpu.mma`
    version 3 accumulator carried by the loop and only yielded), the dot
    becomes `tilegpu.async_dot` over two shared-memory buffers chosen by
    the iteration's parity, and one `tilegpu.dot_wait` follows the loop:
    the tensor cores work on iteration i while iteration i + 1 loads and
    stores its operands into the other buffer. Loops whose pipelining depth
    (`tile.num_stages`, else `num-stages`) is below 2 are left alone.
  }];
  let options = [
    Option<"numStages", "num-stages", "unsigned", "3",
           "The kernel's num_stages (a loop's tile.num_stages overrides it)">,
  ];
}

def PipelineDotOperands : Pass<"tessel-pipeline-dot-operands", "::mlir::ModuleOp"> {
  let summary = "Feed a loop's tensor-core dots from a ring in shared memory";
  let description = [{
    Turns the two loads of a `tilegpu.async_dot` in a loop into
    `tilegpu.async_copy` (cp.async) issued `num-stages - 1` iterations ahead
    into `num-stages + 1` shared-memory stages, and the dot into a
    `tilegpu.shared_dot` on the stage its iteration's copies filled (see the
    file's header for the schedule and the conditions). On sm_80 and later,
    the two operand loads of an mma.sync dot become copies into
    `num-stages` stages that `tilegpu.stage_load` reads with ldmatrix.
  }];
  let options = [
    Option<"numStages", "num-stages", "unsigned", "3",
           "Software pipelining depth (loads issued num-stages - 1 iterations ahead)">,
    Option<"numCtas", "num-ctas", "unsigned", "1",
           "Programs per thread-block cluster (2: a TMA ring's programs share copies)">,
  ];
  let dependentDialects = ["::tessel::tilegpu::TileGPUDialect",
                           "::mlir::arith::ArithDialect"];
}

def ConvertTileGPUToLLVM : Pass<"convert-tilegpu-to-llvm", "::mlir::ModuleOp"> {
  let summary = "Lower tile operations on laid-out tensors to per-thread LLVM";
  let description = [{
    Each tensor becomes the vector of elements held by one thread (its
    registers in the linear layout). Tile ops become LLVM and NVVM/ROCDL ops;
    elementwise arith/math ops are kept, retyped to vectors, for the standard
    lowering that follows; masked memory accesses become scf.if around wide
    loads (GPU) or LLVM masked intrinsics (CPU).
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect", "::mlir::NVVM::NVVMDialect",
                           "::mlir::ROCDL::ROCDLDialect", "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect"];
}

def ConvertTileToCPU : Pass<"convert-tile-to-cpu", "::mlir::ModuleOp"> {
  let summary = "Lower Tile IR to loops over native-width vectors (the CPU target)";
  let description = [{
    A program is one thread: each tile becomes loops over chunks of
    `vector-width` elements. Chains of elementwise ops are evaluated chunk by
    chunk inside the loop of the op that consumes them (a store, a
    reduction's input, a loop-carried tile); tiles are stored in stack or
    heap buffers only where an op needs them whole. The output is LLVM
    dialect with arith/math on vectors and scf loops, for the standard
    lowering that follows. Kernels take six trailing i32 grid arguments.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", "16",
           "Elements per chunk (a power of two)">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect", "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect", "::mlir::math::MathDialect"];
}

def ApproximateMath : Pass<"tessel-approximate-math", "::mlir::ModuleOp"> {
  let summary = "Inline vector polynomials for f32 exp, log, tanh (the CPU)";
  let description = [{
    LLVM calls libm once per lane for math on vectors; MLIR's polynomial
    approximations of exp, expm1, log, log2, log1p and tanh (f32) stay
    vectors. Run on the CPU target only.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::vector::VectorDialect"];
}

def ExpandFloat8Encode : Pass<"tessel-expand-float8-encode", "::mlir::ModuleOp"> {
  let summary = "tile.float8_encode as integer arithmetic";
  let description = [{
    Rewrites each `tile.float8_encode` into arith on i32 (round to nearest
    even, saturate to the largest finite value, NaN stays NaN), exact on
    every target. The pipeline runs it for targets without float8
    conversion instructions (the CPU, AMD, NVIDIA before sm_89).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def ElideBarriers : Pass<"tessel-elide-barriers", "::mlir::ModuleOp"> {
  let summary = "Remove the shared-memory barriers no access needs";
  let description = [{
    Every move through shared memory starts with a barrier so that it does
    not overwrite what other threads still read from the previous move. That
    barrier is needed only if shared memory was accessed since the last
    barrier: one with no shared-memory access (and no call) between it and
    an earlier barrier of the same block, or the start of a kernel, goes.
    Barriers the kernel author asked for (`tl.debug_barrier`, marked
    `tessel.user_barrier`) always stay.
  }];
}

def MathToLibraryCalls : Pass<"tessel-math-to-library-calls", "::mlir::ModuleOp"> {
  let summary = "Call libdevice, OCML or libm for math the target lacks";
  let description = [{
    Replaces math ops (on scalars or per-thread vectors, element by element)
    with calls: __nv_* from libdevice on NVIDIA, __ocml_* on AMD, libm on the
    CPU for functions LLVM has no intrinsic for. Half types compute in f32.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def MarkKernels : Pass<"tessel-mark-kernels", "::mlir::ModuleOp"> {
  let summary = "Give kernel llvm.funcs the target's kernel attributes";
  let description = [{
    After func-to-llvm: functions marked tile.kernel get nvvm.kernel and
    nvvm.maxntid (NVIDIA) or rocdl.kernel and the work-group size (AMD).
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif

//===- TileDialect.cpp - Tile dialect types, ops and verifiers ------------===//
#include "dialects/Tile/IR/TileDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace tessel::tile;

#include "dialects/Tile/IR/TileDialect.cpp.inc"
#include "dialects/Tile/IR/TileEnums.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "dialects/Tile/IR/TileTypes.cpp.inc"

void TileDialect::initialize() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "dialects/Tile/IR/TileTypes.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "dialects/Tile/IR/TileOps.cpp.inc"
      >();
}

Operation *TileDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  return arith::ConstantOp::materialize(builder, value, type, loc);
}

Type tessel::tile::getPointeeTypeLike(Type ptrLike) {
  if (auto tensor = dyn_cast<RankedTensorType>(ptrLike)) {
    auto ptr = dyn_cast<PointerType>(tensor.getElementType());
    if (!ptr)
      return {};
    return tensor.clone(ptr.getPointeeType());
  }
  if (auto ptr = dyn_cast<PointerType>(ptrLike))
    return ptr.getPointeeType();
  return {};
}

Type tessel::tile::getBoolTypeLike(Type type) {
  auto i1 = IntegerType::get(type.getContext(), 1);
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    return tensor.clone(i1);
  return i1;
}

LogicalResult tessel::tile::verifyTileShape(Operation *op, Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return success();
  int64_t numel = 1;
  for (int64_t dim : tensor.getShape()) {
    if (ShapedType::isDynamic(dim) || dim <= 0 || !llvm::isPowerOf2_64(dim))
      return op->emitOpError("tile shapes must be static powers of two, got ")
             << type;
    // Dimensions are powers of two, so the product overflows only after
    // passing the limit: check as it grows.
    numel *= dim;
    if (numel > kMaxTileElements)
      return op->emitOpError("numel (")
             << tensor.getNumElements() << ") of " << type
             << " exceeds the maximum tensor numel (" << kMaxTileElements
             << ")";
  }
  return success();
}

LogicalResult tessel::tile::verifyTileTypes(Operation *func) {
  auto checkBlockArgs = [](Operation *op) -> LogicalResult {
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments())
          if (failed(verifyTileShape(op, arg.getType())))
            return failure();
    return success();
  };
  WalkResult result = func->walk([&](Operation *op) {
    for (Type type : op->getResultTypes())
      if (failed(verifyTileShape(op, type)))
        return WalkResult::interrupt();
    if (failed(checkBlockArgs(op)))
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

LogicalResult TileDialect::verifyOperationAttribute(Operation *op,
                                                    NamedAttribute attr) {
  if (attr.getName() != kKernelAttrName && attr.getName() != kNoInlineAttrName)
    return success();
  if (!isa<FunctionOpInterface>(op))
    return op->emitError("'") << attr.getName() << "' marks a function";
  return verifyTileTypes(op);
}

LogicalResult tessel::tile::verifyInFunction(Operation *op) {
  if (!op->getParentOfType<FunctionOpInterface>())
    return op->emitOpError("must be inside a function");
  // Every tensor a tile op touches is a valid tile, inside kernels or not.
  for (Type type : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes()))
    if (failed(verifyTileShape(op, type)))
      return failure();
  return success();
}

unsigned tessel::tile::getElementBitWidth(Type scalar) {
  if (isa<PointerType>(scalar))
    return 64;
  return scalar.getIntOrFloatBitWidth();
}

unsigned tessel::tile::loopNumStages(Operation *loop, unsigned defaultStages) {
  if (auto attr = loop->getAttrOfType<IntegerAttr>(kNumStagesAttrName))
    return unsigned(std::max<int64_t>(attr.getInt(), 1));
  return defaultStages;
}

unsigned tessel::tile::inlineAsmElementsPerRegister(Type elem, unsigned pack) {
  unsigned bits = getElementBitWidth(elem);
  return bits >= 32 ? 1 : std::min(pack, 32 / bits);
}

LogicalResult PointerType::verify(function_ref<InFlightDiagnostic()> emitError,
                                  Type pointee) {
  if (isa<PointerType>(pointee) || pointee.isSignlessInteger() ||
      isa<Float16Type, BFloat16Type, Float32Type, Float64Type>(pointee))
    return success();
  return emitError() << "pointers point to integers, f16, bf16, f32, f64 or "
                        "pointers, not "
                     << pointee;
}

//===----------------------------------------------------------------------===//
// MakeRangeOp
//===----------------------------------------------------------------------===//

LogicalResult MakeRangeOp::verify() {
  int64_t start = getStartAttr().getInt(), end = getEndAttr().getInt();
  if (end <= start)
    return emitOpError("end must be greater than start");
  int64_t size = end - start;
  if (!llvm::isPowerOf2_64(size))
    return emitOpError("range size must be a power of two, got ") << size;
  auto type = getType();
  if (type.getRank() != 1 || type.getDimSize(0) != size)
    return emitOpError("result must be tensor<") << size << "xi32>";
  return success();
}

//===----------------------------------------------------------------------===//
// SplatOp
//===----------------------------------------------------------------------===//

OpFoldResult SplatOp::fold(FoldAdaptor adaptor) {
  Attribute value = adaptor.getSrc();
  if (!value || isa<PointerType>(getSrc().getType()))
    return {};
  if (isa<IntegerAttr, FloatAttr>(value))
    return SplatElementsAttr::get(getType(), value);
  return {};
}

//===----------------------------------------------------------------------===//
// BroadcastOp
//===----------------------------------------------------------------------===//

LogicalResult BroadcastOp::verify() {
  auto srcType = getSrc().getType(), resultType = getType();
  if (failed(verifyTileShape(*this, resultType)))
    return failure();
  if (srcType.getRank() != resultType.getRank())
    return emitOpError("source and result must have the same rank");
  for (auto [s, r] : llvm::zip(srcType.getShape(), resultType.getShape()))
    if (s != r && s != 1)
      return emitOpError("source dimension ")
             << s << " cannot be broadcast to " << r;
  return success();
}

OpFoldResult BroadcastOp::fold(FoldAdaptor adaptor) {
  if (getSrc().getType() == getType())
    return getSrc();
  if (auto splat = dyn_cast_or_null<SplatElementsAttr>(adaptor.getSrc()))
    return SplatElementsAttr::get(getType(), splat.getSplatValue<Attribute>());
  return {};
}

namespace {
/// broadcast(splat(x)) -> splat(x); broadcast(broadcast(x)) -> broadcast(x).
struct SimplifyBroadcastChain : OpRewritePattern<BroadcastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BroadcastOp op,
                                PatternRewriter &rewriter) const override {
    Operation *def = op.getSrc().getDefiningOp();
    if (auto splat = dyn_cast_or_null<SplatOp>(def)) {
      rewriter.replaceOpWithNewOp<SplatOp>(op, op.getType(), splat.getSrc());
      return success();
    }
    if (auto inner = dyn_cast_or_null<BroadcastOp>(def)) {
      rewriter.replaceOpWithNewOp<BroadcastOp>(op, op.getType(),
                                               inner.getSrc());
      return success();
    }
    return failure();
  }
};

/// expand_dims(splat(x)) -> splat(x).
struct ExpandDimsOfSplat : OpRewritePattern<ExpandDimsOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ExpandDimsOp op,
                                PatternRewriter &rewriter) const override {
    auto splat = op.getSrc().getDefiningOp<SplatOp>();
    if (!splat)
      return failure();
    rewriter.replaceOpWithNewOp<SplatOp>(op, op.getType(), splat.getSrc());
    return success();
  }
};
} // namespace

void BroadcastOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<SimplifyBroadcastChain>(context);
}

//===----------------------------------------------------------------------===//
// ExpandDimsOp
//===----------------------------------------------------------------------===//

LogicalResult ExpandDimsOp::verify() {
  auto srcType = getSrc().getType(), resultType = getType();
  int64_t axis = getAxisAttr().getInt();
  if (axis < 0 || axis > srcType.getRank())
    return emitOpError("axis ") << axis << " is out of range for rank "
                                << srcType.getRank();
  SmallVector<int64_t> expected(srcType.getShape());
  expected.insert(expected.begin() + axis, 1);
  if (resultType.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("result shape must be the source shape with a 1 at "
                       "axis ")
           << axis;
  return success();
}

void ExpandDimsOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                               MLIRContext *context) {
  results.add<ExpandDimsOfSplat>(context);
}

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  if (failed(verifyTileShape(*this, getType())))
    return failure();
  if (getSrc().getType().getNumElements() != getType().getNumElements())
    return emitOpError("cannot reshape ")
           << getSrc().getType().getNumElements() << " elements into "
           << getType().getNumElements();
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getSrc().getType() == getType())
    return getSrc();
  if (auto splat = dyn_cast_or_null<SplatElementsAttr>(adaptor.getSrc()))
    return SplatElementsAttr::get(getType(), splat.getSplatValue<Attribute>());
  return {};
}

//===----------------------------------------------------------------------===//
// JoinOp, SplitOp
//===----------------------------------------------------------------------===//

LogicalResult JoinOp::verify() {
  SmallVector<int64_t> shape(getLhs().getType().getShape());
  shape.push_back(2);
  if (getType().getShape() != ArrayRef<int64_t>(shape) ||
      getType().getElementType() != getLhs().getType().getElementType())
    return emitOpError("result must be the operand shape with a last "
                       "dimension of 2");
  return success();
}

LogicalResult SplitOp::verify() {
  auto srcType = getSrc().getType();
  if (srcType.getRank() < 2 || srcType.getShape().back() != 2)
    return emitOpError("the last dimension must have size 2, got ") << srcType;
  auto expected = RankedTensorType::get(srcType.getShape().drop_back(),
                                        srcType.getElementType());
  for (Type t : {getLhs().getType(), getRhs().getType()}) {
    auto r = cast<RankedTensorType>(t);
    if (RankedTensorType::get(r.getShape(), r.getElementType()) != expected)
      return emitOpError("results must be ") << expected;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// XorPermuteOp, GatherOp
//===----------------------------------------------------------------------===//

LogicalResult XorPermuteOp::verify() {
  auto type = getSrc().getType();
  int64_t axis = getAxis();
  if (axis < 0 || axis >= type.getRank())
    return emitOpError("axis ") << axis << " is out of range for " << type;
  int64_t size = type.getDimSize(axis);
  if (!llvm::isPowerOf2_64(size))
    return emitOpError("the permuted axis must have a power-of-two size, got ")
           << size;
  if (getMask() < 0 || getMask() >= size)
    return emitOpError("mask must be in [0, ") << size << "), got "
                                               << getMask();
  return success();
}

OpFoldResult XorPermuteOp::fold(FoldAdaptor adaptor) {
  if (getMask() == 0)
    return getSrc();
  // Two permutations with the same mask cancel.
  if (auto inner = getSrc().getDefiningOp<XorPermuteOp>())
    if (inner.getAxis() == getAxis() && inner.getMask() == getMask())
      return inner.getSrc();
  return {};
}

LogicalResult GatherOp::verify() {
  auto srcType = getSrc().getType();
  auto indexType = getIndex().getType();
  int64_t axis = getAxis();
  if (srcType.getRank() != indexType.getRank())
    return emitOpError("source and index must have the same rank, got ")
           << srcType << " and " << indexType;
  if (axis < 0 || axis >= srcType.getRank())
    return emitOpError("axis ") << axis << " is out of range for " << srcType;
  for (int64_t d = 0; d < srcType.getRank(); ++d)
    if (d != axis && srcType.getDimSize(d) != indexType.getDimSize(d))
      return emitOpError("source and index must agree on every dimension but "
                         "the axis, got ")
             << srcType << " and " << indexType;
  auto resultType = cast<RankedTensorType>(getType());
  if (resultType.getShape() != indexType.getShape() ||
      resultType.getElementType() != srcType.getElementType())
    return emitOpError("result must have the index's shape and the source's "
                       "element type");
  return success();
}

//===----------------------------------------------------------------------===//
// HintOp
//===----------------------------------------------------------------------===//

LogicalResult HintOp::verify() {
  auto tensor = dyn_cast<RankedTensorType>(getSrc().getType());
  int64_t rank = tensor ? tensor.getRank() : 1;
  auto check = [&](std::optional<ArrayRef<int64_t>> values,
                   StringRef name) -> LogicalResult {
    if (!values)
      return success();
    if (int64_t(values->size()) != rank)
      return emitOpError(name) << " must have " << rank << " value(s), got "
                               << values->size();
    for (auto [d, v] : llvm::enumerate(*values)) {
      if (v < 1 || !llvm::isPowerOf2_64(v))
        return emitOpError(name) << " values must be powers of two, got " << v;
      if (tensor && name != "divisibility" && v > tensor.getDimSize(d))
        return emitOpError(name) << " " << v << " exceeds dimension " << d
                                 << " of size " << tensor.getDimSize(d);
    }
    return success();
  };
  if (!getDivisibility() && !getContiguity() && !getConstancy())
    return emitOpError("needs at least one of divisibility, contiguity, "
                       "constancy");
  return failure(failed(check(getDivisibility(), "divisibility")) ||
                 failed(check(getContiguity(), "contiguity")) ||
                 failed(check(getConstancy(), "constancy")));
}

//===----------------------------------------------------------------------===//
// ExternElementwiseOp, InlineAsmOp
//===----------------------------------------------------------------------===//

/// Operands and results of an elementwise call: all of one shape, or all
/// scalars; numbers only.
/// `pointerInputs`: inline assembly takes addresses (it may load or store
/// through them); library calls and every result take values only.
static LogicalResult verifyElementwiseCall(Operation *op,
                                           bool pointerInputs = false) {
  std::optional<ArrayRef<int64_t>> shape;
  bool first = true;
  unsigned index = 0, numOperands = op->getNumOperands();
  for (Type t : llvm::concat<Type>(op->getOperandTypes(),
                                   op->getResultTypes())) {
    bool isInput = index++ < numOperands;
    auto tensor = dyn_cast<RankedTensorType>(t);
    std::optional<ArrayRef<int64_t>> s;
    if (tensor)
      s = tensor.getShape();
    if (first)
      shape = s;
    else if (shape != s)
      return op->emitOpError("operands and results must all have one shape "
                             "or all be scalars");
    first = false;
    if (isa<PointerType>(getElementTypeOrSelf(t)) &&
        !(pointerInputs && isInput))
      return op->emitOpError(pointerInputs ? "cannot return pointers"
                                           : "cannot pass pointers");
  }
  return success();
}

static void addCallEffects(
    bool pure,
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  if (pure)
    return;
  effects.emplace_back(MemoryEffects::Read::get());
  effects.emplace_back(MemoryEffects::Write::get());
}

LogicalResult ExternElementwiseOp::verify() {
  if (getSymbol().empty())
    return emitOpError("needs a symbol");
  return verifyElementwiseCall(*this);
}

void ExternElementwiseOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  addCallEffects(getPure(), effects);
}

LogicalResult InlineAsmOp::verify() {
  if (getResults().empty())
    return emitOpError("must have at least one result");
  if (getPack() < 1 || !llvm::isPowerOf2_32(getPack()))
    return emitOpError("pack must be a power of two, got ") << getPack();
  if (getPack() > 1 && !isa<RankedTensorType>(getResult(0).getType()))
    return emitOpError("pack must be 1 on scalars");
  if (failed(verifyElementwiseCall(*this, /*pointerInputs=*/true)))
    return failure();
  return verifyAsmOperands();
}

/// The constraint string names one register per output and input of an
/// instance (clobbers `~{...}` aside), and the assembly refers to them as
/// `$N` / `${N:modifier}`; a reference past them would crash the PTX printer.
LogicalResult InlineAsmOp::verifyAsmOperands() {
  unsigned pack = getPack(), registers = 0;
  for (Type t : llvm::concat<Type>(getResultTypes(), getSrcs().getTypes())) {
    // Registers hold whole bytes: an i7 (four to a 28-bit register) would
    // crash instruction selection.
    Type elem = getElementTypeOrSelf(t);
    unsigned bits = getElementBitWidth(elem);
    if (!isa<PointerType>(elem) && bits != 1 && bits != 8 && bits != 16 &&
        bits != 32 && bits != 64)
      return emitOpError("operands and results must be 1, 8, 16, 32 or 64 "
                         "bits wide (or pointers), got ")
             << elem;
    registers += pack / inlineAsmElementsPerRegister(elem, pack);
  }
  SmallVector<StringRef> constraints;
  getConstraints().split(constraints, ',');
  // NVPTX's register classes: b (pred), c (8-bit), h (16), r (32), l (64),
  // q (128), f (f32), d (f64); inputs may also be immediates (n, i) or tie
  // to an output by number. Others crash instruction selection.
  for (StringRef c : constraints) {
    StringRef code = c.trim();
    if (code.starts_with("~{") && code.ends_with("}"))
      continue;
    bool isOutput = code.consume_front("=");
    if (isOutput)
      code.consume_front("&");
    bool ok = code.size() == 1 && StringRef("bchrlqfd").contains(code[0]);
    if (!isOutput)
      ok |= (code.size() == 1 && (code[0] == 'n' || code[0] == 'i')) ||
            (!code.empty() && llvm::all_of(code, llvm::isDigit));
    if (!ok)
      return emitOpError("constraint '")
             << c.trim() << "' is not an NVPTX register class (=b/c/h/r/l/"
             << "q/f/d outputs; those, n, i or an output number for inputs)";
  }
  unsigned named = llvm::count_if(constraints, [](StringRef c) {
    return !c.trim().starts_with("~");
  });
  if (named != registers)
    return emitOpError("constraints name ")
           << named << " operands, but each instance has " << registers
           << " (outputs then inputs, " << pack
           << " elements each, narrow ones packed into 32-bit registers)";
  StringRef text = getAsmString();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$')
      continue;
    if (i + 1 < text.size() && text[i + 1] == '$') { // `$$` is a literal `$`.
      ++i;
      continue;
    }
    size_t start = i + 1 + (i + 1 < text.size() && text[i + 1] == '{');
    size_t end = start;
    while (end < text.size() && llvm::isDigit(text[end]))
      ++end;
    unsigned index;
    if (end == start || text.substr(start, end - start).getAsInteger(10, index))
      return emitOpError("'$' at offset ")
             << i << " of the assembly is not followed by an operand number";
    if (index >= registers)
      return emitOpError("the assembly refers to $")
             << index << ", but an instance has only " << registers
             << " operands ($0 to $" << registers - 1 << ")";
    i = end - 1;
  }
  return success();
}

void InlineAsmOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  addCallEffects(getPure(), effects);
}

//===----------------------------------------------------------------------===//
// DotOp
//===----------------------------------------------------------------------===//

/// The accumulator element types a dot of `input` elements may have.
static bool isDotAccumulator(Type input, Type acc) {
  if (input.isInteger(8))
    return acc.isInteger(32);
  if (input.isF64())
    return acc.isF64();
  if (input.isF16())
    return acc.isF32() || acc.isF16();
  if (input.isBF16() || input.isF32())
    return acc.isF32();
  return false;
}

LogicalResult DotOp::verify() {
  auto aType = cast<RankedTensorType>(getA().getType());
  auto bType = cast<RankedTensorType>(getB().getType());
  auto cType = cast<RankedTensorType>(getAcc().getType());
  unsigned rank = aType.getRank();
  if ((rank != 2 && rank != 3) || bType.getRank() != rank ||
      cType.getRank() != rank)
    return emitOpError("operands must all be 2-D, or all 3-D (batched); got ")
           << aType << ", " << bType << " and " << cType;
  ArrayRef<int64_t> a = aType.getShape(), b = bType.getShape(),
                    c = cType.getShape();
  unsigned m = rank - 2, k = rank - 1;
  if (rank == 3 && (a[0] != b[0] || a[0] != c[0]))
    return emitOpError("batch dimensions differ: ")
           << a[0] << ", " << b[0] << " and " << c[0];
  if (a[k] != b[m])
    return emitOpError("inner dimensions differ: a is ")
           << aType << " and b is " << bType;
  if (c[m] != a[m] || c[k] != b[k])
    return emitOpError("the accumulator must be ")
           << a[m] << "x" << b[k] << ", got " << cType;
  Type elem = aType.getElementType();
  if (elem != bType.getElementType())
    return emitOpError("a and b must have one element type, got ")
           << elem << " and " << bType.getElementType();
  if ((getAFloat8() == Float8Format::None) !=
      (getBFloat8() == Float8Format::None))
    return emitOpError("a_float8 and b_float8 must both be set or neither");
  if (isFloat8()) {
    if (!elem.isInteger(8) || !cType.getElementType().isF32())
      return emitOpError("float8 operands are i8 codes accumulated in f32, "
                         "got ")
             << elem << " into " << cType.getElementType();
    return success();
  }
  if (!isDotAccumulator(elem, cType.getElementType()))
    return emitOpError("cannot accumulate products of ")
           << elem << " in " << cType.getElementType()
           << " (f16 -> f32/f16, bf16/f32 -> f32, f64 -> f64, i8 -> i32)";
  if (getInputPrecision() != InputPrecision::IEEE && !elem.isF32())
    return emitOpError("input_precision ")
           << stringifyInputPrecision(getInputPrecision())
           << " applies to f32 inputs only";
  return success();
}

namespace {
/// `x + dot(a, b, 0)` (with the dot used only there) is `dot(a, b, x)`:
/// Triton code often writes `acc += tl.dot(a, b)`, and a dot that
/// accumulates into its loop-carried value is what the tensor-core
/// pipelines recognize. Not for a bounded imprecise accumulation (float8),
/// whose promotion points would move.
template <typename AddOp>
struct FoldAddIntoDotAccumulator : OpRewritePattern<AddOp> {
  using OpRewritePattern<AddOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp add,
                                PatternRewriter &rewriter) const override {
    for (unsigned i = 0; i < 2; ++i) {
      auto dot = add->getOperand(i).template getDefiningOp<DotOp>();
      Value other = add->getOperand(1 - i);
      if (!dot || !dot->hasOneUse() || dot.getMaxNumImpreciseAcc() != 0 ||
          other.getType() != dot.getType())
        continue;
      bool zero = isa<FloatType>(getElementTypeOrSelf(dot.getType()))
                      ? matchPattern(dot.getAcc(), m_AnyZeroFloat())
                      : matchPattern(dot.getAcc(), m_Zero());
      if (!zero)
        continue;
      rewriter.replaceOpWithNewOp<DotOp>(
          add, TypeRange{dot.getType()},
          ValueRange{dot.getA(), dot.getB(), other}, dot->getAttrs());
      rewriter.eraseOp(dot);
      return success();
    }
    return failure();
  }
};
} // namespace

/// f16 bits of float8 codes `codes` (an i8 tensor) in `format`, exactly:
/// e5m2 is the high byte of an f16; e4m3's sign, exponent and mantissa
/// shifted into f16's places give the value times 2^-8 (its exponent bias is
/// 7, f16's 15; subnormals included), so one multiply by 256 restores it,
/// and e4m3's only NaN code (S.1111.111) becomes an f16 NaN.
static Value decodeFloat8(OpBuilder &b, Location loc, Value codes,
                          Float8Format format) {
  auto type = cast<RankedTensorType>(codes.getType());
  auto withElement = [&](Type elem) {
    return RankedTensorType::get(type.getShape(), elem, type.getEncoding());
  };
  Type i16Type = withElement(b.getI16Type()), f16Type = withElement(b.getF16Type());
  auto splat = [&](Type t, Attribute value) -> Value {
    return arith::ConstantOp::create(
        b, loc, t, DenseElementsAttr::get(cast<ShapedType>(t), value));
  };
  auto i16 = [&](int64_t v) { return splat(i16Type, b.getI16IntegerAttr(v)); };
  Value wide = arith::ExtUIOp::create(b, loc, i16Type, codes);
  if (format == Float8Format::E5M2)
    return arith::BitcastOp::create(
        b, loc, f16Type, arith::ShLIOp::create(b, loc, wide, i16(8)));
  Value sign = arith::ShLIOp::create(
      b, loc, arith::AndIOp::create(b, loc, wide, i16(0x80)), i16(8));
  Value magnitude = arith::AndIOp::create(b, loc, wide, i16(0x7F));
  Value bits = arith::OrIOp::create(
      b, loc, sign, arith::ShLIOp::create(b, loc, magnitude, i16(7)));
  Value scaled = arith::MulFOp::create(
      b, loc, arith::BitcastOp::create(b, loc, f16Type, bits),
      splat(f16Type, b.getF16FloatAttr(256.0)));
  Value isNaN = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                      magnitude, i16(0x7F));
  Value nan = splat(f16Type, b.getF16FloatAttr(
                                 std::numeric_limits<float>::quiet_NaN()));
  return arith::SelectOp::create(b, loc, isNaN, nan, scaled);
}

void DotOp::widenFloat8Operands(OpBuilder &builder) {
  if (!isFloat8())
    return;
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPoint(*this);
  getAMutable().assign(decodeFloat8(builder, getLoc(), getA(), getAFloat8()));
  getBMutable().assign(decodeFloat8(builder, getLoc(), getB(), getBFloat8()));
  setAFloat8(Float8Format::None);
  setBFloat8(Float8Format::None);
}

void DotOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<FoldAddIntoDotAccumulator<arith::AddFOp>,
              FoldAddIntoDotAccumulator<arith::AddIOp>>(context);
}

//===----------------------------------------------------------------------===//
// PrintOp
//===----------------------------------------------------------------------===//

LogicalResult PrintOp::verify() {
  if (getPids().size() != 3)
    return emitOpError("needs the 3 program ids, got ") << getPids().size();
  if (getIsSigned().size() != getArgs().size())
    return emitOpError("is_signed must have one entry per value");
  std::optional<ArrayRef<int64_t>> shape;
  for (Type t : getArgs().getTypes()) {
    if (isa<PointerType>(getElementTypeOrSelf(t)))
      return emitOpError("cannot print pointers");
    auto tensor = dyn_cast<RankedTensorType>(t);
    if (!tensor)
      continue;
    if (shape && *shape != tensor.getShape())
      return emitOpError("tensor values must share one shape");
    shape = tensor.getShape();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// TransOp
//===----------------------------------------------------------------------===//

LogicalResult TransOp::verify() {
  auto srcType = getSrc().getType();
  ArrayRef<int32_t> order = getOrder();
  if (int64_t(order.size()) != srcType.getRank())
    return emitOpError("order must list ") << srcType.getRank()
                                           << " dimensions";
  if (getType().getRank() != srcType.getRank())
    return emitOpError("result must have the source's rank, ")
           << srcType.getRank() << ", got " << getType().getRank();
  SmallVector<int32_t> sorted(order);
  llvm::sort(sorted);
  for (auto [i, d] : llvm::enumerate(sorted))
    if (d != int32_t(i))
      return emitOpError("order must be a permutation of the dimensions");
  for (auto [i, d] : llvm::enumerate(order))
    if (getType().getDimSize(i) != srcType.getDimSize(d))
      return emitOpError("result dimension ")
             << i << " must be source dimension " << d;
  return success();
}

OpFoldResult TransOp::fold(FoldAdaptor adaptor) {
  for (auto [i, d] : llvm::enumerate(getOrder()))
    if (d != int32_t(i))
      return {};
  return getSrc();
}

//===----------------------------------------------------------------------===//
// AddPtrOp
//===----------------------------------------------------------------------===//

LogicalResult AddPtrOp::verify() {
  auto ptrTensor = dyn_cast<RankedTensorType>(getPtr().getType());
  auto offTensor = dyn_cast<RankedTensorType>(getOffset().getType());
  if (bool(ptrTensor) != bool(offTensor))
    return emitOpError("pointer and offset must both be scalars or both be "
                       "tensors");
  if (ptrTensor && ptrTensor.getShape() != offTensor.getShape())
    return emitOpError("offset shape must match the pointer shape");
  return verifyTileShape(*this, getType());
}

OpFoldResult AddPtrOp::fold(FoldAdaptor adaptor) {
  if (matchPattern(getOffset(), m_Zero()))
    return getPtr();
  return {};
}

//===----------------------------------------------------------------------===//
// Atomics
//===----------------------------------------------------------------------===//

/// Which element types an atomic kind accepts.
static LogicalResult verifyAtomicElement(Operation *op, RMWKind kind,
                                         Type elem) {
  bool isFloat = isa<FloatType>(elem);
  bool isInt = isa<IntegerType>(elem) && elem.getIntOrFloatBitWidth() >= 32;
  switch (kind) {
  case RMWKind::FAdd:
    if (isFloat && !elem.isF16() && !elem.isBF16() && !elem.isF32() &&
        !elem.isF64())
      return op->emitOpError("fadd takes f16, bf16, f32 or f64");
    if (!isFloat)
      return op->emitOpError("fadd needs a floating-point element type, got ")
             << elem;
    return success();
  case RMWKind::Xchg:
    if (isInt || elem.isF32() || elem.isF64())
      return success();
    return op->emitOpError("xchg takes 32- or 64-bit elements, got ") << elem;
  default:
    if (!isInt)
      return op->emitOpError("integer atomics take i32 or i64 elements, got ")
             << elem;
    return success();
  }
}

LogicalResult AtomicRMWOp::verify() {
  return verifyAtomicElement(*this, getKind(),
                             getElementTypeOrSelf(getVal().getType()));
}

LogicalResult AtomicCASOp::verify() {
  // 16-bit too, as Triton (PTX atom.cas.b16; LLVM widens it elsewhere).
  Type elem = getElementTypeOrSelf(getVal().getType());
  unsigned bits = isa<PointerType>(elem) ? 0 : elem.getIntOrFloatBitWidth();
  if (bits != 16 && bits != 32 && bits != 64)
    return emitOpError("compare-and-swap takes 16-, 32- or 64-bit elements, got ")
           << elem;
  return success();
}

//===----------------------------------------------------------------------===//
// ReduceOp
//===----------------------------------------------------------------------===//

/// Checks a reduce or scan: axis, one result per operand of the shape
/// `resultShape` gives, and a combine region over the element types.
static LogicalResult verifyCombiner(
    Operation *op, ValueRange srcs, ValueRange results, int64_t axis,
    Region &region,
    function_ref<SmallVector<int64_t>(ArrayRef<int64_t>)> resultShape) {
  if (srcs.empty())
    return op->emitOpError("needs at least one operand");
  auto srcType = cast<RankedTensorType>(srcs[0].getType());
  if (axis < 0 || axis >= srcType.getRank())
    return op->emitOpError("axis ") << axis << " is out of range for rank "
                                    << srcType.getRank();
  if (results.size() != srcs.size())
    return op->emitOpError("needs one result per operand");
  SmallVector<int64_t> shape = resultShape(srcType.getShape());
  unsigned n = srcs.size();
  Block &body = region.front();
  if (body.getNumArguments() != 2 * n)
    return op->emitOpError("the combine region takes ")
           << 2 * n << " scalars (accumulators, then elements), got "
           << body.getNumArguments();
  auto ret = cast<ReduceReturnOp>(body.getTerminator());
  if (ret.getResult().size() != n)
    return ret.emitOpError("must return ") << n << " values";
  for (unsigned i = 0; i < n; ++i) {
    Type elem = cast<RankedTensorType>(srcs[i].getType()).getElementType();
    Type expected =
        shape.empty() ? elem : Type(RankedTensorType::get(shape, elem));
    Type actual = results[i].getType();
    if (auto t = dyn_cast<RankedTensorType>(actual))
      actual = RankedTensorType::get(t.getShape(), t.getElementType());
    if (actual != expected)
      return op->emitOpError("result ") << i << " must be " << expected;
    if (body.getArgument(i).getType() != elem ||
        body.getArgument(n + i).getType() != elem)
      return op->emitOpError("combine region argument types must be the "
                             "operands' element types");
    if (ret.getResult()[i].getType() != elem)
      return ret.emitOpError("returns ") << ret.getResult()[i].getType()
                                         << " for operand " << i
                                         << " of element type " << elem;
  }
  return success();
}

LogicalResult ReduceOp::verifyRegions() {
  int64_t axis = getAxisAttr().getInt();
  return verifyCombiner(*this, getSrcs(), getResults(), axis, getCombineOp(),
                        [&](ArrayRef<int64_t> shape) {
                          SmallVector<int64_t> out(shape);
                          out.erase(out.begin() + axis);
                          return out;
                        });
}

LogicalResult ScanOp::verifyRegions() {
  return verifyCombiner(*this, getSrcs(), getResults(),
                        getAxisAttr().getInt(), getCombineOp(),
                        [](ArrayRef<int64_t> shape) {
                          return SmallVector<int64_t>(shape);
                        });
}

//===----------------------------------------------------------------------===//
// LoadOp
//===----------------------------------------------------------------------===//

//===----------------------------------------------------------------------===//
// LoadOp, StoreOp
//===----------------------------------------------------------------------===//

LogicalResult LoadOp::verify() {
  auto ptrType = dyn_cast<RankedTensorType>(getPtr().getType());
  if (getTensormap() && (!ptrType || getCoords().size() != size_t(ptrType.getRank())))
    return emitOpError("a tensor map load takes one coordinate per dimension "
                       "of its block");
  if (!getTensormap() && !getCoords().empty())
    return emitOpError("coordinates without a tensor map");
  switch (getCache()) {
  case CacheModifier::None:
  case CacheModifier::CA:
  case CacheModifier::CG:
  case CacheModifier::CS:
  case CacheModifier::CV:
    return success();
  default:
    return emitOpError("cache modifier ")
           << stringifyCacheModifier(getCache())
           << " applies to stores, not loads (ca, cg, cs, cv)";
  }
}

LogicalResult StoreOp::verify() {
  switch (getCache()) {
  case CacheModifier::None:
  case CacheModifier::WB:
  case CacheModifier::CG:
  case CacheModifier::CS:
  case CacheModifier::WT:
    return success();
  default:
    return emitOpError("cache modifier ")
           << stringifyCacheModifier(getCache())
           << " applies to loads, not stores (wb, cg, cs, wt)";
  }
}

#define GET_OP_CLASSES
#include "dialects/Tile/IR/TileOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Float8EncodeOp
//===----------------------------------------------------------------------===//

LogicalResult Float8EncodeOp::verify() {
  if (getFormat() == Float8Format::None)
    return emitOpError("needs a float8 format (e4m3 or e5m2)");
  return success();
}

/// One float32 rounded as float8_encode rounds it (APFloat's nearest-even
/// conversion; overflow and infinities saturate, NaN keeps its sign).
static uint8_t encodeFloat8(const APFloat &x, Float8Format format) {
  bool e4m3 = format == Float8Format::E4M3;
  const llvm::fltSemantics &semantics =
      e4m3 ? APFloat::Float8E4M3FN() : APFloat::Float8E5M2();
  uint8_t sign = x.isNegative() ? 0x80 : 0;
  if (x.isNaN())
    return sign | 0x7F;
  uint8_t maxFinite = e4m3 ? 0x7E : 0x7B;
  APFloat v = x;
  bool lost = false;
  APFloat::opStatus status =
      v.convert(semantics, APFloat::rmNearestTiesToEven, &lost);
  if ((status & APFloat::opOverflow) || v.isInfinity() || v.isNaN())
    return sign | maxFinite;
  return uint8_t(v.bitcastToAPInt().getZExtValue());
}

OpFoldResult Float8EncodeOp::fold(FoldAdaptor adaptor) {
  Type i8 = IntegerType::get(getContext(), 8);
  auto code = [&](const APFloat &x) {
    return APInt(8, encodeFloat8(x, getFormat()));
  };
  if (auto scalar = dyn_cast_or_null<FloatAttr>(adaptor.getSrc()))
    return IntegerAttr::get(i8, code(scalar.getValue()));
  auto dense = dyn_cast_or_null<DenseFPElementsAttr>(adaptor.getSrc());
  if (!dense)
    return {};
  auto type = cast<ShapedType>(getType());
  if (dense.isSplat())
    return DenseElementsAttr::get(type, code(dense.getSplatValue<APFloat>()));
  SmallVector<APInt> codes;
  for (const APFloat &x : dense.getValues<APFloat>())
    codes.push_back(code(x));
  return DenseElementsAttr::get(type, codes);
}

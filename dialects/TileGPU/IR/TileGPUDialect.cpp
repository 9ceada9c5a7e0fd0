//===- TileGPUDialect.cpp - layouts and layout ops ------------------------===//
#include "dialects/TileGPU/IR/TileGPUDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace tessel::tilegpu;

#include "dialects/TileGPU/IR/TileGPUDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/TileGPU/IR/TileGPUAttrs.cpp.inc"

void TileGPUDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/TileGPU/IR/TileGPUAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "dialects/TileGPU/IR/TileGPUOps.cpp.inc"
      >();
}

Operation *TileGPUDialect::materializeConstant(OpBuilder &builder,
                                               Attribute value, Type type,
                                               Location loc) {
  return arith::ConstantOp::materialize(builder, value, type, loc);
}

LogicalResult
SliceLayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                        unsigned dim, Attribute parent) {
  if (!isa<BlockedLayoutAttr, SliceLayoutAttr>(parent))
    return emitError() << "the parent of a slice layout must be a layout, got "
                       << parent;
  return success();
}

LogicalResult
BlockedLayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                          ArrayRef<unsigned> sizePerThread,
                          ArrayRef<unsigned> threadsPerWarp,
                          ArrayRef<unsigned> warpsPerCTA,
                          ArrayRef<unsigned> order) {
  size_t rank = sizePerThread.size();
  if (threadsPerWarp.size() != rank || warpsPerCTA.size() != rank ||
      order.size() != rank)
    return emitError() << "blocked layout parameters must all have rank "
                       << rank;
  for (auto params : {sizePerThread, threadsPerWarp, warpsPerCTA})
    for (unsigned v : params)
      if (v == 0 || !llvm::isPowerOf2_32(v))
        return emitError() << "blocked layout sizes must be powers of two";
  SmallVector<unsigned> sorted(order);
  llvm::sort(sorted);
  for (unsigned i = 0; i < rank; ++i)
    if (sorted[i] != i)
      return emitError() << "blocked layout order must be a permutation";
  return success();
}

static FailureOr<LinearLayout> blockedToLinear(BlockedLayoutAttr blocked,
                                               ArrayRef<int64_t> shape) {
  unsigned rank = shape.size();
  if (blocked.getOrder().size() != rank)
    return failure();
  LinearLayout layout(shape);
  auto addBits = [&](LinearLayout::InDim in, unsigned dim, int64_t count,
                     int64_t stride) {
    for (int64_t step = 1; step < count; step *= 2) {
      LinearLayout::Coord basis(rank, 0);
      int64_t value = stride * step;
      // Past the end of a dimension the layout wraps: replicated data.
      basis[dim] = value < shape[dim] ? value : 0;
      layout.addBasis(in, basis);
    }
  };
  SmallVector<int64_t> tile(rank);
  for (unsigned dim : blocked.getOrder())
    addBits(LinearLayout::Register, dim, blocked.getSizePerThread()[dim], 1);
  for (unsigned dim : blocked.getOrder())
    addBits(LinearLayout::Lane, dim, blocked.getThreadsPerWarp()[dim],
            blocked.getSizePerThread()[dim]);
  for (unsigned dim : blocked.getOrder()) {
    int64_t perWarp =
        blocked.getSizePerThread()[dim] * blocked.getThreadsPerWarp()[dim];
    addBits(LinearLayout::Warp, dim, blocked.getWarpsPerCTA()[dim], perWarp);
    tile[dim] = perWarp * blocked.getWarpsPerCTA()[dim];
  }
  // Shapes larger than the tile repeat it in more registers.
  for (unsigned dim : blocked.getOrder())
    if (shape[dim] > tile[dim])
      addBits(LinearLayout::Register, dim, shape[dim] / tile[dim], tile[dim]);
  return layout;
}

FailureOr<LinearLayout> tessel::tilegpu::toLinearLayout(Attribute layout,
                                                        ArrayRef<int64_t> shape) {
  if (auto blocked = dyn_cast_or_null<BlockedLayoutAttr>(layout))
    return blockedToLinear(blocked, shape);
  if (auto slice = dyn_cast_or_null<SliceLayoutAttr>(layout)) {
    if (slice.getDim() > shape.size())
      return failure();
    SmallVector<int64_t> parentShape(shape);
    parentShape.insert(parentShape.begin() + slice.getDim(), 1);
    auto parent = toLinearLayout(slice.getParent(), parentShape);
    if (failed(parent))
      return failure();
    return parent->dropDim(slice.getDim());
  }
  return failure();
}

BlockedLayoutAttr tessel::tilegpu::getDefaultBlockedLayout(
    MLIRContext *ctx, ArrayRef<int64_t> shape, unsigned numWarps,
    unsigned threadsPerWarp, unsigned vec, ArrayRef<unsigned> fastestFirst) {
  unsigned rank = shape.size();
  SmallVector<unsigned> order(fastestFirst), spt(rank, 1), tpw(rank, 1),
      wpc(rank, 1);
  if (order.empty())
    for (int d = rank - 1; d >= 0; --d)
      order.push_back(d);
  unsigned fastest = order[0];
  spt[fastest] = std::max<int64_t>(1, std::min<int64_t>(vec, shape[fastest]));
  // Lanes then warps go to the fastest dimensions first; leftovers replicate
  // along the slowest dimension.
  SmallVector<int64_t> remaining(shape);
  remaining[fastest] = std::max<int64_t>(1, remaining[fastest] / spt[fastest]);
  auto distribute = [&](SmallVector<unsigned> &counts, unsigned total) {
    for (unsigned dim : order) {
      unsigned n = std::min<int64_t>(total, remaining[dim]);
      n = std::max(1u, n);
      counts[dim] = n;
      total /= n;
      remaining[dim] = std::max<int64_t>(1, remaining[dim] / n);
    }
    counts[order.back()] *= total;
  };
  distribute(tpw, threadsPerWarp);
  distribute(wpc, numWarps);
  return BlockedLayoutAttr::get(ctx, spt, tpw, wpc, order);
}

OpFoldResult ConvertLayoutOp::fold(FoldAdaptor adaptor) {
  if (getSrc().getType() == getType())
    return getSrc();
  if (auto splat = dyn_cast_or_null<SplatElementsAttr>(adaptor.getSrc()))
    return SplatElementsAttr::get(getType(), splat.getSplatValue<Attribute>());
  return {};
}

#define GET_OP_CLASSES
#include "dialects/TileGPU/IR/TileGPUOps.cpp.inc"

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
  if (!isa<BlockedLayoutAttr, SliceLayoutAttr, MmaLayoutAttr, MfmaLayoutAttr>(
          parent))
    return emitError() << "the parent of a slice layout must be a layout, got "
                       << parent;
  return success();
}

LogicalResult
MmaLayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      unsigned version, ArrayRef<unsigned> warpsPerCTA) {
  if (version != 2 && version != 3)
    return emitError() << "mma versions are 2 (mma.sync) and 3 (wgmma), got "
                       << version;
  if (warpsPerCTA.size() != 2)
    return emitError() << "an mma layout is 2-D: warpsPerCTA needs 2 sizes";
  if (version == 3 && (warpsPerCTA[1] != 1 || warpsPerCTA[0] % 4))
    return emitError() << "wgmma layouts put all warps along M, in whole "
                          "warpgroups: warpsPerCTA = [4k, 1]";
  for (unsigned w : warpsPerCTA)
    if (w == 0 || !llvm::isPowerOf2_32(w) || w > 1024)
      return emitError() << "mma warpsPerCTA must be powers of two up to 1024";
  return success();
}

LogicalResult
MfmaLayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                       unsigned nonKDim, ArrayRef<unsigned> warpsPerCTA) {
  if (nonKDim != 16 && nonKDim != 32)
    return emitError() << "mfma nonKDim is 16 or 32, got " << nonKDim;
  if (warpsPerCTA.size() != 2)
    return emitError() << "an mfma layout is 2-D: warpsPerCTA needs 2 sizes";
  for (unsigned w : warpsPerCTA)
    if (w == 0 || !llvm::isPowerOf2_32(w) || w > 16)
      return emitError() << "mfma warpsPerCTA must be powers of two up to 16";
  return success();
}

std::pair<unsigned, unsigned> tessel::tilegpu::splitWarps(unsigned warps,
                                                          int64_t m, int64_t n,
                                                          int64_t tileM,
                                                          int64_t tileN) {
  unsigned wm = 1, wn = 1;
  while (wm * wn < warps) {
    int64_t tilesM = m / (tileM * wm), tilesN = n / (tileN * wn);
    if (tilesM >= tilesN && tilesM > 1)
      wm *= 2;
    else if (tilesN > 1)
      wn *= 2;
    else
      wm *= 2;
  }
  return {wm, wn};
}

bool tessel::tilegpu::isMatrixInstructionLayout(Attribute layout) {
  return isa_and_nonnull<MmaLayoutAttr, MfmaLayoutAttr>(layout);
}

LogicalResult
DotOperandLayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                             unsigned opIdx, Attribute parent,
                             unsigned kWidth) {
  if (opIdx > 1)
    return emitError() << "opIdx is 0 (A) or 1 (B), got " << opIdx;
  if (isa<MfmaLayoutAttr>(parent)) {
    if (kWidth != 1 && kWidth != 4 && kWidth != 8)
      return emitError() << "kWidth of an mfma operand is 1, 4 or 8, got "
                         << kWidth;
    return success();
  }
  if (!isa<MmaLayoutAttr>(parent))
    return emitError() << "the parent of a dot operand layout must be an mma "
                          "or mfma layout, got "
                       << parent;
  if (kWidth != 1 && kWidth != 2 && kWidth != 4)
    return emitError() << "kWidth is 1, 2 or 4, got " << kWidth;
  return success();
}

LogicalResult BlockedLayoutAttr::verify(
    function_ref<InFlightDiagnostic()> emitError,
    ArrayRef<unsigned> sizePerThread, ArrayRef<unsigned> threadsPerWarp,
    ArrayRef<unsigned> warpsPerCTA, ArrayRef<unsigned> order) {
  size_t rank = sizePerThread.size();
  if (threadsPerWarp.size() != rank || warpsPerCTA.size() != rank ||
      order.size() != rank)
    return emitError() << "blocked layout parameters must all have rank "
                       << rank;
  for (auto params : {sizePerThread, threadsPerWarp, warpsPerCTA})
    for (unsigned v : params)
      if (v == 0 || !llvm::isPowerOf2_32(v))
        return emitError() << "blocked layout sizes must be powers of two";
  // Bounded so that the layout's products stay exact (a tile has at most
  // 2^20 elements, a program at most 1024 threads).
  for (size_t d = 0; d < rank; ++d)
    if (uint64_t(sizePerThread[d]) * threadsPerWarp[d] * warpsPerCTA[d] >
        (uint64_t(1) << 30))
      return emitError() << "blocked layout covers more than 2^30 elements "
                            "along dimension "
                         << d;
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

namespace {
/// Builds a linear layout bit by bit; past the end of a dimension a basis
/// wraps to zero (replicated data), as in blocked layouts.
struct BasisBuilder {
  LinearLayout layout;
  explicit BasisBuilder(ArrayRef<int64_t> shape) : layout(shape) {}
  void add(LinearLayout::InDim in, unsigned dim, int64_t value) {
    LinearLayout::Coord basis(layout.getRank(), 0);
    basis[dim] = value < layout.getShape()[dim] ? value : 0;
    layout.addBasis(in, basis);
  }
  /// Bits for `count` steps of `stride` along `dim` (count a power of two).
  void addSteps(LinearLayout::InDim in, unsigned dim, int64_t count,
                int64_t stride) {
    for (int64_t step = 1; step < count; step *= 2)
      add(in, dim, stride * step);
  }
  void addZero(LinearLayout::InDim in, int64_t count) {
    for (int64_t step = 1; step < count; step *= 2)
      layout.addBasis(in, LinearLayout::Coord(layout.getRank(), 0));
  }
};
} // namespace

/// mma.sync accumulators (m16n8): per 16x8 tile, register bit 0 -> column
/// + 1, lane bits 0-1 -> columns + 2, + 4, lane bits 2-4 -> rows + 1, 2, 4,
/// register bit 1 -> row + 8; warps (M bits, then N bits) tile 16 wm x
/// 8 wn; repeats along N, then M, in higher register bits.
static FailureOr<LinearLayout> mmaToLinear(MmaLayoutAttr mma,
                                           ArrayRef<int64_t> shape) {
  if (shape.size() != 2)
    return failure();
  unsigned wm = mma.getWarpsPerCTA()[0], wn = mma.getWarpsPerCTA()[1];
  BasisBuilder b(shape);
  b.add(LinearLayout::Register, 1, 1);
  b.add(LinearLayout::Register, 0, 8);
  b.addSteps(LinearLayout::Lane, 1, 4, 2);
  b.addSteps(LinearLayout::Lane, 0, 8, 1);
  b.addSteps(LinearLayout::Warp, 0, wm, 16);
  b.addSteps(LinearLayout::Warp, 1, wn, 8);
  b.addSteps(LinearLayout::Register, 1,
             std::max<int64_t>(1, shape[1] / (8 * wn)), 8 * wn);
  b.addSteps(LinearLayout::Register, 0,
             std::max<int64_t>(1, shape[0] / (16 * wm)), 16 * wm);
  return b.layout;
}

/// MFMA accumulators (64 lanes). nonKDim 32: register bits 0-1 -> rows +1,
/// +2, bits 2-3 -> rows +8, +16; lane bits 0-4 -> columns, bit 5 -> row + 4.
/// nonKDim 16: register bits -> rows +1, +2; lane bits 0-3 -> columns, bits
/// 4-5 -> rows +4, +8. Waves (M bits, then N bits) tile nonKDim wm x
/// nonKDim wn; repeats along N, then M, in higher register bits.
static FailureOr<LinearLayout> mfmaToLinear(MfmaLayoutAttr mfma,
                                            ArrayRef<int64_t> shape) {
  if (shape.size() != 2)
    return failure();
  int64_t d = mfma.getNonKDim();
  unsigned wm = mfma.getWarpsPerCTA()[0], wn = mfma.getWarpsPerCTA()[1];
  BasisBuilder b(shape);
  b.addSteps(LinearLayout::Register, 0, 4, 1);
  if (d == 32)
    b.addSteps(LinearLayout::Register, 0, 4, 8);
  b.addSteps(LinearLayout::Lane, 1, d, 1);
  b.addSteps(LinearLayout::Lane, 0, 64 / d, 4);
  b.addSteps(LinearLayout::Warp, 0, wm, d);
  b.addSteps(LinearLayout::Warp, 1, wn, d);
  b.addSteps(LinearLayout::Register, 1,
             std::max<int64_t>(1, shape[1] / (d * wn)), d * wn);
  b.addSteps(LinearLayout::Register, 0,
             std::max<int64_t>(1, shape[0] / (d * wm)), d * wm);
  return b.layout;
}

/// MFMA operands, with k = the K dimension and x = M (A) or N (B): register
/// bits for kWidth consecutive k; lane bits for x (nonKDim of them), the
/// rest step k by kWidth (one instruction: K = kWidth * 64 / nonKDim). Waves
/// follow the parent's bits (zero along the other operand's dimension);
/// repeats go along K, then along x.
static FailureOr<LinearLayout> mfmaOperandToLinear(DotOperandLayoutAttr op,
                                                   MfmaLayoutAttr mfma,
                                                   ArrayRef<int64_t> shape) {
  if (shape.size() != 2)
    return failure();
  int64_t d = mfma.getNonKDim(), kWidth = op.getKWidth();
  unsigned wm = mfma.getWarpsPerCTA()[0], wn = mfma.getWarpsPerCTA()[1];
  bool isA = op.getOpIdx() == 0;
  unsigned kDim = isA ? 1 : 0, xDim = isA ? 0 : 1;
  int64_t instrK = kWidth * (64 / d);
  BasisBuilder b(shape);
  b.addSteps(LinearLayout::Register, kDim, kWidth, 1);
  b.addSteps(LinearLayout::Lane, xDim, d, 1);
  b.addSteps(LinearLayout::Lane, kDim, 64 / d, kWidth);
  if (isA) {
    b.addSteps(LinearLayout::Warp, 0, wm, d);
    b.addZero(LinearLayout::Warp, wn);
  } else {
    b.addZero(LinearLayout::Warp, wm);
    b.addSteps(LinearLayout::Warp, 1, wn, d);
  }
  unsigned warpsX = isA ? wm : wn;
  b.addSteps(LinearLayout::Register, kDim,
             std::max<int64_t>(1, shape[kDim] / instrK), instrK);
  b.addSteps(LinearLayout::Register, xDim,
             std::max<int64_t>(1, shape[xDim] / (d * warpsX)), d * warpsX);
  return b.layout;
}

/// mma.sync operands. With k = the K dimension and x = M (A) or N (B):
/// register bits for kWidth consecutive k (one 32-bit register), then for
/// A a register bit for x + 8, then a register bit for k + 4 kWidth; lane
/// bits 0-1 -> k + kWidth, + 2 kWidth; lane bits 2-4 -> x + 1, 2, 4. Warps
/// follow the parent's bits (zero along the other operand's dimension);
/// repeats go along K, then along x.
static FailureOr<LinearLayout> dotOperandToLinear(DotOperandLayoutAttr op,
                                                  ArrayRef<int64_t> shape) {
  if (shape.size() != 2)
    return failure();
  if (auto mfma = dyn_cast<MfmaLayoutAttr>(op.getParent()))
    return mfmaOperandToLinear(op, mfma, shape);
  auto mma = cast<MmaLayoutAttr>(op.getParent());
  unsigned wm = mma.getWarpsPerCTA()[0], wn = mma.getWarpsPerCTA()[1];
  int64_t kWidth = op.getKWidth();
  bool isA = op.getOpIdx() == 0;
  unsigned kDim = isA ? 1 : 0, xDim = isA ? 0 : 1;
  int64_t xTile = isA ? 16 : 8, instrK = 8 * kWidth;
  BasisBuilder b(shape);
  b.addSteps(LinearLayout::Register, kDim, kWidth, 1);
  if (isA)
    b.add(LinearLayout::Register, xDim, 8);
  b.add(LinearLayout::Register, kDim, 4 * kWidth);
  b.addSteps(LinearLayout::Lane, kDim, 4, kWidth);
  b.addSteps(LinearLayout::Lane, xDim, 8, 1);
  if (isA) {
    b.addSteps(LinearLayout::Warp, 0, wm, 16);
    b.addZero(LinearLayout::Warp, wn);
  } else {
    b.addZero(LinearLayout::Warp, wm);
    b.addSteps(LinearLayout::Warp, 1, wn, 8);
  }
  unsigned warpsX = isA ? wm : wn;
  b.addSteps(LinearLayout::Register, kDim,
             std::max<int64_t>(1, shape[kDim] / instrK), instrK);
  b.addSteps(LinearLayout::Register, xDim,
             std::max<int64_t>(1, shape[xDim] / (xTile * warpsX)),
             xTile * warpsX);
  return b.layout;
}

FailureOr<LinearLayout>
tessel::tilegpu::toLinearLayout(Attribute layout, ArrayRef<int64_t> shape) {
  if (auto blocked = dyn_cast_or_null<BlockedLayoutAttr>(layout))
    return blockedToLinear(blocked, shape);
  if (auto mma = dyn_cast_or_null<MmaLayoutAttr>(layout))
    return mmaToLinear(mma, shape);
  if (auto mfma = dyn_cast_or_null<MfmaLayoutAttr>(layout))
    return mfmaToLinear(mfma, shape);
  if (auto op = dyn_cast_or_null<DotOperandLayoutAttr>(layout))
    return dotOperandToLinear(op, shape);
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

/// The tensor-encoding check every layout shares: its linear layout exists
/// for `shape` (ranks agree, the parent of a slice fits, ...).
static LogicalResult
verifyLayoutFits(Attribute layout, ArrayRef<int64_t> shape,
                 function_ref<InFlightDiagnostic()> emitError) {
  unsigned rank = shape.size();
  bool ranksAgree = true;
  if (auto blocked = dyn_cast<BlockedLayoutAttr>(layout))
    ranksAgree = blocked.getSizePerThread().size() == rank &&
                 blocked.getThreadsPerWarp().size() == rank &&
                 blocked.getWarpsPerCTA().size() == rank &&
                 blocked.getOrder().size() == rank;
  else if (isa<MmaLayoutAttr, MfmaLayoutAttr, DotOperandLayoutAttr>(layout))
    ranksAgree = rank == 2;
  if (!ranksAgree || failed(toLinearLayout(layout, shape))) {
    std::string dims;
    for (int64_t d : shape)
      dims += (dims.empty() ? "" : "x") + std::to_string(d);
    return emitError() << "layout " << layout
                       << " does not fit a tensor of shape "
                       << (dims.empty() ? "()" : dims);
  }
  return success();
}

LogicalResult BlockedLayoutAttr::verifyEncoding(
    ArrayRef<int64_t> shape, Type,
    function_ref<InFlightDiagnostic()> emitError) const {
  return verifyLayoutFits(*this, shape, emitError);
}
LogicalResult SliceLayoutAttr::verifyEncoding(
    ArrayRef<int64_t> shape, Type,
    function_ref<InFlightDiagnostic()> emitError) const {
  return verifyLayoutFits(*this, shape, emitError);
}
LogicalResult MmaLayoutAttr::verifyEncoding(
    ArrayRef<int64_t> shape, Type,
    function_ref<InFlightDiagnostic()> emitError) const {
  return verifyLayoutFits(*this, shape, emitError);
}
LogicalResult MfmaLayoutAttr::verifyEncoding(
    ArrayRef<int64_t> shape, Type,
    function_ref<InFlightDiagnostic()> emitError) const {
  return verifyLayoutFits(*this, shape, emitError);
}
LogicalResult DotOperandLayoutAttr::verifyEncoding(
    ArrayRef<int64_t> shape, Type,
    function_ref<InFlightDiagnostic()> emitError) const {
  return verifyLayoutFits(*this, shape, emitError);
}

std::optional<unsigned> tessel::tilegpu::mmaSyncKWidth(Type in, Type acc) {
  if ((in.isF16() && (acc.isF32() || acc.isF16())) ||
      (in.isBF16() && acc.isF32()))
    return 2;
  if (in.isF32() && acc.isF32())
    return 1;
  if (in.isInteger(8) && acc.isInteger(32))
    return 4;
  return std::nullopt;
}

std::optional<unsigned> tessel::tilegpu::mfmaKWidth(Type in, Type acc,
                                                    StringRef arch) {
  if (arch != "gfx90a" && arch != "gfx942")
    return std::nullopt;
  if ((in.isF16() || in.isBF16()) && acc.isF32())
    return 4;
  if (in.isInteger(8) && acc.isInteger(32))
    return arch == "gfx942" ? 8 : 4;
  if (in.isF32() && acc.isF32()) // float32 products, float32 sums
    return 1;
  return std::nullopt;
}

int64_t tessel::tilegpu::wgmmaSwizzleBytes(int64_t contiguousElements,
                                           int64_t elementBytes) {
  for (int64_t rowBytes : {128, 64, 32})
    if (contiguousElements > 0 &&
        (contiguousElements * elementBytes) % rowBytes == 0)
      return rowBytes;
  return 0;
}

int64_t tessel::tilegpu::wgmmaElementBytes(Type in, Type acc) {
  if ((in.isF16() || in.isBF16()) && acc.isF32())
    return 2;
  if ((in.isInteger(8) && acc.isInteger(32)) ||
      (isa<Float8E4M3FNType, Float8E5M2Type>(in) && acc.isF32()))
    return 1;
  return 0;
}

Type tessel::tilegpu::wgmmaOperandType(tile::DotOp dot, bool isA) {
  Value operand = isA ? dot.getA() : dot.getB();
  MLIRContext *ctx = dot.getContext();
  switch (isA ? dot.getAFloat8() : dot.getBFloat8()) {
  case tile::Float8Format::E4M3:
    return Float8E4M3FNType::get(ctx);
  case tile::Float8Format::E5M2:
    return Float8E5M2Type::get(ctx);
  case tile::Float8Format::None:
    break;
  }
  return cast<RankedTensorType>(operand.getType()).getElementType();
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

LogicalResult AsyncDotOp::verify() {
  auto mma = dyn_cast<MmaLayoutAttr>(getAcc().getType().getEncoding());
  if (!mma || mma.getVersion() != 3)
    return emitOpError("needs an mma version 3 (wgmma) accumulator");
  if (getNumStages() < 2)
    return emitOpError("needs at least 2 stages, got ") << getNumStages();
  return success();
}

unsigned tessel::tilegpu::launchWarps(ModuleOp module) {
  unsigned warps = 1;
  if (auto w = module->getAttrOfType<IntegerAttr>(kNumWarpsAttr))
    warps = w.getInt();
  if (auto p = module->getAttrOfType<IntegerAttr>(kProducerWarpsAttr))
    warps += p.getInt();
  return warps;
}

static LogicalResult verifyBarriers(Operation *op, int64_t count,
                                    int64_t offset) {
  if (count < 1 || offset < 0 || offset % 8)
    return op->emitOpError("needs at least one mbarrier at a multiple of 8 "
                           "bytes, got ")
           << count << " at " << offset;
  // Lowering emits one statement per barrier: a count past what shared
  // memory holds is a mistake, not a ring (and would take forever).
  if (count > (kSharedMemoryBytesBound - offset) / kMbarrierBytes)
    return op->emitOpError("places ")
           << count << " mbarriers at byte " << offset << ", past the "
           << kSharedMemoryBytesBound << " bytes of shared memory any GPU has";
  return success();
}

LogicalResult MbarrierInitOp::verify() {
  return verifyBarriers(*this, getCount(), getOffset());
}

LogicalResult MbarrierInvalOp::verify() {
  return verifyBarriers(*this, getCount(), getOffset());
}

LogicalResult ClusterPeerMatchOp::verify() {
  if (getOffset() < 0 || getOffset() % 8)
    return emitOpError("exchanges its values at a multiple of 8 bytes, got ")
           << getOffset();
  if (getOffset() + 8 * int64_t(getValues().size()) > kSharedMemoryBytesBound)
    return emitOpError("exchanges its values past the ")
           << kSharedMemoryBytesBound << " bytes of shared memory any GPU has";
  for (Value v : getValues())
    if (!v.getType().isIndex() && v.getType().getIntOrFloatBitWidth() > 64)
      return emitOpError("compares integers of at most 64 bits, got ")
             << v.getType();
  return success();
}

LogicalResult SetMaxRegistersOp::verify() {
  int32_t count = getCount();
  if (count < 24 || count > 256 || count % 8)
    return emitOpError("sets a register count that is a multiple of 8 in "
                       "[24, 256], got ")
           << count;
  return success();
}

LogicalResult TmaCopyOp::verify() {
  if (!isa<tile::TensorMapType>(getTensormap().getType()))
    return emitOpError("copies through a !tile.tensormap, got ")
           << getTensormap().getType();
  auto type = dyn_cast<RankedTensorType>(getTileType());
  unsigned bits = type && type.getElementType().isIntOrFloat()
                      ? tile::getElementBitWidth(type.getElementType())
                      : 0;
  if (!type || type.getRank() != 2 || (bits != 8 && bits != 16))
    return emitOpError("copies 2-D blocks of 8- or 16-bit elements, got ")
           << getTileType();
  if (getCoords().size() != 2)
    return emitOpError("takes one coordinate per dimension of the block");
  if (!wgmmaSwizzleBytes(type.getShape()[1], bits / 8) ||
      type.getShape()[0] > kMaxTmaBoxRows)
    return emitOpError("needs rows of a multiple of 32 bytes and at most ")
           << kMaxTmaBoxRows << " rows, got " << type;
  int64_t bytes = type.getNumElements() * (bits / 8);
  // The swizzle follows address bits: blocks start on its 8-row repeat.
  int64_t repeat = 8 * wgmmaSwizzleBytes(type.getShape()[1], bits / 8);
  if (getOffset() < 0 || getOffset() % repeat || getStageBytes() % repeat ||
      (getStageBytes() > 0 && getOffset() + bytes > getStageBytes()))
    return emitOpError("the block (")
           << bytes << " bytes at offset " << getOffset()
           << ") must start at a "
           << "multiple of " << repeat << " bytes within a stage of "
           << getStageBytes() << " bytes (a multiple of " << repeat << ")";
  return verifyBarriers(*this, 1, getBarrierOffset());
}

LogicalResult StageLoadOp::verify() {
  auto type = getResult().getType();
  // Widths exist for integers and floats only (complex, index: none).
  unsigned bits = type.getElementType().isIntOrFloat()
                      ? tile::getElementBitWidth(type.getElementType())
                      : 0;
  if (type.getRank() != 2 || (bits != 8 && bits != 16))
    return emitOpError("reads 2-D tiles of 8- or 16-bit elements, got ")
           << type;
  if (failed(toLinearLayout(type)))
    return emitOpError("needs a result with a layout");
  // The stored tile's contiguous dimension: the result's first when the
  // read transposes.
  int64_t columns = type.getShape()[getTransposed() ? 0 : 1];
  if (!wgmmaSwizzleBytes(columns, bits / 8))
    return emitOpError("needs a stored tile whose rows are a multiple of 32 "
                       "bytes, got ")
           << columns << " elements";
  int64_t bytes = type.getNumElements() * (bits / 8);
  if (getOffset() < 0 || getOffset() + bytes > getStageBytes() ||
      getNumStages() < 1)
    return emitOpError("the tile (")
           << bytes << " bytes at offset " << getOffset()
           << ") must lie within a stage of " << getStageBytes()
           << " bytes, of at least one stage";
  return success();
}

LogicalResult AsyncCopyOp::verify() {
  auto type = getPtr().getType();
  auto ptr = dyn_cast<tile::PointerType>(type.getElementType());
  unsigned bits = ptr ? tile::getElementBitWidth(ptr.getPointeeType()) : 0;
  if (type.getRank() != 2 || (bits != 8 && bits != 16))
    return emitOpError("copies 2-D tiles of pointers to 8- or 16-bit "
                       "elements, got ")
           << type;
  if (failed(toLinearLayout(type)))
    return emitOpError("needs a pointer tile with a layout");
  if (!wgmmaSwizzleBytes(type.getShape()[1], bits / 8))
    return emitOpError("needs a second dimension of a multiple of 32 bytes, "
                       "got ")
           << type.getShape()[1] << " elements";
  if (Value mask = getMask()) {
    auto maskType = cast<RankedTensorType>(mask.getType());
    if (maskType.getShape() != type.getShape() ||
        !maskType.getElementType().isInteger(1))
      return emitOpError("mask must be i1 of the pointers' shape, got ")
             << maskType;
  }
  int64_t bytes = type.getNumElements() * (bits / 8);
  // stageBytes 0: a fixed region at `offset` (not a ring stage).
  if (getOffset() < 0 || getStageBytes() < 0 ||
      (getStageBytes() > 0 && getOffset() + bytes > getStageBytes()))
    return emitOpError("the tile (")
           << bytes << " bytes at offset " << getOffset()
           << ") must lie within a stage of " << getStageBytes() << " bytes";
  return success();
}

/// The operand rules of a wgmma dot on staged operands (shared_dot,
/// staged_dot): an mma version 3 accumulator, 2-D operands of matching
/// shapes, f16/bf16 into f32 or i8 into i32 (then B K-major), K a multiple
/// of 32 bytes (rows of a 32-, 64- or 128-byte swizzle) and N in wgmma's
/// 8..256 (a multiple of 16 when B is MN-major, whose rows run along N).
static LogicalResult verifyWgmmaOperands(Operation *op, RankedTensorType acc,
                                         Type aType, Type bType, bool bKMajor) {
  auto mma = dyn_cast<MmaLayoutAttr>(acc.getEncoding());
  if (!mma || mma.getVersion() != 3)
    return op->emitOpError("needs an mma version 3 (wgmma) accumulator");
  auto a = dyn_cast<RankedTensorType>(aType);
  auto b = dyn_cast<RankedTensorType>(bType);
  if (!a || !b || a.getRank() != 2 || b.getRank() != 2)
    return op->emitOpError("operand types must be 2-D tensors");
  if (a.getShape()[0] != acc.getShape()[0] ||
      b.getShape()[1] != acc.getShape()[1] ||
      a.getShape()[1] != b.getShape()[0])
    return op->emitOpError("operand shapes ")
           << a << " x " << b << " do not match " << acc;
  Type elem = a.getElementType();
  int64_t elementBytes = wgmmaElementBytes(elem, acc.getElementType());
  auto isFloat8 = [](Type t) {
    return isa<Float8E4M3FNType, Float8E5M2Type>(t);
  };
  bool sameKind = b.getElementType() == elem ||
                  (isFloat8(elem) && isFloat8(b.getElementType()));
  if (!elementBytes || !sameKind)
    return op->emitOpError("operands must both be f16 or bf16 or float8 "
                           "(f32 accumulator) or i8 (i32 accumulator)");
  if (elementBytes == 1 && !bKMajor)
    return op->emitOpError("8-bit operands need a K-major B");
  int64_t k = a.getShape()[1], n = b.getShape()[1];
  if (!wgmmaSwizzleBytes(k, elementBytes) || n % 8 || n > 256 ||
      (!bKMajor && !wgmmaSwizzleBytes(n, elementBytes)))
    return op->emitOpError("needs K a multiple of ")
           << 32 / elementBytes << " and N a multiple of " << (bKMajor ? 8 : 16)
           << " up to 256, got K = " << k << ", N = " << n;
  return success();
}

LogicalResult StagedDotOp::verify() {
  if (failed(verifyWgmmaOperands(*this, getAcc().getType(), getAType(),
                                 getBType(), getBKMajor())))
    return failure();
  int32_t pendings = static_cast<int32_t>(getPendings());
  if (pendings < -1 || pendings > 1)
    return emitOpError("pendings must be -1, 0 or 1, got ") << pendings;
  auto a = cast<RankedTensorType>(getAType());
  auto b = cast<RankedTensorType>(getBType());
  if (getA() &&
      cast<RankedTensorType>(getA().getType()).getShape() != a.getShape())
    return emitOpError("register operand A must have the shape of aType");
  // The swizzle pattern repeats every 1024 bytes (8 rows of 128 bytes).
  for (int64_t offset :
       {getAOffset(), getAStageBytes(), getBOffset(), getBStageBytes()})
    if (offset < 0 || offset % 1024)
      return emitOpError("offsets and stage sizes must be non-negative "
                         "multiples of 1024 bytes, got ")
             << offset;
  int64_t elementBytes = tile::getElementBitWidth(a.getElementType()) / 8;
  int64_t aBytes = a.getNumElements() * elementBytes,
          bBytes = b.getNumElements() * elementBytes;
  // A 16-bit register A in the accumulator's layout is read from registers.
  if (getA() && elementBytes == 2 &&
      cast<RankedTensorType>(getA().getType()).getEncoding() ==
          getAcc().getType().getEncoding())
    aBytes = 0;
  if (getAOffset() + aBytes > getSharedBytes() ||
      getBOffset() + bBytes > getSharedBytes())
    return emitOpError("operand regions end past sharedBytes = ")
           << getSharedBytes();
  return success();
}

LogicalResult SharedDotOp::verify() {
  if (failed(verifyWgmmaOperands(*this, getAcc().getType(), getAType(),
                                 getBType(), /*bKMajor=*/false)))
    return failure();
  if (getNumStages() < 3)
    return emitOpError("needs at least 3 stages, got ") << getNumStages();
  return success();
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

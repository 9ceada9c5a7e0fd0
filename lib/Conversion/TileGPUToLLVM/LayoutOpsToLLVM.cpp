//===- LayoutOpsToLLVM.cpp - ops that place elements in threads -----------===//
//
// make_range, splat, broadcast, expand_dims and convert_layout, all written
// against linear layouts: a register holds the element at
// layout(register) XOR layout(lane) XOR layout(warp).
//
//===----------------------------------------------------------------------===//
#include "PatternUtils.h"
#include "SharedTiles.h"

#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/LLVMIR/ROCDLDialect.h"
#include <functional>

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;
using namespace tessel::llvmutil;

namespace {
template <typename Op> using LayoutPattern = TileGPUOpPattern<Op>;

struct MakeRangeOpLowering : LayoutPattern<tile::MakeRangeOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult
  matchAndRewrite(tile::MakeRangeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    LinearLayout layout = layoutOf(op.getResult());
    VectorType type = vectorOf(op.getResult());
    SmallVector<int32_t> regValues;
    for (int64_t r = 0; r < type.getNumElements(); ++r)
      regValues.push_back(layout.applyPart(LinearLayout::Register, r)[0]);
    Value regs = LLVM::ConstantOp::create(rewriter, loc, type,
                                          rewriter.getI32VectorAttr(regValues));
    Value thread = threadCoordinates(rewriter, loc, layout, state)[0];
    Value coords = LLVM::XOrOp::create(rewriter, loc, regs,
                                       splat(rewriter, loc, thread, type));
    Value start =
        splat(rewriter, loc,
              i32Const(rewriter, loc, op.getStartAttr().getInt()), type);
    rewriter.replaceOpWithNewOp<LLVM::AddOp>(op, coords, start);
    return success();
  }
};

struct SplatOpLowering : LayoutPattern<tile::SplatOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult
  matchAndRewrite(tile::SplatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, splat(rewriter, op.getLoc(), adaptor.getSrc(),
                                 vectorOf(op.getResult())));
    return success();
  }
};

/// For each register of `to`, the register of `from` holding the element
/// that `mapCoord` sends the register's coordinates to. Fails when the lanes
/// and warps of the two layouts do not agree after the mapping.
/// `mapCoord` may be affine over GF(2) (c -> L(c) XOR k, as xor_permute's):
/// thread bases are compared under its linear part L.
template <typename MapCoord>
static FailureOr<SmallVector<int32_t>> registerMapping(const LinearLayout &from,
                                                       const LinearLayout &to,
                                                       MapCoord mapCoord) {
  LinearLayout::Coord origin = mapCoord(LinearLayout::Coord(to.getRank(), 0));
  auto linearPart = [&](LinearLayout::Coord c) {
    LinearLayout::Coord mapped = mapCoord(c);
    for (unsigned d = 0; d < mapped.size(); ++d)
      mapped[d] ^= origin[d];
    return mapped;
  };
  for (auto in : {LinearLayout::Lane, LinearLayout::Warp}) {
    if (from.getNumBits(in) != to.getNumBits(in))
      return failure();
    for (auto [a, b] : llvm::zip(from.getBases(in), to.getBases(in)))
      if (a != linearPart(b))
        return failure();
  }
  DenseMap<int64_t, int32_t> regOf;
  for (int64_t r = from.getSize(LinearLayout::Register) - 1; r >= 0; --r)
    regOf[from.linearize(from.applyPart(LinearLayout::Register, r))] = r;
  SmallVector<int32_t> mask;
  for (int64_t r = 0; r < to.getSize(LinearLayout::Register); ++r) {
    auto it = regOf.find(
        from.linearize(mapCoord(to.applyPart(LinearLayout::Register, r))));
    if (it == regOf.end())
      return failure();
    mask.push_back(it->second);
  }
  return mask;
}

struct BroadcastOpLowering : LayoutPattern<tile::BroadcastOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult
  matchAndRewrite(tile::BroadcastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    LinearLayout from = layoutOf(op.getSrc()), to = layoutOf(op.getResult());
    ArrayRef<int64_t> srcShape = op.getSrc().getType().getShape();
    auto mask = registerMapping(from, to, [&](LinearLayout::Coord c) {
      for (unsigned d = 0; d < c.size(); ++d)
        if (srcShape[d] == 1)
          c[d] = 0;
      return c;
    });
    if (failed(mask))
      return op.emitOpError("source and result layouts do not match: ")
             << op.getSrc().getType() << " -> " << op.getType();
    rewriter.replaceOp(op,
                       shuffle(rewriter, op.getLoc(), adaptor.getSrc(), *mask));
    return success();
  }
};

struct ExpandDimsOpLowering : LayoutPattern<tile::ExpandDimsOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult
  matchAndRewrite(tile::ExpandDimsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    LinearLayout from = layoutOf(op.getSrc()), to = layoutOf(op.getResult());
    unsigned axis = op.getAxis();
    auto mask = registerMapping(from, to, [&](LinearLayout::Coord c) {
      c.erase(c.begin() + axis);
      return c;
    });
    if (failed(mask))
      return op.emitOpError("source layout is not the slice of the result "
                            "layout: ")
             << op.getSrc().getType() << " -> " << op.getType();
    rewriter.replaceOp(op,
                       shuffle(rewriter, op.getLoc(), adaptor.getSrc(), *mask));
    return success();
  }
};

/// Where a result element comes from: its source coordinates (at compile
/// time, for register moves) and its row-major source index (at run time, for
/// moves through shared memory, given the result coordinates and register).
/// Without `coord` the move always goes through memory.
struct SourceMap {
  std::function<LinearLayout::Coord(LinearLayout::Coord)> coord;
  std::function<Value(OpBuilder &, Location, ArrayRef<Value>, int64_t)> index;
  /// Result element (i, j) is source element (i, j) (a layout conversion).
  bool sameCoordinates = false;
};

/// Row-major index of runtime coordinates in `shape`.
static Value linearIndex(OpBuilder &b, Location loc, ArrayRef<Value> coord,
                         ArrayRef<int64_t> shape) {
  Value index = i32Const(b, loc, 0);
  for (unsigned d = 0; d < shape.size(); ++d)
    index = LLVM::AddOp::create(
        b, loc, LLVM::MulOp::create(b, loc, index, i32Const(b, loc, shape[d])),
        coord[d]);
  return index;
}

/// Moves elements into another layout (and maybe shape): in registers when
/// lanes and warps agree after the source map, else through shared memory.
template <typename Op> struct RemapPattern : LayoutPattern<Op> {
  using TileGPUOpPattern<Op>::TileGPUOpPattern;
  using TileGPUOpPattern<Op>::state;

  LogicalResult remap(Op op, Value src, const SourceMap &map,
                      ConversionPatternRewriter &rewriter) const {
    FailureOr<Value> moved = move(
        op, src, this->layoutOf(op.getSrc()), this->layoutOf(op.getResult()),
        this->vectorOf(op.getResult()), map, rewriter);
    if (failed(moved))
      return failure();
    rewriter.replaceOp(op, *moved);
    return success();
  }

  /// The elements of `src` (laid out by `from`) in the layout `to`.
  FailureOr<Value> move(Operation *op, Value src, const LinearLayout &from,
                        const LinearLayout &to, VectorType resultType,
                        const SourceMap &map,
                        ConversionPatternRewriter &rewriter) const {
    if (map.coord) {
      auto mask = registerMapping(from, to, map.coord);
      if (succeeded(mask))
        return shuffle(rewriter, op->getLoc(), src, *mask);
    }
    if (state.target.isGPU() && state.sharedSymbol.empty())
      return op->emitOpError("moving elements between threads needs shared "
                             "memory");
    if (op->hasAttr(kRegistersOnlyAttr))
      return op->emitOpError("must stay within each thread's registers (a "
                             "ring owns the shared memory around it), but "
                             "its layouts move elements between threads");
    return throughSharedMemory(op, src, from, to, resultType, map, rewriter);
  }

  /// Shared memory on GPUs; on the CPU (one thread) a stack buffer in the
  /// function's entry block.
  Value scratchBase(ConversionPatternRewriter &b, Location loc, Type memElem,
                    int64_t count) const {
    if (state.target.isGPU()) {
      auto sharedPtr = LLVM::LLVMPointerType::get(b.getContext(), 3);
      return sharedScratch(b, loc, state);
    }
    return entryAlloca(b, loc, memElem, count, /*alignment=*/16);
  }

  /// A 2-D conversion on a GPU whose rows are whole 16-byte chunks: each
  /// thread writes its runs of consecutive elements along a row (up to 16
  /// bytes) as one vector store, and reads its result runs the same way. The
  /// tile is row-major with the 16-byte chunks of each 128-byte line XORed
  /// by the row (rows of 128 bytes or more) or by the line (shorter rows),
  /// so that the 8 rows an mma fragment writes at one column, and the
  /// chunks a row's readers take, fall in different banks. nullopt when the
  /// conversion does not qualify.
  std::optional<Value> swizzledRowMove(Operation *op, Value src,
                                       const LinearLayout &from,
                                       const LinearLayout &to,
                                       VectorType vecType, const SourceMap &map,
                                       ConversionPatternRewriter &b) const {
    Type elem = vecType.getElementType();
    if (!state.target.isGPU() || !map.sameCoordinates || from.getRank() != 2 ||
        elem.isInteger(1))
      return std::nullopt;
    int64_t elementBytes = memoryBytes(elem);
    int64_t rowBytes = from.getShape()[1] * elementBytes;
    if (elementBytes > 16 || rowBytes % 16)
      return std::nullopt;
    int64_t chunk = 16 / elementBytes;
    int64_t fromRun = std::min(chunk, from.getContiguousRegisters(1));
    int64_t toRun = std::min(chunk, to.getContiguousRegisters(1));
    Location loc = op->getLoc();
    auto c = [&](int64_t v) { return i32Const(b, loc, v); };
    Value base = scratchBase(b, loc, elem, 0);
    auto ptrType = cast<LLVM::LLVMPointerType>(base.getType());
    // The address of the run starting at register `reg` of `layout`.
    // Rows of 128 bytes or more: when the register's row and column offsets
    // set no bit a lane or warp sets (so XOR is addition) and keep the row
    // mod 8 (the phase), the address is the thread's row base plus its
    // swizzled column (thread column XOR phase, XOR the register's column)
    // plus a constant: a few values per thread, the rest immediates.
    struct ThreadTerms {
      int64_t bits[2] = {0, 0};
      Value rowBase, column;
    };
    auto termsOf = [&](const LinearLayout &layout, ArrayRef<Value> thread) {
      ThreadTerms t;
      for (auto dim : {LinearLayout::Lane, LinearLayout::Warp})
        for (const LinearLayout::Coord &basis : layout.getBases(dim))
          for (unsigned d = 0; d < 2; ++d)
            t.bits[d] |= basis[d];
      t.rowBase = LLVM::MulOp::create(b, loc, thread[0], c(rowBytes));
      Value phase = LLVM::ShlOp::create(
          b, loc, LLVM::AndOp::create(b, loc, thread[0], c(7)), c(4));
      t.column = LLVM::XOrOp::create(
          b, loc, LLVM::MulOp::create(b, loc, thread[1], c(elementBytes)),
          phase);
      return t;
    };
    auto address = [&](const LinearLayout &layout, ArrayRef<Value> thread,
                       const ThreadTerms &terms, int64_t reg) -> Value {
      LinearLayout::Coord at = layout.applyPart(LinearLayout::Register, reg);
      if (rowBytes >= 128 && at[0] % 8 == 0 && !(at[0] & terms.bits[0]) &&
          !(at[1] & terms.bits[1])) {
        Value column =
            LLVM::XOrOp::create(b, loc, terms.column, c(at[1] * elementBytes));
        Value ptr = LLVM::GEPOp::create(
            b, loc, ptrType, b.getI8Type(), base,
            ValueRange{LLVM::AddOp::create(b, loc, terms.rowBase, column)});
        if (at[0] == 0)
          return ptr;
        return LLVM::GEPOp::create(b, loc, ptrType, b.getI8Type(), ptr,
                                   ValueRange{c(at[0] * rowBytes)});
      }
      Value row = LLVM::XOrOp::create(b, loc, thread[0], c(at[0]));
      Value col = LLVM::XOrOp::create(b, loc, thread[1], c(at[1]));
      Value offset = LLVM::AddOp::create(
          b, loc, LLVM::MulOp::create(b, loc, row, c(rowBytes)),
          LLVM::MulOp::create(b, loc, col, c(elementBytes)));
      Value phase =
          rowBytes >= 128
              ? LLVM::AndOp::create(b, loc, row, c(7)).getResult()
              : LLVM::AndOp::create(
                    b, loc, LLVM::LShrOp::create(b, loc, offset, c(7)), c(7))
                    .getResult();
      offset = LLVM::XOrOp::create(b, loc, offset,
                                   LLVM::ShlOp::create(b, loc, phase, c(4)));
      return LLVM::GEPOp::create(b, loc, ptrType, b.getI8Type(), base,
                                 ValueRange{offset});
    };
    barrier(b, loc, state);
    SmallVector<Value> fromThread = threadCoordinates(b, loc, from, state);
    ThreadTerms fromTerms = termsOf(from, fromThread);
    for (int64_t r = 0; r < from.getSize(LinearLayout::Register);
         r += fromRun) {
      if (from.isDuplicateRegister(r))
        continue;
      Value v = fromRun == 1 ? extract(b, loc, src, r)
                             : shuffle(b, loc, src, registerRange(r, fromRun));
      LLVM::StoreOp::create(b, loc, v, address(from, fromThread, fromTerms, r),
                            /*alignment=*/fromRun * elementBytes);
    }
    barrier(b, loc, state);
    if (std::optional<LinearLayout> rows =
            ldmatrixRows(state.target, to, elementBytes)) {
      // ldmatrix: lane L gives the address of row L % 8 of matrix L / 8;
      // `rows` maps (group, lane, warp) to that row's first element.
      bool transpose = to.getBases(LinearLayout::Register)[0][0] == 1;
      SmallVector<Value> rowThread = threadCoordinates(b, loc, *rows, state);
      ThreadTerms rowTerms = termsOf(*rows, rowThread);
      SmallVector<Value> elems(to.getSize(LinearLayout::Register));
      for (int64_t g = 0; g < rows->getSize(LinearLayout::Register); ++g) {
        Value ptr = address(*rows, rowThread, rowTerms, g);
        SmallVector<Value> words = loadMatrices(b, loc, ptr, transpose);
        for (int64_t i = 0; i < 4; ++i) {
          Value pair = LLVM::BitcastOp::create(
              b, loc, VectorType::get({2}, elem), words[i]);
          for (int64_t h = 0; h < 2; ++h)
            elems[8 * g + 2 * i + h] = extract(b, loc, pair, h);
        }
      }
      return pack(b, loc, vecType, elems);
    }
    SmallVector<Value> toThread = threadCoordinates(b, loc, to, state);
    ThreadTerms toTerms = termsOf(to, toThread);
    SmallVector<Value> elems;
    Type runType = toRun == 1 ? elem : VectorType::get({toRun}, elem);
    for (int64_t r = 0; r < to.getSize(LinearLayout::Register); r += toRun) {
      Value v = LLVM::LoadOp::create(b, loc, runType,
                                     address(to, toThread, toTerms, r),
                                     /*alignment=*/toRun * elementBytes);
      if (toRun == 1) {
        elems.push_back(v);
        continue;
      }
      for (int64_t i = 0; i < toRun; ++i)
        elems.push_back(extract(b, loc, v, i));
    }
    return pack(b, loc, vecType, elems);
  }

  /// The row-major index `f` gives each element of `layout`, split into a
  /// per-thread part (computed once from the lane and warp ids) and one
  /// constant per register, when `f` sends every basis of the layout to bits
  /// of its own (so an element's index is the sum of the two, carry-free):
  /// true of layouts without overlapping bases under permutations and
  /// reshapes, and it keeps a big move from spending a dozen instructions
  /// on every element's address (which also made LLVM's straight-line
  /// strength reduction quadratic on 32K-element tiles).
  std::optional<std::pair<Value, SmallVector<int64_t>>>
  splitIndex(OpBuilder &b, Location loc, const LinearLayout &layout,
             function_ref<int64_t(const LinearLayout::Coord &)> f) const {
    LinearLayout::Coord origin(layout.getRank(), 0);
    if (f(origin) != 0)
      return std::nullopt;
    SmallVector<LinearLayout::Coord> bases;
    for (auto in :
         {LinearLayout::Register, LinearLayout::Lane, LinearLayout::Warp})
      for (const LinearLayout::Coord &basis : layout.getBases(in))
        bases.push_back(basis);
    int64_t used = 0;
    for (const LinearLayout::Coord &basis : bases) {
      int64_t bits = f(basis);
      if (bits & used)
        return std::nullopt;
      used |= bits;
    }
    // f is linear on the span (each pair combines without carries).
    for (unsigned i = 0; i < bases.size(); ++i)
      for (unsigned j = i + 1; j < bases.size(); ++j) {
        LinearLayout::Coord both(layout.getRank());
        for (unsigned d = 0; d < both.size(); ++d)
          both[d] = bases[i][d] ^ bases[j][d];
        if (f(both) != (f(bases[i]) | f(bases[j])))
          return std::nullopt;
      }
    Value thread = i32Const(b, loc, 0);
    if (state.target.isGPU()) {
      auto [lane, warp] = laneAndWarp(b, loc, state);
      for (auto [in, id] : {std::pair{LinearLayout::Lane, lane},
                            std::pair{LinearLayout::Warp, warp}})
        for (auto [bit, basis] : llvm::enumerate(layout.getBases(in))) {
          int64_t part = f(basis);
          if (!part)
            continue;
          Value set = LLVM::AndOp::create(
              b, loc, LLVM::LShrOp::create(b, loc, id, i32Const(b, loc, bit)),
              i32Const(b, loc, 1));
          thread = LLVM::OrOp::create(
              b, loc, thread,
              LLVM::MulOp::create(b, loc, set, i32Const(b, loc, part)));
        }
    }
    SmallVector<int64_t> registers;
    for (int64_t r = 0; r < layout.getSize(LinearLayout::Register); ++r)
      registers.push_back(f(layout.applyPart(LinearLayout::Register, r)));
    return std::make_pair(thread, registers);
  }

  /// Every thread writes its elements at their row-major source index, then
  /// reads the ones its result layout gives it.
  Value throughSharedMemory(Operation *op, Value src, const LinearLayout &from,
                            const LinearLayout &to, VectorType vecType,
                            const SourceMap &map,
                            ConversionPatternRewriter &b) const {
    if (std::optional<Value> moved =
            swizzledRowMove(op, src, from, to, vecType, map, b))
      return *moved;
    Location loc = op->getLoc();
    Type elem = vecType.getElementType();
    Type memElem = elem.isInteger(1) ? b.getI8Type() : elem;
    Value base = scratchBase(b, loc, memElem,
                             ShapedType::getNumElements(from.getShape()));
    auto ptrType = cast<LLVM::LLVMPointerType>(base.getType());
    auto coordsOf = [&](const LinearLayout &layout, ArrayRef<Value> thread,
                        int64_t reg) {
      LinearLayout::Coord regCoord =
          layout.applyPart(LinearLayout::Register, reg);
      SmallVector<Value> coord;
      for (unsigned d = 0; d < layout.getRank(); ++d)
        coord.push_back(LLVM::XOrOp::create(b, loc, thread[d],
                                            i32Const(b, loc, regCoord[d])));
      return coord;
    };
    // GPUs skew the row-major index against bank conflicts (CPUs have no
    // banks).
    int64_t rowLength = sharedRowLength(from.getShape());
    auto at = [&](Value index) {
      if (state.target.isGPU()) {
        Value rows =
            llvm::isPowerOf2_64(rowLength)
                ? LLVM::LShrOp::create(
                      b, loc, index, i32Const(b, loc, llvm::Log2_64(rowLength)))
                      .getResult()
                : LLVM::UDivOp::create(b, loc, index,
                                       i32Const(b, loc, rowLength))
                      .getResult();
        index = LLVM::AddOp::create(b, loc, index, rows);
      }
      return LLVM::GEPOp::create(b, loc, ptrType, memElem, base,
                                 ValueRange{index});
    };
    // Split indices: the thread's skewed index once, each register's skewed
    // constant as an immediate (no carries between the two parts, so the
    // skew splits too).
    int64_t skewShift = llvm::Log2_64(rowLength);
    auto splitAt = [&](Value threadIndex) {
      Value skewed = threadIndex;
      if (state.target.isGPU())
        skewed = LLVM::AddOp::create(
            b, loc, threadIndex,
            LLVM::LShrOp::create(b, loc, threadIndex,
                                 i32Const(b, loc, skewShift)));
      return LLVM::GEPOp::create(b, loc, ptrType, memElem, base,
                                 ValueRange{skewed})
          .getResult();
    };
    auto plus = [&](Value threadPtr, int64_t index) -> Value {
      int64_t skewed =
          state.target.isGPU() ? index + (index >> skewShift) : index;
      if (!skewed)
        return threadPtr;
      return LLVM::GEPOp::create(b, loc, ptrType, memElem, threadPtr,
                                 ValueRange{i32Const(b, loc, skewed)});
    };
    bool powerOfTwoRows = llvm::isPowerOf2_64(rowLength);
    // A side's split (and its thread's address), else its thread's
    // coordinates for the per-register computation.
    struct Side {
      std::optional<std::pair<Value, SmallVector<int64_t>>> split;
      Value threadPtr;
      SmallVector<Value> thread;
    };
    auto sideOf = [&](const LinearLayout &layout, bool splittable,
                      function_ref<int64_t(const LinearLayout::Coord &)> f) {
      Side side;
      if (powerOfTwoRows && splittable)
        side.split = splitIndex(b, loc, layout, f);
      if (side.split)
        side.threadPtr = splitAt(side.split->first);
      else
        side.thread = threadCoordinates(b, loc, layout, state);
      return side;
    };
    barrier(b, loc, state);
    Side write = sideOf(from, true, [&](const LinearLayout::Coord &c) {
      return from.linearize(c);
    });
    for (int64_t r = 0; r < from.getSize(LinearLayout::Register); ++r) {
      if (from.isDuplicateRegister(r))
        continue;
      Value v = extract(b, loc, src, r);
      if (memElem != elem)
        v = LLVM::ZExtOp::create(b, loc, memElem, v);
      Value ptr = write.split
                      ? plus(write.threadPtr, write.split->second[r])
                      : at(linearIndex(b, loc, coordsOf(from, write.thread, r),
                                       from.getShape()));
      LLVM::StoreOp::create(b, loc, v, ptr);
    }
    barrier(b, loc, state);
    Side read = sideOf(to, bool(map.coord), [&](const LinearLayout::Coord &c) {
      return from.linearize(map.coord(c));
    });
    SmallVector<Value> elems;
    for (int64_t r = 0; r < to.getSize(LinearLayout::Register); ++r) {
      Value ptr = read.split
                      ? plus(read.threadPtr, read.split->second[r])
                      : at(map.index(b, loc, coordsOf(to, read.thread, r), r));
      Value v = LLVM::LoadOp::create(b, loc, memElem, ptr);
      if (memElem != elem)
        v = LLVM::TruncOp::create(b, loc, elem, v);
      elems.push_back(v);
    }
    return pack(b, loc, vecType, elems);
  }
};

/// Result dimension i is source dimension perm[i].
static SourceMap permutation(ArrayRef<int32_t> perm,
                             ArrayRef<int64_t> srcShape) {
  SmallVector<int32_t> p(perm);
  SmallVector<int64_t> shape(srcShape);
  SourceMap map;
  map.coord = [p](LinearLayout::Coord c) {
    LinearLayout::Coord s(c.size());
    for (unsigned i = 0; i < c.size(); ++i)
      s[p[i]] = c[i];
    return s;
  };
  map.index = [p, shape](OpBuilder &b, Location loc, ArrayRef<Value> c,
                         int64_t) {
    SmallVector<Value> s(c.size());
    for (unsigned i = 0; i < c.size(); ++i)
      s[p[i]] = c[i];
    return linearIndex(b, loc, s, shape);
  };
  return map;
}

struct ConvertLayoutOpLowering : RemapPattern<ConvertLayoutOp> {
  using RemapPattern::RemapPattern;
  LogicalResult
  matchAndRewrite(ConvertLayoutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<int32_t> identity;
    for (int64_t d = 0; d < op.getType().getRank(); ++d)
      identity.push_back(d);
    SourceMap map = permutation(identity, op.getType().getShape());
    map.sameCoordinates = true;
    return remap(op, adaptor.getSrc(), map, rewriter);
  }
};

struct TransOpLowering : RemapPattern<tile::TransOp> {
  using RemapPattern::RemapPattern;
  LogicalResult
  matchAndRewrite(tile::TransOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    return remap(op, adaptor.getSrc(),
                 permutation(op.getOrder(), op.getSrc().getType().getShape()),
                 rewriter);
  }
};

/// `layout` with one more dimension of size 2, selected by a new highest
/// register bit: the layout of two such tensors side by side in registers.
static LinearLayout withPairDim(const LinearLayout &layout) {
  SmallVector<int64_t> shape(layout.getShape());
  shape.push_back(2);
  LinearLayout pair(shape);
  for (auto in :
       {LinearLayout::Register, LinearLayout::Lane, LinearLayout::Warp})
    for (LinearLayout::Coord basis : layout.getBases(in)) {
      basis.push_back(0);
      pair.addBasis(in, basis);
    }
  LinearLayout::Coord top(shape.size(), 0);
  top.back() = 1;
  pair.addBasis(LinearLayout::Register, top);
  return pair;
}

static SourceMap identityMap(ArrayRef<int64_t> shape) {
  SmallVector<int32_t> identity;
  for (unsigned d = 0; d < shape.size(); ++d)
    identity.push_back(d);
  return permutation(identity, shape);
}

/// join: both operands side by side in registers, then moved into the
/// result's layout.
struct JoinOpLowering : RemapPattern<tile::JoinOp> {
  using RemapPattern::RemapPattern;
  LogicalResult
  matchAndRewrite(tile::JoinOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t n = cast<VectorType>(adaptor.getLhs().getType()).getNumElements();
    Value both = LLVM::ShuffleVectorOp::create(rewriter, loc, adaptor.getLhs(),
                                               adaptor.getRhs(),
                                               registerRange(0, 2 * n));
    LinearLayout from = withPairDim(layoutOf(op.getLhs()));
    FailureOr<Value> moved =
        move(op, both, from, layoutOf(op.getResult()), vectorOf(op.getResult()),
             identityMap(op.getType().getShape()), rewriter);
    if (failed(moved))
      return failure();
    rewriter.replaceOp(op, *moved);
    return success();
  }
};

/// split: moved into the results' layout side by side, then cut in two.
struct SplitOpLowering : RemapPattern<tile::SplitOp> {
  using RemapPattern::RemapPattern;
  LogicalResult
  matchAndRewrite(tile::SplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    VectorType half = vectorOf(op.getLhs());
    int64_t n = half.getNumElements();
    auto both = VectorType::get({2 * n}, half.getElementType());
    FailureOr<Value> moved =
        move(op, adaptor.getSrc(), layoutOf(op.getSrc()),
             withPairDim(layoutOf(op.getLhs())), both,
             identityMap(op.getSrc().getType().getShape()), rewriter);
    if (failed(moved))
      return failure();
    Value lhs = shuffle(rewriter, loc, *moved, registerRange(0, n));
    Value rhs = shuffle(rewriter, loc, *moved, registerRange(n, n));
    rewriter.replaceOp(op, {lhs, rhs});
    return success();
  }
};

/// Row-major order is kept: result element i is source element i.
struct ReshapeOpLowering : RemapPattern<tile::ReshapeOp> {
  using RemapPattern::RemapPattern;
  LogicalResult
  matchAndRewrite(tile::ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<int64_t> srcShape(op.getSrc().getType().getShape());
    SmallVector<int64_t> dstShape(op.getType().getShape());
    SourceMap map;
    map.coord = [srcShape, dstShape](LinearLayout::Coord c) {
      int64_t index = 0;
      for (unsigned d = 0; d < dstShape.size(); ++d)
        index = index * dstShape[d] + c[d];
      LinearLayout::Coord s(srcShape.size());
      for (int d = srcShape.size() - 1; d >= 0; --d) {
        s[d] = index % srcShape[d];
        index /= srcShape[d];
      }
      return s;
    };
    map.index = [dstShape](OpBuilder &b, Location loc, ArrayRef<Value> c,
                           int64_t) {
      return linearIndex(b, loc, c, dstShape);
    };
    return remap(op, adaptor.getSrc(), map, rewriter);
  }
};

/// Result index i along the axis reads source index i ^ mask: a register
/// shuffle when the mask's bits are register bits, else a move through memory.
struct XorPermuteOpLowering : RemapPattern<tile::XorPermuteOp> {
  using RemapPattern::RemapPattern;
  LogicalResult
  matchAndRewrite(tile::XorPermuteOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    unsigned axis = op.getAxis();
    int64_t mask = op.getMask();
    SmallVector<int64_t> shape(op.getType().getShape());
    SourceMap map;
    map.coord = [axis, mask](LinearLayout::Coord c) {
      c[axis] ^= mask;
      return c;
    };
    map.index = [axis, mask, shape](OpBuilder &b, Location loc,
                                    ArrayRef<Value> c, int64_t) {
      SmallVector<Value> s(c);
      s[axis] = LLVM::XOrOp::create(b, loc, s[axis], i32Const(b, loc, mask));
      return linearIndex(b, loc, s, shape);
    };
    if (succeeded(withinWarps(op, adaptor.getSrc(), rewriter)))
      return success();
    return remap(op, adaptor.getSrc(), map, rewriter);
  }

  /// When every bit of the mask is a register or lane bit of the layout, the
  /// partner is a register shuffle plus a butterfly shuffle across lanes.
  LogicalResult withinWarps(tile::XorPermuteOp op, Value src,
                            ConversionPatternRewriter &rewriter) const {
    LinearLayout layout = layoutOf(op.getSrc());
    if (!(layoutOf(op.getResult()) == layout))
      return failure();
    unsigned axis = op.getAxis();
    int64_t regBits = 0;
    unsigned laneMask = 0;
    for (int64_t bit = 0; (int64_t(1) << bit) <= op.getMask(); ++bit) {
      if (!(op.getMask() & (int64_t(1) << bit)))
        continue;
      LinearLayout::Coord unit(layout.getRank(), 0);
      unit[axis] = int64_t(1) << bit;
      auto find = [&](LinearLayout::InDim in) -> int64_t {
        for (auto [i, basis] : llvm::enumerate(layout.getBases(in)))
          if (basis == unit)
            return i;
        return -1;
      };
      if (int64_t r = find(LinearLayout::Register); r >= 0)
        regBits |= int64_t(1) << r;
      else if (int64_t l = find(LinearLayout::Lane); l >= 0)
        laneMask |= 1u << l;
      else
        return failure();
    }
    if (laneMask == 0)
      return failure(); // the register-only remap handles it
    Location loc = op.getLoc();
    VectorType type = vectorOf(op.getResult());
    SmallVector<int32_t> perm;
    for (int64_t r = 0; r < type.getNumElements(); ++r)
      perm.push_back(r ^ regBits);
    Value moved = shuffle(rewriter, loc, src, perm);
    SmallVector<Value> elems;
    for (int64_t r = 0; r < type.getNumElements(); ++r)
      elems.push_back(shuffleXor(
          rewriter, loc, extract(rewriter, loc, moved, r), laneMask, state));
    rewriter.replaceOp(op, pack(rewriter, loc, type, elems));
    return success();
  }
};

/// The source goes to memory in row-major order; each result element loads
/// the one its index names.
struct GatherOpLowering : RemapPattern<tile::GatherOp> {
  using RemapPattern::RemapPattern;
  LogicalResult
  matchAndRewrite(tile::GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (op.getIndex().getType().getEncoding() !=
        cast<RankedTensorType>(op.getType()).getEncoding())
      return op.emitOpError("index and result layouts differ");
    unsigned axis = op.getAxis();
    SmallVector<int64_t> srcShape(op.getSrc().getType().getShape());
    Value indices = adaptor.getIndex();
    SourceMap map;
    map.index = [axis, srcShape, indices](OpBuilder &b, Location loc,
                                          ArrayRef<Value> c, int64_t reg) {
      SmallVector<Value> s(c);
      Value index = extract(b, loc, indices, reg);
      unsigned width = index.getType().getIntOrFloatBitWidth();
      if (width > 32)
        index = LLVM::TruncOp::create(b, loc, b.getI32Type(), index);
      else if (width < 32)
        index = LLVM::SExtOp::create(b, loc, b.getI32Type(), index);
      s[axis] = index;
      return linearIndex(b, loc, s, srcShape);
    };
    return remap(op, adaptor.getSrc(), map, rewriter);
  }
};

struct BarrierOpLowering : LayoutPattern<tile::BarrierOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult
  matchAndRewrite(tile::BarrierOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // The author's barrier may order global memory: never elided.
    if (Operation *created = barrier(rewriter, op.getLoc(), state))
      created->setAttr("tessel.user_barrier", rewriter.getUnitAttr());
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void tessel::populateLayoutOpsToLLVMPatterns(TileGPUTypeConverter &converter,
                                             const LoweringState &state,
                                             RewritePatternSet &patterns) {
  patterns.add<MakeRangeOpLowering, SplatOpLowering, BroadcastOpLowering,
               ExpandDimsOpLowering, ConvertLayoutOpLowering, TransOpLowering,
               ReshapeOpLowering, JoinOpLowering, SplitOpLowering,
               XorPermuteOpLowering, GatherOpLowering, BarrierOpLowering>(
      converter, state);
}

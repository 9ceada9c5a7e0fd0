//===- TmaOpsToLLVM.cpp - TMA copies and mbarriers (NVIDIA Hopper) --------===//
//
// A TMA ring's operations as PTX: one thread (thread 0) initializes the
// stages' mbarriers, arrives on a stage's barrier expecting its bytes and
// issues the cp.async.bulk.tensor copies, which complete the expected bytes
// on that barrier; every thread waits for a stage's phase with
// mbarrier.try_wait.parity, then passes a barrier (the ring's reuse
// condition, as for cp.async rings).
//
// With num_ctas = 2 a ring's copies may land in both programs of a cluster
// (multicast); the programs compare their copies' inputs through each
// other's shared memory (mapa, ld.shared::cluster) behind a cluster barrier
// and hand stages back through remote mbarrier arrivals (ClusterMulticast.h).
//
// A block of R rows and C columns lands as the layout wgmma reads
// (tilegpu.async_copy's): slices of W bytes of columns (the tensor map's box
// is R x W/elementBytes, with the W-byte swizzle), one copy per slice.
//
//===----------------------------------------------------------------------===//
#include "PatternUtils.h"

#include "mlir/Dialect/LLVMIR/NVVMDialect.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;
using namespace tessel::llvmutil;

namespace {

Type voidType(OpBuilder &b) { return LLVM::LLVMVoidType::get(b.getContext()); }

/// The 32-bit shared-window address of byte `offset` (+ `stage` times
/// `stageBytes`) of the kernel's shared memory.
Value sharedAddress(OpBuilder &b, Location loc, const LoweringState &state,
                    int64_t offset, Value stage = Value(),
                    int64_t stageBytes = 0) {
  Value bytes = i32Const(b, loc, offset);
  if (stage && stageBytes)
    bytes = LLVM::AddOp::create(
        b, loc, bytes,
        LLVM::MulOp::create(b, loc, stage, i32Const(b, loc, stageBytes)));
  return LLVM::PtrToIntOp::create(b, loc, b.getI32Type(),
                                  sharedBase(b, loc, state, bytes));
}

/// Whether this is thread `issuer` of the program (and `valid`, when
/// given): the condition of the ops one thread issues for all.
Value isIssuer(OpBuilder &b, Location loc, Value valid = Value(),
               int64_t issuer = 0) {
  Value tid = NVVM::ThreadIdXOp::create(b, loc, b.getI32Type());
  Value first = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, tid,
                                     i32Const(b, loc, issuer));
  return valid ? LLVM::AndOp::create(b, loc, first, valid).getResult() : first;
}

/// i32 1 on thread `issuer` of the program, else 0 (a predicate operand).
Value firstThread(OpBuilder &b, Location loc) {
  return LLVM::ZExtOp::create(b, loc, b.getI32Type(), isIssuer(b, loc));
}

/// `statement` (operands from $1) under the predicate $0.
void predicated(OpBuilder &b, Location loc, Value predicate,
                ValueRange operands, StringRef statement,
                StringRef constraints) {
  SmallVector<Value> all{predicate};
  all.append(operands.begin(), operands.end());
  asmStatement(
      b, loc, voidType(b), all,
      ("{ .reg .pred p; setp.ne.b32 p, $0, 0; @p " + statement + " }").str(),
      ("r," + constraints).str());
}

/// An i32 special register (`%cluster_ctarank`, ...).
Value specialRegister(OpBuilder &b, Location loc, StringRef name) {
  return asmStatement(b, loc, b.getI32Type(), {},
                      ("mov.u32 $0, " + name + ";").str(), "=r")
      .getResult(0);
}

/// i32 1 when the program runs in a cluster of two CTAs, else 0.
Value inClusterPair(OpBuilder &b, Location loc) {
  Value ctas = specialRegister(b, loc, "%cluster_nctarank");
  return LLVM::ZExtOp::create(b, loc, b.getI32Type(),
                              LLVM::ICmpOp::create(b, loc,
                                                   LLVM::ICmpPredicate::eq,
                                                   ctas, i32Const(b, loc, 2)));
}

/// A barrier of every thread of the cluster where `pair` (i32) is nonzero.
void clusterBarrier(OpBuilder &b, Location loc, Value pair) {
  asmStatement(b, loc, voidType(b), {pair},
               "{ .reg .pred p; setp.ne.b32 p, $0, 0; "
               "@p barrier.cluster.arrive.release; "
               "@p barrier.cluster.wait.acquire; }",
               "r");
}

/// A barrier of every thread of the program, producer warps included, or
/// (not `everyThread`) of the threads that run the code.
void initBarrier(OpBuilder &b, Location loc, const LoweringState &state,
                 bool everyThread) {
  if (everyThread && state.producerWarps)
    NVVM::Barrier0Op::create(b, loc);
  else
    barrier(b, loc, state);
}

void forEachBarrier(OpBuilder &b, Location loc, const LoweringState &state,
                    int64_t count, int64_t offset, StringRef statement) {
  Value issue = firstThread(b, loc);
  for (int64_t i = 0; i < count; ++i)
    predicated(b, loc, issue,
               {sharedAddress(b, loc, state, offset + i * kMbarrierBytes)},
               statement, "r");
}

/// The ring ops' patterns: each needs the kernel's shared memory, emits its
/// statements at the op (`emit`) and leaves no result.
template <typename Op> struct RingOpPattern : TileGPUOpPattern<Op> {
  using TileGPUOpPattern<Op>::TileGPUOpPattern;
  using Adaptor = typename Op::Adaptor;

  LogicalResult matchAndRewrite(Op op, Adaptor adaptor,
                                ConversionPatternRewriter &b) const override {
    if (this->state.sharedSymbol.empty())
      return op.emitOpError("needs shared memory");
    emit(op, adaptor, b, op.getLoc());
    b.eraseOp(op);
    return success();
  }
  virtual void emit(Op op, Adaptor adaptor, OpBuilder &b,
                    Location loc) const = 0;

  /// Runs `body` on a ring copy's issuing thread (where `valid`): the first
  /// producer thread of a warp-specialized kernel for the producer's copies
  /// (`producer`), else thread 0. A branch, not a predicate: the other
  /// threads skip the addresses and copies (with a predicate every warp
  /// computed them and issued the copies switched off, twice the
  /// instructions of the whole matmul loop).
  void asIssuer(OpBuilder &b, Location loc, Value valid, bool producer,
                function_ref<void(OpBuilder &)> body) const {
    int64_t first =
        producer ? int64_t(this->state.numWarps) * this->state.threadsPerWarp
                 : 0;
    guarded(b, loc, isIssuer(b, loc, valid, first), body);
  }

  /// The 32-bit address of stage `stage`'s mbarrier at `barrierOffset`.
  Value stageBarrier(OpBuilder &b, Location loc, int64_t barrierOffset,
                     Value stage) const {
    return sharedAddress(b, loc, this->state, barrierOffset, stage,
                         kMbarrierBytes);
  }
};

struct MbarrierInitOpLowering : RingOpPattern<MbarrierInitOp> {
  using RingOpPattern::RingOpPattern;
  void emit(MbarrierInitOp op, MbarrierInitOp::Adaptor adaptor, OpBuilder &b,
            Location loc) const override {
    initBarrier(b, loc, state, op.getEveryThread());
    forEachBarrier(b, loc, state, op.getCount(), op.getOffset(),
                   "mbarrier.init.shared::cta.b64 [$1], " +
                       std::to_string(op.getArrivals()) + ";");
    // The initialization must be visible to the async proxy (TMA's
    // complete_tx) and to every thread before anyone uses the barriers; and
    // the threads' earlier writes to the shared memory TMA will overwrite
    // must be ordered before the async proxy's.
    asmStatement(b, loc, voidType(b), {},
                 "fence.mbarrier_init.release.cluster;", "");
    asmStatement(b, loc, voidType(b), {}, "fence.proxy.async.shared::cta;", "");
    initBarrier(b, loc, state, op.getEveryThread());
  }
};

struct MbarrierInvalOpLowering : RingOpPattern<MbarrierInvalOp> {
  using RingOpPattern::RingOpPattern;
  void emit(MbarrierInvalOp op, MbarrierInvalOp::Adaptor adaptor, OpBuilder &b,
            Location loc) const override {
    barrier(b, loc, state);
    forEachBarrier(b, loc, state, op.getCount(), op.getOffset(),
                   "mbarrier.inval.shared::cta.b64 [$1];");
  }
};

struct TmaExpectOpLowering : RingOpPattern<TmaExpectOp> {
  using RingOpPattern::RingOpPattern;
  void emit(TmaExpectOp op, TmaExpectOp::Adaptor adaptor, OpBuilder &b,
            Location loc) const override {
    asIssuer(b, loc, adaptor.getValid(), op.getProducer(), [&](OpBuilder &b) {
      Value bar =
          stageBarrier(b, loc, op.getBarrierOffset(), adaptor.getStage());
      asmStatement(b, loc, voidType(b), {bar},
                   "mbarrier.arrive.expect_tx.shared::cta.b64 _, [$0], " +
                       std::to_string(op.getBytes()) + ";",
                   "r");
    });
  }
};

struct TmaCopyOpLowering : RingOpPattern<TmaCopyOp> {
  using RingOpPattern::RingOpPattern;
  void emit(TmaCopyOp op, TmaCopyOp::Adaptor adaptor, OpBuilder &b,
            Location loc) const override {
    auto type = cast<RankedTensorType>(op.getTileType());
    int64_t elementBytes = tile::getElementBitWidth(type.getElementType()) / 8;
    int64_t rows = type.getShape()[0], columns = type.getShape()[1];
    int64_t rowBytes = wgmmaSwizzleBytes(columns, elementBytes);
    int64_t sliceColumns = rowBytes / elementBytes;
    int64_t sliceBytes = rows * rowBytes;
    asIssuer(b, loc, adaptor.getValid(), op.getProducer(), [&](OpBuilder &b) {
      Value bar =
          stageBarrier(b, loc, op.getBarrierOffset(), adaptor.getStage());
      Value row = adaptor.getCoords()[0], column = adaptor.getCoords()[1];
      for (int64_t slice = 0; slice * sliceColumns < columns; ++slice) {
        Value dst =
            sharedAddress(b, loc, state, op.getOffset() + slice * sliceBytes,
                          adaptor.getStage(), op.getStageBytes());
        Value sliceColumn = LLVM::AddOp::create(
            b, loc, column, i32Const(b, loc, slice * sliceColumns));
        // Coordinates innermost first.
        StringRef copy = "cp.async.bulk.tensor.2d.shared::cluster.global.tile."
                         "mbarrier::complete_tx::bytes";
        SmallVector<Value> operands{dst, adaptor.getTensormap(), sliceColumn,
                                    row, bar};
        if (!adaptor.getMulticast()) {
          asmStatement(b, loc, voidType(b), operands,
                       (copy + " [$0], [$1, {$2, $3}], [$4];").str(),
                       "r,l,r,r,r");
          continue;
        }
        // To both programs of the cluster (CTA mask 0b11), or this one.
        operands.push_back(LLVM::ZExtOp::create(b, loc, b.getI32Type(),
                                                adaptor.getMulticast()));
        operands.push_back(LLVM::ConstantOp::create(b, loc, b.getI16Type(),
                                                    b.getI16IntegerAttr(3)));
        asmStatement(
            b, loc, voidType(b), operands,
            ("{ .reg .pred m; setp.ne.b32 m, $5, 0; @m " + copy +
             ".multicast::cluster [$0], [$1, {$2, $3}], [$4], $6; @!m " + copy +
             " [$0], [$1, {$2, $3}], [$4]; }")
                .str(),
            "r,l,r,r,r,r,h");
      }
    });
  }
};

struct TmaWaitOpLowering : RingOpPattern<TmaWaitOp> {
  using RingOpPattern::RingOpPattern;
  void emit(TmaWaitOp op, TmaWaitOp::Adaptor adaptor, OpBuilder &b,
            Location loc) const override {
    Value bar = stageBarrier(b, loc, op.getBarrierOffset(), adaptor.getStage());
    // Labels are unique per statement (${:uid}) and scoped by the braces.
    asmStatement(b, loc, voidType(b), {bar, adaptor.getPhase()},
                 "{ .reg .pred done; tma_wait_${:uid}: "
                 "mbarrier.try_wait.parity.shared::cta.b64 done, [$0], $1; "
                 "@!done bra.uni tma_wait_${:uid}; }",
                 "r,r");
    if (op.getSync())
      barrier(b, loc, state);
  }
};

struct MbarrierArriveOpLowering : RingOpPattern<MbarrierArriveOp> {
  using RingOpPattern::RingOpPattern;
  void emit(MbarrierArriveOp op, MbarrierArriveOp::Adaptor adaptor,
            OpBuilder &b, Location loc) const override {
    Value bar = stageBarrier(b, loc, op.getBarrierOffset(), adaptor.getStage());
    // Lane 0 of each warp: the barrier counts warps.
    Value tid = NVVM::ThreadIdXOp::create(b, loc, b.getI32Type());
    Value lane = LLVM::AndOp::create(
        b, loc, tid, i32Const(b, loc, state.threadsPerWarp - 1));
    Value first = LLVM::AndOp::create(
        b, loc,
        LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, lane,
                             i32Const(b, loc, 0)),
        adaptor.getValid());
    predicated(b, loc, LLVM::ZExtOp::create(b, loc, b.getI32Type(), first),
               {bar}, "mbarrier.arrive.shared::cta.b64 _, [$1];", "r");
  }
};

struct ClusterRankOpLowering : TileGPUOpPattern<ClusterRankOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult matchAndRewrite(ClusterRankOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &b) const override {
    b.replaceOp(op, specialRegister(b, op.getLoc(), "%cluster_ctarank"));
    return success();
  }
};

struct ClusterPeerMatchOpLowering : TileGPUOpPattern<ClusterPeerMatchOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult matchAndRewrite(ClusterPeerMatchOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &b) const override {
    if (state.sharedSymbol.empty())
      return op.emitOpError("needs shared memory");
    Location loc = op.getLoc();
    Value pair = inClusterPair(b, loc);
    // Thread 0 publishes this program's values (as 64-bit words).
    SmallVector<Value> mine;
    for (Value v : adaptor.getValues()) {
      Type i64 = b.getI64Type();
      unsigned width = v.getType().getIntOrFloatBitWidth();
      mine.push_back(width < 64 ? LLVM::SExtOp::create(b, loc, i64, v) : v);
    }
    Value first = firstThread(b, loc);
    for (auto [i, v] : llvm::enumerate(mine))
      predicated(b, loc, first,
                 {sharedAddress(b, loc, state, op.getOffset() + 8 * i), v},
                 "st.shared.b64 [$1], $2;", "r,l");
    clusterBarrier(b, loc, pair);
    // Every thread reads the other program's.
    Value peer =
        LLVM::XOrOp::create(b, loc, specialRegister(b, loc, "%cluster_ctarank"),
                            i32Const(b, loc, 1));
    Value match = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::ne, pair,
                                       i32Const(b, loc, 0));
    for (auto [i, v] : llvm::enumerate(mine)) {
      Value theirs =
          asmStatement(b, loc, b.getI64Type(),
                       {pair,
                        sharedAddress(b, loc, state, op.getOffset() + 8 * i),
                        peer},
                       "{ .reg .pred p; .reg .b32 a; setp.ne.b32 p, $1, 0; "
                       "mov.b64 $0, 0; @p mapa.shared::cluster.u32 a, $2, $3; "
                       "@p ld.shared::cluster.b64 $0, [a]; }",
                       "=l,r,r,r")
              .getResult(0);
      match = LLVM::AndOp::create(
          b, loc, match,
          LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, theirs, v));
    }
    b.replaceOp(op, match);
    return success();
  }
};

struct ClusterBarrierOpLowering : TileGPUOpPattern<ClusterBarrierOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult matchAndRewrite(ClusterBarrierOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &b) const override {
    clusterBarrier(b, op.getLoc(), inClusterPair(b, op.getLoc()));
    b.eraseOp(op);
    return success();
  }
};

struct ClusterStageWaitOpLowering : RingOpPattern<ClusterStageWaitOp> {
  using RingOpPattern::RingOpPattern;
  void emit(ClusterStageWaitOp op, ClusterStageWaitOp::Adaptor adaptor,
            OpBuilder &b, Location loc) const override {
    asIssuer(b, loc, adaptor.getValid(), /*producer=*/false, [&](OpBuilder &b) {
      Value bar =
          stageBarrier(b, loc, op.getBarrierOffset(), adaptor.getStage());
      asmStatement(b, loc, voidType(b), {bar, adaptor.getPhase()},
                   "{ .reg .pred done; cluster_wait_${:uid}: "
                   "mbarrier.try_wait.parity.shared::cta.b64 done, [$0], $1; "
                   "@!done bra.uni cluster_wait_${:uid}; }",
                   "r,r");
    });
  }
};

struct ClusterStageReleaseOpLowering : RingOpPattern<ClusterStageReleaseOp> {
  using RingOpPattern::RingOpPattern;
  void emit(ClusterStageReleaseOp op, ClusterStageReleaseOp::Adaptor adaptor,
            OpBuilder &b, Location loc) const override {
    asIssuer(b, loc, adaptor.getValid(), /*producer=*/false, [&](OpBuilder &b) {
      Value bar =
          stageBarrier(b, loc, op.getBarrierOffset(), adaptor.getStage());
      // The default (release, CTA scope) semantics suffice: the stage's
      // reads completed (wgmma waits) before the barrier that precedes
      // this, and cluster scope measured 20-40% slower.
      asmStatement(b, loc, voidType(b), {bar, adaptor.getRank()},
                   "{ .reg .b32 a; mapa.shared::cluster.u32 a, $0, $1; "
                   "mbarrier.arrive.shared::cluster.b64 _, [a]; }",
                   "r,r");
    });
  }
};

struct ProducerWarpOpLowering : TileGPUOpPattern<ProducerWarpOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult matchAndRewrite(ProducerWarpOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &b) const override {
    Location loc = op.getLoc();
    Value tid = NVVM::ThreadIdXOp::create(b, loc, b.getI32Type());
    int64_t first = int64_t(state.numWarps) * state.threadsPerWarp;
    Value producer = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::uge, tid,
                                          i32Const(b, loc, first));
    if (op.getLeader())
      producer = LLVM::AndOp::create(
          b, loc, producer,
          LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::ult, tid,
                               i32Const(b, loc, first + state.threadsPerWarp)));
    b.replaceOp(op, producer);
    return success();
  }
};

struct SetMaxRegistersOpLowering : TileGPUOpPattern<SetMaxRegistersOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult matchAndRewrite(SetMaxRegistersOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &b) const override {
    asmStatement(b, op.getLoc(), voidType(b), {},
                 std::string("setmaxnreg.") +
                     (op.getIncrease() ? "inc" : "dec") + ".sync.aligned.u32 " +
                     std::to_string(op.getCount()) + ";",
                 "");
    b.eraseOp(op);
    return success();
  }
};
} // namespace

int64_t tessel::mbarrierSharedMemoryBytes(Operation *op) {
  if (auto init = dyn_cast<MbarrierInitOp>(op))
    return init.getOffset() + init.getCount() * kMbarrierBytes;
  if (auto match = dyn_cast<ClusterPeerMatchOp>(op))
    return match.getOffset() + 8 * int64_t(match.getValues().size());
  return 0;
}

void tessel::populateTmaOpsToLLVMPatterns(TileGPUTypeConverter &converter,
                                          const LoweringState &state,
                                          RewritePatternSet &patterns) {
  patterns.add<MbarrierInitOpLowering, MbarrierInvalOpLowering,
               TmaExpectOpLowering, TmaCopyOpLowering, TmaWaitOpLowering,
               MbarrierArriveOpLowering, ProducerWarpOpLowering,
               ClusterRankOpLowering, ClusterPeerMatchOpLowering,
               ClusterBarrierOpLowering, ClusterStageWaitOpLowering,
               ClusterStageReleaseOpLowering, SetMaxRegistersOpLowering>(
      converter, state);
}

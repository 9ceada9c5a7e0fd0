//===- TileToTileGPU.cpp - assign layouts to every tensor -----------------===//
#include "dialects/TileGPU/IR/TileGPUDialect.h"
#include "passes/Passes.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

namespace tessel {
#define GEN_PASS_DEF_CONVERTTILETOTILEGPU
#include "passes/Passes.h.inc"
} // namespace tessel

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;

FailureOr<TargetInfo> tessel::parseTarget(StringRef target) {
  TargetInfo info;
  if (target == "cpu" || target == "host")
    return info;
  auto [vendor, arch] = target.split(':');
  if (vendor == "nvidia" && arch.starts_with("sm_")) {
    info.kind = TargetKind::NVIDIA;
  } else if (vendor == "amd" && arch.starts_with("gfx")) {
    info.kind = TargetKind::AMD;
  } else {
    return failure();
  }
  info.arch = arch.str();
  return info;
}

FailureOr<TargetInfo> tessel::getModuleTarget(ModuleOp module) {
  auto attr = module->getAttrOfType<StringAttr>(kTargetAttr);
  if (!attr)
    return failure();
  return parseTarget(attr.getValue());
}

/// Replaces the encoding of a tensor-typed value in place.
static void setEncoding(Value value, Attribute encoding) {
  auto type = cast<RankedTensorType>(value.getType());
  auto newType =
      RankedTensorType::get(type.getShape(), type.getElementType(), encoding);
  value.setType(newType);
  // Constants carry their type in their value too.
  if (auto cst = value.getDefiningOp<arith::ConstantOp>())
    if (auto dense = dyn_cast<DenseElementsAttr>(cst.getValue()))
      cst.setValueAttr(dense.reshape(newType));
}

static bool isLayoutAgnostic(Operation *op) {
  if (isa<tile::MakeRangeOp, tile::SplatOp, arith::ConstantOp>(op))
    return true;
  if (op->getNumResults() != 1 || op->getNumRegions() != 0)
    return false;
  bool elementwiseDialect = isa<arith::ArithDialect>(op->getDialect()) ||
                            op->getDialect()->getNamespace() == "math" ||
                            isa<tile::AddPtrOp, tile::Float8EncodeOp>(op);
  return elementwiseDialect && llvm::all_of(op->getOperandTypes(), [](Type t) {
           return isa<RankedTensorType>(t);
         });
}

namespace {
struct ConvertTileToTileGPUPass
    : tessel::impl::ConvertTileToTileGPUBase<ConvertTileToTileGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    auto parsed = parseTarget(target);
    if (failed(parsed)) {
      module.emitError("unknown target '") << target << "'";
      return signalPassFailure();
    }
    TargetInfo info = *parsed;
    unsigned warps = info.isGPU() ? unsigned(numWarps) : 1;
    unsigned lanes = info.threadsPerWarp();
    // A block holds at most 1024 threads on both GPU vendors.
    unsigned maxWarps = info.isGPU() ? 1024 / lanes : 1;
    if (warps == 0 || !llvm::isPowerOf2_32(warps) || warps > maxWarps) {
      module.emitError("num_warps must be a power of two in [1, ")
          << maxWarps << "] for " << target << ", got " << warps;
      return signalPassFailure();
    }
    Builder b(ctx);
    module->setAttr(kTargetAttr, b.getStringAttr(target));
    module->setAttr(kNumWarpsAttr, b.getI32IntegerAttr(warps));
    module->setAttr(kThreadsPerWarpAttr, b.getI32IntegerAttr(lanes));

    // float8 codes feed the tensor cores as they are only through wgmma
    // (with the hardware's accumulation, Triton's default on Hopper); other
    // dots, and those asking for a bound on it, multiply them widened to f16.
    module.walk([&](tile::DotOp op) {
      if (op.isFloat8() &&
          (op.getMaxNumImpreciseAcc() != 0 || !useWgmma(op, info, warps))) {
        OpBuilder builder(op);
        op.widenFloat8Operands(builder);
      }
    });
    // One choice for the whole module, so that calls see the layouts their
    // callees were given.
    assignLayouts(module, info, warps, lanes);
    if (info.hasMmaSync())
      module.walk([&](tile::DotOp op) { assignMmaLayouts(op, info, warps); });
    else if (info.hasMfma())
      module.walk([&](tile::DotOp op) { assignMfmaLayouts(op, info, warps); });
  }

  /// The operands of `op` converted to their dot_operand layouts of
  /// `parent`, and the accumulator and result to `parent`.
  void assignOperandLayouts(tile::DotOp op, Attribute parent, unsigned kWidth) {
    MLIRContext *ctx = op.getContext();
    OpBuilder builder(op);
    auto convert = [&](Value v, Attribute layout) {
      auto t = cast<RankedTensorType>(v.getType());
      return ConvertLayoutOp::create(builder, op.getLoc(),
                                     RankedTensorType::get(t.getShape(),
                                                           t.getElementType(),
                                                           layout),
                                     v)
          .getResult();
    };
    op.getAMutable().assign(
        convert(op.getA(), DotOperandLayoutAttr::get(ctx, 0, parent, kWidth)));
    op.getBMutable().assign(
        convert(op.getB(), DotOperandLayoutAttr::get(ctx, 1, parent, kWidth)));
    assignAccumulatorLayout(op, parent);
  }

  /// AMD matrix cores (gfx90a, gfx942) for a 2-D dot they can take:
  /// f16/bf16 into f32, i8 into i32 (float8 arrives widened to f16). 32x32
  /// instructions where M and N allow, else 16x16.
  void assignMfmaLayouts(tile::DotOp op, const TargetInfo &info,
                         unsigned warps) {
    auto accType = cast<RankedTensorType>(op.getAcc().getType());
    if (accType.getRank() != 2)
      return;
    Type in = cast<RankedTensorType>(op.getA().getType()).getElementType();
    std::optional<unsigned> kWidth =
        mfmaKWidth(in, accType.getElementType(), info.arch);
    if (!kWidth)
      return;
    int64_t m = accType.getShape()[0], n = accType.getShape()[1];
    int64_t k = cast<RankedTensorType>(op.getA().getType()).getShape()[1];
    unsigned nonKDim = 0;
    for (unsigned d : {32u, 16u})
      if (m % d == 0 && n % d == 0 && k % (*kWidth * (64 / d)) == 0) {
        nonKDim = d;
        break;
      }
    if (!nonKDim)
      return;
    auto [wm, wn] = splitWarps(warps, m, n, nonKDim, nonKDim);
    assignOperandLayouts(
        op, MfmaLayoutAttr::get(op.getContext(), nonKDim, {wm, wn}), *kWidth);
  }

  /// Elements of `in` per 32-bit mma.sync register, when there is an
  /// mma.sync for `in` inputs and `acc` accumulators (f32 only as tf32).
  static std::optional<unsigned> mmaKWidth(tile::DotOp op) {
    Type in = cast<RankedTensorType>(op.getA().getType()).getElementType();
    Type acc = cast<RankedTensorType>(op.getAcc().getType()).getElementType();
    // f32 rides the tensor cores only as tf32; "ieee"/"tf32x3" stay exact.
    if (in.isF32() && op.getInputPrecision() != tile::InputPrecision::TF32)
      return std::nullopt;
    return mmaSyncKWidth(in, acc);
  }

  /// Tensor cores for a 2-D dot they can take: the accumulator gets an mma
  /// layout, the operands its dot_operand layouts (conversions before the
  /// dot, and back to the blocked layout after it, which
  /// tessel-remove-layout-conversions moves out of loops and into stores).
  void assignMmaLayouts(tile::DotOp op, const TargetInfo &info,
                        unsigned warps) {
    auto accType = cast<RankedTensorType>(op.getAcc().getType());
    if (accType.getRank() != 2)
      return;
    MLIRContext *ctx = op.getContext();
    if (useWgmma(op, info, warps)) {
      // wgmma reads A and B from shared memory, which the dot fills itself:
      // only the accumulator changes layout.
      assignAccumulatorLayout(op, MmaLayoutAttr::get(ctx, 3, {warps, 1}));
      return;
    }
    std::optional<unsigned> kWidth = mmaKWidth(op);
    if (!kWidth)
      return;
    int64_t m = accType.getShape()[0], n = accType.getShape()[1];
    int64_t k = cast<RankedTensorType>(op.getA().getType()).getShape()[1];
    if (m % 16 || n % 8 || k % (8 * *kWidth))
      return;
    // Warps go where there are more instruction tiles left to share; in a
    // chain of dots (attention's S = Q K^T feeding P V) all along M, as
    // Triton does: each warp then owns whole rows, so the softmax between
    // them stays in the warp and P reaches the second dot in registers.
    auto [wm, wn] = splitWarps(warps, m, n, 16, 8);
    if (m % (16 * int64_t(warps)) == 0 && inDotChain(op))
      std::tie(wm, wn) = std::make_pair(warps, 1u);
    assignOperandLayouts(op, MmaLayoutAttr::get(ctx, 2, {wm, wn}), *kWidth);
  }

  /// Whether `op`'s result flows into another dot or its A operand comes
  /// from one (in its own block).
  static bool inDotChain(tile::DotOp op) {
    auto isDot = [&](Operation *other) {
      return other != op.getOperation() && isa<tile::DotOp>(other);
    };
    SetVector<Operation *> forward;
    getForwardSlice(op.getResult(), &forward);
    if (llvm::any_of(forward, isDot))
      return true;
    SetVector<Operation *> backward;
    BackwardSliceOptions options;
    options.omitBlockArguments = true;
    options.filter = [&](Operation *other) {
      return other->getBlock() == op->getBlock();
    };
    (void)getBackwardSlice(op.getA(), &backward, options);
    return llvm::any_of(backward, isDot);
  }

  /// wgmma (sm_90a): f16/bf16 or float8 into f32, i8 into i32, whole warpgroups
  /// along M (at least 64 rows each), K and N multiples of 32 bytes (the
  /// operands' contiguous dimensions, stored in rows of a 32-, 64- or
  /// 128-byte swizzle), N <= 256. wgmma reads 8-bit tiles K-major only, so
  /// an i8 B must be the transpose of a K-contiguous tile (`tl.trans` of an
  /// N x K load, Triton's A B^T); an i8 A B with B as loaded (N-contiguous)
  /// stays on mma.sync.
  bool useWgmma(tile::DotOp op, const TargetInfo &info, unsigned warps) {
    if (!info.hasWgmma() || warps % 4)
      return false;
    auto accType = cast<RankedTensorType>(op.getAcc().getType());
    int64_t elementBytes = wgmmaElementBytes(wgmmaOperandType(op, /*isA=*/true),
                                             accType.getElementType());
    if (!elementBytes)
      return false;
    int64_t m = accType.getShape()[0], n = accType.getShape()[1];
    int64_t k = cast<RankedTensorType>(op.getA().getType()).getShape()[1];
    if (elementBytes == 1) {
      auto trans = op.getB().getDefiningOp<tile::TransOp>();
      if (!trans || trans.getOrder().size() != 2 || trans.getOrder()[0] != 1)
        return false;
      return wgmmaSwizzleBytes(k, 1) && n % 16 == 0 && n <= 256 &&
             m % (16 * warps) == 0;
    }
    return wgmmaSwizzleBytes(k) && wgmmaSwizzleBytes(n) && n <= 256 &&
           m % (16 * warps) == 0;
  }

  /// The accumulator and result take `mma`; conversions go before the dot
  /// and back to the blocked layout after it.
  void assignAccumulatorLayout(tile::DotOp op, Attribute mma) {
    auto accType = cast<RankedTensorType>(op.getAcc().getType());
    OpBuilder builder(op);
    auto retyped = RankedTensorType::get(accType.getShape(),
                                         accType.getElementType(), mma);
    op.getAccMutable().assign(
        ConvertLayoutOp::create(builder, op.getLoc(), retyped, op.getAcc()));
    Value result = op.getResult();
    result.setType(retyped);
    builder.setInsertionPointAfter(op);
    Value back = ConvertLayoutOp::create(builder, op.getLoc(), accType, result);
    result.replaceAllUsesExcept(back, back.getDefiningOp());
  }

  void assignLayouts(ModuleOp module, const TargetInfo &info, unsigned warps,
                     unsigned lanes) {
    MLIRContext *ctx = &getContext();
    // 16-byte accesses for the widest element a memory op touches.
    unsigned widestBytes = 1;
    module.walk([&](Operation *op) {
      if (!isa<tile::LoadOp, tile::StoreOp>(op))
        return;
      Type elem = getElementTypeOrSelf(op->getOperand(0).getType());
      if (auto ptr = dyn_cast<tile::PointerType>(elem))
        widestBytes = std::max<unsigned>(
            widestBytes, tile::getElementBitWidth(ptr.getPointeeType()) / 8);
    });
    unsigned vec = info.isGPU() ? std::max(1u, 16 / widestBytes) : 1;

    // One blocked layout per rank, fitted to the largest shape of that rank.
    DenseMap<unsigned, SmallVector<int64_t>> anchors;
    auto visitType = [&](Type type) {
      auto tensor = dyn_cast<RankedTensorType>(type);
      if (!tensor)
        return;
      auto &anchor = anchors[tensor.getRank()];
      if (anchor.empty() ||
          tensor.getNumElements() > ShapedType::getNumElements(anchor))
        anchor.assign(tensor.getShape().begin(), tensor.getShape().end());
    };
    module.walk([&](Operation *op) {
      for (Type t : op->getResultTypes())
        visitType(t);
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (Type t : block.getArgumentTypes())
            visitType(t);
    });
    DenseMap<unsigned, Attribute> layouts;
    for (auto &[rank, shape] : anchors)
      layouts[rank] = getDefaultBlockedLayout(ctx, shape, warps, lanes, vec);

    auto assign = [&](Value v) {
      if (auto tensor = dyn_cast<RankedTensorType>(v.getType()))
        setEncoding(v, layouts[tensor.getRank()]);
    };
    module.walk([&](Operation *op) {
      for (Value r : op->getResults())
        assign(r);
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            assign(arg);
    });

    // A reduction leaves its result in the slice of its operand's layout;
    // other users get the rank's layout through a conversion (which
    // expand_dims below looks through).
    module.walk([&](tile::ReduceOp op) {
      Attribute srcLayout =
          cast<RankedTensorType>(op.getSrcs()[0].getType()).getEncoding();
      for (Value result : op.getResults()) {
        auto type = dyn_cast<RankedTensorType>(result.getType());
        if (!type)
          continue;
        Attribute rankLayout = type.getEncoding();
        setEncoding(result, SliceLayoutAttr::get(ctx, op.getAxis(), srcLayout));
        if (result.use_empty())
          continue;
        OpBuilder builder(op->getContext());
        builder.setInsertionPointAfter(op);
        auto converted = ConvertLayoutOp::create(
            builder, op.getLoc(),
            RankedTensorType::get(type.getShape(), type.getElementType(),
                                  rankLayout),
            result);
        result.replaceAllUsesExcept(converted, converted);
      }
    });

    // expand_dims takes the slice of its result's layout.
    SmallVector<tile::ExpandDimsOp> expands;
    module.walk([&](tile::ExpandDimsOp op) { expands.push_back(op); });
    for (tile::ExpandDimsOp op : expands) {
      auto resultType = cast<RankedTensorType>(op.getType());
      Attribute want =
          SliceLayoutAttr::get(ctx, op.getAxis(), resultType.getEncoding());
      Value src = op.getSrc();
      if (auto cvt = src.getDefiningOp<ConvertLayoutOp>())
        if (cast<RankedTensorType>(cvt.getSrc().getType()).getEncoding() ==
            want) {
          op.getSrcMutable().assign(cvt.getSrc());
          src = cvt.getSrc();
        }
      if (cast<RankedTensorType>(src.getType()).getEncoding() == want)
        continue;
      if (!retag(src, want)) {
        OpBuilder builder(op);
        auto srcType = cast<RankedTensorType>(src.getType());
        auto converted = ConvertLayoutOp::create(
            builder, op.getLoc(),
            RankedTensorType::get(srcType.getShape(), srcType.getElementType(),
                                  want),
            src);
        op.getSrcMutable().assign(converted);
      }
    }
    // Function types follow their (retyped) entry blocks and returns.
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      SmallVector<Type> results(func.getResultTypes());
      func.walk([&](func::ReturnOp ret) {
        if (ret->getParentOp() == func.getOperation())
          results.assign(ret.getOperandTypes().begin(),
                         ret.getOperandTypes().end());
      });
      func.setType(
          FunctionType::get(ctx, func.front().getArgumentTypes(), results));
    }
  }

  /// Gives `value` the layout `want` when its producer can make any layout,
  /// recursing into elementwise producers. With `fromExpand`, every use must
  /// be an expand_dims wanting `want`; otherwise the single use was retagged.
  bool retag(Value value, Attribute want, bool fromExpand = true) {
    Operation *def = value.getDefiningOp();
    if (!def || !isLayoutAgnostic(def))
      return false;
    if (fromExpand)
      for (OpOperand &use : value.getUses()) {
        auto expand = dyn_cast<tile::ExpandDimsOp>(use.getOwner());
        if (!expand ||
            SliceLayoutAttr::get(
                value.getContext(), expand.getAxis(),
                cast<RankedTensorType>(expand.getType()).getEncoding()) != want)
          return false;
      }
    setEncoding(value, want);
    for (OpOperand &operand : def->getOpOperands()) {
      auto type = dyn_cast<RankedTensorType>(operand.get().getType());
      if (!type || type.getEncoding() == want)
        continue;
      if (operand.get().hasOneUse() &&
          retag(operand.get(), want, /*fromExpand=*/false))
        continue;
      OpBuilder builder(def);
      auto converted = ConvertLayoutOp::create(
          builder, def->getLoc(),
          RankedTensorType::get(type.getShape(), type.getElementType(), want),
          operand.get());
      operand.set(converted);
    }
    return true;
  }
};
} // namespace

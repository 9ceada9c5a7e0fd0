//===- TileGPUToLLVM.cpp - the convert-tilegpu-to-llvm pass ---------------===//
#include "PatternUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/LLVMIR/ROCDLDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Transforms/DialectConversion.h"

namespace tessel {
#define GEN_PASS_DEF_CONVERTTILEGPUTOLLVM
#include "passes/Passes.h.inc"
} // namespace tessel

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;

/// Names of the trailing i32 arguments CPU kernels take for their position in
/// the grid (see lib/Runtime/CpuLauncher.cpp).
static constexpr unsigned kNumCpuGridArgs = 6;

/// Replaces program_id/num_programs by what the target provides: special
/// registers on GPUs, trailing kernel arguments on the CPU.
static LogicalResult lowerGridQueries(ModuleOp module,
                                      const TargetInfo &target) {
  WalkResult result = module.walk([&](func::FuncOp func) {
    if (func.isExternal())
      return WalkResult::advance();
    bool isKernel = func->hasAttr(tile::kKernelAttrName);
    if (!target.isGPU() && isKernel) {
      auto i32 = IntegerType::get(func.getContext(), 32);
      for (unsigned i = 0; i < kNumCpuGridArgs; ++i)
        if (failed(func.insertArgument(func.getNumArguments(), i32, {},
                                       func.getLoc())))
          return WalkResult::interrupt();
    }
    WalkResult inner = func.walk([&](Operation *op) {
      bool isPid = isa<tile::ProgramIdOp>(op);
      if (!isPid && !isa<tile::NumProgramsOp>(op))
        return WalkResult::advance();
      unsigned axis = isPid ? unsigned(cast<tile::ProgramIdOp>(op).getAxis())
                            : unsigned(cast<tile::NumProgramsOp>(op).getAxis());
      OpBuilder b(op);
      Location loc = op->getLoc();
      Type i32 = b.getI32Type();
      Value v;
      if (!target.isGPU()) {
        if (!isKernel) {
          op->emitOpError("on the CPU target, grid queries must be in the "
                          "kernel function itself");
          return WalkResult::interrupt();
        }
        unsigned first = func.getNumArguments() - kNumCpuGridArgs;
        v = func.getArgument(first + (isPid ? 0 : 3) + axis);
      } else if (target.kind == TargetKind::NVIDIA) {
        if (isPid)
          v = axis == 0   ? NVVM::BlockIdXOp::create(b, loc, i32).getResult()
              : axis == 1 ? NVVM::BlockIdYOp::create(b, loc, i32).getResult()
                          : NVVM::BlockIdZOp::create(b, loc, i32).getResult();
        else
          v = axis == 0   ? NVVM::GridDimXOp::create(b, loc, i32).getResult()
              : axis == 1 ? NVVM::GridDimYOp::create(b, loc, i32).getResult()
                          : NVVM::GridDimZOp::create(b, loc, i32).getResult();
      } else {
        if (isPid)
          v = axis == 0   ? ROCDL::BlockIdXOp::create(b, loc, i32).getResult()
              : axis == 1 ? ROCDL::BlockIdYOp::create(b, loc, i32).getResult()
                          : ROCDL::BlockIdZOp::create(b, loc, i32).getResult();
        else {
          // rocdl.grid.dim.* becomes OCKL's __ockl_get_num_groups, which
          // returns i64 whatever result type the op declares.
          Type i64 = b.getI64Type();
          Value n =
              axis == 0   ? ROCDL::GridDimXOp::create(b, loc, i64).getResult()
              : axis == 1 ? ROCDL::GridDimYOp::create(b, loc, i64).getResult()
                          : ROCDL::GridDimZOp::create(b, loc, i64).getResult();
          v = LLVM::TruncOp::create(b, loc, i32, n);
        }
      }
      op->getResult(0).replaceAllUsesWith(v);
      op->erase();
      return WalkResult::advance();
    });
    return inner;
  });
  return failure(result.wasInterrupted());
}

/// Where ops' own shared memory starts (tilegpu.scratch_offset; 0).
static int64_t scratchOffset(ModuleOp module) {
  auto attr = module->getAttrOfType<IntegerAttr>(kScratchOffsetAttr);
  return attr ? attr.getInt() : 0;
}

/// Bytes of shared memory the module's layout conversions need.
static int64_t sharedMemoryBytes(ModuleOp module) {
  int64_t bytes = 0;
  module.walk([&](Operation *op) {
    if (!isa<ConvertLayoutOp, tile::TransOp, tile::ReshapeOp, tile::JoinOp,
             tile::SplitOp, tile::XorPermuteOp, tile::GatherOp>(op))
      return;
    // Elements are stored in the source's shape (join: the pair of
    // operands, shaped as its result).
    auto source = cast<RankedTensorType>(isa<tile::JoinOp>(op)
                                             ? op->getResult(0).getType()
                                             : op->getOperand(0).getType());
    if (auto cvt = dyn_cast<ConvertLayoutOp>(op)) {
      auto from = toLinearLayout(cvt.getSrc().getType());
      auto to = toLinearLayout(cvt.getType());
      if (failed(from) || failed(to) || isRegisterOnlyConversion(*from, *to))
        return;
    }
    // A transpose or reshape may still stay in registers; reserving is
    // harmless.
    bytes = std::max(bytes, paddedSharedElements(source.getShape()) *
                                memoryBytes(source.getElementType()));
  });
  module.walk([&](tile::ReduceOp op) {
    bytes = std::max(bytes, reduceSharedMemoryBytes(op));
  });
  module.walk([&](tile::ScanOp op) {
    bytes = std::max(bytes, scanSharedMemoryBytes(op));
  });
  module.walk([&](tile::DotOp op) {
    bytes = std::max(bytes, dotSharedMemoryBytes(op));
  });
  module.walk([&](Operation *op) {
    if (needsAtomicBroadcast(op))
      bytes = std::max<int64_t>(bytes, 8);
  });
  // The ops above use the scratch region; the rings and their barriers sit
  // at their own offsets, below it.
  if (bytes)
    bytes += scratchOffset(module);
  module.walk([&](Operation *op) {
    if (isa<AsyncDotOp, SharedDotOp, StagedDotOp>(op))
      bytes = std::max(bytes, wgmmaSharedMemoryBytes(op));
    if (auto stageLoad = dyn_cast<StageLoadOp>(op))
      bytes = std::max<int64_t>(bytes, stageLoad.getNumStages() *
                                           stageLoad.getStageBytes());
    bytes = std::max(bytes, mbarrierSharedMemoryBytes(op));
  });
  return bytes;
}

/// Marks tensor map parameters (tessel-mark-kernels gives them the target's
/// attributes once they are llvm.func arguments).
static void markTensorMapParameters(ModuleOp module) {
  UnitAttr unit = UnitAttr::get(module.getContext());
  for (auto func : module.getOps<func::FuncOp>())
    for (auto [i, type] : llvm::enumerate(func.getArgumentTypes()))
      if (isa<tile::TensorMapType>(type))
        func.setArgAttr(i, tile::kTensorMapArgAttrName, unit);
}

namespace {
struct ConvertTileGPUToLLVMPass
    : tessel::impl::ConvertTileGPUToLLVMBase<ConvertTileGPUToLLVMPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    auto target = getModuleTarget(module);
    if (failed(target)) {
      module.emitError("module has no tilegpu.target: run "
                       "convert-tile-to-tilegpu first");
      return signalPassFailure();
    }
    // Every tensor must carry a layout by now.
    WalkResult unlaid = module.walk([&](Operation *op) {
      for (Type t : op->getResultTypes())
        if (auto tensor = dyn_cast<RankedTensorType>(t))
          if (failed(toLinearLayout(tensor))) {
            op->emitOpError("tensor without a layout: ") << t;
            return WalkResult::interrupt();
          }
      return WalkResult::advance();
    });
    if (unlaid.wasInterrupted())
      return signalPassFailure();

    LoweringState state;
    state.target = *target;
    if (auto w = module->getAttrOfType<IntegerAttr>(kNumWarpsAttr))
      state.numWarps = w.getInt();
    if (auto t = module->getAttrOfType<IntegerAttr>(kThreadsPerWarpAttr))
      state.threadsPerWarp = t.getInt();
    if (auto p = module->getAttrOfType<IntegerAttr>(kProducerWarpsAttr))
      state.producerWarps = p.getInt();
    state.scratchOffset = scratchOffset(module);
    if (failed(lowerGridQueries(module, state.target)))
      return signalPassFailure();

    int64_t bytes = state.target.isGPU() ? sharedMemoryBytes(module) : 0;
    if (bytes) {
      // wgmma's 128-byte swizzle repeats every 1024 bytes: its tiles start
      // on such a boundary.
      bool wgmma = false;
      module.walk([&](Operation *op) {
        wgmma |=
            wgmmaSharedMemoryBytes(op) > 0 || isa<TmaCopyOp, StageLoadOp>(op);
      });
      // Dynamic shared memory (an external array of unknown size): the
      // launcher passes `bytes` and raises the limit past 48 KiB.
      OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
      state.sharedSymbol = "tessel_shared";
      LLVM::GlobalOp::create(
          b, module.getLoc(), LLVM::LLVMArrayType::get(b.getI8Type(), 0),
          /*isConstant=*/false, LLVM::Linkage::External, state.sharedSymbol,
          Attribute(), /*alignment=*/wgmma ? 1024 : 16, /*addrSpace=*/3);
      module->setAttr("tilegpu.shared", b.getI32IntegerAttr(bytes));
    }

    AxisInfoAnalysis axisInfo(module);
    state.axisInfo = &axisInfo;
    markTensorMapParameters(module);

    TileGPUTypeConverter converter(ctx, state.target);
    RewritePatternSet patterns(ctx);
    ConversionTarget conversionTarget(*ctx);
    conversionTarget.addLegalDialect<LLVM::LLVMDialect, NVVM::NVVMDialect,
                                     ROCDL::ROCDLDialect>();
    conversionTarget.addIllegalDialect<tile::TileDialect, TileGPUDialect>();
    auto noTensors = [](Operation *op) {
      auto isTensor = [](Type t) {
        return isa<RankedTensorType, tile::PointerType, tile::TensorMapType>(t);
      };
      return llvm::none_of(op->getOperandTypes(), isTensor) &&
             llvm::none_of(op->getResultTypes(), isTensor);
    };
    conversionTarget
        .addDynamicallyLegalDialect<arith::ArithDialect, math::MathDialect>(
            noTensors);
    conversionTarget.addLegalOp<UnrealizedConversionCastOp>();
    conversionTarget.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    conversionTarget.addDynamicallyLegalOp<func::ReturnOp>(
        [&](func::ReturnOp op) {
          return converter.isLegal(op.getOperation());
        });
    conversionTarget.addDynamicallyLegalOp<func::CallOp>(
        [&](func::CallOp op) { return converter.isLegal(op.getOperation()); });
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    scf::populateSCFStructuralTypeConversionsAndLegality(converter, patterns,
                                                         conversionTarget);
    populateElementwiseToLLVMPatterns(converter, state, patterns);
    populateLayoutOpsToLLVMPatterns(converter, state, patterns);
    populateMemoryOpsToLLVMPatterns(converter, state, patterns);
    populateReduceOpToLLVMPatterns(converter, state, patterns);
    populateAtomicOpsToLLVMPatterns(converter, state, patterns);
    populateScanOpToLLVMPatterns(converter, state, patterns);
    populateDotOpToLLVMPatterns(converter, state, patterns);
    populateMmaDotOpToLLVMPatterns(converter, state, patterns);
    populateMfmaDotOpToLLVMPatterns(converter, state, patterns);
    populateWgmmaDotOpToLLVMPatterns(converter, state, patterns);
    populateTmaOpsToLLVMPatterns(converter, state, patterns);
    populateExternOpsToLLVMPatterns(converter, state, patterns);
    populateDebugOpsToLLVMPatterns(converter, state, patterns);
    // The scf.if ops the memory patterns create are legal as built.
    if (failed(applyPartialConversion(module, conversionTarget,
                                      std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

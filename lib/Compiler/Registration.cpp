//===- Registration.cpp - dialects, passes and pipelines ------------------===//
#include "lib/Compiler/Registration.h"

#include "dialects/TileGPU/IR/TileGPUDialect.h"
#include "passes/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/LLVMIR/ROCDLDialect.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void tessel::registerAllDialects(DialectRegistry &registry) {
  registry.insert<tile::TileDialect, tilegpu::TileGPUDialect,
                  arith::ArithDialect, math::MathDialect, scf::SCFDialect,
                  func::FuncDialect, cf::ControlFlowDialect, LLVM::LLVMDialect,
                  NVVM::NVVMDialect, ROCDL::ROCDLDialect, ub::UBDialect>();
}

static bool isCpuTarget(const std::string &target) {
  auto info = tessel::parseTarget(target);
  return succeeded(info) && info->kind == tessel::TargetKind::CPU;
}

void tessel::buildTileToTileGPUPipeline(OpPassManager &pm,
                                        const std::string &target,
                                        unsigned numWarps, unsigned numStages,
                                        unsigned numCtas) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // float32 to float8 without a conversion instruction: integer arithmetic.
  auto info = tessel::parseTarget(target);
  if (failed(info) || !info->hasFloat8Conversions())
    pm.addPass(createExpandFloat8Encode());
  if (isCpuTarget(target)) {
    pm.addPass(createConvertTileToCPU());
    pm.addPass(createApproximateMath());
    return;
  }
  // Hopper's wgmma dots get their operands through a cp.async ring
  // (tessel-pipeline-dot-operands below) instead of register prefetching.
  // From sm_80 the mma.sync dots' operands come from a cp.async ring too
  // (the same pass), for the loops it takes; the others prefetch into
  // registers.
  bool hopper = target.find("sm_90") != std::string::npos;
  bool cpAsync = succeeded(info) && info->hasMmaSync();
  if (!hopper) {
    PrefetchLoadsOptions prefetch;
    prefetch.numStages = numStages;
    prefetch.cpAsyncRing = cpAsync;
    if (succeeded(info) && info->kind == tessel::TargetKind::NVIDIA) {
      prefetch.numThreads = numWarps * info->threadsPerWarp();
      prefetch.registerBudget = 255; // NVIDIA's registers per thread
    }
    pm.addPass(createPrefetchLoads(prefetch));
  }
  ConvertTileToTileGPUOptions options;
  options.target = target;
  options.numWarps = numWarps;
  pm.addPass(createConvertTileToTileGPU(options));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createCoalesce());
  pm.addPass(createRemoveLayoutConversions());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Double-buffered wgmma in loops is the second stage of pipelining. The
  // passes run at every num_stages: a loop's own depth
  // (tl.range(..., num_stages=N)) may differ from the kernel's.
  AsyncDotsOptions async;
  async.numStages = numStages;
  pm.addPass(createAsyncDots(async));
  if (cpAsync) {
    PipelineDotOperandsOptions pipeline;
    pipeline.numStages = numStages;
    pipeline.numCtas = numCtas;
    pm.addPass(createPipelineDotOperands(pipeline));
    // The pointers and masks of the loads the rings replaced are dead now.
    pm.addPass(createCanonicalizerPass());
  }
}

void tessel::buildTileGPUToLLVMPipeline(OpPassManager &pm,
                                        const std::string &target) {
  if (!isCpuTarget(target)) {
    pm.addPass(createConvertTileGPUToLLVM());
    pm.addPass(createCSEPass());
    pm.addPass(createElideBarriers());
  }
  pm.addPass(createMathToLibraryCalls());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createMarkKernels());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

namespace {
struct PipelineOptions : PassPipelineOptions<PipelineOptions> {
  Option<std::string> target{*this, "target",
                             llvm::cl::desc("cpu, nvidia:sm_XX, amd:gfxXXX"),
                             llvm::cl::init("cpu")};
  Option<unsigned> numWarps{*this, "num-warps",
                            llvm::cl::desc("Warps per program"),
                            llvm::cl::init(4)};
  Option<unsigned> numStages{
      *this, "num-stages",
      llvm::cl::desc("Software pipelining depth (2+: prefetch dot loads)"),
      llvm::cl::init(3)};
  Option<unsigned> numCtas{
      *this, "num-ctas",
      llvm::cl::desc("Programs per cluster (2: TMA rings may multicast)"),
      llvm::cl::init(1)};
};
} // namespace

void tessel::registerAllPasses() {
  registerTesselPasses();
  registerTransformsPasses();
  registerReconcileUnrealizedCastsPass();
  registerSCFToControlFlowPass();
  registerArithToLLVMConversionPass();
  registerConvertMathToLLVMPass();
  registerConvertFuncToLLVMPass();
  registerConvertControlFlowToLLVMPass();
  registerUBToLLVMConversionPass();
  PassPipelineRegistration<PipelineOptions>(
      "tessel-pipeline",
      "The whole Tile IR to LLVM dialect pipeline of a target, as JIT "
      "compiles run it",
      [](OpPassManager &pm, const PipelineOptions &options) {
        buildTileToTileGPUPipeline(pm, options.target, options.numWarps,
                                   options.numStages, options.numCtas);
        buildTileGPUToLLVMPipeline(pm, options.target);
      });
}

//===- Registration.h - dialects, passes and pipelines ----------*- C++ -*-===//
#ifndef TESSEL_LIB_COMPILER_REGISTRATION_H
#define TESSEL_LIB_COMPILER_REGISTRATION_H

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include <string>

namespace tessel {
void registerAllDialects(mlir::DialectRegistry &registry);
/// Tessel's passes, the upstream ones it uses, and the named pipeline.
void registerAllPasses();

/// The compile pipeline, in two halves so that the layout stage can be read
/// between them: Tile IR to TileGPU IR, then TileGPU IR to LLVM dialect.
/// Stage 1: Tile IR to TileGPU IR (layouts) on GPUs; on the CPU, Tile IR
/// straight to loops over vectors (convert-tile-to-cpu).
void buildTileToTileGPUPipeline(mlir::OpPassManager &pm,
                                const std::string &target, unsigned numWarps,
                                unsigned numStages, unsigned numCtas = 1);
/// Stage 2: to the LLVM dialect.
void buildTileGPUToLLVMPipeline(mlir::OpPassManager &pm,
                                const std::string &target);
} // namespace tessel

#endif

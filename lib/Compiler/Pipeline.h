//===- Pipeline.h - running the pipeline with located errors ----*- C++ -*-===//
#ifndef TESSEL_LIB_COMPILER_PIPELINE_H
#define TESSEL_LIB_COMPILER_PIPELINE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Pass/PassManager.h"
#include <functional>
#include <string>

namespace tessel {
/// Collects diagnostics as "file:line:col: error: message" lines.
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(mlir::MLIRContext &ctx);
  ~DiagnosticCollector();
  std::string take();

private:
  mlir::MLIRContext &ctx;
  mlir::DiagnosticEngine::HandlerID id;
  std::string text;
};

/// Creates a context with every Tessel dialect loaded.
std::unique_ptr<mlir::MLIRContext> createContext();

/// Parses and verifies Tile IR text.
mlir::OwningOpRef<mlir::ModuleOp> parseTileIR(mlir::MLIRContext &ctx,
                                              const std::string &text,
                                              const std::string &sourceName);

/// Runs `build`'s passes; with a dump directory, writes the IR before and
/// after every pass below it, and the pipeline text.
mlir::LogicalResult
runPasses(mlir::ModuleOp module, const std::string &dumpDir,
          const std::function<void(mlir::OpPassManager &)> &build);

std::string printOp(mlir::Operation *op);
} // namespace tessel

#endif

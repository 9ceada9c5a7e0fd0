//===- ApproximateMath.cpp - vector polynomials for CPU math --------------===//
//
// On the CPU, LLVM turns math on a vector into one libm call per lane (there
// is no vector libm it may assume). For the functions whose MLIR polynomial
// approximations are accurate to a few ulp on the whole f32 range, inline
// the polynomial instead: it stays a vector and is 5-20x faster.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tessel {
#define GEN_PASS_DEF_APPROXIMATEMATH
#include "passes/Passes.h.inc"
} // namespace tessel

using namespace mlir;

namespace {
struct ApproximateMathPass
    : tessel::impl::ApproximateMathBase<ApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      return llvm::is_contained({"exp", "expm1", "log", "log2", "log1p",
                                 "tanh"},
                                name);
    });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

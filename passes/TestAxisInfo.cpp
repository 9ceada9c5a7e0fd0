//===- TestAxisInfo.cpp - print the axis analysis as remarks --------------===//
#include "passes/AxisInfo.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace tessel {
#define GEN_PASS_DEF_TESTAXISINFO
#include "passes/Passes.h.inc"
} // namespace tessel

using namespace mlir;

namespace {
struct TestAxisInfoPass
    : tessel::impl::TestAxisInfoBase<TestAxisInfoPass> {
  void runOnOperation() override {
    tessel::AxisInfoAnalysis analysis(getOperation());
    getOperation().walk([&](Operation *op) {
      if (op->getNumResults() != 1 ||
          !isa<RankedTensorType>(op->getResult(0).getType()))
        return;
      tessel::AxisInfo info = analysis.get(op->getResult(0));
      auto diag = op->emitRemark();
      auto list = [&](ArrayRef<int64_t> v) {
        diag << "[";
        llvm::interleaveComma(v, diag);
        diag << "]";
      };
      diag << "contiguity = ";
      list(info.contiguity);
      diag << ", divisibility = ";
      list(info.divisibility);
      diag << ", constancy = ";
      list(info.constancy);
    });
  }
};
} // namespace

//===- MarkKernels.cpp - target kernel attributes on llvm.funcs -----------===//
#include "passes/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace tessel {
#define GEN_PASS_DEF_MARKKERNELS
#include "passes/Passes.h.inc"
} // namespace tessel

using namespace mlir;
using namespace tessel;

namespace {
/// NVIDIA: a tensor map parameter is the 128-byte CUtensorMap itself, passed
/// by value in parameter space (64-byte aligned, as TMA requires) and read
/// in place (grid_constant: no local copy), so its address is what
/// cp.async.bulk.tensor takes. Other targets never read it.
void markTensorMaps(LLVM::LLVMFuncOp func, const TargetInfo &target) {
  Builder b(func.getContext());
  for (unsigned i = 0, e = func.getNumArguments(); i != e; ++i) {
    if (!func.getArgAttr(i, tile::kTensorMapArgAttrName))
      continue;
    func.removeArgAttr(i, tile::kTensorMapArgAttrName);
    if (target.kind != TargetKind::NVIDIA)
      continue;
    func.setArgAttr(i, LLVM::LLVMDialect::getByValAttrName(),
                    TypeAttr::get(LLVM::LLVMArrayType::get(
                        b.getI8Type(), tile::kTensorMapBytes)));
    func.setArgAttr(i, LLVM::LLVMDialect::getAlignAttrName(),
                    b.getI64IntegerAttr(tile::kTensorMapAlignment));
    func.setArgAttr(i, "nvvm.grid_constant", b.getUnitAttr());
  }
}

struct MarkKernelsPass : tessel::impl::MarkKernelsBase<MarkKernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    TargetInfo target;
    if (auto t = getModuleTarget(module); succeeded(t))
      target = *t;
    unsigned numWarps = tilegpu::launchWarps(module);
    Builder b(&getContext());
    int32_t threads = numWarps * target.threadsPerWarp();
    for (auto func : module.getOps<LLVM::LLVMFuncOp>()) {
      if (func->hasAttr(tile::kNoInlineAttrName)) {
        func->removeAttr(tile::kNoInlineAttrName);
        func.setNoInline(true);
      }
      if (!func->hasAttr(tile::kKernelAttrName))
        continue;
      func->removeAttr(tile::kKernelAttrName);
      markTensorMaps(func, target);
      if (target.kind == TargetKind::NVIDIA) {
        func->setAttr("nvvm.kernel", b.getUnitAttr());
        func->setAttr("nvvm.maxntid", b.getDenseI32ArrayAttr({threads, 1, 1}));
      } else if (target.kind == TargetKind::AMD) {
        func->setAttr("rocdl.kernel", b.getUnitAttr());
        std::string size = std::to_string(threads);
        func->setAttr("rocdl.flat_work_group_size",
                      b.getStringAttr(size + "," + size));
        func->setAttr("rocdl.reqd_work_group_size",
                      b.getDenseI32ArrayAttr({threads, 1, 1}));
      }
    }
  }
};
} // namespace

//===- ElideBarriers.cpp - drop shared-memory barriers nothing needs ------===//
#include "dialects/TileGPU/IR/TileGPUDialect.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/LLVMIR/ROCDLDialect.h"

namespace tessel {
#define GEN_PASS_DEF_ELIDEBARRIERS
#include "passes/Passes.h.inc"
} // namespace tessel

using namespace mlir;
using namespace tessel;

namespace {
constexpr llvm::StringLiteral kUserBarrier = "tessel.user_barrier";

bool isBarrier(Operation *op) {
  return isa<NVVM::Barrier0Op, ROCDL::BarrierOp>(op);
}

bool isShared(Value ptr) {
  auto type = dyn_cast<LLVM::LLVMPointerType>(ptr.getType());
  return type && type.getAddressSpace() == 3;
}

/// Whether inline assembly may touch shared memory. Its operands do not say:
/// wgmma reads shared memory through descriptors and keeps reading until its
/// wait_group, cp.async writes it, and a user's statement may do anything.
/// Only register-only statements (no side effects) and the global memory
/// accesses the lowering marks (kGlobalMemoryOnlyAttr) are known not to.
bool asmTouchesShared(LLVM::InlineAsmOp op) {
  return op.getHasSideEffects() && !op->hasAttr(tilegpu::kGlobalMemoryOnlyAttr);
}

/// Whether `op` (or anything nested in it) may touch shared memory or wait
/// at a barrier: memory ops on address space 3, calls, barriers, and inline
/// assembly that may (asmTouchesShared).
bool touchesShared(Operation *op) {
  WalkResult result = op->walk([](Operation *inner) {
    if (isBarrier(inner) || isa<LLVM::CallOp, func::CallOp>(inner))
      return WalkResult::interrupt();
    if (auto inlineAsm = dyn_cast<LLVM::InlineAsmOp>(inner);
        inlineAsm && asmTouchesShared(inlineAsm))
      return WalkResult::interrupt();
    if (auto load = dyn_cast<LLVM::LoadOp>(inner); load && isShared(load.getAddr()))
      return WalkResult::interrupt();
    if (auto store = dyn_cast<LLVM::StoreOp>(inner);
        store && isShared(store.getAddr()))
      return WalkResult::interrupt();
    if (auto rmw = dyn_cast<LLVM::AtomicRMWOp>(inner); rmw && isShared(rmw.getPtr()))
      return WalkResult::interrupt();
    if (auto cas = dyn_cast<LLVM::AtomicCmpXchgOp>(inner); cas && isShared(cas.getPtr()))
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return result.wasInterrupted();
}

/// A barrier is redundant when, walking back through its block, an earlier
/// barrier (or the start of a kernel) comes before any shared-memory access.
bool isRedundant(Operation *barrier) {
  for (Operation *op = barrier->getPrevNode(); op; op = op->getPrevNode()) {
    if (isBarrier(op))
      return true;
    if (touchesShared(op))
      return false;
  }
  // Only a kernel starts with no other thread still using shared memory; a
  // called function's caller may just have.
  auto func = dyn_cast<func::FuncOp>(barrier->getParentOp());
  return func && func->hasAttr(tile::kKernelAttrName);
}

struct ElideBarriersPass
    : tessel::impl::ElideBarriersBase<ElideBarriersPass> {
  void runOnOperation() override {
    SmallVector<Operation *> barriers;
    getOperation().walk([&](Operation *op) {
      if (isBarrier(op) && !op->hasAttr(kUserBarrier))
        barriers.push_back(op);
    });
    for (Operation *barrier : barriers)
      if (isRedundant(barrier))
        barrier->erase();
    getOperation().walk([](Operation *op) {
      op->removeAttr(kUserBarrier);
      op->removeAttr(tilegpu::kGlobalMemoryOnlyAttr);
    });
  }
};
} // namespace

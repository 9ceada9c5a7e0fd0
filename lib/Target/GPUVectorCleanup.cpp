//===- GPUVectorCleanup.cpp - vectors GPUs do not have --------------------===//
//
// See GPUVectorCleanup.h.
//
//===----------------------------------------------------------------------===//
#include "lib/Target/GPUVectorCleanup.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"

using namespace tessel;

void tessel::scalarizeBoolVectors(llvm::Function &fn) {
  llvm::SmallVector<llvm::Instruction *> work;
  for (llvm::Instruction &inst : llvm::instructions(fn)) {
    auto *type = llvm::dyn_cast<llvm::FixedVectorType>(inst.getType());
    if (!type || !type->getElementType()->isIntegerTy(1))
      continue;
    if (llvm::isa<llvm::BinaryOperator, llvm::CmpInst>(inst) ||
        (llvm::isa<llvm::SelectInst>(inst) &&
         inst.getOperand(0)->getType()->isVectorTy()))
      work.push_back(&inst);
  }
  for (llvm::Instruction *inst : work) {
    auto *type = llvm::cast<llvm::FixedVectorType>(inst->getType());
    llvm::IRBuilder<> b(inst);
    llvm::Value *result = llvm::PoisonValue::get(type);
    for (unsigned i = 0; i < type->getNumElements(); ++i) {
      llvm::SmallVector<llvm::Value *, 3> lanes;
      for (llvm::Value *operand : inst->operands())
        lanes.push_back(b.CreateExtractElement(operand, b.getInt64(i)));
      llvm::Value *lane;
      if (auto *binary = llvm::dyn_cast<llvm::BinaryOperator>(inst))
        lane = b.CreateBinOp(binary->getOpcode(), lanes[0], lanes[1]);
      else if (auto *cmp = llvm::dyn_cast<llvm::CmpInst>(inst))
        lane = b.CreateCmp(cmp->getPredicate(), lanes[0], lanes[1]);
      else
        lane = b.CreateSelect(lanes[0], lanes[1], lanes[2]);
      if (auto *laneInst = llvm::dyn_cast<llvm::Instruction>(lane))
        laneInst->copyIRFlags(inst);
      result = b.CreateInsertElement(result, lane, b.getInt64(i));
    }
    inst->replaceAllUsesWith(result);
    inst->eraseFromParent();
  }
}

/// The lanes of `vector` where a chain of constant-index insertelements
/// ending at it set them (the last insert of a lane wins); the chain's root
/// in `root`.
static llvm::SmallVector<llvm::Value *>
insertedLanes(llvm::Value *vector, unsigned lanes, llvm::Value *&root) {
  llvm::SmallVector<llvm::Value *> values(lanes, nullptr);
  while (auto *insert = llvm::dyn_cast<llvm::InsertElementInst>(vector)) {
    auto *index = llvm::dyn_cast<llvm::ConstantInt>(insert->getOperand(2));
    if (!index || index->getZExtValue() >= lanes)
      break;
    llvm::Value *&lane = values[index->getZExtValue()];
    if (!lane)
      lane = insert->getOperand(1);
    vector = insert->getOperand(0);
  }
  root = vector;
  return values;
}

/// Whether the insertelement chain starting at `first` (each link the only
/// user of the one before) sets every lane, so that its root is never read.
static bool overwritesAllLanes(llvm::InsertElementInst *first, unsigned lanes) {
  llvm::SmallVector<bool> set(lanes, false);
  unsigned count = 0;
  for (llvm::Instruction *link = first;;) {
    auto *insert = llvm::dyn_cast<llvm::InsertElementInst>(link);
    auto *index = insert
                      ? llvm::dyn_cast<llvm::ConstantInt>(insert->getOperand(2))
                      : nullptr;
    if (!index || index->getZExtValue() >= lanes)
      return false;
    if (!set[index->getZExtValue()]) {
      set[index->getZExtValue()] = true;
      if (++count == lanes)
        return true;
    }
    if (!insert->hasOneUse())
      return false;
    link = llvm::cast<llvm::Instruction>(*insert->user_begin());
  }
}

void tessel::scalarizeCarriedVectors(llvm::Function &fn) {
  llvm::SmallVector<llvm::PHINode *> candidates;
  for (llvm::BasicBlock &block : fn)
    for (llvm::PHINode &phi : block.phis())
      if (auto *type = llvm::dyn_cast<llvm::FixedVectorType>(phi.getType());
          type && type->getNumElements() >= 8)
        candidates.push_back(&phi);
  for (llvm::PHINode *phi : candidates) {
    unsigned lanes =
        llvm::cast<llvm::FixedVectorType>(phi->getType())->getNumElements();
    bool carriedOnly = llvm::all_of(phi->users(), [&](llvm::User *user) {
      if (auto *extract = llvm::dyn_cast<llvm::ExtractElementInst>(user))
        return llvm::isa<llvm::ConstantInt>(extract->getIndexOperand());
      auto *insert = llvm::dyn_cast<llvm::InsertElementInst>(user);
      return insert && insert->getOperand(0) == phi &&
             overwritesAllLanes(insert, lanes);
    });
    // Incoming lanes: inserted scalars, constants, or this phi's own lanes.
    llvm::SmallVector<llvm::SmallVector<llvm::Value *>> incoming;
    for (llvm::Value *value : phi->incoming_values()) {
      if (!carriedOnly)
        break;
      llvm::Value *root;
      auto values = insertedLanes(value, lanes, root);
      auto *constant = llvm::dyn_cast<llvm::Constant>(root);
      for (unsigned i = 0; i < lanes && carriedOnly; ++i)
        if (!values[i] && constant)
          values[i] = constant->getAggregateElement(i);
        else if (!values[i] && root != phi)
          carriedOnly = false;
      incoming.push_back(std::move(values));
    }
    if (!carriedOnly)
      continue;
    llvm::IRBuilder<> b(phi);
    llvm::Type *element =
        llvm::cast<llvm::FixedVectorType>(phi->getType())->getElementType();
    llvm::SmallVector<llvm::PHINode *> lanePhis;
    for (unsigned i = 0; i < lanes; ++i)
      lanePhis.push_back(b.CreatePHI(element, phi->getNumIncomingValues(),
                                     phi->getName() + "." + llvm::Twine(i)));
    for (auto [n, block] : llvm::enumerate(phi->blocks()))
      for (unsigned i = 0; i < lanes; ++i)
        lanePhis[i]->addIncoming(incoming[n][i] ? incoming[n][i] : lanePhis[i],
                                 block);
    for (llvm::User *user : llvm::make_early_inc_range(phi->users())) {
      if (auto *extract = llvm::dyn_cast<llvm::ExtractElementInst>(user)) {
        auto *index = llvm::cast<llvm::ConstantInt>(extract->getIndexOperand());
        extract->replaceAllUsesWith(
            index->getZExtValue() < lanes
                ? static_cast<llvm::Value *>(lanePhis[index->getZExtValue()])
                : llvm::PoisonValue::get(element));
        extract->eraseFromParent();
      } else {
        user->replaceUsesOfWith(phi, llvm::PoisonValue::get(phi->getType()));
      }
    }
    phi->eraseFromParent();
  }
}

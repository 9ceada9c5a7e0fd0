//===- GPUVectorCleanupTest.cpp - the GPU targets' LLVM IR rewrites -------===//
#include "lib/Target/GPUVectorCleanup.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>

using namespace tessel;

namespace {
/// A loop that carries a <16 x float> (split from 8 lanes on), built
/// and read lane by lane, as the lowering carries a dot's accumulators.
/// `entryValue` is the value entering the loop; `bodyRoot` the root of the
/// body's insert chain, which sets the first `lanesSet` lanes; `extraUse`
/// another use of the phi.
std::string loop(const std::string &entryValue, const std::string &bodyRoot,
                 const std::string &extraUse = "", int lanesSet = 16) {
  std::string s = "define void @f(ptr %out, float %x, <16 x float> %v) {\n"
                  "entry:\n  br label %loop\n"
                  "loop:\n"
                  "  %i = phi i32 [ 0, %entry ], [ %next, %loop ]\n"
                  "  %acc = phi <16 x float> [ " +
                  entryValue + ", %entry ], [ %c" +
                  std::to_string(lanesSet - 1) + ", %loop ]\n";
  std::string prev = bodyRoot;
  for (int l = 0; l < lanesSet; ++l) {
    std::string n = std::to_string(l);
    s += "  %e" + n + " = extractelement <16 x float> %acc, i32 " + n + "\n";
    s += "  %a" + n + " = fadd float %e" + n + ", %x\n";
    s += "  %c" + n + " = insertelement <16 x float> " + prev + ", float %a" +
         n + ", i32 " + n + "\n";
    prev = "%c" + n;
  }
  s += extraUse;
  s += "  %next = add i32 %i, 1\n  %done = icmp eq i32 %next, 8\n"
       "  br i1 %done, label %exit, label %loop\n"
       "exit:\n  %last = extractelement <16 x float> %acc, i32 3\n"
       "  store float %last, ptr %out\n  ret void\n}\n";
  return s;
}

struct Parsed {
  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> module;
  llvm::Function *fn = nullptr;
  explicit Parsed(const std::string &text) {
    llvm::SMDiagnostic error;
    module = llvm::parseAssemblyString(text, error, ctx);
    if (!module) {
      error.print("test", llvm::errs());
      return;
    }
    fn = module->getFunction("f");
  }
  /// The number of phis of vector type and of float type.
  std::pair<int, int> phis() const {
    int vectors = 0, floats = 0;
    for (llvm::Instruction &inst : llvm::instructions(*fn))
      if (llvm::isa<llvm::PHINode>(inst)) {
        vectors += inst.getType()->isVectorTy();
        floats += inst.getType()->isFloatTy();
      }
    return {vectors, floats};
  }
  bool valid() const { return !llvm::verifyFunction(*fn, &llvm::errs()); }
};
} // namespace

TEST(ScalarizeCarriedVectorsTest, SplitsAnAccumulator) {
  // The chain is rooted at the phi itself and overwrites every lane.
  Parsed p(loop("zeroinitializer", "%acc"));
  ASSERT_TRUE(p.fn);
  scalarizeCarriedVectors(*p.fn);
  EXPECT_TRUE(p.valid());
  EXPECT_EQ(p.phis(), std::make_pair(0, 16));
  // Each lane phi starts at 0.0 and carries its own fadd.
  for (llvm::Instruction &inst : llvm::instructions(*p.fn))
    if (auto *phi = llvm::dyn_cast<llvm::PHINode>(&inst);
        phi && phi->getType()->isFloatTy()) {
      auto *start = llvm::dyn_cast<llvm::ConstantFP>(
          phi->getIncomingValueForBlock(&p.fn->getEntryBlock()));
      ASSERT_TRUE(start);
      EXPECT_TRUE(start->isZero());
      EXPECT_TRUE(llvm::isa<llvm::BinaryOperator>(phi->getIncomingValue(
          1 - phi->getBasicBlockIndex(&p.fn->getEntryBlock()))));
    }
}

TEST(ScalarizeCarriedVectorsTest, KeepsVectorsThatAreNotBuiltLaneByLane) {
  // A vector argument enters the loop: splitting it would add extracts.
  Parsed p(loop("%v", "%acc"));
  ASSERT_TRUE(p.fn);
  scalarizeCarriedVectors(*p.fn);
  EXPECT_TRUE(p.valid());
  EXPECT_EQ(p.phis(), std::make_pair(1, 0));
}

TEST(ScalarizeCarriedVectorsTest, KeepsVectorsUsedWhole) {
  Parsed p(loop("zeroinitializer", "%acc",
                "  %whole = fadd <16 x float> %acc, %v\n"
                "  store <16 x float> %whole, ptr %out\n"));
  ASSERT_TRUE(p.fn);
  scalarizeCarriedVectors(*p.fn);
  EXPECT_TRUE(p.valid());
  EXPECT_EQ(p.phis(), std::make_pair(1, 0));
}

TEST(ScalarizeCarriedVectorsTest, KeepsChainsThatReadThePhi) {
  // The body's chain keeps lanes 8..15 of the phi: the phi is read whole.
  Parsed p(loop("zeroinitializer", "%acc", "", 8));
  ASSERT_TRUE(p.fn);
  scalarizeCarriedVectors(*p.fn);
  EXPECT_TRUE(p.valid());
  EXPECT_EQ(p.phis(), std::make_pair(1, 0));
}

TEST(ScalarizeCarriedVectorsTest, SplitsAChainFromPoison) {
  Parsed p(loop("zeroinitializer", "poison"));
  ASSERT_TRUE(p.fn);
  scalarizeCarriedVectors(*p.fn);
  EXPECT_TRUE(p.valid());
  EXPECT_EQ(p.phis(), std::make_pair(0, 16));
}

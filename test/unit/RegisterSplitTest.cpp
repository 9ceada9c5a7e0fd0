//===- RegisterSplitTest.cpp - a producer warpgroup's register split ------===//
#include "passes/WarpSpecializeRing.h"

#include <gtest/gtest.h>

using namespace tessel;

namespace {
/// The split never asks for more than the thread block's pool: what ptxas
/// gives every launched thread, which setmaxnreg redistributes.
void expectFits(int64_t consumerWarps, RegisterSplit split) {
  int64_t threads = (consumerWarps + split.producerWarps) * 32;
  int64_t entry = 65536 / threads / 8 * 8;
  EXPECT_LE(split.producerRegisters * split.producerWarps * 32 +
                split.consumerRegisters * consumerWarps * 32,
            entry * threads);
  EXPECT_EQ(split.consumerRegisters % 8, 0);
  EXPECT_GE(split.consumerRegisters, entry);
  EXPECT_LE(split.consumerRegisters, 256);
}

TEST(RegisterSplit, OneConsumerWarpgroupKeepsOneProducerWarp) {
  RegisterSplit split = registerSplit(4);
  EXPECT_EQ(split.producerWarps, 1);
  EXPECT_EQ(split.producerRegisters, 0);
  EXPECT_EQ(split.consumerRegisters, 0);
}

TEST(RegisterSplit, TwoConsumerWarpgroupsTake232) {
  // 384 threads: ptxas budgets 168 each; the producer keeps 40.
  RegisterSplit split = registerSplit(8);
  EXPECT_EQ(split.producerWarps, 4);
  EXPECT_EQ(split.producerRegisters, 40);
  EXPECT_EQ(split.consumerRegisters, 232);
  expectFits(8, split);
}

TEST(RegisterSplit, MoreConsumerWarpgroupsShareWhatIsLeft) {
  for (int64_t warps : {12, 16}) {
    RegisterSplit split = registerSplit(warps);
    EXPECT_EQ(split.producerWarps, 4);
    expectFits(warps, split);
  }
  // 512 threads: 128 each at launch; the consumers take 152.
  EXPECT_EQ(registerSplit(12).consumerRegisters, 152);
}
} // namespace

//===- MfmaLayoutTest.cpp - MFMA layouts against AMD's operand tables ------===//
//
// The #tilegpu.mfma layouts and their dot_operand layouts are built from
// basis vectors (TileGPUDialect.cpp). These tests recompute every element's
// owner from the CDNA3 ISA's description of v_mfma_*_32x32x* and
// v_mfma_*_16x16x* operands on 64-lane wavefronts (written per element,
// independently), in the register order MfmaDotToLLVM.cpp slices them in:
//   A[i][k]: lane i % D + D * (k / kWidth % (64 / D)), element k % kWidth
//   B[k][j]: lane j % D + D * (k / kWidth % (64 / D)), element k % kWidth
//   D[i][j] (32x32): lane j + 32 * (i / 4 % 2), register i % 4 + 4 * (i / 8)
//   D[i][j] (16x16): lane j + 16 * (i / 4),     register i % 4
//
//===----------------------------------------------------------------------===//
#include "LayoutTestUtils.h"
#include "dialects/TileGPU/IR/TileGPUDialect.h"

#include "mlir/IR/MLIRContext.h"
#include <gtest/gtest.h>
#include <tuple>

using namespace tessel::tilegpu;
using Coord = LinearLayout::Coord;

namespace {
/// (nonKDim, kWidth, waves along M, waves along N)
using Config = std::tuple<unsigned, unsigned, unsigned, unsigned>;

class MfmaLayoutTest : public LayoutFixture<::testing::TestWithParam<Config>> {};

/// (lane, register) of accumulator element (i, j) of one D x D instruction.
std::pair<int64_t, int64_t> accOwner(int64_t d, int64_t i, int64_t j) {
  if (d == 32)
    return {j + 32 * ((i / 4) % 2), i % 4 + 4 * (i / 8)};
  return {j + 16 * (i / 4), i % 4};
}
} // namespace

TEST_P(MfmaLayoutTest, AccumulatorMatchesTheIsa) {
  auto [d, kWidth, wm, wn] = GetParam();
  (void)kWidth;
  const int64_t M = 2 * d * wm, N = 2 * d * wn; // two repeats each way
  LinearLayout l = layout(MfmaLayoutAttr::get(&ctx, d, {wm, wn}), {M, N});
  int64_t perLane = d * d / 64, mReps = M / (d * wm), nReps = N / (d * wn);
  ASSERT_EQ(l.getSize(LinearLayout::Lane), 64);
  ASSERT_EQ(l.getSize(LinearLayout::Register), perLane * mReps * nReps);
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      int64_t mi = i / (d * wm), wi = i / d % wm, ni = j / (d * wn),
              wj = j / d % wn;
      auto [lane, reg] = accOwner(d, i % d, j % d);
      int64_t warp = wi + wm * wj; // M waves are the low wave bits
      int64_t r = reg + perLane * (ni + nReps * mi);
      EXPECT_EQ(l.apply(r, lane, warp), (Coord{i, j}))
          << "D=" << d << " element (" << i << ", " << j << ")";
    }
}

TEST_P(MfmaLayoutTest, OperandsMatchTheIsa) {
  auto [d, kWidth, wm, wn] = GetParam();
  auto mfma = MfmaLayoutAttr::get(&ctx, d, {wm, wn});
  int64_t instrK = kWidth * (64 / d);
  const int64_t M = 2 * d * wm, N = 2 * d * wn, K = 2 * instrK;
  LinearLayout a =
      layout(DotOperandLayoutAttr::get(&ctx, 0, mfma, kWidth), {M, K});
  LinearLayout b =
      layout(DotOperandLayoutAttr::get(&ctx, 1, mfma, kWidth), {K, N});
  int64_t kReps = K / instrK;
  for (int64_t k = 0; k < K; ++k) {
    int64_t ki = k / instrK, kk = k % instrK;
    int64_t laneGroup = kk / kWidth, e = kk % kWidth;
    for (int64_t i = 0; i < M; ++i) {
      int64_t mi = i / (d * wm), wi = i / d % wm;
      int64_t lane = i % d + d * laneGroup;
      // Every wave along N holds the same A.
      for (unsigned wj = 0; wj < wn; ++wj)
        EXPECT_EQ(a.apply(e + kWidth * (ki + kReps * mi), lane, wi + wm * wj),
                  (Coord{i, k}))
            << "A D=" << d << " kWidth " << kWidth << " (" << i << ", " << k
            << ")";
    }
    for (int64_t j = 0; j < N; ++j) {
      int64_t ni = j / (d * wn), wj = j / d % wn;
      int64_t lane = j % d + d * laneGroup;
      for (unsigned wi = 0; wi < wm; ++wi)
        EXPECT_EQ(b.apply(e + kWidth * (ki + kReps * ni), lane, wi + wm * wj),
                  (Coord{k, j}))
            << "B D=" << d << " kWidth " << kWidth << " (" << k << ", " << j
            << ")";
    }
  }
}

TEST_P(MfmaLayoutTest, EveryElementIsHeldOncePerCopy) {
  auto [d, kWidth, wm, wn] = GetParam();
  auto mfma = MfmaLayoutAttr::get(&ctx, d, {wm, wn});
  int64_t instrK = kWidth * (64 / d);
  struct Case {
    mlir::Attribute attr;
    llvm::SmallVector<int64_t> shape;
  };
  Case cases[] = {
      {mfma, {4 * d * wm, d * wn}},
      {DotOperandLayoutAttr::get(&ctx, 0, mfma, kWidth), {d * wm, 4 * instrK}},
      {DotOperandLayoutAttr::get(&ctx, 1, mfma, kWidth), {2 * instrK, 2 * d * wn}},
  };
  for (const Case &c : cases) {
    expectCoversEachElementOnce(layout(c.attr, c.shape));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Instructions, MfmaLayoutTest,
    ::testing::Values(Config{32, 4, 2, 2}, Config{32, 8, 1, 4},
                      Config{32, 1, 4, 1}, Config{16, 4, 2, 2},
                      Config{16, 8, 2, 1}, Config{16, 4, 1, 1}));

TEST(MfmaLayoutAttrTest, RejectsOtherShapesAndWaveCounts) {
  mlir::MLIRContext ctx;
  ctx.loadDialect<TileGPUDialect>();
  auto emit = [&] { return mlir::emitError(mlir::UnknownLoc::get(&ctx)); };
  EXPECT_TRUE(mlir::failed(MfmaLayoutAttr::verify(emit, 8, {2, 2})));
  EXPECT_TRUE(mlir::failed(MfmaLayoutAttr::verify(emit, 32, {3, 1})));
  EXPECT_TRUE(mlir::failed(MfmaLayoutAttr::verify(emit, 32, {4})));
  EXPECT_TRUE(mlir::succeeded(MfmaLayoutAttr::verify(emit, 16, {1, 8})));
  auto mfma = MfmaLayoutAttr::get(&ctx, 32, {2, 2});
  EXPECT_TRUE(mlir::failed(DotOperandLayoutAttr::verify(emit, 0, mfma, 2)));
  EXPECT_TRUE(mlir::succeeded(DotOperandLayoutAttr::verify(emit, 1, mfma, 8)));
}

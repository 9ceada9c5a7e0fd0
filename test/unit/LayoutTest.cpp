//===- LayoutTest.cpp - linear layouts against PTX's fragment tables ------===//
//
// The mma.sync layouts are built from basis vectors (TileGPUDialect.cpp);
// these tests recompute every element's owner from the PTX ISA's fragment
// tables for mma.m16n8k{8,16,32} (written per element, independently) and
// compare, and check that blocked layouts cover their tensor exactly once.
//
//===----------------------------------------------------------------------===//
#include "LayoutTestUtils.h"
#include "dialects/TileGPU/IR/TileGPUDialect.h"

#include "mlir/IR/MLIRContext.h"
#include <gtest/gtest.h>

using namespace tessel::tilegpu;
using Coord = LinearLayout::Coord;

namespace {
class LayoutTest : public LayoutFixture<::testing::Test> {};

/// The warp tile of an mma layout: warps along M are the low warp bits.
struct WarpGrid {
  unsigned wm, wn;
  unsigned m(unsigned warp) const { return warp % wm; }
  unsigned n(unsigned warp) const { return warp / wm; }
};
} // namespace

TEST_F(LayoutTest, MmaAccumulatorMatchesPtxTable) {
  WarpGrid grid{2, 4};
  const int64_t M = 64, N = 64;
  auto attr = MmaLayoutAttr::get(&ctx, 2, {grid.wm, grid.wn});
  LinearLayout l = layout(attr, {M, N});
  int64_t mReps = M / (16 * grid.wm), nReps = N / (8 * grid.wn);
  ASSERT_EQ(l.getSize(LinearLayout::Register), 4 * mReps * nReps);
  for (unsigned warp = 0; warp < grid.wm * grid.wn; ++warp)
    for (unsigned lane = 0; lane < 32; ++lane)
      for (int64_t mi = 0; mi < mReps; ++mi)
        for (int64_t ni = 0; ni < nReps; ++ni)
          for (int64_t e = 0; e < 4; ++e) {
            // PTX: c0, c1 at (groupID, 2 threadID_in_group + {0, 1}); c2, c3
            // eight rows down.
            int64_t g = lane / 4, t = lane % 4;
            int64_t row = mi * 16 * grid.wm + grid.m(warp) * 16 + g + 8 * (e / 2);
            int64_t col = ni * 8 * grid.wn + grid.n(warp) * 8 + 2 * t + e % 2;
            int64_t reg = e + 4 * (ni + nReps * mi);
            EXPECT_EQ(l.apply(reg, lane, warp), (Coord{row, col}))
                << "warp " << warp << " lane " << lane << " reg " << reg;
          }
}

namespace {
/// PTX's A fragment element `e` (register e / kWidth, element e % kWidth)
/// for m16n8k{8 (tf32), 16 (f16/bf16), 32 (s8)}: (row, k) in one tile.
std::pair<int64_t, int64_t> ptxA(unsigned lane, int64_t e, int64_t kWidth) {
  int64_t g = lane / 4, t = lane % 4, reg = e / kWidth, h = e % kWidth;
  return {g + 8 * (reg % 2), kWidth * t + h + 4 * kWidth * (reg / 2)};
}
/// PTX's B fragment element `e`: (k, col).
std::pair<int64_t, int64_t> ptxB(unsigned lane, int64_t e, int64_t kWidth) {
  int64_t g = lane / 4, t = lane % 4, reg = e / kWidth, h = e % kWidth;
  return {kWidth * t + h + 4 * kWidth * reg, g};
}
} // namespace

class DotOperandTest : public LayoutTest,
                       public ::testing::WithParamInterface<unsigned> {};

TEST_P(DotOperandTest, OperandsMatchPtxTables) {
  unsigned kWidth = GetParam();
  WarpGrid grid{2, 2};
  const int64_t M = 64, N = 32, K = 16 * kWidth * 2;
  auto mma = MmaLayoutAttr::get(&ctx, 2, {grid.wm, grid.wn});
  LinearLayout a = layout(DotOperandLayoutAttr::get(&ctx, 0, mma, kWidth), {M, K});
  LinearLayout b = layout(DotOperandLayoutAttr::get(&ctx, 1, mma, kWidth), {K, N});
  int64_t instrK = 8 * kWidth, kReps = K / instrK;
  int64_t mReps = M / (16 * grid.wm), nReps = N / (8 * grid.wn);
  for (unsigned warp = 0; warp < grid.wm * grid.wn; ++warp)
    for (unsigned lane = 0; lane < 32; ++lane)
      for (int64_t ki = 0; ki < kReps; ++ki) {
        for (int64_t mi = 0; mi < mReps; ++mi)
          for (int64_t e = 0; e < 4 * kWidth; ++e) {
            auto [row, k] = ptxA(lane, e, kWidth);
            Coord want{mi * 16 * grid.wm + grid.m(warp) * 16 + row, ki * instrK + k};
            EXPECT_EQ(a.apply(e + 4 * kWidth * (ki + kReps * mi), lane, warp), want)
                << "A kWidth " << kWidth << " warp " << warp << " lane " << lane;
          }
        for (int64_t ni = 0; ni < nReps; ++ni)
          for (int64_t e = 0; e < 2 * kWidth; ++e) {
            auto [k, col] = ptxB(lane, e, kWidth);
            Coord want{ki * instrK + k, ni * 8 * grid.wn + grid.n(warp) * 8 + col};
            EXPECT_EQ(b.apply(e + 2 * kWidth * (ki + kReps * ni), lane, warp), want)
                << "B kWidth " << kWidth << " warp " << warp << " lane " << lane;
          }
      }
}

INSTANTIATE_TEST_SUITE_P(KWidths, DotOperandTest, ::testing::Values(1u, 2u, 4u));

TEST_F(LayoutTest, MmaSmallerThanWarpTileReplicates) {
  // 16x8 over a 2x2 warp grid: every warp holds the whole tile.
  LinearLayout l = layout(MmaLayoutAttr::get(&ctx, 2, {2, 2}), {16, 8});
  EXPECT_EQ(l.getSize(LinearLayout::Register), 4);
  EXPECT_EQ(l.getZeroBits(LinearLayout::Warp).size(), 2u);
  for (unsigned warp = 1; warp < 4; ++warp)
    for (unsigned lane = 0; lane < 32; ++lane)
      EXPECT_EQ(l.apply(3, lane, warp), l.apply(3, lane, 0));
}

TEST_F(LayoutTest, LayoutsCoverEveryElementOnce) {
  struct Case {
    mlir::Attribute attr;
    llvm::SmallVector<int64_t> shape;
  };
  auto mma = MmaLayoutAttr::get(&ctx, 2, {4, 2});
  Case cases[] = {
      {getDefaultBlockedLayout(&ctx, {128, 64}, 4, 32, 8), {128, 64}},
      {mma, {128, 64}},
      {DotOperandLayoutAttr::get(&ctx, 0, mma, 2), {128, 32}},
      {DotOperandLayoutAttr::get(&ctx, 1, mma, 4), {64, 64}},
  };
  for (const Case &c : cases) {
    expectCoversEachElementOnce(layout(c.attr, c.shape));
  }
}

// invert: every element's (register, lane, warp) comes back, the lowest copy
// where data is replicated; uncovered coordinates have no owner.
TEST_F(LayoutTest, InvertFindsTheOwnerOfEachElement) {
  auto mma = MmaLayoutAttr::get(&ctx, 3, {4, 1});
  struct Case {
    mlir::Attribute attr;
    llvm::SmallVector<int64_t> shape;
  };
  Case cases[] = {
      {getDefaultBlockedLayout(&ctx, {64, 64}, 4, 32, 8), {64, 64}},
      {getDefaultBlockedLayout(&ctx, {8, 16}, 4, 32, 4), {8, 16}}, // copies
      {mma, {64, 128}},
      {MmaLayoutAttr::get(&ctx, 2, {2, 2}), {16, 8}}, // smaller than its tile
  };
  for (const Case &c : cases) {
    LinearLayout l = layout(c.attr, c.shape);
    EXPECT_TRUE(l.isSurjective()) << l.str();
    for (int64_t i = 0; i < c.shape[0]; ++i)
      for (int64_t j = 0; j < c.shape[1]; ++j) {
        auto owner = l.invert({i, j});
        ASSERT_TRUE(owner.has_value()) << l.str();
        auto [r, lane, w] = *owner;
        EXPECT_EQ(l.apply(r, lane, w), (Coord{i, j})) << l.str();
        // The lowest copy: clearing any set register/lane/warp bit whose
        // basis is zero would still hold the element.
        for (unsigned bit : l.getZeroBits(LinearLayout::Register))
          EXPECT_EQ(r & (int64_t(1) << bit), 0);
        for (unsigned bit : l.getZeroBits(LinearLayout::Lane))
          EXPECT_EQ(lane & (int64_t(1) << bit), 0);
      }
    EXPECT_FALSE(l.invert({c.shape[0], 0}).has_value());
  }
  // A layout that leaves half the tensor unheld.
  LinearLayout partial({4, 4});
  partial.addBasis(LinearLayout::Register, {0, 1});
  partial.addBasis(LinearLayout::Lane, {0, 2});
  partial.addBasis(LinearLayout::Lane, {1, 0});
  EXPECT_FALSE(partial.isSurjective());
  EXPECT_TRUE(partial.invert({1, 3}).has_value());
  EXPECT_FALSE(partial.invert({2, 0}).has_value());
}

// invertAndCompose: where the other layout holds what this one holds; to
// itself it is the identity on (register, lane, warp).
TEST_F(LayoutTest, InvertAndComposeMapsRegistersBetweenLayouts) {
  auto wide = layout(getDefaultBlockedLayout(&ctx, {64, 64}, 4, 32, 8), {64, 64});
  auto narrow = layout(getDefaultBlockedLayout(&ctx, {64, 64}, 4, 32, 4), {64, 64});
  auto mma = layout(MmaLayoutAttr::get(&ctx, 3, {4, 1}), {64, 64});
  auto self = wide.invertAndCompose(wide);
  ASSERT_TRUE(self.has_value());
  for (int64_t w = 0; w < wide.getSize(LinearLayout::Warp); ++w)
    for (int64_t lane = 0; lane < wide.getSize(LinearLayout::Lane); ++lane)
      for (int64_t r = 0; r < wide.getSize(LinearLayout::Register); ++r)
        EXPECT_EQ(self->apply(r, lane, w), (Coord{r, lane, w}));
  for (const LinearLayout *to : {&narrow, &mma}) {
    auto map = wide.invertAndCompose(*to);
    ASSERT_TRUE(map.has_value());
    for (int64_t w = 0; w < wide.getSize(LinearLayout::Warp); ++w)
      for (int64_t lane = 0; lane < wide.getSize(LinearLayout::Lane); ++lane)
        for (int64_t r = 0; r < wide.getSize(LinearLayout::Register); ++r) {
          Coord dst = map->apply(r, lane, w);
          EXPECT_EQ(to->apply(dst[0], dst[1], dst[2]), wide.apply(r, lane, w));
        }
  }
  // Shapes must match.
  auto other = layout(getDefaultBlockedLayout(&ctx, {32, 64}, 4, 32, 8), {32, 64});
  EXPECT_FALSE(wide.invertAndCompose(other).has_value());
}

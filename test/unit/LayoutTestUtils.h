//===- LayoutTestUtils.h - checks shared by the layout unit tests ----------===//
#ifndef TESSEL_TEST_UNIT_LAYOUTTESTUTILS_H
#define TESSEL_TEST_UNIT_LAYOUTTESTUTILS_H

#include "dialects/TileGPU/IR/TileGPUDialect.h"

#include "mlir/IR/MLIRContext.h"
#include <gtest/gtest.h>
#include <set>

namespace tessel::tilegpu {
/// A test with the TileGPU dialect loaded and `layout(attr, shape)`: the
/// linear layout of a layout attribute (failing the test if it has none).
/// `Base` is ::testing::Test or a TestWithParam.
template <typename Base> class LayoutFixture : public Base {
protected:
  void SetUp() override { ctx.loadDialect<TileGPUDialect>(); }
  LinearLayout layout(mlir::Attribute attr, llvm::ArrayRef<int64_t> shape) {
    auto result = toLinearLayout(attr, shape);
    EXPECT_TRUE(mlir::succeeded(result));
    return *result;
  }
  mlir::MLIRContext ctx;
};

/// Every element of the layout's tensor is held, and held once per copy:
/// copies only along zero bases.
inline void expectCoversEachElementOnce(const LinearLayout &l) {
  std::set<int64_t> seen;
  int64_t owned = 0;
  for (int64_t w = 0; w < l.getSize(LinearLayout::Warp); ++w)
    for (int64_t lane = 0; lane < l.getSize(LinearLayout::Lane); ++lane)
      for (int64_t r = 0; r < l.getSize(LinearLayout::Register); ++r) {
        seen.insert(l.linearize(l.apply(r, lane, w)));
        ++owned;
      }
  int64_t numel = 1;
  for (int64_t d : l.getShape())
    numel *= d;
  EXPECT_EQ(int64_t(seen.size()), numel) << l.str();
  int64_t copies = int64_t(1) << (l.getZeroBits(LinearLayout::Register).size() +
                                  l.getZeroBits(LinearLayout::Lane).size() +
                                  l.getZeroBits(LinearLayout::Warp).size());
  EXPECT_EQ(owned, numel * copies) << l.str();
}
} // namespace tessel::tilegpu

#endif

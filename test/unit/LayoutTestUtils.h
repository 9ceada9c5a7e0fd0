//===- LayoutTestUtils.h - checks shared by the layout unit tests ----------===//
#ifndef TESSEL_TEST_UNIT_LAYOUTTESTUTILS_H
#define TESSEL_TEST_UNIT_LAYOUTTESTUTILS_H

#include "dialects/TileGPU/IR/LinearLayout.h"

#include <gtest/gtest.h>
#include <set>

namespace tessel::tilegpu {
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

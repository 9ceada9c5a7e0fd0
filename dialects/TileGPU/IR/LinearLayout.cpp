//===- LinearLayout.cpp - layouts as linear maps over GF(2) ---------------===//
#include "dialects/TileGPU/IR/LinearLayout.h"

#include "llvm/Support/raw_ostream.h"

using namespace tessel::tilegpu;

LinearLayout::Coord LinearLayout::applyPart(InDim dim, int64_t index) const {
  Coord coord(shape.size(), 0);
  for (auto [bit, basis] : llvm::enumerate(bases[dim]))
    if (index & (int64_t(1) << bit))
      for (unsigned d = 0; d < coord.size(); ++d)
        coord[d] ^= basis[d];
  return coord;
}

LinearLayout::Coord LinearLayout::apply(int64_t reg, int64_t lane,
                                        int64_t warp) const {
  Coord coord = applyPart(Register, reg);
  Coord l = applyPart(Lane, lane), w = applyPart(Warp, warp);
  for (unsigned d = 0; d < coord.size(); ++d)
    coord[d] ^= l[d] ^ w[d];
  return coord;
}

static bool isZero(llvm::ArrayRef<int64_t> v) {
  return llvm::all_of(v, [](int64_t x) { return x == 0; });
}

bool LinearLayout::isDuplicateRegister(int64_t reg) const {
  for (auto [bit, basis] : llvm::enumerate(bases[Register]))
    if ((reg & (int64_t(1) << bit)) && isZero(basis))
      return true;
  return false;
}

llvm::SmallVector<unsigned> LinearLayout::getZeroBits(InDim dim) const {
  llvm::SmallVector<unsigned> bits;
  for (auto [bit, basis] : llvm::enumerate(bases[dim]))
    if (isZero(basis))
      bits.push_back(bit);
  return bits;
}

int64_t LinearLayout::getContiguousRegisters(unsigned dim) const {
  int64_t n = 1;
  for (const Coord &basis : bases[Register]) {
    for (unsigned d = 0; d < basis.size(); ++d)
      if ((d == dim) != (basis[d] == n))
        return n;
    n *= 2;
  }
  return n;
}

int64_t LinearLayout::linearize(llvm::ArrayRef<int64_t> coord) const {
  int64_t index = 0;
  for (unsigned d = 0; d < shape.size(); ++d)
    index = index * shape[d] + coord[d];
  return index;
}

LinearLayout LinearLayout::dropDim(unsigned dim) const {
  llvm::SmallVector<int64_t> newShape(shape.begin(), shape.end());
  newShape.erase(newShape.begin() + dim);
  LinearLayout result(newShape);
  for (int in = 0; in < kNumInDims; ++in)
    for (Coord basis : bases[in]) {
      basis.erase(basis.begin() + dim);
      result.bases[in].push_back(basis);
    }
  return result;
}

LinearLayout LinearLayout::projectTo(llvm::ArrayRef<int64_t> newShape) const {
  LinearLayout result(newShape);
  for (int in = 0; in < kNumInDims; ++in)
    for (Coord basis : bases[in]) {
      for (unsigned d = 0; d < basis.size(); ++d)
        if (newShape[d] == 1)
          basis[d] = 0;
      result.bases[in].push_back(basis);
    }
  return result;
}

std::string LinearLayout::str() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  static const char *names[] = {"register", "lane", "warp"};
  os << "shape [";
  llvm::interleaveComma(shape, os);
  os << "]";
  for (int in = 0; in < kNumInDims; ++in) {
    os << " " << names[in] << " [";
    llvm::interleaveComma(bases[in], os, [&](const Coord &c) {
      os << "(";
      llvm::interleaveComma(c, os);
      os << ")";
    });
    os << "]";
  }
  return s;
}

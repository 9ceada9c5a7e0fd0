//===- LinearLayout.cpp - layouts as linear maps over GF(2) ---------------===//
#include "dialects/TileGPU/IR/LinearLayout.h"

#include "llvm/Support/MathExtras.h"
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

namespace {
/// Gaussian elimination over GF(2) on a layout's columns: each input bit's
/// basis as a bit mask of the flattened coordinate (dimension 0's bits
/// lowest), reduced against the earlier pivots so that solving walks the
/// pivots in order and sets dependent input bits to 0.
struct Elimination {
  struct Pivot {
    uint64_t out;  // reduced column
    uint64_t in;   // input bits combined into it
    uint64_t lead; // its highest set bit
  };
  llvm::SmallVector<Pivot> pivots;
  llvm::SmallVector<unsigned> offsets; // first output bit of each dimension
  llvm::SmallVector<unsigned, 3> inOffsets;

  explicit Elimination(const LinearLayout &layout) {
    unsigned bit = 0;
    for (int64_t size : layout.getShape()) {
      offsets.push_back(bit);
      bit += llvm::Log2_64(uint64_t(size));
    }
    unsigned in = 0;
    for (int d = 0; d < LinearLayout::kNumInDims; ++d) {
      inOffsets.push_back(in);
      for (const LinearLayout::Coord &basis :
           layout.getBases(LinearLayout::InDim(d))) {
        uint64_t out = flatten(basis), inMask = uint64_t(1) << in++;
        for (const Pivot &p : pivots)
          if (out & p.lead) {
            out ^= p.out;
            inMask ^= p.in;
          }
        if (out)
          pivots.push_back({out, inMask, uint64_t(1) << llvm::Log2_64(out)});
      }
    }
  }

  uint64_t flatten(llvm::ArrayRef<int64_t> coord) const {
    uint64_t bits = 0;
    for (unsigned d = 0; d < coord.size(); ++d)
      bits |= uint64_t(coord[d]) << offsets[d];
    return bits;
  }

  /// Input bits whose bases XOR to `coord`, or nullopt.
  std::optional<uint64_t> solve(llvm::ArrayRef<int64_t> coord) const {
    uint64_t y = flatten(coord), x = 0;
    for (const Pivot &p : pivots)
      if (y & p.lead) {
        y ^= p.out;
        x ^= p.in;
      }
    if (y)
      return std::nullopt;
    return x;
  }
};
} // namespace

std::optional<std::array<int64_t, LinearLayout::kNumInDims>>
LinearLayout::invert(llvm::ArrayRef<int64_t> coord) const {
  if (coord.size() != shape.size())
    return std::nullopt;
  for (unsigned d = 0; d < shape.size(); ++d)
    if (coord[d] < 0 || coord[d] >= shape[d])
      return std::nullopt;
  Elimination e(*this);
  std::optional<uint64_t> x = e.solve(coord);
  if (!x)
    return std::nullopt;
  std::array<int64_t, kNumInDims> index{};
  for (int d = 0; d < kNumInDims; ++d)
    index[d] = int64_t((*x >> e.inOffsets[d]) & ((uint64_t(1) << getNumBits(InDim(d))) - 1));
  return index;
}

bool LinearLayout::isSurjective() const {
  unsigned outBits = 0;
  for (int64_t size : shape)
    outBits += llvm::Log2_64(uint64_t(size));
  return Elimination(*this).pivots.size() == outBits;
}

std::optional<LinearLayout>
LinearLayout::invertAndCompose(const LinearLayout &other) const {
  if (shape != other.shape)
    return std::nullopt;
  LinearLayout map({other.getSize(Register), other.getSize(Lane),
                    other.getSize(Warp)});
  for (int d = 0; d < kNumInDims; ++d)
    for (const Coord &basis : bases[d]) {
      auto index = other.invert(basis);
      if (!index)
        return std::nullopt;
      map.addBasis(InDim(d), Coord((*index).begin(), (*index).end()));
    }
  return map;
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

//===- LinearLayout.h - layouts as linear maps over GF(2) -------*- C++ -*-===//
//
// A linear layout maps the bits of (register, lane, warp) indices to tensor
// coordinates: every input bit has a basis vector (one coordinate per tensor
// dimension) and an index maps to the XOR of the bases of its set bits. Blocked,
// slice and (later) MMA and shared-memory layouts are all constructors of this
// one representation, so lowering code never matches pairs of layout kinds.
// A zero basis means the elements are replicated along that input bit.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_DIALECTS_TILEGPU_IR_LINEARLAYOUT_H
#define TESSEL_DIALECTS_TILEGPU_IR_LINEARLAYOUT_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace tessel::tilegpu {

class LinearLayout {
public:
  enum InDim { Register = 0, Lane = 1, Warp = 2 };
  static constexpr int kNumInDims = 3;
  using Coord = llvm::SmallVector<int64_t, 4>;

  LinearLayout() = default;
  explicit LinearLayout(llvm::ArrayRef<int64_t> shape)
      : shape(shape.begin(), shape.end()) {}

  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  unsigned getRank() const { return shape.size(); }
  llvm::ArrayRef<Coord> getBases(InDim dim) const { return bases[dim]; }
  unsigned getNumBits(InDim dim) const { return bases[dim].size(); }
  int64_t getSize(InDim dim) const { return int64_t(1) << bases[dim].size(); }

  /// Appends a basis for the next bit of `dim`.
  void addBasis(InDim dim, Coord basis) { bases[dim].push_back(basis); }

  /// Coordinates of the element held at (register, lane, warp).
  Coord apply(int64_t reg, int64_t lane, int64_t warp) const;
  /// Coordinates contributed by the bits of one input dimension alone.
  Coord applyPart(InDim dim, int64_t index) const;

  /// Whether register `reg` only repeats a value held by a lower register.
  bool isDuplicateRegister(int64_t reg) const;
  /// Input bits of `dim` whose basis is zero (replicated data).
  llvm::SmallVector<unsigned> getZeroBits(InDim dim) const;

  /// Number of consecutive registers, starting at a multiple of the result,
  /// that hold consecutive elements along dimension `dim` (and stay within
  /// one row of it).
  int64_t getContiguousRegisters(unsigned dim) const;

  /// Row-major linear index of a coordinate.
  int64_t linearize(llvm::ArrayRef<int64_t> coord) const;

  /// Removes dimension `dim` from every basis (the slice of a layout).
  LinearLayout dropDim(unsigned dim) const;
  /// Zeroes every basis component along dimensions of size 1 in `newShape`
  /// (the layout a broadcast source has inside the broadcast result).
  LinearLayout projectTo(llvm::ArrayRef<int64_t> newShape) const;

  /// The (register, lane, warp) index holding coordinate `coord`, or
  /// nullopt when no thread holds it. Where copies exist (zero bases, or
  /// bases summing to another's), the one whose lower input bits are set
  /// least (the lowest register, then lane, then warp) is chosen; the map
  /// from coordinates to indices is linear over GF(2).
  std::optional<std::array<int64_t, kNumInDims>>
  invert(llvm::ArrayRef<int64_t> coord) const;
  /// Whether every coordinate of the tensor is held by some thread.
  bool isSurjective() const;
  /// `other`'s inverse after this layout: for each input bit of this layout,
  /// where `other` holds the same element, as a layout whose "tensor" is
  /// `other`'s (register, lane, warp) index space (shape {registers, lanes,
  /// warps} of `other`). A layout conversion moves register r of thread
  /// (l, w) to the index this map gives for (r, l, w). Fails (nullopt) when
  /// `other` does not hold some element this layout holds, or the shapes
  /// differ.
  std::optional<LinearLayout> invertAndCompose(const LinearLayout &other) const;

  bool sameBases(const LinearLayout &other, InDim dim) const {
    return bases[dim] == other.bases[dim];
  }
  bool operator==(const LinearLayout &other) const {
    return shape == other.shape && bases == other.bases;
  }
  std::string str() const;

private:
  llvm::SmallVector<int64_t, 4> shape;
  std::array<llvm::SmallVector<Coord>, kNumInDims> bases;
};

} // namespace tessel::tilegpu

#endif

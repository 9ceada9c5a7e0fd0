//===- AxisInfo.h - contiguity, divisibility, constancy ---------*- C++ -*-===//
//
// Per tensor dimension: the length of runs of consecutive values
// (contiguity), the largest power of two dividing the first value of each run
// (divisibility, in elements for integers and bytes for pointers), and the
// length of runs of equal values (constancy). Drives the width of vector memory
// accesses and of their masks.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_PASSES_AXISINFO_H
#define TESSEL_PASSES_AXISINFO_H

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace tessel {

struct AxisInfo {
  using Dims = llvm::SmallVector<int64_t, 4>;
  Dims contiguity, divisibility, constancy;

  /// The most pessimistic facts about a value of `rank` dimensions.
  static AxisInfo unknown(unsigned rank) {
    return {Dims(std::max(rank, 1u), 1), Dims(std::max(rank, 1u), 1),
            Dims(std::max(rank, 1u), 1)};
  }
  unsigned rank() const { return contiguity.size(); }
  bool operator==(const AxisInfo &o) const {
    return contiguity == o.contiguity && divisibility == o.divisibility &&
           constancy == o.constancy;
  }
};

/// Largest power of two that divides `value` (capped for zero).
int64_t highestPowerOf2Divisor(int64_t value);

class AxisInfoAnalysis {
public:
  /// Analyses every value defined in `root` (a function or module).
  explicit AxisInfoAnalysis(mlir::Operation *root);
  AxisInfo get(mlir::Value value) const;

  /// Widest number of consecutive elements along `dim` that start at an
  /// address aligned to their whole size, for a pointer tensor.
  int64_t getPtrContiguity(mlir::Value ptr, unsigned dim) const;
  /// Alignment in bytes known for the first element of each run along `dim`.
  int64_t getPtrAlignment(mlir::Value ptr, unsigned dim) const;
  /// Length of runs of equal mask values along `dim`.
  int64_t getMaskConstancy(mlir::Value mask, unsigned dim) const;

private:
  void walkOps(mlir::Operation *root);
  void visit(mlir::Operation *op);
  void visitLoop(mlir::scf::ForOp loop);
  llvm::DenseMap<mlir::Value, AxisInfo> infos;
};

} // namespace tessel

#endif

//===- SharedTiles.h - tiles in shared memory, ldmatrix --------*- C++ -*-===//
//
// The swizzled tile layout the rings and wgmma use (async_copy and TMA
// write it, wgmma and tilegpu.stage_load read it), and ldmatrix, which
// reads mma.sync operand fragments from row-major 16-byte chunks.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_LIB_CONVERSION_TILEGPUTOLLVM_SHAREDTILES_H
#define TESSEL_LIB_CONVERSION_TILEGPUTOLLVM_SHAREDTILES_H

#include "PatternUtils.h"

namespace tessel {

/// Bytes per element of a tile of values or of pointers to them.
int64_t elementBytesOf(mlir::RankedTensorType type);

/// The kernel's shared memory at `offset` bytes into ring stage `stage` of
/// `stageBytes` bytes (where async_copy writes and stage_load reads).
mlir::Value stageBase(mlir::OpBuilder &b, mlir::Location loc,
                      const LoweringState &state, mlir::Value stage,
                      int64_t stageBytes, int64_t offset);

/// A 16- or 8-bit tile (`rows` x `columns`, columns contiguous) in shared
/// memory as wgmma reads it: slices of `rowBytes` bytes of columns, each
/// `rows` rows of `rowBytes` bytes, one after the other; the 16-byte chunk
/// index of row r
/// is XORed with (r / (128 / rowBytes)) mod (rowBytes / 16) (byte-address
/// bits 4.. XORed with bits 7..: CUTLASS's Swizzle<log2(rowBytes / 16), 4,
/// 3> on offsets from the tile start), a pattern that repeats every 8 rows
/// (1024, 512 or 256 bytes) and keeps the rows the tensor cores read
/// together in different banks.
struct SwizzledTile {
  int64_t rows;
  int64_t elementBytes;
  int64_t rowBytes;

  SwizzledTile(int64_t rows, int64_t columns, int64_t elementBytes)
      : rows(rows), elementBytes(elementBytes),
        rowBytes(tilegpu::wgmmaSwizzleBytes(columns, elementBytes)) {
    assert(rowBytes && "a wgmma tile's contiguous dimension is a multiple "
                       "of 32 bytes");
  }
  /// A tile of `type`'s shape and element (or pointee) size.
  explicit SwizzledTile(mlir::RankedTensorType type)
      : SwizzledTile(type.getShape()[0], type.getShape()[1],
                     elementBytesOf(type)) {}

  int64_t rowElements() const { return rowBytes / elementBytes; }
  /// Elements per 16-byte chunk.
  int64_t chunkElements() const { return 16 / elementBytes; }
  int64_t sliceBytes() const { return rows * rowBytes; }
  /// Bytes between groups of 8 rows: the descriptors' stride byte offset.
  int64_t groupBytes() const { return 8 * rowBytes; }
  /// The descriptors' swizzle mode: 1, 2, 3 for 128, 64, 32 bytes.
  uint64_t descriptorMode() const {
    return rowBytes == 128 ? 1 : rowBytes == 64 ? 2 : 3;
  }
  /// Byte offset of element (row, column) (i32 values) from the tile start.
  mlir::Value offset(mlir::OpBuilder &b, mlir::Location loc, mlir::Value row,
                     mlir::Value column) const;
  /// Byte offset (from the tile start) of the 32 bytes of columns from
  /// `column` of row `row` (a multiple of 8): where a K-major wgmma step
  /// starts.
  int64_t stepOffset(int64_t row, int64_t column) const {
    return column / rowElements() * sliceBytes() + row * rowBytes +
           column % rowElements() * elementBytes;
  }
};

/// Calls `body(r, offset, immediate)` for each run of `run` registers
/// (along the second dimension) that this thread holds, skipping
/// duplicated registers, with `offset + immediate` the run's byte offset in
/// `tile`. With `transposed`, element (i, j) of the layout's tensor is
/// element (j, i) of `tile` (then `run` is 1).
///
/// A run whose row is the thread's row plus a multiple of 8 and whose
/// column is the thread's plus whole slices (their bits disjoint from every
/// bit lanes and warps set, so XOR is addition) has the swizzle phase of
/// the thread's own element: its offset is the thread's plus a constant
/// `immediate`, which the address takes as it is ([base + imm]) instead of
/// one register per run (LLVM would hoist each sum out of a loop).
void forEachSwizzledRun(
    mlir::OpBuilder &b, mlir::Location loc, const tilegpu::LinearLayout &layout,
    const LoweringState &state, const SwizzledTile &tile, int64_t run,
    llvm::function_ref<void(int64_t, mlir::Value, int64_t)> body,
    bool transposed = false);

/// When `to` is read from the row-major tile by `ldmatrix.x4` (16-bit
/// elements, NVIDIA): each group of 8 registers is four 8x8 matrices,
/// register bit 0 and lane bits 0-4 placing the elements as ldmatrix
/// does (lane L: row L / 4, columns 2 (L % 4) + {0, 1}; with `.trans`,
/// rows and columns swapped: the mma.sync B fragments of a K x N tile),
/// register bits 1-2 the matrix, every other basis a multiple of 8 rows
/// and columns. Returns the layout of the row addresses the lanes give:
/// lane bits 0-2 the row within a matrix, lane bits 3-4 the matrix,
/// the same warps, one register per group.
std::optional<tilegpu::LinearLayout>
ldmatrixRows(const TargetInfo &target, const tilegpu::LinearLayout &to,
             int64_t elementBytes);

/// `ldmatrix.sync.aligned.m8n8.x4[.trans].shared.b16` at `ptr` (this
/// lane's row): the four 32-bit registers, matrix i in register i.
llvm::SmallVector<mlir::Value> loadMatrices(mlir::OpBuilder &b,
                                            mlir::Location loc, mlir::Value ptr,
                                            bool transpose);

} // namespace tessel

#endif // TESSEL_LIB_CONVERSION_TILEGPUTOLLVM_SHAREDTILES_H

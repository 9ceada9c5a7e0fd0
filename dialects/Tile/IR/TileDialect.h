//===- TileDialect.h - the Tile dialect -------------------------*- C++ -*-===//
#ifndef TESSEL_DIALECTS_TILE_IR_TILEDIALECT_H
#define TESSEL_DIALECTS_TILE_IR_TILEDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace tessel::tile {
/// Verifies that a Tile op sits inside a function and that its tensors are
/// tiles (trait Tile_InFunction).
mlir::LogicalResult verifyInFunction(mlir::Operation *op);

template <typename ConcreteType>
class InFunction
    : public mlir::OpTrait::TraitBase<ConcreteType, InFunction> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return verifyInFunction(op);
  }
};
} // namespace tessel::tile

#include "dialects/Tile/IR/TileDialect.h.inc"
#include "dialects/Tile/IR/TileEnums.h.inc"

#define GET_TYPEDEF_CLASSES
#include "dialects/Tile/IR/TileTypes.h.inc"

namespace tessel::tile {
/// The pointee of a pointer, or a tensor of pointees for a tensor of pointers.
mlir::Type getPointeeTypeLike(mlir::Type ptrLike);
/// i1, or a tensor of i1 with the shape of `type`.
mlir::Type getBoolTypeLike(mlir::Type type);
/// The most elements a tile may have (Triton's TRITON_MAX_TENSOR_NUMEL).
inline constexpr int64_t kMaxTileElements = int64_t(1) << 20;
/// A !tile.tensormap parameter: CUDA's CUtensorMap (bytes, alignment).
inline constexpr int64_t kTensorMapBytes = 128;
inline constexpr int64_t kTensorMapAlignment = 64;
/// An scf.for's own pipelining depth (`tl.range(..., num_stages=N)`),
/// overriding the kernel's num_stages for that loop.
inline constexpr llvm::StringLiteral kNumStagesAttrName = "tile.num_stages";
/// Marks an scf.for whose TMA ring should get a producer warp
/// (`tl.range(..., warp_specialize=True)`).
inline constexpr llvm::StringLiteral kWarpSpecializeAttrName =
    "tile.warp_specialize";
/// Marks a kernel argument that was a !tile.tensormap once it is a pointer.
inline constexpr llvm::StringLiteral kTensorMapArgAttrName = "tile.tensormap";
/// Tile IR requires static power-of-two shapes of at most kMaxTileElements.
mlir::LogicalResult verifyTileShape(mlir::Operation *op, mlir::Type type);
/// Checks the type of every value in `func` (arguments, block arguments,
/// results) with verifyTileShape; reports the first offender at its op.
mlir::LogicalResult verifyTileTypes(mlir::Operation *func);
/// Bits of a scalar element: pointers are 64-bit addresses.
unsigned getElementBitWidth(mlir::Type scalar);
/// Registers one inline-assembly instance sees for `pack` elements of type
/// `elem`: the elements themselves from 32 bits up, else groups packed into
/// integers of up to 32 bits.
unsigned inlineAsmElementsPerRegister(mlir::Type elem, unsigned pack);
/// The pipelining depth of loop `loop` (an scf.for): its own
/// kNumStagesAttrName, else the kernel's `defaultStages`.
unsigned loopNumStages(mlir::Operation *loop, unsigned defaultStages);
/// Name of the unit attribute that marks a func.func as a kernel entry point.
inline constexpr llvm::StringLiteral kKernelAttrName = "tile.kernel";
/// Marks a function to keep as a real call (Triton's `noinline`).
inline constexpr llvm::StringLiteral kNoInlineAttrName = "tile.noinline";
/// Argument attribute: the value (or address) is divisible by this many bytes.
inline constexpr llvm::StringLiteral kDivisibilityAttrName = "tile.divisibility";
} // namespace tessel::tile

#define GET_OP_CLASSES
#include "dialects/Tile/IR/TileOps.h.inc"

#endif

//===- PatternUtils.h - shared pieces of the TileGPU to LLVM lowering -----===//
#ifndef TESSEL_LIB_CONVERSION_TILEGPUTOLLVM_PATTERNUTILS_H
#define TESSEL_LIB_CONVERSION_TILEGPUTOLLVM_PATTERNUTILS_H

#include "dialects/TileGPU/IR/TileGPUDialect.h"
#include "passes/AxisInfo.h"
#include "passes/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Transforms/DialectConversion.h"

namespace tessel {

/// Tensors become the vector of the elements one thread holds (one lane per
/// register of the linear layout); pointers become LLVM pointers.
class TileGPUTypeConverter : public mlir::TypeConverter {
public:
  TileGPUTypeConverter(mlir::MLIRContext *ctx, const TargetInfo &target);
  unsigned globalAddressSpace() const { return target.isGPU() ? 1 : 0; }
  mlir::MLIRContext *getContext() const { return ctx; }
  const TargetInfo target;

private:
  mlir::MLIRContext *ctx;
};

/// What the patterns need to know besides types.
struct LoweringState {
  TargetInfo target;
  unsigned numWarps = 1;
  unsigned threadsPerWarp = 1;
  /// Warps past numWarps that a warp-specialized kernel launches (its TMA
  /// producer): barriers then synchronize the numWarps consumer warps only.
  unsigned producerWarps = 0;
  /// Where the shared memory of ops that use it for themselves (layout
  /// conversions, reductions, scans, ...) starts: past the rings and
  /// barriers that stay live around them (a warp-specialized persistent
  /// kernel's producer fills its ring during the epilogue).
  int64_t scratchOffset = 0;
  const AxisInfoAnalysis *axisInfo = nullptr;
  /// Symbol of the module's shared-memory buffer, if any conversion needs it.
  std::string sharedSymbol;
};

void populateElementwiseToLLVMPatterns(TileGPUTypeConverter &converter,
                                       const LoweringState &state,
                                       mlir::RewritePatternSet &patterns);
void populateLayoutOpsToLLVMPatterns(TileGPUTypeConverter &converter,
                                     const LoweringState &state,
                                     mlir::RewritePatternSet &patterns);
void populateMemoryOpsToLLVMPatterns(TileGPUTypeConverter &converter,
                                     const LoweringState &state,
                                     mlir::RewritePatternSet &patterns);

/// Base of the patterns that lower tile ops on laid-out tensors.
template <typename Op>
struct TileGPUOpPattern : mlir::OpConversionPattern<Op> {
  TileGPUOpPattern(TileGPUTypeConverter &converter, const LoweringState &state)
      : mlir::OpConversionPattern<Op>(converter, converter.getContext()),
        state(state) {}
  const LoweringState &state;

  static tilegpu::LinearLayout layoutOf(mlir::Value v) {
    return *tilegpu::toLinearLayout(
        mlir::cast<mlir::RankedTensorType>(v.getType()));
  }
  mlir::VectorType vectorOf(mlir::Value v) const {
    return mlir::cast<mlir::VectorType>(
        this->getTypeConverter()->convertType(v.getType()));
  }
};

/// Ops that are their operand once lowered (pointer casts, hints).
template <typename Op>
struct ForwardOperandLowering : mlir::OpConversionPattern<Op> {
  using mlir::OpConversionPattern<Op>::OpConversionPattern;
  mlir::LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  mlir::ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getSrc());
    return mlir::success();
  }
};

void populateReduceOpToLLVMPatterns(TileGPUTypeConverter &converter,
                                    const LoweringState &state,
                                    mlir::RewritePatternSet &patterns);
void populateAtomicOpsToLLVMPatterns(TileGPUTypeConverter &converter,
                                     const LoweringState &state,
                                     mlir::RewritePatternSet &patterns);
/// Whether a scalar atomic's result must reach every thread (through shared
/// memory).
bool needsAtomicBroadcast(mlir::Operation *op);
void populateDebugOpsToLLVMPatterns(TileGPUTypeConverter &converter,
                                    const LoweringState &state,
                                    mlir::RewritePatternSet &patterns);
void populateExternOpsToLLVMPatterns(TileGPUTypeConverter &converter,
                                     const LoweringState &state,
                                     mlir::RewritePatternSet &patterns);
void populateScanOpToLLVMPatterns(TileGPUTypeConverter &converter,
                                  const LoweringState &state,
                                  mlir::RewritePatternSet &patterns);
void populateDotOpToLLVMPatterns(TileGPUTypeConverter &converter,
                                 const LoweringState &state,
                                 mlir::RewritePatternSet &patterns);
/// tile.dot with #tilegpu.mma accumulators: mma.sync (NVIDIA sm_80+).
void populateMmaDotOpToLLVMPatterns(TileGPUTypeConverter &converter,
                                    const LoweringState &state,
                                    mlir::RewritePatternSet &patterns);
/// tile.dot with #tilegpu.mfma accumulators: MFMA (AMD gfx90a, gfx942).
void populateMfmaDotOpToLLVMPatterns(TileGPUTypeConverter &converter,
                                     const LoweringState &state,
                                     mlir::RewritePatternSet &patterns);
/// tile.dot with #tilegpu.mma version 3 accumulators: wgmma (sm_90a).
void populateWgmmaDotOpToLLVMPatterns(TileGPUTypeConverter &converter,
                                      const LoweringState &state,
                                      mlir::RewritePatternSet &patterns);
/// Bytes of shared memory a wgmma dot (tile.dot with an mma v3 accumulator,
/// or tilegpu.async_dot, all its stages) stores its operands in; 0 for
/// other ops.
int64_t wgmmaSharedMemoryBytes(mlir::Operation *op);
void populateTmaOpsToLLVMPatterns(TileGPUTypeConverter &converter,
                                  const LoweringState &state,
                                  mlir::RewritePatternSet &patterns);
/// Bytes of shared memory a TMA ring's mbarriers reach (0 for other ops).
int64_t mbarrierSharedMemoryBytes(mlir::Operation *op);
/// Bytes of one stage of a wgmma dot's operands.
int64_t wgmmaStageBytes(mlir::Type aType, mlir::Type accType);
/// Bytes of shared memory a portable dot stages its operands in on GPUs.
int64_t dotSharedMemoryBytes(tile::DotOp op);
/// Bytes of shared memory a scan across threads needs (0 if none).
int64_t scanSharedMemoryBytes(tile::ScanOp op);
/// Bytes of shared memory a reduction across warps needs (0 if none).
int64_t reduceSharedMemoryBytes(tile::ReduceOp op);

/// Whether every basis that moves along `axis` moves along it alone (what
/// reductions and scans along `axis` need).
bool basesMoveAlongAxisAlone(const tilegpu::LinearLayout &layout,
                             unsigned axis);
/// Bytes one element of `type` takes in memory (pointers: 8).
int64_t memoryBytes(mlir::Type type);

/// Moves through shared memory address elements by their row-major index in
/// the source shape, skewed by one padding element per row of the last
/// dimension (rows of at least 32 elements): threads that read along another
/// dimension then fall into different banks. Elements the buffer needs:
int64_t paddedSharedElements(llvm::ArrayRef<int64_t> shape);
/// Row length (elements between two padding elements) for `shape`.
int64_t sharedRowLength(llvm::ArrayRef<int64_t> shape);

/// Whether a layout conversion can stay within each thread's registers.
bool isRegisterOnlyConversion(const tilegpu::LinearLayout &from,
                              const tilegpu::LinearLayout &to);

namespace llvmutil {
/// An LLVM atomicrmw/cmpxchg (cmpxchg on the bits of floats) with the
/// ordering of `sem` in synchronization scope `scope` ("" for the system).
mlir::Value atomicRMW(mlir::OpBuilder &b, mlir::Location loc,
                      tile::RMWKind kind, tile::MemSemantic sem,
                      llvm::StringRef scope, mlir::Value ptr, mlir::Value val);
mlir::Value atomicCAS(mlir::OpBuilder &b, mlir::Location loc,
                      tile::MemSemantic sem, llvm::StringRef scope,
                      mlir::Value ptr, mlir::Value cmp, mlir::Value val);
/// Calls the target's printf with `format` (printf's syntax) and `args`.
void emitPrintf(mlir::OpBuilder &b, mlir::Location loc, const TargetInfo &target,
                llvm::StringRef format, llvm::ArrayRef<mlir::Value> args);
/// printf's view of a value: its promoted value and conversion (`%d`, ...).
std::pair<mlir::Value, std::string> printfArg(mlir::OpBuilder &b,
                                              mlir::Location loc, mlir::Value v,
                                              bool isSigned, bool hex);
/// `text` with every `%` doubled.
std::string escapePercent(llvm::StringRef text);
/// Calls the target's assertion-failure routine for `op` (a tile.assert),
/// naming its message, file, line and function.
void emitAssertFail(mlir::OpBuilder &b, mlir::Location loc,
                    const TargetInfo &target, mlir::Operation *op);
/// The function of the target's library that a portable device-library
/// name (`__nv_<f>`, `__ocml_<f>_f32`) stands for, on `elemType`.
std::string resolveLibrarySymbol(llvm::StringRef symbol,
                                 const TargetInfo &target, mlir::Type elemType);
/// The library function a tile.extern_elementwise calls on elements of
/// `elemType` with `params`, declared in the module.
mlir::FailureOr<mlir::LLVM::LLVMFuncOp>
externCallee(tile::ExternElementwiseOp op, mlir::OpBuilder &b,
             const TargetInfo &target, mlir::Type elemType,
             llvm::ArrayRef<mlir::Type> params);
/// One call of `callee`; `pure` calls neither read nor write memory.
mlir::Value callExtern(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::LLVM::LLVMFuncOp callee,
                       llvm::ArrayRef<mlir::Value> args, bool pure);
/// The declaration of external function `name` in `op`'s module, created on
/// first use; an error when the name is taken with another type.
mlir::FailureOr<mlir::LLVM::LLVMFuncOp>
declareExternal(mlir::Operation *op, mlir::OpBuilder &b, llvm::StringRef name,
                mlir::LLVM::LLVMFunctionType type);
mlir::Value i32Const(mlir::OpBuilder &b, mlir::Location loc, int64_t value);
/// An inline-assembly statement with side effects (kept in order).
mlir::LLVM::InlineAsmOp asmStatement(mlir::OpBuilder &b, mlir::Location loc,
                                     mlir::Type result,
                                     mlir::ValueRange operands,
                                     llvm::StringRef text,
                                     llvm::StringRef constraints);
/// The shared memory ops use for themselves (see LoweringState::scratchOffset).
mlir::Value sharedScratch(mlir::OpBuilder &b, mlir::Location loc,
                          const LoweringState &state);
/// The kernel's shared memory plus `offset` bytes (an i32).
mlir::Value sharedBase(mlir::OpBuilder &b, mlir::Location loc,
                       const LoweringState &state, mlir::Value offset);
mlir::Value extract(mlir::OpBuilder &b, mlir::Location loc, mlir::Value vec,
                    int64_t index);
mlir::Value insert(mlir::OpBuilder &b, mlir::Location loc, mlir::Value vec,
                   mlir::Value elem, int64_t index);
mlir::Value splat(mlir::OpBuilder &b, mlir::Location loc, mlir::Value scalar,
                  mlir::VectorType type);
/// shufflevector(vec, vec, mask); returns `vec` for an identity mask.
mlir::Value shuffle(mlir::OpBuilder &b, mlir::Location loc, mlir::Value vec,
                    llvm::ArrayRef<int32_t> mask);
/// Register indices start, start + 1, ..., start + count - 1.
llvm::SmallVector<int32_t> registerRange(int64_t start, int64_t count);
/// Builds a vector from scalars.
mlir::Value pack(mlir::OpBuilder &b, mlir::Location loc, mlir::VectorType type,
                 llvm::ArrayRef<mlir::Value> elems);
/// Runs `body` under `cond` (when non-null) in an scf.if yielding `type`;
/// `orElse` gives the value when the condition is false.
mlir::Value guarded(mlir::OpBuilder &b, mlir::Location loc, mlir::Value cond,
                    mlir::Type type,
                    llvm::function_ref<mlir::Value(mlir::OpBuilder &)> body,
                    llvm::function_ref<mlir::Value(mlir::OpBuilder &)> orElse);
void guarded(mlir::OpBuilder &b, mlir::Location loc, mlir::Value cond,
             llvm::function_ref<void(mlir::OpBuilder &)> body);
/// x && y, where a null operand stands for true.
mlir::Value andOf(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                  mlir::Value y);
/// The value `v` of lane (lane ^ mask): shfl.sync.bfly on NVIDIA,
/// ds_bpermute on AMD; 64-bit values and pointers in two halves.
mlir::Value shuffleXor(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                       unsigned mask, const LoweringState &state);
/// A stack buffer of `count` elements of `elem` allocated in the entry block
/// of the function around the insertion point (the CPU's scratch memory).
mlir::Value entryAlloca(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Type elem, int64_t count, unsigned alignment);
/// The named barrier of a warp-specialized kernel's consumer warps (0 is
/// every thread's).
inline constexpr int kConsumerBarrierId = 1;
/// Block-wide barrier of the target (null on the CPU, one thread per
/// program); the consumer warps' barrier in a warp-specialized kernel.
mlir::Operation *barrier(mlir::OpBuilder &b, mlir::Location loc,
                         const LoweringState &state);
/// Inlines a reduce/scan combine region on (accumulators, elements) and
/// returns the new accumulators.
llvm::SmallVector<mlir::Value> combine(mlir::Region &region,
                                       mlir::OpBuilder &b,
                                       llvm::ArrayRef<mlir::Value> lhs,
                                       llvm::ArrayRef<mlir::Value> rhs);
/// Like combine, on vectors: every element is combined independently (the
/// region's scalar ops are rebuilt on vector types).
llvm::SmallVector<mlir::Value> combineVectors(mlir::Region &region,
                                              mlir::OpBuilder &b,
                                              llvm::ArrayRef<mlir::Value> lhs,
                                              llvm::ArrayRef<mlir::Value> rhs);
/// Lane and warp index of the executing thread (constants 0 on the CPU).
std::pair<mlir::Value, mlir::Value> laneAndWarp(mlir::OpBuilder &b,
                                                mlir::Location loc,
                                                const LoweringState &state);
/// Per tensor dimension, the coordinate bits contributed by the lane and the
/// warp of the executing thread (XOR of the bases of their set bits).
llvm::SmallVector<mlir::Value>
threadCoordinates(mlir::OpBuilder &b, mlir::Location loc,
                  const tilegpu::LinearLayout &layout,
                  const LoweringState &state);
/// i1 that is true on the one thread that owns each element (false on
/// threads holding replicated copies); null when no thread replicates.
mlir::Value ownerPredicate(mlir::OpBuilder &b, mlir::Location loc,
                           const tilegpu::LinearLayout &layout,
                           const LoweringState &state);
} // namespace llvmutil

} // namespace tessel

#endif

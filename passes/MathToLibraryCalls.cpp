//===- MathToLibraryCalls.cpp - math the target lacks as calls ------------===//
#include "passes/Passes.h"

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

namespace tessel {
#define GEN_PASS_DEF_MATHTOLIBRARYCALLS
#include "passes/Passes.h.inc"
} // namespace tessel

using namespace mlir;
using namespace tessel;

std::string tessel::libraryName(const TargetInfo &target, StringRef base,
                                FloatType type) {
  bool f64 = type.isF64();
  switch (target.kind) {
  case TargetKind::NVIDIA:
    return ("__nv_" + base + (f64 ? "" : "f")).str();
  case TargetKind::AMD:
    return ("__ocml_" + base + (f64 ? "_f64" : "_f32")).str();
  case TargetKind::CPU:
    return (base + (f64 ? "" : "f")).str();
  }
  llvm_unreachable("unknown target");
}

namespace {
/// A math op implemented by a library function: libdevice on NVIDIA
/// (__nv_expf), OCML on AMD (__ocml_exp_f32), libm on the CPU (expf).
struct MathFunction {
  StringRef opName, base;
  bool onCpu; // LLVM intrinsics already cover the others on the CPU.
};
const MathFunction kMathFunctions[] = {
    {"math.exp", "exp", false},     {"math.exp2", "exp2", false},
    {"math.log", "log", false},     {"math.log2", "log2", false},
    {"math.log10", "log10", false}, {"math.log1p", "log1p", true},
    {"math.expm1", "expm1", true},  {"math.sin", "sin", false},
    {"math.cos", "cos", false},     {"math.tan", "tan", true},
    {"math.tanh", "tanh", true},    {"math.sinh", "sinh", true},
    {"math.cosh", "cosh", true},    {"math.asin", "asin", true},
    {"math.acos", "acos", true},    {"math.atan", "atan", true},
    {"math.atan2", "atan2", true},  {"math.erf", "erf", true},
    {"math.powf", "pow", false},    {"math.rsqrt", "rsqrt", false},
    {"math.sqrt", "sqrt", false},   {"math.cbrt", "cbrt", true},
};


/// Applies `scalar` to each element of `operands` (or to the scalars).
Value elementwise(ConversionPatternRewriter &rewriter, Location loc,
                  Type resultType, ArrayRef<Value> operands,
                  function_ref<Value(ArrayRef<Value>)> scalar) {
  auto vecType = dyn_cast<VectorType>(resultType);
  if (!vecType)
    return scalar(operands);
  Value result = LLVM::PoisonOp::create(rewriter, loc, vecType);
  for (int64_t i = 0; i < vecType.getNumElements(); ++i) {
    Value index = LLVM::ConstantOp::create(rewriter, 
        loc, rewriter.getI32Type(), rewriter.getI32IntegerAttr(i));
    SmallVector<Value> args;
    for (Value v : operands)
      args.push_back(LLVM::ExtractElementOp::create(rewriter, loc, v, index));
    result = LLVM::InsertElementOp::create(rewriter, loc, result, scalar(args),
                                                    index);
  }
  return result;
}

/// Float32 exp and division marked `afn` (Triton's `tl.exp` and `/`) use
/// NVIDIA's fast forms: ex2.approx after a multiply by log2(e), and
/// div.full (2 ulp), as Triton does. Float32 exp2 is ex2.approx itself
/// (what libdevice's exp2f computes too). Both flush subnormal inputs and
/// results to zero (`.ftz`) as Triton's do: without it ptxas wraps each
/// ex2 in a range test and two multiplies (in attention's loop, 102 of its
/// 686 SASS instructions).
bool isFastNVIDIAMath(Operation *op, const TargetInfo &target) {
  if (target.kind != TargetKind::NVIDIA)
    return false;
  if (isa<math::Exp2Op>(op))
    return getElementTypeOrSelf(op->getResult(0).getType()).isF32();
  if (!isa<math::ExpOp, arith::DivFOp>(op))
    return false;
  auto fastmath = op->getAttrOfType<arith::FastMathFlagsAttr>("fastmath");
  return fastmath &&
         bitEnumContainsAll(fastmath.getValue(), arith::FastMathFlags::afn) &&
         getElementTypeOrSelf(op->getResult(0).getType()).isF32();
}

struct FastNVIDIAMath : ConversionPattern {
  FastNVIDIAMath(MLIRContext *ctx, const TargetInfo &target)
      : ConversionPattern(MatchAnyOpTypeTag(), /*benefit=*/20, ctx),
        target(target) {}
  TargetInfo target;

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isFastNVIDIAMath(op, target))
      return failure();
    Location loc = op->getLoc();
    Type f32 = rewriter.getF32Type();
    bool isExp = isa<math::ExpOp>(op);
    bool usesEx2 = isExp || isa<math::Exp2Op>(op);
    auto intrinsic = rewriter.getStringAttr(
        usesEx2 ? "llvm.nvvm.ex2.approx.ftz.f32" : "llvm.nvvm.div.full");
    Value log2e;
    if (isExp)
      log2e = LLVM::ConstantOp::create(rewriter, 
          loc, f32, rewriter.getF32FloatAttr(1.4426950408889634f));
    rewriter.replaceOp(
        op, elementwise(rewriter, loc, op->getResult(0).getType(), operands,
                        [&](ArrayRef<Value> args) -> Value {
                          SmallVector<Value> callArgs(args);
                          if (isExp)
                            callArgs = {LLVM::FMulOp::create(rewriter, 
                                loc, args[0], log2e)};
                          return LLVM::CallIntrinsicOp::create(rewriter, loc, f32,
                                                             intrinsic, callArgs)
                              .getResult(0);
                        }));
    return success();
  }
};

/// Float `%` on AMD: OCML's fmod (half types on their float32 values, which
/// is exact: fmod is, and its result fits the operands' format). The AMDGPU
/// backend lowers frem only in some forms; in others (bfloat16, some vector
/// shapes) it stops with "no libcall available for frem".
const MathFunction kAmdRemainder = {"arith.remf", "fmod", false};

/// The library function that implements `op` on `target`, if it needs one.
const MathFunction *findLibraryFunction(Operation *op,
                                        const TargetInfo &target) {
  if (op->getNumResults() != 1 ||
      !isa<FloatType>(getElementTypeOrSelf(op->getResult(0).getType())))
    return nullptr;
  if (target.kind == TargetKind::AMD && isa<arith::RemFOp>(op))
    return &kAmdRemainder;
  for (const MathFunction &f : kMathFunctions) {
    if (op->getName().getStringRef() != f.opName)
      continue;
    if (!target.isGPU() && !f.onCpu)
      return nullptr;
    // Square roots are native instructions on the GPUs.
    if (target.isGPU() && f.base == "sqrt")
      return nullptr;
    return &f;
  }
  return nullptr;
}

bool needsLibraryCall(Operation *op, const TargetInfo &target) {
  return findLibraryFunction(op, target) != nullptr;
}

struct MathToLibraryCall : ConversionPattern {
  MathToLibraryCall(const LLVMTypeConverter &converter, const TargetInfo &target)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), /*benefit=*/10,
                          &converter.getContext()),
        target(target) {}
  TargetInfo target;

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    const MathFunction *fn = findLibraryFunction(op, target);
    if (!fn)
      return failure();
    Type resultType = op->getResult(0).getType();
    auto elemType = dyn_cast<FloatType>(getElementTypeOrSelf(resultType));
    if (!elemType)
      return failure();
    // Half types compute in float32, as libdevice/OCML/libm provide.
    FloatType callType = elemType.isF64() ? elemType
                                          : Float32Type::get(op->getContext());
    Location loc = op->getLoc();
    auto module = op->getParentOfType<ModuleOp>();
    std::string name = libraryName(target, fn->base, callType);
    auto callee = module.lookupSymbol<LLVM::LLVMFuncOp>(name);
    if (!callee) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToEnd(module.getBody());
      SmallVector<Type> params(op->getNumOperands(), callType);
      callee = LLVM::LLVMFuncOp::create(rewriter, 
          loc, name, LLVM::LLVMFunctionType::get(callType, params));
    }
    auto callOn = [&](ArrayRef<Value> args) -> Value {
      SmallVector<Value> widened;
      for (Value a : args)
        widened.push_back(a.getType() == callType
                              ? a
                              : LLVM::FPExtOp::create(rewriter, loc, callType, a)
                                    .getResult());
      Value r = LLVM::CallOp::create(rewriter, loc, callee, widened).getResult();
      if (callType != elemType)
        r = LLVM::FPTruncOp::create(rewriter, loc, elemType, r);
      return r;
    };
    rewriter.replaceOp(op,
                       elementwise(rewriter, loc, resultType, operands, callOn));
    return success();
  }
};

struct MathToLibraryCallsPass
    : tessel::impl::MathToLibraryCallsBase<MathToLibraryCallsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    TargetInfo target;
    if (auto t = getModuleTarget(module); succeeded(t))
      target = *t;
    LowerToLLVMOptions options(ctx);
    LLVMTypeConverter converter(ctx, options);
    RewritePatternSet patterns(ctx);
    patterns.add<MathToLibraryCall>(converter, target);
    patterns.add<FastNVIDIAMath>(ctx, target);
    ConversionTarget conversionTarget(*ctx);
    conversionTarget.markUnknownOpDynamicallyLegal([&](Operation *op) {
      return !needsLibraryCall(op, target) && !isFastNVIDIAMath(op, target);
    });
    if (failed(applyPartialConversion(module, conversionTarget,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

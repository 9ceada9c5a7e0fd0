//===- LowerToLLVM.cpp - the standard lowerings, plus target math ---------===//
#include "passes/Passes.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/LLVMCommon/ConversionTarget.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/SymbolTable.h"

namespace tessel {
#define GEN_PASS_DEF_LOWERTOLLVM
#include "passes/Passes.h.inc"
} // namespace tessel

using namespace mlir;
using namespace tessel;

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

std::string libraryName(const TargetInfo &target, StringRef base,
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

struct MathToLibraryCall : ConversionPattern {
  MathToLibraryCall(const LLVMTypeConverter &converter, const TargetInfo &target)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), /*benefit=*/10,
                          &converter.getContext()),
        target(target) {}
  TargetInfo target;

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    const MathFunction *fn = nullptr;
    for (const MathFunction &f : kMathFunctions)
      if (op->getName().getStringRef() == f.opName)
        fn = &f;
    if (!fn || (!target.isGPU() && !fn->onCpu) || op->getNumResults() != 1)
      return failure();
    // Square roots are native instructions on the GPUs.
    if (target.isGPU() && fn->base == "sqrt")
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
      callee = rewriter.create<LLVM::LLVMFuncOp>(
          loc, name, LLVM::LLVMFunctionType::get(callType, params));
    }
    auto callOn = [&](ArrayRef<Value> args) -> Value {
      SmallVector<Value> widened;
      for (Value a : args)
        widened.push_back(a.getType() == callType
                              ? a
                              : rewriter.create<LLVM::FPExtOp>(loc, callType, a)
                                    .getResult());
      Value r = rewriter.create<LLVM::CallOp>(loc, callee, widened).getResult();
      if (callType != elemType)
        r = rewriter.create<LLVM::FPTruncOp>(loc, elemType, r);
      return r;
    };
    auto vecType = dyn_cast<VectorType>(resultType);
    if (!vecType) {
      rewriter.replaceOp(op, callOn(operands));
      return success();
    }
    Value result = rewriter.create<LLVM::PoisonOp>(loc, vecType);
    for (int64_t i = 0; i < vecType.getNumElements(); ++i) {
      Value index = rewriter.create<LLVM::ConstantOp>(
          loc, rewriter.getI32Type(), rewriter.getI32IntegerAttr(i));
      SmallVector<Value> args;
      for (Value v : operands)
        args.push_back(rewriter.create<LLVM::ExtractElementOp>(loc, v, index));
      result = rewriter.create<LLVM::InsertElementOp>(loc, result, callOn(args),
                                                      index);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerToLLVMPass : tessel::impl::LowerToLLVMBase<LowerToLLVMPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    TargetInfo target;
    if (auto t = getModuleTarget(module); succeeded(t))
      target = *t;
    unsigned numWarps = 1;
    if (auto w = module->getAttrOfType<IntegerAttr>(tilegpu::kNumWarpsAttr))
      numWarps = w.getInt();

    SmallVector<std::string> kernels;
    for (auto func : module.getOps<func::FuncOp>())
      if (func->hasAttr(tile::kKernelAttrName))
        kernels.push_back(func.getName().str());

    LLVMConversionTarget conversionTarget(*ctx);
    conversionTarget.addLegalOp<ModuleOp>();
    LowerToLLVMOptions options(ctx);
    LLVMTypeConverter converter(ctx, options);
    RewritePatternSet patterns(ctx);
    patterns.add<MathToLibraryCall>(converter, target);
    arith::populateArithToLLVMConversionPatterns(converter, patterns);
    populateMathToLLVMConversionPatterns(converter, patterns);
    populateSCFToControlFlowConversionPatterns(patterns);
    cf::populateControlFlowToLLVMConversionPatterns(converter, patterns);
    populateFuncToLLVMConversionPatterns(converter, patterns);
    ub::populateUBToLLVMConversionPatterns(converter, patterns);
    if (failed(applyPartialConversion(module, conversionTarget,
                                      std::move(patterns))))
      return signalPassFailure();

    Builder b(ctx);
    unsigned threads = numWarps * target.threadsPerWarp();
    for (const std::string &name : kernels) {
      auto func = module.lookupSymbol<LLVM::LLVMFuncOp>(name);
      if (!func)
        continue;
      func->removeAttr(tile::kKernelAttrName);
      if (target.kind == TargetKind::NVIDIA) {
        func->setAttr("nvvm.kernel", b.getUnitAttr());
        func->setAttr("nvvm.maxntid",
                      b.getDenseI32ArrayAttr({int32_t(threads), 1, 1}));
      } else if (target.kind == TargetKind::AMD) {
        func->setAttr("rocdl.kernel", b.getUnitAttr());
        func->setAttr("rocdl.flat_work_group_size",
                      b.getStringAttr(std::to_string(threads) + "," +
                                      std::to_string(threads)));
        func->setAttr("rocdl.reqd_work_group_size",
                      b.getDenseI32ArrayAttr({int32_t(threads), 1, 1}));
      }
    }
  }
};
} // namespace

//===- ExternOpsToLLVM.cpp - external functions and inline assembly -------===//
//
// tile.extern_elementwise becomes one call per element of the thread's
// registers; tile.inline_asm one llvm.inline_asm per `pack` elements, with
// narrow elements packed into 32-bit registers as Triton passes them.
//
//===----------------------------------------------------------------------===//
#include "PatternUtils.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::llvmutil;

/// The function a device-library name means on `target`: __nv_<f>[f] and
/// __ocml_<f>_f32/_f64 name the same function of every target's library.
std::string llvmutil::resolveLibrarySymbol(StringRef symbol,
                                           const TargetInfo &target,
                                           Type elemType) {
  auto floatType = dyn_cast<FloatType>(elemType);
  if (!floatType || !(floatType.isF32() || floatType.isF64()))
    return symbol.str();
  bool f64 = floatType.isF64();
  StringRef base;
  if (symbol.consume_front("__nv_")) {
    if (target.kind == TargetKind::NVIDIA)
      return ("__nv_" + symbol).str();
    base = symbol;
    if (!f64 && !base.consume_back("f"))
      return ("__nv_" + symbol).str();
    // NVIDIA's fast approximations are the plain functions elsewhere.
    base.consume_front("fast_");
  } else if (symbol.consume_front("__ocml_")) {
    if (target.kind == TargetKind::AMD)
      return ("__ocml_" + symbol).str();
    base = symbol;
    if (!base.consume_back(f64 ? "_f64" : "_f32"))
      return ("__ocml_" + symbol).str();
  } else {
    return symbol.str();
  }
  // The few functions the two device libraries name differently.
  static const std::pair<StringRef, StringRef> kRenamed[] = {
      {"normcdf", "ncdf"}, {"normcdfinv", "ncdfinv"}, {"powi", "pown"}};
  for (auto [nv, ocml] : kRenamed) {
    if (target.kind == TargetKind::AMD && base == nv)
      base = ocml;
    else if (target.kind != TargetKind::AMD && base == ocml)
      base = nv;
  }
  return libraryName(target, base, floatType);
}

/// The declaration of `name` in the module, created on first use.
FailureOr<LLVM::LLVMFuncOp>
llvmutil::declareExternal(Operation *op, OpBuilder &rewriter, StringRef name,
                          LLVM::LLVMFunctionType type) {
  auto module = op->getParentOfType<ModuleOp>();
  if (auto existing = module.lookupSymbol<LLVM::LLVMFuncOp>(name)) {
    if (existing.getFunctionType() != type)
      return op->emitOpError("'")
             << name << "' is called with " << type << " here but "
             << existing.getFunctionType() << " elsewhere";
    return existing;
  }
  if (module.lookupSymbol(name))
    return op->emitOpError("'") << name << "' names a kernel or function of "
                                   "this module, not an external function";
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointToEnd(module.getBody());
  return LLVM::LLVMFuncOp::create(rewriter, op->getLoc(), name, type);
}

FailureOr<LLVM::LLVMFuncOp>
llvmutil::externCallee(tile::ExternElementwiseOp op, OpBuilder &b,
                       const TargetInfo &target, Type elemType,
                       ArrayRef<Type> params) {
  Type keyType = isa<FloatType>(elemType) || params.empty() ? elemType
                                                             : params.front();
  // Another vendor's device-library name is translated for f32 and f64;
  // on other types it would stay an undefined symbol until link time.
  StringRef symbol = op.getSymbol();
  bool foreign =
      (symbol.starts_with("__nv_") && target.kind != TargetKind::NVIDIA) ||
      (symbol.starts_with("__ocml_") && target.kind != TargetKind::AMD);
  if (foreign && !keyType.isF32() && !keyType.isF64())
    return op.emitOpError("'")
           << symbol << "' is translated to this target's library for f32 "
           << "and f64 only, not " << keyType << " (convert the operands to "
           << "f32 first)";
  std::string name = resolveLibrarySymbol(symbol, target, keyType);
  return declareExternal(op, b, name,
                         LLVM::LLVMFunctionType::get(elemType, params));
}

Value llvmutil::callExtern(OpBuilder &b, Location loc, LLVM::LLVMFuncOp callee,
                           ArrayRef<Value> args, bool pure) {
  auto c = LLVM::CallOp::create(b, loc, callee, args);
  if (pure) {
    SmallVector<LLVM::ModRefInfo> none(6, LLVM::ModRefInfo::NoModRef);
    c.setMemoryEffectsAttr(LLVM::MemoryEffectsAttr::get(b.getContext(), none));
    c.setNoUnwind(true);
    c.setWillReturn(true);
  }
  return c.getResult();
}

namespace {
struct ExternElementwiseOpLowering
    : TileGPUOpPattern<tile::ExternElementwiseOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult
  matchAndRewrite(tile::ExternElementwiseOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type resultType = getTypeConverter()->convertType(op.getType());
    Type elemType = getElementTypeOrSelf(resultType);
    SmallVector<Type> params;
    for (Value v : adaptor.getSrcs())
      params.push_back(getElementTypeOrSelf(v.getType()));
    FailureOr<LLVM::LLVMFuncOp> callee =
        externCallee(op, rewriter, state.target, elemType, params);
    if (failed(callee))
      return failure();
    auto call = [&](ArrayRef<Value> args) {
      return callExtern(rewriter, loc, *callee, args, op.getPure());
    };
    auto vecType = dyn_cast<VectorType>(resultType);
    if (!vecType) {
      rewriter.replaceOp(op, call(llvm::to_vector(adaptor.getSrcs())));
      return success();
    }
    SmallVector<Value> elems;
    for (int64_t i = 0; i < vecType.getNumElements(); ++i) {
      SmallVector<Value> args;
      for (Value v : adaptor.getSrcs())
        args.push_back(extract(rewriter, loc, v, i));
      elems.push_back(call(args));
    }
    rewriter.replaceOp(op, pack(rewriter, loc, vecType, elems));
    return success();
  }
};


/// Elements of one assembly register; addresses (already LLVM pointers
/// here) take a 64-bit register each.
unsigned elementsPerRegister(Type elem, unsigned pack) {
  if (isa<LLVM::LLVMPointerType>(elem))
    return 1;
  return tile::inlineAsmElementsPerRegister(elem, pack);
}

struct InlineAsmOpLowering : TileGPUOpPattern<tile::InlineAsmOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult
  matchAndRewrite(tile::InlineAsmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (state.target.kind != TargetKind::NVIDIA)
      return op.emitOpError("inline assembly is supported on NVIDIA targets "
                            "only");
    Location loc = op.getLoc();
    unsigned pack = op.getPack();
    SmallVector<Type> resultTypes;
    for (Type t : op.getResultTypes())
      resultTypes.push_back(getTypeConverter()->convertType(t));
    int64_t count = 1;
    if (auto vec = dyn_cast<VectorType>(resultTypes.front()))
      count = vec.getNumElements();
    if (count % pack)
      return op.emitOpError("each thread holds ")
             << count << " elements, not a multiple of pack = " << pack;

    // Register types of the assembly's outputs, in order.
    SmallVector<Type> outRegs;
    for (Type t : resultTypes) {
      Type elem = getElementTypeOrSelf(t);
      unsigned per = elementsPerRegister(elem, pack);
      Type reg = per == 1 ? elem
                          : rewriter.getIntegerType(
                                per * elem.getIntOrFloatBitWidth());
      outRegs.append(pack / per, reg);
    }
    Type asmResult =
        outRegs.size() == 1
            ? outRegs.front()
            : LLVM::LLVMStructType::getLiteral(rewriter.getContext(), outRegs);

    SmallVector<SmallVector<Value>> results(resultTypes.size());
    for (int64_t start = 0; start < count; start += pack) {
      SmallVector<Value> operands;
      for (Value v : adaptor.getSrcs()) {
        Type elem = getElementTypeOrSelf(v.getType());
        unsigned per = elementsPerRegister(elem, pack);
        for (unsigned i = 0; i < pack; i += per) {
          if (per == 1) {
            Value x = isa<VectorType>(v.getType())
                          ? extract(rewriter, loc, v, start + i)
                          : v;
            // Addresses travel as 64-bit integers (an `l` register).
            if (isa<LLVM::LLVMPointerType>(x.getType()))
              x = LLVM::PtrToIntOp::create(rewriter, loc,
                                           rewriter.getI64Type(), x);
            operands.push_back(x);
            continue;
          }
          SmallVector<Value> group;
          for (unsigned j = 0; j < per; ++j)
            group.push_back(extract(rewriter, loc, v, start + i + j));
          Value packed =
              llvmutil::pack(rewriter, loc, VectorType::get({per}, elem), group);
          operands.push_back(LLVM::BitcastOp::create(rewriter, 
              loc, rewriter.getIntegerType(per * elem.getIntOrFloatBitWidth()),
              packed));
        }
      }
      auto asmOp = LLVM::InlineAsmOp::create(rewriter, 
          loc, asmResult, operands, op.getAsmString(), op.getConstraints(),
          /*has_side_effects=*/!op.getPure(), /*is_align_stack=*/false,
          LLVM::tailcallkind::TailCallKind::None,
          LLVM::AsmDialectAttr::get(rewriter.getContext(),
                                    LLVM::AsmDialect::AD_ATT),
          /*operand_attrs=*/ArrayAttr());
      unsigned reg = 0;
      for (auto [r, t] : llvm::enumerate(resultTypes)) {
        Type elem = getElementTypeOrSelf(t);
        unsigned per = elementsPerRegister(elem, pack);
        for (unsigned i = 0; i < pack; i += per, ++reg) {
          Value out = outRegs.size() == 1
                          ? asmOp.getResult(0)
                          : LLVM::ExtractValueOp::create(rewriter, 
                                loc, asmOp.getResult(0), reg);
          if (per == 1) {
            results[r].push_back(out);
            continue;
          }
          Value group = LLVM::BitcastOp::create(rewriter, 
              loc, VectorType::get({per}, elem), out);
          for (unsigned j = 0; j < per; ++j)
            results[r].push_back(extract(rewriter, loc, group, j));
        }
      }
    }
    SmallVector<Value> replacements;
    for (auto [r, t] : llvm::enumerate(resultTypes))
      replacements.push_back(isa<VectorType>(t)
                                 ? llvmutil::pack(rewriter, loc,
                                                  cast<VectorType>(t), results[r])
                                 : results[r].front());
    rewriter.replaceOp(op, replacements);
    return success();
  }
};
} // namespace

void tessel::populateExternOpsToLLVMPatterns(TileGPUTypeConverter &converter,
                                             const LoweringState &state,
                                             RewritePatternSet &patterns) {
  patterns.add<ExternElementwiseOpLowering, InlineAsmOpLowering>(converter,
                                                                 state);
}

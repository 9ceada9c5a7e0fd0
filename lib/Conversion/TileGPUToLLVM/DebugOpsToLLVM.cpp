//===- DebugOpsToLLVM.cpp - device_print and device_assert ----------------===//
//
// Printing goes through each target's printf: vprintf with an argument
// buffer on NVIDIA, OCKL's hostcall printf on AMD, the C library's printf on
// the CPU. A failed assertion calls __assertfail on NVIDIA, prints and traps
// on AMD, and on the CPU records the failure for the launcher to report.
//
//===----------------------------------------------------------------------===//
#include "PatternUtils.h"

#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/LLVMIR/ROCDLDialect.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;
using namespace tessel::llvmutil;

namespace {
/// Module-level helpers: string constants and function declarations.
struct ModuleSymbols {
  mutable ModuleOp module;
  const TargetInfo &target;

  /// A pointer (generic address space) to a NUL-terminated copy of `text`.
  Value string(OpBuilder &b, Location loc, StringRef text) const {
    std::string bytes = text.str();
    bytes.push_back('\0');
    // GPUs keep constants in global (NVIDIA) or constant (AMD) memory.
    unsigned addrSpace = target.kind == TargetKind::NVIDIA ? 1
                         : target.kind == TargetKind::AMD  ? 4
                                                           : 0;
    std::string name;
    LLVM::GlobalOp global;
    for (unsigned i = 0;; ++i) {
      name = "tessel_str_" + std::to_string(i);
      auto existing = module.lookupSymbol<LLVM::GlobalOp>(name);
      if (!existing)
        break;
      auto value = dyn_cast_or_null<StringAttr>(existing.getValueOrNull());
      if (value && value.getValue() == bytes) {
        global = existing;
        break;
      }
    }
    if (!global) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(module.getBody());
      global = LLVM::GlobalOp::create(b, 
          loc, LLVM::LLVMArrayType::get(b.getI8Type(), bytes.size()),
          /*isConstant=*/true, LLVM::Linkage::Internal, name,
          b.getStringAttr(bytes), /*alignment=*/1, addrSpace);
    }
    Value ptr = LLVM::AddressOfOp::create(b, loc, global);
    if (addrSpace != 0)
      ptr = LLVM::AddrSpaceCastOp::create(b, 
          loc, LLVM::LLVMPointerType::get(b.getContext()), ptr);
    return ptr;
  }

  LLVM::LLVMFuncOp function(OpBuilder &b, Location loc, StringRef name,
                            Type result, ArrayRef<Type> params,
                            bool variadic = false) const {
    if (auto fn = module.lookupSymbol<LLVM::LLVMFuncOp>(name))
      return fn;
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToEnd(module.getBody());
    return LLVM::LLVMFuncOp::create(b, 
        loc, name, LLVM::LLVMFunctionType::get(result, params, variadic));
  }
};

/// printf's view of a value: ints of up to 32 bits as i32, 64-bit ints as
/// i64, floats as double (C's variadic promotion); `hex` prints the bits.
struct PrintfArg {
  Value value;
  std::string spec;
};

PrintfArg printfArgImpl(OpBuilder &b, Location loc, Value v, bool isSigned,
                    bool hex) {
  Type t = v.getType();
  unsigned bits = t.getIntOrFloatBitWidth();
  if (isa<FloatType>(t)) {
    if (hex) {
      v = LLVM::BitcastOp::create(b, loc, b.getIntegerType(bits), v);
      t = v.getType();
    } else {
      if (bits < 64)
        v = LLVM::FPExtOp::create(b, loc, b.getF64Type(), v);
      return {v, "%f"};
    }
  }
  bool wide = bits > 32;
  Type to = wide ? b.getI64Type() : b.getI32Type();
  if (bits < to.getIntOrFloatBitWidth())
    v = isSigned && !hex && bits > 1 ? LLVM::SExtOp::create(b, loc, to, v).getResult()
                                     : LLVM::ZExtOp::create(b, loc, to, v).getResult();
  if (hex)
    return {v, wide ? "0x%llx" : "0x%x"};
  return {v, std::string(wide ? "%ll" : "%") + (isSigned ? "d" : "u")};
}

std::string escapePercentImpl(StringRef text) {
  std::string out;
  for (char c : text) {
    out.push_back(c);
    if (c == '%')
      out.push_back('%');
  }
  return out;
}

/// Calls the target's printf with `format` and `args`.
void emitPrintfImpl(OpBuilder &b, Location loc, const ModuleSymbols &syms,
                StringRef format, ArrayRef<Value> args) {
  MLIRContext *ctx = b.getContext();
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  Value fmt = syms.string(b, loc, format);
  Type i32 = b.getI32Type(), i64 = b.getI64Type();
  switch (syms.target.kind) {
  case TargetKind::NVIDIA: {
    // vprintf(format, buffer): the arguments laid out as a struct.
    SmallVector<Type> fields;
    for (Value a : args)
      fields.push_back(a.getType());
    Value buffer = LLVM::ZeroOp::create(b, loc, ptr);
    if (!args.empty()) {
      auto structType = LLVM::LLVMStructType::getLiteral(ctx, fields);
      Value one = LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(1));
      buffer = LLVM::AllocaOp::create(b, loc, ptr, structType, one, 8);
      for (auto [i, a] : llvm::enumerate(args)) {
        Value field = LLVM::GEPOp::create(b, 
            loc, ptr, structType, buffer,
            ArrayRef<LLVM::GEPArg>{0, int32_t(i)});
        LLVM::StoreOp::create(b, loc, a, field);
      }
    }
    auto vprintf = syms.function(b, loc, "vprintf", i32, {ptr, ptr});
    LLVM::CallOp::create(b, loc, vprintf, ValueRange{fmt, buffer});
    return;
  }
  case TargetKind::AMD: {
    // OCKL's hostcall printf: the format, then the arguments as i64, 7 at a
    // time.
    auto begin = syms.function(b, loc, "__ockl_printf_begin", i64, {i64});
    auto appendString = syms.function(b, loc, "__ockl_printf_append_string_n",
                                      i64, {i64, ptr, i64, i32});
    SmallVector<Type> argParams = {i64, i32};
    argParams.append(7, i64);
    argParams.push_back(i32);
    auto appendArgs =
        syms.function(b, loc, "__ockl_printf_append_args", i64, argParams);
    auto c64 = [&](int64_t v) {
      return LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(v));
    };
    Value desc = LLVM::CallOp::create(b, loc, begin, ValueRange{c64(0)})
                     .getResult();
    desc = LLVM::CallOp::create(b, 
                loc, appendString,
                ValueRange{desc, fmt, c64(format.size() + 1),
                           i32Const(b, loc, args.empty() ? 1 : 0)})
               .getResult();
    for (size_t start = 0; start < args.size(); start += 7) {
      size_t n = std::min<size_t>(7, args.size() - start);
      SmallVector<Value> callArgs = {desc, i32Const(b, loc, n)};
      for (size_t i = 0; i < 7; ++i) {
        if (start + i >= args.size()) {
          callArgs.push_back(c64(0));
          continue;
        }
        Value a = args[start + i];
        if (a.getType().isF64())
          a = LLVM::BitcastOp::create(b, loc, i64, a);
        else if (a.getType() != i64)
          a = LLVM::ZExtOp::create(b, loc, i64, a);
        callArgs.push_back(a);
      }
      callArgs.push_back(i32Const(b, loc, start + 7 >= args.size() ? 1 : 0));
      desc = LLVM::CallOp::create(b, loc, appendArgs, callArgs).getResult();
    }
    return;
  }
  case TargetKind::CPU: {
    auto printf = syms.function(b, loc, "printf", i32, {ptr}, /*variadic=*/true);
    SmallVector<Value> callArgs = {fmt};
    callArgs.append(args.begin(), args.end());
    LLVM::CallOp::create(b, loc, printf, callArgs);
    // Lines reach a captured or piped stdout before the launch returns.
    auto fflush = syms.function(b, loc, "fflush", i32, {ptr});
    LLVM::CallOp::create(b, loc, fflush,
                           ValueRange{LLVM::ZeroOp::create(b, loc, ptr)});
    return;
  }
  }
}

struct PrintOpLowering : TileGPUOpPattern<tile::PrintOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult
  matchAndRewrite(tile::PrintOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ModuleSymbols syms{op->getParentOfType<ModuleOp>(), state.target};
    std::optional<LinearLayout> layout;
    for (Value v : op.getArgs())
      if (isa<RankedTensorType>(v.getType()))
        layout = layoutOf(v);
    SmallVector<Value> thread;
    if (layout)
      thread = threadCoordinates(rewriter, loc, *layout, state);
    int64_t regs = layout ? layout->getSize(LinearLayout::Register) : 1;
    std::string prefix = escapePercentImpl(op.getPrefix());
    for (int64_t r = 0; r < regs; ++r) {
      if (layout && layout->isDuplicateRegister(r))
        continue;
      SmallVector<Value> args(adaptor.getPids().begin(),
                              adaptor.getPids().end());
      std::string format = "pid (%d, %d, %d)";
      if (layout) {
        LinearLayout::Coord coord =
            layout->applyPart(LinearLayout::Register, r);
        format += " idx (";
        for (unsigned d = 0; d < coord.size(); ++d) {
          format += d ? ", %d" : "%d";
          args.push_back(LLVM::XOrOp::create(rewriter, 
              loc, thread[d], i32Const(rewriter, loc, coord[d])));
        }
        format += ")";
      }
      format += " " + prefix;
      for (auto [i, v] : llvm::enumerate(adaptor.getArgs())) {
        Value elem = isa<VectorType>(v.getType()) ? extract(rewriter, loc, v, r)
                                                  : v;
        PrintfArg arg = printfArgImpl(rewriter, loc, elem, op.getIsSigned()[i],
                                  op.getHex());
        format += (i ? ", " : "") + arg.spec;
        args.push_back(arg.value);
      }
      format += "\n";
      emitPrintfImpl(rewriter, loc, syms, format, args);
    }
    rewriter.eraseOp(op);
    return success();
  }
};

/// The file, line and function an op's location names.
std::tuple<std::string, unsigned, std::string> sourcePosition(Operation *op) {
  std::string file = "<unknown>", func = "<kernel>";
  unsigned line = 0;
  op->getLoc()->walk([&](Location l) {
    if (auto fileLoc = dyn_cast<FileLineColLoc>(l)) {
      file = fileLoc.getFilename().str();
      line = fileLoc.getLine();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (auto fn = op->getParentOfType<FunctionOpInterface>())
    func = fn.getName().str();
  return {file, line, func};
}

struct AssertOpLowering : TileGPUOpPattern<tile::AssertOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult
  matchAndRewrite(tile::AssertOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    // Every element this thread holds must hold.
    Value cond = adaptor.getCond();
    Value all;
    if (auto vec = dyn_cast<VectorType>(cond.getType())) {
      for (int64_t i = 0; i < vec.getNumElements(); ++i)
        all = andOf(rewriter, loc, all, extract(rewriter, loc, cond, i));
    } else {
      all = cond;
    }
    Value failed = LLVM::XOrOp::create(rewriter, 
        loc, all,
        LLVM::ConstantOp::create(rewriter, loc, rewriter.getI1Type(),
                                          rewriter.getBoolAttr(true)));
    guarded(rewriter, loc, failed, [&](OpBuilder &b) {
      emitAssertFail(b, loc, state.target, op);
    });
    rewriter.eraseOp(op);
    return success();
  }
};
} // namespace

void llvmutil::emitAssertFail(OpBuilder &b, Location loc,
                              const TargetInfo &target, Operation *op) {
  ModuleSymbols syms{op->getParentOfType<ModuleOp>(), target};
  auto [file, line, func] = sourcePosition(op);
    auto ptr = LLVM::LLVMPointerType::get(b.getContext());
    Type i32 = b.getI32Type(), i64 = b.getI64Type();
    std::string message = cast<tile::AssertOp>(op).getMessage().str();
    
      Value msg = syms.string(b, loc, message);
      Value fileName = syms.string(b, loc, file);
      Value funcName = syms.string(b, loc, func);
      Value lineNo = i32Const(b, loc, line);
      switch (target.kind) {
      case TargetKind::NVIDIA: {
        auto fail = syms.function(b, loc, "__assertfail",
                                  LLVM::LLVMVoidType::get(b.getContext()),
                                  {ptr, ptr, i32, ptr, i64});
        LLVM::CallOp::create(b, 
            loc, fail,
            ValueRange{msg, fileName, lineNo, funcName,
                       LLVM::ConstantOp::create(b, loc, i64,
                                                  b.getI64IntegerAttr(1))});
        break;
      }
      case TargetKind::AMD:
        emitPrintfImpl(b, loc, syms,
                   escapePercentImpl(file) + ":" + std::to_string(line) + ": " +
                       escapePercentImpl(func) + ": device-side assertion `" +
                       escapePercentImpl(message) + "' failed.\n",
                   {});
        LLVM::Trap::create(b, loc);
        break;
      case TargetKind::CPU: {
        auto fail = syms.function(b, loc, "tessel_cpu_assert_fail",
                                  LLVM::LLVMVoidType::get(b.getContext()),
                                  {ptr, ptr, i32, ptr});
        LLVM::CallOp::create(b, 
            loc, fail, ValueRange{msg, fileName, lineNo, funcName});
        break;
      }
      }
    }

std::pair<Value, std::string> llvmutil::printfArg(OpBuilder &b, Location loc,
                                                  Value v, bool isSigned,
                                                  bool hex) {
  PrintfArg arg = printfArgImpl(b, loc, v, isSigned, hex);
  return {arg.value, arg.spec};
}

void llvmutil::emitPrintf(OpBuilder &b, Location loc, const TargetInfo &target,
                          StringRef format, ArrayRef<Value> args) {
  ModuleSymbols syms{b.getInsertionBlock()->getParentOp()
                         ->getParentOfType<ModuleOp>(),
                     target};
  emitPrintfImpl(b, loc, syms, format, args);
}

std::string llvmutil::escapePercent(StringRef text) {
  return escapePercentImpl(text);
}

void tessel::populateDebugOpsToLLVMPatterns(TileGPUTypeConverter &converter,
                                            const LoweringState &state,
                                            RewritePatternSet &patterns) {
  patterns.add<PrintOpLowering, AssertOpLowering>(converter, state);
}

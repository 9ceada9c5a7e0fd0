//===- Compiler.cpp - Tile IR text to binaries ----------------------------===//
#include "tessel/Compiler.h"

#include "dialects/TileGPU/IR/TileGPUDialect.h"
#include "lib/Compiler/CpuRuntimeSymbols.h"
#include "lib/Compiler/DiskCache.h"
#include "lib/Compiler/FatalErrors.h"
#include "lib/Compiler/Pipeline.h"
#include "lib/Compiler/Registration.h"
#include "lib/Target/LLVMIRTranslation.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/ThreadSafeModule.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/xxhash.h"

#include <dlfcn.h>
#include <mutex>

using namespace mlir;
using namespace tessel;

const char *tessel::getVersion() { return TESSEL_VERSION; }

static std::string typeName(Type type) {
  if (isa<tile::PointerType>(type))
    return "ptr";
  if (isa<tile::TensorMapType>(type))
    return "tensormap";
  if (auto i = dyn_cast<IntegerType>(type))
    return "i" + std::to_string(i.getWidth());
  if (type.isF16())
    return "f16";
  if (type.isBF16())
    return "bf16";
  if (type.isF32())
    return "f32";
  if (type.isF64())
    return "f64";
  return "";
}

/// Kernel names and the first kernel's parameter types; fails on a module
/// without kernels or with parameters a launcher cannot pass.
static LogicalResult describeKernels(ModuleOp module, CompiledKernel &info,
                                     std::vector<std::string> &kernels) {
  for (auto func : module.getOps<func::FuncOp>()) {
    if (!func->hasAttr(tile::kKernelAttrName))
      continue;
    kernels.push_back(func.getName().str());
    if (kernels.size() > 1)
      continue;
    info.name = func.getName().str();
    for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
      std::string name = typeName(type);
      if (name.empty())
        return func.emitOpError("kernel parameter ")
               << i << " has type " << type
               << ", which kernels cannot take; pass pointers and scalars";
      info.argTypes.push_back(name);
    }
    if (func.getNumResults() != 0)
      return func.emitOpError("kernels cannot return values");
  }
  if (kernels.empty()) {
    // Point at the first function, if any, rather than at the module.
    auto funcs = module.getOps<func::FuncOp>();
    Location loc = funcs.empty() ? module.getLoc() : (*funcs.begin()).getLoc();
    return emitError(loc, "no kernel: mark a func.func with {tile.kernel}");
  }
  return success();
}

namespace {
/// The work shared by compile() and CpuJitKernel: parse, run the pipeline,
/// and translate to an LLVM IR module.
struct Lowering {
  std::unique_ptr<MLIRContext> ctx = createContext();
  std::vector<std::string> kernels;
  /// "file:line:col" of the first kernel, for errors after MLIR.
  std::string kernelLocation;

  std::unique_ptr<llvm::Module>
  run(const std::string &tileIR, const CompileOptions &options,
      CompiledKernel &info, llvm::LLVMContext &llvmCtx, std::string &error) {
    DiagnosticCollector diagnostics(*ctx);
    auto fail = [&](std::string fallback) { // a copy: it may alias `error`
      error = diagnostics.take();
      if (error.empty())
        error = "error: " + fallback + "\n";
      return nullptr;
    };
    auto target = parseTarget(options.target);
    if (failed(target))
      return fail("unknown target '" + options.target +
                  "': use cpu, nvidia:sm_XX or amd:gfxXXX");
    OwningOpRef<ModuleOp> module =
        parseTileIR(*ctx, tileIR, options.sourceName);
    if (!module)
      return fail("invalid Tile IR");
    info.target = options.target;
    if (failed(describeKernels(*module, info, kernels)))
      return fail("invalid kernel");
    for (auto func : module->getOps<func::FuncOp>())
      if (func->hasAttr(tile::kKernelAttrName)) {
        if (auto loc = dyn_cast<FileLineColLoc>(func.getLoc()))
          kernelLocation =
              (loc.getFilename().str() + ":" + std::to_string(loc.getLine()) +
               ":" + std::to_string(loc.getColumn()));
        break;
      }
    info.asmText["tile"] = printOp(*module);

    std::string dumpDir = options.dumpDir;
    if (dumpDir.empty())
      if (const char *env = getenv("TESSEL_DUMP_IR"))
        dumpDir = uniqueDumpDir(env, info.name, tileIR, options);
    if (!dumpDir.empty()) {
      writeInput(dumpDir, tileIR);
      std::error_code ec;
      llvm::raw_fd_ostream replay(dumpDir + "/replay.sh", ec);
      if (!ec)
        replay << "# Replays this compile's pass pipeline on input.mlir.\n"
               << "tessel-opt input.mlir --tessel-pipeline=\"target="
               << options.target << " num-warps=" << options.numWarps
               << " num-stages=" << options.numStages
               << " num-ctas=" << options.numCtas << "\"\n"
               << "# The whole compile, to machine code:\n"
               << "tessel-translate input.mlir --to="
               << (options.target == "cpu"               ? "llvmir"
                   : options.target.rfind("amd", 0) == 0 ? "amdgcn"
                                                         : "ptx")
               << " --target=" << options.target
               << " --num-warps=" << options.numWarps
               << " --num-stages=" << options.numStages
               << " --num-ctas=" << options.numCtas
               << " --enable-fp-fusion=" << (options.enableFpFusion ? 1 : 0)
               << " --maxnreg=" << options.maxNumRegisters << "\n";
    }
    // The CPU skips layouts: Tile IR goes straight to loops over vectors.
    bool cpu = target->kind == TargetKind::CPU;
    if (failed(runPasses(
            *module,
            stageDir(dumpDir, cpu ? "1-tile-to-loops" : "1-tile-to-tilegpu"),
            [&](OpPassManager &pm) {
              buildTileToTileGPUPipeline(pm, options.target, options.numWarps,
                                         options.numStages, options.numCtas);
            })))
      return fail("the layout stage failed");
    info.asmText["tilegpu"] = printOp(*module);
    // A warp-specialized kernel launches its producer warps too.
    info.numWarps = target->isGPU() ? tilegpu::launchWarps(*module) : 1;
    info.threadsPerWarp = target->threadsPerWarp();
    if (auto cluster =
            (*module)->getAttrOfType<IntegerAttr>(tilegpu::kClusterCtasAttr))
      info.clusterCtas = cluster.getInt();
    if (failed(runPasses(
            *module,
            stageDir(dumpDir, cpu ? "2-loops-to-llvm" : "2-tilegpu-to-llvm"),
            [&](OpPassManager &pm) {
              buildTileGPUToLLVMPipeline(pm, options.target);
            })))
      return fail("lowering to LLVM failed");
    if (auto shared = (*module)->getAttrOfType<IntegerAttr>("tilegpu.shared"))
      info.sharedBytes = shared.getInt();
    // Triton's OutOfResources wording: Python raises tessel.OutOfResources.
    if (int64_t limit = target->maxSharedBytes();
        limit && int64_t(info.sharedBytes) > limit) {
      error = (kernelLocation.empty() ? std::string() : kernelLocation + ": ") +
              "error: out of resource: shared memory, Required: " +
              std::to_string(info.sharedBytes) +
              ", Hardware limit: " + std::to_string(limit) +
              ". Reducing block sizes or `num_stages` may help.\n";
      return nullptr;
    }
    auto llvmModule = translateToLLVMIR(*module, *target, llvmCtx);
    if (!llvmModule)
      return fail("translation to LLVM IR failed");
    return llvmModule;
  }

  /// `<root>/<kernel>-<specialization hash>-p<pid>`, with `.N` appended
  /// when that exists already: specializations, processes and repeated
  /// compiles never overwrite each other's dumps.
  static std::string uniqueDumpDir(const std::string &root,
                                   const std::string &kernel,
                                   const std::string &tileIR,
                                   const CompileOptions &options) {
    uint64_t hash = llvm::xxh3_64bits(tileIR + "\n" + options.describe());
    std::string base = root + "/" + kernel + "-" +
                       llvm::utohexstr(hash, /*LowerCase=*/true) + "-p" +
                       std::to_string(llvm::sys::Process::getProcessId());
    llvm::sys::fs::create_directories(root);
    std::string dir = base;
    // create_directory fails on an existing path, so whoever creates a name
    // owns it. Other failures end the search (the dump's writes fail too).
    for (unsigned n = 1;
         llvm::sys::fs::create_directory(dir, /*IgnoreExisting=*/false) ==
         std::errc::file_exists;
         ++n)
      dir = base + "." + std::to_string(n);
    return dir;
  }

  static std::string stageDir(const std::string &dir, const char *stage) {
    return dir.empty() ? dir : dir + "/" + stage;
  }

  static std::string writeInput(const std::string &dir,
                                const std::string &text) {
    llvm::sys::fs::create_directories(dir);
    std::string path = dir + "/input.mlir";
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    if (!ec)
      os << text;
    return path;
  }
};
} // namespace

/// Collects the LLVM context's error diagnostics (an inline-assembly
/// statement the AMDGPU assembler rejects, say): without a handler LLVM
/// prints them and exits the process.
static void collectLLVMError(const llvm::DiagnosticInfo *info, void *context) {
  if (info->getSeverity() != llvm::DS_Error)
    return;
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::DiagnosticPrinterRawOStream printer(os);
  info->print(printer);
  auto &errors = *static_cast<std::string *>(context);
  // A source snippet's caret line says nothing once lines are joined.
  SmallVector<StringRef> lines;
  StringRef(text).split(lines, '\n', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef line : lines)
    if (!line.trim().empty() &&
        line.trim().find_first_not_of("^~ ") != StringRef::npos)
      errors += (errors.empty() ? "" : "\n") + line.trim().str();
}

static bool compileUncached(const std::string &tileIR,
                            const CompileOptions &options,
                            CompiledKernel &result, std::string &error) {
  result = CompiledKernel();
  Lowering lowering;
  llvm::LLVMContext llvmCtx;
  std::string llvmErrors;
  llvmCtx.setDiagnosticHandlerCallBack(collectLLVMError, &llvmErrors);
  auto module = lowering.run(tileIR, options, result, llvmCtx, error);
  if (!module)
    return false;
  TargetInfo target = *parseTarget(options.target);
  // Errors past the MLIR stages (ptxas, the linker) point at the kernel.
  // A tool's multi-line log (ptxas, lld) becomes one located diagnostic:
  // its own "error:" prefixes go, its lines join with "; ".
  auto located = [&](bool ok) {
    if (ok || lowering.kernelLocation.empty())
      return ok;
    SmallVector<StringRef> lines;
    StringRef(error).split(lines, '\n', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
    std::string joined;
    for (StringRef line : lines) {
      std::string text = line.trim().str();
      for (size_t at; (at = text.find("ld.lld: error: ")) != std::string::npos;)
        text.erase(at, strlen("ld.lld: error: "));
      if (!text.empty())
        joined += (joined.empty() ? "" : "; ") + text;
    }
    error = lowering.kernelLocation + ": error: " + joined;
    return ok;
  };
  // An error diagnostic of code generation fails the compile, whatever the
  // backend returned.
  auto diagnosed = [&](bool ok) {
    if (llvmErrors.empty())
      return ok;
    error = llvmErrors + "\n";
    return false;
  };
  switch (target.kind) {
  case TargetKind::NVIDIA:
    return located(diagnosed(compileNVIDIA(
        *module, target.arch, options, lowering.kernels, result.asmText,
        result.binary, result.binaryKind, error)));
  case TargetKind::AMD:
    result.binaryKind = "hsaco";
    return located(
        diagnosed(compileAMD(*module, target.arch, options, lowering.kernels,
                             result.asmText, result.binary, error)));
  case TargetKind::CPU:
    if (!diagnosed(prepareCPUModule(
            *module, lowering.kernels,
            options.emitObject ? &result.binary : nullptr, error)))
      return false;
    if (options.emitObject)
      result.binaryKind = "obj";
    result.asmText["llvmir"] = moduleToString(*module);
    return true;
  }
  return false;
}

bool tessel::compile(const std::string &tileIR, const CompileOptions &options,
                     CompiledKernel &result, std::string &error) {
  // A dump needs the passes to run; otherwise a compile seen before (in any
  // process) comes from the disk cache.
  std::string dir = options.dumpDir.empty() ? diskcache::directory() : "";
  std::string key = dir.empty() ? "" : diskcache::key(tileIR, options);
  if (auto hit = diskcache::load(dir, key)) {
    result = std::move(*hit);
    result.fromDiskCache = true;
    return true;
  }
  // LLVM's fatal errors (a backend that cannot lower an operation) fail the
  // compile instead of ending the process that hosts it.
  if (!runCatchingFatalErrors(
          [&] { return compileUncached(tileIR, options, result, error); },
          error, "compiling for " + options.target + " failed in LLVM"))
    return false;
  diskcache::store(dir, key, result);
  return true;
}

namespace {
/// One JIT for the process: each kernel is a JITDylib of its own, linked
/// against the main one (libm, the process, the CPU runtime symbols), and
/// removed with its kernel. A JIT per kernel cost 868 KiB each.
struct SharedJit {
  std::mutex mutex;
  std::unique_ptr<llvm::orc::LLJIT> jit;
  uint64_t nextId = 0;
};

SharedJit *getSharedJit(std::string &error) {
  // Never destroyed: kernels owned by Python may outlive static destruction.
  static SharedJit *shared = new SharedJit;
  std::lock_guard<std::mutex> lock(shared->mutex);
  if (shared->jit)
    return shared;
  initializeLLVMTargets(); // a disk-cache hit compiled nothing before
  auto jit = llvm::orc::LLJITBuilder().create();
  if (!jit) {
    error = llvm::toString(jit.takeError());
    return nullptr;
  }
  auto generator =
      llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
          (*jit)->getDataLayout().getGlobalPrefix());
  if (!generator) {
    error = llvm::toString(generator.takeError());
    return nullptr;
  }
  (*jit)->getMainJITDylib().addGenerator(std::move(*generator));
  if (auto err = defineCpuRuntimeSymbols(**jit)) {
    error = llvm::toString(std::move(err));
    return nullptr;
  }
  shared->jit = std::move(*jit);
  return shared;
}
} // namespace

struct CpuJitKernel::Impl {
  SharedJit *shared = nullptr;
  llvm::orc::JITDylib *dylib = nullptr;

  ~Impl() {
    if (!dylib)
      return;
    std::lock_guard<std::mutex> lock(shared->mutex);
    llvm::consumeError(
        shared->jit->getExecutionSession().removeJITDylib(*dylib));
  }
};

CpuJitKernel::~CpuJitKernel() = default;

std::unique_ptr<CpuJitKernel> CpuJitKernel::create(const std::string &tileIR,
                                                   std::string &error,
                                                   const std::string &dumpDir,
                                                   unsigned numStages) {
  std::unique_ptr<CpuJitKernel> kernel(new CpuJitKernel());
  kernel->impl = std::make_unique<Impl>();
  CompileOptions options;
  options.target = "cpu";
  options.dumpDir = dumpDir;
  options.numStages = numStages;
  options.emitObject = true;
  // The object file goes through the disk cache like a cubin.
  if (!compile(tileIR, options, kernel->info, error))
    return nullptr;
  std::string object = std::move(kernel->info.binary);
  kernel->info.binary.clear();
  kernel->info.binaryKind.clear();

  // An external call the process cannot resolve (a libdevice function glibc
  // lacks) is reported by name rather than as a failed materialization.
  auto file = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(object, kernel->info.name));
  if (!file) {
    error = llvm::toString(file.takeError());
    return nullptr;
  }
  for (const llvm::object::SymbolRef &sym : (*file)->symbols()) {
    auto flags = sym.getFlags();
    auto name = sym.getName();
    if (!flags || !name || !(*flags & llvm::object::SymbolRef::SF_Undefined) ||
        name->empty() || isCpuRuntimeSymbol(*name) ||
        dlsym(RTLD_DEFAULT, name->str().c_str()))
      continue;
    error = "kernel " + kernel->info.name + " calls '" + name->str() +
            "', which the CPU target cannot find (not in libm or the process)";
    return nullptr;
  }

  SharedJit *shared = getSharedJit(error);
  if (!shared)
    return nullptr;
  std::lock_guard<std::mutex> lock(shared->mutex);
  llvm::orc::LLJIT &jit = *shared->jit;
  auto dylib = jit.createJITDylib("tessel." + kernel->info.name + "." +
                                  std::to_string(shared->nextId++));
  if (!dylib) {
    error = llvm::toString(dylib.takeError());
    return nullptr;
  }
  dylib->addToLinkOrder(jit.getMainJITDylib());
  kernel->impl->shared = shared;
  kernel->impl->dylib = &*dylib;
  if (auto err = jit.addObjectFile(*dylib, llvm::MemoryBuffer::getMemBufferCopy(
                                               object, kernel->info.name))) {
    error = llvm::toString(std::move(err));
    return nullptr;
  }
  auto symbol = jit.lookup(*dylib, cpuEntryName(kernel->info.name));
  if (!symbol) {
    error = llvm::toString(symbol.takeError());
    return nullptr;
  }
  kernel->entry = symbol->toPtr<EntryFn>();
  return kernel;
}

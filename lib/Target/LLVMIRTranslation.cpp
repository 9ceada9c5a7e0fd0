//===- LLVMIRTranslation.cpp - MLIR to LLVM IR to machine code ------------===//
#include "lib/Target/LLVMIRTranslation.h"
#include "lib/Target/GPUVectorCleanup.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/ROCDL/ROCDLToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "passes/Passes.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Linker/Linker.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/FixIrreducible.h"
#include <mutex>

using namespace tessel;

extern "C" {
void LLVMInitializeNVPTXTargetInfo();
void LLVMInitializeNVPTXTarget();
void LLVMInitializeNVPTXTargetMC();
void LLVMInitializeNVPTXAsmPrinter();
void LLVMInitializeAMDGPUTargetInfo();
void LLVMInitializeAMDGPUTarget();
void LLVMInitializeAMDGPUTargetMC();
void LLVMInitializeAMDGPUAsmPrinter();
void LLVMInitializeAMDGPUAsmParser();
}

void tessel::initializeLLVMTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
    LLVMInitializeNVPTXTargetInfo();
    LLVMInitializeNVPTXTarget();
    LLVMInitializeNVPTXTargetMC();
    LLVMInitializeNVPTXAsmPrinter();
    LLVMInitializeAMDGPUTargetInfo();
    LLVMInitializeAMDGPUTarget();
    LLVMInitializeAMDGPUTargetMC();
    LLVMInitializeAMDGPUAsmPrinter();
    LLVMInitializeAMDGPUAsmParser();
  });
}

/// Fails with a located error on an op of a vendor dialect that `target`
/// cannot compile (its intrinsics would abort instruction selection).
static mlir::LogicalResult checkVendorDialects(mlir::ModuleOp module,
                                               const TargetInfo &target) {
  auto result = module.walk([&](mlir::Operation *op) {
    llvm::StringRef ns =
        op->getDialect() ? op->getDialect()->getNamespace() : llvm::StringRef();
    bool nvvm = ns == "nvvm", rocdl = ns == "rocdl";
    if ((nvvm || rocdl) && llvm::isa<mlir::ModuleOp>(op->getParentOp())) {
      op->emitOpError("must be inside a function");
      return mlir::WalkResult::interrupt();
    }
    if ((nvvm && target.kind == TargetKind::NVIDIA) ||
        (rocdl && target.kind == TargetKind::AMD) || (!nvvm && !rocdl))
      return mlir::WalkResult::advance();
    op->emitOpError("is ") << (nvvm ? "an NVIDIA" : "an AMD")
                           << " operation and cannot be compiled for the "
                           << (target.kind == TargetKind::CPU      ? "CPU"
                               : target.kind == TargetKind::NVIDIA ? "NVIDIA"
                                                                   : "AMD")
                           << " target";
    return mlir::WalkResult::interrupt();
  });
  return mlir::failure(result.wasInterrupted());
}

/// Where to report a problem found in the LLVM IR: the first function with a
/// source location, else the module.
static mlir::Location reportLocation(mlir::ModuleOp module) {
  for (mlir::Operation &op : module.getBody()->getOperations())
    if (mlir::isa<mlir::FileLineColLoc>(op.getLoc()))
      return op.getLoc();
  return module.getLoc();
}

std::unique_ptr<llvm::Module>
tessel::translateToLLVMIR(mlir::ModuleOp module, const TargetInfo &target,
                          llvm::LLVMContext &ctx) {
  if (mlir::failed(checkVendorDialects(module, target)))
    return nullptr;
  // The LLVM dialect accepts globals of types LLVM IR has no form for (an
  // array of tensors); the translation would crash on them.
  bool badGlobal = false;
  module.walk([&](mlir::LLVM::GlobalOp global) {
    if (!mlir::LLVM::isCompatibleType(global.getType())) {
      global.emitError("global of type ")
          << global.getType() << " has no LLVM IR form";
      badGlobal = true;
    }
  });
  if (badGlobal)
    return nullptr;
  // Argument attributes of other dialects (tile.divisibility, which the
  // axis analysis has used) have no LLVM meaning; left in place, the
  // translation warns about each with a diagnostic that prints the whole
  // kernel: 96% of the translation's time for a matmul.
  module.walk([](mlir::LLVM::LLVMFuncOp fn) {
    for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
      llvm::SmallVector<mlir::StringAttr> foreign;
      if (mlir::DictionaryAttr attrs = fn.getArgAttrDict(i))
        for (mlir::NamedAttribute attr : attrs) {
          llvm::StringRef dialect = attr.getName().strref().split('.').first;
          if (dialect != "llvm" && dialect != "nvvm" && dialect != "rocdl")
            foreign.push_back(attr.getName());
        }
      for (mlir::StringAttr name : foreign)
        fn.removeArgAttr(i, name);
    }
  });
  mlir::DialectRegistry registry;
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  mlir::registerNVVMDialectTranslation(registry);
  mlir::registerROCDLDialectTranslation(registry);
  module->getContext()->appendDialectRegistry(registry);
  auto llvmModule = mlir::translateModuleToLLVMIR(
      module, ctx, "LLVMDialectModule", /*disableVerification=*/true);
  if (!llvmModule) {
    mlir::emitError(reportLocation(module))
        << "cannot translate the module to LLVM IR";
    return nullptr;
  }
  std::string problems;
  llvm::raw_string_ostream os(problems);
  if (llvm::verifyModule(*llvmModule, &os)) {
    mlir::emitError(reportLocation(module))
        << "the LLVM verifier rejects the translated module: "
        << llvm::StringRef(problems).trim();
    return nullptr;
  }
  return llvmModule;
}

std::unique_ptr<llvm::TargetMachine>
tessel::createTargetMachine(const std::string &tripleName,
                            const std::string &cpu, const std::string &features,
                            std::string &error, bool fpFusion) {
  initializeLLVMTargets();
  llvm::Triple triple(tripleName);
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  llvm::TargetOptions options;
  // Fast: contract wherever a multiply feeds an add (Triton's default on
  // GPUs); Standard: only where the IR says so (NVPTX then writes mul.rn and
  // add.rn, which ptxas does not fuse either).
  options.AllowFPOpFusion =
      fpFusion ? llvm::FPOpFusion::Fast : llvm::FPOpFusion::Standard;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features, options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    error = "cannot create a target machine for " + tripleName + " " + cpu;
  return machine;
}

bool tessel::linkBitcodeFile(llvm::Module &module, const std::string &path,
                             std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    error = "cannot read " + path + ": " + buffer.getError().message();
    return false;
  }
  auto library =
      llvm::parseBitcodeFile((*buffer)->getMemBufferRef(), module.getContext());
  if (!library) {
    error = "cannot parse " + path + ": " + llvm::toString(library.takeError());
    return false;
  }
  (*library)->setTargetTriple(module.getTargetTriple());
  (*library)->setDataLayout(module.getDataLayout());
  if (llvm::Linker::linkModules(module, std::move(*library),
                                llvm::Linker::Flags::LinkOnlyNeeded)) {
    error = "cannot link " + path;
    return false;
  }
  return true;
}

void tessel::internalizeAllBut(llvm::Module &module,
                               const std::vector<std::string> &keep) {
  for (llvm::Function &fn : module) {
    if (fn.isDeclaration())
      continue;
    if (std::find(keep.begin(), keep.end(), fn.getName().str()) != keep.end())
      continue;
    fn.setLinkage(llvm::GlobalValue::InternalLinkage);
  }
}

void tessel::optimizeModule(llvm::Module &module,
                            llvm::TargetMachine &machine) {
  if (machine.getTargetTriple().isNVPTX() ||
      machine.getTargetTriple().isAMDGPU())
    for (llvm::Function &fn : module)
      if (!fn.isDeclaration()) {
        scalarizeBoolVectors(fn);
        scalarizeCarriedVectors(fn);
      }
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopUnrolling = true;
  tuning.LoopVectorization = true;
  tuning.SLPVectorization = true;
  llvm::PassBuilder builder(&machine, tuning);
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm =
      builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  // SimplifyCFG may thread a branch into the middle of a loop (two guards on
  // one predicate, e.g. thread 0's scalar atomics before and inside a spin
  // loop), leaving a cycle with two entries. NVPTX has no structurizer, and
  // ptxas cannot reconverge a warp in such a cycle: an aligned barrier
  // (bar.sync) there is reached by a diverged warp, which is undefined (
  // compute-sanitizer's synccheck reports it). One guarded header per
  // cycle makes the CFG reducible again. AMDGPU structurizes on its own.
  if (machine.getTargetTriple().isNVPTX())
    mpm.addPass(
        llvm::createModuleToFunctionPassAdaptor(llvm::FixIrreduciblePass()));
  mpm.run(module, mam);
}

bool tessel::emitCode(llvm::Module &module, llvm::TargetMachine &machine,
                      bool object, std::string &out, std::string &error) {
  llvm::SmallString<0> buffer;
  llvm::raw_svector_ostream stream(buffer);
  llvm::legacy::PassManager pm;
  if (machine.addPassesToEmitFile(pm, stream, nullptr,
                                  object
                                      ? llvm::CodeGenFileType::ObjectFile
                                      : llvm::CodeGenFileType::AssemblyFile)) {
    error = "the target cannot emit this file type";
    return false;
  }
  pm.run(module);
  out.assign(buffer.begin(), buffer.end());
  return true;
}

std::string tessel::moduleToString(const llvm::Module &module) {
  std::string s;
  llvm::raw_string_ostream os(s);
  module.print(os, nullptr);
  return s;
}

std::string tessel::writeTempFile(const std::string &suffix,
                                  const std::string &data) {
  llvm::SmallString<128> path;
  int fd;
  if (llvm::sys::fs::createTemporaryFile("tessel", suffix, fd, path))
    return "";
  llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
  os << data;
  os.close();
  return os.has_error() ? "" : std::string(path);
}

bool tessel::readFile(const std::string &path, std::string &out) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return false;
  out = (*buffer)->getBuffer().str();
  return true;
}

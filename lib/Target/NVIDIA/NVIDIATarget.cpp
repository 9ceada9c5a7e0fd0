//===- NVIDIATarget.cpp - LLVM IR to PTX and cubin ------------------------===//
#include "lib/Target/LLVMIRTranslation.h"
#include "tessel/Compiler.h"

#include "llvm/IR/Constants.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

using namespace tessel;

/// libdevice: $TESSEL_LIBDEVICE, the copy shipped in the Python package
/// ($TESSEL_LIBDEVICE_DIR), or the CUDA toolkit.
static std::string findLibdevice() {
  std::vector<std::string> candidates;
  if (const char *p = getenv("TESSEL_LIBDEVICE"))
    candidates.push_back(p);
  if (const char *d = getenv("TESSEL_LIBDEVICE_DIR"))
    candidates.push_back(std::string(d) + "/libdevice.10.bc");
  if (const char *c = getenv("CUDA_HOME"))
    candidates.push_back(std::string(c) + "/nvvm/libdevice/libdevice.10.bc");
  candidates.push_back("/usr/local/cuda/nvvm/libdevice/libdevice.10.bc");
  for (const std::string &path : candidates)
    if (llvm::sys::fs::exists(path))
      return path;
  return "";
}

/// ptxas: $TESSEL_PTXAS, $CUDA_HOME/bin, PATH, or /usr/local/cuda/bin.
static std::string findPtxas() {
  if (const char *p = getenv("TESSEL_PTXAS"))
    return p;
  if (const char *c = getenv("CUDA_HOME")) {
    std::string path = std::string(c) + "/bin/ptxas";
    if (llvm::sys::fs::can_execute(path))
      return path;
  }
  if (auto found = llvm::sys::findProgramByName("ptxas"))
    return *found;
  if (llvm::sys::fs::can_execute("/usr/local/cuda/bin/ptxas"))
    return "/usr/local/cuda/bin/ptxas";
  return "";
}

std::string tessel::nvidiaToolchainFiles() {
  return findPtxas() + "\n" + findLibdevice();
}

static bool usesLibdevice(const llvm::Module &module) {
  for (const llvm::Function &fn : module)
    if (fn.isDeclaration() && fn.getName().starts_with("__nv_"))
      return true;
  return false;
}

bool tessel::compileNVIDIA(llvm::Module &module, const std::string &arch,
                           const CompileOptions &options,
                           const std::vector<std::string> &kernels,
                           std::map<std::string, std::string> &asmText,
                           std::string &binary, std::string &binaryKind,
                           std::string &error) {
  auto machine = createTargetMachine("nvptx64-nvidia-cuda", arch, "", error,
                                     options.enableFpFusion);
  if (!machine)
    return false;
  // maxnreg: the NVPTX backend writes `.maxnreg N` for this attribute.
  if (options.maxNumRegisters)
    for (const std::string &name : kernels)
      if (llvm::Function *fn = module.getFunction(name))
        fn->addFnAttr("nvvm.maxnreg", std::to_string(options.maxNumRegisters));
  module.setTargetTriple(machine->getTargetTriple());
  module.setDataLayout(machine->createDataLayout());
  if (usesLibdevice(module)) {
    std::string libdevice = findLibdevice();
    if (libdevice.empty()) {
      error = "libdevice.10.bc not found: set TESSEL_LIBDEVICE or CUDA_HOME";
      return false;
    }
    if (!linkBitcodeFile(module, libdevice, error))
      return false;
    // Flush denormals off, as PTX does by default for Triton too.
    module.addModuleFlag(llvm::Module::Override, "nvvm-reflect-ftz", uint32_t(0));
  }
  internalizeAllBut(module, kernels);
  optimizeModule(module, *machine);
  asmText["llvmir"] = moduleToString(module);
  std::string ptx;
  if (!emitCode(module, *machine, /*object=*/false, ptx, error))
    return false;
  asmText["ptx"] = ptx;

  std::string ptxas = findPtxas();
  if (ptxas.empty()) {
    // The driver compiles PTX itself when it loads it.
    binary = ptx;
    binaryKind = "ptx";
    return true;
  }
  std::string ptxPath = writeTempFile("ptx", ptx);
  std::string cubinPath = ptxPath + ".cubin", logPath = ptxPath + ".log";
  std::string archFlag = "-arch=" + arch;
  // -v: the register, spill and shared-memory report (asm "ptxas").
  llvm::SmallVector<llvm::StringRef> args = {ptxas, archFlag, "-v", ptxPath,
                                             "-o", cubinPath};
  // Without fusion the PTX has mul.rn/add.rn, which ptxas keeps apart; this
  // also stops it from fusing any plain mul/add (as Triton passes it).
  if (!options.enableFpFusion)
    args.push_back("--fmad=false");
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, logPath, logPath};
  std::string execError;
  int rc = llvm::sys::ExecuteAndWait(ptxas, args, std::nullopt, redirects, 0, 0,
                                     &execError);
  std::string log;
  readFile(logPath, log);
  bool ok = rc == 0 && readFile(cubinPath, binary);
  if (ok) {
    asmText["ptxas"] = log;
  } else {
    // The verbose report's info lines would bury the error.
    std::string errors;
    for (llvm::StringRef line : llvm::split(log, '\n'))
      if (!line.contains("ptxas info") && !line.trim().empty() &&
          !line.trim().starts_with("Function properties") &&
          !line.contains("bytes stack frame"))
        errors += line.str() + "\n";
    error = "ptxas failed (" + ptxas + "): " + execError + errors;
  }
  llvm::sys::fs::remove(ptxPath);
  llvm::sys::fs::remove(cubinPath);
  llvm::sys::fs::remove(logPath);
  binaryKind = "cubin";
  return ok;
}

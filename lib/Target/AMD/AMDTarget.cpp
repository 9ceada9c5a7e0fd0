//===- AMDTarget.cpp - LLVM IR to AMDGCN and hsaco ------------------------===//
#include "lib/Target/LLVMIRTranslation.h"
#include "tessel/Compiler.h"

#include "lld/Common/Driver.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include <mutex>

LLD_HAS_DRIVER(elf)

using namespace tessel;

/// ROCm device libraries: $TESSEL_ROCM_DEVICE_LIBS, Debian's
/// rocm-device-libs, or /opt/rocm.
static std::string findDeviceLibs() {
  std::vector<std::string> candidates;
  if (const char *p = getenv("TESSEL_ROCM_DEVICE_LIBS"))
    candidates.push_back(p);
  candidates.push_back("/usr/lib/x86_64-linux-gnu/amdgcn/bitcode");
  candidates.push_back("/opt/rocm/amdgcn/bitcode");
  for (const std::string &dir : candidates)
    if (llvm::sys::fs::exists(dir + "/ocml.bc"))
      return dir;
  return "";
}

std::string tessel::amdToolchainFiles() {
  std::string dir = findDeviceLibs();
  return dir.empty() ? "" : dir + "/ocml.bc\n" + dir + "/ockl.bc";
}

static bool usesOcml(const llvm::Module &module) {
  for (const llvm::Function &fn : module)
    if (fn.isDeclaration() && (fn.getName().starts_with("__ocml_") ||
                               fn.getName().starts_with("__ockl_")))
      return true;
  return false;
}

/// Links the device libraries' control variables for this chip.
static bool linkDeviceLibs(llvm::Module &module, const std::string &arch,
                           std::string &error) {
  std::string dir = findDeviceLibs();
  if (dir.empty()) {
    error = "ROCm device libraries (ocml.bc) not found: install "
            "rocm-device-libs or set TESSEL_ROCM_DEVICE_LIBS";
    return false;
  }
  std::string isa = arch.substr(3);
  std::string isaFile = dir + "/oclc_isa_version_" + isa + ".bc";
  // Old device libraries lack newer gfx94x chips; gfx940's controls match.
  if (!llvm::sys::fs::exists(isaFile) && isa.rfind("94", 0) == 0)
    isaFile = dir + "/oclc_isa_version_940.bc";
  for (const std::string &lib :
       {dir + "/ocml.bc", dir + "/ockl.bc", isaFile,
        dir + "/oclc_finite_only_off.bc", dir + "/oclc_daz_opt_off.bc",
        dir + "/oclc_correctly_rounded_sqrt_on.bc",
        dir + "/oclc_unsafe_math_off.bc", dir + "/oclc_wavefrontsize64_on.bc",
        dir + "/oclc_abi_version_500.bc"})
    if (llvm::sys::fs::exists(lib) && !linkBitcodeFile(module, lib, error))
      return false;
  return true;
}

bool tessel::compileAMD(llvm::Module &module, const std::string &arch,
                        const CompileOptions &options,
                        const std::vector<std::string> &kernels,
                        std::map<std::string, std::string> &asmText,
                        std::string &binary, std::string &error) {
  auto machine = createTargetMachine("amdgcn-amd-amdhsa", arch, "", error,
                                     options.enableFpFusion);
  if (!machine)
    return false;
  module.setTargetTriple(machine->getTargetTriple());
  module.setDataLayout(machine->createDataLayout());
  // Code object v5, the newest the Debian device libraries know.
  module.addModuleFlag(llvm::Module::Error, "amdhsa_code_object_version", uint32_t(500));
  if (usesOcml(module) && !linkDeviceLibs(module, arch, error))
    return false;
  internalizeAllBut(module, kernels);
  optimizeModule(module, *machine);
  asmText["llvmir"] = moduleToString(module);
  std::string assembly, object;
  // Code generation rewrites the IR (structurization), so each emission
  // works on its own copy.
  std::unique_ptr<llvm::Module> copy = llvm::CloneModule(module);
  if (!emitCode(*copy, *machine, /*object=*/false, assembly, error) ||
      !emitCode(module, *machine, /*object=*/true, object, error))
    return false;
  asmText["amdgcn"] = assembly;

  std::string objPath = writeTempFile("o", object);
  std::string hsacoPath = objPath + ".hsaco";
  std::string log;
  llvm::raw_string_ostream logStream(log);
  bool ok;
  {
    // lld keeps global state: one link at a time.
    static std::mutex lldMutex;
    std::lock_guard<std::mutex> lock(lldMutex);
    std::vector<const char *> args = {"ld.lld", "-shared", "--no-undefined",
                                      objPath.c_str(), "-o", hsacoPath.c_str()};
    lld::Result result = lld::lldMain(args, logStream, logStream,
                                      {{lld::Gnu, &lld::elf::link}});
    ok = result.retCode == 0 && readFile(hsacoPath, binary);
  }
  if (!ok)
    error = "linking the hsaco failed: " + log;
  llvm::sys::fs::remove(objPath);
  llvm::sys::fs::remove(hsacoPath);
  return ok;
}

// lld's LTO support pulls in LLVM's static extension registry, which names
// Polly; Debian ships Polly apart and Tessel never runs LTO, so register none.
#include "llvm/Plugins/PassPlugin.h"
llvm::PassPluginLibraryInfo getPollyPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "Polly", "none",
          [](llvm::PassBuilder &) {}};
}

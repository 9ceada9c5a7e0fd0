//===- LLVMIRTranslation.h - MLIR to LLVM IR to machine code ----*- C++ -*-===//
#ifndef TESSEL_LIB_TARGET_LLVMIRTRANSLATION_H
#define TESSEL_LIB_TARGET_LLVMIRTRANSLATION_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"
#include <memory>
#include <string>

namespace tessel {
struct TargetInfo;
struct CompileOptions;

/// Registers every LLVM backend Tessel uses (once per process).
void initializeLLVMTargets();

/// Translates an LLVM-dialect module for `target`; null and a located
/// diagnostic on failure: an op of another vendor's dialect (NVVM on AMD,
/// ROCDL on NVIDIA, either on the CPU), or LLVM IR the LLVM verifier rejects.
std::unique_ptr<llvm::Module> translateToLLVMIR(mlir::ModuleOp module,
                                                const TargetInfo &target,
                                                llvm::LLVMContext &ctx);

/// A target machine for `triple`; `fpFusion` lets code generation contract
/// multiplies and adds into fused multiply-adds.
std::unique_ptr<llvm::TargetMachine>
createTargetMachine(const std::string &triple, const std::string &cpu,
                    const std::string &features, std::string &error,
                    bool fpFusion = false);

/// Links the functions `module` uses from a bitcode library.
bool linkBitcodeFile(llvm::Module &module, const std::string &path,
                     std::string &error);

/// Makes every defined function but the kernels internal, so that O3 drops
/// the unused library code.
void internalizeAllBut(llvm::Module &module,
                       const std::vector<std::string> &keep);

/// Runs the O3 pipeline for the target machine.
void optimizeModule(llvm::Module &module, llvm::TargetMachine &machine);

/// Emits assembly or an object file.
bool emitCode(llvm::Module &module, llvm::TargetMachine &machine, bool object,
              std::string &out, std::string &error);

std::string moduleToString(const llvm::Module &module);

/// Writes `data` to a fresh temporary file; returns its path or "".
std::string writeTempFile(const std::string &suffix, const std::string &data);
bool readFile(const std::string &path, std::string &out);

/// Back ends: LLVM IR module in, binaries and text out.
bool compileNVIDIA(llvm::Module &module, const std::string &arch,
                   const CompileOptions &options,
                   const std::vector<std::string> &kernels,
                   std::map<std::string, std::string> &asmText,
                   std::string &binary, std::string &binaryKind,
                   std::string &error);
bool compileAMD(llvm::Module &module, const std::string &arch,
                const CompileOptions &options,
                const std::vector<std::string> &kernels,
                std::map<std::string, std::string> &asmText,
                std::string &binary, std::string &error);
/// Prepares a host module: wrapper entry points and O3. `object` receives an
/// object file when non-null.
bool prepareCPUModule(llvm::Module &module,
                      const std::vector<std::string> &kernels,
                      std::string *object, std::string &error);
/// Name of the packed-argument wrapper of a CPU kernel.
std::string cpuEntryName(const std::string &kernel);

/// Paths of the external files a target's compiles depend on (ptxas and
/// libdevice; the ROCm device libraries), one per line: the disk cache keys
/// on their size and modification time.
std::string nvidiaToolchainFiles();
std::string amdToolchainFiles();
/// The host CPU and its features (what CPU code is compiled for).
std::string hostCpuDescription();
} // namespace tessel

#endif

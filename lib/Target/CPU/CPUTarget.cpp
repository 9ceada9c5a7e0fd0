//===- CPUTarget.cpp - host code: entry wrappers and O3 -------------------===//
#include "lib/Target/LLVMIRTranslation.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>

using namespace tessel;

std::string tessel::cpuEntryName(const std::string &kernel) {
  return kernel + ".tessel_entry";
}

/// The launcher calls every kernel through one signature:
///   void entry(void **args, i32 pidX, pidY, pidZ, numX, numY, numZ)
/// where args[i] points at the value of parameter i.
static bool addEntryWrapper(llvm::Module &module, const std::string &name,
                            std::string &error) {
  llvm::Function *kernel = module.getFunction(name);
  if (!kernel) {
    error = "kernel " + name + " is missing from the LLVM module";
    return false;
  }
  llvm::LLVMContext &ctx = module.getContext();
  auto *ptrTy = llvm::PointerType::get(ctx, 0);
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  auto *fnTy = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx),
                                       {ptrTy, i32, i32, i32, i32, i32, i32},
                                       false);
  auto *entry = llvm::Function::Create(fnTy, llvm::GlobalValue::ExternalLinkage,
                                       cpuEntryName(name), module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", entry));
  unsigned numUser = kernel->arg_size() - 6;
  std::vector<llvm::Value *> args;
  for (unsigned i = 0; i < numUser; ++i) {
    llvm::Value *slot =
        b.CreateLoad(ptrTy, b.CreateConstGEP1_32(ptrTy, entry->getArg(0), i));
    args.push_back(b.CreateLoad(kernel->getArg(i)->getType(), slot));
  }
  for (unsigned i = 1; i <= 6; ++i)
    args.push_back(entry->getArg(i));
  b.CreateCall(kernel, args);
  b.CreateRetVoid();
  return true;
}

std::string tessel::hostCpuDescription() {
  std::string text = llvm::sys::getProcessTriple() + " " +
                     llvm::sys::getHostCPUName().str();
  std::vector<std::string> features;
  for (auto &[feature, enabled] : llvm::sys::getHostCPUFeatures())
    if (enabled)
      features.push_back(feature.str());
  std::sort(features.begin(), features.end());
  for (const std::string &f : features)
    text += " +" + f;
  return text;
}

bool tessel::prepareCPUModule(llvm::Module &module,
                              const std::vector<std::string> &kernels,
                              std::string *object, std::string &error) {
  std::string triple = llvm::sys::getProcessTriple();
  std::string features;
  for (auto &[feature, enabled] : llvm::sys::getHostCPUFeatures())
    features += (enabled ? "+" : "-") + feature.str() + ",";
  auto machine = createTargetMachine(triple, llvm::sys::getHostCPUName().str(),
                                     features, error);
  if (!machine)
    return false;
  module.setTargetTriple(machine->getTargetTriple());
  module.setDataLayout(machine->createDataLayout());
  std::vector<std::string> entries;
  for (const std::string &k : kernels) {
    if (!addEntryWrapper(module, k, error))
      return false;
    entries.push_back(cpuEntryName(k));
    entries.push_back(k);
  }
  internalizeAllBut(module, entries);
  optimizeModule(module, *machine);
  if (object && !emitCode(module, *machine, /*object=*/true, *object, error))
    return false;
  return true;
}

//===- tessel-translate.cpp - Tile IR to PTX, cubin, hsaco, objects -------===//
#include "tessel/Compiler.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input.mlir>"),
                                      cl::init("-"));
static cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                       cl::init("-"));
static cl::opt<std::string>
    emit("to",
         cl::desc("What to emit: tilegpu, llvmir, ptx, cubin, amdgcn, "
                  "hsaco, obj"),
         cl::init("llvmir"));
static cl::opt<std::string>
    target("target",
           cl::desc("cpu, nvidia:sm_80, nvidia:sm_90a, amd:gfx90a, "
                    "amd:gfx942 (default: implied by --to)"),
           cl::init(""));
// Compile options are text here and checked by CompileOptions::set, the one
// definition the C API and Python use too.
static cl::opt<std::string> numWarps("num-warps", cl::desc("Warps per program"),
                                     cl::init("4"));
static cl::opt<std::string>
    numStages("num-stages",
              cl::desc("Software pipelining depth (2+: prefetch dot loads)"),
              cl::init("3"));
static cl::opt<std::string>
    numCtas("num-ctas",
            cl::desc("Programs per cluster (2: Hopper TMA rings multicast)"),
            cl::init("1"));
static cl::opt<std::string> enableFpFusion(
    "enable-fp-fusion",
    cl::desc("GPUs: contract multiply-adds into fused multiply-adds (1/0)"),
    cl::init("1"));
static cl::opt<std::string>
    maxnreg("maxnreg",
            cl::desc("NVIDIA: most registers per thread (0: no limit)"),
            cl::init("0"));

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "Tessel translator\n");

  // In-process lld resets LLVM's command-line options: read them first.
  const std::string emitKind = emit, outputPath = outputFile;
  tessel::CompileOptions options;
  std::pair<const char *, std::string> settings[] = {
      {"num_warps", numWarps},
      {"num_stages", numStages},
      {"num_ctas", numCtas},
      {"enable_fp_fusion", enableFpFusion},
      {"maxnreg", maxnreg}};
  for (const auto &[name, value] : settings) {
    std::string error;
    if (!options.set(name, value, error)) {
      errs() << "error: " << error << "\n";
      return 1;
    }
  }
  options.target = target;
  if (options.target.empty()) {
    if (emitKind == "ptx" || emitKind == "cubin")
      options.target = "nvidia:sm_90a";
    else if (emitKind == "amdgcn" || emitKind == "hsaco")
      options.target = "amd:gfx942";
    else
      options.target = "cpu";
  }
  static const char *known[] = {"tilegpu", "llvmir", "ptx", "cubin",
                                "amdgcn",  "hsaco",  "obj"};
  if (std::find(std::begin(known), std::end(known), emitKind) ==
      std::end(known)) {
    errs() << "error: unknown --to=" << emitKind << "\n";
    return 1;
  }
  options.emitObject = emitKind == "obj";

  auto input = MemoryBuffer::getFileOrSTDIN(inputFile);
  if (!input) {
    errs() << "error: cannot read " << inputFile << ": "
           << input.getError().message() << "\n";
    return 1;
  }
  tessel::CompiledKernel kernel;
  std::string error;
  options.sourceName = inputFile == "-" ? "<stdin>" : std::string(inputFile);
  if (!tessel::compile((*input)->getBuffer().str(), options, kernel, error)) {
    errs() << error;
    return 1;
  }
  std::string out;
  if (emitKind == "cubin" || emitKind == "hsaco" || emitKind == "obj") {
    if (emitKind == "cubin" && kernel.binaryKind != "cubin") {
      errs() << "error: no cubin for target " << options.target
             << " (is ptxas on PATH?)\n";
      return 1;
    }
    if (emitKind != kernel.binaryKind && emitKind != "cubin") {
      errs() << "error: --to=" << emitKind
             << " does not match --target=" << options.target << "\n";
      return 1;
    }
    out = kernel.binary;
  } else {
    auto it = kernel.asmText.find(emitKind);
    if (it == kernel.asmText.end()) {
      errs() << "error: --to=" << emitKind
             << " does not match --target=" << options.target << "\n";
      return 1;
    }
    out = it->second;
  }
  std::error_code ec;
  ToolOutputFile file(outputPath, ec, sys::fs::OF_None);
  if (ec) {
    errs() << "error: " << ec.message() << "\n";
    return 1;
  }
  file.os() << out;
  file.keep();
  return 0;
}

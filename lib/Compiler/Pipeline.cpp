//===- Pipeline.cpp - running the pipeline with located errors ------------===//
#include "lib/Compiler/Pipeline.h"
#include "lib/Compiler/Registration.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace tessel;

/// The innermost file location of `loc`, if any.
static std::optional<FileLineColLoc> findFileLoc(Location loc) {
  std::optional<FileLineColLoc> found;
  loc->walk([&](Location l) {
    if (auto file = dyn_cast<FileLineColLoc>(l)) {
      found = file;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return found;
}

static const char *severityName(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Error:
    return "error";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Note:
    return "note";
  case DiagnosticSeverity::Remark:
    return "remark";
  }
  return "error";
}

static void appendDiagnostic(std::string &text, Diagnostic &diag) {
  llvm::raw_string_ostream os(text);
  if (auto file = findFileLoc(diag.getLocation()))
    os << file->getFilename().getValue() << ":" << file->getLine() << ":"
       << file->getColumn() << ": ";
  os << severityName(diag.getSeverity()) << ": " << diag.str() << "\n";
  for (Diagnostic &note : diag.getNotes())
    appendDiagnostic(text, note);
}

DiagnosticCollector::DiagnosticCollector(MLIRContext &ctx) : ctx(ctx) {
  id = ctx.getDiagEngine().registerHandler([this](Diagnostic &diag) {
    if (diag.getSeverity() != DiagnosticSeverity::Remark)
      appendDiagnostic(text, diag);
    return success();
  });
}

DiagnosticCollector::~DiagnosticCollector() {
  ctx.getDiagEngine().eraseHandler(id);
}

std::string DiagnosticCollector::take() { return std::move(text); }

std::unique_ptr<MLIRContext> tessel::createContext() {
  DialectRegistry registry;
  registerAllDialects(registry);
  auto ctx =
      std::make_unique<MLIRContext>(registry, MLIRContext::Threading::DISABLED);
  ctx->loadAllAvailableDialects();
  return ctx;
}

OwningOpRef<ModuleOp> tessel::parseTileIR(MLIRContext &ctx,
                                          const std::string &text,
                                          const std::string &sourceName) {
  auto module =
      parseSourceString<ModuleOp>(text, ParserConfig(&ctx), sourceName);
  if (module && failed(verify(*module)))
    return nullptr;
  return module;
}

LogicalResult
tessel::runPasses(ModuleOp module, const std::string &dumpDir,
                  const std::function<void(OpPassManager &)> &build) {
  PassManager pm(module.getContext());
  build(pm);
  if (!dumpDir.empty()) {
    llvm::sys::fs::create_directories(dumpDir);
    std::error_code ec;
    llvm::raw_fd_ostream pipeline(dumpDir + "/pipeline.txt", ec,
                                  llvm::sys::fs::OF_Append);
    if (!ec) {
      pm.printAsTextualPipeline(pipeline);
      pipeline << "\n";
    }
    pm.enableIRPrintingToFileTree([](Pass *, Operation *) { return true; },
                                  [](Pass *, Operation *) { return true; },
                                  /*printModuleScope=*/true,
                                  /*printAfterOnlyOnChange=*/false,
                                  /*printAfterOnlyOnFailure=*/false, dumpDir);
  }
  return pm.run(module);
}

std::string tessel::printOp(Operation *op) {
  std::string s;
  llvm::raw_string_ostream os(s);
  op->print(os);
  return s;
}

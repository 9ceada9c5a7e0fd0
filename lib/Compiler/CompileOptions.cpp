//===- CompileOptions.cpp - compile options by their Triton names ---------===//
//
// The one place that knows each option's name and valid values: the tools,
// the C API and Python set options here, and cache keys and dump directories
// describe them from here.
//
//===----------------------------------------------------------------------===//
#include "tessel/Compiler.h"

#include "llvm/ADT/StringRef.h"

using namespace tessel;

static bool parseUnsigned(const std::string &text, unsigned &out) {
  return !llvm::StringRef(text).trim().getAsInteger(10, out);
}

static bool parseBool(const std::string &text, bool &out) {
  std::string lower = llvm::StringRef(text).trim().lower();
  if (lower == "1" || lower == "true") {
    out = true;
    return true;
  }
  if (lower == "0" || lower == "false") {
    out = false;
    return true;
  }
  return false;
}

bool CompileOptions::set(const std::string &name, const std::string &value,
                         std::string &error) {
  auto bad = [&](const char *expected) {
    error = "compile option '" + name + "': expected " + expected + ", got '" +
            value + "'";
    return false;
  };
  if (name == "num_warps") {
    unsigned n;
    if (!parseUnsigned(value, n) || n == 0 || (n & (n - 1)) || n > 32)
      return bad("a power of two from 1 to 32");
    numWarps = n;
    return true;
  }
  if (name == "num_stages") {
    unsigned n;
    if (!parseUnsigned(value, n) || n == 0)
      return bad("a positive integer");
    numStages = n;
    return true;
  }
  if (name == "num_ctas") {
    unsigned n;
    if (!parseUnsigned(value, n) || (n != 1 && n != 2))
      return bad("1 or 2");
    numCtas = n;
    return true;
  }
  if (name == "enable_fp_fusion")
    return parseBool(value, enableFpFusion) || bad("true, false, 1 or 0");
  if (name == "maxnreg") {
    // ptxas raises values below its minimum and ignores ones past 255, with
    // a warning; 0 means no limit.
    if (!parseUnsigned(value, maxNumRegisters))
      return bad("a non-negative integer");
    return true;
  }
  error = "unknown compile option '" + name +
          "' (known: num_warps, num_stages, num_ctas, enable_fp_fusion, "
          "maxnreg)";
  return false;
}

bool CompileOptions::setAll(const std::string &list, std::string &error) {
  const char *separators = " ,\t\n";
  llvm::StringRef rest(list);
  while (!(rest = rest.ltrim(separators)).empty()) {
    size_t end = rest.find_first_of(separators);
    llvm::StringRef item = rest.take_front(end);
    rest = rest.drop_front(item.size());
    auto [name, value] = item.split('=');
    if (!item.contains('=')) {
      error = "compile option '" + item.str() + "': expected name=value";
      return false;
    }
    if (!set(name.str(), value.str(), error))
      return false;
  }
  return true;
}

std::string CompileOptions::describe() const {
  return "target=" + target + " num_warps=" + std::to_string(numWarps) +
         " num_stages=" + std::to_string(numStages) +
         " num_ctas=" + std::to_string(numCtas) +
         " enable_fp_fusion=" + (enableFpFusion ? "1" : "0") +
         " maxnreg=" + std::to_string(maxNumRegisters) +
         " emit_object=" + (emitObject ? "1" : "0");
}

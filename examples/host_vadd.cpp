//===- host_vadd.cpp - a C++ host program running a Tessel kernel ---------===//
//
// Loads Tile IR text, compiles it for the CPU in process, launches it over a
// grid and checks the result: no Python anywhere.
//   host_vadd path/to/vadd.mlir [n]
//
//===----------------------------------------------------------------------===//
#include "tessel/Compiler.h"
#include "tessel/Runtime.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

using namespace tessel;

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s kernel.mlir [n]\n", argv[0]);
    return 2;
  }
  std::ifstream file(argv[1]);
  if (!file) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  std::stringstream text;
  text << file.rdbuf();
  int n = argc > 2 ? std::atoi(argv[2]) : 100003;

  std::string error;
  auto kernel = CpuJitKernel::create(text.str(), error);
  if (!kernel) {
    std::fprintf(stderr, "%s", error.c_str());
    return 1;
  }
  std::vector<runtime::ArgKind> kinds;
  for (const std::string &t : kernel->getInfo().argTypes)
    kinds.push_back(runtime::parseArgKind(t));
  runtime::CpuLauncher launcher(
      reinterpret_cast<runtime::CpuLauncher::KernelFn>(kernel->getEntry()),
      kinds);

  std::mt19937 rng(42);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> x(n), y(n), out(n, NAN);
  for (int i = 0; i < n; ++i) {
    x[i] = dist(rng);
    y[i] = dist(rng);
  }
  launcher.launch((n + 1023) / 1024, 1, 1,
                  {runtime::KernelArg::fromPtr(uint64_t(x.data())),
                   runtime::KernelArg::fromPtr(uint64_t(y.data())),
                   runtime::KernelArg::fromPtr(uint64_t(out.data())),
                   runtime::KernelArg::fromInt(runtime::ArgKind::I32, n)});
  for (int i = 0; i < n; ++i)
    if (out[i] != x[i] + y[i]) {
      std::fprintf(stderr, "mismatch at %d: %f != %f\n", i, out[i],
                   x[i] + y[i]);
      return 1;
    }
  std::printf("%s: %d elements match\n", kernel->getInfo().name.c_str(), n);
  return 0;
}

//===- host_vadd.cpp - a C++ host program running a Tessel kernel ---------===//
//
// The C++ API end to end (include/tessel/Kernel.h): loads Tile IR text,
// compiles it in process for the present device (a CUDA device when there
// is one, with the data copied there; else the CPU) or the given target,
// launches it over a grid and checks the result: no Python anywhere.
//   host_vadd path/to/vadd.mlir [n] [target]
//
//===----------------------------------------------------------------------===//
#include "tessel/Kernel.h"

#include "cuda_memory.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

using namespace tessel;

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s kernel.mlir [n] [target]\n", argv[0]);
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

  CompileOptions options;
  options.target = argc > 3 ? argv[3] : presentTarget();
  options.sourceName = argv[1];
  auto kernel = Kernel::compile(text.str(), options);
  if (!kernel) {
    std::fprintf(stderr, "%s\n", kernel.getError().c_str());
    return 1;
  }

  std::mt19937 rng(42);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> x(n), y(n), out(n, NAN);
  for (int i = 0; i < n; ++i) {
    x[i] = dist(rng);
    y[i] = dist(rng);
  }
  uint64_t px = uint64_t(x.data()), py = uint64_t(y.data()),
           pout = uint64_t(out.data());
  bool cuda = options.target.rfind("nvidia:", 0) == 0;
  size_t bytes = size_t(n) * sizeof(float);
  example_cuda cu;
  if (cuda) {
    // Device copies of the data; the pointers passed are device addresses.
    if (example_cuda_open(&cu))
      return 1;
    px = example_cuda_copy_of(&cu, x.data(), bytes);
    py = example_cuda_copy_of(&cu, y.data(), bytes);
    pout = example_cuda_copy_of(&cu, out.data(), bytes);
    if (!px || !py || !pout) {
      std::fprintf(stderr, "cannot copy the data to the device\n");
      return 1;
    }
  }
  auto launched = (*kernel)->launch(
      (n + 1023) / 1024, 1, 1,
      {runtime::KernelArg::fromPtr(px), runtime::KernelArg::fromPtr(py),
       runtime::KernelArg::fromPtr(pout),
       runtime::KernelArg::fromInt(runtime::ArgKind::I32, n)});
  if (!launched) {
    std::fprintf(stderr, "%s\n", launched.getError().c_str());
    return 1;
  }
  if (cuda) {
    if (cu.synchronize() || cu.copyToHost(out.data(), pout, bytes)) {
      std::fprintf(stderr, "the kernel or the copy back failed\n");
      return 1;
    }
    for (uint64_t p : {px, py, pout})
      cu.memFree(p);
  }
  for (int i = 0; i < n; ++i)
    if (out[i] != x[i] + y[i]) {
      std::fprintf(stderr, "mismatch at %d: %f != %f\n", i, out[i],
                   x[i] + y[i]);
      return 1;
    }
  std::printf("%s (C++ API, %s): %d elements match\n",
              (*kernel)->getInfo().name.c_str(), options.target.c_str(), n);
  return 0;
}

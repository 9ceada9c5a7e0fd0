//===- Kernels.h - kernels as the _tessel extension holds them --*- C++ -*-===//
#ifndef TESSEL_PYTHON_SRC_KERNELS_H
#define TESSEL_PYTHON_SRC_KERNELS_H

#include "tessel/Compiler.h"
#include "tessel/Runtime.h"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <vector>

namespace tessel::python {

/// A CPU kernel: the JIT-compiled code and its grid launcher.
struct CpuKernel {
  std::unique_ptr<CpuJitKernel> jit;
  std::unique_ptr<runtime::CpuLauncher> launcher;
  std::vector<runtime::ArgKind> kinds;
};

/// A CUDA kernel: the loaded module.
struct CudaKernel {
  std::unique_ptr<runtime::CudaModule> module;
  std::vector<runtime::ArgKind> kinds;
};

/// Registers _C.FastLauncher (FastLaunch.cpp).
void registerFastLaunch(pybind11::module_ &m);

} // namespace tessel::python

#endif

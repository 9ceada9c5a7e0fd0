//===- Kernel.cpp - compile and launch a kernel from a host program -------===//
#include "tessel/Kernel.h"

#include <mutex>

using namespace tessel;
using namespace tessel::runtime;

// CUdevice_attribute values (cuda.h).
static constexpr int kComputeCapabilityMajor = 75;
static constexpr int kComputeCapabilityMinor = 76;

std::string tessel::presentTarget() {
  CudaDriver &driver = CudaDriver::get();
  if (!driver.available())
    return "cpu";
  try {
    driver.ensureContext("presentTarget");
    CUdevice device = 0;
    int major = 0, minor = 0;
    driver.check(driver.cuDeviceGet(&device, 0), "cuDeviceGet");
    driver.check(
        driver.cuDeviceGetAttribute(&major, kComputeCapabilityMajor, device),
        "cuDeviceGetAttribute");
    driver.check(
        driver.cuDeviceGetAttribute(&minor, kComputeCapabilityMinor, device),
        "cuDeviceGetAttribute");
    // Hopper's wgmma needs the architecture-specific target.
    return "nvidia:sm_" + std::to_string(major) + std::to_string(minor) +
           (major == 9 && minor == 0 ? "a" : "");
  } catch (const RuntimeError &) {
    return "cpu";
  }
}

struct Kernel::Impl {
  CompiledKernel info;
  std::vector<ArgKind> kinds;
  std::unique_ptr<CpuJitKernel> cpu;
  std::unique_ptr<CpuLauncher> cpuLauncher;
  // Loaded on the first launch, so that compiling needs no GPU.
  mutable std::once_flag cudaOnce;
  mutable std::unique_ptr<CudaModule> cuda;
  mutable std::string cudaError;
};

Kernel::~Kernel() = default;

const CompiledKernel &Kernel::getInfo() const { return impl->info; }
const std::vector<ArgKind> &Kernel::getArgKinds() const { return impl->kinds; }

Result<std::unique_ptr<Kernel>> Kernel::compile(const std::string &tileIR,
                                                CompileOptions options) {
  using R = Result<std::unique_ptr<Kernel>>;
  if (options.target.empty())
    options.target = presentTarget();
  const std::string &target = options.target;
  if (target != "cpu" && target.rfind("nvidia:sm_", 0) != 0 &&
      target.rfind("amd:gfx", 0) != 0)
    return R::error(ErrorKind::InvalidArgument,
                    "unknown target '" + target +
                        "': use cpu, nvidia:sm_XX or amd:gfxXXX");
  std::unique_ptr<Kernel> kernel(new Kernel());
  kernel->impl = std::make_unique<Impl>();
  Impl &impl = *kernel->impl;
  std::string error;
  if (target == "cpu") {
    impl.cpu =
        CpuJitKernel::create(tileIR, error, options.dumpDir, options.numStages);
    if (!impl.cpu)
      return R::error(ErrorKind::Compile, error);
    impl.info = impl.cpu->getInfo();
  } else if (!tessel::compile(tileIR, options, impl.info, error)) {
    return R::error(ErrorKind::Compile, error);
  }
  try {
    for (const std::string &t : impl.info.argTypes)
      impl.kinds.push_back(parseArgKind(t));
  } catch (const std::invalid_argument &e) {
    return R::error(ErrorKind::Compile, e.what());
  }
  if (impl.cpu)
    impl.cpuLauncher = std::make_unique<CpuLauncher>(
        reinterpret_cast<CpuLauncher::KernelFn>(impl.cpu->getEntry()),
        impl.kinds);
  return R(std::move(kernel));
}

Result<bool> Kernel::launch(unsigned gx, unsigned gy, unsigned gz,
                            const std::vector<KernelArg> &args,
                            uint64_t stream) const {
  using R = Result<bool>;
  const std::string &name = impl->info.name;
  if (args.size() != impl->kinds.size())
    return R::error(ErrorKind::InvalidArgument,
                    name + " takes " + std::to_string(impl->kinds.size()) +
                        " arguments, " + std::to_string(args.size()) +
                        " given");
  try {
    if (impl->cpuLauncher) {
      impl->cpuLauncher->launch(gx, gy, gz, args);
      std::string failure;
      if (takeCpuAssertFailure(failure))
        return R::error(ErrorKind::Runtime, failure);
      return R(true);
    }
    if (impl->info.target.rfind("nvidia:", 0) != 0)
      return R::error(ErrorKind::Unavailable,
                      name + ": kernels for " + impl->info.target +
                          " compile here but cannot be launched");
    std::call_once(impl->cudaOnce, [&] {
      try {
        CudaDriver::get().requireAvailable("launching " + name);
        auto ptx = impl->info.asmText.find("ptx");
        impl->cuda = std::make_unique<CudaModule>(
            impl->info.binary, name, impl->kinds, impl->info.numWarps,
            impl->info.sharedBytes, impl->info.threadsPerWarp,
            ptx == impl->info.asmText.end() ? "" : ptx->second,
            impl->info.clusterCtas);
      } catch (const std::exception &e) {
        impl->cudaError = e.what();
      }
    });
    if (!impl->cuda)
      return R::error(CudaDriver::get().available() ? ErrorKind::Runtime
                                                    : ErrorKind::Unavailable,
                      impl->cudaError);
    impl->cuda->launch(gx, gy, gz, stream, args);
    return R(true);
  } catch (const std::invalid_argument &e) {
    return R::error(ErrorKind::InvalidArgument, name + ": " + e.what());
  } catch (const std::exception &e) {
    return R::error(ErrorKind::Runtime, name + ": " + e.what());
  }
}

//===- CudaDriver.cpp - the CUDA driver API loaded at run time ------------===//
//
// libcuda.so.1 is opened with dlopen so that the runtime neither links
// against CUDA nor needs its headers, and a machine without a GPU can still
// load everything (available() is then false, with the reason).
//
//===----------------------------------------------------------------------===//
#include "tessel/Runtime.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstring>
#include <type_traits>

namespace tessel::runtime {

namespace {
constexpr CUresult kSuccess = 0;
// CUDA_ERROR_NO_BINARY_FOR_GPU: a cubin of another architecture family.
constexpr CUresult kNoBinaryForGpu = 209;
constexpr int kFuncAttrMaxDynamicSharedBytes = 8;
constexpr int kJitErrorLogBuffer = 5;
constexpr int kJitErrorLogBufferSizeBytes = 6;
constexpr unsigned kDefaultMaxSharedBytes = 48 * 1024;
constexpr int kLaunchAttributeClusterDimension = 4;

std::string hexAddress(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string forContext(const std::string &context) {
  return context.empty() ? "" : " for " + context;
}
} // namespace

CudaDriver &CudaDriver::get() {
  // Never destroyed: modules unloaded by static destructors still need it.
  static CudaDriver *driver = new CudaDriver();
  return *driver;
}

CudaDriver::CudaDriver() {
  void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char *err = dlerror();
    reason = std::string("cannot load libcuda.so.1 (no NVIDIA driver?): ") +
             (err ? err : "unknown error");
    return;
  }
  std::string missing;
  // The _v2 entry points have 64-bit sizes and pointers; the unversioned
  // ones are the legacy 32-bit ABI where both exist.
  auto load = [&](auto &fnPtr, const char *name, bool hasV2 = false) {
    void *sym = nullptr;
    if (hasV2)
      sym = dlsym(lib, (std::string(name) + "_v2").c_str());
    if (!sym)
      sym = dlsym(lib, name);
    if (!sym)
      missing += std::string(missing.empty() ? "" : ", ") + name;
    fnPtr = reinterpret_cast<std::remove_reference_t<decltype(fnPtr)>>(sym);
  };
  load(cuInit, "cuInit");
  load(cuDeviceGet, "cuDeviceGet");
  load(cuDeviceGetAttribute, "cuDeviceGetAttribute");
  load(cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain");
  load(cuCtxGetCurrent, "cuCtxGetCurrent");
  load(cuCtxSetCurrent, "cuCtxSetCurrent");
  load(cuModuleLoadData, "cuModuleLoadData");
  load(cuModuleLoadDataEx, "cuModuleLoadDataEx");
  load(cuModuleGetFunction, "cuModuleGetFunction");
  load(cuModuleUnload, "cuModuleUnload");
  load(cuLaunchKernel, "cuLaunchKernel");
  load(cuFuncSetAttribute, "cuFuncSetAttribute");
  // Optional: only cooperative launches need it.
  cuLaunchCooperativeKernel =
      reinterpret_cast<decltype(cuLaunchCooperativeKernel)>(
          dlsym(lib, "cuLaunchCooperativeKernel"));
  // Optional: only kernels launched in thread-block clusters need it.
  cuLaunchKernelEx = reinterpret_cast<decltype(cuLaunchKernelEx)>(
      dlsym(lib, "cuLaunchKernelEx"));
  // Optional: only TMA (tensor descriptors on Hopper) needs it.
  cuTensorMapEncodeTiled = reinterpret_cast<decltype(cuTensorMapEncodeTiled)>(
      dlsym(lib, "cuTensorMapEncodeTiled"));
  load(cuGetErrorName, "cuGetErrorName");
  load(cuGetErrorString, "cuGetErrorString");
  load(cuCtxSynchronize, "cuCtxSynchronize");
  load(cuStreamSynchronize, "cuStreamSynchronize");
  load(cuMemAlloc, "cuMemAlloc", true);
  load(cuMemFree, "cuMemFree", true);
  load(cuMemcpyHtoD, "cuMemcpyHtoD", true);
  load(cuMemcpyDtoH, "cuMemcpyDtoH", true);
  if (!missing.empty()) {
    reason = "libcuda.so.1 lacks " + missing + " (driver too old?)";
    return;
  }
  if (CUresult err = cuInit(0); err != kSuccess) {
    reason = "cuInit failed: " + describe(err);
    return;
  }
  loaded = true;
}

std::string CudaDriver::describe(CUresult result) const {
  const char *name = nullptr, *text = nullptr;
  if (cuGetErrorName)
    cuGetErrorName(result, &name);
  if (cuGetErrorString)
    cuGetErrorString(result, &text);
  std::string out = name ? name : "CUDA error " + std::to_string(result);
  if (text)
    out += std::string(" (") + text + ")";
  return out;
}

void CudaDriver::check(CUresult result, const char *op,
                       const std::string &context) const {
  if (result != kSuccess)
    throw RuntimeError(std::string(op) + " failed" + forContext(context) +
                       ": " + describe(result));
}

void CudaDriver::requireAvailable(const std::string &context) const {
  if (!loaded)
    throw RuntimeError("CUDA is unavailable" + forContext(context) + ": " +
                       reason);
}

void CudaDriver::encodeTensorMap(void *out, unsigned elementBytes,
                                 int floatKind, uint64_t address,
                                 const std::vector<uint64_t> &dims,
                                 const std::vector<uint64_t> &strideBytes,
                                 const std::vector<uint32_t> &box,
                                 unsigned swizzleBytes) {
  requireAvailable("a tensor map");
  if (!cuTensorMapEncodeTiled)
    throw RuntimeError("cuTensorMapEncodeTiled is missing (driver before CUDA "
                       "12?): tensor maps need it");
  // CUtensorMapDataType.
  enum {
    U8 = 0,
    U16 = 1,
    I32 = 3,
    I64 = 5,
    F16 = 6,
    F32 = 7,
    F64 = 8,
    BF16 = 9
  };
  int dataType;
  switch (elementBytes) {
  case 1:
    dataType = U8;
    break;
  case 2:
    dataType = floatKind == 17 ? BF16 : floatKind == 16 ? F16 : U16;
    break;
  case 4:
    dataType = floatKind ? F32 : I32;
    break;
  case 8:
    dataType = floatKind ? F64 : I64;
    break;
  default:
    throw RuntimeError("a tensor map of " + std::to_string(elementBytes) +
                       "-byte elements");
  }
  size_t rank = dims.size();
  if (rank == 0 || rank > 5 || box.size() != rank ||
      strideBytes.size() + 1 != rank)
    throw RuntimeError("a tensor map takes 1 to 5 dimensions, a box and "
                       "rank - 1 strides");
  // CUtensorMapSwizzle: none, 32, 64, 128 bytes.
  int swizzle = swizzleBytes == 128  ? 3
                : swizzleBytes == 64 ? 2
                : swizzleBytes == 32 ? 1
                                     : 0;
  std::vector<uint32_t> elementStrides(rank, 1);
  constexpr int kInterleaveNone = 0, kL2Promotion128B = 2, kOobFillZero = 0;
  CUresult err = cuTensorMapEncodeTiled(
      out, dataType, unsigned(rank),
      reinterpret_cast<void *>(uintptr_t(address)), dims.data(),
      strideBytes.data(), box.data(), elementStrides.data(), kInterleaveNone,
      swizzle, kL2Promotion128B, kOobFillZero);
  if (err != kSuccess) {
    std::string shape;
    for (size_t d = rank; d-- > 0;)
      shape += std::to_string(dims[d]) + (d ? "x" : "");
    throw RuntimeError("cuTensorMapEncodeTiled failed for a " + shape +
                       " tensor at 0x" + hexAddress(address) + ": " +
                       describe(err) +
                       " (TMA needs a 16-byte aligned base and strides)");
  }
}

void CudaDriver::encodeDescriptorTensorMap(void *out, unsigned elementBytes,
                                           int floatKind, uint64_t address,
                                           const std::vector<uint64_t> &shape,
                                           const std::vector<uint64_t> &strides,
                                           const std::vector<uint64_t> &block) {
  if (shape.size() != 2 || strides.size() != 2 || block.size() != 2 ||
      strides[1] != 1)
    throw RuntimeError("a descriptor's tensor map takes a 2-D shape, strides "
                       "(the last 1) and block");
  unsigned swizzle = 0;
  for (unsigned rowBytes : {128u, 64u, 32u})
    if (block[1] * elementBytes % rowBytes == 0) {
      swizzle = rowBytes;
      break;
    }
  if (!swizzle || block[0] == 0 || block[0] > 256)
    throw RuntimeError("a tensor map needs blocks of 1 to 256 rows of a "
                       "multiple of 32 bytes");
  encodeTensorMap(out, elementBytes, floatKind, address, {shape[1], shape[0]},
                  {strides[0] * elementBytes},
                  {uint32_t(swizzle / elementBytes), uint32_t(block[0])},
                  swizzle);
}

CUcontext CudaDriver::ensureContext(const std::string &context) {
  requireAvailable(context);
  CUcontext ctx = nullptr;
  check(cuCtxGetCurrent(&ctx), "cuCtxGetCurrent", context);
  if (ctx)
    return ctx; // e.g. the one PyTorch made current
  CUdevice device;
  check(cuDeviceGet(&device, 0), "cuDeviceGet", context);
  check(cuDevicePrimaryCtxRetain(&ctx, device), "cuDevicePrimaryCtxRetain",
        context);
  check(cuCtxSetCurrent(ctx), "cuCtxSetCurrent", context);
  return ctx;
}

uint64_t CudaDriver::cudaMalloc(size_t bytes) {
  ensureContext("cudaMalloc");
  CUdeviceptr ptr = 0;
  check(cuMemAlloc(&ptr, bytes), "cuMemAlloc",
        std::to_string(bytes) + " bytes");
  return ptr;
}

void CudaDriver::cudaFree(uint64_t ptr) {
  ensureContext("cudaFree");
  check(cuMemFree(ptr), "cuMemFree");
}

void CudaDriver::cudaMemcpyHtoD(uint64_t dst, const void *src, size_t bytes) {
  ensureContext("cudaMemcpyHtoD");
  check(cuMemcpyHtoD(dst, src, bytes), "cuMemcpyHtoD");
}

void CudaDriver::cudaMemcpyDtoH(void *dst, uint64_t src, size_t bytes) {
  ensureContext("cudaMemcpyDtoH");
  check(cuMemcpyDtoH(dst, src, bytes), "cuMemcpyDtoH");
}

void CudaDriver::cudaSynchronize() {
  ensureContext("cudaSynchronize");
  check(cuCtxSynchronize(), "cuCtxSynchronize");
}

//===----------------------------------------------------------------------===//
// CudaModule
//===----------------------------------------------------------------------===//

CudaModule::CudaModule(const std::string &image, const std::string &name,
                       std::vector<ArgKind> argKinds, unsigned numWarps,
                       unsigned sharedMemBytes, unsigned threadsPerWarp,
                       const std::string &ptxFallback, unsigned clusterCtas)
    : kernelName(name), packer(std::move(argKinds)),
      blockThreads(numWarps * threadsPerWarp), sharedBytes(sharedMemBytes),
      clusterCtas(clusterCtas) {
  std::string where = "kernel '" + kernelName + "'";
  CudaDriver &cu = CudaDriver::get();
  if (blockThreads == 0)
    throw std::invalid_argument("numWarps and threadsPerWarp of " + where +
                                " must be positive");
  context = cu.ensureContext(where);

  // PTX must be NUL-terminated; the JIT log says what it rejected.
  auto loadPtx = [&](const std::string &ptx, const std::string &why) {
    char log[8192] = {0};
    int options[] = {kJitErrorLogBuffer, kJitErrorLogBufferSizeBytes};
    void *values[] = {log, reinterpret_cast<void *>(uintptr_t(sizeof(log)))};
    CUresult err =
        cu.cuModuleLoadDataEx(&module, ptx.c_str(), 2, options, values);
    if (err != kSuccess)
      throw RuntimeError(why + "cuModuleLoadDataEx (PTX JIT) failed for " +
                         where + ": " + cu.describe(err) +
                         (log[0] ? std::string("\n") + log : ""));
  };
  bool isCubin = image.size() >= 4 && std::memcmp(image.data(),
                                                  "\x7f"
                                                  "ELF",
                                                  4) == 0;
  if (!isCubin) {
    loadPtx(image, "");
  } else if (CUresult err = cu.cuModuleLoadData(&module, image.data());
             err == kNoBinaryForGpu && !ptxFallback.empty()) {
    // Code compiled for an older architecture family (sm_80 on an H200):
    // the driver compiles its PTX for the device instead.
    loadPtx(ptxFallback, "the device cannot run the cubin (" +
                             cu.describe(kNoBinaryForGpu) +
                             "), so its PTX was loaded instead: ");
  } else {
    cu.check(err, "cuModuleLoadData", where);
  }

  try {
    cu.check(cu.cuModuleGetFunction(&function, module, kernelName.c_str()),
             "cuModuleGetFunction", where);
    // Above 48 KiB, dynamic shared memory must be opted into per function.
    if (sharedBytes > kDefaultMaxSharedBytes)
      cu.check(cu.cuFuncSetAttribute(function, kFuncAttrMaxDynamicSharedBytes,
                                     int(sharedBytes)),
               "cuFuncSetAttribute(MAX_DYNAMIC_SHARED_SIZE_BYTES)",
               where + " (" + std::to_string(sharedBytes) +
                   " bytes of shared memory)");
  } catch (...) {
    cu.cuModuleUnload(module);
    throw;
  }
}

CudaModule::~CudaModule() {
  // At process exit the driver may already be torn down: ignore errors.
  if (module)
    CudaDriver::get().cuModuleUnload(module);
}

void CudaModule::launch(unsigned gx, unsigned gy, unsigned gz, uint64_t stream,
                        const std::vector<KernelArg> &args, bool cooperative) {
  if (args.size() != packer.getNumArgs())
    throw std::invalid_argument("kernel '" + kernelName + "' expects " +
                                std::to_string(packer.getNumArgs()) +
                                " arguments, got " +
                                std::to_string(args.size()));
  if (gx == 0 || gy == 0 || gz == 0)
    return;
  // Buffers reused per thread: launches are hot and pack() only resizes.
  thread_local std::vector<uint8_t> storage;
  thread_local std::vector<void *> ptrs;
  packer.pack(args, storage, ptrs);

  CudaDriver &cu = CudaDriver::get();
  // Contexts are current per thread: a fresh thread (e.g. a Python worker
  // thread) has none, so make the module's context current there.
  CUcontext current = nullptr;
  cu.check(cu.cuCtxGetCurrent(&current), "cuCtxGetCurrent", kernelName);
  if (!current)
    cu.check(cu.cuCtxSetCurrent(context), "cuCtxSetCurrent", kernelName);
  auto cuStream = reinterpret_cast<CUstream>(uintptr_t(stream));
  if (cooperative && !cu.cuLaunchCooperativeKernel)
    throw std::runtime_error("kernel '" + kernelName +
                             "': this CUDA driver has no cooperative launch "
                             "(cuLaunchCooperativeKernel)");
  // Clusters of consecutive programs along x, where the grid splits into
  // them; the kernel also runs (sharing nothing) without.
  bool clustered = clusterCtas > 1 && gx % clusterCtas == 0 && !cooperative &&
                   cu.cuLaunchKernelEx;
  CUresult err;
  const char *what = "cuLaunchKernel";
  if (cooperative) {
    what = "cuLaunchCooperativeKernel";
    err = cu.cuLaunchCooperativeKernel(function, gx, gy, gz, blockThreads, 1, 1,
                                       sharedBytes, cuStream, ptrs.data());
  } else if (clustered) {
    what = "cuLaunchKernelEx";
    CUlaunchAttribute cluster{};
    cluster.id = kLaunchAttributeClusterDimension;
    cluster.value.clusterDim = {clusterCtas, 1, 1};
    CUlaunchConfig config{gx, gy,          gz,       blockThreads, 1,
                          1,  sharedBytes, cuStream, &cluster,     1};
    err = cu.cuLaunchKernelEx(&config, function, ptrs.data(), nullptr);
  } else {
    err = cu.cuLaunchKernel(function, gx, gy, gz, blockThreads, 1, 1,
                            sharedBytes, cuStream, ptrs.data(), nullptr);
  }
  if (err != kSuccess)
    cu.check(err, what,
             "kernel '" + kernelName + "' (grid " + std::to_string(gx) + "x" +
                 std::to_string(gy) + "x" + std::to_string(gz) + ", block " +
                 std::to_string(blockThreads) + ", shared " +
                 std::to_string(sharedBytes) + ")");
}

} // namespace tessel::runtime

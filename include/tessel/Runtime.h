//===- Runtime.h - launching compiled kernels -------------------*- C++ -*-===//
//
// The runtime that launches compiled kernels: argument packing, the CUDA
// driver API (loaded with dlopen, so nothing links against CUDA and a machine
// without a GPU still loads the library) and a thread-pool launcher for CPU
// kernels. No LLVM or MLIR dependency.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_RUNTIME_H
#define TESSEL_RUNTIME_H

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace tessel::runtime {

//===----------------------------------------------------------------------===//
// Kernel arguments
//===----------------------------------------------------------------------===//

/// TensorMap: a 128-byte CUtensorMap passed by value (a host tensor
/// descriptor's; KernelArg::bits holds the address of its host copy).
/// Bytes of a CUtensorMap kernel parameter.
inline constexpr size_t kTensorMapBytes = 128;
enum class ArgKind {
  Ptr,
  I1,
  I8,
  I16,
  I32,
  I64,
  F16,
  BF16,
  F32,
  F64,
  TensorMap
};

/// Parses "ptr", "i1".."i64", "u8".."u64" (same as the signed kinds), "f16",
/// "bf16", "f32", "f64". Throws std::invalid_argument naming a bad string.
ArgKind parseArgKind(const std::string &name);
/// The canonical spelling of `kind` ("ptr", "i32", ...).
const char *argKindName(ArgKind kind);
/// Bytes the kind occupies in a packed argument buffer (also its alignment).
size_t argKindSize(ArgKind kind);
bool isFloatKind(ArgKind kind);

/// IEEE binary16 / bfloat16 bits of `value`, rounded to nearest even.
uint16_t doubleToHalfBits(double value);
uint16_t doubleToBF16Bits(double value);
double halfBitsToDouble(uint16_t bits);
double bf16BitsToDouble(uint16_t bits);

class RuntimeError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// One argument value. The low argKindSize(kind) bytes of `bits` hold the
/// value in the kernel's encoding (integers zero-extended, i1 is 0 or 1,
/// floats as their IEEE bits, pointers as raw addresses).
struct KernelArg {
  ArgKind kind = ArgKind::I64;
  uint64_t bits = 0;

  /// Integers wrap to the kind's width; float kinds convert the value.
  static KernelArg fromInt(ArgKind kind, int64_t value);
  /// Float kinds round (f16/bf16 to nearest even, f32 by a float cast);
  /// integer kinds accept only finite integral values (else
  /// std::invalid_argument).
  static KernelArg fromDouble(ArgKind kind, double value);
  static KernelArg fromPtr(uint64_t address) { return {ArgKind::Ptr, address}; }
  /// The 128 bytes at `map` (which must outlive the launch that packs it).
  static KernelArg fromTensorMap(const void *map) {
    return {ArgKind::TensorMap, uint64_t(reinterpret_cast<uintptr_t>(map))};
  }

  /// The value as an integer (sign-extended) or as a double.
  int64_t toInt() const;
  double toDouble() const;
};

/// Packs argument values into one buffer plus the array of per-argument
/// pointers that cuLaunchKernel and compiled CPU kernels take. Built once per
/// kernel specialization; pack() is const and thread-safe.
class ArgPacker {
public:
  explicit ArgPacker(std::vector<ArgKind> kinds);

  /// Fills `storage` and `ptrs` (resized here; ptrs[i] points into storage,
  /// so storage must not be resized while ptrs is in use). An argument of a
  /// different kind than declared is converted; a float passed for an
  /// integer or pointer parameter throws std::invalid_argument, as does a
  /// wrong argument count.
  void pack(const std::vector<KernelArg> &args, std::vector<uint8_t> &storage,
            std::vector<void *> &ptrs) const;

  const std::vector<ArgKind> &getKinds() const { return kinds; }
  size_t getNumArgs() const { return kinds.size(); }
  size_t getOffset(size_t i) const { return offsets[i]; }
  size_t getSize(size_t i) const { return argKindSize(kinds[i]); }
  size_t getStorageSize() const { return storageSize; }

private:
  std::vector<ArgKind> kinds;
  std::vector<size_t> offsets;
  size_t storageSize = 0;
};

//===----------------------------------------------------------------------===//
// CUDA driver
//===----------------------------------------------------------------------===//

// The few driver API types we need, declared here instead of including cuda.h.
using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = struct CUctx_st *;
using CUmodule = struct CUmod_st *;
using CUfunction = struct CUfunc_st *;
using CUstream = struct CUstream_st *;
/// cuda.h's CUlaunchAttribute: an attribute id and a 64-byte value.
struct CUlaunchAttribute {
  int id;
  char pad[4];
  union {
    char bytes[64];
    struct {
      unsigned x, y, z;
    } clusterDim;
  } value;
};
/// cuda.h's CUlaunchConfig (cuLaunchKernelEx).
struct CUlaunchConfig {
  unsigned gridDimX, gridDimY, gridDimZ, blockDimX, blockDimY, blockDimZ,
      sharedMemBytes;
  CUstream hStream;
  CUlaunchAttribute *attrs;
  unsigned numAttrs;
};

/// The CUDA driver API, resolved from libcuda.so.1 on first use.
class CudaDriver {
public:
  static CudaDriver &get();

  /// Whether libcuda loaded and cuInit succeeded.
  bool available() const { return loaded; }
  std::string unavailableReason() const { return reason; }

  /// Throws RuntimeError unless available().
  void requireAvailable(const std::string &context) const;
  /// Throws RuntimeError "<op> failed [for <context>]: <NAME> (<string>)"
  /// unless `result` is CUDA_SUCCESS.
  void check(CUresult result, const char *op,
             const std::string &context = "") const;
  /// "CUDA_ERROR_XXX (description)".
  std::string describe(CUresult result) const;

  /// The current context of the calling thread; if there is none, retains
  /// the primary context of device 0 and makes it current.
  CUcontext ensureContext(const std::string &context = "");

  /// Plain helpers for tests and benchmarks (they make a context current).
  uint64_t cudaMalloc(size_t bytes);
  void cudaFree(uint64_t ptr);
  void cudaMemcpyHtoD(uint64_t dst, const void *src, size_t bytes);
  void cudaMemcpyDtoH(void *dst, uint64_t src, size_t bytes);
  void cudaSynchronize();

  // Entry points; null until loaded (call only when available()).
  CUresult (*cuInit)(unsigned) = nullptr;
  CUresult (*cuDeviceGet)(CUdevice *, int) = nullptr;
  CUresult (*cuDeviceGetAttribute)(int *, int, CUdevice) = nullptr;
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice) = nullptr;
  CUresult (*cuCtxGetCurrent)(CUcontext *) = nullptr;
  CUresult (*cuCtxSetCurrent)(CUcontext) = nullptr;
  CUresult (*cuModuleLoadData)(CUmodule *, const void *) = nullptr;
  CUresult (*cuModuleLoadDataEx)(CUmodule *, const void *, unsigned, int *,
                                 void **) = nullptr;
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule,
                                  const char *) = nullptr;
  CUresult (*cuModuleUnload)(CUmodule) = nullptr;
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, CUstream, void **,
                             void **) = nullptr;
  /// Null on drivers without it (cooperative launches then fail clearly).
  CUresult (*cuLaunchCooperativeKernel)(CUfunction, unsigned, unsigned,
                                        unsigned, unsigned, unsigned, unsigned,
                                        unsigned, CUstream, void **) = nullptr;
  /// Null on drivers before CUDA 12 (kernels then launch without clusters).
  CUresult (*cuLaunchKernelEx)(const CUlaunchConfig *, CUfunction, void **,
                               void **) = nullptr;
  CUresult (*cuFuncSetAttribute)(CUfunction, int, int) = nullptr;
  CUresult (*cuGetErrorName)(CUresult, const char **) = nullptr;
  CUresult (*cuGetErrorString)(CUresult, const char **) = nullptr;
  CUresult (*cuCtxSynchronize)() = nullptr;
  CUresult (*cuStreamSynchronize)(CUstream) = nullptr;
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t) = nullptr;
  CUresult (*cuMemFree)(CUdeviceptr) = nullptr;
  CUresult (*cuMemcpyHtoD)(CUdeviceptr, const void *, size_t) = nullptr;
  CUresult (*cuMemcpyDtoH)(void *, CUdeviceptr, size_t) = nullptr;
  /// Null on drivers before CUDA 12 (encodeTensorMap then throws).
  CUresult (*cuTensorMapEncodeTiled)(void *, int, unsigned, void *,
                                     const uint64_t *, const uint64_t *,
                                     const uint32_t *, const uint32_t *, int,
                                     int, int, int) = nullptr;

  /// Encodes the CUtensorMap (kTensorMapBytes at `out`) of a row-major
  /// tensor at `address` with `elementBytes`-byte elements of `floatKind`
  /// (0: integers, 16: f16, 17: bf16, 32: f32, 64: f64): `dims` and `box`
  /// innermost first, `strideBytes` the rank - 1 outer strides, tiles read
  /// with a `swizzleBytes` (0, 32, 64, 128) swizzle, out-of-bounds elements
  /// zero. Throws RuntimeError naming what the driver refused.
  void encodeTensorMap(void *out, unsigned elementBytes, int floatKind,
                       uint64_t address, const std::vector<uint64_t> &dims,
                       const std::vector<uint64_t> &strideBytes,
                       const std::vector<uint32_t> &box, unsigned swizzleBytes);
  /// The tensor map a kernel's `tensormap` parameter takes for a host
  /// descriptor of 2-D `block`s (rows, columns) over a row-major tensor of
  /// `shape` and `strides` (elements, outermost first; the last stride 1) at
  /// `address`: the box is the block's rows by the widest of 128, 64 or 32
  /// bytes that divides a block row, with that swizzle (the layout Tessel's
  /// TMA rings read). Throws RuntimeError for blocks without such a box.
  void encodeDescriptorTensorMap(void *out, unsigned elementBytes,
                                 int floatKind, uint64_t address,
                                 const std::vector<uint64_t> &shape,
                                 const std::vector<uint64_t> &strides,
                                 const std::vector<uint64_t> &block);

  CudaDriver(const CudaDriver &) = delete;
  CudaDriver &operator=(const CudaDriver &) = delete;

private:
  CudaDriver();
  bool loaded = false;
  std::string reason;
};

/// A loaded kernel: a cubin (ELF) or PTX image and one function in it.
class CudaModule {
public:
  /// `ptxFallback`, the cubin's PTX, is loaded instead when the device
  /// cannot run the cubin (CUDA_ERROR_NO_BINARY_FOR_GPU: sm_80 code on an
  /// sm_90 device), so code for an older target runs through the driver's
  /// PTX compiler.
  CudaModule(const std::string &image, const std::string &kernelName,
             std::vector<ArgKind> argKinds, unsigned numWarps,
             unsigned sharedBytes, unsigned threadsPerWarp = 32,
             const std::string &ptxFallback = "", unsigned clusterCtas = 1);
  ~CudaModule();
  CudaModule(const CudaModule &) = delete;
  CudaModule &operator=(const CudaModule &) = delete;

  /// Launches a grid of gx*gy*gz blocks on `stream` (a CUstream handle; 0 is
  /// the legacy default stream). Asynchronous; an empty grid does nothing.
  /// `cooperative` (Triton's launch_cooperative_grid) makes every block of
  /// the grid resident at once, so blocks may wait for each other; a grid
  /// larger than the device holds fails with the driver's error. A kernel
  /// compiled for clusters of `clusterCtas` programs launches in them when
  /// gx is a multiple (else without: its programs then share nothing).
  void launch(unsigned gx, unsigned gy, unsigned gz, uint64_t stream,
              const std::vector<KernelArg> &args, bool cooperative = false);

  const std::string &getKernelName() const { return kernelName; }
  CUfunction getFunction() const { return function; }

private:
  std::string kernelName;
  ArgPacker packer;
  unsigned blockThreads;
  unsigned sharedBytes;
  unsigned clusterCtas;
  CUcontext context = nullptr;
  CUmodule module = nullptr;
  CUfunction function = nullptr;
};

//===----------------------------------------------------------------------===//
// CPU launcher
//===----------------------------------------------------------------------===//

/// Runs a compiled CPU kernel once per program id over a shared thread pool.
class CpuLauncher {
public:
  /// The C signature of a compiled CPU kernel: args[i] points to argument i
  /// (packed as by ArgPacker).
  using KernelFn = void (*)(void **args, int32_t pidX, int32_t pidY,
                            int32_t pidZ, int32_t numX, int32_t numY,
                            int32_t numZ);

  CpuLauncher(KernelFn fn, std::vector<ArgKind> argKinds);

  /// Runs every program of the grid exactly once and returns when all have
  /// finished. Grid dimensions must fit in int32. `cooperative` (Triton's
  /// launch_cooperative_grid) runs every program at once, each on a thread
  /// of its own, up to kMaxCooperativePrograms.
  void launch(unsigned gx, unsigned gy, unsigned gz,
              const std::vector<KernelArg> &args,
              bool cooperative = false) const;
  static constexpr uint64_t kMaxCooperativePrograms = 1024;

  /// Threads the pool uses, the calling thread included: TESSEL_NUM_THREADS
  /// if set, else std::thread::hardware_concurrency().
  static unsigned getNumThreads();

private:
  KernelFn fn;
  ArgPacker packer;
};

} // namespace tessel::runtime

#endif

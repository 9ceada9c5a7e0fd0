//===- CAPI.cpp - the C API over tessel::Kernel ---------------------------===//
#include "tessel/tessel.h"
#include "tessel/Kernel.h"

using namespace tessel;
using namespace tessel::runtime;

struct tessel_kernel {
  std::unique_ptr<Kernel> kernel;
};

static thread_local std::string lastError;

static tessel_status fail(tessel_status status, std::string message) {
  lastError = std::move(message);
  return status;
}

static tessel_status statusOf(ErrorKind kind) {
  switch (kind) {
  case ErrorKind::None:
    return TESSEL_OK;
  case ErrorKind::Compile:
    return TESSEL_ERROR_COMPILE;
  case ErrorKind::InvalidArgument:
    return TESSEL_ERROR_INVALID_ARGUMENT;
  case ErrorKind::Runtime:
    return TESSEL_ERROR_RUNTIME;
  case ErrorKind::Unavailable:
    return TESSEL_ERROR_UNAVAILABLE;
  }
  return TESSEL_ERROR_RUNTIME;
}

// tessel_arg_kind and ArgKind list the kinds in one order.
static_assert(int(TESSEL_ARG_F64) == int(ArgKind::F64) &&
                  int(TESSEL_ARG_TENSORMAP) == int(ArgKind::TensorMap) &&
                  int(TESSEL_ARG_PTR) == int(ArgKind::Ptr),
              "tessel_arg_kind must mirror tessel::runtime::ArgKind");

extern "C" {

const char *tessel_version(void) { return getVersion(); }

const char *tessel_last_error(void) { return lastError.c_str(); }

const char *tessel_present_target(void) {
  static const std::string target = presentTarget();
  return target.c_str();
}

static tessel_status compileWith(const char *tileIR, const char *target,
                                 const CompileOptions &options,
                                 tessel_kernel **out) {
  CompileOptions withTarget = options;
  withTarget.target = target ? target : "";
  auto kernel = Kernel::compile(tileIR, withTarget);
  if (!kernel)
    return fail(statusOf(kernel.getErrorKind()), kernel.getError());
  *out = new tessel_kernel{std::move(*kernel)};
  return TESSEL_OK;
}

tessel_status tessel_kernel_compile(const char *tile_ir, const char *target,
                                    unsigned num_warps, unsigned num_stages,
                                    tessel_kernel **out) {
  if (!tile_ir || !out)
    return fail(TESSEL_ERROR_INVALID_ARGUMENT,
                "tessel_kernel_compile: tile_ir and out must not be NULL");
  *out = nullptr;
  CompileOptions options;
  std::string error;
  if (!options.set("num_warps", std::to_string(num_warps), error) ||
      !options.set("num_stages", std::to_string(num_stages), error))
    return fail(TESSEL_ERROR_INVALID_ARGUMENT,
                "tessel_kernel_compile: " + error);
  return compileWith(tile_ir, target, options, out);
}

tessel_status tessel_kernel_compile_with_options(const char *tile_ir,
                                                 const char *target,
                                                 const char *options,
                                                 tessel_kernel **out) {
  if (!tile_ir || !out)
    return fail(TESSEL_ERROR_INVALID_ARGUMENT,
                "tessel_kernel_compile_with_options: tile_ir and out must not "
                "be NULL");
  *out = nullptr;
  CompileOptions parsed;
  std::string error;
  if (options && !parsed.setAll(options, error))
    return fail(TESSEL_ERROR_INVALID_ARGUMENT,
                "tessel_kernel_compile_with_options: " + error);
  return compileWith(tile_ir, target, parsed, out);
}

void tessel_kernel_destroy(tessel_kernel *kernel) { delete kernel; }

const char *tessel_kernel_name(const tessel_kernel *kernel) {
  return kernel ? kernel->kernel->getInfo().name.c_str() : "";
}

size_t tessel_kernel_num_args(const tessel_kernel *kernel) {
  return kernel ? kernel->kernel->getArgKinds().size() : 0;
}

tessel_arg_kind tessel_kernel_arg_kind(const tessel_kernel *kernel,
                                       size_t index) {
  if (!kernel || index >= kernel->kernel->getArgKinds().size())
    return TESSEL_ARG_PTR;
  return tessel_arg_kind(kernel->kernel->getArgKinds()[index]);
}

const char *tessel_kernel_asm(const tessel_kernel *kernel, const char *stage) {
  if (!kernel || !stage)
    return nullptr;
  const auto &text = kernel->kernel->getInfo().asmText;
  auto it = text.find(stage);
  return it == text.end() ? nullptr : it->second.c_str();
}

tessel_status tessel_kernel_launch(const tessel_kernel *kernel, unsigned gx,
                                   unsigned gy, unsigned gz,
                                   const tessel_arg *args, size_t num_args,
                                   void *stream) {
  if (!kernel || (num_args && !args))
    return fail(TESSEL_ERROR_INVALID_ARGUMENT,
                "tessel_kernel_launch: kernel (and args when num_args > 0) "
                "must not be NULL");
  std::vector<KernelArg> values;
  values.reserve(num_args);
  const auto &kinds = kernel->kernel->getArgKinds();
  for (size_t i = 0; i < num_args; ++i) {
    const tessel_arg &a = args[i];
    if (int(a.kind) < int(TESSEL_ARG_PTR) ||
        int(a.kind) > int(TESSEL_ARG_TENSORMAP))
      return fail(TESSEL_ERROR_INVALID_ARGUMENT,
                  "argument " + std::to_string(i) + " has an unknown kind " +
                      std::to_string(int(a.kind)));
    ArgKind kind = ArgKind(a.kind);
    // A pointer passed for a scalar parameter (or the reverse) is a bug in
    // the caller, not a conversion.
    if (i < kinds.size() && (kind == ArgKind::Ptr) != (kinds[i] == ArgKind::Ptr))
      return fail(TESSEL_ERROR_INVALID_ARGUMENT,
                  "argument " + std::to_string(i) + " of " +
                      kernel->kernel->getInfo().name + " is " +
                      argKindName(kinds[i]) + ", given " + argKindName(kind));
    try {
      if (kind == ArgKind::Ptr)
        values.push_back(KernelArg::fromPtr(a.value.ptr));
      else if (kind == ArgKind::TensorMap)
        values.push_back(KernelArg::fromTensorMap(
            reinterpret_cast<const void *>(uintptr_t(a.value.ptr))));
      else if (isFloatKind(kind))
        values.push_back(KernelArg::fromDouble(kind, a.value.f));
      else
        values.push_back(KernelArg::fromInt(kind, a.value.i));
    } catch (const std::exception &e) {
      return fail(TESSEL_ERROR_INVALID_ARGUMENT,
                  "argument " + std::to_string(i) + ": " + e.what());
    }
  }
  auto done = kernel->kernel->launch(gx, gy, gz, values,
                                     uint64_t(reinterpret_cast<uintptr_t>(stream)));
  if (!done)
    return fail(statusOf(done.getErrorKind()), done.getError());
  return TESSEL_OK;
}

tessel_status tessel_encode_tensormap(void *out, const void *base,
                                      unsigned element_bytes, int float_kind,
                                      const int64_t shape[2],
                                      const int64_t strides[2],
                                      const int64_t block[2]) {
  if (!out || !shape || !strides || !block)
    return fail(TESSEL_ERROR_INVALID_ARGUMENT,
                "tessel_encode_tensormap: out, shape, strides and block must "
                "not be NULL");
  for (int d = 0; d < 2; ++d)
    if (shape[d] < 0 || strides[d] < 0 || block[d] < 0)
      return fail(TESSEL_ERROR_INVALID_ARGUMENT,
                  "tessel_encode_tensormap: negative shape, stride or block");
  CudaDriver &driver = CudaDriver::get();
  if (!driver.available())
    return fail(TESSEL_ERROR_UNAVAILABLE,
                "CUDA is unavailable: " + driver.unavailableReason());
  try {
    driver.encodeDescriptorTensorMap(
        out, element_bytes, float_kind, uint64_t(uintptr_t(base)),
        {uint64_t(shape[0]), uint64_t(shape[1])},
        {uint64_t(strides[0]), uint64_t(strides[1])},
        {uint64_t(block[0]), uint64_t(block[1])});
  } catch (const std::exception &e) {
    return fail(TESSEL_ERROR_INVALID_ARGUMENT, e.what());
  }
  return TESSEL_OK;
}

} // extern "C"

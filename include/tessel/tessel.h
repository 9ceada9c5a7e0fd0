/*===- tessel.h - the C API of the Tessel compiler and runtime -----*- C -*-===*
 *
 * Compile Tile IR text for the CPU or a CUDA device and launch it, from C or
 * any language with a C FFI. Functions return a status; on failure,
 * tessel_last_error() gives the message (per thread, valid until the next
 * call on that thread).
 *
 *   tessel_kernel *k;
 *   if (tessel_kernel_compile(ir_text, "cpu", 4, 1, &k) != TESSEL_OK)
 *     fprintf(stderr, "%s", tessel_last_error());
 *   tessel_arg args[] = {tessel_arg_ptr(x), tessel_arg_ptr(y),
 *                        tessel_arg_int(TESSEL_ARG_I32, n)};
 *   tessel_kernel_launch(k, (n + 1023) / 1024, 1, 1, args, 3, NULL);
 *   tessel_kernel_destroy(k);
 *
 *===----------------------------------------------------------------------===*/
#ifndef TESSEL_TESSEL_H
#define TESSEL_TESSEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tessel_status {
  TESSEL_OK = 0,
  /* The Tile IR did not compile (the message is located at the source). */
  TESSEL_ERROR_COMPILE = 1,
  /* A bad argument: a null pointer, a wrong count or kind of kernel
   * arguments, an unknown target. */
  TESSEL_ERROR_INVALID_ARGUMENT = 2,
  /* The launch failed: a driver error, a failed device assertion. */
  TESSEL_ERROR_RUNTIME = 3,
  /* The target cannot run here (no CUDA driver, an AMD target). */
  TESSEL_ERROR_UNAVAILABLE = 4
} tessel_status;

typedef enum tessel_arg_kind {
  TESSEL_ARG_PTR,
  TESSEL_ARG_I1,
  TESSEL_ARG_I8,
  TESSEL_ARG_I16,
  TESSEL_ARG_I32,
  TESSEL_ARG_I64,
  TESSEL_ARG_F16,
  TESSEL_ARG_BF16,
  TESSEL_ARG_F32,
  TESSEL_ARG_F64,
  /* A CUtensorMap parameter (a host tensor descriptor's): value.ptr is the
   * address of its 128 bytes, read during the launch call. */
  TESSEL_ARG_TENSORMAP
} tessel_arg_kind;

/* One kernel argument: an address, an integer or a floating-point value.
 * Integers convert to the parameter's width; floats to its precision. */
typedef struct tessel_arg {
  tessel_arg_kind kind;
  union {
    uint64_t ptr;
    int64_t i;
    double f;
  } value;
} tessel_arg;

/* Encodes into `out` (128 bytes) the tensor map that a kernel's tensormap
 * parameter (a host tensor descriptor's) takes: a row-major 2-D tensor of
 * `shape` and `strides` (elements, outermost first, the last stride 1) at
 * device address `base`, read in 2-D `block`s; `element_bytes` 1, 2, 4 or 8,
 * `float_kind` 16 (float16), 17 (bfloat16), 32 or 64 (floats) or 0
 * (integers and float8 codes). TESSEL_ERROR_UNAVAILABLE without a CUDA
 * driver; TESSEL_ERROR_INVALID_ARGUMENT for what the driver or the block
 * rule refuses (the base and row stride must be 16-byte aligned). */
tessel_status tessel_encode_tensormap(void *out, const void *base,
                                      unsigned element_bytes, int float_kind,
                                      const int64_t shape[2],
                                      const int64_t strides[2],
                                      const int64_t block[2]);

static inline tessel_arg tessel_arg_ptr(const void *p) {
  tessel_arg a;
  a.kind = TESSEL_ARG_PTR;
  a.value.ptr = (uint64_t)(uintptr_t)p;
  return a;
}
static inline tessel_arg tessel_arg_int(tessel_arg_kind kind, int64_t v) {
  tessel_arg a;
  a.kind = kind;
  a.value.i = v;
  return a;
}
static inline tessel_arg tessel_arg_float(tessel_arg_kind kind, double v) {
  tessel_arg a;
  a.kind = kind;
  a.value.f = v;
  return a;
}

typedef struct tessel_kernel tessel_kernel;

const char *tessel_version(void);
/* The message of the last failed call on this thread ("" if none). */
const char *tessel_last_error(void);
/* The present device's target: "nvidia:sm_90a" with a CUDA device, else
 * "cpu". The string is static. */
const char *tessel_present_target(void);

/* Compiles Tile IR text (one tile.kernel function) for `target` ("cpu",
 * "nvidia:sm_XX", "amd:gfxXXX", or NULL/"" for the present device), with
 * the on-disk cache of the Python JIT. */
tessel_status tessel_kernel_compile(const char *tile_ir, const char *target,
                                    unsigned num_warps, unsigned num_stages,
                                    tessel_kernel **out);
/* As tessel_kernel_compile, with compile options by their Triton names in
 * one string, "name=value" separated by spaces or commas: num_warps (default
 * 4), num_stages (3), enable_fp_fusion (1: GPUs contract multiply-adds into
 * fused multiply-adds), maxnreg (0: no limit on registers per thread,
 * NVIDIA), num_ctas (1; 2: Hopper TMA rings shared by 2-CTA clusters,
 * which the launch forms where the grid's x is even). NULL or "" keeps
 * every default. An unknown name or a bad value is
 * TESSEL_ERROR_INVALID_ARGUMENT. */
tessel_status tessel_kernel_compile_with_options(const char *tile_ir,
                                                 const char *target,
                                                 const char *options,
                                                 tessel_kernel **out);
void tessel_kernel_destroy(tessel_kernel *kernel);

const char *tessel_kernel_name(const tessel_kernel *kernel);
size_t tessel_kernel_num_args(const tessel_kernel *kernel);
/* The kind of parameter `index` (TESSEL_ARG_PTR for an out-of-range index). */
tessel_arg_kind tessel_kernel_arg_kind(const tessel_kernel *kernel,
                                       size_t index);
/* A compiled stage as text: "tile", "llvmir", "ptx", "amdgcn"; NULL if the
 * kernel has no such stage. Valid while the kernel lives. */
const char *tessel_kernel_asm(const tessel_kernel *kernel, const char *stage);

/* Launches a gx * gy * gz grid. CPU kernels run to completion; CUDA launches
 * are asynchronous on `stream` (a CUstream, NULL for the default stream). */
tessel_status tessel_kernel_launch(const tessel_kernel *kernel, unsigned gx,
                                   unsigned gy, unsigned gz,
                                   const tessel_arg *args, size_t num_args,
                                   void *stream);

#ifdef __cplusplus
}
#endif

#endif

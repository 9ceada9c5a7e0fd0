/*===- CAPITest.c - the C API's results and errors ------------------------===*
 *
 * Runs on the CPU target (CI has no GPU): compile, launch and check a kernel
 * on random data, then every error path returns its status and a message.
 *
 *===----------------------------------------------------------------------===*/
#include "tessel/tessel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond, ...)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                            \
      fprintf(stderr, "\n");                                                   \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

/* out[i] = x[i] * scale + i, for i < n: a pointer, an f32 and an i32. */
static const char *kScale =
    "func.func @scale(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},\n"
    "                 %out: !tile.ptr<f32> {tile.divisibility = 16 : i32},\n"
    "                 %s: f32, %n: i32) attributes {tile.kernel} {\n"
    "  %pid = tile.program_id x : i32\n"
    "  %c = arith.constant 256 : i32\n"
    "  %b = arith.muli %pid, %c : i32\n"
    "  %r = tile.make_range 0 to 256 : tensor<256xi32>\n"
    "  %bs = tile.splat %b : tensor<256xi32>\n"
    "  %o = arith.addi %bs, %r : tensor<256xi32>\n"
    "  %ns = tile.splat %n : tensor<256xi32>\n"
    "  %m = arith.cmpi slt, %o, %ns : tensor<256xi32>\n"
    "  %xp = tile.splat %x : tensor<256x!tile.ptr<f32>>\n"
    "  %xa = tile.addptr %xp, %o : tensor<256x!tile.ptr<f32>>, tensor<256xi32>\n"
    "  %v = tile.load %xa, %m : tensor<256x!tile.ptr<f32>>\n"
    "  %ss = tile.splat %s : tensor<256xf32>\n"
    "  %w = arith.mulf %v, %ss : tensor<256xf32>\n"
    "  %of = arith.sitofp %o : tensor<256xi32> to tensor<256xf32>\n"
    "  %z = arith.addf %w, %of : tensor<256xf32>\n"
    "  %yp = tile.splat %out : tensor<256x!tile.ptr<f32>>\n"
    "  %ya = tile.addptr %yp, %o : tensor<256x!tile.ptr<f32>>, tensor<256xi32>\n"
    "  tile.store %ya, %z, %m : tensor<256x!tile.ptr<f32>>\n"
    "  return\n"
    "}\n";

static void testCompileAndLaunch(void) {
  tessel_kernel *k = NULL;
  tessel_status s = tessel_kernel_compile(kScale, "cpu", 4, 1, &k);
  CHECK(s == TESSEL_OK, "compile: %s", tessel_last_error());
  if (!k)
    return;
  CHECK(strcmp(tessel_kernel_name(k), "scale") == 0, "name %s",
        tessel_kernel_name(k));
  CHECK(tessel_kernel_num_args(k) == 4, "%zu args", tessel_kernel_num_args(k));
  CHECK(tessel_kernel_arg_kind(k, 0) == TESSEL_ARG_PTR, "arg 0");
  CHECK(tessel_kernel_arg_kind(k, 2) == TESSEL_ARG_F32, "arg 2");
  CHECK(tessel_kernel_arg_kind(k, 3) == TESSEL_ARG_I32, "arg 3");
  CHECK(tessel_kernel_asm(k, "tile") && strstr(tessel_kernel_asm(k, "tile"), "tile.kernel"),
        "tile stage");
  CHECK(tessel_kernel_asm(k, "no-such-stage") == NULL, "missing stage");

  enum { N = 1000 };
  float x[N], out[N];
  srand(7);
  for (int i = 0; i < N; ++i) {
    x[i] = (float)rand() / RAND_MAX * 8.0f - 4.0f;
    out[i] = NAN;
  }
  tessel_arg args[] = {tessel_arg_ptr(x), tessel_arg_ptr(out),
                       tessel_arg_float(TESSEL_ARG_F32, 1.5),
                       tessel_arg_int(TESSEL_ARG_I32, N - 10)};
  s = tessel_kernel_launch(k, (N + 255) / 256, 1, 1, args, 4, NULL);
  CHECK(s == TESSEL_OK, "launch: %s", tessel_last_error());
  for (int i = 0; i < N - 10; ++i)
    if (out[i] != x[i] * 1.5f + (float)i) {
      CHECK(0, "out[%d] = %f, expected %f", i, out[i], x[i] * 1.5f + i);
      break;
    }
  for (int i = N - 10; i < N; ++i)
    CHECK(isnan(out[i]), "out[%d] written past n", i);

  /* Wrong argument count and a pointer for a scalar. */
  s = tessel_kernel_launch(k, 1, 1, 1, args, 3, NULL);
  CHECK(s == TESSEL_ERROR_INVALID_ARGUMENT && strstr(tessel_last_error(), "takes 4 arguments"),
        "count: %d %s", s, tessel_last_error());
  tessel_arg swapped[] = {tessel_arg_ptr(x), tessel_arg_ptr(out), tessel_arg_ptr(x),
                          tessel_arg_int(TESSEL_ARG_I32, 5)};
  s = tessel_kernel_launch(k, 1, 1, 1, swapped, 4, NULL);
  CHECK(s == TESSEL_ERROR_INVALID_ARGUMENT && strstr(tessel_last_error(), "argument 2"),
        "kind: %d %s", s, tessel_last_error());
  s = tessel_kernel_launch(k, 1, 1, 1, NULL, 4, NULL);
  CHECK(s == TESSEL_ERROR_INVALID_ARGUMENT, "null args: %d", s);
  tessel_kernel_destroy(k);
}

static void testErrors(void) {
  tessel_kernel *k = (tessel_kernel *)1;
  /* A located compile error. */
  const char *bad = "func.func @k(%x: i32) attributes {tile.kernel} {\n"
                    "  %r = tile.make_range 0 to 3 : tensor<3xi32>\n"
                    "  return\n}\n";
  tessel_status s = tessel_kernel_compile(bad, "cpu", 4, 1, &k);
  CHECK(s == TESSEL_ERROR_COMPILE && k == NULL, "bad IR: %d", s);
  CHECK(strstr(tessel_last_error(), "2:") && strstr(tessel_last_error(), "error:"),
        "located message: %s", tessel_last_error());
  s = tessel_kernel_compile(kScale, "tpu", 4, 1, &k);
  CHECK(s == TESSEL_ERROR_INVALID_ARGUMENT && strstr(tessel_last_error(), "unknown target"),
        "target: %d %s", s, tessel_last_error());
  s = tessel_kernel_compile(kScale, "cpu", 3, 1, &k);
  CHECK(s == TESSEL_ERROR_INVALID_ARGUMENT, "num_warps 3: %d", s);
  s = tessel_kernel_compile(NULL, "cpu", 4, 1, &k);
  CHECK(s == TESSEL_ERROR_INVALID_ARGUMENT, "null IR: %d", s);
  /* AMD kernels compile here but cannot launch. */
  s = tessel_kernel_compile(kScale, "amd:gfx942", 4, 1, &k);
  CHECK(s == TESSEL_OK, "amd compile: %s", tessel_last_error());
  if (s == TESSEL_OK) {
    CHECK(tessel_kernel_asm(k, "amdgcn") != NULL, "amdgcn stage");
    float x[4];
    tessel_arg args[] = {tessel_arg_ptr(x), tessel_arg_ptr(x),
                         tessel_arg_float(TESSEL_ARG_F32, 1.0),
                         tessel_arg_int(TESSEL_ARG_I32, 4)};
    s = tessel_kernel_launch(k, 1, 1, 1, args, 4, NULL);
    CHECK(s == TESSEL_ERROR_UNAVAILABLE, "amd launch: %d %s", s, tessel_last_error());
    tessel_kernel_destroy(k);
  }
  CHECK(tessel_version()[0] != '\0', "version");
  CHECK(tessel_present_target()[0] != '\0', "present target");
}

/* Compile options by name: fusion shows in the PTX, bad ones are refused. */
static void testOptions(void) {
  tessel_kernel *k = NULL;
  tessel_status s = tessel_kernel_compile_with_options(
      kScale, "cpu", "num_warps=8, num_stages=1 enable_fp_fusion=0", &k);
  CHECK(s == TESSEL_OK, "cpu with options: %s", tessel_last_error());
  if (s == TESSEL_OK)
    tessel_kernel_destroy(k);
  s = tessel_kernel_compile_with_options(kScale, "cpu", NULL, &k);
  CHECK(s == TESSEL_OK, "NULL options: %s", tessel_last_error());
  if (s == TESSEL_OK)
    tessel_kernel_destroy(k);
  s = tessel_kernel_compile_with_options(kScale, "cpu", "fast_math=1", &k);
  CHECK(s == TESSEL_ERROR_INVALID_ARGUMENT &&
            strstr(tessel_last_error(), "unknown compile option 'fast_math'"),
        "unknown option: %d %s", s, tessel_last_error());
  s = tessel_kernel_compile_with_options(kScale, "cpu", "maxnreg", &k);
  CHECK(s == TESSEL_ERROR_INVALID_ARGUMENT &&
            strstr(tessel_last_error(), "expected name=value"),
        "no value: %d %s", s, tessel_last_error());
  s = tessel_kernel_compile_with_options(kScale, "cpu", "num_stages=0", &k);
  CHECK(s == TESSEL_ERROR_INVALID_ARGUMENT &&
            strstr(tessel_last_error(), "'num_stages': expected a positive"),
        "bad value: %d %s", s, tessel_last_error());
}

/* A tensor map parameter (a host descriptor's; the CPU never reads it):
 * passed as the address of its 128 bytes, and refused as a scalar. */
static const char *kTensorMapParam =
    "func.func @tmap(%out: !tile.ptr<i32> {tile.divisibility = 16 : i32},\n"
    "                %map: !tile.tensormap, %v: i32) attributes {tile.kernel} {\n"
    "  tile.store %out, %v : !tile.ptr<i32>\n"
    "  return\n"
    "}\n";

static void testTensorMapArgument(void) {
  tessel_kernel *k = NULL;
  tessel_status s = tessel_kernel_compile(kTensorMapParam, "cpu", 4, 1, &k);
  CHECK(s == TESSEL_OK, "compile: %s", tessel_last_error());
  if (!k)
    return;
  CHECK(tessel_kernel_arg_kind(k, 1) == TESSEL_ARG_TENSORMAP, "arg 1 kind %d",
        (int)tessel_kernel_arg_kind(k, 1));
  unsigned char map[128] = {0};
  int out = 0;
  tessel_arg map_arg;
  map_arg.kind = TESSEL_ARG_TENSORMAP;
  map_arg.value.ptr = (uint64_t)(uintptr_t)map;
  tessel_arg args[] = {tessel_arg_ptr(&out), map_arg, tessel_arg_int(TESSEL_ARG_I32, 42)};
  s = tessel_kernel_launch(k, 1, 1, 1, args, 3, NULL);
  CHECK(s == TESSEL_OK && out == 42, "launch: %d %s (out %d)", s, tessel_last_error(), out);
  /* Encoding needs the CUDA driver (absent in CI), and checks its input. */
  int64_t shape[2] = {64, 64}, strides[2] = {64, 1}, block[2] = {64, 64};
  s = tessel_encode_tensormap(map, (void *)0x10000, 2, 16, shape, strides, block);
  CHECK(s == TESSEL_OK || s == TESSEL_ERROR_UNAVAILABLE, "encode: %d %s", s,
        tessel_last_error());
  s = tessel_encode_tensormap(map, (void *)0x10000, 2, 16, NULL, strides, block);
  CHECK(s == TESSEL_ERROR_INVALID_ARGUMENT, "encode without a shape: %d", s);
  args[1] = tessel_arg_int(TESSEL_ARG_I64, 0);
  s = tessel_kernel_launch(k, 1, 1, 1, args, 3, NULL);
  CHECK(s == TESSEL_ERROR_INVALID_ARGUMENT && strstr(tessel_last_error(), "tensormap"),
        "scalar for a tensor map: %d %s", s, tessel_last_error());
  tessel_kernel_destroy(k);
}

int main(void) {
  testCompileAndLaunch();
  testErrors();
  testOptions();
  testTensorMapArgument();
  if (failures) {
    fprintf(stderr, "%d C API check(s) failed\n", failures);
    return 1;
  }
  printf("C API: all checks passed\n");
  return 0;
}

/*===- main.c - a host program running an ahead-of-time compiled kernel ---===*
 *
 * No compiler and no Python in this process: scaled_add.h/.c (and, on the
 * CPU, scaled_add.o) come from `python -m tessel compile` (see build.sh).
 * Built with -DAOT_CUDA, the data goes to the first CUDA device through the
 * driver API and the kernel runs there; otherwise it runs on the CPU.
 *
 *===----------------------------------------------------------------------===*/
#include "scaled_add.h"

#include <stdio.h>
#include <stdlib.h>

#ifdef AOT_CUDA
#define CHECK(call)                                                            \
  do {                                                                         \
    CUresult status = (call);                                                  \
    if (status != CUDA_SUCCESS) {                                              \
      fprintf(stderr, "%s failed: %d\n", #call, (int)status);                  \
      return 1;                                                                \
    }                                                                          \
  } while (0)
#endif

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 100000;
  const int block = 1024; /* the BLOCK the artifact was compiled with */
  const float scale = 2.5f;
  size_t bytes = (size_t)n * sizeof(float);
  float *x = malloc(bytes), *y = malloc(bytes), *out = malloc(bytes);
  if (!x || !y || !out)
    return 1;
  srand(7);
  for (int i = 0; i < n; ++i) {
    x[i] = (float)(rand() % 4096) / 4096.0f - 0.5f;
    y[i] = (float)(rand() % 4096) / 4096.0f - 0.5f;
    out[i] = -1.0f;
  }
  unsigned grid = (unsigned)((n + block - 1) / block);
#ifdef AOT_CUDA
  CUdevice device;
  CUcontext context;
  CUdeviceptr dx, dy, dout;
  CHECK(cuInit(0));
  CHECK(cuDeviceGet(&device, 0));
  CHECK(cuDevicePrimaryCtxRetain(&context, device));
  CHECK(cuCtxSetCurrent(context));
  CHECK(cuMemAlloc(&dx, bytes));
  CHECK(cuMemAlloc(&dy, bytes));
  CHECK(cuMemAlloc(&dout, bytes));
  CHECK(cuMemcpyHtoD(dx, x, bytes));
  CHECK(cuMemcpyHtoD(dy, y, bytes));
  CHECK(scaled_add_launch(NULL, grid, 1, 1, dx, dy, dout, n, scale));
  CHECK(cuCtxSynchronize());
  CHECK(cuMemcpyDtoH(out, dout, bytes));
  cuMemFree(dx);
  cuMemFree(dy);
  cuMemFree(dout);
  scaled_add_unload();
  cuDevicePrimaryCtxRelease(device);
  const char *where = "cuda";
#else
  scaled_add_launch(grid, 1, 1, x, y, out, n, scale);
  const char *where = "cpu";
#endif
  /* (x + y) * scale: two roundings on every target, so the result is exact. */
  for (int i = 0; i < n; ++i)
    if (out[i] != (x[i] + y[i]) * scale) {
      printf("mismatch at %d: %g, expected %g\n", i, out[i],
             (x[i] + y[i]) * scale);
      return 1;
    }
  printf("ok: %d elements on the %s\n", n, where);
  free(x);
  free(y);
  free(out);
  return 0;
}

/*===- host_vadd_c.c - a C host program running a Tessel kernel -----------===*
 *
 * The C API end to end: read Tile IR, compile it for the present device
 * (a CUDA device when there is one, with the data copied there; else the
 * CPU) or the given target, launch, check the result.
 *   host_vadd_c path/to/vadd.mlir [n] [target]
 *
 *===----------------------------------------------------------------------===*/
#include "tessel/tessel.h"

#include "cuda_memory.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *readFile(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *text = malloc(size + 1);
  if (text && fread(text, 1, size, f) != (size_t)size) {
    free(text);
    text = NULL;
  }
  if (text)
    text[size] = '\0';
  fclose(f);
  return text;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s kernel.mlir [n] [target]\n", argv[0]);
    return 2;
  }
  char *ir = readFile(argv[1]);
  if (!ir) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  int n = argc > 2 ? atoi(argv[2]) : 100003;
  const char *target = argc > 3 ? argv[3] : tessel_present_target();
  int cuda = strncmp(target, "nvidia:", 7) == 0;

  tessel_kernel *kernel = NULL;
  if (tessel_kernel_compile(ir, target, 4, 1, &kernel) != TESSEL_OK) {
    fprintf(stderr, "%s\n", tessel_last_error());
    return 1;
  }
  free(ir);
  float *x = malloc(n * sizeof(float)), *y = malloc(n * sizeof(float));
  float *out = malloc(n * sizeof(float));
  srand(42);
  for (int i = 0; i < n; ++i) {
    x[i] = (float)(rand() % 4096) / 4096.0f - 0.5f;
    y[i] = (float)(rand() % 4096) / 4096.0f - 0.5f;
    out[i] = -1.0f;
  }
  size_t bytes = (size_t)n * sizeof(float);
  tessel_arg args[] = {tessel_arg_ptr(x), tessel_arg_ptr(y),
                       tessel_arg_ptr(out), tessel_arg_int(TESSEL_ARG_I32, n)};
  example_cuda cu;
  example_device_ptr dx = 0, dy = 0, dout = 0;
  if (cuda) {
    if (example_cuda_open(&cu))
      return 1;
    dx = example_cuda_copy_of(&cu, x, bytes);
    dy = example_cuda_copy_of(&cu, y, bytes);
    dout = example_cuda_copy_of(&cu, out, bytes);
    if (!dx || !dy || !dout) {
      fprintf(stderr, "cannot copy the data to the device\n");
      return 1;
    }
    args[0] = tessel_arg_ptr((void *)(uintptr_t)dx);
    args[1] = tessel_arg_ptr((void *)(uintptr_t)dy);
    args[2] = tessel_arg_ptr((void *)(uintptr_t)dout);
  }
  if (tessel_kernel_launch(kernel, (n + 1023) / 1024, 1, 1, args, 4, NULL) !=
      TESSEL_OK) {
    fprintf(stderr, "%s\n", tessel_last_error());
    return 1;
  }
  if (cuda) {
    if (cu.synchronize() || cu.copyToHost(out, dout, bytes)) {
      fprintf(stderr, "the kernel or the copy back failed\n");
      return 1;
    }
    cu.memFree(dx);
    cu.memFree(dy);
    cu.memFree(dout);
  }
  for (int i = 0; i < n; ++i)
    if (out[i] != x[i] + y[i]) {
      fprintf(stderr, "mismatch at %d: %f != %f\n", i, out[i], x[i] + y[i]);
      return 1;
    }
  printf("%s (C API, %s): %d elements match\n", tessel_kernel_name(kernel),
         target, n);
  tessel_kernel_destroy(kernel);
  free(x);
  free(y);
  free(out);
  return 0;
}

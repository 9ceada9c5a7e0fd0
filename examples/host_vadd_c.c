/*===- host_vadd_c.c - a C host program running a Tessel kernel -----------===*
 *
 * The C API end to end: read Tile IR, compile it for the present device
 * (the CPU here; a CUDA device when there is one, with the memory copied
 * there), launch, check the result.
 *   host_vadd_c path/to/vadd.mlir [n] [target]
 *
 *===----------------------------------------------------------------------===*/
#include "tessel/tessel.h"

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
  const char *target = argc > 3 ? argv[3] : "cpu";

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
    x[i] = (float)rand() / RAND_MAX - 0.5f;
    y[i] = (float)rand() / RAND_MAX - 0.5f;
    out[i] = -1.0f;
  }
  tessel_arg args[] = {tessel_arg_ptr(x), tessel_arg_ptr(y),
                       tessel_arg_ptr(out), tessel_arg_int(TESSEL_ARG_I32, n)};
  if (tessel_kernel_launch(kernel, (n + 1023) / 1024, 1, 1, args, 4, NULL) !=
      TESSEL_OK) {
    fprintf(stderr, "%s\n", tessel_last_error());
    return 1;
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

/*===- host_launch.c - launch overhead through the C API ------------------===*
 *
 * Times tessel_kernel_launch of a one-program, 16-element copy on the
 * present target: the host-program launch cost.
 *   build/host_launch [iterations] [target]
 * On a CUDA device the copy gets n = 0 (its masked accesses touch nothing,
 * so NULL pointers do) and the launches go in bursts of 500 with a pause
 * between them, so the driver's queue never fills: the time is the host's.
 *
 *===----------------------------------------------------------------------===*/
#include "tessel/tessel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *kCopy =
    "func.func @copy(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},\n"
    "                %y: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32)\n"
    "    attributes {tile.kernel} {\n"
    "  %r = tile.make_range 0 to 16 : tensor<16xi32>\n"
    "  %ns = tile.splat %n : tensor<16xi32>\n"
    "  %m = arith.cmpi slt, %r, %ns : tensor<16xi32>\n"
    "  %xp = tile.splat %x : tensor<16x!tile.ptr<f32>>\n"
    "  %xa = tile.addptr %xp, %r : tensor<16x!tile.ptr<f32>>, tensor<16xi32>\n"
    "  %v = tile.load %xa, %m : tensor<16x!tile.ptr<f32>>\n"
    "  %yp = tile.splat %y : tensor<16x!tile.ptr<f32>>\n"
    "  %ya = tile.addptr %yp, %r : tensor<16x!tile.ptr<f32>>, tensor<16xi32>\n"
    "  tile.store %ya, %v, %m : tensor<16x!tile.ptr<f32>>\n"
    "  return\n"
    "}\n";

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  long iterations = argc > 1 ? atol(argv[1]) : 200000;
  const char *target = argc > 2 ? argv[2] : tessel_present_target();
  int cpu = strcmp(target, "cpu") == 0;
  tessel_kernel *k;
  if (tessel_kernel_compile(kCopy, target, 4, 1, &k) != TESSEL_OK) {
    fprintf(stderr, "%s\n", tessel_last_error());
    return 1;
  }
  float x[16], y[16];
  for (int i = 0; i < 16; ++i)
    x[i] = (float)i;
  tessel_arg args[] = {tessel_arg_ptr(cpu ? x : NULL),
                       tessel_arg_ptr(cpu ? y : NULL),
                       tessel_arg_int(TESSEL_ARG_I32, cpu ? 16 : 0)};
  long burst = cpu ? iterations : 500;
  double best = 1e9;
  for (int rep = 0; rep < (cpu ? 5 : 50); ++rep) {
    double t = now();
    for (long i = 0; i < burst; ++i)
      if (tessel_kernel_launch(k, 1, 1, 1, args, 3, NULL) != TESSEL_OK) {
        fprintf(stderr, "%s\n", tessel_last_error());
        return 1;
      }
    double per = (now() - t) / burst;
    if (per < best)
      best = per;
    if (!cpu) {
      struct timespec pause = {0, 20 * 1000 * 1000}; /* the GPU drains */
      nanosleep(&pause, NULL);
    }
  }
  printf("C API launch, %s, one 16-element program: %.0f ns\n", target,
         best * 1e9);
  tessel_kernel_destroy(k);
  return 0;
}

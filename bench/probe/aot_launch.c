/*===- aot_launch.c - the driver's own launch cost, through an AOT launcher ===*
 *
 * The floor under every launch path: scaled_add_launch of an artifact from
 * examples/aot/build.sh is one cuLaunchKernel call (after the first, which
 * loads the module). Bursts of 500 one-program launches (n = 0: the masked
 * kernel touches nothing) with a pause between them, so the driver's queue
 * never fills; best of 50 bursts, host nanoseconds per launch.
 *   examples/aot/build.sh sm_90a /tmp/aot
 *   cc -O2 -I/tmp/aot -I/usr/local/cuda/include bench/probe/aot_launch.c \
 *      /tmp/aot/scaled_add.c -L/usr/local/cuda/lib64/stubs -lcuda -o aot_launch
 *
 *===----------------------------------------------------------------------===*/
#include "scaled_add.h"

#include <stdio.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
  CUdevice device;
  CUcontext context;
  CUdeviceptr buffer;
  if (cuInit(0) || cuDeviceGet(&device, 0) ||
      cuDevicePrimaryCtxRetain(&context, device) || cuCtxSetCurrent(context) ||
      cuMemAlloc(&buffer, 4096) ||
      scaled_add_launch(NULL, 1, 1, 1, buffer, buffer, buffer, 0, 1.0f) ||
      cuCtxSynchronize()) {
    fprintf(stderr, "CUDA setup failed\n");
    return 1;
  }
  const int burst = 500;
  double best = 1e9;
  for (int rep = 0; rep < 50; ++rep) {
    double t = now();
    for (int i = 0; i < burst; ++i)
      if (scaled_add_launch(NULL, 1, 1, 1, buffer, buffer, buffer, 0, 1.0f)) {
        fprintf(stderr, "launch failed\n");
        return 1;
      }
    double per = (now() - t) / burst;
    if (per < best)
      best = per;
    cuCtxSynchronize();
    struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
  }
  printf("cuLaunchKernel through an AOT launcher, default stream: %.0f ns\n",
         best * 1e9);
  return 0;
}

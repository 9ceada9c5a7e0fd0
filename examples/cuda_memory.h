/*===- cuda_memory.h - device memory for the examples' CUDA runs ----------===*
 *
 * The host examples run on the present device. On a CUDA device their data
 * must live in device memory: these helpers reach the CUDA driver through
 * dlopen (libcuda.so.1), so the examples build without CUDA installed and
 * run on the CPU where there is none. Tessel launches on the primary context
 * of device 0, which example_cuda_open makes current.
 *
 *===----------------------------------------------------------------------===*/
#ifndef TESSEL_EXAMPLES_CUDA_MEMORY_H
#define TESSEL_EXAMPLES_CUDA_MEMORY_H

#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>

typedef unsigned long long example_device_ptr;

typedef struct {
  int (*memAlloc)(example_device_ptr *, size_t);
  int (*memFree)(example_device_ptr);
  int (*copyToDevice)(example_device_ptr, const void *, size_t);
  int (*copyToHost)(void *, example_device_ptr, size_t);
  int (*synchronize)(void);
} example_cuda;

/* Loads the driver and makes device 0's primary context current; 0 on
 * success. */
static int example_cuda_open(example_cuda *cu) {
  void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    fprintf(stderr, "cannot load libcuda.so.1\n");
    return 1;
  }
  int (*init)(unsigned) = (int (*)(unsigned))dlsym(lib, "cuInit");
  int (*deviceGet)(int *, int) = (int (*)(int *, int))dlsym(lib, "cuDeviceGet");
  int (*retain)(void **, int) =
      (int (*)(void **, int))dlsym(lib, "cuDevicePrimaryCtxRetain");
  int (*setCurrent)(void *) = (int (*)(void *))dlsym(lib, "cuCtxSetCurrent");
  cu->memAlloc = (int (*)(example_device_ptr *, size_t))dlsym(lib, "cuMemAlloc_v2");
  cu->memFree = (int (*)(example_device_ptr))dlsym(lib, "cuMemFree_v2");
  cu->copyToDevice = (int (*)(example_device_ptr, const void *, size_t))dlsym(
      lib, "cuMemcpyHtoD_v2");
  cu->copyToHost = (int (*)(void *, example_device_ptr, size_t))dlsym(
      lib, "cuMemcpyDtoH_v2");
  cu->synchronize = (int (*)(void))dlsym(lib, "cuCtxSynchronize");
  if (!init || !deviceGet || !retain || !setCurrent || !cu->memAlloc ||
      !cu->memFree || !cu->copyToDevice || !cu->copyToHost || !cu->synchronize) {
    fprintf(stderr, "libcuda.so.1 lacks a driver function the example uses\n");
    return 1;
  }
  int device = 0;
  void *context = NULL;
  if (init(0) || deviceGet(&device, 0) || retain(&context, device) ||
      setCurrent(context)) {
    fprintf(stderr, "cannot make device 0's primary context current\n");
    return 1;
  }
  return 0;
}

/* A device copy of `bytes` bytes at `host`; 0 on failure. */
static example_device_ptr example_cuda_copy_of(example_cuda *cu,
                                               const void *host, size_t bytes) {
  example_device_ptr ptr = 0;
  if (cu->memAlloc(&ptr, bytes))
    return 0;
  if (cu->copyToDevice(ptr, host, bytes)) {
    cu->memFree(ptr);
    return 0;
  }
  return ptr;
}

#endif

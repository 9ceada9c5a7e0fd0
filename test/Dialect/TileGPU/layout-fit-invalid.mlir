// RUN: tessel-opt %s --split-input-file -verify-diagnostics

// A layout must fit the tensor it is attached to: a 2-D blocked layout on a
// 3-D tensor used to lower to garbage (a fuzzer found one compiling for 8 s).
#blocked = #tilegpu.blocked<{sizePerThread = [4, 4], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
// expected-error @below {{does not fit a tensor of shape 2x128x128}}
func.func @rank(%a: tensor<2x128x128xf32, #blocked>) {
  return
}

// -----

// expected-error @below {{does not fit a tensor of shape 128}}
func.func @mma_rank(%a: tensor<128xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>) {
  return
}

// -----

#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
// expected-error @below {{does not fit a tensor of shape 64x64}}
func.func @slice_rank(%a: tensor<64x64xf32, #tilegpu.slice<{dim = 0, parent = #blocked}>>) {
  return
}

// -----

#blocked3 = #tilegpu.blocked<{sizePerThread = [1, 4, 4], threadsPerWarp = [1, 4, 8], warpsPerCTA = [1, 8, 1], order = [2, 1, 0]}>
func.func @fits(%a: tensor<2x128x128xf32, #blocked3>, %b: tensor<128x128xf32, #tilegpu.slice<{dim = 0, parent = #blocked3}>>) {
  return
}

// -----

// Sizes whose products would overflow the layout's arithmetic (a fuzzer
// found a division by zero).
// expected-error @below {{blocked layout covers more than 2^30 elements along dimension 0}}
#huge = #tilegpu.blocked<{sizePerThread = [2147483648, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>

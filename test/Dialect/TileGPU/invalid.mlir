// RUN: tessel-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{blocked layout sizes must be powers of two}}
func.func @size_per_thread_not_power_of_two(%a: tensor<128xf32, #tilegpu.blocked<{sizePerThread = [3], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>) {
  return
}

// -----

// expected-error @+1 {{blocked layout sizes must be powers of two}}
func.func @threads_not_power_of_two(%a: tensor<128xf32, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [24], warpsPerCTA = [4], order = [0]}>>) {
  return
}

// -----

// expected-error @+1 {{blocked layout sizes must be powers of two}}
func.func @warps_not_power_of_two(%a: tensor<4x128xf32, #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [1, 32], warpsPerCTA = [6, 1], order = [1, 0]}>>) {
  return
}

// -----

// expected-error @+1 {{blocked layout sizes must be powers of two}}
func.func @zero_size(%a: tensor<128xf32, #tilegpu.blocked<{sizePerThread = [0], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>) {
  return
}

// -----

// expected-error @+1 {{blocked layout parameters must all have rank 1}}
func.func @threads_rank_mismatch(%a: tensor<128xf32, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32, 1], warpsPerCTA = [4], order = [0]}>>) {
  return
}

// -----

// expected-error @+1 {{blocked layout parameters must all have rank 2}}
func.func @warps_rank_mismatch(%a: tensor<4x128xf32, #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [1, 32], warpsPerCTA = [4], order = [1, 0]}>>) {
  return
}

// -----

// expected-error @+1 {{blocked layout parameters must all have rank 2}}
func.func @order_rank_mismatch(%a: tensor<4x128xf32, #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [1, 32], warpsPerCTA = [1, 4], order = [0]}>>) {
  return
}

// -----

// expected-error @+1 {{blocked layout order must be a permutation}}
func.func @order_repeats(%a: tensor<4x128xf32, #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [1, 32], warpsPerCTA = [1, 4], order = [1, 1]}>>) {
  return
}

// -----

// expected-error @+1 {{blocked layout order must be a permutation}}
func.func @order_out_of_range(%a: tensor<4x128xf32, #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [1, 32], warpsPerCTA = [1, 4], order = [2, 0]}>>) {
  return
}

// -----

// expected-error @+1 {{blocked layout order must be a permutation}}
func.func @order_out_of_range_1d(%a: tensor<128xf32, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [1]}>>) {
  return
}

// -----

#b = #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
func.func @convert_shape(%a: tensor<128xf32, #b>) {
  // expected-error @+1 {{'tilegpu.convert_layout' op requires the same shape for all operands and results}}
  %0 = tilegpu.convert_layout %a : tensor<128xf32, #b> -> tensor<256xf32, #b>
  return
}

// -----

#b = #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
func.func @convert_element_type(%a: tensor<128xf32, #b>) {
  // expected-error @+1 {{'tilegpu.convert_layout' op requires the same element type for all operands and results}}
  %0 = tilegpu.convert_layout %a : tensor<128xf32, #b> -> tensor<128xf16, #b>
  return
}

// -----

// expected-error @+1 {{mma versions are 2 (mma.sync) and 3 (wgmma), got 1}}
func.func @mma_version(%a: tensor<16x8xf32, #tilegpu.mma<{version = 1, warpsPerCTA = [1, 1]}>>) {
  return
}

// -----

// expected-error @+1 {{wgmma layouts put all warps along M, in whole warpgroups: warpsPerCTA = [4k, 1]}}
func.func @wgmma_warps(%a: tensor<64x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [2, 2]}>>) {
  return
}

// -----

// expected-error @+1 {{the parent of a dot operand layout must be an mma or mfma layout}}
func.func @dot_operand_parent(%a: tensor<16x16xf16, #tilegpu.dot_operand<{opIdx = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 1], threadsPerWarp = [4, 8], warpsPerCTA = [1, 1], order = [1, 0]}>, kWidth = 2}>>) {
  return
}

// -----

// expected-error @+1 {{kWidth is 1, 2 or 4, got 3}}
func.func @dot_operand_kwidth(%a: tensor<16x16xf16, #tilegpu.dot_operand<{opIdx = 0, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [1, 1]}>, kWidth = 3}>>) {
  return
}

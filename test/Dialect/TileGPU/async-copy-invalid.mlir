// RUN: tessel-opt %s --split-input-file -verify-diagnostics

#blocked = #tilegpu.blocked<{sizePerThread = [8], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
func.func @rank1(%p: tensor<1024x!tile.ptr<f16>, #blocked>, %s: i32) {
  // expected-error @below {{copies 2-D tiles of pointers to 8- or 16-bit elements}}
  tilegpu.async_copy %p stage %s {offset = 0 : i64, stageBytes = 4096 : i64} : tensor<1024x!tile.ptr<f16>, #blocked>
  return
}

// -----

#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
func.func @f32(%p: tensor<64x64x!tile.ptr<f32>, #blocked>, %s: i32) {
  // expected-error @below {{copies 2-D tiles of pointers to 8- or 16-bit elements}}
  tilegpu.async_copy %p stage %s {offset = 0 : i64, stageBytes = 16384 : i64} : tensor<64x64x!tile.ptr<f32>, #blocked>
  return
}

// -----

#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
func.func @outside(%p: tensor<64x64x!tile.ptr<f16>, #blocked>, %s: i32) {
  // expected-error @below {{the tile (8192 bytes at offset 4096) must lie within a stage of 8192 bytes}}
  tilegpu.async_copy %p stage %s {offset = 4096 : i64, stageBytes = 8192 : i64} : tensor<64x64x!tile.ptr<f16>, #blocked>
  return
}

// -----

#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#blocked1 = #tilegpu.blocked<{sizePerThread = [8], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
func.func @mask(%p: tensor<64x64x!tile.ptr<f16>, #blocked>, %m: tensor<4096xi1, #blocked1>, %s: i32) {
  // expected-error @below {{mask must be i1 of the pointers' shape}}
  tilegpu.async_copy %p, %m stage %s {offset = 0 : i64, stageBytes = 8192 : i64} : tensor<64x64x!tile.ptr<f16>, #blocked>, tensor<4096xi1, #blocked1>
  return
}

// -----

#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
func.func @k24(%acc: tensor<64x64xf32, #mma>, %s: i32) -> tensor<64x64xf32, #mma> {
  // expected-error @below {{needs K a multiple of 16 and N a multiple of 16 up to 256, got K = 24, N = 64}}
  %r = tilegpu.shared_dot %acc stage %s {aType = tensor<64x24xf16, #blocked>, bType = tensor<24x64xf16, #blocked>, numStages = 4 : i32} : tensor<64x64xf32, #mma>
  return %r : tensor<64x64xf32, #mma>
}

// -----

#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
func.func @f32dot(%acc: tensor<64x64xf32, #mma>, %s: i32) -> tensor<64x64xf32, #mma> {
  // expected-error @below {{operands must both be f16 or bf16 or float8 (f32 accumulator) or i8 (i32 accumulator)}}
  %r = tilegpu.shared_dot %acc stage %s {aType = tensor<64x64xf32, #blocked>, bType = tensor<64x64xf32, #blocked>, numStages = 4 : i32} : tensor<64x64xf32, #mma>
  return %r : tensor<64x64xf32, #mma>
}

// -----

#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
func.func @stages(%acc: tensor<64x64xf32, #mma>, %s: i32) -> tensor<64x64xf32, #mma> {
  // expected-error @below {{needs at least 3 stages, got 2}}
  %r = tilegpu.shared_dot %acc stage %s {aType = tensor<64x64xf16, #blocked>, bType = tensor<64x64xf16, #blocked>, numStages = 2 : i32} : tensor<64x64xf32, #mma>
  return %r : tensor<64x64xf32, #mma>
}

// -----

#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
func.func @staged_unaligned(%acc: tensor<64x64xf32, #mma>, %s: i32) -> tensor<64x64xf32, #mma> {
  // expected-error @below {{offsets and stage sizes must be non-negative multiples of 1024 bytes, got 512}}
  %r = tilegpu.staged_dot %acc stage %s {aType = tensor<64x64xf16, #blocked>, bType = tensor<64x64xf16, #blocked>, aOffset = 512 : i64, aStageBytes = 0 : i64, bOffset = 8192 : i64, bStageBytes = 0 : i64, bKMajor = false, sharedBytes = 16384 : i64} : tensor<64x64xf32, #mma>
  return %r : tensor<64x64xf32, #mma>
}

// -----

#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
func.func @staged_past_end(%acc: tensor<64x64xf32, #mma>, %s: i32) -> tensor<64x64xf32, #mma> {
  // expected-error @below {{operand regions end past sharedBytes = 12288}}
  %r = tilegpu.staged_dot %acc stage %s {aType = tensor<64x64xf16, #blocked>, bType = tensor<64x64xf16, #blocked>, aOffset = 0 : i64, aStageBytes = 0 : i64, bOffset = 8192 : i64, bStageBytes = 0 : i64, bKMajor = true, sharedBytes = 12288 : i64} : tensor<64x64xf32, #mma>
  return %r : tensor<64x64xf32, #mma>
}

// -----

#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
func.func @staged_register_shape(%acc: tensor<64x64xf32, #mma>, %a: tensor<64x128xf16, #mma>, %s: i32) -> tensor<64x64xf32, #mma> {
  // expected-error @below {{register operand A must have the shape of aType}}
  %r = tilegpu.staged_dot %acc a %a : tensor<64x128xf16, #mma> stage %s {aType = tensor<64x64xf16, #blocked>, bType = tensor<64x64xf16, #blocked>, aOffset = 0 : i64, aStageBytes = 0 : i64, bOffset = 8192 : i64, bStageBytes = 0 : i64, bKMajor = false, sharedBytes = 16384 : i64} : tensor<64x64xf32, #mma>
  return %r : tensor<64x64xf32, #mma>
}

// -----

// 8-bit tiles: 16 elements per 16-byte copy, so a second dimension of 16
// i8 is only 16 bytes: below the 32-byte swizzle rows.
#blocked = #tilegpu.blocked<{sizePerThread = [1, 16], threadsPerWarp = [32, 1], warpsPerCTA = [4, 1], order = [1, 0]}>
func.func @i8_narrow(%p: tensor<128x16x!tile.ptr<i8>, #blocked>, %s: i32) {
  // expected-error @below {{needs a second dimension of a multiple of 32 bytes, got 16 elements}}
  tilegpu.async_copy %p stage %s {offset = 0 : i64, stageBytes = 4096 : i64} : tensor<128x16x!tile.ptr<i8>, #blocked>
  return
}

// -----

// wgmma transposes only 16-bit tiles: an i8 B must be K-major.
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
#blocked = #tilegpu.blocked<{sizePerThread = [1, 16], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]}>
func.func @i8_mn_major(%acc: tensor<64x64xi32, #mma>, %s: i32) -> tensor<64x64xi32, #mma> {
  // expected-error @below {{8-bit operands need a K-major B}}
  %r = tilegpu.staged_dot %acc stage %s {aType = tensor<64x64xi8, #blocked>, bType = tensor<64x64xi8, #blocked>, aOffset = 0 : i64, aStageBytes = 0 : i64, bOffset = 4096 : i64, bStageBytes = 0 : i64, bKMajor = false, sharedBytes = 8192 : i64} : tensor<64x64xi32, #mma>
  return %r : tensor<64x64xi32, #mma>
}

// -----

// i8 operands accumulate in i32 only.
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
#blocked = #tilegpu.blocked<{sizePerThread = [1, 16], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]}>
func.func @i8_f32(%acc: tensor<64x64xf32, #mma>, %s: i32) -> tensor<64x64xf32, #mma> {
  // expected-error @below {{operands must both be f16 or bf16 or float8 (f32 accumulator) or i8 (i32 accumulator)}}
  %r = tilegpu.staged_dot %acc stage %s {aType = tensor<64x64xi8, #blocked>, bType = tensor<64x64xi8, #blocked>, aOffset = 0 : i64, aStageBytes = 0 : i64, bOffset = 4096 : i64, bStageBytes = 0 : i64, bKMajor = true, sharedBytes = 8192 : i64} : tensor<64x64xf32, #mma>
  return %r : tensor<64x64xf32, #mma>
}

// -----

#mma = #tilegpu.mma<{version = 2, warpsPerCTA = [2, 2]}>
#dot = #tilegpu.dot_operand<{opIdx = 0, parent = #mma, kWidth = 2}>
func.func @stage_load_f32(%s: i32) {
  // expected-error @below {{reads 2-D tiles of 8- or 16-bit elements}}
  %t = tilegpu.stage_load stage %s {numStages = 2 : i32, offset = 0 : i64, stageBytes = 16384 : i64} : tensor<64x32xf32, #dot>
  return
}

// -----

#mma = #tilegpu.mma<{version = 2, warpsPerCTA = [2, 2]}>
#dot = #tilegpu.dot_operand<{opIdx = 0, parent = #mma, kWidth = 2}>
func.func @stage_load_outside(%s: i32) {
  // expected-error @below {{the tile (4096 bytes at offset 4096) must lie within a stage of 6144 bytes, of at least one stage}}
  %t = tilegpu.stage_load stage %s {numStages = 2 : i32, offset = 4096 : i64, stageBytes = 6144 : i64} : tensor<64x32xf16, #dot>
  return
}

// -----

#mma = #tilegpu.mma<{version = 2, warpsPerCTA = [2, 2]}>
#dot = #tilegpu.dot_operand<{opIdx = 0, parent = #mma, kWidth = 2}>
func.func @stage_load_narrow(%s: i32) {
  // expected-error @below {{needs a stored tile whose rows are a multiple of 32 bytes, got 8 elements}}
  %t = tilegpu.stage_load stage %s {numStages = 2 : i32, offset = 0 : i64, stageBytes = 1024 : i64} : tensor<64x8xf16, #dot>
  return
}

// -----

// Transposed: the stored tile is 8 x 64 (rows of 16 bytes).
#mma = #tilegpu.mma<{version = 2, warpsPerCTA = [2, 2]}>
#dot = #tilegpu.dot_operand<{opIdx = 1, parent = #mma, kWidth = 2}>
func.func @stage_load_transposed_narrow(%s: i32) {
  // expected-error @below {{needs a stored tile whose rows are a multiple of 32 bytes, got 8 elements}}
  %t = tilegpu.stage_load stage %s {numStages = 2 : i32, offset = 0 : i64, stageBytes = 1024 : i64, transposed} : tensor<8x64xf16, #dot>
  return
}

// -----

// Element types without a width (found by the fuzzer: the verifier asked
// complex<f32> for its width and crashed).
#blk = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
func.func @stage_load_complex(%s: i32) {
  // expected-error @below {{reads 2-D tiles of 8- or 16-bit elements, got 'tensor<32x64xcomplex<f32>, #tilegpu.blocked}}
  %t = tilegpu.stage_load stage %s {numStages = 3 : i32, offset = 0 : i64, stageBytes = 16384 : i64} : tensor<32x64xcomplex<f32>, #blk>
  return
}

// -----

#blk = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
func.func @stage_load_index(%s: i32) {
  // expected-error @below {{reads 2-D tiles of 8- or 16-bit elements}}
  %t = tilegpu.stage_load stage %s {numStages = 3 : i32, offset = 0 : i64, stageBytes = 16384 : i64} : tensor<32x64xindex, #blk>
  return
}

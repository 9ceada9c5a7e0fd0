// RUN: tessel-opt %s --split-input-file -verify-diagnostics

func.func @not_a_tensormap(%m: !tile.ptr<f16>, %r: i32, %s: i32, %v: i1) {
  // expected-error @below {{copies through a !tile.tensormap}}
  tilegpu.tma_copy %m[%r, %r] stage %s, %v {barrierOffset = 65536 : i64, offset = 0 : i64, stageBytes = 16384 : i64, tileType = tensor<64x64xf16>} : !tile.ptr<f16>
  return
}

// -----

func.func @f32_block(%m: !tile.tensormap, %r: i32, %s: i32, %v: i1) {
  // expected-error @below {{copies 2-D blocks of 8- or 16-bit elements}}
  tilegpu.tma_copy %m[%r, %r] stage %s, %v {barrierOffset = 65536 : i64, offset = 0 : i64, stageBytes = 16384 : i64, tileType = tensor<64x32xf32>} : !tile.tensormap
  return
}

// -----

func.func @one_coordinate(%m: !tile.tensormap, %r: i32, %s: i32, %v: i1) {
  // expected-error @below {{takes one coordinate per dimension of the block}}
  tilegpu.tma_copy %m[%r] stage %s, %v {barrierOffset = 65536 : i64, offset = 0 : i64, stageBytes = 16384 : i64, tileType = tensor<64x64xf16>} : !tile.tensormap
  return
}

// -----

func.func @too_many_rows(%m: !tile.tensormap, %r: i32, %s: i32, %v: i1) {
  // expected-error @below {{needs rows of a multiple of 32 bytes and at most 256 rows}}
  tilegpu.tma_copy %m[%r, %r] stage %s, %v {barrierOffset = 131072 : i64, offset = 0 : i64, stageBytes = 65536 : i64, tileType = tensor<512x64xf16>} : !tile.tensormap
  return
}

// -----

func.func @misaligned(%m: !tile.tensormap, %r: i32, %s: i32, %v: i1) {
  // expected-error @below {{the block (8192 bytes at offset 512) must start at a multiple of 1024 bytes within a stage of 16384 bytes}}
  tilegpu.tma_copy %m[%r, %r] stage %s, %v {barrierOffset = 65536 : i64, offset = 512 : i64, stageBytes = 16384 : i64, tileType = tensor<64x64xf16>} : !tile.tensormap
  return
}

// -----

func.func @barrier_offset(%m: !tile.tensormap, %r: i32, %s: i32, %v: i1) {
  // expected-error @below {{needs at least one mbarrier at a multiple of 8 bytes, got 1 at 65540}}
  tilegpu.tma_copy %m[%r, %r] stage %s, %v {barrierOffset = 65540 : i64, offset = 0 : i64, stageBytes = 16384 : i64, tileType = tensor<64x64xf16>} : !tile.tensormap
  return
}

// -----

func.func @no_barriers() {
  // expected-error @below {{needs at least one mbarrier}}
  tilegpu.mbarrier_init {count = 0 : i64, offset = 0 : i64}
  return
}

// -----

// An element type without a width (the verifier asked for it and crashed,
// as stage_load's did).
func.func @complex_block(%m: !tile.tensormap, %r: i32, %s: i32, %v: i1) {
  // expected-error @below {{copies 2-D blocks of 8- or 16-bit elements, got 'tensor<64x64xcomplex<f32>>'}}
  tilegpu.tma_copy %m[%r, %r] stage %s, %v {barrierOffset = 65536 : i64, offset = 0 : i64, stageBytes = 16384 : i64, tileType = tensor<64x64xcomplex<f32>>} : !tile.tensormap
  return
}

// -----

func.func @register_count() {
  // expected-error @below {{sets a register count that is a multiple of 8 in [24, 256], got 20}}
  tilegpu.set_max_registers {count = 20 : i32}
  return
}

// -----

func.func @peer_match_offset(%x: i32) {
  // expected-error @below {{exchanges its values at a multiple of 8 bytes, got 4}}
  %m = tilegpu.cluster_peer_match %x {offset = 4 : i64} : i32
  return
}

// -----

func.func @peer_match_wide(%x: i128) {
  // expected-error @below {{compares integers of at most 64 bits, got 'i128'}}
  %m = tilegpu.cluster_peer_match %x {offset = 8 : i64} : i128
  return
}

// -----

// Found by the fuzzer (seed 1319): the lowering emitted one statement per
// barrier, 2^32 - 1 of them.
func.func @too_many_barriers() {
  // expected-error @below {{places 4294967295 mbarriers at byte 0, past the 262144 bytes of shared memory any GPU has}}
  tilegpu.mbarrier_init {count = 4294967295 : i64, offset = 0 : i64}
  return
}

// -----

func.func @barriers_past_shared_memory() {
  // expected-error @below {{places 2 mbarriers at byte 262136, past the 262144 bytes}}
  tilegpu.mbarrier_inval {count = 2 : i64, offset = 262136 : i64}
  return
}

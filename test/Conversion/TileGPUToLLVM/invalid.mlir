// RUN: tessel-opt %s -split-input-file --convert-tilegpu-to-llvm -verify-diagnostics

// The layout pass must run first.
// expected-error @below {{module has no tilegpu.target: run convert-tile-to-tilegpu first}}
module {
  func.func @no_target(%x: !tile.ptr<f32>) attributes {tile.kernel} {
    return
  }
}

// -----

module attributes {tilegpu.target = "nvidia:sm_90a", tilegpu.num_warps = 4 : i32, tilegpu.threads_per_warp = 32 : i32} {
  func.func @no_layout() -> tensor<128xi32> attributes {tile.kernel} {
    // expected-error @below {{'tile.make_range' op tensor without a layout: 'tensor<128xi32>'}}
    %r = tile.make_range 0 to 128 : tensor<128xi32>
    return %r : tensor<128xi32>
  }
}

// -----

// On the CPU grid queries become arguments of the kernel, so a helper
// function cannot ask for them.
module attributes {tilegpu.target = "cpu", tilegpu.num_warps = 1 : i32, tilegpu.threads_per_warp = 1 : i32} {
  func.func @helper() -> i32 {
    // expected-error @below {{'tile.program_id' op on the CPU target, grid queries must be in the kernel function itself}}
    %p = tile.program_id x : i32
    return %p : i32
  }
}

// -----

// Non-splat tensor constants have no GPU lowering yet.
module attributes {tilegpu.target = "nvidia:sm_90a", tilegpu.num_warps = 4 : i32, tilegpu.threads_per_warp = 32 : i32} {
  func.func @non_splat_constant(%x: !tile.ptr<i32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
    %r = tile.make_range 0 to 8 : tensor<8xi32, #tilegpu.blocked<{sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
    // expected-error @below {{non-splat tensor constants are not supported on GPU targets yet}}
    // expected-error @below {{failed to legalize operation 'arith.constant'}}
    %c = arith.constant dense<[0, 3, 6, 9, 12, 15, 18, 21]> : tensor<8xi32, #tilegpu.blocked<{sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
    %xp = tile.splat %x : tensor<8x!tile.ptr<i32>, #tilegpu.blocked<{sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
    %xa = tile.addptr %xp, %r : tensor<8x!tile.ptr<i32>, #tilegpu.blocked<{sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>, tensor<8xi32, #tilegpu.blocked<{sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
    tile.store %xa, %c : tensor<8x!tile.ptr<i32>, #tilegpu.blocked<{sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
    return
  }
}

// -----

// An MFMA dot whose kWidth no instruction takes (16-bit operands are four
// per lane) is a located error.
#mfma = #tilegpu.mfma<{nonKDim = 16, warpsPerCTA = [1, 4]}>
#opA8 = #tilegpu.dot_operand<{opIdx = 0, parent = #mfma, kWidth = 8}>
#opB8 = #tilegpu.dot_operand<{opIdx = 1, parent = #mfma, kWidth = 8}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "amd:gfx90a", tilegpu.threads_per_warp = 64 : i32} {
  func.func @mfma_bad_kwidth(%a: tensor<16x32xf16, #opA8>, %b: tensor<32x64xf16, #opB8>, %c: tensor<16x64xf32, #mfma>) -> tensor<16x64xf32, #mfma> {
    // expected-error @+2 {{no MFMA for 'f16' inputs into 'f32' with kWidth 8}}
    // expected-error @+1 {{failed to legalize operation 'tile.dot'}}
    %r = tile.dot %a, %b, %c : tensor<16x32xf16, #opA8>, tensor<32x64xf16, #opB8> -> tensor<16x64xf32, #mfma>
    return %r : tensor<16x64xf32, #mfma>
  }
}

// -----

// A conversion the mma.sync ring keeps in its loop on the promise that it
// stays in registers: one that would move elements between threads (here a
// transpose of the warps' rows) fails instead of overwriting the ring.
#rows = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#cols = #tilegpu.blocked<{sizePerThread = [8, 1], threadsPerWarp = [8, 4], warpsPerCTA = [1, 4], order = [0, 1]}>
module attributes {tilegpu.target = "nvidia:sm_80", tilegpu.num_warps = 4 : i32, tilegpu.threads_per_warp = 32 : i32} {
  func.func @registers_only(%x: tensor<64x64xf16, #rows>) -> tensor<64x64xf16, #cols> attributes {tile.kernel} {
    // expected-error @+2 {{must stay within each thread's registers (a ring owns the shared memory around it), but its layouts move elements between threads}}
    // expected-error @+1 {{failed to legalize operation 'tilegpu.convert_layout'}}
    %y = tilegpu.convert_layout %x {tilegpu.registers_only} : tensor<64x64xf16, #rows> -> tensor<64x64xf16, #cols>
    return %y : tensor<64x64xf16, #cols>
  }
}

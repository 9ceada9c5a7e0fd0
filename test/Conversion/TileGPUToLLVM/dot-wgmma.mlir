// RUN: tessel-opt %s -split-input-file --convert-tilegpu-to-llvm | FileCheck %s --check-prefixes=CHECK,ASYNC,NARROW

// wgmma (sm_90a): A (128x64) and B (64x64) are stored into shared memory,
// 16 bytes at a time, in 128-byte swizzled rows (A K-major, B MN-major);
// the generic-proxy stores are fenced for the tensor cores, then each
// warpgroup issues one wgmma m64n64k16 per 16-wide K step with matrix
// descriptors (swizzle mode 1 << 62, stride 1024 B >> 4 = 64 << 32; B's
// leading offset is one 64-row slice of K rows: 64 x 128 B >> 4 = 512 << 16),
// commits and waits with the accumulators passed through the wait. The
// buffer is dynamic shared memory aligned to 1024 bytes.
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>
module attributes {tilegpu.num_warps = 8 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  // CHECK: tilegpu.shared = 24576 : i32
  // CHECK: llvm.mlir.global external @tessel_shared() {addr_space = 3 : i32, alignment = 1024 : i64} : !llvm.array<0 x i8>
  // CHECK-LABEL: func.func @wgmma
  // CHECK: nvvm.barrier0
  // CHECK: llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<8xf16>, !llvm.ptr<3>
  // CHECK: llvm.inline_asm has_side_effects asm_dialect = att "fence.proxy.async.shared::cta;"
  // CHECK-NEXT: nvvm.barrier0
  // CHECK: "wgmma.fence.sync.aligned;"
  // B: (1 << 62) | (64 << 32) | (512 << 16); A: (1 << 62) | (64 << 32) | (1 << 16).
  // CHECK: llvm.mlir.constant(4611686293338849280 : i64) : i64
  // CHECK: llvm.mlir.constant(4611686293305360384 : i64) : i64
  // CHECK-COUNT-4: "{ .reg .pred p; setp.ne.b32 p, 1, 0; wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 {$0, {{.*}}, $31}, $32, $33, p, 1, 1, 0, 1; }"
  // CHECK: "wgmma.commit_group.sync.aligned;"
  // CHECK: "wgmma.wait_group.sync.aligned 0;", "=f,{{.*}}" {{.*}} -> !llvm.struct<(f32
  func.func @wgmma(%a: tensor<128x64xf16, #blocked>, %b: tensor<64x64xf16, #blocked>, %c: tensor<128x64xf32, #mma>) -> tensor<128x64xf32, #mma> {
    %r = tile.dot %a, %b, %c : tensor<128x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<128x64xf32, #mma>
    return %r : tensor<128x64xf32, #mma>
  }
}

// -----

// async_dot: wait until one group is pending, a barrier, the stores into
// buffer `stage` (stage x 16 KiB past the base), fence, wgmma and commit, no
// wait; dot_wait waits for all, the accumulators passed through.
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  // ASYNC: tilegpu.shared = 32768 : i32
  // ASYNC-LABEL: func.func @async
  // ASYNC: "wgmma.wait_group.sync.aligned 1;", ""
  // ASYNC-NEXT: nvvm.barrier0
  // ASYNC: %[[STAGE_BYTES:.*]] = llvm.mlir.constant(16384 : i32) : i32
  // ASYNC: llvm.mul %arg3, %[[STAGE_BYTES]] : i32
  // ASYNC: "wgmma.commit_group.sync.aligned;"
  // ASYNC-NOT: wgmma.wait_group
  // ASYNC: return
  // ASYNC-LABEL: func.func @wait
  // ASYNC: "wgmma.wait_group.sync.aligned 0;", "=f,
  func.func @async(%a: tensor<64x64xf16, #blocked>, %b: tensor<64x64xf16, #blocked>, %c: tensor<64x64xf32, #mma>, %s: i32) -> tensor<64x64xf32, #mma> {
    %r = tilegpu.async_dot %a, %b, %c stage %s {numStages = 2 : i32} : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
    return %r : tensor<64x64xf32, #mma>
  }
  func.func @wait(%c: tensor<64x64xf32, #mma>) -> tensor<64x64xf32, #mma> {
    %r = tilegpu.dot_wait %c {pendings = 0 : i32} : tensor<64x64xf32, #mma>
    return %r : tensor<64x64xf32, #mma>
  }
}

// -----

// K = 32 and N = 32: both tiles have 64-byte rows (32 elements), so both
// use the 64-byte swizzle (mode 2 << 62) with 8-row groups of 512 bytes
// (32 << 32); B's leading offset is its one slice, 32 rows x 64 B >> 4 =
// 128 << 16. Two K steps: A's descriptor moves 32 bytes along its rows, B's
// 16 rows (1024 bytes). The buffer is exactly the two tiles (4096 + 2048).
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  // NARROW: tilegpu.shared = 6144 : i32
  // NARROW-LABEL: func.func @k32
  // NARROW-COUNT-2: llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<8xf16>, !llvm.ptr<3>
  // B: (2 << 62) | (32 << 32) | (128 << 16); A: (2 << 62) | (32 << 32) | (1 << 16).
  // NARROW: llvm.mlir.constant(-9223371899407433728 : i64) : i64
  // NARROW: llvm.mlir.constant(-9223371899415756800 : i64) : i64
  // NARROW: wgmma.mma_async.sync.aligned.m64n32k16.f32.f16.f16
  // The second K step's descriptors: the first ones plus its offset >> 4
  // (A: 32 bytes; B: 16 rows of 64 bytes).
  // NARROW: %[[A_STEP:.*]] = llvm.mlir.constant(2 : i64) : i64
  // NARROW: llvm.add %{{.*}}, %[[A_STEP]] : i64
  // NARROW: %[[B_STEP:.*]] = llvm.mlir.constant(64 : i64) : i64
  // NARROW: llvm.add %{{.*}}, %[[B_STEP]] : i64
  // NARROW: wgmma.mma_async.sync.aligned.m64n32k16.f32.f16.f16
  // NARROW-NOT: wgmma.mma_async
  // NARROW: "wgmma.commit_group.sync.aligned;"
  func.func @k32(%a: tensor<64x32xf16, #blocked>, %b: tensor<32x32xf16, #blocked>, %c: tensor<64x32xf32, #mma>) -> tensor<64x32xf32, #mma> {
    %r = tile.dot %a, %b, %c : tensor<64x32xf16, #blocked>, tensor<32x32xf16, #blocked> -> tensor<64x32xf32, #mma>
    return %r : tensor<64x32xf32, #mma>
  }
}

// -----

// K = 16 and N = 16: 32-byte rows, the 32-byte swizzle (mode 3 << 62),
// 8-row groups of 256 bytes (16 << 32); one K step.
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [16, 2], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  // NARROW: tilegpu.shared = 2560 : i32
  // NARROW-LABEL: func.func @k16
  // B: (3 << 62) | (16 << 32) | (32 << 16); A: (3 << 62) | (16 << 32) | (1 << 16).
  // NARROW: llvm.mlir.constant(-4611685949705814016 : i64) : i64
  // NARROW: llvm.mlir.constant(-4611685949707845632 : i64) : i64
  // NARROW: wgmma.mma_async.sync.aligned.m64n16k16.f32.f16.f16
  // NARROW-NOT: wgmma.mma_async
  func.func @k16(%a: tensor<64x16xf16, #blocked>, %b: tensor<16x16xf16, #blocked>, %c: tensor<64x16xf32, #mma>) -> tensor<64x16xf32, #mma> {
    %r = tile.dot %a, %b, %c : tensor<64x16xf16, #blocked>, tensor<16x16xf16, #blocked> -> tensor<64x16xf32, #mma>
    return %r : tensor<64x16xf32, #mma>
  }
}

// -----

// An int8 dot (s8 into s32) outside a ring: A is stored K-major, 16 i8 per
// 16-byte store; wgmma reads 8-bit B only K-major, so the K x N B is stored
// transposed (N rows of K), one byte per store. K = 64 bytes: 64-byte swizzle
// rows (mode 2 << 62, stride 8 x 64 B >> 4 = 32 << 32, leading offset 1), the
// same descriptor for A and B; two m64n64k32 steps.
#blocked = #tilegpu.blocked<{sizePerThread = [1, 16], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]}>
#blockedT = #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  // CHECK: tilegpu.shared = 8192 : i32
  // CHECK-LABEL: func.func @int8
  // CHECK-COUNT-2: llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<16xi8>, !llvm.ptr<3>
  // CHECK-COUNT-32: llvm.store %{{.*}}, %{{.*}} {alignment = 1 : i64} : i8, !llvm.ptr<3>
  // CHECK: "fence.proxy.async.shared::cta;"
  // CHECK: llvm.mlir.constant(-9223371899415756800 : i64) : i64
  // CHECK-COUNT-2: wgmma.mma_async.sync.aligned.m64n64k32.s32.s8.s8 {{.*}}}, $32, $33, p; }", "=r,
  // CHECK: "wgmma.wait_group.sync.aligned 0;", "=r,
  func.func @int8(%a: tensor<64x64xi8, #blocked>, %b: tensor<64x64xi8, #blockedT>, %c: tensor<64x64xi32, #mma>) -> tensor<64x64xi32, #mma> {
    %r = tile.dot %a, %b, %c : tensor<64x64xi8, #blocked>, tensor<64x64xi8, #blockedT> -> tensor<64x64xi32, #mma>
    return %r : tensor<64x64xi32, #mma>
  }
}

// RUN: tessel-opt %s -split-input-file --convert-tilegpu-to-llvm | FileCheck %s

// A register A in another layout than the accumulator's is stored into its
// region first (16-byte swizzled stores), made visible to the tensor cores
// and synchronized; A and B are then read from shared memory (B K-major).
// CHECK-LABEL: func.func @stored_a
// CHECK: llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<8xf16>, !llvm.ptr<3>
// CHECK: "fence.proxy.async.shared::cta;"
// CHECK-NEXT: nvvm.barrier0
// CHECK: wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 {{.*}}}, $32, $33, p, 1, 1, 0, 0; }
// CHECK: "wgmma.wait_group.sync.aligned 0;"
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @stored_a(%acc: tensor<64x64xf32, #mma>, %a: tensor<64x64xf16, #blocked>, %s: i32) -> tensor<64x64xf32, #mma> {
    %r = tilegpu.staged_dot %acc a %a : tensor<64x64xf16, #blocked> stage %s {aType = tensor<64x64xf16, #blocked>, bType = tensor<64x64xf16, #blocked>, aOffset = 16384 : i64, aStageBytes = 0 : i64, bOffset = 0 : i64, bStageBytes = 8192 : i64, bKMajor = true, sharedBytes = 24576 : i64} : tensor<64x64xf32, #mma>
    return %r : tensor<64x64xf32, #mma>
  }
}

// -----

// A zero accumulator (attention's scores, Q K^T from nothing): the first K
// step overwrites D (scale-d false) and takes no accumulator operands, so
// no instruction writes the zeros; the later steps accumulate.
// CHECK-LABEL: func.func @zero_acc
// CHECK-NOT: llvm.mlir.constant(dense<0.000000e+00>
// CHECK: "{ .reg .pred p; setp.ne.b32 p, 0, 0; wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 {{.*}}}, $32, $33, p, 1, 1, 0, 0; }", "=f,{{.*}},=f,l,l" {{.*}} : (i64, i64) ->
// CHECK-COUNT-3: "{ .reg .pred p; setp.ne.b32 p, 1, 0; wgmma.mma_async
// CHECK: "wgmma.wait_group.sync.aligned 0;"
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @zero_acc(%s: i32) -> tensor<64x64xf32, #mma> {
    %zero = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
    %r = tilegpu.staged_dot %zero stage %s {aType = tensor<64x64xf16, #blocked>, bType = tensor<64x64xf16, #blocked>, aOffset = 16384 : i64, aStageBytes = 0 : i64, bOffset = 0 : i64, bStageBytes = 8192 : i64, bKMajor = true, sharedBytes = 24576 : i64} : tensor<64x64xf32, #mma>
    return %r : tensor<64x64xf32, #mma>
  }
}

// -----

// int8 (s8 into s32): 32-byte K steps (m64n64k32, two for K = 64) on
// K-major A and B, s32 accumulators ("=r"), no float immediates; an integer
// zero accumulator is not materialized either (scale-d false first). An i8
// A from registers is stored first, 16 i8 per 16-byte store.
// CHECK-LABEL: func.func @int8_stored_a
// CHECK: llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<16xi8>, !llvm.ptr<3>
// CHECK: "fence.proxy.async.shared::cta;"
// CHECK-NOT: llvm.mlir.constant(dense<0> : vector<32xi32>)
// CHECK: "{ .reg .pred p; setp.ne.b32 p, 0, 0; wgmma.mma_async.sync.aligned.m64n64k32.s32.s8.s8 {{.*}}}, $32, $33, p; }", "=r,{{.*}},=r,l,l"
// CHECK: "{ .reg .pred p; setp.ne.b32 p, 1, 0; wgmma.mma_async.sync.aligned.m64n64k32.s32.s8.s8 {{.*}}}, $32, $33, p; }", "=r,
// CHECK-NOT: wgmma.mma_async
// CHECK: "wgmma.wait_group.sync.aligned 0;", "=r,
#blocked = #tilegpu.blocked<{sizePerThread = [1, 16], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @int8_stored_a(%a: tensor<64x64xi8, #blocked>, %s: i32) -> tensor<64x64xi32, #mma> {
    %zero = arith.constant dense<0> : tensor<64x64xi32, #mma>
    %r = tilegpu.staged_dot %zero a %a : tensor<64x64xi8, #blocked> stage %s {aType = tensor<64x64xi8, #blocked>, bType = tensor<64x64xi8, #blocked>, aOffset = 8192 : i64, aStageBytes = 0 : i64, bOffset = 0 : i64, bStageBytes = 4096 : i64, bKMajor = true, sharedBytes = 12288 : i64} : tensor<64x64xi32, #mma>
    return %r : tensor<64x64xi32, #mma>
  }
}

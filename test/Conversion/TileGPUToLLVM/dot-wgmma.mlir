// RUN: tessel-opt %s --convert-tilegpu-to-llvm | FileCheck %s

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
  // A: (1 << 62) | (64 << 32) | (1 << 16); B: (1 << 62) | (64 << 32) | (512 << 16).
  // CHECK: llvm.mlir.constant(4611686293305360384 : i64) : i64
  // CHECK: llvm.mlir.constant(4611686293338849280 : i64) : i64
  // CHECK-COUNT-4: "{ .reg .pred p; setp.ne.b32 p, 1, 0; wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 {$0, {{.*}}, $31}, $32, $33, p, 1, 1, 0, 1; }"
  // CHECK: "wgmma.commit_group.sync.aligned;"
  // CHECK: "wgmma.wait_group.sync.aligned 0;", "=f,{{.*}}" {{.*}} -> !llvm.struct<(f32
  func.func @wgmma(%a: tensor<128x64xf16, #blocked>, %b: tensor<64x64xf16, #blocked>, %c: tensor<128x64xf32, #mma>) -> tensor<128x64xf32, #mma> {
    %r = tile.dot %a, %b, %c : tensor<128x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<128x64xf32, #mma>
    return %r : tensor<128x64xf32, #mma>
  }
}

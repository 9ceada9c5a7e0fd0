// RUN: tessel-opt %s -split-input-file --convert-tilegpu-to-llvm | FileCheck %s

// A 2-D conversion whose rows are whole 16-byte chunks moves runs of
// consecutive row elements as vectors: a wgmma accumulator (f16 pairs) to
// the blocked layout of coalesced stores (8 f16 = 16 bytes per thread) goes
// through shared memory as 4-byte stores and 16-byte loads, between two
// barriers. Rows of 128 bytes: chunk index XOR (row mod 8), so the 8 rows a
// fragment writes at one column hit different banks.
// CHECK-LABEL: func.func @epilogue
// CHECK: nvvm.barrier0
// CHECK: %[[SEVEN:.*]] = llvm.mlir.constant(7 : i32)
// CHECK: llvm.and %{{.*}}, %[[SEVEN]]
// CHECK: llvm.shl
// CHECK: llvm.xor
// CHECK-COUNT-16: llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : vector<2xf16>, !llvm.ptr<3>
// CHECK: nvvm.barrier0
// CHECK-COUNT-4: llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<3> -> vector<8xf16>
// CHECK-NOT: llvm.load
// CHECK: return
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @epilogue(%acc: tensor<64x64xf16, #mma>) -> tensor<64x64xf16, #blocked> {
    %r = tilegpu.convert_layout %acc : tensor<64x64xf16, #mma> -> tensor<64x64xf16, #blocked>
    return %r : tensor<64x64xf16, #blocked>
  }
}

// -----

// Rows shorter than 128 bytes (16 f16 = 32 bytes): the chunk index is XORed
// with the 128-byte line's index mod 8 instead; f32 runs of 4 (16 bytes).
// CHECK-LABEL: func.func @short_rows
// CHECK: llvm.lshr %{{.*}}, %{{.*}} : i32
// CHECK: llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<4xf32>, !llvm.ptr<3>
// CHECK: nvvm.barrier0
// CHECK: llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr<3> -> f32
#row = #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]}>
#col = #tilegpu.blocked<{sizePerThread = [4, 1], threadsPerWarp = [8, 4], warpsPerCTA = [1, 4], order = [0, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @short_rows(%x: tensor<32x16xf32, #row>) -> tensor<32x16xf32, #col> {
    %r = tilegpu.convert_layout %x : tensor<32x16xf32, #row> -> tensor<32x16xf32, #col>
    return %r : tensor<32x16xf32, #col>
  }
}

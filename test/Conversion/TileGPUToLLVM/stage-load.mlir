// RUN: tessel-opt %s -split-input-file --convert-tilegpu-to-llvm | FileCheck %s

// tilegpu.stage_load reads a ring stage's swizzled tile (async_copy's
// layout) at stage * stageBytes + offset of the kernel's shared memory.
// mma.sync operands: one ldmatrix.x4 per 8 registers (64 per thread here;
// B, K x N: .trans);
// other layouts: one load per 16-byte run. The module's shared memory is the
// ring's: numStages * stageBytes.
#blk = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 2, warpsPerCTA = [2, 2]}>
#opA = #tilegpu.dot_operand<{opIdx = 0, parent = #mma, kWidth = 2}>
#opB = #tilegpu.dot_operand<{opIdx = 1, parent = #mma, kWidth = 2}>
// CHECK: module attributes {{.*}}tilegpu.shared = 49152 : i32
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_80", tilegpu.threads_per_warp = 32 : i32} {
  // CHECK-LABEL: func.func @operand_a
  // CHECK: %[[BYTES:.*]] = llvm.mul %{{.*}}, %{{.*}} : i32
  // CHECK: llvm.add %[[BYTES]], %{{.*}} : i32
  // CHECK-NOT: nvvm.barrier0
  // CHECK-COUNT-8: "ldmatrix.sync.aligned.m8n8.x4.shared.b16 {$0, $1, $2, $3}, [$4];", "=r,=r,=r,=r,r"
  // CHECK-NOT: ldmatrix
  // CHECK: return
  func.func @operand_a(%s: i32) -> tensor<128x32xf16, #opA> {
    %r = tilegpu.stage_load stage %s {numStages = 3 : i32, offset = 0 : i64, stageBytes = 16384 : i64} : tensor<128x32xf16, #opA>
    return %r : tensor<128x32xf16, #opA>
  }
  // CHECK-LABEL: func.func @operand_b
  // CHECK-COUNT-8: "ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {$0, $1, $2, $3}, [$4];"
  // CHECK-NOT: ldmatrix
  // CHECK: return
  func.func @operand_b(%s: i32) -> tensor<32x128xf16, #opB> {
    %r = tilegpu.stage_load stage %s {numStages = 3 : i32, offset = 8192 : i64, stageBytes = 16384 : i64} : tensor<32x128xf16, #opB>
    return %r : tensor<32x128xf16, #opB>
  }
  // transposed: the stage holds the 128 x 32 (N x K) tile; its K-contiguous
  // rows give the B fragments with the plain ldmatrix.
  // CHECK-LABEL: func.func @operand_b_transposed
  // CHECK-COUNT-8: "ldmatrix.sync.aligned.m8n8.x4.shared.b16 {$0, $1, $2, $3}, [$4];"
  // CHECK-NOT: ldmatrix
  // CHECK: return
  func.func @operand_b_transposed(%s: i32) -> tensor<32x128xf16, #opB> {
    %r = tilegpu.stage_load stage %s {numStages = 3 : i32, offset = 8192 : i64, stageBytes = 16384 : i64, transposed} : tensor<32x128xf16, #opB>
    return %r : tensor<32x128xf16, #opB>
  }
  // A blocked tile: 16-byte vector loads from shared memory (address space 3).
  // CHECK-LABEL: func.func @blocked
  // CHECK-NOT: ldmatrix
  // CHECK: llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<3> -> vector<8xf16>
  // CHECK: llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<3> -> vector<8xf16>
  // CHECK-NOT: llvm.load
  // CHECK: return
  func.func @blocked(%s: i32) -> tensor<32x64xf16, #blk> {
    %r = tilegpu.stage_load stage %s {numStages = 3 : i32, offset = 8192 : i64, stageBytes = 16384 : i64} : tensor<32x64xf16, #blk>
    return %r : tensor<32x64xf16, #blk>
  }
}

// RUN: tessel-opt %s -split-input-file --convert-tilegpu-to-llvm | FileCheck %s

// mma.sync operands leave the swizzled shared tile through ldmatrix.x4: A
// (the plain form: lane L gets row L/4, column pair 2 (L%4) of each 8x8
// matrix) and a K x N B (.trans), one instruction per 8 registers.
#blk = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 2, warpsPerCTA = [2, 2]}>
#opA = #tilegpu.dot_operand<{opIdx = 0, parent = #mma, kWidth = 2}>
#opB = #tilegpu.dot_operand<{opIdx = 1, parent = #mma, kWidth = 2}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_80", tilegpu.threads_per_warp = 32 : i32} {
  // CHECK-LABEL: func.func @operand_a
  // CHECK: nvvm.barrier0
  // CHECK-COUNT-8: "ldmatrix.sync.aligned.m8n8.x4.shared.b16 {$0, $1, $2, $3}, [$4];", "=r,=r,=r,=r,r"
  // CHECK-NOT: ldmatrix
  // CHECK: return
  func.func @operand_a(%a: tensor<128x32xf16, #blk>) -> tensor<128x32xf16, #opA> {
    %r = tilegpu.convert_layout %a : tensor<128x32xf16, #blk> -> tensor<128x32xf16, #opA>
    return %r : tensor<128x32xf16, #opA>
  }
  // CHECK-LABEL: func.func @operand_b
  // CHECK-COUNT-4: "ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {$0, $1, $2, $3}, [$4];"
  // CHECK-NOT: ldmatrix
  func.func @operand_b(%b: tensor<32x64xbf16, #blk>) -> tensor<32x64xbf16, #opB> {
    %r = tilegpu.convert_layout %b : tensor<32x64xbf16, #blk> -> tensor<32x64xbf16, #opB>
    return %r : tensor<32x64xbf16, #opB>
  }
  // 32-bit elements (tf32 operands) read as before.
  // CHECK-LABEL: func.func @operand_f32
  // CHECK-NOT: ldmatrix
  // CHECK: return
  func.func @operand_f32(%a: tensor<64x32xf32, #blk>) -> tensor<64x32xf32, #tilegpu.dot_operand<{opIdx = 0, parent = #mma, kWidth = 1}>> {
    %r = tilegpu.convert_layout %a : tensor<64x32xf32, #blk> -> tensor<64x32xf32, #tilegpu.dot_operand<{opIdx = 0, parent = #mma, kWidth = 1}>>
    return %r : tensor<64x32xf32, #tilegpu.dot_operand<{opIdx = 0, parent = #mma, kWidth = 1}>>
  }
}

// -----

// Before sm_75 there is no ldmatrix, even for a layout shaped like its result.
#blk = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#pairs = #tilegpu.blocked<{sizePerThread = [1, 2], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_70", tilegpu.threads_per_warp = 32 : i32} {
  // CHECK-LABEL: func.func @sm70
  // CHECK-NOT: ldmatrix
  // CHECK: return
  func.func @sm70(%a: tensor<64x64xf16, #blk>) -> tensor<64x64xf16, #pairs> {
    %r = tilegpu.convert_layout %a : tensor<64x64xf16, #blk> -> tensor<64x64xf16, #pairs>
    return %r : tensor<64x64xf16, #pairs>
  }
}

// RUN: tessel-opt %s -split-input-file --convert-tilegpu-to-llvm | FileCheck %s

// A dot with an mma accumulator is one mma.sync per (M tile, N tile, K step)
// of the warp, operands packed into 32-bit registers, accumulators tied to
// the outputs; no shared memory.

#mma = #tilegpu.mma<{version = 2, warpsPerCTA = [2, 2]}>
#opA = #tilegpu.dot_operand<{opIdx = 0, parent = #mma, kWidth = 2}>
#opB = #tilegpu.dot_operand<{opIdx = 1, parent = #mma, kWidth = 2}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  // 64x32 over 2x2 warps: 2 M tiles x 2 N tiles per warp, K = 32: 2 steps.
  // CHECK-NOT: llvm.mlir.global
  // CHECK-LABEL: func.func @f16_f32
  // CHECK-COUNT-8: llvm.inline_asm asm_dialect = att "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {$0, $1, $2, $3}, {$4, $5, $6, $7}, {$8, $9}, {$10, $11, $12, $13};", "=f,=f,=f,=f,r,r,r,r,r,r,0,1,2,3" {{.*}} : (i32, i32, i32, i32, i32, i32, f32, f32, f32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
  // CHECK-NOT: mma.sync
  // CHECK: return
  func.func @f16_f32(%a: tensor<64x32xf16, #opA>, %b: tensor<32x32xf16, #opB>, %c: tensor<64x32xf32, #mma>) -> tensor<64x32xf32, #mma> {
    %r = tile.dot %a, %b, %c : tensor<64x32xf16, #opA>, tensor<32x32xf16, #opB> -> tensor<64x32xf32, #mma>
    return %r : tensor<64x32xf32, #mma>
  }
  // f16 accumulators travel as f16x2 registers.
  // CHECK-LABEL: func.func @f16_f16
  // CHECK: llvm.inline_asm asm_dialect = att "mma.sync.aligned.m16n8k16.row.col.f16.f16.f16.f16 {$0, $1}, {$2, $3, $4, $5}, {$6, $7}, {$8, $9};", "=r,=r,r,r,r,r,r,r,0,1"
  func.func @f16_f16(%a: tensor<64x32xf16, #opA>, %b: tensor<32x32xf16, #opB>, %c: tensor<64x32xf16, #mma>) -> tensor<64x32xf16, #mma> {
    %r = tile.dot %a, %b, %c : tensor<64x32xf16, #opA>, tensor<32x32xf16, #opB> -> tensor<64x32xf16, #mma>
    return %r : tensor<64x32xf16, #mma>
  }
}

// -----

#mma = #tilegpu.mma<{version = 2, warpsPerCTA = [1, 1]}>
#opA1 = #tilegpu.dot_operand<{opIdx = 0, parent = #mma, kWidth = 1}>
#opB1 = #tilegpu.dot_operand<{opIdx = 1, parent = #mma, kWidth = 1}>
#opA4 = #tilegpu.dot_operand<{opIdx = 0, parent = #mma, kWidth = 4}>
#opB4 = #tilegpu.dot_operand<{opIdx = 1, parent = #mma, kWidth = 4}>
module attributes {tilegpu.num_warps = 1 : i32, tilegpu.target = "nvidia:sm_80", tilegpu.threads_per_warp = 32 : i32} {
  // tf32: m16n8k8 on f32 bits; one tile, K = 16: two steps.
  // CHECK-LABEL: func.func @tf32
  // CHECK: llvm.bitcast %{{.*}} : f32 to i32
  // CHECK-COUNT-2: mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32
  func.func @tf32(%a: tensor<16x16xf32, #opA1>, %b: tensor<16x8xf32, #opB1>, %c: tensor<16x8xf32, #mma>) -> tensor<16x8xf32, #mma> {
    %r = tile.dot %a, %b, %c {input_precision = 1 : i32} : tensor<16x16xf32, #opA1>, tensor<16x8xf32, #opB1> -> tensor<16x8xf32, #mma>
    return %r : tensor<16x8xf32, #mma>
  }
  // int8: m16n8k32, four i8 per register, i32 accumulators.
  // CHECK-LABEL: func.func @int8
  // CHECK: llvm.bitcast %{{.*}} : vector<4xi8> to i32
  // CHECK: mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 {{.*}}"=r,=r,=r,=r,r,r,r,r,r,r,0,1,2,3"
  func.func @int8(%a: tensor<16x32xi8, #opA4>, %b: tensor<32x8xi8, #opB4>, %c: tensor<16x8xi32, #mma>) -> tensor<16x8xi32, #mma> {
    %r = tile.dot %a, %b, %c : tensor<16x32xi8, #opA4>, tensor<32x8xi8, #opB4> -> tensor<16x8xi32, #mma>
    return %r : tensor<16x8xi32, #mma>
  }
}

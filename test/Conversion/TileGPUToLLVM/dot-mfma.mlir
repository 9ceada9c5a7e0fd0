// RUN: tessel-opt %s -split-input-file --convert-tilegpu-to-llvm | FileCheck %s

// A dot with an mfma accumulator is one MFMA per (M tile, N tile, K step)
// of the wave: kWidth elements per lane packed into the operand type the
// intrinsic takes, the accumulator's elements as one vector; no shared
// memory.

#mfma = #tilegpu.mfma<{nonKDim = 32, warpsPerCTA = [2, 2]}>
#opA = #tilegpu.dot_operand<{opIdx = 0, parent = #mfma, kWidth = 4}>
#opB = #tilegpu.dot_operand<{opIdx = 1, parent = #mfma, kWidth = 4}>
#opA8 = #tilegpu.dot_operand<{opIdx = 0, parent = #mfma, kWidth = 8}>
#opB8 = #tilegpu.dot_operand<{opIdx = 1, parent = #mfma, kWidth = 8}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "amd:gfx942", tilegpu.threads_per_warp = 64 : i32} {
  // 128x64 over 2x2 waves: 2 M tiles x 1 N tile per wave, K = 32: 4 steps.
  // CHECK-NOT: llvm.mlir.global
  // CHECK-LABEL: func.func @f16_f32
  // CHECK-COUNT-8: rocdl.mfma.f32.32x32x8f16 %{{.*}}, %{{.*}}, %{{.*}}, %[[Z:.*]], %[[Z]], %[[Z]] : (vector<4xf16>, vector<4xf16>, vector<16xf32>, i32, i32, i32) -> vector<16xf32>
  // CHECK-NOT: rocdl.mfma
  // CHECK: return
  func.func @f16_f32(%a: tensor<128x32xf16, #opA>, %b: tensor<32x64xf16, #opB>, %c: tensor<128x64xf32, #mfma>) -> tensor<128x64xf32, #mfma> {
    %r = tile.dot %a, %b, %c : tensor<128x32xf16, #opA>, tensor<32x64xf16, #opB> -> tensor<128x64xf32, #mfma>
    return %r : tensor<128x64xf32, #mfma>
  }
  // bf16 travels as i16 bits (the "_1k" forms).
  // CHECK-LABEL: func.func @bf16
  // CHECK: llvm.bitcast %{{.*}} : vector<4xbf16> to vector<4xi16>
  // CHECK: rocdl.mfma.f32.32x32x8bf16.1k {{.*}} : (vector<4xi16>, vector<4xi16>, vector<16xf32>, i32, i32, i32) -> vector<16xf32>
  func.func @bf16(%a: tensor<128x32xbf16, #opA>, %b: tensor<32x64xbf16, #opB>, %c: tensor<128x64xf32, #mfma>) -> tensor<128x64xf32, #mfma> {
    %r = tile.dot %a, %b, %c : tensor<128x32xbf16, #opA>, tensor<32x64xbf16, #opB> -> tensor<128x64xf32, #mfma>
    return %r : tensor<128x64xf32, #mfma>
  }
  // i8 on gfx942: eight per lane as an i64, K = 16 per instruction.
  // CHECK-LABEL: func.func @int8
  // CHECK: llvm.bitcast %{{.*}} : vector<8xi8> to i64
  // CHECK-COUNT-4: rocdl.mfma.i32.32x32x16.i8 {{.*}} : (i64, i64, vector<16xi32>, i32, i32, i32) -> vector<16xi32>
  // CHECK-NOT: rocdl.mfma
  func.func @int8(%a: tensor<128x32xi8, #opA8>, %b: tensor<32x64xi8, #opB8>, %c: tensor<128x64xi32, #mfma>) -> tensor<128x64xi32, #mfma> {
    %r = tile.dot %a, %b, %c : tensor<128x32xi8, #opA8>, tensor<32x64xi8, #opB8> -> tensor<128x64xi32, #mfma>
    return %r : tensor<128x64xi32, #mfma>
  }
}

// -----

#mfma = #tilegpu.mfma<{nonKDim = 16, warpsPerCTA = [1, 4]}>
#opA = #tilegpu.dot_operand<{opIdx = 0, parent = #mfma, kWidth = 4}>
#opB = #tilegpu.dot_operand<{opIdx = 1, parent = #mfma, kWidth = 4}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "amd:gfx90a", tilegpu.threads_per_warp = 64 : i32} {
  // 16x16 instructions: 4 accumulators per lane, K = 16 per step.
  // CHECK-LABEL: func.func @f16_16x16
  // CHECK-COUNT-2: rocdl.mfma.f32.16x16x16f16 {{.*}} : (vector<4xf16>, vector<4xf16>, vector<4xf32>, i32, i32, i32) -> vector<4xf32>
  func.func @f16_16x16(%a: tensor<16x32xf16, #opA>, %b: tensor<32x64xf16, #opB>, %c: tensor<16x64xf32, #mfma>) -> tensor<16x64xf32, #mfma> {
    %r = tile.dot %a, %b, %c : tensor<16x32xf16, #opA>, tensor<32x64xf16, #opB> -> tensor<16x64xf32, #mfma>
    return %r : tensor<16x64xf32, #mfma>
  }
  // f32: one element per lane, K = 4 per 16x16 step.
  // CHECK-LABEL: func.func @f32_16x16
  // CHECK-COUNT-2: rocdl.mfma.f32.16x16x4f32 {{.*}} : (f32, f32, vector<4xf32>, i32, i32, i32) -> vector<4xf32>
  // CHECK-NOT: rocdl.mfma
  func.func @f32_16x16(%a: tensor<16x8xf32, #tilegpu.dot_operand<{opIdx = 0, parent = #mfma, kWidth = 1}>>,
                       %b: tensor<8x64xf32, #tilegpu.dot_operand<{opIdx = 1, parent = #mfma, kWidth = 1}>>,
                       %c: tensor<16x64xf32, #mfma>) -> tensor<16x64xf32, #mfma> {
    %r = tile.dot %a, %b, %c : tensor<16x8xf32, #tilegpu.dot_operand<{opIdx = 0, parent = #mfma, kWidth = 1}>>, tensor<8x64xf32, #tilegpu.dot_operand<{opIdx = 1, parent = #mfma, kWidth = 1}>> -> tensor<16x64xf32, #mfma>
    return %r : tensor<16x64xf32, #mfma>
  }
  // i8 on gfx90a: four per lane as an i32.
  // CHECK-LABEL: func.func @int8_gfx90a
  // CHECK: llvm.bitcast %{{.*}} : vector<4xi8> to i32
  // CHECK: rocdl.mfma.i32.16x16x16i8 {{.*}} : (i32, i32, vector<4xi32>, i32, i32, i32) -> vector<4xi32>
  func.func @int8_gfx90a(%a: tensor<16x32xi8, #opA>, %b: tensor<32x64xi8, #opB>, %c: tensor<16x64xi32, #mfma>) -> tensor<16x64xi32, #mfma> {
    %r = tile.dot %a, %b, %c : tensor<16x32xi8, #opA>, tensor<32x64xi8, #opB> -> tensor<16x64xi32, #mfma>
    return %r : tensor<16x64xi32, #mfma>
  }
}

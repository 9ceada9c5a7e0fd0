// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=amd:gfx942 num-warps=4" | FileCheck %s --check-prefix=GFX942
// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=amd:gfx90a num-warps=4" | FileCheck %s --check-prefix=GFX90A

// On CDNA GPUs (gfx90a, gfx942) a 2-D dot of f16/bf16/f32 into f32 or i8
// into i32 gets MFMA layouts: the accumulator an mfma layout (32x32 instructions
// where M, N and K allow, else 16x16; waves spread over the dimension with
// more tiles left), the operands its dot_operand layouts with kWidth elements per
// lane (4 for 16-bit; 8-bit: 8 on gfx942, 4 on gfx90a; 1 for f32); conversions before
// the dot and back to the blocked layout after it.

// GFX942-LABEL: func.func @f16
// GFX942: %[[A:.*]] = tilegpu.convert_layout %arg0 {{.*}} -> tensor<64x32xf16, #tilegpu.dot_operand<{opIdx = 0, parent = #tilegpu.mfma<{nonKDim = 32, warpsPerCTA = [2, 2]}>, kWidth = 4}>>
// GFX942: %[[B:.*]] = tilegpu.convert_layout %arg1 {{.*}} -> tensor<32x128xf16, #tilegpu.dot_operand<{opIdx = 1, parent = #tilegpu.mfma<{nonKDim = 32, warpsPerCTA = [2, 2]}>, kWidth = 4}>>
// GFX942: %[[C:.*]] = tilegpu.convert_layout %arg2 {{.*}} -> tensor<64x128xf32, #tilegpu.mfma<{nonKDim = 32, warpsPerCTA = [2, 2]}>>
// GFX942: %[[D:.*]] = tile.dot %[[A]], %[[B]], %[[C]]
// GFX942: %[[R:.*]] = tilegpu.convert_layout %[[D]] : tensor<64x128xf32, #tilegpu.mfma<{{.*}}>> -> tensor<64x128xf32, #tilegpu.blocked
// GFX942: return %[[R]]
// GFX90A-LABEL: func.func @f16
// GFX90A: #tilegpu.mfma<{nonKDim = 32, warpsPerCTA = [2, 2]}>
func.func @f16(%a: tensor<64x32xf16>, %b: tensor<32x128xf16>, %c: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %r = tile.dot %a, %b, %c : tensor<64x32xf16>, tensor<32x128xf16> -> tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}

// -----

// 16 rows: 16x16 instructions. bf16 as f16.
// GFX942-LABEL: func.func @narrow_bf16
// GFX942: tile.dot {{.*}} : tensor<16x32xbf16, #tilegpu.dot_operand<{opIdx = 0, parent = #tilegpu.mfma<{nonKDim = 16, warpsPerCTA = [1, 4]}>, kWidth = 4}>>
func.func @narrow_bf16(%a: tensor<16x32xbf16>, %b: tensor<32x64xbf16>, %c: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %r = tile.dot %a, %b, %c : tensor<16x32xbf16>, tensor<32x64xbf16> -> tensor<16x64xf32>
  return %r : tensor<16x64xf32>
}

// -----

// i8 into i32: 64-bit operands (kWidth 8, K = 16 per 32x32 instruction) on
// gfx942, 32-bit ones (kWidth 4, K = 8) on gfx90a. K = 16 on gfx942 fits
// the 32x32 form only.
// GFX942-LABEL: func.func @int8
// GFX942: tile.dot {{.*}} : tensor<128x64xi8, #tilegpu.dot_operand<{opIdx = 0, parent = #tilegpu.mfma<{nonKDim = 32, warpsPerCTA = [4, 1]}>, kWidth = 8}>>
// GFX942: tile.dot {{.*}} : tensor<128x16xi8, #tilegpu.dot_operand<{opIdx = 0, parent = #tilegpu.mfma<{nonKDim = 32, warpsPerCTA = [4, 1]}>, kWidth = 8}>>
// GFX90A-LABEL: func.func @int8
// GFX90A: tile.dot {{.*}} : tensor<128x64xi8, #tilegpu.dot_operand<{opIdx = 0, parent = #tilegpu.mfma<{nonKDim = 32, warpsPerCTA = [4, 1]}>, kWidth = 4}>>
func.func @int8(%a: tensor<128x64xi8>, %b: tensor<64x64xi8>, %c: tensor<128x64xi32>,
                %a16: tensor<128x16xi8>, %b16: tensor<16x64xi8>) {
  %r = tile.dot %a, %b, %c : tensor<128x64xi8>, tensor<64x64xi8> -> tensor<128x64xi32>
  %s = tile.dot %a16, %b16, %c : tensor<128x16xi8>, tensor<16x64xi8> -> tensor<128x64xi32>
  return
}

// -----

// float8 codes are widened to f16 first (gfx942's own float8 formats are
// not e4m3fn/e5m2), then take the f16 instruction. f32 takes the f32
// instruction (one element per lane, K = 2 per 32x32 step). f64 inputs, f16
// accumulators and 3-D dots keep the portable dot.
// GFX942-LABEL: func.func @others
// GFX942: tile.dot {{.*}} : tensor<64x32xf16, #tilegpu.dot_operand<{opIdx = 0, parent = #tilegpu.mfma
// GFX942-NOT: a_float8
// GFX942: tile.dot {{.*}} : tensor<64x32xf32, #tilegpu.dot_operand<{opIdx = 0, parent = #tilegpu.mfma<{nonKDim = 32, warpsPerCTA = [2, 2]}>, kWidth = 1}>>
// GFX942: tile.dot {{.*}} : tensor<64x32xf64, #tilegpu.blocked
// GFX942: tile.dot {{.*}} : tensor<64x32xf16, #tilegpu.blocked{{.*}} -> tensor<64x64xf16, #tilegpu.blocked
// GFX942: tile.dot {{.*}} : tensor<2x32x32xf16, #tilegpu.blocked
func.func @others(%a8: tensor<64x32xi8>, %b8: tensor<32x64xi8>, %c: tensor<64x64xf32>,
                  %a: tensor<64x32xf32>, %b: tensor<32x64xf32>,
                  %x: tensor<64x32xf64>, %y: tensor<32x64xf64>, %z: tensor<64x64xf64>,
                  %h: tensor<64x32xf16>, %g: tensor<32x64xf16>, %hc: tensor<64x64xf16>,
                  %ba: tensor<2x32x32xf16>, %bb: tensor<2x32x32xf16>, %bc: tensor<2x32x32xf32>) {
  %r = tile.dot %a8, %b8, %c {a_float8 = 1 : i32, b_float8 = 1 : i32} : tensor<64x32xi8>, tensor<32x64xi8> -> tensor<64x64xf32>
  %s = tile.dot %a, %b, %c : tensor<64x32xf32>, tensor<32x64xf32> -> tensor<64x64xf32>
  %t = tile.dot %x, %y, %z : tensor<64x32xf64>, tensor<32x64xf64> -> tensor<64x64xf64>
  %u = tile.dot %h, %g, %hc : tensor<64x32xf16>, tensor<32x64xf16> -> tensor<64x64xf16>
  %v = tile.dot %ba, %bb, %bc : tensor<2x32x32xf16>, tensor<2x32x32xf16> -> tensor<2x32x32xf32>
  return
}

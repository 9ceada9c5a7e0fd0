// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=8" | FileCheck %s --check-prefix=SM90
// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=nvidia:sm_80 num-warps=4" | FileCheck %s --check-prefix=SM80
// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=nvidia:sm_75 num-warps=4" | FileCheck %s --check-prefix=PORTABLE
// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=cpu" | FileCheck %s --check-prefix=PORTABLE

// On sm_80 and later a 2-D dot of f16/bf16, tf32 f32, or i8 gets tensor-core
// layouts: the accumulator an mma layout (warps spread over the dimension
// with more 16x8 tiles), the operands its dot_operand layouts with kWidth
// elements per 32-bit register; conversions go before the dot and back to
// the blocked layout after it. Other targets keep the portable dot.

// SM90-LABEL: func.func @f16
// (64 rows are not whole warpgroups of 8 warps: mma.sync.)
// SM90: %[[A:.*]] = tilegpu.convert_layout %arg0 {{.*}} -> tensor<64x32xf16, #tilegpu.dot_operand<{opIdx = 0, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [2, 4]}>, kWidth = 2}>>
// SM90: %[[B:.*]] = tilegpu.convert_layout %arg1 {{.*}} -> tensor<32x128xf16, #tilegpu.dot_operand<{opIdx = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [2, 4]}>, kWidth = 2}>>
// SM90: %[[C:.*]] = tilegpu.convert_layout %arg2 {{.*}} -> tensor<64x128xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [2, 4]}>>
// SM90: %[[D:.*]] = tile.dot %[[A]], %[[B]], %[[C]]
// SM90: %[[R:.*]] = tilegpu.convert_layout %[[D]] : tensor<64x128xf32, #tilegpu.mma<{{.*}}>> -> tensor<64x128xf32, #tilegpu.blocked
// SM90: return %[[R]]
// SM80-LABEL: func.func @f16
// SM80: #tilegpu.mma<{version = 2, warpsPerCTA = [2, 2]}>
// PORTABLE-LABEL: func.func @f16
// PORTABLE-NOT: mma
func.func @f16(%a: tensor<64x32xf16>, %b: tensor<32x128xf16>, %c: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %r = tile.dot %a, %b, %c : tensor<64x32xf16>, tensor<32x128xf16> -> tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}

// -----

// SM90-LABEL: func.func @tf32_and_ieee
// SM90: tile.dot {{.*}} {input_precision = 1 : i32} : tensor<64x32xf32, #tilegpu.dot_operand<{opIdx = 0, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [2, 4]}>, kWidth = 1}>>
// SM90: tile.dot {{.*}} : tensor<64x32xf32, #tilegpu.blocked
func.func @tf32_and_ieee(%a: tensor<64x32xf32>, %b: tensor<32x64xf32>, %c: tensor<64x64xf32>) -> (tensor<64x64xf32>, tensor<64x64xf32>) {
  %r = tile.dot %a, %b, %c {input_precision = 1 : i32} : tensor<64x32xf32>, tensor<32x64xf32> -> tensor<64x64xf32>
  %s = tile.dot %a, %b, %c : tensor<64x32xf32>, tensor<32x64xf32> -> tensor<64x64xf32>
  return %r, %s : tensor<64x64xf32>, tensor<64x64xf32>
}

// -----

// i8 takes m16n8k32: K = 16 stays portable. f64 has no mma.sync here.
// SM90-LABEL: func.func @int8_and_f64
// SM90: tile.dot {{.*}} : tensor<32x64xi8, #tilegpu.dot_operand<{opIdx = 0, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [2, 4]}>, kWidth = 4}>>
// SM90: tile.dot {{.*}} : tensor<32x16xi8, #tilegpu.blocked
// SM90: tile.dot {{.*}} : tensor<32x16xf64, #tilegpu.blocked
func.func @int8_and_f64(%a: tensor<32x64xi8>, %b: tensor<64x64xi8>, %c: tensor<32x64xi32>,
                        %a16: tensor<32x16xi8>, %b16: tensor<16x64xi8>,
                        %x: tensor<32x16xf64>, %y: tensor<16x64xf64>, %z: tensor<32x64xf64>) {
  %r = tile.dot %a, %b, %c : tensor<32x64xi8>, tensor<64x64xi8> -> tensor<32x64xi32>
  %s = tile.dot %a16, %b16, %c : tensor<32x16xi8>, tensor<16x64xi8> -> tensor<32x64xi32>
  %t = tile.dot %x, %y, %z : tensor<32x16xf64>, tensor<16x64xf64> -> tensor<32x64xf64>
  return
}

// -----

// On sm_90a a dot of whole warpgroups (M a multiple of 16 x warps, K and N
// multiples of 16, N <= 256, f16/bf16 into f32) takes wgmma: only the accumulator changes
// layout (all warps along M); the operands stay blocked, the dot stores them
// into shared memory itself. sm_80 keeps mma.sync.
// SM90-LABEL: func.func @warpgroup
// SM90-NOT: dot_operand
// SM90: %[[C:.*]] = tilegpu.convert_layout %arg2 {{.*}} -> tensor<128x128xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
// SM90: tile.dot %arg0, %arg1, %[[C]] : tensor<128x64xbf16, #tilegpu.blocked{{.*}}>>, tensor<64x128xbf16, #tilegpu.blocked{{.*}}>> -> tensor<128x128xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
// SM80-LABEL: func.func @warpgroup
// SM80: #tilegpu.mma<{version = 2
func.func @warpgroup(%a: tensor<128x64xbf16>, %b: tensor<64x128xbf16>, %c: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %r = tile.dot %a, %b, %c : tensor<128x64xbf16>, tensor<64x128xbf16> -> tensor<128x128xf32>
  return %r : tensor<128x128xf32>
}

// -----

// K and N need only be multiples of 16 (rows of a 32-, 64- or 128-byte
// swizzle).
// SM90-LABEL: func.func @narrow
// SM90: tile.dot {{.*}} : tensor<128x32xf16, #tilegpu.blocked{{.*}}>>, tensor<32x64xf16, #tilegpu.blocked{{.*}}>> -> tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
// SM90: tile.dot {{.*}} : tensor<128x16xf16, #tilegpu.blocked{{.*}}>>, tensor<16x16xf16, #tilegpu.blocked{{.*}}>> -> tensor<128x16xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
func.func @narrow(%a32: tensor<128x32xf16>, %b32: tensor<32x64xf16>, %c64: tensor<128x64xf32>,
                  %a16: tensor<128x16xf16>, %b16: tensor<16x16xf16>, %c16: tensor<128x16xf32>) {
  %r = tile.dot %a32, %b32, %c64 : tensor<128x32xf16>, tensor<32x64xf16> -> tensor<128x64xf32>
  %s = tile.dot %a16, %b16, %c16 : tensor<128x16xf16>, tensor<16x16xf16> -> tensor<128x16xf32>
  return
}

// -----

// i8 into i32 takes wgmma (k32) when B is the transpose of a K-contiguous
// tile (tl.trans of an N x K load: wgmma reads 8-bit B K-major only) and K
// is at least 32 bytes; an i8 B as loaded (N contiguous) stays on mma.sync;
// K = 16 (16 bytes) has neither (the portable dot).
// SM90-LABEL: func.func @int8
// SM90: tile.dot {{.*}} -> tensor<128x64xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
// SM90: tile.dot {{.*}} -> tensor<128x64xi32, #tilegpu.mma<{version = 2
// SM90: tile.dot %arg4, {{.*}} -> tensor<128x64xi32, #tilegpu.blocked
// SM80-LABEL: func.func @int8
// SM80-NOT: version = 3
func.func @int8(%a: tensor<128x64xi8>, %bt: tensor<64x64xi8>, %b: tensor<64x64xi8>, %c: tensor<128x64xi32>,
                %a16: tensor<128x16xi8>, %bt16: tensor<64x16xi8>) {
  %t = tile.trans %bt, [1, 0] : tensor<64x64xi8> -> tensor<64x64xi8>
  %r = tile.dot %a, %t, %c : tensor<128x64xi8>, tensor<64x64xi8> -> tensor<128x64xi32>
  %s = tile.dot %a, %b, %c : tensor<128x64xi8>, tensor<64x64xi8> -> tensor<128x64xi32>
  %t16 = tile.trans %bt16, [1, 0] : tensor<64x16xi8> -> tensor<16x64xi8>
  %u = tile.dot %a16, %t16, %c : tensor<128x16xi8>, tensor<16x64xi8> -> tensor<128x64xi32>
  return
}

// -----

// float8 codes (i8 with a_float8 / b_float8) into f32: with a K-major B
// (the transpose of an N x K tile) they go to wgmma as they are (formats
// kept, f32 accumulator in the wgmma layout). A B as loaded, or a bound on
// the imprecise accumulation (max_num_imprecise_acc), widens both to f16
// first (then f16 wgmma: B MN-major is fine for 16-bit): e5m2 is the high byte of an f16 (zext, shift by 8, bitcast); e4m3
// shifted by 7 into f16's places, times 256, NaN for S.1111.111.
// SM90-LABEL: func.func @float8
// SM90: tile.dot {{.*}} {a_float8 = 1 : i32, b_float8 = 2 : i32} : tensor<128x64xi8, {{.*}} -> tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
// SM90: arith.extui {{.*}} to tensor<128x64xi16
// SM90: arith.shli
// SM90: arith.mulf
// SM90: arith.select
// SM90: arith.extui {{.*}} to tensor<64x64xi16
// SM90: %[[B16:.*]] = arith.bitcast {{.*}} : tensor<64x64xi16, {{.*}} to tensor<64x64xf16
// SM90-NOT: a_float8
// SM90: tile.dot {{.*}} : tensor<128x64xf16, {{.*}} -> tensor<128x64xf32, #tilegpu.mma<{version = 3
// SM90: tile.dot {{.*}} {max_num_imprecise_acc = 32 : i32} : tensor<128x64xf16, {{.*}} -> tensor<128x64xf32, #tilegpu.mma<{version = 3
// SM80-LABEL: func.func @float8
// SM80-NOT: a_float8
// SM80: return
func.func @float8(%a: tensor<128x64xi8>, %bt: tensor<64x64xi8>, %b: tensor<64x64xi8>, %c: tensor<128x64xf32>) {
  %t = tile.trans %bt, [1, 0] : tensor<64x64xi8> -> tensor<64x64xi8>
  %r = tile.dot %a, %t, %c {a_float8 = 1 : i32, b_float8 = 2 : i32} : tensor<128x64xi8>, tensor<64x64xi8> -> tensor<128x64xf32>
  %s = tile.dot %a, %b, %c {a_float8 = 1 : i32, b_float8 = 2 : i32} : tensor<128x64xi8>, tensor<64x64xi8> -> tensor<128x64xf32>
  %t2 = tile.trans %bt, [1, 0] : tensor<64x64xi8> -> tensor<64x64xi8>
  %u = tile.dot %a, %t2, %c {a_float8 = 1 : i32, b_float8 = 1 : i32, max_num_imprecise_acc = 32 : i32} : tensor<128x64xi8>, tensor<64x64xi8> -> tensor<128x64xf32>
  return
}

// -----

// A chain of dots (attention's S = Q K^T, then P V with P computed from S):
// on mma.sync both take all warps along M, so that each warp owns whole
// rows of S (the softmax stays in the warp) and P reaches the second dot in
// registers. A lone dot of the same shape splits its warps (above).
// SM80-LABEL: func.func @chain
// SM80: tile.dot {{.*}} -> tensor<64x64xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
// SM80: tile.dot {{.*}} -> tensor<64x128xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
// SM90-LABEL: func.func @chain
// PORTABLE-LABEL: func.func @chain
func.func @chain(%q: tensor<64x128xf16>, %kt: tensor<128x64xf16>, %v: tensor<64x128xf16>) -> tensor<64x128xf32> {
  %z = arith.constant dense<0.0> : tensor<64x64xf32>
  %zo = arith.constant dense<0.0> : tensor<64x128xf32>
  %s = tile.dot %q, %kt, %z : tensor<64x128xf16>, tensor<128x64xf16> -> tensor<64x64xf32>
  %e = math.exp2 %s : tensor<64x64xf32>
  %p = arith.truncf %e : tensor<64x64xf32> to tensor<64x64xf16>
  %o = tile.dot %p, %v, %zo : tensor<64x64xf16>, tensor<64x128xf16> -> tensor<64x128xf32>
  return %o : tensor<64x128xf32>
}

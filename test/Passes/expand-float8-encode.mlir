// RUN: tessel-opt %s --tessel-expand-float8-encode | FileCheck %s
// RUN: tessel-opt %s --canonicalize | FileCheck %s --check-prefix=FOLD

// Without a conversion instruction the rounding is i32 arithmetic on the
// bits: the format's mantissa (3 for e4m3, 2 for e5m2) and bias (7, 15) in
// the shifts and the exponent, nearest-even via the rest and half of what
// the shift drops, the largest finite code (0x7E = 126, 0x7B = 123) as the
// cap, the NaN code 0x7F, the sign in bit 7; no float8_encode remains.
// CHECK-LABEL: func.func @encode
// CHECK-NOT: tile.float8_encode
// CHECK: arith.bitcast %arg0 : tensor<64xf32> to tensor<64xi32>
// CHECK: arith.constant dense<20> : tensor<64xi32>
// CHECK: arith.constant dense<126> : tensor<64xi32>
// CHECK: arith.minsi
// CHECK: arith.constant dense<127> : tensor<64xi32>
// CHECK: arith.trunci %{{.*}} : tensor<64xi32> to tensor<64xi8>
// CHECK: arith.constant 21 : i32
// CHECK: arith.constant 123 : i32
// CHECK: arith.trunci %{{.*}} : i32 to i8
// CHECK-NOT: tile.float8_encode
func.func @encode(%x: tensor<64xf32>, %s: f32) -> (tensor<64xi8>, i8) {
  %a = tile.float8_encode e4m3 %x : tensor<64xf32> -> tensor<64xi8>
  %b = tile.float8_encode e5m2 %s : f32 -> i8
  return %a, %b : tensor<64xi8>, i8
}

// Constants fold: 1.0 is 0x38 (e4m3) and 0x3C (e5m2); 1000.0 saturates to
// 0x7E (448); -inf to 0xFB (e5m2: -57344); NaN is 0x7F; 0.3 rounds to the
// nearest e4m3 0.3125 (0x2A).
// FOLD-LABEL: func.func @constants
// FOLD-DAG: arith.constant dense<56> : tensor<4xi8>
// FOLD-DAG: arith.constant 60 : i8
// FOLD-DAG: arith.constant 126 : i8
// FOLD-DAG: arith.constant -5 : i8
// FOLD-DAG: arith.constant 127 : i8
// FOLD-DAG: arith.constant 42 : i8
// FOLD-NOT: tile.float8_encode
func.func @constants() -> (tensor<4xi8>, i8, i8, i8, i8, i8) {
  %one = arith.constant dense<1.0> : tensor<4xf32>
  %c1 = arith.constant 1.0 : f32
  %big = arith.constant 1000.0 : f32
  %inf = arith.constant 0xFF800000 : f32
  %nan = arith.constant 0x7FC00000 : f32
  %third = arith.constant 0.3 : f32
  %a = tile.float8_encode e4m3 %one : tensor<4xf32> -> tensor<4xi8>
  %b = tile.float8_encode e5m2 %c1 : f32 -> i8
  %c = tile.float8_encode e4m3 %big : f32 -> i8
  %d = tile.float8_encode e5m2 %inf : f32 -> i8
  %e = tile.float8_encode e4m3 %nan : f32 -> i8
  %f = tile.float8_encode e4m3 %third : f32 -> i8
  return %a, %b, %c, %d, %e, %f : tensor<4xi8>, i8, i8, i8, i8, i8
}

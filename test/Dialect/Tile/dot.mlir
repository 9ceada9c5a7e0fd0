// RUN: tessel-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// tile.dot: 2-D and batched 3-D products, every input type with its
// accumulators; a print/parse round trip keeps the attributes.

// CHECK-LABEL: func.func @dots
// CHECK: tile.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<32x16xf16>, tensor<16x64xf16> -> tensor<32x64xf32>
// CHECK: tile.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<32x16xf16>, tensor<16x64xf16> -> tensor<32x64xf16>
// CHECK: tile.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<16x16xbf16>, tensor<16x16xbf16> -> tensor<16x16xf32>
// CHECK: tile.dot %{{.*}}, %{{.*}}, %{{.*}} {input_precision = 1 : i32} : tensor<16x32xf32>, tensor<32x16xf32> -> tensor<16x16xf32>
// CHECK: tile.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<16x16xf64>, tensor<16x16xf64> -> tensor<16x16xf64>
// CHECK: tile.dot %{{.*}}, %{{.*}}, %{{.*}} {max_num_imprecise_acc = 32 : i32} : tensor<16x64xi8>, tensor<64x16xi8> -> tensor<16x16xi32>
// CHECK: tile.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x16x16xf16>, tensor<2x16x32xf16> -> tensor<2x16x32xf32>
func.func @dots(%a: tensor<32x16xf16>, %b: tensor<16x64xf16>, %c: tensor<32x64xf32>,
                %c16: tensor<32x64xf16>, %x: tensor<16x16xbf16>, %y: tensor<16x16xf32>,
                %f: tensor<16x32xf32>, %g: tensor<32x16xf32>, %d: tensor<16x16xf64>,
                %i: tensor<16x64xi8>, %j: tensor<64x16xi8>, %k: tensor<16x16xi32>,
                %ba: tensor<2x16x16xf16>, %bb: tensor<2x16x32xf16>, %bc: tensor<2x16x32xf32>) {
  %0 = tile.dot %a, %b, %c : tensor<32x16xf16>, tensor<16x64xf16> -> tensor<32x64xf32>
  %1 = tile.dot %a, %b, %c16 : tensor<32x16xf16>, tensor<16x64xf16> -> tensor<32x64xf16>
  %2 = tile.dot %x, %x, %y : tensor<16x16xbf16>, tensor<16x16xbf16> -> tensor<16x16xf32>
  %3 = tile.dot %f, %g, %y {input_precision = 1 : i32} : tensor<16x32xf32>, tensor<32x16xf32> -> tensor<16x16xf32>
  %4 = tile.dot %d, %d, %d : tensor<16x16xf64>, tensor<16x16xf64> -> tensor<16x16xf64>
  %5 = tile.dot %i, %j, %k {max_num_imprecise_acc = 32 : i32} : tensor<16x64xi8>, tensor<64x16xi8> -> tensor<16x16xi32>
  %6 = tile.dot %ba, %bb, %bc : tensor<2x16x16xf16>, tensor<2x16x32xf16> -> tensor<2x16x32xf32>
  return
}

// -----

func.func @inner_mismatch(%a: tensor<16x32xf16>, %b: tensor<16x16xf16>, %c: tensor<16x16xf32>) {
  // expected-error @+1 {{'tile.dot' op inner dimensions differ: a is 'tensor<16x32xf16>' and b is 'tensor<16x16xf16>'}}
  %0 = tile.dot %a, %b, %c : tensor<16x32xf16>, tensor<16x16xf16> -> tensor<16x16xf32>
  return
}

// -----

func.func @acc_shape(%a: tensor<16x32xf16>, %b: tensor<32x64xf16>, %c: tensor<16x32xf32>) {
  // expected-error @+1 {{'tile.dot' op the accumulator must be 16x64, got 'tensor<16x32xf32>'}}
  %0 = tile.dot %a, %b, %c : tensor<16x32xf16>, tensor<32x64xf16> -> tensor<16x32xf32>
  return
}

// -----

func.func @mixed_inputs(%a: tensor<16x16xf16>, %b: tensor<16x16xbf16>, %c: tensor<16x16xf32>) {
  // expected-error @+1 {{'tile.dot' op a and b must have one element type, got 'f16' and 'bf16'}}
  %0 = tile.dot %a, %b, %c : tensor<16x16xf16>, tensor<16x16xbf16> -> tensor<16x16xf32>
  return
}

// -----

func.func @int_into_float(%a: tensor<16x16xi8>, %c: tensor<16x16xf32>) {
  // expected-error @+1 {{'tile.dot' op cannot accumulate products of 'i8' in 'f32'}}
  %0 = tile.dot %a, %a, %c : tensor<16x16xi8>, tensor<16x16xi8> -> tensor<16x16xf32>
  return
}

// -----

func.func @rank(%a: tensor<16xf16>, %c: tensor<16xf32>) {
  // expected-error @+1 {{'tile.dot' op operands must all be 2-D, or all 3-D (batched)}}
  %0 = tile.dot %a, %a, %c : tensor<16xf16>, tensor<16xf16> -> tensor<16xf32>
  return
}

// -----

func.func @batch(%a: tensor<2x16x16xf16>, %b: tensor<4x16x16xf16>, %c: tensor<2x16x16xf32>) {
  // expected-error @+1 {{'tile.dot' op batch dimensions differ: 2, 4 and 2}}
  %0 = tile.dot %a, %b, %c : tensor<2x16x16xf16>, tensor<4x16x16xf16> -> tensor<2x16x16xf32>
  return
}

// -----

func.func @tf32_on_f16(%a: tensor<16x16xf16>, %c: tensor<16x16xf32>) {
  // expected-error @+1 {{'tile.dot' op input_precision tf32 applies to f32 inputs only}}
  %0 = tile.dot %a, %a, %c {input_precision = 1 : i32} : tensor<16x16xf16>, tensor<16x16xf16> -> tensor<16x16xf32>
  return
}

// -----

// float8 codes: i8 operands with their formats (mixed formats allowed),
// accumulated in f32.
// CHECK-LABEL: func.func @float8
// CHECK: tile.dot %arg0, %arg0, %arg1 {a_float8 = 1 : i32, b_float8 = 2 : i32}
func.func @float8(%a: tensor<16x16xi8>, %c: tensor<16x16xf32>) -> tensor<16x16xf32> {
  %0 = tile.dot %a, %a, %c {a_float8 = 1 : i32, b_float8 = 2 : i32} : tensor<16x16xi8>, tensor<16x16xi8> -> tensor<16x16xf32>
  return %0 : tensor<16x16xf32>
}

// -----

func.func @float8_one_side(%a: tensor<16x16xi8>, %c: tensor<16x16xf32>) {
  // expected-error @+1 {{'tile.dot' op a_float8 and b_float8 must both be set or neither}}
  %0 = tile.dot %a, %a, %c {a_float8 = 1 : i32} : tensor<16x16xi8>, tensor<16x16xi8> -> tensor<16x16xf32>
  return
}

// -----

func.func @float8_into_i32(%a: tensor<16x16xi8>, %c: tensor<16x16xi32>) {
  // expected-error @+1 {{'tile.dot' op float8 operands are i8 codes accumulated in f32, got 'i8' into 'i32'}}
  %0 = tile.dot %a, %a, %c {a_float8 = 1 : i32, b_float8 = 1 : i32} : tensor<16x16xi8>, tensor<16x16xi8> -> tensor<16x16xi32>
  return
}

// -----

func.func @float8_f16_codes(%a: tensor<16x16xf16>, %c: tensor<16x16xf32>) {
  // expected-error @+1 {{'tile.dot' op float8 operands are i8 codes accumulated in f32, got 'f16' into 'f32'}}
  %0 = tile.dot %a, %a, %c {a_float8 = 2 : i32, b_float8 = 2 : i32} : tensor<16x16xf16>, tensor<16x16xf16> -> tensor<16x16xf32>
  return
}

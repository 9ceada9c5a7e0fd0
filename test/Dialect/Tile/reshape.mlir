// RUN: tessel-opt %s -split-input-file -verify-diagnostics | FileCheck %s
// RUN: tessel-opt %s -split-input-file -verify-diagnostics --canonicalize | FileCheck %s --check-prefix=FOLD

// CHECK-LABEL: func.func @flatten
// CHECK: tile.reshape %{{.*}} : tensor<32x64xf32> -> tensor<2048xf32>
func.func @flatten(%x: tensor<32x64xf32>) -> tensor<2048xf32> {
  %r = tile.reshape %x : tensor<32x64xf32> -> tensor<2048xf32>
  return %r : tensor<2048xf32>
}

// -----

// FOLD-LABEL: func.func @splat_reshape
// FOLD: arith.constant dense<1.000000e+00> : tensor<16x4xf32>
// FOLD-NOT: tile.reshape
func.func @splat_reshape() -> tensor<16x4xf32> {
  %c = arith.constant dense<1.0> : tensor<64xf32>
  %r = tile.reshape %c : tensor<64xf32> -> tensor<16x4xf32>
  return %r : tensor<16x4xf32>
}

// -----

func.func @wrong_count(%x: tensor<32x64xf32>) -> tensor<1024xf32> {
  // expected-error @+1 {{cannot reshape 2048 elements into 1024}}
  %r = tile.reshape %x : tensor<32x64xf32> -> tensor<1024xf32>
  return %r : tensor<1024xf32>
}

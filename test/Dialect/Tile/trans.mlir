// RUN: tessel-opt %s -split-input-file -verify-diagnostics | FileCheck %s
// RUN: tessel-opt %s -split-input-file -verify-diagnostics --canonicalize | FileCheck %s --check-prefix=FOLD

// CHECK-LABEL: func.func @transpose
// CHECK: tile.trans %{{.*}}, [1, 0] : tensor<32x64xf32> -> tensor<64x32xf32>
func.func @transpose(%x: tensor<32x64xf32>) -> tensor<64x32xf32> {
  %t = tile.trans %x, [1, 0] : tensor<32x64xf32> -> tensor<64x32xf32>
  return %t : tensor<64x32xf32>
}

// -----

// FOLD-LABEL: func.func @identity
// FOLD-NOT: tile.trans
// FOLD: return %arg0
func.func @identity(%x: tensor<2x4x8xf32>) -> tensor<2x4x8xf32> {
  %t = tile.trans %x, [0, 1, 2] : tensor<2x4x8xf32> -> tensor<2x4x8xf32>
  return %t : tensor<2x4x8xf32>
}

// -----

func.func @not_a_permutation(%x: tensor<32x64xf32>) -> tensor<64x32xf32> {
  // expected-error @+1 {{order must be a permutation of the dimensions}}
  %t = tile.trans %x, [1, 1] : tensor<32x64xf32> -> tensor<64x32xf32>
  return %t : tensor<64x32xf32>
}

// -----

func.func @wrong_shape(%x: tensor<32x64xf32>) -> tensor<32x64xf32> {
  // expected-error @+1 {{result dimension 0 must be source dimension 1}}
  %t = tile.trans %x, [1, 0] : tensor<32x64xf32> -> tensor<32x64xf32>
  return %t : tensor<32x64xf32>
}

// -----

// Fuzzer seed 1130: a result of another rank reached the lowering.
func.func @result_rank(%x: tensor<32x64xf32>) -> tensor<64x32x2xf32> {
  // expected-error @+1 {{result must have the source's rank, 2, got 3}}
  %t = tile.trans %x, [1, 0] : tensor<32x64xf32> -> tensor<64x32x2xf32>
  return %t : tensor<64x32x2xf32>
}

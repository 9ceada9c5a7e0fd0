// RUN: tessel-opt %s -split-input-file -verify-diagnostics | FileCheck %s
// RUN: tessel-opt %s -split-input-file -verify-diagnostics --canonicalize | FileCheck %s --check-prefix=CANON

// CHECK-LABEL: func.func @round_trip
// CHECK: tile.xor_permute %{{.*}} axis = 1 mask = 15 : tensor<4x16xf32>
// CHECK: tile.gather %{{.*}}[%{{.*}}] axis = 0 : tensor<4x16xf32>, tensor<8x16xi64> -> tensor<8x16xf32>
func.func @round_trip(%x: tensor<4x16xf32>, %i: tensor<8x16xi64>) -> (tensor<4x16xf32>, tensor<8x16xf32>) {
  %f = tile.xor_permute %x axis = 1 mask = 15 : tensor<4x16xf32>
  %g = tile.gather %x[%i] axis = 0 : tensor<4x16xf32>, tensor<8x16xi64> -> tensor<8x16xf32>
  return %f, %g : tensor<4x16xf32>, tensor<8x16xf32>
}

// -----

// A mask of 0 is the identity; the same permutation twice cancels.
// CANON-LABEL: func.func @folds
// CANON-NOT: tile.xor_permute
// CANON: return %arg0, %arg0
func.func @folds(%x: tensor<8xi32>) -> (tensor<8xi32>, tensor<8xi32>) {
  %a = tile.xor_permute %x axis = 0 mask = 0 : tensor<8xi32>
  %b = tile.xor_permute %x axis = 0 mask = 5 : tensor<8xi32>
  %c = tile.xor_permute %b axis = 0 mask = 5 : tensor<8xi32>
  return %a, %c : tensor<8xi32>, tensor<8xi32>
}

// -----

func.func @mask_too_large(%x: tensor<8xi32>) {
  // expected-error @+1 {{mask must be in [0, 8), got 8}}
  %a = tile.xor_permute %x axis = 0 mask = 8 : tensor<8xi32>
  return
}

// -----

func.func @bad_axis(%x: tensor<8xi32>) {
  // expected-error @+1 {{axis 1 is out of range for 'tensor<8xi32>'}}
  %a = tile.xor_permute %x axis = 1 mask = 1 : tensor<8xi32>
  return
}

// -----

func.func @gather_rank(%x: tensor<8x4xf32>, %i: tensor<8xi32>) {
  // expected-error @+1 {{source and index must have the same rank}}
  %a = tile.gather %x[%i] axis = 0 : tensor<8x4xf32>, tensor<8xi32> -> tensor<8xf32>
  return
}

// -----

func.func @gather_other_dim(%x: tensor<8x4xf32>, %i: tensor<8x8xi32>) {
  // expected-error @+1 {{must agree on every dimension but the axis}}
  %a = tile.gather %x[%i] axis = 0 : tensor<8x4xf32>, tensor<8x8xi32> -> tensor<8x8xf32>
  return
}

// -----

func.func @gather_result(%x: tensor<8x4xf32>, %i: tensor<2x4xi32>) {
  // expected-error @+1 {{result must have the index's shape and the source's element type}}
  %a = tile.gather %x[%i] axis = 0 : tensor<8x4xf32>, tensor<2x4xi32> -> tensor<2x4xf16>
  return
}

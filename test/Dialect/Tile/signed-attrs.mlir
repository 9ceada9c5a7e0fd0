// RUN: tessel-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// The i32 attributes of make_range (start, end) and expand_dims (axis) are
// signed: "consecutive i32 values [start, end)". Verifiers must compare and
// print them as signed numbers.

// CHECK-LABEL: func.func @negative_start
// CHECK: tile.make_range -4 to 4 : tensor<8xi32>
// CHECK: tile.make_range -1 to 0 : tensor<1xi32>
// CHECK: tile.make_range -16 to 16 : tensor<32xi32>
func.func @negative_start() -> (tensor<8xi32>, tensor<1xi32>, tensor<32xi32>) {
  %0 = tile.make_range -4 to 4 : tensor<8xi32>
  %1 = tile.make_range -1 to 0 : tensor<1xi32>
  %2 = tile.make_range -16 to 16 : tensor<32xi32>
  return %0, %1, %2 : tensor<8xi32>, tensor<1xi32>, tensor<32xi32>
}

// -----

func.func @negative_end() {
  // expected-error @+1 {{'tile.make_range' op end must be greater than start}}
  %0 = tile.make_range 0 to -16 : tensor<16xi32>
  return
}

// -----

func.func @expand_dims_negative_axis(%a: tensor<8xf32>) {
  // expected-error @+1 {{'tile.expand_dims' op axis -1 is out of range for rank 1}}
  %0 = tile.expand_dims %a {axis = -1 : i32} : tensor<8xf32> -> tensor<8x1xf32>
  return
}

// RUN: tessel-opt %s --canonicalize --split-input-file | FileCheck %s

// Folds of tile ops whose result is a constant: SplatOp::fold and
// BroadcastOp::fold return SplatElementsAttrs, which the canonicalizer must
// materialize as arith.constant ops.

// A broadcast of a splat constant is a constant of the result shape.
// CHECK-LABEL: func.func @broadcast_of_constant
// CHECK-NEXT: %[[C:.*]] = arith.constant dense<7> : tensor<4x8xi32>
// CHECK-NEXT: return %[[C]]
func.func @broadcast_of_constant() -> tensor<4x8xi32> {
  %c = arith.constant dense<7> : tensor<1x8xi32>
  %b = tile.broadcast %c : tensor<1x8xi32> -> tensor<4x8xi32>
  return %b : tensor<4x8xi32>
}

// -----

// A splat of a constant folds to a dense constant, integer or float.
// CHECK-LABEL: func.func @splat_of_constant
// CHECK-DAG: %[[I:.*]] = arith.constant dense<3> : tensor<256xi32>
// CHECK-DAG: %[[F:.*]] = arith.constant dense<1.500000e+00> : tensor<16x16xf16>
// CHECK-NOT: tile.splat
// CHECK: return %[[I]], %[[F]]
func.func @splat_of_constant() -> (tensor<256xi32>, tensor<16x16xf16>) {
  %c = arith.constant 3 : i32
  %f = arith.constant 1.5 : f16
  %a = tile.splat %c : tensor<256xi32>
  %b = tile.splat %f : tensor<16x16xf16>
  return %a, %b : tensor<256xi32>, tensor<16x16xf16>
}

// -----

// A splat of constant zero is a zero offset: addptr folds away.
// CHECK-LABEL: func.func @addptr_zero_splat
// CHECK-SAME: (%[[T:.*]]: tensor<128x!tile.ptr<f32>>)
// CHECK-NOT: tile.splat
// CHECK-NOT: tile.addptr
// CHECK: return %[[T]]
func.func @addptr_zero_splat(%t: tensor<128x!tile.ptr<f32>>) -> tensor<128x!tile.ptr<f32>> {
  %i0 = arith.constant 0 : i32
  %zs = tile.splat %i0 : tensor<128xi32>
  %c = tile.addptr %t, %zs : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  return %c : tensor<128x!tile.ptr<f32>>
}

// RUN: tessel-opt %s --canonicalize --split-input-file | FileCheck %s

// broadcast(splat(x)) becomes one splat of the result shape.
// CHECK-LABEL: func.func @broadcast_of_splat
// CHECK-SAME: (%[[X:.*]]: f32)
// CHECK-NEXT: %[[S:.*]] = tile.splat %[[X]] : tensor<4x8xf32>
// CHECK-NEXT: return %[[S]]
// CHECK-NOT: tile.broadcast
func.func @broadcast_of_splat(%x: f32) -> tensor<4x8xf32> {
  %s = tile.splat %x : tensor<1x8xf32>
  %b = tile.broadcast %s : tensor<1x8xf32> -> tensor<4x8xf32>
  return %b : tensor<4x8xf32>
}

// -----

// ... also for pointers.
// CHECK-LABEL: func.func @broadcast_of_pointer_splat
// CHECK-SAME: (%[[P:.*]]: !tile.ptr<f16>)
// CHECK-NEXT: %[[S:.*]] = tile.splat %[[P]] : tensor<16x32x!tile.ptr<f16>>
// CHECK-NEXT: return %[[S]]
func.func @broadcast_of_pointer_splat(%p: !tile.ptr<f16>) -> tensor<16x32x!tile.ptr<f16>> {
  %s = tile.splat %p : tensor<16x1x!tile.ptr<f16>>
  %b = tile.broadcast %s : tensor<16x1x!tile.ptr<f16>> -> tensor<16x32x!tile.ptr<f16>>
  return %b : tensor<16x32x!tile.ptr<f16>>
}

// -----

// A broadcast to its own type folds away.
// CHECK-LABEL: func.func @broadcast_same_type
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xi32>)
// CHECK-NEXT: return %[[A]] : tensor<4x8xi32>
func.func @broadcast_same_type(%a: tensor<4x8xi32>) -> tensor<4x8xi32> {
  %b = tile.broadcast %a : tensor<4x8xi32> -> tensor<4x8xi32>
  return %b : tensor<4x8xi32>
}

// -----

// broadcast(broadcast(x)) is one broadcast.
// CHECK-LABEL: func.func @broadcast_chain
// CHECK-SAME: (%[[A:.*]]: tensor<1x1xi32>)
// CHECK-NEXT: %[[B:.*]] = tile.broadcast %[[A]] : tensor<1x1xi32> -> tensor<4x8xi32>
// CHECK-NEXT: return %[[B]]
func.func @broadcast_chain(%a: tensor<1x1xi32>) -> tensor<4x8xi32> {
  %0 = tile.broadcast %a : tensor<1x1xi32> -> tensor<1x8xi32>
  %1 = tile.broadcast %0 : tensor<1x8xi32> -> tensor<4x8xi32>
  return %1 : tensor<4x8xi32>
}

// -----

// expand_dims(splat(x)) becomes one splat.
// CHECK-LABEL: func.func @expand_dims_of_splat
// CHECK-SAME: (%[[X:.*]]: i64)
// CHECK-NEXT: %[[S:.*]] = tile.splat %[[X]] : tensor<1x64xi64>
// CHECK-NEXT: %[[T:.*]] = tile.splat %[[X]] : tensor<64x1xi64>
// CHECK-NEXT: return %[[S]], %[[T]]
func.func @expand_dims_of_splat(%x: i64) -> (tensor<1x64xi64>, tensor<64x1xi64>) {
  %s = tile.splat %x : tensor<64xi64>
  %a = tile.expand_dims %s {axis = 0 : i32} : tensor<64xi64> -> tensor<1x64xi64>
  %b = tile.expand_dims %s {axis = 1 : i32} : tensor<64xi64> -> tensor<64x1xi64>
  return %a, %b : tensor<1x64xi64>, tensor<64x1xi64>
}

// -----

// An expand_dims then broadcast of a splat is a single splat.
// CHECK-LABEL: func.func @expand_broadcast_splat
// CHECK-SAME: (%[[X:.*]]: f32)
// CHECK-NEXT: %[[S:.*]] = tile.splat %[[X]] : tensor<32x64xf32>
// CHECK-NEXT: return %[[S]]
func.func @expand_broadcast_splat(%x: f32) -> tensor<32x64xf32> {
  %s = tile.splat %x : tensor<64xf32>
  %e = tile.expand_dims %s {axis = 0 : i32} : tensor<64xf32> -> tensor<1x64xf32>
  %b = tile.broadcast %e : tensor<1x64xf32> -> tensor<32x64xf32>
  return %b : tensor<32x64xf32>
}

// -----

// Adding a constant zero offset to a pointer (scalar or tensor) returns the
// pointer.
// CHECK-LABEL: func.func @addptr_zero
// CHECK-SAME: (%[[P:.*]]: !tile.ptr<f32>, %[[T:.*]]: tensor<128x!tile.ptr<f32>>)
// CHECK-NOT: tile.addptr
// CHECK: return %[[P]], %[[T]]
func.func @addptr_zero(%p: !tile.ptr<f32>, %t: tensor<128x!tile.ptr<f32>>)
    -> (!tile.ptr<f32>, tensor<128x!tile.ptr<f32>>) {
  %c0 = arith.constant 0 : i64
  %z = arith.constant dense<0> : tensor<128xi32>
  %a = tile.addptr %p, %c0 : !tile.ptr<f32>, i64
  %b = tile.addptr %t, %z : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  return %a, %b : !tile.ptr<f32>, tensor<128x!tile.ptr<f32>>
}

// -----

// A non-zero offset stays.
// CHECK-LABEL: func.func @addptr_nonzero
// CHECK: %[[C:.*]] = arith.constant 4 : i32
// CHECK: %[[A:.*]] = tile.addptr %{{.*}}, %[[C]] : !tile.ptr<f32>, i32
// CHECK: return %[[A]]
func.func @addptr_nonzero(%p: !tile.ptr<f32>) -> !tile.ptr<f32> {
  %c = arith.constant 4 : i32
  %a = tile.addptr %p, %c : !tile.ptr<f32>, i32
  return %a : !tile.ptr<f32>
}

// -----

// Splats of non-constants are kept.
// CHECK-LABEL: func.func @splat_of_argument
// CHECK: tile.splat %{{.*}} : tensor<256xi32>
func.func @splat_of_argument(%x: i32) -> tensor<256xi32> {
  %a = tile.splat %x : tensor<256xi32>
  return %a : tensor<256xi32>
}

// -----

// `acc += tl.dot(a, b)`: the add becomes the dot's accumulator (f32 and i32).
// CHECK-LABEL: func.func @add_into_dot
// CHECK-NOT: arith.addf
// CHECK: %[[F:.*]] = tile.dot %arg0, %arg1, %arg2 : tensor<16x16xf16>, tensor<16x16xf16> -> tensor<16x16xf32>
// CHECK-NOT: arith.addi
// CHECK: %[[I:.*]] = tile.dot %arg3, %arg4, %arg5 : tensor<16x16xi8>, tensor<16x16xi8> -> tensor<16x16xi32>
// CHECK: return %[[F]], %[[I]]
func.func @add_into_dot(%a: tensor<16x16xf16>, %b: tensor<16x16xf16>, %acc: tensor<16x16xf32>,
                        %ia: tensor<16x16xi8>, %ib: tensor<16x16xi8>, %iacc: tensor<16x16xi32>)
    -> (tensor<16x16xf32>, tensor<16x16xi32>) {
  %z = arith.constant dense<0.000000e+00> : tensor<16x16xf32>
  %d = tile.dot %a, %b, %z : tensor<16x16xf16>, tensor<16x16xf16> -> tensor<16x16xf32>
  %s = arith.addf %acc, %d : tensor<16x16xf32>
  %iz = arith.constant dense<0> : tensor<16x16xi32>
  %id = tile.dot %ia, %ib, %iz : tensor<16x16xi8>, tensor<16x16xi8> -> tensor<16x16xi32>
  %is = arith.addi %id, %iacc : tensor<16x16xi32>
  return %s, %is : tensor<16x16xf32>, tensor<16x16xi32>
}

// -----

// Kept: a dot used twice, one with an accumulator already, and a bounded
// imprecise accumulation (float8).
// CHECK-LABEL: func.func @add_into_dot_kept
// CHECK-COUNT-3: arith.addf
func.func @add_into_dot_kept(%a: tensor<16x16xf16>, %b: tensor<16x16xf16>, %acc: tensor<16x16xf32>)
    -> (tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>) {
  %z = arith.constant dense<0.000000e+00> : tensor<16x16xf32>
  %d = tile.dot %a, %b, %z : tensor<16x16xf16>, tensor<16x16xf16> -> tensor<16x16xf32>
  %s = arith.addf %acc, %d : tensor<16x16xf32>
  %e = tile.dot %a, %b, %acc : tensor<16x16xf16>, tensor<16x16xf16> -> tensor<16x16xf32>
  %t = arith.addf %acc, %e : tensor<16x16xf32>
  %f = tile.dot %a, %b, %z {max_num_imprecise_acc = 32 : i32} : tensor<16x16xf16>, tensor<16x16xf16> -> tensor<16x16xf32>
  %u = arith.addf %acc, %f : tensor<16x16xf32>
  return %s, %d, %t, %u : tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>
}

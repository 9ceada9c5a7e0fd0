// RUN: tessel-opt %s -split-input-file --tessel-prefetch-loads="cp-async-ring=true" | FileCheck %s
// RUN: tessel-opt %s -split-input-file --tessel-prefetch-loads | FileCheck %s --check-prefix=PREFETCH

// With cp-async-ring (sm_80 and later), a dot loop whose two 16-bit loads
// read 16-byte aligned rows of 8+ contiguous elements is left for the
// cp.async ring of tessel-pipeline-dot-operands; without it, prefetched.
// CHECK-LABEL: func.func @ring
// CHECK: scf.for
// CHECK-NEXT: tile.load
// CHECK-NEXT: tile.load
// CHECK-NEXT: tile.dot
// PREFETCH-LABEL: func.func @ring
// PREFETCH: tile.load
// PREFETCH: scf.for {{.*}} iter_args({{.*}}, %[[A:.*]] = %{{.*}}, %[[B:.*]] = %{{.*}})
// PREFETCH: tile.dot %[[A]], %[[B]]
func.func @ring(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32},
                %b: !tile.ptr<f16> {tile.divisibility = 16 : i32},
                %lb: i32, %ub: i32) -> tensor<32x32xf32> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<32x32xf32>
  %r32 = tile.make_range 0 to 32 : tensor<32xi32>
  %r16 = tile.make_range 0 to 16 : tensor<16xi32>
  %stride = arith.constant dense<64> : tensor<32x1xi32>
  %stride_b = arith.constant dense<64> : tensor<16x1xi32>
  // A: 32 x 16, rows 64 elements apart.
  %ar = tile.expand_dims %r32 {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %ac = tile.expand_dims %r16 {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %arow = arith.muli %ar, %stride : tensor<32x1xi32>
  %arb = tile.broadcast %arow : tensor<32x1xi32> -> tensor<32x16xi32>
  %acb = tile.broadcast %ac : tensor<1x16xi32> -> tensor<32x16xi32>
  %aoff = arith.addi %arb, %acb : tensor<32x16xi32>
  %as = tile.splat %a : tensor<32x16x!tile.ptr<f16>>
  %pa = tile.addptr %as, %aoff : tensor<32x16x!tile.ptr<f16>>, tensor<32x16xi32>
  // B: 16 x 32, rows 64 elements apart.
  %br = tile.expand_dims %r16 {axis = 1 : i32} : tensor<16xi32> -> tensor<16x1xi32>
  %bc = tile.expand_dims %r32 {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %brow = arith.muli %br, %stride_b : tensor<16x1xi32>
  %brb = tile.broadcast %brow : tensor<16x1xi32> -> tensor<16x32xi32>
  %bcb = tile.broadcast %bc : tensor<1x32xi32> -> tensor<16x32xi32>
  %boff = arith.addi %brb, %bcb : tensor<16x32xi32>
  %bs = tile.splat %b : tensor<16x32x!tile.ptr<f16>>
  %pb = tile.addptr %bs, %boff : tensor<16x32x!tile.ptr<f16>>, tensor<16x32xi32>
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<32x32xf32>) : i32 {
    %x = tile.load %pa : tensor<32x16x!tile.ptr<f16>>
    %y = tile.load %pb : tensor<16x32x!tile.ptr<f16>>
    %d = tile.dot %x, %y, %acc : tensor<32x16xf16>, tensor<16x32xf16> -> tensor<32x32xf32>
    scf.yield %d : tensor<32x32xf32>
  }
  return %r : tensor<32x32xf32>
}

// -----

// Float32 operands (tf32): the rings copy 16-bit tiles only, so prefetched.
// CHECK-LABEL: func.func @f32
// CHECK: tile.load
// CHECK: scf.for {{.*}} iter_args({{.*}}, %[[A:.*]] = %{{.*}}, %[[B:.*]] = %{{.*}})
// CHECK: tile.dot %[[A]], %[[B]]
func.func @f32(%a: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                %b: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                %lb: i32, %ub: i32) -> tensor<32x32xf32> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<32x32xf32>
  %r32 = tile.make_range 0 to 32 : tensor<32xi32>
  %r16 = tile.make_range 0 to 16 : tensor<16xi32>
  %stride = arith.constant dense<64> : tensor<32x1xi32>
  %stride_b = arith.constant dense<64> : tensor<16x1xi32>
  // A: 32 x 16, rows 64 elements apart.
  %ar = tile.expand_dims %r32 {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %ac = tile.expand_dims %r16 {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %arow = arith.muli %ar, %stride : tensor<32x1xi32>
  %arb = tile.broadcast %arow : tensor<32x1xi32> -> tensor<32x16xi32>
  %acb = tile.broadcast %ac : tensor<1x16xi32> -> tensor<32x16xi32>
  %aoff = arith.addi %arb, %acb : tensor<32x16xi32>
  %as = tile.splat %a : tensor<32x16x!tile.ptr<f32>>
  %pa = tile.addptr %as, %aoff : tensor<32x16x!tile.ptr<f32>>, tensor<32x16xi32>
  // B: 16 x 32, rows 64 elements apart.
  %br = tile.expand_dims %r16 {axis = 1 : i32} : tensor<16xi32> -> tensor<16x1xi32>
  %bc = tile.expand_dims %r32 {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %brow = arith.muli %br, %stride_b : tensor<16x1xi32>
  %brb = tile.broadcast %brow : tensor<16x1xi32> -> tensor<16x32xi32>
  %bcb = tile.broadcast %bc : tensor<1x32xi32> -> tensor<16x32xi32>
  %boff = arith.addi %brb, %bcb : tensor<16x32xi32>
  %bs = tile.splat %b : tensor<16x32x!tile.ptr<f32>>
  %pb = tile.addptr %bs, %boff : tensor<16x32x!tile.ptr<f32>>, tensor<16x32xi32>
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<32x32xf32>) : i32 {
    %x = tile.load %pa : tensor<32x16x!tile.ptr<f32>>
    %y = tile.load %pb : tensor<16x32x!tile.ptr<f32>>
    %d = tile.dot %x, %y, %acc : tensor<32x16xf32>, tensor<16x32xf32> -> tensor<32x32xf32>
    scf.yield %d : tensor<32x32xf32>
  }
  return %r : tensor<32x32xf32>
}


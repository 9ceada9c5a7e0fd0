// RUN: tessel-opt %s -split-input-file --tessel-prefetch-loads | FileCheck %s
// RUN: tessel-opt %s -split-input-file --tessel-prefetch-loads=num-stages=1 | FileCheck %s --check-prefix=OFF

// The loads of a dot loop: the first iteration's before the loop (masked by
// lb < ub), the next iteration's at the top of the body (masked by
// i + step < ub and the load's own mask, with pointers recomputed from the
// values the iteration yields), carried to the dot as iteration arguments.
// CHECK-LABEL: func.func @matmul_loop
// CHECK: %[[ANY:.*]] = arith.cmpi slt, %[[LB:.*]], %[[UB:.*]] : i32
// CHECK: %[[M0:.*]] = tile.splat %[[ANY]] : tensor<32x16xi1>
// CHECK: %[[A0:.*]] = tile.load %[[AP:.*]], %[[M0]] : tensor<32x16x!tile.ptr<f16>>
// CHECK: %[[B0:.*]] = tile.load %{{.*}}, %{{.*}}, %{{.*}} : tensor<16x32x!tile.ptr<f16>>
// CHECK: scf.for %[[I:.*]] = %[[LB]] to %[[UB]] step %[[S:.*]] iter_args(%[[P:.*]] = %[[AP]], %{{.*}} = %{{.*}}, %[[ACC:.*]] = %{{.*}}, %[[A:.*]] = %[[A0]], %[[B:.*]] = %[[B0]])
// CHECK-NEXT: %[[NI:.*]] = arith.addi %[[I]], %[[S]] : i32
// CHECK-NEXT: %[[IN:.*]] = arith.cmpi slt, %[[NI]], %[[UB]] : i32
// CHECK: %[[NP:.*]] = tile.addptr %[[P]], %{{.*}}
// CHECK: %[[NM:.*]] = tile.splat %[[IN]] : tensor<32x16xi1>
// CHECK: %[[NA:.*]] = tile.load %[[NP]], %[[NM]] : tensor<32x16x!tile.ptr<f16>>
// CHECK: %[[BM:.*]] = arith.andi %{{.*}}, %{{.*}} : tensor<16x32xi1>
// CHECK: %[[NB:.*]] = tile.load %{{.*}}, %[[BM]], %{{.*}} : tensor<16x32x!tile.ptr<f16>>
// CHECK: %[[D:.*]] = tile.dot %[[A]], %[[B]], %[[ACC]]
// CHECK: scf.yield %{{.*}}, %{{.*}}, %[[D]], %[[NA]], %[[NB]]
// OFF-LABEL: func.func @matmul_loop
// OFF: scf.for
// OFF-NEXT: tile.load
func.func @matmul_loop(%pa: tensor<32x16x!tile.ptr<f16>>, %pb: tensor<16x32x!tile.ptr<f16>>,
                       %lb: i32, %ub: i32, %kmask: tensor<16x32xi1>) -> tensor<32x32xf32> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<32x32xf32>
  %zb = arith.constant dense<0.0> : tensor<16x32xf16>
  %step_a = arith.constant dense<16> : tensor<32x16xi32>
  %r:3 = scf.for %i = %lb to %ub step %c1 iter_args(%p = %pa, %q = %pb, %acc = %z) -> (tensor<32x16x!tile.ptr<f16>>, tensor<16x32x!tile.ptr<f16>>, tensor<32x32xf32>) : i32 {
    %a = tile.load %p : tensor<32x16x!tile.ptr<f16>>
    %b = tile.load %q, %kmask, %zb : tensor<16x32x!tile.ptr<f16>>
    %d = tile.dot %a, %b, %acc : tensor<32x16xf16>, tensor<16x32xf16> -> tensor<32x32xf32>
    %np = tile.addptr %p, %step_a : tensor<32x16x!tile.ptr<f16>>, tensor<32x16xi32>
    scf.yield %np, %q, %d : tensor<32x16x!tile.ptr<f16>>, tensor<16x32x!tile.ptr<f16>>, tensor<32x32xf32>
  }
  return %r#2 : tensor<32x32xf32>
}

// -----

// A load whose address comes from another load (a gather through indices)
// stays in place, reading the prefetched indices; loops without a dot are
// not touched.
// CHECK-LABEL: func.func @indirect_and_no_dot
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}, %[[IDX:.*]] = %{{.*}})
// CHECK: tile.load %{{.*}}, %{{.*}} : tensor<16x!tile.ptr<i32>>
// CHECK: %[[P:.*]] = tile.addptr %{{.*}}, %[[IDX]]
// CHECK-NEXT: tile.load %[[P]] : tensor<16x!tile.ptr<f32>>
// CHECK: scf.for
// CHECK-NEXT: tile.load
func.func @indirect_and_no_dot(%pi: tensor<16x!tile.ptr<i32>>, %pv: tensor<16x!tile.ptr<f32>>,
                               %n: i32) -> f32 {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<16x16xf32>
  %m = arith.constant dense<1.0> : tensor<16x16xf32>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (tensor<16x16xf32>) : i32 {
    %idx = tile.load %pi : tensor<16x!tile.ptr<i32>>
    %p = tile.addptr %pv, %idx : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
    %v = tile.load %p : tensor<16x!tile.ptr<f32>>
    %e = tile.expand_dims %v {axis = 0 : i32} : tensor<16xf32> -> tensor<1x16xf32>
    %b = tile.broadcast %e : tensor<1x16xf32> -> tensor<16x16xf32>
    %d = tile.dot %b, %m, %acc : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
    scf.yield %d : tensor<16x16xf32>
  }
  %s = arith.constant 0.0 : f32
  %t = scf.for %i = %c0 to %n step %c1 iter_args(%x = %s) -> (f32) : i32 {
    %v = tile.load %pv : tensor<16x!tile.ptr<f32>>
    scf.yield %x : f32
  }
  return %t : f32
}

// -----

// With a register budget: a 128x128x32 f16 tile over 4 warps needs about
// 128 accumulators + 64 operand-fragment registers + 40 per thread; the
// two prefetched tiles (32 more) would pass 255, so the loop stays as it
// is. Over 8 warps (half of each per thread) it prefetches.
// RUN: tessel-opt %s -split-input-file --tessel-prefetch-loads="num-threads=128 register-budget=255" | FileCheck %s --check-prefix=BUDGET4
// RUN: tessel-opt %s -split-input-file --tessel-prefetch-loads="num-threads=256 register-budget=255" | FileCheck %s --check-prefix=BUDGET8
// BUDGET4-LABEL: func.func @big_tile
// BUDGET4: scf.for
// BUDGET4-NEXT: tile.load
// BUDGET8-LABEL: func.func @big_tile
// BUDGET8: tile.load
// BUDGET8: scf.for
// BUDGET8-NEXT: arith.addi
func.func @big_tile(%pa: tensor<128x32x!tile.ptr<f16>>, %pb: tensor<32x128x!tile.ptr<f16>>,
                    %lb: i32, %ub: i32) -> tensor<128x128xf32> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<128x128xf32>
  %step = arith.constant dense<32> : tensor<128x32xi32>
  %r:2 = scf.for %i = %lb to %ub step %c1 iter_args(%p = %pa, %acc = %z) -> (tensor<128x32x!tile.ptr<f16>>, tensor<128x128xf32>) : i32 {
    %a = tile.load %p : tensor<128x32x!tile.ptr<f16>>
    %b = tile.load %pb : tensor<32x128x!tile.ptr<f16>>
    %d = tile.dot %a, %b, %acc : tensor<128x32xf16>, tensor<32x128xf16> -> tensor<128x128xf32>
    %np = tile.addptr %p, %step : tensor<128x32x!tile.ptr<f16>>, tensor<128x32xi32>
    scf.yield %np, %d : tensor<128x32x!tile.ptr<f16>>, tensor<128x128xf32>
  }
  return %r#1 : tensor<128x128xf32>
}

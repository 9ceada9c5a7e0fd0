// RUN: tessel-opt %s | tessel-opt | FileCheck %s

// CHECK-LABEL: func.func @rmw
// CHECK: tile.atomic_rmw fadd, acq_rel, gpu, %{{.*}}, %{{.*}}, %{{.*}} : tensor<64x!tile.ptr<f32>>
// CHECK: tile.atomic_rmw add, relaxed, cta, %{{.*}}, %{{.*}} : !tile.ptr<i32>
// CHECK: tile.atomic_rmw xchg, release, sys, %{{.*}}, %{{.*}} : !tile.ptr<i64>
// CHECK: tile.atomic_cas acquire, gpu, %{{.*}}, %{{.*}}, %{{.*}} : !tile.ptr<i32>
func.func @rmw(%p: tensor<64x!tile.ptr<f32>>, %v: tensor<64xf32>, %m: tensor<64xi1>,
               %q: !tile.ptr<i32>, %i: i32, %l: !tile.ptr<i64>, %j: i64) {
  %a = tile.atomic_rmw fadd, acq_rel, gpu, %p, %v, %m : tensor<64x!tile.ptr<f32>>
  %b = tile.atomic_rmw add, relaxed, cta, %q, %i : !tile.ptr<i32>
  %c = tile.atomic_rmw xchg, release, sys, %l, %j : !tile.ptr<i64>
  %d = tile.atomic_cas acquire, gpu, %q, %i, %i : !tile.ptr<i32>
  return
}

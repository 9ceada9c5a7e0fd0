// RUN: tessel-translate %s --to=llvmir --target=nvidia:sm_90a | FileCheck %s
// RUN: tessel-translate %s --to=llvmir --target=amd:gfx942 | FileCheck %s

// Masks are computed one predicate per element: GPUs have no vector
// predicates, and NVPTX legalizes `and <8 x i1>` by packing the bits into
// an integer and extracting each lane again. The two row bounds combine
// into scalar ands and selects of i1.
// CHECK-LABEL: define {{.*}}@two_bounds(
// CHECK-NOT: and <{{[0-9]+}} x i1>
// CHECK-NOT: or <{{[0-9]+}} x i1>
// CHECK: and i1
// CHECK-NOT: and <{{[0-9]+}} x i1>
// CHECK: ret void
func.func @two_bounds(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32, %m: i32) attributes {tile.kernel} {
  %r = tile.make_range 0 to 1024 : tensor<1024xi32>
  %ns = tile.splat %n : tensor<1024xi32>
  %ms = tile.splat %m : tensor<1024xi32>
  %below = arith.cmpi slt, %r, %ns : tensor<1024xi32>
  %above = arith.cmpi sge, %r, %ms : tensor<1024xi32>
  %mask = arith.andi %below, %above : tensor<1024xi1>
  %p = tile.splat %x : tensor<1024x!tile.ptr<f32>>
  %ptrs = tile.addptr %p, %r : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  %v = tile.load %ptrs, %mask : tensor<1024x!tile.ptr<f32>>
  %one = arith.constant dense<1.0> : tensor<1024xf32>
  %w = arith.addf %v, %one : tensor<1024xf32>
  tile.store %ptrs, %w, %mask : tensor<1024x!tile.ptr<f32>>
  return
}

// RUN: tessel-opt %s | tessel-opt | FileCheck %s
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_90a" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=LOWER

// CHECK: tile.ptr_cast %{{.*}} : tensor<64x!tile.ptr<f32>> -> tensor<64x!tile.ptr<i32>>
// Pointers are untyped in LLVM: the cast disappears, the load reads i32.
// LOWER-NOT: ptr_cast
// LOWER: llvm.load {{.*}} -> vector<4xi32>
func.func @k(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<i32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 64 : tensor<64xi32>
  %xs = tile.splat %x : tensor<64x!tile.ptr<f32>>
  %xp = tile.addptr %xs, %r : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %ip = tile.ptr_cast %xp : tensor<64x!tile.ptr<f32>> -> tensor<64x!tile.ptr<i32>>
  %v = tile.load %ip : tensor<64x!tile.ptr<i32>>
  %os = tile.splat %o : tensor<64x!tile.ptr<i32>>
  %op = tile.addptr %os, %r : tensor<64x!tile.ptr<i32>>, tensor<64xi32>
  tile.store %op, %v : tensor<64x!tile.ptr<i32>>
  return
}

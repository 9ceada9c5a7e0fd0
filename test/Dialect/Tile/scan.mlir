// RUN: tessel-opt %s | tessel-opt | FileCheck %s

// CHECK: tile.scan(%{{.*}}) axis = 0 reverse = false : (tensor<1024xf32>) -> tensor<1024xf32>
// CHECK: tile.reduce.return


func.func @cumsum(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 1024 : tensor<1024xi32>
  %xs = tile.splat %x : tensor<1024x!tile.ptr<f32>>
  %xp = tile.addptr %xs, %r : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  %v = tile.load %xp : tensor<1024x!tile.ptr<f32>>
  %s = tile.scan(%v) axis = 0 reverse = false : (tensor<1024xf32>) -> tensor<1024xf32> {
  ^bb0(%a: f32, %b: f32):
    %t = arith.addf %a, %b : f32
    tile.reduce.return %t : f32
  }
  %os = tile.splat %o : tensor<1024x!tile.ptr<f32>>
  %op = tile.addptr %os, %r : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  tile.store %op, %s : tensor<1024x!tile.ptr<f32>>
  return
}

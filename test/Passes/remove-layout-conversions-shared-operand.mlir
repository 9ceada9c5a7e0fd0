// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=4" --cse --tessel-remove-layout-conversions | FileCheck %s

// sink with one conversion used twice (`%s + %s` once CSE merged two equal
// reductions): the add runs in the reduction's slice layout and the
// conversion is erased once (erasing it per use freed it twice; a fuzzer
// reproducer that crashed in about one run in five).
// CHECK-LABEL: func.func @k
// CHECK: %[[S:.*]] = tile.reduce
// CHECK: %[[D:.*]] = arith.addf %[[S]], %[[S]] : tensor<64xf32, #tilegpu.slice
// CHECK: tilegpu.convert_layout %[[D]]
func.func @k(%x: !tile.ptr<f32>, %o: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.make_range 0 to 64 : tensor<64xi32>
  %xs = tile.splat %x : tensor<64x!tile.ptr<f32>>
  %xp = tile.addptr %xs, %r : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %v = tile.load %xp : tensor<64x!tile.ptr<f32>>
  %r2 = tile.expand_dims %v {axis = 1 : i32} : tensor<64xf32> -> tensor<64x1xf32>
  %b = tile.broadcast %r2 : tensor<64x1xf32> -> tensor<64x128xf32>
  %s = tile.reduce(%b) axis = 1 : (tensor<64x128xf32>) -> tensor<64xf32> {
  ^bb0(%a: f32, %c: f32):
    %t = arith.addf %a, %c : f32
    tile.reduce.return %t : f32
  }
  %sum = arith.addf %s, %s : tensor<64xf32>
  %os = tile.splat %o : tensor<64x!tile.ptr<f32>>
  %op = tile.addptr %os, %r : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %w = tile.load %op : tensor<64x!tile.ptr<f32>>
  %y = arith.mulf %sum, %w : tensor<64xf32>
  tile.store %op, %y : tensor<64x!tile.ptr<f32>>
  return
}

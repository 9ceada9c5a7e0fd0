// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=4" --canonicalize | FileCheck %s

// Softmax's shape: the row maximum stays in the slice of the rows' layout and
// expand_dims brings it back without a layout conversion.

// CHECK-LABEL: func.func @subtract_row_max
// CHECK: %[[M:.*]] = tile.reduce({{.*}}) axis = 1 : (tensor<32x64xf32, [[B:#tilegpu.blocked<[^>]*>]]>) -> tensor<32xf32, #tilegpu.slice<{dim = 1, parent = [[B]]}>>
// CHECK: tile.expand_dims %[[M]] {axis = 1 : i32} : tensor<32xf32, #tilegpu.slice<{dim = 1, parent = [[B]]}>> -> tensor<32x1xf32, [[B]]>
// CHECK-NOT: tilegpu.convert_layout
// CHECK: return
func.func @subtract_row_max(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 64 : tensor<64xi32>
  %e = tile.expand_dims %r {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %b = tile.broadcast %e : tensor<1x64xi32> -> tensor<32x64xi32>
  %xs = tile.splat %x : tensor<32x64x!tile.ptr<f32>>
  %xp = tile.addptr %xs, %b : tensor<32x64x!tile.ptr<f32>>, tensor<32x64xi32>
  %v = tile.load %xp : tensor<32x64x!tile.ptr<f32>>
  %m = tile.reduce(%v) axis = 1 : (tensor<32x64xf32>) -> tensor<32xf32> {
  ^bb0(%a: f32, %c: f32):
    %t = arith.maximumf %a, %c : f32
    tile.reduce.return %t : f32
  }
  %me = tile.expand_dims %m {axis = 1 : i32} : tensor<32xf32> -> tensor<32x1xf32>
  %mb = tile.broadcast %me : tensor<32x1xf32> -> tensor<32x64xf32>
  %d = arith.subf %v, %mb : tensor<32x64xf32>
  tile.store %xp, %d : tensor<32x64x!tile.ptr<f32>>
  return
}

// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_90a" | FileCheck %s
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=cpu" | FileCheck %s

// A helper function taking and returning tensors: its signature must carry
// the layouts its entry block arguments and returned values get, and they
// must be the ones the caller passes (the pass must produce valid IR).

// CHECK-LABEL: func.func @helper
// CHECK-SAME: (%{{.*}}: tensor<64xf32, [[L:#tilegpu.blocked<[^>]*>]]>) -> tensor<64xf32, [[L]]>
// CHECK: math.exp %{{.*}} : tensor<64xf32, [[L]]>
// CHECK: return %{{.*}} : tensor<64xf32, [[L]]>
func.func @helper(%v: tensor<64xf32>) -> tensor<64xf32> {
  %e = math.exp %v : tensor<64xf32>
  return %e : tensor<64xf32>
}

// CHECK-LABEL: func.func @kernel
// CHECK: %[[V:.*]] = tile.load %{{.*}} : tensor<64x!tile.ptr<f32>, [[L]]>
// CHECK: call @helper(%[[V]]) : (tensor<64xf32, [[L]]>) -> tensor<64xf32, [[L]]>
func.func @kernel(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 64 : tensor<64xi32>
  %xp = tile.splat %x : tensor<64x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %r : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %v = tile.load %xa : tensor<64x!tile.ptr<f32>>
  %e = func.call @helper(%v) : (tensor<64xf32>) -> tensor<64xf32>
  tile.store %xa, %e : tensor<64x!tile.ptr<f32>>
  return
}

// RUN: tessel-opt %s | tessel-opt | FileCheck %s -DB1='#tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>' -DB2='#tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [2, 2], order = [1, 0]}>' -DB2T='#tilegpu.blocked<{sizePerThread = [8, 1], threadsPerWarp = [16, 4], warpsPerCTA = [1, 4], order = [0, 1]}>'
// RUN: tessel-opt %s --mlir-print-op-generic | tessel-opt \
// RUN:   | FileCheck %s -DB1='#tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>' -DB2='#tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [2, 2], order = [1, 0]}>' -DB2T='#tilegpu.blocked<{sizePerThread = [8, 1], threadsPerWarp = [16, 4], warpsPerCTA = [1, 4], order = [0, 1]}>'
// RUN: tessel-opt %s --canonicalize | FileCheck %s --check-prefix=CANON \
// RUN:   -DB1='#tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>'

#b1 = #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
#b2 = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [2, 2], order = [1, 0]}>
#b2t = #tilegpu.blocked<{sizePerThread = [8, 1], threadsPerWarp = [16, 4], warpsPerCTA = [1, 4], order = [0, 1]}>
#s0 = #tilegpu.slice<{dim = 0, parent = #b2}>
#s1 = #tilegpu.slice<{dim = 1, parent = #b2}>

// Layout parameters print in full (no aliases) and parse back.

// CHECK-LABEL: func.func @encodings
// CHECK-SAME: tensor<512xf32, [[B1]]>
// CHECK-SAME: tensor<16x64x!tile.ptr<f16>, [[B2]]>
// CHECK-SAME: tensor<64xi32, #tilegpu.slice<{dim = 0, parent = [[B2]]}>>
// CHECK-SAME: tensor<16xi32, #tilegpu.slice<{dim = 1, parent = [[B2]]}>>
func.func @encodings(%a: tensor<512xf32, #b1>,
                     %p: tensor<16x64x!tile.ptr<f16>, #b2>,
                     %c: tensor<64xi32, #s0>,
                     %r: tensor<16xi32, #s1>) {
  return
}

// Slices of slices and blocked layouts of rank 3 are accepted.
// CHECK-LABEL: func.func @nested
// CHECK-SAME: tensor<8xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 1, 4], threadsPerWarp = [2, 4, 4], warpsPerCTA = [1, 2, 2], order = [2, 1, 0]}>}>}>>
func.func @nested(%x: tensor<8xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 1, 4], threadsPerWarp = [2, 4, 4], warpsPerCTA = [1, 2, 2], order = [2, 1, 0]}>}>}>>) {
  return
}

// CHECK-LABEL: func.func @convert
// CHECK-SAME: (%[[A:.*]]: tensor<16x64xf32, [[B2]]>, %[[C:.*]]: tensor<64xi32, #tilegpu.slice<{dim = 0, parent = [[B2]]}>>)
func.func @convert(%a: tensor<16x64xf32, #b2>, %c: tensor<64xi32, #s0>)
    -> (tensor<16x64xf32, #b2t>, tensor<64xi32, #b1>) {
  // CHECK: %[[X:.*]] = tilegpu.convert_layout %[[A]] : tensor<16x64xf32, [[B2]]> -> tensor<16x64xf32, [[B2T]]>
  // CHECK: %[[Y:.*]] = tilegpu.convert_layout %[[C]] : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = [[B2]]}>> -> tensor<64xi32, [[B1]]>
  // CHECK: return %[[X]], %[[Y]]
  %x = tilegpu.convert_layout %a : tensor<16x64xf32, #b2> -> tensor<16x64xf32, #b2t>
  %y = tilegpu.convert_layout %c : tensor<64xi32, #s0> -> tensor<64xi32, #b1>
  return %x, %y : tensor<16x64xf32, #b2t>, tensor<64xi32, #b1>
}

// Tile ops accept laid-out tensors.
// CHECK-LABEL: func.func @tile_ops_with_layouts
// CHECK: tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = [[B2]]}>>
// CHECK: tile.expand_dims %{{.*}} {axis = 0 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = [[B2]]}>> -> tensor<1x64xi32, [[B2]]>
// CHECK: tile.broadcast %{{.*}} : tensor<1x64xi32, [[B2]]> -> tensor<16x64xi32, [[B2]]>
func.func @tile_ops_with_layouts() -> tensor<16x64xi32, #b2> {
  %r = tile.make_range 0 to 64 : tensor<64xi32, #s0>
  %e = tile.expand_dims %r {axis = 0 : i32} : tensor<64xi32, #s0> -> tensor<1x64xi32, #b2>
  %b = tile.broadcast %e : tensor<1x64xi32, #b2> -> tensor<16x64xi32, #b2>
  return %b : tensor<16x64xi32, #b2>
}

// A convert_layout to the type it already has folds away.
// CANON-LABEL: func.func @convert_same
// CANON-SAME: (%[[A:.*]]: tensor<512xf32, [[B1]]>)
// CANON-NEXT: return %[[A]]
func.func @convert_same(%a: tensor<512xf32, #b1>) -> tensor<512xf32, #b1> {
  %x = tilegpu.convert_layout %a : tensor<512xf32, #b1> -> tensor<512xf32, #b1>
  return %x : tensor<512xf32, #b1>
}

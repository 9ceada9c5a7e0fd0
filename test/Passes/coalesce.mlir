// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=4" --tessel-coalesce --tessel-remove-layout-conversions --canonicalize --cse | FileCheck %s
// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=cpu" --tessel-coalesce | FileCheck %s --check-prefix=CPU

// A tile read down the columns of a row-major matrix: its addresses are
// contiguous along dim 0, so the load gets a layout with dim 0 fastest (4
// elements per thread along it); the addresses are recomputed in that layout
// and only the loaded data is converted, to the layout the row-major store
// wants.
// CHECK-LABEL: func.func @column_read
// CHECK: %[[V:.*]] = tile.load %{{.*}} : tensor<64x64x!tile.ptr<f32>, #tilegpu.blocked<{sizePerThread = [4, 1], {{.*}}order = [0, 1]}>>
// CHECK-NEXT: %[[C:.*]] = tilegpu.convert_layout %[[V]]
// CHECK-SAME: -> tensor<64x64xf32, #tilegpu.blocked<{sizePerThread = [1, 4], {{.*}}order = [1, 0]}>>
// CHECK: tile.store %{{.*}}, %[[C]] : tensor<64x64x!tile.ptr<f32>, #tilegpu.blocked<{sizePerThread = [1, 4]
// CHECK-NOT: tilegpu.convert_layout
// CPU-LABEL: func.func @column_read
// CPU-NOT: order = [0, 1]
func.func @column_read(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %y: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 64 : tensor<64xi32>
  %row = tile.expand_dims %r {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %col = tile.expand_dims %r {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %rowb = tile.broadcast %row : tensor<64x1xi32> -> tensor<64x64xi32>
  %colb = tile.broadcast %col : tensor<1x64xi32> -> tensor<64x64xi32>
  %c64 = arith.constant dense<64> : tensor<64x64xi32>
  %colsx = arith.muli %colb, %c64 : tensor<64x64xi32>
  %xoffs = arith.addi %colsx, %rowb : tensor<64x64xi32>
  %xs = tile.splat %x : tensor<64x64x!tile.ptr<f32>>
  %xp = tile.addptr %xs, %xoffs : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
  %v = tile.load %xp : tensor<64x64x!tile.ptr<f32>>
  %rowsy = arith.muli %rowb, %c64 : tensor<64x64xi32>
  %yoffs = arith.addi %rowsy, %colb : tensor<64x64xi32>
  %ys = tile.splat %y : tensor<64x64x!tile.ptr<f32>>
  %yp = tile.addptr %ys, %yoffs : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
  tile.store %yp, %v : tensor<64x64x!tile.ptr<f32>>
  return
}

// -----

// Row-major accesses keep the default layout: nothing to do.
// CHECK-LABEL: func.func @row_read
// CHECK-NOT: tilegpu.convert_layout
// CHECK: return
func.func @row_read(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 64 : tensor<64xi32>
  %row = tile.expand_dims %r {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %col = tile.expand_dims %r {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %rowb = tile.broadcast %row : tensor<64x1xi32> -> tensor<64x64xi32>
  %colb = tile.broadcast %col : tensor<1x64xi32> -> tensor<64x64xi32>
  %c64 = arith.constant dense<64> : tensor<64x64xi32>
  %rows = arith.muli %rowb, %c64 : tensor<64x64xi32>
  %offs = arith.addi %rows, %colb : tensor<64x64xi32>
  %xs = tile.splat %x : tensor<64x64x!tile.ptr<f32>>
  %xp = tile.addptr %xs, %offs : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
  %v = tile.load %xp : tensor<64x64x!tile.ptr<f32>>
  tile.store %xp, %v : tensor<64x64x!tile.ptr<f32>>
  return
}

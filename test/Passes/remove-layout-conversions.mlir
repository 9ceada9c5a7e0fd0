// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=4" --tessel-remove-layout-conversions --canonicalize | FileCheck %s

// remat: the make_range feeds both a 1-D store and an expand_dims (which
// wants the slice layout). The conversion of the range into the slice layout
// becomes a second make_range built in that layout.
// CHECK-LABEL: func.func @remat_range
// CHECK-NOT: tilegpu.convert_layout
// CHECK: tile.make_range 0 to 32 : tensor<32xi32, #tilegpu.blocked
// CHECK: tile.make_range 0 to 32 : tensor<32xi32, #tilegpu.slice
func.func @remat_range(%x: !tile.ptr<i32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 32 : tensor<32xi32>
  %xs = tile.splat %x : tensor<32x!tile.ptr<i32>>
  %xp = tile.addptr %xs, %r : tensor<32x!tile.ptr<i32>>, tensor<32xi32>
  tile.store %xp, %r : tensor<32x!tile.ptr<i32>>
  %row = tile.expand_dims %r {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %rowb = tile.broadcast %row : tensor<32x1xi32> -> tensor<32x32xi32>
  %ys = tile.splat %x : tensor<32x32x!tile.ptr<i32>>
  %yp = tile.addptr %ys, %rowb : tensor<32x32x!tile.ptr<i32>>, tensor<32x32xi32>
  tile.store %yp, %rowb : tensor<32x32x!tile.ptr<i32>>
  return
}

// -----

// store: a row sum (in the slice layout of the 2-D tile) is stored in that
// layout; the pointers and the mask are recomputed there instead of moving
// the sums through shared memory.
// CHECK-LABEL: func.func @store_reduction
// CHECK-NOT: tilegpu.convert_layout
// CHECK: %[[SUM:.*]] = tile.reduce
// CHECK: %[[R:.*]] = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 1
// CHECK: %[[P:.*]] = tile.addptr %{{.*}}, %[[R]] : tensor<64x!tile.ptr<f32>, #tilegpu.slice<{dim = 1
// CHECK: %[[M:.*]] = arith.cmpi slt, %[[R]], %{{.*}} : tensor<64xi32, #tilegpu.slice<{dim = 1
// CHECK: tile.store %[[P]], %[[SUM]], %[[M]]
func.func @store_reduction(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32) attributes {tile.kernel} {
  %r = tile.make_range 0 to 64 : tensor<64xi32>
  %c = tile.make_range 0 to 128 : tensor<128xi32>
  %r2 = tile.expand_dims %r {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %c2 = tile.expand_dims %c {axis = 0 : i32} : tensor<128xi32> -> tensor<1x128xi32>
  %rb = tile.broadcast %r2 : tensor<64x1xi32> -> tensor<64x128xi32>
  %cb = tile.broadcast %c2 : tensor<1x128xi32> -> tensor<64x128xi32>
  %k = arith.constant dense<128> : tensor<64x128xi32>
  %rows = arith.muli %rb, %k : tensor<64x128xi32>
  %offs = arith.addi %rows, %cb : tensor<64x128xi32>
  %xs = tile.splat %x : tensor<64x128x!tile.ptr<f32>>
  %xp = tile.addptr %xs, %offs : tensor<64x128x!tile.ptr<f32>>, tensor<64x128xi32>
  %v = tile.load %xp : tensor<64x128x!tile.ptr<f32>>
  %s = tile.reduce(%v) axis = 1 : (tensor<64x128xf32>) -> tensor<64xf32> {
  ^bb0(%a: f32, %b: f32):
    %t = arith.addf %a, %b : f32
    tile.reduce.return %t : f32
  }
  %os = tile.splat %o : tensor<64x!tile.ptr<f32>>
  %op = tile.addptr %os, %r : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %ns = tile.splat %n : tensor<64xi32>
  %mask = arith.cmpi slt, %r, %ns : tensor<64xi32>
  tile.store %op, %s, %mask : tensor<64x!tile.ptr<f32>>
  return
}

// -----

// sink: two reductions along one axis are added in their (slice) layout and
// converted once, instead of converting each.
// CHECK-LABEL: func.func @sink_into_one
// CHECK: tile.reduce
// CHECK: tile.reduce
// CHECK: arith.addf %{{.*}}, %{{.*}} : tensor<64xf32, #tilegpu.slice
// CHECK: tilegpu.convert_layout
// CHECK-NOT: tilegpu.convert_layout
// CHECK: return
func.func @sink_into_one(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 64 : tensor<64xi32>
  %c = tile.make_range 0 to 128 : tensor<128xi32>
  %r2 = tile.expand_dims %r {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %c2 = tile.expand_dims %c {axis = 0 : i32} : tensor<128xi32> -> tensor<1x128xi32>
  %rb = tile.broadcast %r2 : tensor<64x1xi32> -> tensor<64x128xi32>
  %cb = tile.broadcast %c2 : tensor<1x128xi32> -> tensor<64x128xi32>
  %k = arith.constant dense<128> : tensor<64x128xi32>
  %rows = arith.muli %rb, %k : tensor<64x128xi32>
  %offs = arith.addi %rows, %cb : tensor<64x128xi32>
  %xs = tile.splat %x : tensor<64x128x!tile.ptr<f32>>
  %xp = tile.addptr %xs, %offs : tensor<64x128x!tile.ptr<f32>>, tensor<64x128xi32>
  %v = tile.load %xp : tensor<64x128x!tile.ptr<f32>>
  %s1 = tile.reduce(%v) axis = 1 : (tensor<64x128xf32>) -> tensor<64xf32> {
  ^bb0(%a: f32, %b: f32):
    %t = arith.addf %a, %b : f32
    tile.reduce.return %t : f32
  }
  %s2 = tile.reduce(%v) axis = 1 : (tensor<64x128xf32>) -> tensor<64xf32> {
  ^bb0(%a: f32, %b: f32):
    %t = arith.maxnumf %a, %b : f32
    tile.reduce.return %t : f32
  }
  %sum = arith.addf %s1, %s2 : tensor<64xf32>
  // A value loaded in the 1-D layout keeps one conversion alive.
  %os = tile.splat %o : tensor<64x!tile.ptr<f32>>
  %op = tile.addptr %os, %r : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %w = tile.load %op : tensor<64x!tile.ptr<f32>>
  %y = arith.mulf %sum, %w : tensor<64xf32>
  tile.store %op, %y : tensor<64x!tile.ptr<f32>>
  return
}


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

// -----

// The operands of a wgmma dot: f16 loads in a kernel whose f32 store makes
// the kernel-wide layout hold 4 elements per thread, fitted to a 64x128
// accumulator (32 lanes along a row). Each operand load gets a layout of its
// own: 16-byte vectors (8 f16) and lanes spread over its own shape, so the
// 64x64 tile is not replicated across lanes. The loaded tiles go to the dot
// with no conversion (wgmma reads its operands from shared memory, written
// from any layout).
// CHECK-LABEL: func.func @dot_operands
// CHECK: %[[A:.*]] = tile.load %{{.*}} : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
// CHECK: %[[B:.*]] = tile.load %{{.*}} : tensor<64x128x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>>
// CHECK-NOT: tilegpu.convert_layout %[[A]]
// CHECK-NOT: tilegpu.convert_layout %[[B]]
// CHECK: tile.dot %[[A]], %[[B]]
func.func @dot_operands(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %b: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %c: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r64 = tile.make_range 0 to 64 : tensor<64xi32>
  %r128 = tile.make_range 0 to 128 : tensor<128xi32>
  %c64 = arith.constant dense<64> : tensor<64x64xi32>
  %c128 = arith.constant dense<128> : tensor<64x128xi32>
  %am = tile.expand_dims %r64 {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %ak = tile.expand_dims %r64 {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %amb = tile.broadcast %am : tensor<64x1xi32> -> tensor<64x64xi32>
  %akb = tile.broadcast %ak : tensor<1x64xi32> -> tensor<64x64xi32>
  %arow = arith.muli %amb, %c64 : tensor<64x64xi32>
  %aoff = arith.addi %arow, %akb : tensor<64x64xi32>
  %as = tile.splat %a : tensor<64x64x!tile.ptr<f16>>
  %ap = tile.addptr %as, %aoff : tensor<64x64x!tile.ptr<f16>>, tensor<64x64xi32>
  %av = tile.load %ap : tensor<64x64x!tile.ptr<f16>>
  %bk = tile.expand_dims %r64 {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %bn = tile.expand_dims %r128 {axis = 0 : i32} : tensor<128xi32> -> tensor<1x128xi32>
  %bkb = tile.broadcast %bk : tensor<64x1xi32> -> tensor<64x128xi32>
  %bnb = tile.broadcast %bn : tensor<1x128xi32> -> tensor<64x128xi32>
  %brow = arith.muli %bkb, %c128 : tensor<64x128xi32>
  %boff = arith.addi %brow, %bnb : tensor<64x128xi32>
  %bs = tile.splat %b : tensor<64x128x!tile.ptr<f16>>
  %bp = tile.addptr %bs, %boff : tensor<64x128x!tile.ptr<f16>>, tensor<64x128xi32>
  %bv = tile.load %bp : tensor<64x128x!tile.ptr<f16>>
  %zero = arith.constant dense<0.0> : tensor<64x128xf32>
  %d = tile.dot %av, %bv, %zero : tensor<64x64xf16>, tensor<64x128xf16> -> tensor<64x128xf32>
  %cm = tile.expand_dims %r64 {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %cmb = tile.broadcast %cm : tensor<64x1xi32> -> tensor<64x128xi32>
  %cnb = tile.broadcast %bn : tensor<1x128xi32> -> tensor<64x128xi32>
  %crow = arith.muli %cmb, %c128 : tensor<64x128xi32>
  %coff = arith.addi %crow, %cnb : tensor<64x128xi32>
  %cs = tile.splat %c : tensor<64x128x!tile.ptr<f32>>
  %cp = tile.addptr %cs, %coff : tensor<64x128x!tile.ptr<f32>>, tensor<64x128xi32>
  tile.store %cp, %d : tensor<64x128x!tile.ptr<f32>>
  return
}

// -----

// A tile read by two wgmma dots, once through tl.trans (a K-major B) and once
// directly (attention's backward reads K, Q and dO this way): every use goes
// to shared memory, so the load still takes its own 16-byte layout, with no
// conversion for either dot.
// CHECK-LABEL: func.func @dot_operand_read_twice
// CHECK: %[[K:.*]] = tile.load %{{.*}} : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
// CHECK-NOT: tilegpu.convert_layout %[[K]]
// CHECK: tile.trans %[[K]]
// CHECK-NOT: tilegpu.convert_layout %[[K]]
// CHECK: tile.dot %{{.*}}, %[[K]]
func.func @dot_operand_read_twice(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %c: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r64 = tile.make_range 0 to 64 : tensor<64xi32>
  %c64 = arith.constant dense<64> : tensor<64x64xi32>
  %am = tile.expand_dims %r64 {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %ak = tile.expand_dims %r64 {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %amb = tile.broadcast %am : tensor<64x1xi32> -> tensor<64x64xi32>
  %akb = tile.broadcast %ak : tensor<1x64xi32> -> tensor<64x64xi32>
  %arow = arith.muli %amb, %c64 : tensor<64x64xi32>
  %aoff = arith.addi %arow, %akb : tensor<64x64xi32>
  %as = tile.splat %a : tensor<64x64x!tile.ptr<f16>>
  %ap = tile.addptr %as, %aoff : tensor<64x64x!tile.ptr<f16>>, tensor<64x64xi32>
  %kv = tile.load %ap : tensor<64x64x!tile.ptr<f16>>
  %kt = tile.trans %kv, [1, 0] : tensor<64x64xf16> -> tensor<64x64xf16>
  %zero = arith.constant dense<0.0> : tensor<64x64xf32>
  %s = tile.dot %kv, %kt, %zero : tensor<64x64xf16>, tensor<64x64xf16> -> tensor<64x64xf32>
  %sh = arith.truncf %s : tensor<64x64xf32> to tensor<64x64xf16>
  %d = tile.dot %sh, %kv, %zero : tensor<64x64xf16>, tensor<64x64xf16> -> tensor<64x64xf32>
  %cs = tile.splat %c : tensor<64x64x!tile.ptr<f32>>
  %cp = tile.addptr %cs, %aoff : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
  tile.store %cp, %d : tensor<64x64x!tile.ptr<f32>>
  return
}

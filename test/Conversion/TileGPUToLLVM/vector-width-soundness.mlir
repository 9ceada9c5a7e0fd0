// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=nvidia:sm_90a" \
// RUN:   --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=NV

// Wide accesses are only correct when the axis analysis is sound (see
// test/Passes/axis-info-strided.mlir): these kernels must not get them.
// Non-splat constant offsets on the CPU: non-splat-constant-offsets.mlir.

// A 64x64 f32 tile of a row-major matrix with an unknown row stride K:
// offsets i * K + j. Row i starts at x + 4 * i * K bytes, which is 16-byte
// aligned only when K is a multiple of 4, so each f32 is accessed alone.
// NV-LABEL: func.func @rows_times_stride
// NV-NOT: vector<4xf32>
// NV: llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr<1> -> f32
// NV-NOT: vector<4xf32>
// NV: llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : f32, !llvm.ptr<1>
// NV-NOT: vector<4xf32>
// NV: return
func.func @rows_times_stride(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %k: i32) attributes {tile.kernel} {
  %r = tile.make_range 0 to 64 : tensor<64xi32>
  %ks = tile.splat %k : tensor<64xi32>
  %rk = arith.muli %r, %ks : tensor<64xi32>
  %row = tile.expand_dims %rk {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %rowb = tile.broadcast %row : tensor<64x1xi32> -> tensor<64x64xi32>
  %c = tile.make_range 0 to 64 : tensor<64xi32>
  %col = tile.expand_dims %c {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %colb = tile.broadcast %col : tensor<1x64xi32> -> tensor<64x64xi32>
  %offs = arith.addi %rowb, %colb : tensor<64x64xi32>
  %xp = tile.splat %x : tensor<64x64x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %offs : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
  %v = tile.load %xa : tensor<64x64x!tile.ptr<f32>>
  %e = math.exp %v : tensor<64x64xf32>
  tile.store %xa, %e : tensor<64x64x!tile.ptr<f32>>
  return
}

// -----

// The same with the stride applied after expand_dims.
// NV-LABEL: func.func @stride_after_expand
// NV-NOT: vector<4xf32>
// NV: llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr<1> -> f32
// NV-NOT: vector<4xf32>
// NV: return
func.func @stride_after_expand(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %k: i32) attributes {tile.kernel} {
  %r = tile.make_range 0 to 64 : tensor<64xi32>
  %row = tile.expand_dims %r {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %ks = tile.splat %k : tensor<64x1xi32>
  %rowk = arith.muli %row, %ks : tensor<64x1xi32>
  %rowb = tile.broadcast %rowk : tensor<64x1xi32> -> tensor<64x64xi32>
  %c = tile.make_range 0 to 64 : tensor<64xi32>
  %col = tile.expand_dims %c {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %colb = tile.broadcast %col : tensor<1x64xi32> -> tensor<64x64xi32>
  %offs = arith.addi %rowb, %colb : tensor<64x64xi32>
  %xp = tile.splat %x : tensor<64x64x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %offs : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
  %v = tile.load %xa : tensor<64x64x!tile.ptr<f32>>
  tile.store %xa, %v : tensor<64x64x!tile.ptr<f32>>
  return
}

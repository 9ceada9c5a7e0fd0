// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_80 num-warps=4" --tessel-coalesce --tessel-remove-layout-conversions --canonicalize --cse | FileCheck %s

// The operands of an mma.sync dot (sm_80): f16 loads in a kernel whose f32
// store makes the kernel-wide layout hold 4 elements per thread. As for
// wgmma (coalesce.mlir), each operand load gets a layout fitted to itself,
// 16-byte vectors (8 f16): what the sm_80 cp.async ring copies. The loaded
// tiles reach the dot through conversions to its operand layouts (B of
// A B^T through tl.trans as well).
// CHECK-LABEL: func.func @dot_operands
// CHECK: %[[A:.*]] = tile.load %{{.*}} : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8]
// CHECK: %[[B:.*]] = tile.load %{{.*}} : tensor<128x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8]
// CHECK: %[[BT:.*]] = tile.trans %[[B]]
// CHECK-DAG: tilegpu.convert_layout %[[A]] : {{.*}} -> tensor<64x64xf16, #tilegpu.dot_operand<{opIdx = 0
// CHECK-DAG: tilegpu.convert_layout %[[BT]] : {{.*}} -> tensor<64x128xf16, #tilegpu.dot_operand<{opIdx = 1
// CHECK: tile.dot
func.func @dot_operands(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %b: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %c: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r64 = tile.make_range 0 to 64 : tensor<64xi32>
  %r128 = tile.make_range 0 to 128 : tensor<128xi32>
  %c64 = arith.constant dense<64> : tensor<64x64xi32>
  %c64b = arith.constant dense<64> : tensor<128x64xi32>
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
  // B as N x K rows (128 x 64).
  %bn = tile.expand_dims %r128 {axis = 1 : i32} : tensor<128xi32> -> tensor<128x1xi32>
  %bk = tile.expand_dims %r64 {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %bnb = tile.broadcast %bn : tensor<128x1xi32> -> tensor<128x64xi32>
  %bkb = tile.broadcast %bk : tensor<1x64xi32> -> tensor<128x64xi32>
  %brow = arith.muli %bnb, %c64b : tensor<128x64xi32>
  %boff = arith.addi %brow, %bkb : tensor<128x64xi32>
  %bs = tile.splat %b : tensor<128x64x!tile.ptr<f16>>
  %bp = tile.addptr %bs, %boff : tensor<128x64x!tile.ptr<f16>>, tensor<128x64xi32>
  %bv = tile.load %bp : tensor<128x64x!tile.ptr<f16>>
  %bt = tile.trans %bv, [1, 0] : tensor<128x64xf16> -> tensor<64x128xf16>
  %zero = arith.constant dense<0.0> : tensor<64x128xf32>
  %d = tile.dot %av, %bt, %zero : tensor<64x64xf16>, tensor<64x128xf16> -> tensor<64x128xf32>
  %cm = tile.expand_dims %r64 {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %cn = tile.expand_dims %r128 {axis = 0 : i32} : tensor<128xi32> -> tensor<1x128xi32>
  %cmb = tile.broadcast %cm : tensor<64x1xi32> -> tensor<64x128xi32>
  %cnb = tile.broadcast %cn : tensor<1x128xi32> -> tensor<64x128xi32>
  %crow = arith.muli %cmb, %c128 : tensor<64x128xi32>
  %coff = arith.addi %crow, %cnb : tensor<64x128xi32>
  %cs = tile.splat %c : tensor<64x128x!tile.ptr<f32>>
  %cp = tile.addptr %cs, %coff : tensor<64x128x!tile.ptr<f32>>, tensor<64x128xi32>
  tile.store %cp, %d : tensor<64x128x!tile.ptr<f32>>
  return
}

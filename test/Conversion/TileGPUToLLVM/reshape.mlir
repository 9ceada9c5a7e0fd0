// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=4" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=NV
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=cpu" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=CPU

// 32x64 -> 64x32 keeps row-major order; on the GPU the two layouts give the
// threads different elements, so they meet in shared memory; on the CPU the
// reshape moves nothing (row-major registers on both sides).
// NV: tilegpu.shared = 8320 : i32
// NV: llvm.mlir.global external @tessel_shared() {{.*}} : !llvm.array<0 x i8>
// NV: nvvm.barrier0
// NV: llvm.store {{.*}} !llvm.ptr<3>
// NV: nvvm.barrier0
// NV: llvm.load {{.*}} !llvm.ptr<3> -> f32
// CPU-NOT: llvm.mlir.global
// CPU: llvm.intr.masked.store
module {
  func.func @k(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
    %r = tile.make_range 0 to 64 : tensor<64xi32>
    %c = tile.make_range 0 to 32 : tensor<32xi32>
    %re = tile.expand_dims %r {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
    %ce = tile.expand_dims %c {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
    %c64 = arith.constant dense<64> : tensor<32x1xi32>
    %rowoff = arith.muli %ce, %c64 : tensor<32x1xi32>
    %rb = tile.broadcast %rowoff : tensor<32x1xi32> -> tensor<32x64xi32>
    %cb = tile.broadcast %re : tensor<1x64xi32> -> tensor<32x64xi32>
    %off = arith.addi %rb, %cb : tensor<32x64xi32>
    %xs = tile.splat %x : tensor<32x64x!tile.ptr<f32>>
    %xp = tile.addptr %xs, %off : tensor<32x64x!tile.ptr<f32>>, tensor<32x64xi32>
    %v = tile.load %xp : tensor<32x64x!tile.ptr<f32>>
    %t = tile.reshape %v : tensor<32x64xf32> -> tensor<64x32xf32>
    %r2 = tile.make_range 0 to 64 : tensor<64xi32>
    %c2 = tile.make_range 0 to 32 : tensor<32xi32>
    %re2 = tile.expand_dims %r2 {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
    %ce2 = tile.expand_dims %c2 {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
    %c32 = arith.constant dense<32> : tensor<64x1xi32>
    %rowoff2 = arith.muli %re2, %c32 : tensor<64x1xi32>
    %rb2 = tile.broadcast %rowoff2 : tensor<64x1xi32> -> tensor<64x32xi32>
    %cb2 = tile.broadcast %ce2 : tensor<1x32xi32> -> tensor<64x32xi32>
    %off2 = arith.addi %rb2, %cb2 : tensor<64x32xi32>
    %os = tile.splat %o : tensor<64x32x!tile.ptr<f32>>
    %op = tile.addptr %os, %off2 : tensor<64x32x!tile.ptr<f32>>, tensor<64x32xi32>
    tile.store %op, %t : tensor<64x32x!tile.ptr<f32>>
    return
  }
}

// RUN: tessel-opt %s --tessel-pipeline-dot-operands="num-stages=3" | FileCheck %s

// A tile the loop loads feeds its top-level dot and a dot nested under
// scf.if. The nested dot is no staged dot (it would stage its own operands
// over the ring, and the ring would erase the load it still reads): the loop
// keeps its loads and plain dots.
// CHECK-LABEL: func.func @nested_dot
// CHECK: scf.for
// CHECK: tile.load
// CHECK: tile.dot
// CHECK: scf.if
// CHECK: tile.dot
// CHECK-NOT: tilegpu.staged_dot
// CHECK-NOT: tilegpu.async_copy
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#blockedT = #tilegpu.blocked<{sizePerThread = [8, 1], threadsPerWarp = [8, 4], warpsPerCTA = [1, 4], order = [0, 1]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @nested_dot(%a: tensor<64x64xf16, #blocked>, %q: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %n: i32, %c: i1) -> (tensor<64x64xf32, #mma>, tensor<64x64xf32, #mma>) {
    %c0 = arith.constant 0 : i32
    %c64 = arith.constant 64 : i32
    %zero = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #mma>
    %stride = arith.constant dense<64> : tensor<64x1xi32, #blocked>
    %rows = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #blocked}>>
    %cols = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #blocked}>>
    %r2 = tile.expand_dims %rows {axis = 1 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #blocked}>> -> tensor<64x1xi32, #blocked>
    %roff = arith.muli %r2, %stride : tensor<64x1xi32, #blocked>
    %rb = tile.broadcast %roff : tensor<64x1xi32, #blocked> -> tensor<64x64xi32, #blocked>
    %c2 = tile.expand_dims %cols {axis = 0 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #blocked}>> -> tensor<1x64xi32, #blocked>
    %cb = tile.broadcast %c2 : tensor<1x64xi32, #blocked> -> tensor<64x64xi32, #blocked>
    %off = arith.addi %rb, %cb : tensor<64x64xi32, #blocked>
    %res:2 = scf.for %i = %c0 to %n step %c64 iter_args(%acc = %zero, %acc2 = %zero) -> (tensor<64x64xf32, #mma>, tensor<64x64xf32, #mma>) : i32 {
      %base = arith.muli %i, %c64 : i32
      %bs = tile.splat %base : tensor<64x64xi32, #blocked>
      %toff = arith.addi %off, %bs : tensor<64x64xi32, #blocked>
      %qs = tile.splat %q : tensor<64x64x!tile.ptr<f16>, #blocked>
      %qp = tile.addptr %qs, %toff : tensor<64x64x!tile.ptr<f16>, #blocked>, tensor<64x64xi32, #blocked>
      %qv = tile.load %qp : tensor<64x64x!tile.ptr<f16>, #blocked>
      %d = tile.dot %a, %qv, %acc : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
      %e = scf.if %c -> (tensor<64x64xf32, #mma>) {
        %f = tile.dot %a, %qv, %acc2 : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
        scf.yield %f : tensor<64x64xf32, #mma>
      } else {
        scf.yield %acc2 : tensor<64x64xf32, #mma>
      }
      scf.yield %d, %e : tensor<64x64xf32, #mma>, tensor<64x64xf32, #mma>
    }
    return %res#0, %res#1 : tensor<64x64xf32, #mma>, tensor<64x64xf32, #mma>
  }
}

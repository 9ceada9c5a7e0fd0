// RUN: tessel-opt %s --tessel-remove-layout-conversions | FileCheck %s

// forward on an mma.sync (sm_80) dot: as for wgmma
// (remove-layout-conversions-forward.mlir), the scaled scores and their row
// maximum stay in the accumulator's layout and its slice, and the loop keeps
// no conversion of them; mma.sync reads its operands in registers, so the
// operands keep their conversions (here hoisted: defined before the loop).
// CHECK-LABEL: func.func @running_max
// CHECK: %[[INIT:.*]] = arith.constant dense<0xFF800000> : tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 2
// CHECK: %[[LOOP:.*]] = scf.for {{.*}} iter_args(%[[M:.*]] = %[[INIT]]) -> (tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 2
// CHECK-NOT: tilegpu.convert_layout
// CHECK: tile.reduce(%{{.*}}) axis = 1 : (tensor<64x64xf32, #tilegpu.mma<{version = 2
// CHECK-NOT: tilegpu.convert_layout
// CHECK: scf.yield
// CHECK: tilegpu.convert_layout %[[LOOP]]
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>
#blocked1 = #tilegpu.blocked<{sizePerThread = [8], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
#mma = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>
#opA = #tilegpu.dot_operand<{opIdx = 0, parent = #mma, kWidth = 2}>
#opB = #tilegpu.dot_operand<{opIdx = 1, parent = #mma, kWidth = 2}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_80", tilegpu.threads_per_warp = 32 : i32} {
  func.func @running_max(%q: tensor<64x64xf16, #blocked>, %k: tensor<64x64xf16, #blocked>, %n: i32) -> tensor<64xf32, #blocked1> {
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    %init = arith.constant dense<0xFF800000> : tensor<64xf32, #blocked1>
    %zero = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #mma>
    %scale = arith.constant dense<1.250000e-01> : tensor<64x64xf32, #blocked>
    %r = scf.for %i = %c0 to %n step %c1 iter_args(%m = %init) -> (tensor<64xf32, #blocked1>) : i32 {
      %qa = tilegpu.convert_layout %q : tensor<64x64xf16, #blocked> -> tensor<64x64xf16, #opA>
      %kb = tilegpu.convert_layout %k : tensor<64x64xf16, #blocked> -> tensor<64x64xf16, #opB>
      %d = tile.dot %qa, %kb, %zero : tensor<64x64xf16, #opA>, tensor<64x64xf16, #opB> -> tensor<64x64xf32, #mma>
      %s = tilegpu.convert_layout %d : tensor<64x64xf32, #mma> -> tensor<64x64xf32, #blocked>
      %t = arith.mulf %s, %scale : tensor<64x64xf32, #blocked>
      %mx = tile.reduce(%t) axis = 1 : (tensor<64x64xf32, #blocked>) -> tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #blocked}>> {
      ^bb0(%a: f32, %b: f32):
        %x = arith.maxnumf %a, %b : f32
        tile.reduce.return %x : f32
      }
      %mc = tilegpu.convert_layout %mx : tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #blocked}>> -> tensor<64xf32, #blocked1>
      %mn = arith.maxnumf %m, %mc : tensor<64xf32, #blocked1>
      scf.yield %mn : tensor<64xf32, #blocked1>
    }
    return %r : tensor<64xf32, #blocked1>
  }
}

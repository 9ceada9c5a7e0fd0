// RUN: tessel-opt %s --tessel-pipeline-dot-operands="num-stages=3" | FileCheck %s

// The rotated attention loop when the body rescales the carried accumulator
// (attention's O * alpha, here O * S): iteration j waits for P V of j - 1
// right before the rescale reads it, which is after Q K^T of j was issued and
// waited for (so the softmax ran while P V multiplied), and the rescaled
// value is what the next iteration's P V accumulates into.
// CHECK-LABEL: func.func @attention_rescaled
// CHECK: scf.if
// CHECK: %[[S0:.*]] = tilegpu.staged_dot
// CHECK: %[[SCALED0:.*]] = arith.mulf %{{.*}}, %[[S0]]
// CHECK: scf.for {{.*}} iter_args(%[[P:.*]] = %{{.*}}, %[[ACC:.*]] = %[[SCALED0]], %[[ST:.*]] = %{{.*}})
// CHECK: %[[S:.*]] = tilegpu.staged_dot {{.*}}pendings = -1 : i32
// CHECK-NEXT: %[[O:.*]] = tilegpu.staged_dot %[[ACC]] a %[[P]] : {{.*}} stage %[[ST]] {{{.*}}pendings = 1 : i32
// CHECK-NEXT: %[[SW:.*]] = tilegpu.dot_wait %[[S]] {pendings = 1 : i32}
// CHECK-NEXT: arith.truncf %[[SW]]
// CHECK-NEXT: %[[OW:.*]] = tilegpu.dot_wait %[[O]] {pendings = 0 : i32}
// CHECK-NEXT: %[[SCALED:.*]] = arith.mulf %[[OW]], %[[SW]]
// CHECK: scf.yield %{{.*}}, %[[SCALED]], %{{.*}}
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#blockedT = #tilegpu.blocked<{sizePerThread = [8, 1], threadsPerWarp = [8, 4], warpsPerCTA = [1, 4], order = [0, 1]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @attention_rescaled(%q: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %k: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %v: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32 {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
    %c0 = arith.constant 0 : i32
    %c64 = arith.constant 64 : i32
    %c4096 = arith.constant 4096 : i32
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
    %qs = tile.splat %q : tensor<64x64x!tile.ptr<f16>, #blocked>
    %qp = tile.addptr %qs, %off : tensor<64x64x!tile.ptr<f16>, #blocked>, tensor<64x64xi32, #blocked>
    %qv = tile.load %qp : tensor<64x64x!tile.ptr<f16>, #blocked>
    %res = scf.for %i = %c0 to %n step %c64 iter_args(%acc = %zero) -> (tensor<64x64xf32, #mma>) : i32 {
      %base = arith.muli %i, %c64 : i32
      %bs = tile.splat %base : tensor<64x64xi32, #blocked>
      %toff = arith.addi %off, %bs : tensor<64x64xi32, #blocked>
      %ks = tile.splat %k : tensor<64x64x!tile.ptr<f16>, #blocked>
      %kp = tile.addptr %ks, %toff : tensor<64x64x!tile.ptr<f16>, #blocked>, tensor<64x64xi32, #blocked>
      %kv = tile.load %kp : tensor<64x64x!tile.ptr<f16>, #blocked>
      %kt = tile.trans %kv, [1, 0] : tensor<64x64xf16, #blocked> -> tensor<64x64xf16, #blockedT>
      %s = tile.dot %qv, %kt, %zero : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blockedT> -> tensor<64x64xf32, #mma>
      %p = arith.truncf %s : tensor<64x64xf32, #mma> to tensor<64x64xf16, #mma>
      %scaled = arith.mulf %acc, %s : tensor<64x64xf32, #mma>
      %vs = tile.splat %v : tensor<64x64x!tile.ptr<f16>, #blocked>
      %vp = tile.addptr %vs, %toff : tensor<64x64x!tile.ptr<f16>, #blocked>, tensor<64x64xi32, #blocked>
      %vv = tile.load %vp : tensor<64x64x!tile.ptr<f16>, #blocked>
      %acc2 = tile.dot %p, %vv, %scaled : tensor<64x64xf16, #mma>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
      scf.yield %acc2 : tensor<64x64xf32, #mma>
    }
    %os = tile.splat %o : tensor<64x64x!tile.ptr<f32>, #mma>
    %od = tilegpu.convert_layout %off : tensor<64x64xi32, #blocked> -> tensor<64x64xi32, #mma>
    %op = tile.addptr %os, %od : tensor<64x64x!tile.ptr<f32>, #mma>, tensor<64x64xi32, #mma>
    tile.store %op, %res : tensor<64x64x!tile.ptr<f32>, #mma>
    return
  }
}

// RUN: tessel-opt %s -split-input-file --tessel-pipeline-dot-operands="num-stages=3" | FileCheck %s

// A dK-shaped loop (S^T = K Q^T, P^T = exp2(S^T - lse[None, :]), dK += P^T Q)
// whose 1-D statistic is loaded in the loop, in the dots' slice layout, next
// to its use. Q feeds both dots from one ring slot (K-major through tl.trans,
// then MN-major); K is resident. Two dots, the second multiplying P^T from
// registers into the carried dK: the loop is rotated, and before that the
// load moves with its address computation above the dots, right after the
// copies' wait, so that its latency overlaps S^T instead of following the
// wait for it.
// CHECK-LABEL: func.func @statistic_in_loop
// CHECK: scf.for
// CHECK: tilegpu.async_copy_wait {pendings = 1 : i32}
// CHECK-NOT: tilegpu.staged_dot
// CHECK: %[[LSE:.*]] = tile.load %{{.*}} : tensor<64x!tile.ptr<f32>, #tilegpu.slice<{dim = 0, parent = #tilegpu.mma
// CHECK: %[[S:.*]] = tilegpu.staged_dot {{.*}}bKMajor = true, bOffset = 0 : i64, {{.*}}pendings = -1 : i32
// CHECK-NEXT: tilegpu.staged_dot {{.*}}bKMajor = false, bOffset = 0 : i64, {{.*}}pendings = 1 : i32
// CHECK-NEXT: tilegpu.dot_wait %[[S]] {pendings = 1 : i32}
// CHECK-NEXT: tile.expand_dims %[[LSE]]
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#blockedT = #tilegpu.blocked<{sizePerThread = [8, 1], threadsPerWarp = [8, 4], warpsPerCTA = [1, 4], order = [0, 1]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
#col = #tilegpu.slice<{dim = 0, parent = #mma}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @statistic_in_loop(%k: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %q: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %lse: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %dk: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32 {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
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
    %ks = tile.splat %k : tensor<64x64x!tile.ptr<f16>, #blocked>
    %kp = tile.addptr %ks, %off : tensor<64x64x!tile.ptr<f16>, #blocked>, tensor<64x64xi32, #blocked>
    %kv = tile.load %kp : tensor<64x64x!tile.ptr<f16>, #blocked>
    %res = scf.for %i = %c0 to %n step %c64 iter_args(%acc = %zero) -> (tensor<64x64xf32, #mma>) : i32 {
      %base = arith.muli %i, %c64 : i32
      %bs = tile.splat %base : tensor<64x64xi32, #blocked>
      %toff = arith.addi %off, %bs : tensor<64x64xi32, #blocked>
      %qs = tile.splat %q : tensor<64x64x!tile.ptr<f16>, #blocked>
      %qp = tile.addptr %qs, %toff : tensor<64x64x!tile.ptr<f16>, #blocked>, tensor<64x64xi32, #blocked>
      %qv = tile.load %qp : tensor<64x64x!tile.ptr<f16>, #blocked>
      %qt = tile.trans %qv, [1, 0] : tensor<64x64xf16, #blocked> -> tensor<64x64xf16, #blockedT>
      %st = tile.dot %kv, %qt, %zero : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blockedT> -> tensor<64x64xf32, #mma>
      %is = tile.splat %i : tensor<64xi32, #col>
      %lcols = tile.make_range 0 to 64 : tensor<64xi32, #col>
      %loffs = arith.addi %is, %lcols : tensor<64xi32, #col>
      %ls = tile.splat %lse : tensor<64x!tile.ptr<f32>, #col>
      %lp = tile.addptr %ls, %loffs : tensor<64x!tile.ptr<f32>, #col>, tensor<64xi32, #col>
      %l = tile.load %lp : tensor<64x!tile.ptr<f32>, #col>
      %le = tile.expand_dims %l {axis = 0 : i32} : tensor<64xf32, #col> -> tensor<1x64xf32, #mma>
      %lb = tile.broadcast %le : tensor<1x64xf32, #mma> -> tensor<64x64xf32, #mma>
      %t = arith.subf %st, %lb : tensor<64x64xf32, #mma>
      %p = math.exp2 %t : tensor<64x64xf32, #mma>
      %ph = arith.truncf %p : tensor<64x64xf32, #mma> to tensor<64x64xf16, #mma>
      %acc2 = tile.dot %ph, %qv, %acc : tensor<64x64xf16, #mma>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
      scf.yield %acc2 : tensor<64x64xf32, #mma>
    }
    %os = tile.splat %dk : tensor<64x64x!tile.ptr<f32>, #mma>
    %od = tilegpu.convert_layout %off : tensor<64x64xi32, #blocked> -> tensor<64x64xi32, #mma>
    %op = tile.addptr %os, %od : tensor<64x64x!tile.ptr<f32>, #mma>, tensor<64x64xi32, #mma>
    tile.store %op, %res : tensor<64x64x!tile.ptr<f32>, #mma>
    return
  }
}

// -----

// Three dots (the dK/dV loop's shape without dV): S^T = K Q^T, dP^T = V Q^T,
// dK += (P^T * dP^T) Q, not rotated but scheduled: the load goes first, S^T
// and dP^T are issued back to back, each waits where it is first read (S^T
// leaving dP^T in flight), and dK waits at the yield.
// CHECK-LABEL: func.func @scheduled_with_statistic
// CHECK: scf.for
// CHECK: tilegpu.async_copy_wait {pendings = 1 : i32}
// CHECK-NOT: tilegpu.staged_dot
// CHECK: %[[LSE:.*]] = tile.load %{{.*}} : tensor<64x!tile.ptr<f32>, #tilegpu.slice<{dim = 0, parent = #tilegpu.mma
// CHECK: %[[S:.*]] = tilegpu.staged_dot {{.*}}pendings = -1 : i32
// CHECK-NEXT: %[[DP:.*]] = tilegpu.staged_dot {{.*}}pendings = -1 : i32
// CHECK-NEXT: tile.expand_dims %[[LSE]]
// CHECK: tilegpu.dot_wait %[[S]] {pendings = 1 : i32}
// CHECK: tilegpu.dot_wait %[[DP]] {pendings = 0 : i32}
// CHECK: %[[DK:.*]] = tilegpu.staged_dot {{.*}}bKMajor = false, {{.*}}pendings = -1 : i32
// CHECK: tilegpu.async_copy_commit
// CHECK-NEXT: %[[DKW:.*]] = tilegpu.dot_wait %[[DK]] {pendings = 0 : i32}
// CHECK-NEXT: scf.yield %[[DKW]]
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#blockedT = #tilegpu.blocked<{sizePerThread = [8, 1], threadsPerWarp = [8, 4], warpsPerCTA = [1, 4], order = [0, 1]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
#col = #tilegpu.slice<{dim = 0, parent = #mma}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @scheduled_with_statistic(%k: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %v: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %q: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %lse: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %dk: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32 {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
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
    %ks = tile.splat %k : tensor<64x64x!tile.ptr<f16>, #blocked>
    %kp = tile.addptr %ks, %off : tensor<64x64x!tile.ptr<f16>, #blocked>, tensor<64x64xi32, #blocked>
    %kv = tile.load %kp : tensor<64x64x!tile.ptr<f16>, #blocked>
    %vs = tile.splat %v : tensor<64x64x!tile.ptr<f16>, #blocked>
    %vp = tile.addptr %vs, %off : tensor<64x64x!tile.ptr<f16>, #blocked>, tensor<64x64xi32, #blocked>
    %vv = tile.load %vp : tensor<64x64x!tile.ptr<f16>, #blocked>
    %res = scf.for %i = %c0 to %n step %c64 iter_args(%acc = %zero) -> (tensor<64x64xf32, #mma>) : i32 {
      %base = arith.muli %i, %c64 : i32
      %bs = tile.splat %base : tensor<64x64xi32, #blocked>
      %toff = arith.addi %off, %bs : tensor<64x64xi32, #blocked>
      %qs = tile.splat %q : tensor<64x64x!tile.ptr<f16>, #blocked>
      %qp = tile.addptr %qs, %toff : tensor<64x64x!tile.ptr<f16>, #blocked>, tensor<64x64xi32, #blocked>
      %qv = tile.load %qp : tensor<64x64x!tile.ptr<f16>, #blocked>
      %qt = tile.trans %qv, [1, 0] : tensor<64x64xf16, #blocked> -> tensor<64x64xf16, #blockedT>
      %st = tile.dot %kv, %qt, %zero : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blockedT> -> tensor<64x64xf32, #mma>
      %is = tile.splat %i : tensor<64xi32, #col>
      %lcols = tile.make_range 0 to 64 : tensor<64xi32, #col>
      %loffs = arith.addi %is, %lcols : tensor<64xi32, #col>
      %ls = tile.splat %lse : tensor<64x!tile.ptr<f32>, #col>
      %lp = tile.addptr %ls, %loffs : tensor<64x!tile.ptr<f32>, #col>, tensor<64xi32, #col>
      %l = tile.load %lp : tensor<64x!tile.ptr<f32>, #col>
      %le = tile.expand_dims %l {axis = 0 : i32} : tensor<64xf32, #col> -> tensor<1x64xf32, #mma>
      %lb = tile.broadcast %le : tensor<1x64xf32, #mma> -> tensor<64x64xf32, #mma>
      %t = arith.subf %st, %lb : tensor<64x64xf32, #mma>
      %p = math.exp2 %t : tensor<64x64xf32, #mma>
      %qt2 = tile.trans %qv, [1, 0] : tensor<64x64xf16, #blocked> -> tensor<64x64xf16, #blockedT>
      %dpt = tile.dot %vv, %qt2, %zero : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blockedT> -> tensor<64x64xf32, #mma>
      %ds = arith.mulf %p, %dpt : tensor<64x64xf32, #mma>
      %dsh = arith.truncf %ds : tensor<64x64xf32, #mma> to tensor<64x64xf16, #mma>
      %acc2 = tile.dot %dsh, %qv, %acc : tensor<64x64xf16, #mma>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
      scf.yield %acc2 : tensor<64x64xf32, #mma>
    }
    %os = tile.splat %dk : tensor<64x64x!tile.ptr<f32>, #mma>
    %od = tilegpu.convert_layout %off : tensor<64x64xi32, #blocked> -> tensor<64x64xi32, #mma>
    %op = tile.addptr %os, %od : tensor<64x64x!tile.ptr<f32>, #mma>, tensor<64x64xi32, #mma>
    tile.store %op, %res : tensor<64x64x!tile.ptr<f32>, #mma>
    return
  }
}

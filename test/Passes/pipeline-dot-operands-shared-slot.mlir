// RUN: tessel-opt %s --tessel-pipeline-dot-operands="num-stages=3" | FileCheck %s
// RUN: tessel-opt %s --tessel-pipeline-dot-operands="num-stages=3" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=LLVM

// The dQ loop of attention's backward: three wgmma dots, S = Q K^T,
// dP = dO V^T, dQ += dS K. K is read by two dots, K-major through tl.trans
// by the first and MN-major by the third: it gets one ring slot (the
// swizzled tile is the same either way), copied once per iteration, which
// both dots read (bOffset 0, bKMajor true and false); V, through tl.trans,
// gets the next slot. Q and dO, loaded before the loop, are resident; dS,
// computed in the accumulator's layout, is read from registers. The dots
// are scheduled (ScheduleStagedDots.cpp): S and dP are issued back to back
// without waiting, each is waited for where it is first used (S leaving dP
// in flight), and dQ is issued without a wait, which the yield's dot_wait
// supplies, after the next copies. Every group completes in its iteration:
// D + 1 = 3 stages.
// CHECK-LABEL: func.func @attention_dq
// CHECK: tilegpu.async_copy %{{.*}} stage %{{.*}} {offset = 49152 : i64, stageBytes = 0 : i64}
// CHECK: tilegpu.async_copy %{{.*}} stage %{{.*}} {offset = 57344 : i64, stageBytes = 0 : i64}
// CHECK-NEXT: tilegpu.async_copy_commit
// CHECK: scf.for
// CHECK-NOT: tile.load
// CHECK-NOT: tile.trans
// CHECK: tilegpu.async_copy_wait {pendings = 1 : i32}
// CHECK: %[[S:.*]] = tilegpu.staged_dot {{.*}}aOffset = 49152 : i64, {{.*}}bKMajor = true, bOffset = 0 : i64, bStageBytes = 16384 : i64, {{.*}}pendings = -1 : i32
// CHECK-NEXT: %[[DP:.*]] = tilegpu.staged_dot {{.*}}aOffset = 57344 : i64, {{.*}}bKMajor = true, bOffset = 8192 : i64, bStageBytes = 16384 : i64, {{.*}}pendings = -1 : i32
// CHECK: %[[SW:.*]] = tilegpu.dot_wait %[[S]] {pendings = 1 : i32}
// CHECK-NEXT: %[[DPW:.*]] = tilegpu.dot_wait %[[DP]] {pendings = 0 : i32}
// CHECK-NEXT: arith.mulf %[[SW]], %[[DPW]]
// CHECK: %[[DQ:.*]] = tilegpu.staged_dot {{.*}}bKMajor = false, bOffset = 0 : i64, bStageBytes = 16384 : i64, {{.*}}pendings = -1 : i32, sharedBytes = 65536 : i64
// CHECK: tilegpu.async_copy {{.*}}offset = 0 : i64, stageBytes = 16384
// CHECK-NOT: tilegpu.async_copy %
// CHECK: tilegpu.async_copy {{.*}}offset = 8192 : i64, stageBytes = 16384
// CHECK-NOT: tilegpu.async_copy %
// CHECK: tilegpu.async_copy_commit
// CHECK-NEXT: %[[DQW:.*]] = tilegpu.dot_wait %[[DQ]] {pendings = 0 : i32}
// CHECK-NEXT: scf.yield %[[DQW]]

// Lowered: per iteration two 64x64 tiles of copies (2 x 512 cp.async of 16
// bytes over 128 threads: 8 each), and K's slot read K-major (trans-b 0) by
// S and MN-major (trans-b 1) by dQ.
// LLVM: scf.for
// LLVM: wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 {{.*}}}, $32, $33, p, 1, 1, 0, 0; }
// LLVM: wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 {{.*}}}, $32, $33, p, 1, 1, 0, 0; }
// LLVM: wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 {{.*}}}, {$32, $33, $34, $35}, $36, p, 1, 1, 1; }
// LLVM-COUNT-8: cp.async.cg.shared.global
// LLVM-NOT: cp.async.cg.shared.global
// LLVM: scf.yield
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#blockedT = #tilegpu.blocked<{sizePerThread = [8, 1], threadsPerWarp = [8, 4], warpsPerCTA = [1, 4], order = [0, 1]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @attention_dq(%q: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %do: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %k: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %v: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %dq: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32 {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
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
    %qs = tile.splat %q : tensor<64x64x!tile.ptr<f16>, #blocked>
    %qp = tile.addptr %qs, %off : tensor<64x64x!tile.ptr<f16>, #blocked>, tensor<64x64xi32, #blocked>
    %qv = tile.load %qp : tensor<64x64x!tile.ptr<f16>, #blocked>
    %dos = tile.splat %do : tensor<64x64x!tile.ptr<f16>, #blocked>
    %dop = tile.addptr %dos, %off : tensor<64x64x!tile.ptr<f16>, #blocked>, tensor<64x64xi32, #blocked>
    %dov = tile.load %dop : tensor<64x64x!tile.ptr<f16>, #blocked>
    %res = scf.for %i = %c0 to %n step %c64 iter_args(%acc = %zero) -> (tensor<64x64xf32, #mma>) : i32 {
      %base = arith.muli %i, %c64 : i32
      %bs = tile.splat %base : tensor<64x64xi32, #blocked>
      %toff = arith.addi %off, %bs : tensor<64x64xi32, #blocked>
      %ks = tile.splat %k : tensor<64x64x!tile.ptr<f16>, #blocked>
      %kp = tile.addptr %ks, %toff : tensor<64x64x!tile.ptr<f16>, #blocked>, tensor<64x64xi32, #blocked>
      %kv = tile.load %kp : tensor<64x64x!tile.ptr<f16>, #blocked>
      %kt = tile.trans %kv, [1, 0] : tensor<64x64xf16, #blocked> -> tensor<64x64xf16, #blockedT>
      %s = tile.dot %qv, %kt, %zero : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blockedT> -> tensor<64x64xf32, #mma>
      %vs = tile.splat %v : tensor<64x64x!tile.ptr<f16>, #blocked>
      %vp = tile.addptr %vs, %toff : tensor<64x64x!tile.ptr<f16>, #blocked>, tensor<64x64xi32, #blocked>
      %vv = tile.load %vp : tensor<64x64x!tile.ptr<f16>, #blocked>
      %vt = tile.trans %vv, [1, 0] : tensor<64x64xf16, #blocked> -> tensor<64x64xf16, #blockedT>
      %dp = tile.dot %dov, %vt, %zero : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blockedT> -> tensor<64x64xf32, #mma>
      %ds = arith.mulf %s, %dp : tensor<64x64xf32, #mma>
      %dsh = arith.truncf %ds : tensor<64x64xf32, #mma> to tensor<64x64xf16, #mma>
      %acc2 = tile.dot %dsh, %kv, %acc : tensor<64x64xf16, #mma>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
      scf.yield %acc2 : tensor<64x64xf32, #mma>
    }
    %os = tile.splat %dq : tensor<64x64x!tile.ptr<f32>, #mma>
    %od = tilegpu.convert_layout %off : tensor<64x64xi32, #blocked> -> tensor<64x64xi32, #mma>
    %op = tile.addptr %os, %od : tensor<64x64x!tile.ptr<f32>, #mma>, tensor<64x64xi32, #mma>
    tile.store %op, %res : tensor<64x64x!tile.ptr<f32>, #mma>
    return
  }
}

// RUN: tessel-opt %s --tessel-pipeline-dot-operands="num-stages=3" | FileCheck %s
// RUN: tessel-opt %s --tessel-pipeline-dot-operands="num-stages=3" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=LLVM

// An attention loop (two wgmma dots: S = Q K^T, then P V, with P computed in
// the loop): K (through tl.trans, a K-major B) and V get slots of a ring of
// 16 KiB stages, copied D = 2 iterations ahead; Q, loop-invariant, is copied
// once to a region after the stages; P, the truncated accumulator of the
// first dot, is in that accumulator's layout: the second dot reads it from
// registers (no region). The loop is rotated (RotateStagedDots.cpp) so that
// P V of iteration j - 1 runs while iteration j's softmax does: iteration 0
// without its P V runs before the loop, the loop issues Q K^T (no wait), then
// the previous P V (carried P, accumulator and stage; wait until one group is
// left, which completes Q K^T), waits for Q K^T's result, and waits for P V
// before the next copies (they may reuse its stage: one warpgroup, whose own
// wait frees it, so D + 1 = 3 stages as before); the last P V follows the
// loop, all under lb < ub.
// CHECK-LABEL: func.func @attention
// CHECK: tile.barrier
// CHECK-NEXT: %[[Z:.*]] = arith.constant 0 : i32
// CHECK-NEXT: tilegpu.async_copy %{{.*}} stage %[[Z]] {offset = 49152 : i64, stageBytes = 0 : i64}
// CHECK-NEXT: tilegpu.async_copy_commit
// CHECK: tilegpu.async_copy {{.*}}offset = 0 : i64, stageBytes = 16384
// CHECK: tilegpu.async_copy {{.*}}offset = 8192 : i64, stageBytes = 16384
// CHECK: %[[RUNS:.*]] = arith.cmpi slt, %c0_i32, %arg4 : i32
// CHECK-NEXT: scf.if %[[RUNS]]
// CHECK: tilegpu.async_copy_wait {pendings = 1 : i32}
// CHECK: %[[S0:.*]] = tilegpu.staged_dot %{{.*}} stage %{{.*}} {aOffset = 49152 : i64, {{.*}}bKMajor = true, {{.*}}sharedBytes = 57344 : i64}
// CHECK: %[[P0:.*]] = arith.truncf %[[S0]]
// CHECK-NOT: tilegpu.staged_dot
// CHECK: scf.for {{.*}} iter_args(%[[P:.*]] = %[[P0]], %[[ACC:.*]] = %{{.*}}, %[[ST:.*]] = %{{.*}})
// CHECK-NOT: tile.load
// CHECK: tilegpu.async_copy_wait {pendings = 1 : i32}
// CHECK: %[[S:.*]] = tilegpu.staged_dot %{{.*}} stage %[[STAGE:[^ ]*]] {{{.*}}pendings = -1 : i32
// CHECK-NEXT: %[[O:.*]] = tilegpu.staged_dot %[[ACC]] a %[[P]] : tensor<64x64xf16, #tilegpu.mma<{{.*}}>> stage %[[ST]] {aOffset = 0 : i64, aStageBytes = 0 : i64, {{.*}}bKMajor = false, bOffset = 8192 : i64, bStageBytes = 16384 : i64, {{.*}}pendings = 1 : i32
// CHECK-NEXT: %[[SW:.*]] = tilegpu.dot_wait %[[S]] {pendings = 1 : i32}
// CHECK: %[[PN:.*]] = arith.truncf %[[SW]]
// CHECK: %[[OW:.*]] = tilegpu.dot_wait %[[O]] {pendings = 0 : i32}
// CHECK-NEXT: tilegpu.async_copy {{.*}}offset = 0 : i64, stageBytes = 16384
// CHECK: tilegpu.async_copy {{.*}}offset = 8192 : i64, stageBytes = 16384
// CHECK-NEXT: tilegpu.async_copy_commit
// CHECK-NEXT: scf.yield %[[PN]], %[[OW]], %[[STAGE]]
// CHECK: tilegpu.staged_dot %{{.*}}#1 a %{{.*}}#0 : {{.*}} stage %{{.*}}#2 {
// CHECK: } else {
// CHECK: tilegpu.async_copy_wait {pendings = 0 : i32}

// Lowered: Q K^T reads A and B from shared memory, B K-major (the last
// immediates, trans-a and trans-b, are 0, 0); P V takes A as four 32-bit
// registers (pairs of P's f16 registers, no store, no barrier) and reads V
// MN-major (trans-b 1). In the loop Q K^T does not wait; P V waits until one
// group is left; then Q K^T's accumulators pass through a wait of 1, and P
// V's through a wait of 0.
// LLVM: "cp.async.wait_group 1;"
// LLVM: wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 {{.*}}}, $32, $33, p, 1, 1, 0, 0; }
// LLVM: "wgmma.wait_group.sync.aligned 0;"
// LLVM: "cp.async.wait_group 1;"
// LLVM: wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 {{.*}}}, $32, $33, p, 1, 1, 0, 0; }
// LLVM-NOT: wgmma.wait_group
// LLVM: llvm.bitcast %{{.*}} : vector<2xf16> to i32
// LLVM: wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 {{.*}}}, {$32, $33, $34, $35}, $36, p, 1, 1, 1; }", "=f{{.*}},r,r,r,r,l,
// LLVM: "wgmma.wait_group.sync.aligned 1;"
// LLVM: "wgmma.wait_group.sync.aligned 1;"
// LLVM: "wgmma.wait_group.sync.aligned 0;"
// LLVM: "cp.async.wait_group 0;"
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#blockedT = #tilegpu.blocked<{sizePerThread = [8, 1], threadsPerWarp = [8, 4], warpsPerCTA = [1, 4], order = [0, 1]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @attention(%q: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %k: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %v: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32 {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
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
      %vs = tile.splat %v : tensor<64x64x!tile.ptr<f16>, #blocked>
      %vp = tile.addptr %vs, %toff : tensor<64x64x!tile.ptr<f16>, #blocked>, tensor<64x64xi32, #blocked>
      %vv = tile.load %vp : tensor<64x64x!tile.ptr<f16>, #blocked>
      %acc2 = tile.dot %p, %vv, %acc : tensor<64x64xf16, #mma>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
      scf.yield %acc2 : tensor<64x64xf32, #mma>
    }
    %os = tile.splat %o : tensor<64x64x!tile.ptr<f32>, #mma>
    %od = tilegpu.convert_layout %off : tensor<64x64xi32, #blocked> -> tensor<64x64xi32, #mma>
    %op = tile.addptr %os, %od : tensor<64x64x!tile.ptr<f32>, #mma>, tensor<64x64xi32, #mma>
    tile.store %op, %res : tensor<64x64x!tile.ptr<f32>, #mma>
    return
  }
}

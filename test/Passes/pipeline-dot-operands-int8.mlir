// RUN: tessel-opt %s --tessel-pipeline-dot-operands="num-stages=3" | FileCheck %s
// RUN: tessel-opt %s --tessel-pipeline-dot-operands="num-stages=3" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=LLVM

// An int8 A B^T loop (B loaded as N x K rows, then tl.trans: the K-major B
// that 8-bit wgmma needs): both tiles go through the ring as 16-byte runs of
// 16 i8 each, 4 KiB a tile (8 KiB a stage); the other is an i8 zero, which
// cp.async's zero fill gives. The loop's only dot accumulates into its
// iteration argument: its wgmma stays in flight into the next iteration
// (pendings = 1, D + 2 = 4 stages), and a dot_wait after the loop ends it.
// CHECK-LABEL: func.func @int8_nt
// CHECK: tilegpu.async_copy {{.*}}offset = 0 : i64, stageBytes = 8192
// CHECK: tilegpu.async_copy {{.*}}offset = 4096 : i64, stageBytes = 8192
// CHECK: scf.for
// CHECK-NOT: tile.load
// CHECK-NOT: tile.trans
// CHECK: tilegpu.staged_dot {{.*}}bKMajor = true, {{.*}}pendings = 1 : i32, sharedBytes = 32768 : i64} : tensor<64x64xi32
// CHECK: scf.yield
// CHECK: %[[DONE:.*]] = tilegpu.dot_wait %{{.*}} {pendings = 0 : i32}
// CHECK: tile.store %{{.*}}, %[[DONE]]

// Lowered: one cp.async per 16 i8, and per 32-byte K step one
// m64n64k32.s32.s8.s8 on K-major descriptors with s32 ("=r") accumulators
// and no float immediates: K = 64 is two steps.
// LLVM-COUNT-2: cp.async.cg.shared.global [$0 + {{[0-9]+}}], [$1], 16, $2;
// LLVM: wgmma.mma_async.sync.aligned.m64n64k32.s32.s8.s8 {{.*}}}, $32, $33, p; }", "=r,
// LLVM: wgmma.mma_async.sync.aligned.m64n64k32.s32.s8.s8 {{.*}}}, $32, $33, p; }", "=r,
// LLVM-NOT: wgmma.mma_async
// LLVM: "wgmma.wait_group.sync.aligned 1;"
// LLVM: "wgmma.wait_group.sync.aligned 0;"
#blocked = #tilegpu.blocked<{sizePerThread = [1, 16], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]}>
#blockedT = #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @int8_nt(%a: !tile.ptr<i8> {tile.divisibility = 16 : i32}, %b: !tile.ptr<i8> {tile.divisibility = 16 : i32}, %c: !tile.ptr<i32> {tile.divisibility = 16 : i32}, %k: i32 {tile.divisibility = 16 : i32}, %stride: i32 {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
    %step = arith.constant dense<64> : tensor<64x64xi32, #blocked>
    %zero8 = arith.constant dense<0> : tensor<64x64xi8, #blocked>
    %zero = arith.constant dense<0> : tensor<64x64xi32, #mma>
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    %c4 = arith.constant 4 : i32
    %c64 = arith.constant 64 : i32
    %rows = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #blocked}>>
    %r2 = tile.expand_dims %rows {axis = 1 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #blocked}>> -> tensor<64x1xi32, #blocked>
    %s = tile.splat %stride : tensor<64x1xi32, #blocked>
    %roff = arith.muli %r2, %s : tensor<64x1xi32, #blocked>
    %rb = tile.broadcast %roff : tensor<64x1xi32, #blocked> -> tensor<64x64xi32, #blocked>
    %cols = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #blocked}>>
    %c2 = tile.expand_dims %cols {axis = 0 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #blocked}>> -> tensor<1x64xi32, #blocked>
    %cb = tile.broadcast %c2 : tensor<1x64xi32, #blocked> -> tensor<64x64xi32, #blocked>
    %off = arith.addi %rb, %cb : tensor<64x64xi32, #blocked>
    %as = tile.splat %a : tensor<64x64x!tile.ptr<i8>, #blocked>
    %a0 = tile.addptr %as, %off : tensor<64x64x!tile.ptr<i8>, #blocked>, tensor<64x64xi32, #blocked>
    %bs = tile.splat %b : tensor<64x64x!tile.ptr<i8>, #blocked>
    %b0 = tile.addptr %bs, %off : tensor<64x64x!tile.ptr<i8>, #blocked>, tensor<64x64xi32, #blocked>
    %r:3 = scf.for %i = %c0 to %c4 step %c1 iter_args(%ap = %a0, %bp = %b0, %acc = %zero) -> (tensor<64x64x!tile.ptr<i8>, #blocked>, tensor<64x64x!tile.ptr<i8>, #blocked>, tensor<64x64xi32, #mma>) : i32 {
      %done = arith.muli %i, %c64 : i32
      %left = arith.subi %k, %done : i32
      %ls = tile.splat %left : tensor<1x64xi32, #blocked>
      %m1 = arith.cmpi slt, %c2, %ls : tensor<1x64xi32, #blocked>
      %mask = tile.broadcast %m1 : tensor<1x64xi1, #blocked> -> tensor<64x64xi1, #blocked>
      %x = tile.load %ap, %mask, %zero8 : tensor<64x64x!tile.ptr<i8>, #blocked>
      %y = tile.load %bp, %mask, %zero8 : tensor<64x64x!tile.ptr<i8>, #blocked>
      %yt = tile.trans %y, [1, 0] : tensor<64x64xi8, #blocked> -> tensor<64x64xi8, #blockedT>
      %d = tile.dot %x, %yt, %acc : tensor<64x64xi8, #blocked>, tensor<64x64xi8, #blockedT> -> tensor<64x64xi32, #mma>
      %an = tile.addptr %ap, %step : tensor<64x64x!tile.ptr<i8>, #blocked>, tensor<64x64xi32, #blocked>
      %bn = tile.addptr %bp, %step : tensor<64x64x!tile.ptr<i8>, #blocked>, tensor<64x64xi32, #blocked>
      scf.yield %an, %bn, %d : tensor<64x64x!tile.ptr<i8>, #blocked>, tensor<64x64x!tile.ptr<i8>, #blocked>, tensor<64x64xi32, #mma>
    }
    %cs = tile.splat %c : tensor<64x64x!tile.ptr<i32>, #mma>
    %ptrs = tile.addptr %cs, %zero : tensor<64x64x!tile.ptr<i32>, #mma>, tensor<64x64xi32, #mma>
    tile.store %ptrs, %r#2 : tensor<64x64x!tile.ptr<i32>, #mma>
    return
  }
}

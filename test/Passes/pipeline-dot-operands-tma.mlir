// RUN: tessel-opt %s --tessel-pipeline-dot-operands="num-stages=3" | FileCheck %s
// RUN: tessel-opt %s --tessel-pipeline-dot-operands="num-stages=3" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=LLVM

// A matmul on host tensor descriptors (64x64x32 tiles, 4 warps) after
// tessel-async-dots: both loads name their descriptor's tensor map, so the
// ring's copies are TMA loads that one thread issues 2 iterations ahead, an
// mbarrier per stage (after the 4 stages of 8 KiB) counting their bytes.
// CHECK-LABEL: func.func @mm
// CHECK: tile.barrier
// CHECK-NEXT: tilegpu.mbarrier_init {count = 4 : i64, offset = 32768 : i64}
// Prologue: iterations 0 and 1 (where they exist) into stages 0 and 1.
// CHECK: tilegpu.tma_expect %[[S0:.*]], %[[V0:.*]] {barrierOffset = 32768 : i64, bytes = 8192 : i64}
// CHECK: tilegpu.tma_copy %arg4[%{{.*}}, %{{.*}}] stage %[[S0]], %[[V0]] {barrierOffset = 32768 : i64, offset = 0 : i64, stageBytes = 8192 : i64, tileType = tensor<64x32xf16, #{{.*}}>} : !tile.tensormap
// CHECK: tilegpu.tma_copy %arg9[%{{.*}}, %{{.*}}] stage %[[S0]], %[[V0]] {barrierOffset = 32768 : i64, offset = 4096 : i64, stageBytes = 8192 : i64, tileType = tensor<32x64xf16, #{{.*}}>} : !tile.tensormap
// CHECK: tilegpu.tma_expect
// CHECK: scf.for %[[IV:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// No pointer loads or cp.async copies are left in the loop: iteration i
// waits for phase (i / 4) % 2 of stage i % 4, multiplies, and issues
// iteration i + 2 into stage (i + 2) % 4.
// CHECK-NOT: tile.load
// CHECK-NOT: tilegpu.async_copy
// CHECK: %[[PHASE:.*]] = arith.andi %{{.*}}, %c1_i32
// CHECK: tilegpu.tma_wait %{{.*}}, %[[PHASE]] {barrierOffset = 32768 : i64}
// CHECK: tilegpu.shared_dot
// CHECK: tilegpu.tma_expect
// CHECK: tilegpu.tma_copy %arg4
// CHECK: tilegpu.tma_copy %arg9
// CHECK-NEXT: scf.yield
// After the loop nothing is in flight (iterations past the end issue
// nothing): the barriers are retired.
// CHECK: tilegpu.mbarrier_inval {count = 4 : i64, offset = 32768 : i64}
// CHECK-NEXT: tilegpu.dot_wait

// Lowered: thread 0 initializes the barriers and, where the iteration
// exists, arrives expecting the stage's bytes and copies each block (one
// 64-byte-row slice each here) with cp.async.bulk.tensor, coordinates
// innermost first, in branches only it takes (the other threads skip the
// addresses); every thread spins on the stage's phase, then a barrier.
// LLVM: @p mbarrier.init.shared::cta.b64 [$1], 1; }
// LLVM: "fence.mbarrier_init.release.cluster;"
// LLVM: %[[TID:.*]] = nvvm.read.ptx.sreg.tid.x
// LLVM: %[[FIRST:.*]] = llvm.icmp "eq" %[[TID]], %{{.*}} : i32
// LLVM: %[[ISSUE:.*]] = llvm.and %[[FIRST]], %{{.*}} : i1
// LLVM: scf.if %[[ISSUE]] {
// LLVM: mbarrier.arrive.expect_tx.shared::cta.b64 _, [$0], 8192;
// LLVM: scf.if
// LLVM: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [$0], [$1, {$2, $3}], [$4];
// LLVM: mbarrier.try_wait.parity.shared::cta.b64 done, [$0], $1;
// LLVM-NEXT: nvvm.barrier0
// LLVM: wgmma.mma_async
// LLVM: @p mbarrier.inval.shared::cta.b64 [$1]; }
#a = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]}>
#b = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @mm(%arg0: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg1: i32 {tile.divisibility = 16 : i32}, %arg2: i32 {tile.divisibility = 16 : i32}, %arg3: i32 {tile.divisibility = 16 : i32}, %arg4: !tile.tensormap, %arg5: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg6: i32 {tile.divisibility = 16 : i32}, %arg7: i32 {tile.divisibility = 16 : i32}, %arg8: i32 {tile.divisibility = 16 : i32}, %arg9: !tile.tensormap, %arg10: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg11: i32 {tile.divisibility = 16 : i32}, %arg12: i32 {tile.divisibility = 16 : i32}, %arg13: i32 {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
    %cst = arith.constant dense<0.000000e+00> : tensor<64x32xf16, #a>
    %cst_0 = arith.constant dense<0> : tensor<1x32xi32, #a>
    %cst_1 = arith.constant dense<0> : tensor<64x1xi32, #a>
    %cst_2 = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #mma>
    %c31_i32 = arith.constant 31 : i32
    %cst_3 = arith.constant dense<0.000000e+00> : tensor<32x64xf16, #b>
    %cst_4 = arith.constant dense<0> : tensor<1x64xi32, #b>
    %cst_5 = arith.constant dense<0> : tensor<32x1xi32, #b>
    %c64_i32 = arith.constant 64 : i32
    %c0_i32 = arith.constant 0 : i32
    %c1_i32 = arith.constant 1 : i32
    %c32_i32 = arith.constant 32 : i32
    %0 = tile.program_id x : i32
    %1 = tile.program_id y : i32
    %2 = arith.addi %arg13, %c31_i32 : i32
    %3 = arith.divsi %2, %c32_i32 : i32
    %4 = scf.for %arg14 = %c0_i32 to %3 step %c1_i32 iter_args(%arg15 = %cst_2) -> (tensor<64x64xf32, #mma>)  : i32 {
      %32 = arith.muli %0, %c64_i32 : i32
      %33 = arith.muli %arg14, %c32_i32 : i32
      %34 = tile.splat %arg0 : tensor<64x1x!tile.ptr<f16>, #a>
      %35 = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #a}>>
      %36 = tile.splat %32 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #a}>>
      %37 = arith.addi %35, %36 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #a}>>
      %38 = tile.expand_dims %37 {axis = 1 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #a}>> -> tensor<64x1xi32, #a>
      %39 = tile.splat %arg3 : tensor<64x1xi32, #a>
      %40 = arith.muli %38, %39 : tensor<64x1xi32, #a>
      %41 = tile.addptr %34, %40 : tensor<64x1x!tile.ptr<f16>, #a>, tensor<64x1xi32, #a>
      %42 = tile.broadcast %41 : tensor<64x1x!tile.ptr<f16>, #a> -> tensor<64x32x!tile.ptr<f16>, #a>
      %43 = tile.make_range 0 to 32 : tensor<32xi32, #tilegpu.slice<{dim = 0, parent = #a}>>
      %44 = tile.splat %33 : tensor<32xi32, #tilegpu.slice<{dim = 0, parent = #a}>>
      %45 = arith.addi %43, %44 : tensor<32xi32, #tilegpu.slice<{dim = 0, parent = #a}>>
      %46 = tile.expand_dims %45 {axis = 0 : i32} : tensor<32xi32, #tilegpu.slice<{dim = 0, parent = #a}>> -> tensor<1x32xi32, #a>
      %47 = tile.broadcast %46 : tensor<1x32xi32, #a> -> tensor<64x32xi32, #a>
      %48 = tile.addptr %42, %47 : tensor<64x32x!tile.ptr<f16>, #a>, tensor<64x32xi32, #a>
      %49 = arith.cmpi sge, %38, %cst_1 : tensor<64x1xi32, #a>
      %50 = tile.splat %arg1 : tensor<64x1xi32, #a>
      %51 = arith.cmpi slt, %38, %50 : tensor<64x1xi32, #a>
      %52 = arith.andi %49, %51 : tensor<64x1xi1, #a>
      %53 = tile.broadcast %52 : tensor<64x1xi1, #a> -> tensor<64x32xi1, #a>
      %54 = arith.cmpi sge, %46, %cst_0 : tensor<1x32xi32, #a>
      %55 = tile.splat %arg2 : tensor<1x32xi32, #a>
      %56 = arith.cmpi slt, %46, %55 : tensor<1x32xi32, #a>
      %57 = arith.andi %54, %56 : tensor<1x32xi1, #a>
      %58 = tile.broadcast %57 : tensor<1x32xi1, #a> -> tensor<64x32xi1, #a>
      %59 = arith.andi %53, %58 : tensor<64x32xi1, #a>
      %60 = tile.load %48, %59, %cst tensormap %arg4[%32, %33] : tensor<64x32x!tile.ptr<f16>, #a>
      %61 = arith.muli %1, %c64_i32 : i32
      %62 = tile.make_range 0 to 32 : tensor<32xi32, #tilegpu.slice<{dim = 1, parent = #b}>>
      %63 = tile.splat %33 : tensor<32xi32, #tilegpu.slice<{dim = 1, parent = #b}>>
      %64 = arith.addi %62, %63 : tensor<32xi32, #tilegpu.slice<{dim = 1, parent = #b}>>
      %65 = tile.expand_dims %64 {axis = 1 : i32} : tensor<32xi32, #tilegpu.slice<{dim = 1, parent = #b}>> -> tensor<32x1xi32, #b>
      %66 = tile.splat %arg8 : tensor<32x1xi32, #b>
      %67 = arith.muli %65, %66 : tensor<32x1xi32, #b>
      %68 = tile.splat %arg5 : tensor<32x1x!tile.ptr<f16>, #b>
      %69 = tile.addptr %68, %67 : tensor<32x1x!tile.ptr<f16>, #b>, tensor<32x1xi32, #b>
      %70 = arith.cmpi sge, %65, %cst_5 : tensor<32x1xi32, #b>
      %71 = tile.splat %arg6 : tensor<32x1xi32, #b>
      %72 = arith.cmpi slt, %65, %71 : tensor<32x1xi32, #b>
      %73 = arith.andi %70, %72 : tensor<32x1xi1, #b>
      %74 = tile.splat %61 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #b}>>
      %75 = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #b}>>
      %76 = arith.addi %75, %74 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #b}>>
      %77 = tile.expand_dims %76 {axis = 0 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #b}>> -> tensor<1x64xi32, #b>
      %78 = tile.broadcast %69 : tensor<32x1x!tile.ptr<f16>, #b> -> tensor<32x64x!tile.ptr<f16>, #b>
      %79 = tile.broadcast %77 : tensor<1x64xi32, #b> -> tensor<32x64xi32, #b>
      %80 = tile.addptr %78, %79 : tensor<32x64x!tile.ptr<f16>, #b>, tensor<32x64xi32, #b>
      %81 = arith.cmpi sge, %77, %cst_4 : tensor<1x64xi32, #b>
      %82 = tile.splat %arg7 : tensor<1x64xi32, #b>
      %83 = arith.cmpi slt, %77, %82 : tensor<1x64xi32, #b>
      %84 = arith.andi %81, %83 : tensor<1x64xi1, #b>
      %85 = tile.broadcast %73 : tensor<32x1xi1, #b> -> tensor<32x64xi1, #b>
      %86 = tile.broadcast %84 : tensor<1x64xi1, #b> -> tensor<32x64xi1, #b>
      %87 = arith.andi %85, %86 : tensor<32x64xi1, #b>
      %88 = tile.load %80, %87, %cst_3 tensormap %arg9[%33, %61] : tensor<32x64x!tile.ptr<f16>, #b>
      %89 = arith.subi %arg14, %c0_i32 : i32
      %90 = arith.divsi %89, %c1_i32 : i32
      %c2_i32 = arith.constant 2 : i32
      %91 = arith.remui %90, %c2_i32 : i32
      %92 = tilegpu.async_dot %60, %88, %arg15 stage %91 {numStages = 2 : i32} : tensor<64x32xf16, #a>, tensor<32x64xf16, #b> -> tensor<64x64xf32, #mma>
      scf.yield %92 : tensor<64x64xf32, #mma>
    }
    %5 = tilegpu.dot_wait %4 {pendings = 0 : i32} : tensor<64x64xf32, #mma>
    %6 = arith.muli %0, %c64_i32 : i32
    %7 = tile.splat %6 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #b}>>
    %8 = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #b}>>
    %9 = arith.addi %7, %8 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #b}>>
    %10 = arith.muli %1, %c64_i32 : i32
    %11 = tile.splat %10 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #b}>>
    %12 = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #b}>>
    %13 = arith.addi %11, %12 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #b}>>
    %14 = tile.expand_dims %9 {axis = 1 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #b}>> -> tensor<64x1xi32, #b>
    %15 = tile.splat %arg12 : tensor<64x1xi32, #b>
    %16 = arith.muli %14, %15 : tensor<64x1xi32, #b>
    %17 = tile.splat %arg10 : tensor<64x1x!tile.ptr<f16>, #b>
    %18 = tile.addptr %17, %16 : tensor<64x1x!tile.ptr<f16>, #b>, tensor<64x1xi32, #b>
    %19 = tile.expand_dims %13 {axis = 0 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #b}>> -> tensor<1x64xi32, #b>
    %20 = tile.broadcast %18 : tensor<64x1x!tile.ptr<f16>, #b> -> tensor<64x64x!tile.ptr<f16>, #b>
    %21 = tile.broadcast %19 : tensor<1x64xi32, #b> -> tensor<64x64xi32, #b>
    %22 = tile.addptr %20, %21 : tensor<64x64x!tile.ptr<f16>, #b>, tensor<64x64xi32, #b>
    %23 = arith.truncf %5 : tensor<64x64xf32, #mma> to tensor<64x64xf16, #mma>
    %24 = tilegpu.convert_layout %23 : tensor<64x64xf16, #mma> -> tensor<64x64xf16, #b>
    %25 = tile.splat %arg11 : tensor<64x1xi32, #b>
    %26 = arith.cmpi slt, %14, %25 : tensor<64x1xi32, #b>
    %27 = tile.splat %arg12 : tensor<1x64xi32, #b>
    %28 = arith.cmpi slt, %19, %27 : tensor<1x64xi32, #b>
    %29 = tile.broadcast %26 : tensor<64x1xi1, #b> -> tensor<64x64xi1, #b>
    %30 = tile.broadcast %28 : tensor<1x64xi1, #b> -> tensor<64x64xi1, #b>
    %31 = arith.andi %29, %30 : tensor<64x64xi1, #b>
    tile.store %22, %24, %31 : tensor<64x64x!tile.ptr<f16>, #b>
    return
  }
}

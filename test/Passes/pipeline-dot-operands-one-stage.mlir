// RUN: tessel-opt %s --tessel-pipeline-dot-operands="num-stages=1" | FileCheck %s

// num_stages = 1 on a Hopper loop of wgmma dots (attention's forward on host
// tensor descriptors, 128x64 blocks, HEAD_DIM 64, 8 warps, after
// tessel-async-dots): nothing is copied ahead, but K and V still reach the
// tensor cores through shared memory, one stage copied by TMA in the
// iteration that reads it, after a barrier (every warp is done with the
// previous iteration's dots, which each complete in their iteration). Q
// stays resident. No prologue, no rotation, no producer warp (that needs a
// ring ahead), nothing in flight after the loop.
// CHECK-LABEL: func.func @attention_fwd_desc
// CHECK-NOT: tilegpu.producer_warp
// CHECK: tilegpu.async_copy {{.*}}offset = 16384 : i64, stageBytes = 0 : i64
// CHECK: tilegpu.mbarrier_init {count = 1 : i64, offset = 32768 : i64}
// CHECK-NEXT: tilegpu.async_copy_wait {pendings = 0 : i32}
// CHECK-NOT: tilegpu.tma_copy
// CHECK: scf.for
// CHECK: tile.barrier
// CHECK: tilegpu.tma_expect %[[STAGE:.*]], %{{.*}} {barrierOffset = 32768 : i64, bytes = 16384 : i64}
// CHECK: tilegpu.tma_copy %arg9[{{.*}}] stage %[[STAGE]], {{.*}}offset = 0 : i64, stageBytes = 16384 : i64
// CHECK: tilegpu.tma_copy %arg14[{{.*}}] stage %[[STAGE]], {{.*}}offset = 8192 : i64, stageBytes = 16384 : i64
// CHECK: tilegpu.tma_wait %{{.*}}, %{{.*}} {barrierOffset = 32768 : i64}
// CHECK: tilegpu.staged_dot %{{.*}} stage {{.*}}aOffset = 16384 : i64, aStageBytes = 0 : i64
// CHECK-NOT: pendings
// CHECK: tilegpu.staged_dot %{{.*}} a %{{.*}} stage {{.*}}bOffset = 8192 : i64, bStageBytes = 16384 : i64
// CHECK-NOT: pendings
// CHECK-NOT: tilegpu.tma_copy
// CHECK: scf.yield
// CHECK: tilegpu.mbarrier_inval {count = 1 : i64, offset = 32768 : i64}
module attributes {tilegpu.num_warps = 8 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @attention_fwd_desc(%arg0: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg1: i32 {tile.divisibility = 16 : i32}, %arg2: i32 {tile.divisibility = 16 : i32}, %arg3: i32 {tile.divisibility = 16 : i32}, %arg4: !tile.tensormap, %arg5: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg6: i32 {tile.divisibility = 16 : i32}, %arg7: i32 {tile.divisibility = 16 : i32}, %arg8: i32 {tile.divisibility = 16 : i32}, %arg9: !tile.tensormap, %arg10: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg11: i32 {tile.divisibility = 16 : i32}, %arg12: i32 {tile.divisibility = 16 : i32}, %arg13: i32 {tile.divisibility = 16 : i32}, %arg14: !tile.tensormap, %arg15: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg16: i32 {tile.divisibility = 16 : i32}, %arg17: i32 {tile.divisibility = 16 : i32}, %arg18: i32 {tile.divisibility = 16 : i32}, %arg19: !tile.tensormap, %arg20: f32, %arg21: i32 {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
    %cst = arith.constant dense<0.000000e+00> : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
    %cst_0 = arith.constant dense<0xFF800000> : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
    %cst_1 = arith.constant dense<0.000000e+00> : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
    %cst_2 = arith.constant dense<0.000000e+00> : tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %cst_3 = arith.constant dense<0> : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %c64_i32 = arith.constant 64 : i32
    %cst_4 = arith.constant 1.44269502 : f32
    %cst_5 = arith.constant dense<0.000000e+00> : tensor<128x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %c0_i32 = arith.constant 0 : i32
    %cst_6 = arith.constant dense<0> : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %cst_7 = arith.constant dense<0> : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %c128_i32 = arith.constant 128 : i32
    %0 = tile.program_id x : i32
    %1 = tile.program_id y : i32
    %2 = arith.muli %1, %arg21 : i32
    %3 = arith.muli %0, %c128_i32 : i32
    %4 = arith.addi %2, %3 : i32
    %5 = tile.make_range 0 to 128 : tensor<128xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>>
    %6 = tile.splat %4 : tensor<128xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>>
    %7 = arith.addi %5, %6 : tensor<128xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>>
    %8 = tile.expand_dims %7 {axis = 1 : i32} : tensor<128xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>> -> tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %9 = tile.splat %arg3 : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %10 = arith.muli %8, %9 : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %11 = tile.splat %arg0 : tensor<128x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %12 = tile.addptr %11, %10 : tensor<128x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %13 = arith.cmpi sge, %8, %cst_7 : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %14 = tile.splat %arg1 : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %15 = arith.cmpi slt, %8, %14 : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %16 = arith.andi %13, %15 : tensor<128x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %17 = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>>
    %18 = tile.expand_dims %17 {axis = 0 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>> -> tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %19 = tile.broadcast %12 : tensor<128x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %20 = tile.broadcast %18 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %21 = tile.addptr %19, %20 : tensor<128x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<128x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %22 = arith.cmpi sge, %18, %cst_6 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %23 = tile.splat %arg2 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %24 = arith.cmpi slt, %18, %23 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %25 = arith.andi %22, %24 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %26 = tile.broadcast %16 : tensor<128x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %27 = tile.broadcast %25 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %28 = arith.andi %26, %27 : tensor<128x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %29 = tile.load %21, %28, %cst_5 tensormap %arg4[%4, %c0_i32] : tensor<128x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %30 = arith.mulf %arg20, %cst_4 : f32
    %31:3 = scf.for %arg22 = %c0_i32 to %arg21 step %c64_i32 iter_args(%arg23 = %cst_0, %arg24 = %cst, %arg25 = %cst_1) -> (tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>, tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>, tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>)  : i32 {
      %53 = arith.addi %2, %arg22 : i32
      %54 = tile.splat %53 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>>
      %55 = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>>
      %56 = arith.addi %55, %54 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>>
      %57 = tile.expand_dims %56 {axis = 1 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>> -> tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %58 = tile.splat %arg8 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %59 = arith.muli %57, %58 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %60 = tile.splat %arg5 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %61 = tile.addptr %60, %59 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %62 = arith.cmpi sge, %57, %cst_3 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %63 = tile.splat %arg6 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %64 = arith.cmpi slt, %57, %63 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %65 = arith.andi %62, %64 : tensor<64x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %66 = tile.broadcast %61 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %67 = tile.broadcast %18 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %68 = tile.addptr %66, %67 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %69 = tile.splat %arg7 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %70 = arith.cmpi slt, %18, %69 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %71 = arith.andi %22, %70 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %72 = tile.broadcast %65 : tensor<64x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %73 = tile.broadcast %71 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %74 = arith.andi %72, %73 : tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %75 = tile.load %68, %74, %cst_2 tensormap %arg9[%53, %c0_i32] : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %76 = tile.trans %75, [1, 0] : tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %77 = tile.dot %29, %76, %cst_1 : tensor<128x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %78 = tile.reduce(%77) axis = 1 : (tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>) -> tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>> {
      ^bb0(%arg26: f32, %arg27: f32):
        %114 = arith.maxnumf %arg26, %arg27 : f32
        tile.reduce.return %114 : f32
      }
      %79 = tile.splat %30 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %80 = arith.mulf %78, %79 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %81 = arith.maxnumf %arg23, %80 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %82 = arith.subf %arg23, %81 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %83 = math.exp2 %82 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %84 = tile.splat %30 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %85 = arith.mulf %77, %84 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %86 = tile.expand_dims %81 {axis = 1 : i32} : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>> -> tensor<128x1xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %87 = tile.broadcast %86 : tensor<128x1xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>> -> tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %88 = arith.subf %85, %87 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %89 = math.exp2 %88 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %90 = arith.mulf %arg24, %83 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %91 = tile.reduce(%89) axis = 1 : (tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>) -> tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>> {
      ^bb0(%arg26: f32, %arg27: f32):
        %114 = arith.addf %arg26, %arg27 : f32
        tile.reduce.return %114 : f32
      }
      %92 = arith.addf %90, %91 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %93 = tile.expand_dims %83 {axis = 1 : i32} : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>> -> tensor<128x1xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %94 = tile.broadcast %93 : tensor<128x1xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>> -> tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %95 = arith.mulf %arg25, %94 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %96 = tile.splat %arg13 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %97 = arith.muli %57, %96 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %98 = tile.splat %arg10 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %99 = tile.addptr %98, %97 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %100 = tile.splat %arg11 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %101 = arith.cmpi slt, %57, %100 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %102 = arith.andi %62, %101 : tensor<64x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %103 = tile.broadcast %99 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %104 = tile.addptr %103, %67 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %105 = tile.splat %arg12 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %106 = arith.cmpi slt, %18, %105 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %107 = arith.andi %22, %106 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %108 = tile.broadcast %102 : tensor<64x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %109 = tile.broadcast %107 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %110 = arith.andi %108, %109 : tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %111 = tile.load %104, %110, %cst_2 tensormap %arg14[%53, %c0_i32] : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %112 = arith.truncf %89 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>> to tensor<128x64xf16, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %113 = tile.dot %112, %111, %95 : tensor<128x64xf16, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>, tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      scf.yield %81, %92, %113 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>, tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>, tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
    } {tile.warp_specialize}
    %32 = tilegpu.convert_layout %31#2 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>> -> tensor<128x64xf32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %33 = tilegpu.convert_layout %31#1 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>> -> tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>>
    %34 = tile.expand_dims %33 {axis = 1 : i32} : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>> -> tensor<128x1xf32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %35 = tile.broadcast %34 : tensor<128x1xf32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64xf32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %36 = arith.divf %32, %35 fastmath<afn> : tensor<128x64xf32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %37 = arith.truncf %36 : tensor<128x64xf32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> to tensor<128x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %38 = tile.splat %arg18 : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %39 = arith.muli %8, %38 : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %40 = tile.splat %arg15 : tensor<128x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %41 = tile.addptr %40, %39 : tensor<128x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %42 = tile.splat %arg16 : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %43 = arith.cmpi slt, %8, %42 : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %44 = arith.andi %13, %43 : tensor<128x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %45 = tile.broadcast %41 : tensor<128x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %46 = tile.addptr %45, %20 : tensor<128x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<128x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %47 = tile.splat %arg17 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %48 = arith.cmpi slt, %18, %47 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %49 = arith.andi %22, %48 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %50 = tile.broadcast %44 : tensor<128x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %51 = tile.broadcast %49 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %52 = arith.andi %50, %51 : tensor<128x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    tile.store %46, %37, %52 : tensor<128x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    return
  }
}



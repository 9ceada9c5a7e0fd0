// RUN: tessel-opt %s --tessel-pipeline-dot-operands="num-stages=3" | FileCheck %s
// RUN: sed -e 's/ {tile.warp_specialize}//' %s | tessel-opt --tessel-pipeline-dot-operands="num-stages=3" | FileCheck %s --check-prefix=THREAD0

// Attention's causal forward on host tensor descriptors with
// tl.range(..., warp_specialize=True) on both of its loops
// (bench/kernels/attention.py's attention_fwd_desc, CAUSAL: the key blocks
// left of the diagonal, then the diagonal's under the mask; 128x64 blocks,
// HEAD_DIM 64, 8 warps) after tessel-async-dots. The diagonal's loop has a
// ring of the same shape, so it continues the first loop's: the producer
// copies its K and V blocks right after the first loop's, numbering their
// uses on from the first loop's trip count, and the consumers, numbering
// theirs the same way, find the first stages already filled. No second set
// of barriers, no thread-0 copies, no barrier between the loops, and Q stays
// where the first loop left it.
// CHECK-LABEL: func.func @attention_fwd_desc
// CHECK-NEXT: tilegpu.mbarrier_init {count = 4 : i64, everyThread, offset = 81920 : i64}
// CHECK-NEXT: tilegpu.mbarrier_init {arrivals = 8 : i64, count = 4 : i64, everyThread, offset = 81952 : i64}
// CHECK-NEXT: %[[P:.*]] = tilegpu.producer_warp
// CHECK-NEXT: scf.if %[[P]] {
// CHECK: tilegpu.producer_warp {leader}
// The producer: the first loop's copies from use 0 ...
// CHECK: scf.for %{{.*}} = %[[LB1:.*]] to %[[UB1:.*]] step %[[STEP1:.*]] :
// CHECK: tilegpu.tma_wait %{{.*}}, %{{.*}} {barrierOffset = 81952 : i64, sync = false}
// CHECK: tilegpu.tma_copy %arg9[{{.*}}offset = 0 : i64, producer
// CHECK: tilegpu.tma_copy %arg14[{{.*}}offset = 8192 : i64, producer
// ... then the diagonal's, from the first loop's trip count on.
// CHECK: %[[SPAN:.*]] = arith.subi %[[UB1]], %[[LB1]] : i32
// CHECK: %[[TRIP:.*]] = arith.maxsi
// CHECK: scf.for %[[IV2:.*]] = %[[LB2:.*]] to %{{.*}} step %[[STEP2:.*]] :
// CHECK-NEXT: %[[OFF:.*]] = arith.subi %[[IV2]], %[[LB2]] : i32
// CHECK-NEXT: %[[IT:.*]] = arith.divsi %[[OFF]], %[[STEP2]] : i32
// CHECK-NEXT: %[[USE:.*]] = arith.addi %[[TRIP]], %[[IT]] : i32
// CHECK: tilegpu.tma_wait %{{.*}}, %{{.*}} {barrierOffset = 81952 : i64, sync = false}
// CHECK: tilegpu.tma_copy %arg9[{{.*}}offset = 0 : i64, producer
// CHECK: tilegpu.tma_copy %arg14[{{.*}}offset = 8192 : i64, producer
// CHECK: } else {
// CHECK-NEXT: tilegpu.set_max_registers {count = 232 : i32, increase}
// The consumers: Q copied once, before the first loop.
// CHECK: tilegpu.async_copy {{.*}}offset = 65536 : i64
// CHECK: tilegpu.tma_wait %{{.*}}, %{{.*}} {barrierOffset = 81920 : i64, sync = false}
// CHECK: tilegpu.mbarrier_arrive %{{.*}}, %{{.*}} {barrierOffset = 81952 : i64}
// CHECK-NOT: tilegpu.mbarrier_inval
// Between the loops: the diagonal's use base, no barrier, no copies (Q
// stays where the first loop left it).
// CHECK: %[[BASE:.*]] = arith.maxsi
// CHECK-NOT: tile.barrier
// CHECK-NOT: tilegpu.async_copy
// CHECK-NOT: tilegpu.tma_copy
// CHECK-NOT: tilegpu.mbarrier_init
// CHECK: %[[IT0:.*]] = arith.divsi
// CHECK-NEXT: %[[USE0:.*]] = arith.addi %[[BASE]], %[[IT0]] : i32
// CHECK-NEXT: %[[S:.*]] = arith.constant 4 : i32
// CHECK-NEXT: %[[STAGE:.*]] = arith.remui %[[USE0]], %[[S]] : i32
// CHECK: tilegpu.tma_wait %[[STAGE]], %{{.*}} {barrierOffset = 81920 : i64, sync = false}
// CHECK-NOT: tilegpu.tma_copy
// CHECK: tilegpu.mbarrier_arrive %{{.*}}, %{{.*}} {barrierOffset = 81952 : i64}
// CHECK: scf.for
// CHECK: tilegpu.mbarrier_arrive %{{.*}}, %{{.*}} {barrierOffset = 81952 : i64}
// One retirement of the barriers, after the diagonal's loop.
// CHECK: tilegpu.mbarrier_inval {count = 8 : i64, offset = 81920 : i64}
// CHECK-NOT: tilegpu.mbarrier_inval

// Without warp_specialize each loop has thread 0's ring (its own barriers
// and prologue), but Q, which the first loop left resident at the same
// offset with nothing between the loops touching shared memory, is not
// copied again for the diagonal's loop.
// THREAD0-LABEL: func.func @attention_fwd_desc
// THREAD0: tilegpu.async_copy {{.*}}offset = 65536 : i64, stageBytes = 0 : i64
// THREAD0: tilegpu.mbarrier_init {count = 4 : i64, offset = 81920 : i64}
// THREAD0: scf.for
// THREAD0: tilegpu.mbarrier_inval {count = 4 : i64, offset = 81920 : i64}
// THREAD0-NOT: tilegpu.async_copy {{.*}}stageBytes = 0 : i64
// THREAD0: tilegpu.mbarrier_init {count = 4 : i64, offset = 81920 : i64}
// THREAD0-NOT: tilegpu.async_copy {{.*}}stageBytes = 0 : i64
// THREAD0: scf.for
// THREAD0: tilegpu.mbarrier_inval {count = 4 : i64, offset = 81920 : i64}

module attributes {tilegpu.num_warps = 8 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @attention_fwd_desc(%arg0: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg1: i32 {tile.divisibility = 16 : i32}, %arg2: i32 {tile.divisibility = 16 : i32}, %arg3: i32 {tile.divisibility = 16 : i32}, %arg4: !tile.tensormap, %arg5: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg6: i32 {tile.divisibility = 16 : i32}, %arg7: i32 {tile.divisibility = 16 : i32}, %arg8: i32 {tile.divisibility = 16 : i32}, %arg9: !tile.tensormap, %arg10: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg11: i32 {tile.divisibility = 16 : i32}, %arg12: i32 {tile.divisibility = 16 : i32}, %arg13: i32 {tile.divisibility = 16 : i32}, %arg14: !tile.tensormap, %arg15: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg16: i32 {tile.divisibility = 16 : i32}, %arg17: i32 {tile.divisibility = 16 : i32}, %arg18: i32 {tile.divisibility = 16 : i32}, %arg19: !tile.tensormap, %arg20: f32, %arg21: i32 {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
    %cst = arith.constant dense<0xFF800000> : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
    %cst_0 = arith.constant dense<0xFF800000> : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
    %cst_1 = arith.constant dense<0.000000e+00> : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
    %cst_2 = arith.constant dense<0.000000e+00> : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
    %cst_3 = arith.constant dense<0.000000e+00> : tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %cst_4 = arith.constant dense<0> : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %c64_i32 = arith.constant 64 : i32
    %cst_5 = arith.constant 1.44269502 : f32
    %cst_6 = arith.constant dense<0.000000e+00> : tensor<128x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %c0_i32 = arith.constant 0 : i32
    %cst_7 = arith.constant dense<0> : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %cst_8 = arith.constant dense<0> : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %c128_i32 = arith.constant 128 : i32
    %c1_i32 = arith.constant 1 : i32
    %0 = tile.num_programs x : i32
    %1 = arith.subi %0, %c1_i32 : i32
    %2 = tile.program_id x : i32
    %3 = arith.subi %1, %2 : i32
    %4 = tile.program_id y : i32
    %5 = arith.muli %4, %arg21 : i32
    %6 = arith.muli %3, %c128_i32 : i32
    %7 = arith.addi %5, %6 : i32
    %8 = tile.splat %7 : tensor<128xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>>
    %9 = tile.make_range 0 to 128 : tensor<128xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>>
    %10 = arith.addi %9, %8 : tensor<128xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>>
    %11 = tile.expand_dims %10 {axis = 1 : i32} : tensor<128xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>> -> tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %12 = tile.splat %arg3 : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %13 = arith.muli %11, %12 : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %14 = tile.splat %arg0 : tensor<128x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %15 = tile.addptr %14, %13 : tensor<128x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %16 = arith.cmpi sge, %11, %cst_8 : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %17 = tile.splat %arg1 : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %18 = arith.cmpi slt, %11, %17 : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %19 = arith.andi %16, %18 : tensor<128x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %20 = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>>
    %21 = tile.expand_dims %20 {axis = 0 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>> -> tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %22 = tile.broadcast %15 : tensor<128x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %23 = tile.broadcast %21 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %24 = tile.addptr %22, %23 : tensor<128x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<128x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %25 = arith.cmpi sge, %21, %cst_7 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %26 = tile.splat %arg2 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %27 = arith.cmpi slt, %21, %26 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %28 = arith.andi %25, %27 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %29 = tile.broadcast %19 : tensor<128x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %30 = tile.broadcast %28 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %31 = arith.andi %29, %30 : tensor<128x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %32 = tile.load %24, %31, %cst_6 tensormap %arg4[%7, %c0_i32] : tensor<128x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %33 = arith.mulf %arg20, %cst_5 : f32
    %34 = arith.divsi %6, %c64_i32 : i32
    %35 = arith.muli %34, %c64_i32 : i32
    %36:3 = scf.for %arg22 = %c0_i32 to %35 step %c64_i32 iter_args(%arg23 = %cst_2, %arg24 = %cst_1, %arg25 = %cst_0) -> (tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>, tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>, tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>)  : i32 {
      %61 = arith.addi %5, %arg22 : i32
      %62 = tile.splat %61 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>>
      %63 = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>>
      %64 = arith.addi %63, %62 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>>
      %65 = tile.expand_dims %64 {axis = 1 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>> -> tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %66 = tile.splat %arg8 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %67 = arith.muli %65, %66 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %68 = tile.splat %arg5 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %69 = tile.addptr %68, %67 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %70 = arith.cmpi sge, %65, %cst_4 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %71 = tile.splat %arg6 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %72 = arith.cmpi slt, %65, %71 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %73 = arith.andi %70, %72 : tensor<64x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %74 = tile.broadcast %69 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %75 = tile.broadcast %21 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %76 = tile.addptr %74, %75 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %77 = tile.splat %arg7 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %78 = arith.cmpi slt, %21, %77 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %79 = arith.andi %25, %78 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %80 = tile.broadcast %73 : tensor<64x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %81 = tile.broadcast %79 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %82 = arith.andi %80, %81 : tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %83 = tile.load %76, %82, %cst_3 tensormap %arg9[%61, %c0_i32] : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %84 = tile.trans %83, [1, 0] : tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %85 = tile.dot %32, %84, %cst_2 : tensor<128x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %86 = tile.reduce(%85) axis = 1 : (tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>) -> tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>> {
      ^bb0(%arg26: f32, %arg27: f32):
        %122 = arith.maxnumf %arg26, %arg27 : f32
        tile.reduce.return %122 : f32
      }
      %87 = tile.splat %33 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %88 = arith.mulf %86, %87 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %89 = arith.maxnumf %arg25, %88 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %90 = arith.subf %arg25, %89 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %91 = math.exp2 %90 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %92 = tile.splat %33 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %93 = arith.mulf %85, %92 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %94 = tile.expand_dims %89 {axis = 1 : i32} : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>> -> tensor<128x1xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %95 = tile.broadcast %94 : tensor<128x1xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>> -> tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %96 = arith.subf %93, %95 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %97 = math.exp2 %96 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %98 = arith.mulf %arg24, %91 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %99 = tile.reduce(%97) axis = 1 : (tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>) -> tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>> {
      ^bb0(%arg26: f32, %arg27: f32):
        %122 = arith.addf %arg26, %arg27 : f32
        tile.reduce.return %122 : f32
      }
      %100 = arith.addf %98, %99 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %101 = tile.expand_dims %91 {axis = 1 : i32} : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>> -> tensor<128x1xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %102 = tile.broadcast %101 : tensor<128x1xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>> -> tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %103 = arith.mulf %arg23, %102 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %104 = tile.splat %arg13 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %105 = arith.muli %65, %104 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %106 = tile.splat %arg10 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %107 = tile.addptr %106, %105 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %108 = tile.splat %arg11 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %109 = arith.cmpi slt, %65, %108 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %110 = arith.andi %70, %109 : tensor<64x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %111 = tile.broadcast %107 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %112 = tile.addptr %111, %75 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %113 = tile.splat %arg12 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %114 = arith.cmpi slt, %21, %113 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %115 = arith.andi %25, %114 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %116 = tile.broadcast %110 : tensor<64x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %117 = tile.broadcast %115 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %118 = arith.andi %116, %117 : tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %119 = tile.load %112, %118, %cst_3 tensormap %arg14[%61, %c0_i32] : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %120 = arith.truncf %97 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>> to tensor<128x64xf16, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %121 = tile.dot %120, %119, %103 : tensor<128x64xf16, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>, tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      scf.yield %121, %100, %89 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>, tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>, tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
    } {tile.warp_specialize}
    %37 = arith.addi %3, %c1_i32 : i32
    %38 = arith.muli %37, %c128_i32 : i32
    %39:3 = scf.for %arg22 = %35 to %38 step %c64_i32 iter_args(%arg23 = %36#0, %arg24 = %36#1, %arg25 = %36#2) -> (tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>, tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>, tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>)  : i32 {
      %61 = arith.addi %5, %arg22 : i32
      %62 = tile.splat %61 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>>
      %63 = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>>
      %64 = arith.addi %63, %62 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>>
      %65 = tile.expand_dims %64 {axis = 1 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>> -> tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %66 = tile.splat %arg8 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %67 = arith.muli %65, %66 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %68 = tile.splat %arg5 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %69 = tile.addptr %68, %67 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %70 = arith.cmpi sge, %65, %cst_4 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %71 = tile.splat %arg6 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %72 = arith.cmpi slt, %65, %71 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %73 = arith.andi %70, %72 : tensor<64x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %74 = tile.broadcast %69 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %75 = tile.broadcast %21 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %76 = tile.addptr %74, %75 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %77 = tile.splat %arg7 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %78 = arith.cmpi slt, %21, %77 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %79 = arith.andi %25, %78 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %80 = tile.broadcast %73 : tensor<64x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %81 = tile.broadcast %79 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %82 = arith.andi %80, %81 : tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %83 = tile.load %76, %82, %cst_3 tensormap %arg9[%61, %c0_i32] : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %84 = tile.trans %83, [1, 0] : tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %85 = tile.dot %32, %84, %cst_2 : tensor<128x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %86 = tile.splat %6 : tensor<128xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %87 = tile.make_range 0 to 128 : tensor<128xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %88 = arith.addi %86, %87 : tensor<128xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %89 = tile.expand_dims %88 {axis = 1 : i32} : tensor<128xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>> -> tensor<128x1xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %90 = tile.broadcast %89 : tensor<128x1xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>> -> tensor<128x64xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %91 = tile.splat %arg22 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %92 = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %93 = arith.addi %91, %92 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %94 = tile.expand_dims %93 {axis = 0 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>> -> tensor<1x64xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %95 = tile.broadcast %94 : tensor<1x64xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>> -> tensor<128x64xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %96 = arith.cmpi sge, %90, %95 : tensor<128x64xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %97 = arith.select %96, %85, %cst : tensor<128x64xi1, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>, tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %98 = tile.reduce(%97) axis = 1 : (tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>) -> tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>> {
      ^bb0(%arg26: f32, %arg27: f32):
        %134 = arith.maxnumf %arg26, %arg27 : f32
        tile.reduce.return %134 : f32
      }
      %99 = tile.splat %33 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %100 = arith.mulf %98, %99 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %101 = arith.maxnumf %arg25, %100 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %102 = arith.subf %arg25, %101 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %103 = math.exp2 %102 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %104 = tile.splat %33 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %105 = arith.mulf %97, %104 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %106 = tile.expand_dims %101 {axis = 1 : i32} : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>> -> tensor<128x1xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %107 = tile.broadcast %106 : tensor<128x1xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>> -> tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %108 = arith.subf %105, %107 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %109 = math.exp2 %108 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %110 = arith.mulf %arg24, %103 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %111 = tile.reduce(%109) axis = 1 : (tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>) -> tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>> {
      ^bb0(%arg26: f32, %arg27: f32):
        %134 = arith.addf %arg26, %arg27 : f32
        tile.reduce.return %134 : f32
      }
      %112 = arith.addf %110, %111 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
      %113 = tile.expand_dims %103 {axis = 1 : i32} : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>> -> tensor<128x1xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %114 = tile.broadcast %113 : tensor<128x1xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>> -> tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %115 = arith.mulf %arg23, %114 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %116 = tile.splat %arg13 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %117 = arith.muli %65, %116 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %118 = tile.splat %arg10 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %119 = tile.addptr %118, %117 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %120 = tile.splat %arg11 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %121 = arith.cmpi slt, %65, %120 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %122 = arith.andi %70, %121 : tensor<64x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %123 = tile.broadcast %119 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %124 = tile.addptr %123, %75 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %125 = tile.splat %arg12 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %126 = arith.cmpi slt, %21, %125 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %127 = arith.andi %25, %126 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %128 = tile.broadcast %122 : tensor<64x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %129 = tile.broadcast %127 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %130 = arith.andi %128, %129 : tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %131 = tile.load %124, %130, %cst_3 tensormap %arg14[%61, %c0_i32] : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
      %132 = arith.truncf %109 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>> to tensor<128x64xf16, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      %133 = tile.dot %132, %131, %115 : tensor<128x64xf16, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>, tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>
      scf.yield %133, %112, %101 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>>, tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>, tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>>
    } {tile.warp_specialize}
    %40 = tilegpu.convert_layout %39#0 : tensor<128x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>> -> tensor<128x64xf32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %41 = tilegpu.convert_layout %39#1 : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [8, 1]}>}>> -> tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>>
    %42 = tile.expand_dims %41 {axis = 1 : i32} : tensor<128xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>}>> -> tensor<128x1xf32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %43 = tile.broadcast %42 : tensor<128x1xf32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64xf32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %44 = arith.divf %40, %43 fastmath<afn> : tensor<128x64xf32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %45 = arith.truncf %44 : tensor<128x64xf32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> to tensor<128x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %46 = tile.splat %arg18 : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %47 = arith.muli %11, %46 : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %48 = tile.splat %arg15 : tensor<128x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %49 = tile.addptr %48, %47 : tensor<128x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %50 = tile.splat %arg16 : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %51 = arith.cmpi slt, %11, %50 : tensor<128x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %52 = arith.andi %16, %51 : tensor<128x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %53 = tile.broadcast %49 : tensor<128x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %54 = tile.addptr %53, %23 : tensor<128x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>, tensor<128x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %55 = tile.splat %arg17 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %56 = arith.cmpi slt, %21, %55 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %57 = arith.andi %25, %56 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %58 = tile.broadcast %52 : tensor<128x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %59 = tile.broadcast %57 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>> -> tensor<128x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    %60 = arith.andi %58, %59 : tensor<128x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    tile.store %54, %45, %60 : tensor<128x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>>
    return
  }
}



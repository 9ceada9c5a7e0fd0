// RUN: tessel-opt %s --tessel-pipeline-dot-operands="num-stages=3" | FileCheck %s
// RUN: tessel-opt %s --tessel-pipeline-dot-operands="num-stages=3" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=LLVM

// The TMA matmul of pipeline-dot-operands-tma.mlir with
// tl.range(..., warp_specialize=True): one more warp issues the copies.
// The kernel starts with the full barriers (one arrival: the producer's,
// plus the bytes) and the empty ones (one arrival per consumer warp), both
// initialized between barriers of every thread; then the producer's branch
// and, in the else branch, the kernel as it was.
// CHECK: module attributes {{{.*}}tilegpu.producer_warps = 1 : i32
// CHECK-LABEL: func.func @mm
// CHECK-NEXT: tilegpu.mbarrier_init {count = 4 : i64, everyThread, offset = 32768 : i64}
// CHECK-NEXT: tilegpu.mbarrier_init {arrivals = 4 : i64, count = 4 : i64, everyThread, offset = 32800 : i64}
// CHECK-NEXT: %[[P:.*]] = tilegpu.producer_warp
// CHECK-NEXT: scf.if %[[P]] {
// The producer: the same iterations; from the fifth on it waits until the
// consumers released the stage's previous use, then expects the stage's
// bytes and copies the two blocks.
// CHECK: scf.for
// CHECK: scf.if
// CHECK: tilegpu.tma_wait %{{.*}}, %{{.*}} {barrierOffset = 32800 : i64, sync = false}
// CHECK: tilegpu.tma_expect %{{.*}}, %{{.*}} {barrierOffset = 32768 : i64, bytes = 8192 : i64, producer}
// CHECK: tilegpu.tma_copy %arg4
// CHECK-SAME: producer
// CHECK: tilegpu.tma_copy %arg9
// CHECK: } else {
// The consumers: wait for the stage's bytes (no barrier), multiply, release
// the previous stage; no copies of their own.
// CHECK: scf.for
// CHECK-NOT: tilegpu.tma_copy
// CHECK: tilegpu.tma_wait %{{.*}}, %{{.*}} {barrierOffset = 32768 : i64, sync = false}
// CHECK-NEXT: tilegpu.shared_dot
// CHECK: tilegpu.mbarrier_arrive %{{.*}}, %{{.*}} {barrierOffset = 32800 : i64}
// CHECK: tilegpu.mbarrier_inval {count = 8 : i64, offset = 32768 : i64}

// Lowered: the initialization's barriers are every thread's (bar.sync 0);
// the consumers' own barriers are named barrier 1 of their 128 threads; the
// producer is thread 128 and up; lane 0 of each consumer warp releases.
// LLVM: nvvm.barrier0
// LLVM: mbarrier.init.shared::cta.b64 [$1], 4;
// LLVM: llvm.icmp "uge" %{{.*}}, %{{.*}} : i32
// LLVM: mbarrier.arrive.expect_tx.shared::cta.b64
// LLVM: mbarrier.arrive.shared::cta.b64 _, [$1];
// LLVM: "bar.sync 1, 128;"
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
    } {tile.warp_specialize}
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

// RUN: tessel-opt %s --tessel-pipeline-dot-operands="num-stages=3" | FileCheck %s
// RUN: tessel-opt %s --tessel-pipeline-dot-operands="num-stages=3" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=LLVM

// The tutorial matmul (64x64x64 tiles, 4 warps) after tessel-async-dots: its
// two loads become cp.async copies issued 2 iterations ahead into 4 stages.
// CHECK-LABEL: func.func @matmul
// Prologue: iterations 0 and 1 into stages 0 and 1, each a group.
// CHECK: tilegpu.async_copy %{{.*}}, %{{.*}} stage %[[S0:.*]] {offset = 0 : i64, stageBytes = 16384 : i64}
// CHECK: tilegpu.async_copy %{{.*}}, %{{.*}} stage %[[S0]] {offset = 8192 : i64, stageBytes = 16384 : i64}
// CHECK-NEXT: tilegpu.async_copy_commit
// CHECK: tilegpu.async_copy {{.*}}offset = 0
// CHECK: tilegpu.async_copy {{.*}}offset = 8192
// CHECK-NEXT: tilegpu.async_copy_commit
// The pointers are carried 2 iterations ahead (their initial values advanced
// twice before the loop): each iteration copies through them as they are
// and advances them once.
// CHECK: %[[A1:.*]] = tile.addptr %{{.*}}, %cst_0
// CHECK-NEXT: %[[A2:.*]] = tile.addptr %[[A1]], %cst_0
// CHECK: scf.for {{.*}} iter_args(%[[PA:.*]] = %[[A2]], %[[PB:.*]] = %{{.*}}, %{{.*}} = %{{.*}})
// CHECK-NOT: tile.load
// CHECK: tilegpu.async_copy_wait {pendings = 1 : i32}
// CHECK: tilegpu.shared_dot %{{.*}} stage %{{.*}} {{{.*}}numStages = 4 : i32} : tensor<64x64xf32, #tilegpu.mma
// CHECK-NOT: tile.load
// CHECK: %[[NA:.*]] = tile.addptr %[[PA]]
// CHECK: %[[NB:.*]] = tile.addptr %[[PB]]
// CHECK: tilegpu.async_copy %[[PA]], {{.*}}offset = 0
// CHECK: tilegpu.async_copy %[[PB]], {{.*}}offset = 8192
// CHECK-NEXT: tilegpu.async_copy_commit
// CHECK-NEXT: scf.yield %[[NA]], %[[NB]]
// CHECK: tilegpu.async_copy_wait {pendings = 0 : i32}
// CHECK-NEXT: tilegpu.dot_wait

// Lowered: 16-byte cp.async per run of 8 f16 (zero-filled where masked;
// issued by the one thread that owns a run when lanes hold copies),
// wait + proxy fence + barrier, wgmma on the stage, then wait for all but
// the newest group. A thread's runs 8 rows apart share one address
// register: the rest of each offset is an immediate.
// LLVM: llvm.inline_asm has_side_effects {{.*}}"{ .reg .pred p; setp.ne.b32 p, $3, 0; @p cp.async.cg.shared.global [$0 + 0], [$1], 16, $2; }", "r,l,r,r"
// LLVM: cp.async.cg.shared.global [$0 + {{[1-9][0-9]*}}], [$1], 16, $2; }", "r,l,r,r"
// LLVM: "cp.async.commit_group;"
// LLVM: "cp.async.wait_group 1;"
// LLVM-NEXT: "fence.proxy.async.shared::cta;"
// LLVM-NEXT: nvvm.barrier0
// LLVM: wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16
// LLVM: "wgmma.commit_group.sync.aligned;"
// LLVM: "wgmma.wait_group.sync.aligned 1;"
// LLVM: "cp.async.wait_group 0;"
// LLVM: "wgmma.wait_group.sync.aligned 0;"
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @matmul(%arg0: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg1: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg2: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg3: i32 {tile.divisibility = 16 : i32}, %arg4: i32 {tile.divisibility = 16 : i32}, %arg5: i32 {tile.divisibility = 16 : i32}, %arg6: i32 {tile.divisibility = 16 : i32}, %arg7: i32 {tile.divisibility = 16 : i32}, %arg8: i32 {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
    %cst = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    %c63_i32 = arith.constant 63 : i32
    %cst_0 = arith.constant dense<64> : tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %cst_1 = arith.constant dense<0.000000e+00> : tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %c0_i32 = arith.constant 0 : i32
    %c8_i32 = arith.constant 8 : i32
    %c1_i32 = arith.constant 1 : i32
    %c64_i32 = arith.constant 64 : i32
    %0 = tile.program_id x : i32
    %1 = arith.addi %arg3, %c63_i32 : i32
    %2 = arith.divsi %1, %c64_i32 : i32
    %3 = arith.addi %arg4, %c63_i32 : i32
    %4 = arith.divsi %3, %c64_i32 : i32
    %5 = arith.muli %4, %c8_i32 : i32
    %6 = arith.divsi %0, %5 : i32
    %7 = arith.muli %6, %c8_i32 : i32
    %8 = arith.subi %2, %7 : i32
    %9 = arith.minsi %8, %c8_i32 : i32
    %10 = arith.remsi %0, %5 : i32
    %11 = arith.remsi %10, %9 : i32
    %12 = arith.addi %7, %11 : i32
    %13 = arith.divsi %10, %9 : i32
    %14 = arith.muli %12, %c64_i32 : i32
    %15 = tile.splat %14 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
    %16 = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
    %17 = arith.addi %15, %16 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
    %18 = arith.muli %13, %c64_i32 : i32
    %19 = tile.splat %18 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
    %20 = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
    %21 = arith.addi %19, %20 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
    %22 = tile.expand_dims %17 {axis = 1 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>> -> tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %23 = tile.splat %arg6 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %24 = arith.muli %22, %23 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %25 = tile.expand_dims %20 {axis = 0 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>> -> tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %26 = tile.broadcast %24 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %27 = tile.broadcast %25 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %28 = arith.addi %26, %27 : tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %29 = tile.splat %arg0 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %30 = tile.addptr %29, %28 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>, tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %31 = tile.expand_dims %16 {axis = 1 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>> -> tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %32 = tile.splat %arg7 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %33 = arith.muli %31, %32 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %34 = tile.expand_dims %21 {axis = 0 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>> -> tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %35 = tile.broadcast %33 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %36 = tile.broadcast %34 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %37 = arith.addi %35, %36 : tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %38 = tile.splat %arg1 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %39 = tile.addptr %38, %37 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>, tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %40 = arith.addi %arg5, %c63_i32 : i32
    %41 = arith.divsi %40, %c64_i32 : i32
    %42:3 = scf.for %arg9 = %c0_i32 to %41 step %c1_i32 iter_args(%arg10 = %30, %arg11 = %39, %arg12 = %cst) -> (tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>, tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>, tensor<64x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>)  : i32 {
      %67 = arith.muli %arg9, %c64_i32 : i32
      %68 = arith.subi %arg5, %67 : i32
      %69 = tile.splat %68 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %70 = arith.cmpi slt, %25, %69 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %71 = tile.broadcast %70 : tensor<1x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %72 = tile.load %arg10, %71, %cst_1 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %73 = tile.splat %68 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %74 = arith.cmpi slt, %31, %73 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %75 = tile.broadcast %74 : tensor<64x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %76 = tile.load %arg11, %75, %cst_1 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %77 = arith.subi %arg9, %c0_i32 : i32
      %78 = arith.divsi %77, %c1_i32 : i32
      %c2_i32 = arith.constant 2 : i32
      %79 = arith.remui %78, %c2_i32 : i32
      %80 = tilegpu.async_dot %72, %76, %arg12 stage %79 {numStages = 2 : i32} : tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>, tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
      %81 = tile.addptr %arg10, %cst_0 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>, tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %82 = arith.muli %arg7, %c64_i32 : i32
      %83 = tile.splat %82 : tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %84 = tile.addptr %arg11, %83 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>, tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      scf.yield %81, %84, %80 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>, tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>, tensor<64x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    }
    %43 = tilegpu.dot_wait %42#2 {pendings = 0 : i32} : tensor<64x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    %44 = arith.truncf %43 : tensor<64x64xf32, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>> to tensor<64x64xf16, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    %45 = tile.splat %arg2 : tensor<64x1x!tile.ptr<f16>, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    %46 = tile.splat %arg8 : tensor<64x1xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    %47 = tile.splat %14 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>}>>
    %48 = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>}>>
    %49 = arith.addi %47, %48 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>}>>
    %50 = tile.expand_dims %49 {axis = 1 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>}>> -> tensor<64x1xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    %51 = arith.muli %46, %50 : tensor<64x1xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    %52 = tile.addptr %45, %51 : tensor<64x1x!tile.ptr<f16>, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>, tensor<64x1xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    %53 = tile.broadcast %52 : tensor<64x1x!tile.ptr<f16>, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>> -> tensor<64x64x!tile.ptr<f16>, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    %54 = tile.splat %18 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>}>>
    %55 = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>}>>
    %56 = arith.addi %54, %55 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>}>>
    %57 = tile.expand_dims %56 {axis = 0 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>}>> -> tensor<1x64xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    %58 = tile.broadcast %57 : tensor<1x64xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>> -> tensor<64x64xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    %59 = tile.addptr %53, %58 : tensor<64x64x!tile.ptr<f16>, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>, tensor<64x64xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    %60 = tile.splat %arg3 : tensor<64x1xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    %61 = arith.cmpi slt, %50, %60 : tensor<64x1xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    %62 = tile.broadcast %61 : tensor<64x1xi1, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>> -> tensor<64x64xi1, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    %63 = tile.splat %arg4 : tensor<1x64xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    %64 = arith.cmpi slt, %57, %63 : tensor<1x64xi32, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    %65 = tile.broadcast %64 : tensor<1x64xi1, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>> -> tensor<64x64xi1, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    %66 = arith.andi %62, %65 : tensor<64x64xi1, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    tile.store %59, %44, %66 : tensor<64x64x!tile.ptr<f16>, #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>>
    return
  }
}



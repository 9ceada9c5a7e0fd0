// RUN: tessel-opt %s --tessel-pipeline-dot-operands="num-stages=3" | FileCheck %s
// RUN: tessel-opt %s --tessel-pipeline-dot-operands="num-stages=3" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=LLVM

// The attention forward (bench/kernels/attention.py, HEAD_DIM 64, 64x64
// blocks, 4 warps) compiled for sm_80: two mma.sync dots, S = Q K^T (K
// through tl.trans) and O += P V. K and V, loaded in the loop, share each
// stage of the ring (K at 0, V at 8192); Q (converted once before the loop)
// and P (converted in registers: both dots have all warps along M) stay
// out of it (P's conversion is marked to stay in registers, which its
// lowering checks). One wait before the first read serves both.
// CHECK-LABEL: func.func @attention_fwd
// CHECK: tile.barrier
// CHECK: tilegpu.async_copy {{.*}} {offset = 0 : i64, stageBytes = 16384 : i64}
// CHECK: tilegpu.async_copy {{.*}} {offset = 8192 : i64, stageBytes = 16384 : i64}
// CHECK-NEXT: tilegpu.async_copy_commit
// CHECK: scf.for
// CHECK-NOT: tile.load
// CHECK: tilegpu.async_copy_wait {pendings = 1 : i32}
// CHECK-NOT: tilegpu.async_copy_wait
// CHECK: %[[K:.*]] = tilegpu.stage_load stage %[[S:.*]] {numStages = 3 : i32, offset = 0 : i64, stageBytes = 16384 : i64, transposed}
// CHECK: tile.dot %{{.*}}, %[[K]]
// CHECK: %[[V:.*]] = tilegpu.stage_load stage %[[S]] {numStages = 3 : i32, offset = 8192 : i64, stageBytes = 16384 : i64}
// CHECK: %[[P:.*]] = tilegpu.convert_layout %{{.*}} {tilegpu.registers_only} : tensor<64x64xf16, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>> -> tensor<64x64xf16, #tilegpu.dot_operand
// CHECK: tile.dot %[[P]], %[[V]]
// CHECK: tilegpu.async_copy_commit
// CHECK-NEXT: scf.yield
// CHECK: tilegpu.async_copy_wait {pendings = 0 : i32}

// P's conversion stays in registers (no shared memory between the two
// dots' ldmatrix reads).
// LLVM-LABEL: func.func @attention_fwd
// LLVM: cp.async.wait_group 1;
// LLVM-COUNT-8: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// LLVM-NOT: llvm.store {{.*}}!llvm.ptr<3>
// LLVM-COUNT-8: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_80", tilegpu.threads_per_warp = 32 : i32} {
  func.func @attention_fwd(%arg0: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg1: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg2: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg3: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg4: f32, %arg5: i32 {tile.divisibility = 16 : i32}, %arg6: i32 {tile.divisibility = 16 : i32}, %arg7: i32 {tile.divisibility = 16 : i32}, %arg8: i32 {tile.divisibility = 16 : i32}, %arg9: i32 {tile.divisibility = 16 : i32}, %arg10: i32 {tile.divisibility = 16 : i32}, %arg11: i32 {tile.divisibility = 16 : i32}, %arg12: i32 {tile.divisibility = 16 : i32}, %arg13: i32 {tile.divisibility = 16 : i32}, %arg14: i32 {tile.divisibility = 16 : i32}, %arg15: i32 {tile.divisibility = 16 : i32}, %arg16: i32 {tile.divisibility = 16 : i32}, %arg17: i32 {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
    %cst = arith.constant dense<0xFF800000> : tensor<64x64xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
    %cst_0 = arith.constant dense<0.000000e+00> : tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>>
    %cst_1 = arith.constant dense<0xFF800000> : tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>>
    %cst_2 = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
    %c0_i32 = arith.constant 0 : i32
    %cst_3 = arith.constant 1.44269502 : f32
    %cst_4 = arith.constant dense<0.000000e+00> : tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %c64_i32 = arith.constant 64 : i32
    %c2_i32 = arith.constant 2 : i32
    %0 = tile.program_id x : i32
    %1 = tile.program_id y : i32
    %2 = arith.divsi %1, %c2_i32 : i32
    %3 = arith.remsi %1, %c2_i32 : i32
    %4 = arith.muli %0, %c64_i32 : i32
    %5 = tile.splat %4 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
    %6 = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
    %7 = arith.addi %5, %6 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
    %8 = arith.muli %2, %arg6 : i32
    %9 = tile.addptr %arg0, %8 : !tile.ptr<f16>, i32
    %10 = arith.muli %3, %arg7 : i32
    %11 = tile.addptr %9, %10 : !tile.ptr<f16>, i32
    %12 = tile.expand_dims %7 {axis = 1 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>> -> tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %13 = tile.splat %arg8 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %14 = arith.muli %12, %13 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %15 = tile.splat %11 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %16 = tile.addptr %15, %14 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>, tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %17 = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
    %18 = tile.expand_dims %17 {axis = 0 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>> -> tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %19 = tile.broadcast %16 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %20 = tile.broadcast %18 : tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %21 = tile.addptr %19, %20 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>, tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %22 = tile.splat %arg5 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %23 = arith.cmpi slt, %12, %22 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %24 = tile.broadcast %23 : tensor<64x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %25 = tile.load %21, %24, %cst_4 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %26 = arith.muli %2, %arg9 : i32
    %27 = tile.addptr %arg1, %26 : !tile.ptr<f16>, i32
    %28 = arith.muli %3, %arg10 : i32
    %29 = tile.addptr %27, %28 : !tile.ptr<f16>, i32
    %30 = arith.muli %2, %arg12 : i32
    %31 = tile.addptr %arg2, %30 : !tile.ptr<f16>, i32
    %32 = arith.muli %3, %arg13 : i32
    %33 = tile.addptr %31, %32 : !tile.ptr<f16>, i32
    %34 = arith.mulf %arg4, %cst_3 : f32
    %35 = tilegpu.convert_layout %25 : tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64xf16, #tilegpu.dot_operand<{opIdx = 0, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>, kWidth = 2}>>
    %36:3 = scf.for %arg18 = %c0_i32 to %arg5 step %c64_i32 iter_args(%arg19 = %cst_1, %arg20 = %cst_0, %arg21 = %cst_2) -> (tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>>, tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>>, tensor<64x64xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>)  : i32 {
      %53 = tile.splat %arg18 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
      %54 = arith.addi %53, %6 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
      %55 = tile.expand_dims %54 {axis = 1 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>> -> tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %56 = tile.splat %arg11 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %57 = arith.muli %55, %56 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %58 = tile.splat %29 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %59 = tile.addptr %58, %57 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>, tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %60 = tile.broadcast %59 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %61 = tile.addptr %60, %20 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>, tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %62 = arith.cmpi slt, %55, %22 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %63 = tile.broadcast %62 : tensor<64x1xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64xi1, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %64 = tile.load %61, %63, %cst_4 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %65 = tile.trans %64, [1, 0] : tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %66 = tilegpu.convert_layout %65 : tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64xf16, #tilegpu.dot_operand<{opIdx = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>, kWidth = 2}>>
      %67 = tile.dot %35, %66, %cst_2 : tensor<64x64xf16, #tilegpu.dot_operand<{opIdx = 0, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>, kWidth = 2}>>, tensor<64x64xf16, #tilegpu.dot_operand<{opIdx = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>, kWidth = 2}>> -> tensor<64x64xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
      %68 = tile.splat %34 : tensor<64x64xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
      %69 = arith.mulf %67, %68 : tensor<64x64xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
      %70 = tile.splat %arg18 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>>
      %71 = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>>
      %72 = arith.addi %70, %71 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>>
      %73 = tile.expand_dims %72 {axis = 0 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>> -> tensor<1x64xi32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
      %74 = tile.splat %arg5 : tensor<1x64xi32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
      %75 = arith.cmpi slt, %73, %74 : tensor<1x64xi32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
      %76 = tile.broadcast %75 : tensor<1x64xi1, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>> -> tensor<64x64xi1, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
      %77 = arith.select %76, %69, %cst : tensor<64x64xi1, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>, tensor<64x64xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
      %78 = tile.reduce(%77) axis = 1 : (tensor<64x64xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>) -> tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>> {
      ^bb0(%arg22: f32, %arg23: f32):
        %103 = arith.maxnumf %arg22, %arg23 : f32
        tile.reduce.return %103 : f32
      }
      %79 = arith.maxnumf %arg19, %78 : tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>>
      %80 = arith.subf %arg19, %79 : tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>>
      %81 = math.exp2 %80 : tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>>
      %82 = tile.expand_dims %79 {axis = 1 : i32} : tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>> -> tensor<64x1xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
      %83 = tile.broadcast %82 : tensor<64x1xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>> -> tensor<64x64xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
      %84 = arith.subf %77, %83 : tensor<64x64xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
      %85 = math.exp2 %84 : tensor<64x64xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
      %86 = arith.mulf %arg20, %81 : tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>>
      %87 = tile.reduce(%85) axis = 1 : (tensor<64x64xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>) -> tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>> {
      ^bb0(%arg22: f32, %arg23: f32):
        %103 = arith.addf %arg22, %arg23 : f32
        tile.reduce.return %103 : f32
      }
      %88 = arith.addf %86, %87 : tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>>
      %89 = tile.expand_dims %81 {axis = 1 : i32} : tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>> -> tensor<64x1xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
      %90 = tile.broadcast %89 : tensor<64x1xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>> -> tensor<64x64xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
      %91 = arith.mulf %arg21, %90 : tensor<64x64xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
      %92 = tile.splat %arg14 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %93 = arith.muli %55, %92 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %94 = tile.splat %33 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %95 = tile.addptr %94, %93 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>, tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %96 = tile.broadcast %95 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %97 = tile.addptr %96, %20 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>, tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %98 = tile.load %97, %63, %cst_4 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
      %99 = arith.truncf %85 : tensor<64x64xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>> to tensor<64x64xf16, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
      %100 = tilegpu.convert_layout %98 : tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64xf16, #tilegpu.dot_operand<{opIdx = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>, kWidth = 2}>>
      %101 = tilegpu.convert_layout %99 : tensor<64x64xf16, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>> -> tensor<64x64xf16, #tilegpu.dot_operand<{opIdx = 0, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>, kWidth = 2}>>
      %102 = tile.dot %101, %100, %91 : tensor<64x64xf16, #tilegpu.dot_operand<{opIdx = 0, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>, kWidth = 2}>>, tensor<64x64xf16, #tilegpu.dot_operand<{opIdx = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>, kWidth = 2}>> -> tensor<64x64xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
      scf.yield %79, %88, %102 : tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>>, tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>>, tensor<64x64xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>>
    }
    %37 = tilegpu.convert_layout %36#2 : tensor<64x64xf32, #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>> -> tensor<64x64xf32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %38 = tilegpu.convert_layout %36#1 : tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 2, warpsPerCTA = [4, 1]}>}>> -> tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
    %39 = tile.expand_dims %38 {axis = 1 : i32} : tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>> -> tensor<64x1xf32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %40 = tile.broadcast %39 : tensor<64x1xf32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64xf32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %41 = arith.divf %37, %40 fastmath<afn> : tensor<64x64xf32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %42 = arith.muli %2, %arg15 : i32
    %43 = tile.addptr %arg3, %42 : !tile.ptr<f16>, i32
    %44 = arith.muli %3, %arg16 : i32
    %45 = tile.addptr %43, %44 : !tile.ptr<f16>, i32
    %46 = tile.splat %arg17 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %47 = arith.muli %12, %46 : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %48 = tile.splat %45 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %49 = tile.addptr %48, %47 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>, tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %50 = tile.broadcast %49 : tensor<64x1x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %51 = tile.addptr %50, %20 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>, tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    %52 = arith.truncf %41 : tensor<64x64xf32, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>> to tensor<64x64xf16, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    tile.store %51, %52, %24 : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>>
    return
  }
}



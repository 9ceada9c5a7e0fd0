// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=4" | FileCheck %s --check-prefix=LAYOUT
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=4" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=NV4
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=8" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=NV8
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=amd:gfx942 num-warps=4" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=AMD
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=cpu" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=CPU

// One row of 2048 floats: 4 registers x 32 lanes x 4 warps, repeated 4 times.
// The result is a scalar: registers combine, then 5 butterfly shuffles, then
// the warps' partials meet in shared memory.

// LAYOUT: tile.reduce(%{{.*}}) axis = 0 : (tensor<2048xf32, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>) -> f32

// NV4: tilegpu.shared = 16 : i32
// NV4: llvm.mlir.global external @tessel_shared() {{.*}} : !llvm.array<0 x i8>
// NV4-COUNT-5: nvvm.shfl.sync bfly
// NV4-NOT: nvvm.shfl.sync
// NV4: nvvm.barrier0
// NV4: llvm.store {{.*}} !llvm.ptr<3>
// NV4: nvvm.barrier0
// NV4-COUNT-4: llvm.load {{.*}} !llvm.ptr<3> -> f32

// NV8: tilegpu.shared = 32 : i32
// NV8-COUNT-8: llvm.load {{.*}} !llvm.ptr<3> -> f32

// AMD-COUNT-6: rocdl.ds_bpermute
// AMD: rocdl.barrier

// CPU-NOT: nvvm
// CPU-NOT: llvm.mlir.global
func.func @sum_all(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.make_range 0 to 2048 : tensor<2048xi32>
  %xs = tile.splat %x : tensor<2048x!tile.ptr<f32>>
  %xp = tile.addptr %xs, %r : tensor<2048x!tile.ptr<f32>>, tensor<2048xi32>
  %v = tile.load %xp : tensor<2048x!tile.ptr<f32>>
  %s = tile.reduce(%v) axis = 0 : (tensor<2048xf32>) -> f32 {
  ^bb0(%a: f32, %b: f32):
    %t = arith.addf %a, %b : f32
    tile.reduce.return %t : f32
  }
  tile.store %o, %s : !tile.ptr<f32>
  return
}

// The CPU combines registers in log2 vector steps: 11 for 2048 elements.
// CPU-COUNT-11: arith.addf {{.*}} : vector<2048xf32>

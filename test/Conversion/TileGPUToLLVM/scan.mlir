// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=4" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=NV
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=cpu" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=CPU


// 1024 floats over 128 threads: chunks of 4 registers, 256 chunks scanned in
// shared memory in 8 Hillis-Steele steps (2 buffers of 1 KiB).
// NV: tilegpu.shared = 2048 : i32
// NV: llvm.mlir.global external @tessel_shared() {{.*}} : !llvm.array<0 x i8>
// NV-COUNT-10: nvvm.barrier0
// NV-NOT: nvvm.barrier0
// NV: return

// CPU-NOT: llvm.mlir.global
// The CPU holds the whole axis in one vector: 10 Hillis-Steele steps.
// CPU-COUNT-10: arith.addf {{.*}} : vector<1024xf32>
// CPU-NOT: arith.addf
func.func @cumsum(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 1024 : tensor<1024xi32>
  %xs = tile.splat %x : tensor<1024x!tile.ptr<f32>>
  %xp = tile.addptr %xs, %r : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  %v = tile.load %xp : tensor<1024x!tile.ptr<f32>>
  %s = tile.scan(%v) axis = 0 reverse = false : (tensor<1024xf32>) -> tensor<1024xf32> {
  ^bb0(%a: f32, %b: f32):
    %t = arith.addf %a, %b : f32
    tile.reduce.return %t : f32
  }
  %os = tile.splat %o : tensor<1024x!tile.ptr<f32>>
  %op = tile.addptr %os, %r : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  tile.store %op, %s : tensor<1024x!tile.ptr<f32>>
  return
}

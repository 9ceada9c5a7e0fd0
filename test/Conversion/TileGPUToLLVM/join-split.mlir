// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=4" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=NV
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=cpu" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=CPU

// join puts both operands side by side in registers (one shufflevector) and
// moves them into the result's layout; split does the reverse. On the GPU the
// 256x2 layout spreads the pairs over other threads than the 256-element one,
// so the moves go through shared memory (2 KiB and a padding element per 32); the CPU only shuffles.
// NV: tilegpu.shared = 2112 : i32
// NV: llvm.mlir.global external @tessel_shared() {{.*}} : !llvm.array<0 x i8>
// NV: llvm.store {{.*}} !llvm.ptr<3>
// NV: nvvm.barrier0
// CPU-NOT: llvm.mlir.global
// CPU: llvm.shufflevector {{.*}} : vector<256xf32>
module {
  func.func @k(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %y: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %q: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
    %r = tile.make_range 0 to 256 : tensor<256xi32>
    %xs = tile.splat %x : tensor<256x!tile.ptr<f32>>
    %xp = tile.addptr %xs, %r : tensor<256x!tile.ptr<f32>>, tensor<256xi32>
    %a = tile.load %xp : tensor<256x!tile.ptr<f32>>
    %ys = tile.splat %y : tensor<256x!tile.ptr<f32>>
    %yp = tile.addptr %ys, %r : tensor<256x!tile.ptr<f32>>, tensor<256xi32>
    %b = tile.load %yp : tensor<256x!tile.ptr<f32>>
    %j = tile.join %a, %b : tensor<256xf32> -> tensor<256x2xf32>
    %flat = tile.reshape %j : tensor<256x2xf32> -> tensor<512xf32>
    %r2 = tile.make_range 0 to 512 : tensor<512xi32>
    %os = tile.splat %o : tensor<512x!tile.ptr<f32>>
    %op = tile.addptr %os, %r2 : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
    tile.store %op, %flat : tensor<512x!tile.ptr<f32>>
    %s0, %s1 = tile.split %j : tensor<256x2xf32> -> tensor<256xf32>
    %ps = tile.splat %p : tensor<256x!tile.ptr<f32>>
    %pp = tile.addptr %ps, %r : tensor<256x!tile.ptr<f32>>, tensor<256xi32>
    tile.store %pp, %s1 : tensor<256x!tile.ptr<f32>>
    %qs = tile.splat %q : tensor<256x!tile.ptr<f32>>
    %qp = tile.addptr %qs, %r : tensor<256x!tile.ptr<f32>>, tensor<256xi32>
    tile.store %qp, %s0 : tensor<256x!tile.ptr<f32>>
    return
  }
}

// RUN: tessel-opt %s --convert-tilegpu-to-llvm | FileCheck %s

// Addresses as assembly inputs (Triton's inline_asm_elementwise with pointer
// arguments): each reaches the assembly as a 64-bit integer, an `l` register.
// Not pure: the assembly stays even if its result were unused.
// CHECK-LABEL: func.func @load_in_asm
// CHECK: %[[ADDR:.*]] = llvm.ptrtoint %{{.*}} : !llvm.ptr<1> to i64
// CHECK-NEXT: llvm.inline_asm has_side_effects asm_dialect = att "ld.global.b32 $0, [$1];", "=r,l" %[[ADDR]] : (i64) -> i32
#blocked = #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [1], order = [0]}>
module attributes {tilegpu.num_warps = 1 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @load_in_asm(%x: !tile.ptr<i32>, %y: !tile.ptr<i32>) attributes {tile.kernel} {
    %r = tile.make_range 0 to 64 : tensor<64xi32, #blocked>
    %xs = tile.splat %x : tensor<64x!tile.ptr<i32>, #blocked>
    %xp = tile.addptr %xs, %r : tensor<64x!tile.ptr<i32>, #blocked>, tensor<64xi32, #blocked>
    %v = tile.inline_asm "ld.global.b32 $0, [$1];", "=r,l"(%xp) {pack = 1 : i32} : (tensor<64x!tile.ptr<i32>, #blocked>) -> tensor<64xi32, #blocked>
    %ys = tile.splat %y : tensor<64x!tile.ptr<i32>, #blocked>
    %yp = tile.addptr %ys, %r : tensor<64x!tile.ptr<i32>, #blocked>, tensor<64xi32, #blocked>
    tile.store %yp, %v : tensor<64x!tile.ptr<i32>, #blocked>
    return
  }
}

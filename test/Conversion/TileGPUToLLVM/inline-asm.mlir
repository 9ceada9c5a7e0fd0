// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=4" --convert-tilegpu-to-llvm | FileCheck %s
// RUN: not tessel-opt %s --convert-tile-to-tilegpu="target=cpu" --convert-tilegpu-to-llvm 2>&1 | FileCheck %s --check-prefix=CPU

// 16 bytes per thread, pack = 4: four assembly instances per thread, each
// seeing four bytes packed into one i32 register.
// CHECK-COUNT-4: llvm.inline_asm asm_dialect = att "xor.b32 $0, $1, 0x0F0F0F0F;", "=r,r" {{.*}} : (i32) -> i32
// CHECK-NOT: llvm.inline_asm
// CPU: error: 'tile.inline_asm' op inline assembly is supported on NVIDIA targets only
module {
  func.func @bytes(%x: !tile.ptr<i8> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
    %r = tile.make_range 0 to 2048 : tensor<2048xi32>
    %xs = tile.splat %x : tensor<2048x!tile.ptr<i8>>
    %xp = tile.addptr %xs, %r : tensor<2048x!tile.ptr<i8>>, tensor<2048xi32>
    %a = tile.load %xp : tensor<2048x!tile.ptr<i8>>
    %b = tile.inline_asm "xor.b32 $0, $1, 0x0F0F0F0F;", "=r,r"(%a) {pack = 4 : i32, pure} : (tensor<2048xi8>) -> tensor<2048xi8>
    tile.store %xp, %b : tensor<2048x!tile.ptr<i8>>
    return
  }
}

// RUN: tessel-translate %s --to=hsaco --target=amd:gfx942 -o %t.gfx942.hsaco
// RUN: llvm-objdump -d %t.gfx942.hsaco | FileCheck %s --check-prefix=GFX942
// RUN: tessel-translate %s --to=hsaco --target=amd:gfx90a -o %t.gfx90a.hsaco
// RUN: llvm-objdump -d %t.gfx90a.hsaco | FileCheck %s --check-prefix=GFX90A

// A 64x32 by 32x64 f16 dot on AMD's matrix cores: with 4 waves (2x2, each
// 32x32), one 32x32x8 MFMA per K step of 8: four per wave, accumulating in
// place. The operands come through LDS (the layout conversion), the result
// stores from the accumulator layout.
// GFX942-COUNT-4: v_mfma_f32_32x32x8_f16
// GFX942-NOT: v_mfma
// GFX90A-COUNT-4: v_mfma_f32_32x32x8f16
// GFX90A-NOT: v_mfma
module {
  func.func @mfma_dot(%arg0: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg1: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %arg2: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
    %0 = tile.make_range 0 to 64 : tensor<64xi32>
    %1 = tile.make_range 0 to 64 : tensor<64xi32>
    %2 = tile.make_range 0 to 32 : tensor<32xi32>
    %3 = tile.expand_dims %0 {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
    %4 = arith.constant dense<32> : tensor<64x1xi32>
    %5 = arith.muli %3, %4 : tensor<64x1xi32>
    %6 = tile.splat %arg0 : tensor<64x1x!tile.ptr<f16>>
    %7 = tile.addptr %6, %5 : tensor<64x1x!tile.ptr<f16>>, tensor<64x1xi32>
    %8 = tile.expand_dims %2 {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
    %9 = tile.broadcast %7 : tensor<64x1x!tile.ptr<f16>> -> tensor<64x32x!tile.ptr<f16>>
    %10 = tile.broadcast %8 : tensor<1x32xi32> -> tensor<64x32xi32>
    %11 = tile.addptr %9, %10 : tensor<64x32x!tile.ptr<f16>>, tensor<64x32xi32>
    %12 = tile.load %11 : tensor<64x32x!tile.ptr<f16>>
    %13 = tile.expand_dims %2 {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
    %14 = arith.constant dense<64> : tensor<32x1xi32>
    %15 = arith.muli %13, %14 : tensor<32x1xi32>
    %16 = tile.splat %arg1 : tensor<32x1x!tile.ptr<f16>>
    %17 = tile.addptr %16, %15 : tensor<32x1x!tile.ptr<f16>>, tensor<32x1xi32>
    %18 = tile.expand_dims %1 {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
    %19 = tile.broadcast %17 : tensor<32x1x!tile.ptr<f16>> -> tensor<32x64x!tile.ptr<f16>>
    %20 = tile.broadcast %18 : tensor<1x64xi32> -> tensor<32x64xi32>
    %21 = tile.addptr %19, %20 : tensor<32x64x!tile.ptr<f16>>, tensor<32x64xi32>
    %22 = tile.load %21 : tensor<32x64x!tile.ptr<f16>>
    %23 = tile.expand_dims %0 {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
    %24 = arith.constant dense<64> : tensor<64x1xi32>
    %25 = arith.muli %23, %24 : tensor<64x1xi32>
    %26 = tile.splat %arg2 : tensor<64x1x!tile.ptr<f32>>
    %27 = tile.addptr %26, %25 : tensor<64x1x!tile.ptr<f32>>, tensor<64x1xi32>
    %28 = tile.expand_dims %1 {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
    %29 = tile.broadcast %27 : tensor<64x1x!tile.ptr<f32>> -> tensor<64x64x!tile.ptr<f32>>
    %30 = tile.broadcast %28 : tensor<1x64xi32> -> tensor<64x64xi32>
    %31 = tile.addptr %29, %30 : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
    %32 = arith.constant dense<0.0> : tensor<64x64xf32>
    %33 = tile.dot %12, %22, %32 : tensor<64x32xf16>, tensor<32x64xf16> -> tensor<64x64xf32>
    tile.store %31, %33 : tensor<64x64x!tile.ptr<f32>>
    return
  }
}


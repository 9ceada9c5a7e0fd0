// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_90a" --convert-tilegpu-to-llvm | FileCheck %s
// RUN: not tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_80" --convert-tilegpu-to-llvm 2>&1 | FileCheck %s --check-prefix=SM80

// On sm_89 and later each pair of a thread's 16 elements (one warp) is one
// cvt.rn.satfinite (the first element in the low byte, so it is the second
// source); a lone scalar pairs with 0.0. Before sm_89 the pipeline expands the
// op first (tessel-expand-float8-encode); reaching the lowering there is an
// error that says so.
// CHECK-LABEL: func.func @encode
// CHECK-COUNT-8: llvm.inline_asm asm_dialect = att "cvt.rn.satfinite.e4m3x2.f32 $0, $2, $1;", "=h,f,f"
// CHECK-NOT: cvt.rn.satfinite.e4m3x2
// CHECK: llvm.inline_asm asm_dialect = att "cvt.rn.satfinite.e5m2x2.f32 $0, $2, $1;", "=h,f,f"
// SM80: error: 'tile.float8_encode' op needs tessel-expand-float8-encode on sm_80
func.func @encode(%x: tensor<512xf32>, %s: f32, %out: !tile.ptr<i8>) attributes {tile.kernel} {
  %a = tile.float8_encode e4m3 %x : tensor<512xf32> -> tensor<512xi8>
  %b = tile.float8_encode e5m2 %s : f32 -> i8
  %p = tile.splat %out : tensor<512x!tile.ptr<i8>>
  tile.store %p, %a : tensor<512x!tile.ptr<i8>>
  tile.store %out, %b : !tile.ptr<i8>
  return
}

// Triton's enable_fp_fusion (on by default) and maxnreg.
// RUN: tessel-translate %s --to=ptx | FileCheck %s --check-prefix=FUSED
// RUN: tessel-translate %s --to=ptx --enable-fp-fusion=0 | FileCheck %s --check-prefix=UNFUSED
// RUN: tessel-translate %s --to=ptx --maxnreg=128 | FileCheck %s --check-prefix=MAXNREG
// RUN: tessel-translate %s --to=amdgcn | FileCheck %s --check-prefix=AMD-FUSED
// RUN: tessel-translate %s --to=amdgcn --enable-fp-fusion=false | FileCheck %s --check-prefix=AMD-UNFUSED
// RUN: not tessel-translate %s --to=ptx --enable-fp-fusion=maybe 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not tessel-translate %s --to=ptx --num-warps=3 2>&1 | FileCheck %s --check-prefix=BAD-WARPS

// FUSED: fma.rn.f32
// FUSED-NOT: mul.rn.f32
// UNFUSED-NOT: fma.rn.f32
// UNFUSED: mul.rn.f32
// UNFUSED: add.rn.f32
// UNFUSED-NOT: fma.rn.f32
// MAXNREG: .maxnreg 128
// MAXNREG: fma.rn.f32
// AMD-FUSED: v_{{(pk_)?}}fma_f32
// AMD-UNFUSED-NOT: v_fma
// AMD-UNFUSED: v_{{(pk_)?}}mul_f32
// AMD-UNFUSED: v_{{(pk_)?}}add_f32
// BAD: error: compile option 'enable_fp_fusion': expected true, false, 1 or 0, got 'maybe'
// BAD-WARPS: error: compile option 'num_warps': expected a power of two from 1 to 32, got '3'
func.func @axpy(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                %y: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                %out: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                %a: f32) attributes {tile.kernel} {
  %r = tile.make_range 0 to 128 : tensor<128xi32>
  %xp = tile.splat %x : tensor<128x!tile.ptr<f32>>
  %xs = tile.addptr %xp, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  %yp = tile.splat %y : tensor<128x!tile.ptr<f32>>
  %ys = tile.addptr %yp, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  %op = tile.splat %out : tensor<128x!tile.ptr<f32>>
  %os = tile.addptr %op, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  %xv = tile.load %xs : tensor<128x!tile.ptr<f32>>
  %yv = tile.load %ys : tensor<128x!tile.ptr<f32>>
  %av = tile.splat %a : tensor<128xf32>
  %m = arith.mulf %av, %xv : tensor<128xf32>
  %s = arith.addf %m, %yv : tensor<128xf32>
  tile.store %os, %s : tensor<128x!tile.ptr<f32>>
  return
}

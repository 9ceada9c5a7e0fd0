// RUN: tessel-opt %s --tessel-pipeline="target=nvidia:sm_90a" | FileCheck %s --check-prefix=NV
// RUN: tessel-opt %s --tessel-pipeline="target=cpu" | FileCheck %s --check-prefix=CPU
// RUN: tessel-translate %s --to=ptx --target=nvidia:sm_90a | FileCheck %s --check-prefix=PTX

// fp32 exp and division marked afn (tl.exp, `/`) take NVIDIA's fast forms, as
// in Triton; unmarked ones (tl.div_rn, tl.math.exp of f64) stay exact. fp32
// exp2 is ex2.approx itself. Both flush subnormals (.ftz), as Triton's: the
// plain ex2.approx.f32 costs a range test and two multiplies more in SASS.
// NV: llvm.fmul %{{.*}}, %{{.*}} : f32
// NV: llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f32"
// NV: llvm.call_intrinsic "llvm.nvvm.div.full"
// NV: llvm.fdiv %{{.*}}, %{{.*}} : f32
// NV-NOT: llvm.fmul
// NV: llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f32"
// NV-NOT: __nv_exp2f
// CPU-NOT: nvvm
// PTX: ex2.approx.ftz.f32
// PTX: div.full.f32
// PTX: div.rn.f32
// PTX: ex2.approx.ftz.f32
func.func @k(%x: !tile.ptr<f32>, %y: !tile.ptr<f32>, %o: !tile.ptr<f32>) attributes {tile.kernel} {
  %a = tile.load %x : !tile.ptr<f32>
  %b = tile.load %y : !tile.ptr<f32>
  %e = math.exp %a fastmath<afn> : f32
  %q = arith.divf %e, %b fastmath<afn> : f32
  %r = arith.divf %q, %b : f32
  %s = math.exp2 %r : f32
  tile.store %o, %s : !tile.ptr<f32>
  return
}

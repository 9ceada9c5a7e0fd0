// RUN: tessel-opt %s --tessel-pipeline="target=nvidia:sm_90a" | FileCheck %s --check-prefix=NV
// RUN: tessel-opt %s --tessel-pipeline="target=amd:gfx942" | FileCheck %s --check-prefix=AMD
// RUN: tessel-opt %s --tessel-pipeline="target=cpu" | FileCheck %s --check-prefix=CPU

// Math ops on per-thread vectors become one library call per element:
// libdevice (__nv_*) on NVIDIA, OCML (__ocml_*_f32) on AMD. On the CPU, LLVM
// intrinsics cover exp and sqrt; erf calls libm. Square roots stay
// intrinsics everywhere. Half types compute in f32. The pass alone, on
// scalars: math-to-library-calls-scalars.mlir.

// NV-LABEL: llvm.func @math
// NV-SAME: attributes {nvvm.kernel, nvvm.maxntid = array<i32: 128, 1, 1>}
// NV-COUNT-4: llvm.call @__nv_expf(%{{.*}}) : (f32) -> f32
// NV-COUNT-4: llvm.call @__nv_erff(%{{.*}}) : (f32) -> f32
// NV: llvm.intr.sqrt(%{{.*}}) : (vector<4xf32>) -> vector<4xf32>
// NV: %[[W:.*]] = llvm.fpext %{{.*}} : f16 to f32
// NV-NEXT: %[[E:.*]] = llvm.call @__nv_expf(%[[W]]) : (f32) -> f32
// NV-NEXT: llvm.fptrunc %[[E]] : f32 to f16
// NV-NOT: math.
// NV-NOT: llvm.intr.exp
// NV-NOT: llvm.call @__nv_sqrtf
// NV-DAG: llvm.func @__nv_expf(f32) -> f32
// NV-DAG: llvm.func @__nv_erff(f32) -> f32

// AMD-LABEL: llvm.func @math
// AMD-SAME: rocdl.kernel
// AMD-COUNT-4: llvm.call @__ocml_exp_f32(%{{.*}}) : (f32) -> f32
// AMD-COUNT-4: llvm.call @__ocml_erf_f32(%{{.*}}) : (f32) -> f32
// AMD: llvm.intr.sqrt(%{{.*}}) : (vector<4xf32>) -> vector<4xf32>
// AMD: %[[W:.*]] = llvm.fpext %{{.*}} : f16 to f32
// AMD-NEXT: %[[E:.*]] = llvm.call @__ocml_exp_f32(%[[W]]) : (f32) -> f32
// AMD-NEXT: llvm.fptrunc %[[E]] : f32 to f16
// AMD-NOT: math.
// AMD-NOT: llvm.intr.exp
// AMD-DAG: llvm.func @__ocml_exp_f32(f32) -> f32
// AMD-DAG: llvm.func @__ocml_erf_f32(f32) -> f32

// The CPU works on 16-element chunks in a loop: one erff call per lane.
// CPU-LABEL: llvm.func @math
// CPU: llvm.intr.exp(%{{.*}}) : (vector<16xf32>) -> vector<16xf32>
// CPU-COUNT-16: llvm.call @erff(%{{.*}}) : (f32) -> f32
// CPU: llvm.intr.sqrt(%{{.*}}) : (vector<16xf32>) -> vector<16xf32>
// CPU: llvm.intr.exp(%{{.*}}) : (vector<16xf16>) -> vector<16xf16>
// CPU: %[[W:.*]] = llvm.fpext %{{.*}} : f16 to f32
// CPU-NEXT: %[[E:.*]] = llvm.call @erff(%[[W]]) : (f32) -> f32
// CPU-NEXT: llvm.fptrunc %[[E]] : f32 to f16
// CPU-NOT: math.
// CPU-NOT: @expf
// CPU: llvm.func @erff(f32) -> f32
// CPU-NOT: @expf
func.func @math(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                %h: !tile.ptr<f16> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 128 : tensor<128xi32>
  %xp = tile.splat %x : tensor<128x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  %v = tile.load %xa : tensor<128x!tile.ptr<f32>>
  %e = math.exp %v : tensor<128xf32>
  %f = math.erf %e : tensor<128xf32>
  %s = math.sqrt %f : tensor<128xf32>
  tile.store %xa, %s : tensor<128x!tile.ptr<f32>>
  %hp = tile.splat %h : tensor<128x!tile.ptr<f16>>
  %ha = tile.addptr %hp, %r : tensor<128x!tile.ptr<f16>>, tensor<128xi32>
  %hv = tile.load %ha : tensor<128x!tile.ptr<f16>>
  %he = math.exp %hv : tensor<128xf16>
  %hf = math.erf %he : tensor<128xf16>
  tile.store %ha, %hf : tensor<128x!tile.ptr<f16>>
  return
}

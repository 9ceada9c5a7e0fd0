// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=4" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=NV
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=amd:gfx942 num-warps=4" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=AMD
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=cpu" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=CPU

// libdevice names map to the target's library: __nv_powf on NVIDIA,
// __ocml_pow_f32 on AMD, powf from libm on the CPU; one call per element,
// marked free of memory effects when pure. __nv_normcdff is OCML's ncdf.
// NV: llvm.call @__nv_powf({{.*}}) {{.*}}memory_effects = #llvm.memory_effects<other = none
// NV-DAG: llvm.func @__nv_powf(f32, f32) -> f32
// NV-DAG: llvm.func @__nv_normcdff(f32) -> f32
// AMD-DAG: llvm.func @__ocml_pow_f32(f32, f32) -> f32
// AMD-DAG: llvm.func @__ocml_ncdf_f32(f32) -> f32
// CPU-DAG: llvm.func @powf(f32, f32) -> f32
// CPU-DAG: llvm.func @normcdff(f32) -> f32
module {
  func.func @extern(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
    %r = tile.make_range 0 to 256 : tensor<256xi32>
    %xs = tile.splat %x : tensor<256x!tile.ptr<f32>>
    %xp = tile.addptr %xs, %r : tensor<256x!tile.ptr<f32>>, tensor<256xi32>
    %a = tile.load %xp : tensor<256x!tile.ptr<f32>>
    %p = tile.extern_elementwise "__nv_powf"(%a, %a) {pure} : (tensor<256xf32>, tensor<256xf32>) -> tensor<256xf32>
    %n = tile.extern_elementwise "__nv_normcdff"(%p) {pure} : (tensor<256xf32>) -> tensor<256xf32>
    tile.store %xp, %n : tensor<256x!tile.ptr<f32>>
    return
  }
}

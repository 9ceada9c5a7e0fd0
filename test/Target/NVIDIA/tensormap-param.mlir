// RUN: tessel-translate %s --to=ptx --target=nvidia:sm_90a | FileCheck %s
// RUN: tessel-translate %s --to=llvmir --target=amd:gfx942 | FileCheck %s --check-prefix=AMD
// RUN: tessel-translate %s --to=llvmir --target=cpu | FileCheck %s --check-prefix=CPU

// A host descriptor's tensor map is a 128-byte kernel parameter on NVIDIA,
// 64-byte aligned in parameter space and read in place (TMA takes its
// generic address); other targets never read it and take a pointer.
// CHECK: .param .align 64 .b8 tensor_map_param_param_1[128]
// AMD: define amdgpu_kernel void @tensor_map_param(ptr addrspace(1) {{.*}}, ptr {{.*}}%1)
// CPU: define void @tensor_map_param(ptr {{.*}}, ptr {{.*}},
func.func @tensor_map_param(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                            %map: !tile.tensormap) attributes {tile.kernel} {
  %c = arith.constant 1.0 : f32
  tile.store %x, %c : !tile.ptr<f32>
  return
}

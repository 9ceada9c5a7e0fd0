// RUN: rm -rf %t && split-file %s %t
// An op of one vendor's dialect cannot reach another backend (it used to
// abort instruction selection): a located error instead.
// RUN: not tessel-translate %t/nvvm.mlir --to=amdgcn --target=amd:gfx942 2>&1 | FileCheck %s --check-prefix=NVVM-AMD
// RUN: not tessel-translate %t/nvvm.mlir --to=obj --target=cpu -o %t/x.o 2>&1 | FileCheck %s --check-prefix=NVVM-CPU
// RUN: not tessel-translate %t/rocdl.mlir --to=ptx 2>&1 | FileCheck %s --check-prefix=ROCDL-PTX
// The same inputs compile for their own vendor.
// RUN: tessel-translate %t/nvvm.mlir --to=ptx | FileCheck %s --check-prefix=PTX
// RUN: tessel-translate %t/rocdl.mlir --to=amdgcn --target=amd:gfx942 | FileCheck %s --check-prefix=AMDGCN

// NVVM-AMD: nvvm.mlir:2:8: error: 'nvvm.read.ptx.sreg.tid.x' op is an NVIDIA operation and cannot be compiled for the AMD target
// NVVM-CPU: nvvm.mlir:2:8: error: 'nvvm.read.ptx.sreg.tid.x' op is an NVIDIA operation and cannot be compiled for the CPU target
// ROCDL-PTX: rocdl.mlir:2:8: error: 'rocdl.workitem.id.x' op is an AMD operation and cannot be compiled for the NVIDIA target
// PTX: %tid.x
// AMDGCN: global_store_dword

//--- nvvm.mlir
func.func @k(%p: !tile.ptr<i32>) attributes {tile.kernel} {
  %t = nvvm.read.ptx.sreg.tid.x : i32
  tile.store %p, %t : !tile.ptr<i32>
  return
}

//--- rocdl.mlir
func.func @k(%p: !tile.ptr<i32>) attributes {tile.kernel} {
  %t = rocdl.workitem.id.x : i32
  tile.store %p, %t : !tile.ptr<i32>
  return
}

// Needs the ROCm device libraries (ocml.bc) for math.exp/math.erf, found at
// /usr/lib/x86_64-linux-gnu/amdgcn/bitcode or $TESSEL_ROCM_DEVICE_LIBS.
// RUN: tessel-translate %s --to=hsaco --target=amd:gfx942 -o %t.gfx942.hsaco
// RUN: llvm-readelf --notes %t.gfx942.hsaco | FileCheck %s --check-prefixes=NOTES,NOTES942
// RUN: llvm-readelf -h %t.gfx942.hsaco | FileCheck %s --check-prefixes=ELF,ELF942
// RUN: llvm-objdump -d %t.gfx942.hsaco | FileCheck %s --check-prefix=ISA
// RUN: llvm-readelf --dyn-syms %t.gfx942.hsaco | FileCheck %s --check-prefix=SYMS
// RUN: tessel-translate %s --to=hsaco --target=amd:gfx90a -o %t.gfx90a.hsaco
// RUN: llvm-readelf --notes %t.gfx90a.hsaco | FileCheck %s --check-prefixes=NOTES,NOTES90A
// RUN: llvm-readelf -h %t.gfx90a.hsaco | FileCheck %s --check-prefixes=ELF,ELF90A
// RUN: llvm-objdump -d %t.gfx90a.hsaco | FileCheck %s --check-prefix=ISA
// RUN: llvm-readelf --dyn-syms %t.gfx90a.hsaco | FileCheck %s --check-prefix=SYMS
// --to=hsaco defaults to gfx942; --to=amdgcn gives the assembly.
// RUN: tessel-translate %s --to=hsaco -o %t.default.hsaco
// RUN: llvm-readelf --notes %t.default.hsaco | FileCheck %s --check-prefixes=NOTES,NOTES942
// RUN: tessel-translate %s --to=amdgcn --target=amd:gfx942 | FileCheck %s --check-prefix=ASM

// ELF: OS/ABI: AMDGPU - HSA
// ELF: Type: DYN (Shared object file)
// ELF: Machine: EM_AMDGPU
// ELF942: Flags: {{.*}}gfx942
// ELF90A: Flags: {{.*}}gfx90a

// Kernel metadata: 4 wavefronts of 64 lanes per workgroup.
// NOTES: amdhsa.kernels:
// NOTES-DAG: .name: copy_exp
// NOTES-DAG: .name: copy_erf
// NOTES-DAG: .wavefront_size: 64
// NOTES-DAG: .max_flat_workgroup_size: 256
// NOTES942: amdhsa.target: amdgcn-amd-amdhsa--gfx942
// NOTES90A: amdhsa.target: amdgcn-amd-amdhsa--gfx90a

// 16-byte divisible arguments: dwordx4 loads and stores.
// ISA-LABEL: <copy_exp>:
// ISA: global_load_dwordx4
// ISA: v_exp_f32
// ISA: global_store_dwordx4
// ISA-NOT: s_swappc
// ISA-LABEL: <copy_erf>:
// ISA: global_load_dwordx4
// ISA: global_store_dwordx4

// OCML is linked in and inlined: the kernels (and their descriptors) are the
// only dynamic symbols, nothing is undefined.
// SYMS: Symbol table '.dynsym'
// SYMS-NOT: UND {{[^ ]+}}
// SYMS-NOT: __ocml
// SYMS-NOT: __ockl
// SYMS-DAG: FUNC GLOBAL PROTECTED {{.*}} copy_exp{{$}}
// SYMS-DAG: OBJECT GLOBAL DEFAULT {{.*}} copy_exp.kd
// SYMS-DAG: FUNC GLOBAL PROTECTED {{.*}} copy_erf{{$}}
// SYMS-NOT: UND {{[^ ]+}}
// SYMS-NOT: __ocml
// SYMS-NOT: __ockl

// ASM: .amdgcn_target "amdgcn-amd-amdhsa--gfx942
// ASM-LABEL: copy_exp:
// ASM: global_load_dwordx4
// ASM: .amdhsa_kernel copy_exp

func.func @copy_exp(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                    %out: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                    %n: i32 {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %pid = tile.program_id x : i32
  %c = arith.constant 1024 : i32
  %start = arith.muli %pid, %c : i32
  %r = tile.make_range 0 to 1024 : tensor<1024xi32>
  %s = tile.splat %start : tensor<1024xi32>
  %offs = arith.addi %s, %r : tensor<1024xi32>
  %ns = tile.splat %n : tensor<1024xi32>
  %mask = arith.cmpi slt, %offs, %ns : tensor<1024xi32>
  %xp = tile.splat %x : tensor<1024x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %offs : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  %xv = tile.load %xa, %mask : tensor<1024x!tile.ptr<f32>>
  %e = math.exp %xv : tensor<1024xf32>
  %op = tile.splat %out : tensor<1024x!tile.ptr<f32>>
  %oa = tile.addptr %op, %offs : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  tile.store %oa, %e, %mask : tensor<1024x!tile.ptr<f32>>
  return
}

func.func @copy_erf(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                    %out: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %pid = tile.program_id x : i32
  %c = arith.constant 1024 : i32
  %start = arith.muli %pid, %c : i32
  %r = tile.make_range 0 to 1024 : tensor<1024xi32>
  %s = tile.splat %start : tensor<1024xi32>
  %offs = arith.addi %s, %r : tensor<1024xi32>
  %xp = tile.splat %x : tensor<1024x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %offs : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  %xv = tile.load %xa : tensor<1024x!tile.ptr<f32>>
  %e = math.erf %xv : tensor<1024xf32>
  %op = tile.splat %out : tensor<1024x!tile.ptr<f32>>
  %oa = tile.addptr %op, %offs : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  tile.store %oa, %e : tensor<1024x!tile.ptr<f32>>
  return
}

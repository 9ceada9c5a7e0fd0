// REQUIRES: ptxas
// RUN: tessel-translate %s --to=ptx --target=nvidia:sm_90a -o %t.sm90a.ptx
// RUN: %ptxas -arch=sm_90a %t.sm90a.ptx -o %t.sm90a.cubin
// RUN: llvm-readelf -h %t.sm90a.cubin | FileCheck %s --check-prefix=ELF90
// RUN: tessel-translate %s --to=ptx --target=nvidia:sm_80 -o %t.sm80.ptx
// RUN: %ptxas -arch=sm_80 %t.sm80.ptx -o %t.sm80.cubin
// RUN: llvm-readelf -h %t.sm80.cubin | FileCheck %s --check-prefix=ELF80

// --to=cubin runs ptxas itself.
// RUN: tessel-translate %s --to=cubin --target=nvidia:sm_90a -o %t.direct90.cubin
// RUN: llvm-readelf -h %t.direct90.cubin | FileCheck %s --check-prefix=ELF90
// RUN: llvm-readelf -s %t.direct90.cubin | FileCheck %s --check-prefix=SYMS
// RUN: tessel-translate %s --to=cubin --target=nvidia:sm_80 -o %t.direct80.cubin
// RUN: llvm-readelf -h %t.direct80.cubin | FileCheck %s --check-prefix=ELF80
// RUN: llvm-readelf -s %t.direct80.cubin | FileCheck %s --check-prefix=SYMS

// ELF90: Class: ELF64
// ELF90: Type: EXEC
// ELF90: Machine: NVIDIA CUDA architecture
// ELF90: Flags: {{.*}}sm_90
// ELF80: Class: ELF64
// ELF80: Machine: NVIDIA CUDA architecture
// ELF80: Flags: {{.*}}sm_80

// Both kernels are global functions in the cubin; nothing from libdevice is
// left undefined.
// SYMS-DAG: FUNC GLOBAL DEFAULT {{.*}} copy_exp
// SYMS-DAG: FUNC GLOBAL DEFAULT {{.*}} transpose_offsets
// SYMS-NOT: UND __nv_

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
  %h = arith.truncf %e : tensor<1024xf32> to tensor<1024xf16>
  %t = math.tanh %h : tensor<1024xf16>
  %w = arith.extf %t : tensor<1024xf16> to tensor<1024xf32>
  %op = tile.splat %out : tensor<1024x!tile.ptr<f32>>
  %oa = tile.addptr %op, %offs : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  tile.store %oa, %w, %mask : tensor<1024x!tile.ptr<f32>>
  return
}

func.func @transpose_offsets(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 32 : tensor<32xi32>
  %row = tile.expand_dims %r {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %col = tile.expand_dims %r {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %rowb = tile.broadcast %row : tensor<32x1xi32> -> tensor<32x32xi32>
  %colb = tile.broadcast %col : tensor<1x32xi32> -> tensor<32x32xi32>
  %c32 = arith.constant dense<32> : tensor<32x32xi32>
  %rows = arith.muli %rowb, %c32 : tensor<32x32xi32>
  %offs = arith.addi %rows, %colb : tensor<32x32xi32>
  %xp = tile.splat %x : tensor<32x32x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %offs : tensor<32x32x!tile.ptr<f32>>, tensor<32x32xi32>
  %v = tile.load %xa : tensor<32x32x!tile.ptr<f32>>
  %e = math.exp %v : tensor<32x32xf32>
  tile.store %xa, %e : tensor<32x32x!tile.ptr<f32>>
  return
}

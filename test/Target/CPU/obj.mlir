// RUN: tessel-translate %s --to=obj -o %t.o
// RUN: llvm-readelf -h %t.o | FileCheck %s --check-prefix=ELF
// RUN: llvm-readelf -s %t.o | FileCheck %s --check-prefix=SYMS
// RUN: tessel-translate %s --to=obj --target=cpu -o %t.explicit.o
// RUN: llvm-readelf -s %t.explicit.o | FileCheck %s --check-prefix=SYMS
// RUN: tessel-translate %s --to=llvmir | FileCheck %s --check-prefix=IR

// ELF: Class: ELF64
// ELF: Type: REL (Relocatable file)
// ELF: Machine: Advanced Micro Devices X86-64

// The kernel and its packed-argument entry point are exported; erf comes
// from libm.
// SYMS-DAG: FUNC GLOBAL DEFAULT {{.*}} scale_erf{{$}}
// SYMS-DAG: FUNC GLOBAL DEFAULT {{.*}} scale_erf.tessel_entry{{$}}
// SYMS-DAG: NOTYPE GLOBAL DEFAULT UND erff{{$}}

// The kernel takes its arguments then the grid position (program ids x, y,
// z and program counts x, y, z); the entry point takes a pointer to the
// argument slots and the grid position, and calls (or inlines) the kernel.
// IR: target triple = "x86_64
// IR-DAG: define void @scale_erf(ptr {{.*}}%0, ptr {{.*}}%1, float %2, i32 %3, i32 %4, i32 %5, i32 %6, i32 %7, i32 %8)
// IR-DAG: define void @scale_erf.tessel_entry(ptr {{.*}}%0, i32 %1, i32 %2, i32 %3, i32 %4, i32 %5, i32 %6)
// IR-DAG: declare float @erff(float)

func.func @scale_erf(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                     %out: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                     %alpha: f32) attributes {tile.kernel} {
  %pid = tile.program_id x : i32
  %c = arith.constant 64 : i32
  %start = arith.muli %pid, %c : i32
  %r = tile.make_range 0 to 64 : tensor<64xi32>
  %s = tile.splat %start : tensor<64xi32>
  %offs = arith.addi %s, %r : tensor<64xi32>
  %xp = tile.splat %x : tensor<64x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %offs : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %v = tile.load %xa : tensor<64x!tile.ptr<f32>>
  %as = tile.splat %alpha : tensor<64xf32>
  %m = arith.mulf %v, %as : tensor<64xf32>
  %e = math.erf %m : tensor<64xf32>
  %op = tile.splat %out : tensor<64x!tile.ptr<f32>>
  %oa = tile.addptr %op, %offs : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  tile.store %oa, %e : tensor<64x!tile.ptr<f32>>
  return
}

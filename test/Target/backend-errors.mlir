// RUN: rm -rf %t && split-file %s %t
// Errors found after the MLIR stages still point at the kernel's source.

// Assembly that ptxas rejects: ptxas's log, located at the kernel.
// RUN: %if ptxas %{ not tessel-translate %t/bad-asm.mlir --to=cubin -o %t/x.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS %}
// PTXAS: bad-asm.mlir:1:1: error: ptxas failed ({{.*}}): {{.*}}Arguments mismatch for instruction 'xor'

// Another vendor's device-library name on f16: a located error at the call
// instead of an undefined symbol at link time.
// RUN: not tessel-translate %t/extern-f16.mlir --to=hsaco --target=amd:gfx942 -o %t/x.hsaco 2>&1 | FileCheck %s --check-prefix=EXTERN
// RUN: not tessel-translate %t/extern-f16.mlir --to=obj --target=cpu -o %t/x.o 2>&1 | FileCheck %s --check-prefix=EXTERN
// EXTERN: extern-f16.mlir:6:8: error: 'tile.extern_elementwise' op '__nv_powf' is translated to this target's library for f32 and f64 only, not 'f16'

// Vendor intrinsics at module scope have no function to run in.
// RUN: not tessel-translate %t/module-scope.mlir --to=ptx 2>&1 | FileCheck %s --check-prefix=SCOPE
// SCOPE: module-scope.mlir:1:1: error: 'nvvm.barrier0' op must be inside a function

// Assembly the AMDGPU assembler rejects: LLVM reports it as an error
// diagnostic, which without a handler prints and exits the process (fuzz
// seed 1304); now a located error.
// RUN: not tessel-translate %t/amd-bad-asm.mlir --to=hsaco --target=amd:gfx942 -o %t/x.hsaco 2>&1 | FileCheck %s --check-prefix=AMDASM
// AMDASM: amd-bad-asm.mlir:1:1: error: <inline asm>:1:2: invalid instruction; wgmma.commit_group.sync.aligned;

//--- amd-bad-asm.mlir
func.func @k(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  llvm.inline_asm has_side_effects "wgmma.commit_group.sync.aligned;", "" : () -> ()
  return
}

//--- bad-asm.mlir
func.func @k(%x: !tile.ptr<i32>) attributes {tile.kernel} {
  %r = tile.make_range 0 to 128 : tensor<128xi32>
  %xs = tile.splat %x : tensor<128x!tile.ptr<i32>>
  %xp = tile.addptr %xs, %r : tensor<128x!tile.ptr<i32>>, tensor<128xi32>
  %a = tile.load %xp : tensor<128x!tile.ptr<i32>>
  %b = tile.inline_asm "xor.b32 $0, $1, 1.0e+300;", "=r,r"(%a) {pack = 1 : i32, pure} : (tensor<128xi32>) -> tensor<128xi32>
  tile.store %xp, %b : tensor<128x!tile.ptr<i32>>
  return
}

//--- extern-f16.mlir
func.func @extern(%x: !tile.ptr<f16> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 256 : tensor<256xi32>
  %xs = tile.splat %x : tensor<256x!tile.ptr<f16>>
  %xp = tile.addptr %xs, %r : tensor<256x!tile.ptr<f16>>, tensor<256xi32>
  %a = tile.load %xp : tensor<256x!tile.ptr<f16>>
  %p = tile.extern_elementwise "__nv_powf"(%a, %a) {pure} : (tensor<256xf16>, tensor<256xf16>) -> tensor<256xf16>
  tile.store %xp, %p : tensor<256x!tile.ptr<f16>>
  return
}

//--- module-scope.mlir
nvvm.barrier0
func.func @kernel(%v: i32) attributes {tile.kernel} {
  return
}

// An undefined device-library function at link time (an f32 name called on
// f64): the linker's log, joined into one diagnostic at the kernel.
// RUN: not tessel-translate %t/undefined.mlir --to=hsaco --target=amd:gfx942 -o %t/y.hsaco 2>&1 | FileCheck %s --check-prefix=LINK
// LINK: undefined.mlir:1:1: error: linking the hsaco failed: undefined symbol: __ocml_powf_f64;
// LINK-NOT: error:

//--- undefined.mlir
func.func @k(%x: !tile.ptr<f64> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 256 : tensor<256xi32>
  %xs = tile.splat %x : tensor<256x!tile.ptr<f64>>
  %xp = tile.addptr %xs, %r : tensor<256x!tile.ptr<f64>>, tensor<256xi32>
  %a = tile.load %xp : tensor<256x!tile.ptr<f64>>
  %p = tile.extern_elementwise "__nv_powf"(%a, %a) {pure} : (tensor<256xf64>, tensor<256xf64>) -> tensor<256xf64>
  tile.store %xp, %p : tensor<256x!tile.ptr<f64>>
  return
}

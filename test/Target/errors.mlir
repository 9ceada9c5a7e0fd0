// RUN: rm -rf %t && split-file %s %t

// Syntax errors and verifier errors exit with 1 and a diagnostic located at
// line:column of the input.
// RUN: not tessel-translate %t/syntax.mlir --to=llvmir 2>&1 | FileCheck %s --check-prefix=SYNTAX
// RUN: not tessel-translate %t/verifier.mlir --to=ptx 2>&1 | FileCheck %s --check-prefix=VERIFIER
// RUN: not tessel-translate %t/verifier.mlir --to=hsaco -o %t/verifier.hsaco 2>&1 | FileCheck %s --check-prefix=VERIFIER
// RUN: not tessel-translate %t/undefined.mlir --to=llvmir 2>&1 | FileCheck %s --check-prefix=UNDEF
// Nothing is written on failure.
// RUN: not test -e %t/verifier.hsaco

// A module without a tile.kernel function.
// RUN: not tessel-translate %t/no-kernel.mlir --to=llvmir 2>&1 | FileCheck %s --check-prefix=NOKERNEL
// Kernel parameters must be scalars or pointers, and kernels return nothing.
// RUN: not tessel-translate %t/tensor-param.mlir --to=llvmir 2>&1 | FileCheck %s --check-prefix=TENSORPARAM
// RUN: not tessel-translate %t/returns.mlir --to=llvmir 2>&1 | FileCheck %s --check-prefix=RETURNS

// Bad options.
// RUN: not tessel-translate %t/good.mlir --to=spirv 2>&1 | FileCheck %s --check-prefix=BADTO
// RUN: not tessel-translate %t/good.mlir --to=ptx --target=tpu:v5 2>&1 | FileCheck %s --check-prefix=BADTARGET
// RUN: not tessel-translate %t/good.mlir --to=ptx --target=cpu 2>&1 | FileCheck %s --check-prefix=MISMATCH-PTX
// RUN: not tessel-translate %t/good.mlir --to=hsaco --target=nvidia:sm_90a 2>&1 | FileCheck %s --check-prefix=MISMATCH-HSACO
// RUN: not tessel-translate %t/good.mlir --to=obj --target=amd:gfx942 2>&1 | FileCheck %s --check-prefix=MISMATCH-OBJ-AMD
// RUN: not tessel-translate %t/missing.mlir --to=llvmir 2>&1 | FileCheck %s --check-prefix=MISSING
// The good input does compile.
// RUN: tessel-translate %t/good.mlir --to=llvmir | FileCheck %s --check-prefix=GOOD

// SYNTAX: {{^.+}}:2:8: error: custom op 'tile.bogus' is unknown
// VERIFIER: {{^.+}}:2:8: error: 'tile.make_range' op tile shapes must be static powers of two, got 'tensor<3xi32>'
// UNDEF: {{^.+}}:2:18: error: use of undeclared SSA value name
// NOKERNEL: error: no kernel: mark a func.func with {tile.kernel}
// TENSORPARAM: {{^.+}}:1:1: error: 'func.func' op kernel parameter 1 has type 'tensor<16xf32>', which kernels cannot take; pass pointers and scalars
// RETURNS: {{^.+}}:1:1: error: 'func.func' op kernels cannot return values
// BADTO: error: unknown --to=spirv
// BADTARGET: unknown target 'tpu:v5': use cpu, nvidia:sm_XX or amd:gfxXXX
// MISMATCH-PTX: error: --to=ptx does not match --target=cpu
// MISMATCH-HSACO: error: --to=hsaco does not match --target=nvidia:sm_90a
// MISMATCH-OBJ-AMD: error: --to=obj does not match --target=amd:gfx942
// MISSING: error: cannot read {{.*}}missing.mlir
// GOOD: define void @good(

//--- syntax.mlir
func.func @k() attributes {tile.kernel} {
  %0 = tile.bogus
  return
}

//--- verifier.mlir
func.func @k(%x: !tile.ptr<i32>) attributes {tile.kernel} {
  %r = tile.make_range 0 to 3 : tensor<3xi32>
  return
}

//--- undefined.mlir
func.func @k(%x: !tile.ptr<i32>) attributes {tile.kernel} {
  tile.store %x, %nothing : !tile.ptr<i32>
  return
}

//--- no-kernel.mlir
func.func @helper(%x: !tile.ptr<i32>) {
  return
}

//--- tensor-param.mlir
func.func @k(%x: !tile.ptr<f32>, %t: tensor<16xf32>) attributes {tile.kernel} {
  return
}

//--- returns.mlir
func.func @k(%x: i32) -> i32 attributes {tile.kernel} {
  return %x : i32
}

//--- good.mlir
func.func @good(%x: !tile.ptr<i32>, %v: i32) attributes {tile.kernel} {
  tile.store %x, %v : !tile.ptr<i32>
  return
}

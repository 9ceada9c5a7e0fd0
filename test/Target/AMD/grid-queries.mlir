// RUN: tessel-translate %s --to=hsaco --target=amd:gfx942 -o %t.hsaco
// RUN: llvm-readelf --notes %t.hsaco | FileCheck %s
// RUN: llvm-readelf --dyn-syms %t.hsaco | FileCheck %s --check-prefix=SYMS

// tile.num_programs lowers to rocdl.grid.dim.*, which calls OCKL's
// __ockl_get_num_groups: the device libraries must be linked for OCKL too,
// not only when OCML (__ocml_*) functions are used.
// CHECK: .name: grid_size
// CHECK: amdhsa.target: amdgcn-amd-amdhsa--gfx942
// SYMS: Symbol table '.dynsym'
// SYMS-NOT: __ockl
// SYMS: grid_size
// SYMS-NOT: __ockl
func.func @grid_size(%out: !tile.ptr<i32>) attributes {tile.kernel} {
  %pid = tile.program_id x : i32
  %nx = tile.num_programs x : i32
  %ny = tile.num_programs y : i32
  %nz = tile.num_programs z : i32
  %a = arith.muli %nx, %ny : i32
  %b = arith.muli %a, %nz : i32
  %p = tile.addptr %out, %pid : !tile.ptr<i32>, i32
  tile.store %p, %b : !tile.ptr<i32>
  return
}

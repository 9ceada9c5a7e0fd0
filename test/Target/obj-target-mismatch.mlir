// --to=obj is a host object file: with a GPU target it must be refused like
// --to=obj --target=amd:gfx942 is (see errors.mlir), not silently write the
// cubin.
// RUN: rm -f %t.o
// RUN: not tessel-translate %s --to=obj --target=nvidia:sm_90a -o %t.o 2>&1 | FileCheck %s
// RUN: not test -e %t.o

// CHECK: error: --to=obj does not match --target=nvidia:sm_90a
func.func @good(%x: !tile.ptr<i32>, %v: i32) attributes {tile.kernel} {
  tile.store %x, %v : !tile.ptr<i32>
  return
}

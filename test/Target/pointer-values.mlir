// RUN: tessel-translate %s --to=ptx | FileCheck %s --check-prefix=PTX
// RUN: tessel-translate %s --to=amdgcn --target=amd:gfx942 | FileCheck %s --check-prefix=AMD
// RUN: tessel-translate %s --to=llvmir --target=cpu | FileCheck %s --check-prefix=CPU

// Pointers are values too: a table of pointers is loaded, stored and
// dereferenced as 64-bit addresses (storing one used to crash the layout
// pass, which took the bit width of the pointee).
// PTX-LABEL: .entry copy_table
// PTX-DAG: ld.global.{{(v2.)?}}b64
// PTX-DAG: st.global.{{(v2.)?}}b64
// PTX: ld.global.b32
// AMD: global_load_dwordx{{2|4}}
// AMD: global_store_dwordx{{2|4}}
// CPU-LABEL: define void @copy_table
// CPU: store <{{[0-9]+}} x ptr>
func.func @copy_table(%src: !tile.ptr<!tile.ptr<f32>>, %dst: !tile.ptr<!tile.ptr<f32>>,
                      %out: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.make_range 0 to 128 : tensor<128xi32>
  %s = tile.splat %src : tensor<128x!tile.ptr<!tile.ptr<f32>>>
  %p = tile.addptr %s, %r : tensor<128x!tile.ptr<!tile.ptr<f32>>>, tensor<128xi32>
  %v = tile.load %p : tensor<128x!tile.ptr<!tile.ptr<f32>>>
  %t = tile.splat %dst : tensor<128x!tile.ptr<!tile.ptr<f32>>>
  %q = tile.addptr %t, %r : tensor<128x!tile.ptr<!tile.ptr<f32>>>, tensor<128xi32>
  tile.store %q, %v : tensor<128x!tile.ptr<!tile.ptr<f32>>>
  %f = tile.load %v : tensor<128x!tile.ptr<f32>>
  %o = tile.splat %out : tensor<128x!tile.ptr<f32>>
  %w = tile.addptr %o, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  tile.store %w, %f : tensor<128x!tile.ptr<f32>>
  return
}

// A scalar pointer stored through a pointer to pointers.
// PTX-LABEL: .entry store_scalar_pointer
// PTX: st.global.b64
func.func @store_scalar_pointer(%x: !tile.ptr<!tile.ptr<i8>>, %v: !tile.ptr<i8>) attributes {tile.kernel} {
  tile.store %x, %v : !tile.ptr<!tile.ptr<i8>>
  return
}

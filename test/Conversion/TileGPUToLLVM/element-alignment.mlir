// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_90a" \
// RUN:   --convert-tilegpu-to-llvm | FileCheck %s
// RUN: tessel-translate %s --to=ptx --target=nvidia:sm_90a | FileCheck %s --check-prefix=PTX

// A !tile.ptr<f32> without tile.divisibility still points at f32 values, so
// its accesses are at least 4-byte aligned. Assuming 1 byte makes NVPTX split
// every f32 access into four byte accesses.
// CHECK-LABEL: func.func @unaligned_base
// CHECK-COUNT-4: llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr<1> -> f32
// CHECK-COUNT-4: llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : f32, !llvm.ptr<1>
// PTX-LABEL: .entry unaligned_base
// PTX-NOT: ld.global.b8
// PTX-NOT: ld.global.u8
// PTX-COUNT-4: ld.global{{(.nc)?}}.{{[bf]}}32
// PTX-NOT: st.global.b8
// PTX-NOT: st.global.u8
// PTX-COUNT-4: st.global.{{[bf]}}32
func.func @unaligned_base(%x: !tile.ptr<f32>, %out: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.make_range 0 to 512 : tensor<512xi32>
  %xp = tile.splat %x : tensor<512x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %v = tile.load %xa : tensor<512x!tile.ptr<f32>>
  %op = tile.splat %out : tensor<512x!tile.ptr<f32>>
  %oa = tile.addptr %op, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  tile.store %oa, %v : tensor<512x!tile.ptr<f32>>
  return
}

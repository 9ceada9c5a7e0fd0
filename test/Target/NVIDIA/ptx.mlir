// RUN: tessel-translate %s --to=ptx --target=nvidia:sm_90a | FileCheck %s --check-prefixes=CHECK,SM90
// RUN: tessel-translate %s --to=ptx --target=nvidia:sm_80 | FileCheck %s --check-prefixes=CHECK,SM80
// RUN: tessel-translate %s --to=ptx --target=nvidia:sm_90a | FileCheck %s --check-prefix=SHARED
// --to=ptx defaults to sm_90a.
// RUN: tessel-translate %s --to=ptx | FileCheck %s --check-prefixes=CHECK,SM90

// SM90: .target sm_90a
// SM80: .target sm_80
// CHECK: .address_size 64

// Every argument and the bound are 16-byte divisible: each thread moves its
// 4 consecutive f32 with one 128-bit access per 4 elements. math.exp comes
// from libdevice, linked and inlined.
// CHECK-LABEL: .visible .entry copy_exp(
// CHECK: .maxntid 128, 1, 1
// CHECK: mov.u32 %r{{[0-9]+}}, %ctaid.x;
// CHECK: mov.u32 %r{{[0-9]+}}, %tid.x;
// CHECK-COUNT-2: ld.global{{(.nc)?}}.v4.b32 {%r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}}, [%rd{{[0-9]+}}];
// CHECK: ex2.approx
// CHECK-COUNT-2: st.global.v4.b32 [%rd{{[0-9]+}}], {%r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}};
// CHECK-NOT: ld.global.b32
// CHECK-NOT: __nv_expf
// CHECK: ret;
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

// With a bound of unknown divisibility each element has its own predicate:
// 32-bit accesses only.
// CHECK-LABEL: .visible .entry copy_any_n(
// CHECK-NOT: .v4.b32
// CHECK: setp.{{.*}}.s32
// CHECK: ld.global{{(.nc)?}}.b32
// CHECK-NOT: .v4.b32
// CHECK: st.global.b32
// CHECK-NOT: .v4.b32
// CHECK: ret;
func.func @copy_any_n(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                      %out: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                      %n: i32) attributes {tile.kernel} {
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
  %op = tile.splat %out : tensor<1024x!tile.ptr<f32>>
  %oa = tile.addptr %op, %offs : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  tile.store %oa, %xv, %mask : tensor<1024x!tile.ptr<f32>>
  return
}

// A transpose through shared memory: a .shared buffer (a padding element
// per row of 32), written, then read after a barrier. No barrier before the
// writes: nothing used shared memory earlier in the kernel.
// The buffer is dynamic shared memory, declared before the entries: the
// launcher passes its size (4224 bytes here) and raises the limit past 48 KiB.
// SHARED: .extern .shared .align 16 .b8 tessel_shared[];
// SHARED: .visible .entry transpose_offsets(
// CHECK-LABEL: .visible .entry transpose_offsets(
// CHECK-NOT: bar.sync
// CHECK: st.shared{{(.v[24])?}}.b32
// CHECK: bar.sync 0;
// CHECK: ld.shared{{(.v[24])?}}.b32
// CHECK: ret;
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
  %t = tile.trans %v, [1, 0] : tensor<32x32xf32> -> tensor<32x32xf32>
  tile.store %xa, %t : tensor<32x32x!tile.ptr<f32>>
  return
}

// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=4" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=NV
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=amd:gfx942 num-warps=4" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=AMD
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=cpu" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=CPU

// 64 elements over 128 threads: each element has two owners' copies, and
// only the owner (lane bit 5 / warp bits clear) issues the atomic.
// NV: tilegpu.shared = 8 : i32
// NV: llvm.mlir.global external @tessel_shared() {{.*}} : !llvm.array<0 x i8>
// NV: %[[OWNER:.*]] = llvm.icmp "eq"
// NV: scf.if %[[OWNER]] -> (f32)
// NVIDIA atomics are PTX that keeps the ordering and scope (LLVM's NVPTX
// backend would emit a relaxed atom for atomicrmw), qualifiers in Triton's
// orders: scope then order for read-modify-writes, order then scope for
// compare-and-swap.
// NV: llvm.inline_asm has_side_effects asm_dialect = att {tessel.global_memory_only} "atom.global.gpu.acq_rel.add.f32 $0, [$1], $2;", "=f,l,f"
// The scalar counter: thread 0 adds, everyone reads the old value back.
// NV: "atom.global.cta.relaxed.add.u32 $0, [$1], $2;", "=r,l,r"
// NV: nvvm.barrier0
// NV: llvm.store {{.*}} !llvm.ptr<3>
// NV: nvvm.barrier0
// NV: llvm.load {{.*}} !llvm.ptr<3> -> i32
// NV: "atom.global.acq_rel.gpu.cas.b32 $0, [$1], $2, $3;", "=r,l,r,r"

// AMD: llvm.atomicrmw fadd %{{.*}}, %{{.*}} syncscope("agent") acq_rel
// AMD: llvm.atomicrmw add %{{.*}}, %{{.*}} syncscope("workgroup") monotonic
// AMD: rocdl.barrier

// CPU-NOT: llvm.mlir.global
// CPU-COUNT-64: llvm.atomicrmw fadd
// CPU: llvm.atomicrmw add %{{.*}}, %{{.*}} monotonic
// CPU: llvm.cmpxchg
func.func @k(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %c: !tile.ptr<i32>, %o: !tile.ptr<i32>) attributes {tile.kernel} {
  %r = tile.make_range 0 to 64 : tensor<64xi32>
  %xs = tile.splat %x : tensor<64x!tile.ptr<f32>>
  %xp = tile.addptr %xs, %r : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %one = arith.constant dense<1.0> : tensor<64xf32>
  %old = tile.atomic_rmw fadd, acq_rel, gpu, %xp, %one : tensor<64x!tile.ptr<f32>>
  %i1 = arith.constant 1 : i32
  %i0 = arith.constant 0 : i32
  %prev = tile.atomic_rmw add, relaxed, cta, %c, %i1 : !tile.ptr<i32>
  %cas = tile.atomic_cas acq_rel, gpu, %c, %i0, %i1 : !tile.ptr<i32>
  %sum = arith.addi %prev, %cas : i32
  tile.store %o, %sum : !tile.ptr<i32>
  return
}

// 16-bit float adds keep their order and scope too (sm_70's f16 and
// sm_90's bf16 `atom.add.noftz`), through 16-bit integer registers.
// NV-LABEL: func.func @half_adds
// NV: llvm.bitcast %{{.*}} : f16 to i16
// NV: "atom.global.gpu.release.add.noftz.f16 $0, [$1], $2;", "=h,l,h"
// NV: llvm.bitcast %{{.*}} : i16 to f16
// NV: "atom.global.sys.acquire.add.noftz.bf16 $0, [$1], $2;", "=h,l,h"
// AMD-LABEL: func.func @half_adds
// AMD: llvm.atomicrmw fadd
func.func @half_adds(%h: !tile.ptr<f16>, %bf: !tile.ptr<bf16>) attributes {tile.kernel} {
  %one = arith.constant 1.0 : f16
  %a = tile.atomic_rmw fadd, release, gpu, %h, %one : !tile.ptr<f16>
  %two = arith.constant 2.0 : bf16
  %b = tile.atomic_rmw fadd, acquire, sys, %bf, %two : !tile.ptr<bf16>
  return
}

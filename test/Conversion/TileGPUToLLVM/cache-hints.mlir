// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=4" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=NV
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=cpu" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=CPU

// Triton's cache_modifier / eviction_policy become PTX qualifiers on
// NVIDIA (16-byte accesses stay vectors); volatile is LLVM's volatile; the
// CPU ignores the hints.
// NV-LABEL: func.func @hinted
// NV: llvm.inline_asm has_side_effects asm_dialect = att {tessel.global_memory_only} "ld.global.cg.v4.b32 {$0, $1, $2, $3}, [$4];", "=r,=r,=r,=r,l"
// NV: llvm.inline_asm has_side_effects asm_dialect = att {tessel.global_memory_only} "ld.global.L1::evict_last.v4.b32
// NV: llvm.load volatile
// NV: llvm.inline_asm has_side_effects asm_dialect = att {tessel.global_memory_only} "st.global.wt.v4.b32 [$0], {$1, $2, $3, $4};", "l,r,r,r,r"
// CPU-LABEL: func.func @hinted
// CPU-NOT: llvm.inline_asm
func.func @hinted(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 512 : tensor<512xi32>
  %xs = tile.splat %x : tensor<512x!tile.ptr<f32>>
  %xp = tile.addptr %xs, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %a = tile.load %xp {cache = 2 : i32} : tensor<512x!tile.ptr<f32>>
  %b = tile.load %xp {evict = 2 : i32} : tensor<512x!tile.ptr<f32>>
  %c = tile.load %xp {isVolatile} : tensor<512x!tile.ptr<f32>>
  %s = arith.addf %a, %b : tensor<512xf32>
  %t = arith.addf %s, %c : tensor<512xf32>
  %os = tile.splat %o : tensor<512x!tile.ptr<f32>>
  %op = tile.addptr %os, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  tile.store %op, %t {cache = 6 : i32} : tensor<512x!tile.ptr<f32>>
  return
}

// On AMD, streaming (.cs = 3) and evict_first (1) accesses are non-temporal,
// .cv (4) loads volatile; .cg (2) and .wt (6) have no AMD form and vanish.
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=amd:gfx942 num-warps=4" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=AMD
// AMD-LABEL: func.func @amd_hints
// AMD-NOT: llvm.inline_asm
// AMD: llvm.load %{{.*}} {alignment = 16 : i64, nontemporal}
// AMD: llvm.load %{{.*}} {alignment = 16 : i64, nontemporal}
// AMD: llvm.load volatile %{{.*}} {alignment = 16 : i64}
// AMD: llvm.load %{{.*}} {alignment = 16 : i64} :
// AMD: llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64, nontemporal}
// AMD: llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} :
// NV-LABEL: func.func @amd_hints
// CPU-LABEL: func.func @amd_hints
func.func @amd_hints(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 512 : tensor<512xi32>
  %xs = tile.splat %x : tensor<512x!tile.ptr<f32>>
  %xp = tile.addptr %xs, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %a = tile.load %xp {cache = 3 : i32} : tensor<512x!tile.ptr<f32>>
  %b = tile.load %xp {evict = 1 : i32} : tensor<512x!tile.ptr<f32>>
  %c = tile.load %xp {cache = 4 : i32} : tensor<512x!tile.ptr<f32>>
  %d = tile.load %xp {cache = 2 : i32} : tensor<512x!tile.ptr<f32>>
  %s = arith.addf %a, %b : tensor<512xf32>
  %t = arith.addf %s, %c : tensor<512xf32>
  %u = arith.addf %t, %d : tensor<512xf32>
  %os = tile.splat %o : tensor<512x!tile.ptr<f32>>
  %op = tile.addptr %os, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  tile.store %op, %u {cache = 3 : i32} : tensor<512x!tile.ptr<f32>>
  tile.store %op, %u {cache = 6 : i32} : tensor<512x!tile.ptr<f32>>
  return
}

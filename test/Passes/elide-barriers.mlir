// RUN: tessel-opt %s --tessel-elide-barriers | FileCheck %s

// The first barrier of a kernel protects nothing: no thread used shared
// memory before it. A barrier right after another (no shared-memory access
// between) is redundant. A barrier after a shared-memory store stays, and so
// does the author's (tessel.user_barrier), whose mark the pass drops.
// CHECK-LABEL: func.func @kernel
// CHECK-NEXT: llvm.mlir.addressof
// CHECK-NEXT: llvm.store
// CHECK-NEXT: nvvm.barrier0
// CHECK-NEXT: llvm.load
// CHECK-NEXT: nvvm.barrier0
// CHECK-NOT: tessel.user_barrier
// CHECK-NEXT: llvm.store
// CHECK-NEXT: return
module {
  llvm.mlir.global internal @smem() {addr_space = 3 : i32} : !llvm.array<16 x i8>
  func.func @kernel(%v: i32) attributes {tile.kernel} {
    nvvm.barrier0
    %p = llvm.mlir.addressof @smem : !llvm.ptr<3>
    llvm.store %v, %p : i32, !llvm.ptr<3>
    nvvm.barrier0
    nvvm.barrier0
    %x = llvm.load %p : !llvm.ptr<3> -> i32
    nvvm.barrier0 {tessel.user_barrier}
    llvm.store %x, %p : i32, !llvm.ptr<3>
    return
  }

  // A function other than a kernel may be entered while its caller's
  // threads still read shared memory: its first barrier stays.
  // CHECK-LABEL: func.func @helper
  // CHECK-NEXT: nvvm.barrier0
  func.func @helper(%v: i32) {
    nvvm.barrier0
    %p = llvm.mlir.addressof @smem : !llvm.ptr<3>
    llvm.store %v, %p : i32, !llvm.ptr<3>
    return
  }
}

// wgmma reads shared memory through descriptors until its wait_group, so a
// barrier after it (before another warpgroup overwrites the operands) stays;
// so does one after a user's statement with side effects, whatever its text
// starts with. A barrier after register-only assembly or a global load the
// lowering marked (tessel.global_memory_only, which the pass drops) is
// redundant.
// CHECK-LABEL: func.func @async_proxy
// CHECK: wgmma.mma_async
// CHECK: wgmma.wait_group
// CHECK-NEXT: nvvm.barrier0
// CHECK-NEXT: llvm.store
// CHECK-NEXT: llvm.inline_asm has_side_effects {{.*}}"mov.u32 $0, 1;"
// CHECK-NEXT: nvvm.barrier0
// CHECK-NEXT: llvm.inline_asm {{.*}}"add.u32 $0, $1, 1;"
// CHECK-NEXT: llvm.inline_asm has_side_effects {{.*}}"ld.global.nc.b32 $0, [$1];"
// CHECK-NOT: tessel.global_memory_only
// CHECK-NEXT: llvm.store
// CHECK-NEXT: llvm.inline_asm has_side_effects {{.*}}"ld.global.b32 $0, [$1]; st.shared.b32 [$2], $0;"
// CHECK-NEXT: nvvm.barrier0
// CHECK-NEXT: llvm.store
// CHECK-NEXT: return
module {
  llvm.mlir.global internal @smem2() {addr_space = 3 : i32} : !llvm.array<16 x i8>
  func.func @async_proxy(%desc: i64, %g: !llvm.ptr<1>) attributes {tile.kernel} {
    %p = llvm.mlir.addressof @smem2 : !llvm.ptr<3>
    %c = llvm.mlir.constant(0.0 : f32) : f32
    nvvm.barrier0
    %r = llvm.inline_asm has_side_effects "wgmma.mma_async.sync.aligned.m64n8k16.f32.f16.f16 {$0, $1, $2, $3}, $4, $4, 1, 1, 1, 0, 0;", "=f,=f,=f,=f,l" %desc : (i64) -> !llvm.struct<(f32, f32, f32, f32)>
    llvm.inline_asm has_side_effects "wgmma.commit_group.sync.aligned;", "" : () -> ()
    llvm.inline_asm has_side_effects "wgmma.wait_group.sync.aligned 0;", "" : () -> ()
    nvvm.barrier0
    llvm.store %c, %p : f32, !llvm.ptr<3>
    %u = llvm.inline_asm has_side_effects "mov.u32 $0, 1;", "=r" : () -> i32
    nvvm.barrier0
    %w = llvm.inline_asm "add.u32 $0, $1, 1;", "=r,r" %u : (i32) -> i32
    %x = llvm.inline_asm has_side_effects {tessel.global_memory_only} "ld.global.nc.b32 $0, [$1];", "=r,l" %g : (!llvm.ptr<1>) -> i32
    nvvm.barrier0
    llvm.store %x, %p : i32, !llvm.ptr<3>
    %y = llvm.inline_asm has_side_effects "ld.global.b32 $0, [$1]; st.shared.b32 [$2], $0;", "=r,l,r" %g, %u : (!llvm.ptr<1>, i32) -> i32
    nvvm.barrier0
    llvm.store %y, %p : i32, !llvm.ptr<3>
    return
  }
}

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

// RUN: not tessel-translate %s --to=llvmir --target=cpu 2>&1 | FileCheck %s

// LLVM IR that translates but fails LLVM's verifier is a located error with
// the verifier's message (it used to print unlocated text and `error: `).
// CHECK: llvm-verifier.mlir:[[# @LINE + 2]]:1: error: the LLVM verifier rejects the translated module: immarg operand has non-immediate parameter
// CHECK-NOT: error:
func.func @k(%rw: i32) attributes {tile.kernel} {
  %c = llvm.mlir.constant(3 : i32) : i32
  %p = llvm.mlir.zero : !llvm.ptr
  llvm.call_intrinsic "llvm.prefetch.p0"(%p, %rw, %c, %c) : (!llvm.ptr, i32, i32, i32) -> ()
  return
}

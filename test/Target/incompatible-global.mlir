// RUN: not tessel-translate %s --to=ptx --target=nvidia:sm_90a 2>&1 | FileCheck %s
// RUN: not tessel-translate %s --to=llvmir --target=cpu 2>&1 | FileCheck %s

// A global whose type LLVM IR cannot express (the LLVM dialect accepts an
// array of tensors) is a located error, not a crash in the translation
// (fuzzer seed 1130).
// CHECK: incompatible-global.mlir:[[# @LINE + 2]]:3: error: global of type '!llvm.array<16 x tensor<16x!tile.ptr<f16>>>' has no LLVM IR form
module {
  llvm.mlir.global internal @smem() {addr_space = 3 : i32} : !llvm.array<16 x tensor<16x!tile.ptr<f16>>>
  func.func @kernel(%v: i32) attributes {tile.kernel} {
    return
  }
}

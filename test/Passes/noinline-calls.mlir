// RUN: tessel-opt %s --tessel-pipeline="target=nvidia:sm_90a num-warps=4" | FileCheck %s
// RUN: tessel-opt %s --tessel-pipeline="target=cpu" | FileCheck %s --check-prefix=CPU

// A function marked tile.noinline (Triton's noinline) stays a real call and
// is marked no_inline for LLVM; on GPUs its tensors cross the call in the
// layout of their rank, on the CPU as pointers to buffers (results in
// buffers the caller passes last).
// CPU-DAG: llvm.call @helper(%{{.*}}, %{{.*}}) : (!llvm.ptr, !llvm.ptr) -> ()
// CPU-DAG: llvm.func @helper(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr) attributes {no_inline
// CHECK-DAG: llvm.call @helper(%{{.*}}) : (vector<{{[0-9]+}}xf32>) -> vector<{{[0-9]+}}xf32>
// CHECK-DAG: llvm.func @helper(%{{.*}}: vector<{{[0-9]+}}xf32>) -> vector<{{[0-9]+}}xf32> attributes {no_inline
func.func private @helper(%v: tensor<64xf32>) -> tensor<64xf32> attributes {tile.noinline} {
  %e = math.exp %v : tensor<64xf32>
  return %e : tensor<64xf32>
}

func.func @kernel(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 64 : tensor<64xi32>
  %xp = tile.splat %x : tensor<64x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %r : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %v = tile.load %xa : tensor<64x!tile.ptr<f32>>
  %e = func.call @helper(%v) : (tensor<64xf32>) -> tensor<64xf32>
  tile.store %xa, %e : tensor<64x!tile.ptr<f32>>
  return
}

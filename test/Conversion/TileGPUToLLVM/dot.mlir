// RUN: tessel-opt %s -split-input-file --convert-tilegpu-to-llvm | FileCheck %s

// The portable tile.dot. On a GPU the operands go to shared memory (A rows
// padded to K + 1 elements, B after A at a 16-byte boundary) between two
// barriers, then a loop over K multiply-adds each accumulator register in
// the accumulator's type.

#blocked = #tilegpu.blocked<{sizePerThread = [1, 16], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  // CHECK: tilegpu.shared = 3136 : i32
// CHECK: llvm.mlir.global external @tessel_shared() {{.*}} : !llvm.array<0 x i8>
  // CHECK-LABEL: func.func @dot_f16
  // CHECK: nvvm.barrier0
  // CHECK: llvm.store %{{.*}}, %{{.*}} : f16, !llvm.ptr<3>
  // CHECK: nvvm.barrier0
  // CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (vector<16xf32>) : i32 {
  // CHECK-COUNT-16: llvm.intr.fma
  // CHECK: scf.yield
  func.func @dot_f16(%a: tensor<32x16xf16, #blocked>, %b: tensor<16x64xf16, #blocked>, %c: tensor<32x64xf32, #blocked>) -> tensor<32x64xf32, #blocked> {
    %r = tile.dot %a, %b, %c : tensor<32x16xf16, #blocked>, tensor<16x64xf16, #blocked> -> tensor<32x64xf32, #blocked>
    return %r : tensor<32x64xf32, #blocked>
  }
}

// -----

// When A and B do not fit the dot's 32 KiB budget, K is split into chunks
// that take turns in a runtime loop (so the IR does not grow with their
// number): each turn stores the elements whose K coordinate falls in the
// chunk (under an scf.if), then runs the chunk's loop. Here 128x128 by
// 128x128 f32 takes eight chunks of 16 (A 128x17 + B 16x128 floats: 16.5 KiB).
#blocked = #tilegpu.blocked<{sizePerThread = [4, 4], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
module attributes {tilegpu.num_warps = 8 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  // CHECK-LABEL: func.func @dot_chunks
  // CHECK: scf.for %[[CHUNK:[^ ]+]] = %{{[^ ]+}} to %{{[^ ]+}} step %{{[^ ]+}} iter_args(%{{[^ ]+}} = %arg2) -> (vector<64xf32>) : i32
  // CHECK: nvvm.barrier0
  // CHECK: %[[IN:.*]] = llvm.icmp "eq" %{{.*}}, %[[CHUNK]] : i32
  // CHECK-NEXT: scf.if %[[IN]]
  // CHECK: nvvm.barrier0
  // CHECK: scf.for {{.*}} -> (vector<64xf32>) : i32
  // CHECK-NOT: scf.for
  func.func @dot_chunks(%a: tensor<128x128xf32, #blocked>, %b: tensor<128x128xf32, #blocked>, %c: tensor<128x128xf32, #blocked>) -> tensor<128x128xf32, #blocked> {
    %r = tile.dot %a, %b, %c : tensor<128x128xf32, #blocked>, tensor<128x128xf32, #blocked> -> tensor<128x128xf32, #blocked>
    return %r : tensor<128x128xf32, #blocked>
  }
}

// -----

// Integers: i8 products widen to i32 and add; no fma.
#blocked = #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "amd:gfx942", tilegpu.threads_per_warp = 64 : i32} {
  // CHECK-LABEL: func.func @dot_i8
  // CHECK: rocdl.barrier
  // CHECK: scf.for
  // CHECK: llvm.sext %{{.*}} : i8 to i32
  // CHECK: llvm.mul
  // CHECK: llvm.add
  // CHECK-NOT: llvm.intr.fma
  func.func @dot_i8(%a: tensor<16x32xi8, #blocked>, %b: tensor<32x16xi8, #blocked>, %c: tensor<16x16xi32, #blocked>) -> tensor<16x16xi32, #blocked> {
    %r = tile.dot %a, %b, %c : tensor<16x32xi8, #blocked>, tensor<32x16xi8, #blocked> -> tensor<16x16xi32, #blocked>
    return %r : tensor<16x16xi32, #blocked>
  }
}

// -----

// The CPU: the tiles go row-major to stack buffers and a loop nest (batch,
// i, k, j) updates the accumulator in place, whatever the tile size.
#blocked = #tilegpu.blocked<{sizePerThread = [2, 16, 32], threadsPerWarp = [1, 1, 1], warpsPerCTA = [1, 1, 1], order = [2, 1, 0]}>
module attributes {tilegpu.num_warps = 1 : i32, tilegpu.target = "cpu", tilegpu.threads_per_warp = 1 : i32} {
  // CHECK-LABEL: func.func @dot_cpu_batched
  // CHECK-COUNT-3: llvm.alloca
  // CHECK: llvm.store %{{.*}}, %{{.*}} : vector<512xbf16>, !llvm.ptr
  // CHECK: scf.for
  // CHECK: scf.for
  // CHECK: scf.for
  // CHECK: llvm.fpext %{{.*}} : bf16 to f32
  // CHECK: scf.for
  // CHECK: llvm.intr.fma
  // CHECK: llvm.load %{{.*}} : !llvm.ptr -> vector<1024xf32>
  func.func @dot_cpu_batched(%a: tensor<2x16x16xbf16, #blocked>, %b: tensor<2x16x32xbf16, #blocked>, %c: tensor<2x16x32xf32, #blocked>) -> tensor<2x16x32xf32, #blocked> {
    %r = tile.dot %a, %b, %c : tensor<2x16x16xbf16, #blocked>, tensor<2x16x32xbf16, #blocked> -> tensor<2x16x32xf32, #blocked>
    return %r : tensor<2x16x32xf32, #blocked>
  }
}

// -----

// A tall dot (fuzzer finding: 4096x64 compiled for AMD ran past 60 s when
// each of its 32 chunks had its own copy of 1,024 guarded stores per thread):
// the chunks share one loop body.
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [8, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "amd:gfx942", tilegpu.threads_per_warp = 64 : i32} {
  // CHECK-LABEL: func.func @dot_tall
  // CHECK: scf.for {{.*}} iter_args(%{{[^ ]+}} = %arg2) -> (vector<1024xf32>) : i32
  // CHECK: rocdl.barrier
  // CHECK: scf.for {{.*}} -> (vector<1024xf32>) : i32
  // CHECK-NOT: scf.for
  func.func @dot_tall(%a: tensor<4096x64xf16, #blocked>, %b: tensor<64x64xf16, #blocked>, %c: tensor<4096x64xf32, #blocked>) -> tensor<4096x64xf32, #blocked> {
    %r = tile.dot %a, %b, %c : tensor<4096x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<4096x64xf32, #blocked>
    return %r : tensor<4096x64xf32, #blocked>
  }
}

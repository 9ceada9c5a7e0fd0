// RUN: tessel-opt %s -split-input-file --tessel-async-dots | FileCheck %s
// RUN: tessel-opt %s -split-input-file --tessel-async-dots="num-stages=1" | FileCheck %s --check-prefix=ONE

// A wgmma dot that accumulates across a loop becomes an async_dot over two
// buffers picked by the iteration's parity; one dot_wait follows the loop.
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
// CHECK-LABEL: func.func @loop
// CHECK: %[[R:.*]] = scf.for %[[I:.*]] = %[[LB:.*]] to %{{.*}} step %[[S:.*]] iter_args(%[[ACC:.*]] = %{{.*}})
// CHECK: %[[D:.*]] = arith.subi %[[I]], %[[LB]] : i32
// CHECK: %[[N:.*]] = arith.divsi %[[D]], %[[S]] : i32
// CHECK: %[[ST:.*]] = arith.remui %[[N]], %{{.*}} : i32
// CHECK: %[[X:.*]] = tilegpu.async_dot %{{.*}}, %{{.*}}, %[[ACC]] stage %[[ST]] {numStages = 2 : i32}
// CHECK: scf.yield %[[X]]
// CHECK: %[[W:.*]] = tilegpu.dot_wait %[[R]] {pendings = 0 : i32}
// CHECK: return %[[W]]
func.func @loop(%a: tensor<64x64xf16, #blocked>, %b: tensor<64x64xf16, #blocked>,
                %c: tensor<64x64xf32, #mma>, %lb: i32, %ub: i32) -> tensor<64x64xf32, #mma> {
  %c1 = arith.constant 1 : i32
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %c) -> (tensor<64x64xf32, #mma>) : i32 {
    %d = tile.dot %a, %b, %acc : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
    scf.yield %d : tensor<64x64xf32, #mma>
  }
  return %r : tensor<64x64xf32, #mma>
}

// -----

// The body reads the accumulator for something else: it must be complete,
// so the dot stays synchronous.
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
// CHECK-LABEL: func.func @other_use
// CHECK-NOT: async_dot
// CHECK: tile.dot
func.func @other_use(%a: tensor<64x64xf16, #blocked>, %b: tensor<64x64xf16, #blocked>,
                     %c: tensor<64x64xf32, #mma>, %n: i32) -> tensor<64x64xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %c) -> (tensor<64x64xf32, #mma>) : i32 {
    %d = tile.dot %a, %b, %acc : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
    %e = arith.addf %d, %acc : tensor<64x64xf32, #mma>
    scf.yield %e : tensor<64x64xf32, #mma>
  }
  return %r : tensor<64x64xf32, #mma>
}

// -----

// Another shared-memory user in the body (a layout conversion, a
// reduction...) shares the buffer's base: the dot stays synchronous.
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#blocked1 = #tilegpu.blocked<{sizePerThread = [8, 1], threadsPerWarp = [8, 4], warpsPerCTA = [1, 4], order = [0, 1]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
// CHECK-LABEL: func.func @shared_memory_neighbour
// CHECK-NOT: async_dot
// CHECK: tile.dot
func.func @shared_memory_neighbour(%a: tensor<64x64xf16, #blocked1>, %b: tensor<64x64xf16, #blocked>,
                                   %c: tensor<64x64xf32, #mma>, %n: i32) -> tensor<64x64xf32, #mma> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %c) -> (tensor<64x64xf32, #mma>) : i32 {
    %x = tilegpu.convert_layout %a : tensor<64x64xf16, #blocked1> -> tensor<64x64xf16, #blocked>
    %d = tile.dot %x, %b, %acc : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
    scf.yield %d : tensor<64x64xf32, #mma>
  }
  return %r : tensor<64x64xf32, #mma>
}

// -----

// The loop's own depth (tl.range(..., num_stages=N)) decides: 1 keeps the
// dot synchronous under a kernel depth of 3, 3 makes it asynchronous under
// a kernel depth of 1.
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
// CHECK-LABEL: func.func @loop_depths
// CHECK: tile.dot
// CHECK: tilegpu.async_dot
// ONE-LABEL: func.func @loop_depths
// ONE: tile.dot
// ONE: tilegpu.async_dot
func.func @loop_depths(%a: tensor<64x64xf16, #blocked>, %b: tensor<64x64xf16, #blocked>,
                       %c: tensor<64x64xf32, #mma>, %n: i32) -> (tensor<64x64xf32, #mma>, tensor<64x64xf32, #mma>) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %c) -> (tensor<64x64xf32, #mma>) : i32 {
    %d = tile.dot %a, %b, %acc : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
    scf.yield %d : tensor<64x64xf32, #mma>
  } {tile.num_stages = 1 : i32}
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %c) -> (tensor<64x64xf32, #mma>) : i32 {
    %d = tile.dot %a, %b, %acc : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
    scf.yield %d : tensor<64x64xf32, #mma>
  } {tile.num_stages = 3 : i32}
  return %r, %s : tensor<64x64xf32, #mma>, tensor<64x64xf32, #mma>
}

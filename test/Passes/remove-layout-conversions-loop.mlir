// RUN: tessel-opt %s -split-input-file --tessel-remove-layout-conversions | FileCheck %s

#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 2, warpsPerCTA = [2, 2]}>
#opA = #tilegpu.dot_operand<{opIdx = 0, parent = #mma, kWidth = 2}>
#opB = #tilegpu.dot_operand<{opIdx = 1, parent = #mma, kWidth = 2}>

// loop: the accumulator a dot converts to its mma layout and back every
// iteration is carried in the mma layout (the zero init folds into a
// constant of that layout); one conversion remains after the loop.
// unary sink: the truncation runs in the mma layout, so that the value
// converted afterwards is half as wide.
// hoist: the operands, defined before the loop, are converted once before
// it.
// CHECK-LABEL: func.func @accumulate
// CHECK-DAG: %[[X:.*]] = tilegpu.convert_layout %arg0
// CHECK-DAG: %[[Y:.*]] = tilegpu.convert_layout %arg1
// CHECK-DAG: %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #tilegpu.mma
// CHECK: %[[R:.*]] = scf.for {{.*}} iter_args(%[[ACC:.*]] = %[[Z]]) -> (tensor<64x64xf32, #tilegpu.mma
// CHECK-NOT: tilegpu.convert_layout
// CHECK: %[[D:.*]] = tile.dot %[[X]], %[[Y]], %[[ACC]]
// CHECK-NEXT: scf.yield %[[D]]
// CHECK: %[[T:.*]] = arith.truncf %[[R]] : tensor<64x64xf32, #tilegpu.mma<{{.*}}>> to tensor<64x64xf16, #tilegpu.mma
// CHECK: %[[B:.*]] = tilegpu.convert_layout %[[T]] : tensor<64x64xf16, #tilegpu.mma<{{.*}}>> -> tensor<64x64xf16, #tilegpu.blocked
// CHECK: return %[[B]]
func.func @accumulate(%a: tensor<64x32xf16, #blocked>, %b: tensor<32x64xf16, #blocked>, %n: i32) -> tensor<64x64xf16, #blocked> {
  %z = arith.constant dense<0.0> : tensor<64x64xf32, #blocked>
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (tensor<64x64xf32, #blocked>) : i32 {
    %x = tilegpu.convert_layout %a : tensor<64x32xf16, #blocked> -> tensor<64x32xf16, #opA>
    %y = tilegpu.convert_layout %b : tensor<32x64xf16, #blocked> -> tensor<32x64xf16, #opB>
    %c = tilegpu.convert_layout %acc : tensor<64x64xf32, #blocked> -> tensor<64x64xf32, #mma>
    %d = tile.dot %x, %y, %c : tensor<64x32xf16, #opA>, tensor<32x64xf16, #opB> -> tensor<64x64xf32, #mma>
    %e = tilegpu.convert_layout %d : tensor<64x64xf32, #mma> -> tensor<64x64xf32, #blocked>
    scf.yield %e : tensor<64x64xf32, #blocked>
  }
  %t = arith.truncf %r : tensor<64x64xf32, #blocked> to tensor<64x64xf16, #blocked>
  return %t : tensor<64x64xf16, #blocked>
}

// -----

#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 2, warpsPerCTA = [2, 2]}>

// A widening unary op does not take a conversion past it (the wider value
// would cost more shared memory).
// CHECK-LABEL: func.func @widening
// CHECK: tilegpu.convert_layout {{.*}} -> tensor<64x64xf16, #tilegpu.blocked
// CHECK-NEXT: arith.extf {{.*}} : tensor<64x64xf16, #tilegpu.blocked<{{.*}}>> to tensor<64x64xf32, #tilegpu.blocked
func.func @widening(%x: tensor<64x64xf16, #mma>) -> tensor<64x64xf32, #blocked> {
  %b = tilegpu.convert_layout %x : tensor<64x64xf16, #mma> -> tensor<64x64xf16, #blocked>
  %w = arith.extf %b : tensor<64x64xf16, #blocked> to tensor<64x64xf32, #blocked>
  return %w : tensor<64x64xf32, #blocked>
}

// -----

#l0 = #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [1, 32], warpsPerCTA = [4, 1], order = [1, 0]}>
#l1 = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>

// loop, through a chain: a pointer tile advanced each iteration and loaded
// in another layout (as tessel-coalesce leaves a dot operand's load) is
// carried in the load's layout. The advance is recomputed in it; the body
// keeps no conversion, and the initial pointers are computed in it too.
// CHECK-LABEL: func.func @advanced_pointers
// CHECK: %[[P:.*]] = tile.addptr {{.*}} : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8]
// CHECK: scf.for {{.*}} iter_args(%[[ARG:.*]] = %[[P]], %{{.*}} = %{{.*}}) -> (tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8]
// CHECK-NOT: tilegpu.convert_layout
// CHECK: tile.load %[[ARG]]
// CHECK: %[[NEXT:.*]] = tile.addptr %[[ARG]], %{{.*}} : tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 8]
// CHECK: scf.yield %[[NEXT]]
func.func @advanced_pointers(%base: !tile.ptr<f16>, %n: i32) -> tensor<64x64xf16, #l1> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %step = arith.constant dense<64> : tensor<64x64xi32, #l0>
  %r = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #l0}>>
  %e = tile.expand_dims %r {axis = 0 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #l0}>> -> tensor<1x64xi32, #l0>
  %offs = tile.broadcast %e : tensor<1x64xi32, #l0> -> tensor<64x64xi32, #l0>
  %s = tile.splat %base : tensor<64x64x!tile.ptr<f16>, #l0>
  %p = tile.addptr %s, %offs : tensor<64x64x!tile.ptr<f16>, #l0>, tensor<64x64xi32, #l0>
  %zero = arith.constant dense<0.0> : tensor<64x64xf16, #l1>
  %res:2 = scf.for %i = %c0 to %n step %c1 iter_args(%ptrs = %p, %sum = %zero) -> (tensor<64x64x!tile.ptr<f16>, #l0>, tensor<64x64xf16, #l1>) : i32 {
    %q = tilegpu.convert_layout %ptrs : tensor<64x64x!tile.ptr<f16>, #l0> -> tensor<64x64x!tile.ptr<f16>, #l1>
    %v = tile.load %q : tensor<64x64x!tile.ptr<f16>, #l1>
    %t = arith.addf %sum, %v : tensor<64x64xf16, #l1>
    %next = tile.addptr %ptrs, %step : tensor<64x64x!tile.ptr<f16>, #l0>, tensor<64x64xi32, #l0>
    scf.yield %next, %t : tensor<64x64x!tile.ptr<f16>, #l0>, tensor<64x64xf16, #l1>
  }
  return %res#1 : tensor<64x64xf16, #l1>
}

// -----

#l0 = #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [1, 32], warpsPerCTA = [4, 1], order = [1, 0]}>
#l1 = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>

// The pointers are also loaded in their own layout: carrying them in the
// other would only move the conversion, so the loop stays as it is.
// CHECK-LABEL: func.func @pointers_used_in_both
// CHECK: scf.for {{.*}} -> (tensor<64x64x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1, 4]
// CHECK: tilegpu.convert_layout
func.func @pointers_used_in_both(%base: !tile.ptr<f16>, %n: i32) -> tensor<64x64xf16, #l1> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %step = arith.constant dense<64> : tensor<64x64xi32, #l0>
  %p = tile.splat %base : tensor<64x64x!tile.ptr<f16>, #l0>
  %zero = arith.constant dense<0.0> : tensor<64x64xf16, #l1>
  %res:2 = scf.for %i = %c0 to %n step %c1 iter_args(%ptrs = %p, %sum = %zero) -> (tensor<64x64x!tile.ptr<f16>, #l0>, tensor<64x64xf16, #l1>) : i32 {
    %q = tilegpu.convert_layout %ptrs : tensor<64x64x!tile.ptr<f16>, #l0> -> tensor<64x64x!tile.ptr<f16>, #l1>
    %v = tile.load %q : tensor<64x64x!tile.ptr<f16>, #l1>
    %w = tile.load %ptrs : tensor<64x64x!tile.ptr<f16>, #l0>
    %wc = tilegpu.convert_layout %w : tensor<64x64xf16, #l0> -> tensor<64x64xf16, #l1>
    %vw = arith.addf %v, %wc : tensor<64x64xf16, #l1>
    %t = arith.addf %sum, %vw : tensor<64x64xf16, #l1>
    %next = tile.addptr %ptrs, %step : tensor<64x64x!tile.ptr<f16>, #l0>, tensor<64x64xi32, #l0>
    scf.yield %next, %t : tensor<64x64x!tile.ptr<f16>, #l0>, tensor<64x64xf16, #l1>
  }
  return %res#1 : tensor<64x64xf16, #l1>
}

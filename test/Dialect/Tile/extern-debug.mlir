// RUN: tessel-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @round_trip
// CHECK: tile.extern_elementwise "__nv_powf"(%{{.*}}, %{{.*}}) {pure} : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
// CHECK: tile.extern_elementwise "my_fn"(%{{.*}}) : (i32) -> i32
// CHECK: tile.inline_asm "shl.b32 $0, $1, 3;", "=r,r"(%{{.*}}) {pack = 1 : i32, pure} : (tensor<64xi32>) -> tensor<64xi32>
func.func @round_trip(%x: tensor<64xf32>, %n: i32, %i: tensor<64xi32>) {
  %a = tile.extern_elementwise "__nv_powf"(%x, %x) {pure} : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  %b = tile.extern_elementwise "my_fn"(%n) : (i32) -> i32
  %c = tile.inline_asm "shl.b32 $0, $1, 3;", "=r,r"(%i) {pack = 1 : i32, pure} : (tensor<64xi32>) -> tensor<64xi32>
  return
}

// -----

func.func @shapes_differ(%x: tensor<64xf32>, %y: tensor<32xf32>) {
  // expected-error @+1 {{operands and results must all have one shape or all be scalars}}
  %a = tile.extern_elementwise "__nv_powf"(%x, %y) {pure} : (tensor<64xf32>, tensor<32xf32>) -> tensor<64xf32>
  return
}

// -----

func.func @no_results(%x: tensor<64xi32>) {
  // expected-error @+1 {{must have at least one result}}
  tile.inline_asm "nop;", ""(%x) {pack = 1 : i32} : (tensor<64xi32>) -> ()
  return
}

// -----

func.func @bad_pack(%x: tensor<64xi8>) {
  // expected-error @+1 {{pack must be a power of two, got 3}}
  %a = tile.inline_asm "mov.b32 $0, $1;", "=r,r"(%x) {pack = 3 : i32} : (tensor<64xi8>) -> tensor<64xi8>
  return
}

// -----

func.func @odd_width(%x: tensor<64xi7>) {
  // Registers hold whole bytes (four i7 would make a 28-bit register, which
  // crashed instruction selection; found by the fuzzer).
  // expected-error @+1 {{operands and results must be 1, 8, 16, 32 or 64 bits wide (or pointers), got 'i7'}}
  %a = tile.inline_asm "xor.b32 $0, $1, 15;", "=r,r"(%x) {pack = 4 : i32, pure} : (tensor<64xi7>) -> tensor<64xi7>
  return
}

// -----

func.func @scalar_pack(%x: i8) {
  // expected-error @+1 {{pack must be 1 on scalars}}
  %a = tile.inline_asm "mov.b32 $0, $1;", "=r,r"(%x) {pack = 4 : i32} : (i8) -> i8
  return
}

// -----

// CHECK-LABEL: func.func @print_assert
// CHECK: tile.print "x: " pid(%{{.*}}, %{{.*}}, %{{.*}}) values(%{{.*}} : tensor<64xf32>) {hex = false, is_signed = array<i1: true>}
// CHECK: tile.assert %{{.*}}, "bad" : tensor<64xi1>
func.func @print_assert(%x: tensor<64xf32>, %p: i32, %c: tensor<64xi1>) {
  tile.print "x: " pid(%p, %p, %p) values(%x : tensor<64xf32>) {hex = false, is_signed = array<i1: true>}
  tile.assert %c, "bad" : tensor<64xi1>
  return
}

// -----

func.func @print_two_pids(%x: tensor<64xf32>, %p: i32) {
  // expected-error @+1 {{needs the 3 program ids, got 2}}
  tile.print "x: " pid(%p, %p) values(%x : tensor<64xf32>) {hex = false, is_signed = array<i1: true>}
  return
}

// -----

func.func @print_shapes(%x: tensor<64xf32>, %y: tensor<32xf32>, %p: i32) {
  // expected-error @+1 {{tensor values must share one shape}}
  tile.print "x: " pid(%p, %p, %p) values(%x, %y : tensor<64xf32>, tensor<32xf32>) {hex = false, is_signed = array<i1: true, true>}
  return
}

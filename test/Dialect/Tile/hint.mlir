// RUN: tessel-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @round_trip
// CHECK: tile.hint %{{.*}} {constancy = array<i64: 1, 8>, divisibility = array<i64: 16, 1>} : tensor<4x8xi32>
// CHECK: tile.hint %{{.*}} {divisibility = array<i64: 16>} : i32
// CHECK: tile.assume %{{.*}} : i1
// CHECK: tile.assume %{{.*}} : tensor<4x8xi1>
func.func @round_trip(%x: tensor<4x8xi32>, %n: i32, %c: i1, %m: tensor<4x8xi1>) {
  %a = tile.hint %x {divisibility = array<i64: 16, 1>, constancy = array<i64: 1, 8>} : tensor<4x8xi32>
  %b = tile.hint %n {divisibility = array<i64: 16>} : i32
  tile.assume %c : i1
  tile.assume %m : tensor<4x8xi1>
  return
}

// -----

func.func @empty_hint(%x: tensor<8xi32>) {
  // expected-error @+1 {{needs at least one of divisibility, contiguity, constancy}}
  %a = tile.hint %x : tensor<8xi32>
  return
}

// -----

func.func @wrong_rank(%x: tensor<8xi32>) {
  // expected-error @+1 {{contiguity must have 1 value(s), got 2}}
  %a = tile.hint %x {contiguity = array<i64: 8, 1>} : tensor<8xi32>
  return
}

// -----

func.func @not_power_of_two(%x: tensor<8xi32>) {
  // expected-error @+1 {{divisibility values must be powers of two, got 12}}
  %a = tile.hint %x {divisibility = array<i64: 12>} : tensor<8xi32>
  return
}

// -----

func.func @run_longer_than_dim(%x: tensor<8xi32>) {
  // expected-error @+1 {{constancy 16 exceeds dimension 0 of size 8}}
  %a = tile.hint %x {constancy = array<i64: 16>} : tensor<8xi32>
  return
}

// -----

func.func @assume_not_bool(%x: i32) {
  // expected-error @+1 {{operand #0 must be}}
  tile.assume %x : i32
  return
}

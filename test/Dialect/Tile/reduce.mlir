// RUN: tessel-opt %s | tessel-opt | FileCheck %s

// CHECK-LABEL: func.func @sum_rows
// CHECK: tile.reduce(%{{.*}}) axis = 1 : (tensor<32x64xf32>) -> tensor<32xf32> {
// CHECK: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32):
// CHECK:   %[[S:.*]] = arith.addf %[[A]], %[[B]] : f32
// CHECK:   tile.reduce.return %[[S]] : f32
func.func @sum_rows(%x: tensor<32x64xf32>) -> tensor<32xf32> {
  %s = tile.reduce(%x) axis = 1 : (tensor<32x64xf32>) -> tensor<32xf32> {
  ^bb0(%a: f32, %b: f32):
    %t = arith.addf %a, %b : f32
    tile.reduce.return %t : f32
  }
  return %s : tensor<32xf32>
}

// CHECK-LABEL: func.func @argmax_1d
// CHECK: tile.reduce(%{{.*}}, %{{.*}}) axis = 0 : (tensor<64xf32>, tensor<64xi32>) -> (f32, i32)
// CHECK: tile.reduce.return %{{.*}}, %{{.*}} : f32, i32
func.func @argmax_1d(%v: tensor<64xf32>, %i: tensor<64xi32>) -> (f32, i32) {
  %m:2 = tile.reduce(%v, %i) axis = 0 : (tensor<64xf32>, tensor<64xi32>) -> (f32, i32) {
  ^bb0(%a: f32, %ai: i32, %b: f32, %bi: i32):
    %gt = arith.cmpf ogt, %b, %a : f32
    %eq = arith.cmpf oeq, %b, %a : f32
    %lt = arith.cmpi slt, %bi, %ai : i32
    %tie = arith.andi %eq, %lt : i1
    %take = arith.ori %gt, %tie : i1
    %mv = arith.select %take, %b, %a : f32
    %mi = arith.select %take, %bi, %ai : i32
    tile.reduce.return %mv, %mi : f32, i32
  }
  return %m#0, %m#1 : f32, i32
}

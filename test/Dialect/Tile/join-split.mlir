// RUN: tessel-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @pair
// CHECK: tile.join %{{.*}}, %{{.*}} : tensor<64xf32> -> tensor<64x2xf32>
// CHECK: %{{.*}}, %{{.*}} = tile.split %{{.*}} : tensor<64x2xf32> -> tensor<64xf32>
func.func @pair(%a: tensor<64xf32>, %b: tensor<64xf32>) -> (tensor<64xf32>, tensor<64xf32>) {
  %j = tile.join %a, %b : tensor<64xf32> -> tensor<64x2xf32>
  %x, %y = tile.split %j : tensor<64x2xf32> -> tensor<64xf32>
  return %y, %x : tensor<64xf32>, tensor<64xf32>
}

// -----

func.func @bad_join(%a: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<64x4xf32> {
  // expected-error @+1 {{result must be the operand shape with a last dimension of 2}}
  %j = tile.join %a, %b : tensor<64xf32> -> tensor<64x4xf32>
  return %j : tensor<64x4xf32>
}

// -----

func.func @bad_split(%a: tensor<64x4xf32>) -> tensor<64xf32> {
  // expected-error @+1 {{the last dimension must have size 2}}
  %x, %y = tile.split %a : tensor<64x4xf32> -> tensor<64xf32>
  return %x : tensor<64xf32>
}

// RUN: tessel-opt %s -split-input-file -verify-diagnostics

func.func @bad_axis(%x: tensor<32x64xf32>) -> tensor<32xf32> {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %s = tile.reduce(%x) axis = 2 : (tensor<32x64xf32>) -> tensor<32xf32> {
  ^bb0(%a: f32, %b: f32):
    %t = arith.addf %a, %b : f32
    tile.reduce.return %t : f32
  }
  return %s : tensor<32xf32>
}

// -----

func.func @bad_result(%x: tensor<32x64xf32>) -> tensor<64xf32> {
  // expected-error @+1 {{result 0 must be 'tensor<32xf32>'}}
  %s = tile.reduce(%x) axis = 1 : (tensor<32x64xf32>) -> tensor<64xf32> {
  ^bb0(%a: f32, %b: f32):
    %t = arith.addf %a, %b : f32
    tile.reduce.return %t : f32
  }
  return %s : tensor<64xf32>
}

// -----

func.func @bad_region_arity(%x: tensor<64xf32>) -> f32 {
  // expected-error @+1 {{the combine region takes 2 scalars (accumulators, then elements), got 1}}
  %s = tile.reduce(%x) axis = 0 : (tensor<64xf32>) -> f32 {
  ^bb0(%a: f32):
    tile.reduce.return %a : f32
  }
  return %s : f32
}

// -----

func.func @bad_return(%x: tensor<64xf32>) -> f32 {
  %s = tile.reduce(%x) axis = 0 : (tensor<64xf32>) -> f32 {
  ^bb0(%a: f32, %b: f32):
    %i = arith.fptosi %a : f32 to i32
    // expected-error @+1 {{returns 'i32' for operand 0 of element type 'f32'}}
    tile.reduce.return %i : i32
  }
  return %s : f32
}

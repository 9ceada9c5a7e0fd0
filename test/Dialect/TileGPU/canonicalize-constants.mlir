// RUN: tessel-opt %s --canonicalize | FileCheck %s

// ConvertLayoutOp::fold turns a layout conversion of a splat constant into a
// SplatElementsAttr of the new type, which the canonicalizer must materialize
// as an arith.constant carrying the new layout.

#b1 = #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
#b2 = #tilegpu.blocked<{sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>

// CHECK-LABEL: func.func @convert_of_constant
// CHECK-NEXT: %[[C:.*]] = arith.constant dense<1.000000e+00> : tensor<512xf32, #tilegpu.blocked<{sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
// CHECK-NEXT: return %[[C]]
func.func @convert_of_constant() -> tensor<512xf32, #b2> {
  %c = arith.constant dense<1.0> : tensor<512xf32, #b1>
  %x = tilegpu.convert_layout %c : tensor<512xf32, #b1> -> tensor<512xf32, #b2>
  return %x : tensor<512xf32, #b2>
}

// RUN: tessel-opt %s --tessel-test-axis-info -verify-diagnostics
// RUN: tessel-opt %s --tessel-pipeline=target=cpu -o /dev/null

// INT64_MIN's divisibility is its lowest set bit, 2^63, capped like any
// other (2^30): computed in signed arithmetic it came out negative and the
// pipeline looped forever (a fuzzer reproducer).
func.func @int_min(%p: tensor<128x!tile.ptr<f32>>) -> tensor<128x!tile.ptr<f32>> {
  // expected-remark @below {{contiguity = [1], divisibility = [1073741824], constancy = [128]}}
  %c = arith.constant dense<-9223372036854775808> : tensor<128xi64>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %a = tile.addptr %p, %c : tensor<128x!tile.ptr<f32>>, tensor<128xi64>
  return %a : tensor<128x!tile.ptr<f32>>
}

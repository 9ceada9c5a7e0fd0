// RUN: tessel-opt %s --split-input-file --tessel-test-axis-info -verify-diagnostics

// Facts that hold only for the first value of a run must not be carried over
// to values that are no longer in that run, and a non-splat constant is not
// constant. The memory lowering trusts these facts to emit wide accesses (see
// test/Conversion/TileGPUToLLVM/vector-width-soundness.mlir).

// expand_dims of a contiguous range: along the new dimension (size 1) every
// element is its own run, and the values 0..63 are divisible by 1 only.
func.func @expand_dims_of_range() {
  // expected-remark @below {{contiguity = [64], divisibility = [1073741824], constancy = [1]}}
  %r = tile.make_range 0 to 64 : tensor<64xi32>
  // expected-remark @below {{contiguity = [1, 64], divisibility = [1, 1073741824], constancy = [1, 1]}}
  %row = tile.expand_dims %r {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  // expected-remark @below {{contiguity = [64, 1], divisibility = [1073741824, 1], constancy = [1, 1]}}
  %col = tile.expand_dims %r {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  // Stretched: columns hold the values 0..63 in runs of 32 equal values.
  // expected-remark @below {{contiguity = [1, 64], divisibility = [1, 1073741824], constancy = [32, 1]}}
  %rowb = tile.broadcast %row : tensor<1x64xi32> -> tensor<32x64xi32>
  // expected-remark @below {{contiguity = [64, 1], divisibility = [1073741824, 1], constancy = [1, 32]}}
  %colb = tile.broadcast %col : tensor<64x1xi32> -> tensor<64x32xi32>
  return
}

// -----

// range * K: runs of one element with values 0, K, 2K, ...; with K unknown
// nothing divides them all.
func.func @range_times_unknown(%k: i32, %n: i32 {tile.divisibility = 16 : i32}) {
  // expected-remark @below {{contiguity = [64], divisibility = [1073741824], constancy = [1]}}
  %r = tile.make_range 0 to 64 : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [64]}}
  %ks = tile.splat %k : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %rk = arith.muli %r, %ks : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %kr = arith.muli %ks, %r : tensor<64xi32>
  // n * i is divisible by 16 (n is), not more.
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [64]}}
  %ns = tile.splat %n : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [1]}}
  %rn = arith.muli %r, %ns : tensor<64xi32>
  // Row offsets of a matrix with an unknown row stride, the usual 2-D
  // pointer idiom: rows start at i * K.
  // expected-remark @below {{contiguity = [1, 1], divisibility = [1, 1], constancy = [1, 1]}}
  %rows = tile.expand_dims %rk {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  // expected-remark @below {{contiguity = [1, 1], divisibility = [1, 1], constancy = [1, 64]}}
  %rowsb = tile.broadcast %rows : tensor<64x1xi32> -> tensor<64x64xi32>
  // expected-remark @below {{contiguity = [1, 64], divisibility = [1, 1073741824], constancy = [1, 1]}}
  %cols = tile.expand_dims %r {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  // expected-remark @below {{contiguity = [1, 64], divisibility = [1, 1073741824], constancy = [64, 1]}}
  %colsb = tile.broadcast %cols : tensor<1x64xi32> -> tensor<64x64xi32>
  // i * K + j: runs of 64 along dim 1 that start at i * K, divisible by 1.
  // expected-remark @below {{contiguity = [1, 64], divisibility = [1, 1], constancy = [1, 1]}}
  %offs = arith.addi %rowsb, %colsb : tensor<64x64xi32>
  return
}

// -----

// A non-splat constant is neither constant nor contiguous.
func.func @non_splat_constant() {
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %c = arith.constant dense<[0, 11, 22, 33]> : tensor<4xi32>
  // expected-remark @below {{contiguity = [4], divisibility = [1073741824], constancy = [1]}}
  %r = tile.make_range 0 to 4 : tensor<4xi32>
  // 0, 12, 24, 36: not contiguous.
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %o = arith.addi %r, %c : tensor<4xi32>
  return
}

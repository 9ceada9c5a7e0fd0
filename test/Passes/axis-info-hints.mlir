// RUN: tessel-opt %s --split-input-file --tessel-test-axis-info -verify-diagnostics
// RUN: tessel-opt %s --split-input-file --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=4" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=LOWER

// tile.hint raises what the analysis derives to what the author asserts
// (tl.multiple_of, tl.max_contiguous, tl.max_constancy), never lowers it.
func.func @hints(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %start: i32) {
  // Nothing is known about a runtime product until the author says it is a
  // multiple of 64 (scalars get no remarks; the splat shows the fact).
  %s = arith.muli %start, %start : i32
  %h = tile.hint %s {divisibility = array<i64: 64>} : i32
  // expected-remark @below {{contiguity = [1], divisibility = [64], constancy = [256]}}
  %hs = tile.splat %h : tensor<256xi32>
  // expected-remark @below {{contiguity = [256], divisibility = [1073741824], constancy = [1]}}
  %r = tile.make_range 0 to 256 : tensor<256xi32>
  // expected-remark @below {{contiguity = [256], divisibility = [64], constancy = [1]}}
  %offs = arith.addi %hs, %r : tensor<256xi32>
  // A weaker hint keeps the derived facts.
  // expected-remark @below {{contiguity = [256], divisibility = [64], constancy = [1]}}
  %weak = tile.hint %offs {divisibility = array<i64: 8>, contiguity = array<i64: 4>} : tensor<256xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [256]}}
  %ps = tile.splat %p : tensor<256x!tile.ptr<f32>>
  // expected-remark @below {{contiguity = [256], divisibility = [16], constancy = [1]}}
  %ip = tile.addptr %ps, %weak : tensor<256x!tile.ptr<f32>>, tensor<256xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %v = tile.load %ip : tensor<256x!tile.ptr<f32>>
  // Loaded values are unknown; the author knows they come in runs of 8.
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [8]}}
  %c = tile.hint %v {constancy = array<i64: 8>} : tensor<256xf32>
  return
}

// -----

// A loaded offset vector the author marks as runs of 4 consecutive values
// starting at multiples of 4 gives 16-byte vector loads.
// LOWER-LABEL: func.func @vectorized
// LOWER: llvm.load {{.*}} {alignment = 16 : i64} : !llvm.ptr<1> -> vector<4xf32>
func.func @vectorized(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %q: !tile.ptr<i32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  // expected-remark @below {{contiguity = [256], divisibility = [1073741824], constancy = [1]}}
  %r = tile.make_range 0 to 256 : tensor<256xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [256]}}
  %qs = tile.splat %q : tensor<256x!tile.ptr<i32>>
  // expected-remark @below {{contiguity = [256], divisibility = [16], constancy = [1]}}
  %qp = tile.addptr %qs, %r : tensor<256x!tile.ptr<i32>>, tensor<256xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %offs = tile.load %qp : tensor<256x!tile.ptr<i32>>
  // expected-remark @below {{contiguity = [4], divisibility = [4], constancy = [1]}}
  %h = tile.hint %offs {divisibility = array<i64: 4>, contiguity = array<i64: 4>} : tensor<256xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [256]}}
  %ps = tile.splat %p : tensor<256x!tile.ptr<f32>>
  // expected-remark @below {{contiguity = [4], divisibility = [16], constancy = [1]}}
  %pp = tile.addptr %ps, %h : tensor<256x!tile.ptr<f32>>, tensor<256xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %v = tile.load %pp : tensor<256x!tile.ptr<f32>>
  tile.store %pp, %v : tensor<256x!tile.ptr<f32>>
  return
}

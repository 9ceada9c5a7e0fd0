// RUN: tessel-opt %s --split-input-file --tessel-test-axis-info -verify-diagnostics

// A loop counter is a multiple of what divides its lower bound and its step:
// `for start in range(0, n, 128)` gives 128, so start + arange(0, 128) keeps
// runs of 128 from a multiple of 128 (vector accesses in the loop).
func.func @loop_counter(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32, %lb: i32) {
  %c0 = arith.constant 0 : i32
  %c128 = arith.constant 128 : i32
  scf.for %start = %c0 to %n step %c128 : i32 {
    // expected-remark @below {{contiguity = [1], divisibility = [128], constancy = [128]}}
    %s = tile.splat %start : tensor<128xi32>
    // expected-remark @below {{contiguity = [128], divisibility = [1073741824], constancy = [1]}}
    %r = tile.make_range 0 to 128 : tensor<128xi32>
    // expected-remark @below {{contiguity = [128], divisibility = [128], constancy = [1]}}
    %cols = arith.addi %s, %r : tensor<128xi32>
  }
  // An unknown lower bound leaves nothing known.
  scf.for %i = %lb to %n step %c128 : i32 {
    // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [128]}}
    %s = tile.splat %i : tensor<128xi32>
  }
  return
}

// -----

// Loop-carried pointers: `ptrs += 128` keeps the initial runs of 128 and the
// 16-byte alignment (a fixpoint of the facts before and after the body);
// adding an unknown offset each trip loses the alignment.
func.func @carried_pointers(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32, %k: i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  // expected-remark @below {{contiguity = [128], divisibility = [1073741824], constancy = [1]}}
  %r = tile.make_range 0 to 128 : tensor<128xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [128]}}
  %xs = tile.splat %x : tensor<128x!tile.ptr<f32>>
  // expected-remark @below {{contiguity = [128], divisibility = [16], constancy = [1]}}
  %p0 = tile.addptr %xs, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [128], constancy = [128]}}
  %step = arith.constant dense<128> : tensor<128xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [128]}}
  %ks = tile.splat %k : tensor<128xi32>
  %good, %bad = scf.for %i = %c0 to %n step %c1 iter_args(%p = %p0, %q = %p0) -> (tensor<128x!tile.ptr<f32>>, tensor<128x!tile.ptr<f32>>) : i32 {
    // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
    %v = tile.load %p : tensor<128x!tile.ptr<f32>>
    // expected-remark @below {{contiguity = [128], divisibility = [16], constancy = [1]}}
    %pn = tile.addptr %p, %step : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
    // expected-remark @below {{contiguity = [128], divisibility = [4], constancy = [1]}}
    %qn = tile.addptr %q, %ks : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
    scf.yield %pn, %qn : tensor<128x!tile.ptr<f32>>, tensor<128x!tile.ptr<f32>>
  }
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %w = tile.load %good : tensor<128x!tile.ptr<f32>>
  return
}

// RUN: tessel-opt %s -split-input-file -verify-diagnostics

func.func @fadd_on_int(%q: !tile.ptr<i32>, %i: i32) {
  // expected-error @+1 {{fadd needs a floating-point element type, got 'i32'}}
  %b = tile.atomic_rmw fadd, relaxed, gpu, %q, %i : !tile.ptr<i32>
  return
}

// -----

func.func @max_on_float(%q: !tile.ptr<f32>, %f: f32) {
  // expected-error @+1 {{integer atomics take i32 or i64 elements, got 'f32'}}
  %b = tile.atomic_rmw max, relaxed, gpu, %q, %f : !tile.ptr<f32>
  return
}

// -----

func.func @cas_on_i8(%q: !tile.ptr<i8>, %c: i8) {
  // expected-error @+1 {{compare-and-swap takes 16-, 32- or 64-bit elements, got 'i8'}}
  %b = tile.atomic_cas acq_rel, gpu, %q, %c, %c : !tile.ptr<i8>
  return
}

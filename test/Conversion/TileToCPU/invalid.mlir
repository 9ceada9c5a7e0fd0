// RUN: tessel-opt %s --convert-tile-to-cpu --split-input-file -verify-diagnostics

func.func @asm(%x: !tile.ptr<i32>) attributes {tile.kernel} {
  %r = tile.make_range 0 to 16 : tensor<16xi32>
  // expected-error @below {{inline assembly is supported on NVIDIA targets only, not on the CPU}}
  %b = tile.inline_asm "mov.b32 $0, $1;", "=r,r"(%r) {pack = 1 : i32, pure} : (tensor<16xi32>) -> tensor<16xi32>
  return
}

// -----

func.func private @helper() -> i32 attributes {tile.noinline} {
  // expected-error @below {{on the CPU target, grid queries must be in the kernel function itself}}
  %p = tile.program_id x : i32
  return %p : i32
}

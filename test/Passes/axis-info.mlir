// RUN: tessel-opt %s --split-input-file --tessel-test-axis-info -verify-diagnostics

// Contiguity: length of runs of consecutive values along each dimension.
// Divisibility: largest power of two dividing the first value of each run (in
// bytes for pointers). Constancy: length of runs of equal values.
// 1073741824 (2^30) is the cap the analysis uses for "divisible by anything".

func.func @vadd(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                %n: i32 {tile.divisibility = 16 : i32}, %m: i32) {
  %pid = tile.program_id x : i32
  %c = arith.constant 1024 : i32
  %start = arith.muli %pid, %c : i32
  // expected-remark @below {{contiguity = [1024], divisibility = [1073741824], constancy = [1]}}
  %r = tile.make_range 0 to 1024 : tensor<1024xi32>
  // A splat of pid * 1024 is constant, divisible by 1024.
  // expected-remark @below {{contiguity = [1], divisibility = [1024], constancy = [1024]}}
  %s = tile.splat %start : tensor<1024xi32>
  // splat + range: one run of 1024 starting at a multiple of 1024.
  // expected-remark @below {{contiguity = [1024], divisibility = [1024], constancy = [1]}}
  %offs = arith.addi %s, %r : tensor<1024xi32>
  // range + splat: the same, with the operands swapped.
  // expected-remark @below {{contiguity = [1024], divisibility = [1024], constancy = [1]}}
  %offs2 = arith.addi %r, %s : tensor<1024xi32>
  // A splat of an argument takes its tile.divisibility.
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [1024]}}
  %ns = tile.splat %n : tensor<1024xi32>
  // offs < n is uniform over aligned blocks of 16 when n is divisible by 16.
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [16]}}
  %mask = arith.cmpi slt, %offs, %ns : tensor<1024xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [16]}}
  %mask_ge = arith.cmpi sge, %offs, %ns : tensor<1024xi32>
  // Without divisibility on the bound, every lane may differ.
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1024]}}
  %ms = tile.splat %m : tensor<1024xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %mask_m = arith.cmpi slt, %offs, %ms : tensor<1024xi32>
  // Equality is true for at most one lane of a run.
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %mask_eq = arith.cmpi eq, %offs, %ns : tensor<1024xi32>
  // Two constants compare to a constant.
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1024]}}
  %mask_c = arith.cmpi ne, %ns, %ms : tensor<1024xi32>
  // An elementwise op of masks keeps the common constancy.
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [16]}}
  %mask_and = arith.andi %mask, %mask_c : tensor<1024xi1>
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [1024]}}
  %xp = tile.splat %x : tensor<1024x!tile.ptr<f32>>
  // Pointer divisibility is in bytes: gcd(16, 1024 * 4).
  // expected-remark @below {{contiguity = [1024], divisibility = [16], constancy = [1]}}
  %xa = tile.addptr %xp, %offs : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  return
}

// -----

// addptr scales the offset's divisibility by the element size.
func.func @addptr_bytes(%p32: !tile.ptr<f32> {tile.divisibility = 64 : i32},
                        %p64: !tile.ptr<f64> {tile.divisibility = 64 : i32},
                        %p16: !tile.ptr<f16> {tile.divisibility = 64 : i32},
                        %p8: !tile.ptr<i8> {tile.divisibility = 64 : i32},
                        %pu: !tile.ptr<f32>) {
  // expected-remark @below {{contiguity = [4], divisibility = [4], constancy = [1]}}
  %r = tile.make_range 4 to 8 : tensor<4xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [64], constancy = [4]}}
  %s32 = tile.splat %p32 : tensor<4x!tile.ptr<f32>>
  // expected-remark @below {{contiguity = [4], divisibility = [16], constancy = [1]}}
  %a32 = tile.addptr %s32, %r : tensor<4x!tile.ptr<f32>>, tensor<4xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [64], constancy = [4]}}
  %s64 = tile.splat %p64 : tensor<4x!tile.ptr<f64>>
  // expected-remark @below {{contiguity = [4], divisibility = [32], constancy = [1]}}
  %a64 = tile.addptr %s64, %r : tensor<4x!tile.ptr<f64>>, tensor<4xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [64], constancy = [4]}}
  %s16 = tile.splat %p16 : tensor<4x!tile.ptr<f16>>
  // expected-remark @below {{contiguity = [4], divisibility = [8], constancy = [1]}}
  %a16 = tile.addptr %s16, %r : tensor<4x!tile.ptr<f16>>, tensor<4xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [64], constancy = [4]}}
  %s8 = tile.splat %p8 : tensor<4x!tile.ptr<i8>>
  // expected-remark @below {{contiguity = [4], divisibility = [4], constancy = [1]}}
  %a8 = tile.addptr %s8, %r : tensor<4x!tile.ptr<i8>>, tensor<4xi32>
  // Without tile.divisibility nothing is known about the address.
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [4]}}
  %su = tile.splat %pu : tensor<4x!tile.ptr<f32>>
  // expected-remark @below {{contiguity = [4], divisibility = [1], constancy = [1]}}
  %au = tile.addptr %su, %r : tensor<4x!tile.ptr<f32>>, tensor<4xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [2], constancy = [4]}}
  %c2 = arith.constant dense<2> : tensor<4xi32>
  // A constant offset from a splat pointer stays constant: gcd(64, 2 * 4).
  // expected-remark @below {{contiguity = [1], divisibility = [8], constancy = [4]}}
  %ac = tile.addptr %s32, %c2 : tensor<4x!tile.ptr<f32>>, tensor<4xi32>
  return
}

// -----

// Constants and ranges that do not start at zero.
func.func @constants() {
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [256]}}
  %c16 = arith.constant dense<16> : tensor<256xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1073741824], constancy = [256]}}
  %c0 = arith.constant dense<0> : tensor<256xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [256]}}
  %c3 = arith.constant dense<3> : tensor<256xi64>
  // expected-remark @below {{contiguity = [8], divisibility = [8], constancy = [1]}}
  %r8 = tile.make_range 8 to 16 : tensor<8xi32>
  // expected-remark @below {{contiguity = [16], divisibility = [16], constancy = [1]}}
  %r16 = tile.make_range 48 to 64 : tensor<16xi32>
  // expected-remark @below {{contiguity = [2], divisibility = [2], constancy = [1]}}
  %r2 = tile.make_range 6 to 8 : tensor<2xi32>
  // Floats have no divisibility, only constancy.
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [64]}}
  %f = arith.constant dense<2.0> : tensor<64xf32>
  return
}

// -----

// muli multiplies divisibilities; x * 1 keeps the contiguity of x.
func.func @muli(%n: i32 {tile.divisibility = 16 : i32}) {
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [128]}}
  %ns = tile.splat %n : tensor<128xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [4], constancy = [128]}}
  %c4 = arith.constant dense<4> : tensor<128xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [64], constancy = [128]}}
  %a = arith.muli %ns, %c4 : tensor<128xi32>
  // expected-remark @below {{contiguity = [128], divisibility = [1073741824], constancy = [1]}}
  %r = tile.make_range 0 to 128 : tensor<128xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [128]}}
  %c1 = arith.constant dense<1> : tensor<128xi32>
  // expected-remark @below {{contiguity = [128], divisibility = [1073741824], constancy = [1]}}
  %b = arith.muli %r, %c1 : tensor<128xi32>
  // expected-remark @below {{contiguity = [128], divisibility = [1073741824], constancy = [1]}}
  %b2 = arith.muli %c1, %r : tensor<128xi32>
  // (pid * 128 splat) + range * 1 is still one aligned run.
  // expected-remark @below {{contiguity = [128], divisibility = [64], constancy = [1]}}
  %o = arith.addi %a, %b : tensor<128xi32>
  // Subtracting a constant keeps contiguity; the divisibility is the gcd.
  // expected-remark @below {{contiguity = [128], divisibility = [4], constancy = [1]}}
  %d = arith.subi %o, %c4 : tensor<128xi32>
  // Sign extension keeps everything.
  // expected-remark @below {{contiguity = [128], divisibility = [4], constancy = [1]}}
  %e = arith.extsi %d : tensor<128xi32> to tensor<128xi64>
  return
}

// -----

// broadcast: stretched dimensions become constant; expand_dims inserts a
// dimension of size 1 (contiguity 1, constancy 1).
func.func @shapes(%n: i32 {tile.divisibility = 8 : i32}) {
  // expected-remark @below {{contiguity = [1], divisibility = [8], constancy = [64]}}
  %ns = tile.splat %n : tensor<64xi32>
  // expected-remark @below {{contiguity = [1, 1], divisibility = [8, 8], constancy = [64, 1]}}
  %col = tile.expand_dims %ns {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  // expected-remark @below {{contiguity = [1, 1], divisibility = [8, 8], constancy = [1, 64]}}
  %row = tile.expand_dims %ns {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  // expected-remark @below {{contiguity = [1, 1], divisibility = [8, 8], constancy = [64, 32]}}
  %colb = tile.broadcast %col : tensor<64x1xi32> -> tensor<64x32xi32>
  // expected-remark @below {{contiguity = [1, 1], divisibility = [8, 8], constancy = [32, 64]}}
  %rowb = tile.broadcast %row : tensor<1x64xi32> -> tensor<32x64xi32>
  // Adding constant blocks gives constant blocks.
  // expected-remark @below {{contiguity = [1, 1], divisibility = [8, 8], constancy = [64, 32]}}
  %sum = arith.addi %colb, %colb : tensor<64x32xi32>
  // Along a dimension that is neither stretched nor inserted, nothing changes.
  // expected-remark @below {{contiguity = [1, 1], divisibility = [8, 8], constancy = [64, 1]}}
  %same = tile.broadcast %col : tensor<64x1xi32> -> tensor<64x1xi32>
  return
}

// -----

// x % m (Triton's tutorial wraps its row and column offsets with `% M`):
// runs of x stay runs in blocks of what divides both x's run start and m.
func.func @remainder(%pid: i32, %n: i32 {tile.divisibility = 16 : i32}, %m: i32) {
  %c128 = arith.constant 128 : i32
  %start = arith.muli %pid, %c128 : i32
  // expected-remark @below {{contiguity = [1], divisibility = [128], constancy = [128]}}
  %s = tile.splat %start : tensor<128xi32>
  // expected-remark @below {{contiguity = [128], divisibility = [1073741824], constancy = [1]}}
  %r = tile.make_range 0 to 128 : tensor<128xi32>
  // expected-remark @below {{contiguity = [128], divisibility = [128], constancy = [1]}}
  %offs = arith.addi %s, %r : tensor<128xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [128]}}
  %ns = tile.splat %n : tensor<128xi32>
  // Blocks of 16 wrap only at their start: runs of 16, each starting at a
  // multiple of 16.
  // expected-remark @below {{contiguity = [16], divisibility = [16], constancy = [1]}}
  %wrapped = arith.remsi %offs, %ns : tensor<128xi32>
  // expected-remark @below {{contiguity = [16], divisibility = [16], constancy = [1]}}
  %wrapped_u = arith.remui %offs, %ns : tensor<128xi32>
  // A bound of unknown divisibility may wrap anywhere.
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [128]}}
  %ms = tile.splat %m : tensor<128xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %any = arith.remsi %offs, %ms : tensor<128xi32>
  // A constant modulus larger than the run keeps the whole run.
  // expected-remark @below {{contiguity = [1], divisibility = [1024], constancy = [128]}}
  %c1024 = arith.constant dense<1024> : tensor<128xi32>
  // expected-remark @below {{contiguity = [128], divisibility = [128], constancy = [1]}}
  %whole = arith.remsi %offs, %c1024 : tensor<128xi32>
  // Constant operands give constant blocks.
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [128]}}
  %both = arith.remsi %ns, %c1024 : tensor<128xi32>
  return
}

// RUN: tessel-opt %s -split-input-file --tessel-prefetch-loads="cp-async-ring=true" | FileCheck %s
// RUN: tessel-opt %s -split-input-file --tessel-prefetch-loads | FileCheck %s --check-prefix=PREFETCH

// With cp-async-ring (sm_80 and later), a dot loop whose two 16-bit loads
// read 16-byte aligned rows of 8+ contiguous elements is left for the
// cp.async ring of tessel-pipeline-dot-operands; without it, prefetched.
// CHECK-LABEL: func.func @ring
// CHECK: scf.for
// CHECK-NEXT: tile.load
// CHECK-NEXT: tile.load
// CHECK-NEXT: tile.dot
// PREFETCH-LABEL: func.func @ring
// PREFETCH: tile.load
// PREFETCH: scf.for {{.*}} iter_args({{.*}}, %[[A:.*]] = %{{.*}}, %[[B:.*]] = %{{.*}})
// PREFETCH: tile.dot %[[A]], %[[B]]
func.func @ring(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32},
                %b: !tile.ptr<f16> {tile.divisibility = 16 : i32},
                %lb: i32, %ub: i32) -> tensor<32x32xf32> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<32x32xf32>
  %r32 = tile.make_range 0 to 32 : tensor<32xi32>
  %r16 = tile.make_range 0 to 16 : tensor<16xi32>
  %stride = arith.constant dense<64> : tensor<32x1xi32>
  %stride_b = arith.constant dense<64> : tensor<16x1xi32>
  // A: 32 x 16, rows 64 elements apart.
  %ar = tile.expand_dims %r32 {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %ac = tile.expand_dims %r16 {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %arow = arith.muli %ar, %stride : tensor<32x1xi32>
  %arb = tile.broadcast %arow : tensor<32x1xi32> -> tensor<32x16xi32>
  %acb = tile.broadcast %ac : tensor<1x16xi32> -> tensor<32x16xi32>
  %aoff = arith.addi %arb, %acb : tensor<32x16xi32>
  %as = tile.splat %a : tensor<32x16x!tile.ptr<f16>>
  %pa = tile.addptr %as, %aoff : tensor<32x16x!tile.ptr<f16>>, tensor<32x16xi32>
  // B: 16 x 32, rows 64 elements apart.
  %br = tile.expand_dims %r16 {axis = 1 : i32} : tensor<16xi32> -> tensor<16x1xi32>
  %bc = tile.expand_dims %r32 {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %brow = arith.muli %br, %stride_b : tensor<16x1xi32>
  %brb = tile.broadcast %brow : tensor<16x1xi32> -> tensor<16x32xi32>
  %bcb = tile.broadcast %bc : tensor<1x32xi32> -> tensor<16x32xi32>
  %boff = arith.addi %brb, %bcb : tensor<16x32xi32>
  %bs = tile.splat %b : tensor<16x32x!tile.ptr<f16>>
  %pb = tile.addptr %bs, %boff : tensor<16x32x!tile.ptr<f16>>, tensor<16x32xi32>
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<32x32xf32>) : i32 {
    %x = tile.load %pa : tensor<32x16x!tile.ptr<f16>>
    %y = tile.load %pb : tensor<16x32x!tile.ptr<f16>>
    %d = tile.dot %x, %y, %acc : tensor<32x16xf16>, tensor<16x32xf16> -> tensor<32x32xf32>
    scf.yield %d : tensor<32x32xf32>
  }
  return %r : tensor<32x32xf32>
}

// -----

// Float32 operands (tf32): the rings copy 16-bit tiles only, so prefetched.
// CHECK-LABEL: func.func @f32
// CHECK: tile.load
// CHECK: scf.for {{.*}} iter_args({{.*}}, %[[A:.*]] = %{{.*}}, %[[B:.*]] = %{{.*}})
// CHECK: tile.dot %[[A]], %[[B]]
func.func @f32(%a: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                %b: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                %lb: i32, %ub: i32) -> tensor<32x32xf32> {
  %c1 = arith.constant 1 : i32
  %z = arith.constant dense<0.0> : tensor<32x32xf32>
  %r32 = tile.make_range 0 to 32 : tensor<32xi32>
  %r16 = tile.make_range 0 to 16 : tensor<16xi32>
  %stride = arith.constant dense<64> : tensor<32x1xi32>
  %stride_b = arith.constant dense<64> : tensor<16x1xi32>
  // A: 32 x 16, rows 64 elements apart.
  %ar = tile.expand_dims %r32 {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %ac = tile.expand_dims %r16 {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %arow = arith.muli %ar, %stride : tensor<32x1xi32>
  %arb = tile.broadcast %arow : tensor<32x1xi32> -> tensor<32x16xi32>
  %acb = tile.broadcast %ac : tensor<1x16xi32> -> tensor<32x16xi32>
  %aoff = arith.addi %arb, %acb : tensor<32x16xi32>
  %as = tile.splat %a : tensor<32x16x!tile.ptr<f32>>
  %pa = tile.addptr %as, %aoff : tensor<32x16x!tile.ptr<f32>>, tensor<32x16xi32>
  // B: 16 x 32, rows 64 elements apart.
  %br = tile.expand_dims %r16 {axis = 1 : i32} : tensor<16xi32> -> tensor<16x1xi32>
  %bc = tile.expand_dims %r32 {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %brow = arith.muli %br, %stride_b : tensor<16x1xi32>
  %brb = tile.broadcast %brow : tensor<16x1xi32> -> tensor<16x32xi32>
  %bcb = tile.broadcast %bc : tensor<1x32xi32> -> tensor<16x32xi32>
  %boff = arith.addi %brb, %bcb : tensor<16x32xi32>
  %bs = tile.splat %b : tensor<16x32x!tile.ptr<f32>>
  %pb = tile.addptr %bs, %boff : tensor<16x32x!tile.ptr<f32>>, tensor<16x32xi32>
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<32x32xf32>) : i32 {
    %x = tile.load %pa : tensor<32x16x!tile.ptr<f32>>
    %y = tile.load %pb : tensor<16x32x!tile.ptr<f32>>
    %d = tile.dot %x, %y, %acc : tensor<32x16xf32>, tensor<16x32xf32> -> tensor<32x32xf32>
    scf.yield %d : tensor<32x32xf32>
  }
  return %r : tensor<32x32xf32>
}


// -----

// Attention's loop: S = Q K^T (Q from before the loop, K loaded N x D and
// transposed), P = exp2(S - rowmax) through a reduction, O += P V. With 64
// rows (16 per warp of 4) the ring takes K and V: not prefetched.
// CHECK-LABEL: func.func @attention
// CHECK: scf.for
// CHECK-NEXT: tile.load
// PREFETCH-LABEL: func.func @attention
// PREFETCH: scf.for {{.*}} iter_args({{.*}}, %[[K:.*]] = %{{.*}}, %[[V:.*]] = %{{.*}})
func.func @attention(%q: tensor<64x16xf16>, %kp: !tile.ptr<f16> {tile.divisibility = 16 : i32},
                     %vp: !tile.ptr<f16> {tile.divisibility = 16 : i32},
                     %lb: i32, %ub: i32) -> tensor<64x16xf32> {
  %c1 = arith.constant 1 : i32
  %zo = arith.constant dense<0.0> : tensor<64x16xf32>
  %zs = arith.constant dense<0.0> : tensor<64x32xf32>
  %r32 = tile.make_range 0 to 32 : tensor<32xi32>
  %r16 = tile.make_range 0 to 16 : tensor<16xi32>
  %stride = arith.constant dense<16> : tensor<32x1xi32>
  %rows = tile.expand_dims %r32 {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %cols = tile.expand_dims %r16 {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %roff = arith.muli %rows, %stride : tensor<32x1xi32>
  %rb = tile.broadcast %roff : tensor<32x1xi32> -> tensor<32x16xi32>
  %cb = tile.broadcast %cols : tensor<1x16xi32> -> tensor<32x16xi32>
  %off = arith.addi %rb, %cb : tensor<32x16xi32>
  %ks = tile.splat %kp : tensor<32x16x!tile.ptr<f16>>
  %kptr = tile.addptr %ks, %off : tensor<32x16x!tile.ptr<f16>>, tensor<32x16xi32>
  %vs = tile.splat %vp : tensor<32x16x!tile.ptr<f16>>
  %vptr = tile.addptr %vs, %off : tensor<32x16x!tile.ptr<f16>>, tensor<32x16xi32>
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %zo) -> (tensor<64x16xf32>) : i32 {
    %k = tile.load %kptr : tensor<32x16x!tile.ptr<f16>>
    %kt = tile.trans %k, [1, 0] : tensor<32x16xf16> -> tensor<16x32xf16>
    %s = tile.dot %q, %kt, %zs : tensor<64x16xf16>, tensor<16x32xf16> -> tensor<64x32xf32>
    %m = tile.reduce(%s) axis = 1 : (tensor<64x32xf32>) -> tensor<64xf32> {
    ^bb0(%x: f32, %y: f32):
      %mx = arith.maxnumf %x, %y : f32
      tile.reduce.return %mx : f32
    }
    %me = tile.expand_dims %m {axis = 1 : i32} : tensor<64xf32> -> tensor<64x1xf32>
    %mb = tile.broadcast %me : tensor<64x1xf32> -> tensor<64x32xf32>
    %d = arith.subf %s, %mb : tensor<64x32xf32>
    %e = math.exp2 %d : tensor<64x32xf32>
    %p = arith.truncf %e : tensor<64x32xf32> to tensor<64x32xf16>
    %v = tile.load %vptr : tensor<32x16x!tile.ptr<f16>>
    %o = tile.dot %p, %v, %acc : tensor<64x32xf16>, tensor<32x16xf16> -> tensor<64x16xf32>
    scf.yield %o : tensor<64x16xf32>
  }
  return %r : tensor<64x16xf32>
}

// -----

// The same with 32 rows: 8 per warp, so the dots split their warps and the
// softmax's reductions cross them (shared memory, which the ring does not
// allow): prefetched.
// CHECK-LABEL: func.func @attention_32_rows
// CHECK: scf.for {{.*}} iter_args({{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}})
func.func @attention_32_rows(%q: tensor<32x16xf16>, %kp: !tile.ptr<f16> {tile.divisibility = 16 : i32},
                     %vp: !tile.ptr<f16> {tile.divisibility = 16 : i32},
                     %lb: i32, %ub: i32) -> tensor<32x16xf32> {
  %c1 = arith.constant 1 : i32
  %zo = arith.constant dense<0.0> : tensor<32x16xf32>
  %zs = arith.constant dense<0.0> : tensor<32x32xf32>
  %r32 = tile.make_range 0 to 32 : tensor<32xi32>
  %r16 = tile.make_range 0 to 16 : tensor<16xi32>
  %stride = arith.constant dense<16> : tensor<32x1xi32>
  %rows = tile.expand_dims %r32 {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %cols = tile.expand_dims %r16 {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %roff = arith.muli %rows, %stride : tensor<32x1xi32>
  %rb = tile.broadcast %roff : tensor<32x1xi32> -> tensor<32x16xi32>
  %cb = tile.broadcast %cols : tensor<1x16xi32> -> tensor<32x16xi32>
  %off = arith.addi %rb, %cb : tensor<32x16xi32>
  %ks = tile.splat %kp : tensor<32x16x!tile.ptr<f16>>
  %kptr = tile.addptr %ks, %off : tensor<32x16x!tile.ptr<f16>>, tensor<32x16xi32>
  %vs = tile.splat %vp : tensor<32x16x!tile.ptr<f16>>
  %vptr = tile.addptr %vs, %off : tensor<32x16x!tile.ptr<f16>>, tensor<32x16xi32>
  %r = scf.for %i = %lb to %ub step %c1 iter_args(%acc = %zo) -> (tensor<32x16xf32>) : i32 {
    %k = tile.load %kptr : tensor<32x16x!tile.ptr<f16>>
    %kt = tile.trans %k, [1, 0] : tensor<32x16xf16> -> tensor<16x32xf16>
    %s = tile.dot %q, %kt, %zs : tensor<32x16xf16>, tensor<16x32xf16> -> tensor<32x32xf32>
    %m = tile.reduce(%s) axis = 1 : (tensor<32x32xf32>) -> tensor<32xf32> {
    ^bb0(%x: f32, %y: f32):
      %mx = arith.maxnumf %x, %y : f32
      tile.reduce.return %mx : f32
    }
    %me = tile.expand_dims %m {axis = 1 : i32} : tensor<32xf32> -> tensor<32x1xf32>
    %mb = tile.broadcast %me : tensor<32x1xf32> -> tensor<32x32xf32>
    %d = arith.subf %s, %mb : tensor<32x32xf32>
    %e = math.exp2 %d : tensor<32x32xf32>
    %p = arith.truncf %e : tensor<32x32xf32> to tensor<32x32xf16>
    %v = tile.load %vptr : tensor<32x16x!tile.ptr<f16>>
    %o = tile.dot %p, %v, %acc : tensor<32x32xf16>, tensor<32x16xf16> -> tensor<32x16xf32>
    scf.yield %o : tensor<32x16xf32>
  }
  return %r : tensor<32x16xf32>
}

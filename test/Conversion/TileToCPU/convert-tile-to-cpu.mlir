// RUN: tessel-opt %s --convert-tile-to-cpu --split-input-file | FileCheck %s

// The CPU works on chunks of 16 elements. Elementwise chains fuse into the
// loop of the op that consumes them: one loop, contiguous masked vector
// accesses, no buffer. Kernels take the six grid arguments last.
// CHECK-LABEL: func.func @fused
// CHECK-SAME: %{{.*}}: !llvm.ptr {tile.divisibility = 16 : i32}, %{{.*}}: !llvm.ptr {tile.divisibility = 16 : i32}, %{{.*}}: i32, %[[PID:.*]]: i32, %{{.*}}: i32, %{{.*}}: i32, %{{.*}}: i32, %{{.*}}: i32, %{{.*}}: i32)
// CHECK-NOT: llvm.alloca
// CHECK: arith.muli %[[PID]]
// CHECK: scf.for %[[BASE:.*]] = %{{.*}} to %{{.*}} step %{{.*}} : i64
// CHECK: llvm.intr.masked.load %{{.*}} {alignment = 16 : i32} : (!llvm.ptr, vector<16xi1>, vector<16xf32>) -> vector<16xf32>
// CHECK: arith.addf %{{.*}} : vector<16xf32>
// CHECK: llvm.intr.masked.store
// CHECK-NOT: scf.for
// CHECK: return
func.func @fused(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %y: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32) attributes {tile.kernel} {
  %pid = tile.program_id x : i32
  %c = arith.constant 64 : i32
  %b = arith.muli %pid, %c : i32
  %r = tile.make_range 0 to 64 : tensor<64xi32>
  %bs = tile.splat %b : tensor<64xi32>
  %o = arith.addi %bs, %r : tensor<64xi32>
  %ns = tile.splat %n : tensor<64xi32>
  %m = arith.cmpi slt, %o, %ns : tensor<64xi32>
  %xp = tile.splat %x : tensor<64x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %o : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %v = tile.load %xa, %m : tensor<64x!tile.ptr<f32>>
  %w = arith.addf %v, %v : tensor<64xf32>
  %yp = tile.splat %y : tensor<64x!tile.ptr<f32>>
  %ya = tile.addptr %yp, %o : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  tile.store %ya, %w, %m : tensor<64x!tile.ptr<f32>>
  return
}

// -----

// A load whose value is used after a store to the same memory is read
// into a buffer before the store; the store and the exp then read it.
// CHECK-LABEL: func.func @reuse
// CHECK: %[[BUF:.*]] = llvm.alloca %{{.*}} x f32 {alignment = 64 : i64}
// CHECK: scf.for
// CHECK: llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<16xf32>
// CHECK: llvm.store %{{.*}} {alignment = 64 : i64} : vector<16xf32>, !llvm.ptr
// CHECK: scf.for
// CHECK: llvm.getelementptr %[[BUF]]
// CHECK: llvm.store
// CHECK: scf.for
// CHECK: llvm.getelementptr %[[BUF]]
// CHECK: math.exp %{{.*}} : vector<16xf32>
func.func @reuse(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %y: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 32 : tensor<32xi32>
  %xp = tile.splat %x : tensor<32x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %r : tensor<32x!tile.ptr<f32>>, tensor<32xi32>
  %v = tile.load %xa : tensor<32x!tile.ptr<f32>>
  %yp = tile.splat %y : tensor<32x!tile.ptr<f32>>
  %ya = tile.addptr %yp, %r : tensor<32x!tile.ptr<f32>>, tensor<32xi32>
  tile.store %xa, %v : tensor<32x!tile.ptr<f32>>
  %e = math.exp %v : tensor<32xf32>
  tile.store %ya, %e : tensor<32x!tile.ptr<f32>>
  return
}

// -----

// Broadcasts are shuffles of a narrower chunk of their source (a chunk of a
// row of the 8x32 tile sees one element of the 8x1 column); a transpose
// gathers from its stored source; a reduction along the last axis adds
// vectors, then halves them down to one lane.
// CHECK-LABEL: func.func @bcast
// CHECK: scf.for
// CHECK: llvm.shufflevector %{{.*}} [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] : vector<1xi32>
// CHECK: scf.for
// CHECK: llvm.intr.masked.gather
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} : i64
// CHECK: llvm.load %{{.*}} : !llvm.ptr -> vector<8xf32>
// CHECK: llvm.shufflevector %{{.*}} [0, 1, 2, 3] : vector<8xf32>
// CHECK: arith.addf %{{.*}} : vector<4xf32>
// CHECK: arith.addf %{{.*}} : vector<2xf32>
// CHECK: arith.addf %{{.*}} : vector<1xf32>
func.func @bcast(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 8 : tensor<8xi32>
  %c = tile.make_range 0 to 32 : tensor<32xi32>
  %r2 = tile.expand_dims %r {axis = 1 : i32} : tensor<8xi32> -> tensor<8x1xi32>
  %c2 = tile.expand_dims %c {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %rb = tile.broadcast %r2 : tensor<8x1xi32> -> tensor<8x32xi32>
  %cb = tile.broadcast %c2 : tensor<1x32xi32> -> tensor<8x32xi32>
  %s = arith.addi %rb, %cb : tensor<8x32xi32>
  %xp = tile.splat %x : tensor<8x32x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %s : tensor<8x32x!tile.ptr<f32>>, tensor<8x32xi32>
  %v = tile.load %xa : tensor<8x32x!tile.ptr<f32>>
  %t = tile.trans %v, [1, 0] : tensor<8x32xf32> -> tensor<32x8xf32>
  %sum = tile.reduce(%t) axis = 1 : (tensor<32x8xf32>) -> tensor<32xf32> {
  ^bb0(%a: f32, %b: f32):
    %z = arith.addf %a, %b : f32
    tile.reduce.return %z : f32
  }
  %cp = tile.splat %x : tensor<32x!tile.ptr<f32>>
  %ca = tile.addptr %cp, %c : tensor<32x!tile.ptr<f32>>, tensor<32xi32>
  tile.store %ca, %sum : tensor<32x!tile.ptr<f32>>
  return
}

// -----

// A loop-carried accumulator lives in one buffer: zeroed before the loop,
// updated in place by the dot (4 rows of A per load of B, fused
// multiply-adds in f32 on f16 inputs).
// CHECK-LABEL: func.func @acc_loop
// CHECK: %[[ACC:.*]] = llvm.alloca %{{.*}} x f32
// CHECK: llvm.store %{{.*}}, %{{.*}} {alignment = 64 : i64} : vector<16xf32>, !llvm.ptr
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} : i32 {
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} : i64 {
// CHECK: iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: arith.extf %{{.*}} : vector<16xf16> to vector<16xf32>
// CHECK: math.fma %{{.*}} : vector<16xf32>
// CHECK-NOT: llvm.intr.memcpy
// CHECK: return
func.func @acc_loop(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %out: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32) attributes {tile.kernel} {
  %r = tile.make_range 0 to 16 : tensor<16xi32>
  %r2 = tile.expand_dims %r {axis = 1 : i32} : tensor<16xi32> -> tensor<16x1xi32>
  %c2 = tile.expand_dims %r {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %rb = tile.broadcast %r2 : tensor<16x1xi32> -> tensor<16x16xi32>
  %cb = tile.broadcast %c2 : tensor<1x16xi32> -> tensor<16x16xi32>
  %s16 = arith.constant dense<16> : tensor<16x16xi32>
  %rs = arith.muli %rb, %s16 : tensor<16x16xi32>
  %off = arith.addi %rs, %cb : tensor<16x16xi32>
  %ap = tile.splat %a : tensor<16x16x!tile.ptr<f16>>
  %aa = tile.addptr %ap, %off : tensor<16x16x!tile.ptr<f16>>, tensor<16x16xi32>
  %zero = arith.constant dense<0.0> : tensor<16x16xf32>
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %acc = scf.for %i = %c0 to %n step %c1 iter_args(%acc0 = %zero) -> (tensor<16x16xf32>) : i32 {
    %av = tile.load %aa : tensor<16x16x!tile.ptr<f16>>
    %d = tile.dot %av, %av, %acc0 : tensor<16x16xf16>, tensor<16x16xf16> -> tensor<16x16xf32>
    scf.yield %d : tensor<16x16xf32>
  }
  %op = tile.splat %out : tensor<16x16x!tile.ptr<f32>>
  %oa = tile.addptr %op, %off : tensor<16x16x!tile.ptr<f32>>, tensor<16x16xi32>
  tile.store %oa, %acc : tensor<16x16x!tile.ptr<f32>>
  return
}

// -----

// Division never traps: a zero divisor (or -1 under INT_MIN) becomes 1.
// CHECK-LABEL: func.func @div
// CHECK: %[[ZERO:.*]] = arith.cmpi eq, %[[D:.*]], %{{.*}} : vector<16xi32>
// CHECK: arith.select %{{.*}}, %{{.*}}, %[[D]] : vector<16xi1>, vector<16xi32>
// CHECK: arith.divsi
func.func @div(%x: !tile.ptr<i32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 16 : tensor<16xi32>
  %xp = tile.splat %x : tensor<16x!tile.ptr<i32>>
  %xa = tile.addptr %xp, %r : tensor<16x!tile.ptr<i32>>, tensor<16xi32>
  %v = tile.load %xa : tensor<16x!tile.ptr<i32>>
  %q = arith.divsi %v, %r : tensor<16xi32>
  tile.store %xa, %q : tensor<16x!tile.ptr<i32>>
  return
}

// -----

// A tile too large for a worker's stack lives on the heap; reversing it in
// place reads all of it before the first write.
// CHECK-LABEL: func.func @big
// CHECK: %[[HEAP:.*]] = llvm.call @aligned_alloc(%{{.*}}, %{{.*}}) : (i64, i64) -> !llvm.ptr
// CHECK: scf.for
// CHECK: llvm.store
// CHECK: scf.for
// CHECK: arith.xori %{{.*}}, %{{.*}} : i64
// CHECK: llvm.shufflevector
// CHECK: llvm.call @free(%[[HEAP]])
func.func @big(%x: !tile.ptr<f64> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 16384 : tensor<16384xi32>
  %xp = tile.splat %x : tensor<16384x!tile.ptr<f64>>
  %xa = tile.addptr %xp, %r : tensor<16384x!tile.ptr<f64>>, tensor<16384xi32>
  %v = tile.load %xa : tensor<16384x!tile.ptr<f64>>
  %rev = tile.xor_permute %v axis = 0 mask = 16383 : tensor<16384xf64>
  tile.store %xa, %rev : tensor<16384x!tile.ptr<f64>>
  return
}

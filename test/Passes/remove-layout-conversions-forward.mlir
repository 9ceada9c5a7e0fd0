// RUN: tessel-opt %s -split-input-file --tessel-remove-layout-conversions | FileCheck %s

// forward: the softmax of a wgmma dot's result runs in the accumulator's
// layout. The row maximum reduces into the mma layout's slice, the running
// maximum (loop-carried) is carried in that slice (its initial constant
// built there), and the loop keeps no conversion: one converts the carried
// value back after the loop.
// CHECK-LABEL: func.func @running_max
// CHECK: %[[INIT:.*]] = arith.constant dense<0xFF800000> : tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma
// CHECK: %[[LOOP:.*]] = scf.for {{.*}} iter_args(%[[M:.*]] = %[[INIT]]) -> (tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma
// CHECK-NOT: tilegpu.convert_layout
// CHECK: tile.reduce(%{{.*}}) axis = 1 : (tensor<64x64xf32, #tilegpu.mma
// CHECK-NOT: tilegpu.convert_layout
// CHECK: scf.yield
// CHECK: tilegpu.convert_layout %[[LOOP]] : tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>}>> -> tensor<64xf32, #tilegpu.blocked<{sizePerThread = [8]
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>
#blocked1 = #tilegpu.blocked<{sizePerThread = [8], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @running_max(%q: tensor<64x64xf16, #blocked>, %k: tensor<64x64xf16, #blocked>, %n: i32) -> tensor<64xf32, #blocked1> {
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    %init = arith.constant dense<0xFF800000> : tensor<64xf32, #blocked1>
    %zero = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #mma>
    %scale = arith.constant dense<1.250000e-01> : tensor<64x64xf32, #blocked>
    %r = scf.for %i = %c0 to %n step %c1 iter_args(%m = %init) -> (tensor<64xf32, #blocked1>) : i32 {
      %d = tile.dot %q, %k, %zero : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
      %s = tilegpu.convert_layout %d : tensor<64x64xf32, #mma> -> tensor<64x64xf32, #blocked>
      %t = arith.mulf %s, %scale : tensor<64x64xf32, #blocked>
      %mx = tile.reduce(%t) axis = 1 : (tensor<64x64xf32, #blocked>) -> tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #blocked}>> {
      ^bb0(%a: f32, %b: f32):
        %x = arith.maxnumf %a, %b : f32
        tile.reduce.return %x : f32
      }
      %mc = tilegpu.convert_layout %mx : tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #blocked}>> -> tensor<64xf32, #blocked1>
      %mn = arith.maxnumf %m, %mc : tensor<64xf32, #blocked1>
      scf.yield %mn : tensor<64xf32, #blocked1>
    }
    return %r : tensor<64xf32, #blocked1>
  }
}

// -----

// The accumulator of a second dot, scaled by a row factor each iteration
// (attention's acc * alpha[:, None]), is carried in the mma layout; the
// probabilities feed the second wgmma dot in the mma layout (its operands
// go to shared memory from any layout).
// CHECK-LABEL: func.func @rescaled_accumulator
// CHECK: scf.for
// CHECK-NOT: tilegpu.convert_layout
// CHECK: %[[P:.*]] = arith.truncf %{{.*}} : tensor<64x64xf32, #tilegpu.mma<{{.*}}>> to tensor<64x64xf16, #tilegpu.mma
// CHECK-NOT: tilegpu.convert_layout
// CHECK: tile.dot %[[P]], %{{.*}}, %{{.*}} : tensor<64x64xf16, #tilegpu.mma
// CHECK-NOT: tilegpu.convert_layout
// CHECK: scf.yield
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @rescaled_accumulator(%q: tensor<64x64xf16, #blocked>, %k: tensor<64x64xf16, #blocked>, %v: tensor<64x64xf16, #blocked>, %n: i32) -> tensor<64x64xf32, #blocked> {
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    %zero = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #mma>
    %init = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #blocked>
    %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %init) -> (tensor<64x64xf32, #blocked>) : i32 {
      %d = tile.dot %q, %k, %zero : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
      %s = tilegpu.convert_layout %d : tensor<64x64xf32, #mma> -> tensor<64x64xf32, #blocked>
      %p = math.exp2 %s : tensor<64x64xf32, #blocked>
      %rs = tile.reduce(%p) axis = 1 : (tensor<64x64xf32, #blocked>) -> tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #blocked}>> {
      ^bb0(%a: f32, %b: f32):
        %x = arith.addf %a, %b : f32
        tile.reduce.return %x : f32
      }
      %e = tile.expand_dims %rs {axis = 1 : i32} : tensor<64xf32, #tilegpu.slice<{dim = 1, parent = #blocked}>> -> tensor<64x1xf32, #blocked>
      %b = tile.broadcast %e : tensor<64x1xf32, #blocked> -> tensor<64x64xf32, #blocked>
      %scaled = arith.mulf %acc, %b : tensor<64x64xf32, #blocked>
      %ph = arith.truncf %p : tensor<64x64xf32, #blocked> to tensor<64x64xf16, #blocked>
      %accm = tilegpu.convert_layout %scaled : tensor<64x64xf32, #blocked> -> tensor<64x64xf32, #mma>
      %o = tile.dot %ph, %v, %accm : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
      %ob = tilegpu.convert_layout %o : tensor<64x64xf32, #mma> -> tensor<64x64xf32, #blocked>
      scf.yield %ob : tensor<64x64xf32, #blocked>
    }
    return %r : tensor<64x64xf32, #blocked>
  }
}

// -----

// A matmul epilogue gains nothing from it: one conversion stays before the
// store (the sink rule moves it past the truncation, halving what travels).
// CHECK-LABEL: func.func @epilogue
// CHECK: tile.dot
// CHECK-NEXT: arith.truncf
// CHECK-NEXT: tilegpu.convert_layout
// CHECK-NEXT: tile.store
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @epilogue(%a: tensor<64x64xf16, #blocked>, %b: tensor<64x64xf16, #blocked>, %out: tensor<64x64x!tile.ptr<f16>, #blocked>) {
    %zero = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #mma>
    %d = tile.dot %a, %b, %zero : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
    %c = tilegpu.convert_layout %d : tensor<64x64xf32, #mma> -> tensor<64x64xf32, #blocked>
    %h = arith.truncf %c : tensor<64x64xf32, #blocked> to tensor<64x64xf16, #blocked>
    tile.store %out, %h : tensor<64x64x!tile.ptr<f16>, #blocked>
    return
  }
}

// -----

// store rule and tensor-core results: outside loops the conversion stays
// before the store even when the pointers could be recomputed in the
// accumulator's layout (the epilogue goes through shared memory to 16-byte
// stores); inside a loop the store takes the accumulator's layout (a
// pipeline may hold the shared memory there).
// CHECK-LABEL: func.func @store_rule
// CHECK: scf.for
// CHECK-NOT: tilegpu.convert_layout
// CHECK: tile.store {{.*}} : tensor<64x64x!tile.ptr<f32>, #tilegpu.mma
// CHECK-NEXT: {{^ *}$}}
// CHECK: tilegpu.convert_layout {{.*}} : tensor<64x64xf32, #tilegpu.mma{{.*}}> -> tensor<64x64xf32, #tilegpu.blocked
// CHECK-NEXT: tile.store {{.*}} : tensor<64x64x!tile.ptr<f32>, #tilegpu.blocked
#blocked = #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @store_rule(%a: tensor<64x64xf16, #blocked>, %b: tensor<64x64xf16, #blocked>, %o: !tile.ptr<f32>, %n: i32) {
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    %zero = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #mma>
    %rows = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #blocked}>>
    %r2 = tile.expand_dims %rows {axis = 1 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #blocked}>> -> tensor<64x1xi32, #blocked>
    %rb = tile.broadcast %r2 : tensor<64x1xi32, #blocked> -> tensor<64x64xi32, #blocked>
    %os = tile.splat %o : tensor<64x64x!tile.ptr<f32>, #blocked>
    %ptrs = tile.addptr %os, %rb : tensor<64x64x!tile.ptr<f32>, #blocked>, tensor<64x64xi32, #blocked>
    scf.for %i = %c0 to %n step %c1 : i32 {
      %d = tile.dot %a, %b, %zero : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
      %c = tilegpu.convert_layout %d : tensor<64x64xf32, #mma> -> tensor<64x64xf32, #blocked>
      tile.store %ptrs, %c : tensor<64x64x!tile.ptr<f32>, #blocked>
    }
    %d = tile.dot %a, %b, %zero : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
    %c = tilegpu.convert_layout %d : tensor<64x64xf32, #mma> -> tensor<64x64xf32, #blocked>
    tile.store %ptrs, %c : tensor<64x64x!tile.ptr<f32>, #blocked>
    return
  }
}

// -----

// Attention's backward subtracts per-column statistics, loaded in the loop
// as a 1-D tile, from a dot's result: P^T = exp2(S^T - lse[None, :]). The
// load (its only use is on the way) is reloaded in the mma layout's slice
// instead of converting the broadcast 64x64 tile; one from before the loop
// (delta) has its conversion retargeted to the slice and hoisted out of the
// loop. The loop keeps no conversion.
// CHECK-LABEL: func.func @column_statistics
// CHECK: %[[DELTA:.*]] = tilegpu.convert_layout %arg3 : tensor<64xf32, #tilegpu.blocked<{{.*}}>> -> tensor<64xf32, #tilegpu.slice<{dim = 0, parent = #tilegpu.mma
// CHECK: scf.for
// CHECK-NOT: tilegpu.convert_layout
// CHECK: %[[LSE:.*]] = tile.load %{{.*}} : tensor<64x!tile.ptr<f32>, #tilegpu.slice<{dim = 0, parent = #tilegpu.mma
// CHECK-NOT: tilegpu.convert_layout
// CHECK: tile.expand_dims %[[LSE]]
// CHECK-NOT: tilegpu.convert_layout
// CHECK: tile.expand_dims %[[DELTA]]
// CHECK-NOT: tilegpu.convert_layout
// CHECK: scf.yield
#blocked = #tilegpu.blocked<{sizePerThread = [1, 8], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>
#blocked1 = #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @column_statistics(%k: tensor<64x64xf16, #blocked>, %q: tensor<64x64xf16, #blocked>, %v: tensor<64x64xf16, #blocked>, %delta: tensor<64xf32, #blocked1>, %lse: !tile.ptr<f32>, %n: i32) -> tensor<64x64xf32, #mma> {
    %c0 = arith.constant 0 : i32
    %c64 = arith.constant 64 : i32
    %zero = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #mma>
    %cols = tile.make_range 0 to 64 : tensor<64xi32, #blocked1>
    %r = scf.for %i = %c0 to %n step %c64 iter_args(%acc = %zero) -> (tensor<64x64xf32, #mma>) : i32 {
      %d = tile.dot %k, %q, %zero : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
      %s = tilegpu.convert_layout %d : tensor<64x64xf32, #mma> -> tensor<64x64xf32, #blocked>
      %is = tile.splat %i : tensor<64xi32, #blocked1>
      %offs = arith.addi %is, %cols : tensor<64xi32, #blocked1>
      %ls = tile.splat %lse : tensor<64x!tile.ptr<f32>, #blocked1>
      %lp = tile.addptr %ls, %offs : tensor<64x!tile.ptr<f32>, #blocked1>, tensor<64xi32, #blocked1>
      %l = tile.load %lp : tensor<64x!tile.ptr<f32>, #blocked1>
      %lc = tilegpu.convert_layout %l : tensor<64xf32, #blocked1> -> tensor<64xf32, #tilegpu.slice<{dim = 0, parent = #blocked}>>
      %le = tile.expand_dims %lc {axis = 0 : i32} : tensor<64xf32, #tilegpu.slice<{dim = 0, parent = #blocked}>> -> tensor<1x64xf32, #blocked>
      %lb = tile.broadcast %le : tensor<1x64xf32, #blocked> -> tensor<64x64xf32, #blocked>
      %t = arith.subf %s, %lb : tensor<64x64xf32, #blocked>
      %p = math.exp2 %t : tensor<64x64xf32, #blocked>
      %dc = tilegpu.convert_layout %delta : tensor<64xf32, #blocked1> -> tensor<64xf32, #tilegpu.slice<{dim = 0, parent = #blocked}>>
      %de = tile.expand_dims %dc {axis = 0 : i32} : tensor<64xf32, #tilegpu.slice<{dim = 0, parent = #blocked}>> -> tensor<1x64xf32, #blocked>
      %db = tile.broadcast %de : tensor<1x64xf32, #blocked> -> tensor<64x64xf32, #blocked>
      %ds = arith.mulf %p, %db : tensor<64x64xf32, #blocked>
      %ph = arith.truncf %ds : tensor<64x64xf32, #blocked> to tensor<64x64xf16, #blocked>
      %acc2 = tile.dot %ph, %v, %acc : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
      scf.yield %acc2 : tensor<64x64xf32, #mma>
    }
    return %r : tensor<64x64xf32, #mma>
  }
}

// -----

// A loop over tiles (a persistent matmul) whose body holds a K loop and the
// epilogue keeps the epilogue's conversion: the K loop's ring is retired
// before it. Not under warp_specialize, whose producer fills the next
// tile's stages meanwhile.
// CHECK-LABEL: func.func @persistent_epilogue
// CHECK: scf.for
// CHECK: scf.for
// CHECK: tile.dot
// CHECK: tilegpu.convert_layout {{.*}} -> tensor<64x64xf32, #tilegpu.blocked
// CHECK-NEXT: tile.store {{.*}} : tensor<64x64x!tile.ptr<f32>, #tilegpu.blocked
// CHECK: scf.for
// CHECK: scf.for
// CHECK: tile.dot
// CHECK-NOT: tilegpu.convert_layout
// CHECK: tile.store {{.*}} : tensor<64x64x!tile.ptr<f32>, #tilegpu.mma
// CHECK: tile.warp_specialize
#blocked = #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>
#mma = #tilegpu.mma<{version = 3, warpsPerCTA = [4, 1]}>
module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32} {
  func.func @persistent_epilogue(%a: tensor<64x64xf16, #blocked>, %b: tensor<64x64xf16, #blocked>, %o: !tile.ptr<f32>, %n: i32) {
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    %zero = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #mma>
    %rows = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #blocked}>>
    %r2 = tile.expand_dims %rows {axis = 1 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #blocked}>> -> tensor<64x1xi32, #blocked>
    %rb = tile.broadcast %r2 : tensor<64x1xi32, #blocked> -> tensor<64x64xi32, #blocked>
    %os = tile.splat %o : tensor<64x64x!tile.ptr<f32>, #blocked>
    %ptrs = tile.addptr %os, %rb : tensor<64x64x!tile.ptr<f32>, #blocked>, tensor<64x64xi32, #blocked>
    scf.for %t = %c0 to %n step %c1 : i32 {
      %acc = scf.for %k = %c0 to %n step %c1 iter_args(%x = %zero) -> (tensor<64x64xf32, #mma>) : i32 {
        %d = tile.dot %a, %b, %x : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
        scf.yield %d : tensor<64x64xf32, #mma>
      }
      %c = tilegpu.convert_layout %acc : tensor<64x64xf32, #mma> -> tensor<64x64xf32, #blocked>
      tile.store %ptrs, %c : tensor<64x64x!tile.ptr<f32>, #blocked>
    }
    scf.for %t = %c0 to %n step %c1 : i32 {
      %acc = scf.for %k = %c0 to %n step %c1 iter_args(%x = %zero) -> (tensor<64x64xf32, #mma>) : i32 {
        %d = tile.dot %a, %b, %x : tensor<64x64xf16, #blocked>, tensor<64x64xf16, #blocked> -> tensor<64x64xf32, #mma>
        scf.yield %d : tensor<64x64xf32, #mma>
      }
      %c = tilegpu.convert_layout %acc : tensor<64x64xf32, #mma> -> tensor<64x64xf32, #blocked>
      tile.store %ptrs, %c : tensor<64x64x!tile.ptr<f32>, #blocked>
    } {tile.warp_specialize}
    return
  }
}

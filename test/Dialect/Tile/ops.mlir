// RUN: tessel-opt %s | tessel-opt | FileCheck %s
// RUN: tessel-opt %s --mlir-print-op-generic | tessel-opt | FileCheck %s

// Every Tile op survives a print/parse round trip (custom and generic form).

// CHECK-LABEL: func.func @grid
// CHECK-SAME: attributes {tile.kernel}
func.func @grid() -> (i32, i32, i32, i32, i32, i32) attributes {tile.kernel} {
  // CHECK: tile.program_id x : i32
  // CHECK: tile.program_id y : i32
  // CHECK: tile.program_id z : i32
  // CHECK: tile.num_programs x : i32
  // CHECK: tile.num_programs y : i32
  // CHECK: tile.num_programs z : i32
  %0 = tile.program_id x : i32
  %1 = tile.program_id y : i32
  %2 = tile.program_id z : i32
  %3 = tile.num_programs x : i32
  %4 = tile.num_programs y : i32
  %5 = tile.num_programs z : i32
  return %0, %1, %2, %3, %4, %5 : i32, i32, i32, i32, i32, i32
}

// CHECK-LABEL: func.func @ranges
func.func @ranges() -> (tensor<1024xi32>, tensor<16xi32>, tensor<1xi32>) {
  // CHECK: tile.make_range 0 to 1024 : tensor<1024xi32>
  // CHECK: tile.make_range 16 to 32 : tensor<16xi32>
  // CHECK: tile.make_range -4 to -3 : tensor<1xi32>
  %0 = tile.make_range 0 to 1024 : tensor<1024xi32>
  %1 = tile.make_range 16 to 32 : tensor<16xi32>
  %2 = tile.make_range -4 to -3 : tensor<1xi32>
  return %0, %1, %2 : tensor<1024xi32>, tensor<16xi32>, tensor<1xi32>
}

// CHECK-LABEL: func.func @splats
// CHECK-SAME: (%[[F:.*]]: f32, %[[I:.*]]: i64, %[[P:.*]]: !tile.ptr<f16>)
func.func @splats(%f: f32, %i: i64, %p: !tile.ptr<f16>)
    -> (tensor<128xf32>, tensor<4x8xi64>, tensor<64x!tile.ptr<f16>>) {
  // CHECK: tile.splat %[[F]] : tensor<128xf32>
  // CHECK: tile.splat %[[I]] : tensor<4x8xi64>
  // CHECK: tile.splat %[[P]] : tensor<64x!tile.ptr<f16>>
  %0 = tile.splat %f : tensor<128xf32>
  %1 = tile.splat %i : tensor<4x8xi64>
  %2 = tile.splat %p : tensor<64x!tile.ptr<f16>>
  return %0, %1, %2 : tensor<128xf32>, tensor<4x8xi64>, tensor<64x!tile.ptr<f16>>
}

// CHECK-LABEL: func.func @shapes
// CHECK-SAME: (%[[R:.*]]: tensor<32xi32>, %[[Q:.*]]: tensor<1x16x!tile.ptr<bf16>>)
func.func @shapes(%r: tensor<32xi32>, %q: tensor<1x16x!tile.ptr<bf16>>)
    -> (tensor<32x16xi32>, tensor<16x32xi32>, tensor<8x16x!tile.ptr<bf16>>) {
  // CHECK: %[[ROW:.*]] = tile.expand_dims %[[R]] {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  // CHECK: %[[COL:.*]] = tile.expand_dims %[[R]] {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  // CHECK: tile.broadcast %[[COL]] : tensor<32x1xi32> -> tensor<32x16xi32>
  // CHECK: tile.broadcast %[[ROW]] : tensor<1x32xi32> -> tensor<16x32xi32>
  // CHECK: tile.broadcast %[[Q]] : tensor<1x16x!tile.ptr<bf16>> -> tensor<8x16x!tile.ptr<bf16>>
  %row = tile.expand_dims %r {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %col = tile.expand_dims %r {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %a = tile.broadcast %col : tensor<32x1xi32> -> tensor<32x16xi32>
  %b = tile.broadcast %row : tensor<1x32xi32> -> tensor<16x32xi32>
  %c = tile.broadcast %q : tensor<1x16x!tile.ptr<bf16>> -> tensor<8x16x!tile.ptr<bf16>>
  return %a, %b, %c : tensor<32x16xi32>, tensor<16x32xi32>, tensor<8x16x!tile.ptr<bf16>>
}

// CHECK-LABEL: func.func @pointers
// CHECK-SAME: (%[[P:.*]]: !tile.ptr<f32>, %[[O32:.*]]: i32, %[[O64:.*]]: i64, %[[T:.*]]: tensor<256x!tile.ptr<f32>>, %[[OT32:.*]]: tensor<256xi32>, %[[OT64:.*]]: tensor<256xi64>)
func.func @pointers(%p: !tile.ptr<f32>, %o32: i32, %o64: i64,
                    %t: tensor<256x!tile.ptr<f32>>, %ot32: tensor<256xi32>,
                    %ot64: tensor<256xi64>)
    -> (!tile.ptr<f32>, !tile.ptr<f32>, tensor<256x!tile.ptr<f32>>, tensor<256x!tile.ptr<f32>>) {
  // CHECK: tile.addptr %[[P]], %[[O32]] : !tile.ptr<f32>, i32
  // CHECK: tile.addptr %[[P]], %[[O64]] : !tile.ptr<f32>, i64
  // CHECK: tile.addptr %[[T]], %[[OT32]] : tensor<256x!tile.ptr<f32>>, tensor<256xi32>
  // CHECK: tile.addptr %[[T]], %[[OT64]] : tensor<256x!tile.ptr<f32>>, tensor<256xi64>
  %0 = tile.addptr %p, %o32 : !tile.ptr<f32>, i32
  %1 = tile.addptr %p, %o64 : !tile.ptr<f32>, i64
  %2 = tile.addptr %t, %ot32 : tensor<256x!tile.ptr<f32>>, tensor<256xi32>
  %3 = tile.addptr %t, %ot64 : tensor<256x!tile.ptr<f32>>, tensor<256xi64>
  return %0, %1, %2, %3 : !tile.ptr<f32>, !tile.ptr<f32>, tensor<256x!tile.ptr<f32>>, tensor<256x!tile.ptr<f32>>
}

// CHECK-LABEL: func.func @memory
// CHECK-SAME: (%[[T:.*]]: tensor<256x!tile.ptr<f32>>, %[[M:.*]]: tensor<256xi1>, %[[O:.*]]: tensor<256xf32>, %[[P:.*]]: !tile.ptr<i8>, %[[C:.*]]: i1, %[[Q:.*]]: tensor<2x4x!tile.ptr<i1>>)
func.func @memory(%t: tensor<256x!tile.ptr<f32>>, %m: tensor<256xi1>,
                  %o: tensor<256xf32>, %p: !tile.ptr<i8>, %c: i1,
                  %q: tensor<2x4x!tile.ptr<i1>>) {
  // CHECK: %[[A:.*]] = tile.load %[[T]] : tensor<256x!tile.ptr<f32>>
  // CHECK: %[[B:.*]] = tile.load %[[T]], %[[M]] : tensor<256x!tile.ptr<f32>>
  // CHECK: %[[D:.*]] = tile.load %[[T]], %[[M]], %[[O]] : tensor<256x!tile.ptr<f32>>
  // CHECK: %[[S:.*]] = tile.load %[[P]] : !tile.ptr<i8>
  // CHECK: %[[SM:.*]] = tile.load %[[P]], %[[C]] : !tile.ptr<i8>
  // CHECK: %[[BOOL:.*]] = tile.load %[[Q]] : tensor<2x4x!tile.ptr<i1>>
  %a = tile.load %t : tensor<256x!tile.ptr<f32>>
  %b = tile.load %t, %m : tensor<256x!tile.ptr<f32>>
  %d = tile.load %t, %m, %o : tensor<256x!tile.ptr<f32>>
  %s = tile.load %p : !tile.ptr<i8>
  %sm = tile.load %p, %c : !tile.ptr<i8>
  %bool = tile.load %q : tensor<2x4x!tile.ptr<i1>>
  // CHECK: tile.store %[[T]], %[[A]] : tensor<256x!tile.ptr<f32>>
  // CHECK: tile.store %[[T]], %[[B]], %[[M]] : tensor<256x!tile.ptr<f32>>
  // CHECK: tile.store %[[P]], %[[S]] : !tile.ptr<i8>
  // CHECK: tile.store %[[P]], %[[SM]], %[[C]] : !tile.ptr<i8>
  // CHECK: tile.store %[[Q]], %[[BOOL]] : tensor<2x4x!tile.ptr<i1>>
  tile.store %t, %a : tensor<256x!tile.ptr<f32>>
  tile.store %t, %b, %m : tensor<256x!tile.ptr<f32>>
  tile.store %p, %s : !tile.ptr<i8>
  tile.store %p, %sm, %c : !tile.ptr<i8>
  tile.store %q, %bool : tensor<2x4x!tile.ptr<i1>>
  return
}

// Kernel and argument attributes are kept.
// CHECK-LABEL: func.func @kernel
// CHECK-SAME: %{{.*}}: !tile.ptr<f32> {tile.divisibility = 16 : i32}
// CHECK-SAME: %{{.*}}: i32 {tile.divisibility = 8 : i32}
// CHECK-SAME: %{{.*}}: i32)
// CHECK-SAME: attributes {tile.kernel}
func.func @kernel(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                  %n: i32 {tile.divisibility = 8 : i32}, %k: i32)
    attributes {tile.kernel} {
  return
}

// Pointers to pointers and the other element types are accepted.
// CHECK-LABEL: func.func @types
// CHECK-SAME: !tile.ptr<!tile.ptr<f64>>
// CHECK-SAME: !tile.ptr<bf16>
func.func @types(%pp: !tile.ptr<!tile.ptr<f64>>, %b: !tile.ptr<bf16>) -> !tile.ptr<f64> {
  %0 = tile.load %pp : !tile.ptr<!tile.ptr<f64>>
  return %0 : !tile.ptr<f64>
}

// CHECK-LABEL: func.func @barrier
// CHECK: tile.barrier
func.func @barrier() {
  tile.barrier
  return
}

// A host descriptor's block: its pointers and bounds, and its tensor map
// with the block's coordinates (outermost first).
// CHECK-LABEL: func.func @tensormap_load
// CHECK-SAME: %[[MAP:[a-z0-9]+]]: !tile.tensormap
func.func @tensormap_load(%t: tensor<64x32x!tile.ptr<f16>>, %m: tensor<64x32xi1>,
                          %o: tensor<64x32xf16>, %map: !tile.tensormap,
                          %row: i32, %col: i32) -> tensor<64x32xf16> {
  // CHECK: tile.load %{{.*}}, %{{.*}}, %{{.*}} tensormap %[[MAP]][%{{.*}}, %{{.*}}] {cache = 2 : i32} : tensor<64x32x!tile.ptr<f16>>
  %a = tile.load %t, %m, %o tensormap %map[%row, %col] {cache = 2 : i32} : tensor<64x32x!tile.ptr<f16>>
  return %a : tensor<64x32xf16>
}

// RUN: tessel-opt %s -split-input-file -verify-diagnostics

func.func @make_range_not_power_of_two() {
  // expected-error @+1 {{'tile.make_range' op tile shapes must be static powers of two, got 'tensor<12xi32>'}}
  %0 = tile.make_range 0 to 12 : tensor<12xi32>
  return
}

// -----

func.func @make_range_offset_not_power_of_two() {
  // expected-error @+1 {{range size must be a power of two, got 3}}
  %0 = tile.make_range 5 to 8 : tensor<4xi32>
  return
}

// -----

func.func @make_range_empty() {
  // expected-error @+1 {{'tile.make_range' op end must be greater than start}}
  %0 = tile.make_range 16 to 16 : tensor<1xi32>
  return
}

// -----

func.func @make_range_reversed() {
  // expected-error @+1 {{end must be greater than start}}
  %0 = tile.make_range 32 to 0 : tensor<32xi32>
  return
}

// -----

func.func @make_range_wrong_size() {
  // expected-error @+1 {{'tile.make_range' op result must be tensor<16xi32>}}
  %0 = tile.make_range 0 to 16 : tensor<32xi32>
  return
}

// -----

func.func @make_range_wrong_rank() {
  // expected-error @+1 {{result must be tensor<16xi32>}}
  %0 = tile.make_range 0 to 16 : tensor<4x4xi32>
  return
}

// -----

func.func @make_range_wrong_element() {
  // expected-error @+1 {{'tile.make_range' op result #0 must be ranked tensor of 32-bit signless integer values}}
  %0 = tile.make_range 0 to 16 : tensor<16xi64>
  return
}

// -----

func.func @broadcast_bad_dim(%a: tensor<2x8xf32>) {
  // expected-error @+1 {{'tile.broadcast' op source dimension 2 cannot be broadcast to 4}}
  %0 = tile.broadcast %a : tensor<2x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @broadcast_shrink(%a: tensor<1x8xf32>) {
  // expected-error @+1 {{source dimension 8 cannot be broadcast to 4}}
  %0 = tile.broadcast %a : tensor<1x8xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @broadcast_rank(%a: tensor<8xf32>) {
  // expected-error @+1 {{'tile.broadcast' op source and result must have the same rank}}
  %0 = tile.broadcast %a : tensor<8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @broadcast_not_power_of_two(%a: tensor<1x8xf32>) {
  // expected-error @+1 {{'tile.broadcast' op tile shapes must be static powers of two, got 'tensor<6x8xf32>'}}
  %0 = tile.broadcast %a : tensor<1x8xf32> -> tensor<6x8xf32>
  return
}

// -----

func.func @broadcast_dynamic(%a: tensor<1x8xf32>) {
  // expected-error @+1 {{tile shapes must be static powers of two, got 'tensor<?x8xf32>'}}
  %0 = tile.broadcast %a : tensor<1x8xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @broadcast_element_type(%a: tensor<1x8xf32>) {
  // expected-error @+1 {{'tile.broadcast' op requires the same element type for all operands and results}}
  %0 = tile.broadcast %a : tensor<1x8xf32> -> tensor<4x8xf16>
  return
}

// -----

func.func @expand_dims_axis_too_large(%a: tensor<8xf32>) {
  // expected-error @+1 {{'tile.expand_dims' op axis 2 is out of range for rank 1}}
  %0 = tile.expand_dims %a {axis = 2 : i32} : tensor<8xf32> -> tensor<8x1xf32>
  return
}

// -----

func.func @expand_dims_wrong_place(%a: tensor<8xf32>) {
  // expected-error @+1 {{'tile.expand_dims' op result shape must be the source shape with a 1 at axis 0}}
  %0 = tile.expand_dims %a {axis = 0 : i32} : tensor<8xf32> -> tensor<8x1xf32>
  return
}

// -----

func.func @expand_dims_wrong_shape(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{result shape must be the source shape with a 1 at axis 1}}
  %0 = tile.expand_dims %a {axis = 1 : i32} : tensor<4x8xf32> -> tensor<4x1x4xf32>
  return
}

// -----

func.func @expand_dims_same_rank(%a: tensor<8xf32>) {
  // expected-error @+1 {{result shape must be the source shape with a 1 at axis 0}}
  %0 = tile.expand_dims %a {axis = 0 : i32} : tensor<8xf32> -> tensor<8xf32>
  return
}

// -----

func.func @addptr_shape_mismatch(%p: tensor<16x!tile.ptr<f32>>, %o: tensor<32xi32>) {
  // expected-error @+1 {{'tile.addptr' op offset shape must match the pointer shape}}
  %0 = tile.addptr %p, %o : tensor<16x!tile.ptr<f32>>, tensor<32xi32>
  return
}

// -----

func.func @addptr_rank_mismatch(%p: tensor<4x4x!tile.ptr<f32>>, %o: tensor<16xi32>) {
  // expected-error @+1 {{offset shape must match the pointer shape}}
  %0 = tile.addptr %p, %o : tensor<4x4x!tile.ptr<f32>>, tensor<16xi32>
  return
}

// -----

func.func @addptr_scalar_ptr_tensor_offset(%p: !tile.ptr<f32>, %o: tensor<16xi32>) {
  // expected-error @+1 {{'tile.addptr' op pointer and offset must both be scalars or both be tensors}}
  %0 = tile.addptr %p, %o : !tile.ptr<f32>, tensor<16xi32>
  return
}

// -----

func.func @addptr_tensor_ptr_scalar_offset(%p: tensor<16x!tile.ptr<f32>>, %o: i32) {
  // expected-error @+1 {{pointer and offset must both be scalars or both be tensors}}
  %0 = tile.addptr %p, %o : tensor<16x!tile.ptr<f32>>, i32
  return
}

// -----

func.func @addptr_not_power_of_two(%p: tensor<24x!tile.ptr<f32>>, %o: tensor<24xi32>) {
  // expected-error @+1 {{'tile.addptr' op tile shapes must be static powers of two, got 'tensor<24x!tile.ptr<f32>>'}}
  %0 = tile.addptr %p, %o : tensor<24x!tile.ptr<f32>>, tensor<24xi32>
  return
}

// -----

func.func @addptr_float_offset(%p: !tile.ptr<f32>, %o: f32) {
  // expected-error @+1 {{'tile.addptr' op operand #1 must be}}
  %0 = tile.addptr %p, %o : !tile.ptr<f32>, f32
  return
}

// -----

func.func @load_mask_shape(%p: tensor<16x!tile.ptr<f32>>, %m: tensor<32xi1>) {
  // expected-error @+1 {{'tile.load' op failed to verify that mask has the shape of ptr}}
  %0 = "tile.load"(%p, %m) {operandSegmentSizes = array<i32: 1, 1, 0, 0, 0>} : (tensor<16x!tile.ptr<f32>>, tensor<32xi1>) -> tensor<16xf32>
  return
}

// -----

func.func @load_scalar_mask_on_tensor(%p: tensor<16x!tile.ptr<f32>>, %m: i1) {
  // expected-error @+1 {{'tile.load' op failed to verify that mask has the shape of ptr}}
  %0 = "tile.load"(%p, %m) {operandSegmentSizes = array<i32: 1, 1, 0, 0, 0>} : (tensor<16x!tile.ptr<f32>>, i1) -> tensor<16xf32>
  return
}

// -----

func.func @load_mask_not_bool(%p: tensor<16x!tile.ptr<f32>>, %m: tensor<16xi8>) {
  // expected-error @+1 {{'tile.load' op operand #1 must be}}
  %0 = "tile.load"(%p, %m) {operandSegmentSizes = array<i32: 1, 1, 0, 0, 0>} : (tensor<16x!tile.ptr<f32>>, tensor<16xi8>) -> tensor<16xf32>
  return
}

// -----

func.func @load_other_type(%p: tensor<16x!tile.ptr<f32>>, %m: tensor<16xi1>, %o: tensor<16xf16>) {
  // expected-error @+1 {{'tile.load' op failed to verify that other has the type of the result}}
  %0 = "tile.load"(%p, %m, %o) {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>} : (tensor<16x!tile.ptr<f32>>, tensor<16xi1>, tensor<16xf16>) -> tensor<16xf32>
  return
}

// -----

func.func @load_tensormap_coords(%p: tensor<16x32x!tile.ptr<f16>>, %t: !tile.tensormap, %c: i32) {
  // expected-error @+1 {{'tile.load' op a tensor map load takes one coordinate per dimension of its block}}
  %0 = tile.load %p tensormap %t[%c] : tensor<16x32x!tile.ptr<f16>>
  return
}

// -----

func.func @load_coords_without_tensormap(%p: tensor<16x!tile.ptr<f32>>, %c: i32) {
  // expected-error @+1 {{'tile.load' op coordinates without a tensor map}}
  %0 = "tile.load"(%p, %c) {operandSegmentSizes = array<i32: 1, 0, 0, 0, 1>} : (tensor<16x!tile.ptr<f32>>, i32) -> tensor<16xf32>
  return
}

// -----

func.func @load_result_type(%p: tensor<16x!tile.ptr<f32>>) {
  // expected-error @+1 {{'tile.load' op failed to verify that result is the pointee of ptr}}
  %0 = "tile.load"(%p) {operandSegmentSizes = array<i32: 1, 0, 0, 0, 0>} : (tensor<16x!tile.ptr<f32>>) -> tensor<16xf16>
  return
}

// -----

func.func @store_value_type(%p: tensor<16x!tile.ptr<f32>>, %v: tensor<16xf16>) {
  // expected-error @+1 {{'tile.store' op failed to verify that value is the pointee of ptr}}
  "tile.store"(%p, %v) : (tensor<16x!tile.ptr<f32>>, tensor<16xf16>) -> ()
  return
}

// -----

func.func @store_value_shape(%p: tensor<16x!tile.ptr<f32>>, %v: tensor<32xf32>) {
  // expected-error @+1 {{'tile.store' op failed to verify that value is the pointee of ptr}}
  "tile.store"(%p, %v) : (tensor<16x!tile.ptr<f32>>, tensor<32xf32>) -> ()
  return
}

// -----

func.func @store_mask_shape(%p: tensor<16x!tile.ptr<f32>>, %v: tensor<16xf32>, %m: tensor<8xi1>) {
  // expected-error @+1 {{'tile.store' op failed to verify that mask has the shape of ptr}}
  "tile.store"(%p, %v, %m) : (tensor<16x!tile.ptr<f32>>, tensor<16xf32>, tensor<8xi1>) -> ()
  return
}

// -----

func.func @splat_element_type(%f: f32) {
  // expected-error @+1 {{'tile.splat' op failed to verify that result element type matches the scalar}}
  %0 = "tile.splat"(%f) : (f32) -> tensor<16xf16>
  return
}

// -----

func.func @splat_of_tensor(%t: tensor<16xf32>) {
  // expected-error @+1 {{'tile.splat' op operand #0 must be}}
  %0 = "tile.splat"(%t) : (tensor<16xf32>) -> tensor<16xf32>
  return
}

// -----

func.func @program_id_bad_axis() {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'axis' [x, y, z]}}
  %0 = tile.program_id w : i32
  return
}

// -----

func.func @program_id_type() {
  // expected-error @+1 {{'tile.program_id' op result #0 must be 32-bit signless integer}}
  %0 = tile.program_id x : i64
  return
}

// -----

func.func @load_with_store_cache(%p: !tile.ptr<f32>) -> f32 {
  // expected-error @+1 {{'tile.load' op cache modifier wt applies to stores, not loads (ca, cg, cs, cv)}}
  %v = tile.load %p {cache = 6 : i32} : !tile.ptr<f32>
  return %v : f32
}

// -----

func.func @store_with_load_cache(%p: !tile.ptr<f32>, %v: f32) {
  // expected-error @+1 {{'tile.store' op cache modifier ca applies to loads, not stores (wb, cg, cs, wt)}}
  tile.store %p, %v {cache = 1 : i32} : !tile.ptr<f32>
  return
}

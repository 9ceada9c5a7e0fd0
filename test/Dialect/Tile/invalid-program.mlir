// RUN: tessel-opt %s -split-input-file -verify-diagnostics

// Rules over whole programs, from fuzzer reproducers: pointee types, tile
// ops at module scope, the tile size limit, inline-assembly operands.

// expected-error @+1 {{pointers point to integers, f16, bf16, f32, f64 or pointers, not 'none'}}
func.func @pointer_to_none(%x: !tile.ptr<none>) attributes {tile.kernel} {
  return
}

// -----

// expected-error @+1 {{pointers point to integers, f16, bf16, f32, f64 or pointers, not 'tensor<4xf32>'}}
func.func @pointer_to_tensor(%x: !tile.ptr<tensor<4xf32>>) attributes {tile.kernel} {
  return
}

// -----

// expected-error @+1 {{'tile.barrier' op must be inside a function}}
tile.barrier

// -----

// expected-error @+1 {{'tile.program_id' op must be inside a function}}
%0 = tile.program_id x : i32

// -----

func.func @splat_too_big(%c: i1) attributes {tile.kernel} {
  // expected-error @+1 {{'tile.splat' op numel (16777216) of 'tensor<16777216x1xi1>' exceeds the maximum tensor numel (1048576)}}
  %t = tile.splat %c : tensor<16777216x1xi1>
  return
}

// -----

// A dimension past 2^31 does not overflow the count.
func.func @splat_huge_dim(%c: i32) attributes {tile.kernel} {
  // expected-error @+1 {{numel (8589934592) of 'tensor<4x2147483648xi32>' exceeds}}
  %t = tile.splat %c : tensor<4x2147483648xi32>
  return
}

// -----

// Upstream ops are held to the same limit inside kernels and noinline
// functions.
func.func @constant_too_big() attributes {tile.noinline} {
  // expected-error @+1 {{'arith.constant' op numel (2097152) of 'tensor<2048x1024xf32>' exceeds the maximum tensor numel (1048576)}}
  %c = arith.constant dense<0.0> : tensor<2048x1024xf32>
  return
}

// -----

func.func @loop_carried_too_big(%n: index) attributes {tile.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = tile.make_range 0 to 1024 : tensor<1024xi32>
  %init = tile.broadcast %z : tensor<1024xi32> -> tensor<1024xi32>
  scf.for %i = %c0 to %n step %c1 {
    // expected-error @+1 {{'tile.broadcast' op numel (2097152)}}
    %b = tile.broadcast %init : tensor<1024xi32> -> tensor<2048x1024xi32>
  }
  return
}

// -----

func.func @asm_operand_out_of_range(%a: i32) -> i32 {
  // expected-error @+1 {{'tile.inline_asm' op the assembly refers to $5, but an instance has only 2 operands ($0 to $1)}}
  %r = tile.inline_asm "mov.b32 $0, $5;", "=r,r"(%a) {pack = 1 : i32} : (i32) -> i32
  return %r : i32
}

// -----

func.func @asm_dollar_without_number(%a: i32) -> i32 {
  // expected-error @+1 {{'$' at offset 8 of the assembly is not followed by an operand number}}
  %r = tile.inline_asm "mov.b32 $x, $1;", "=r,r"(%a) {pack = 1 : i32} : (i32) -> i32
  return %r : i32
}

// -----

// Four i8 elements travel in one 32-bit register: one output, one input.
func.func @asm_constraint_count(%a: tensor<128xi8>) -> tensor<128xi8> {
  // expected-error @+1 {{constraints name 3 operands, but each instance has 2 (outputs then inputs}}
  %r = tile.inline_asm "mov.b32 $0, $1;", "=r,r,r"(%a) {pack = 4 : i32} : (tensor<128xi8>) -> tensor<128xi8>
  return %r : tensor<128xi8>
}

// -----

func.func @asm_unknown_constraint(%a: tensor<128xi8>) -> tensor<128xi8> {
  // expected-error @+1 {{constraint '=oge' is not an NVPTX register class}}
  %r = tile.inline_asm "xor.b32 $0, $1, 0x0F0F0F0F;", "=oge,r"(%a) {pack = 4 : i32, pure} : (tensor<128xi8>) -> tensor<128xi8>
  return %r : tensor<128xi8>
}

// -----

// Inline assembly takes addresses, but does not make them.
func.func @asm_pointer_result(%a: !tile.ptr<i32>) -> !tile.ptr<i32> {
  // expected-error @+1 {{'tile.inline_asm' op cannot return pointers}}
  %r = tile.inline_asm "mov.b64 $0, $1;", "=l,l"(%a) {pack = 1 : i32} : (!tile.ptr<i32>) -> !tile.ptr<i32>
  return %r : !tile.ptr<i32>
}

// -----

// Library calls take values only.
func.func @extern_pointer_argument(%a: !tile.ptr<f32>) -> f32 {
  // expected-error @+1 {{'tile.extern_elementwise' op cannot pass pointers}}
  %r = tile.extern_elementwise "__nv_sinf"(%a) {pure} : (!tile.ptr<f32>) -> f32
  return %r : f32
}

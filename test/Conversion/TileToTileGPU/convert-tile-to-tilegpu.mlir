// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=nvidia:sm_90a" \
// RUN:   | FileCheck %s --check-prefixes=CHECK,NV
// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=nvidia:sm_80 num-warps=8" \
// RUN:   | FileCheck %s --check-prefix=W8
// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=amd:gfx942" \
// RUN:   | FileCheck %s --check-prefixes=CHECK,AMD
// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=cpu" \
// RUN:   | FileCheck %s --check-prefix=CPU
// The CPU target ignores num-warps: one "thread" holds the whole tile.
// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=cpu num-warps=8" \
// RUN:   | FileCheck %s --check-prefix=CPU

// Errors.
// RUN: not tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=tpu:v5" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ERR-TARGET
// RUN: not tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=nvidia:90" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ERR-ARCH
// RUN: not tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=3" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ERR-WARPS3
// RUN: not tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=amd:gfx942 num-warps=64" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ERR-WARPS64
// RUN: not tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=0" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ERR-WARPS0

// ERR-TARGET: error: unknown target 'tpu:v5'
// ERR-ARCH: error: unknown target 'nvidia:90'
// ERR-WARPS3: error: num_warps must be a power of two in [1, 32] for nvidia:sm_90a, got 3
// ERR-WARPS64: error: num_warps must be a power of two in [1, 16] for amd:gfx942, got 64
// ERR-WARPS0: error: num_warps must be a power of two in [1, 32] for nvidia:sm_90a, got 0

// 1-D f32: 16-byte accesses are 4 elements per thread; 4 warps of 32 (NVIDIA)
// or 64 (AMD) lanes. Every tensor gets the same layout.

// NV: module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32}
// AMD: module attributes {tilegpu.num_warps = 4 : i32, tilegpu.target = "amd:gfx942", tilegpu.threads_per_warp = 64 : i32}
// W8: module attributes {tilegpu.num_warps = 8 : i32, tilegpu.target = "nvidia:sm_80", tilegpu.threads_per_warp = 32 : i32}
// CPU: module attributes {tilegpu.num_warps = 1 : i32, tilegpu.target = "cpu", tilegpu.threads_per_warp = 1 : i32}
// CHECK-LABEL: func.func @f32_1d
// NV: tile.make_range 0 to 1024 : tensor<1024xi32, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
// NV: tile.splat %{{.*}} : tensor<1024xi32, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
// NV: arith.cmpi slt, {{.*}} : tensor<1024xi32, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
// NV: tile.load %{{.*}}, %{{.*}} : tensor<1024x!tile.ptr<f32>, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
// NV: math.exp %{{.*}} : tensor<1024xf32, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
// NV: tile.store {{.*}} : tensor<1024x!tile.ptr<f32>, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
// AMD: tile.make_range 0 to 1024 : tensor<1024xi32, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [64], warpsPerCTA = [4], order = [0]}>>
// AMD: tile.load %{{.*}}, %{{.*}} : tensor<1024x!tile.ptr<f32>, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [64], warpsPerCTA = [4], order = [0]}>>
// W8-LABEL: func.func @f32_1d
// W8: tile.make_range 0 to 1024 : tensor<1024xi32, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [8], order = [0]}>>
// CPU-LABEL: func.func @f32_1d
// CPU: tile.make_range 0 to 1024 : tensor<1024xi32, #tilegpu.blocked<{sizePerThread = [1], threadsPerWarp = [1], warpsPerCTA = [1], order = [0]}>>
// CPU: tile.load %{{.*}}, %{{.*}} : tensor<1024x!tile.ptr<f32>, #tilegpu.blocked<{sizePerThread = [1], threadsPerWarp = [1], warpsPerCTA = [1], order = [0]}>>
// CHECK-NOT: tilegpu.convert_layout
// CHECK: return
func.func @f32_1d(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                  %out: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32)
    attributes {tile.kernel} {
  %pid = tile.program_id x : i32
  %c = arith.constant 1024 : i32
  %start = arith.muli %pid, %c : i32
  %r = tile.make_range 0 to 1024 : tensor<1024xi32>
  %s = tile.splat %start : tensor<1024xi32>
  %offs = arith.addi %s, %r : tensor<1024xi32>
  %ns = tile.splat %n : tensor<1024xi32>
  %mask = arith.cmpi slt, %offs, %ns : tensor<1024xi32>
  %xp = tile.splat %x : tensor<1024x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %offs : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  %xv = tile.load %xa, %mask : tensor<1024x!tile.ptr<f32>>
  %e = math.exp %xv : tensor<1024xf32>
  %op = tile.splat %out : tensor<1024x!tile.ptr<f32>>
  %oa = tile.addptr %op, %offs : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  tile.store %oa, %e, %mask : tensor<1024x!tile.ptr<f32>>
  return
}

// -----

// 1-D f16: 8 elements make 16 bytes.
// CHECK-LABEL: func.func @f16_1d
// NV: tile.load %{{.*}} : tensor<1024x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [8], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
// AMD: tile.load %{{.*}} : tensor<1024x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [8], threadsPerWarp = [64], warpsPerCTA = [4], order = [0]}>>
// W8-LABEL: func.func @f16_1d
// W8: tile.load %{{.*}} : tensor<1024x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [8], threadsPerWarp = [32], warpsPerCTA = [8], order = [0]}>>
// CPU-LABEL: func.func @f16_1d
// CPU: tile.load %{{.*}} : tensor<1024x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [1], threadsPerWarp = [1], warpsPerCTA = [1], order = [0]}>>
func.func @f16_1d(%x: !tile.ptr<f16> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 1024 : tensor<1024xi32>
  %xp = tile.splat %x : tensor<1024x!tile.ptr<f16>>
  %xa = tile.addptr %xp, %r : tensor<1024x!tile.ptr<f16>>, tensor<1024xi32>
  %v = tile.load %xa : tensor<1024x!tile.ptr<f16>>
  tile.store %xa, %v : tensor<1024x!tile.ptr<f16>>
  return
}

// -----

// The widest element any memory op touches sets the vector width: an f16
// load and an f32 store give 4 elements per thread.
// CHECK-LABEL: func.func @f16_to_f32
// NV: tile.load %{{.*}} : tensor<512x!tile.ptr<f16>, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
// NV: arith.extf %{{.*}} : tensor<512xf16, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>> to tensor<512xf32, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
func.func @f16_to_f32(%x: !tile.ptr<f16> {tile.divisibility = 16 : i32},
                      %y: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 512 : tensor<512xi32>
  %xp = tile.splat %x : tensor<512x!tile.ptr<f16>>
  %xa = tile.addptr %xp, %r : tensor<512x!tile.ptr<f16>>, tensor<512xi32>
  %v = tile.load %xa : tensor<512x!tile.ptr<f16>>
  %w = arith.extf %v : tensor<512xf16> to tensor<512xf32>
  %yp = tile.splat %y : tensor<512x!tile.ptr<f32>>
  %ya = tile.addptr %yp, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  tile.store %ya, %w : tensor<512x!tile.ptr<f32>>
  return
}

// -----

// 2-D: the inputs of expand_dims take the slice of the 2-D layout, and the
// slice propagates back through the elementwise producers (muli, splat,
// make_range), so no layout conversion is needed.
// CHECK-LABEL: func.func @tile_2d
// NV: tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
// NV: tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
// NV: tile.splat %{{.*}} : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
// NV: arith.muli %{{.*}} : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
// NV: tile.expand_dims %{{.*}} {axis = 1 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>}>> -> tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>>
// NV: tile.broadcast %{{.*}} : tensor<64x1xi32, #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>> -> tensor<64x64xi32, #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>>
// NV: tile.expand_dims %{{.*}} {axis = 0 : i32} : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>}>> -> tensor<1x64xi32, #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>>
// NV: tile.load %{{.*}} : tensor<64x64x!tile.ptr<f32>, #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>>
// AMD: tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [4, 16], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
// AMD: tile.load %{{.*}} : tensor<64x64x!tile.ptr<f32>, #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [4, 16], warpsPerCTA = [4, 1], order = [1, 0]}>>
// W8-LABEL: func.func @tile_2d
// W8: tile.load %{{.*}} : tensor<64x64x!tile.ptr<f32>, #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [8, 1], order = [1, 0]}>>
// CPU-LABEL: func.func @tile_2d
// CPU: tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 1], threadsPerWarp = [1, 1], warpsPerCTA = [1, 1], order = [1, 0]}>}>>
// CPU: tile.load %{{.*}} : tensor<64x64x!tile.ptr<f32>, #tilegpu.blocked<{sizePerThread = [1, 1], threadsPerWarp = [1, 1], warpsPerCTA = [1, 1], order = [1, 0]}>>
// CHECK-NOT: tilegpu.convert_layout
// CHECK: return
// CPU-NOT: tilegpu.convert_layout
// W8-NOT: tilegpu.convert_layout
func.func @tile_2d(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %k: i32) attributes {tile.kernel} {
  %cols = tile.make_range 0 to 64 : tensor<64xi32>
  %rows = tile.make_range 0 to 64 : tensor<64xi32>
  %ks = tile.splat %k : tensor<64xi32>
  %rk = arith.muli %rows, %ks : tensor<64xi32>
  %row = tile.expand_dims %rk {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %rowb = tile.broadcast %row : tensor<64x1xi32> -> tensor<64x64xi32>
  %col = tile.expand_dims %cols {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %colb = tile.broadcast %col : tensor<1x64xi32> -> tensor<64x64xi32>
  %offs = arith.addi %rowb, %colb : tensor<64x64xi32>
  %xp = tile.splat %x : tensor<64x64x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %offs : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
  %v = tile.load %xa : tensor<64x64x!tile.ptr<f32>>
  tile.store %xa, %v : tensor<64x64x!tile.ptr<f32>>
  return
}

// -----

// A value used by a 1-D op and by expand_dims keeps the 1-D layout and is
// converted for the expand_dims.
// CHECK-LABEL: func.func @shared_range
// NV: %[[R:.*]] = tile.make_range 0 to 64 : tensor<64xi32, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
// NV: tile.addptr %{{.*}}, %[[R]] : tensor<64x!tile.ptr<f32>, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
// NV: %[[C:.*]] = tilegpu.convert_layout %[[R]] : tensor<64xi32, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>> -> tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
// NV: tile.expand_dims %[[C]] {axis = 0 : i32}
// NV-NOT: tilegpu.convert_layout
// AMD: tilegpu.convert_layout %{{.*}} : tensor<64xi32, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [64], warpsPerCTA = [4], order = [0]}>> -> tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [4, 16], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
// CPU-LABEL: func.func @shared_range
// W8-LABEL: func.func @shared_range
// W8: tilegpu.convert_layout
// CPU: tilegpu.convert_layout %{{.*}} : tensor<64xi32, #tilegpu.blocked<{sizePerThread = [1], threadsPerWarp = [1], warpsPerCTA = [1], order = [0]}>> -> tensor<64xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 1], threadsPerWarp = [1, 1], warpsPerCTA = [1, 1], order = [1, 0]}>}>>
func.func @shared_range(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                        %y: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 64 : tensor<64xi32>
  %xp = tile.splat %x : tensor<64x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %r : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %v = tile.load %xa : tensor<64x!tile.ptr<f32>>
  tile.store %xa, %v : tensor<64x!tile.ptr<f32>>
  %col = tile.expand_dims %r {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %colb = tile.broadcast %col : tensor<1x64xi32> -> tensor<16x64xi32>
  %yp = tile.splat %y : tensor<16x64x!tile.ptr<f32>>
  %ya = tile.addptr %yp, %colb : tensor<16x64x!tile.ptr<f32>>, tensor<16x64xi32>
  %w = tile.load %ya : tensor<16x64x!tile.ptr<f32>>
  tile.store %ya, %w : tensor<16x64x!tile.ptr<f32>>
  return
}

// -----

// One range expanded along both axes needs two layouts: both uses convert.
// CHECK-LABEL: func.func @range_both_axes
// NV: %[[R:.*]] = tile.make_range 0 to 32 : tensor<32xi32, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
// NV: %[[C0:.*]] = tilegpu.convert_layout %[[R]] : {{.*}} -> tensor<32xi32, #tilegpu.slice<{dim = 1, parent = #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
// NV: tile.expand_dims %[[C0]] {axis = 1 : i32}
// NV: %[[C1:.*]] = tilegpu.convert_layout %[[R]] : {{.*}} -> tensor<32xi32, #tilegpu.slice<{dim = 0, parent = #tilegpu.blocked<{sizePerThread = [1, 4], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]}>}>>
// NV: tile.expand_dims %[[C1]] {axis = 0 : i32}
func.func @range_both_axes(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 32 : tensor<32xi32>
  %row = tile.expand_dims %r {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %col = tile.expand_dims %r {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %rowb = tile.broadcast %row : tensor<32x1xi32> -> tensor<32x32xi32>
  %colb = tile.broadcast %col : tensor<1x32xi32> -> tensor<32x32xi32>
  %offs = arith.addi %rowb, %colb : tensor<32x32xi32>
  %xp = tile.splat %x : tensor<32x32x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %offs : tensor<32x32x!tile.ptr<f32>>, tensor<32x32xi32>
  %v = tile.load %xa : tensor<32x32x!tile.ptr<f32>>
  tile.store %xa, %v : tensor<32x32x!tile.ptr<f32>>
  return
}

// -----

// Tensors carried by scf.for (block arguments and results) and constants get
// the layout too.
// CHECK-LABEL: func.func @loop
// NV: %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<256xf32, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
// NV: scf.for {{.*}} iter_args(%{{.*}} = %[[Z]]) -> (tensor<256xf32, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>)
// NV: scf.yield %{{.*}} : tensor<256xf32, #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>>
func.func @loop(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %zero = arith.constant dense<0.0> : tensor<256xf32>
  %r = tile.make_range 0 to 256 : tensor<256xi32>
  %xp = tile.splat %x : tensor<256x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %r : tensor<256x!tile.ptr<f32>>, tensor<256xi32>
  %acc = scf.for %i = %c0 to %n step %c1 iter_args(%a = %zero) -> (tensor<256xf32>) : i32 {
    %v = tile.load %xa : tensor<256x!tile.ptr<f32>>
    %s = arith.addf %a, %v : tensor<256xf32>
    scf.yield %s : tensor<256xf32>
  }
  tile.store %xa, %acc : tensor<256x!tile.ptr<f32>>
  return
}

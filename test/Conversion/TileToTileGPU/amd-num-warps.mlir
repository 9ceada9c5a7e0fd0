// A workgroup holds at most 1024 work-items: 16 wavefronts of 64 lanes on
// AMD (32 warps of 32 lanes on NVIDIA).
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=amd:gfx942 num-warps=16" | FileCheck %s --check-prefix=OK16
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=32" | FileCheck %s --check-prefix=NV32
// RUN: not tessel-opt %s --convert-tile-to-tilegpu="target=amd:gfx942 num-warps=32" 2>&1 | FileCheck %s --check-prefix=AMD32

// OK16: module attributes {tilegpu.num_warps = 16 : i32, tilegpu.target = "amd:gfx942", tilegpu.threads_per_warp = 64 : i32}
// NV32: module attributes {tilegpu.num_warps = 32 : i32, tilegpu.target = "nvidia:sm_90a", tilegpu.threads_per_warp = 32 : i32}
// AMD32: error: {{.*}}num_warps{{.*}} 32
// AMD32-NOT: module attributes

func.func @k(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 4096 : tensor<4096xi32>
  %xp = tile.splat %x : tensor<4096x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %r : tensor<4096x!tile.ptr<f32>>, tensor<4096xi32>
  %v = tile.load %xa : tensor<4096x!tile.ptr<f32>>
  tile.store %xa, %v : tensor<4096x!tile.ptr<f32>>
  return
}

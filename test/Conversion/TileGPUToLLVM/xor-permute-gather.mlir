// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=4" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=NV
// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=cpu" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=CPU

// Each thread holds 4 consecutive elements of the 512: mask 1 pairs elements
// of one thread (a register shuffle); mask 511 (a flip) reaches other threads
// and goes through shared memory. On the CPU both are shuffles.
// NV-LABEL: func.func @xor_permute
// NV: llvm.shufflevector %{{.*}}, %{{.*}} [1, 0, 3, 2] : vector<4xf32>
// NV: llvm.mlir.addressof @tessel_shared
// NV: nvvm.barrier0
// CPU-LABEL: func.func @xor_permute
// CPU-NOT: llvm.alloca
// CPU: llvm.shufflevector %{{.*}}, %{{.*}} [1, 0, 3, 2, 5, 4
// CPU: llvm.shufflevector %{{.*}}, %{{.*}} [511, 510, 509
module {
  func.func @xor_permute(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
    %r = tile.make_range 0 to 512 : tensor<512xi32>
    %xs = tile.splat %x : tensor<512x!tile.ptr<f32>>
    %xp = tile.addptr %xs, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
    %a = tile.load %xp : tensor<512x!tile.ptr<f32>>
    %b = tile.xor_permute %a axis = 0 mask = 1 : tensor<512xf32>
    %c = tile.xor_permute %b axis = 0 mask = 511 : tensor<512xf32>
    %os = tile.splat %o : tensor<512x!tile.ptr<f32>>
    %op = tile.addptr %os, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
    tile.store %op, %c : tensor<512x!tile.ptr<f32>>
    return
  }
}

// -----

// gather writes the source to memory in row-major order and loads what the
// indices name: shared memory on the GPU, a stack buffer on the CPU.
// NV-LABEL: func.func @gather
// NV: llvm.store {{.*}} : f32, !llvm.ptr<3>
// NV: nvvm.barrier0
// NV: llvm.load {{.*}} : !llvm.ptr<3> -> f32
// CPU-LABEL: func.func @gather
// CPU: llvm.alloca {{.*}} x f32
// CPU: llvm.store {{.*}} : f32, !llvm.ptr
// CPU: llvm.load {{.*}} : !llvm.ptr -> f32
module {
  func.func @gather(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %i: !tile.ptr<i32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
    %r = tile.make_range 0 to 256 : tensor<256xi32>
    %xs = tile.splat %x : tensor<256x!tile.ptr<f32>>
    %xp = tile.addptr %xs, %r : tensor<256x!tile.ptr<f32>>, tensor<256xi32>
    %a = tile.load %xp : tensor<256x!tile.ptr<f32>>
    %is = tile.splat %i : tensor<256x!tile.ptr<i32>>
    %ip = tile.addptr %is, %r : tensor<256x!tile.ptr<i32>>, tensor<256xi32>
    %idx = tile.load %ip : tensor<256x!tile.ptr<i32>>
    %g = tile.gather %a[%idx] axis = 0 : tensor<256xf32>, tensor<256xi32> -> tensor<256xf32>
    tile.store %xp, %g : tensor<256x!tile.ptr<f32>>
    return
  }
}

// -----

// Mask 13 = 0b1101: bit 0 is a register bit, bits 2 and 3 are lane bits
// (lanes 1 and 2): a register shuffle, then one butterfly shuffle with lane
// mask 0b110 per register; no shared memory.
// NV-LABEL: func.func @xor_permute_lanes
// NV-NOT: llvm.mlir.addressof @tessel_shared
// NV: llvm.shufflevector %{{.*}}, %{{.*}} [1, 0, 3, 2] : vector<4xf32>
// NV-COUNT-4: nvvm.shfl.sync  bfly %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : i32 -> i32
// NV-NOT: nvvm.barrier0
// CPU-LABEL: func.func @xor_permute_lanes
module {
  func.func @xor_permute_lanes(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
    %r = tile.make_range 0 to 512 : tensor<512xi32>
    %xs = tile.splat %x : tensor<512x!tile.ptr<f32>>
    %xp = tile.addptr %xs, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
    %a = tile.load %xp : tensor<512x!tile.ptr<f32>>
    %b = tile.xor_permute %a axis = 0 mask = 13 : tensor<512xf32>
    tile.store %xp, %b : tensor<512x!tile.ptr<f32>>
    return
  }
}

// RUN: tessel-opt %s --tessel-remove-layout-conversions | FileCheck %s

// fold: a conversion to the value's own layout disappears; a chain of
// conversions collapses into one.
#a = #tilegpu.blocked<{sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
#b = #tilegpu.blocked<{sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
#c = #tilegpu.blocked<{sizePerThread = [2], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]}>
// CHECK-LABEL: func.func @fold_chains
// CHECK-SAME: (%[[X:.*]]: tensor<512xf32, #tilegpu.blocked<{sizePerThread = [4]
// CHECK-NEXT: %[[C:.*]] = tilegpu.convert_layout %[[X]] : {{.*}}sizePerThread = [4]{{.*}} -> {{.*}}sizePerThread = [2]
// CHECK-NEXT: return %[[X]], %[[C]]
module attributes {tilegpu.target = "nvidia:sm_90a", tilegpu.num_warps = 4 : i32, tilegpu.threads_per_warp = 32 : i32} {
  func.func @fold_chains(%x: tensor<512xf32, #a>) -> (tensor<512xf32, #a>, tensor<512xf32, #c>) {
    %same = tilegpu.convert_layout %x : tensor<512xf32, #a> -> tensor<512xf32, #a>
    %1 = tilegpu.convert_layout %x : tensor<512xf32, #a> -> tensor<512xf32, #b>
    %2 = tilegpu.convert_layout %1 : tensor<512xf32, #b> -> tensor<512xf32, #c>
    return %same, %2 : tensor<512xf32, #a>, tensor<512xf32, #c>
  }
}

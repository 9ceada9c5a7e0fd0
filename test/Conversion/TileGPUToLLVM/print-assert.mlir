// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_90a num-warps=1" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=NV
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=amd:gfx942 num-warps=1" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=AMD
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=cpu" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=CPU

// One printf per element a thread holds, with the element's coordinates; the
// format is a module constant. A failed assertion calls the target's handler
// with the op's file and line.
// NV-DAG: llvm.mlir.global internal constant @tessel_str_{{[0-9]+}}("pid (%d, %d, %d) idx (%d) x: %f, %d\0A\00") {addr_space = 1 : i32
// NV: llvm.call @vprintf
// NV: llvm.call @__assertfail
// NV-DAG: llvm.func @vprintf(!llvm.ptr, !llvm.ptr) -> i32
// AMD: llvm.call @__ockl_printf_begin
// AMD: llvm.call @__ockl_printf_append_string_n
// AMD: llvm.call @__ockl_printf_append_args
// AMD: llvm.intr.trap
// CPU-COUNT-64: llvm.call @printf
// CPU: llvm.call @tessel_cpu_assert_fail
// CPU-DAG: llvm.func @printf(!llvm.ptr, ...) -> i32
module {
  func.func @k(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
    %r = tile.make_range 0 to 64 : tensor<64xi32>
    %xs = tile.splat %x : tensor<64x!tile.ptr<f32>>
    %xp = tile.addptr %xs, %r : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
    %a = tile.load %xp : tensor<64x!tile.ptr<f32>>
    %px = tile.program_id x : i32
    %py = tile.program_id y : i32
    %pz = tile.program_id z : i32
    tile.print "x: " pid(%px, %py, %pz) values(%a, %r : tensor<64xf32>, tensor<64xi32>) {hex = false, is_signed = array<i1: true, true>} loc("k.py":7:3)
    %zero = arith.constant dense<0.0> : tensor<64xf32>
    %ok = arith.cmpf oge, %a, %zero : tensor<64xf32>
    tile.assert %ok, "x must be non-negative" : tensor<64xi1> loc("k.py":8:3)
    return
  }
}

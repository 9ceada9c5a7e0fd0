// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=cpu" --convert-tilegpu-to-llvm \
// RUN:   | FileCheck %s --check-prefix=CPU
// RUN: tessel-opt %s --tessel-test-axis-info -o /dev/null 2>&1 | FileCheck %s --check-prefix=AXIS

// A non-splat constant is not constant: adding one to a range does not give
// consecutive offsets (see also test/Passes/axis-info-strided.mlir).
// AXIS: remark: contiguity = [1], divisibility = [{{[0-9]+}}], constancy = [1]
// AXIS-NEXT: %c = arith.constant dense<[0, 10, 20, 30]>
// AXIS: remark: contiguity = [1], divisibility = [{{[0-9]+}}], constancy = [1]
// AXIS-NEXT: %offs = arith.addi %r, %c

// Offsets from a non-splat constant: x[0], x[11], x[22], x[33] (+ 0..3) are
// not consecutive, so the CPU must gather them, not load x[0..3].
// CPU-LABEL: func.func @constant_offsets
// CPU-NOT: llvm.intr.masked.load
// CPU: %[[G:.*]] = llvm.intr.masked.gather %{{.*}} : (vector<4x!llvm.ptr>, vector<4xi1>, vector<4xf32>) -> vector<4xf32>
// CPU-NOT: llvm.intr.masked.load
// CPU: llvm.intr.masked.store %[[G]]
// CPU: return
func.func @constant_offsets(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                            %out: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 4 : tensor<4xi32>
  %c = arith.constant dense<[0, 10, 20, 30]> : tensor<4xi32>
  %offs = arith.addi %r, %c : tensor<4xi32>
  %xp = tile.splat %x : tensor<4x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %offs : tensor<4x!tile.ptr<f32>>, tensor<4xi32>
  %v = tile.load %xa : tensor<4x!tile.ptr<f32>>
  %op = tile.splat %out : tensor<4x!tile.ptr<f32>>
  %oa = tile.addptr %op, %r : tensor<4x!tile.ptr<f32>>, tensor<4xi32>
  tile.store %oa, %v : tensor<4x!tile.ptr<f32>>
  return
}

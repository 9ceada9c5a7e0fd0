// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=nvidia:sm_90a" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=NV
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=amd:gfx942" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=AMD
// RUN: tessel-opt %s --convert-tile-to-tilegpu="target=cpu" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=CPU

// NV: nvvm.barrier0
// AMD: rocdl.barrier
// CPU-NOT: barrier
func.func @k() attributes {tile.kernel} {
  tile.barrier
  return
}

// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=nvidia:sm_90a" \
// RUN:   --convert-tilegpu-to-llvm | FileCheck %s --check-prefixes=CHECK,GPU,NV
// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=amd:gfx942" \
// RUN:   --convert-tilegpu-to-llvm | FileCheck %s --check-prefixes=CHECK,GPU,AMD
// RUN: tessel-opt %s -split-input-file --convert-tile-to-tilegpu="target=cpu" \
// RUN:   --convert-tilegpu-to-llvm --mlir-print-elementsattrs-with-hex-if-larger=4096 | FileCheck %s --check-prefixes=CHECK,CPU

// A masked copy of 512 f32 with every address and the bound n divisible by
// 16 bytes. On GPUs each thread holds 4 consecutive elements (blocked layout
// sizePerThread = [4]) and accesses them with one 16-byte load and store
// under a uniform mask element; on the CPU one thread holds all 512 and uses
// LLVM's masked intrinsics.

// CHECK-LABEL: func.func @masked_copy
// GPU-SAME: (%[[X:.*]]: !llvm.ptr<1> {tile.divisibility = 16 : i32}, %[[OUT:.*]]: !llvm.ptr<1> {tile.divisibility = 16 : i32}, %[[N:.*]]: i32 {tile.divisibility = 16 : i32})
// CPU-SAME: (%[[X:.*]]: !llvm.ptr {tile.divisibility = 16 : i32}, %[[OUT:.*]]: !llvm.ptr {tile.divisibility = 16 : i32}, %[[N:.*]]: i32 {tile.divisibility = 16 : i32},
// CPU-SAME: %[[PIDX:[a-z0-9]+]]: i32, %{{.*}}: i32, %{{.*}}: i32, %{{.*}}: i32, %{{.*}}: i32, %{{.*}}: i32)

// program_id: the block index on GPUs, the first trailing argument on the CPU.
// NV: %[[PID:.*]] = nvvm.read.ptx.sreg.ctaid.x : i32
// AMD: %[[PID:.*]] = rocdl.workgroup.id.x : i32
// CPU-NOT: tile.program_id
// GPU: arith.muli %[[PID]], %{{.*}} : i32
// CPU: arith.muli %[[PIDX]], %{{.*}} : i32

// make_range: the registers' part of the coordinates is a constant vector,
// XORed with the lane and warp part from the thread index.
// GPU: %[[REGS:.*]] = llvm.mlir.constant(dense<[0, 1, 2, 3]> : vector<4xi32>) : vector<4xi32>
// NV: %[[TID:.*]] = nvvm.read.ptx.sreg.tid.x : i32
// AMD: %[[TID:.*]] = rocdl.workitem.id.x : i32
// NV: %[[LANEMASK:.*]] = llvm.mlir.constant(31 : i32) : i32
// AMD: %[[LANEMASK:.*]] = llvm.mlir.constant(63 : i32) : i32
// GPU: %[[LANE:.*]] = llvm.and %[[TID]], %[[LANEMASK]] : i32
// NV: %[[WARPSHIFT:.*]] = llvm.mlir.constant(5 : i32) : i32
// AMD: %[[WARPSHIFT:.*]] = llvm.mlir.constant(6 : i32) : i32
// GPU: %[[WARP:.*]] = llvm.lshr %[[TID]], %[[WARPSHIFT]] : i32
// GPU: llvm.lshr %[[LANE]]
// GPU: llvm.lshr %[[WARP]]
// GPU: %[[COORD:.*]] = llvm.insertelement %{{.*}} : vector<4xi32>
// GPU-NEXT: %[[COORDS:.*]] = llvm.shufflevector %[[COORD]], %[[COORD]] [0, 0, 0, 0] : vector<4xi32>
// GPU-NEXT: %{{.*}} = llvm.xor %[[REGS]], %[[COORDS]] : vector<4xi32>
// On the CPU the registers are the whole range and the thread part is zero.
// CPU: llvm.mlir.constant(dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, {{.*}}, 509, 510, 511]> : vector<512xi32>) : vector<512xi32>
// CPU-NOT: nvvm.
// CPU-NOT: rocdl.

// splat: insertelement + shufflevector of lane 0.
// GPU: %[[NV1:.*]] = llvm.insertelement %[[N]], %{{.*}} : vector<4xi32>
// GPU-NEXT: %[[NSPLAT:.*]] = llvm.shufflevector %[[NV1]], %[[NV1]] [0, 0, 0, 0] : vector<4xi32>
// GPU: %[[CMP:.*]] = arith.cmpi slt, %{{.*}}, %[[NSPLAT]] : vector<4xi32>
// With n divisible by 16 the mask is constant over each thread's 4
// consecutive elements: all four read the first lane's compare.
// GPU-NEXT: %[[MASK:.*]] = llvm.shufflevector %[[CMP]], %[[CMP]] [0, 0, 0, 0] : vector<4xi1>
// CPU: %[[NV1:.*]] = llvm.insertelement %[[N]], %{{.*}} : vector<512xi32>
// CPU-NEXT: %[[NSPLAT:.*]] = llvm.shufflevector %[[NV1]], %[[NV1]] [0, 0, {{.*}}] : vector<512xi32>
// CPU: %[[MASK:.*]] = arith.cmpi slt, %{{.*}}, %[[NSPLAT]] : vector<512xi32>

// addptr: a vector GEP.
// GPU: %[[PTRS:.*]] = llvm.getelementptr %{{.*}}[%{{.*}}] : (vector<4x!llvm.ptr<1>>, vector<4xi32>) -> vector<4x!llvm.ptr<1>>, f32
// CPU: %[[PTRS:.*]] = llvm.getelementptr %{{.*}}[%{{.*}}] : (vector<512x!llvm.ptr>, vector<512xi32>) -> vector<512x!llvm.ptr>, f32

// The masked load: one 16-byte load under the first mask element.
// GPU: %[[P0:.*]] = llvm.extractelement %[[PTRS]][%{{.*}} : i32] : vector<4x!llvm.ptr<1>>
// GPU: %[[M0:.*]] = llvm.extractelement %[[MASK]][%{{.*}} : i32] : vector<4xi1>
// GPU: %[[LOADED:.*]] = scf.if %[[M0]] -> (vector<4xf32>) {
// GPU-NEXT: %[[V:.*]] = llvm.load %[[P0]] {alignment = 16 : i64} : !llvm.ptr<1> -> vector<4xf32>
// GPU-NEXT: scf.yield %[[V]] : vector<4xf32>
// GPU-NEXT: } else {
// GPU-NEXT: %[[Z:.*]] = llvm.mlir.zero : vector<4xf32>
// GPU-NEXT: scf.yield %[[Z]] : vector<4xf32>
// GPU-NEXT: }
// GPU-NOT: llvm.load
// CPU: %[[ZERO:.*]] = llvm.mlir.zero : vector<512xf32>
// CPU: %[[P0:.*]] = llvm.extractelement %[[PTRS]][%{{.*}} : i32] : vector<512x!llvm.ptr>
// CPU: %[[LOADED:.*]] = llvm.intr.masked.load %[[P0]], %[[MASK]], %[[ZERO]] {alignment = 16 : i32} : (!llvm.ptr, vector<512xi1>, vector<512xf32>) -> vector<512xf32>

// The masked store, the same way. On AMD (64 lanes x 4 warps x 4 = 1024
// elements per layout tile) the 512 elements are held twice: only the warps
// owning an element store it.
// AMD: %[[OWNER:.*]] = llvm.icmp "eq" %{{.*}}, %{{.*}} : i32
// GPU: %[[Q0:.*]] = llvm.extractelement %{{.*}}[%{{.*}} : i32] : vector<4x!llvm.ptr<1>>
// GPU: %[[SM0:.*]] = llvm.extractelement %[[MASK]][%{{.*}} : i32] : vector<4xi1>
// AMD: %[[PRED:.*]] = llvm.and %[[SM0]], %[[OWNER]] : i1
// GPU: %[[CHUNK:.*]] = llvm.shufflevector %{{.*}} [0, 1, 2, 3] : vector<4xf32>
// NV: scf.if %[[SM0]] {
// AMD: scf.if %[[PRED]] {
// GPU-NEXT: llvm.store %[[CHUNK]], %[[Q0]] {alignment = 16 : i64} : vector<4xf32>, !llvm.ptr<1>
// GPU-NEXT: }
// GPU-NOT: llvm.store
// CPU: %[[Q0:.*]] = llvm.extractelement %{{.*}}[%{{.*}} : i32] : vector<512x!llvm.ptr>
// CPU: llvm.intr.masked.store %[[LOADED]], %[[Q0]], %[[MASK]] {alignment = 16 : i32} : vector<512xf32>, vector<512xi1> into !llvm.ptr
// CHECK-NOT: tile.
// CHECK: return
func.func @masked_copy(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                       %out: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                       %n: i32 {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %pid = tile.program_id x : i32
  %c = arith.constant 512 : i32
  %start = arith.muli %pid, %c : i32
  %r = tile.make_range 0 to 512 : tensor<512xi32>
  %s = tile.splat %start : tensor<512xi32>
  %offs = arith.addi %s, %r : tensor<512xi32>
  %ns = tile.splat %n : tensor<512xi32>
  %mask = arith.cmpi slt, %offs, %ns : tensor<512xi32>
  %xp = tile.splat %x : tensor<512x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %offs : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %v = tile.load %xa, %mask : tensor<512x!tile.ptr<f32>>
  %op = tile.splat %out : tensor<512x!tile.ptr<f32>>
  %oa = tile.addptr %op, %offs : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  tile.store %oa, %v, %mask : tensor<512x!tile.ptr<f32>>
  return
}

// -----

// Without tile.divisibility on n, the mask may change at every element: on
// GPUs each element is loaded and stored alone under its own mask bit.
// CHECK-LABEL: func.func @masked_copy_any_n
// GPU-COUNT-4: scf.if %{{.*}} -> (f32) {
// GPU-NOT: scf.if %{{.*}} -> (f32) {
// GPU-NOT: vector<4xf32>, !llvm.ptr<1>
// GPU-COUNT-4: llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : f32, !llvm.ptr<1>
// GPU-NOT: llvm.store
// The CPU is not limited by the mask: still one masked load and store.
// CPU-COUNT-1: llvm.intr.masked.load %{{.*}} {alignment = 16 : i32} : (!llvm.ptr, vector<512xi1>, vector<512xf32>) -> vector<512xf32>
// CPU-COUNT-1: llvm.intr.masked.store %{{.*}} {alignment = 16 : i32} : vector<512xf32>, vector<512xi1> into !llvm.ptr
// CHECK: return
func.func @masked_copy_any_n(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                             %out: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                             %n: i32) attributes {tile.kernel} {
  %r = tile.make_range 0 to 512 : tensor<512xi32>
  %ns = tile.splat %n : tensor<512xi32>
  %mask = arith.cmpi slt, %r, %ns : tensor<512xi32>
  %xp = tile.splat %x : tensor<512x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %v = tile.load %xa, %mask : tensor<512x!tile.ptr<f32>>
  %op = tile.splat %out : tensor<512x!tile.ptr<f32>>
  %oa = tile.addptr %op, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  tile.store %oa, %v, %mask : tensor<512x!tile.ptr<f32>>
  return
}

// -----

// Without tile.divisibility on the pointer, accesses stay element-sized even
// without a mask (their alignment is checked in element-alignment.mlir).
// CHECK-LABEL: func.func @unaligned_base
// GPU-COUNT-4: llvm.load %{{.*}} {alignment = {{[0-9]+}} : i64} : !llvm.ptr<1> -> f32
// GPU-NOT: -> vector<4xf32>
// CPU: llvm.intr.masked.load %{{.*}} : (!llvm.ptr, vector<512xi1>, vector<512xf32>) -> vector<512xf32>
// CHECK: return
func.func @unaligned_base(%x: !tile.ptr<f32>, %out: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.make_range 0 to 512 : tensor<512xi32>
  %xp = tile.splat %x : tensor<512x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %v = tile.load %xa : tensor<512x!tile.ptr<f32>>
  %op = tile.splat %out : tensor<512x!tile.ptr<f32>>
  %oa = tile.addptr %op, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  tile.store %oa, %v : tensor<512x!tile.ptr<f32>>
  return
}

// -----

// Non-contiguous offsets: element accesses on GPUs, gather/scatter on the CPU.
// CHECK-LABEL: func.func @strided
// GPU-NOT: vector<4xf32>
// GPU: llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr<1> -> f32
// CPU: %[[G:.*]] = llvm.intr.masked.gather %{{.*}} {alignment = 4 : i32} : (vector<512x!llvm.ptr>, vector<512xi1>, vector<512xf32>) -> vector<512xf32>
// CPU: llvm.intr.masked.scatter %[[G]], %{{.*}} {alignment = 4 : i32} : vector<512xf32>, vector<512xi1> into vector<512x!llvm.ptr>
// CHECK: return
func.func @strided(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 512 : tensor<512xi32>
  %c3 = arith.constant dense<3> : tensor<512xi32>
  %o = arith.muli %r, %c3 : tensor<512xi32>
  %xp = tile.splat %x : tensor<512x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %o : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %v = tile.load %xa : tensor<512x!tile.ptr<f32>>
  tile.store %xa, %v : tensor<512x!tile.ptr<f32>>
  return
}

// -----

// Masked-off lanes take `other`.
// CHECK-LABEL: func.func @load_other
// GPU: %[[OTHER:.*]] = arith.constant dense<-1.000000e+00> : vector<4xf32>
// GPU: scf.if %{{.*}} -> (vector<4xf32>) {
// GPU-NEXT: llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<1> -> vector<4xf32>
// GPU: } else {
// GPU-NEXT: %[[O:.*]] = llvm.shufflevector %[[OTHER]], %[[OTHER]] [0, 1, 2, 3] : vector<4xf32>
// GPU-NEXT: scf.yield %[[O]] : vector<4xf32>
// CPU: %[[OTHER:.*]] = arith.constant dense<-1.000000e+00> : vector<512xf32>
// CPU: llvm.intr.masked.load %{{.*}}, %{{.*}}, %[[OTHER]] {alignment = 16 : i32}
// CHECK: return
func.func @load_other(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                      %n: i32 {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 512 : tensor<512xi32>
  %ns = tile.splat %n : tensor<512xi32>
  %mask = arith.cmpi slt, %r, %ns : tensor<512xi32>
  %xp = tile.splat %x : tensor<512x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %o = arith.constant dense<-1.0> : tensor<512xf32>
  %v = tile.load %xa, %mask, %o : tensor<512x!tile.ptr<f32>>
  tile.store %xa, %v : tensor<512x!tile.ptr<f32>>
  return
}

// -----

// Grid queries: special registers on GPUs; on the CPU, six trailing i32
// kernel arguments (program ids x, y, z, then program counts x, y, z).
// CHECK-LABEL: func.func @grid
// CPU-SAME: (%{{.*}}: !llvm.ptr, %[[PX:.*]]: i32, %[[PY:.*]]: i32, %[[PZ:.*]]: i32, %[[NX:.*]]: i32, %[[NY:.*]]: i32, %[[NZ:.*]]: i32)
// NV: %[[PX:.*]] = nvvm.read.ptx.sreg.ctaid.x : i32
// NV: %[[PY:.*]] = nvvm.read.ptx.sreg.ctaid.y : i32
// NV: %[[PZ:.*]] = nvvm.read.ptx.sreg.ctaid.z : i32
// NV: %[[NX:.*]] = nvvm.read.ptx.sreg.nctaid.x : i32
// NV: %[[NY:.*]] = nvvm.read.ptx.sreg.nctaid.y : i32
// NV: %[[NZ:.*]] = nvvm.read.ptx.sreg.nctaid.z : i32
// AMD: %[[PX:.*]] = rocdl.workgroup.id.x : i32
// AMD: %[[PY:.*]] = rocdl.workgroup.id.y : i32
// AMD: %[[PZ:.*]] = rocdl.workgroup.id.z : i32
// OCKL's group counts are 64-bit whatever the op declares.
// AMD: %[[NX64:.*]] = rocdl.grid.dim.x : i64
// AMD: %[[NX:.*]] = llvm.trunc %[[NX64]] : i64 to i32
// AMD: %[[NY64:.*]] = rocdl.grid.dim.y : i64
// AMD: %[[NY:.*]] = llvm.trunc %[[NY64]] : i64 to i32
// AMD: %[[NZ64:.*]] = rocdl.grid.dim.z : i64
// AMD: %[[NZ:.*]] = llvm.trunc %[[NZ64]] : i64 to i32
// CHECK: %[[S1:.*]] = arith.addi %[[PX]], %[[PY]] : i32
// CHECK: %[[S2:.*]] = arith.addi %[[S1]], %[[PZ]] : i32
// CHECK: %[[S3:.*]] = arith.addi %[[S2]], %[[NX]] : i32
// CHECK: %[[S4:.*]] = arith.addi %[[S3]], %[[NY]] : i32
// CHECK: %[[S5:.*]] = arith.addi %[[S4]], %[[NZ]] : i32
// A scalar store is done by one thread: lane 0 of warp 0.
// NV: %[[TID:.*]] = nvvm.read.ptx.sreg.tid.x : i32
// AMD: %[[TID:.*]] = rocdl.workitem.id.x : i32
// GPU: %[[FIRST:.*]] = llvm.icmp "eq" %{{.*}}, %{{.*}} : i32
// GPU: scf.if %[[FIRST]] {
// GPU-NEXT: llvm.store %[[S5]], %{{.*}} : i32, !llvm.ptr<1>
// CPU-NOT: scf.if
// CPU: llvm.store %[[S5]], %{{.*}} : i32, !llvm.ptr
// CHECK: return
func.func @grid(%out: !tile.ptr<i32>) attributes {tile.kernel} {
  %a = tile.program_id x : i32
  %b = tile.program_id y : i32
  %c = tile.program_id z : i32
  %d = tile.num_programs x : i32
  %e = tile.num_programs y : i32
  %f = tile.num_programs z : i32
  %s1 = arith.addi %a, %b : i32
  %s2 = arith.addi %s1, %c : i32
  %s3 = arith.addi %s2, %d : i32
  %s4 = arith.addi %s3, %e : i32
  %s5 = arith.addi %s4, %f : i32
  tile.store %out, %s5 : !tile.ptr<i32>
  return
}

// -----

// A range expanded along both axes is converted from the 1-D layout to two
// slice layouts; on GPUs at least one of these moves elements between
// threads, through a shared-memory buffer (address space 3) between barriers:
// 32 i32 plus one padding element per 32 against bank conflicts. Each thread
// computes its own (skewed) index once; its registers' elements are constant
// offsets from there.
// GPU: tilegpu.shared = 132 : i32
// GPU: llvm.mlir.global external @tessel_shared() {{.*}} : !llvm.array<0 x i8>
// CHECK-LABEL: func.func @convert_through_shared
// GPU: %[[BASE:.*]] = llvm.mlir.addressof @tessel_shared : !llvm.ptr<3>
// NV-NEXT: nvvm.barrier0
// AMD-NEXT: rocdl.barrier
// GPU: %[[WADDR:.*]] = llvm.getelementptr %[[BASE]][%{{.*}}] : (!llvm.ptr<3>, i32) -> !llvm.ptr<3>, i32
// GPU: llvm.store %{{.*}}, %[[WADDR]] : i32, !llvm.ptr<3>
// GPU: %[[NEXT:.*]] = llvm.getelementptr %[[WADDR]][%{{.*}}] : (!llvm.ptr<3>, i32) -> !llvm.ptr<3>, i32
// GPU-NEXT: llvm.store %{{.*}}, %[[NEXT]] : i32, !llvm.ptr<3>
// NV: nvvm.barrier0
// AMD: rocdl.barrier
// GPU: %[[RADDR:.*]] = llvm.getelementptr %[[BASE]][%{{.*}}] : (!llvm.ptr<3>, i32) -> !llvm.ptr<3>, i32
// GPU: llvm.load %[[RADDR]] : !llvm.ptr<3> -> i32
// On the CPU every conversion stays in registers.
// CPU-NOT: llvm.mlir.global
// CPU-NOT: !llvm.ptr<3>
// CHECK: return
// CHECK-NOT: tilegpu.convert_layout
func.func @convert_through_shared(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 32 : tensor<32xi32>
  %row = tile.expand_dims %r {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %col = tile.expand_dims %r {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %rowb = tile.broadcast %row : tensor<32x1xi32> -> tensor<32x32xi32>
  %colb = tile.broadcast %col : tensor<1x32xi32> -> tensor<32x32xi32>
  %c32 = arith.constant dense<32> : tensor<32x32xi32>
  %rows = arith.muli %rowb, %c32 : tensor<32x32xi32>
  %offs = arith.addi %rows, %colb : tensor<32x32xi32>
  %xp = tile.splat %x : tensor<32x32x!tile.ptr<f32>>
  %xa = tile.addptr %xp, %offs : tensor<32x32x!tile.ptr<f32>>, tensor<32x32xi32>
  %v = tile.load %xa : tensor<32x32x!tile.ptr<f32>>
  tile.store %xa, %v : tensor<32x32x!tile.ptr<f32>>
  return
}

// -----

// Module attribute recording the shared memory the kernel needs.
// GPU: module attributes {{{.*}}tilegpu.shared = 264 : i32
// CPU-NOT: tilegpu.shared
// CHECK-LABEL: func.func @shared_size_f64
func.func @shared_size_f64(%x: !tile.ptr<f64> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.make_range 0 to 32 : tensor<32xi32>
  %f = arith.sitofp %r : tensor<32xi32> to tensor<32xf64>
  %row = tile.expand_dims %f {axis = 1 : i32} : tensor<32xf64> -> tensor<32x1xf64>
  %col = tile.expand_dims %f {axis = 0 : i32} : tensor<32xf64> -> tensor<1x32xf64>
  %rowb = tile.broadcast %row : tensor<32x1xf64> -> tensor<32x32xf64>
  %colb = tile.broadcast %col : tensor<1x32xf64> -> tensor<32x32xf64>
  %v = arith.addf %rowb, %colb : tensor<32x32xf64>
  %r2 = tile.make_range 0 to 32 : tensor<32xi32>
  %i = tile.expand_dims %r2 {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %ib = tile.broadcast %i : tensor<32x1xi32> -> tensor<32x32xi32>
  %xp = tile.splat %x : tensor<32x32x!tile.ptr<f64>>
  %xa = tile.addptr %xp, %ib : tensor<32x32x!tile.ptr<f64>>, tensor<32x32xi32>
  tile.store %xa, %v : tensor<32x32x!tile.ptr<f64>>
  return
}

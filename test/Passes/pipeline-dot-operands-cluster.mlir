// RUN: tessel-opt %S/pipeline-dot-operands-tma.mlir --tessel-pipeline-dot-operands="num-stages=3 num-ctas=2" | FileCheck %s
// RUN: tessel-opt %S/pipeline-dot-operands-tma.mlir --tessel-pipeline-dot-operands="num-stages=3 num-ctas=2" --convert-tilegpu-to-llvm | FileCheck %s --check-prefix=LLVM
// RUN: tessel-opt %S/pipeline-dot-operands-tma.mlir --tessel-pipeline-dot-operands="num-stages=3" | FileCheck %s --check-prefix=ONE

// The TMA matmul of pipeline-dot-operands-tma.mlir (its input; A's block
// row is program_id x * 64, B's block column program_id y * 64) with
// num-ctas=2: the kernel launches in clusters of two programs, which share a
// block's copy (multicast) where they compare equal at run time.
// CHECK: module attributes {tilegpu.cluster_ctas = 2 : i32
// CHECK-LABEL: func.func @mm
// CHECK: %[[PIDX:.*]] = tile.program_id x
// CHECK: %[[PIDY:.*]] = tile.program_id y
// The full barriers, then one empty barrier per stage (an arrival from each
// program of the pair) after them, and the comparison of what each block's
// coordinates are computed from (the bounds are the same in every program:
// constants and the kernel's arguments), 8 bytes per value after the
// barriers.
// CHECK: tilegpu.mbarrier_init {count = 4 : i64, offset = 32768 : i64}
// CHECK-NEXT: tilegpu.mbarrier_init {arrivals = 2 : i64, count = 4 : i64, offset = 32800 : i64}
// CHECK-NEXT: %[[RANK:.*]] = tilegpu.cluster_rank
// CHECK-NEXT: %[[SHAREA:.*]] = tilegpu.cluster_peer_match %[[PIDX]] {offset = 32832 : i64} : i32
// CHECK-NEXT: %[[SHAREB:.*]] = tilegpu.cluster_peer_match %[[PIDY]] {offset = 32840 : i64} : i32
// Prologue: stage 0's issuer (rank 0) waits for nothing yet (use 0 < 4
// stages) and copies a shared block for both, each program its own.
// CHECK: tilegpu.cluster_stage_wait
// CHECK-NEXT: tilegpu.tma_expect
// CHECK: tilegpu.tma_copy %arg4[{{.*}}] stage %{{.*}}, %{{.*}} multicast %[[SHAREA]]
// CHECK: tilegpu.tma_copy %arg9[{{.*}}] stage %{{.*}}, %{{.*}} multicast %[[SHAREB]]
// CHECK: scf.for
// In the loop: past the full wait's barrier this program releases the
// stage of use i + 2 to that stage's issuer (rank stage % 2) before the
// wgmma; at the end the issuer waits for both releases, then copies.
// CHECK: tilegpu.tma_wait
// CHECK: %[[NEXTSTAGE:.*]] = arith.remui %{{.*}}, %c4_i32
// CHECK: %[[ISSUER:.*]] = arith.andi %[[NEXTSTAGE]], %c1_i32
// CHECK: tilegpu.cluster_stage_release %[[NEXTSTAGE]], %[[ISSUER]], %{{.*}} {barrierOffset = 32800 : i64}
// CHECK: tilegpu.shared_dot
// CHECK: tilegpu.cluster_stage_wait %{{.*}}, %{{.*}}, %{{.*}} {barrierOffset = 32800 : i64}
// CHECK-NEXT: tilegpu.tma_expect
// CHECK: tilegpu.tma_copy %arg4{{.*}} multicast %[[SHAREA]]
// CHECK: tilegpu.tma_copy %arg9{{.*}} multicast %[[SHAREB]]
// CHECK-NEXT: scf.yield
// Neither program touches the other's memory after the cluster barrier.
// CHECK: tilegpu.cluster_barrier
// CHECK-NEXT: tilegpu.mbarrier_inval {count = 4 : i64, offset = 32768 : i64}
// CHECK-NEXT: tilegpu.mbarrier_inval {count = 4 : i64, offset = 32800 : i64}

// Lowered: the comparison publishes thread 0's values, passes a cluster
// barrier and reads the other program's through mapa (only in a cluster of
// two); releases arrive on the issuer's barrier through mapa; copies are
// multicast (CTA mask 0b11) where the block is shared.
// LLVM: tilegpu.shared = 32848 : i32
// LLVM: "mov.u32 $0, %cluster_ctarank;"
// LLVM: "mov.u32 $0, %cluster_nctarank;"
// LLVM: st.shared.b64 [$1], $2;
// LLVM: @p barrier.cluster.arrive.release; @p barrier.cluster.wait.acquire;
// LLVM: @p mapa.shared::cluster.u32 a, $2, $3; @p ld.shared::cluster.b64 $0, [a];
// LLVM: mbarrier.try_wait.parity.shared::cta.b64
// LLVM: llvm.mlir.constant(3 : i16)
// LLVM: @m cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes.multicast::cluster [$0], [$1, {$2, $3}], [$4], $6; @!m
// LLVM: mapa.shared::cluster.u32 a, $0, $1; mbarrier.arrive.shared::cluster.b64 _, [a];

// num-ctas=1 (the default): no cluster.
// ONE-NOT: cluster

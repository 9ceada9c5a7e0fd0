//===- TileGPUOps.td - tensors with layouts -----------------*- tablegen -*-===//
//
// TileGPU IR: every tensor type carries an encoding saying which register,
// lane and warp hold which element. Each encoding is a named constructor of a
// linear layout (a map over GF(2) from register/lane/warp bits to tensor
// coordinates, see LinearLayout.h); lowering works on the linear layout only.
//
//===----------------------------------------------------------------------===//

#ifndef TESSEL_TILEGPU_OPS
#define TESSEL_TILEGPU_OPS

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/TensorEncoding.td"

// Layouts check that they fit the tensors they are attached to.
defvar TileGPU_LayoutTraits = [DeclareAttrInterfaceMethods<VerifiableTensorEncoding>];

def TileGPU_Dialect : Dialect {
  let name = "tilegpu";
  let cppNamespace = "::tessel::tilegpu";
  let summary = "Tile IR with explicit data layouts";
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let dependentDialects = ["::tessel::tile::TileDialect"];
}

class TileGPU_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<TileGPU_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def TileGPU_BlockedLayoutAttr : TileGPU_Attr<"BlockedLayout", "blocked", TileGPU_LayoutTraits> {
  let summary = "each thread holds a contiguous block, lanes and warps tile it";
  let description = [{
    `sizePerThread[d]` consecutive elements per thread along dimension d,
    `threadsPerWarp[d]` lanes and `warpsPerCTA[d]` warps along d, `order`
    listing dimensions from fastest to slowest. The tile repeats over larger
    shapes (more registers) and wraps over smaller ones (replicated elements).
  }];
  let parameters = (ins ArrayRefParameter<"unsigned">:$sizePerThread,
                        ArrayRefParameter<"unsigned">:$threadsPerWarp,
                        ArrayRefParameter<"unsigned">:$warpsPerCTA,
                        ArrayRefParameter<"unsigned">:$order);
  let assemblyFormat = [{
    `<` `{` `sizePerThread` `=` `[` $sizePerThread `]` `,`
            `threadsPerWarp` `=` `[` $threadsPerWarp `]` `,`
            `warpsPerCTA` `=` `[` $warpsPerCTA `]` `,`
            `order` `=` `[` $order `]` `}` `>`
  }];
  let genVerifyDecl = 1;
}

def TileGPU_SliceLayoutAttr : TileGPU_Attr<"SliceLayout", "slice", TileGPU_LayoutTraits> {
  let summary = "the parent layout with one dimension removed";
  let description = [{
    The layout of a tensor that `expand_dims` at `dim` turns into a tensor
    with layout `parent`.
  }];
  let parameters = (ins "unsigned":$dim, "::mlir::Attribute":$parent);
  let assemblyFormat = "`<` `{` `dim` `=` $dim `,` `parent` `=` $parent `}` `>`";
  let genVerifyDecl = 1;
}

def TileGPU_MmaLayoutAttr : TileGPU_Attr<"MmaLayout", "mma", TileGPU_LayoutTraits> {
  let summary = "accumulators of NVIDIA's matrix instructions";
  let description = [{
    The accumulator layout of `mma.sync.m16n8kK` (version 2): in each 16x8
    tile a lane holds two adjacent columns of row `lane / 4` and the same two
    of row `lane / 4 + 8`; `warpsPerCTA` warps tile M and N, and larger
    shapes repeat the warps' tile in more registers (N first). Version 3 is
    `wgmma.mma_async.m64nNk16`, whose accumulators are the same map with all
    warps along M (warps 4g..4g+3, warpgroup g, cover 64 consecutive rows):
    the dot that produces it reads its operands from shared memory.
  }];
  let parameters = (ins "unsigned":$version,
                        ArrayRefParameter<"unsigned">:$warpsPerCTA);
  let assemblyFormat = [{
    `<` `{` `version` `=` $version `,` `warpsPerCTA` `=` `[` $warpsPerCTA `]` `}` `>`
  }];
  let genVerifyDecl = 1;
}

def TileGPU_MfmaLayoutAttr : TileGPU_Attr<"MfmaLayout", "mfma", TileGPU_LayoutTraits> {
  let summary = "accumulators of AMD's matrix instructions (MFMA)";
  let description = [{
    The accumulator layout of `v_mfma_*_{nonKDim}x{nonKDim}x*` on 64-lane
    wavefronts (CDNA: gfx90a, gfx942). With nonKDim 32, lane l holds column
    l % 32 and, in its 16 registers r, rows 8 (r / 4) + 4 (l / 32) + r % 4;
    with nonKDim 16, lane l holds column l % 16 and, in its 4 registers r,
    rows 4 (l / 16) + r. `warpsPerCTA` waves tile M and N (M bits first);
    larger shapes repeat the waves' tile in more registers (N first).
  }];
  let parameters = (ins "unsigned":$nonKDim,
                        ArrayRefParameter<"unsigned">:$warpsPerCTA);
  let assemblyFormat = [{
    `<` `{` `nonKDim` `=` $nonKDim `,` `warpsPerCTA` `=` `[` $warpsPerCTA `]` `}` `>`
  }];
  let genVerifyDecl = 1;
}

def TileGPU_DotOperandLayoutAttr
    : TileGPU_Attr<"DotOperandLayout", "dot_operand", TileGPU_LayoutTraits> {
  let summary = "A (opIdx 0) or B (opIdx 1) fragments of an mma or mfma layout";
  let description = [{
    The operand registers `mma.sync` reads for the accumulator layout
    `parent`: `kWidth` consecutive K elements share a 32-bit register (2 for
    16-bit types, 4 for 8-bit, 1 for tf32), so one instruction covers
    K = 8 * kWidth. Warps that differ along the other operand's dimension
    hold copies.
    With an `#tilegpu.mfma` parent, the operand an MFMA reads: each lane
    holds `kWidth` consecutive K elements (4 for 16-bit types, 4 or 8 for
    8-bit, 1 for f32) of row (A) or column (B) l % nonKDim; the lanes' higher bits step
    K by kWidth, so one instruction covers K = kWidth * 64 / nonKDim.
  }];
  let parameters = (ins "unsigned":$opIdx, "::mlir::Attribute":$parent,
                        "unsigned":$kWidth);
  let assemblyFormat = [{
    `<` `{` `opIdx` `=` $opIdx `,` `parent` `=` $parent `,` `kWidth` `=` $kWidth `}` `>`
  }];
  let genVerifyDecl = 1;
}

class TileGPU_Op<string mnemonic, list<Trait> traits = []>
    : Op<TileGPU_Dialect, mnemonic, traits>;

def TileGPU_ConvertLayoutOp : TileGPU_Op<"convert_layout",
    [Pure, SameOperandsAndResultShape, SameOperandsAndResultElementType]> {
  let summary = "move a tensor's elements into another layout";
  let arguments = (ins AnyRankedTensor:$src);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$src attr-dict `:` type($src) `->` type($result)";
  let hasFolder = 1;
}

def TileGPU_AsyncDotOp : TileGPU_Op<"async_dot",
    [AllTypesMatch<["acc", "result"]>,
     MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "a wgmma dot whose result may still be in flight";
  let description = [{
    `tile.dot` with an `#tilegpu.mma` version 3 accumulator that stages its
    operands in shared-memory buffer `stage` of `numStages` and returns
    without waiting for the tensor cores: before storing, it waits until at
    most one earlier group is pending (so the group that read this buffer
    `numStages` dots ago is done). Its result may only feed another
    async_dot's accumulator (through loop iterations) or
    `tilegpu.dot_wait`. tessel-async-dots makes these from dot loops.
  }];
  let arguments = (ins AnyRankedTensor:$a, AnyRankedTensor:$b,
                       AnyRankedTensor:$acc, I32:$stage, I32Attr:$numStages);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $a `,` $b `,` $acc `stage` $stage attr-dict `:` type($a) `,` type($b) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def TileGPU_DotWaitOp : TileGPU_Op<"dot_wait",
    [AllTypesMatch<["src", "result"]>, MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "the value of an asynchronous dot, once it is complete";
  let arguments = (ins AnyRankedTensor:$src, I32Attr:$pendings);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$src attr-dict `:` type($src)";
}

def TileGPU_AsyncCopyOp : TileGPU_Op<"async_copy",
    [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "copy a wgmma operand from global memory into a shared stage";
  let description = [{
    Each thread copies its runs of 8 consecutive 16-bit elements of `ptr`
    (16 bytes, `cp.async.cg`) into shared-memory stage `stage` of the dot
    buffer (`stageBytes` per stage), `offset` bytes into the stage, in the
    swizzled layout wgmma reads: rows of 128, 64 or 32 bytes (the widest
    that divides the second dimension, a multiple of 16 elements), slices
    of the second dimension one after the other, each with as many rows as
    the first dimension has.
    With `stageBytes` 0 the destination is the fixed region at `offset`
    (a loop-invariant operand copied once) and `stage` is ignored.
    Elements where `mask` is false are zeros and read nothing. The copy
    completes asynchronously: `tilegpu.async_copy_commit` closes a group and
    `tilegpu.async_copy_wait` waits for groups. tessel-pipeline-dot-operands
    makes these from the loads of a pipelined dot loop.
  }];
  let arguments = (ins AnyRankedTensor:$ptr, Optional<AnyRankedTensor>:$mask,
                       I32:$stage, I64Attr:$stageBytes, I64Attr:$offset);
  let assemblyFormat = [{
    $ptr (`,` $mask^)? `stage` $stage attr-dict `:` type($ptr) (`,` type($mask)^)?
  }];
  let hasVerifier = 1;
}

def TileGPU_AsyncCopyCommitOp : TileGPU_Op<"async_copy_commit",
    [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "close the group of asynchronous copies issued so far";
  let assemblyFormat = "attr-dict";
}

def TileGPU_AsyncCopyWaitOp : TileGPU_Op<"async_copy_wait",
    [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "wait for asynchronous copies, then make them visible";
  let description = [{
    Waits until at most `pendings` groups of this thread's asynchronous
    copies are in flight, then makes the copied data visible to the tensor
    cores (async proxy) and to every thread of the program (a barrier).
  }];
  let arguments = (ins I32Attr:$pendings);
  let assemblyFormat = "attr-dict";
}

def TileGPU_MbarrierInitOp : TileGPU_Op<"mbarrier_init",
    [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "initialize the mbarriers of a TMA ring";
  let description = [{
    One thread initializes `count` mbarriers (8 bytes each, `arrivals`
    arrivals per phase) at byte `offset` of the kernel's shared memory;
    barriers come before (earlier uses of the memory are done) and after
    (the barriers are visible). With `everyThread` (a warp-specialized
    kernel's own barriers, at its start) they are barriers of every thread,
    the producer warps too; else of the threads that run the code (the
    consumer warps in a warp-specialized kernel). tessel-pipeline-dot-operands
    places one per ring stage before a loop whose copies are TMA loads.
  }];
  let arguments = (ins I64Attr:$count, I64Attr:$offset,
                       DefaultValuedAttr<I64Attr, "1">:$arrivals,
                       UnitAttr:$everyThread);
  let assemblyFormat = "attr-dict";
  let hasVerifier = 1;
}

def TileGPU_MbarrierInvalOp : TileGPU_Op<"mbarrier_inval",
    [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "retire the mbarriers of a TMA ring";
  let description = [{
    A barrier (every thread is past its last wait), then one thread
    invalidates the `count` mbarriers at `offset`, so that their bytes may
    serve another purpose (the epilogue's shared memory).
  }];
  let arguments = (ins I64Attr:$count, I64Attr:$offset);
  let assemblyFormat = "attr-dict";
  let hasVerifier = 1;
}

def TileGPU_TmaExpectOp : TileGPU_Op<"tma_expect",
    [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "arrive on a ring stage's mbarrier, expecting its TMA bytes";
  let description = [{
    Where `valid` holds, one thread arrives on the mbarrier of stage `stage`
    (at `barrierOffset` + 8 * stage) and tells it to expect `bytes` more
    bytes: the `tilegpu.tma_copy` ops that follow for the same stage. The
    stage's phase then completes when they have landed. The thread is the
    first of the program, or with `producer` the first of a warp-specialized
    kernel's producer warps (the code that runs there).
  }];
  let arguments = (ins I32:$stage, I1:$valid, I64Attr:$bytes,
                       I64Attr:$barrierOffset, UnitAttr:$producer);
  let assemblyFormat = "$stage `,` $valid attr-dict";
}

def TileGPU_TmaCopyOp : TileGPU_Op<"tma_copy",
    [MemoryEffects<[MemRead, MemWrite]>, AttrSizedOperandSegments]> {
  let summary = "copy a descriptor's block into a ring stage with TMA";
  let description = [{
    Where `valid` holds, one thread copies the block of `tileType` at
    `coords` (outermost first) of the tensor that `tensormap` describes into
    shared-memory stage `stage` (`stageBytes` each), `offset` bytes into it,
    in the layout `tilegpu.async_copy` writes (slices of the widest of 128,
    64 or 32 bytes of columns, swizzled): one cp.async.bulk.tensor per
    slice, the tensor map's box being one slice. Elements out of the
    tensor's bounds are zeros. Completion is signalled to the stage's
    mbarrier (`barrierOffset` + 8 * stage), which a `tilegpu.tma_expect`
    told to expect these bytes. The issuing thread is `tilegpu.tma_expect`'s
    (`producer` likewise). Where `multicast` holds, the block lands in both
    programs of a 2-CTA cluster, at the same offsets, each completing its
    own copy of the stage's mbarrier (`.multicast::cluster`): the pair's
    other program then issues no copy of it.
  }];
  let arguments = (ins AnyType:$tensormap, Variadic<I32>:$coords, I32:$stage,
                       I1:$valid, Optional<I1>:$multicast, TypeAttr:$tileType,
                       I64Attr:$stageBytes, I64Attr:$offset,
                       I64Attr:$barrierOffset, UnitAttr:$producer);
  let assemblyFormat = [{
    $tensormap `[` $coords `]` `stage` $stage `,` $valid
    (`multicast` $multicast^)? attr-dict `:` type($tensormap)
  }];
  let hasVerifier = 1;
}

def TileGPU_TmaWaitOp : TileGPU_Op<"tma_wait",
    [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "wait until a ring stage's TMA copies landed";
  let description = [{
    Every thread waits for phase `phase` (0 or 1: the parity of the stage's
    use count) of stage `stage`'s mbarrier, then, with `sync`, a barrier:
    once past it, every warp has finished reading the stage the next copies
    overwrite (as `tilegpu.async_copy_wait` does for cp.async rings). A
    warp-specialized ring waits without it (its producer waits for the
    consumers' arrivals instead).
  }];
  let arguments = (ins I32:$stage, I32:$phase, I64Attr:$barrierOffset,
                       DefaultValuedAttr<BoolAttr, "true">:$sync);
  let assemblyFormat = "$stage `,` $phase attr-dict";
}

def TileGPU_MbarrierArriveOp : TileGPU_Op<"mbarrier_arrive",
    [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "a consumer warp releases a ring stage";
  let description = [{
    Where `valid` holds, lane 0 of every warp that executes it arrives on
    the mbarrier of stage `stage` at `barrierOffset` + 8 * stage (its
    arrival count is the consumer warps'): a warp-specialized ring's
    consumers tell the producer that they finished reading the stage.
  }];
  let arguments = (ins I32:$stage, I1:$valid, I64Attr:$barrierOffset);
  let assemblyFormat = "$stage `,` $valid attr-dict";
}

def TileGPU_ClusterRankOp : TileGPU_Op<"cluster_rank", [Pure]> {
  let summary = "this program's rank in its thread-block cluster";
  let description = [{
    `%cluster_ctarank`: 0 or 1 in a 2-CTA cluster (a launch without
    clusters is one of one CTA: 0).
  }];
  let results = (outs I32:$result);
  let assemblyFormat = "attr-dict";
}

def TileGPU_ClusterPeerMatchOp : TileGPU_Op<"cluster_peer_match",
    [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "whether the other program of a 2-CTA cluster has the same values";
  let description = [{
    In a cluster of two programs, each writes `values` to its shared memory
    at byte `offset` (8 bytes per value), both pass a cluster barrier, and
    each compares its values with the other's (read from the other
    program's shared memory): true when all are equal, in both programs.
    False without a 2-CTA cluster. Every thread of the program runs it, the
    same number of times in both programs of the cluster (the kernel's
    entry block), and the barrier also makes the mbarriers each program
    initialized before it visible to the other (multicast copies complete
    on them).
  }];
  let arguments = (ins Variadic<AnySignlessIntegerOrIndex>:$values,
                       I64Attr:$offset);
  let results = (outs I1:$result);
  let assemblyFormat = "$values attr-dict `:` type($values)";
  let hasVerifier = 1;
}

def TileGPU_ClusterBarrierOp : TileGPU_Op<"cluster_barrier",
    [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "a barrier of every thread of a 2-CTA cluster";
  let description = [{
    barrier.cluster (release, then acquire) when the program runs in a
    cluster of two, else nothing: afterwards neither program reads or
    writes the other's shared memory or mbarriers any more, so each may
    reuse its own or exit.
  }];
  let assemblyFormat = "attr-dict";
}

def TileGPU_ClusterStageWaitOp : TileGPU_Op<"cluster_stage_wait",
    [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "the issuing thread waits until a stage is free in both programs";
  let description = [{
    Where `valid` holds, thread 0 waits for phase `phase` of the mbarrier of
    stage `stage` at `barrierOffset` + 8 * stage: the arrivals of both programs of the cluster that released the stage's
    previous use (`tilegpu.cluster_stage_release`). A multicast copy into
    the stage may then overwrite it in both.
  }];
  let arguments = (ins I32:$stage, I32:$phase, I1:$valid,
                       I64Attr:$barrierOffset);
  let assemblyFormat = "$stage `,` $phase `,` $valid attr-dict";
}

def TileGPU_ClusterStageReleaseOp : TileGPU_Op<"cluster_stage_release",
    [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "tell a program of the cluster that this one is done with a stage";
  let description = [{
    Where `valid` holds, thread 0 arrives on the mbarrier of stage `stage` at `barrierOffset` + 8 * stage in the shared
    memory of the cluster's program `rank`: the one that issues the stage's
    next multicast copy and waits for it with `tilegpu.cluster_stage_wait`.
    Every warp of the program must be done reading the stage (a barrier
    before it).
  }];
  let arguments = (ins I32:$stage, I32:$rank, I1:$valid,
                       I64Attr:$barrierOffset);
  let assemblyFormat = "$stage `,` $rank `,` $valid attr-dict";
}

def TileGPU_ProducerWarpOp : TileGPU_Op<"producer_warp", [Pure]> {
  let summary = "whether this thread is in a warp-specialized kernel's producer warps";
  let description = [{
    True on the warps a warp-specialized kernel launches past its
    `tilegpu.num_warps` (the module's `tilegpu.producer_warps`): they issue
    a TMA ring's copies while the other warps, which every layout
    describes, compute. With `leader`, true on the first producer warp only
    (a producer warpgroup, whose other warps only give up registers).
  }];
  let arguments = (ins UnitAttr:$leader);
  let results = (outs I1:$result);
  let assemblyFormat = "attr-dict";
}

def TileGPU_SetMaxRegistersOp : TileGPU_Op<"set_max_registers",
    [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "a warpgroup's per-thread register budget (setmaxnreg)";
  let description = [{
    Every warp of the warpgroups that execute it sets its per-thread register
    count to `count` (a multiple of 8 in [24, 256]): with `increase` taking
    registers from the thread block's pool (waiting until enough are free),
    else returning them to it. A warp-specialized kernel's producer
    warpgroup gives registers up at its start and its consumer warpgroups
    take them (NVIDIA sm_90a). Ordered like a barrier: it has effects.
  }];
  let arguments = (ins I32Attr:$count, UnitAttr:$increase);
  let assemblyFormat = "attr-dict";
  let hasVerifier = 1;
}

def TileGPU_StagedDotOp : TileGPU_Op<"staged_dot",
    [AllTypesMatch<["acc", "result"]>, MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "a wgmma dot whose operands a loop pipeline placed in shared memory";
  let description = [{
    A wgmma dot (`aType` x `bType` + `acc`: f16/bf16 or, K-major only,
    8-bit operands, whose element types name what wgmma multiplies (s8, or
    f8E4M3FN / f8E5M2 for float8 codes); an `#tilegpu.mma` version 3
    accumulator) for loops of wgmma dots fed by a ring (attention; A B^T). A sits at byte `aOffset` of the kernel's shared memory, plus
    `stage` times `aStageBytes` (0: a fixed region, such as a loop-invariant
    operand copied once), K-major: slices of K with M rows each, swizzled
    as `tilegpu.async_copy` writes. A register operand `a`
    in the accumulator's own mma layout is wgmma's register A (its
    registers are the A fragments as they are); another register `a` is
    first stored there (each warpgroup its own rows). B sits at `bOffset` plus `stage` times `bStageBytes`: MN-major
    (slices of N with K rows) or, with `bKMajor`, K-major (slices of K
    with N rows: a `[N, K]` tile copied as it is in memory, such
    as K for Q K^T). After committing its wgmma group it waits until at
    most `pendings` groups are in flight: 0 waits for its own; 1 (a loop's
    only dot, accumulating into its loop-carried value) leaves it running
    into the next iteration, whose staged_dot waits for it, and then the
    result may only feed that dot's accumulator or `tilegpu.dot_wait`; -1
    does not wait at all (a rotated attention loop's first dot, which a
    `tilegpu.dot_wait` after the second dot's issue completes).
    `sharedBytes` is the end of every region the pipeline placed (the
    kernel's shared memory covers it). tessel-pipeline-dot-operands makes
    these.
  }];
  let arguments = (ins AnyRankedTensor:$acc, I32:$stage,
                       Optional<AnyRankedTensor>:$a, TypeAttr:$aType,
                       TypeAttr:$bType, I64Attr:$aOffset, I64Attr:$aStageBytes,
                       I64Attr:$bOffset, I64Attr:$bStageBytes,
                       BoolAttr:$bKMajor, I64Attr:$sharedBytes,
                       DefaultValuedAttr<I32Attr, "0">:$pendings);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $acc (`a` $a^ `:` type($a))? `stage` $stage attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

def TileGPU_SharedDotOp : TileGPU_Op<"shared_dot",
    [AllTypesMatch<["acc", "result"]>, MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "a wgmma dot on operands already staged in shared memory";
  let description = [{
    Like `tilegpu.async_dot`, but A (`aType`) and B (`bType`) are already in
    shared-memory stage `stage` (written by `tilegpu.async_copy`): issues the
    wgmma groups and commits them, then waits until at most one group is in
    flight (so the previous iteration's group, which read another stage, is
    done). The result may only feed another shared_dot's accumulator or
    `tilegpu.dot_wait`.
  }];
  let arguments = (ins AnyRankedTensor:$acc, I32:$stage, TypeAttr:$aType,
                       TypeAttr:$bType, I32Attr:$numStages);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $acc `stage` $stage attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

def TileGPU_StageLoadOp : TileGPU_Op<"stage_load",
    [MemoryEffects<[MemRead]>]> {
  let summary = "read a tile from a ring stage into registers";
  let description = [{
    Reads the tile that `tilegpu.async_copy` wrote into shared-memory stage
    `stage` of a ring of `numStages` stages (`stageBytes` each), `offset`
    bytes into the stage, in the copy's swizzled layout (see async_copy),
    into the registers of the result's layout: ldmatrix when the layout is
    the fragments of mma.sync operands (16-bit elements), else one load per
    run of consecutive elements. With `transposed`, the stage holds the
    transpose of the result (an N x K tile read as the K x N B of A B^T).
    The caller orders it after the copies (async_copy_wait) and before the
    stage's reuse. Operands of mma.sync dots in
    tessel-pipeline-dot-operands' sm_80 ring.
  }];
  let arguments = (ins I32:$stage, I64Attr:$stageBytes, I64Attr:$offset,
                       I32Attr:$numStages, UnitAttr:$transposed);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    `stage` $stage attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

#endif // TESSEL_TILEGPU_OPS

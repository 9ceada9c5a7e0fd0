"""Fused attention (the plain form of Triton's tutorial 06): the forward with
online softmax over key blocks, tl.dot for Q K^T and P V, an optional causal
mask; and the backward (FlashAttention-2 style: the forward keeps the rows'
log-sum-exp, a preprocess computes delta = rowsum(O * dO), one kernel
accumulates dK and dV over query blocks, another dQ over key blocks).
Uses `jit` and `tl` as globals (see kernels/__init__.py)."""

@jit  # noqa: F821
def _attn_fwd_rows(q, k_base, v_base, offs_m, start_m, seq_len, qk_scale, stride_kn, stride_vn,
                   HEAD_DIM: tl.constexpr, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
                   CAUSAL: tl.constexpr, V_TRANSPOSED: tl.constexpr):
    """The un-normalized output rows of Q's block with the running maximum
    m_i and sum l_i (base 2) over the key blocks this block sees."""
    offs_n = tl.arange(0, BLOCK_N)
    offs_d = tl.arange(0, HEAD_DIM)
    m_i = tl.zeros([BLOCK_M], dtype=tl.float32) - float("inf")
    l_i = tl.zeros([BLOCK_M], dtype=tl.float32)
    acc = tl.zeros([BLOCK_M, HEAD_DIM], dtype=tl.float32)
    hi = tl.minimum((start_m + 1) * BLOCK_M, seq_len) if CAUSAL else seq_len
    for start_n in range(0, hi, BLOCK_N):
        cols = start_n + offs_n
        k = tl.load(k_base + cols[:, None] * stride_kn + offs_d[None, :],
                    mask=cols[:, None] < seq_len, other=0.0)
        qk = tl.dot(q, tl.trans(k))
        valid = cols[None, :] < seq_len
        if CAUSAL:
            valid = valid & (offs_m[:, None] >= cols[None, :])
        qk = tl.where(valid, qk, -float("inf"))
        # The scale (> 0) applied to the row maximum and fused into the
        # exponent's argument (one FFMA per score), as Triton's tutorial.
        m_new = tl.maximum(m_i, tl.max(qk, 1) * qk_scale)
        alpha = tl.math.exp2(m_i - m_new)
        p = tl.math.exp2(qk * qk_scale - m_new[:, None])
        l_i = l_i * alpha + tl.sum(p, 1)
        acc = acc * alpha[:, None]
        if V_TRANSPOSED:
            # V stored [D, N] (stride_vn steps along D): P V reads it K-major,
            # which 8-bit tensor cores need (Triton's fp8 tutorial path).
            v = tl.trans(tl.load(v_base + offs_d[:, None] * stride_vn + cols[None, :],
                                 mask=cols[None, :] < seq_len, other=0.0))
        else:
            v = tl.load(v_base + cols[:, None] * stride_vn + offs_d[None, :],
                        mask=cols[:, None] < seq_len, other=0.0)
        acc = tl.dot(p.to(v.dtype), v, acc)
        m_i = m_new
    return acc, l_i, m_i


@jit  # noqa: F821
def _attn_fwd(Q, K, V, Out, sm_scale, seq_len,
              stride_qz, stride_qh, stride_qm, stride_kz, stride_kh, stride_kn,
              stride_vz, stride_vh, stride_vn, stride_oz, stride_oh, stride_om,
              H: tl.constexpr, HEAD_DIM: tl.constexpr, BLOCK_M: tl.constexpr,
              BLOCK_N: tl.constexpr, CAUSAL: tl.constexpr, V_TRANSPOSED: tl.constexpr):
    """One query block's output; returns its rows and their log-sum-exp of
    the scaled scores in base 2 (scores are scaled by log2(e): exp2)."""
    start_m = tl.program_id(0)
    off_hz = tl.program_id(1)
    off_z = off_hz // H
    off_h = off_hz % H
    offs_m = start_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_d = tl.arange(0, HEAD_DIM)
    q_ptrs = Q + off_z * stride_qz + off_h * stride_qh + offs_m[:, None] * stride_qm + offs_d[None, :]
    q = tl.load(q_ptrs, mask=offs_m[:, None] < seq_len, other=0.0)
    acc, l_i, m_i = _attn_fwd_rows(q, K + off_z * stride_kz + off_h * stride_kh,
                                   V + off_z * stride_vz + off_h * stride_vh, offs_m, start_m,
                                   seq_len, sm_scale * 1.44269504, stride_kn, stride_vn,
                                   HEAD_DIM, BLOCK_M, BLOCK_N, CAUSAL, V_TRANSPOSED)
    acc = acc / l_i[:, None]
    o_ptrs = Out + off_z * stride_oz + off_h * stride_oh + offs_m[:, None] * stride_om + offs_d[None, :]
    tl.store(o_ptrs, acc.to(Out.dtype.element_ty), mask=offs_m[:, None] < seq_len)
    return offs_m, m_i + tl.math.log2(l_i)


@jit  # noqa: F821
def attention_fwd(Q, K, V, Out, sm_scale, seq_len,
                  stride_qz, stride_qh, stride_qm, stride_kz, stride_kh, stride_kn,
                  stride_vz, stride_vh, stride_vn, stride_oz, stride_oh, stride_om,
                  H: tl.constexpr, HEAD_DIM: tl.constexpr, BLOCK_M: tl.constexpr,
                  BLOCK_N: tl.constexpr, CAUSAL: tl.constexpr, V_TRANSPOSED: tl.constexpr = False):
    """Out = softmax(Q K^T * sm_scale) V. With V_TRANSPOSED, V is laid out
    [Z, H, D, N] and stride_vn is its stride along D (the float8 form)."""
    _attn_fwd(Q, K, V, Out, sm_scale, seq_len, stride_qz, stride_qh, stride_qm, stride_kz,
              stride_kh, stride_kn, stride_vz, stride_vh, stride_vn, stride_oz, stride_oh,
              stride_om, H, HEAD_DIM, BLOCK_M, BLOCK_N, CAUSAL, V_TRANSPOSED)


@jit  # noqa: F821
def attention_fwd_lse(Q, K, V, Out, LSE, sm_scale, seq_len,
                      stride_qz, stride_qh, stride_qm, stride_kz, stride_kh, stride_kn,
                      stride_vz, stride_vh, stride_vn, stride_oz, stride_oh, stride_om,
                      H: tl.constexpr, HEAD_DIM: tl.constexpr, BLOCK_M: tl.constexpr,
                      BLOCK_N: tl.constexpr, CAUSAL: tl.constexpr):
    """The forward for training: also stores the rows' log-sum-exp (base 2;
    LSE is [Z * H, seq_len] float32), from which the backward recomputes P."""
    offs_m, lse = _attn_fwd(Q, K, V, Out, sm_scale, seq_len, stride_qz, stride_qh, stride_qm,
                            stride_kz, stride_kh, stride_kn, stride_vz, stride_vh, stride_vn,
                            stride_oz, stride_oh, stride_om, H, HEAD_DIM, BLOCK_M, BLOCK_N,
                            CAUSAL, False)
    tl.store(LSE + tl.program_id(1) * seq_len + offs_m, lse, mask=offs_m < seq_len)


@jit  # noqa: F821
def attention_bwd_preprocess(Out, DO, Delta, seq_len, stride_oz, stride_oh, stride_om,
                             H: tl.constexpr, HEAD_DIM: tl.constexpr, BLOCK_M: tl.constexpr):
    """delta = rowsum(O * dO) per query row ([Z * H, seq_len] float32)."""
    start_m = tl.program_id(0)
    off_hz = tl.program_id(1)
    offs_m = start_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_d = tl.arange(0, HEAD_DIM)
    base = (off_hz // H) * stride_oz + (off_hz % H) * stride_oh
    rows = offs_m[:, None] < seq_len
    ptrs = base + offs_m[:, None] * stride_om + offs_d[None, :]
    o = tl.load(Out + ptrs, mask=rows, other=0.0).to(tl.float32)
    do = tl.load(DO + ptrs, mask=rows, other=0.0).to(tl.float32)
    tl.store(Delta + off_hz * seq_len + offs_m, tl.sum(o * do, axis=1), mask=offs_m < seq_len)


@jit  # noqa: F821
def attention_bwd_dkdv(Q, K, V, DO, DK, DV, LSE, Delta, sm_scale, seq_len,
                       stride_z, stride_h, stride_m,
                       H: tl.constexpr, HEAD_DIM: tl.constexpr, BLOCK_M: tl.constexpr,
                       BLOCK_N: tl.constexpr, CAUSAL: tl.constexpr):
    """dK and dV of one key block, over the query blocks that see it
    (Q, K, V, dO, dK, dV share one [Z, H, N, D] layout)."""
    start_n = tl.program_id(0)
    off_hz = tl.program_id(1)
    base = (off_hz // H) * stride_z + (off_hz % H) * stride_h
    offs_n = start_n * BLOCK_N + tl.arange(0, BLOCK_N)
    offs_d = tl.arange(0, HEAD_DIM)
    kv_ptrs = base + offs_n[:, None] * stride_m + offs_d[None, :]
    k = tl.load(K + kv_ptrs, mask=offs_n[:, None] < seq_len, other=0.0)
    v = tl.load(V + kv_ptrs, mask=offs_n[:, None] < seq_len, other=0.0)
    dk = tl.zeros([BLOCK_N, HEAD_DIM], dtype=tl.float32)
    dv = tl.zeros([BLOCK_N, HEAD_DIM], dtype=tl.float32)
    qk_scale = sm_scale * 1.44269504
    # Causal: query rows before this key block see none of it.
    lo = (start_n * BLOCK_N) // BLOCK_M * BLOCK_M if CAUSAL else 0
    for start_m in range(lo, seq_len, BLOCK_M):
        offs_m = start_m + tl.arange(0, BLOCK_M)
        q_ptrs = base + offs_m[:, None] * stride_m + offs_d[None, :]
        q = tl.load(Q + q_ptrs, mask=offs_m[:, None] < seq_len, other=0.0)
        do = tl.load(DO + q_ptrs, mask=offs_m[:, None] < seq_len, other=0.0)
        lse = tl.load(LSE + off_hz * seq_len + offs_m, mask=offs_m < seq_len, other=0.0)
        delta = tl.load(Delta + off_hz * seq_len + offs_m, mask=offs_m < seq_len, other=0.0)
        # S^T and P^T (keys along rows): P^T = exp2(K Q^T * scale - lse).
        st = tl.dot(k, tl.trans(q)) * qk_scale
        valid = (offs_m[None, :] < seq_len) & (offs_n[:, None] < seq_len)
        if CAUSAL:
            valid = valid & (offs_m[None, :] >= offs_n[:, None])
        pt = tl.where(valid, tl.math.exp2(st - lse[None, :]), 0.0)
        dv = tl.dot(pt.to(do.dtype), do, dv)
        # dP^T = V dO^T; dS^T = P^T * (dP^T - delta).
        dpt = tl.dot(v, tl.trans(do))
        dst = pt * (dpt - delta[None, :])
        dk = tl.dot(dst.to(q.dtype), q, dk)
    dk = dk * sm_scale
    tl.store(DK + kv_ptrs, dk.to(DK.dtype.element_ty), mask=offs_n[:, None] < seq_len)
    tl.store(DV + kv_ptrs, dv.to(DV.dtype.element_ty), mask=offs_n[:, None] < seq_len)


@jit  # noqa: F821
def attention_bwd_dq(Q, K, V, DO, DQ, LSE, Delta, sm_scale, seq_len,
                     stride_z, stride_h, stride_m,
                     H: tl.constexpr, HEAD_DIM: tl.constexpr, BLOCK_M: tl.constexpr,
                     BLOCK_N: tl.constexpr, CAUSAL: tl.constexpr):
    """dQ of one query block, over the key blocks it sees."""
    start_m = tl.program_id(0)
    off_hz = tl.program_id(1)
    base = (off_hz // H) * stride_z + (off_hz % H) * stride_h
    offs_m = start_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_d = tl.arange(0, HEAD_DIM)
    q_ptrs = base + offs_m[:, None] * stride_m + offs_d[None, :]
    q = tl.load(Q + q_ptrs, mask=offs_m[:, None] < seq_len, other=0.0)
    do = tl.load(DO + q_ptrs, mask=offs_m[:, None] < seq_len, other=0.0)
    lse = tl.load(LSE + off_hz * seq_len + offs_m, mask=offs_m < seq_len, other=0.0)
    delta = tl.load(Delta + off_hz * seq_len + offs_m, mask=offs_m < seq_len, other=0.0)
    dq = tl.zeros([BLOCK_M, HEAD_DIM], dtype=tl.float32)
    qk_scale = sm_scale * 1.44269504
    hi = tl.minimum((start_m + 1) * BLOCK_M, seq_len) if CAUSAL else seq_len
    for start_n in range(0, hi, BLOCK_N):
        offs_n = start_n + tl.arange(0, BLOCK_N)
        kv_ptrs = base + offs_n[:, None] * stride_m + offs_d[None, :]
        k = tl.load(K + kv_ptrs, mask=offs_n[:, None] < seq_len, other=0.0)
        v = tl.load(V + kv_ptrs, mask=offs_n[:, None] < seq_len, other=0.0)
        s = tl.dot(q, tl.trans(k)) * qk_scale
        valid = offs_n[None, :] < seq_len
        if CAUSAL:
            valid = valid & (offs_m[:, None] >= offs_n[None, :])
        p = tl.where(valid, tl.math.exp2(s - lse[:, None]), 0.0)
        dp = tl.dot(do, tl.trans(v))
        ds = p * (dp - delta[:, None])
        dq = tl.dot(ds.to(k.dtype), k, dq)
    dq = dq * sm_scale
    tl.store(DQ + q_ptrs, dq.to(DQ.dtype.element_ty), mask=offs_m[:, None] < seq_len)


@jit  # noqa: F821
def _attn_desc_blocks(acc, l_i, m_i, q, desc_k, desc_v, row0, offs_m, qk_scale, lo, hi,
                      BLOCK_N: tl.constexpr, MASKED: tl.constexpr,  # noqa: F821
                      WARP_SPECIALIZE: tl.constexpr):  # noqa: F821
    """The online softmax over key blocks lo .. hi; with MASKED (the causal
    diagonal) keys after a row's own position do not count."""
    offs_n = tl.arange(0, BLOCK_N)
    for start_n in tl.range(lo, hi, BLOCK_N, warp_specialize=WARP_SPECIALIZE):
        k = desc_k.load([row0 + start_n, 0])
        qk = tl.dot(q, k.T)
        if MASKED:
            qk = tl.where(offs_m[:, None] >= (start_n + offs_n)[None, :], qk, -float("inf"))
        m_new = tl.maximum(m_i, tl.max(qk, 1) * qk_scale)
        alpha = tl.math.exp2(m_i - m_new)
        p = tl.math.exp2(qk * qk_scale - m_new[:, None])
        l_i = l_i * alpha + tl.sum(p, 1)
        acc = acc * alpha[:, None]
        v = desc_v.load([row0 + start_n, 0])
        acc = tl.dot(p.to(v.dtype), v, acc)
        m_i = m_new
    return acc, l_i, m_i


@jit  # noqa: F821
def attention_fwd_desc(desc_q, desc_k, desc_v, desc_o, sm_scale, seq_len,
                       HEAD_DIM: tl.constexpr, BLOCK_M: tl.constexpr,  # noqa: F821
                       BLOCK_N: tl.constexpr, CAUSAL: tl.constexpr,  # noqa: F821
                       WARP_SPECIALIZE: tl.constexpr = False):  # noqa: F821
    """The forward on host tensor descriptors over [Z * H * N, D] (as
    Triton's tutorial 06 passes them): on Hopper K and V reach the ring by
    TMA (with WARP_SPECIALIZE, issued by a producer warp). Causal, as the
    tutorial stages it: the blocks left of the diagonal without a mask, then
    the diagonal's with it. seq_len must be a multiple of BLOCK_M and BLOCK_N
    (a block past the end would read the next head's rows, as in the
    tutorial). Causal programs start with the longest rows (the last query
    blocks), so the short ones fill the end of the grid."""
    start_m = tl.num_programs(0) - 1 - tl.program_id(0) if CAUSAL else tl.program_id(0)
    row0 = tl.program_id(1) * seq_len
    q = desc_q.load([row0 + start_m * BLOCK_M, 0])
    qk_scale = sm_scale * 1.44269504
    offs_m = start_m * BLOCK_M + tl.arange(0, BLOCK_M)
    m_i = tl.zeros([BLOCK_M], dtype=tl.float32) - float("inf")
    l_i = tl.zeros([BLOCK_M], dtype=tl.float32)
    acc = tl.zeros([BLOCK_M, HEAD_DIM], dtype=tl.float32)
    if CAUSAL:
        diagonal = start_m * BLOCK_M // BLOCK_N * BLOCK_N
        acc, l_i, m_i = _attn_desc_blocks(acc, l_i, m_i, q, desc_k, desc_v, row0, offs_m,
                                          qk_scale, 0, diagonal, BLOCK_N, False,
                                          WARP_SPECIALIZE)
        acc, l_i, m_i = _attn_desc_blocks(acc, l_i, m_i, q, desc_k, desc_v, row0, offs_m,
                                          qk_scale, diagonal, (start_m + 1) * BLOCK_M,
                                          BLOCK_N, True, WARP_SPECIALIZE)
    else:
        acc, l_i, m_i = _attn_desc_blocks(acc, l_i, m_i, q, desc_k, desc_v, row0, offs_m,
                                          qk_scale, 0, seq_len, BLOCK_N, False,
                                          WARP_SPECIALIZE)
    acc = acc / l_i[:, None]
    desc_o.store([row0 + start_m * BLOCK_M, 0], acc.to(desc_o.dtype))

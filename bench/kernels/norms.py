# Layer norm forward/backward and RMSNorm. `jit` and `tl` are bound by
# kernels.load.
# ruff: noqa: F821
@jit
def layer_norm_fwd(x_ptr, y_ptr, w_ptr, b_ptr, mean_ptr, rstd_ptr, stride, n, eps,
                   BLOCK: tl.constexpr):
    row = tl.program_id(0)
    cols = tl.arange(0, BLOCK)
    mask = cols < n
    x = tl.load(x_ptr + row * stride + cols, mask=mask, other=0.0)
    mean = tl.sum(x, axis=0) / n
    xc = tl.where(mask, x - mean, 0.0)
    var = tl.sum(xc * xc, axis=0) / n
    rstd = 1.0 / tl.sqrt(var + eps)
    w = tl.load(w_ptr + cols, mask=mask)
    b = tl.load(b_ptr + cols, mask=mask)
    tl.store(y_ptr + row * stride + cols, xc * rstd * w + b, mask=mask)
    tl.store(mean_ptr + row, mean)
    tl.store(rstd_ptr + row, rstd)

@jit
def layer_norm_bwd_dx(x_ptr, dy_ptr, dx_ptr, w_ptr, mean_ptr, rstd_ptr, dw_part, db_part,
                      stride, m, n, rows_per_prog, BLOCK: tl.constexpr):
    pid = tl.program_id(0)
    cols = tl.arange(0, BLOCK)
    mask = cols < n
    w = tl.load(w_ptr + cols, mask=mask, other=0.0)
    dw = tl.zeros((BLOCK,), dtype=tl.float32)
    db = tl.zeros((BLOCK,), dtype=tl.float32)
    first = pid * rows_per_prog
    for i in range(0, rows_per_prog):
        row = first + i
        if row < m:
            x = tl.load(x_ptr + row * stride + cols, mask=mask, other=0.0)
            dy = tl.load(dy_ptr + row * stride + cols, mask=mask, other=0.0)
            mean = tl.load(mean_ptr + row)
            rstd = tl.load(rstd_ptr + row)
            xhat = tl.where(mask, (x - mean) * rstd, 0.0)
            wdy = w * dy
            c1 = tl.sum(xhat * wdy, axis=0) / n
            c2 = tl.sum(wdy, axis=0) / n
            dx = (wdy - (xhat * c1 + c2)) * rstd
            tl.store(dx_ptr + row * stride + cols, dx, mask=mask)
            dw += dy * xhat
            db += dy
    tl.store(dw_part + pid * n + cols, dw, mask=mask)
    tl.store(db_part + pid * n + cols, db, mask=mask)

@jit
def layer_norm_bwd_dwdb(dw_part, db_part, dw_ptr, db_ptr, parts, n,
                        BM: tl.constexpr, BN: tl.constexpr):
    cols = tl.program_id(0) * BN + tl.arange(0, BN)
    dw = tl.zeros((BM, BN), dtype=tl.float32)
    db = tl.zeros((BM, BN), dtype=tl.float32)
    for start in range(0, parts, BM):
        rows = start + tl.arange(0, BM)
        mask = (rows[:, None] < parts) & (cols[None, :] < n)
        offs = rows[:, None] * n + cols[None, :]
        dw += tl.load(dw_part + offs, mask=mask, other=0.0)
        db += tl.load(db_part + offs, mask=mask, other=0.0)
    tl.store(dw_ptr + cols, tl.sum(dw, axis=0), mask=cols < n)
    tl.store(db_ptr + cols, tl.sum(db, axis=0), mask=cols < n)

@jit
def rms_norm_fwd(x_ptr, y_ptr, w_ptr, stride, n, eps, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    cols = tl.arange(0, BLOCK)
    mask = cols < n
    x = tl.load(x_ptr + row * stride + cols, mask=mask, other=0.0)
    rstd = tl.rsqrt(tl.sum(x * x, axis=0) / n + eps)
    w = tl.load(w_ptr + cols, mask=mask)
    tl.store(y_ptr + row * stride + cols, x * rstd * w, mask=mask)

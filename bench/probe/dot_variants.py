#!/usr/bin/env python3
"""Which feature breaks a tensor-core dot: ragged masks, a transposed
operand, or an accumulator loaded from memory (GPU only).

    TESSEL_CONFORMANCE_DEVICE=cuda python3 bench/probe/dot_variants.py [outdir]
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "test", "python"))
import test_dot  # noqa: E402

out_dir = sys.argv[1] if len(sys.argv) > 1 else ""
rng = np.random.default_rng(0)
cases = {
    "full": (64, 64, 64, False, False),
    "ragged": (37, 45, 50, False, False),
    "ragged_mn": (37, 45, 64, False, False),
    "ragged_k": (64, 64, 50, False, False),
    "transposed_b": (64, 64, 64, True, False),
    "acc_init": (64, 64, 64, False, True),
}
for name, (m, n, k, trans, init) in cases.items():
    a = rng.standard_normal((m, k)).astype(np.float16)
    b = rng.standard_normal((n, k)).astype(np.float16).T if trans else \
        rng.standard_normal((k, n)).astype(np.float16)
    c0 = rng.standard_normal((m, n)).astype(np.float32) if init else None
    got = test_dot._run_matmul(a, b, np.float32, c_init=c0)
    ref = a.astype(np.float64) @ b.astype(np.float64) + (0 if c0 is None else c0)
    err = np.abs(got - ref).max()
    bad = np.argwhere(np.abs(got - ref) > 1e-3)
    print(f"{name:14s} max err {err:.3g}  wrong {len(bad)}/{m * n}  first {bad[:4].tolist()}")
if out_dir:
    os.makedirs(out_dir, exist_ok=True)
    for key, kernel in test_dot.matmul_kernel.cache.items():
        for stage in ("tilegpu", "ptx"):
            text = kernel.asm.get(stage, "")
            if text:
                tag = abs(hash(key)) % 10000
                with open(os.path.join(out_dir, f"k{tag}.{stage}"), "w") as f:
                    f.write(text)

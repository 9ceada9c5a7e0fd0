"""First call of a softmax kernel in a fresh process: cold (empty disk cache)
and warm (the cache a previous process filled). Issue 9's table.

    python3 bench/first_call.py [--device cuda|cpu] [--runs 3]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

CHILD = r"""
import sys, time
import numpy as np
import tessel, tessel.language as tl

@tessel.jit
def softmax(x_ptr, out_ptr, n_cols, stride, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    offs = tl.arange(0, BLOCK)
    m = offs < n_cols
    x = tl.load(x_ptr + row * stride + offs, mask=m, other=-float("inf"))
    e = tl.exp(x - tl.max(x, axis=0))
    tl.store(out_ptr + row * stride + offs, e / tl.sum(e, axis=0), mask=m)

x = np.random.default_rng(0).standard_normal((256, 1000)).astype(np.float32)
if sys.argv[1] == "cuda":
    import torch
    xt = torch.from_numpy(x).cuda(); out = torch.empty_like(xt); torch.cuda.synchronize()
else:
    xt, out = x, np.zeros_like(x)
t = time.perf_counter()
softmax[(256,)](xt, out, 1000, 1000, BLOCK=1024)
if sys.argv[1] == "cuda":
    torch.cuda.synchronize(); out = out.cpu().numpy()
ms = (time.perf_counter() - t) * 1e3
e = np.exp(x - x.max(1, keepdims=True))
assert np.allclose(out, e / e.sum(1, keepdims=True), atol=1e-6)
print(f"{ms:.1f}")
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    cold, warm = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            # @jit reads the kernel's source: the child is a file.
            script = os.path.join(tmp, "softmax_child.py")
            with open(script, "w") as f:
                f.write(CHILD)
            env = dict(os.environ, TESSEL_CACHE_DIR=os.path.join(tmp, "cache"))
            env.pop("TESSEL_DUMP_IR", None)
            run = lambda: float(subprocess.check_output([sys.executable, script, args.device],
                                                        env=env, text=True))
            cold.append(run())
            warm.append(run())
    print(f"first call of softmax ({args.device}), fresh process: cold {min(cold):.1f}-{max(cold):.1f} ms, "
          f"warm disk cache {min(warm):.1f}-{max(warm):.1f} ms")


if __name__ == "__main__":
    main()

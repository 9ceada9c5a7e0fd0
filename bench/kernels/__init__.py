"""Kernel texts shared by the Tessel and Triton sides of the benchmarks.

Each file here uses `jit` and `tl` as globals; `load` runs it once per
compiler with those bound, so both compile the same source text (and both
can read it back with inspect, which they need).
"""
from __future__ import annotations

import os
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name: str, jit: Any, lang: Any) -> dict[str, Any]:
    path = os.path.join(HERE, f"{name}.py")
    with open(path) as f:
        code = compile(f.read(), path, "exec")
    namespace: dict[str, Any] = {"__name__": f"bench_kernels_{name}_{lang.__name__}",
                                 "jit": jit, "tl": lang}
    exec(code, namespace)
    return namespace

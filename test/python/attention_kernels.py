"""The fused attention forward kernel of bench/kernels/attention.py, compiled
by Tessel: the tests and the benchmark run one kernel text."""
import importlib.util
import os

import tessel
import tessel.language as tl

_KERNELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench", "kernels",
                        "__init__.py")
_spec = importlib.util.spec_from_file_location("bench_kernels", _KERNELS)
_loader = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_loader)

attention_fwd = _loader.load("attention", tessel.jit, tl)["attention_fwd"]

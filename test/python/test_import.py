"""`import tessel` stays light (the project's start-up lead over Triton):
it loads neither NumPy nor torch, nor the compiled extension, nor the
autotuner and benchmarking helpers, which load on first use."""
from __future__ import annotations

import os
import subprocess
import sys

HEAVY = ("numpy", "torch", "tessel._ext", "tessel.runtime.autotuner", "tessel.testing",
         "tessel.compiler.effects", "concurrent.futures")


def test_import_loads_nothing_heavy() -> None:
    code = ("import sys, tessel; heavy = %r; "
            "print(','.join(m for m in heavy if m in sys.modules))" % (HEAVY,))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ), timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_lazy_attributes_resolve() -> None:
    import tessel

    assert callable(tessel.autotune) and callable(tessel.heuristics)
    assert tessel.Config(kwargs={"BLOCK": 64}).kwargs == {"BLOCK": 64}
    assert callable(tessel.testing.do_bench)
    assert tessel.runtime.Autotuner is tessel.Autotuner

"""tessel.autotune / tessel.heuristics / tessel.Config (Triton's semantics) on
the CPU backend with NumPy arrays; the CUDA cases at the end run with torch
CUDA tensors when a GPU is present.

Most tests time configs with a fake do_bench (``FakeBench``) that runs the
trial and returns a chosen time per BLOCK, so the choice is deterministic and
benchmarks can be counted; a few use the real ``tessel.testing.do_bench``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

try:
    import tessel._ext  # noqa: F401
except ImportError:
    pytest.skip("tessel extension not built", allow_module_level=True)

import autotune_kernels as K

import tessel
import tessel.language as tl
from tessel.runtime.autotuner import AutotuneWarning

RNG = np.random.default_rng(97531)
HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture(autouse=True)
def _cpu_and_private_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TESSEL_TARGET", "cpu")
    monkeypatch.setenv("TESSEL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TESSEL_PRINT_AUTOTUNING", raising=False)


class Grid:
    """``lambda META: (cdiv(n, META["BLOCK"]),)`` that records every META."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.metas: list[dict[str, Any]] = []

    def __call__(self, meta: dict[str, Any]) -> tuple[int]:
        self.metas.append(dict(meta))
        return (tessel.cdiv(self.n, meta["BLOCK"]),)


class FakeBench:
    """A do_bench: runs the trial ``runs`` times and returns ``times[BLOCK]``
    for the BLOCK the launch saw (from the grid's META)."""

    def __init__(self, grid: Grid, times: dict[int, float], runs: int = 1) -> None:
        self.grid, self.times, self.runs = grid, times, runs
        self.blocks: list[int] = []

    def __call__(self, fn: Any, quantiles: Any = None) -> list[float]:
        for _ in range(self.runs):
            fn()
        block = self.grid.metas[-1]["BLOCK"]
        self.blocks.append(block)
        t = self.times[block]
        return [t, t * 0.9, t * 1.1]


def configs(*blocks: int, **options: Any) -> list[tessel.Config]:
    return [tessel.Config({"BLOCK": b}, **options) for b in blocks]


def rand(n: int, dtype: Any = np.float32) -> np.ndarray:
    if np.dtype(dtype).kind == "f":
        return RNG.standard_normal(n).astype(dtype)
    return RNG.integers(-1000, 1000, n).astype(dtype)


def tuned_add(grid: Grid, times: dict[int, float], blocks=(64, 128, 256), **kw: Any):
    bench = FakeBench(grid, times)
    kernel = tessel.autotune(configs(*blocks), key=["n"], do_bench=bench, **kw)(tessel.jit(K.add))
    return kernel, bench


# ---------------------------------------------------------------------------
# choosing, caching per key
# ---------------------------------------------------------------------------
def test_picks_the_fastest_config_and_caches_it_per_key() -> None:
    n = 1000
    grid = Grid(n)
    kernel, bench = tuned_add(grid, {64: 3.0, 128: 1.0, 256: 2.0})
    jit_fn = kernel.fn
    x, y = rand(n), rand(n)
    out = np.zeros(n, np.float32)
    kernel[grid](x, y, out, n)
    np.testing.assert_array_equal(out, x + y)
    assert kernel.best_config == tessel.Config({"BLOCK": 128})
    assert sorted(bench.blocks) == [64, 128, 256]  # each config timed once
    assert len(jit_fn.cache) == 3  # each compiled once
    # the grid saw the config's meta-parameters and launch options
    assert grid.metas[-1]["BLOCK"] == 128 and grid.metas[-1]["num_warps"] == 4
    assert {c.kwargs["BLOCK"]: t[0] for c, t in kernel.configs_timings.items()} == {
        64: 3.0, 128: 1.0, 256: 2.0}

    # same key: no tuning, no compile
    out2 = np.zeros(n, np.float32)
    kernel[grid](x, y, out2, n)
    np.testing.assert_array_equal(out2, x + y)
    assert len(bench.blocks) == 3 and len(jit_fn.cache) == 3
    assert list(kernel.cache) == [(n, "float32", "float32", "float32")]

    # kernel.cache is Triton's (key -> Config): setting an entry picks the config
    kernel.cache[(n, "float32", "float32", "float32")] = tessel.Config({"BLOCK": 256})
    kernel[grid](x, y, out2, n)
    assert grid.metas[-1]["BLOCK"] == 256 and kernel.best_config.kwargs == {"BLOCK": 256}
    assert len(bench.blocks) == 3


def test_a_new_key_or_dtype_tunes_again() -> None:
    grid1, grid2 = Grid(1000), Grid(3000)
    kernel, bench = tuned_add(grid1, {64: 1.0, 128: 2.0, 256: 3.0})
    x, y = rand(3000), rand(3000)
    out = np.zeros(3000, np.float32)
    kernel[grid1](x, y, out, 1000)
    assert len(bench.blocks) == 3
    bench.grid, bench.times = grid2, {64: 3.0, 128: 2.0, 256: 1.0}
    kernel[grid2](x, y, out, 3000)  # key n changed
    assert len(bench.blocks) == 6
    np.testing.assert_array_equal(out, x + y)
    assert kernel.best_config.kwargs == {"BLOCK": 256}
    kernel[grid1](x, y, out, 1000)  # back to the first key: cached
    assert len(bench.blocks) == 6 and kernel.best_config.kwargs == {"BLOCK": 64}
    xd, yd, outd = rand(1000, np.float64), rand(1000, np.float64), np.zeros(1000)
    bench.grid = grid1
    kernel[grid1](xd, yd, outd, 1000)  # same n, other dtypes
    assert len(bench.blocks) == 9
    np.testing.assert_array_equal(outd, xd + yd)
    assert len(kernel.cache) == 3


def test_single_config_is_not_benchmarked() -> None:
    grid = Grid(500)
    bench = FakeBench(grid, {})
    kernel = tessel.autotune(configs(128), key=["n"], do_bench=bench)(tessel.jit(K.add))
    x, y, out = rand(500), rand(500), np.zeros(500, np.float32)
    kernel[grid](x, y, out, 500)
    np.testing.assert_array_equal(out, x + y)
    assert bench.blocks == [] and kernel.best_config.kwargs == {"BLOCK": 128}


def test_configs_compile_in_parallel_threads() -> None:
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one CPU: configs compile in the calling thread")
    threads: set[str] = set()

    def block(args: dict[str, Any]) -> int:  # a heuristic that keeps BLOCK
        threads.add(threading.current_thread().name)
        return args["BLOCK"]

    grid = Grid(700)
    bench = FakeBench(grid, {32: 2.0, 64: 1.0, 128: 3.0, 256: 4.0})
    kernel = tessel.autotune(configs(32, 64, 128, 256), key=["n"], do_bench=bench)(
        tessel.heuristics({"BLOCK": block})(tessel.jit(K.add)))
    x, y, out = rand(700), rand(700), np.zeros(700, np.float32)
    kernel[grid](x, y, out, 700)
    np.testing.assert_array_equal(out, x + y)
    assert any(t.startswith("tessel-autotune") for t in threads), threads
    assert kernel.best_config.kwargs == {"BLOCK": 64}


def test_the_real_do_bench_tunes_on_the_cpu() -> None:
    n = 5000
    kernel = tessel.autotune(configs(64, 256, 1024), key=["n"], warmup=1, rep=2)(
        tessel.jit(K.add))
    x, y, out = rand(n), rand(n), np.zeros(n, np.float32)
    kernel[lambda m: (tessel.cdiv(n, m["BLOCK"]),)](x, y, out, n)
    np.testing.assert_array_equal(out, x + y)
    assert kernel.best_config in configs(64, 256, 1024)
    for median, p20, p80 in kernel.configs_timings.values():
        assert 0 < p20 <= median <= p80 < 100


# ---------------------------------------------------------------------------
# reset_to_zero, restore_value, hooks
# ---------------------------------------------------------------------------
def test_reset_to_zero_gives_the_right_sum_after_tuning() -> None:
    n = 3000
    x = rand(n, np.int32)
    out = RNG.integers(1, 100, 1).astype(np.int32)  # garbage: zeroed by the tuner
    kernel = tessel.autotune(configs(64, 128, 512), key=["n"], reset_to_zero=["out_ptr"],
                             warmup=1, rep=2)(tessel.jit(K.atomic_sum))
    grid = lambda m: (tessel.cdiv(n, m["BLOCK"]),)  # noqa: E731
    kernel[grid](x, out, n)
    assert out[0] == x.sum()
    # A launch with a tuned key adds to what is there, as in Triton.
    kernel[grid](x, out, n)
    assert out[0] == 2 * x.sum()


def test_reset_to_zero_and_restore_value_reach_through_reinterpret() -> None:
    # A tessel.reinterpret wrapper is zeroed and restored through its array.
    n = 3000
    x = rand(n, np.int32)
    out = RNG.integers(1, 100, 1).astype(np.uint32)  # garbage: zeroed by the tuner
    kernel = tessel.autotune(configs(64, 128), key=["n"], reset_to_zero=["out_ptr"],
                             restore_value=["out_ptr"], warmup=1, rep=2)(
        tessel.jit(K.atomic_sum))
    grid = lambda m: (tessel.cdiv(n, m["BLOCK"]),)  # noqa: E731
    kernel[grid](x, tessel.reinterpret(out, tl.int32), n)
    assert out.view(np.int32)[0] == x.sum()


def test_without_reset_to_zero_the_trials_accumulate() -> None:
    n = 1000
    x = rand(n, np.int32)
    x[0] += 1 - x.sum()  # sum(x) == 1
    out = np.zeros(1, np.int32)
    grid = Grid(n)
    bench = FakeBench(grid, {64: 1.0, 128: 2.0}, runs=2)
    kernel = tessel.autotune(configs(64, 128), key=["n"], do_bench=bench)(
        tessel.jit(K.atomic_sum))
    kernel[grid](x, out, n)
    assert out[0] == 2 * 2 + 1  # two trials of two runs each, then the launch


def test_restore_value_undoes_the_trials() -> None:
    n = 2000
    x0 = rand(n)
    x = x0.copy()
    grid = Grid(n)
    bench = FakeBench(grid, {32: 2.0, 64: 1.0, 128: 3.0}, runs=3)
    kernel = tessel.autotune(configs(32, 64, 128), key=["n"], restore_value=["x_ptr"],
                             do_bench=bench)(tessel.jit(K.scale_in_place))
    kernel[grid](x, n)
    np.testing.assert_array_equal(x, 2 * x0 + 1)  # exactly one launch took effect
    assert len(bench.blocks) == 3


def test_user_hooks_replace_reset_and_restore() -> None:
    n = 512
    calls: list[tuple[str, Any]] = []
    grid = Grid(n)
    bench = FakeBench(grid, {64: 2.0, 128: 1.0})
    kernel = tessel.autotune(
        configs(64, 128), key=["n"], reset_to_zero=["out_ptr"], do_bench=bench,
        pre_hook=lambda nargs, reset_only=False: calls.append(("pre", nargs["BLOCK"], reset_only)),
        post_hook=lambda nargs, exception: calls.append(("post", nargs["BLOCK"], exception)),
    )(tessel.jit(K.atomic_sum))
    x, out = rand(n, np.int32), np.zeros(1, np.int32)
    kernel[grid](x, out, n)
    assert calls == [("pre", 64, False), ("post", 64, None), ("pre", 128, False),
                     ("post", 128, None), ("pre", 128, True)]
    assert out[0] == 3 * x.sum()  # the user's hooks do not zero


def test_config_pre_hook_runs_before_each_launch() -> None:
    seen: list[int] = []
    n = 256
    grid = Grid(n)
    cfgs = [tessel.Config({"BLOCK": b}, pre_hook=lambda a: seen.append(a["BLOCK"]))
            for b in (64, 128)]
    kernel = tessel.autotune(cfgs, key=["n"], do_bench=FakeBench(grid, {64: 1.0, 128: 2.0}))(
        tessel.jit(K.add))
    x, y, out = rand(n), rand(n), np.zeros(n, np.float32)
    kernel[grid](x, y, out, n)
    kernel[grid](x, y, out, n)
    assert seen == [64, 128, 64, 64]
    # configs with a pre_hook are not cached on disk (a function cannot be saved)
    assert not list(Path(os.environ["TESSEL_CACHE_DIR"]).rglob("*.json"))


# ---------------------------------------------------------------------------
# failing configs
# ---------------------------------------------------------------------------
def test_failing_configs_are_skipped_with_a_warning() -> None:
    n = 1000
    grid = Grid(n)
    bench = FakeBench(grid, {32: 0.5, 64: 2.0, 256: 1.0})
    kernel = tessel.autotune(configs(100, 32, 64, 256), key=["n"], do_bench=bench)(
        tessel.jit(K.add_checked, debug=True))
    x, y, out = rand(n), rand(n), np.zeros(n, np.float32)
    with pytest.warns(AutotuneWarning) as record:
        kernel[grid](x, y, out, n)
    messages = [str(w.message) for w in record]
    assert len(messages) == 2, messages
    assert "BLOCK: 100" in messages[0] and "does not compile" in messages[0]
    assert "power of 2" in messages[0]
    assert "BLOCK: 32" in messages[1] and "failed to run" in messages[1]
    assert "BLOCK 32 is refused" in messages[1]
    assert record[0].filename == __file__  # attributed to the launch
    np.testing.assert_array_equal(out, x + y)
    assert kernel.best_config.kwargs == {"BLOCK": 256}  # 32 would have been fastest
    timings = {c.kwargs["BLOCK"]: t for c, t in kernel.configs_timings.items()}
    assert timings[100][0] == float("inf") and timings[32][0] == float("inf")


def test_unsupported_launch_options_are_skipped() -> None:
    n = 300
    grid = Grid(n)
    cfgs = [tessel.Config({"BLOCK": 64}, num_ctas=2), tessel.Config({"BLOCK": 128}, num_warps=3),
            tessel.Config({"BLOCK": 256})]
    kernel = tessel.autotune(cfgs, key=["n"], do_bench=FakeBench(grid, {256: 1.0}))(
        tessel.jit(K.add))
    x, y, out = rand(n), rand(n), np.zeros(n, np.float32)
    with pytest.warns(AutotuneWarning, match="num_ctas|power of two"):
        kernel[grid](x, y, out, n)
    np.testing.assert_array_equal(out, x + y)
    assert kernel.best_config.kwargs == {"BLOCK": 256}


def test_all_configs_failing_is_a_clear_error() -> None:
    n = 100
    kernel = tessel.autotune(configs(100, 48, 32), key=["n"], warmup=1, rep=1)(
        tessel.jit(K.add_checked, debug=True))
    x, y, out = rand(n), rand(n), np.zeros(n, np.float32)
    with pytest.warns(AutotuneWarning), pytest.raises(tessel.AutotunerError) as info:
        kernel[lambda m: (tessel.cdiv(n, m["BLOCK"]),)](x, y, out, n)
    text = str(info.value)
    assert "every autotuning config failed" in text and "add_checked" in text
    for c in configs(100, 48, 32):
        assert str(c) in text
    assert text.count("power of 2") == 2 and "BLOCK 32 is refused" in text
    assert isinstance(info.value.__cause__, tessel.CompilationError)


def test_conflicting_meta_parameters_are_an_error() -> None:
    kernel, _ = tuned_add(Grid(10), {})
    x = rand(10)
    with pytest.raises(ValueError, match="Conflicting meta-parameters: BLOCK"):
        kernel[(1,)](x, x, x, 10, BLOCK=64)


# ---------------------------------------------------------------------------
# the disk cache
# ---------------------------------------------------------------------------
CHILD = textwrap.dedent("""
    import sys
    import numpy as np
    import tessel
    import autotune_kernels as K

    benched = []
    def bench(fn, quantiles=None):
        fn()
        block = benched_meta[-1]
        benched.append(block)
        return [{64: 3.0, 128: 1.0, 256: 2.0}[block]]
    benched_meta = []
    def grid(meta):
        benched_meta.append(meta["BLOCK"])
        return (tessel.cdiv(n, meta["BLOCK"]),)

    kernel = tessel.autotune([tessel.Config({"BLOCK": b}) for b in (64, 128, 256)],
                             key=["n"], do_bench=bench)(tessel.jit(K.add))
    n = 3000
    x = np.random.default_rng(5).standard_normal(n).astype(np.float32)
    y = np.random.default_rng(6).standard_normal(n).astype(np.float32)
    out = np.zeros(n, np.float32)
    kernel[grid](x, y, out, n)
    assert np.array_equal(out, x + y), "wrong result"
    print(len(benched), kernel.best_config.kwargs["BLOCK"])
""")


def run_child(cache: Path | str) -> tuple[int, int]:
    env = dict(os.environ, TESSEL_CACHE_DIR=str(cache), TESSEL_TARGET="cpu",
               PYTHONPATH=os.pathsep.join(p for p in [HERE, *sys.path] if p))
    env.pop("TESSEL_PRINT_AUTOTUNING", None)
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    benched, block = out.stdout.split()
    return int(benched), int(block)


def test_a_new_process_reuses_the_tuning_result(tmp_path: Path) -> None:
    cache = tmp_path / "shared-cache"
    assert run_child(cache) == (3, 128)
    (entry,) = (cache / "autotune").glob("*.json")
    data = json.loads(entry.read_text())
    assert data["best"] == 1 and data["key"] == ["3000", "float32", "float32", "float32"]
    assert data["kernel"].endswith(":add") and data["device"].startswith("cpu")
    assert run_child(cache) == (0, 128)  # no benchmark in the second process
    assert run_child("0") == (3, 128)  # TESSEL_CACHE_DIR=0: no disk cache


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "bad-best", "other-configs"])
def test_a_damaged_result_file_is_ignored_and_rewritten(damage: str) -> None:
    n = 2000
    times = {64: 2.0, 128: 3.0, 256: 1.0}
    grid = Grid(n)
    kernel, bench = tuned_add(grid, times)
    x, y, out = rand(n), rand(n), np.zeros(n, np.float32)
    kernel[grid](x, y, out, n)
    root = Path(os.environ["TESSEL_CACHE_DIR"]) / "autotune"
    (entry,) = root.glob("*.json")
    assert [p.name for p in root.iterdir()] == [entry.name]  # no temporary file left
    # a new autotuner in this process finds the file
    again, bench2 = tuned_add(grid, times)
    again[grid](x, y, out, n)
    assert bench2.blocks == [] and again.best_config.kwargs == {"BLOCK": 256}

    text = entry.read_text()
    data = json.loads(text)
    if damage == "garbage":
        entry.write_bytes(b"\x00{not json")
    elif damage == "truncated":
        entry.write_text(text[: len(text) // 2])
    elif damage == "empty":
        entry.write_text("")
    elif damage == "bad-best":
        data["best"] = 7
        entry.write_text(json.dumps(data))
    else:
        data["configs"] = data["configs"][:2]
        entry.write_text(json.dumps(data))
    third, bench3 = tuned_add(grid, times)
    out[:] = 0
    third[grid](x, y, out, n)
    np.testing.assert_array_equal(out, x + y)
    assert sorted(bench3.blocks) == [64, 128, 256] and third.best_config.kwargs == {"BLOCK": 256}
    assert json.loads(entry.read_text())["best"] == 2  # rewritten whole


# ---------------------------------------------------------------------------
# heuristics, pruning
# ---------------------------------------------------------------------------
def test_heuristics_compute_meta_parameters() -> None:
    n = 777
    kernel = tessel.heuristics({"BLOCK": lambda a: tessel.next_power_of_2(a["n"])})(
        tessel.jit(K.add))
    x, y, out = rand(n), rand(n), np.zeros(n, np.float32)
    grid = Grid(n)
    kernel[grid](x, y, out, n)
    np.testing.assert_array_equal(out, x + y)
    assert grid.metas == [grid.metas[0]] and grid.metas[0]["BLOCK"] == 1024
    assert kernel.arg_names == ["x_ptr", "y_ptr", "out_ptr", "n", "BLOCK"]


def test_heuristics_below_autotune_see_the_config() -> None:
    seen: list[tuple[int, bool]] = []

    def even(a: dict[str, Any]) -> bool:
        seen.append((a["BLOCK"], a["n"] % a["BLOCK"] == 0))
        return a["n"] % a["BLOCK"] == 0

    n = 1024 + 512
    grid = Grid(n)
    bench = FakeBench(grid, {512: 1.0, 1024: 2.0})
    kernel = tessel.autotune(configs(512, 1024), key=["n"], do_bench=bench)(
        tessel.heuristics({"EVEN": even})(tessel.jit(K.add_even)))
    x, y, out = rand(n), rand(n), np.zeros(n, np.float32)
    kernel[grid](x, y, out, n)
    np.testing.assert_array_equal(out, x + y)
    assert (512, True) in seen and (1024, False) in seen
    assert grid.metas[-1]["EVEN"] is True and kernel.best_config.kwargs == {"BLOCK": 512}


def test_heuristics_above_autotune_forward_best_config() -> None:
    n = 640
    grid = Grid(n)
    bench = FakeBench(grid, {64: 2.0, 128: 1.0})
    kernel = tessel.heuristics({"EVEN": lambda a: False})(
        tessel.autotune(configs(64, 128), key=["n"], do_bench=bench)(tessel.jit(K.add_even)))
    x, y, out = rand(n), rand(n), np.zeros(n, np.float32)
    kernel[grid](x, y, out, n)
    np.testing.assert_array_equal(out, x + y)
    assert kernel.best_config.kwargs == {"BLOCK": 128}


def test_early_config_prune_and_perf_model_limit_what_is_compiled() -> None:
    n = 300
    pruned_with: list[Any] = []

    def early(cfgs: list[tessel.Config], nargs: dict[str, Any], **kwargs: Any):
        pruned_with.append((len(cfgs), nargs["n"], sorted(kwargs)))
        return [c for c in cfgs if c.kwargs["BLOCK"] <= nargs["n"]]

    def model(**kw: Any) -> float:  # prefers larger blocks
        return 1.0 / kw["BLOCK"]

    grid = Grid(n)
    bench = FakeBench(grid, {32: 1.0, 64: 3.0, 128: 2.0, 256: 4.0})
    kernel = tessel.autotune(
        configs(32, 64, 128, 256, 512, 1024), key=["n"], do_bench=bench,
        prune_configs_by={"early_config_prune": early, "perf_model": model, "top_k": 2})(
        tessel.jit(K.add))
    x, y, out = rand(n), rand(n), np.zeros(n, np.float32)
    kernel[grid](x, y, out, n)
    np.testing.assert_array_equal(out, x + y)
    assert pruned_with == [(6, n, ["grid"])]
    assert sorted(bench.blocks) == [128, 256]  # the model's top 2 of 32..256
    assert len(kernel.fn.cache) == 2  # only those were compiled
    assert kernel.best_config.kwargs == {"BLOCK": 128}


def test_top_k_as_a_fraction_and_empty_pruning() -> None:
    grid = Grid(100)
    bench = FakeBench(grid, {b: 1.0 / b for b in (32, 64, 128, 256)})
    kernel = tessel.autotune(configs(32, 64, 128, 256), key=["n"], do_bench=bench,
                             prune_configs_by={"perf_model": lambda **kw: kw["BLOCK"],
                                               "top_k": 0.5})(tessel.jit(K.add))
    x, y, out = rand(100), rand(100), np.zeros(100, np.float32)
    kernel[grid](x, y, out, 100)
    assert sorted(bench.blocks) == [32, 64] and kernel.best_config.kwargs == {"BLOCK": 64}

    none = tessel.autotune(configs(32, 64), key=["n"],
                           prune_configs_by={"early_config_prune": lambda c, a, **k: []})(
        tessel.jit(K.add))
    with pytest.raises(tessel.AutotunerError, match="early_config_prune"):
        none[grid](x, y, out, 100)


# ---------------------------------------------------------------------------
# Config, printing, progress
# ---------------------------------------------------------------------------
def test_config_kwargs_repr_equality() -> None:
    c = tessel.Config({"BLOCK": 128, "GROUP": 8}, num_warps=8, num_stages=2)
    assert c.all_kwargs() == {"BLOCK": 128, "GROUP": 8, "num_warps": 8, "num_ctas": 1,
                              "num_stages": 2}
    assert tessel.Config({"B": 1}).all_kwargs() == {"B": 1, "num_warps": 4, "num_ctas": 1}
    assert tessel.Config({"B": 1}, maxnreg=128).all_kwargs()["maxnreg"] == 128
    assert str(c) == ("BLOCK: 128, GROUP: 8, num_warps: 8, num_ctas: 1, num_stages: 2, "
                      "maxnreg: None")
    assert repr(c) == "Config({'BLOCK': 128, 'GROUP': 8}, num_warps=8, num_stages=2)"
    assert eval(repr(c), {"Config": tessel.Config}) == c
    assert c == tessel.Config({"BLOCK": 128, "GROUP": 8}, num_warps=8, num_stages=2)
    assert c != tessel.Config({"BLOCK": 128, "GROUP": 8}, num_warps=4, num_stages=2)
    assert len({c, tessel.Config(dict(c.kwargs), num_warps=8, num_stages=2)}) == 1
    assert tessel.Config(**c.__dict__) == c  # Triton's round trip through __dict__
    with pytest.raises(TypeError, match="tessel.Config"):
        tessel.autotune([{"BLOCK": 1}], key=[])(tessel.jit(K.add))


def test_print_autotuning(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("TESSEL_PRINT_AUTOTUNING", "1")
    grid = Grid(400)
    kernel, _ = tuned_add(grid, {64: 1.5, 128: 1.0, 256: 2.0})
    x, y, out = rand(400), rand(400), np.zeros(400, np.float32)
    kernel[grid](x, y, out, 400)
    text = capsys.readouterr().out
    assert "Tessel autotuning for function add" in text
    assert "with key as (400, 'float32', 'float32', 'float32')" in text
    assert "best config selected: BLOCK: 128, num_warps: 4" in text and "(1.0000 ms)" in text
    assert text.count("Autotuning kernel add with config") == 3
    again, _ = tuned_add(grid, {})
    again[grid](x, y, out, 400)
    assert "best config from the disk cache" in capsys.readouterr().out


def test_progress_line_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty:
        def __init__(self, tty: bool) -> None:
            self.tty, self.text = tty, ""

        def isatty(self) -> bool:
            return self.tty

        def write(self, s: str) -> int:
            self.text += s
            return len(s)

        def flush(self) -> None:
            pass

    for tty in (True, False):
        err = Tty(tty)
        grid = Grid(64 * tty + 100)
        kernel, _ = tuned_add(grid, {64: 1.0, 128: 2.0, 256: 3.0})
        x, y, out = rand(grid.n), rand(grid.n), np.zeros(grid.n, np.float32)
        with monkeypatch.context() as m:
            m.setattr(sys, "stderr", err)
            kernel[grid](x, y, out, grid.n)
        if tty:
            assert "tessel autotune add: compiling 3/3" in err.text
            assert "benchmarking 3/3: BLOCK: 256" in err.text
            assert err.text.endswith("\r\x1b[K")  # the line is cleared at the end
        else:
            assert err.text == ""


def test_unknown_key_warns() -> None:
    with pytest.warns(UserWarning, match=r"key \['m'\] names no argument"):
        tessel.autotune(configs(64, 128), key=["m"])(tessel.jit(K.add))


def test_warmup_compiles_every_config() -> None:
    kernel = tessel.autotune(configs(64, 128, 256), key=["n"])(tessel.jit(K.add))
    x = rand(10)
    compiled = kernel.warmup(x, x, x, 10, grid=(1,))
    assert len(compiled) == 3 and len(kernel.fn.cache) == 3
    assert all(k.target == "cpu" for k in compiled)


# ---------------------------------------------------------------------------
# CUDA (torch tensors), when a GPU is present
# ---------------------------------------------------------------------------
def _cuda_torch() -> Any:
    torch = pytest.importorskip("torch")
    from tessel._ext import _C

    if not torch.cuda.is_available() or not _C.cuda_available():
        pytest.skip("no CUDA device")
    return torch


@pytest.fixture
def cuda(monkeypatch: pytest.MonkeyPatch) -> Any:
    torch = _cuda_torch()
    monkeypatch.delenv("TESSEL_TARGET", raising=False)
    return torch


def test_cuda_autotune_with_the_real_do_bench(cuda: Any) -> None:
    torch = cuda
    n = 1 << 20
    kernel = tessel.autotune(
        configs(256, 1024, 100) + configs(2048, num_warps=8), key=["n"], warmup=5, rep=10)(
        tessel.jit(K.add))
    x, y = torch.randn(n, device="cuda"), torch.randn(n, device="cuda")
    out = torch.empty_like(x)
    with pytest.warns(AutotuneWarning, match="BLOCK: 100"):
        kernel[lambda m: (tessel.cdiv(n, m["BLOCK"]),)](x, y, out, n)
    torch.testing.assert_close(out, x + y)
    assert kernel.best_config.kwargs["BLOCK"] in (256, 1024, 2048)
    for c, (median, p20, p80) in kernel.configs_timings.items():
        if c.kwargs["BLOCK"] != 100:
            assert 0 < p20 <= median <= p80 < 10
    (entry,) = (Path(os.environ["TESSEL_CACHE_DIR"]) / "autotune").glob("*.json")
    assert json.loads(entry.read_text())["device"].startswith("nvidia:")


def test_cuda_reset_to_zero(cuda: Any) -> None:
    torch = cuda
    n = 100_000
    x = torch.randint(-1000, 1000, (n,), dtype=torch.int32, device="cuda")
    out = torch.full((1,), 12345, dtype=torch.int32, device="cuda")
    kernel = tessel.autotune(configs(128, 512, 2048), key=["n"], reset_to_zero=["out_ptr"],
                             warmup=2, rep=5)(tessel.jit(K.atomic_sum))
    kernel[lambda m: (tessel.cdiv(n, m["BLOCK"]),)](x, out, n)
    assert out.item() == x.sum().item()

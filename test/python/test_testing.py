"""tessel.testing: do_bench, assert_close, perf_report / Benchmark (Triton's
names and semantics).  CPU timing everywhere; the CUDA case runs when torch
sees a GPU."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tessel
from tessel import testing

RNG = np.random.default_rng(8642)


def spin(ms: float) -> None:
    end = time.perf_counter() + ms / 1e3
    while time.perf_counter() < end:
        pass


# ---------------------------------------------------------------------------
# do_bench
# ---------------------------------------------------------------------------
def test_do_bench_measures_milliseconds() -> None:
    calls = [0]

    def fn() -> None:
        calls[0] += 1
        spin(0.2)

    mean = testing.do_bench(fn, warmup=1, rep=4, device="cpu")
    assert 0.19 <= mean < 5
    # 1 + 5 estimating calls, >= 1 warmup, about rep / 0.2 ms timed ones
    assert 8 <= calls[0] <= 60
    q = testing.do_bench(fn, warmup=1, rep=3, quantiles=[0.2, 0.5, 0.8], device="cpu")
    assert isinstance(q, list) and len(q) == 3 and 0.19 <= q[0] <= q[1] <= q[2] < 5
    one = testing.do_bench(fn, warmup=1, rep=2, quantiles=[0.5], device="cpu")
    assert isinstance(one, float) and one >= 0.19
    everything = testing.do_bench(fn, warmup=0, rep=2, return_mode="all", device="cpu")
    assert isinstance(everything, list) and all(t >= 0.19 for t in everything)
    lo = testing.do_bench(fn, warmup=0, rep=2, return_mode="min", device="cpu")
    hi = testing.do_bench(fn, warmup=0, rep=2, return_mode="max", device="cpu")
    med = testing.do_bench(fn, warmup=0, rep=2, return_mode="median", device="cpu")
    assert 0.19 <= lo and lo <= hi and 0.19 <= med < 5


def test_do_bench_runs_at_least_once_and_checks_arguments() -> None:
    calls = [0]

    def slow() -> None:
        calls[0] += 1
        spin(2)

    assert testing.do_bench(slow, warmup=0.1, rep=0.1, device="cpu") >= 1.9
    assert calls[0] == 1 + 5 + 1 + 1  # first call, estimate, one warmup, one timed
    with pytest.raises(ValueError, match="return_mode"):
        testing.do_bench(lambda: None, return_mode="average", device="cpu")
    with pytest.raises(ValueError, match="quantiles"):
        testing.do_bench(lambda: None, quantiles=[1.5], device="cpu")


def test_do_bench_resets_gradients() -> None:
    class T:
        grad: Any = "old"

    t = T()
    seen = []
    testing.do_bench(lambda: seen.append(t.grad), warmup=0, rep=0.01, grad_to_none=[t],
                     device="cpu")
    assert seen[-1] is None


def test_do_bench_quantiles_interpolate_as_torch() -> None:
    times = [4.0, 1.0, 3.0, 2.0]
    assert testing._summarize(times, [0.0, 0.5, 1.0, 0.25], "mean") == [1.0, 2.5, 4.0, 1.75]
    assert testing._summarize(times, None, "mean") == 2.5
    assert testing._summarize(times, None, "median") == 2.5
    assert testing._summarize([3.0, 1.0, 2.0], None, "median") == 2.0


def test_do_bench_times_a_cpu_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("tessel._ext")
    monkeypatch.setenv("TESSEL_TARGET", "cpu")
    import autotune_kernels as K

    add = tessel.jit(K.add)
    n = 1 << 16
    x, y = RNG.standard_normal(n).astype(np.float32), RNG.standard_normal(n).astype(np.float32)
    out = np.empty_like(x)
    ms = testing.do_bench(lambda: add[(n // 1024,)](x, y, out, n, BLOCK=1024), warmup=1, rep=5,
                          quantiles=[0.5, 0.2, 0.8], device="cpu")
    assert 0 < ms[1] <= ms[0] <= ms[2] < 50
    testing.assert_close(out, x + y, atol=0, rtol=0)


# ---------------------------------------------------------------------------
# assert_close
# ---------------------------------------------------------------------------
def test_assert_close_passes_within_tolerance() -> None:
    x = RNG.standard_normal((8, 16)).astype(np.float32)
    testing.assert_close(x, x + 0.005)  # default atol 1e-2
    testing.assert_close(x, x * (1 + 1e-4), atol=0, rtol=1e-3)
    testing.assert_close(x, x.astype(np.float64) + 0.05, atol=lambda dt: 0.1)
    testing.assert_close(np.array([np.nan, 1.0]), np.array([np.nan, 1.0]))  # NaNs equal
    testing.assert_close(3.0, 3.001)
    testing.assert_close(np.arange(10, dtype=np.int32), np.arange(10), atol=0)


def test_assert_close_explains_the_mismatch() -> None:
    x = RNG.standard_normal((4, 8)).astype(np.float32)
    y = x.copy()
    y[1, 2] += 1.0
    y[3, 7] -= 0.5
    with pytest.raises(AssertionError) as info:
        testing.assert_close(x, y, err_msg="softmax rows")
    text = str(info.value)
    assert text.startswith("softmax rows: not close (atol=0.01, rtol=0.0)")
    assert "2 of 32 elements differ" in text and "shape (4, 8)" in text
    assert "largest absolute difference: 1" in text
    assert "at [1, 2]: x = " in text and "at [3, 7]: x = " in text
    with pytest.raises(AssertionError, match="x = 3.0, y = 3.5"):
        testing.assert_close(3.0, 3.5)
    with pytest.raises(AssertionError, match=r"shapes \(3,\) and \(4,\) do not match"):
        testing.assert_close(np.zeros(3), np.zeros(4))
    with pytest.raises(AssertionError, match="1 of 2 elements differ"):
        testing.assert_close(np.array([np.nan, 1.0]), np.array([0.0, 1.0]))


# ---------------------------------------------------------------------------
# perf_report / Benchmark
# ---------------------------------------------------------------------------
def make_report(save_name: str = "vector-add") -> Any:
    @testing.perf_report([
        testing.Benchmark(
            x_names=["n"], x_vals=[256, 1024, 4096], line_arg="provider",
            line_vals=["a", "b"], line_names=["Fast", "Slow"], styles=[("blue", "-"), ("red", "--")],
            plot_name=save_name, args={"scale": 2.0}, xlabel="elements", ylabel="GB/s", x_log=True,
        ),
        testing.Benchmark(
            x_names=["m", "k"], x_vals=[(2, 3), (4, 5)], line_arg="provider", line_vals=["a"],
            line_names=["Only"], plot_name="pairs", args={},
        ),
    ])
    def bench(provider: str, scale: float = 1.0, n: int = 0, m: int = 0, k: int = 0) -> Any:
        value = scale * (n or m * k) / (1 if provider == "a" else 2)
        return value, value * 0.9, value * 1.1  # (y, min, max): a band in the plot

    return bench


def test_benchmark_run_prints_the_table(capsys: pytest.CaptureFixture) -> None:
    make_report().run(print_data=True)
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "vector-add:"
    assert lines[1].split() == ["n", "Fast", "Slow"]
    assert lines[2].split() == ["0", "256", "512", "256"]
    assert lines[4].split() == ["2", "4096", "8192", "4096"]
    assert "pairs:" in lines and ["m", "k", "Only"] in [ln.split() for ln in lines]
    assert ["1", "4", "5", "20"] in [ln.split() for ln in lines]


def test_benchmark_run_saves_csv_html_and_plots(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    tables = make_report().run(save_path=str(tmp_path), return_df=True)
    assert len(tables) == 2
    assert (tmp_path / "vector-add.csv").read_text().splitlines() == [
        "n,Fast,Slow", "256,512,256", "1024,2048,1024", "4096,8192,4096"]
    assert '<image src="vector-add.png"/>' in (tmp_path / "results.html").read_text()
    has_mpl = importlib.util.find_spec("matplotlib") is not None
    assert (tmp_path / "vector-add.png").exists() == has_mpl
    assert (tmp_path / "pairs.png").exists() == has_mpl
    if has_mpl:
        assert (tmp_path / "vector-add.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        assert "matplotlib is not installed: no plot for 'vector-add'" in capsys.readouterr().err


def test_benchmark_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="2 line_vals but 1 line_names"):
        testing.Benchmark(["n"], [1], "p", ["a", "b"], ["A"], "x", {})
    bad = testing.perf_report(testing.Benchmark(["m", "k"], [(1, 2, 3)], "p", ["a"], ["A"], "x", {}))
    with pytest.raises(ValueError, match="expected 2 values"):
        bad(lambda **kw: 1.0).run()


# ---------------------------------------------------------------------------
# CUDA
# ---------------------------------------------------------------------------
def test_do_bench_cuda_events() -> None:
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    a = torch.randn(2048, 2048, device="cuda")
    ms = testing.do_bench(lambda: a @ a, warmup=5, rep=20, quantiles=[0.5, 0.2, 0.8])
    assert 0 < ms[1] <= ms[0] <= ms[2] < 50
    assert testing._cuda_in_use()
    testing.assert_close(a @ a, (a.double() @ a.double()).float(), atol=1e-1, rtol=1e-2)
    with pytest.raises(AssertionError, match="1 of 4 elements differ"):
        testing.assert_close(torch.zeros(4, device="cuda"),
                             torch.tensor([0.0, 0, 0, 1], device="cuda"))

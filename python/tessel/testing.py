"""``tessel.testing``: benchmarking and checking helpers with Triton's names
(``triton.testing``): ``do_bench``, ``assert_close``, ``perf_report`` and
``Benchmark``.

Nothing here imports torch, NumPy or matplotlib until a function needs them:
``do_bench`` times CUDA work with torch's CUDA events (when torch is imported
and has initialized CUDA) and anything else with ``time.perf_counter``;
``Benchmark.run`` draws plots only when matplotlib is installed.
"""

from __future__ import annotations

import math
import os
import sys
import time
from typing import Any, Callable, Sequence

__all__ = ["do_bench", "assert_close", "perf_report", "Benchmark", "Mark"]

_RETURN_MODES = ("min", "max", "mean", "median", "all")
#: Bytes written between timed calls on a GPU so that each call starts with a
#: cold L2 (Triton's 256 MB).
_FLUSH_BYTES = 256 * 10**6


# ---------------------------------------------------------------------------
# do_bench
# ---------------------------------------------------------------------------
def do_bench(
    fn: Callable[[], Any],
    warmup: float = 25,
    rep: float = 100,
    grad_to_none: Sequence[Any] | None = None,
    quantiles: Sequence[float] | None = None,
    return_mode: str = "mean",
    device: str | None = None,
) -> Any:
    """Times ``fn()`` in milliseconds, as ``triton.testing.do_bench``.

    ``fn`` runs once, then five times to estimate its duration; then for
    about ``warmup`` ms untimed and for about ``rep`` ms timed, one sample per
    call (at least one of each).  ``grad_to_none``: tensors whose ``.grad``
    is reset before each timed call.  Returns the ``quantiles`` of the samples
    (a list, or a number for one quantile) when given, else their
    ``return_mode``: "min", "max", "mean", "median" or "all" (the list).

    ``device``: "cuda" times with CUDA events on torch's current stream and
    flushes the L2 cache (a 256 MB write) before each call; "cpu" times with
    ``time.perf_counter``.  By default "cuda" when torch is imported and has
    initialized CUDA, else "cpu".
    """
    if return_mode not in _RETURN_MODES:
        raise ValueError(f"return_mode must be one of {', '.join(_RETURN_MODES)}, got {return_mode!r}")
    if quantiles is not None:
        quantiles = [float(q) for q in quantiles]
        if any(not 0.0 <= q <= 1.0 for q in quantiles):
            raise ValueError(f"quantiles must lie in [0, 1], got {quantiles}")
    if device is None:
        device = "cuda" if _cuda_in_use() else "cpu"
    if device == "cuda":
        times = _bench_cuda(fn, warmup, rep, grad_to_none)
    elif device == "cpu":
        times = _bench_cpu(fn, warmup, rep, grad_to_none)
    else:
        raise ValueError(f"device must be 'cuda', 'cpu' or None, got {device!r}")
    return _summarize(times, quantiles, return_mode)


def _cuda_in_use() -> bool:
    torch = sys.modules.get("torch")
    if torch is None:
        return False
    try:
        return bool(torch.cuda.is_available() and torch.cuda.is_initialized())
    except Exception:  # noqa: BLE001 - a broken CUDA install: time on the host
        return False


def _repeats(estimate_ms: float, warmup: float, rep: float) -> tuple[int, int]:
    estimate_ms = max(estimate_ms, 1e-4)
    return max(1, int(warmup / estimate_ms)), max(1, int(rep / estimate_ms))


def _clear_grads(grad_to_none: Sequence[Any] | None) -> None:
    if grad_to_none is not None:
        for x in grad_to_none:
            x.grad = None


def _bench_cpu(
    fn: Callable[[], Any], warmup: float, rep: float, grad_to_none: Sequence[Any] | None
) -> list[float]:
    clock = time.perf_counter
    fn()
    t0 = clock()
    for _ in range(5):
        fn()
    n_warmup, n_repeat = _repeats((clock() - t0) * 1e3 / 5, warmup, rep)
    for _ in range(n_warmup):
        fn()
    times = []
    for _ in range(n_repeat):
        _clear_grads(grad_to_none)
        t0 = clock()
        fn()
        times.append((clock() - t0) * 1e3)
    return times


def _bench_cuda(
    fn: Callable[[], Any], warmup: float, rep: float, grad_to_none: Sequence[Any] | None
) -> list[float]:
    torch = sys.modules.get("torch")
    if torch is None:
        import torch  # type: ignore[no-redef]
    cuda = torch.cuda
    fn()
    cuda.synchronize()
    flush = torch.empty(_FLUSH_BYTES // 4, dtype=torch.int32, device="cuda")
    start, end = cuda.Event(enable_timing=True), cuda.Event(enable_timing=True)
    start.record()
    for _ in range(5):
        flush.zero_()
        fn()
    end.record()
    cuda.synchronize()
    n_warmup, n_repeat = _repeats(start.elapsed_time(end) / 5, warmup, rep)
    starts = [cuda.Event(enable_timing=True) for _ in range(n_repeat)]
    ends = [cuda.Event(enable_timing=True) for _ in range(n_repeat)]
    for _ in range(n_warmup):
        fn()
    for s, e in zip(starts, ends):
        _clear_grads(grad_to_none)
        flush.zero_()
        s.record()
        fn()
        e.record()
    cuda.synchronize()
    return [s.elapsed_time(e) for s, e in zip(starts, ends)]


def _quantile(ordered: list[float], q: float) -> float:
    """Linear interpolation between the closest ranks (torch.quantile's and
    NumPy's default)."""
    pos = q * (len(ordered) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _summarize(times: list[float], quantiles: Sequence[float] | None, return_mode: str) -> Any:
    if quantiles is not None:
        ordered = sorted(times)
        out = [_quantile(ordered, q) for q in quantiles]
        return out[0] if len(out) == 1 else out
    if return_mode == "all":
        return list(times)
    if return_mode == "mean":
        return math.fsum(times) / len(times)
    if return_mode == "median":
        ordered = sorted(times)
        mid = len(ordered) // 2
        return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return min(times) if return_mode == "min" else max(times)


# ---------------------------------------------------------------------------
# assert_close
# ---------------------------------------------------------------------------
def _to_numpy(x: Any) -> Any:
    import numpy as np

    if hasattr(x, "detach") and hasattr(x, "cpu"):  # a torch tensor
        x = x.detach().cpu()
        if str(x.dtype) in ("torch.bfloat16", "torch.float8_e4m3fn", "torch.float8_e5m2"):
            x = x.float()
        return x.numpy()
    return np.asarray(x)


def assert_close(x: Any, y: Any, atol: Any = None, rtol: Any = None, err_msg: str = "") -> None:
    """Raises ``AssertionError`` unless ``|x - y| <= atol + rtol * |y|``
    elementwise (NaNs equal), as ``triton.testing.assert_close``: ``atol``
    defaults to 1e-2 and ``rtol`` to 0; either may be a function of ``x``'s
    dtype.  ``x`` and ``y``: torch tensors (any device), NumPy arrays or
    numbers.  The message gives ``err_msg``, the shapes, how many elements
    differ, the largest differences and the first mismatching elements."""
    import numpy as np

    dtype = getattr(x, "dtype", None)
    atol = 1e-2 if atol is None else atol
    rtol = 0.0 if rtol is None else rtol
    atol = atol(dtype) if callable(atol) else atol
    rtol = rtol(dtype) if callable(rtol) else rtol
    a, b = _to_numpy(x), _to_numpy(y)
    prefix = f"{err_msg}: " if err_msg else ""
    try:
        shape = np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise AssertionError(
            f"{prefix}shapes {a.shape} and {b.shape} do not match (atol={atol}, rtol={rtol})"
        ) from None
    if a.dtype == bool or b.dtype == bool:
        a, b = a.astype(np.int8), b.astype(np.int8)
    a64, b64 = np.broadcast_to(a, shape).astype(np.float64), np.broadcast_to(b, shape).astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        close = np.isclose(a64, b64, atol=atol, rtol=rtol, equal_nan=True)
    if close.all():
        return
    bad = np.argwhere(~close) if close.ndim else np.zeros((1, 0), dtype=np.int64)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        diff = np.abs(a64 - b64)
        rel = diff / np.abs(b64)
    mismatched = ~close
    finite = mismatched & np.isfinite(diff)
    lines = [
        f"{prefix}not close (atol={atol}, rtol={rtol}): {int(mismatched.sum())} of "
        f"{close.size} elements differ" + (f", shape {shape}" if shape else ""),
    ]
    if finite.any():
        lines.append(f"  largest absolute difference: {diff[finite].max():.6g}")
        with np.errstate(invalid="ignore"):
            r = rel[finite]
        r = r[np.isfinite(r)]
        if r.size:
            lines.append(f"  largest relative difference: {r.max():.6g}")
    for idx in bad[:5]:
        i = tuple(int(v) for v in idx)
        where = f"[{', '.join(map(str, i))}]" if i else "value"
        xi, yi = np.broadcast_to(a, shape)[i], np.broadcast_to(b, shape)[i]
        lines.append(f"  at {where}: x = {xi!s}, y = {yi!s}")
    if len(bad) > 5:
        lines.append(f"  ... and {len(bad) - 5} more")
    raise AssertionError("\n".join(lines))


# ---------------------------------------------------------------------------
# perf_report / Benchmark
# ---------------------------------------------------------------------------
class Benchmark:
    """One table (and plot) of ``perf_report``, as Triton's: a row per
    value of ``x_vals`` (given to every argument of ``x_names``, or a tuple of
    one value per name), a column per value of ``line_arg`` in ``line_vals``
    (labelled ``line_names``), ``args`` fixed.  ``styles``: (colour, line
    style) per line; ``plot_name`` names the PNG and CSV files."""

    def __init__(
        self,
        x_names: Sequence[str],
        x_vals: Sequence[Any],
        line_arg: str,
        line_vals: Sequence[Any],
        line_names: Sequence[str],
        plot_name: str,
        args: dict[str, Any],
        xlabel: str = "",
        ylabel: str = "",
        x_log: bool = False,
        y_log: bool = False,
        color: Any = None,
        styles: Sequence[tuple[Any, Any]] | None = None,
    ) -> None:
        if len(line_vals) != len(line_names):
            raise ValueError(
                f"Benchmark {plot_name!r}: {len(line_vals)} line_vals but "
                f"{len(line_names)} line_names"
            )
        self.x_names = list(x_names)
        self.x_vals = list(x_vals)
        self.x_log = x_log
        self.line_arg = line_arg
        self.line_vals = list(line_vals)
        self.line_names = list(line_names)
        self.y_log = y_log
        self.styles = styles
        self.color = color
        self.xlabel = xlabel
        self.ylabel = ylabel
        self.plot_name = plot_name
        self.args = dict(args)


class _Table:
    """The results of one Benchmark: columns x_names + line_names, one row
    per x value; ``lows``/``highs`` the optional (min, max) per cell.
    ``to_pandas()`` converts it when pandas is installed."""

    def __init__(self, columns: list[str]) -> None:
        self.columns = columns
        self.rows: list[list[Any]] = []
        self.lows: list[list[Any]] = []
        self.highs: list[list[Any]] = []

    def column(self, name: str) -> list[Any]:
        i = self.columns.index(name)
        return [row[i] for row in self.rows]

    def __getitem__(self, name: str) -> list[Any]:
        return self.column(name)

    def __len__(self) -> int:
        return len(self.rows)

    def to_pandas(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)

    def format(self) -> str:
        cells = [[""] + self.columns] + [
            [str(i)] + [_fmt(v) for v in row] for i, row in enumerate(self.rows)
        ]
        widths = [max(len(r[j]) for r in cells) for j in range(len(cells[0]))]
        return "\n".join(
            "  ".join(c.rjust(w) for c, w in zip(r, widths)).rstrip() for r in cells
        )

    def __str__(self) -> str:
        return self.format()

    def write_csv(self, path: str) -> None:
        import csv

        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(self.columns)
            for row in self.rows:
                w.writerow([_fmt(v) for v in row])


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


class Mark:
    """A function marked by ``perf_report``: ``fn(**x_args, line_arg=value,
    **args)`` returns a number, or a (value, min, max) triple drawn as a band.
    Calling the Mark calls the function."""

    def __init__(self, fn: Callable[..., Any], benchmarks: Benchmark | Sequence[Benchmark]) -> None:
        self.fn = fn
        self.benchmarks = benchmarks

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(*args, **kwargs)

    def _run(
        self, bench: Benchmark, save_path: str, show_plots: bool, print_data: bool,
        diff_col: bool = False, **kwargs: Any,
    ) -> _Table:
        table = _Table(bench.x_names + bench.line_names)
        for x in bench.x_vals:
            xs = list(x) if isinstance(x, (list, tuple)) else [x] * len(bench.x_names)
            if len(xs) != len(bench.x_names):
                raise ValueError(
                    f"Benchmark {bench.plot_name!r}: expected {len(bench.x_names)} values "
                    f"({', '.join(bench.x_names)}), got {x!r}"
                )
            x_args = dict(zip(bench.x_names, xs))
            means, lows, highs = [], [], []
            for y in bench.line_vals:
                ret = self.fn(**x_args, **{bench.line_arg: y}, **bench.args, **kwargs)
                if isinstance(ret, (list, tuple)) and len(ret) == 3:
                    mean, low, high = ret
                else:
                    mean, low, high = ret, None, None
                means.append(mean)
                lows.append(low)
                highs.append(high)
            table.rows.append(xs + means)
            table.lows.append(lows)
            table.highs.append(highs)
        if diff_col and len(bench.line_names) == 2:
            table.columns.append("Diff")
            for row in table.rows:
                row.append(row[-1] - row[-2])
        if bench.plot_name and (show_plots or save_path):
            _plot(bench, table, save_path, show_plots)
        if print_data:
            print(bench.plot_name + ":")
            print(table.format())
        if save_path:
            table.write_csv(os.path.join(save_path, f"{bench.plot_name}.csv"))
        return table

    def run(
        self, show_plots: bool = False, print_data: bool = False, save_path: str = "",
        return_df: bool = False, **kwargs: Any,
    ) -> Any:
        """Runs every benchmark: prints each table (``print_data``), shows the
        plots (``show_plots``), and writes ``<plot_name>.png``, ``.csv`` and
        ``results.html`` into ``save_path``.  Plots need matplotlib; without
        it they are skipped with a note on stderr.  ``return_df=True``
        returns the table(s): pandas DataFrames when pandas is installed,
        else tables with ``columns``, ``rows`` and ``table[column]``."""
        single = isinstance(self.benchmarks, Benchmark)
        benchmarks = [self.benchmarks] if single else list(self.benchmarks)
        if save_path:
            os.makedirs(save_path, exist_ok=True)
        tables = [self._run(b, save_path, show_plots, print_data, **kwargs) for b in benchmarks]
        if save_path:
            with open(os.path.join(save_path, "results.html"), "w") as html:
                html.write("<html><body>\n")
                for b in benchmarks:
                    html.write(f'<image src="{b.plot_name}.png"/>\n')
                html.write("</body></html>\n")
        if not return_df:
            return None
        try:
            import pandas  # noqa: F401

            out = [t.to_pandas() for t in tables]
        except ImportError:
            out = tables
        return out[0] if single else out


def _plot(bench: Benchmark, table: _Table, save_path: str, show_plots: bool) -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print(
            f"tessel.testing: matplotlib is not installed: no plot for {bench.plot_name!r}",
            file=sys.stderr,
        )
        return
    if show_plots:
        import matplotlib.pyplot as plt

        fig = plt.figure()
    else:  # no GUI backend needed to save a file
        from matplotlib.figure import Figure

        fig = Figure()
    ax = fig.add_subplot()
    first_x = bench.x_names[0]
    xs = table.column(first_x)
    for i, name in enumerate(bench.line_names):
        color = bench.styles[i][0] if bench.styles else None
        style = bench.styles[i][1] if bench.styles else None
        ax.plot(xs, table.column(name), label=name, color=color, ls=style)
        lows = [row[i] for row in table.lows]
        highs = [row[i] for row in table.highs]
        if all(v is not None for v in lows + highs):
            ax.fill_between(xs, [float(v) for v in lows], [float(v) for v in highs],
                            alpha=0.15, color=color)
    ax.legend()
    ax.set_xlabel(bench.xlabel or first_x)
    ax.set_ylabel(bench.ylabel)
    ax.set_xscale("log" if bench.x_log else "linear")
    ax.set_yscale("log" if bench.y_log else "linear")
    if save_path:
        fig.savefig(os.path.join(save_path, f"{bench.plot_name}.png"))
    if show_plots:
        import matplotlib.pyplot as plt

        plt.show()
        plt.close(fig)


def perf_report(benchmarks: Benchmark | Sequence[Benchmark]) -> Callable[[Callable[..., Any]], Mark]:
    """Decorator, as Triton's: marks a function for benchmarking over
    ``benchmarks`` (one :class:`Benchmark` or a list); run it with
    ``.run(show_plots=False, print_data=False, save_path="")``::

        @tessel.testing.perf_report(tessel.testing.Benchmark(
            x_names=["n"], x_vals=[2**i for i in range(12, 20)], line_arg="provider",
            line_vals=["tessel", "numpy"], line_names=["Tessel", "NumPy"],
            plot_name="vector-add", args={}, ylabel="GB/s"))
        def bench(n, provider): ...

        bench.run(print_data=True, save_path="out")
    """
    return lambda fn: Mark(fn, benchmarks)

"""Line-level delta debugging (ddmin, Zeller & Hildebrandt) of a failing input."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass
class ShrinkStats:
    tests: int = 0
    cache_hits: int = 0
    stopped_early: bool = False  # the deadline or the test budget ran out


def ddmin(
    items: Sequence[str],
    still_fails: Callable[[list[str]], bool],
    deadline: float | None = None,
    max_tests: int | None = None,
    stats: ShrinkStats | None = None,
) -> list[str]:
    """The smallest sublist of `items` (kept in order) found for which `still_fails`
    holds, assuming it holds for `items`. 1-minimal (no single item can be removed)
    unless `deadline` (a time.monotonic() value) or `max_tests` stop it first."""
    stats = stats if stats is not None else ShrinkStats()
    cache: dict[tuple[str, ...], bool] = {}

    def test(candidate: list[str]) -> bool:
        key = tuple(candidate)
        if key in cache:
            stats.cache_hits += 1
            return cache[key]
        stats.tests += 1
        cache[key] = result = still_fails(candidate)
        return result

    def out_of_budget() -> bool:
        if (deadline is not None and time.monotonic() > deadline) or (
            max_tests is not None and stats.tests >= max_tests
        ):
            stats.stopped_early = True
            return True
        return False

    current = list(items)
    n = 2
    while len(current) >= 2:
        size = len(current)
        bounds = [(size * k // n, size * (k + 1) // n) for k in range(n)]
        reduced = False
        # A subset alone (only worth it at coarse granularity), then each complement.
        if n == 2 or n < 8:
            for lo, hi in bounds:
                if out_of_budget():
                    return current
                subset = current[lo:hi]
                if subset and test(subset):
                    current, n, reduced = subset, 2, True
                    break
        if not reduced:
            for lo, hi in bounds:
                if out_of_budget():
                    return current
                complement = current[:lo] + current[hi:]
                if complement and test(complement):
                    current, n, reduced = complement, max(n - 1, 2), True
                    break
        if not reduced:
            if n >= size:
                break
            n = min(size, 2 * n)
    return current

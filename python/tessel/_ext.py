"""The compiled extension module ``_tessel`` (built by CMake, not pure Python).

Imported lazily: ``import tessel`` and IR generation work without it.
"""

from __future__ import annotations

try:
    from tessel import _tessel as _C  # type: ignore[attr-defined]
except ImportError as _first:
    try:
        import _tessel as _C  # type: ignore[no-redef]
    except ImportError as _second:
        raise ImportError(
            "the tessel extension module `_tessel` is not built or not on the path: build the "
            "project with CMake (TESSEL_BUILD_PYTHON=ON) and put the built module in "
            f"python/tessel/ or on PYTHONPATH (tessel._tessel: {_first}; _tessel: {_second})"
        ) from None

import os as _os

# The wheel ships libdevice next to the package; the compiler looks there.
_libdir = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), "lib")
if _os.path.exists(_os.path.join(_libdir, "libdevice.10.bc")):
    _os.environ.setdefault("TESSEL_LIBDEVICE_DIR", _libdir)

__all__ = ["_C"]

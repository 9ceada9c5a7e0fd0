"""Makes the in-tree ``tessel`` package (and a built ``_tessel``) importable
without installing anything.

The extension is looked for in ``$TESSEL_BUILD_DIR/python`` and then in
``<repo>/build*/python`` (CMake puts ``_tessel`` in ``<build>/python``).
"""

from __future__ import annotations

import glob
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.dirname(os.path.dirname(_HERE))

# TESSEL_TEST_INSTALLED=1 tests an installed wheel (the GPU machine): only the
# test helpers come from the tree.
_INSTALLED = bool(os.environ.get("TESSEL_TEST_INSTALLED"))
for _path in [_HERE] if _INSTALLED else [os.path.join(_ROOT, "python"), _HERE]:
    if _path not in sys.path:
        sys.path.insert(0, _path)

_build_dirs: list[str] = []
if os.environ.get("TESSEL_BUILD_DIR"):
    _build_dirs.append(os.path.join(os.environ["TESSEL_BUILD_DIR"], "python"))
_build_dirs += sorted(glob.glob(os.path.join(_ROOT, "build*", "python")))
for _path in [] if _INSTALLED else _build_dirs:
    if os.path.isdir(_path) and _path not in sys.path:
        sys.path.append(_path)

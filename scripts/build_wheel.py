#!/usr/bin/env python3
"""Builds a self-contained wheel: the tessel package, the _tessel extension
(LLVM/MLIR linked in statically, stripped) and libdevice.

    python3 scripts/build_wheel.py [--build build] [--out dist]
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import os
import pathlib
import shutil
import subprocess
import sys
import sysconfig
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
LIBDEVICE = pathlib.Path("/usr/local/cuda/nvvm/libdevice/libdevice.10.bc")


def version() -> str:
    for line in (ROOT / "CMakeLists.txt").read_text().splitlines():
        if line.startswith("project(tessel"):
            return line.split("VERSION")[1].strip(" )")
    raise SystemExit("no version in CMakeLists.txt")


def record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return f"{name},sha256={digest.decode()},{len(data)}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=str(ROOT / "build"))
    parser.add_argument("--out", default=str(ROOT / "dist"))
    args = parser.parse_args()

    build = pathlib.Path(args.build)
    ext = sorted((build / "python").glob("_tessel*.so"))
    if not ext:
        raise SystemExit(f"no _tessel extension under {build}/python: build first")
    ext_path = ext[0]
    # cpython-312-x86_64-linux-gnu -> cp312
    abi = ext_path.name.split(".")[1].split("-")[1]
    tag = f"cp{abi}-cp{abi}-linux_x86_64"
    ver = version()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    wheel = out / f"tessel-{ver}-{tag}.whl"

    stripped = out / ext_path.name
    shutil.copy(ext_path, stripped)
    subprocess.run(["strip", "--strip-unneeded", str(stripped)], check=True)

    files: list[tuple[str, bytes]] = []
    for path in sorted((ROOT / "python" / "tessel").rglob("*.py")):
        files.append((str(path.relative_to(ROOT / "python")), path.read_bytes()))
    files.append((f"tessel/{ext_path.name}", stripped.read_bytes()))
    if LIBDEVICE.exists():
        files.append(("tessel/lib/libdevice.10.bc", LIBDEVICE.read_bytes()))
    dist = f"tessel-{ver}.dist-info"
    files.append((f"{dist}/METADATA", (
        f"Metadata-Version: 2.1\nName: tessel\nVersion: {ver}\n"
        "Summary: Tile-kernel compiler on MLIR\nRequires-Dist: numpy\n").encode()))
    files.append((f"{dist}/WHEEL", (
        "Wheel-Version: 1.0\nGenerator: tessel-build-wheel\n"
        f"Root-Is-Purelib: false\nTag: {tag}\n").encode()))
    record = [record_line(n, d) for n, d in files] + [f"{dist}/RECORD,,"]
    files.append((f"{dist}/RECORD", ("\n".join(record) + "\n").encode()))

    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if name.endswith(".so") else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    stripped.unlink()
    print(f"{wheel} ({wheel.stat().st_size / 2**20:.1f} MiB)")


if __name__ == "__main__":
    main()

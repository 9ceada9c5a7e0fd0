#!/usr/bin/env bash
# Installs what Tessel needs (idempotent), builds it, and runs the demo.
#   bash scripts/setup.sh            # install + build + demo
#   bash scripts/setup.sh --no-demo  # install + build
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

packages="llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools lld-22 liblld-22-dev
  clang-22 libzstd-dev ninja-build cmake libgtest-dev rocm-device-libs"
missing=""
for p in $packages; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "== apt-get install$missing"
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q $missing
fi

echo "== pip packages for $TESSEL_PYTHON"
"$TESSEL_PYTHON" -m pip install -q --disable-pip-version-check \
  pybind11 numpy pytest lit hypothesis

echo "== configure and build ($TESSEL_BUILD)"
cmake -G Ninja -S "$TESSEL_ROOT" -B "$TESSEL_BUILD" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH=/usr/lib/llvm-22 \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
  -DLLVM_USE_LINKER=lld \
  -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
  -DPython_EXECUTABLE="$TESSEL_PYTHON" -DPython3_EXECUTABLE="$TESSEL_PYTHON" >/dev/null
ninja -C "$TESSEL_BUILD" -j"$(nproc)"

if [ "${1:-}" != "--no-demo" ]; then
  echo "== demo"
  "$TESSEL_PYTHON" "$TESSEL_ROOT/examples/demo.py"
fi

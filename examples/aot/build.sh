#!/usr/bin/env bash
# Compiles kernels.py:scaled_add ahead of time for TARGET and builds main.c
# against the artifact; prints the program's path.
#   examples/aot/build.sh [TARGET] [OUT]
# TARGET: cpu (the default) or a CUDA target such as sm_90a (the program then
# links the CUDA driver, from $CUDA_HOME/lib64/stubs at build time).
# $TESSEL_PYTHON (default python3) must import tessel; $CC defaults to cc.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=${1:-cpu}
out=${2:-aot-example}
mkdir -p "$out"
"${TESSEL_PYTHON:-python3}" -m tessel compile "$here/kernels.py:scaled_add" \
  --signature "*fp32:16, *fp32:16, *fp32:16, i32, fp32, 1024" \
  --target "$target" --out "$out" >/dev/null
cc=${CC:-cc}
if [ "$target" = cpu ]; then
  "$cc" -O1 -I"$out" -o "$out/main" "$here/main.c" "$out/scaled_add.c" \
    "$out/scaled_add.o" -lm
else
  cuda=${CUDA_HOME:-/usr/local/cuda}
  "$cc" -O1 -DAOT_CUDA -I"$out" -I"$cuda/include" -o "$out/main" \
    "$here/main.c" "$out/scaled_add.c" -L"$cuda/lib64/stubs" -lcuda -lm
fi
echo "$out/main"

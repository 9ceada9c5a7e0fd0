#!/usr/bin/env bash
# Runs every test: lit (compiler), gtest (runtime), pytest (language).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
status=0
echo "== runtime unit tests (gtest)"
ctest --test-dir "$TESSEL_BUILD" -R unit --output-on-failure || status=1
echo "== compiler tests (lit)"
"$TESSEL_PYTHON" /usr/lib/llvm-22/bin/lit -q "$TESSEL_BUILD/test" || status=1
echo "== pytest"
"$TESSEL_PYTHON" -m pytest -q "$TESSEL_ROOT/test/python" "$@" || status=1
exit $status

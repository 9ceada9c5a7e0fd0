#!/usr/bin/env bash
# Fuzzes tessel-opt and tessel-translate for a while (default one hour) at low priority.
#   bash scripts/fuzz.sh [SECONDS] [more fuzz.py options, e.g. --seed 42 --jobs 4]
# Reproducers (shrunk, one per crash/hang/unlocated-error signature) go to
# build/fuzz-out/ unless --out says otherwise; see docs/fuzzing.md.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
budget="${1:-3600}"
[ $# -gt 0 ] && shift
exec nice -n 19 "$TESSEL_PYTHON" "$TESSEL_ROOT/scripts/fuzz/fuzz.py" \
  --time-budget "$budget" --tools-dir "$TESSEL_BUILD/bin" --out "$TESSEL_BUILD/fuzz-out" "$@"

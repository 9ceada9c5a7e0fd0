# Sourced by the scripts: which Python and where the build lives.
TESSEL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TESSEL_BUILD="${TESSEL_BUILD:-$TESSEL_ROOT/build}"
if [ -z "${TESSEL_PYTHON:-}" ]; then
  if command -v pyenv >/dev/null 2>&1 && [ -x "$(pyenv root)/versions/3.12.1/bin/python3" ]; then
    TESSEL_PYTHON="$(pyenv root)/versions/3.12.1/bin/python3"
  else
    TESSEL_PYTHON="$(command -v python3)"
  fi
fi
export TESSEL_ROOT TESSEL_BUILD TESSEL_PYTHON
export PYTHONPATH="$TESSEL_ROOT/python:$TESSEL_BUILD/python${PYTHONPATH:+:$PYTHONPATH}"

#!/usr/bin/env bash
# Install everything the tests need (Python packages, Debian's Chromium for the page
# tests) and run the whole test suite. This is the README's test command.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
        || echo "chromium could not be installed: browser tests will be skipped" >&2
fi
python3 -m pip install -q -e '.[test]'
python3 -m pytest -q "$@"

#!/usr/bin/env bash
# The web intake in Chromium (browser_test.js): installs the pinned npm packages when
# node_modules/ is missing or stale (npm_install.sh), then runs the test against STEPCARE.
#
#   bash run_browser_tests.sh STEPCARE
#   STEPCARE_SCREENSHOTS=1 bash run_browser_tests.sh STEPCARE   # also rewrites docs/images/serve-*.png
set -u
here="$(cd "$(dirname "$0")" && pwd)"
if [ $# -ne 1 ]; then
    echo "usage: bash run_browser_tests.sh STEPCARE" >&2
    exit 2
fi
stepcare="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
    echo "run_browser_tests.sh: no browser at $chromium (Debian's chromium; ./build.sh test installs it)" >&2
    exit 1
fi
command -v node >/dev/null || { echo "run_browser_tests.sh: node is not installed (./build.sh test installs it)" >&2; exit 1; }
sh "$here/../../npm_install.sh" "$here" || exit 2
cd "$here" || exit 2
exec node browser_test.js "$stepcare" "$here/../../../questionnaires/ketamine-trd.sq"

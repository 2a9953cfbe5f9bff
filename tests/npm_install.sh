#!/bin/sh
# Installs the npm packages that FOLDER/package-lock.json pins into FOLDER/node_modules/ when
# it is missing or older than the lock file: `npm ci --offline` (npm's cache) first, `npm ci`
# (the registry) when the cache lacks a package. The only step of the tests that use npm
# (tests/fhir/, tests/serve/browser/, tests/editors/) that may download anything; no package
# downloads a browser (PUPPETEER_SKIP_DOWNLOAD: the browser tests drive Debian's chromium).
#
#   sh tests/npm_install.sh FOLDER
set -u
if [ $# -ne 1 ]; then
    echo "usage: sh npm_install.sh FOLDER" >&2
    exit 2
fi
cd "$1" || exit 2
export PUPPETEER_SKIP_DOWNLOAD=1
if [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
    exit 0
fi
# Two test runs starting at once share one install: the second waits for the first.
lock=.npm-install.lock
tries=0
while ! mkdir "$lock" 2>/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -gt 300 ]; then
        echo "npm_install.sh: $(pwd)/$lock has been there for 5 minutes; remove it if no install is running" >&2
        exit 2
    fi
    sleep 1
done
trap 'rmdir "$lock"' EXIT
if [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
    exit 0
fi
echo "installing the pinned npm packages (package-lock.json)"
if ! npm ci --offline --no-audit --no-fund >npm-ci.log 2>&1; then
    echo "npm ci --offline failed (npm's cache lacks a package); running npm ci"
    if ! npm ci --no-audit --no-fund >npm-ci.log 2>&1; then
        cat npm-ci.log
        echo "npm_install.sh: npm ci failed in $(pwd); see above" >&2
        exit 2
    fi
fi
rm -f npm-ci.log

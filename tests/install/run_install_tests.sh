#!/usr/bin/env bash
# Installs Stepcare into a temporary prefix, then builds each example against that
# installed tree alone and runs it, comparing its whole output with the expected files:
# - examples/embedding: C++ with find_package(stepcare), shared and static;
# - examples/c: C99 with pkg-config, shared and fully static;
# - examples/python: Python with ctypes over the shared library.
# usage: run_install_tests.sh BUILD_DIR SOURCE_DIR
set -euo pipefail

build="$1"
src="$2"
here="$src/tests/install"
expected="$here/expected"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
failures=0

fail() {
  printf 'FAIL: %s\n' "$*"
  failures=$((failures + 1))
}

# Compares a file with its expected version, whole. STEPCARE_UPDATE_GOLDEN=1 rewrites the
# expected version instead, for review.
same() {
  local what="$1" actual="$2" wanted="$3"
  if [[ "${STEPCARE_UPDATE_GOLDEN:-}" == 1 ]]; then
    cp "$actual" "$wanted"
  elif ! diff -u "$wanted" "$actual"; then
    fail "$what differs from $wanted"
  fi
}

# Everything but the Python package, which goes to the interpreter's site-packages rather
# than under the prefix (checked below).
cmake --install "$build" --prefix "$prefix" --component Unspecified >/dev/null

# --- What the install places --------------------------------------------------------------
libdir="$(pkg-config --variable=libdir "$prefix"/lib*/pkgconfig/stepcare.pc 2>/dev/null || true)"
[[ -n "$libdir" ]] || fail "no stepcare.pc under $prefix"
for f in include/stepcare/stepcare.h include/stepcare/export.h include/stepcare/session.hpp \
         bin/stepcare share/stepcare/questionnaires/ketamine-trd.sq; do
  [[ -e "$prefix/$f" ]] || fail "not installed: $f"
done
for f in libstepcare.a libstepcare.so cmake/stepcare/stepcare-config.cmake \
         cmake/stepcare/stepcare-config-version.cmake; do
  [[ -e "$libdir/$f" ]] || fail "not installed: $libdir/$f"
done
"$prefix/bin/stepcare" --version >/dev/null || fail "the installed stepcare does not run"

# The shared library exports the C API and the stepcare:: C++ API, nothing else.
others="$(nm -D --defined-only "$libdir/libstepcare.so" | c++filt | awk '{ $1 = $2 = ""; print substr($0, 3) }' \
          | grep -v -E '^(stepcare_|stepcare::)' || true)"
[[ -z "$others" ]] || fail "libstepcare.so exports more than the public API:"$'\n'"$others"

needs() {  # needs BINARY LIBRARY-PATTERN: whether BINARY names the library as NEEDED
  readelf -d "$1" | grep -q "NEEDED.*$2"
}

# --- C++: find_package(stepcare) ----------------------------------------------------------
for variant in shared static; do
  static=OFF
  [[ "$variant" == static ]] && static=ON
  dir="$work/minimal-$variant"
  if cmake -S "$src/examples/embedding" -B "$dir" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
       -DSTEPCARE_STATIC=$static -DCMAKE_CXX_FLAGS="-Wall -Wextra -Wpedantic -Werror" >"$work/log" 2>&1 \
     && cmake --build "$dir" >>"$work/log" 2>&1; then
    "$dir/minimal" "$src/tests/data/spec_example.sq" >"$dir/out" 2>/dev/null || fail "minimal ($variant) failed"
    same "minimal ($variant)" "$dir/out" "$expected/minimal.out"
    if [[ "$variant" == shared ]]; then
      needs "$dir/minimal" 'libstepcare\.so' || fail "minimal (shared) does not use libstepcare.so"
    else
      ! needs "$dir/minimal" 'libstepcare' || fail "minimal (static) still uses libstepcare.so"
    fi
  else
    cat "$work/log"
    fail "the C++ example ($variant) does not build against the installed package"
  fi
done

# --- C: pkg-config ------------------------------------------------------------------------
export PKG_CONFIG_PATH="$libdir/pkgconfig"
cc="${CC:-cc}"
cflags=(-std=c99 -Wall -Wextra -Wpedantic -Werror)
# shellcheck disable=SC2046  # pkg-config's output is meant to be split into words
"$cc" "${cflags[@]}" "$src/examples/c/evaluate.c" -o "$work/evaluate" \
  $(pkg-config --cflags --libs stepcare) -Wl,-rpath,"$libdir" || fail "the C example does not build (shared)"
# The static library, with the system libraries it needs linked as shared ones: Debian has
# no static Z3, so a fully static program is not possible.
# shellcheck disable=SC2046
"$cc" "${cflags[@]}" "$src/examples/c/evaluate.c" -o "$work/evaluate-static" $(pkg-config --cflags stepcare) \
  "$libdir/libstepcare.a" $(pkg-config --libs --static stepcare | sed 's/ -lstepcare / /') 2>"$work/static-link.log" \
  || { cat "$work/static-link.log"; fail "the C example does not build (static)"; }
for exe in evaluate evaluate-static; do
  [[ -x "$work/$exe" ]] || continue
  "$work/$exe" "$src/tests/data/spec_example.sq" <"$here/records.jsonl" >"$work/$exe.out" 2>"$work/$exe.err" \
    || fail "$exe exited with $?"
  same "$exe (stdout)" "$work/$exe.out" "$expected/evaluate.out"
  same "$exe (stderr)" "$work/$exe.err" "$expected/evaluate.err"
done
# A file that cannot be read: the status, the message and the diagnostics, exit status 1.
if [[ -x "$work/evaluate" ]]; then
  status=0
  (cd "$work" && ./evaluate missing.sq </dev/null >/dev/null 2>evaluate-missing.err) || status=$?
  [[ "$status" == 1 ]] || fail "evaluate missing.sq exited with $status, not 1"
  same "evaluate missing.sq (stderr)" "$work/evaluate-missing.err" "$expected/evaluate-missing.err"
fi
if [[ -x "$work/evaluate-static" ]] && readelf -d "$work/evaluate-static" | grep -q 'NEEDED.*libstepcare'; then
  fail "evaluate-static still uses libstepcare.so"
fi

# --- Python: ctypes -----------------------------------------------------------------------
python3 "$src/examples/python/intake.py" --library "$libdir/libstepcare.so" \
  "$prefix/share/stepcare/questionnaires/ketamine-trd.sq" >"$work/intake.out" || fail "intake.py failed"
same "intake.py" "$work/intake.out" "$expected/intake.out"

# --- Python: the package, when the build has it (-DSTEPCARE_PYTHON=ON) --------------------
# Installed under a DESTDIR, so that the test writes nothing into the system's
# site-packages, then imported from there alone by the interpreter it was built for.
if [[ -d "$build/python/stepcare" ]]; then
  interpreter="$(sed -n 's/^Python3_EXECUTABLE:[A-Z]*=//p' "$build/CMakeCache.txt")"
  DESTDIR="$work/python-root" cmake --install "$build" --component python >/dev/null
  package="$(dirname "$(find "$work/python-root" -path '*/stepcare/__init__.py' | head -n 1)")"
  [[ -d "$package" ]] || fail "cmake --install --component python installed no package"
  for f in __init__.py _stepcare.pyi py.typed; do
    [[ -e "$package/$f" ]] || fail "not installed: $package/$f"
  done
  ls "$package"/_stepcare*.so >/dev/null 2>&1 || fail "no native module in $package"
  (cd "$work" && PYTHONPATH="$(dirname "$package")" PYTHONNOUSERSITE=1 "$interpreter" - \
    "$prefix/share/stepcare/questionnaires/ketamine-trd.sq" >"$work/package.out" <<'PY'
import os
import sys
import stepcare
print("from the installed package:", stepcare.__file__.startswith(os.environ["PYTHONPATH"]))
q = stepcare.compile(sys.argv[1])
print(q.id, q.version, len(q.questions))
result = q.evaluate({"in_danger_now": "no", "age": 40})
print(result.status, result.referral.title)
PY
  ) || fail "the installed Python package does not work"
  same "the installed Python package" "$work/package.out" "$expected/package.out"
fi

# --- The program: `run` with no file, before and after the installed tree is moved --------
# With no input the intake ends at once; its first lines name the reference questionnaire.
starts_reference_intake() {
  local out
  out="$("$1/bin/stepcare" run --plain </dev/null 2>&1 || true)"
  grep -q '^Ketamine-based treatment for depression' <<<"$out" || fail "$1/bin/stepcare run does not open the bundled questionnaire: $out"
}
starts_reference_intake "$prefix"
mv "$prefix" "$work/moved"
starts_reference_intake "$work/moved"

if ((failures > 0)); then
  printf '%d failure(s)\n' "$failures"
  exit 1
fi
echo "installed tree: every example built and ran as expected"

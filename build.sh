#!/usr/bin/env bash
# Stepcare: set up, build, and run or test, on Debian 12.
#
#   ./build.sh run [stepcare run args...]   install what is missing, build, start the intake
#   ./build.sh test                         install what is missing, build, run every test,
#                                           build a Release build, run every test again under
#                                           AddressSanitizer + UBSan, then the thread-safety
#                                           tests under ThreadSanitizer, then fuzz each fuzz
#                                           target for 60 seconds
#
# The project's own builds treat warnings as errors (-DSTEPCARE_WERROR=ON); a plain
# `cmake` build, as users and packagers make it, does not.
#
# Only Debian's own archive is used (apt-get); nothing else is ever downloaded.
set -euo pipefail

# Every Debian package the program needs to build, then those only the tests add; each in
# one place. `run` installs the first list, `test` both.
RUN_PACKAGES=(
  g++
  cmake
  ninja-build
  pkg-config
  libboost1.81-dev
  nlohmann-json3-dev
  libicu-dev
  libcli11-dev
  libssl-dev
  libedit-dev
  libsqlite3-dev
  libz3-dev
)
TEST_PACKAGES=(
  catch2
  python3
  parallel
  clang
  libclang-rt-14-dev
  clang-format-14
  chromium
  sqlite3
  neovim
  python3-dev
  pybind11-dev
  python3-pytest
  python3-pandas
  python3-distributed
)
# Commands the tests run, each with the Debian package that brings it when it is missing. A
# command already on PATH is used as it is: a machine may have Node.js from elsewhere
# (NodeSource's `nodejs` provides npm itself and conflicts with Debian's `npm`).
TEST_COMMANDS=(
  node:nodejs
  npm:npm
)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ORIG_PWD="$(pwd)"

usage() {
  cat >&2 <<'EOF'
usage: ./build.sh run [stepcare run args...]
       ./build.sh test

  run    install missing Debian packages, build, then start the interactive intake
         (extra arguments are passed on to `stepcare run`)
  test   install missing Debian packages, build, run the test suite, build everything
         again as a Release build, then build and run the suite again with
         AddressSanitizer and UndefinedBehaviorSanitizer, then the thread-safety tests
         with ThreadSanitizer, then fuzz each fuzz target for 60 seconds
         (STEPCARE_FUZZ_SECONDS for longer)
EOF
}

banner() {
  printf '\n==== %s ====\n' "$*"
}

die() {
  printf 'build.sh: %s\n' "$*" >&2
  exit 1
}

# Number of parallel jobs: the machine's cores (override with STEPCARE_JOBS).
jobs() {
  local n
  n="${STEPCARE_JOBS:-}"
  if [[ -z "$n" ]]; then
    n="$(nproc 2>/dev/null || echo 2)"
  fi
  if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then
    n=2
  fi
  printf '%s\n' "$n"
}

# ensure_packages PACKAGE...: installs those of the given packages that are missing.
ensure_packages() {
  banner "Checking Debian packages"
  command -v dpkg-query >/dev/null 2>&1 \
    || die "dpkg-query not found: this script expects Debian 12 (packages needed: $*)"

  local missing=() pkg status
  for pkg in "$@"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    if [[ "$status" != "install ok installed" ]]; then
      missing+=("$pkg")
    fi
  done

  if ((${#missing[@]} == 0)); then
    echo "All required packages are installed."
    return 0
  fi

  echo "Missing packages: ${missing[*]}"
  local sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      die "not running as root and sudo is not available; please install these packages: ${missing[*]}"
    fi
  fi

  banner "Installing: ${missing[*]}"
  "${sudo[@]}" apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
}

# build_main all|program: configures build/ (RelWithDebInfo) and builds everything, or only
# the `stepcare` program, without the tests and benchmarks, for a quick first run. Both use
# the same folder, so `test` after `run` builds only what is left.
build_main() {
  local j what=$1
  j="$(jobs)"
  local with=ON target=()
  if [[ "$what" == program ]]; then
    with=OFF
    target=(--target stepcare)
  fi
  # The Python package is built for Debian's python3, whose packages the tests install.
  banner "Configuring (build/, RelWithDebInfo)"
  cmake -S "$ROOT" -B "$ROOT/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTEPCARE_WERROR=ON \
    -DSTEPCARE_BUILD_TESTS="$with" -DSTEPCARE_BUILD_BENCH="$with" \
    -DSTEPCARE_PYTHON="$with" -DPython3_EXECUTABLE=/usr/bin/python3
  banner "Building (build/, -j$j${target:+, the program only})"
  cmake --build "$ROOT/build" --parallel "$j" "${target[@]}"
}

cmd_run() {
  ensure_packages "${RUN_PACKAGES[@]}"
  build_main program

  local exe="$ROOT/build/cli/stepcare"
  [[ -x "$exe" ]] || die "the build did not produce $exe"

  banner "Starting the intake"
  cd "$ORIG_PWD"
  exec "$exe" run "$@"
}

# missing_command_packages: prints the packages of TEST_COMMANDS whose command is missing.
missing_command_packages() {
  local entry
  for entry in "${TEST_COMMANDS[@]}"; do
    command -v "${entry%%:*}" >/dev/null 2>&1 || printf '%s\n' "${entry#*:}"
  done
}

cmd_test() {
  local command_packages=()
  mapfile -t command_packages < <(missing_command_packages)
  ensure_packages "${RUN_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${command_packages[@]}"
  build_main all

  local j
  j="$(jobs)"
  banner "Testing (build/)"
  ctest --test-dir "$ROOT/build" --output-on-failure -j "$j"

  # What users and packagers type: a Release build (-O3) must build without a warning too.
  banner "Configuring (build-release/, Release)"
  cmake -S "$ROOT" -B "$ROOT/build-release" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTEPCARE_WERROR=ON
  banner "Building (build-release/, -j$j)"
  cmake --build "$ROOT/build-release" --parallel "$j"

  banner "Configuring (build-sanitize/, Debug, AddressSanitizer + UndefinedBehaviorSanitizer)"
  cmake -S "$ROOT" -B "$ROOT/build-sanitize" -G Ninja -DSTEPCARE_WERROR=ON \
    -DSTEPCARE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DSTEPCARE_BUILD_BENCH=OFF
  banner "Building (build-sanitize/, -j$j)"
  cmake --build "$ROOT/build-sanitize" --parallel "$j"

  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  banner "Testing (build-sanitize/, ASan + UBSan)"
  ctest --test-dir "$ROOT/build-sanitize" --output-on-failure -j "$j"

  # ThreadSanitizer cannot be combined with AddressSanitizer, hence a third build; it
  # needs only the library, the thread-safety tests, the program's parallel paths, the
  # server (its storage's group commit, and the server's threads under the API test) and
  # the language server (its checker thread, under the scripted client and Neovim).
  banner "Configuring (build-tsan/, ThreadSanitizer)"
  cmake -S "$ROOT" -B "$ROOT/build-tsan" -G Ninja -DSTEPCARE_WERROR=ON \
    -DSTEPCARE_TSAN=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTEPCARE_BUILD_BENCH=OFF
  banner "Building the thread-safety tests (build-tsan/, -j$j)"
  cmake --build "$ROOT/build-tsan" --parallel "$j" --target thread_tests server_tests lsp_tests stepcare generate_records

  # Z3 hands a mutex between its timer thread and the caller; tests/tsan.supp says why.
  export TSAN_OPTIONS="halt_on_error=1 suppressions=$ROOT/tests/tsan.supp"
  banner "Testing (build-tsan/, ThreadSanitizer)"
  ctest --test-dir "$ROOT/build-tsan" --output-on-failure -R '^(threads:|server:|serve: the JSON API|lsp:)'

  local seconds="${STEPCARE_FUZZ_SECONDS:-60}"
  ((seconds >= 60)) || seconds=60
  banner "Fuzzing (build-fuzz/, clang, libFuzzer + ASan + UBSan, ${seconds}s per target)"
  STEPCARE_JOBS="$j" "$ROOT/fuzz/run.sh" "$seconds"

  banner "All tests passed"
}

main() {
  if (($# == 0)); then
    usage
    exit 2
  fi
  local cmd="$1"
  shift
  case "$cmd" in
    run)
      cd "$ROOT"
      cmd_run "$@"
      ;;
    test)
      if (($# != 0)); then
        usage
        exit 2
      fi
      cd "$ROOT"
      cmd_test
      ;;
    *)
      usage
      exit 2
      ;;
  esac
}

main "$@"

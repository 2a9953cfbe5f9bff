#!/bin/sh
# Neovim's own LSP client against the real server: a headless Neovim with the repository's
# snippet (editors/neovim/stepcare.lua), which starts `stepcare lsp` from PATH, edits a copy of
# the bundled ketamine-trd.sq as neovim_client_test.lua says. Fails when nvim exits with a
# status other than 0, writes anything to stderr (errors, and messages such as a server that
# could not start), or runs for longer than 120 seconds.
#
#   sh run_neovim_client_test.sh STEPCARE_PROGRAM [NVIM]    # NVIM: `nvim` on PATH by default
set -u
if [ $# -lt 1 ]; then
    echo "usage: run_neovim_client_test.sh STEPCARE_PROGRAM [NVIM]" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
program=$1
nvim=${2:-nvim}
case $program in
    /*) ;;
    *) program=$(pwd)/$program ;;
esac
if [ ! -x "$program" ]; then
    echo "run_neovim_client_test.sh: $program is not a program" >&2
    exit 2
fi
if ! command -v "$nvim" >/dev/null; then
    echo "run_neovim_client_test.sh: $nvim is not installed (./build.sh test installs Debian's neovim)" >&2
    exit 1
fi
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 2' HUP INT TERM

# The questionnaire in a folder of its own (the snippet's workspace: no .git above it), and
# `stepcare` on PATH as the snippet wants it.
mkdir -p "$work/forms" "$work/bin" "$work/home" || exit 2
cp "$here/../../questionnaires/ketamine-trd.sq" "$work/forms/" || exit 2
ln -s "$program" "$work/bin/stepcare" || exit 2
if (cd "$work/forms" && git rev-parse --git-dir >/dev/null 2>&1); then
    echo "run_neovim_client_test.sh: the temporary folder $work is inside a git repository; set TMPDIR elsewhere" >&2
    exit 2
fi

# -u NONE skips the user's configuration, and with it file type detection, which every
# ordinary configuration has; -i NONE the shada file. Neovim's own files (the LSP log) go
# below the temporary folder.
STEPCARE_TEST_FILE=$work/forms/ketamine-trd.sq PATH="$work/bin:$PATH" HOME="$work/home" \
    XDG_CONFIG_HOME="$work/home/config" XDG_CACHE_HOME="$work/home/cache" \
    XDG_DATA_HOME="$work/home/data" XDG_STATE_HOME="$work/home/state" \
    timeout 120 "$nvim" --headless -u NONE -i NONE -n --cmd 'filetype on' \
    -c "luafile $here/../../editors/neovim/stepcare.lua" -c "luafile $here/neovim_client_test.lua" \
    </dev/null 2>"$work/stderr"
code=$?
status=0
if [ "$code" = 124 ]; then
    status=1
    echo "nvim did not finish within 120 seconds"
elif [ "$code" != 0 ]; then
    status=1
    echo "nvim exited with status $code"
fi
if [ -s "$work/stderr" ]; then
    status=1
    echo "nvim wrote to stderr:"
    cat "$work/stderr"
fi
exit $status

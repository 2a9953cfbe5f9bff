#!/bin/sh
# The Neovim snippet (editors/neovim/stepcare.lua) in a headless Neovim: .sq files get the
# file type and comment string, and the server is started as `stepcare lsp` in the right
# workspace, both as Neovim 0.8 and later start it and as 0.7 does (neovim_test.lua), then
# for real with a stand-in `stepcare` program.
#
#   sh run_neovim_test.sh [NVIM]      # NVIM: the program, `nvim` on PATH by default
set -u
here=$(cd "$(dirname "$0")" && pwd)
nvim=${1:-nvim}
if ! command -v "$nvim" >/dev/null; then
    echo "run_neovim_test.sh: $nvim is not installed (./build.sh test installs Debian's neovim)" >&2
    exit 1
fi
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT

# A repository, a git worktree (whose .git is a file) and a folder outside any repository.
mkdir -p "$work/repo/.git" "$work/repo/forms" "$work/repo/my forms, old" "$work/worktree" "$work/alone" "$work/bin"
echo "gitdir: $work/repo/.git/worktrees/worktree" >"$work/worktree/.git"
for file in repo/forms/a.sq repo/forms/b.sq "repo/my forms, old/c.sq" worktree/d.sq alone/e.sq; do
    printf 'questionnaire q "Q" {\n  version "1"\n}\n' >"$work/$file"
done
if (cd "$work/alone" && git rev-parse --git-dir >/dev/null 2>&1); then
    echo "run_neovim_test.sh: the temporary folder $work is inside a git repository; set TMPDIR elsewhere" >&2
    exit 2
fi
# The stand-in server writes its arguments down, whole (one runs per workspace), and stops.
cat >"$work/bin/stepcare" <<'EOF'
#!/bin/sh
echo "$@" >"$STEPCARE_TEST_DIR/arguments.$$" && mv "$STEPCARE_TEST_DIR/arguments.$$" "$STEPCARE_TEST_DIR/arguments"
EOF
chmod +x "$work/bin/stepcare"

status=0
for mode in start start_client real; do
    echo "-- $mode"
    # -u NONE skips the user's configuration, and with it file type detection, which every
    # ordinary configuration has.
    STEPCARE_TEST_DIR=$work STEPCARE_TEST_MODE=$mode PATH="$work/bin:$PATH" \
        "$nvim" --headless -u NONE -i NONE --cmd 'filetype on' \
        -c "luafile $here/../../editors/neovim/stepcare.lua" -c "luafile $here/neovim_test.lua" </dev/null 2>"$work/stderr"
    code=$?
    if [ "$code" != 0 ]; then
        status=1
        echo "nvim exited with status $code"
    fi
    # Errors, and messages such as a server that could not start, go to stderr.
    if [ -s "$work/stderr" ]; then
        status=1
        echo "nvim wrote to stderr:"
        cat "$work/stderr"
    fi
done
exit $status

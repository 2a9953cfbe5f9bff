#!/usr/bin/env bash
# Fails when a C or C++ file of the project differs from what clang-format makes of it with
# the project's .clang-format (docs/architecture.md, "Naming and style"), listing each file
# and the command that fixes it. clang-format 14 exactly: other versions format differently.
#
# Usage: tests/style/check_format.sh ROOT
set -euo pipefail
root=$1
format=clang-format-14
command -v "$format" >/dev/null || { echo "$format is not installed (./build.sh test installs it)"; exit 1; }
cd "$root"
mapfile -t files < <(find engine cli server tests bench fuzz examples -name node_modules -prune -o \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.c' \) -type f -print | LC_ALL=C sort)
bad=()
for file in "${files[@]}"; do
  "$format" --style=file --dry-run --Werror "$file" >/dev/null 2>&1 || bad+=("$file")
done
if [ ${#bad[@]} -gt 0 ]; then
  printf '%s: not formatted\n' "${bad[@]}"
  echo "${#bad[@]} of ${#files[@]} files differ from .clang-format; run: $format -i ${bad[*]}"
  exit 1
fi
echo "all ${#files[@]} files follow .clang-format"

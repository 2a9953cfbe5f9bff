# Sourced by the bench scripts. timed LABEL AMOUNT COMMAND...: runs the command once, its
# output to /dev/null, and prints a table row with its wall and CPU time, CPU share and peak
# RSS, and AMOUNT (records or files) per second of wall time and of CPU time. Needs `$work`.
timed() {
  local label=$1 amount=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" > /dev/null 2> "$work/stderr.txt" \
    || { cat "$work/stderr.txt"; exit 1; }
  read -r wall user sys rss < "$work/time.txt"
  awk -v label="$label" -v n="$amount" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN {
    printf "| %s | %.2f s | %.0f/s | %.2f s | %.0f%% | %.0f/s | %.1f MB |\n",
           label, w, n / w, u + s, 100 * (u + s) / w, n / (u + s), r / 1024 }'
}

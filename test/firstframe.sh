#!/usr/bin/env bash
# Measures how long the wizard's first frame takes to appear in a real terminal (tmux, 80×24),
# against a trivial program's baseline (printf), on a fresh home and on a second start.
#
#   test/firstframe.sh [RUNS]        (default 10 runs of each; prints the medians in ms)
#   SBS_TUI_BIN=/path/to/sbs-tui test/firstframe.sh    measures another build instead
#
# Each measurement starts a new tmux session running the program and polls capture-pane
# until the screen is not blank. The time includes tmux starting the program and the polling
# granularity, identically for the baseline; the difference is what the wizard adds.
# Not part of `go test ./...`: it takes a while and wants a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
command -v tmux >/dev/null || { echo "tmux is required" >&2; exit 1; }

work=$(mktemp -d)
sock="$work/tmux.sock"
trap 'tmux -S "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
if [ -n "${SBS_TUI_BIN:-}" ]; then cp "$SBS_TUI_BIN" "$work/sbs-tui"; else go build -o "$work/sbs-tui" ./cmd/sbs-tui; fi
tmux -S "$sock" -f /dev/null new-session -d -s idle -x 80 -y 24 "sleep 600"

# first_frame CMD: milliseconds from starting CMD in a new session to a non-blank screen.
first_frame() {
  local name="m$RANDOM$RANDOM" start now screen
  start=$(date +%s%N)
  tmux -S "$sock" new-session -d -s "$name" -x 80 -y 24 "$1; sleep 30"
  while :; do
    screen=$(tmux -S "$sock" capture-pane -p -t "$name" 2>/dev/null || true)
    if [ -n "${screen//[[:space:]]/}" ]; then break; fi
  done
  now=$(date +%s%N)
  tmux -S "$sock" kill-session -t "$name"
  echo $(( (now - start) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

wizard() { # HOME for the run
  echo "env HOME=$1 XDG_CONFIG_HOME=$1/.config XDG_DATA_HOME=$1/.local/share XDG_STATE_HOME=$1/.local/state SBS_TUI_SANDBOX_DATA= TERM=xterm-256color $work/sbs-tui"
}

base=() fresh=() second=()
for i in $(seq "$runs"); do
  base+=("$(first_frame "printf 'sbs-tui\n'")")
  home="$work/home$i"
  mkdir -p "$home"
  fresh+=("$(first_frame "$(wizard "$home")")")
  second+=("$(first_frame "$(wizard "$home")")")
done
b=$(printf '%s\n' "${base[@]}" | median)
f=$(printf '%s\n' "${fresh[@]}" | median)
s=$(printf '%s\n' "${second[@]}" | median)
echo "first non-blank screen, median of $runs runs (ms):"
echo "  baseline (printf)      $b    [${base[*]}]"
echo "  wizard, fresh home     $f    [${fresh[*]}]   +$((f - b)) ms"
echo "  wizard, second start   $s    [${second[*]}]   +$((s - b)) ms"

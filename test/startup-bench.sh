#!/usr/bin/env bash
# Whole-process start-up of `sbs-tui inspect FILE` against golang-jwt's `jwt -show FILE`, the
# same token, many paired runs (test/startupbench). Not part of `go test`: run it by hand.
#
#   test/startup-bench.sh [PAIRS]
#
# JWT_CLI=/path/to/jwt uses an installed golang-jwt CLI; otherwise it is installed with
# `go install github.com/golang-jwt/jwt/v5/cmd/jwt@latest` into a temporary GOBIN (for the
# measurement only; nothing is added to the module). hyperfine, when installed, is run too.
#
# Measured 2026-11-27 on the project machine (2 cores shared with other jobs), 400 pairs,
# median of the paired ratios inspect / jwt -show (jwt -show: 2.2 ms):
#   before issue 11 (8ede9d1), go build            1.91×  (4.2 ms)
#   main with the SQLite store (2c6c1b7), go build 2.06×  (4.6 ms)
#   this branch, go build                          1.74×  (3.8 ms)
#   this branch, release build (this script)       1.44×  (3.2 ms)
# What is left is not ours to move: package inits of modernc.org/sqlite (the sandbox store),
# bubbletea, yaml, atotto/clipboard (PATH look-ups; via bubbles/textarea under huh),
# go-humanize (huh's file picker) and jwx (≈ 0.6 ms together, against jwt's 0.15 ms), and
# paging in a 19 MB binary against a 6 MB one (system time 1.3 ms against 0.5 ms).
set -euo pipefail
cd "$(dirname "$0")/.."
pairs="${1:-400}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The release build: no cgo (a static binary, no dynamic loader at start), no symbol tables.
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/sbs-tui" ./cmd/sbs-tui
go build -o "$work/startupbench" ./test/startupbench

jwt="${JWT_CLI:-}"
if [ -z "$jwt" ]; then
  GOBIN="$work/bin" GOFLAGS= go install github.com/golang-jwt/jwt/v5/cmd/jwt@latest
  jwt="$work/bin/jwt"
fi

# A Maskinporten system-user access token as the sandbox issues them (the signature is not
# checked by either command).
b64() { printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }
header='{"kid":"hKgT2XM2zkqhoavRuO4NTKcyokTzGUQv-wRwV-Y4l3M","alg":"RS256"}'
claims='{"scope":"skatteetaten:innrapporteringboligselskap","iss":"https://test.maskinporten.no/","client_amr":"private_key_jwt","token_type":"Bearer","exp":4102444800,"iat":1795759000,"client_id":"a7d76c5c-7845-4b11-86e8-98f15a958cae","jti":"dGhpcy1pcy1hLWp0aS1vZi00My1jaGFyYWN0ZXJzLWxvbmc","consumer":{"authority":"iso6523-actorid-upis","ID":"0192:974761076"},"authorization_details":[{"type":"urn:altinn:systemuser","systemuser_id":["a5f1c3e2-1b2c-4d5e-8f90-0123456789ab"],"systemuser_org":{"authority":"iso6523-actorid-upis","ID":"0192:313367002"},"system_id":"974761076_skatt_demo_system"}]}'
sig="$(head -c 256 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')"
printf '%s.%s.%s\n' "$(b64 "$header")" "$(b64 "$claims")" "$sig" > "$work/token.jwt"

export NO_COLOR=1 HOME="$work/home" XDG_CONFIG_HOME= XDG_DATA_HOME= XDG_STATE_HOME=
"$work/sbs-tui" inspect "$work/token.jwt" > /dev/null
"$jwt" -show "$work/token.jwt" > /dev/null

echo "sbs-tui $(stat -c %s "$work/sbs-tui") bytes, jwt $(stat -c %s "$jwt") bytes"
"$work/startupbench" -n "$pairs" -a "$work/sbs-tui inspect $work/token.jwt" -b "$jwt -show $work/token.jwt"

if command -v hyperfine > /dev/null; then
  hyperfine -N --warmup 30 --runs "$pairs" "$work/sbs-tui inspect $work/token.jwt" "$jwt -show $work/token.jwt"
fi

#!/bin/sh
# Runs one npm command for the Maven build: stdin from /dev/null, output to target/<log>, so npm
# never reads Maven's console nor floods it. On success prints the log's closing lines (the test
# summary, the size check); on failure prints the whole log and fails the build.
# Usage: scripts/npm.sh <log name> <npm arguments…>
set -u
log="target/$1"
shift
mkdir -p target
if npm "$@" </dev/null >"$log" 2>&1; then
  tail -n 9 "$log" | grep -E '^# (tests|pass|fail)|^size:|\.tgz$' || true
else
  status=$?
  cat "$log"
  echo "npm $* failed (exit $status); log: $log" >&2
  exit "$status"
fi

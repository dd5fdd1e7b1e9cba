#!/usr/bin/env bash
# Export a commit of the app (default HEAD) into a fresh directory and print its path, so a
# benchmark can measure exactly that commit while the working tree is being edited:
#   snap=$(benchmarks/snapshot.sh) && XENT_APP_ROOT=$snap .venv/bin/python benchmarks/bench_rerun.py
# (the commit is written to $snap/.xent_commit and shown in the machine line)
# Read-only for the repository (git archive); the caller removes the directory when done.
set -euo pipefail
rev="${1:-HEAD}"
cd "$(dirname "$0")/.."
dest="$(mktemp -d "${TMPDIR:-/tmp}/xent-snapshot.XXXXXX")"
git archive --format=tar "$rev" | tar -x -C "$dest"
git rev-parse --short "$rev" >"$dest/.xent_commit"
echo "$dest"

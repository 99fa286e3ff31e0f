#!/usr/bin/env bash
# Scores extraction on the real development set (testdata/real): kind and field precision/recall
# against the hand-read sidecars, with ../shared/corpus/score.
#
# Files whose source allows no redistribution are not in the repository, only their sidecars (see
# testdata/real/README.md, "Sources and licences"); put their images under $SHENBAO_REAL_IMAGES
# (default ~/.cache/shenbao/real, same sub-folders as testdata/real) and they are scored too. A
# sidecar without its image is left out of the run and named.
#   scripts/real.sh [extract flags…]      e.g. --pages-cache /tmp/pc
set -euo pipefail
cd "$(dirname "$0")/.."
images=${SHENBAO_REAL_IMAGES:-$HOME/.cache/shenbao/real}
work=$(mktemp -d)
results=$(mktemp)
trap 'rm -rf "$work" "$results"' EXIT
missing=0
while IFS= read -r -d '' sc; do
  rel=${sc#testdata/real/}
  f=${rel%.json}
  mkdir -p "$work/$(dirname "$f")"
  if [ -f "testdata/real/$f" ]; then
    cp "testdata/real/$f" "$work/$f"
  elif [ -f "$images/$f" ]; then
    cp "$images/$f" "$work/$f"
  else
    echo "real.sh: no image for $f (left out)" >&2
    missing=$((missing + 1))
    continue
  fi
  cp "$sc" "$work/$rel"
done < <(find testdata/real -mindepth 2 -name '*.json' -print0 | sort -z)
echo "real.sh: $missing sidecars without their image" >&2
go run . extract --json --root "$work" "$@" "$work" > "$results"
../shared/corpus/score "$work" "$results"

#!/usr/bin/env bash
# Builds the example against the installed io/core artifacts (run `mvn install` in the project
# first), runs it on data/ for each file type, and has the independent conformance checker
# (../shared/conformance) judge the output. Arguments go to Maven (e.g. -o, -Dmaven.repo.local=…).
# Used by .ci/run; exits non-zero on the first failure.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SHARED="$HERE/../../shared"
cd "$HERE"

mvn -B -q "$@" compile
mvn -B -q "$@" dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="target/classes:$(cat target/classpath.txt)"
PY="$(bash "$SHARED/conformance/setup.sh")"

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
for type in parquet json; do
  # the program's last stdout line is the data path; its log is shown only when it fails
  if ! java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" example.JsonlToMilvus \
      --schema=data/schema.json --input=data/rows.jsonl --output="$OUT/$type" \
      --fileType="$type" >"$OUT/$type.out" 2>"$OUT/$type.log"; then
    cat "$OUT/$type.log" >&2
    exit 1
  fi
  data="$(tail -n 1 "$OUT/$type.out")"
  failures="$(wc -l <"$OUT/$type/failures.jsonl")"
  echo "example: $type: $data, $failures rejected rows"
  [ "$failures" -eq 2 ] || { echo "example: expected 2 rejected rows, got $failures" >&2; exit 1; }
  "$PY" "$SHARED/conformance/check.py" --schema data/schema.json --input data/rows.jsonl \
      --rejects data/rejects.json --data-path "$data" --file-type "$type"
done

#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: installs what it needs (apt packages, and MinIO
# and FerretDB built from the Go module proxy and cached under ~/.cache/shenbao), starts real MinIO,
# PostgreSQL and FerretDB servers on 127.0.0.1, runs every Go test against them, and stops them.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh --test
state=${SHENBAO_TEST_STATE:-/tmp/shenbao-test-servers}
export SHENBAO_TEST_STATE=$state
trap 'scripts/testservers.sh stop >/dev/null 2>&1 || true' EXIT
scripts/testservers.sh start >/dev/null
eval "$(scripts/testservers.sh env)"
export SHENBAO_REQUIRE_SERVERS=1

echo "== go vet"
go vet ./...
echo "== go test"
# -p 1: the machine has 2 cores and the OCR tests use both through their worker processes.
go test -count=1 -p 1 -timeout 40m "$@" ./...
echo "== reliability suite (short)"
# Hostile files, load, kill -9, OCR workers killed, MinIO and FerretDB stopped, against the built
# service on the servers started above; about 2 minutes (README: Reliability suite).
scripts/reliability.sh --short

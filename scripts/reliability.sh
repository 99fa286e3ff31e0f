#!/usr/bin/env bash
# The reliability suite (issue 13): builds the service and the suite, starts the test servers (MinIO,
# PostgreSQL, FerretDB on 127.0.0.1, as scripts/test.sh does) unless they are running, and runs
# bench/reliability against a real `shenbao serve` on 127.0.0.1: hostile files, concurrent uploads and
# reads, kill -9 of the server mid-upload and mid-read, OCR workers killed, MinIO and the database
# stopped and started. Prints a table of cases; exits 1 if any case fails. About 4 minutes on 2 cores;
# --short (CI) about 2.
#   scripts/reliability.sh [--short] [--embedded] [other flags of bench/reliability]
# --embedded runs on the embedded stores, without the test servers (the outage cases are skipped).
set -euo pipefail
cd "$(dirname "$0")/.."

embedded=0
args=()
for a in "$@"; do
	case $a in
	--embedded) embedded=1 ;;
	*) args+=("$a") ;;
	esac
done

out=$(mktemp -d /tmp/shenbao-reliability-bin.XXXXXX)
trap 'rm -rf "$out"' EXIT
go build -o "$out/shenbao" .
go build -o "$out/reliability" ./bench/reliability

if [ "$embedded" = 1 ]; then
	unset SHENBAO_TEST_MINIO_ENDPOINT SHENBAO_TEST_MONGO_URI
else
	export SHENBAO_TEST_STATE=${SHENBAO_TEST_STATE:-/tmp/shenbao-test-servers}
	started=0
	if ! scripts/testservers.sh env >/dev/null 2>&1; then
		scripts/deps.sh --test
		started=1
	fi
	scripts/testservers.sh start >/dev/null
	if [ "$started" = 1 ]; then
		trap 'scripts/testservers.sh stop >/dev/null 2>&1 || true; rm -rf "$out"' EXIT
	fi
	eval "$(scripts/testservers.sh env)"
fi
"$out/reliability" --bin "$out/shenbao" --repo . "${args[@]}"

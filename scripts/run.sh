#!/usr/bin/env bash
# Runs the service with its embedded defaults (originals and metadata under ./data, no external
# server), after installing Tesseract and Poppler if they are missing. Flags are passed to `serve`;
# set SHENBAO_MINIO_* and SHENBAO_MONGO_URI to use MinIO and MongoDB instead (see README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
go build -o shenbao .
exec ./shenbao serve "$@"

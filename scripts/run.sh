#!/usr/bin/env bash
# Runs the service with its embedded defaults (originals and metadata under ./data, no external
# server), after installing Tesseract and Poppler if they are missing. Flags are passed to `serve`;
# set SHENBAO_MINIO_* and SHENBAO_MONGO_URI to use MinIO and MongoDB instead (see README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
go build -o shenbao .
# The first start makes the first staff account, with a random password shown once (there is no
# default password). Later starts leave the accounts alone.
if [ -z "$(./shenbao user list "$@")" ]; then
  echo "第一次启动：创建经信厅工作人员账户 admin（密码只显示这一次，请妥善保存）"
  ./shenbao user add --login admin --name 管理员 --role staff "$@"
fi
exec ./shenbao serve "$@"

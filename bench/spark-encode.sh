#!/usr/bin/env bash
# EncodeJob on a local Spark with two task slots against `bin/sentence4j encode`, on the same file of
# recombined STSb sentences, same machine, same run: each round runs both, the order alternating so
# that drift in the machine's load hurts neither more. Wall-clock time of each whole command, start-up
# and model load included. Usage: bench/spark-encode.sh [sentences (100000)] [rounds (2)] [model]
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
count="${1:-100000}"
rounds="${2:-2}"
model="${3:-sentence-transformers/all-MiniLM-L6-v2}"
work="$root/bench/target/spark-encode"
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

# Runs a command, prints its sentences per second, wall clock.
timed() {
  local label="$1"
  shift
  local start end
  start=$(date +%s.%N)
  "$@" 2>"$work/$label.log"
  end=$(date +%s.%N)
  awk -v n="$count" -v s="$start" -v e="$end" -v l="$label" -v load="$(cut -d ' ' -f 1 /proc/loadavg)" \
    'BEGIN { printf "%-12s %7.1f s  %6.1f sentences/s  (load average %s at the end)\n", l, e - s, n / (e - s), load }'
}

cli() { timed encode bin/sentence4j encode --model "$model" --input "$input" --output "$work/vectors.npy"; }
spark() {
  timed spark-encode bin/sentence4j spark-encode --model "$model" --master 'local[2]' --input "$input" \
    --output "$work/vectors" --overwrite
}

for ((round = 1; round <= rounds; round++)); do
  echo "round $round"
  if ((round % 2)); then cli; spark; else spark; cli; fi
done

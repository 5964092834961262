#!/usr/bin/env bash
# Times the command line's cold start against `java -version` in the same run, rounds interleaved so
# that a shared machine's load falls on both alike, and breaks one more run of the command down by
# when its first classes of each stage load (-Xlog:class+load with uptime).
# Usage: bench/cold-start.sh [rounds] -- the command's arguments (default: similarity on the walkthrough)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-7}"
shift || true
[[ "${1:-}" == "--" ]] && shift
args=("$@")
[[ ${#args[@]} -eq 0 ]] && args=(similarity --input "$root/examples/walkthrough.txt")
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# The first run builds the tool if needed and writes the class-data archive; it is not timed here.
"$root/bin/sentence4j" "${args[@]}" >/dev/null

millis() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

floor=(); tool=(); version=()
for ((i = 0; i < rounds; i++)); do
  floor+=("$(millis "$java" -version)")
  version+=("$(millis "$root/bin/sentence4j" --version)")
  tool+=("$(millis "$root/bin/sentence4j" "${args[@]}")")
done
f=$(printf '%s\n' "${floor[@]}" | median)
v=$(printf '%s\n' "${version[@]}" | median)
t=$(printf '%s\n' "${tool[@]}" | median)
echo "java -version:          ${floor[*]} ms (median $f)"
echo "sentence4j --version:   ${version[*]} ms (median $v)"
echo "sentence4j ${args[0]}: ${tool[*]} ms (median $t)"
awk -v t="$t" -v f="$f" 'BEGIN {printf "ratio: %.1fx java -version\n", t / f}'

# Where one run's time goes: the uptime at which the first class of each stage loads.
log="$(mktemp)"
SENTENCE4J_JAVA_OPTS="-Xlog:class+load:file=$log:uptime ${SENTENCE4J_JAVA_OPTS:-}" "$root/bin/sentence4j" "${args[@]}" >/dev/null
at() { grep -m1 -E "\] $1 " "$log" | sed -E 's/^\[([0-9.]+)s\].*/\1/'; }
printf '%-52s %s s\n' \
  "JVM started, Main loaded" "$(at 'dev\.sentence4j\.cli\.Main')" \
  "command line parsed, input read (TextFile)" "$(at 'dev\.sentence4j\.cli\.TextFile')" \
  "model files resolved (Tokenizer)" "$(at 'dev\.sentence4j\.tokenize\.Tokenizer')" \
  "tokenizer native library loading (LibUtils)" "$(at 'ai\.djl\.huggingface\.tokenizers\.jni\.LibUtils')" \
  "ONNX Runtime environment (OrtEnvironment)" "$(at 'ai\.onnxruntime\.OrtEnvironment')" \
  "session created, first run (OrtSession\$Result)" "$(at 'ai\.onnxruntime\.OrtSession\$Result')" \
  "last class loaded" "$(tail -1 "$log" | sed -E 's/^\[([0-9.]+)s\].*/\1/')"
rm -f "$log"

#!/usr/bin/env bash
# Times the command line's cold start against `java -version` in the same run, rounds interleaved so
# that a shared machine's load falls on all alike, and breaks runs down by when the first class of each
# stage loads (-Xlog:class+load with uptime; the logging itself adds a little).
#
# Usage: bench/cold-start.sh [ROUNDS] [BEFORE]
#   BEFORE: another checkout whose bin/sentence4j is timed in the same rounds (for example an older
#   commit, built), so that before and after share the machine's load.
# The command timed is `similarity --input examples/walkthrough.txt` on the built-in all-MiniLM-L6-v2.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-7}"
before="${2:-}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# A cache folder of the benchmark's own, unless one is set: another process's models (a test suite's, say)
# could otherwise evict the optimized graph from the shared cache between runs, and a run would rebuild it.
export SENTENCE4J_CACHE="${SENTENCE4J_CACHE:-${TMPDIR:-/tmp}/sentence4j-cold-start-cache}"
args=(similarity --input "$root/examples/walkthrough.txt")
launchers=("$root/bin/sentence4j")
[[ -n "$before" ]] && launchers=("$before/bin/sentence4j" "${launchers[@]}")

# The first run builds the tool if needed and lists the classes for the class-data archive: not timed
# here. The archive is written in the background after it (bin/sentence4j): wait for that, at most 5 minutes.
for launcher in "${launchers[@]}"; do "$launcher" "${args[@]}" >/dev/null; done
for launcher in "${launchers[@]}"; do
  for ((wait = 0; wait < 300; wait++)); do
    compgen -G "$(dirname "$launcher")/../cli/target/*.jsa.writing" >/dev/null || break
    sleep 1
  done
done

# One run: its wall time and its CPU time (user + system, all threads), in milliseconds. On a loaded
# machine the wall time is mostly waiting for a core; the CPU time says how much work the run was.
run() {
  local TIMEFORMAT='%R %U %S' out
  out=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
  awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' <<<"$out"
}
median() { tr ' ' '\n' | sort -n | awk 'NF {v[++n]=$1} END {print v[int((n+1)/2)]}'; }

declare -A wall cpu
for ((i = 0; i < rounds; i++)); do
  for command in java "${launchers[@]}"; do
    if [[ "$command" == java ]]; then read -r w c < <(run "$java" -version); else read -r w c < <(run "$command" "${args[@]}"); fi
    wall[$command]+="$w "
    cpu[$command]+="$c "
  done
done
f=$(echo "${wall[java]}" | median)
echo "load average at the end: $(cut -d ' ' -f 1-3 /proc/loadavg); $(nproc) cores"
echo "java -version: wall ${wall[java]}ms (median $f); CPU median $(echo "${cpu[java]}" | median) ms"
for launcher in "${launchers[@]}"; do
  t=$(echo "${wall[$launcher]}" | median)
  echo "$launcher similarity: wall ${wall[$launcher]}ms (median $t, $(awk -v t="$t" -v f="$f" 'BEGIN {printf "%.1f", t / f}')x java -version);" \
    "CPU ${cpu[$launcher]}ms (median $(echo "${cpu[$launcher]}" | median))"
done

# Where the time goes: the uptime at which the first class of each stage loads, median of three logged runs.
# Since the model's graph loads on a thread of its own (and native libraries while the command line is read),
# stages overlap: each is when it starts, on whichever thread.
stages=(
  "Main loaded (JVM started)|dev\\.sentence4j\\.cli\\.Main"
  "OrtEnvironment (ONNX Runtime library loading)|ai\\.onnxruntime\\.OrtEnvironment"
  "input read (TextFile: command line parsed)|dev\\.sentence4j\\.cli\\.TextFile"
  "Tokenizer (class loaded)|dev\\.sentence4j\\.tokenize\\.Tokenizer"
  "tokenizer native library (LibUtils)|ai\\.djl\\.huggingface\\.tokenizers\\.jni\\.LibUtils"
  "SessionOptions (session creation begins)|ai\\.onnxruntime\\.OrtSession\\\$SessionOptions"
  "NodeInfo (session created)|ai\\.onnxruntime\\.NodeInfo"
  "OrtSession.Result (first batch run)|ai\\.onnxruntime\\.OrtSession\\\$Result"
  "last class loaded|"
)
for launcher in "${launchers[@]}"; do
  declare -A seen=()
  for ((r = 0; r < 3; r++)); do
    log="$(mktemp)"
    SENTENCE4J_JAVA_OPTS="-Xlog:class+load:file=$log:uptime ${SENTENCE4J_JAVA_OPTS:-}" "$launcher" "${args[@]}" >/dev/null
    for stage in "${stages[@]}"; do
      pattern="${stage#*|}"
      if [[ -n "$pattern" ]]; then
        at=$(grep -m1 -E "\] $pattern " "$log" | sed -E 's/^\[([0-9.]+)s\].*/\1/')
      else
        at=$(tail -1 "$log" | sed -E 's/^\[([0-9.]+)s\].*/\1/')
      fi
      seen[$stage]+="${at:-none} "
    done
    # Classes the archive did not hold: read from a jar, or generated (lambdas, proxies, method handles' forms).
    jar_classes+="$(grep -c 'source: file:' "$log" || true) "
    generated_classes+="$(grep -vc 'source: shared\|source: jrt:\|source: file:' "$log" || true) "
    rm -f "$log"
  done
  echo "$launcher, three runs with class loading logged (JVM uptime, s, median):"
  for stage in "${stages[@]}"; do
    printf '  %-50s %s\n' "${stage%%|*}" "$(echo "${seen[$stage]}" | median)"
  done
  echo "  classes not from the archive: $(echo "$jar_classes" | median) read from jars, $(echo "$generated_classes" | median) generated"
  unset seen jar_classes generated_classes
done

#!/usr/bin/env bash
# CI for the consumer projects (issue 16), run by the README's test command after `mvn -B clean install` has put
# dev.vecgd:vecgd into the local repository. Builds each example as a user would (Maven on JDK 25, the core from the
# local repository) and runs:
#   classpath-app and module-app, each without and with --add-modules jdk.incubator.vector: exit 0, the app's own
#     checks against the normal equations ("ok"), the implementation (scalar / vector: …), the module (unnamed on the
#     class path, dev.vecgd on the module path), the same coefficients in all four runs; on stderr, without the flag
#     only the System.Logger record of the one-line hint (its message line and the logger's date/source header line),
#     with the flag only the JVM's own "Using incubator modules" warning;
#   jmh-harness in a smoke mode (one 200 ms iteration, 4096 × 12): both benchmarks report a score, on vector kernels.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

jdk=""
for d in "${JAVA_HOME:-}" /usr/lib/jvm/*25* "$HOME"/.jdks/*25*; do
  if [[ -n "$d" && -x "$d/bin/java" ]] && "$d/bin/java" -XshowSettings:properties -version 2>&1 | grep -q 'java.specification.version = 25'; then
    jdk="$d"; break
  fi
done
[[ -n "$jdk" ]] || { echo "examples: no JDK 25 found (JAVA_HOME, /usr/lib/jvm, ~/.jdks)" >&2; exit 2; }
java="$jdk/bin/java"
HINT='using scalar kernels because the module jdk.incubator.vector is not resolved (start java with --add-modules jdk.incubator.vector for SIMD)'
INCUBATOR='WARNING: Using incubator modules: jdk.incubator.vector'
fail() { echo "examples: FAILED: $*" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vecgd-examples.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

for p in classpath-app module-app jmh-harness; do
  echo "examples: building $p"
  JAVA_HOME="$jdk" mvn -B -q -f "$p/pom.xml" clean package 2> "$tmp/build.err" || { cat "$tmp/build.err" >&2; fail "build of $p"; }
done

coefficients=""
run_app() { # $1 = name, $2 = expected module of dev.vecgd, $3 = flag or "", then the java arguments
  local name=$1 module=$2 flag=$3; shift 3
  local out="$tmp/$name.out" err="$tmp/$name.err" what="$name ${flag:-without the flag}"
  # shellcheck disable=SC2086
  "$java" $flag "$@" > "$out" 2> "$err" || { cat "$out" "$err" >&2; fail "$what exited non-zero"; }
  grep -qx ok "$out" || { cat "$out" >&2; fail "$what: its checks did not pass"; }
  grep -q "^module=$module, " "$out" || fail "$what: vecgd is not in module $module: $(grep '^module=' "$out")"
  local impl; impl=$(sed -n 's/^implementation=//p' "$out")
  if [[ -n "$flag" ]]; then
    [[ "$impl" == vector:* ]] || fail "$what: implementation '$impl', expected vector: …"
    [[ "$(cat "$err")" == "$INCUBATOR" ]] || { cat "$err" >&2; fail "$what: stderr is not only the JVM's incubator warning"; }
  else
    [[ "$impl" == scalar ]] || fail "$what: implementation '$impl', expected scalar"
    [[ $(grep -c . "$err") -eq 2 ]] || { cat "$err" >&2; fail "$what: stderr is not one log record (2 lines)"; }
    [[ $(grep -cF "$HINT" "$err") -eq 1 ]] || { cat "$err" >&2; fail "$what: the hint line is missing"; }
    grep -vF "$HINT" "$err" | grep -qE ' dev\.vecgd\.kernel\.KernelProvider choose$' \
      || { cat "$err" >&2; fail "$what: a stderr line other than the hint's log record"; }
  fi
  local c; c=$(grep -E '^(fit|loop)=' "$out" | sed 's/ (.*//' | tr '\n' ' ')
  if [[ -z "$coefficients" ]]; then coefficients=$c
  elif [[ "$c" != "$coefficients" ]]; then fail "$what: coefficients $c differ from the first run's $coefficients"; fi
  echo "examples: $what: ok ($impl; $(grep -c '^check .* ok$' "$out") checks; stderr as expected)"
}
for flag in "" "--add-modules jdk.incubator.vector"; do
  run_app classpath-app unnamed "$flag" -cp 'classpath-app/target/lib/*:classpath-app/target/classes' example.FitApp
  run_app module-app dev.vecgd "$flag" -p module-app/target/lib:module-app/target/classes -m example/example.FitApp
done

echo "examples: jmh-harness smoke run"
"$java" -jar jmh-harness/target/benchmarks.jar -wi 1 -i 1 -w 200ms -r 200ms -p rows=4096 -p cols=12 \
  -rf json -rff "$tmp/jmh.json" > "$tmp/jmh.out" 2>&1 || { cat "$tmp/jmh.out" >&2; fail "the JMH harness"; }
grep -q '# vecgd kernels: vector: ' "$tmp/jmh.out" || { cat "$tmp/jmh.out" >&2; fail "JMH fork did not run the vector kernels"; }
for b in vecgd plainLoop; do
  grep -qE "^YourShapeBenchmark\.$b +12 +4096 +avgt +[0-9.]+ +us/op" "$tmp/jmh.out" || { cat "$tmp/jmh.out" >&2; fail "no score for $b"; }
done
echo "examples: jmh-harness: ok ($(grep -c '"benchmark"' "$tmp/jmh.json") scores)"
echo "examples: 4 app runs and the JMH smoke run passed"

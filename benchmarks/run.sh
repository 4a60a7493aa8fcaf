#!/usr/bin/env bash
# Runs the vecgd JMH benchmarks and turns the results into a report.
#
#   benchmarks/run.sh quick   # <= 10 min: 4096x16, 262144x16, 16777216x16; 1 fork; 3+3 iterations of 1 s
#   benchmarks/run.sh full    # <= 60 min on 2 cores: every shape of the issue; 2 forks; 4+5 iterations of 1 s
#   benchmarks/run.sh smoke   # ~1 min pipeline check on tiny shapes; everything under benchmarks/target/smoke/
#   benchmarks/run.sh extra   # ~4 min: ThreadsBenchmark (threads 1, 2) and StorageBenchmark (heap, offheap,
#                             #   mapped) at 16777216x16; 1 fork; 3+5 iterations of 1 s
#   benchmarks/run.sh report [full|quick|smoke]
#                             # no JMH: rebuilds the report of a profile (default full) from its saved
#                             #   JSON (+ docs/bench/extra.json for full, when present)
#
# Outputs (relative to the repository root):
#   docs/bench/<profile>.json      JMH results (-rf json, with -prof gc)
#   docs/bench/<profile>-env.json  kernel implementation, species, CPU, JDK (dev.vecgd.bench.report.EnvMain)
#   docs/bench/<profile>.log       JMH's console output
#   full:  docs/benchmarks.md and docs/benchmarks-gbps.png
#   quick: docs/bench/quick.md and docs/bench/quick-gbps.png (so a quick run never overwrites the full report)
#   extra: docs/bench/extra.json, extra-env.json, extra.log; then docs/benchmarks.md is rebuilt with the
#          "Threads" and "Storage" sections if docs/bench/full.json exists, else docs/bench/extra.md
#   full:  includes docs/bench/extra.json in docs/benchmarks.md when that file exists
#   report: uses docs/bench/<profile>-command.txt as the report's "command" line when it exists (how the
#           saved JSON was made); appends docs/bench/sections/*.md (results measured outside JMH)
#
# StorageBenchmark writes a ~2.3 GB temporary .npy (deleted afterwards) to java.io.tmpdir; set
# JMH_EXTRA="-jvmArgsAppend -Dvecgd.bench.tmp=/some/dir" to put it elsewhere.
#
# Environment:
#   JAVA_HOME   used when it is a JDK 25; otherwise the first /usr/lib/jvm/*25* that is one
#   DRY_RUN=1   print the plan and the time estimate, run nothing
#   JMH_EXTRA   extra JMH arguments, appended (e.g. JMH_EXTRA="-p layout=row")
#
# Run it on a quiet machine: anything else running on the two cores skews the numbers.
set -euo pipefail

profile="${1:-}"
case "$profile" in
  quick|full|smoke|extra|report) ;;
  *) echo "usage: $0 quick|full|smoke|extra|report [full|quick|smoke]" >&2; exit 2 ;;
esac
report_of="full"
if [ "$profile" = report ]; then
  report_of="${2:-full}"
  case "$report_of" in
    quick|full|smoke) ;;
    *) echo "usage: $0 report [full|quick|smoke]" >&2; exit 2 ;;
  esac
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$here/target/benchmarks.jar"

# --- JDK 25, found the way the build finds it --------------------------------------------------
java_major() { # prints the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}
jdk=""
if [ -n "${JAVA_HOME:-}" ] && [ "$(java_major "$JAVA_HOME")" = "25" ]; then
  jdk="$JAVA_HOME"
else
  for d in /usr/lib/jvm/*25*; do
    if [ -d "$d" ] && [ "$(java_major "$d")" = "25" ]; then jdk="$d"; break; fi
  done
fi
if [ -z "$jdk" ]; then
  echo "error: no JDK 25 found (JAVA_HOME=${JAVA_HOME:-unset} is not one, and no /usr/lib/jvm/*25* is)." >&2
  echo "       Install one (e.g. a Temurin 25 JDK under /usr/lib/jvm) or set JAVA_HOME to it." >&2
  exit 1
fi
java="$jdk/bin/java"

# --- profiles ------------------------------------------------------------------------------------
all_shapes="256x16,4096x16,262144x16,16777216x16,33554432x8,1048576x256,8388608x1,268435456x1"
# The report's paths per profile: <json> <env json> <report> <chart>.
report_paths() {
  case "$1" in
    full)  echo "$root/docs/bench/full.json $root/docs/bench/full-env.json $root/docs/benchmarks.md $root/docs/benchmarks-gbps.png" ;;
    quick) echo "$root/docs/bench/quick.json $root/docs/bench/quick-env.json $root/docs/bench/quick.md $root/docs/bench/quick-gbps.png" ;;
    smoke) echo "$here/target/smoke/smoke.json $here/target/smoke/smoke-env.json $here/target/smoke/smoke.md $here/target/smoke/smoke-gbps.png" ;;
  esac
}
extra_json="$root/docs/bench/extra.json"

# --- build the core and the jar when missing or older than the sources --------------------------
build_jar() {
  if [ ! -f "$jar" ] || [ -n "$(find "$root/pom.xml" "$root/src/main" "$here/pom.xml" "$here/src/main" -newer "$jar" -print -quit)" ]; then
    echo "building the core and benchmarks/target/benchmarks.jar ..."
    (cd "$root" && mvn -B -q -DskipTests install)
    mvn -B -q -f "$here/pom.xml" -DskipTests package
  fi
}

# --- the report from saved JSON: make_report PROFILE COMMAND -------------------------------------
# For full, docs/bench/extra.json (benchmarks/run.sh extra) is included when it exists.
make_report() {
  local p="$1" command="$2" json envjson rep chart
  read -r json envjson rep chart <<< "$(report_paths "$p")"
  if [ ! -f "$json" ]; then
    echo "error: $json not found: run benchmarks/run.sh $p first" >&2
    return 1
  fi
  local args=( --json "$json" --out "$rep" --chart "$chart" --profile "$p" )
  [ -f "$envjson" ] && args+=( --env "$envjson" )
  if [ "$p" = full ] && [ -f "$extra_json" ]; then
    args+=( --extra-json "$extra_json" )
    command="$command; benchmarks/run.sh extra"
  fi
  # How the saved JSON was really made, when that was more than one command (e.g. merged re-runs).
  local provenance="${json%.json}-command.txt"
  [ -f "$provenance" ] && command="$(cat "$provenance")"
  "$java" -cp "$jar" dev.vecgd.bench.report.ReportMain "${args[@]}" --command "$command"
}

if [ "$profile" = report ]; then
  build_jar
  make_report "$report_of" "benchmarks/run.sh $report_of (report rebuilt by benchmarks/run.sh report${2:+ $2})"
  exit 0
fi

if [ "$profile" = extra ]; then
  # The targets of the issue's "Scale" section are about DRAM sizes: one shape, 1 fork.
  shapes="16777216x16"; forks=1; wi=3; iters=5
  report="$root/docs/bench/extra.md"; chart="$root/docs/bench/extra-gbps.png"
elif [ "$profile" = quick ]; then
  shapes="4096x16,262144x16,16777216x16"; forks=1; wi=3; iters=3
  report="$root/docs/bench/quick.md"; chart="$root/docs/bench/quick-gbps.png"
else
  shapes="$all_shapes"; forks=2; wi=4; iters=5
  report="$root/docs/benchmarks.md"; chart="$root/docs/benchmarks-gbps.png"
fi
outdir="$root/docs/bench"
iteration=1s
if [ "$profile" = smoke ]; then
  # Not a measurement: checks build, JMH, JSON, environment capture and report end to end.
  outdir="$here/target/smoke"
  shapes="1024x16"; forks=1; wi=1; iters=1; iteration=200ms
  report="$outdir/smoke.md"; chart="$outdir/smoke-gbps.png"
fi
layouts="row,column"
benchmarks='dev\.vecgd\.bench\.(GradientBenchmark|KernelBenchmark|SolverStepBenchmark)\.'
layout_args=( -p "layout=$layouts" )
if [ "$profile" = extra ]; then
  benchmarks='dev\.vecgd\.bench\.(ThreadsBenchmark|StorageBenchmark)\.'
  layout_args=() # ThreadsBenchmark runs both layouts by default; StorageBenchmark is row-major only
fi
json="$outdir/$profile.json"
envjson="$outdir/$profile-env.json"
log="$outdir/$profile.log"

# --- time estimate -------------------------------------------------------------------------------
# Per fork: ~0.7 s JVM and JMH start; setup fills X, y and r (assumed 0.8 ns per byte: seeded
# counter-based generator, first touch of each page, one residual pass; 268435456x1 took 16 s on this
# machine while it ran other builds, an estimated ~5 s idle); (warm-up + measurement) iterations of 1 s, each
# overrunning by about half an operation. Operation times at DRAM sizes come from assumed
# bandwidths (GB/s): naive 3, scalarFused 4, simd 10, readProbe 14, residuals 8, gradientAdd 8, step 10.
estimate() {
  echo "$1" | tr ',' '\n' | awk -v forks="$forks" -v its="$((wi + iters))" -v nlayouts=2 '
    BEGIN { split("3 4 10 14 8 8 10", bw, " "); total = 0 }
    {
      split($0, mn, "x"); m = mn[1]; n = mn[2];
      bytes = 8 * (m * n + m); setup = 0.7 + 8 * (m * n + 2 * m) * 0.8e-9;
      for (k = 1; k <= 7; k++) {
        op = bytes / (bw[k] * 1e9);
        total += forks * nlayouts * (setup + its * (1 + op / 2));
      }
    }
    END { printf "%.0f", total / 60 }'
}
# extra, per shape: ThreadsBenchmark 2 layouts x 2 thread counts x 2 methods, StorageBenchmark 3
# storages = 11 forks; setup as above, plus ~5 s/GB to write and flush the mapped table; operations
# at assumed 10 GB/s (1 thread) and 14 GB/s (2 threads, probe).
estimate_extra() {
  echo "$1" | tr ',' '\n' | awk -v forks="$forks" -v its="$((wi + iters))" '
    {
      split($0, mn, "x"); m = mn[1]; n = mn[2];
      bytes = 8 * (m * n + m); setup = 0.7 + 8 * (m * n + 2 * m) * 0.8e-9; op = bytes / 10e9;
      total += forks * (11 * (setup + its * (1 + op / 2)) + bytes * 5e-9);
    }
    END { printf "%.0f", total / 60 }'
}
if [ "$profile" = extra ]; then
  minutes="$(estimate_extra "$shapes")"
  forks_total=$(( $(echo "$shapes" | tr ',' '\n' | wc -l) * 11 * forks ))
  layouts="row,column (ThreadsBenchmark); row (StorageBenchmark)"
else
  minutes="$(estimate "$shapes")"
  forks_total=$(( $(echo "$shapes" | tr ',' '\n' | wc -l) * 2 * 7 * forks ))
fi

echo "profile:    $profile"
echo "JDK:        $jdk"
echo "shapes:     $shapes"
echo "layouts:    $layouts"
echo "JMH:        $forks fork(s), $wi warm-up + $iters measurement iterations of $iteration, -prof gc; $forks_total forks in all"
echo "estimate:   ~$minutes min on an idle 2-core machine"
echo "outputs:    $json, $envjson, $log, $report, $chart"
if [ "${DRY_RUN:-0}" = 1 ]; then exit 0; fi

build_jar

mkdir -p "$outdir"
# What Kernels chooses in a JVM with the forks' module flag (species, implementation), the CPU, the JDK.
"$java" --add-modules jdk.incubator.vector -cp "$jar" dev.vecgd.bench.report.EnvMain "$envjson" 2>/dev/null
echo "kernels:    $(grep '"kernels"' "$envjson")"

# shellcheck disable=SC2206
extra=( ${JMH_EXTRA:-} )
cmd=( "$java" -Xmx512m -jar "$jar" "$benchmarks"
      -p "shape=$shapes" "${layout_args[@]}"
      -f "$forks" -wi "$wi" -w "$iteration" -i "$iters" -r "$iteration" -bm avgt -tu ms
      -prof gc -foe true -rf json -rff "$json" "${extra[@]}" )
echo "running:    ${cmd[*]}"
start=$(date +%s)
"${cmd[@]}" 2>&1 | tee "$log"
echo "JMH took $(( ($(date +%s) - start) / 60 )) min"

command="benchmarks/run.sh $profile${JMH_EXTRA:+ (JMH_EXTRA=$JMH_EXTRA)}"
if [ "$profile" = extra ]; then
  if [ -f "$root/docs/bench/full.json" ]; then
    # The full report gains the Threads and Storage sections (its own JMH results are reused).
    make_report full "benchmarks/run.sh full"
  else
    "$java" -cp "$jar" dev.vecgd.bench.report.ReportMain --json "$json" --env "$envjson" \
      --out "$report" --chart "$chart" --profile "$profile" --command "$command"
  fi
elif [ "$profile" = full ]; then
  make_report full "$command"
else
  "$java" -cp "$jar" dev.vecgd.bench.report.ReportMain --json "$json" --env "$envjson" \
    --out "$report" --chart "$chart" --profile "$profile" --command "$command"
fi

#!/usr/bin/env bash
# Runs the vecgd JMH benchmarks and turns the results into a report.
#
#   benchmarks/run.sh quick   # ~10 min: 4096x7, 4096x16, 4096x64, 16777216x16, GradientBenchmark only;
#                             #   1 fork; 2+3 iterations of 1 s; every width
#   benchmarks/run.sh full    # ~72 min on 2 cores: every shape of the issue, every width; 1 fork; 3+5 iterations of 1 s
#   benchmarks/run.sh smoke   # ~2 min pipeline check on a tiny shape, every width; everything under benchmarks/target/smoke/
#   benchmarks/run.sh extra   # ~11 min: ThreadsBenchmark (threads 1, 2) and StorageBenchmark.simd (heap, offheap,
#                             #   mapped) at 16777216x16, every width; 1 fork; 3+5 iterations of 1 s
#   benchmarks/run.sh float32 # ~12 min: float32 storage (issue 19): GradientBenchmark simd, readProbe2, readProbe4
#                             #   with dtype float64 AND float32 in the same run, at the DRAM shapes 16777216x16 and
#                             #   268435456x1, row and column, every width; 1 fork; 2+3 iterations of 1 s. Report:
#                             #   docs/bench/float32.md (float32 section and the float32 targets: float32 simd ≥ 90 %
#                             #   of the best float32 probe, float64 simd / float32 simd ≥ 1.8×)
#   benchmarks/run.sh report [full|quick|smoke|float32]
#                             # no JMH: rebuilds the report of a profile (default full) from its saved
#                             #   JSON (+ docs/bench/extra-*.json for full, when present)
#
# Vector widths. The kernels fix their species once per JVM (-Dvecgd.vector.bits, read when
# dev.vecgd.kernel.Kernels is initialized), so JMH runs once per width W in BITS (default "512 256 128";
# widths wider than the hardware's are skipped with a message, since the kernels would clamp to the
# hardware's width), each run with -jvmArgsPrepend -Dvecgd.vector.bits=W and -p bits=W (prepend: a
# command-line -jvmArgsAppend would replace the classes' @Fork(jvmArgsAppend = --add-modules ...)). Every benchmark
# state checks in its setup that the fork's kernels really run at W bits (dev.vecgd.bench.KernelWidth),
# so a result can never be recorded under the wrong width; each width's results go to their own file.
# The read probes always use the hardware's width and run in every width's JMH run (the "best probe"
# of a table is measured in the same run as its simd). naive and scalarFused (plain loops, independent
# of the kernel width) run once per shape and layout, in the first (widest) width's run; the report
# shows them beside every width.
#
# Outputs (relative to the repository root), per width W:
#   docs/bench/<profile>-W.json      JMH results (-rf json, with -prof gc)
#   docs/bench/<profile>-W-env.json  kernel implementation, species, CPU, JDK (dev.vecgd.bench.report.EnvMain)
#                                    of a JVM with the forks' flags and -Dvecgd.vector.bits=W
#   docs/bench/<profile>-W.log       JMH's console output
#   full:  docs/benchmarks.md and docs/benchmarks-gbps.png
#   quick: docs/bench/quick.md and docs/bench/quick-gbps.png (so a quick run never overwrites the full report)
#   float32: docs/bench/float32.md and docs/bench/float32-gbps.png
#   extra: docs/bench/extra-W.json, extra-W-env.json, extra-W.log; then docs/benchmarks.md is rebuilt with
#          the "Threads" and "Storage" sections if docs/bench/full-*.json exist, else docs/bench/extra.md
#   full:  includes docs/bench/extra-*.json in docs/benchmarks.md when those files exist
#   report: uses docs/bench/<profile>-bits-command.txt (<profile>-command.txt for a single-width
#           <profile>.json) as the report's "command" line when it exists (how the saved JSON was made); appends docs/bench/sections/*.md (results measured outside JMH). A
#           profile saved before the per-width runs (docs/bench/<profile>.json, no -W files) is still read.
#
# Baseline ("≥ 2× the previous simd" in L2): BASELINE="a.json[:W],b.json[:W]" names JMH results of the
# previous kernels (W: their width, needed when the file has no bits parameter and no a-env.json beside
# it). Default for full: docs/bench/baseline-old-W.json (the previous kernels' simd at width W, L2 shapes)
# for each W saved, else docs/bench/full.json (the last single-width run, 512-bit, old kernels).
#
# StorageBenchmark writes a ~2.3 GB temporary .npy (deleted afterwards) to java.io.tmpdir; set
# JMH_EXTRA="-jvmArgsPrepend -Dvecgd.bench.tmp=/some/dir" to put it elsewhere (not -jvmArgsAppend, which
# would replace the benchmarks' --add-modules jdk.incubator.vector).
#
# Environment:
#   JAVA_HOME   used when it is a JDK 25; otherwise the first /usr/lib/jvm/*25* that is one
#   DRY_RUN=1   print the plan and the time estimate, run nothing
#   JMH_EXTRA   extra JMH arguments, appended (e.g. JMH_EXTRA="-p layout=row")
#   BITS        the widths to run, e.g. BITS="256 128" (default "512 256 128")
#   BASELINE    see above
#
# Run it on a quiet machine: anything else running on the two cores skews the numbers.
set -euo pipefail

profile="${1:-}"
case "$profile" in
  quick|full|smoke|extra|float32|report) ;;
  *) echo "usage: $0 quick|full|smoke|extra|float32|report [full|quick|smoke|float32]" >&2; exit 2 ;;
esac
report_of="full"
if [ "$profile" = report ]; then
  report_of="${2:-full}"
  case "$report_of" in
    quick|full|smoke|float32) ;;
    *) echo "usage: $0 report [full|quick|smoke|float32]" >&2; exit 2 ;;
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
all_shapes="256x16,4096x7,4096x16,4096x64,262144x16,16777216x16,33554432x8,1048576x256,8388608x1,268435456x1"
outdir_of() { if [ "$1" = smoke ]; then echo "$here/target/smoke"; else echo "$root/docs/bench"; fi; }
# The report's paths per profile: <report> <chart>.
report_paths() {
  case "$1" in
    full)  echo "$root/docs/benchmarks.md $root/docs/benchmarks-gbps.png" ;;
    quick) echo "$root/docs/bench/quick.md $root/docs/bench/quick-gbps.png" ;;
    float32) echo "$root/docs/bench/float32.md $root/docs/bench/float32-gbps.png" ;;
    smoke) echo "$here/target/smoke/smoke.md $here/target/smoke/smoke-gbps.png" ;;
    extra) echo "$root/docs/bench/extra.md $root/docs/bench/extra-gbps.png" ;;
  esac
}
# Comma-separated existing files of a profile: per-width <p>-W<suffix> (widest first), else the
# single-width <p><suffix> saved before per-width runs.
saved_files() {
  local p="$1" suffix="$2" dir list="" w
  dir="$(outdir_of "$p")"
  for w in 512 256 128; do
    [ -f "$dir/$p-$w$suffix" ] && list="${list:+$list,}$dir/$p-$w$suffix"
  done
  if [ -z "$list" ] && [ -f "$dir/$p$suffix" ]; then list="$dir/$p$suffix"; fi
  echo "$list"
}

# --- build the core and the jar when missing or older than the sources --------------------------
build_jar() {
  if [ ! -f "$jar" ] || [ -n "$(find "$root/pom.xml" "$root/src/main" "$here/pom.xml" "$here/src/main" -newer "$jar" -print -quit)" ]; then
    echo "building the core and benchmarks/target/benchmarks.jar ..."
    (cd "$root" && mvn -B -q -DskipTests install)
    mvn -B -q -f "$here/pom.xml" -DskipTests package
  fi
}

# --- the report from saved JSON: make_report PROFILE COMMAND -------------------------------------
# For full, docs/bench/extra-*.json (benchmarks/run.sh extra) are included when they exist.
make_report() {
  local p="$1" command="$2" jsons envs rep chart
  read -r rep chart <<< "$(report_paths "$p")"
  jsons="$(saved_files "$p" .json)"
  envs="$(saved_files "$p" -env.json)"
  if [ -z "$jsons" ]; then
    echo "error: no $(outdir_of "$p")/$p-*.json: run benchmarks/run.sh $p first" >&2
    return 1
  fi
  local args=( --json "$jsons" --out "$rep" --chart "$chart" --profile "$p" )
  [ -n "$envs" ] && args+=( --env "$envs" )
  if [ "$p" = full ]; then
    local extras extra_envs
    extras="$(saved_files extra .json)"; extra_envs="$(saved_files extra -env.json)"
    if [ -n "$extras" ]; then
      args+=( --extra-json "$extras" )
      [ -n "$extra_envs" ] && args+=( --env "${envs:+$envs,}$extra_envs" )
      command="$command; benchmarks/run.sh extra"
    fi
  fi
  local baseline="${BASELINE:-}"
  if [ -z "$baseline" ] && [ "$p" = full ]; then
    # The previous (pre-row-block) kernels measured at each width, when saved; else the last
    # single-width run (512-bit, previous kernels).
    local w
    for w in 512 256 128; do
      [ -f "$root/docs/bench/baseline-old-$w.json" ] && baseline="${baseline:+$baseline,}$root/docs/bench/baseline-old-$w.json:$w"
    done
    if [ -z "$baseline" ] && [ -f "$root/docs/bench/full.json" ] && [ "$jsons" != "$root/docs/bench/full.json" ]; then
      baseline="$root/docs/bench/full.json" # bits from docs/bench/full-env.json
    fi
  fi
  [ -n "$baseline" ] && args+=( --baseline "$baseline" )
  # How the saved JSON was really made, when that was more than one command (e.g. merged re-runs).
  local provenance
  # <p>-command.txt describes the single-width <p>.json saved before per-width runs; per-width results
  # use <p>-bits-command.txt.
  if [ "$jsons" = "$(outdir_of "$p")/$p.json" ]; then provenance="$(outdir_of "$p")/$p-command.txt"
  else provenance="$(outdir_of "$p")/$p-bits-command.txt"; fi
  [ -f "$provenance" ] && command="$(cat "$provenance")"
  "$java" -cp "$jar" dev.vecgd.bench.report.ReportMain "${args[@]}" --command "$command"
}

if [ "$profile" = report ]; then
  build_jar
  make_report "$report_of" "benchmarks/run.sh $report_of (report rebuilt by benchmarks/run.sh report${2:+ $2})"
  exit 0
fi

# Per profile: shapes, JMH settings, and the benchmarks of every width's run (per_width) and of the
# first width's run only (once: width-independent baselines).
iteration=1s
layout_args=( -p "layout=row,column" )
layouts="row,column"
dtype_args=()   # the default dtype (float64) unless a profile asks for float32 too
ndtypes=1
if [ "$profile" = extra ]; then
  # The targets of the issue's "Scale" section are about DRAM sizes: one shape, 1 fork.
  shapes="16777216x16"; forks=1; wi=3; iters=5
  per_width='dev\.vecgd\.bench\.(ThreadsBenchmark\.|StorageBenchmark\.simd$)'
  once=''
  layout_args=() # ThreadsBenchmark runs both layouts by default; StorageBenchmark is row-major only
  layouts="row,column (ThreadsBenchmark); row (StorageBenchmark)"
elif [ "$profile" = quick ]; then
  # The L2 shapes of the targets and one DRAM size; GradientBenchmark only. To stay near 10 min the
  # one-stream readProbe (never the best probe at DRAM sizes) runs only in the first width's run, like
  # the plain loops: at the other widths the best probe is the best of readProbe2 and readProbe4.
  shapes="4096x7,4096x16,4096x64,16777216x16"; forks=1; wi=2; iters=3
  per_width='dev\.vecgd\.bench\.GradientBenchmark\.(simd|readProbe[24])$'
  once='dev\.vecgd\.bench\.GradientBenchmark\.(naive|scalarFused|readProbe)$'
elif [ "$profile" = float32 ]; then
  # Issue 19's targets: float32 simd ≥ 90 % of the float32 probe and ≥ 1.8× float64 simd at the DRAM sizes, in one
  # run: both dtypes in every width's JMH run. The one-stream readProbe (never the best at DRAM sizes) and the plain
  # loops (float64 only: they refuse dtype=float32) are left out to stay near 12 minutes.
  shapes="16777216x16,268435456x1"; forks=1; wi=2; iters=3
  per_width='dev\.vecgd\.bench\.GradientBenchmark\.(simd|readProbe[24])$'
  once=''
  dtype_args=( -p "dtype=float64,float32" )
  ndtypes=2
elif [ "$profile" = smoke ]; then
  # Not a measurement: checks build, JMH, JSON, environment capture and report end to end.
  shapes="1024x16"; forks=1; wi=1; iters=1; iteration=200ms
  per_width='dev\.vecgd\.bench\.(GradientBenchmark\.(simd|readProbe)|KernelBenchmark\.|SolverStepBenchmark\.)'
  once='dev\.vecgd\.bench\.GradientBenchmark\.(naive|scalarFused)$'
else
  # 1 fork (not 2): three widths triple the forks; JMH's error still comes from 5 iterations, and the
  # per-width runs repeat the probes, so a drift between forks would show there.
  # SolverStepBenchmark (simd plus the solver's bookkeeping, which does not depend on the width) runs
  # in the first width's run only, like the plain loops.
  shapes="$all_shapes"; forks=1; wi=3; iters=5
  per_width='dev\.vecgd\.bench\.(GradientBenchmark\.(simd|readProbe)|KernelBenchmark\.)'
  once='dev\.vecgd\.bench\.(GradientBenchmark\.(naive|scalarFused)$|SolverStepBenchmark\.)'
fi
outdir="$(outdir_of "$profile")"
read -r report chart <<< "$(report_paths "$profile")"
widths="${BITS:-512 256 128}"
for w in $widths; do
  case "$w" in 512|256|128) ;; *) echo "error: BITS may hold 512, 256, 128; got '$w'" >&2; exit 2 ;; esac
done

# --- time estimate -------------------------------------------------------------------------------
# Per fork: ~0.7 s JVM and JMH start; setup fills X, y and r (assumed 0.8 ns per byte: seeded
# counter-based generator, first touch of each page, one residual pass; 268435456x1 took 16 s on this
# machine while it ran other builds, an estimated ~5 s idle); (warm-up + measurement) iterations, each
# overrunning by about half an operation. Operation times at DRAM sizes come from assumed bandwidths
# (GB/s): naive 3, scalarFused 4, simd 10, read probes 14, residuals 8, gradientAdd 8, step 10.
# estimate SHAPES "BANDWIDTHS" LAYOUTS -> minutes for one JMH run with one fork per method, shape, layout.
estimate() {
  echo "$1" | tr ',' '\n' | awk -v forks="$forks" -v its="$((wi + iters))" -v it_s="$iteration_s" \
      -v bws="$2" -v nlayouts="$3" '
    BEGIN { nb = split(bws, bw, " "); total = 0 }
    {
      split($0, mn, "x"); m = mn[1]; n = mn[2];
      bytes = 8 * (m * n + m); setup = 0.7 + 8 * (m * n + 2 * m) * 0.8e-9;
      for (k = 1; k <= nb; k++) {
        op = bytes / (bw[k] * 1e9);
        total += forks * nlayouts * (setup + its * (it_s + op / 2));
      }
    }
    END { printf "%.1f", total / 60 }'
}
# extra, per shape: ThreadsBenchmark 2 layouts x 2 thread counts x 4 methods, StorageBenchmark 3
# storages = 19 forks; setup as above, plus ~5 s/GB to write and flush the mapped table; operations
# at assumed 10 GB/s (1 thread) and 14 GB/s (2 threads, probes).
estimate_extra() {
  echo "$1" | tr ',' '\n' | awk -v forks="$forks" -v its="$((wi + iters))" '
    {
      split($0, mn, "x"); m = mn[1]; n = mn[2];
      bytes = 8 * (m * n + m); setup = 0.7 + 8 * (m * n + 2 * m) * 0.8e-9; op = bytes / 10e9;
      total += forks * (19 * (setup + its * (1 + op / 2)) + bytes * 5e-9);
    }
    END { printf "%.1f", total / 60 }'
}
case "$iteration" in *ms) iteration_s="$(awk -v v="${iteration%ms}" 'BEGIN { print v / 1000 }')" ;; *s) iteration_s="${iteration%s}" ;; esac
nshapes=$(echo "$shapes" | tr ',' '\n' | wc -l)
# Methods of a width's run and their assumed bandwidths.
case "$profile" in
  extra) per_width_bw=""; per_width_n=19 ;;
  quick) per_width_bw="10 14 14"; per_width_n=3; once_bw="3 4 14"; once_n=3 ;;
  float32) per_width_bw="10 14 14"; per_width_n=3; once_bw=""; once_n=0 ;;
  smoke) per_width_bw="10 14 14 14 8 8 10"; per_width_n=7; once_bw="3 4"; once_n=2 ;;
  *)     per_width_bw="10 14 14 14 8 8"; per_width_n=6; once_bw="3 4 10"; once_n=3 ;;
esac
nwidths=$(echo "$widths" | wc -w)
if [ "$profile" = extra ]; then
  minutes="$(awk -v a="$(estimate_extra "$shapes")" -v w="$nwidths" 'BEGIN { printf "%.0f", a * w }')"
  forks_total=$(( nshapes * 19 * forks * nwidths ))
else
  # layouts × dtypes forks per method and shape (float32 also reads fewer bytes: the estimate ignores that)
  minutes="$(awk -v a="$(estimate "$shapes" "$per_width_bw" $((2 * ndtypes)))" -v b="$(estimate "$shapes" "$once_bw" 2)" -v w="$nwidths" \
    'BEGIN { printf "%.0f", a * w + b }')"
  forks_total=$(( nshapes * 2 * ndtypes * forks * (per_width_n * nwidths) + nshapes * 2 * forks * once_n ))
fi

echo "profile:    $profile"
echo "JDK:        $jdk"
echo "widths:     $widths bits (one JMH run each; -Dvecgd.vector.bits=W -p bits=W; widths above the hardware's are skipped)"
echo "shapes:     $shapes"
echo "layouts:    $layouts"
[ "$ndtypes" = 2 ] && echo "dtypes:     float64,float32 (in the same JMH run per width)"
echo "per width:  $per_width"
[ -n "$once" ] && echo "once:       $once (in the first width's run only: plain loops do not depend on the kernel width)"
echo "JMH:        $forks fork(s), $wi warm-up + $iters measurement iterations of $iteration, -prof gc; $forks_total forks in all"
echo "estimate:   ~$minutes min on an idle 2-core machine"
echo "outputs:    $outdir/$profile-W.json, -W-env.json, -W.log for W in $widths; $report, $chart"
if [ "${DRY_RUN:-0}" = 1 ]; then exit 0; fi

build_jar
mkdir -p "$outdir"

# shellcheck disable=SC2206
extra=( ${JMH_EXTRA:-} )
first=1
ran=""
start=$(date +%s)
for w in $widths; do
  json="$outdir/$profile-$w.json"; envjson="$outdir/$profile-$w-env.json"; log="$outdir/$profile-$w.log"
  # What Kernels chooses in a JVM with the forks' flags at this width (species, implementation), the CPU, the JDK.
  "$java" --add-modules jdk.incubator.vector "-Dvecgd.vector.bits=$w" -cp "$jar" dev.vecgd.bench.report.EnvMain "$envjson" 2>/dev/null
  actual="$(sed -n 's/.*"kernelVectorBits" : \([0-9]*\).*/\1/p' "$envjson")"
  if [ "$actual" != "$w" ]; then
    echo "skipping $w bits: the kernels run at ${actual:-?} bits here ($(grep '"kernels"' "$envjson" | sed 's/^ *//')); the hardware's widest is $(sed -n 's/.*"preferredVectorBits" : \([0-9]*\).*/\1/p' "$envjson") bits"
    rm -f "$envjson"
    continue
  fi
  echo "kernels:    $(grep '"kernels"' "$envjson" | sed 's/^ *//')"
  include="$per_width"
  if [ "$first" = 1 ] && [ -n "$once" ]; then include="($per_width|$once)"; fi
  # Old results of this width must not mix with the new ones.
  rm -f "$json"
  cmd=( "$java" -Xmx512m -jar "$jar" "$include"
        -p "shape=$shapes" "${layout_args[@]}" ${dtype_args[@]+"${dtype_args[@]}"} -p "bits=$w" -jvmArgsPrepend "-Dvecgd.vector.bits=$w"
        -f "$forks" -wi "$wi" -w "$iteration" -i "$iters" -r "$iteration" -bm avgt -tu ms
        -prof gc -foe true -rf json -rff "$json" "${extra[@]}" )
  echo "running:    ${cmd[*]}"
  "${cmd[@]}" 2>&1 | tee "$log"
  first=0
  ran="${ran:+$ran }$w"
done
echo "JMH took $(( ($(date +%s) - start) / 60 )) min (widths: ${ran:-none})"
if [ -z "$ran" ]; then echo "error: no width could run" >&2; exit 1; fi
# Per-width files of widths not run now would mix runs: remove them (this run is the profile's result).
for w in 512 256 128; do
  case " $ran " in *" $w "*) ;; *) rm -f "$outdir/$profile-$w.json" "$outdir/$profile-$w-env.json" "$outdir/$profile-$w.log" ;; esac
done

command="benchmarks/run.sh $profile${BITS:+ (BITS=$BITS)}${JMH_EXTRA:+ (JMH_EXTRA=$JMH_EXTRA)}"
if [ "$profile" = extra ]; then
  if [ -n "$(saved_files full .json)" ]; then
    # The full report gains the Threads and Storage sections (its own JMH results are reused).
    make_report full "benchmarks/run.sh full"
  else
    make_report extra "$command"
  fi
else
  make_report "$profile" "$command"
fi

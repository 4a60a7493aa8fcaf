#!/usr/bin/env bash
# Runs a vecgd-spark program through Spark's own launcher class (org.apache.spark.deploy.SparkSubmit, what
# `spark-submit` runs) on a machine WITHOUT a Spark installation: Spark's jars come from Maven.
#
#   spark/run-example.sh [options]                  # the example: synthetic 2,000,000 x 16 DataFrame, local[*]
#   spark/run-example.sh --solver cg --rows 5000000
#   spark/run-example.sh --input data.parquet --label price
#   CLASS=dev.vecgd.spark.bench.MllibComparison spark/run-example.sh --rows 4000000 --json docs/bench/spark.json
#
# Environment: MASTER (default local[*]; 'local-cluster[W,C,MB]' starts W worker and executor JVMs here, with a
# SPARK_HOME assembled under spark/target/spark-home from Maven's jars), DRIVER_MEMORY (default 8g), CLASS
# (default the example), SUBMIT_ARGS (more SparkSubmit options, e.g. "--conf spark.executor.memory=5g"),
# JAVA_HOME (used when it is a JDK 25; else the first /usr/lib/jvm/*25* that is one).
# With a Spark 4.2 installation, use spark-submit instead (README, "Spark").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

is_jdk25() {
    [[ -x "$1/bin/java" ]] || return 1
    [[ "$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')" == "25" ]]
}
jdk=""
if [[ -n "${JAVA_HOME:-}" ]] && is_jdk25 "$JAVA_HOME"; then jdk="$JAVA_HOME"; fi
if [[ -z "$jdk" ]]; then
    for d in /usr/lib/jvm/*25* "$HOME"/.jdks/*25* /opt/java/*25*; do
        if [[ -d "$d" ]] && is_jdk25 "$d"; then jdk="$d"; break; fi
    done
fi
if [[ -z "$jdk" ]]; then
    echo "run-example: needs JDK 25 (Spark 4.2 + the Vector API); none found in JAVA_HOME or /usr/lib/jvm" >&2
    exit 1
fi

app="$(ls "$here"/target/vecgd-spark-*-app.jar 2>/dev/null | head -n 1 || true)"
if [[ -z "$app" ]] || [[ -n "$(find "$here/src/main" "$here/pom.xml" -newer "$app" -print -quit)" ]]; then
    echo "run-example: building vecgd and vecgd-spark (tests skipped) ..." >&2
    (cd "$root" && JAVA_HOME="$jdk" mvn -B -q -DskipTests install >&2)
    (cd "$here" && JAVA_HOME="$jdk" mvn -B -q -DskipTests package >&2)
    app="$(ls "$here"/target/vecgd-spark-*-app.jar | head -n 1)"
fi
cp_file="$here/target/spark.classpath"
if [[ ! -s "$cp_file" ]] || [[ "$here/pom.xml" -nt "$cp_file" ]]; then
    (cd "$here" && JAVA_HOME="$jdk" mvn -B -q dependency:build-classpath -Dmdep.includeScope=provided \
        -Dmdep.outputFile="$cp_file" >&2)
fi

# Spark's module flags on JDK 25 (spark-submit's launcher adds the same), plus the Vector API.
flags=(--add-modules=jdk.incubator.vector -Dio.netty.tryReflectionSetAccessible=true
       --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
       --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED)
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.util.calendar; do
    flags+=("--add-opens=java.base/$p=ALL-UNNAMED")
done

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
if [[ "${MASTER:-}" == local-cluster* ]] && [[ -z "${SPARK_HOME:-}" ]]; then
    # the workers launch executor JVMs with SPARK_HOME/jars/* on their class path
    export SPARK_HOME="$here/target/spark-home" SPARK_SCALA_VERSION=2.13
    mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/conf"
    tr ':' '\n' < "$cp_file" | while read -r j; do ln -sf "$j" "$SPARK_HOME/jars/"; done
    cp "$here/conf/log4j2.properties" "$SPARK_HOME/conf/"
fi
read -r -a submit_args <<< "${SUBMIT_ARGS:-}"
exec "$jdk/bin/java" "${flags[@]}" -Dlog4j2.configurationFile="$here/conf/log4j2.properties" -Xmx"${DRIVER_MEMORY:-8g}" -cp "$(cat "$cp_file")" \
    org.apache.spark.deploy.SparkSubmit --master "${MASTER:-local[*]}" \
    --conf spark.ui.enabled=false "${submit_args[@]}" \
    --class "${CLASS:-dev.vecgd.spark.example.SparkFitExample}" "$app" "$@"

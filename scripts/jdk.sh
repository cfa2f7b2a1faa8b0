# Sourced by the scripts and by .ci/run: sets JAVA_HOME to a JDK >= 21.
# Order: $JAVA_HOME if new enough, then the newest JDK under /usr/lib/jvm, then `java` on the PATH.
voxgate_jdk_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1; }
voxgate_find_jdk() {
  local best="" best_v=0 candidate v
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    v=$(voxgate_jdk_major "$candidate"); v=${v%%.*}
    [ -n "$v" ] || continue
    if [ "$candidate" = "${JAVA_HOME:-}" ] && [ "$v" -ge 21 ]; then best=$candidate; break; fi
    if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$candidate; best_v=$v; fi
  done
  if [ -z "$best" ]; then
    echo "voxgate: no JDK 21 or newer found (looked at JAVA_HOME, /usr/lib/jvm/*, java on PATH); install one and set JAVA_HOME" >&2
    return 1
  fi
  export JAVA_HOME=$best
  export PATH="$JAVA_HOME/bin:$PATH"
}
voxgate_find_jdk

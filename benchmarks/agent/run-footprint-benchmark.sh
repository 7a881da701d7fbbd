#!/usr/bin/env bash
# Agent footprint benchmark (issue 3, "Performance and footprint").
#
# Runs the Sixfinger node agent and collectd side by side on this host, both sampling cpu, load,
# memory, swap, disk use, disk I/O, network, processes, open files and uptime every 10 s and both
# running the same ten /bin/sh script checks every 10 s, both sending to the Sixfinger ingest on
# 127.0.0.1:5555 over Riemann TCP. After a warm-up it samples, every second, each daemon's CPU time
# (/proc/PID/stat) and resident memory (/proc/PID/status), then prints a table, writes
# benchmarks/agent/target/footprint.json and stops everything it started.
#
#   benchmarks/agent/run-footprint-benchmark.sh [--minutes N] [--warmup SECONDS]
#       [--agent-java-opts "FLAGS"] [--no-collectd] [--keep-tmp] [--json FILE]
#
# CPU accounting: a daemon's "own" CPU is utime+stime of the daemon process (all its threads: for
# the agent the whole JVM, with JIT and GC). Its "checks" CPU is cutime+cstime: the CPU of the
# child processes it started and reaped, i.e. the check scripts and what they run (for the agent
# this also includes the `stat -f` it runs per mount for inode use; for collectd the small
# Nagios-to-collectd adapter around each check). The targets apply to the agent's own CPU and RSS.
# See benchmarks/agent/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MINUTES=5
WARMUP=60
AGENT_OPTS_SET=0
AGENT_OPTS=""
WITH_COLLECTD=1
KEEP_TMP=0
JSON="$ROOT/benchmarks/agent/target/footprint.json"
INTERVAL=10
CPU_TARGET_PCT=1
RSS_TARGET_MIB=64

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
  cat <<'EOF'
Options:
  --minutes N              measured window in minutes (default 5; decimals allowed, e.g. 0.5)
  --warmup SECONDS         unmeasured warm-up after both started (default 60)
  --agent-java-opts FLAGS  JVM flags for the agent, instead of the launcher's lean defaults for
                           'agent' (an empty value keeps them; for the JVM's own defaults pass a
                           harmless flag, e.g. --agent-java-opts -XX:+UseG1GC)
  --no-collectd            measure the agent alone
  --keep-tmp               keep the temporary directory (configs, logs, samples)
  --json FILE              where to write the result (default benchmarks/agent/target/footprint.json)
EOF
}

while [ "$#" -gt 0 ]; do
  case "$1" in
    --minutes) MINUTES="${2:?--minutes needs a number}"; shift 2 ;;
    --warmup) WARMUP="${2:?--warmup needs a number of seconds}"; shift 2 ;;
    --agent-java-opts) AGENT_OPTS="${2?--agent-java-opts needs flags}"; AGENT_OPTS_SET=1; shift 2 ;;
    --no-collectd) WITH_COLLECTD=0; shift ;;
    --keep-tmp) KEEP_TMP=1; shift ;;
    --json) JSON="${2:?--json needs a file}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "footprint: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if ! [[ "$MINUTES" =~ ^[0-9]+(\.[0-9]+)?$ ]] || [ "$(awk -v m="$MINUTES" 'BEGIN{print (m*60 >= 20)}')" != 1 ]; then
  echo "footprint: --minutes must be a number of at least 0.34 (20 s), was '$MINUTES'" >&2; exit 2
fi
if ! [[ "$WARMUP" =~ ^[0-9]+$ ]]; then
  echo "footprint: --warmup must be whole seconds, was '$WARMUP'" >&2; exit 2
fi
MEASURE_SECONDS=$(awk -v m="$MINUTES" 'BEGIN{printf "%d", m*60 + 0.5}')

log() { printf '%s footprint: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# Timing helpers without forking a process per second (the sampler must stay out of the way).
exec {SLEEP_FD}<> <(:)
now_us() { local t=${EPOCHREALTIME}; echo $(( ${t%.*} * 1000000 + 10#${t#*.} )); }
sleep_until_us() { # sleeps until the given epoch microseconds (no-op when past)
  local left=$(( $1 - $(now_us) ))
  if [ "$left" -gt 0 ]; then
    read -r -t "$(printf '%d.%06d' $((left / 1000000)) $((left % 1000000)))" -u "$SLEEP_FD" _ || true
  fi
}
pause() { sleep_until_us $(( $(now_us) + $1 * 1000000 )); }

# ---------------------------------------------------------------------------------------------
# collectd: Debian's collectd-core has the daemon and every plugin used here, without the ~100
# libraries the 'collectd' package recommends; write_riemann needs libriemann-client0 besides.
PLUGINS=(logfile cpu load memory swap df disk interface processes fhcount uptime exec write_riemann)
COLLECTD=/usr/sbin/collectd
collectd_ready() {
  [ -x "$COLLECTD" ] || return 1
  local p
  for p in "${PLUGINS[@]}"; do
    [ -f "/usr/lib/collectd/$p.so" ] || return 1
  done
  ! ldd /usr/lib/collectd/write_riemann.so 2>/dev/null | grep -q 'not found'
}
if [ "$WITH_COLLECTD" = 1 ] && ! collectd_ready; then
  [ "$(id -u)" = 0 ] ||
    die "collectd is missing; as root: apt-get install --no-install-recommends collectd-core libriemann-client0"
  log "installing collectd-core and libriemann-client0 (Debian)"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends collectd-core libriemann-client0 >/dev/null; then
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends collectd-core libriemann-client0 >/dev/null
  fi
  collectd_ready || die "collectd-core is installed but a plugin or library is missing: ${PLUGINS[*]}"
fi
# Debian 12's collectd 5.12 write_riemann calls riemann_event_set(event, TIME_MICROS, t) without the
# RIEMANN_EVENT_FIELD_NONE terminator; libriemann-client 1.10 then reads past the arguments and
# collectd crashes (SIGSEGV in strdup, in the writer thread) within seconds to minutes. A tiny
# LD_PRELOAD shim supplies the missing terminator for exactly that call and changes nothing else.
CC_FOR_SHIM="$(command -v cc || command -v gcc || true)"
if [ "$WITH_COLLECTD" = 1 ] && [ -z "$CC_FOR_SHIM" ]; then
  [ "$(id -u)" = 0 ] || die "a C compiler (cc) is needed for the write_riemann workaround; install gcc"
  log "installing gcc for the write_riemann workaround shim"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends gcc libc6-dev >/dev/null
  CC_FOR_SHIM="$(command -v cc || command -v gcc)"
fi
if [ "$WITH_COLLECTD" = 1 ] && [ "$(id -u)" = 0 ] && ! id nobody >/dev/null 2>&1; then
  die "collectd's exec plugin refuses to run checks as root and there is no 'nobody' user"
fi

# ---------------------------------------------------------------------------------------------
TMP="$(mktemp -d /tmp/sixfinger-footprint.XXXXXX)"
chmod 755 "$TMP" # collectd runs the checks as 'nobody'
mkdir -p "$TMP/checks"

STARTED_PIDS=() # everything this script started, stopped in reverse order on exit
SERVER_PID="" AGENT_PID="" COLLECTD_PID=""

stop_pid() { # pid, name, seconds to wait after SIGTERM before SIGKILL
  local pid=$1 name=$2 wait_s=$3 deadline
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$(( $(now_us) + wait_s * 1000000 ))
  while kill -0 "$pid" 2>/dev/null && [ "$(now_us)" -lt "$deadline" ]; do
    read -r -t 0.2 -u "$SLEEP_FD" _ || true
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) did not stop within ${wait_s}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ -n "$COLLECTD_PID" ] && stop_pid "$COLLECTD_PID" collectd 15
  [ -n "$AGENT_PID" ] && stop_pid "$AGENT_PID" agent 30
  [ -n "$SERVER_PID" ] && stop_pid "$SERVER_PID" server 60
  if [ "$KEEP_TMP" = 1 ] || [ "$rc" != 0 ]; then
    log "configs, logs and samples kept in $TMP"
  else
    rm -rf "$TMP"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# The ten checks: small, realistic Nagios-style plugins (first line = status text | perfdata).
write_check() { cat >"$TMP/checks/$1.sh"; chmod 755 "$TMP/checks/$1.sh"; }

write_check tmp-writable <<'EOF'
#!/bin/sh
# /tmp must accept new files
if [ -d /tmp ] && [ -w /tmp ]; then echo "OK - /tmp is writable"; exit 0; fi
echo "CRITICAL - /tmp is not writable"; exit 2
EOF
write_check disk-root <<'EOF'
#!/bin/sh
# space used on / (like check_disk)
df -P / | { read -r _; read -r _ _ _ _ pct _
  p=${pct%\%}
  if [ "$p" -ge 95 ]; then s=2 t=CRITICAL; elif [ "$p" -ge 85 ]; then s=1 t=WARNING; else s=0 t=OK; fi
  echo "DISK $t - / is $pct used | used=${p}%;85;95;0;100"; exit $s; }
EOF
write_check inodes-root <<'EOF'
#!/bin/sh
# inodes used on /
df -Pi / | { read -r _; read -r _ _ _ _ pct _
  p=${pct%\%}; [ "$p" = - ] && p=0
  if [ "$p" -ge 95 ]; then s=2 t=CRITICAL; elif [ "$p" -ge 85 ]; then s=1 t=WARNING; else s=0 t=OK; fi
  echo "INODES $t - / has $pct of its inodes used | inodes=${p}%;85;95;0;100"; exit $s; }
EOF
write_check load <<'EOF'
#!/bin/sh
# load average against the number of cores (like check_load -r)
read -r l1 l5 l15 _ < /proc/loadavg
n=$(nproc)
i=${l1%.*}
if [ "$i" -ge $((n * 4)) ]; then s=2 t=CRITICAL; elif [ "$i" -ge $((n * 2)) ]; then s=1 t=WARNING; else s=0 t=OK; fi
echo "LOAD $t - load average: $l1, $l5, $l15 | load1=$l1;$((n * 2));$((n * 4));0 load5=$l5;;;0 load15=$l15;;;0"
exit $s
EOF
write_check memory <<'EOF'
#!/bin/sh
# available memory (MemAvailable, so page cache is not "used")
while read -r k v _; do
  case $k in MemTotal:) total=$v ;; MemAvailable:) avail=$v ;; esac
done < /proc/meminfo
pct=$((avail * 100 / total))
if [ "$pct" -le 5 ]; then s=2 t=CRITICAL; elif [ "$pct" -le 10 ]; then s=1 t=WARNING; else s=0 t=OK; fi
echo "MEMORY $t - ${pct}% available ($((avail / 1024)) MiB) | available=${pct}%;10;5;0;100"
exit $s
EOF
write_check swap <<'EOF'
#!/bin/sh
# swap in use
while read -r k v _; do
  case $k in SwapTotal:) total=$v ;; SwapFree:) free=$v ;; esac
done < /proc/meminfo
if [ "${total:-0}" -eq 0 ]; then echo "SWAP OK - no swap configured | used=0%;50;80;0;100"; exit 0; fi
pct=$(( (total - free) * 100 / total ))
if [ "$pct" -ge 80 ]; then s=2 t=CRITICAL; elif [ "$pct" -ge 50 ]; then s=1 t=WARNING; else s=0 t=OK; fi
echo "SWAP $t - ${pct}% used | used=${pct}%;50;80;0;100"
exit $s
EOF
write_check zombies <<'EOF'
#!/bin/sh
# zombie processes (like check_procs -s Z)
z=$(ps -e -o stat= | grep -c '^Z')
if [ "$z" -ge 50 ]; then s=2 t=CRITICAL; elif [ "$z" -ge 10 ]; then s=1 t=WARNING; else s=0 t=OK; fi
echo "PROCS $t - $z zombie processes | zombies=$z;10;50;0"
exit $s
EOF
write_check open-files <<'EOF'
#!/bin/sh
# system-wide open file handles against fs.file-max (a sysctl file: read it whole, with cat)
set -- $(cat /proc/sys/fs/file-nr)
open=$1 max=$3
pct=$((open * 100 / max))
if [ "$pct" -ge 90 ]; then s=2 t=CRITICAL; elif [ "$pct" -ge 75 ]; then s=1 t=WARNING; else s=0 t=OK; fi
echo "FILES $t - $open of $max file handles open | open=$open;;;0;$max"
exit $s
EOF
write_check uptime <<'EOF'
#!/bin/sh
# warn for ten minutes after a reboot
read -r up _ < /proc/uptime
u=${up%.*}
if [ "$u" -lt 600 ]; then s=1 t=WARNING; else s=0 t=OK; fi
echo "UPTIME $t - up $((u / 86400)) days $((u % 86400 / 3600)) hours | uptime=${u}s;;;0"
exit $s
EOF
write_check root-rw <<'EOF'
#!/bin/sh
# / must be mounted read-write (a filesystem error remounts it read-only)
while read -r _ mnt _ opts _; do
  if [ "$mnt" = / ]; then rw=${opts%%,*}; fi
done < /proc/mounts
if [ "$rw" = rw ]; then echo "OK - / is mounted read-write"; exit 0; fi
echo "CRITICAL - / is mounted ${rw:-nowhere}"; exit 2
EOF
CHECKS=(tmp-writable disk-root inodes-root load memory swap zombies open-files uptime root-rw)

# collectd's exec plugin expects PUTVAL lines, not Nagios output: this adapter runs a check (in a
# subshell of the same /bin/sh, no extra exec) and turns its exit code and perfdata into gauges,
# plus a notification when it is not OK.
cat >"$TMP/checks/nagios2collectd.sh" <<'EOF'
#!/bin/sh
# nagios2collectd.sh NAME SCRIPT
name=$1 script=$2 host=${COLLECTD_HOSTNAME:-localhost} interval=${COLLECTD_INTERVAL:-10}
out=$(. "$script" 2>/dev/null)
rc=$?
line=${out%%
*}
case $rc in 0|1|2) state=$rc ;; *) state=3 ;; esac
echo "PUTVAL \"$host/check-$name/gauge-state\" interval=$interval N:$state"
perf=${line#*|}
if [ "$perf" != "$line" ]; then
  set -f
  for item in $perf; do
    label=${item%%=*} v=${item#*=}
    v=${v%%;*}
    v=${v%%[!0-9.eE+-]*}
    [ -n "$v" ] && echo "PUTVAL \"$host/check-$name/gauge-$label\" interval=$interval N:$v"
  done
fi
if [ "$state" -ne 0 ]; then
  case $state in 1) sev=warning ;; *) sev=failure ;; esac
  msg=${line%%|*}
  [ -n "$msg" ] || msg="check $name exited with $rc and printed nothing"
  echo "PUTNOTIF host=$host plugin=check plugin_instance=$name severity=$sev time=$(date +%s) message=\"$msg\""
fi
EOF
chmod 755 "$TMP/checks/nagios2collectd.sh"
for c in "${CHECKS[@]}"; do
  sh "$TMP/checks/$c.sh" >/dev/null 2>&1 || [ "$?" -le 3 ] || die "check $c does not run here"
done

# ---------------------------------------------------------------------------------------------
# Configurations.
mkdir -p "$TMP/agent-spool"
{
  echo "# generated by run-footprint-benchmark.sh"
  echo "endpoints: [127.0.0.1:5555]"
  echo "interval: ${INTERVAL}s"
  echo "host: footprint-agent"
  echo "tags: [footprint-benchmark]"
  echo "spoolDir: $TMP/agent-spool"
  echo "checks:"
  for c in "${CHECKS[@]}"; do
    echo "  - name: $c"
    echo "    command: [$TMP/checks/$c.sh]"
    echo "    period: ${INTERVAL}s"
    echo "    timeout: 5s"
  done
} >"$TMP/agent.yml"

if [ "$WITH_COLLECTD" = 1 ]; then
  RUN_AS=nobody
  [ "$(id -u)" = 0 ] || RUN_AS="$(id -un)"
  {
    cat <<EOF
# generated by run-footprint-benchmark.sh: the same kinds of metrics as the Sixfinger agent
Hostname "footprint-collectd"
FQDNLookup false
BaseDir "$TMP/collectd"
PIDFile "$TMP/collectd/collectd.pid"
PluginDir "/usr/lib/collectd"
TypesDB "/usr/share/collectd/types.db"
Interval $INTERVAL
ReadThreads 5
WriteThreads 1

LoadPlugin logfile
<Plugin logfile>
  LogLevel "info"
  File "$TMP/collectd.log"
  Timestamp true
</Plugin>
EOF
    for p in "${PLUGINS[@]}"; do [ "$p" = logfile ] || echo "LoadPlugin $p"; done
    cat <<EOF

<Plugin cpu>
  ReportByCpu false
  ReportByState true
  ValuesPercentage true
</Plugin>
<Plugin load>
  ReportRelative true
</Plugin>
<Plugin memory>
  ValuesAbsolute true
  ValuesPercentage true
</Plugin>
<Plugin swap>
  ReportByDevice false
  ReportBytes true
  ValuesAbsolute false
  ValuesPercentage true
  ReportIO true
</Plugin>
# the filesystems the agent leaves out (pseudo, in-memory, overlay, squashfs, network, FUSE)
<Plugin df>
  FSType "proc"
  FSType "sysfs"
  FSType "devtmpfs"
  FSType "devpts"
  FSType "tmpfs"
  FSType "ramfs"
  FSType "cgroup"
  FSType "cgroup2"
  FSType "securityfs"
  FSType "debugfs"
  FSType "tracefs"
  FSType "pstore"
  FSType "bpf"
  FSType "mqueue"
  FSType "hugetlbfs"
  FSType "configfs"
  FSType "fusectl"
  FSType "autofs"
  FSType "binfmt_misc"
  FSType "overlay"
  FSType "squashfs"
  FSType "nfs"
  FSType "nfs4"
  FSType "cifs"
  FSType "ceph"
  FSType "/^fuse/"
  IgnoreSelected true
  ReportByDevice false
  ReportInodes true
  ValuesAbsolute false
  ValuesPercentage true
</Plugin>
# whole disks only, as the agent (its I/O is not counted twice through partitions, dm or md)
<Plugin disk>
  Disk "/^(loop|ram|zram|sr|fd|dm-|md)/"
  Disk "/^(sd[a-z]+|vd[a-z]+|xvd[a-z]+|hd[a-z]+)[0-9]+$/"
  Disk "/^nvme[0-9]+n[0-9]+p[0-9]+$/"
  IgnoreSelected true
</Plugin>
<Plugin interface>
  Interface "lo"
  IgnoreSelected true
</Plugin>
<Plugin fhcount>
  ValuesAbsolute true
  ValuesPercentage true
</Plugin>
<Plugin exec>
EOF
    for c in "${CHECKS[@]}"; do
      echo "  Exec \"$RUN_AS\" \"/bin/sh\" \"$TMP/checks/nagios2collectd.sh\" \"$c\" \"$TMP/checks/$c.sh\""
    done
    cat <<EOF
</Plugin>
<Plugin write_riemann>
  <Node "sixfinger">
    Host "127.0.0.1"
    Port "5555"
    Protocol TCP
    Batch true
    BatchMaxSize 8192
    StoreRates true
    AlwaysAppendDS false
    TTLFactor 3.0
    Notifications true
  </Node>
  Tag "footprint-benchmark"
</Plugin>
EOF
  } >"$TMP/collectd.conf"
  mkdir -p "$TMP/collectd"
  cat >"$TMP/wrr-terminator.c" <<'EOF'
/* LD_PRELOAD shim for collectd 5.12's write_riemann with riemann-c-client >= 1.10: it calls
 * riemann_event_set(event, RIEMANN_EVENT_FIELD_TIME_MICROS, micros) without the terminating
 * RIEMANN_EVENT_FIELD_NONE, so the library reads garbage as further fields and crashes. */
#include <stdarg.h>
#include <stdint.h>
typedef struct riemann_event riemann_event_t;
enum { FIELD_NONE = 0, FIELD_TIME_MICROS = 13 }; /* riemann/event.h of riemann-c-client 1.10 */
int riemann_event_set_va(riemann_event_t *event, int first_field, va_list aq);
static int set_terminated(riemann_event_t *event, int field, ...) {
  va_list ap;
  va_start(ap, field);
  int rc = riemann_event_set_va(event, field, ap);
  va_end(ap);
  return rc;
}
int riemann_event_set(riemann_event_t *event, ...) {
  va_list ap;
  va_start(ap, event);
  int field = va_arg(ap, int);
  int rc;
  if (field == FIELD_TIME_MICROS) { /* collectd passes exactly one value here */
    int64_t micros = va_arg(ap, int64_t);
    rc = set_terminated(event, FIELD_TIME_MICROS, micros, FIELD_NONE);
  } else {
    rc = riemann_event_set_va(event, field, ap);
  }
  va_end(ap);
  return rc;
}
EOF
  "$CC_FOR_SHIM" -O2 -shared -fPIC -o "$TMP/wrr-terminator.so" "$TMP/wrr-terminator.c" \
    -l:libriemann-client.so.0 2>"$TMP/shim-build.log" ||
    die "could not build the write_riemann workaround shim: $(cat "$TMP/shim-build.log")"
  "$COLLECTD" -t -C "$TMP/collectd.conf" >"$TMP/collectd-test.log" 2>&1 ||
    die "collectd rejects the generated configuration: $(cat "$TMP/collectd-test.log")"
fi

# ---------------------------------------------------------------------------------------------
# The server: reuse one that listens on 5555, else start one (loopback only, its Kafka in $TMP).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
healthy() { curl -fsS -m 3 -o /dev/null http://127.0.0.1:8081/healthcheck 2>/dev/null; }

log "building the jar if it is stale"
"$ROOT/sixfinger" --help >/dev/null 2>&1 || die "'$ROOT/sixfinger --help' failed (build?)"

SERVER_REUSED=true
if port_open 5555; then
  log "reusing the server already listening on 127.0.0.1:5555"
  for _ in $(seq 1 30); do healthy && break; pause 1; done
  healthy || die "something listens on 5555 but http://127.0.0.1:8081/healthcheck is not healthy"
else
  SERVER_REUSED=false
  for p in 8080 8081 9092; do port_open "$p" && die "port $p is taken but 5555 is free: stop that process first"; done
  log "starting ./sixfinger server (embedded Kafka in $TMP/kafka)"
  (
    cd "$ROOT"
    SIXFINGER_JAVA_OPTS="-Ddw.kafka.dataDir=$TMP/kafka -Ddw.ingest.host=127.0.0.1 \
-Ddw.server.applicationConnectors[0].bindHost=127.0.0.1 \
-Ddw.server.adminConnectors[0].bindHost=127.0.0.1" exec ./sixfinger server
  ) >"$TMP/server.log" 2>&1 &
  SERVER_PID=$!
  deadline=$(( $(now_us) + 240 * 1000000 ))
  until port_open 5555 && healthy; do
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited: $(tail -20 "$TMP/server.log")"
    [ "$(now_us)" -lt "$deadline" ] || die "the server was not healthy within 240s"
    pause 1
  done
  log "server healthy (pid $SERVER_PID)"
fi

# ---------------------------------------------------------------------------------------------
# Start both daemons.
if [ "$AGENT_OPTS_SET" = 1 ]; then
  export SIXFINGER_JAVA_OPTS="$AGENT_OPTS"
else
  unset SIXFINGER_JAVA_OPTS # the launcher's defaults for 'agent'
fi
(cd "$TMP" && exec "$ROOT/sixfinger" agent "$TMP/agent.yml") >"$TMP/agent.log" 2>&1 &
AGENT_PID=$! # the launcher execs java, so this is the JVM
unset SIXFINGER_JAVA_OPTS
if [ "$WITH_COLLECTD" = 1 ]; then
  # The open-files soft limit a systemd service gets by default (collectd.service sets none):
  # collectd's exec plugin closes every descriptor up to it in each child it starts, so a shell's
  # larger limit would charge collectd for an environment it does not normally run in.
  (
    ulimit -S -n 1024
    LD_PRELOAD="$TMP/wrr-terminator.so" exec "$COLLECTD" -f -C "$TMP/collectd.conf"
  ) >"$TMP/collectd.out" 2>&1 &
  COLLECTD_PID=$!
fi

alive() {
  kill -0 "$AGENT_PID" 2>/dev/null || die "the agent exited: $(tail -20 "$TMP/agent.log")"
  if [ "$WITH_COLLECTD" = 1 ]; then
    kill -0 "$COLLECTD_PID" 2>/dev/null ||
      die "collectd exited: $(tail -20 "$TMP/collectd.out" "$TMP/collectd.log" 2>/dev/null)"
  fi
}
pause 5
alive
[ "$(cat "/proc/$AGENT_PID/comm")" = java ] || die "pid $AGENT_PID is not the agent's JVM"
AGENT_CMDLINE="$(tr '\0' ' ' <"/proc/$AGENT_PID/cmdline")"
AGENT_JVM_FLAGS="$(sed -e 's/^java //' -e 's/ -jar .*//' -e 's/ -cp .*//' -e 's/^-jar .*//' <<<"$AGENT_CMDLINE")"
log "agent pid $AGENT_PID: $AGENT_CMDLINE"
[ "$WITH_COLLECTD" = 1 ] && log "collectd pid $COLLECTD_PID: LD_PRELOAD=$TMP/wrr-terminator.so $COLLECTD -f -C $TMP/collectd.conf"

log "warm-up: ${WARMUP}s (not measured)"
t_end=$(( $(now_us) + WARMUP * 1000000 ))
while [ "$(now_us)" -lt "$t_end" ]; do pause 1; alive; done

# ---------------------------------------------------------------------------------------------
# Measurement: one line per second with both daemons' counters.
CLK_TCK=$(getconf CLK_TCK)
read_proc() { # pid -> "utime stime cutime cstime vmrss_kb rssanon_kb rssfile_kb" (zeros if gone)
  local pid=$1 line rest k v rss=0 anon=0 file=0
  if ! read -r line <"/proc/$pid/stat" 2>/dev/null; then echo "0 0 0 0 0 0 0"; return; fi
  rest=${line##*) }
  local -a f
  read -r -a f <<<"$rest"
  while read -r k v _; do
    case $k in VmRSS:) rss=$v ;; RssAnon:) anon=$v ;; RssFile:) file=$v ;; esac
  done <"/proc/$pid/status"
  # fields 14-17 of stat are f[11..14] here (f[0] is field 3, the state)
  echo "${f[11]} ${f[12]} ${f[13]} ${f[14]} $rss $anon $file"
}
threads_cpu() { # pid -> one line per live thread: "tid name ticks"
  local t line name rest
  local -a f
  for t in /proc/"$1"/task/*; do
    read -r line <"$t/stat" 2>/dev/null || continue
    name=${line#*(}; name=${name%)*}; rest=${line##*) }
    read -r -a f <<<"$rest"
    echo "${t##*/} ${name// /_} $((f[11] + f[12]))"
  done
}
accepted_events() { # events the ingest accepted so far (admin metrics), or empty
  curl -fsS -m 3 http://127.0.0.1:8081/metrics 2>/dev/null |
    sed -n 's/.*"sixfinger\.ingest\.events\.accepted":{"value":\([0-9]*\)}.*/\1/p'
}
host_cpu() { local _c u n s i w q sq st _r; read -r _c u n s i w q sq st _r </proc/stat; echo "$((u + n + s + q + sq + st)) $((u + n + s + i + w + q + sq + st))"; }

SAMPLES="$TMP/samples.tsv"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
HOST_CPU_START="$(host_cpu)"
ACCEPTED_START="$(accepted_events)"
threads_cpu "$AGENT_PID" >"$TMP/agent-threads.start"
log "measuring for ${MEASURE_SECONDS}s (load average now: $LOAD_START)"
echo "t_us agent_ut agent_st agent_cut agent_cst agent_rss agent_anon agent_file col_ut col_st col_cut col_cst col_rss col_anon col_file" >"$SAMPLES"
t0=$(now_us)
for ((i = 0; i <= MEASURE_SECONDS; i++)); do
  sleep_until_us $(( t0 + i * 1000000 ))
  alive
  a="$(read_proc "$AGENT_PID")"
  if [ "$WITH_COLLECTD" = 1 ]; then c="$(read_proc "$COLLECTD_PID")"; else c="0 0 0 0 0 0 0"; fi
  echo "$(now_us) $a $c" >>"$SAMPLES"
  if (( i > 0 && i % 60 == 0 )); then log "  ${i}s of ${MEASURE_SECONDS}s"; fi
done
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"
HOST_CPU_END="$(host_cpu)"
ACCEPTED_END="$(accepted_events)"
threads_cpu "$AGENT_PID" >"$TMP/agent-threads.end"
ACCEPTED=null
if [ -n "$ACCEPTED_START" ] && [ -n "$ACCEPTED_END" ]; then ACCEPTED=$((ACCEPTED_END - ACCEPTED_START)); fi
HOST_BUSY_PCT=$(awk -v a="$HOST_CPU_START" -v b="$HOST_CPU_END" 'BEGIN{split(a,x," "); split(b,y," "); t=y[2]-x[2]; printf "%.1f", (t > 0) ? 100 * (y[1] - x[1]) / t : 0 }')

# Health of the run: both must still be sending without errors.
AGENT_ERRORS=$(grep -c -E ' (ERROR|WARN) ' "$TMP/agent.log" || true)
COLLECTD_ERRORS=0
if [ "$WITH_COLLECTD" = 1 ]; then
  COLLECTD_ERRORS=$(grep -c -i -E 'error|fail|refus' "$TMP/collectd.log" 2>/dev/null || true)
fi

# ---------------------------------------------------------------------------------------------
# Results.
mkdir -p "$(dirname "$JSON")"
RESULT="$(awk -v tck="$CLK_TCK" -v cpu_t="$CPU_TARGET_PCT" -v rss_t="$RSS_TARGET_MIB" '
NR == 1 { next }
{
  n++
  if (n == 1) { t0 = $1; for (k = 2; k <= 15; k++) first[k] = $k }
  tl = $1; for (k = 2; k <= 15; k++) last[k] = $k
  ars += $6; if ($6 > arm) arm = $6; aan += $7; afi += $8
  crs += $13; if ($13 > crm) crm = $13; can += $14; cfi += $15
}
END {
  s = (tl - t0) / 1e6
  aown = 100 * ((last[2] + last[3]) - (first[2] + first[3])) / tck / s
  achk = 100 * ((last[4] + last[5]) - (first[4] + first[5])) / tck / s
  cown = 100 * ((last[9] + last[10]) - (first[9] + first[10])) / tck / s
  cchk = 100 * ((last[11] + last[12]) - (first[11] + first[12])) / tck / s
  printf "seconds=%.1f samples=%d\n", s, n
  printf "agent_cpu=%.3f agent_checks_cpu=%.3f agent_total_cpu=%.3f\n", aown, achk, aown + achk
  printf "agent_rss_avg=%.1f agent_rss_max=%.1f agent_anon_avg=%.1f agent_file_avg=%.1f\n", ars / n / 1024, arm / 1024, aan / n / 1024, afi / n / 1024
  printf "col_cpu=%.3f col_checks_cpu=%.3f col_total_cpu=%.3f\n", cown, cchk, cown + cchk
  printf "col_rss_avg=%.1f col_rss_max=%.1f col_anon_avg=%.1f col_file_avg=%.1f\n", crs / n / 1024, crm / 1024, can / n / 1024, cfi / n / 1024
}' "$SAMPLES" | tr ' ' '\n')"
eval "$RESULT" # only numbers and names from the awk above

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else printf "null" }'; }
met() { awk -v v="$1" -v t="$2" 'BEGIN{ print (v < t) ? "MET" : "NOT MET" }'; }
CPU_MET=$(met "$agent_cpu" "$CPU_TARGET_PCT")
RSS_MET=$(met "$agent_rss_max" "$RSS_TARGET_MIB")
DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
COLLECTD_VERSION="n/a"
[ "$WITH_COLLECTD" = 1 ] && COLLECTD_VERSION="$("$COLLECTD" -h 2>&1 | sed -n 's/^collectd \([0-9][0-9.]*[0-9]\).*/\1/p' | head -1)"
JAVA_VERSION="$(java -version 2>&1 | head -1 | sed 's/"/\\"/g')"

{
  echo
  echo "Agent footprint benchmark, $DATE, $(nproc) cores, ${seconds}s measured after ${WARMUP}s warm-up"
  echo "interval ${INTERVAL}s, ${#CHECKS[@]} script checks every ${INTERVAL}s; load average $LOAD_START at start, $LOAD_END at end; host CPU busy ${HOST_BUSY_PCT}% during the window"
  echo "agent JVM flags: ${AGENT_JVM_FLAGS:-(none)}"
  echo
  printf '%-34s %14s %14s %10s\n' "" "sixfinger agent" "collectd" "ratio"
  printf '%-34s %14s %14s %10s\n' "CPU, own process (% of one core)" "$agent_cpu" "$col_cpu" "$(ratio "$agent_cpu" "$col_cpu")"
  printf '%-34s %14s %14s %10s\n' "CPU, checks (children, %)" "$agent_checks_cpu" "$col_checks_cpu" "$(ratio "$agent_checks_cpu" "$col_checks_cpu")"
  printf '%-34s %14s %14s %10s\n' "CPU, total (%)" "$agent_total_cpu" "$col_total_cpu" "$(ratio "$agent_total_cpu" "$col_total_cpu")"
  printf '%-34s %14s %14s %10s\n' "RSS average (MiB)" "$agent_rss_avg" "$col_rss_avg" "$(ratio "$agent_rss_avg" "$col_rss_avg")"
  printf '%-34s %14s %14s %10s\n' "RSS max (MiB)" "$agent_rss_max" "$col_rss_max" "$(ratio "$agent_rss_max" "$col_rss_max")"
  printf '%-34s %14s %14s\n' "  of which anonymous, avg (MiB)" "$agent_anon_avg" "$col_anon_avg"
  printf '%-34s %14s %14s\n' "  of which file-backed, avg (MiB)" "$agent_file_avg" "$col_file_avg"
  echo
  echo "target: agent CPU (own) under ${CPU_TARGET_PCT}% of one core: $CPU_MET ($agent_cpu%)"
  echo "target: agent resident memory under ${RSS_TARGET_MIB} MiB (max): $RSS_MET ($agent_rss_max MiB)"
  [ "$AGENT_ERRORS" = 0 ] || echo "warning: the agent logged $AGENT_ERRORS WARN/ERROR lines (see --keep-tmp)"
  [ "$COLLECTD_ERRORS" = 0 ] || echo "warning: collectd logged $COLLECTD_ERRORS error lines (see --keep-tmp)"
  [ "$WITH_COLLECTD" = 1 ] || echo "(collectd not run: --no-collectd)"
  echo "the ingest accepted $ACCEPTED events during the window (from all its clients)"
  echo
  echo "agent CPU by JVM thread during the window (% of one core; threads that ended, such as the"
  echo "per-run output readers of the checks, are summed as (ended-threads)):"
  awk -v tck="$CLK_TCK" -v s="$seconds" -v own="$agent_cpu" '
    NR == FNR { start[$1] = $3; next }
    { d = $3 - ($1 in start ? start[$1] : 0); by[$2] += d; sum += d }
    END {
      for (k in by) printf "  %-28s %6.3f\n", k, 100 * by[k] / tck / s
      printf "  %-28s %6.3f\n", "(ended-threads)", own - 100 * sum / tck / s
    }' "$TMP/agent-threads.start" "$TMP/agent-threads.end" | sort -k2 -n -r | head -12
  echo
} | tee "$TMP/table.txt"

json_num() { [ "$WITH_COLLECTD" = 1 ] && echo "$1" || echo null; }
cat >"$JSON" <<EOF
{
  "date": "$DATE",
  "cores": $(nproc),
  "interval_seconds": $INTERVAL,
  "checks": ${#CHECKS[@]},
  "warmup_seconds": $WARMUP,
  "measured_seconds": $seconds,
  "samples": $samples,
  "load_average_start": "$LOAD_START",
  "load_average_end": "$LOAD_END",
  "host_cpu_busy_percent": $HOST_BUSY_PCT,
  "server_reused": $SERVER_REUSED,
  "ingest_events_accepted_during_window": $ACCEPTED,
  "java": "$JAVA_VERSION",
  "collectd_version": "$COLLECTD_VERSION",
  "agent": {
    "jvm_flags": "$AGENT_JVM_FLAGS",
    "cpu_percent_own": $agent_cpu,
    "cpu_percent_checks": $agent_checks_cpu,
    "cpu_percent_total": $agent_total_cpu,
    "rss_mib_avg": $agent_rss_avg,
    "rss_mib_max": $agent_rss_max,
    "rss_anon_mib_avg": $agent_anon_avg,
    "rss_file_mib_avg": $agent_file_avg,
    "warn_error_log_lines": $AGENT_ERRORS
  },
  "collectd": {
    "cpu_percent_own": $(json_num "$col_cpu"),
    "cpu_percent_checks": $(json_num "$col_checks_cpu"),
    "cpu_percent_total": $(json_num "$col_total_cpu"),
    "rss_mib_avg": $(json_num "$col_rss_avg"),
    "rss_mib_max": $(json_num "$col_rss_max"),
    "rss_anon_mib_avg": $(json_num "$col_anon_avg"),
    "rss_file_mib_avg": $(json_num "$col_file_avg"),
    "error_log_lines": $COLLECTD_ERRORS
  },
  "ratios_agent_over_collectd": {
    "cpu_own": $(ratio "$agent_cpu" "$col_cpu"),
    "cpu_total": $(ratio "$agent_total_cpu" "$col_total_cpu"),
    "rss_avg": $(ratio "$agent_rss_avg" "$col_rss_avg"),
    "rss_max": $(ratio "$agent_rss_max" "$col_rss_max")
  },
  "targets": {
    "agent_cpu_percent_under": $CPU_TARGET_PCT,
    "agent_cpu_met": $([ "$CPU_MET" = MET ] && echo true || echo false),
    "agent_rss_mib_under": $RSS_TARGET_MIB,
    "agent_rss_met": $([ "$RSS_MET" = MET ] && echo true || echo false)
  }
}
EOF
log "wrote $JSON"

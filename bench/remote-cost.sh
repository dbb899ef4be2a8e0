#!/bin/sh
# What one host spends on each remote command (docs/performance.md): run inside a lab container as the login user,
#   docker exec -u sysfleet CONTAINER sh /tmp/remote-cost.sh [N]
# with /tmp/facts-old.sh and /tmp/facts-new.sh holding the facts probe's shell line of two builds, as the engine
# sends it (FactsProbe.command(file, keys, List.of(), BootFiles.STANDARD).toShell(): `sudo -n -u root -- sh -c ...`)
# and /tmp/keys.txt its stdin (the key paths, one per line). Prints, per run, the CPU the container's cgroup used
# (cgroup v1 cpuacct.usage; sudo, shells and every process they start) and the processes started (the pid
# namespace's pid counter).
N=${1:-40}
usage=/sys/fs/cgroup/cpuacct/cpuacct.usage
[ -r "$usage" ] || usage=
cpu() { label=$1; shift
  t0=$(cat "${usage:-/dev/null}"); p0=$(sh -c 'echo $$')
  i=0; while [ $i -lt "$N" ]; do "$@" >/dev/null 2>&1 </tmp/keys.txt; i=$((i+1)); done
  t1=$(cat "${usage:-/dev/null}"); p1=$(sh -c 'echo $$')
  if [ -n "$usage" ]; then c="$(( (t1 - t0) / 1000 / N )) us CPU"; else c="(no cgroup v1 cpuacct: CPU n/a)"; fi
  echo "$label: $c and $(( (p1 - p0 - 1) / N )) processes per run ($N runs)"; }
cpu "sudo -n true" sudo -n true
[ -f /tmp/facts-old.sh ] && cpu "facts + boot files, before" sh /tmp/facts-old.sh
[ -f /tmp/facts-new.sh ] && cpu "facts + boot files, after" sh /tmp/facts-new.sh
cpu "the loop's remote command (sudo sh: sed, sysctl -p)" sudo -n sh -c "cp /etc/sysctl.conf /tmp/s.conf && sed -i -E '/^[[:space:]]*(net\.ipv4\.tcp_fin_timeout)[[:space:]]*=/d' /tmp/s.conf && sysctl -p >/dev/null"

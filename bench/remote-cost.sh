#!/bin/sh
# What one host spends on each remote command (docs/performance.md): run inside a lab container as the login user,
#   docker exec -u sysfleet CONTAINER sh /tmp/remote-cost.sh [N]
# with /tmp/facts-old.sh and /tmp/facts-new.sh holding `sudo -n -u root -- ` followed by the facts probe's shell line
# (FactsProbe.command(...).toShell() of each build). Prints the CPU of the shell's children (utime + stime + cutime +
# cstime of this shell, in clock ticks of 10 ms) and the processes started (the pid namespace's pid counter) per run.
N=${1:-40}
cpu() { label=$1; shift
  t0=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat); p0=$(sh -c 'echo $$')
  i=0; while [ $i -lt $N ]; do "$@" >/dev/null 2>&1; i=$((i+1)); done
  t1=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat); p1=$(sh -c 'echo $$')
  echo "$label: $(( (t1 - t0) * 10 / N )) ms CPU and $(( (p1 - p0 - 1) / N )) processes per run ($N runs)"; }
cpu "sudo -n true" sudo -n true
cpu "facts + boot files, before (sudo)" sh /tmp/facts-old.sh
cpu "facts + boot files, after (sudo)" sh /tmp/facts-new.sh
cpu "the loop's remote command (sudo sh: sed, printf, sysctl -p)" sudo -n sh -c "cp /etc/sysctl.conf /tmp/s.conf && sed -i -E '/^[[:space:]]*(net\.ipv4\.tcp_fin_timeout)[[:space:]]*=/d' /tmp/s.conf && sysctl -p >/dev/null"

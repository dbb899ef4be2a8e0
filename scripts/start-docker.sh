#!/usr/bin/env bash
# Start a local Docker engine if none answers. Idempotent: does nothing when `docker info` already works.
# Used by developers and by CI (.ci/run) before the integration tests.
#   SYSFLEET_DOCKER_TIMEOUT  seconds to wait for the engine (default 60)
set -euo pipefail

timeout_s="${SYSFLEET_DOCKER_TIMEOUT:-60}"

if docker info >/dev/null 2>&1; then
    echo "start-docker: engine already running"
    exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
    echo "start-docker: dockerd missing, installing docker.io"
    if [ "$(id -u)" -ne 0 ]; then
        echo "start-docker: error: need root to install docker.io" >&2
        exit 1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io
fi

# Another caller may be starting the engine at the same time; only start one dockerd.
if ! pgrep -x dockerd >/dev/null 2>&1; then
    echo "start-docker: starting dockerd (log: /var/log/dockerd.log)"
    nohup dockerd >/var/log/dockerd.log 2>&1 &
fi

for _ in $(seq 1 "$timeout_s"); do
    if docker info >/dev/null 2>&1; then
        echo "start-docker: engine ready"
        exit 0
    fi
    sleep 1
done
echo "start-docker: error: docker engine did not answer within ${timeout_s}s; see /var/log/dockerd.log" >&2
tail -n 20 /var/log/dockerd.log >&2 || true
exit 1

#!/usr/bin/env bash
# Installs and starts everything the tests and the lab need: JDK/Maven check, Docker engine, Ansible,
# debootstrap, Chromium, the kernel documentation (linux-doc-6.1), and the test host image. Idempotent and quick
# when everything is there. Needs root for installs.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v mvn >/dev/null || need+=(maven)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
command -v dockerd >/dev/null || need+=(docker.io)
command -v ansible-playbook >/dev/null || need+=(ansible)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v ssh-keygen >/dev/null || need+=(openssh-client)
command -v sudo >/dev/null || need+=(sudo)   # the local transport's become tests run for real with it
command -v chattr >/dev/null || need+=(e2fsprogs)   # LocalTransportTest: a read-only directory for root
# diagnose --prometheus output is parsed by the official Python client's parser in the tests (the oracle)
[[ -d /usr/lib/python3/dist-packages/prometheus_client ]] || need+=(python3-prometheus-client)
command -v chromium >/dev/null || need+=(chromium)   # the HTML report is tested in a real browser
[[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || need+=(fonts-dejavu-core)   # text in charts
# The kernel's sysctl documentation: scripts/gen-catalog reads it, a unit test checks keys.yml against it.
[[ -f /usr/share/doc/linux-doc-6.1/Documentation/networking/ip-sysctl.rst.gz ]] || need+=(linux-doc-6.1)
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing ${need[*]}; run as root or install them" >&2
    exit 1
  fi
  echo "setup: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
bash scripts/start-docker.sh
bash scripts/build-test-image.sh

#!/usr/bin/env bash
# Build the sysfleet TEST host image (sshd + sudo + procps on Debian bookworm minbase) for the
# integration tests. Idempotent and quick when the image exists: the image is tagged
# sysfleet-host:<hash of this script and src/image/> and sysfleet-host:latest; a build is skipped
# when the hash tag exists. The debootstrap result is cached as a tarball under
# $SYSFLEET_CACHE_DIR (default /var/cache/sysfleet) so overlay-only changes rebuild in seconds.
#
# No secrets are baked in: host keys are generated at container start (ssh-keygen -A), the
# authorised key and the sysfleet-pw password come from the container's environment.
# Container command: /usr/local/sbin/sysfleet-host-start PROFILE (see src/image/).
# Prints the image tag (sysfleet-host:<hash>) as its last line.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
overlay="$root/src/image"
cache="${SYSFLEET_CACHE_DIR:-/var/cache/sysfleet}"
packages="openssh-server,procps,sudo,iproute2,python3"
suite=bookworm

inputs_hash=$(
    {
        cat "$root/scripts/build-test-image.sh"
        (cd "$overlay" && find . -type f -perm -u+x -print0 | LC_ALL=C sort -z | xargs -0 -r printf 'exec %s\n')
        (cd "$overlay" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    } | sha256sum | cut -c1-16
)
image="sysfleet-host:$inputs_hash"

if docker image inspect "$image" >/dev/null 2>&1; then
    docker tag "$image" sysfleet-host:latest
    echo "build-test-image: $image exists" >&2
    echo "$image"
    exit 0
fi

command -v debootstrap >/dev/null 2>&1 || {
    echo "build-test-image: installing debootstrap" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >&2
}

mkdir -p "$cache"
base="$cache/$suite-minbase-$(echo "$packages" | sha256sum | cut -c1-12).tar"
work=$(mktemp -d /var/tmp/sysfleet-image.XXXXXX)
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
mkdir "$rootfs"

if [ -f "$base" ]; then
    echo "build-test-image: using cached base $base" >&2
    tar -C "$rootfs" -xpf "$base"
else
    echo "build-test-image: debootstrap $suite (about a minute)" >&2
    debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" >"$work/debootstrap.log" 2>&1 || {
        tail -n 30 "$work/debootstrap.log" >&2
        echo "build-test-image: error: debootstrap failed" >&2
        exit 1
    }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cpf "$base.tmp" . && mv "$base.tmp" "$base"
fi

# Overlay (sshd config, sudoers, entry point, profiles, the centos5 test double).
cp -a "$overlay/." "$rootfs/"
# Modes do not depend on the checkout's umask.
chmod -R go-w "$rootfs/usr/local" "$rootfs/etc/ssh/sshd_config.d"
chmod 0440 "$rootfs/etc/sudoers.d/sysfleet"
chown -R root:root "$rootfs/etc/sudoers.d" "$rootfs/usr/local" "$rootfs/etc/ssh/sshd_config.d"

# Users: sysfleet (passwordless sudo) and sysfleet-pw (sudo asks for its password).
chroot "$rootfs" useradd --create-home --shell /bin/bash sysfleet
chroot "$rootfs" useradd --create-home --shell /bin/bash sysfleet-pw
chroot "$rootfs" usermod -p '*' sysfleet   # no password, but not locked (key login works)
chroot "$rootfs" visudo -c >/dev/null

# Nothing secret in the image: drop host keys made by the openssh-server package.
rm -f "$rootfs"/etc/ssh/ssh_host_*
rm -f "$rootfs/etc/machine-id" && : > "$rootfs/etc/machine-id"

echo "build-test-image: importing $image" >&2
tar -C "$rootfs" -c . | docker import -m "sysfleet test host ($inputs_hash)" - "$image" >/dev/null
docker tag "$image" sysfleet-host:latest
echo "$image"

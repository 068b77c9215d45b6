#!/bin/sh
# A real Debian 12 cloud template, built from Debian packages without loop mounts:
#   scripts/build-debian-template.sh [OUT_DIR]   → OUT_DIR/debian-12.qcow2 (default target/debian-template)
#
# A minimal Debian 12 with the cloud kernel, cloud-init, openssh-server, ifupdown (no
# resolvconf, no net-tools: as a new user's image would be) and the QEMU guest agent, its root
# file system labelled debian-root (the build itself: scripts/debian-image.sh). The result is
# what the e2e tests order through the cabinet, and a template a hoster can import to try
# vpsbox with a real guest. Needs root; cached until this script changes.
set -eu
OUT=$(realpath -m "${1:-target/debian-template}")
NAME=debian-12
ROOT_LABEL=debian-root
PACKAGES="systemd-sysv udev dbus kmod linux-image-cloud-amd64 initramfs-tools cloud-init cloud-guest-utils
openssh-server ifupdown isc-dhcp-client iproute2 netbase sudo qemu-guest-agent e2fsprogs procps"
. "$(dirname "$0")/debian-image.sh"

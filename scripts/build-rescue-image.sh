#!/bin/sh
# The rescue system servers boot into rescue mode, built from Debian packages without loop
# mounts:
#   scripts/build-rescue-image.sh [OUT_DIR]   → OUT_DIR/vpsbox-rescue.qcow2 (default target/rescue-image)
#   vpsbox rescue import OUT_DIR/vpsbox-rescue.qcow2
#
# Debian 12 with the cloud kernel, cloud-init (vpsbox's rescue seed gives it the server's
# addresses, root's one-time password and the server's SSH keys), openssh-server and the tools
# to repair a server: partitions (fdisk, gdisk, parted), file systems (e2fsprogs, xfsprogs,
# btrfs-progs, dosfstools, ntfs-3g), LVM, RAID, LUKS, chroot helpers, rsync and curl. Its root
# file system is labelled vpsbox-rescue, so it never mistakes a server's disk (whose root is
# often debian-root or cloudimg-rootfs) for its own. The server's disks are /dev/vda (and vdc
# onwards for extra disks), attached but not mounted. Needs root; cached until this script or
# scripts/debian-image.sh changes.
set -eu
OUT=$(realpath -m "${1:-target/rescue-image}")
NAME=vpsbox-rescue
ROOT_LABEL=vpsbox-rescue
PACKAGES="systemd-sysv udev dbus kmod linux-image-cloud-amd64 initramfs-tools cloud-init cloud-guest-utils
openssh-server ifupdown isc-dhcp-client iproute2 netbase qemu-guest-agent procps less nano vim-tiny
fdisk gdisk parted e2fsprogs xfsprogs btrfs-progs dosfstools ntfs-3g lvm2 mdadm cryptsetup
rsync curl ca-certificates file lsof psmisc pciutils util-linux"
# What root reads on logging in; and the mark the rescue system is known by.
EXTRA_HOOK='printf "vpsbox rescue system: this server'"'"'s own disk is /dev/vda (extra disks follow), attached but not mounted.\nMount it to repair it, e.g. mount /dev/vda1 /mnt; leave rescue from the cabinet to boot it again.\n" > "$1"/etc/motd; printf "vpsbox rescue system\n" > "$1"/etc/vpsbox-rescue'
. "$(dirname "$0")/debian-image.sh"

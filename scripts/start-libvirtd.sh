#!/bin/sh
# Make sure libvirtd answers on qemu:///system; start virtlogd and libvirtd by hand where no
# systemd runs them (containers, CI sandboxes).
set -eu
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# Where no udev runs, /dev/kvm stays root:root 0600; libvirt then probes QEMU's capabilities
# again at every domain start (~48 s each). Give it the owner and mode udev would.
if [ -c /dev/kvm ] && getent group kvm >/dev/null 2>&1; then
    [ "$(stat -c %G:%a /dev/kvm)" = "kvm:660" ] || { $SUDO chgrp kvm /dev/kvm && $SUDO chmod 0660 /dev/kvm; }
fi

if virsh -c qemu:///system version >/dev/null 2>&1; then
    exit 0
fi
pgrep -x virtlogd >/dev/null 2>&1 || $SUDO virtlogd -d
pgrep -x libvirtd >/dev/null 2>&1 || $SUDO libvirtd -d
i=0
until virsh -c qemu:///system version >/dev/null 2>&1; do
    i=$((i + 1))
    if [ "$i" -gt 100 ]; then
        echo "libvirtd did not answer on qemu:///system" >&2
        exit 1
    fi
    sleep 0.1
done
echo "libvirtd is running"

# Shared by scripts/build-debian-template.sh and scripts/build-rescue-image.sh (sourced, not
# run): build a Debian 12 disk image from Debian packages without loop mounts.
#
# mmdebstrap installs a minimal Debian 12 with $PACKAGES into a directory (SSH host keys and
# the machine id removed, so each guest makes its own at first boot; cloud-init reads only the
# NoCloud seed); `mke2fs -d` turns it into an ext4 root partition labelled $ROOT_LABEL, and a
# small vfat partition with syslinux boots its kernel and initramfs (serial console first).
# The result, $OUT/$NAME.qcow2, is cached: rebuilt only when the calling script, this file or
# the package list change.
#
# Set before sourcing: OUT, NAME, ROOT_LABEL, PACKAGES, and optionally EXTRA_HOOK (one more
# mmdebstrap --customize-hook). Needs root and mmdebstrap, e2fsprogs, dosfstools, mtools,
# syslinux, syslinux-common, fdisk and qemu-utils (scripts/deps.sh test installs them).

IMG="$OUT/$NAME.qcow2"
STAMP=$( (cat "$0" "$(dirname "$0")/debian-image.sh"; echo "$PACKAGES $ROOT_LABEL ${EXTRA_HOOK:-}") | sha256sum | cut -c1-16)
if [ -f "$IMG" ] && [ "$(cat "$OUT/$NAME.stamp" 2>/dev/null)" = "$STAMP" ]; then
    echo "$IMG (cached)"
    exit 0
fi
mkdir -p "$OUT"
# Not /tmp: the root tree is a few hundred MB.
WORK=$(mktemp -d "$OUT/build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

# The guest's own first boot makes its SSH host keys (cloud-init), its machine id (systemd) and
# grows its root partition to its disk (growpart + resize2fs).
mmdebstrap --mode=root --variant=minbase --quiet \
    --include="$(echo $PACKAGES | tr ' ' ',')" \
    --customize-hook='rm -f "$1"/etc/ssh/ssh_host_*_key "$1"/etc/ssh/ssh_host_*_key.pub' \
    --customize-hook='truncate -s 0 "$1"/etc/machine-id; rm -f "$1"/var/lib/dbus/machine-id' \
    --customize-hook="printf 'LABEL=$ROOT_LABEL / ext4 errors=remount-ro 0 1\n' > \"\$1\"/etc/fstab" \
    --customize-hook='printf "localhost\n" > "$1"/etc/hostname; : > "$1"/etc/resolv.conf' \
    --customize-hook='printf "LANG=C.UTF-8\n" > "$1"/etc/default/locale' \
    --customize-hook='printf "auto lo\niface lo inet loopback\n\nsource /etc/network/interfaces.d/*\n" > "$1"/etc/network/interfaces' \
    --customize-hook='printf "datasource_list: [ NoCloud, None ]\n" > "$1"/etc/cloud/cloud.cfg.d/90-vpsbox-datasource.cfg' \
    --customize-hook="${EXTRA_HOOK:-true}" \
    --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' \
    bookworm root \
    "deb $MIRROR bookworm main" "deb $MIRROR bookworm-updates main" "deb $SECURITY bookworm-security main"

KERNEL=$(ls root/boot/vmlinuz-* | sort | tail -1)
INITRD=$(ls root/boot/initrd.img-* | sort | tail -1)
[ -f "$KERNEL" ] && [ -f "$INITRD" ] || { echo "no kernel or initramfs in the tree" >&2; exit 1; }

# Boot partition: syslinux, the kernel and the initramfs (the serial console first, so the
# cabinet's serial console shows the boot and a login prompt).
truncate -s 95M boot.img
mkfs.vfat -n DEBBOOT boot.img >/dev/null
syslinux --install boot.img
printf 'DEFAULT debian\nPROMPT 0\nTIMEOUT 0\nLABEL debian\n  KERNEL vmlinuz\n  INITRD initrd.img\n  APPEND root=LABEL=%s ro console=tty0 console=ttyS0,115200n8\n' "$ROOT_LABEL" > syslinux.cfg
mcopy -i boot.img "$KERNEL" ::vmlinuz
mcopy -i boot.img "$INITRD" ::initrd.img
mcopy -i boot.img syslinux.cfg ::syslinux.cfg

# Root partition: the tree as ext4, with room to spare (growpart enlarges it at first boot).
USED=$(du -sm root | cut -f1)
ROOT_MB=$((USED + USED / 2 + 200))
mke2fs -q -t ext4 -L "$ROOT_LABEL" -d root root.img "${ROOT_MB}M"

# Disk: MBR with syslinux's boot code, 1 MiB offset, boot then root.
truncate -s $((1 + 95 + ROOT_MB))M disk.raw
printf 'label: dos\nstart=2048, size=%s, type=c, bootable\nstart=%s, type=83\n' \
    $((95 * 2048)) $(((1 + 95) * 2048)) | sfdisk -q disk.raw
dd if=/usr/lib/syslinux/mbr/mbr.bin of=disk.raw bs=440 count=1 conv=notrunc status=none
dd if=boot.img of=disk.raw bs=1M seek=1 conv=notrunc status=none
dd if=root.img of=disk.raw bs=1M seek=96 conv=notrunc status=none
qemu-img convert -q -c -O qcow2 disk.raw "$IMG.tmp"
mv "$IMG.tmp" "$IMG"
echo "$STAMP" > "$OUT/$NAME.stamp"
echo "$IMG ($(du -h "$IMG" | cut -f1) on disk, $(qemu-img info --output=json "$IMG" | sed -n 's/.*"virtual-size": \([0-9]*\).*/\1/p') bytes virtual, $(basename "$KERNEL"))"

#!/bin/sh
# Build the tiny bootable test template used by the end-to-end tests and `make bench`:
# Debian's cloud kernel + a busybox initramfs whose /init prints markers on ttyS0, reads the
# cloud-init seed (LABEL=cidata) and powers off on the ACPI power button; syslinux on a vfat
# partition; converted to qcow2. About 16 MB; boots to init in seconds under TCG. Beside it,
# tiny.iso: the same kernel and initramfs on an ISO 9660 image that isolinux boots.
#   scripts/build-test-template.sh [OUT_DIR]   (default target/test-template; cached)
set -eu
OUT=$(realpath -m "${1:-target/test-template}")
IMG="$OUT/tiny.qcow2"
# The cache is valid while this script is unchanged.
STAMP=$(sha256sum "$0" | cut -c1-16)
if [ -f "$IMG" ] && [ "$(cat "$OUT/tiny.stamp" 2>/dev/null)" = "$STAMP" ]; then
    echo "$IMG (cached)"
    exit 0
fi
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/vpsbox-template.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"
cd "$WORK"

# Packages are downloaded and unpacked here, not installed on the host.
KPKG=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
apt-get download -q -o APT::Sandbox::User=root "$KPKG" busybox-static >/dev/null
dpkg-deb -x "$KPKG"_*.deb kernel
dpkg-deb -x busybox-static_*.deb bb
KVER=$(ls kernel/lib/modules | head -1)

mkdir -p init/bin init/proc init/sys init/dev init/mnt init/etc/acpi/PWRF init/lib/modules
cp bb/bin/busybox init/bin/busybox
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk \
         fat vfat nls_cp437 nls_iso8859-1 nls_ascii button evdev; do
    f=$(find "kernel/lib/modules/$KVER/kernel" -name "$m.ko" -o -name "$m.ko.xz" | head -1)
    [ -n "$f" ] || { echo "module $m not found" >&2; exit 1; }
    case "$f" in
        *.xz) xz -dc "$f" > "init/lib/modules/$m.ko" ;;
        *) cp "$f" "init/lib/modules/$m.ko" ;;
    esac
done
cat > init/init <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk \
         fat vfat nls_cp437 nls_iso8859-1 nls_ascii button evdev; do
    insmod /lib/modules/$m.ko 2>/dev/null
done
echo "VPSBOX-TEST: init started" > /dev/ttyS0
# Booted from the test ISO (its boot loader passes vpsbox_iso), not from a disk.
grep -q vpsbox_iso /proc/cmdline && echo "VPSBOX-TEST: booted from the ISO" > /dev/ttyS0
i=0
while [ $i -lt 50 ]; do
    DEV=$(findfs LABEL=cidata 2>/dev/null) && break
    i=$((i + 1)); sleep 0.1
done
if [ -n "${DEV:-}" ] && mount -t vfat -o ro "$DEV" /mnt; then
    HOST=$(sed -n 's/^local-hostname: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' /mnt/meta-data)
    IID=$(sed -n 's/^instance-id: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' /mnt/meta-data)
    echo "VPSBOX-TEST: hostname=$HOST instance-id=$IID" > /dev/ttyS0
    # The static addresses of the seed's network-config, one line.
    ADDRS=$(sed -n 's/^ *- "\([0-9a-f:.]*\/[0-9]*\)" *$/\1/p' /mnt/network-config | tr '\n' ' ')
    echo "VPSBOX-TEST: addresses=$ADDRS" > /dev/ttyS0
else
    echo "VPSBOX-TEST: no cidata seed" > /dev/ttyS0
fi
printf '#!/bin/sh\necho "VPSBOX-TEST: power button" > /dev/ttyS0\npoweroff -f\n' > /etc/acpi/PWRF/00000080
chmod +x /etc/acpi/PWRF/00000080
mkdir -p /var/log /var/run
acpid -c /etc/acpi -l /dev/ttyS0
# acpid forks: wait until it holds the power button's input device, so that an ACPI request
# sent right after "ready" is not lost (under load it was, now and then).
i=0
while [ $i -lt 100 ] && ! ls -l /proc/[0-9]*/fd 2>/dev/null | grep -q 'input/event'; do
    usleep 50000 2>/dev/null || sleep 1
    i=$((i+1))
done
# A shell on the serial port (make bench times the serial console with it: typed characters
# come back as its echo, and it prints a burst on request).
setsid sh -c 'exec sh -i < /dev/ttyS0 > /dev/ttyS0 2>&1' &
echo "VPSBOX-TEST: ready" > /dev/ttyS0
# Report extra disks (vdc onwards) as they are hot-plugged and unplugged: name, size in
# 512-byte sectors, serial.
SEEN=""
while true; do
    NOW=""
    for b in /sys/block/vd[c-z]; do
        [ -e "$b" ] || continue
        n=${b##*/}
        NOW="$NOW $n"
        case " $SEEN " in
            *" $n "*) ;;
            *) echo "VPSBOX-TEST: disk+ $n sectors=$(cat "$b/size") serial=$(cat "$b/serial" 2>/dev/null)" > /dev/ttyS0 ;;
        esac
    done
    for n in $SEEN; do
        case " $NOW " in
            *" $n "*) ;;
            *) echo "VPSBOX-TEST: disk- $n" > /dev/ttyS0 ;;
        esac
    done
    SEEN=$NOW
    sleep 0.5
done
INIT
chmod +x init/init
(cd init && find . | cpio -o -H newc --quiet | gzip -9) > initrd.img

# A 64 MiB disk: MBR with syslinux, one bootable FAT partition from 1 MiB.
truncate -s 63M part.img
mkfs.vfat -n TESTBOOT part.img >/dev/null
syslinux --install part.img
printf 'DEFAULT linux\nPROMPT 0\nTIMEOUT 0\nLABEL linux\n  KERNEL vmlinuz\n  INITRD initrd.img\n  APPEND console=ttyS0 panic=-1 loglevel=4\n' > syslinux.cfg
mcopy -i part.img "kernel/boot/vmlinuz-$KVER" ::vmlinuz
mcopy -i part.img initrd.img ::initrd.img
mcopy -i part.img syslinux.cfg ::syslinux.cfg
truncate -s 64M disk.raw
printf 'label: dos\nstart=2048, type=c, bootable\n' | sfdisk -q disk.raw
dd if=/usr/lib/syslinux/mbr/mbr.bin of=disk.raw bs=440 count=1 conv=notrunc status=none
dd if=part.img of=disk.raw bs=1M seek=1 conv=notrunc status=none
qemu-img convert -q -O qcow2 disk.raw "$IMG.tmp"

# The same kernel and initramfs on an ISO 9660 image booted by isolinux (El Torito), whose
# command line makes the init say so: the ISO a customer attaches and boots in the tests.
mkdir -p iso/isolinux
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 iso/isolinux/
cp "kernel/boot/vmlinuz-$KVER" iso/vmlinuz
cp initrd.img iso/initrd.img
printf 'DEFAULT linux\nPROMPT 0\nTIMEOUT 0\nLABEL linux\n  KERNEL /vmlinuz\n  INITRD /initrd.img\n  APPEND console=ttyS0 panic=-1 loglevel=4 vpsbox_iso\n' > iso/isolinux/isolinux.cfg
xorriso -as mkisofs -quiet -o "$OUT/tiny.iso.tmp" -V VPSBOX_TEST -b isolinux/isolinux.bin \
    -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table iso
mv "$OUT/tiny.iso.tmp" "$OUT/tiny.iso"
mv "$IMG.tmp" "$IMG"
echo "$STAMP" > "$OUT/tiny.stamp"
echo "$IMG ($(du -h "$IMG" | cut -f1), kernel $KVER)"

#!/bin/sh
# Install the Debian 12 packages a make target needs, skipping those already present.
#   scripts/deps.sh build|demo|test|bench
set -eu

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# nodejs + npm: build.rs bundles the console clients (noVNC, xterm.js) from assets/console.
build="pkg-config libvirt-dev gcc nodejs"
# iptables: the network filters and customer firewalls (libvirt nwfilter); the tests read its rules.
runtime="libvirt-daemon-system qemu-system-x86 qemu-utils iptables"
# To build the tiny test template and its ISO (scripts/build-test-template.sh).
template="dosfstools mtools syslinux syslinux-common fdisk cpio xz-utils xorriso isolinux"
# To build the real Debian template (scripts/build-debian-template.sh).
debian_template="mmdebstrap e2fsprogs"
# cloud-init as the seed tests' oracle (scripts/cloud-init-cli.sh unpacks the package itself;
# these are its Python dependencies, from its Depends).
# python3-venv: scripts/openapi-validator.sh installs openapi-spec-validator from PyPI into one.
# php-cli + php-curl: the WHMCS module's tests run it under PHP (tests/it/whmcs.rs).
whmcs="php-cli php-curl"
# oathtool: an authenticator nobody here wrote makes the TOTP codes of tests/it/two_factor.rs;
# librsvg2-bin + zbar-tools: the enrolment's QR code (SVG) is drawn and read back by a scanner.
two_factor="oathtool librsvg2-bin zbar-tools"
# prometheus: its promtool checks /metrics (tests/it/api/metrics.rs); the server is not run.
metrics="prometheus"
# libxml2-utils: xmllint, which libvirt's virt-xml-validate runs to check the golden domain,
# network and filter XML against libvirt's own schemas (src/hv/xml.rs).
libvirt_schemas="libxml2-utils"
# pebble: Let's Encrypt's test CA, which tests/it/acme.rs runs on loopback.
acme="pebble"
cloud_init="python3 python3-venv python3-configobj python3-jinja2 python3-jsonpatch python3-jsonschema python3-netifaces python3-oauthlib python3-requests python3-serial python3-yaml"
case "${1:-build}" in
    build) want="$build" ;;
    # qemu-img makes the demo's template images and its server's disks.
    demo)  want="$build qemu-utils" ;;
    test)  want="$build $runtime chromium chromium-driver dpkg-dev systemd iproute2 $template $debian_template $cloud_init $whmcs $two_factor $metrics $libvirt_schemas $acme" ;;
    bench) want="$build $runtime wrk $template" ;;
    *) echo "usage: $0 build|demo|test|bench" >&2; exit 2 ;;
esac

if ! command -v cargo >/dev/null 2>&1; then
    echo "cargo not found: install a Rust toolchain >= 1.89 first (https://rustup.rs):" >&2
    echo "  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh" >&2
    exit 1
fi

missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Debian's nodejs comes without npm (package npm); other builds of nodejs bring their own.
command -v npm >/dev/null 2>&1 || missing="$missing npm"

# A fresh machine's apt lists are stale (their versions may be gone from the mirror): refresh
# them once before reading candidate versions or installing.
updated=""
apt_update() {
    [ -n "$updated" ] && return 0
    $SUDO apt-get update -q
    updated=1
}

# qemu-system-x86 from Debian 12 pins qemu-utils to its own version; a newer qemu-utils
# (backports) must be replaced by the matching one in the same transaction.
if echo " $want " | grep -q " qemu-system-x86 "; then
    dpkg-query -W -f='${Version}' qemu-system-x86 2>/dev/null | grep -q . || apt_update
    sysver=$(apt-cache policy qemu-system-x86 2>/dev/null | awk '/Candidate:/ {print $2}')
    utilsver=$(dpkg-query -W -f='${Version}' qemu-utils 2>/dev/null || true)
    if [ -n "$sysver" ] && [ "$sysver" != "(none)" ] && [ "$utilsver" != "$sysver" ]; then
        missing=$(echo "$missing" | sed 's/ qemu-utils//')
        missing="$missing qemu-utils=$sysver"
        case "$missing" in *qemu-system-x86*) ;; *) dpkg-query -W qemu-system-x86 >/dev/null 2>&1 || missing="$missing qemu-system-x86" ;; esac
    fi
fi

if [ -n "$(echo "$missing" | tr -d ' ')" ]; then
    echo "installing:$missing"
    apt_update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --allow-downgrades --no-install-recommends $missing
fi

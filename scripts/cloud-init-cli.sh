#!/bin/sh
# cloud-init as a command-line oracle for the seed tests: Debian's own package, unpacked under
# DIR (default target/cloud-init) and run from there with Debian's python3. Nothing is
# installed into the system and none of its services is ever enabled or started on this host.
#   scripts/cloud-init-cli.sh [DIR]   → DIR/cloud-init (a wrapper taking cloud-init's arguments)
set -eu
dir=${1:-target/cloud-init}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
[ -x "$dir/cloud-init" ] && "$dir/cloud-init" --version >/dev/null 2>&1 && exit 0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root cloud-init >/dev/null)
rm -rf "$dir/root"
dpkg-deb -x "$tmp"/cloud-init_*.deb "$dir/root"
cat > "$dir/cloud-init" <<WRAP
#!/bin/sh
PYTHONPATH="$dir/root/usr/lib/python3/dist-packages" exec /usr/bin/python3 "$dir/root/usr/bin/cloud-init" "\$@"
WRAP
chmod 0755 "$dir/cloud-init"
"$dir/cloud-init" --version

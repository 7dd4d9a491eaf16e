#!/usr/bin/env bash
# fetch_assets.sh DIR - download Debian's i386 packages linux-image-686 (the
# kernel package it depends on) and busybox-static with apt-get download,
# and build DIR/vmlinuz and DIR/initrd.gz (a gzip newc cpio: busybox, the
# test's /init and compute.sh).  Needs `dpkg --add-architecture i386` and
# `apt-get update` beforehand (.ci/run does both).  Idempotent: packages
# already in DIR/debs are reused.
set -euo pipefail
dir=$1
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$dir/debs"
cd "$dir/debs"

fetch() { # fetch PACKAGE:ARCH -> extracted under x-PACKAGE
    local pkg=$1 name=${1%%:*} real
    real="$(apt-cache depends "$pkg" 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')"
    real="${real:-$name}"
    real="${real%%:*}"
    if ! ls "$real"_*.deb >/dev/null 2>&1; then
        apt-get download "$real:i386" >/dev/null 2>&1 || {
            echo "fetch_assets: apt-get download $real:i386 failed (run: dpkg --add-architecture i386 && apt-get update)" >&2
            exit 1
        }
    fi
    rm -rf "x-$name"
    dpkg -x "$real"_*.deb "x-$name"
}
fetch linux-image-686:i386
fetch busybox-static:i386

vmlinuz=$(ls x-linux-image-686/boot/vmlinuz-* | head -n 1)
cp "$vmlinuz" "$dir/vmlinuz"
basename "$vmlinuz" | sed 's/^vmlinuz-//' > "$dir/kernel-release"

root="$dir/initramfs"
rm -rf "$root"
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev"
cp x-busybox-static/bin/busybox "$root/bin/busybox"
cp "$here/init.sh" "$root/init"
cp "$here/compute.sh" "$root/compute.sh"
chmod 755 "$root/init" "$root/bin/busybox"
cp "$root/bin/busybox" "$dir/busybox"
# Fixed timestamps and ownership so the image is the same on every run.
find "$root" -exec touch -h -d @1700000000 {} +
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -n -9 > "$dir/initrd.gz"
echo "fetch_assets: $dir/vmlinuz ($(cat "$dir/kernel-release")), $dir/initrd.gz ($(stat -c %s "$dir/initrd.gz") bytes)"

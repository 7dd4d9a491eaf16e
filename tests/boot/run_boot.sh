#!/usr/bin/env bash
# run_boot.sh EXE ASSETS OUT [determinism]
#
# Boots Debian's i686 kernel with the test initramfs (see fetch_assets.sh)
#   EXE -kernel vmlinuz -initrd initrd.gz -append "console=ttyS0" -nographic
# and checks the serial output: the kernel banner; no oops, warning splat,
# BUG or panic; /proc/cpuinfo showing the emulated model and its flags; the
# known answers of compute.sh (from running the same busybox natively when
# the host can, else the answers recorded in expected.txt, which a native
# run also checks); a clean power-off with exit status 0.
# With "determinism", boots twice and also requires byte-identical serial
# output and the same instruction count.
set -uo pipefail
exe=$1 assets=$2 out=$3 mode=${4:-boot}
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }

boot() { # boot TAG -> $out/TAG.serial, $out/TAG.stderr, status in $out/TAG.status
    local tag=$1 t0 t1
    t0=$(date +%s.%N)
    "$exe" -kernel "$assets/vmlinuz" -initrd "$assets/initrd.gz" -append "console=ttyS0" \
        -nographic -debugcon none -no-reboot --stats --max-insns 40000000000 \
        >"$out/$tag.serial" 2>"$out/$tag.stderr" </dev/null
    echo $? >"$out/$tag.status"
    t1=$(date +%s.%N)
    echo "boot $tag: status $(cat "$out/$tag.status"), $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
    grep 'stats:' "$out/$tag.stderr" || true
}

check() { # check TAG
    local tag=$1
    local s="$out/$tag.serial" st
    st=$(cat "$out/$tag.status")
    [ "$st" = 0 ] || { tail -n 30 "$s"; cat "$out/$tag.stderr"; fail "$tag: exit status $st, expected 0 (clean power-off)"; }
    grep -q "\] Linux version $(cat "$assets/kernel-release") " "$s" || fail "$tag: no kernel banner for $(cat "$assets/kernel-release")"
    if grep -nE 'Oops|WARNING:|BUG:|Kernel panic|Call Trace|general protection fault|segfault|Unable to handle' "$s"; then
        fail "$tag: the kernel reported an error (lines above)"
    fi
    grep -q '^RZ-INIT-START' "$s" || fail "$tag: /init did not run"
    local info
    info=$(sed -n '/^RZ-CPUINFO-BEGIN/,/^RZ-CPUINFO-END/p' "$s" | tr -d '\r')
    echo "$info" | grep -qE '^vendor_id[[:space:]]*: GenuineIntel' || fail "$tag: cpuinfo vendor"
    echo "$info" | grep -qE '^cpu family[[:space:]]*: 6$' || fail "$tag: cpuinfo family"
    echo "$info" | grep -qE '^model[[:space:]]*: 5$' || fail "$tag: cpuinfo model"
    echo "$info" | grep -qE '^model name[[:space:]]*: Pentium II \(Deschutes\)' || fail "$tag: cpuinfo model name"
    echo "$info" | grep -qE '^stepping[[:space:]]*: 2$' || fail "$tag: cpuinfo stepping"
    local flags
    flags=$(echo "$info" | sed -n 's/^flags[[:space:]]*: //p')
    for f in fpu vme de pse tsc msr pae mce cx8 sep mtrr pge cmov mmx fxsr; do
        case " $flags " in *" $f "*) ;; *)
            [ "$f" = mce ] && continue  # not reported by this model
            fail "$tag: cpuinfo flags lack '$f': $flags" ;;
        esac
    done
    for f in sse sse2 apic pat pse36 clflush; do
        case " $flags " in *" $f "*) fail "$tag: cpuinfo flags claim '$f', which is not emulated: $flags" ;; esac
    done
    local want got
    while read -r want; do
        got=$(tr -d '\r' <"$s" | grep -m1 "^${want%% *} ")
        [ "$got" = "$want" ] || fail "$tag: expected '$want', guest printed '${got:-nothing}'"
    done <"$out/expected"
    grep -q '^RZ-INIT-DONE' "$s" || fail "$tag: /init did not finish"
    grep -q 'reboot: Power down' "$s" || fail "$tag: no 'reboot: Power down' from the kernel"
    echo "ok: $tag"
}

# The expected answers: a native run of the same static i386 busybox when
# the host can run it (x86), which must agree with the recorded ones.
sed -n 's/^\(RZ-[A-Z0-9]* .*\)$/\1/p' "$here/expected.txt" >"$out/expected"
native="$out/native"
mkdir -p "$native/bin"
if "$assets/busybox" true 2>/dev/null; then
    cp "$assets/busybox" "$native/bin/busybox"
    "$native/bin/busybox" --install -s "$native/bin"
    (cd "$native" && PATH="$native/bin" "$native/bin/sh" "$here/compute.sh") >"$out/native.txt" \
        || fail "the native run of compute.sh failed"
    diff -u "$out/expected" "$out/native.txt" || fail "expected.txt disagrees with the native busybox run"
    echo "native busybox agrees with expected.txt"
else
    echo "the host cannot run the i386 busybox: using the answers recorded in expected.txt"
fi

boot a
check a
if [ "$mode" = determinism ]; then
    boot b
    check b
    cmp "$out/a.serial" "$out/b.serial" || fail "serial output differs between two identical runs"
    ia=$(sed -n 's/.*stats: \([0-9]*\) instructions.*/\1/p' "$out/a.stderr")
    ib=$(sed -n 's/.*stats: \([0-9]*\) instructions.*/\1/p' "$out/b.stderr")
    [ -n "$ia" ] && [ "$ia" = "$ib" ] || fail "instruction counts differ: $ia vs $ib"
    echo "ok: two runs, byte-identical serial output ($(stat -c %s "$out/a.serial") bytes), $ia instructions each"
fi

#!/usr/bin/env bash
# bench.sh [ITERS] [paging|fpu] - time a CPU-bound guest loop under
# ringzero, Bochs and QEMU in one run, and print MIPS and ratios: the
# integer loop (scripts/bench/intloop.asm), the same with paging on
# ("paging"), or the x87 loop (scripts/bench/fpuloop.asm, "fpu").
#
# The instruction count comes from ringzero's --stats (the guest uses no
# REP string instructions, so every emulator retires the same count).
# Wall time includes each emulator's start-up, which is small next to the
# loop at the default size.  A benchmark, not a test: run it by hand.
#   needs: nasm, bochs (bochsbios, vgabios, bochs-sdl), qemu-system-x86
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
iters=${1:-20000}
defs=()
guest=intloop
case "${2:-}" in
    "") ;;
    paging) defs=(-DPAGING) ;;
    fpu) guest=fpuloop ;;
    *) echo "usage: bench.sh [ITERS] [paging|fpu]" >&2; exit 2 ;;
esac
marker=$(echo "$guest" | tr a-z A-Z)" DONE"
rz=${RINGZERO:-$top/build/ringzero}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

nasm -f bin -I"$here/bench/" -DITERS="$iters" "${defs[@]}" -o "$work/intloop.bin" "$here/bench/$guest.asm"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", a / b }'; }

t0=$(now)
"$rz" -bios "$work/intloop.bin" -display none --stats >"$work/rz.out" 2>"$work/rz.err" || true
t1=$(now)
rz_s=$(secs "$t0" "$t1")
insns=$(grep -ohE '[0-9]+ instructions' "$work/rz.err" | grep -oE '^[0-9]+' | head -n1)
grep -a "$marker" "$work/rz.out" || { echo "ringzero did not finish:"; cat "$work/rz.out" "$work/rz.err"; exit 1; }

cat >"$work/bochsrc" <<EOB
romimage: file=$work/intloop.bin
megs: 32
display_library: sdl2
port_e9_hack: enabled=1
cpu: count=1, ips=50000000, model=p2_klamath
clock: sync=none
log: $work/bochs.log
EOB
echo continue >"$work/bochs.rc"
t0=$(now)
SDL_VIDEODRIVER=dummy bochs -q -f "$work/bochsrc" -rc "$work/bochs.rc" >"$work/bochs.out" 2>&1 || true
t1=$(now)
bochs_s=$(secs "$t0" "$t1")
grep -a "$marker" "$work/bochs.out" || echo "bochs: no result line"

t0=$(now)
qemu-system-i386 -bios "$work/intloop.bin" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -display none -monitor none -debugcon "file:$work/qemu.out" || true
t1=$(now)
qemu_s=$(secs "$t0" "$t1")
grep -a "$marker" "$work/qemu.out" || echo "qemu: no result line"

printf 'ringzero --stats: %s\n' "$(cat "$work/rz.err")"
printf 'instructions: %s\n' "$insns"
for e in rz bochs qemu; do
    s_var=${e}_s
    printf '%-8s %8.3f s  %8.1f MIPS\n' "$e" "${!s_var}" "$(div "$insns" "$(div "${!s_var}" 0.000001)")"
done
printf 'ringzero speed / Bochs: %.2fx   ringzero speed / QEMU: %.3fx\n' \
    "$(div "$bochs_s" "$rz_s")" "$(div "$qemu_s" "$rz_s")"

#!/bin/sh
# run-guest.sh EMULATOR IMAGE: run a guest test ROM headless; it passes when
# the guest wrote 0 to the exit port (process status 1).  The budget only
# catches runaway guests: every test finishes in well under a million
# instructions.
emu=$1
img=$2
"$emu" -bios "$img" -display none --max-insns 200000000
status=$?
if [ "$status" -ne 1 ]; then
    echo "guest test $(basename "$img"): exit status $status (expected 1)" >&2
    exit 1
fi
exit 0

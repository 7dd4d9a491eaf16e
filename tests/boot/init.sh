#!/bin/busybox sh
# /init of the boot test's initramfs (tests/boot): a static busybox, this
# script, nothing else.  It prints what the test checks between RZ- markers,
# then powers the machine off.  The computations are also run natively by
# run_boot.sh with the same busybox binary, which gives the expected answers.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
echo "RZ-INIT-START"
echo "RZ-CPUINFO-BEGIN"
cat /proc/cpuinfo
echo "RZ-CPUINFO-END"
. /compute.sh
echo "RZ-INIT-DONE"
poweroff -f

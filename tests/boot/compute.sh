# The boot test's known-answer computations (sourced by /init in the guest
# and run natively by run_boot.sh).  Integer arithmetic, string handling,
# pipes and a checksum: each line's answer must match the native run.
awk 'BEGIN { s = 0; for (i = 1; i <= 30000; i++) s = (s * 31 + i * i) % 1000003; print "RZ-AWK " s }'
seq 1 4000 | awk '{ printf "%d:%x:%o\n", $1 * 7919, $1 * 104729, $1 }' > rz-data
echo "RZ-MD5 $(md5sum < rz-data | cut -d' ' -f1)"
echo "RZ-SHA1 $(sort -r rz-data | sha1sum | cut -d' ' -f1)"
echo "RZ-SHELL $(i=0; n=0; while [ $i -lt 500 ]; do n=$(( (n * 17 + i) % 65521 )); i=$((i + 1)); done; echo $n)"
rm -f rz-data

#!/usr/bin/env python3
"""Print the source line of check number N (as a guest test reports it)."""
import re
import sys

path, want = sys.argv[1], int(sys.argv[2], 0)
n = 0
for lineno, line in enumerate(open(path), 1):
    if re.match(r'^\S*:?\s+CHECK(F|32|F32)?\s', line):
        n += 1
        if n == want:
            print(f"{path}:{lineno}: {line.strip()}")
            break

#!/usr/bin/env python3
"""Print the source line of check number N, as a guest test reports it.

usage: checkno.py FILE.asm N [-DNAME ...]

Checks are numbered in assembly order by the CHECK* macros of rz_test.inc.
A test's own macros may contain checks: each use of such a macro counts
as many checks as its body holds (the line printed is the macro's use).
%ifdef/%ifndef/%else/%endif are followed with the -D names given, so a
test assembled with -DBOCHS maps its numbers with the same flag.
"""
import os
import re
import sys

CHECK = re.compile(r'^(?:\S+:)?\s*(CHECK(?:F|32|F32)?)\s', re.I)
MACRO = re.compile(r'^\s*%macro\s+(\w+)', re.I)
ENDMACRO = re.compile(r'^\s*%endmacro', re.I)
COND = re.compile(r'^\s*%(ifdef|ifndef|if\w*|elif\w*|else|endif)\b\s*(\w*)', re.I)
INCLUDE = re.compile(r'^\s*%include\s+"([^"]+)"', re.I)


def lines_of(path, defines):
    """Yield (path, lineno, text) of the lines assembled, includes expanded."""
    # (active, any_branch_taken); other %if forms are not evaluated: both
    # branches count (rz_test.inc uses them only inside macros)
    stack = []
    for lineno, line in enumerate(open(path), 1):
        m = COND.match(line)
        if m:
            kind, name = m.group(1).lower(), m.group(2)
            outer = all(a for a, _ in stack)
            if kind in ('ifdef', 'ifndef'):
                on = (name in defines) == (kind == 'ifdef')
                stack.append((outer and on, on))
            elif kind.startswith('if'):
                stack.append((outer, None))
            elif kind == 'endif':
                stack.pop()
            else:  # %else, %elif
                _, taken = stack.pop()
                outer = all(a for a, _ in stack)
                stack.append((outer and (taken is None or not taken), taken is not None or None))
            continue
        if not all(a for a, _ in stack):
            continue
        m = INCLUDE.match(line)
        if m:
            inc = os.path.join(os.path.dirname(path), m.group(1))
            yield from lines_of(inc, defines)
            continue
        yield path, lineno, line


def main():
    path, want = sys.argv[1], int(sys.argv[2], 0)
    defines = {a[2:].split('=')[0] for a in sys.argv[3:] if a.startswith('-D')}
    weight = {}   # macro name -> checks in its body
    body = None
    n = 0
    for where, lineno, line in lines_of(path, defines):
        if body is not None:
            if ENDMACRO.match(line):
                weight[body[0]] = body[1]
                body = None
                continue
            count = 1 if CHECK.match(line) else 0
            first = line.split()
            if not count and first:
                count = weight.get(first[0].rstrip(':'), 0)
            body[1] += count
            continue
        m = MACRO.match(line)
        if m:
            body = [m.group(1), 0]
            continue
        words = line.split(';')[0].split()
        if not words:
            continue
        bump = re.match(r'\s*%assign\s+RZ_CHECK\s+RZ_CHECK\s*\+\s*(\d+)', line)
        if bump:  # a check left out of this build keeps the numbering
            n += int(bump.group(1))
            continue
        if CHECK.match(line):
            count, name = 1, None
        else:
            # a label may precede the macro name
            name = words[1] if words[0].endswith(':') and len(words) > 1 else words[0]
            count = weight.get(name, 0)
        if count and n < want <= n + count:
            note = f" (check {want - n} of {count} in macro {name})" if name else ""
            print(f"{where}:{lineno}: {line.strip()}{note}")
            return 0
        n += count
    print(f"check {want} not found ({n} checks counted)", file=sys.stderr)
    return 1


if __name__ == '__main__':
    sys.exit(main())

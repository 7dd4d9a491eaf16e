#!/usr/bin/env python3
"""pty_serial.py EXE GUEST - run ringzero with COM1 on a terminal.

The guest (serial_echo.asm) sends every byte back plus one.  On a
terminal, "-serial stdio" must be raw: keys reach the guest one by one
without a newline, the host does not echo them, Ctrl-C goes to the guest
instead of killing ringzero, and Ctrl-A x quits with status 0 and one
line on stderr; the terminal's settings come back afterwards.
"""
import os
import pty
import select
import subprocess
import sys
import termios
import time


def read_until(fd, want, timeout=20.0):
    got = b""
    end = time.monotonic() + timeout
    while want not in got:
        left = end - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            break
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        got += chunk
    return got


def main():
    exe, guest = sys.argv[1], sys.argv[2]
    master, slave = pty.openpty()
    before = termios.tcgetattr(slave)
    proc = subprocess.Popen([exe, "-flat", guest + "@0x100000", "-entry32", "0x100000",
                             "-nographic", "-debugcon", "none"],
                            stdin=slave, stdout=slave, stderr=subprocess.PIPE, close_fds=True)
    ok = True
    time.sleep(0.5)
    os.write(master, b"abc")            # no newline: canonical mode would hold it
    got = read_until(master, b"bcd")
    if b"bcd" not in got or b"abc" in got:
        print("FAIL: keys not delivered raw and unechoed: %r" % got)
        ok = False
    os.write(master, b"\x03")          # Ctrl-C: to the guest, not a signal
    got = read_until(master, b"\x04", 10.0)
    if b"\x04" not in got:
        print("FAIL: Ctrl-C did not reach the guest: %r" % got)
        ok = False
    os.write(master, b"\x01\x01")      # Ctrl-A Ctrl-A: one Ctrl-A to the guest
    got = read_until(master, b"\x02", 10.0)
    if b"\x02" not in got:
        print("FAIL: Ctrl-A Ctrl-A did not send one Ctrl-A: %r" % got)
        ok = False
    os.write(master, b"\x01x")         # Ctrl-A x: quit
    try:
        _, stderr = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        print("FAIL: Ctrl-A x did not end the run")
        return 1
    if proc.returncode != 0:
        print("FAIL: exit status %d after Ctrl-A x, expected 0" % proc.returncode)
        ok = False
    lines = stderr.decode(errors="replace").strip().splitlines()
    if len(lines) != 1 or "quit from the terminal (Ctrl-A x)" not in lines[0]:
        print("FAIL: stderr %r" % lines)
        ok = False
    if termios.tcgetattr(slave) != before:
        print("FAIL: the terminal settings were not restored")
        ok = False
    print("ok" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

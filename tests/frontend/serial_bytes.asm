; serial_bytes.asm - the bytes serial_out sends in the file tests: all 256
; byte values (NUL, CR, LF, 8-bit bytes must pass untranslated), then a
; text tail.  The assembled file is also the expected file content.
%assign b 0
%rep 256
        db      b
%assign b b + 1
%endrep
        db      "end of payload", 13, 10

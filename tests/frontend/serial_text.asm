; serial_text.asm - the bytes serial_out sends in the stdio tests (text,
; so that stdout can be matched as a string).
        db      "hello from COM", 10
        db      "second line", 10

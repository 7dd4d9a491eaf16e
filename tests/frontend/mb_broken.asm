; mb_broken.asm - Multiboot images that `ringzero -kernel` must refuse
; with one error line:
;   -DBAD_ELF  a valid Multiboot 1 header (no a.out kludge, so the image
;              must be ELF) inside an ELF32 header whose program header
;              table (4 entries at 40h) runs past the end of the 96-byte
;              file;
;   -DBAD_SUM  a Multiboot 1 magic whose checksum does not add up: no
;              valid header, so the image is neither Multiboot nor Linux;
;   -DZEROS    4 KiB of zeros.
%define MB_MAGIC 0x1BADB002
%define MB_FLAGS 0x00000003

%ifdef BAD_ELF
        db      0x7F, "ELF", 1, 1, 1, 0
        times 8 db 0
        dw      2                       ; ET_EXEC
        dw      3                       ; EM_386
        dd      1
        dd      0x100000                ; e_entry
        dd      0x40                    ; e_phoff
        dd      0, 0                    ; e_shoff, e_flags
        dw      52, 32, 4, 40, 0, 0     ; e_phnum = 4: 128 bytes from 40h
        dd      MB_MAGIC                ; at 34h
        dd      MB_FLAGS
        dd      -(MB_MAGIC + MB_FLAGS)
        dd      1, 0, 0x100000, 0x100000, 0x60, 0x60, 5, 0x1000 ; one phdr at 40h
%elifdef BAD_SUM
        dd      MB_MAGIC
        dd      MB_FLAGS
        dd      -(MB_MAGIC + MB_FLAGS) + 1
        times   512 - ($ - $$) db 0x90
%elifdef ZEROS
        times   4096 db 0
%else
%error "choose -DBAD_ELF, -DBAD_SUM or -DZEROS"
%endif

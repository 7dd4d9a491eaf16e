# Turn a binary file into a C array (no xxd needed).
#   cmake -DIN=<file> -DOUT=<file.c> -DNAME=<symbol> [-DHEADER=<include>] -P bin2c.cmake
# Defines `const unsigned char NAME[]` and `const size_t NAME_size`.
if(NOT DEFINED IN OR NOT DEFINED OUT OR NOT DEFINED NAME)
  message(FATAL_ERROR "bin2c.cmake: IN, OUT and NAME are required")
endif()
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR size "${hexlen} / 2")
if(size EQUAL 0)
  message(FATAL_ERROR "bin2c.cmake: ${IN} is empty")
endif()
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
# 16 bytes a line (CMake regular expressions have no {n} repetition).
set(byte "0x[0-9a-f][0-9a-f],")
set(line "${byte}${byte}${byte}${byte}")
set(line "${line}${line}${line}${line}")
string(REGEX REPLACE "(${line})" "\\1\n    " body "${body}")
string(REGEX REPLACE "\n    $" "" body "${body}")
get_filename_component(inname "${IN}" NAME)
set(inc "#include <stddef.h>\n")
if(DEFINED HEADER)
  set(inc "${inc}\n#include \"${HEADER}\"\n")
endif()
file(WRITE "${OUT}.tmp"
  "/* Generated from ${inname} by scripts/bin2c.cmake: do not edit. */\n"
  "${inc}\n"
  "const unsigned char ${NAME}[${size}] = {\n    ${body}\n};\n"
  "const size_t ${NAME}_size = ${size};\n")
file(RENAME "${OUT}.tmp" "${OUT}")

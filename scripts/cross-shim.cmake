# Included by the top-level CMakeLists.txt in cross builds whose toolchain
# file sets RZ_CROSS_LIBDIR (scripts/s390x-toolchain.cmake).
#
# Debian's multiarch runtime packages for the target (libcmocka-dev:s390x
# aside) ship only lib*.so.N and no pkg-config files for the target, so a
# plain pkg_check_modules() or find_package(ZLIB) either fails or finds the
# host's libraries.  Build a small shim in the build tree instead:
# lib<name>.so symlinks to the target's .so.N files and .pc files that
# point at them, and make pkg-config and find_library look only there.
# The headers are the architecture-independent ones in /usr/include.
set(rz_shim ${CMAKE_BINARY_DIR}/cross-shim)
file(MAKE_DIRECTORY ${rz_shim}/lib/pkgconfig)

# name  soname-file  pkg-config module  version  extra cflags
set(rz_shim_libs
  "cmocka|libcmocka.so.0|cmocka|1.1.5|"
  "z|libz.so.1|zlib|1.2.13|"
  "elf|libelf.so.1|libelf|0.188|"
  "cjson|libcjson.so.1|libcjson|1.7.15|-I/usr/include/cjson")
foreach(entry ${rz_shim_libs})
  string(REPLACE "|" ";" f "${entry}")
  list(GET f 0 name)
  list(GET f 1 so)
  list(GET f 2 module)
  list(GET f 3 version)
  list(LENGTH f n)
  set(cflags "")
  if(n GREATER 4)
    list(GET f 4 cflags)
  endif()
  if(NOT EXISTS ${RZ_CROSS_LIBDIR}/${so})
    message(STATUS "cross shim: ${RZ_CROSS_LIBDIR}/${so} not installed, ${module} unavailable")
    continue()
  endif()
  file(CREATE_LINK ${RZ_CROSS_LIBDIR}/${so} ${rz_shim}/lib/lib${name}.so SYMBOLIC)
  file(WRITE ${rz_shim}/lib/pkgconfig/${module}.pc
    "Name: ${module}\nDescription: ${module} for ${CMAKE_SYSTEM_PROCESSOR} (cross shim)\n"
    "Version: ${version}\nLibs: -L${rz_shim}/lib -l${name}\nCflags: -I/usr/include ${cflags}\n")
endforeach()

set(ENV{PKG_CONFIG_LIBDIR} ${rz_shim}/lib/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
set(ZLIB_ROOT ${rz_shim})
set(ZLIB_INCLUDE_DIR /usr/include CACHE PATH "zlib headers (architecture independent)")
set(ZLIB_LIBRARY ${rz_shim}/lib/libz.so CACHE FILEPATH "target zlib (cross shim)")
list(PREPEND CMAKE_LIBRARY_PATH ${rz_shim}/lib)

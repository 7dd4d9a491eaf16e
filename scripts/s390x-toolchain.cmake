# Cross build for big-endian s390x with clang (Debian 12); the tests run
# under qemu-user.
#
#   cmake -S . -B build-s390x -DCMAKE_TOOLCHAIN_FILE=scripts/s390x-toolchain.cmake
#
# gcc-s390x-linux-gnu conflicts with gcc-multilib on Debian, so the
# compiler is clang --target=s390x-linux-gnu, which uses the linker and
# archiver of binutils-s390x-linux-gnu and the crt files and libgcc of
# libc6-dev-s390x-cross and libgcc-12-dev-s390x-cross.  Target libraries
# (cmocka, zlib, libelf, cJSON) come from the multiarch :s390x packages in
# RZ_CROSS_LIBDIR; scripts/cross-shim.cmake makes pkg-config and
# find_package see them.  Headers are the native, architecture-independent
# ones.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR s390x)
set(CMAKE_C_COMPILER clang)
set(CMAKE_C_COMPILER_TARGET s390x-linux-gnu)
set(CMAKE_AR s390x-linux-gnu-ar CACHE FILEPATH "archiver for the target")
set(CMAKE_RANLIB s390x-linux-gnu-ranlib CACHE FILEPATH "ranlib for the target")
# qemu-user finds the target's dynamic loader and libraries under / (the
# multiarch paths of libc6:s390x and the :s390x library packages).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-s390x;-L;/)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,-rpath-link,/usr/lib/s390x-linux-gnu")

# Where the target's multiarch libraries are (scripts/cross-shim.cmake).
set(RZ_CROSS_LIBDIR /usr/lib/s390x-linux-gnu)

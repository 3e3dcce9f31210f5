#!/bin/sh
# Builds build/boot.bin (the sector KVM Lab boots) and build/boot.elf (the same code with symbols for the debugger).
set -eu
cd "$(dirname "$0")"
mkdir -p build
# Kernels are one read-write-execute segment on purpose; newer binutils warn about it unless told not to.
LDQUIET=$(ld --help | grep -q -- --no-warn-rwx-segments && echo --no-warn-rwx-segments || true)
gcc -m32 -g -c boot.S -o build/boot.o
# shellcheck disable=SC2086
ld $LDQUIET -m elf_i386 -T boot.ld -nostdlib --build-id=none -o build/boot.elf build/boot.o
objcopy -O binary build/boot.elf build/boot.bin
echo "built build/boot.bin ($(wc -c < build/boot.bin) bytes)"

#!/bin/sh
# Builds build/kernel.elf: a 32-bit Multiboot kernel with DWARF for source-level debugging.
set -eu
cd "$(dirname "$0")"
mkdir -p build
# Kernels are one read-write-execute segment on purpose; newer binutils warn about it unless told not to.
LDQUIET=$(ld --help | grep -q -- --no-warn-rwx-segments && echo --no-warn-rwx-segments || true)
# Freestanding: no libc, no SSE (kernel code must not touch vector state it never set up), frame pointers kept.
CFLAGS="-m32 -std=gnu11 -O0 -g -ffreestanding -nostdlib -fno-pic -fno-pie -fno-stack-protector -fcf-protection=none \
 -mgeneral-regs-only -fno-builtin -fno-asynchronous-unwind-tables -fno-omit-frame-pointer -Wall -Wextra"
gcc -m32 -g -c boot.S -o build/boot.o
# shellcheck disable=SC2086
gcc $CFLAGS -c kernel.c -o build/kernel.o
# shellcheck disable=SC2086
ld $LDQUIET -m elf_i386 -T linker.ld -nostdlib --build-id=none -z max-page-size=0x1000 -z noexecstack \
  -o build/kernel.elf build/boot.o build/kernel.o
echo "built build/kernel.elf"

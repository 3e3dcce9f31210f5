#!/bin/sh
# Builds build/kernel64.elf: an x86-64 kernel with DWARF for source-level debugging.
set -eu
cd "$(dirname "$0")"
mkdir -p build
# Kernels are one read-write-execute segment on purpose; newer binutils warn about it unless told not to.
LDQUIET=$(ld --help | grep -q -- --no-warn-rwx-segments && echo --no-warn-rwx-segments || true)
# Freestanding, no red zone (interrupts would overwrite it), no SSE, frame pointers kept.
CFLAGS="-m64 -mno-red-zone -std=gnu11 -O0 -g -ffreestanding -nostdlib -fno-pic -fno-pie \
 -fno-stack-protector -fcf-protection=none -mgeneral-regs-only -fno-builtin -fno-asynchronous-unwind-tables \
 -fno-omit-frame-pointer -Wall -Wextra"
gcc -m64 -g -c entry.S -o build/entry.o
# shellcheck disable=SC2086
gcc $CFLAGS -c kernel.c -o build/kernel.o
# shellcheck disable=SC2086
ld $LDQUIET -m elf_x86_64 -T linker.ld -nostdlib --build-id=none -z max-page-size=0x1000 -z noexecstack \
  -o build/kernel64.elf build/entry.o build/kernel.o
echo "built build/kernel64.elf"

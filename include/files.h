/*
 * files.h - writing user files safely (profiles, saved sessions).
 *
 * Data layer.  A file is written to a temporary name in its own directory,
 * flushed to disk, then put in place in one step, so a crash or a full disk
 * never leaves a half-written file or loses the old one.
 */
#ifndef VRAMCALC_FILES_H
#define VRAMCALC_FILES_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

/* The directory part of path ("." when there is none, "/" for the root)
 * into dir (size n). */
void files_dir_of(const char *path, char *dir, size_t n);

/* mkdir -p: create path and its parents (mode 0755).  Fails with a message
 * naming the directory when one cannot be made or path is not a directory. */
bool files_make_dirs(const char *path, char *err, size_t errlen);

/* Write len bytes of data to path atomically (mode 0644).  With replace an
 * existing file is replaced (rename); without, an existing file is left
 * alone and the call fails with errno EEXIST (link).  On failure the
 * temporary file is removed and err names the file and the cause. */
bool files_write_atomic(const char *path, const void *data, size_t len, bool replace, char *err,
                        size_t errlen);

/* This machine's physical memory in bytes (sysconf's page count times the
 * page size, MemTotal of /proc/meminfo on Linux); 0 when unknown. */
uint64_t files_host_memory_bytes(void);

#endif

/*
 * fuzz_common.h - helpers shared by the libFuzzer harnesses that need a
 * file on disk (the loaders take paths): a private directory on tmpfs
 * when there is one, and writing one input into it.
 */
#ifndef VRAMCALC_FUZZ_COMMON_H
#define VRAMCALC_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The harness's own directory, made once: /dev/shm/vramcalc-fuzz-PID (or
 * under /tmp). */
static const char *fuzz_dir(void)
{
	static char dir[128];
	if (!dir[0]) {
		struct stat st;
		const char *base = stat("/dev/shm", &st) == 0 ? "/dev/shm" : "/tmp";
		snprintf(dir, sizeof(dir), "%s/vramcalc-fuzz-%d", base, (int)getpid());
		mkdir(dir, 0700);
	}
	return dir;
}

/* Write size bytes to <fuzz_dir>/<name>; its path into path. */
static void fuzz_write(const char *name, const uint8_t *data, size_t size, char *path, size_t n)
{
	snprintf(path, n, "%s/%s", fuzz_dir(), name);
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
}

#endif

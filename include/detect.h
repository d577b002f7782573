/*
 * detect.h - what hardware this machine has: its GPUs and host memory.
 *
 * Data layer.  Three sources, each optional:
 *   - NVIDIA: `nvidia-smi --query-gpu=index,name,memory.total,memory.used
 *     --format=csv,noheader,nounits`, when nvidia-smi is on PATH.  It runs
 *     with stdin and stderr on /dev/null, its output bounded and a time
 *     limit, after which it (and its process group) is killed;
 *   - AMD: sysfs, /sys/class/drm/cardN/device/mem_info_vram_total and
 *     mem_info_vram_used, the name from product_name (else the PCI ids);
 *   - Apple: `sysctl -n hw.memsize machdep.cpu.brand_string
 *     iogpu.wired_limit_mb`, when sysctl is on PATH and answers (unified
 *     memory: the GPU may use a share of it);
 * and host memory from /proc/meminfo (MemTotal, MemAvailable).
 *
 * Each GPU is matched by name (and memory size) to a hardware profile for
 * its bandwidth and TFLOPS; an unmatched GPU is described with what was
 * read.  A source that is absent is silent; one that fails (a program
 * that exits non-zero, hangs, or prints what cannot be read; a sysfs file
 * that is not a number) leaves a note saying so.  Nothing here prints,
 * exits or touches curses.
 */
#ifndef VRAMCALC_DETECT_H
#define VRAMCALC_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hardware.h"
#include "profile.h"

/* Where a detected GPU was read from. */
enum detect_source { DETECT_NVIDIA, DETECT_AMD, DETECT_APPLE, DETECT_SOURCE_COUNT };

/* "nvidia-smi", "sysfs", "sysctl". */
const char *detect_source_name(enum detect_source src);

#define DETECT_MAX_GPUS   HW_MAX_DEVICES
#define DETECT_MAX_NOTES  8
#define DETECT_NOTE_LEN   256
#define DETECT_OUTPUT_MAX (64u << 10) /* bytes of a helper program's output kept */
#define DETECT_TIMEOUT_MS 5000u       /* default time limit of a helper program */

/* One GPU as this machine reports it. */
struct detected_gpu {
	enum detect_source source;
	int index;            /* nvidia-smi's index, the DRM card number; 0 for Apple */
	char name[96];        /* as reported ("NVIDIA GeForce RTX 4090") */
	uint64_t total_bytes; /* device memory as reported; 0: not reported */
	uint64_t used_bytes;  /* memory already in use (when used_known) */
	bool used_known;
	uint64_t gpu_limit_bytes; /* Apple: iogpu.wired_limit_mb when set, else 0 */
	int profile;              /* index of the matched hardware profile, -1: unmatched */
	struct device dev;        /* for fitting: the profile with the memory as read, or a
	                           * device built from what was read (bandwidth and TFLOPS 0:
	                           * unknown) */
};

/* Host memory from /proc/meminfo (or hw.memsize on a Mac). */
struct detect_host {
	bool known;
	uint64_t total_bytes;
	bool available_known;
	uint64_t available_bytes; /* MemAvailable */
};

/* Everything detect_run() found.  Large (about 40 KiB): allocate it. */
struct detect_result {
	struct detected_gpu gpu[DETECT_MAX_GPUS]; /* NVIDIA, then AMD, then Apple */
	uint32_t n_gpu;
	struct detect_host host;
	int n_notes;
	char note[DETECT_MAX_NOTES][DETECT_NOTE_LEN]; /* why a source gave nothing or less */
};

/* Where detection looks.  detect_env_init() fills it from the process
 * environment: VRAMCALC_SYSROOT (a directory standing for / when reading
 * /sys and /proc; tests point it at a fixture), PATH, and
 * VRAMCALC_DETECT_TIMEOUT_MS.  The strings are borrowed. */
struct detect_env {
	const char *sysroot;     /* "" for the real /sys and /proc */
	const char *path;        /* directories searched for nvidia-smi and sysctl */
	unsigned timeout_ms;     /* per helper program, > 0 */
	bool nvidia, amd, apple; /* sources to try (all by default) */
};

void detect_env_init(struct detect_env *env);

/* Detect GPUs and host memory, matching each GPU against profiles (may be
 * NULL: everything unmatched).  Always succeeds; out->n_gpu is 0 when
 * nothing was found, and out->note says why a source failed. */
void detect_run(const struct detect_env *env, const struct device_list *profiles,
                struct detect_result *out);

/* Host memory alone: /proc/meminfo under env's root, else the system's
 * page count (sysconf).  out->known false when neither answers. */
void detect_host_memory(const struct detect_env *env, struct detect_host *out);

/* Parse nvidia-smi's CSV (index, name, memory.total MiB, memory.used MiB
 * per line; "[N/A]" for a value not reported) into out, appending from
 * out->n_gpu.  Lines that cannot be read are skipped with a note naming
 * the line.  Returns the GPUs added. */
uint32_t detect_parse_nvidia_smi(const char *text, struct detect_result *out);

/*
 * The hardware profile a reported name stands for, or -1.  Names are
 * compared as lower-case words without vendor and brand words (NVIDIA,
 * GeForce, AMD, Radeon, Tesla, ...): the reported name's model number
 * ("4090", "h100", "mi300x") must be a word of the profile's name, variant
 * words (Ti, SUPER, XTX, Max, Pro, NVL, ...) must agree both ways, and the
 * memory must be within 10 % of the profile's (when total_bytes is not 0
 * and the device is not unified memory).  Among the candidates the one
 * sharing the most words wins, ties to the first in the list.
 */
int detect_match_profile(const char *name, uint64_t total_bytes, bool unified,
                         const struct device_list *profiles);

/* The device fitting should use for g: g->dev, with the memory already in
 * use subtracted when subtract_used (--free) and known. */
void detect_device(const struct detected_gpu *g, bool subtract_used, struct device *out);

/* The device set `-g auto` stands for: every detected GPU whose memory
 * size is known, in detection order, through detect_device() (so --free
 * applies).  Writes up to max devices and returns the count. */
uint32_t detect_device_set(const struct detect_result *r, bool subtract_used, struct device *out,
                           uint32_t max);

/* Append the `-g auto` set to devs (the detected devices become entries of
 * the device list, after the profiles) as groups of identical neighbours
 * in detection order: group g is group_count[g] devices of entry
 * group_dev[g].  Returns the number of groups (0: no GPU with a known
 * memory size); -1 when they would be more than max_groups, or on
 * allocation failure (err says which). */
int detect_append_groups(const struct detect_result *r, bool subtract_used,
                         struct device_list *devs, size_t *group_dev, uint32_t *group_count,
                         int max_groups, char *err, size_t errlen);

/* `-g auto`: detect (env), match against devs, append the detected
 * devices to devs and return their groups as detect_append_groups() does.
 * Returns 0 with the reason in err when no GPU was found ("no GPU
 * detected: nvidia-smi: exited with status 9: ..."), -1 with err on any
 * other failure. */
int detect_auto_groups(const struct detect_env *env, struct device_list *devs, bool subtract_used,
                       size_t *group_dev, uint32_t *group_count, int max_groups, char *err,
                       size_t errlen);

/* True when two devices are the same for fitting (id, memory, share). */
bool detect_same_device(const struct device *a, const struct device *b);

/* True when every device of the set is the same: a plain N x device split
 * rather than a mixed set. */
bool detect_set_identical(const struct device *set, uint32_t n);

/* Append a note (printf-style; dropped past DETECT_MAX_NOTES). */
void detect_note(struct detect_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif

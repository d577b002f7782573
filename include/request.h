/*
 * request.h - from options to a request: the one resolver both front ends
 * use.
 *
 * State layer.  request_resolve() loads the model source the options name
 * (profile id, .ini, GGUF, config.json, safetensors), keeps a file's stored
 * types unless -q names one, looks up every device of -g (a mixed set
 * too), applies --gpu-share to the devices it names, and fills host memory
 * (--host-ram, else this machine's), the margin and the speed model's
 * assumptions.  The CLI evaluates the result as it is; the TUI starts its
 * session from it.
 */
#ifndef VRAMCALC_REQUEST_H
#define VRAMCALC_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "evaluate.h"
#include "fields.h"
#include "profile.h"
#include "source.h"

/* A resolved request and what it owns. */
struct resolved {
	struct source src;        /* the model as loaded (owned: resolved_release) */
	struct settings settings; /* the options' settings, stored types resolved */
	/* --mmproj: the projector as read (settings.mmproj_bytes its bytes) */
	bool has_mmproj;
	struct mmproj_info mmproj;
	/* The device set as -g names it: groups of one type, in split order,
	 * as indices into the device list.  n_groups 0: no device given. */
	int n_groups;
	size_t group_dev[CLI_MAX_GPU_GROUPS];
	uint32_t group_count[CLI_MAX_GPU_GROUPS];
	struct request req; /* model points into src; set into the device list */
};

/* Resolve o against the profiles in dirs and the device list devs (whose
 * named devices get --gpu-share).  On failure writes the cause into err
 * ("--gpu: unknown device 'x' (see vramcalc --list hardware)") and leaves
 * nothing to release.  A safetensors checkpoint without a config.json
 * resolves with src.has_arch false and req.model NULL. */
bool request_resolve(const struct profile_dirs *dirs, const struct cli_options *o,
                     struct device_list *devs, struct resolved *r,
                     struct profile_warnings *warnings, char *err, size_t errlen);
void resolved_release(struct resolved *r);

/* The device groups -g names, as indices into devs: each id looked up,
 * or with -g auto the detected GPUs (appended to devs, so earlier pointers
 * into it go stale).  Returns the group count (0: no device given), or -1
 * with the cause in err. */
int request_device_groups(const struct cli_options *o, struct device_list *devs, size_t *group_dev,
                          uint32_t *group_count, char *err, size_t errlen);

/* Host memory to judge against: --host-ram when given, else this
 * machine's (MemTotal of /proc/meminfo under VRAMCALC_SYSROOT, else the
 * system's page count); 0 when unknown. */
uint64_t request_host_ram_bytes(const struct cli_options *o);

/* Expand device groups into a set in split order (first group first).
 * The counts must sum to at most HW_MAX_DEVICES. */
void request_fill_set(const struct device_list *devs, int n_groups, const size_t *group_dev,
                      const uint32_t *group_count, struct device_set *set);

#endif

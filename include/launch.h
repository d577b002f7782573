/*
 * launch.h - launch commands consistent with an estimate: llama-server and
 * vLLM command lines with the flags that give the settings vramcalc
 * estimated.
 *
 * State layer: pure string building, shared by the CLI (--emit) and the TUI.
 */
#ifndef VRAMCALC_LAUNCH_H
#define VRAMCALC_LAUNCH_H

#include <stddef.h>
#include <stdint.h>

#include "estimate.h"
#include "profile.h"

enum launch_target { LAUNCH_LLAMA_SERVER, LAUNCH_VLLM, LAUNCH_COUNT };

const char *launch_target_name(enum launch_target t);
bool launch_target_find(const char *name, enum launch_target *out);

/* What a command needs beyond the settings. */
struct launch_input {
	const struct model_meta *meta; /* hf_repo, id */
	const struct model *model;
	const struct settings *settings;
	const char *model_path;        /* a GGUF path, or NULL for a placeholder */
	uint32_t gpu_count;            /* devices to split over (>= 1) */
	double gpu_memory_utilization; /* vLLM budget share (0 = its default 0.9) */
	const double *tensor_split;    /* llama.cpp -ts per device, or NULL for even */
	const char *mmproj_path;       /* --mmproj FILE, or NULL */
};

/* Write the command for target into buf (size n), one line, with notes as
 * shell comments on the lines that follow when a setting has no exact flag.
 * Returns the length it needed (as snprintf). */
size_t launch_command(enum launch_target t, const struct launch_input *in, char *buf, size_t n);

#endif

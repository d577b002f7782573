/*
 * hardware.h - devices and whether an estimate fits on them.
 *
 * Engine layer.  struct device is filled by the data layer from
 * profiles/hardware.ini (profile.h); hw_fit() is pure arithmetic.
 */
#ifndef VRAMCALC_HARDWARE_H
#define VRAMCALC_HARDWARE_H

#include <stdbool.h>
#include <stdint.h>

#include "estimate.h"

enum hw_category { HW_CONSUMER, HW_WORKSTATION, HW_DATACENTER, HW_UNIFIED, HW_CAT_COUNT };

const char *hw_category_name(enum hw_category c);
bool hw_category_find(const char *name, enum hw_category *out);

/* One device type. */
struct device {
	char id[48];   /* profile section: "rtx-4090" */
	char name[80]; /* "NVIDIA GeForce RTX 4090" */
	char vendor[24];
	enum hw_category category;
	uint64_t memory_bytes; /* total device memory, bytes */
	double bandwidth_gbps; /* memory bandwidth, GB/s (10^9) */
	double bf16_tflops;    /* dense, 0 if unknown */
	bool fp8, fp4;         /* native tensor-core support */
	char interconnect[64];
	bool unified;     /* memory shared with the CPU */
	double gpu_share; /* unified: share the GPU may use (0..1]; else 1 */
};

/* Memory the device offers to one process's GPU buffers, bytes: total for
 * discrete cards, total x gpu_share for unified memory. */
uint64_t hw_usable_bytes(const struct device *d);

/* Result of fitting an estimate on `count` devices of one type. */
struct hw_fit {
	uint32_t count;         /* devices considered */
	bool fits;              /* GPU part fits on count devices */
	uint32_t needed;        /* fewest devices that fit (0: none up to the limit) */
	int64_t headroom_bytes; /* usable x count - need; negative: overflow */
	uint64_t need_bytes;    /* GPU bytes incl. per-device overhead and buffers */
};

#define HW_MAX_DEVICES 64

/* Fit the GPU part of an estimate onto `count` devices of type d.  Each
 * device beyond the first adds its own runtime overhead and compute buffer
 * (llama.cpp's layer split).  `needed` searches 1..HW_MAX_DEVICES. */
void hw_fit(const struct estimate *e, const struct device *d, uint32_t count, struct hw_fit *out);

#endif

/*
 * evaluate.h - one request in, one evaluated result out.
 *
 * State layer.  A request is what both front ends resolve the user's
 * options into (request.h builds it): the model, the settings, the device
 * set in split order (one type, several of one type, or a mixed set), the
 * host memory to judge against, the margin that separates "fits" from
 * "tight", and the speed model's assumptions.  evaluate() runs the engine
 * once for it: the estimate, each device's share of the split, the vLLM
 * budget, the host-memory check, the speed, and one verdict.  The TUI's
 * views, --print and --json only read the result.
 *
 * Totals: total_bytes is always gpu_bytes + host_bytes.  gpu_bytes is the
 * sum of every device's need (its layers, compute buffer and overhead), so
 * it includes the second copy of a tied embedding on the output device
 * (tied_copy_bytes) and the compute buffer and overhead of each device
 * beyond the first (extra_devices_bytes).
 */
#ifndef VRAMCALC_EVALUATE_H
#define VRAMCALC_EVALUATE_H

#include <stdbool.h>
#include <stdint.h>

#include "estimate.h"
#include "hardware.h"
#include "plan.h"

/* The headroom below which a fit is only "tight": a share of what each
 * device (or host memory) offers, or a fixed size. */
struct margin {
	bool is_bytes;  /* true: bytes, else share */
	double share;   /* 0..1 of each budget */
	uint64_t bytes; /* of each device and of host memory */
};

/* The margin in bytes for a budget of budget_bytes. */
uint64_t margin_bytes(const struct margin *m, uint64_t budget_bytes);

/* Devices to split over, in split order (layer split: the output layer
 * on the last).  Borrowed pointers into the caller's device list. */
struct device_set {
	uint32_t n; /* 0: no device given */
	const struct device *dev[HW_MAX_DEVICES];
};

/* True when the set holds more than one device type. */
bool device_set_mixed(const struct device_set *set);

/* Everything one evaluation reads. */
struct request {
	const struct model *model; /* borrowed, prepared */
	struct settings settings;
	struct device_set set;
	uint64_t host_ram_bytes; /* host memory to judge against; 0: unknown (not judged) */
	struct margin margin;
	struct speed_params speed; /* gpu_count is set by evaluate */
	bool want_speed;           /* estimate the speed (one device type) */
};

/* How a configuration fits, worst first. */
enum verdict {
	VERDICT_FITS,    /* every device and host memory keep the margin free */
	VERDICT_TIGHT,   /* it fits, but some headroom is under the margin */
	VERDICT_NO_FIT,  /* a device (or a unified pool) overflows */
	VERDICT_NO_HOST, /* the devices fit, host memory does not */
};

/* The words of a verdict, the same in the TUI, --print and --json:
 * "fits", "tight", "does not fit", "does not fit (host memory)". */
const char *verdict_words(enum verdict v);

/* How one budget (a device, host memory) fits. */
enum fit_level { FIT_OK, FIT_TIGHT, FIT_NO };

/* The evaluated result.  Every size is bytes. */
struct evaluation {
	bool valid;    /* the settings passed estimate_check */
	char err[256]; /* why not */
	struct estimate est;

	/* The device set, split as the engine does it. */
	uint32_t n_devs;
	const struct device *dev[HW_MAX_DEVICES];
	struct device_load loads[HW_MAX_DEVICES];
	uint64_t budget_bytes[HW_MAX_DEVICES]; /* usable memory x the engine's share (vLLM) */
	enum fit_level level[HW_MAX_DEVICES];
	bool mixed;             /* more than one device type */
	bool devices_fit;       /* every device (and a unified pool) fits */
	int64_t headroom_bytes; /* the tightest device's headroom (negative: short) */
	uint32_t needed; /* one device type: the fewest that fit (0: none up to HW_MAX_DEVICES) */
	bool unified;    /* the devices share memory with the host */
	uint64_t unified_pool_bytes; /* unified: the whole memory GPU and host parts share */

	/* Totals (see the top of this file). */
	uint64_t gpu_bytes;
	uint64_t host_bytes;
	uint64_t total_bytes;
	uint64_t tied_copy_bytes;
	int64_t extra_devices_bytes;

	/* Host memory. */
	uint64_t host_ram_bytes; /* judged against (0: unknown) */
	enum fit_level host_level;

	enum verdict verdict;
	char reason[200];           /* why the verdict is not "fits" ("" when it is) */
	uint64_t margin_host_bytes; /* the margin applied to host memory */

	bool has_speed; /* one device type: the speed estimate */
	struct speed speed;
};

/* What device d offers the engine of estimate e, bytes: its usable
 * memory for llama.cpp; for vLLM the --gpu-memory-utilization share of the
 * memory torch sees.  The one place the budget is computed. */
uint64_t evaluate_budget_bytes(const struct device *d, const struct estimate *e);

/* Evaluate r into ev: the estimate, the split over r->set (none when the
 * set is empty: gpu_bytes is then the estimate's one-device GPU part),
 * per-device and host levels, the verdict and its reason, the speed on a
 * set of one device type.  Settings that fail estimate_check give
 * ev->valid false and the reason in ev->err.  The estimate runs on the
 * caller's scratch x (estimate.h), for at least r->model's tensors; ev
 * keeps nothing that points into it.  Allocation-free. */
void evaluate(const struct request *r, struct estimate_scratch *x, struct evaluation *ev);

#endif

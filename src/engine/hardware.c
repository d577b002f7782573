/*
 * hardware.c - device categories and fitting an estimate on devices.
 */
#include "hardware.h"

#include <string.h>
#include <strings.h>

static const char *const category_names[HW_CAT_COUNT] = {
    [HW_CONSUMER] = "consumer",
    [HW_WORKSTATION] = "workstation",
    [HW_DATACENTER] = "datacenter",
    [HW_UNIFIED] = "unified",
};

const char *hw_category_name(enum hw_category c)
{
	return (c >= 0 && c < HW_CAT_COUNT) ? category_names[c] : "?";
}

bool hw_category_find(const char *name, enum hw_category *out)
{
	for (int i = 0; i < HW_CAT_COUNT; i++) {
		if (strcasecmp(category_names[i], name) == 0) {
			*out = (enum hw_category)i;
			return true;
		}
	}
	return false;
}

uint64_t hw_usable_bytes(const struct device *d)
{
	if (d->unified && d->gpu_share > 0.0 && d->gpu_share < 1.0)
		return (uint64_t)((double)d->memory_bytes * d->gpu_share);
	return d->memory_bytes;
}

/* GPU bytes needed on n devices: the shared part (weights and caches, split
 * by layers) plus each device's own compute buffer and runtime overhead. */
static uint64_t need_on(const struct estimate *e, uint32_t n)
{
	uint64_t split = e->weights_gpu_bytes + e->kv_gpu_bytes;
	uint64_t per_device = e->compute_bytes + e->overhead_bytes;
	return split + per_device * n;
}

void hw_fit(const struct estimate *e, const struct device *d, uint32_t count, struct hw_fit *out)
{
	uint64_t usable = hw_usable_bytes(d);
	memset(out, 0, sizeof(*out));
	if (count == 0)
		count = 1;
	out->count = count;
	out->need_bytes = need_on(e, count);
	out->headroom_bytes = (int64_t)(usable * count) - (int64_t)out->need_bytes;
	out->fits = out->headroom_bytes >= 0;
	/* A GPU-less estimate (CPU only) needs no device at all. */
	if (e->gpu_bytes == 0) {
		out->needed = 0;
		out->fits = true;
		return;
	}
	for (uint32_t n = 1; n <= HW_MAX_DEVICES; n++) {
		if (need_on(e, n) <= usable * n) {
			out->needed = n;
			break;
		}
	}
}

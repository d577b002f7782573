/*
 * evaluate.c - run the engine once for a request and judge the result.
 */
#include "evaluate.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

uint64_t margin_bytes(const struct margin *m, uint64_t budget_bytes)
{
	if (m->is_bytes)
		return m->bytes;
	return (uint64_t)((double)budget_bytes * m->share);
}

bool device_set_mixed(const struct device_set *set)
{
	for (uint32_t k = 1; k < set->n; k++)
		if (set->dev[k] != set->dev[0])
			return true;
	return false;
}

const char *verdict_words(enum verdict v)
{
	switch (v) {
	case VERDICT_FITS:
		return "fits";
	case VERDICT_TIGHT:
		return "tight";
	case VERDICT_NO_FIT:
		return "does not fit";
	case VERDICT_NO_HOST:
		return "does not fit (host memory)";
	}
	return "?";
}

static enum fit_level level_of(int64_t headroom, uint64_t margin)
{
	if (headroom < 0)
		return FIT_NO;
	return (uint64_t)headroom < margin ? FIT_TIGHT : FIT_OK;
}

/* What a device offers the engine: all of its usable memory to
 * llama.cpp; to vLLM its --gpu-memory-utilization share of what torch
 * sees. */
uint64_t evaluate_budget_bytes(const struct device *d, const struct estimate *e)
{
	if (e->vllm)
		return (uint64_t)((double)hw_torch_bytes(d) * e->budget_share);
	return hw_usable_bytes(d);
}

/* The verdict and its reason from the per-device and host levels. */
static void judge(const struct request *r, struct evaluation *ev)
{
	char a[32], b[32];
	int worst = -1;
	for (uint32_t k = 0; k < ev->n_devs; k++)
		if (worst < 0 || ev->loads[k].headroom_bytes < ev->loads[worst].headroom_bytes)
			worst = (int)k;
	bool dev_no = false, dev_tight = false;
	for (uint32_t k = 0; k < ev->n_devs; k++) {
		dev_no |= ev->level[k] == FIT_NO;
		dev_tight |= ev->level[k] == FIT_TIGHT;
	}
	int64_t pool_head = (int64_t)ev->unified_pool_bytes - (int64_t)ev->total_bytes;
	ev->reason[0] = '\0';
	const char *engine = ev->est.vllm ? " of its vLLM budget" : "";
	if (dev_no) {
		const struct device_load *L = &ev->loads[worst];
		ev->verdict = VERDICT_NO_FIT;
		snprintf(ev->reason, sizeof(ev->reason), "GPU %d (%s) needs %s, %s over%s", worst,
		         ev->dev[worst]->name, fmt_gib(a, sizeof(a), (double)L->total_bytes),
		         fmt_gib(b, sizeof(b), (double)-L->headroom_bytes), engine);
		return;
	}
	if (ev->unified && pool_head < 0) {
		ev->verdict = VERDICT_NO_FIT;
		snprintf(ev->reason, sizeof(ev->reason),
		         "GPU and host parts need %s of the %s unified memory",
		         fmt_gib(a, sizeof(a), (double)ev->total_bytes),
		         fmt_gib(b, sizeof(b), (double)ev->unified_pool_bytes));
		return;
	}
	if (ev->host_level == FIT_NO) {
		ev->verdict = VERDICT_NO_HOST;
		snprintf(ev->reason, sizeof(ev->reason), "host memory needs %s of %s",
		         fmt_gib(a, sizeof(a), (double)ev->host_bytes),
		         fmt_gib(b, sizeof(b), (double)ev->host_ram_bytes));
		return;
	}
	char m[32];
	if (r->margin.is_bytes)
		fmt_gib(m, sizeof(m), (double)r->margin.bytes);
	else
		snprintf(m, sizeof(m), "%g%%", 100.0 * r->margin.share);
	if (dev_tight) {
		ev->verdict = VERDICT_TIGHT;
		snprintf(ev->reason, sizeof(ev->reason),
		         "GPU %d (%s) has %s headroom%s, under the %s margin", worst,
		         ev->dev[worst]->name,
		         fmt_gib(a, sizeof(a), (double)ev->loads[worst].headroom_bytes), engine, m);
		return;
	}
	if (ev->unified && margin_bytes(&r->margin, ev->unified_pool_bytes) > (uint64_t)pool_head) {
		ev->verdict = VERDICT_TIGHT;
		snprintf(ev->reason, sizeof(ev->reason),
		         "unified memory has %s left, under the %s margin",
		         fmt_gib(a, sizeof(a), (double)pool_head), m);
		return;
	}
	if (ev->host_level == FIT_TIGHT) {
		ev->verdict = VERDICT_TIGHT;
		snprintf(ev->reason, sizeof(ev->reason),
		         "host memory has %s left of %s, under the %s margin",
		         fmt_gib(a, sizeof(a), (double)(ev->host_ram_bytes - ev->host_bytes)),
		         fmt_gib(b, sizeof(b), (double)ev->host_ram_bytes), m);
		return;
	}
	ev->verdict = VERDICT_FITS;
}

void evaluate(const struct request *r, struct estimate_scratch *x, struct evaluation *ev)
{
	assert(r && ev && r->model && r->set.n <= HW_MAX_DEVICES);
	memset(ev, 0, sizeof(*ev));
	/* The devices decide the backend (unless one was named), the
	 * generation and the device count the estimate sees. */
	struct settings st = r->settings;
	if (r->set.n)
		hw_settings_resolve(&st, r->set.dev[0], r->set.n);
	if (st.main_gpu >= (r->set.n ? r->set.n : 1)) {
		snprintf(ev->err, sizeof(ev->err), "--main-gpu %u: -g names %u device%s",
		         st.main_gpu, r->set.n, r->set.n == 1 ? "" : "s");
		return;
	}
	struct estimate *e = &ev->est;
	if (!estimate_check_run(r->model, x, &st, e, ev->err, sizeof(ev->err)))
		return;
	ev->valid = true;

	ev->n_devs = r->set.n;
	ev->mixed = device_set_mixed(&r->set);
	ev->unified = r->set.n > 0;
	for (uint32_t k = 0; k < r->set.n; k++) {
		ev->dev[k] = r->set.dev[k];
		ev->budget_bytes[k] = evaluate_budget_bytes(r->set.dev[k], e);
		ev->unified &= r->set.dev[k]->unified;
		ev->unified_pool_bytes += r->set.dev[k]->memory_bytes;
	}
	if (!ev->unified)
		ev->unified_pool_bytes = 0;
	if (r->set.n) {
		hw_split(e, r->set.dev, r->set.n, ev->loads);
		for (uint32_t k = 0; k < r->set.n; k++) {
			ev->gpu_bytes += ev->loads[k].total_bytes;
			ev->level[k] = level_of(ev->loads[k].headroom_bytes,
			                        margin_bytes(&r->margin, ev->budget_bytes[k]));
		}
	} else {
		ev->gpu_bytes = e->gpu_bytes;
	}
	ev->devices_fit = true;
	for (uint32_t k = 0; k < r->set.n; k++) {
		if (k == 0 || ev->loads[k].headroom_bytes < ev->headroom_bytes)
			ev->headroom_bytes = ev->loads[k].headroom_bytes;
		ev->devices_fit &= ev->level[k] != FIT_NO;
	}
	ev->host_bytes = e->host_bytes;
	ev->total_bytes = ev->gpu_bytes + ev->host_bytes;
	ev->tied_copy_bytes = e->weights_gpu_bytes + e->weights_host_bytes - e->weights_bytes;
	ev->extra_devices_bytes = r->set.n ? (int64_t)ev->gpu_bytes - (int64_t)e->gpu_bytes : 0;

	if (ev->unified && ev->total_bytes > ev->unified_pool_bytes)
		ev->devices_fit = false;

	/* Host memory: on unified memory the host part lives in the shared
	 * pool, judged with it; otherwise against the host RAM given. */
	ev->host_ram_bytes = ev->unified ? 0 : r->host_ram_bytes;
	ev->host_level = FIT_OK;
	if (ev->host_ram_bytes) {
		ev->margin_host_bytes = margin_bytes(&r->margin, ev->host_ram_bytes);
		ev->host_level = level_of((int64_t)ev->host_ram_bytes - (int64_t)ev->host_bytes,
		                          ev->margin_host_bytes);
	}

	if (r->set.n && !ev->mixed) {
		struct hw_fit f;
		hw_fit(e, r->set.dev[0], r->set.n, &f);
		ev->needed = f.needed;
	}
	if (r->set.n && !ev->mixed && r->want_speed) {
		struct speed_params sp = r->speed;
		sp.gpu_count = r->set.n;
		plan_speed(r->model, x, &st, e, r->set.dev[0], &sp, &ev->speed);
		ev->has_speed = true;
	} else if (r->set.n && !e->vllm && r->want_speed) {
		/* a mixed llama.cpp layer split: the devices one after the
		 * other, each on the share of the layers it holds */
		double share[HW_MAX_DEVICES], sum = 0;
		for (uint32_t k = 0; k < ev->n_devs; k++)
			sum += (double)ev->loads[k].layers_bytes;
		for (uint32_t k = 0; k < ev->n_devs; k++)
			share[k] =
			    sum > 0 ? (double)ev->loads[k].layers_bytes / sum : 1.0 / ev->n_devs;
		plan_speed_split(r->model, x, &st, e, ev->dev, share, ev->n_devs, &r->speed,
		                 &ev->speed);
		ev->has_speed = true;
	}
	judge(r, ev);
}

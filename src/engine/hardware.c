/*
 * hardware.c - device categories and fitting an estimate on devices.
 */
#include "hardware.h"

#include <assert.h>
#include <string.h>
#include <strings.h>

#include "satmath.h"

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

static const char *const mem_kind_names[MEM_KIND_COUNT] = {
    [MEM_GDDR] = "GDDR",
    [MEM_HBM] = "HBM",
    [MEM_LPDDR] = "LPDDR",
};

const char *hw_mem_kind_name(enum mem_kind k)
{
	return (k >= 0 && k < MEM_KIND_COUNT) ? mem_kind_names[k] : "?";
}

/* Does text contain word, ignoring case? */
static bool contains_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	for (; *text; text++)
		if (!strncasecmp(text, word, n))
			return true;
	return false;
}

bool hw_mem_kind_parse(const char *memory_type, enum mem_kind *out)
{
	/* LPDDR before DDR-like names; GDDR before plain DDR */
	static const struct {
		const char *word;
		enum mem_kind kind;
	} words[] = {{"HBM", MEM_HBM}, {"LPDDR", MEM_LPDDR}, {"GDDR", MEM_GDDR}};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (contains_word(memory_type, words[i].word)) {
			*out = words[i].kind;
			return true;
		}
	}
	return false;
}

/* usable - total as a signed count, clamped instead of wrapping. */
static int64_t headroom_of(uint64_t usable, uint64_t total)
{
	return usable >= total ? bytes_to_i64(usable - total) : -bytes_to_i64(total - usable);
}

uint64_t hw_usable_bytes(const struct device *d)
{
	if (d->unified && d->gpu_share > 0.0 && d->gpu_share < 1.0)
		return (uint64_t)((double)d->memory_bytes * d->gpu_share);
	return d->memory_bytes;
}

bool hw_new_generation(const struct device *d)
{
	return d->compute_capability >= 9.0;
}

void hw_settings_resolve(struct settings *s, const struct device *d, uint32_t count)
{
	s->backend = backend_pick(s->backend_auto, s->backend, d->vendor);
	s->new_gen = hw_new_generation(d);
	s->n_gpus = count ? count : 1;
}

uint64_t hw_torch_bytes(const struct device *d)
{
	if (d->torch_bytes)
		return d->torch_bytes;
	uint64_t u = hw_usable_bytes(d);
	return u > 2 * HW_DRIVER_RESERVED_BYTES ? u - HW_DRIVER_RESERVED_BYTES : u / 2;
}

bool hw_vllm_large_gpu(const struct device *d)
{
	return hw_torch_bytes(d) >= (70ull << 30) && !strstr(d->id, "a100");
}

/* vLLM: n GPUs as pp pipeline stages of tp tensor-parallel ranks; every
 * rank's numbers come from vllm_rank().  A count that is not a multiple
 * of the pipeline size cannot be deployed: nothing fits. */
static bool tp_split(const struct estimate *e, const struct device *const *devs, uint32_t n,
                     struct device_load *loads)
{
	uint32_t pp = e->vllm_terms.pp_size ? e->vllm_terms.pp_size : 1;
	bool all_fit = n % pp == 0;
	uint32_t tp = n / pp ? n / pp : 1;
	for (uint32_t k = 0; k < n; k++) {
		struct device_load *L = &loads[k];
		memset(L, 0, sizeof(*L));
		struct vllm_rank *r = &L->vllm;
		vllm_rank(e, hw_torch_bytes(devs[k]), hw_vllm_large_gpu(devs[k]), tp, pp,
		          k < tp * pp ? k : tp * pp - 1, r);
		L->first_slot = 0;
		L->n_slots = e->n_layer_slots;
		L->has_output = r->stage == pp - 1;
		L->kv_bytes = r->kv_request_bytes;
		L->layers_bytes = sat_add(r->weights_bytes, r->kv_request_bytes);
		L->compute_bytes = r->activation_bytes;
		L->overhead_bytes = r->nontorch_bytes + (r->graphs_in_budget ? r->graphs_bytes : 0);
		L->total_bytes =
		    sat_add(sat_add(L->layers_bytes, L->compute_bytes), L->overhead_bytes);
		L->headroom_bytes = r->kv_budget_bytes - (int64_t)r->kv_request_bytes;
		if (n % pp)
			L->headroom_bytes = -1;
		all_fit &= r->fits && L->headroom_bytes >= 0;
	}
	return all_fit;
}

/* The runtime overhead llama.cpp's backend for device d adds to each
 * device it uses (0 when the estimate has none: CPU only). */
static uint64_t device_overhead_bytes(const struct estimate *e, const struct device *d)
{
	if (!e->overhead_bytes)
		return 0;
	enum llama_backend b = backend_pick(e->backend_auto, e->backend, d->vendor);
	return backend_overhead_bytes(b, hw_new_generation(d));
}

bool hw_split(const struct estimate *e, const struct device *const *devs, uint32_t n,
              struct device_load *loads)
{
	if (e->vllm)
		return tp_split(e, devs, n, loads);
	assert(n >= 1 && n <= HW_MAX_DEVICES);
	uint32_t slots = e->n_layer_slots;
	uint32_t start = 0;
	while (start < slots && e->layer_gpu_bytes[start] == 0)
		start++;
	uint32_t act = slots > start ? slots - start : 0;

	double total_usable = 0, cum[HW_MAX_DEVICES];
	for (uint32_t k = 0; k < n; k++)
		total_usable += (double)hw_usable_bytes(devs[k]);
	double run = 0;
	for (uint32_t k = 0; k < n; k++) {
		run += (double)hw_usable_bytes(devs[k]);
		cum[k] = total_usable > 0 ? run / total_usable : (double)(k + 1) / n;
		memset(&loads[k], 0, sizeof(loads[k]));
	}
	cum[n - 1] = 1.0;
	/* llama.cpp: a layer goes to the first device whose cumulative share
	 * exceeds the layer's position among the GPU layers.  Positions grow,
	 * so that device never moves back: dk carries over. */
	uint32_t dk = 0;
	for (uint32_t il = start; il < slots; il++) {
		double pos = (double)(il - start) / (double)act;
		while (dk + 1 < n && cum[dk] <= pos)
			dk++;
		if (loads[dk].n_slots == 0)
			loads[dk].first_slot = il;
		loads[dk].n_slots++;
		loads[dk].layers_bytes = sat_add(loads[dk].layers_bytes, e->layer_gpu_bytes[il]);
		if (il < slots - 1) {
			uint64_t kv = e->layer_kv_bytes[il];
			loads[dk].kv_bytes =
			    sat_add(loads[dk].kv_bytes,
			            kv < e->layer_gpu_bytes[il] ? kv : e->layer_gpu_bytes[il]);
		}
		if (il == slots - 1)
			loads[dk].has_output = true;
	}
	/* The main GPU takes the ops llama.cpp offloads from host weights; with
	 * pipeline parallelism every device keeps copies of its split inputs. */
	uint32_t main = e->main_gpu < n ? e->main_gpu : 0;
	uint64_t pp_extra =
	    n > 1 && e->pp_copies > 1 ? sat_mul(e->pp_copies - 1, e->compute_pp_input_bytes) : 0;
	bool all_fit = true;
	/* What a device offers and its runtime overhead, looked up once per
	 * run of the same device (hw_fit splits over n identical ones, for
	 * every device of the hardware list on every change). */
	const struct device *prev = NULL;
	uint64_t dev_overhead = 0, dev_usable = 0;
	for (uint32_t k = 0; k < n; k++) {
		struct device_load *L = &loads[k];
		if (devs[k] != prev) {
			prev = devs[k];
			dev_overhead = device_overhead_bytes(e, prev);
			dev_usable = hw_usable_bytes(prev);
		}
		bool used = L->n_slots > 0 || k == main;
		if (e->gpu_bytes == 0)
			used = false;
		L->main_gpu = k == main;
		uint64_t c = L->has_output ? e->compute_output_bytes
		             : L->n_slots  ? e->compute_split_bytes
		                           : 0;
		if (k == main && e->compute_offload_bytes > c)
			c = e->compute_offload_bytes;
		if (L->n_slots)
			c = sat_add(c, pp_extra);
		L->compute_bytes = used ? c : 0;
		L->weights_bytes = L->layers_bytes - L->kv_bytes;
		L->overhead_bytes = used ? dev_overhead : 0;
		L->total_bytes =
		    sat_add(sat_add(L->layers_bytes, L->compute_bytes), L->overhead_bytes);
		L->headroom_bytes = headroom_of(dev_usable, L->total_bytes);
		all_fit &= L->headroom_bytes >= 0;
	}
	return all_fit;
}

/* Split over count identical devices; fills *headroom and *need. */
static bool fit_identical(const struct estimate *e, const struct device *d, uint32_t count,
                          int64_t *headroom, uint64_t *need)
{
	const struct device *devs[HW_MAX_DEVICES];
	struct device_load loads[HW_MAX_DEVICES];
	assert(count >= 1 && count <= HW_MAX_DEVICES);
	for (uint32_t k = 0; k < HW_MAX_DEVICES; k++)
		devs[k] = d;
	bool ok = hw_split(e, devs, count, loads);
	*headroom = loads[0].headroom_bytes;
	*need = 0;
	for (uint32_t k = 0; k < count; k++) {
		if (loads[k].headroom_bytes < *headroom)
			*headroom = loads[k].headroom_bytes;
		*need = sat_add(*need, loads[k].total_bytes);
	}
	/* Unified memory: what the offload leaves in "host" memory comes out
	 * of the same pool, so GPU and host parts together must fit too. */
	if (d->unified) {
		int64_t whole =
		    headroom_of(sat_mul(d->memory_bytes, count), sat_add(*need, e->host_bytes));
		if (whole < *headroom)
			*headroom = whole;
		ok &= whole >= 0;
	}
	return ok;
}

/* No fewer devices than this can fit the estimate (HW_MAX_DEVICES + 1:
 * none can), where hw_fit's search starts.  Every count below it fails:
 * vLLM: the layers' bytes even perfectly packed need more.  llama.cpp's
 * layer split: the fullest of n devices holds at least 1/n of the layers'
 * bytes, and being used it also holds its overhead and at least the
 * smaller compute buffer, all within what one device offers. */
static uint32_t fewest_possible(const struct estimate *e, const struct device *d)
{
	double usable, layers;
	if (e->vllm) {
		usable = (double)hw_torch_bytes(d) * e->budget_share;
		layers = (double)e->weights_gpu_bytes + (double)e->kv_gpu_bytes;
	} else {
		uint64_t c = e->compute_split_bytes < e->compute_output_bytes
		                 ? e->compute_split_bytes
		                 : e->compute_output_bytes;
		usable =
		    (double)hw_usable_bytes(d) - (double)c - (double)device_overhead_bytes(e, d);
		layers = 0;
		for (uint32_t il = 0; il < e->n_layer_slots; il++)
			layers += (double)e->layer_gpu_bytes[il];
	}
	if (usable <= 0)
		return HW_MAX_DEVICES + 1;
	/* one less than the quotient: rounding never skips the answer */
	double least = layers / usable - 1;
	uint32_t first =
	    least < HW_MAX_DEVICES ? (uint32_t)(least > 1 ? least : 1) : HW_MAX_DEVICES + 1;
	return first;
}

void hw_fit_count(const struct estimate *e, const struct device *d, uint32_t count,
                  struct hw_fit *out)
{
	memset(out, 0, sizeof(*out));
	if (count == 0)
		count = 1;
	if (count > HW_MAX_DEVICES)
		count = HW_MAX_DEVICES;
	out->count = count;
	out->fits = fit_identical(e, d, count, &out->headroom_bytes, &out->need_bytes);
	/* A GPU-less estimate (CPU only) needs no device at all. */
	if (e->gpu_bytes == 0)
		out->fits = true;
}

void hw_fit(const struct estimate *e, const struct device *d, uint32_t count, struct hw_fit *out)
{
	hw_fit_count(e, d, count, out);
	if (e->gpu_bytes == 0)
		return;
	uint32_t first = fewest_possible(e, d);
	for (uint32_t n = first; n <= HW_MAX_DEVICES; n++) {
		int64_t h;
		uint64_t need;
		bool fits = n == out->count ? (h = out->headroom_bytes, out->fits)
		                            : fit_identical(e, d, n, &h, &need);
		if (fits) {
			out->needed = n;
			out->needed_headroom_bytes = h;
			break;
		}
	}
}

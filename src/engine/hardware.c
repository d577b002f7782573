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

/* One device's layers in a llama.cpp layer split (the layer pass). */
struct layer_share {
	uint64_t layers_bytes; /* weights + KV of its layers */
	uint64_t kv_bytes;     /* the KV part of layers_bytes */
	uint32_t first_slot;   /* first slot held (valid when n_slots > 0) */
	uint32_t n_slots;      /* slots held */
	bool has_output;       /* holds the output slot */
};

/* llama.cpp's layer pass, one device after another: a layer goes to the
 * first device whose cumulative share of the usable memory exceeds the
 * layer's position among the GPU layers.  Positions grow, so each device
 * takes a run of layers and the walk never moves back. */
struct layer_walk {
	const struct estimate *e;
	uint32_t il;    /* next slot to place */
	uint32_t start; /* first slot with GPU bytes */
	uint32_t act;   /* slots from start on */
};

static void walk_begin(struct layer_walk *w, const struct estimate *e)
{
	uint32_t slots = e->n_layer_slots;
	w->e = e;
	w->start = 0;
	while (w->start < slots && e->layer_gpu_bytes[w->start] == 0)
		w->start++;
	w->act = slots > w->start ? slots - w->start : 0;
	w->il = w->start;
}

/* The first slot, counted from w->start, whose position (slot / act)
 * reaches cum: found from the rounded product and checked with the same
 * division the rule uses (positions only grow with the slot). */
static uint32_t walk_bound(const struct layer_walk *w, double cum)
{
	double act = (double)w->act;
	double guess = cum * act;
	uint32_t j = guess <= 0 ? 0 : guess >= act ? w->act : (uint32_t)guess;
	while (j > 0 && (double)(j - 1) / act >= cum)
		j--;
	while (j < w->act && (double)j / act < cum)
		j++;
	return j;
}

/* The next device's share: the layers whose position is below its
 * cumulative share cum (the last device, last, takes every layer left). */
static void walk_device(struct layer_walk *w, double cum, bool last, struct layer_share *sh)
{
	const struct estimate *e = w->e;
	uint32_t slots = e->n_layer_slots;
	uint32_t end = last ? slots : w->start + walk_bound(w, cum);
	memset(sh, 0, sizeof(*sh));
	sh->first_slot = w->il;
	for (; w->il < end; w->il++) {
		uint32_t il = w->il;
		uint64_t gpu = e->layer_gpu_bytes[il];
		sh->n_slots++;
		sh->layers_bytes = sat_add(sh->layers_bytes, gpu);
		if (il < slots - 1) {
			uint64_t kv = e->layer_kv_bytes[il];
			sh->kv_bytes = sat_add(sh->kv_bytes, kv < gpu ? kv : gpu);
		} else {
			sh->has_output = true;
		}
	}
}

/* Each device's cumulative share of the usable memory of devs[0..n-1]
 * (the last one exactly 1). */
static void split_shares(const struct device *const *devs, uint32_t n, double *cum)
{
	double total_usable = 0;
	for (uint32_t k = 0; k < n; k++)
		total_usable += (double)hw_usable_bytes(devs[k]);
	double run = 0;
	for (uint32_t k = 0; k < n; k++) {
		run += (double)hw_usable_bytes(devs[k]);
		cum[k] = total_usable > 0 ? run / total_usable : (double)(k + 1) / n;
	}
	cum[n - 1] = 1.0;
}

/* What the split adds to every device holding layers: with pipeline
 * parallelism, copies of its split inputs. */
static uint64_t split_pp_extra(const struct estimate *e, uint32_t n)
{
	return n > 1 && e->pp_copies > 1 ? sat_mul(e->pp_copies - 1, e->compute_pp_input_bytes) : 0;
}

/* A device's buffers around its share: the compute buffer (the main GPU
 * also takes the ops llama.cpp offloads from host weights), the runtime
 * overhead (dev_overhead) when the device is used at all, the total and
 * the headroom within dev_usable. */
struct share_totals {
	uint64_t compute_bytes;
	uint64_t mmproj_bytes;
	uint64_t overhead_bytes;
	uint64_t total_bytes;
	int64_t headroom_bytes;
};

static void share_finish(const struct estimate *e, const struct layer_share *sh, bool main,
                         bool first, uint64_t pp_extra, uint64_t dev_overhead, uint64_t dev_usable,
                         struct share_totals *t)
{
	/* the projector (--mmproj) sits on the first GPU */
	uint64_t mm = first && e->mmproj_on_gpu ? e->mmproj_bytes : 0;
	bool used = (sh->n_slots > 0 || main || mm) && e->gpu_bytes != 0;
	uint64_t c = sh->has_output ? e->compute_output_bytes
	             : sh->n_slots  ? e->compute_split_bytes
	                            : 0;
	if (main && e->compute_offload_bytes > c)
		c = e->compute_offload_bytes;
	if (sh->n_slots)
		c = sat_add(c, pp_extra);
	t->compute_bytes = used ? c : 0;
	t->overhead_bytes = used ? dev_overhead : 0;
	t->mmproj_bytes = mm;
	t->total_bytes =
	    sat_add(sat_add(sat_add(sh->layers_bytes, t->compute_bytes), t->overhead_bytes), mm);
	t->headroom_bytes = headroom_of(dev_usable, t->total_bytes);
}

bool hw_split(const struct estimate *e, const struct device *const *devs, uint32_t n,
              struct device_load *loads)
{
	if (e->vllm)
		return tp_split(e, devs, n, loads);
	assert(n >= 1 && n <= HW_MAX_DEVICES);
	double cum[HW_MAX_DEVICES];
	split_shares(devs, n, cum);
	struct layer_walk w;
	walk_begin(&w, e);
	uint32_t main = e->main_gpu < n ? e->main_gpu : 0;
	uint64_t pp_extra = split_pp_extra(e, n);
	bool all_fit = true;
	/* What a device offers and its runtime overhead, looked up once per
	 * run of the same device. */
	const struct device *prev = NULL;
	uint64_t dev_overhead = 0, dev_usable = 0;
	for (uint32_t k = 0; k < n; k++) {
		struct device_load *L = &loads[k];
		struct layer_share sh;
		struct share_totals t;
		if (devs[k] != prev) {
			prev = devs[k];
			dev_overhead = device_overhead_bytes(e, prev);
			dev_usable = hw_usable_bytes(prev);
		}
		walk_device(&w, cum[k], k == n - 1, &sh);
		share_finish(e, &sh, k == main, k == 0, pp_extra, dev_overhead, dev_usable, &t);
		memset(L, 0, sizeof(*L));
		L->layers_bytes = sh.layers_bytes;
		L->kv_bytes = sh.kv_bytes;
		L->weights_bytes = sh.layers_bytes - sh.kv_bytes;
		L->first_slot = sh.n_slots ? sh.first_slot : 0;
		L->n_slots = sh.n_slots;
		L->has_output = sh.has_output;
		L->main_gpu = k == main;
		L->compute_bytes = t.compute_bytes;
		L->mmproj_bytes = t.mmproj_bytes;
		L->overhead_bytes = t.overhead_bytes;
		L->total_bytes = t.total_bytes;
		L->headroom_bytes = t.headroom_bytes;
		all_fit &= t.headroom_bytes >= 0;
	}
	return all_fit;
}

/* The GPU slots of a llama.cpp estimate as running sums, so that a
 * device's share of a split over identical devices is a difference of two
 * sums: hw_fit tries several counts for every device of the hardware list
 * on every change.  Built by layer_sums_make. */
struct layer_sums {
	uint32_t start;                          /* first slot with GPU bytes (as walk_begin) */
	uint32_t act;                            /* slots from start on */
	bool exact;                              /* no sum saturates: differences are shares */
	uint64_t gpu_bytes[ARCH_MAX_LAYERS + 2]; /* [j]: GPU bytes of slots start..start+j-1 */
	uint64_t kv_bytes[ARCH_MAX_LAYERS + 2];  /* [j]: their KV part, as walk_device counts it */
};

static void layer_sums_make(const struct estimate *e, struct layer_sums *ls)
{
	struct layer_walk w;
	walk_begin(&w, e);
	uint32_t slots = e->n_layer_slots;
	ls->start = w.start;
	ls->act = w.act;
	ls->exact = true;
	ls->gpu_bytes[0] = ls->kv_bytes[0] = 0;
	for (uint32_t j = 0; j < w.act; j++) {
		uint32_t il = w.start + j;
		uint64_t gpu = e->layer_gpu_bytes[il];
		uint64_t kv = il < slots - 1 ? e->layer_kv_bytes[il] : 0;
		ls->gpu_bytes[j + 1] = ls->gpu_bytes[j] + gpu;
		ls->kv_bytes[j + 1] = ls->kv_bytes[j] + (kv < gpu ? kv : gpu);
		if (ls->gpu_bytes[j + 1] < gpu)
			ls->exact = false; /* wrapped; the kv sums are no larger */
	}
}

/* The shares of a split over n identical devices, one device after
 * another.  Each device then offers the same memory u, so device k's
 * cumulative share is (k+1)u / nu = (k+1)/n exactly (both sums are exact
 * in a double while nu < 2^53), and the layer at position j (of act) lies
 * below it when j/act < (k+1)/n.  Positions and shares are fractions with
 * denominators act and n, so two different ones differ by at least
 * 1/(act n), far more than a double's rounding: the test is decided
 * exactly by j n < (k+1) act, and device k ends at the first such j,
 * ceil((k+1) act / n), kept as a quotient and remainder. */
struct identical_walk {
	const struct layer_sums *ls;
	uint32_t n;      /* devices */
	uint32_t k;      /* next device */
	uint32_t end;    /* where the previous device ended (position) */
	uint64_t step_q; /* act / n */
	uint64_t step_r; /* act % n */
	uint64_t q, r;   /* (k act) / n and (k act) % n */
};

static void identical_begin(struct identical_walk *w, const struct layer_sums *ls, uint32_t n)
{
	memset(w, 0, sizeof(*w));
	w->ls = ls;
	w->n = n;
	w->step_q = ls->act / n;
	w->step_r = ls->act % n;
}

static void identical_next(struct identical_walk *w, struct layer_share *sh)
{
	const struct layer_sums *ls = w->ls;
	w->q += w->step_q;
	w->r += w->step_r;
	if (w->r >= w->n) {
		w->q++;
		w->r -= w->n;
	}
	w->k++;
	uint32_t a = w->end;
	uint32_t b = w->k == w->n ? ls->act : (uint32_t)(w->q + (w->r != 0));
	w->end = b;
	sh->first_slot = ls->start + a;
	sh->n_slots = b - a;
	sh->layers_bytes = ls->gpu_bytes[b] - ls->gpu_bytes[a];
	sh->kv_bytes = ls->kv_bytes[b] - ls->kv_bytes[a];
	sh->has_output = b > a && b == ls->act;
}

/* Where the identical walk holds: exact running sums and a device small
 * enough that n of its memory sum exactly in a double. */
#define HW_IDENTICAL_EXACT_BYTES (1ull << 46)

/* Split over count identical devices (ls: e's running sums); fills
 * *headroom and *need.  The same layer pass and buffers as hw_split,
 * without its per-device loads. */
static bool fit_identical(const struct estimate *e, const struct layer_sums *ls,
                          const struct device *d, uint32_t count, int64_t *headroom, uint64_t *need)
{
	assert(count >= 1 && count <= HW_MAX_DEVICES);
	bool ok = true;
	uint64_t dev_usable = hw_usable_bytes(d);
	if (e->vllm || !ls->exact || dev_usable >= HW_IDENTICAL_EXACT_BYTES) {
		const struct device *devs[HW_MAX_DEVICES];
		struct device_load loads[HW_MAX_DEVICES];
		for (uint32_t k = 0; k < count; k++)
			devs[k] = d;
		ok = hw_split(e, devs, count, loads);
		*headroom = loads[0].headroom_bytes;
		*need = 0;
		for (uint32_t k = 0; k < count; k++) {
			if (loads[k].headroom_bytes < *headroom)
				*headroom = loads[k].headroom_bytes;
			*need = sat_add(*need, loads[k].total_bytes);
		}
	} else {
		uint32_t main = e->main_gpu < count ? e->main_gpu : 0;
		uint64_t pp_extra = split_pp_extra(e, count);
		uint64_t dev_overhead = device_overhead_bytes(e, d);
		struct identical_walk w;
		identical_begin(&w, ls, count);
		*need = 0;
		for (uint32_t k = 0; k < count; k++) {
			struct layer_share sh;
			struct share_totals t;
			identical_next(&w, &sh);
			share_finish(e, &sh, k == main, k == 0, pp_extra, dev_overhead, dev_usable,
			             &t);
			if (k == 0 || t.headroom_bytes < *headroom)
				*headroom = t.headroom_bytes;
			*need = sat_add(*need, t.total_bytes);
			ok &= t.headroom_bytes >= 0;
		}
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

/* hw_fit_count on e's running sums ls. */
static void fit_count(const struct estimate *e, const struct layer_sums *ls, const struct device *d,
                      uint32_t count, struct hw_fit *out)
{
	memset(out, 0, sizeof(*out));
	if (count == 0)
		count = 1;
	if (count > HW_MAX_DEVICES)
		count = HW_MAX_DEVICES;
	out->count = count;
	out->fits = fit_identical(e, ls, d, count, &out->headroom_bytes, &out->need_bytes);
	/* A GPU-less estimate (CPU only) needs no device at all. */
	if (e->gpu_bytes == 0)
		out->fits = true;
}

void hw_fit_count(const struct estimate *e, const struct device *d, uint32_t count,
                  struct hw_fit *out)
{
	struct layer_sums ls;
	layer_sums_make(e, &ls);
	fit_count(e, &ls, d, count, out);
}

void hw_fit(const struct estimate *e, const struct device *d, uint32_t count, struct hw_fit *out)
{
	struct layer_sums ls;
	layer_sums_make(e, &ls);
	fit_count(e, &ls, d, count, out);
	if (e->gpu_bytes == 0)
		return;
	uint32_t first = fewest_possible(e, d);
	for (uint32_t n = first; n <= HW_MAX_DEVICES; n++) {
		int64_t h;
		uint64_t need;
		bool fits = n == out->count ? (h = out->headroom_bytes, out->fits)
		                            : fit_identical(e, &ls, d, n, &h, &need);
		if (fits) {
			out->needed = n;
			out->needed_headroom_bytes = h;
			break;
		}
	}
}

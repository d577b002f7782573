/*
 * sliders.c - the slider table: one row per setting the interactive view
 * moves, with the functions that step, format, place and parse it.
 *
 * Every function reads or changes only s->config.cur, the live configuration;
 * undo, recalculation and drawing are the caller's business.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "session.h"
#include "vllm.h"

/* KV cache types by ascending bytes per element. */
static const enum kvtype kv_order[KV_COUNT] = {
    KV_Q4_0, KV_IQ4_NL, KV_Q4_1, KV_Q5_0, KV_Q5_1, KV_FP8, KV_Q8_0, KV_BF16, KV_F16, KV_F32,
};

/* Offload modes from most to least on the GPU. */
static const enum offload_mode offload_order[OFFLOAD_COUNT] = {
    OFFLOAD_GPU, OFFLOAD_EXPERT_FRACTION, OFFLOAD_N_CPU_MOE, OFFLOAD_CPU_MOE, OFFLOAD_NGL,
    OFFLOAD_CPU,
};

/* Context sizes offered below the native maximum: powers of two and the
 * sizes halfway between (x1.5), plus lengths models ship with. */
static const uint64_t ctx_common[] = {
    512,    1024,   1536,   2048,    3072,    4096,    6144,    8192,    12288,    16384,
    24576,  32768,  40960,  49152,   65536,   98304,   131072,  163840,  196608,   262144,
    393216, 524288, 786432, 1048576, 1572864, 2097152, 4194304, 8388608, 10485760,
};

/* Batch (concurrent sequences) and ubatch steps. */
static const uint64_t batch_steps[] = {1,   2,   3,   4,    6,    8,    12,   16,
                                       24,  32,  48,  64,   96,   128,  192,  256,
                                       384, 512, 768, 1024, 1536, 2048, 3072, 4096};
static const uint64_t ubatch_steps[] = {16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192};

#define COUNT(a)   (sizeof(a) / sizeof((a)[0]))
#define BIG_STEPS  4 /* list entries per big step (quant, model) */
#define BIG_FACTOR 4 /* context and batch: a big step multiplies or divides by this */

size_t session_context_steps(uint64_t max_tokens, uint64_t *out, size_t max)
{
	size_t n = 0;
	bool have_max = false;
	for (size_t i = 0; i < COUNT(ctx_common) && n < max; i++) {
		if (max_tokens && ctx_common[i] > max_tokens)
			break;
		if (ctx_common[i] == max_tokens)
			have_max = true;
		out[n++] = ctx_common[i];
	}
	if (max_tokens >= 512 && !have_max && n < max)
		out[n++] = max_tokens;
	return n;
}

/* Step through a sorted list: the next entry above (dir > 0) or below the
 * current value, `count` entries far.  Values off the list land on the
 * nearest entry in the direction of travel. */
static uint64_t list_step(const uint64_t *v, size_t n, uint64_t cur, int dir, int count)
{
	assert(n > 0);
	if (dir > 0) {
		size_t i = 0;
		while (i < n && v[i] <= cur)
			i++;
		if (i == n)
			return cur > v[n - 1] ? cur : v[n - 1];
		i += (size_t)count - 1;
		return v[i < n ? i : n - 1];
	}
	size_t i = n;
	while (i > 0 && v[i - 1] >= cur)
		i--;
	if (i == 0)
		return cur < v[0] ? cur : v[0];
	i = i >= (size_t)count ? i - (size_t)count : 0;
	return v[i];
}

/* A big step on a sorted list: the first entry at least factor times cur
 * going up, the last one at most cur / factor going down (the list's end
 * when there is none), so "+/- x4" on a hint is what the key does. */
static uint64_t list_scale(const uint64_t *v, size_t n, uint64_t cur, int dir, uint64_t factor)
{
	assert(n > 0 && factor > 1);
	if (dir > 0) {
		uint64_t want = cur > UINT64_MAX / factor ? UINT64_MAX : cur * factor;
		for (size_t i = 0; i < n; i++)
			if (v[i] >= want)
				return v[i];
		return cur > v[n - 1] ? cur : v[n - 1];
	}
	uint64_t want = cur / factor;
	for (size_t i = n; i > 0; i--)
		if (v[i - 1] <= want)
			return v[i - 1];
	return cur < v[0] ? cur : v[0];
}

/* Position of cur on a sorted list: the last entry not above it. */
static int list_pos(const uint64_t *v, size_t n, uint64_t cur)
{
	int p = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] <= cur)
			p = (int)i;
	return p;
}

static const struct model *cur_model(const struct session *s)
{
	return session_model(s, s->config.cur.model);
}

static bool is_moe(const struct session *s)
{
	return cur_model(s)->arch.n_expert > 0;
}

static bool kv_allowed(const struct session *s, enum kvtype k)
{
	const struct kvtype_info *ki = kvtype_get(k);
	return ftype_get(s->config.cur.set.ftype)->engine == FT_VLLM ? ki->vllm : ki->llamacpp;
}

/* Offload modes the offload slider offers: vLLM keeps every weight on the
 * GPU; the expert modes need experts. */
static bool mode_allowed(const struct session *s, enum offload_mode m)
{
	if (session_engine(s) == FT_VLLM)
		return m == OFFLOAD_GPU;
	return session_offload_moves_experts(m) ? is_moe(s) : true;
}

/* ---- model ---- */

static int model_rank(const struct session *s)
{
	for (size_t i = 0; i < s->cat->n; i++)
		if (s->model_order[i] == s->config.cur.model)
			return (int)i;
	return 0;
}

static bool model_step(struct session *s, int dir, bool big)
{
	int n = (int)s->cat->n;
	int r = model_rank(s) + dir * (big ? BIG_STEPS : 1);
	r = r < 0 ? 0 : r >= n ? n - 1 : r;
	size_t m = s->model_order[r];
	if (m == s->config.cur.model)
		return false;
	session_select_model(s, m);
	return true;
}

static void model_format(const struct session *s, const struct config *c,
                         const struct evaluation *ev, char *buf, size_t n)
{
	(void)ev;
	char p[32];
	const struct model *m = session_model(s, c->model);
	snprintf(buf, n, "%s (%s)", s->cat->v[c->model].meta.name,
	         fmt_params(p, sizeof(p), m->params_total));
}

static void model_position(const struct session *s, int *pos, int *count)
{
	*pos = model_rank(s);
	*count = (int)s->cat->n;
}

/* ---- engine ---- */

static bool engine_step(struct session *s, int dir, bool big)
{
	(void)big;
	return session_set_engine(s, dir > 0 ? FT_VLLM : FT_LLAMACPP);
}

static void engine_format(const struct session *s, const struct config *c,
                          const struct evaluation *ev, char *buf, size_t n)
{
	(void)s;
	(void)ev;
	if (config_engine(c) == FT_VLLM)
		snprintf(buf, n, "vLLM (checkpoint formats)");
	else
		snprintf(buf, n, "llama.cpp (GGUF)");
}

static void engine_position(const struct session *s, int *pos, int *count)
{
	*pos = session_engine(s) == FT_VLLM ? 1 : 0;
	*count = 2;
}

/* ---- quant ---- */

/* The part [*lo, *hi) of the live model's quant order that belongs to
 * the engine of the live quantization: the quant slider stays inside it. */
static void quant_engine_range(const struct session *s, int *lo, int *hi)
{
	const enum ftype *order = session_quant_order(s, s->config.cur.model);
	enum ftype_engine e = ftype_get(s->config.cur.set.ftype)->engine;
	*lo = FT_COUNT;
	*hi = 0;
	for (int i = 0; i < FT_COUNT; i++) {
		if (ftype_get(order[i])->engine != e)
			continue;
		if (i < *lo)
			*lo = i;
		*hi = i + 1;
	}
	assert(*lo < *hi);
}

/* A KV type the engine of the current quant accepts, close to k. */
static void fit_kv_to_engine(struct session *s)
{
	struct settings *st = &s->config.cur.set;
	enum ftype_engine e = ftype_get(st->ftype)->engine;
	enum kvtype was = kv_allowed(s, st->kv_k) ? st->kv_v : st->kv_k;
	if (!session_kv_for_engine(st, e))
		return;
	session_status(s, STATUS_INFO, "kv type: %s has no %s cache, using %s",
	               e == FT_VLLM ? "vLLM" : "llama.cpp", kvtype_get(was)->name,
	               kvtype_get(st->kv_k)->name);
}

static bool quant_step(struct session *s, int dir, bool big)
{
	struct settings *st = &s->config.cur.set;
	const enum ftype *order = session_quant_order(s, s->config.cur.model);
	int lo, hi;
	quant_engine_range(s, &lo, &hi);
	int p = session_quant_pos(s, st->ftype) + dir * (big ? BIG_STEPS : 1);
	p = p < lo ? lo : p >= hi ? hi - 1 : p;
	if (order[p] == st->ftype && !st->file_types)
		return false;
	st->ftype = order[p];
	st->file_types = false;
	fit_kv_to_engine(s);
	return true;
}

static void quant_format(const struct session *s, const struct config *c,
                         const struct evaluation *ev, char *buf, size_t n)
{
	(void)s;
	const struct settings *st = &c->set;
	if (st->file_types) {
		snprintf(buf, n, "as stored in the file");
		return;
	}
	const struct ftype_info *fi = ftype_get(st->ftype);
	if (ev && ev->valid)
		snprintf(buf, n, "%s, %.2f bpw", fi->name, ev->est.weights_bpw);
	else
		snprintf(buf, n, "%s", fi->name);
}

static void quant_position(const struct session *s, int *pos, int *count)
{
	int lo, hi;
	quant_engine_range(s, &lo, &hi);
	*pos = session_quant_pos(s, s->config.cur.set.ftype) - lo;
	*count = hi - lo;
}

/* ---- context ---- */

#define CTX_STEPS_MAX 40

static size_t ctx_steps(const struct session *s, uint64_t *v)
{
	return session_context_steps(cur_model(s)->arch.n_ctx_train, v, CTX_STEPS_MAX);
}

static bool context_step(struct session *s, int dir, bool big)
{
	uint64_t v[CTX_STEPS_MAX];
	size_t n = ctx_steps(s, v);
	uint64_t c = big ? list_scale(v, n, s->config.cur.set.ctx_tokens, dir, BIG_FACTOR)
	                 : list_step(v, n, s->config.cur.set.ctx_tokens, dir, 1);
	if (c == s->config.cur.set.ctx_tokens)
		return false;
	s->config.cur.set.ctx_tokens = c;
	return true;
}

static void context_format(const struct session *s, const struct config *c,
                           const struct evaluation *ev, char *buf, size_t n)
{
	(void)ev;
	char a[32], b[32];
	uint64_t max = session_model(s, c->model)->arch.n_ctx_train;
	snprintf(buf, n, "%s of %s tokens", fmt_tokens(a, sizeof(a), c->set.ctx_tokens),
	         fmt_tokens(b, sizeof(b), max));
}

static void context_position(const struct session *s, int *pos, int *count)
{
	uint64_t v[CTX_STEPS_MAX];
	size_t n = ctx_steps(s, v);
	*pos = list_pos(v, n, s->config.cur.set.ctx_tokens);
	*count = (int)n;
}

static bool context_set(struct session *s, const char *text, char *err, size_t errlen)
{
	if (!session_set_field(s, "context", text, err, errlen))
		return false;
	uint64_t v = s->config.cur.set.ctx_tokens;
	uint64_t max = cur_model(s)->arch.n_ctx_train;
	if (max && v > max)
		session_status(s, STATUS_WARN,
		               "context: %llu tokens is beyond the model's native %llu",
		               (unsigned long long)v, (unsigned long long)max);
	return true;
}

/* ---- batch ---- */

static bool batch_step(struct session *s, int dir, bool big)
{
	uint64_t b =
	    big ? list_scale(batch_steps, COUNT(batch_steps), s->config.cur.set.n_seq, dir,
	                     BIG_FACTOR)
	        : list_step(batch_steps, COUNT(batch_steps), s->config.cur.set.n_seq, dir, 1);
	if (b == s->config.cur.set.n_seq)
		return false;
	s->config.cur.set.n_seq = (uint32_t)b;
	return true;
}

static void batch_format(const struct session *s, const struct config *c,
                         const struct evaluation *ev, char *buf, size_t n)
{
	(void)s;
	(void)ev;
	snprintf(buf, n, "%u sequence%s%s", c->set.n_seq, c->set.n_seq == 1 ? "" : "s",
	         c->set.kv_unified ? ", unified KV" : "");
}

static void batch_position(const struct session *s, int *pos, int *count)
{
	*pos = list_pos(batch_steps, COUNT(batch_steps), s->config.cur.set.n_seq);
	*count = (int)COUNT(batch_steps);
}

/* ---- KV cache type ---- */

static int kv_pos(enum kvtype k)
{
	for (int i = 0; i < KV_COUNT; i++)
		if (kv_order[i] == k)
			return i;
	return 0;
}

static bool kv_step(struct session *s, int dir, bool big)
{
	struct settings *st = &s->config.cur.set;
	int p = kv_pos(st->kv_k);
	int moves = big ? 3 : 1;
	int np = p;
	for (int i = p + dir; i >= 0 && i < KV_COUNT && moves; i += dir) {
		if (kv_allowed(s, kv_order[i])) {
			np = i;
			moves--;
		}
	}
	if (kv_order[np] == st->kv_k && st->kv_k == st->kv_v)
		return false;
	st->kv_k = st->kv_v = kv_order[np];
	return true;
}

static void kv_format(const struct session *s, const struct config *c, const struct evaluation *ev,
                      char *buf, size_t n)
{
	(void)ev;
	const struct settings *st = &c->set;
	/* vLLM's --kv-cache-dtype and what vLLM stores (as the report says) */
	if (config_engine(c) == FT_VLLM)
		vllm_kv_label(&session_model(s, c->model)->arch, st, buf, n);
	else if (st->kv_k == st->kv_v)
		snprintf(buf, n, "%s", kvtype_get(st->kv_k)->name);
	else
		snprintf(buf, n, "K %s, V %s", kvtype_get(st->kv_k)->name,
		         kvtype_get(st->kv_v)->name);
}

static void kv_position(const struct session *s, int *pos, int *count)
{
	*pos = 0;
	*count = 0;
	for (int i = 0; i < KV_COUNT; i++) {
		if (!kv_allowed(s, kv_order[i]))
			continue;
		if (kv_order[i] == s->config.cur.set.kv_k)
			*pos = *count;
		(*count)++;
	}
}

/* ---- offload mode and amount ---- */

static int mode_pos(enum offload_mode m)
{
	for (int i = 0; i < OFFLOAD_COUNT; i++)
		if (offload_order[i] == m)
			return i;
	return 0;
}

static bool offload_step(struct session *s, int dir, bool big)
{
	struct settings *st = &s->config.cur.set;
	const struct model_arch *a = &cur_model(s)->arch;
	int p = mode_pos(st->offload);
	int np = p;
	for (int i = p + dir; i >= 0 && i < OFFLOAD_COUNT; i += dir) {
		if (mode_allowed(s, offload_order[i])) {
			np = i;
			if (!big)
				break;
		}
	}
	if (np == p)
		return false;
	st->offload = offload_order[np];
	/* A starting amount halfway, so the next keys show an effect. */
	if (st->offload == OFFLOAD_N_CPU_MOE &&
	    (st->offload_layers == 0 || st->offload_layers > a->n_layer))
		st->offload_layers = a->n_layer / 2;
	if (st->offload == OFFLOAD_NGL &&
	    (st->offload_layers == 0 || st->offload_layers > arch_ngl_layers(a)))
		st->offload_layers = arch_ngl_layers(a) / 2;
	if (st->offload == OFFLOAD_EXPERT_FRACTION &&
	    !(st->expert_gpu_share > 0.0 && st->expert_gpu_share < 1.0))
		st->expert_gpu_share = 0.5;
	return true;
}

static void offload_format(const struct session *s, const struct config *c,
                           const struct evaluation *ev, char *buf, size_t n)
{
	(void)s;
	(void)ev;
	static const char *const words[OFFLOAD_COUNT] = {
	    [OFFLOAD_GPU] = "all on GPU",
	    [OFFLOAD_CPU_MOE] = "all experts in RAM",
	    [OFFLOAD_N_CPU_MOE] = "experts of N layers in RAM",
	    [OFFLOAD_EXPERT_FRACTION] = "share of experts on GPU",
	    [OFFLOAD_NGL] = "N layers on GPU",
	    [OFFLOAD_CPU] = "CPU only",
	};
	snprintf(buf, n, "%s", words[c->set.offload]);
}

static void offload_position(const struct session *s, int *pos, int *count)
{
	*pos = 0;
	*count = 0;
	for (int i = 0; i < OFFLOAD_COUNT; i++) {
		if (!mode_allowed(s, offload_order[i]))
			continue;
		if (offload_order[i] == s->config.cur.set.offload)
			*pos = *count;
		(*count)++;
	}
}

static bool amount_enabled(const struct session *s)
{
	enum offload_mode m = s->config.cur.set.offload;
	return m == OFFLOAD_N_CPU_MOE || m == OFFLOAD_NGL || m == OFFLOAD_EXPERT_FRACTION;
}

/* Layers the amount counts over: blocks for n-cpu-moe, blocks + output
 * for ngl. */
/* The largest offload amount of configuration c (layers). */
static uint32_t amount_max(const struct session *s, const struct config *c)
{
	const struct model_arch *a = &session_model(s, c->model)->arch;
	return c->set.offload == OFFLOAD_NGL ? arch_ngl_layers(a) : a->n_layer;
}

static bool amount_step(struct session *s, int dir, bool big)
{
	struct settings *st = &s->config.cur.set;
	if (!amount_enabled(s))
		return false;
	if (st->offload == OFFLOAD_EXPERT_FRACTION) {
		/* Whole twentieths, so stepping never accumulates float error. */
		long k = lround(st->expert_gpu_share * 20.0) + dir * (big ? 5 : 1);
		k = k < 0 ? 0 : k > 20 ? 20 : k;
		double v = (double)k / 20.0;
		if (v == st->expert_gpu_share)
			return false;
		st->expert_gpu_share = v;
		return true;
	}
	int64_t max = amount_max(s, &s->config.cur);
	int64_t stepn = big ? (max / 8 > 1 ? max / 8 : 1) : 1;
	int64_t v = (int64_t)st->offload_layers + dir * stepn;
	v = v < 0 ? 0 : v > max ? max : v;
	if ((uint32_t)v == st->offload_layers)
		return false;
	st->offload_layers = (uint32_t)v;
	return true;
}

static void amount_format(const struct session *s, const struct config *c,
                          const struct evaluation *ev, char *buf, size_t n)
{
	(void)ev;
	const struct settings *st = &c->set;
	switch (st->offload) {
	case OFFLOAD_N_CPU_MOE:
		snprintf(buf, n, "experts of %u/%u layers in RAM", st->offload_layers,
		         amount_max(s, c));
		break;
	case OFFLOAD_NGL:
		snprintf(buf, n, "%u/%u layers on GPU", st->offload_layers, amount_max(s, c));
		break;
	case OFFLOAD_EXPERT_FRACTION:
		snprintf(buf, n, "%.0f%% of experts on GPU", st->expert_gpu_share * 100.0);
		break;
	default:
		snprintf(buf, n, "-");
		break;
	}
}

static void amount_position(const struct session *s, int *pos, int *count)
{
	const struct settings *st = &s->config.cur.set;
	*pos = 0;
	*count = 0;
	if (!amount_enabled(s))
		return;
	if (st->offload == OFFLOAD_EXPERT_FRACTION) {
		*pos = (int)lround(st->expert_gpu_share * 20.0);
		*count = 21;
	} else {
		*pos = (int)st->offload_layers;
		*count = (int)amount_max(s, &s->config.cur) + 1;
	}
}

static bool amount_set(struct session *s, const char *text, char *err, size_t errlen)
{
	struct settings *st = &s->config.cur.set;
	if (!amount_enabled(s)) {
		snprintf(err, errlen,
		         "offload: everything is on one side, there is no amount to set");
		return false;
	}
	/* The amount is the part after '=' of the offload grammar. */
	char spec[SESSION_TEXT_MAX + 16];
	snprintf(spec, sizeof(spec), "%s=%s", offload_mode_name(st->offload), text);
	struct config before = s->config.cur;
	if (!session_set_field(s, "offload", spec, err, errlen))
		return false;
	if (st->offload != OFFLOAD_EXPERT_FRACTION &&
	    st->offload_layers > amount_max(s, &s->config.cur)) {
		snprintf(err, errlen, "offload: '%s' is more than the model's %u layers%s", text,
		         amount_max(s, &s->config.cur),
		         st->offload == OFFLOAD_NGL ? " + output" : "");
		s->config.cur = before;
		return false;
	}
	return true;
}

/* ---- GPU and count ---- */

static int gpu_rank(const struct session *s)
{
	for (size_t i = 0; i < s->devs->n; i++)
		if (s->gpu_order[i] == s->config.cur.gpu)
			return (int)i;
	return 0;
}

static bool gpu_step(struct session *s, int dir, bool big)
{
	int n = (int)s->devs->n;
	int r = gpu_rank(s) + dir * (big ? BIG_STEPS : 1);
	r = r < 0 ? 0 : r >= n ? n - 1 : r;
	if (s->gpu_order[r] == s->config.cur.gpu)
		return false;
	s->config.cur.gpu = s->gpu_order[r];
	return true;
}

static void gpu_format(const struct session *s, const struct config *c, const struct evaluation *ev,
                       char *buf, size_t n)
{
	(void)ev;
	const struct device *d = &s->devs->v[c->gpu];
	char g[32];
	int w = snprintf(buf, n, "%ux %s (%s)", c->gpu_count, fmt_device_short_name(d),
	                 fmt_gib(g, sizeof(g), (double)hw_usable_bytes(d)));
	/* a mixed set: the GPU slider moves its first type */
	if (c->n_more && w > 0 && (size_t)w < n)
		snprintf(buf + w, n - (size_t)w, " + %u more",
		         config_device_count(c) - c->gpu_count);
}

static void gpu_position(const struct session *s, int *pos, int *count)
{
	*pos = gpu_rank(s);
	*count = (int)s->devs->n;
}

static bool count_step(struct session *s, int dir, bool big)
{
	int64_t c = s->config.cur.gpu_count;
	if (big)
		c = dir > 0 ? c * 2 : c / 2;
	else
		c += dir;
	int64_t max =
	    HW_MAX_DEVICES - (config_device_count(&s->config.cur) - s->config.cur.gpu_count);
	c = c < 1 ? 1 : c > max ? max : c;
	if ((uint32_t)c == s->config.cur.gpu_count)
		return false;
	s->config.cur.gpu_count = (uint32_t)c;
	return true;
}

static void count_format(const struct session *s, const struct config *c,
                         const struct evaluation *ev, char *buf, size_t n)
{
	(void)ev;
	char g[32];
	double usable = (double)hw_usable_bytes(&s->devs->v[c->gpu]) * c->gpu_count;
	for (int i = 0; i < c->n_more; i++)
		usable += (double)hw_usable_bytes(&s->devs->v[c->more_gpu[i]]) * c->more_count[i];
	uint32_t all = config_device_count(c);
	if (c->n_more)
		snprintf(buf, n, "%u of %u devices, %s in all", c->gpu_count, all,
		         fmt_gib(g, sizeof(g), usable));
	else
		snprintf(buf, n, "%u device%s, %s", all, all == 1 ? "" : "s",
		         fmt_gib(g, sizeof(g), usable));
}

static void count_position(const struct session *s, int *pos, int *count)
{
	/* Up to 8 on the track; more devices pin the knob at the end. */
	*count = 8;
	*pos = s->config.cur.gpu_count >= 8 ? 7 : (int)s->config.cur.gpu_count - 1;
}

/* ---- vLLM's GPU memory utilization ---- */

static bool util_enabled(const struct session *s)
{
	return session_engine(s) == FT_VLLM;
}

static bool util_step(struct session *s, int dir, bool big)
{
	/* Whole twentieths (5 %), so stepping never accumulates float error. */
	double now = vllm_gpu_util(&s->config.cur.set);
	long k = lround(now * 20.0) + dir * (big ? 2 : 1);
	k = k < 1 ? 1 : k > 20 ? 20 : k;
	double v = (double)k / 20.0;
	if (!util_enabled(s) || v == now)
		return false;
	s->config.cur.set.gpu_util = v;
	s->config.cur.set.gpu_util_given = true;
	return true;
}

static void util_format(const struct session *s, const struct config *c,
                        const struct evaluation *ev, char *buf, size_t n)
{
	(void)s;
	(void)ev;
	if (config_engine(c) == FT_VLLM)
		snprintf(buf, n, "%.0f%% of each GPU for vLLM", vllm_gpu_util(&c->set) * 100.0);
	else
		snprintf(buf, n, "whole device (llama.cpp)");
}

static void util_position(const struct session *s, int *pos, int *count)
{
	long k = lround(vllm_gpu_util(&s->config.cur.set) * 20.0);
	*pos = (int)(k < 1 ? 0 : k > 20 ? 19 : k - 1);
	*count = util_enabled(s) ? 20 : 0;
}

/* ---- flash attention ---- */

static bool flash_step(struct session *s, int dir, bool big)
{
	(void)big;
	bool want = dir > 0;
	if (s->config.cur.set.flash_attn == want)
		return false;
	s->config.cur.set.flash_attn = want;
	return true;
}

static void flash_format(const struct session *s, const struct config *c,
                         const struct evaluation *ev, char *buf, size_t n)
{
	(void)s;
	(void)ev;
	bool forced = !c->set.flash_attn && kvtype_get(c->set.kv_v)->quantized;
	snprintf(buf, n, "%s%s", c->set.flash_attn ? "on" : "off",
	         forced ? " (quantized V needs it)" : "");
}

static void flash_position(const struct session *s, int *pos, int *count)
{
	*pos = s->config.cur.set.flash_attn ? 1 : 0;
	*count = 2;
}

/* ---- speculative decoding with the MTP blocks (--spec mtp:N) ---- */

/* Only a model with MTP blocks can draft with them; for any other the row
 * is dimmed and its value says why. */
static bool spec_enabled(const struct session *s)
{
	return cur_model(s)->arch.n_mtp > 0;
}

/* The draft tokens of configuration c: llama.cpp's --spec mtp:N, or vLLM's
 * --speculative-tokens N under the vLLM engine. */
static uint32_t *spec_value(struct settings *set)
{
	bool vllm = ftype_get(set->ftype)->engine == FT_VLLM && !set->file_types;
	return vllm ? &set->spec_tokens : &set->spec_draft;
}

static bool spec_step(struct session *s, int dir, bool big)
{
	uint32_t *v = spec_value(&s->config.cur.set);
	int64_t want = (int64_t)*v + (big ? 4 : 1) * dir;
	want = want < 0 ? 0 : want > SETTINGS_SPEC_MAX ? SETTINGS_SPEC_MAX : want;
	if (!spec_enabled(s) || (uint32_t)want == *v)
		return false;
	*v = (uint32_t)want;
	return true;
}

static void spec_format(const struct session *s, const struct config *c,
                        const struct evaluation *ev, char *buf, size_t n)
{
	(void)ev;
	const struct model *m = session_model(s, c->model);
	struct settings set = c->set;
	uint32_t v = *spec_value(&set);
	if (!m->arch.n_mtp)
		snprintf(buf, n, "off (no MTP blocks)");
	else if (v)
		snprintf(buf, n, "mtp:%u (draft %u tokens)", v, v);
	else
		snprintf(buf, n, "off");
}

static void spec_position(const struct session *s, int *pos, int *count)
{
	struct settings set = s->config.cur.set;
	*pos = (int)*spec_value(&set);
	*count = spec_enabled(s) ? SETTINGS_SPEC_MAX + 1 : 0;
}

/* ---- ubatch ---- */

static bool ubatch_step(struct session *s, int dir, bool big)
{
	uint64_t b = list_step(ubatch_steps, COUNT(ubatch_steps), s->config.cur.set.n_ubatch, dir,
	                       big ? 2 : 1);
	if (b == s->config.cur.set.n_ubatch)
		return false;
	s->config.cur.set.n_ubatch = (uint32_t)b;
	return true;
}

static void ubatch_format(const struct session *s, const struct config *c,
                          const struct evaluation *ev, char *buf, size_t n)
{
	(void)s;
	(void)ev;
	snprintf(buf, n, "%u tokens per step", c->set.n_ubatch);
}

static void ubatch_position(const struct session *s, int *pos, int *count)
{
	*pos = list_pos(ubatch_steps, COUNT(ubatch_steps), s->config.cur.set.n_ubatch);
	*count = (int)COUNT(ubatch_steps);
}

const char *session_slider_prompt(const struct slider_def *d, char *buf, size_t n)
{
	const struct field *f = d->field ? field_find(d->field) : NULL;
	if (f && f->kind == FIELD_COUNT)
		snprintf(buf, n, "%s (%llu to %llu)", d->prompt, (unsigned long long)f->min,
		         (unsigned long long)f->max);
	else
		snprintf(buf, n, "%s", d->prompt ? d->prompt : "value");
	return buf;
}

const struct slider_def slider_table[SL_COUNT] = {
    [SL_MODEL] = {SL_MODEL, "model", "Enter pick, / search",
                  "model profile, ordered by parameters; Enter or / opens the picker", NULL,
                  EDIT_PICK_MODEL, model_step, model_format, model_position, NULL, NULL},
    [SL_ENGINE] = {SL_ENGINE, "engine", "h llama.cpp, l vLLM",
                   "whose accounting: llama.cpp (GGUF types) or vLLM (checkpoint formats)", NULL,
                   EDIT_TOGGLE, engine_step, engine_format, engine_position, NULL, NULL},
    [SL_QUANT] = {SL_QUANT, "quant", "h/l step, +/- 4 steps",
                  "quantization of the engine, by bits per weight (GGUF types or vLLM formats)",
                  NULL, EDIT_NONE, quant_step, quant_format, quant_position, NULL, NULL},
    [SL_CONTEXT] = {SL_CONTEXT, "context", "+/- x4, Enter types",
                    "tokens, up to the model's native maximum; Enter or a digit types one (32k)",
                    "context tokens (e.g. 32768, 32k, 1M)", EDIT_NUMBER, context_step,
                    context_format, context_position, context_set, NULL, "context"},
    [SL_BATCH] = {SL_BATCH, "batch", "+/- x4, Enter types",
                  "concurrent sequences (llama.cpp -np), each with its share of the context",
                  "concurrent sequences", EDIT_NUMBER, batch_step, batch_format, batch_position,
                  NULL, NULL, "batch"},
    [SL_KV] = {SL_KV, "KV cache", "h/l step",
               "KV cache element type for K and V (quantized V needs flash attention)", NULL,
               EDIT_NONE, kv_step, kv_format, kv_position, NULL, NULL},
    [SL_OFFLOAD] = {SL_OFFLOAD, "offload", "h/l mode",
                    "all on GPU; experts in RAM (a share, N layers, all); N layers on GPU; CPU",
                    NULL, EDIT_NONE, offload_step, offload_format, offload_position, NULL, NULL},
    [SL_OFFLOAD_AMOUNT] = {SL_OFFLOAD_AMOUNT, "  amount", "h/l, +/-, Enter types",
                           "layers whose experts are in RAM, the share of experts kept on the "
                           "GPU, or layers on the GPU",
                           "layers, or expert share on the GPU (0.25 or 25%)", EDIT_NUMBER,
                           amount_step, amount_format, amount_position, amount_set, amount_enabled,
                           "offload"},
    [SL_GPU] = {SL_GPU, "GPU", "h/l step, Enter pick",
                "device type to fit on, by memory; Enter opens the hardware picker", NULL,
                EDIT_PICK_GPU, gpu_step, gpu_format, gpu_position, NULL, NULL},
    [SL_GPU_COUNT] = {SL_GPU_COUNT, "  count", "h/l 1, +/- x2, Enter",
                      "devices to split over: llama.cpp layer split, vLLM tensor parallelism",
                      "number of devices", EDIT_NUMBER, count_step, count_format, count_position,
                      NULL, NULL, "gpu_count"},
    [SL_GPU_UTIL] = {SL_GPU_UTIL, "  util", "h/l 5%, +/- 10%, Enter",
                     "vLLM's --gpu-memory-utilization: the share of each GPU it may use",
                     "share of each GPU vLLM may use (0.9 or 90%)", EDIT_NUMBER, util_step,
                     util_format, util_position, NULL, util_enabled, "gpu-util"},
    [SL_FLASH] = {SL_FLASH, "flash att", "h off, l on, Enter",
                  "flash attention (smaller compute buffer; needed by quantized V)", NULL,
                  EDIT_TOGGLE, flash_step, flash_format, flash_position, NULL, NULL},
    [SL_UBATCH] = {SL_UBATCH, "ubatch", "h/l x2, Enter types",
                   "physical batch in tokens (llama.cpp -ub): sets the compute buffer",
                   "ubatch tokens", EDIT_NUMBER, ubatch_step, ubatch_format, ubatch_position, NULL,
                   NULL, "ubatch"},
    [SL_SPEC] = {SL_SPEC, "spec MTP", "h/l 1, +/- 4",
                 "speculative decoding with the model's MTP blocks: draft tokens per step "
                 "(llama-server --spec-type draft-mtp)",
                 NULL, EDIT_NONE, spec_step, spec_format, spec_position, NULL, spec_enabled, NULL},
};

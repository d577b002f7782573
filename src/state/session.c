/*
 * session.c - the interactive session: configuration, undo, pin, views,
 * pickers and prompts, keys to actions, and recalculation.
 */
#include "session.h"

#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format.h"
#include "keys.h"
#include "sort.h"
#include "request.h"

#define PAGE 10 /* rows moved by PgUp/PgDn in lists and text */

_Static_assert(VIEW_COUNT == KEYS_VIEW_COUNT, "the key table's view masks cover every view");

uint32_t config_device_count(const struct config *c)
{
	uint32_t n = c->gpu_count;
	for (int i = 0; i < c->n_more; i++)
		n += c->more_count[i];
	return n;
}

bool config_equal(const struct config *a, const struct config *b)
{
	const struct settings *x = &a->set, *y = &b->set;
	if (a->n_more != b->n_more)
		return false;
	for (int i = 0; i < a->n_more; i++)
		if (a->more_gpu[i] != b->more_gpu[i] || a->more_count[i] != b->more_count[i])
			return false;
	return a->model == b->model && a->gpu == b->gpu && a->gpu_count == b->gpu_count &&
	       x->ftype == y->ftype && x->file_types == y->file_types &&
	       x->ctx_tokens == y->ctx_tokens && x->n_seq == y->n_seq && x->kv_k == y->kv_k &&
	       x->kv_v == y->kv_v && x->n_ubatch == y->n_ubatch && x->flash_attn == y->flash_attn &&
	       x->kv_unified == y->kv_unified && x->swa_full == y->swa_full &&
	       x->offload == y->offload && x->offload_layers == y->offload_layers &&
	       x->expert_gpu_share == y->expert_gpu_share && x->gpu_util == y->gpu_util &&
	       x->gpu_util_given == y->gpu_util_given && x->vllm_version == y->vllm_version &&
	       x->batched_tokens == y->batched_tokens && x->pp_size == y->pp_size &&
	       x->text_only == y->text_only && x->kv_cache_memory == y->kv_cache_memory &&
	       x->prefix_caching == y->prefix_caching && x->spec_tokens == y->spec_tokens &&
	       x->spec_draft == y->spec_draft;
}

void session_status(struct session *s, enum status_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->screen.status, sizeof(s->screen.status), fmt, ap);
	va_end(ap);
	s->screen.status_level = level;
}

const struct model *session_model(const struct session *s, size_t i)
{
	assert(i < s->cat->n);
	return &s->models[i];
}

/* Comparators take their session as sort_with()'s context (sort.h). */
static int by_params(const void *a, const void *b, void *ctx)
{
	const struct session *sort_session = ctx;
	const struct model *x = &sort_session->models[*(const size_t *)a];
	const struct model *y = &sort_session->models[*(const size_t *)b];
	if (x->params_total != y->params_total)
		return x->params_total < y->params_total ? -1 : 1;
	return strcmp(sort_session->cat->v[*(const size_t *)a].meta.id,
	              sort_session->cat->v[*(const size_t *)b].meta.id);
}

static int by_memory(const void *a, const void *b, void *ctx)
{
	const struct session *sort_session = ctx;
	const struct device *x = &sort_session->devs->v[*(const size_t *)a];
	const struct device *y = &sort_session->devs->v[*(const size_t *)b];
	uint64_t mx = hw_usable_bytes(x), my = hw_usable_bytes(y);
	if (mx != my)
		return mx < my ? -1 : 1;
	return strcmp(x->name, y->name);
}

const enum ftype *session_quant_order(const struct session *s, size_t m)
{
	assert(m < s->cat->n);
	return s->quant_order[m];
}

/* ctx: the bits per weight of each file type for one model. */
static int by_bpw(const void *a, const void *b, void *ctx)
{
	const double *quant_bpw = ctx;
	enum ftype x = *(const enum ftype *)a, y = *(const enum ftype *)b;
	enum ftype_engine ex = ftype_get(x)->engine, ey = ftype_get(y)->engine;
	if (ex != ey)
		return ex == FT_LLAMACPP ? -1 : 1;
	if (quant_bpw[x] != quant_bpw[y])
		return quant_bpw[x] < quant_bpw[y] ? -1 : 1;
	/* Equal sizes: the file-type table lists larger recipes first. */
	return x > y ? -1 : x < y;
}

/* Order the file types of model m by the bits per weight they give it. */
static void order_quants(struct session *s, size_t m)
{
	struct settings st;
	struct estimate e;
	double quant_bpw[FT_COUNT];
	estimate_settings_default(&st);
	for (int f = 0; f < FT_COUNT; f++) {
		st.ftype = (enum ftype)f;
		estimate_run(&s->models[m], &s->scratch, &st, &e);
		quant_bpw[f] = e.weights_bpw;
		s->quant_order[m][f] = (enum ftype)f;
	}
	sort_with(s->quant_order[m], FT_COUNT, sizeof(enum ftype), by_bpw, quant_bpw);
}

bool session_init(struct session *s, const struct catalog *cat, const struct device_list *devs,
                  size_t model, const struct settings *set, size_t gpu, uint32_t gpu_count,
                  struct model *given, char *err, size_t errlen)
{
	assert(cat->n > 0 && model < cat->n && devs->n > 0 && gpu < devs->n);
	memset(s, 0, sizeof(*s));
	s->cat = cat;
	s->devs = devs;
	s->screen.hw_filter = -1;
	s->file_model = SIZE_MAX;
	s->config.cur.model = model;
	s->config.cur.set = *set;
	s->config.cur.gpu = gpu;
	s->config.cur.gpu_count = gpu_count ? gpu_count : 1;
	session_default_dir(s->sessions_dir, sizeof(s->sessions_dir));
	plan_speed_defaults(&s->config.speed_params);
	struct cli_options defaults;
	options_default(&defaults);
	s->config.margin = defaults.margin;
	s->config.engine_ftype[FT_LLAMACPP] = FT_Q4_K_M;
	s->config.engine_ftype[FT_VLLM] = FT_V_BF16;
	s->config.engine_ftype[ftype_get(set->ftype)->engine] = set->ftype;
	s->config.engine_file_types = set->file_types;

	size_t pick_cap = cat->n > devs->n ? cat->n : devs->n;
	if (pick_cap < SESSION_SAVED_MAX)
		pick_cap = SESSION_SAVED_MAX;
	s->models = calloc(cat->n, sizeof(*s->models));
	s->model_order = calloc(cat->n, sizeof(size_t));
	s->gpu_order = calloc(devs->n, sizeof(size_t));
	s->quant_order = calloc(cat->n, sizeof(*s->quant_order));
	s->screen.hw = calloc(devs->n, sizeof(*s->screen.hw));
	s->screen.pick.match = calloc(pick_cap, sizeof(size_t));
	s->screen.pick.cap = pick_cap;
	s->screen.pick.names = calloc(SESSION_SAVED_MAX, sizeof(*s->screen.pick.names));
	if (!s->models || !s->model_order || !s->gpu_order || !s->quant_order || !s->screen.hw ||
	    !s->screen.pick.match || !s->screen.pick.names)
		goto oom;
	for (size_t i = 0; i < cat->n; i++) {
		if (given && i == model) {
			s->models[i] = *given;
			memset(given, 0, sizeof(*given));
			s->file_model = i;
		} else {
			s->models[i].arch = cat->v[i].arch;
			if (!model_prepare(&s->models[i]))
				goto oom;
		}
	}
	size_t tensors = 0;
	for (size_t i = 0; i < cat->n; i++)
		if (s->models[i].tensors.n > tensors)
			tensors = s->models[i].tensors.n;
	if (!estimate_scratch_init(&s->scratch, tensors))
		goto oom;
	for (size_t i = 0; i < cat->n; i++) {
		s->model_order[i] = i;
		order_quants(s, i);
	}
	for (size_t i = 0; i < devs->n; i++)
		s->gpu_order[i] = i;
	sort_with(s->model_order, cat->n, sizeof(size_t), by_params, s);
	sort_with(s->gpu_order, devs->n, sizeof(size_t), by_memory, s);
	return true;
oom:
	snprintf(err, errlen, "out of memory preparing %zu models", cat->n);
	session_free(s);
	return false;
}

void session_free(struct session *s)
{
	session_rank_free(s);
	if (s->models && s->cat)
		for (size_t i = 0; i < s->cat->n; i++)
			model_release(&s->models[i]);
	free(s->models);
	estimate_scratch_free(&s->scratch);
	free(s->model_order);
	free(s->gpu_order);
	free(s->quant_order);
	s->quant_order = NULL;
	free(s->screen.hw);
	free(s->screen.pick.match);
	free(s->screen.pick.names);
	s->models = NULL;
	s->model_order = s->gpu_order = s->screen.pick.match = NULL;
	s->screen.hw = NULL;
	s->screen.pick.names = NULL;
}

/* ---- undo and redo ---- */

static void push(struct config *stack, int *n, const struct config *c)
{
	if (*n == SESSION_UNDO_MAX) {
		memmove(stack, stack + 1, (SESSION_UNDO_MAX - 1) * sizeof(*stack));
		(*n)--;
	}
	stack[(*n)++] = *c;
}

/* After s->config.cur changed from *before: record the step.  Returns reactions. */
static unsigned commit(struct session *s, const struct config *before)
{
	if (config_equal(before, &s->config.cur))
		return REACT_REDRAW;
	push(s->config.undo, &s->config.n_undo, before);
	s->config.n_redo = 0;
	return REACT_RECALC | REACT_REDRAW;
}

bool session_set_config(struct session *s, const struct config *c)
{
	struct config before = s->config.cur;
	s->config.cur = *c;
	return commit(s, &before) & REACT_RECALC;
}

bool session_undo(struct session *s)
{
	if (!s->config.n_undo)
		return false;
	push(s->config.redo, &s->config.n_redo, &s->config.cur);
	s->config.cur = s->config.undo[--s->config.n_undo];
	return true;
}

bool session_redo(struct session *s)
{
	if (!s->config.n_redo)
		return false;
	push(s->config.undo, &s->config.n_undo, &s->config.cur);
	s->config.cur = s->config.redo[--s->config.n_redo];
	return true;
}

/* Status after undo, redo or adopting a row: the first slider whose
 * shown value differs between before and the live configuration, as
 * "<verb> context 40,960 of 131,072 tokens". */
static void status_change(struct session *s, const struct config *before, const char *verb)
{
	/* No bits per weight: the evaluation is of neither yet. */
	for (int i = 0; i < SL_COUNT; i++) {
		char v[SESSION_TEXT_MAX], was[SESSION_TEXT_MAX];
		slider_table[i].format(s, before, NULL, was, sizeof(was));
		slider_table[i].format(s, &s->config.cur, NULL, v, sizeof(v));
		if (strcmp(v, was)) {
			session_status(s, STATUS_INFO, "%s %s %s (was %s)", verb,
			               slider_table[i].label, v, was);
			return;
		}
	}
	session_status(s, STATUS_INFO, "%s the last change", verb);
}

/* ---- fit and hardware list ---- */

enum fit_level session_fit_level(const struct session *s, const struct hw_fit *f,
                                 uint64_t budget_bytes)
{
	if (!f->fits)
		return FIT_NO;
	return f->headroom_bytes < (int64_t)margin_bytes(&s->config.margin, budget_bytes)
	           ? FIT_TIGHT
	           : FIT_OK;
}

/* ctx: the device list the rows index. */
static int by_fit(const void *a, const void *b, void *ctx)
{
	const struct device_list *rank_devs = ctx;
	const struct hw_row *x = a, *y = b;
	if (x->group != y->group)
		return x->group - y->group;
	uint64_t mx = hw_usable_bytes(&rank_devs->v[x->dev]);
	uint64_t my = hw_usable_bytes(&rank_devs->v[y->dev]);
	if (x->group == 1 && x->needed != y->needed)
		return x->needed < y->needed ? -1 : 1;
	if (mx != my)
		return (x->group == 2 ? mx > my : mx < my) ? -1 : 1;
	return strcmp(rank_devs->v[x->dev].name, rank_devs->v[y->dev].name);
}

size_t session_rank_hardware(const struct estimate *est, const struct device_list *devs, int filter,
                             const struct margin *margin, struct hw_row *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < devs->n && n < max; i++) {
		const struct device *d = &devs->v[i];
		if (filter >= 0 && (int)d->category != filter)
			continue;
		struct hw_fit f;
		hw_fit(est, d, 1, &f);
		struct hw_row r = {
		    .dev = i, .needed = f.needed, .usable_bytes = hw_usable_bytes(d)};
		if (est->gpu_bytes == 0 || f.fits) {
			r.group = 0;
			r.needed = 1;
			r.headroom_bytes = f.headroom_bytes;
			uint64_t m = margin_bytes(margin, evaluate_budget_bytes(d, est));
			r.level = r.headroom_bytes < (int64_t)m ? FIT_TIGHT : FIT_OK;
		} else if (f.needed > 1) {
			r.group = 1;
			r.headroom_bytes = f.needed_headroom_bytes;
			r.level = FIT_TIGHT;
		} else {
			r.group = 2;
			r.headroom_bytes = f.headroom_bytes;
			r.level = FIT_NO;
		}
		out[n++] = r;
	}
	sort_with(out, n, sizeof(*out), by_fit, (void *)devs);
	return n;
}

/* ---- recalculation ---- */

void session_request(const struct session *s, const struct config *c, struct request *r)
{
	memset(r, 0, sizeof(*r));
	r->model = session_model(s, c->model);
	r->settings = c->set;
	size_t dev[CLI_MAX_GPU_GROUPS];
	uint32_t count[CLI_MAX_GPU_GROUPS];
	dev[0] = c->gpu;
	count[0] = c->gpu_count;
	for (int i = 0; i < c->n_more; i++) {
		dev[i + 1] = c->more_gpu[i];
		count[i + 1] = c->more_count[i];
	}
	request_fill_set(s->devs, c->n_more + 1, dev, count, &r->set);
	r->host_ram_bytes = s->config.host_ram_bytes;
	r->margin = s->config.margin;
	r->speed = s->config.speed_params;
	r->want_speed = true;
}

static void run_one(struct session *s, const struct config *c, struct evaluation *ev)
{
	struct request r;
	session_request(s, c, &r);
	evaluate(&r, &s->scratch, ev);
}

static void recalc_compare(struct session *s)
{
	const struct model *m = session_model(s, s->config.cur.model);
	const struct device *d = &s->devs->v[s->config.cur.gpu];
	for (int i = 0; i < FT_COUNT; i++) {
		struct compare_row *r = &s->screen.cmp[i];
		struct settings st = s->config.cur.set;
		memset(r, 0, sizeof(*r));
		r->ftype = session_quant_order(s, s->config.cur.model)[i];
		st.ftype = r->ftype;
		st.file_types = false;
		/* A row of the other engine: its KV cache type as the engine
		 * slider would switch it; llama.cpp's offload modes have no
		 * vLLM equivalent. */
		enum ftype_engine engine = ftype_get(r->ftype)->engine;
		session_kv_for_engine(&st, engine);
		if (engine == FT_VLLM && st.offload != OFFLOAD_GPU) {
			snprintf(r->err, sizeof(r->err), "n/a: llama.cpp offload");
			continue;
		}
		struct estimate e;
		r->valid = estimate_check_run(m, &s->scratch, &st, &e, r->err, sizeof(r->err));
		if (!r->valid)
			continue;
		r->weights_bytes = e.weights_bytes;
		r->kv_bytes = e.kv_bytes;
		r->total_bytes = e.total_bytes;
		r->gpu_bytes = e.gpu_bytes;
		r->bpw = e.weights_bpw;
		r->weights_gpu_bytes = e.weights_gpu_bytes;
		r->kv_gpu_bytes = e.kv_gpu_bytes;
		r->capacity_bytes = evaluate_budget_bytes(d, &e) * s->config.cur.gpu_count;
		hw_fit_count(&e, d, s->config.cur.gpu_count, &r->fit);
		r->level = session_fit_level(s, &r->fit, evaluate_budget_bytes(d, &e));
	}
}

enum layout_kind session_view_layout(enum view v)
{
	switch (v) {
	case VIEW_MAIN:
		return LAYOUT_MAIN;
	case VIEW_WHATIF:
		return LAYOUT_SPLIT;
	default:
		return LAYOUT_FULL;
	}
}

void session_recalc(struct session *s)
{
	if (s->screen.view == VIEW_COMPARE)
		recalc_compare(s);
	if (s->config.pinned)
		run_one(s, &s->config.pin, &s->results.pin_ev);
	if (s->screen.view == VIEW_RANK)
		session_rank(s);
	/* The live evaluation: the hardware list below reads it. */
	run_one(s, &s->config.cur, &s->results.ev);
	/* The hardware list is drawn in the main view only; the other views
	 * leave it as it was (open_view recalculates on the way back). */
	if (s->screen.view == VIEW_MAIN || !s->results.ev.valid) {
		s->screen.n_hw =
		    s->results.ev.valid
		        ? session_rank_hardware(&s->results.ev.est, s->devs, s->screen.hw_filter,
		                                &s->config.margin, s->screen.hw, s->devs->n)
		        : 0;
		if (s->screen.hw_sel >= s->screen.n_hw)
			s->screen.hw_sel = s->screen.n_hw ? s->screen.n_hw - 1 : 0;
	}
	if (s->screen.view == VIEW_EXPLAIN)
		session_explain(s);
	if (s->screen.view == VIEW_PLAN && s->results.ev.valid &&
	    !(s->screen.plan_fresh && config_equal(&s->screen.plan_for, &s->config.cur)))
		session_plan(s);
	if (s->screen.view == VIEW_CHART && s->results.ev.valid)
		session_chart(s);
	if (s->screen.view == VIEW_MAIN && s->screen.show_speed && s->results.ev.valid)
		session_speed(s);
}

/* ---- pickers ---- */

/* Case-insensitive substring. */
static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (!n)
		return true;
	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return false;
}

/* A word like "<10b" or ">500m": compare a parameter count. */
static bool size_bound_matches(const char *w, uint64_t params, bool *matched)
{
	if (w[0] != '<' && w[0] != '>')
		return false;
	char *end;
	double v = strtod(w + 1, &end);
	if (end == w + 1)
		return false;
	if (*end == 'b' || *end == 'B')
		v *= 1e9, end++;
	else if (*end == 'm' || *end == 'M')
		v *= 1e6, end++;
	else if (*end == 't' || *end == 'T')
		v *= 1e12, end++;
	else
		v *= 1e9;
	if (*end)
		return false;
	*matched = w[0] == '<' ? (double)params < v : (double)params > v;
	return true;
}

bool session_model_matches(const struct session *s, size_t i, const char *query)
{
	const struct model_meta *meta = &s->cat->v[i].meta;
	uint64_t params = s->models[i].params_total;
	char hay[512], p[32];
	double b = (double)params / 1e9;
	snprintf(hay, sizeof(hay), "%s %s %s %s %.0fb %.1fb %s", meta->id, meta->name, meta->family,
	         fmt_params(p, sizeof(p), params), b, b, s->models[i].arch.gguf_arch);
	char q[SESSION_TEXT_MAX];
	snprintf(q, sizeof(q), "%s", query);
	for (char *save = NULL, *w = strtok_r(q, " \t", &save); w;
	     w = strtok_r(NULL, " \t", &save)) {
		bool ok;
		if (size_bound_matches(w, params, &ok)) {
			if (!ok)
				return false;
		} else if (!contains(hay, w)) {
			return false;
		}
	}
	return true;
}

static bool gpu_matches(const struct session *s, size_t i, const char *query)
{
	const struct device *d = &s->devs->v[i];
	char hay[320];
	snprintf(hay, sizeof(hay), "%s %s %s %s %.0fgb %.0fgib", d->id, d->name, d->vendor,
	         hw_category_name(d->category), (double)d->memory_bytes / GB,
	         (double)d->memory_bytes / GIB);
	char q[SESSION_TEXT_MAX];
	snprintf(q, sizeof(q), "%s", query);
	for (char *save = NULL, *w = strtok_r(q, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		if (!contains(hay, w))
			return false;
	return true;
}

/* Rebuild the picker's matches from its query, keeping the selection on
 * the same item when it still matches. */
static void picker_filter(struct session *s)
{
	struct picker *p = &s->screen.pick;
	size_t keep = p->n ? p->match[p->sel] : (size_t)-1;
	p->n = 0;
	p->sel = 0;
	switch (s->screen.modal) {
	case MODAL_PICK_MODEL:
		for (size_t r = 0; r < s->cat->n; r++) {
			size_t i = s->model_order[r];
			if (session_model_matches(s, i, p->query))
				p->match[p->n++] = i;
		}
		break;
	case MODAL_PICK_GPU:
		for (size_t r = 0; r < s->devs->n; r++) {
			size_t i = s->gpu_order[r];
			if (gpu_matches(s, i, p->query))
				p->match[p->n++] = i;
		}
		break;
	case MODAL_PICK_SESSION:
		for (size_t i = 0; i < p->n_names; i++)
			if (contains(p->names[i], p->query))
				p->match[p->n++] = i;
		break;
	default:
		return;
	}
	for (size_t k = 0; k < p->n; k++)
		if (p->match[k] == keep)
			p->sel = k;
}

static void open_picker(struct session *s, enum modal m, size_t current)
{
	s->screen.modal = m;
	s->screen.pick.query[0] = '\0';
	s->screen.pick.n = 0;
	picker_filter(s);
	for (size_t k = 0; k < s->screen.pick.n; k++)
		if (s->screen.pick.match[k] == current)
			s->screen.pick.sel = k;
}

static unsigned picker_adopt(struct session *s)
{
	struct picker *p = &s->screen.pick;
	enum modal m = s->screen.modal;
	s->screen.modal = MODAL_NONE;
	if (!p->n)
		return REACT_REDRAW;
	size_t i = p->match[p->sel];
	struct config before = s->config.cur;
	if (m == MODAL_PICK_MODEL) {
		session_select_model(s, i);
		return commit(s, &before);
	}
	if (m == MODAL_PICK_GPU) {
		s->config.cur.gpu = i;
		return commit(s, &before);
	}
	/* A saved session. */
	struct config c;
	char err[256];
	if (!session_load(s, p->names[i], &c, err, sizeof(err))) {
		session_status(s, STATUS_ERROR, "%s", err);
		return REACT_REDRAW;
	}
	s->config.cur = c;
	session_status(s, STATUS_INFO, "loaded session '%s'", p->names[i]);
	return commit(s, &before) | REACT_RECALC;
}

static unsigned picker_key(struct session *s, int key)
{
	struct picker *p = &s->screen.pick;
	size_t len = strlen(p->query);
	switch (key) {
	case KEYC_ESC:
		s->screen.modal = MODAL_NONE;
		return REACT_REDRAW;
	case KEYC_ENTER:
		return picker_adopt(s);
	case KEYC_UP:
		if (p->sel)
			p->sel--;
		return REACT_REDRAW;
	case KEYC_DOWN:
		if (p->sel + 1 < p->n)
			p->sel++;
		return REACT_REDRAW;
	case KEYC_PGUP:
		p->sel = p->sel > PAGE ? p->sel - PAGE : 0;
		return REACT_REDRAW;
	case KEYC_PGDN:
		p->sel = p->n ? (p->sel + PAGE < p->n ? p->sel + PAGE : p->n - 1) : 0;
		return REACT_REDRAW;
	case KEYC_BACKSPACE:
		if (len)
			p->query[len - 1] = '\0';
		picker_filter(s);
		return REACT_REDRAW;
	case KEYC_CTRL_U:
		p->query[0] = '\0';
		picker_filter(s);
		return REACT_REDRAW;
	default:
		if (key >= 32 && key < 127 && len + 1 < sizeof(p->query)) {
			p->query[len] = (char)key;
			p->query[len + 1] = '\0';
			picker_filter(s);
		}
		return REACT_REDRAW;
	}
}

/* ---- hardware-list search ---- */

/* Does row i of the hardware list match the search text (name or id,
 * any case)? */
static bool hw_row_matches(const struct session *s, size_t i, const char *q)
{
	const struct device *d = &s->devs->v[s->screen.hw[i].dev];
	return contains(d->name, q) || contains(d->id, q);
}

/* Select the hardware row matching hw_query, starting `from` rows after
 * the selection and going in dir (1 or -1), wrapping around. */
static unsigned hw_search(struct session *s, size_t from, int dir)
{
	if (!s->screen.hw_query[0]) {
		session_status(s, STATUS_INFO, "no search yet: Tab to the hardware list, then /");
		return REACT_REDRAW;
	}
	size_t n = s->screen.n_hw;
	for (size_t k = 0; k < n; k++) {
		size_t step = (from + k) % n;
		size_t i =
		    dir > 0 ? (s->screen.hw_sel + step) % n : (s->screen.hw_sel + n - step % n) % n;
		if (hw_row_matches(s, i, s->screen.hw_query)) {
			s->screen.hw_sel = i;
			s->screen.pane = PANE_HARDWARE;
			session_status(s, STATUS_INFO, "'%s': %s (n next, N previous)",
			               s->screen.hw_query, s->devs->v[s->screen.hw[i].dev].name);
			return REACT_REDRAW;
		}
	}
	session_status(s, STATUS_WARN, "'%s': no device in the list matches%s", s->screen.hw_query,
	               s->screen.hw_filter >= 0 ? " (f shows every category)" : "");
	return REACT_REDRAW;
}

/* ---- prompts ---- */

static void open_prompt(struct session *s, enum prompt_kind kind, const char *initial)
{
	s->screen.modal = MODAL_PROMPT;
	s->screen.prompt_kind = kind;
	snprintf(s->screen.prompt, sizeof(s->screen.prompt), "%s", initial);
}

static unsigned prompt_submit(struct session *s)
{
	char err[256];
	s->screen.modal = MODAL_NONE;
	if (s->screen.prompt_kind == PROMPT_SAVE && session_saved_exists(s, s->screen.prompt)) {
		/* Ask before replacing a saved session. */
		snprintf(s->screen.save_name, sizeof(s->screen.save_name), "%s", s->screen.prompt);
		open_prompt(s, PROMPT_OVERWRITE, "");
		return REACT_REDRAW;
	}
	if (s->screen.prompt_kind == PROMPT_SAVE || s->screen.prompt_kind == PROMPT_OVERWRITE) {
		const char *name =
		    s->screen.prompt_kind == PROMPT_SAVE ? s->screen.prompt : s->screen.save_name;
		if (s->screen.prompt_kind == PROMPT_OVERWRITE && s->screen.prompt[0] != 'y' &&
		    s->screen.prompt[0] != 'Y') {
			session_status(s, STATUS_INFO, "not saved: session '%s' kept as it was",
			               name);
			return REACT_REDRAW;
		}
		if (!session_save(s, name, err, sizeof(err))) {
			session_status(s, STATUS_ERROR, "%s", err);
			return REACT_REDRAW;
		}
		session_status(s, STATUS_INFO, "saved session '%s' in %s", name, s->sessions_dir);
		return REACT_REDRAW;
	}
	if (s->screen.prompt_kind == PROMPT_HW_SEARCH) {
		snprintf(s->screen.hw_query, sizeof(s->screen.hw_query), "%s", s->screen.prompt);
		return hw_search(s, 0, 1);
	}
	const struct slider_def *d = &slider_table[s->screen.slider];
	if ((!d->set_text && !d->field) || !s->screen.prompt[0])
		return REACT_REDRAW;
	struct config before = s->config.cur;
	bool ok = d->set_text ? d->set_text(s, s->screen.prompt, err, sizeof(err))
	                      : session_set_field(s, d->field, s->screen.prompt, err, sizeof(err));
	if (!ok) {
		s->config.cur = before;
		session_status(s, STATUS_ERROR, "%s", err);
		return REACT_REDRAW;
	}
	return commit(s, &before);
}

static unsigned prompt_key(struct session *s, int key)
{
	size_t len = strlen(s->screen.prompt);
	/* The overwrite question takes one key: y replaces, anything else keeps. */
	if (s->screen.prompt_kind == PROMPT_OVERWRITE && key != KEYC_ENTER) {
		s->screen.prompt[0] = key == 'y' || key == 'Y' ? 'y' : 'n';
		s->screen.prompt[1] = '\0';
		return prompt_submit(s);
	}
	switch (key) {
	case KEYC_ESC:
		s->screen.modal = MODAL_NONE;
		return REACT_REDRAW;
	case KEYC_ENTER:
		return prompt_submit(s);
	case KEYC_BACKSPACE:
		if (len)
			s->screen.prompt[len - 1] = '\0';
		return REACT_REDRAW;
	case KEYC_CTRL_U:
		s->screen.prompt[0] = '\0';
		return REACT_REDRAW;
	default:
		if (key >= 32 && key < 127 && len + 1 < sizeof(s->screen.prompt)) {
			s->screen.prompt[len] = (char)key;
			s->screen.prompt[len + 1] = '\0';
		}
		return REACT_REDRAW;
	}
}

/* ---- actions ---- */

static bool slider_on(const struct session *s, int i)
{
	return !slider_table[i].enabled || slider_table[i].enabled(s);
}

/* Move slider focus by dir, skipping disabled sliders. */
static void focus_slider(struct session *s, int dir)
{
	int i = s->screen.slider;
	do {
		i += dir;
	} while (i >= 0 && i < SL_COUNT && !slider_on(s, i));
	if (i >= 0 && i < SL_COUNT)
		s->screen.slider = i;
}

static unsigned step_slider(struct session *s, int dir, bool big)
{
	if (!slider_on(s, s->screen.slider))
		return REACT_REDRAW;
	struct config before = s->config.cur;
	slider_table[s->screen.slider].step(s, dir, big);
	return commit(s, &before);
}

/* A list of n rows with selection *sel: move by delta, clamped. */
static void move_sel(size_t *sel, size_t n, long delta)
{
	long v = (long)*sel + delta;
	long max = n ? (long)n - 1 : 0;
	*sel = (size_t)(v < 0 ? 0 : v > max ? max : v);
}

static bool in_slider_view(const struct session *s)
{
	return (s->screen.view == VIEW_MAIN && s->screen.pane == PANE_SLIDERS) ||
	       s->screen.view == VIEW_WHATIF;
}

/* The what-if table scrolls with PgUp, PgDn, Home and End (Up and Down
 * choose the slider, + and - step it), the plan view's text below its
 * answers with PgUp and PgDn (Up, Down, Home and End choose the answer):
 * a page is what the view shows. */
static unsigned whatif_scroll(struct session *s, long delta)
{
	long page = s->screen.page_rows > 1 ? s->screen.page_rows - 1 : PAGE;
	long v =
	    (long)s->screen.scroll + (delta == -100000 || delta == 100000 ? delta : delta * page);
	s->screen.scroll = (int)(v < 0 ? 0 : v > 1000 ? 1000 : v);
	return REACT_REDRAW;
}

static unsigned move(struct session *s, long delta, bool big)
{
	if ((s->screen.view == VIEW_WHATIF && (big || delta == -100000 || delta == 100000)) ||
	    (s->screen.view == VIEW_PLAN && big))
		return whatif_scroll(s, big ? (delta < 0 ? -1 : 1) : delta);
	if (in_slider_view(s)) {
		if (delta == -100000)
			s->screen.slider = 0;
		else if (delta == 100000)
			s->screen.slider = SL_COUNT - 1;
		else
			focus_slider(s, delta < 0 ? -1 : 1);
		if (!slider_on(s, s->screen.slider))
			focus_slider(s, delta < 0 ? 1 : -1);
		return REACT_REDRAW;
	}
	long d = big ? (delta < 0 ? -PAGE : PAGE) : delta;
	switch (s->screen.view) {
	case VIEW_MAIN:
		move_sel(&s->screen.hw_sel, s->screen.n_hw, d);
		break;
	case VIEW_COMPARE:
		move_sel(&s->screen.cmp_sel, FT_COUNT, d);
		break;
	case VIEW_PLAN:
		move_sel(&s->screen.plan_sel, SOLVE_COUNT, d);
		break;
	default:
		if (big && s->screen.page_rows > 1) /* a page of text is what the view shows */
			d = delta < 0 ? -(s->screen.page_rows - 1) : s->screen.page_rows - 1;
		s->screen.scroll += (int)(d < -1000 ? -s->screen.scroll : d > 1000 ? 1000 : d);
		if (s->screen.scroll < 0)
			s->screen.scroll = 0;
		break;
	}
	return REACT_REDRAW;
}

static unsigned enter(struct session *s)
{
	struct config before = s->config.cur;
	if (s->screen.view == VIEW_COMPARE) {
		const struct compare_row *r = &s->screen.cmp[s->screen.cmp_sel];
		if (!r->valid) {
			session_status(s, STATUS_WARN, "%s: %s", ftype_get(r->ftype)->name,
			               !strncmp(r->err, "n/a: llama.cpp offload", 22)
			                   ? "vLLM keeps every weight on the GPU; set offload to "
			                     "all on GPU (or switch the engine) first"
			                   : r->err);
			return REACT_REDRAW;
		}
		s->config.cur.set.ftype = r->ftype;
		s->config.cur.set.file_types = false;
		session_kv_for_engine(&s->config.cur.set, ftype_get(r->ftype)->engine);
		s->screen.view = VIEW_MAIN;
		status_change(s, &before, "adopted");
		return commit(s, &before) | REACT_RECALC | REACT_REDRAW;
	}
	if (s->screen.view == VIEW_PLAN)
		return session_plan_adopt(s, (enum solve_what)s->screen.plan_sel);
	if (s->screen.view == VIEW_MAIN && s->screen.pane == PANE_HARDWARE) {
		if (!s->screen.n_hw)
			return REACT_REDRAW;
		const struct hw_row *r = &s->screen.hw[s->screen.hw_sel];
		s->config.cur.gpu = r->dev;
		s->config.cur.gpu_count = r->needed ? r->needed : 1;
		s->config.cur.n_more = 0;
		status_change(s, &before, "adopted");
		return commit(s, &before);
	}
	const struct slider_def *d = &slider_table[s->screen.slider];
	switch (d->edit) {
	case EDIT_TOGGLE: {
		int pos, count;
		d->position(s, &pos, &count);
		d->step(s, pos ? -1 : 1, false);
		return commit(s, &before);
	}
	case EDIT_PICK_MODEL:
		open_picker(s, MODAL_PICK_MODEL, s->config.cur.model);
		return REACT_REDRAW;
	case EDIT_PICK_GPU:
		open_picker(s, MODAL_PICK_GPU, s->config.cur.gpu);
		return REACT_REDRAW;
	case EDIT_NUMBER:
		if (slider_on(s, s->screen.slider))
			open_prompt(s, PROMPT_SLIDER, "");
		return REACT_REDRAW;
	default:
		return REACT_REDRAW;
	}
}

bool session_set_add(struct config *c, size_t dev)
{
	if (config_device_count(c) >= HW_MAX_DEVICES)
		return false;
	if (c->gpu == dev) {
		c->gpu_count++;
		return true;
	}
	for (int i = 0; i < c->n_more; i++)
		if (c->more_gpu[i] == dev) {
			c->more_count[i]++;
			return true;
		}
	if (c->n_more == CONFIG_MORE_MAX)
		return false;
	c->more_gpu[c->n_more] = dev;
	c->more_count[c->n_more++] = 1;
	return true;
}

bool session_set_remove(struct config *c, size_t dev)
{
	for (int i = 0; i < c->n_more; i++) {
		if (c->more_gpu[i] != dev)
			continue;
		if (--c->more_count[i] == 0) {
			for (int j = i; j + 1 < c->n_more; j++) {
				c->more_gpu[j] = c->more_gpu[j + 1];
				c->more_count[j] = c->more_count[j + 1];
			}
			c->n_more--;
		}
		return true;
	}
	if (c->gpu != dev)
		return false;
	if (c->gpu_count > 1) {
		c->gpu_count--;
		return true;
	}
	if (!c->n_more)
		return false; /* the last device stays */
	/* the first type is gone: the next one leads the set */
	c->gpu = c->more_gpu[0];
	c->gpu_count = c->more_count[0];
	for (int j = 0; j + 1 < c->n_more; j++) {
		c->more_gpu[j] = c->more_gpu[j + 1];
		c->more_count[j] = c->more_count[j + 1];
	}
	c->n_more--;
	return true;
}

/* a/r in the hardware list: one more, or one fewer, of the selected
 * device in the set. */
static unsigned set_add_remove(struct session *s, bool add)
{
	if (s->screen.view != VIEW_MAIN || s->screen.pane != PANE_HARDWARE || !s->screen.n_hw) {
		session_status(s, STATUS_INFO,
		               "a and r add and remove devices in the hardware list (Tab)");
		return REACT_REDRAW;
	}
	struct config before = s->config.cur;
	const struct device *d = &s->devs->v[s->screen.hw[s->screen.hw_sel].dev];
	bool ok = add ? session_set_add(&s->config.cur, s->screen.hw[s->screen.hw_sel].dev)
	              : session_set_remove(&s->config.cur, s->screen.hw[s->screen.hw_sel].dev);
	if (!ok) {
		if (add)
			session_status(s, STATUS_WARN, "set: at most %d devices of %d types",
			               HW_MAX_DEVICES, CLI_MAX_GPU_GROUPS);
		else
			session_status(s, STATUS_WARN,
			               "set: %s is not in the set (or is its last device)", d->id);
		return REACT_REDRAW;
	}
	unsigned r = commit(s, &before);
	session_status(s, STATUS_INFO, "set: %s %s, %u device%s", add ? "added" : "removed",
	               fmt_device_short_name(d), config_device_count(&s->config.cur),
	               config_device_count(&s->config.cur) == 1 ? "" : "s");
	return r;
}

static unsigned open_view(struct session *s, enum view v)
{
	s->screen.view = s->screen.view == v ? VIEW_MAIN : v;
	s->screen.scroll = 0;
	if (s->screen.view == VIEW_COMPARE)
		s->screen.cmp_sel = (size_t)session_quant_pos(s, s->config.cur.set.ftype);
	if (s->screen.view == VIEW_WHATIF && !s->config.pinned)
		session_status(s, STATUS_INFO,
		               "press p to pin this configuration as A, then move "
		               "the sliders to see B beside it");
	return REACT_RECALC | REACT_REDRAW;
}

unsigned session_action(struct session *s, int action)
{
	if (s->screen.view == VIEW_RANK) {
		unsigned r = session_rank_action(s, action);
		if (r != REACT_NONE)
			return r;
	}
	switch ((enum action)action) {
	case ACT_UP:
		return move(s, -1, false);
	case ACT_DOWN:
		return move(s, 1, false);
	case ACT_HOME:
		return move(s, -100000, false);
	case ACT_END:
		return move(s, 100000, false);
	case ACT_LEFT:
	case ACT_RIGHT: {
		int dir = action == ACT_LEFT ? -1 : 1;
		if (s->screen.view == VIEW_MAIN && s->screen.pane == PANE_HARDWARE) {
			s->screen.hw_filter += dir;
			if (s->screen.hw_filter < -1)
				s->screen.hw_filter = HW_CAT_COUNT - 1;
			if (s->screen.hw_filter >= HW_CAT_COUNT)
				s->screen.hw_filter = -1;
			s->screen.hw_sel = 0;
			return REACT_RECALC | REACT_REDRAW;
		}
		return in_slider_view(s) ? step_slider(s, dir, false) : REACT_NONE;
	}
	case ACT_BIG_UP:
	case ACT_BIG_DOWN: { /* + and -: a big step on the slider */
		int dir = action == ACT_BIG_DOWN ? -1 : 1;
		if (in_slider_view(s))
			return step_slider(s, dir, true);
		/* In lists and text up is the opposite sign. */
		return move(s, -dir, true);
	}
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN: { /* a page of the list, table or text */
		int dir = action == ACT_PAGE_DOWN ? 1 : -1;
		if (s->screen.view == VIEW_MAIN && s->screen.pane == PANE_SLIDERS)
			return step_slider(s, -dir, true); /* no table there: a big step */
		return move(s, dir, true);
	}
	case ACT_FOCUS_NEXT:
	case ACT_FOCUS_PREV:
		/* Where there is no room for both, the hardware list is drawn
		 * in place of the sliders while it has the focus (hw_hidden):
		 * Tab shows it, Tab again brings the sliders back. */
		s->screen.pane = s->screen.pane == PANE_SLIDERS ? PANE_HARDWARE : PANE_SLIDERS;
		if (s->screen.hw_hidden && s->screen.pane == PANE_HARDWARE)
			session_status(
			    s, STATUS_INFO,
			    "hardware list: Enter adopts a device, Tab brings the sliders "
			    "back");
		return REACT_REDRAW;
	case ACT_ENTER:
		return enter(s);
	case ACT_SEARCH:
		if (s->screen.view == VIEW_MAIN && s->screen.pane == PANE_HARDWARE) {
			open_prompt(s, PROMPT_HW_SEARCH, "");
			return REACT_REDRAW;
		}
		s->screen.slider = SL_MODEL;
		s->screen.pane = PANE_SLIDERS;
		open_picker(s, MODAL_PICK_MODEL, s->config.cur.model);
		return REACT_REDRAW;
	case ACT_NEXT_MATCH:
	case ACT_PREV_MATCH:
		if (s->screen.view != VIEW_MAIN || !s->screen.n_hw)
			return REACT_NONE;
		return hw_search(s, 1, action == ACT_NEXT_MATCH ? 1 : -1);
	case ACT_FILTER:
		if (s->screen.hw_hidden && s->screen.pane != PANE_HARDWARE) {
			session_status(s, STATUS_INFO,
			               "f filters the hardware list: Tab shows it first");
			return REACT_REDRAW;
		}
		s->screen.hw_filter =
		    s->screen.hw_filter + 1 >= HW_CAT_COUNT ? -1 : s->screen.hw_filter + 1;
		s->screen.hw_sel = 0;
		return REACT_RECALC | REACT_REDRAW;
	case ACT_HELP:
		return open_view(s, VIEW_HELP);
	case ACT_COMPARE:
		return open_view(s, VIEW_COMPARE);
	case ACT_EXPLAIN:
		return open_view(s, VIEW_EXPLAIN);
	case ACT_WHATIF:
		return open_view(s, VIEW_WHATIF);
	case ACT_PLAN:
		return open_view(s, VIEW_PLAN);
	case ACT_RANK:
		return open_view(s, VIEW_RANK);
	case ACT_CHART:
		return open_view(s, VIEW_CHART);
	case ACT_CHART_AXIS:
		if (s->screen.view != VIEW_CHART)
			return REACT_NONE;
		s->screen.chart.axis =
		    s->screen.chart.axis == CHART_CONTEXT ? CHART_BATCH : CHART_CONTEXT;
		return REACT_RECALC | REACT_REDRAW;
	case ACT_SORT:
		return REACT_NONE; /* the models view's (session_rank_action) */
	case ACT_SET_ADD:
	case ACT_SET_REMOVE:
		return set_add_remove(s, action == ACT_SET_ADD);
	case ACT_PIN:
		s->config.pinned = true;
		s->config.pin = s->config.cur;
		session_status(s, STATUS_INFO,
		               "pinned A; changes now show as B beside it (w: what-if, "
		               "P: unpin)");
		return REACT_RECALC | REACT_REDRAW;
	case ACT_UNPIN:
		s->config.pinned = false;
		session_status(s, STATUS_INFO, "unpinned A");
		return REACT_REDRAW;
	case ACT_UNDO:
	case ACT_REDO: {
		struct config before = s->config.cur;
		bool undo = action == ACT_UNDO;
		if (!(undo ? session_undo(s) : session_redo(s))) {
			session_status(s, STATUS_INFO, "nothing to %s", undo ? "undo" : "redo");
			return REACT_REDRAW;
		}
		status_change(s, &before, undo ? "undone:" : "redone:");
		return REACT_RECALC | REACT_REDRAW;
	}
	case ACT_SAVE:
		open_prompt(s, PROMPT_SAVE, "");
		return REACT_REDRAW;
	case ACT_LOAD:
		s->screen.pick.n_names =
		    session_list_saved(s->sessions_dir, s->screen.pick.names, SESSION_SAVED_MAX);
		if (!s->screen.pick.n_names) {
			session_status(s, STATUS_INFO, "no saved sessions in %s (s saves one)",
			               s->sessions_dir);
			return REACT_REDRAW;
		}
		open_picker(s, MODAL_PICK_SESSION, 0);
		return REACT_REDRAW;
	case ACT_BACK:
		s->screen.view = VIEW_MAIN;
		return REACT_RECALC | REACT_REDRAW; /* the hardware list is the main view's */
	case ACT_QUIT:
		return REACT_QUIT;
	case ACT_COUNT:
		break;
	}
	return REACT_NONE;
}

unsigned session_key(struct session *s, int key)
{
	if (s->screen.modal == MODAL_PROMPT)
		return prompt_key(s, key);
	if (s->screen.modal != MODAL_NONE)
		return picker_key(s, key);
	/* A digit on a numeric slider starts typing its exact value. */
	if (key >= '0' && key <= '9' && in_slider_view(s) &&
	    slider_table[s->screen.slider].edit == EDIT_NUMBER && slider_on(s, s->screen.slider)) {
		char first[2] = {(char)key, '\0'};
		open_prompt(s, PROMPT_SLIDER, first);
		return REACT_REDRAW;
	}
	int a = keys_lookup(key, s->screen.view);
	return a < 0 ? REACT_NONE : session_action(s, a);
}

unsigned session_key_when(const struct session *s)
{
	unsigned w = 0;
	if (s->screen.view == VIEW_MAIN &&
	    (!s->screen.hw_hidden || s->screen.pane == PANE_HARDWARE))
		w |= KEYS_WHEN_HW_SHOWN;
	if (s->screen.view == VIEW_MAIN && s->screen.pane == PANE_HARDWARE)
		w |= KEYS_WHEN_HW_FOCUS;
	if (s->config.pinned)
		w |= KEYS_WHEN_PINNED;
	return w;
}

unsigned session_layout_flags(const struct session *s)
{
	return s->screen.view == VIEW_MAIN && s->screen.pane == PANE_HARDWARE ? LAYOUT_HW_FOCUS
	                                                                      : 0u;
}

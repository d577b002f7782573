/*
 * ranking.c - the catalog ranked for one device set (see ranking.h).
 */
#include "ranking.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format.h"
#include "session.h"

static const char *const sort_names[RANK_SORT_COUNT] = {
    [RANK_SORT_QUALITY] = "quality",
    [RANK_SORT_SIZE] = "size",
    [RANK_SORT_SPEED] = "speed",
    [RANK_SORT_CONTEXT] = "context",
};

const char *rank_sort_name(enum rank_sort s)
{
	return (s >= 0 && s < RANK_SORT_COUNT) ? sort_names[s] : "?";
}

bool rank_sort_find(const char *name, enum rank_sort *out)
{
	for (int i = 0; i < RANK_SORT_COUNT; i++) {
		if (!strcasecmp(name, sort_names[i])) {
			*out = (enum rank_sort)i;
			return true;
		}
	}
	return false;
}

/* "70b", "1.5B", "500m", "1t" into parameters; false on anything else. */
static bool parse_params(const char *s, size_t len, uint64_t *out)
{
	char buf[32];
	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!isdigit((unsigned char)buf[0]) && buf[0] != '.')
		return false;
	char *end;
	double v = strtod(buf, &end);
	double unit = 1e9;
	if (*end == 'b' || *end == 'B')
		end++;
	else if (*end == 'm' || *end == 'M')
		unit = 1e6, end++;
	else if (*end == 't' || *end == 'T')
		unit = 1e12, end++;
	if (*end || !(v >= 0) || v * unit > 1e15)
		return false;
	*out = (uint64_t)(v * unit + 0.5);
	return true;
}

bool rank_parse_size_range(const char *text, uint64_t *min_params, uint64_t *max_params, char *err,
                           size_t errlen)
{
	const char *dots = strstr(text, "..");
	uint64_t lo = 0, hi = 0;
	if (!dots) {
		uint64_t v;
		if (!parse_params(text, strlen(text), &v) || v == 0) {
			snprintf(
			    err, errlen,
			    "'%s' is not a size or a range of sizes (8b, 7b..70b, ..14b, 30b..)",
			    text);
			return false;
		}
		*min_params = (uint64_t)((double)v * 0.9);
		*max_params = (uint64_t)((double)v * 1.1);
		return true;
	}
	size_t a = (size_t)(dots - text);
	const char *b = dots + 2;
	if ((a && !parse_params(text, a, &lo)) || (*b && !parse_params(b, strlen(b), &hi)) ||
	    (!a && !*b)) {
		snprintf(err, errlen,
		         "'%s' is not a size or a range of sizes (8b, 7b..70b, ..14b, 30b..)",
		         text);
		return false;
	}
	if (*b && hi < lo) {
		snprintf(err, errlen, "'%s': the smallest size is above the largest", text);
		return false;
	}
	*min_params = lo;
	*max_params = hi;
	return true;
}

bool ranking_init(struct ranking *r, const struct catalog *cat, const struct model *models,
                  enum ftype_engine e)
{
	memset(r, 0, sizeof(*r));
	r->cat = cat;
	r->models = models;
	r->n = cat->n;
	r->engine = e;
	r->ladders = calloc(r->n ? r->n : 1, sizeof(*r->ladders));
	r->rows = calloc(r->n ? r->n : 1, sizeof(*r->rows));
	r->ev = calloc(1, sizeof(*r->ev));
	size_t tensors = 0;
	for (size_t i = 0; i < r->n; i++)
		if (models[i].tensors.n > tensors)
			tensors = models[i].tensors.n;
	if (!r->ladders || !r->rows || !r->ev || !estimate_scratch_init(&r->scratch, tensors)) {
		ranking_free(r);
		return false;
	}
	for (size_t i = 0; i < r->n; i++)
		rank_prepare(&models[i], &r->scratch, e, &r->ladders[i]);
	return true;
}

void ranking_free(struct ranking *r)
{
	free(r->ladders);
	free(r->rows);
	free(r->ev);
	estimate_scratch_free(&r->scratch);
	memset(r, 0, sizeof(*r));
}

static enum rank_verdict from_verdict(enum verdict v)
{
	switch (v) {
	case VERDICT_FITS:
		return RANK_FITS;
	case VERDICT_TIGHT:
		return RANK_TIGHT;
	case VERDICT_NO_HOST:
		return RANK_NO_HOST;
	case VERDICT_NO_FIT:
	default:
		return RANK_NO;
	}
}

void ranking_run(struct ranking *r, const struct request *q)
{
	assert(q->set.n >= 1);
	struct rank_query rq;
	memset(&rq, 0, sizeof(rq));
	rq.base = q->settings;
	rq.base.file_types = false;
	rq.devs = q->set.dev;
	rq.n_devs = q->set.n;
	rq.speed = q->speed;
	/* Each budget's margin, as evaluate() takes it: the budget depends on
	 * the engine only (vLLM's share of each GPU), so one estimate tells. */
	if (r->n && r->ladders[0].n) {
		struct estimate e;
		struct settings s = rq.base;
		s.ftype = r->ladders[0].ftype[0];
		estimate_run(&r->models[0], &r->scratch, &s, &e);
		for (uint32_t k = 0; k < q->set.n; k++)
			rq.keep_bytes[k] =
			    margin_bytes(&q->margin, evaluate_budget_bytes(q->set.dev[k], &e));
	}
	uint64_t pool = 0;
	for (uint32_t k = 0; k < q->set.n; k++)
		pool += q->set.dev[k]->memory_bytes;
	rq.keep_pool_bytes = margin_bytes(&q->margin, pool);
	rq.host_ram_bytes = q->host_ram_bytes;
	rq.keep_host_bytes = q->host_ram_bytes ? margin_bytes(&q->margin, q->host_ram_bytes) : 0;

	r->disagreements = 0;
	for (size_t i = 0; i < r->n; i++) {
		struct rank_row *row = &r->rows[i];
		rank_model(&r->models[i], &r->scratch, &r->ladders[i], &rq, row);
		if (row->verdict == RANK_INVALID)
			continue;
		/* the answer judged as --print judges it */
		struct request one = *q;
		one.model = &r->models[i];
		one.settings = rq.base;
		one.settings.ftype = row->ftype;
		one.want_speed = true;
		evaluate(&one, &r->scratch, r->ev);
		if (!r->ev->valid) {
			row->verdict = RANK_INVALID;
			snprintf(row->why, sizeof(row->why), "%.199s", r->ev->err);
			continue;
		}
		enum rank_verdict v = from_verdict(r->ev->verdict);
		if (v != row->verdict) {
			r->disagreements++;
			row->verdict = v;
		}
		snprintf(row->why, sizeof(row->why), "%s", r->ev->reason);
		/* the speed --print gives (one type, or a llama.cpp layer split);
		 * unknown when a device states no bandwidth */
		bool bw = true;
		for (uint32_t k = 0; k < q->set.n; k++)
			bw &= q->set.dev[k]->bandwidth_gbps > 0;
		row->speed_known = bw && r->ev->has_speed;
		if (row->speed_known && rank_runs(row->verdict)) {
			row->decode_tps = r->ev->speed.decode_tps;
			row->prefill_tps =
			    r->ev->speed.compute_known ? r->ev->speed.prefill_tps : 0;
		}
	}
	r->ran = true;
}

const char *ranking_set_label(const struct device_set *set, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (uint32_t i = 0; i < set->n && used < n;) {
		uint32_t j = i + 1;
		while (j < set->n && set->dev[j] == set->dev[i])
			j++;
		char g[32];
		int w = snprintf(buf + used, n - used, "%s%ux %s (%s)", used ? " + " : "", j - i,
		                 fmt_device_short_name(set->dev[i]),
		                 fmt_gib(g, sizeof(g), (double)hw_usable_bytes(set->dev[i])));
		used += w > 0 ? (size_t)w : 0;
		i = j;
	}
	return buf;
}

/* Case-insensitive substring. */
static bool contains_ci(const char *hay, const char *needle, size_t n)
{
	if (n == 0)
		return true;
	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return false;
}

/* Any comma-separated word of list in the family or the id. */
static bool family_matches(const struct model_meta *meta, const char *list)
{
	if (!*list)
		return true;
	for (const char *p = list;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		if (n && (contains_ci(meta->family, p, n) || contains_ci(meta->id, p, n)))
			return true;
		if (!comma)
			return false;
		p = comma + 1;
	}
}

static bool passes(const struct ranking *r, size_t i, const struct rank_filter *f)
{
	const struct model *m = &r->models[i];
	const struct rank_row *row = &r->rows[i];
	if (!family_matches(&r->cat->v[i].meta, f->family))
		return false;
	if (f->min_params && m->params_total < f->min_params)
		return false;
	if (f->max_params && m->params_total > f->max_params)
		return false;
	if (f->kind == RANK_KIND_MOE && m->arch.n_expert == 0)
		return false;
	if (f->kind == RANK_KIND_DENSE && m->arch.n_expert > 0)
		return false;
	if (f->min_ctx_tokens && row->max_ctx_tokens < f->min_ctx_tokens)
		return false;
	if (f->fitting_only && !rank_runs(row->verdict))
		return false;
	return true;
}

static int cmp_double_desc(double a, double b)
{
	return (a < b) - (a > b);
}

/* Order of two catalog entries: verdict, then the sort key, then id. */
static int compare(const struct ranking *r, enum rank_sort sort, size_t a, size_t b)
{
	const struct rank_row *x = &r->rows[a], *y = &r->rows[b];
	if (x->verdict != y->verdict)
		return x->verdict < y->verdict ? -1 : 1;
	int c = 0;
	switch (sort) {
	case RANK_SORT_SIZE:
		c = cmp_double_desc((double)r->models[a].params_total,
		                    (double)r->models[b].params_total);
		break;
	case RANK_SORT_SPEED:
		c = cmp_double_desc(x->decode_tps, y->decode_tps);
		break;
	case RANK_SORT_CONTEXT:
		c = cmp_double_desc((double)x->max_ctx_tokens, (double)y->max_ctx_tokens);
		break;
	case RANK_SORT_QUALITY:
	default:
		c = cmp_double_desc(x->quality, y->quality);
		break;
	}
	if (c)
		return c;
	if (sort != RANK_SORT_QUALITY && (c = cmp_double_desc(x->quality, y->quality)))
		return c;
	return strcmp(r->cat->v[a].meta.id, r->cat->v[b].meta.id);
}

size_t ranking_select(const struct ranking *r, const struct rank_filter *f, enum rank_sort sort,
                      size_t *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n && n < max; i++) {
		if (!passes(r, i, f))
			continue;
		/* insertion sort: a catalog is tens of models, and the order
		 * needs the ranking, which qsort could only reach via a global */
		size_t k = n++;
		while (k > 0 && compare(r, sort, out[k - 1], i) > 0) {
			out[k] = out[k - 1];
			k--;
		}
		out[k] = i;
	}
	return n;
}

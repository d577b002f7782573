/*
 * session_rank.c - the models view (m): the catalog ranked for the live
 * device set and context, its order and filter, and opening a model from
 * it.  State layer: no curses; the ui draws s->screen.rank.
 */
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "session.h"

/* What the ranking depends on: the live configuration without the model
 * and the quantization (only its engine counts). */
static struct config rank_key(const struct session *s)
{
	struct config k = s->config.cur;
	enum ftype_engine e = ftype_get(k.set.ftype)->engine;
	k.model = 0;
	k.set.ftype = e == FT_VLLM ? FT_V_BF16 : FT_Q4_K_M;
	k.set.file_types = false;
	return k;
}

void session_rank_free(struct session *s)
{
	struct rank_view *v = &s->screen.rank;
	if (v->ready)
		ranking_free(&v->r);
	free(v->order);
	v->order = NULL;
	v->ready = v->ran = false;
	v->n = 0;
}

/* Prepare the ladders for the live engine (again when it changed). */
static bool rank_prepare_view(struct session *s)
{
	struct rank_view *v = &s->screen.rank;
	enum ftype_engine e = ftype_get(s->config.cur.set.ftype)->engine;
	if (v->ready && v->r.engine == e)
		return true;
	if (v->ready)
		ranking_free(&v->r);
	v->ready = v->ran = false;
	if (!v->order && !(v->order = calloc(s->cat->n ? s->cat->n : 1, sizeof(*v->order))))
		return false;
	if (!ranking_init(&v->r, s->cat, s->models, e))
		return false;
	v->ready = true;
	return true;
}

void session_rank(struct session *s)
{
	struct rank_view *v = &s->screen.rank;
	if (!rank_prepare_view(s)) {
		session_status(s, STATUS_ERROR, "out of memory ranking %zu models", s->cat->n);
		v->n = 0;
		return;
	}
	struct config key = rank_key(s);
	/* the request the live configuration stands for: its device set
	 * (mixed too), host memory, margin and speed assumptions */
	struct request q;
	session_request(s, &s->config.cur, &q);
	bool same = v->ran && config_equal(&key, &v->key) &&
	            !memcmp(&q.margin, &v->margin, sizeof(q.margin)) &&
	            q.host_ram_bytes == v->host_ram_bytes;
	if (!same) {
		ranking_run(&v->r, &q);
		v->key = key;
		v->margin = q.margin;
		v->host_ram_bytes = q.host_ram_bytes;
		v->ran = true;
	}
	size_t keep = v->n && v->sel < v->n ? v->order[v->sel] : SIZE_MAX;
	v->n = ranking_select(&v->r, &v->filter, v->sort, v->order, s->cat->n);
	/* the selection stays on the same model when it is still listed */
	v->sel = 0;
	for (size_t k = 0; k < v->n; k++)
		if (v->order[k] == keep)
			v->sel = k;
}

/* Open the selected model in the main view at its ranked quantization. */
static unsigned rank_open(struct session *s)
{
	struct rank_view *v = &s->screen.rank;
	if (!v->n)
		return REACT_REDRAW;
	size_t i = v->order[v->sel];
	const struct rank_row *row = &v->r.rows[i];
	struct config before = s->config.cur;
	session_select_model(s, i);
	if (row->verdict != RANK_INVALID) {
		s->config.cur.set.ftype = row->ftype;
		s->config.cur.set.file_types = false;
		session_kv_for_engine(&s->config.cur.set, ftype_get(row->ftype)->engine);
	}
	struct config after = s->config.cur;
	s->config.cur = before;
	session_set_config(s, &after);
	s->screen.view = VIEW_MAIN;
	session_status(s, rank_runs(row->verdict) ? STATUS_INFO : STATUS_WARN, "%s at %s: %s",
	               s->cat->v[i].meta.id, ftype_get(row->ftype)->name,
	               rank_verdict_name(row->verdict));
	return REACT_RECALC | REACT_REDRAW;
}

/* The context slider's step, as one undoable change. */
static unsigned rank_context(struct session *s, int dir, bool big)
{
	struct config before = s->config.cur;
	slider_table[SL_CONTEXT].step(s, dir, big);
	struct config after = s->config.cur;
	s->config.cur = before;
	return session_set_config(s, &after) ? REACT_RECALC | REACT_REDRAW : REACT_REDRAW;
}

static void rank_move(struct rank_view *v, long delta)
{
	long max = v->n ? (long)v->n - 1 : 0;
	long at = (long)v->sel + delta;
	v->sel = (size_t)(at < 0 ? 0 : at > max ? max : at);
}

unsigned session_rank_action(struct session *s, int action)
{
	struct rank_view *v = &s->screen.rank;
	switch ((enum action)action) {
	case ACT_UP:
		rank_move(v, -1);
		return REACT_REDRAW;
	case ACT_DOWN:
		rank_move(v, 1);
		return REACT_REDRAW;
	case ACT_HOME:
		rank_move(v, -(long)v->n);
		return REACT_REDRAW;
	case ACT_END:
		rank_move(v, (long)v->n);
		return REACT_REDRAW;
	case ACT_LEFT:
	case ACT_RIGHT:
		return rank_context(s, action == ACT_LEFT ? -1 : 1, false);
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
		rank_move(v, action == ACT_PAGE_UP ? -10 : 10);
		return REACT_REDRAW;
	case ACT_ENTER:
		return rank_open(s);
	case ACT_SORT:
		v->sort = (enum rank_sort)((v->sort + 1) % RANK_SORT_COUNT);
		session_status(s, STATUS_INFO, "models ordered by %s", rank_sort_name(v->sort));
		return REACT_RECALC | REACT_REDRAW;
	case ACT_FILTER:
		v->filter.fitting_only = !v->filter.fitting_only;
		session_status(s, STATUS_INFO, "%s",
		               v->filter.fitting_only ? "only the models that fit"
		                                      : "every model, those that fit first");
		return REACT_RECALC | REACT_REDRAW;
	default:
		return REACT_NONE;
	}
}

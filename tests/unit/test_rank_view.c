/*
 * test_rank_view.c - the models view (m) without a terminal: it ranks the
 * catalog for the live devices as ranking.h does, follows the context,
 * orders and filters, and Enter opens a model at its ranked quantization
 * as one undoable step.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimate_once.h"
#include "keys.h"
#include "session.h"

static struct catalog cat;
static struct device_list devs;
static struct session S;

static size_t index_of(const char *id)
{
	const struct catalog_model *m = catalog_find(&cat, id);
	cr_assert_not_null(m, "profile %s missing", id);
	return (size_t)(m - cat.v);
}

/* llama-3.1-8b at 4096 tokens on two RTX 3090s. */
static void setup(void)
{
	struct profile_dirs dirs = {.n = 1};
	char err[PROFILE_ERR_LEN];
	snprintf(dirs.dir[0], sizeof(dirs.dir[0]), "profiles");
	cr_assert(catalog_load(&dirs, &cat, NULL, err, sizeof(err)), "%s", err);
	cr_assert(profile_load_all_hardware(&dirs, &devs, NULL, err, sizeof(err)), "%s", err);
	struct settings st;
	estimate_settings_default(&st);
	const struct device *d = device_find(&devs, "rtx-3090");
	cr_assert(d);
	cr_assert(session_init(&S, &cat, &devs, index_of("llama-3.1-8b"), &st, (size_t)(d - devs.v),
	                       2, NULL, err, sizeof(err)),
	          "%s", err);
	session_recalc(&S);
}

static void teardown(void)
{
	session_free(&S);
	catalog_free(&cat);
	device_list_free(&devs);
}

TestSuite(rank_view, .init = setup, .fini = teardown, .timeout = 60);

static unsigned press(int key)
{
	unsigned r = session_key(&S, key);
	if (r & REACT_RECALC)
		session_recalc(&S);
	return r;
}

/* The same ranking, run directly on the live configuration's request. */
static void expect_rows_as_ranking(void)
{
	struct ranking r;
	struct request q;
	session_request(&S, &S.config.cur, &q);
	cr_assert(ranking_init(&r, &cat, S.models, FT_LLAMACPP));
	ranking_run(&r, &q);
	for (size_t i = 0; i < cat.n; i++) {
		const struct rank_row *a = &S.screen.rank.r.rows[i], *b = &r.rows[i];
		cr_expect_eq(a->verdict, b->verdict, "%s", cat.v[i].meta.id);
		cr_expect_eq(a->ftype, b->ftype, "%s", cat.v[i].meta.id);
		cr_expect_eq(a->max_ctx_tokens, b->max_ctx_tokens, "%s", cat.v[i].meta.id);
		cr_expect_eq(a->gpu_bytes, b->gpu_bytes, "%s", cat.v[i].meta.id);
		cr_expect_eq(a->ctx_tokens, S.config.cur.set.ctx_tokens);
	}
	ranking_free(&r);
}

Test(rank_view, m_ranks_the_catalog_for_the_live_devices)
{
	press('m');
	cr_assert_eq(S.screen.view, VIEW_RANK);
	cr_expect(S.screen.rank.ran);
	cr_expect_eq(S.screen.rank.n, cat.n, "every model, those that fit first");
	expect_rows_as_ranking();
	/* the live estimate is still the live configuration's (the ranking runs
	 * on a scratch of its own) */
	struct estimate e;
	struct request q;
	session_request(&S, &S.config.cur, &q);
	struct settings st = q.settings;
	if (q.set.n)
		hw_settings_resolve(&st, q.set.dev[0], q.set.n);
	estimate_once(&S.models[S.config.cur.model], &st, &e);
	cr_expect_eq(S.results.ev.est.total_bytes, e.total_bytes);
	cr_expect_eq(S.results.ev.est.weights_bytes, e.weights_bytes);
	/* the first row fits, the last does not */
	cr_expect_eq(S.screen.rank.r.rows[S.screen.rank.order[0]].verdict, RANK_FITS);
	cr_expect_eq(S.screen.rank.r.rows[S.screen.rank.order[S.screen.rank.n - 1]].verdict,
	             RANK_NO);
}

Test(rank_view, context_order_and_filter)
{
	press('m');
	uint64_t ctx = S.config.cur.set.ctx_tokens;
	press('l');
	cr_expect_gt(S.config.cur.set.ctx_tokens, ctx, "l: more context");
	expect_rows_as_ranking();
	press('u');
	cr_expect_eq(S.config.cur.set.ctx_tokens, ctx, "the context step undoes");

	press('o');
	cr_expect_eq(S.screen.rank.sort, RANK_SORT_SIZE);
	for (size_t k = 1; k < S.screen.rank.n; k++) {
		size_t a = S.screen.rank.order[k - 1], b = S.screen.rank.order[k];
		if (S.screen.rank.r.rows[a].verdict == S.screen.rank.r.rows[b].verdict)
			cr_expect_geq(S.models[a].params_total, S.models[b].params_total);
	}
	press('f');
	cr_expect(S.screen.rank.filter.fitting_only);
	cr_expect_lt(S.screen.rank.n, cat.n);
	for (size_t k = 0; k < S.screen.rank.n; k++)
		cr_expect_neq(S.screen.rank.r.rows[S.screen.rank.order[k]].verdict, RANK_NO);
	press('f');
	cr_expect_eq(S.screen.rank.n, cat.n);
}

Test(rank_view, enter_opens_the_model_at_its_quant)
{
	size_t before = S.config.cur.model;
	enum ftype before_q = S.config.cur.set.ftype;
	press('m');
	press(KEYC_DOWN);
	size_t i = S.screen.rank.order[1];
	enum ftype q = S.screen.rank.r.rows[i].ftype;
	cr_assert_neq(i, before, "the second ranked model is not the live one");
	press(KEYC_ENTER);
	cr_expect_eq(S.screen.view, VIEW_MAIN);
	cr_expect_eq(S.config.cur.model, i);
	cr_expect_eq(S.config.cur.set.ftype, q);
	cr_expect(S.results.ev.valid, "%s", S.results.ev.err);
	cr_expect(strstr(S.screen.status, cat.v[i].meta.id), "%s", S.screen.status);
	press('u');
	cr_expect_eq(S.config.cur.model, before, "one undo step");
	cr_expect_eq(S.config.cur.set.ftype, before_q);
}

Test(rank_view, esc_and_q_go_back)
{
	press('m');
	press(KEYC_ESC);
	cr_expect_eq(S.screen.view, VIEW_MAIN);
	press('m');
	press('q');
	cr_expect_eq(S.screen.view, VIEW_MAIN);
	press('m');
	press('m');
	cr_expect_eq(S.screen.view, VIEW_MAIN, "m again closes it");
}

/*
 * test_scratch.c - the engine keeps no hidden scratch: a prepared model is
 * never written (byte for byte) by an estimate, a check or any solver, and
 * every estimate's per-tensor types live in the caller's scratch, so two
 * estimates read in any order keep their own speed and vLLM figures.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "plan.h"
#include "profile.h"
#include "shipped.h"
#include "rank.h"
#include "vllm.h"

/* A byte copy of a prepared model: the struct and its tensor list. */
struct snapshot {
	struct model m;
	struct tensor_info *tensors;
};

static void snapshot_take(struct snapshot *s, const struct model *m)
{
	s->m = *m;
	s->tensors = malloc(m->tensors.n * sizeof(*s->tensors));
	cr_assert_not_null(s->tensors);
	memcpy(s->tensors, m->tensors.v, m->tensors.n * sizeof(*s->tensors));
}

/* The model is byte-identical to the snapshot (after `what`). */
static void snapshot_expect_same(const struct snapshot *s, const struct model *m, const char *what)
{
	cr_expect_eq(memcmp(&s->m, m, sizeof(*m)), 0, "%s wrote the model", what);
	cr_expect_eq(memcmp(s->tensors, m->tensors.v, m->tensors.n * sizeof(*s->tensors)), 0,
	             "%s wrote the tensor list", what);
}

static const struct device card = {.id = "card",
                                   .name = "24 GiB card",
                                   .memory_bytes = 24ull << 30,
                                   .gpu_share = 1.0,
                                   .bandwidth_gbps = 1000,
                                   .bf16_tflops = 100,
                                   .fp16_tflops = 100,
                                   .int8_tops = 200,
                                   .vendor = "NVIDIA",
                                   .memory_kind = MEM_GDDR};

/* Every engine entry point that runs estimates, on a const model: the
 * model stays byte-identical, and the types the scratch holds after a
 * solver are the answer's. */
Test(scratch, a_const_model_is_never_written)
{
	static const char *const ids[] = {"qwen3-30b-a3b", "llama-3.1-8b", "gemma-3-1b"};
	for (size_t k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
		struct model m;
		shipped(ids[k], &m);
		const struct model *cm = &m;
		struct estimate_scratch x;
		cr_assert(estimate_scratch_init(&x, m.tensors.n));
		struct snapshot snap;
		snapshot_take(&snap, cm);
		struct settings s;
		struct estimate e;
		char err[256];
		estimate_settings_default(&s);
		s.ctx_tokens = 16384;

		estimate_run(cm, &x, &s, &e);
		snapshot_expect_same(&snap, cm, "estimate_run");
		cr_expect(estimate_check(cm, &x, &s, err, sizeof(err)), "%s", err);
		cr_expect(estimate_check_run(cm, &x, &s, &e, err, sizeof(err)), "%s", err);
		snapshot_expect_same(&snap, cm, "estimate_check");
		struct settings v = s;
		v.ftype = FT_V_FP8;
		v.kv_k = v.kv_v = KV_F16;
		estimate_run(cm, &x, &v, &e);
		cr_expect(e.vllm);
		snapshot_expect_same(&snap, cm, "a vLLM estimate");

		plan_fits(cm, &x, &s, &card, 1, NULL);
		for (int w = 0; w < SOLVE_COUNT; w++) {
			struct solve_result r;
			if (!plan_solve(cm, &x, &s, &card, 1, (enum solve_what)w, &r))
				continue;
			snapshot_expect_same(&snap, cm, solve_name((enum solve_what)w));
			/* the scratch holds the answer's types: the estimate run
			 * again gives the same bytes */
			cr_expect_eq(x.ftype, r.settings.ftype);
			struct estimate again;
			estimate_run(cm, &x, &r.settings, &again);
			cr_expect_eq(again.total_bytes, r.est.total_bytes, "%s",
			             solve_name((enum solve_what)w));
		}

		struct speed_params p;
		struct speed sp;
		struct speed_work work;
		plan_speed_defaults(&p);
		estimate_run(cm, &x, &s, &e);
		plan_speed(cm, &x, &s, &e, &card, &p, &sp);
		const struct device *devs[2] = {&card, &card};
		double share[2] = {0.5, 0.5};
		plan_speed_split(cm, &x, &s, &e, devs, share, 2, &p, &sp);
		speed_work_of(cm, &x, &s, &e, p.prompt_tokens, &work);
		snapshot_expect_same(&snap, cm, "the speed model");

		struct rank_ladder ladder;
		struct rank_query q;
		struct rank_row row;
		rank_prepare(cm, &x, FT_LLAMACPP, &ladder);
		memset(&q, 0, sizeof(q));
		q.base = s;
		q.devs = devs;
		q.n_devs = 1;
		q.speed = p;
		rank_model(cm, &x, &ladder, &q, &row);
		cr_expect_neq(row.verdict, RANK_INVALID, "%s", row.why);
		snapshot_expect_same(&snap, cm, "the ranking");

		struct request req;
		struct evaluation ev;
		memset(&req, 0, sizeof(req));
		req.model = cm;
		req.settings = s;
		req.set.n = 2;
		req.set.dev[0] = req.set.dev[1] = &card;
		req.margin.share = 0.1;
		req.speed = p;
		req.want_speed = true;
		evaluate(&req, &x, &ev);
		cr_expect(ev.valid, "%s", ev.err);
		snapshot_expect_same(&snap, cm, "evaluate");

		free(snap.tensors);
		estimate_scratch_free(&x);
		model_release(&m);
	}
}

/* The speed of estimate e of model m, read with scratch x. */
static struct speed speed_of(const struct model *m, struct estimate_scratch *x,
                             const struct settings *s, const struct estimate *e)
{
	struct speed_params p;
	struct speed sp;
	plan_speed_defaults(&p);
	plan_speed(m, x, s, e, &card, &p, &sp);
	return sp;
}

/* Two estimates of the same model with different quantizations,
 * interleaved: reading estimate A after B ran gives A's figures, whether
 * A and B have scratches of their own or share one. */
Test(scratch, interleaved_estimates_keep_their_own_speed)
{
	struct model m;
	shipped("qwen3-30b-a3b", &m);
	struct estimate_scratch xa, xb;
	cr_assert(estimate_scratch_init(&xa, m.tensors.n));
	cr_assert(estimate_scratch_init(&xb, m.tensors.n));
	struct settings a, b;
	estimate_settings_default(&a);
	a.ctx_tokens = 8192;
	b = a;
	a.ftype = FT_Q4_K_M;
	b.ftype = FT_Q8_0;
	struct estimate ea, eb;

	estimate_run(&m, &xa, &a, &ea);
	struct speed first = speed_of(&m, &xa, &a, &ea);
	estimate_run(&m, &xb, &b, &eb);
	struct speed sb = speed_of(&m, &xb, &b, &eb);
	struct speed later = speed_of(&m, &xa, &a, &ea);
	cr_expect_eq(memcmp(&first, &later, sizeof(first)), 0, "A's speed changed after B ran");
	/* Q8_0 weights are about 1.7x those of Q4_K_M: the two really differ */
	cr_expect_gt(sb.gpu_bytes_per_token, first.gpu_bytes_per_token * 5 / 4, "%llu vs %llu",
	             (unsigned long long)sb.gpu_bytes_per_token,
	             (unsigned long long)first.gpu_bytes_per_token);
	cr_expect_lt(sb.decode_tps, first.decode_tps);

	/* One shared scratch: B's estimate overwrote its types; reading A
	 * assigns A's again, and B's after that. */
	estimate_run(&m, &xa, &a, &ea);
	estimate_run(&m, &xa, &b, &eb);
	cr_expect_eq(xa.ftype, FT_Q8_0);
	later = speed_of(&m, &xa, &a, &ea);
	cr_expect_eq(memcmp(&first, &later, sizeof(first)), 0, "A read on B's scratch");
	struct speed sb2 = speed_of(&m, &xa, &b, &eb);
	cr_expect_eq(memcmp(&sb, &sb2, sizeof(sb)), 0, "B read after A on the same scratch");

	/* Exact per-tensor bytes: A's speed reads A's types, Q4_K_M's. */
	double gpu = (double)ea.kv_bytes;
	for (size_t i = 0; i < m.tensors.n; i++) {
		const struct tensor_info *t = &m.tensors.v[i];
		if (t->cat == TC_TOKEN_EMBD)
			continue;
		double bytes = (double)tensor_bytes(t, estimate_scratch_types(&m, &xb, &a)[i]);
		gpu += t->routed_expert ? bytes * m.arch.n_expert_used / m.arch.n_expert : bytes;
	}
	cr_expect_float_eq((double)first.gpu_bytes_per_token, gpu, 2.0);

	estimate_scratch_free(&xa);
	estimate_scratch_free(&xb);
	model_release(&m);
}

/* vLLM: the budget terms, the per-rank split and the speed of a BF16
 * estimate stay its own after an FP8 one ran on the same scratch. */
Test(scratch, interleaved_vllm_estimates_keep_their_own_figures)
{
	struct model m;
	shipped("llama-3.1-8b", &m);
	struct estimate_scratch x;
	cr_assert(estimate_scratch_init(&x, m.tensors.n));
	struct settings a, b;
	estimate_settings_default(&a);
	a.ftype = FT_V_BF16;
	a.kv_k = a.kv_v = KV_F16;
	a.ctx_tokens = 8192;
	b = a;
	b.ftype = FT_V_FP8;
	struct estimate ea, eb;
	const struct device *devs[1] = {&card};
	struct device_load la, la2, lb;

	estimate_run(&m, &x, &a, &ea);
	struct estimate ea_copy = ea;
	hw_split(&ea, devs, 1, &la);
	struct speed first = speed_of(&m, &x, &a, &ea);
	estimate_run(&m, &x, &b, &eb);
	hw_split(&eb, devs, 1, &lb);
	struct speed sb = speed_of(&m, &x, &b, &eb);

	cr_expect_eq(memcmp(&ea, &ea_copy, sizeof(ea)), 0, "estimate A changed");
	hw_split(&ea, devs, 1, &la2);
	cr_expect_eq(la.vllm.kv_budget_bytes, la2.vllm.kv_budget_bytes);
	cr_expect_eq(la.vllm.weights_bytes, la2.vllm.weights_bytes);
	cr_expect_float_eq(la.vllm.max_concurrency, la2.vllm.max_concurrency, 1e-12);
	struct speed later = speed_of(&m, &x, &a, &ea);
	cr_expect_eq(memcmp(&first, &later, sizeof(first)), 0, "A's vLLM speed changed");

	/* and the figures differ: FP8 weights are about half of BF16's */
	cr_expect_lt(eb.weights_bytes, ea.weights_bytes * 6 / 10);
	cr_expect_gt(lb.vllm.kv_budget_bytes, la.vllm.kv_budget_bytes,
	             "less weight, more KV budget");
	cr_expect_gt(sb.decode_tps, first.decode_tps);
	cr_expect_str_eq(first.engine, "vLLM");

	estimate_scratch_free(&x);
	model_release(&m);
}

/*
 * test_reuse.c - estimate_run_from(): an estimate that reuses the weights
 * of an earlier one (the chart's samples, the solvers' steps) is the full
 * estimate byte for byte, whether the settings keep the weights (context,
 * batch, KV cache, buffers: reused) or change them (file type, offload,
 * backend, build: computed again).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "estimate.h"
#include "estimate_once.h"
#include "profile.h"
#include "shipped.h"

/* One setting changed from the base; weights: whether it can change the
 * weights (their types or where they live). */
struct variant {
	const char *what;
	bool weights;
	void (*apply)(struct settings *s, const struct model *m);
};

static void ctx_up(struct settings *s, const struct model *m)
{
	(void)m;
	s->ctx_tokens *= 4;
}
static void ctx_down(struct settings *s, const struct model *m)
{
	(void)m;
	s->ctx_tokens = 1000;
}
static void batch(struct settings *s, const struct model *m)
{
	(void)m;
	s->n_seq = 4;
	s->ctx_tokens *= 4;
}
static void kv_q8(struct settings *s, const struct model *m)
{
	(void)m;
	s->kv_k = s->kv_v = KV_Q8_0;
	s->flash_attn = true;
}
static void ubatch(struct settings *s, const struct model *m)
{
	(void)m;
	s->n_ubatch = 2048;
}
static void no_op_offload(struct settings *s, const struct model *m)
{
	(void)m;
	s->op_offload = false;
}
static void server(struct settings *s, const struct model *m)
{
	(void)m;
	s->tool = TOOL_SERVER;
}
static void two_gpus(struct settings *s, const struct model *m)
{
	(void)m;
	s->n_gpus = 2;
	s->main_gpu = 1;
}
static void quant(struct settings *s, const struct model *m)
{
	(void)m;
	s->ftype = FT_Q8_0;
}
static void cpu_moe(struct settings *s, const struct model *m)
{
	s->offload = m->arch.n_expert ? OFFLOAD_CPU_MOE : OFFLOAD_NGL;
	s->offload_layers = m->arch.n_layer / 2;
}
static void n_cpu_moe(struct settings *s, const struct model *m)
{
	s->offload = m->arch.n_expert ? OFFLOAD_N_CPU_MOE : OFFLOAD_NGL;
	s->offload_layers = m->arch.n_layer / 3;
}
static void more_layers(struct settings *s, const struct model *m)
{
	s->offload_layers = s->offload_layers + 1 <= m->arch.n_layer ? s->offload_layers + 1 : 0;
}
static void expert_share(struct settings *s, const struct model *m)
{
	if (m->arch.n_expert) {
		s->offload = OFFLOAD_EXPERT_FRACTION;
		s->expert_gpu_share = s->expert_gpu_share == 0.25 ? 0.5 : 0.25;
	}
}
static void cpu_backend(struct settings *s, const struct model *m)
{
	(void)m;
	s->backend = LLAMA_BACKEND_CPU;
}
static void old_build(struct settings *s, const struct model *m)
{
	(void)m;
	s->llama_build = 6182; /* before the output layer went first */
}
static void vllm(struct settings *s, const struct model *m)
{
	(void)m;
	s->ftype = FT_V_BF16;
	s->offload = OFFLOAD_GPU;
	s->kv_k = s->kv_v = KV_F16;
}

static const struct variant variants[] = {
    {"context x4", false, ctx_up},
    {"context 1000", false, ctx_down},
    {"4 sequences", false, batch},
    {"q8_0 KV cache", false, kv_q8},
    {"ubatch 2048", false, ubatch},
    {"op offload off", false, no_op_offload},
    {"llama-server", false, server},
    {"2 GPUs, main 1", false, two_gpus},
    {"Q8_0", true, quant},
    {"cpu-moe (ngl)", true, cpu_moe},
    {"n-cpu-moe (ngl)", true, n_cpu_moe},
    {"one more offloaded layer", true, more_layers},
    {"expert share", true, expert_share},
    {"CPU backend", true, cpu_backend},
    {"build 6182", true, old_build},
    {"vLLM BF16", true, vllm},
};

/* Bases: everything on the GPU, a partial -ngl, experts in host memory
 * and a share of them; models: MLA + MoE, MoE, tied embeddings + SWA, dense GQA,
 * hybrid recurrent. */
Test(reuse, an_estimate_from_a_base_is_the_full_estimate)
{
	static const char *const ids[] = {"deepseek-v3", "qwen3-30b-a3b", "gemma-3-1b",
	                                  "llama-3.1-70b", "qwen3-next-80b-a3b"};
	const size_t nv = sizeof(variants) / sizeof(variants[0]);
	int compared = 0, reused = 0;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct model m;
		struct estimate_scratch x, fresh;
		shipped(ids[i], &m);
		estimate_scratch_for(&x, &m);
		estimate_scratch_for(&fresh, &m);
		for (int b = 0; b < 4; b++) {
			struct settings base;
			estimate_settings_default(&base);
			base.ctx_tokens = 8192;
			if (b == 1) {
				base.offload = OFFLOAD_NGL;
				base.offload_layers = m.arch.n_layer / 2;
			} else if (b == 2) {
				cpu_moe(&base, &m);
			} else if (b == 3) {
				expert_share(&base, &m);
			}
			struct estimate be;
			char err[256];
			cr_assert(estimate_check_run(&m, &x, &base, &be, err, sizeof(err)),
			          "%s: %s", ids[i], err);
			for (size_t v = 0; v < nv; v++) {
				struct settings s = base;
				variants[v].apply(&s, &m);
				if (!estimate_check_once(&m, &s, err, sizeof(err)))
					continue;
				struct estimate from, full, checked;
				/* the scratch holds other types meanwhile */
				struct settings other = base;
				other.ftype = base.ftype == FT_Q6_K ? FT_Q4_K_M : FT_Q6_K;
				estimate_scratch_types(&m, &x, &other);
				estimate_run_from(&m, &x, &s, &base, &be, &from);
				if (!variants[v].weights && x.ftype == other.ftype)
					reused++;
				estimate_run(&m, &fresh, &s, &full);
				cr_expect_eq(memcmp(&from, &full, sizeof(full)), 0,
				             "%s base %d, %s: total %llu vs %llu", ids[i], b,
				             variants[v].what, (unsigned long long)from.total_bytes,
				             (unsigned long long)full.total_bytes);
				cr_expect(estimate_check_run_from(&m, &x, &s, &base, &be, &checked,
				                                  err, sizeof(err)));
				cr_expect_eq(memcmp(&checked, &full, sizeof(full)), 0,
				             "%s base %d, %s", ids[i], b, variants[v].what);
				/* the speed model reads s's types whichever path ran */
				const enum qtype *t = estimate_scratch_types(&m, &x, &s);
				const enum qtype *ft = estimate_scratch_types(&m, &fresh, &s);
				cr_expect_eq(memcmp(t, ft, m.tensors.n * sizeof(*t)), 0);
				compared++;
			}
		}
		estimate_scratch_free(&x);
		estimate_scratch_free(&fresh);
		model_release(&m);
	}
	cr_expect_gt(compared, 150, "%d", compared);
	/* the context, batch, KV and buffer variants took the shortcut */
	cr_expect_geq(reused, 5 * 4 * 6, "%d", reused);
}

/* No base, or a base whose weights differ: the full estimate. */
Test(reuse, without_a_usable_base_the_estimate_runs_whole)
{
	struct model m;
	struct estimate_scratch x;
	shipped("qwen3-30b-a3b", &m);
	estimate_scratch_for(&x, &m);
	struct settings s, q8;
	estimate_settings_default(&s);
	struct estimate a, b, full;
	estimate_run(&m, &x, &s, &full);
	estimate_run_from(&m, &x, &s, NULL, NULL, &a);
	cr_expect_eq(memcmp(&a, &full, sizeof(a)), 0);
	q8 = s;
	q8.ftype = FT_Q8_0;
	estimate_run(&m, &x, &q8, &b);
	estimate_run_from(&m, &x, &s, &q8, &b, &a);
	cr_expect_eq(memcmp(&a, &full, sizeof(a)), 0, "Q8_0 weights are not Q4_K_M's");
	cr_expect_eq(x.ftype, s.ftype, "the types were assigned again");
	estimate_scratch_free(&x);
	model_release(&m);
}

/*
 * test_plan.c - solvers at their boundaries, launch commands against their
 * settings, and the speed model on worked examples.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimate_once.h"
#include "launch.h"
#include "plan.h"
#include "plan_text.h"
#include "profile.h"

/* A shipped model, prepared, and a scratch for its estimates. */
static void shipped(const char *id, struct model *m, struct model_meta *meta,
                    struct estimate_scratch *x)
{
	char path[128], err[PROFILE_ERR_LEN];
	memset(m, 0, sizeof(*m));
	snprintf(path, sizeof(path), "profiles/models/%s.ini", id);
	cr_assert(profile_load_model(path, meta, &m->arch, NULL, err, sizeof(err)), "%s", err);
	cr_assert(model_prepare(m));
	estimate_scratch_for(x, m);
}

static void shipped_release(struct model *m, struct estimate_scratch *x)
{
	estimate_scratch_free(x);
	model_release(m);
}

static const struct device rtx24 = {.id = "gpu24",
                                    .name = "24 GiB card",
                                    .memory_bytes = 24ull << 30,
                                    .gpu_share = 1.0,
                                    .bandwidth_gbps = 1000,
                                    .bf16_tflops = 100,
                                    .fp16_tflops = 100,
                                    .int8_tops = 200,
                                    .vendor = "NVIDIA",
                                    .memory_kind = MEM_GDDR};

Test(solve, context_boundary_is_exact)
{
	struct model m;
	struct estimate_scratch x;
	struct model_meta meta;
	struct settings s;
	struct solve_result r;
	shipped("qwen3-8b", &m, &meta, &x);
	estimate_settings_default(&s);
	struct device card8 = rtx24;
	card8.memory_bytes = 8ull << 30;
	cr_assert(plan_solve(&m, &x, &s, &card8, 1, SOLVE_CONTEXT, &r));
	cr_assert_eq(r.status, SOLVE_FOUND, "qwen3-8b's 40960 native context fits 8 GiB?");
	cr_expect_eq(r.settings.ctx_tokens % 256, 0);
	cr_expect_gt(r.settings.ctx_tokens, 4096);
	cr_expect(plan_fits(&m, &x, &r.settings, &card8, 1, NULL));
	struct settings next = r.settings;
	next.ctx_tokens += 256;
	cr_expect_not(plan_fits(&m, &x, &next, &card8, 1, NULL), "one step further must not fit");

	/* a card big enough for the native context: the answer is the cap */
	struct device big = rtx24;
	big.memory_bytes = 80ull << 30;
	cr_assert(plan_solve(&m, &x, &s, &big, 1, SOLVE_CONTEXT, &r));
	cr_expect_eq(r.status, SOLVE_AT_MAX);
	cr_expect_eq(r.settings.ctx_tokens, m.arch.n_ctx_train);
	shipped_release(&m, &x);

	/* Kimi K2.6 on one 24 GiB card: nothing */
	shipped("kimi-k2.6", &m, &meta, &x);
	cr_assert(plan_solve(&m, &x, &s, &rtx24, 1, SOLVE_CONTEXT, &r));
	cr_expect_eq(r.status, SOLVE_NOTHING);
	shipped_release(&m, &x);
}

Test(solve, quant_is_the_largest_that_fits)
{
	struct model m;
	struct estimate_scratch x;
	struct model_meta meta;
	struct settings s;
	struct solve_result r;
	shipped("llama-3.1-70b", &m, &meta, &x);
	estimate_settings_default(&s);
	s.ctx_tokens = 32768;
	cr_assert(plan_solve(&m, &x, &s, &rtx24, 2, SOLVE_QUANT, &r));
	cr_assert_eq(r.status, SOLVE_FOUND);
	struct estimate e;
	cr_expect(plan_fits(&m, &x, &r.settings, &rtx24, 2, &e));
	uint64_t answer = e.weights_bytes;
	/* every llama.cpp file type with more weight bytes does not fit */
	int bigger = 0;
	for (int f = 0; f < FT_COUNT; f++) {
		if (ftype_get((enum ftype)f)->engine != FT_LLAMACPP)
			continue;
		struct settings t = s;
		t.ftype = (enum ftype)f;
		struct estimate et;
		bool fits = plan_fits(&m, &x, &t, &rtx24, 2, &et);
		if (et.weights_bytes > answer) {
			bigger++;
			cr_expect_not(fits, "%s is bigger and fits", ftype_get(t.ftype)->name);
		}
	}
	cr_expect_gt(bigger, 5);
	shipped_release(&m, &x);
}

Test(solve, gpus_batch_and_offload_boundaries)
{
	struct model m;
	struct estimate_scratch x;
	struct model_meta meta;
	struct settings s;
	struct solve_result r;
	shipped("llama-3.1-70b", &m, &meta, &x);
	estimate_settings_default(&s);
	s.ctx_tokens = 32768;

	cr_assert(plan_solve(&m, &x, &s, &rtx24, 1, SOLVE_GPUS, &r));
	cr_assert_eq(r.status, SOLVE_FOUND);
	cr_expect(plan_fits(&m, &x, &s, &rtx24, r.gpu_count, NULL));
	cr_expect_not(plan_fits(&m, &x, &s, &rtx24, r.gpu_count - 1, NULL));

	/* dense: the most layers on the GPU */
	cr_assert(plan_solve(&m, &x, &s, &rtx24, 1, SOLVE_OFFLOAD, &r));
	cr_assert_eq(r.status, SOLVE_FOUND);
	cr_expect_eq(r.settings.offload, OFFLOAD_NGL);
	cr_expect(plan_fits(&m, &x, &r.settings, &rtx24, 1, NULL));
	struct settings more = r.settings;
	more.offload_layers++;
	cr_expect_not(plan_fits(&m, &x, &more, &rtx24, 1, NULL));
	shipped_release(&m, &x);

	/* batch: sequences of 8192 tokens each */
	shipped("llama-3.1-8b", &m, &meta, &x);
	s.ctx_tokens = 8192;
	cr_assert(plan_solve(&m, &x, &s, &rtx24, 1, SOLVE_BATCH, &r));
	cr_assert_eq(r.status, SOLVE_FOUND);
	cr_expect_eq(r.settings.ctx_tokens, 8192ull * r.settings.n_seq);
	cr_expect(plan_fits(&m, &x, &r.settings, &rtx24, 1, NULL));
	struct settings one_more = r.settings;
	one_more.n_seq++;
	one_more.ctx_tokens += 8192;
	cr_expect_not(plan_fits(&m, &x, &one_more, &rtx24, 1, NULL));
	shipped_release(&m, &x);

	/* MoE: the fewest layers' experts in host memory */
	shipped("qwen3-30b-a3b", &m, &meta, &x);
	struct device small = rtx24;
	small.memory_bytes = 12ull << 30;
	s.ctx_tokens = 32768;
	cr_assert(plan_solve(&m, &x, &s, &small, 1, SOLVE_OFFLOAD, &r));
	cr_assert_eq(r.status, SOLVE_FOUND);
	cr_expect_eq(r.settings.offload, OFFLOAD_N_CPU_MOE);
	cr_expect_gt(r.settings.offload_layers, 0);
	cr_expect(plan_fits(&m, &x, &r.settings, &small, 1, NULL));
	struct settings less = r.settings;
	less.offload_layers--;
	cr_expect_not(plan_fits(&m, &x, &less, &small, 1, NULL));
	shipped_release(&m, &x);
}

/* The value after flag in a command, or NULL. */
static const char *flag(const char *cmd, const char *name, char *buf, size_t n)
{
	char pat[48];
	snprintf(pat, sizeof(pat), " %s ", name);
	const char *p = strstr(cmd, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	size_t len = strcspn(p, " \n");
	snprintf(buf, n, "%.*s", (int)len, p);
	return buf;
}

Test(launch, flags_match_the_settings)
{
	struct model m;
	struct estimate_scratch x;
	struct model_meta meta;
	struct settings s;
	char cmd[1024], v[64];
	shipped("qwen3-30b-a3b", &m, &meta, &x);
	estimate_settings_default(&s);
	s.ctx_tokens = 65536;
	s.n_seq = 4;
	s.kv_k = KV_Q8_0;
	s.kv_v = KV_Q8_0;
	s.offload = OFFLOAD_N_CPU_MOE;
	s.offload_layers = 20;
	s.n_ubatch = 1024;
	struct launch_input in = {&meta, &m, &s, NULL, 2, 0, NULL, NULL};
	launch_command(LAUNCH_LLAMA_SERVER, &in, cmd, sizeof(cmd));
	cr_expect(strncmp(cmd, "llama-server -m qwen3-30b-a3b-Q4_K_M.gguf", 41) == 0, "%s", cmd);
	cr_expect_str_eq(flag(cmd, "-c", v, sizeof(v)), "65536");
	cr_expect_str_eq(flag(cmd, "-np", v, sizeof(v)), "4");
	cr_expect_str_eq(flag(cmd, "-ub", v, sizeof(v)), "1024");
	cr_expect_str_eq(flag(cmd, "-ctk", v, sizeof(v)), "q8_0");
	cr_expect_str_eq(flag(cmd, "-ctv", v, sizeof(v)), "q8_0");
	cr_expect_str_eq(flag(cmd, "-fa", v, sizeof(v)), "on");
	cr_expect_str_eq(flag(cmd, "-ngl", v, sizeof(v)), "49");
	cr_expect_str_eq(flag(cmd, "--n-cpu-moe", v, sizeof(v)), "20");
	cr_expect_str_eq(flag(cmd, "-ts", v, sizeof(v)), "1,1");

	s.offload = OFFLOAD_CPU_MOE;
	s.flash_attn = false;
	s.kv_k = s.kv_v = KV_F16;
	launch_command(LAUNCH_LLAMA_SERVER, &in, cmd, sizeof(cmd));
	cr_expect(strstr(cmd, " --cpu-moe") != NULL, "%s", cmd);
	cr_expect_str_eq(flag(cmd, "-fa", v, sizeof(v)), "off");

	s.offload = OFFLOAD_NGL;
	s.offload_layers = 30;
	in.gpu_count = 1;
	launch_command(LAUNCH_LLAMA_SERVER, &in, cmd, sizeof(cmd));
	cr_expect_str_eq(flag(cmd, "-ngl", v, sizeof(v)), "30");
	cr_expect_null(flag(cmd, "-ts", v, sizeof(v)));

	s.offload = OFFLOAD_GPU;
	s.kv_k = s.kv_v = KV_FP8;
	in.gpu_count = 4;
	in.gpu_memory_utilization = 0.85;
	launch_command(LAUNCH_VLLM, &in, cmd, sizeof(cmd));
	cr_expect(strncmp(cmd, "vllm serve Qwen/Qwen3-30B-A3B ", 30) == 0, "%s", cmd);
	cr_expect_str_eq(flag(cmd, "--max-model-len", v, sizeof(v)), "16384", "65536 over 4");
	cr_expect_str_eq(flag(cmd, "--max-num-seqs", v, sizeof(v)), "4");
	cr_expect_str_eq(flag(cmd, "--kv-cache-dtype", v, sizeof(v)), "fp8");
	cr_expect_str_eq(flag(cmd, "--tensor-parallel-size", v, sizeof(v)), "4");
	cr_expect_str_eq(flag(cmd, "--gpu-memory-utilization", v, sizeof(v)), "0.85");
	shipped_release(&m, &x);
}

/* Decode time of a worked example from the fitted constants, by hand. */
static double by_hand_decode_s(const struct model *m, const enum qtype *types,
                               const struct estimate *e, double bw_gbps, enum mem_kind mk,
                               enum llama_backend b)
{
	const struct speed_constants *C = speed_constants();
	double t = 0;
	for (size_t i = 0; i < m->tensors.n; i++) {
		if (m->tensors.v[i].cat == TC_TOKEN_EMBD)
			continue;
		double bytes = (double)tensor_bytes(&m->tensors.v[i], types[i]);
		t += bytes / C->quant_factor[quant_family_of(types[i])];
	}
	t = (t + (double)e->kv_bytes) / (C->mem_efficiency[mk] * bw_gbps * 1e9);
	return t + m->arch.n_layer * C->layer_overhead_s[b];
}

Test(speed, worked_example_dense)
{
	struct model m;
	struct estimate_scratch x;
	struct model_meta meta;
	struct settings s;
	struct estimate e;
	struct speed sp;
	struct speed_params p;
	const struct speed_constants *C = speed_constants();
	shipped("llama-3.1-8b", &m, &meta, &x);
	estimate_settings_default(&s);
	s.ctx_tokens = 4096;
	estimate_run(&m, &x, &s, &e);
	plan_speed_defaults(&p);
	p.prompt_tokens = 2048;
	plan_speed(&m, &x, &s, &e, &rtx24, &p, &sp);
	cr_expect_eq(sp.backend, LLAMA_BACKEND_CUDA, "an NVIDIA card runs CUDA");
	cr_expect_str_eq(sp.engine, "llama.cpp");
	cr_expect(sp.calibrated);

	/* decode reads every weight but the embedding rows, and the whole cache */
	uint64_t embd = 0;
	for (size_t i = 0; i < m.tensors.n; i++)
		if (m.tensors.v[i].cat == TC_TOKEN_EMBD)
			embd = tensor_bytes(&m.tensors.v[i], x.types[i]);
	uint64_t read = e.weights_bytes - embd + e.kv_bytes;
	cr_expect(sp.gpu_bytes_per_token >= read - 1 && sp.gpu_bytes_per_token <= read);
	cr_expect_eq(sp.host_bytes_per_token, 0);
	double t = by_hand_decode_s(&m, x.types, &e, 1000, MEM_GDDR, LLAMA_BACKEND_CUDA);
	cr_expect_float_eq(sp.decode_tps, 1 / t, 1e-9 * sp.decode_tps);
	cr_expect_float_eq(sp.overhead_s, 32 * C->layer_overhead_s[LLAMA_BACKEND_CUDA], 1e-12);
	cr_expect_lt(sp.bandwidth_efficiency, C->mem_efficiency[MEM_GDDR],
	             "k-quants read slower per byte than F16");

	/* prefill: 2 FLOPs per matmul weight on the INT8 MMQ path (Q4_K_M),
	 * attention over half the prompt on each of the 32 layers at the FP16
	 * rate: 2 x 1024 x (4096 + 4096), and every weight read once per
	 * 512-token micro-batch */
	double attn = 32 * 2.0 * 1024 * (4096 + 4096);
	double mm = 2.0 * (double)m.params_active;
	cr_expect_float_eq(sp.flops_per_token, mm + attn, 1e-4 * (mm + attn),
	                   "norm weights are not matmuls");
	double e_cuda = C->prefill_efficiency[LLAMA_BACKEND_CUDA];
	double rows = (512 + C->half_rate_rows) / 512;
	double t_pre =
	    mm * rows / (e_cuda * 200e12 * C->mmq_int8_share) + attn / (e_cuda * 100e12) +
	    (double)(e.weights_bytes - embd) / (C->mem_efficiency[MEM_GDDR] * 1000e9) / 512;
	cr_expect_float_eq(sp.prefill_tps, 1 / t_pre, 1e-4 * sp.prefill_tps);
	cr_expect_str_eq(sp.prefill_path, "INT8 MMQ");
	cr_expect_float_eq(sp.ttft_s, 2048 / sp.prefill_tps + 1 / sp.decode_tps, 1e-9);
	cr_expect_float_eq(sp.decode_band, C->decode_band, 1e-12);
	shipped_release(&m, &x);
}

/* F16 weights take the FP16 tensor path; the same card on Metal or Vulkan
 * multiplies dequantized weights at the FP16 rate. */
Test(speed, prefill_path_follows_weights_and_backend)
{
	struct model m;
	struct estimate_scratch x;
	struct model_meta meta;
	struct settings s;
	struct estimate e;
	struct speed q4, f16, vk;
	struct speed_params p;
	shipped("llama-3.1-8b", &m, &meta, &x);
	estimate_settings_default(&s);
	plan_speed_defaults(&p);
	estimate_run(&m, &x, &s, &e);
	plan_speed(&m, &x, &s, &e, &rtx24, &p, &q4);
	/* --backend vulkan on an NVIDIA card: the settings name the backend */
	s.backend = LLAMA_BACKEND_VULKAN;
	s.backend_auto = false;
	plan_speed(&m, &x, &s, &e, &rtx24, &p, &vk);
	cr_expect_str_eq(vk.prefill_path, "FP16 (dequantized)");
	cr_expect_eq(vk.backend, LLAMA_BACKEND_VULKAN);
	cr_expect_float_eq(vk.overhead_s,
	                   32 * speed_constants()->layer_overhead_s[LLAMA_BACKEND_VULKAN], 1e-12);
	cr_expect_gt(vk.overhead_s, q4.overhead_s, "Vulkan's per-layer overhead is larger");
	cr_expect_lt(vk.decode_tps, q4.decode_tps);
	/* --backend cpu: no device at all */
	struct speed cpu;
	s.backend = LLAMA_BACKEND_CPU;
	plan_speed(&m, &x, &s, &e, &rtx24, &p, &cpu);
	cr_expect_eq(cpu.n_parts, 0);
	cr_expect_eq(cpu.gpu_bytes_per_token, 0);
	cr_expect_not(cpu.compute_known);
	cr_expect_lt(cpu.decode_tps, q4.decode_tps / 5, "host memory at 64 GB/s");
	s.backend_auto = true;
	s.ftype = FT_F16;
	estimate_run(&m, &x, &s, &e);
	plan_speed(&m, &x, &s, &e, &rtx24, &p, &f16);
	cr_expect_str_eq(f16.prefill_path, "FP16 tensor");
	cr_expect_float_eq(f16.prefill_rate_tflops, 100, 1e-9);
	cr_expect_lt(f16.decode_tps, q4.decode_tps / 2, "F16 reads 3.3x the bytes of Q4_K_M");
	/* no INT8 matrix path (Volta, Apple): quantized weights at the FP16 rate */
	struct device volta = rtx24;
	volta.int8_tops = 0;
	s.ftype = FT_Q4_K_M;
	estimate_run(&m, &x, &s, &e);
	plan_speed(&m, &x, &s, &e, &volta, &p, &q4);
	cr_expect_str_eq(q4.prefill_path, "FP16 (dequantized)");
	shipped_release(&m, &x);
}

Test(speed, backend_of_vendor)
{
	/* one choice for memory and speed: the named backend, else the vendor's */
	cr_expect_eq(backend_pick(true, LLAMA_BACKEND_CPU, "NVIDIA"), LLAMA_BACKEND_CUDA);
	cr_expect_eq(backend_pick(true, LLAMA_BACKEND_CPU, "AMD"), LLAMA_BACKEND_ROCM);
	cr_expect_eq(backend_pick(true, LLAMA_BACKEND_CPU, "Apple"), LLAMA_BACKEND_METAL);
	cr_expect_eq(backend_pick(true, LLAMA_BACKEND_CPU, "Intel"), LLAMA_BACKEND_VULKAN);
	cr_expect_eq(backend_pick(false, LLAMA_BACKEND_VULKAN, "NVIDIA"), LLAMA_BACKEND_VULKAN);
	cr_expect_str_eq(backend_get(LLAMA_BACKEND_ROCM)->label, "ROCm");
	cr_expect_eq(quant_family_of(QT_Q4_K), QF_K);
	cr_expect_eq(quant_family_of(QT_IQ2_XS), QF_I);
	cr_expect_eq(quant_family_of(QT_MXFP4), QF_FP4);
	cr_expect_eq(quant_family_of(QT_Q8_0), QF_LEGACY);
	cr_expect_eq(quant_family_of(QT_BF16), QF_FLOAT);
	const struct speed_constants *C = speed_constants();
	cr_expect_leq(C->quant_factor[QF_I], C->quant_factor[QF_K]);
	cr_expect_leq(C->quant_factor[QF_K], C->quant_factor[QF_FLOAT]);
	enum mem_kind k;
	cr_expect(hw_mem_kind_parse("HBM3e", &k) && k == MEM_HBM);
	cr_expect(hw_mem_kind_parse("GDDR6X 384-bit", &k) && k == MEM_GDDR);
	cr_expect(hw_mem_kind_parse("LPDDR5X unified", &k) && k == MEM_LPDDR);
	cr_expect_not(hw_mem_kind_parse("SRAM", &k));
}

/* llama.cpp's layer split: the devices work one after the other, each on
 * its share of the layers. */
Test(speed, layer_split_devices_in_sequence)
{
	struct model m;
	struct estimate_scratch x;
	struct model_meta meta;
	struct settings s;
	struct estimate e;
	struct speed fast, slow, both;
	struct speed_params p;
	shipped("llama-3.1-70b", &m, &meta, &x);
	estimate_settings_default(&s);
	plan_speed_defaults(&p);
	estimate_run(&m, &x, &s, &e);
	struct device half = rtx24;
	half.bandwidth_gbps = 500;
	plan_speed(&m, &x, &s, &e, &rtx24, &p, &fast);
	plan_speed(&m, &x, &s, &e, &half, &p, &slow);
	const struct device *devs[2] = {&rtx24, &half};
	double share[2] = {0.75, 0.25};
	plan_speed_split(&m, &x, &s, &e, devs, share, 2, &p, &both);
	double bw_fast = 1 / fast.decode_tps - fast.overhead_s;
	double bw_slow = 1 / slow.decode_tps - slow.overhead_s;
	cr_expect_float_eq(1 / both.decode_tps - both.overhead_s, 0.75 * bw_fast + 0.25 * bw_slow,
	                   1e-9);
	cr_expect_float_eq(bw_slow, 2 * bw_fast, 1e-9);
	cr_expect_float_eq(1 / both.prefill_tps, 0.75 / fast.prefill_tps + 0.25 / slow.prefill_tps,
	                   1e-12, "prefill: the devices in sequence too");
	cr_expect_eq(both.n_parts, 2);
	cr_expect_float_eq(both.part[1].decode_s, 0.25 * (bw_slow + fast.overhead_s), 1e-12);

	/* each device its own backend: an AMD card in the split runs ROCm and
	 * pays ROCm's per-layer overhead on its share of the layers */
	struct device amd = half;
	snprintf(amd.vendor, sizeof(amd.vendor), "AMD");
	const struct device *mixed[2] = {&rtx24, &amd};
	struct speed mx;
	plan_speed_split(&m, &x, &s, &e, mixed, share, 2, &p, &mx);
	const struct speed_constants *C = speed_constants();
	cr_expect_eq(mx.part[0].backend, LLAMA_BACKEND_CUDA);
	cr_expect_eq(mx.part[1].backend, LLAMA_BACKEND_ROCM);
	cr_expect_float_eq(mx.overhead_s,
	                   80 * (0.75 * C->layer_overhead_s[LLAMA_BACKEND_CUDA] +
	                         0.25 * C->layer_overhead_s[LLAMA_BACKEND_ROCM]),
	                   1e-12);
	/* a named backend holds for every device */
	s.backend = LLAMA_BACKEND_VULKAN;
	s.backend_auto = false;
	plan_speed_split(&m, &x, &s, &e, mixed, share, 2, &p, &mx);
	cr_expect_eq(mx.part[1].backend, LLAMA_BACKEND_VULKAN);
	cr_expect_float_eq(mx.overhead_s, 80 * C->layer_overhead_s[LLAMA_BACKEND_VULKAN], 1e-12);
	shipped_release(&m, &x);
}

/* MoE: routed experts count experts_used / experts of their bytes, shared
 * experts count in full. */
Test(speed, moe_reads_active_and_shared_experts)
{
	struct model m;
	struct estimate_scratch x;
	struct model_meta meta;
	struct settings s;
	struct estimate e;
	struct speed sp;
	struct speed_params p;
	shipped("deepseek-v2-lite", &m, &meta, &x);
	estimate_settings_default(&s);
	plan_speed_defaults(&p);
	estimate_run(&m, &x, &s, &e);
	plan_speed(&m, &x, &s, &e, &rtx24, &p, &sp);
	double want = (double)e.kv_bytes, shared = 0;
	for (size_t i = 0; i < m.tensors.n; i++) {
		const struct tensor_info *t = &m.tensors.v[i];
		double b = (double)tensor_bytes(t, x.types[i]);
		if (t->cat == TC_TOKEN_EMBD)
			continue;
		if (strstr(t->name, "shexp"))
			shared += b;
		want += t->routed_expert ? b * m.arch.n_expert_used / m.arch.n_expert : b;
	}
	cr_assert_gt(shared, 0, "the model has shared experts");
	cr_expect_float_eq((double)sp.gpu_bytes_per_token, want, 2.0);
	cr_expect_lt(sp.gpu_bytes_per_token, e.weights_bytes / 2, "most experts stay unread");
	shipped_release(&m, &x);
}

/* With 32 or more tokens in a step, llama.cpp copies host-resident weights
 * to the GPU: a big batch pays all offloaded bytes over PCIe per step. */
Test(speed, big_batch_copies_host_weights_over_pcie)
{
	struct model m;
	struct estimate_scratch x;
	struct model_meta meta;
	struct settings s;
	struct estimate e;
	struct speed one, many;
	struct speed_params p;
	shipped("qwen3-30b-a3b", &m, &meta, &x);
	estimate_settings_default(&s);
	plan_speed_defaults(&p);
	s.offload = OFFLOAD_CPU_MOE;
	estimate_run(&m, &x, &s, &e);
	plan_speed(&m, &x, &s, &e, &rtx24, &p, &one);
	s.n_seq = 64;
	s.ctx_tokens = 64 * 256;
	estimate_run(&m, &x, &s, &e);
	plan_speed(&m, &x, &s, &e, &rtx24, &p, &many);
	double host_total = (double)e.weights_host_bytes;
	double embd = 0;
	for (size_t i = 0; i < m.tensors.n; i++)
		if (m.tensors.v[i].cat == TC_TOKEN_EMBD)
			embd = (double)tensor_bytes(&m.tensors.v[i], x.types[i]);
	double pcie_s = (host_total - embd) / (p.pcie_gbps * 1e9);
	cr_expect_geq(1 / many.decode_tps, pcie_s, "a step takes at least the PCIe copy");
	cr_expect_lt(1 / many.decode_tps, pcie_s * 1.5);
	cr_expect_gt(one.decode_band, speed_constants()->decode_band,
	             "host-bound decode has a wider band");
	shipped_release(&m, &x);
}

Test(speed, every_catalog_device_gets_a_prefill_estimate)
{
	struct device_list l = {0};
	char err[PROFILE_ERR_LEN];
	cr_assert(profile_load_hardware("profiles/hardware.ini", &l, NULL, err, sizeof(err)), "%s",
	          err);
	struct model m;
	struct estimate_scratch x;
	struct model_meta meta;
	struct settings s;
	struct estimate e;
	struct speed_params p;
	shipped("llama-3.1-8b", &m, &meta, &x);
	estimate_settings_default(&s);
	estimate_run(&m, &x, &s, &e);
	plan_speed_defaults(&p);
	cr_assert_geq(l.n, 60);
	for (size_t i = 0; i < l.n; i++) {
		const struct device *d = &l.v[i];
		struct speed sp;
		cr_expect_gt(d->bandwidth_gbps, 0, "%s", d->id);
		cr_expect_gt(d->fp16_tflops, 0, "%s", d->id);
		plan_speed(&m, &x, &s, &e, d, &p, &sp);
		cr_expect(sp.compute_known && sp.prefill_tps > 0, "%s: no prefill estimate", d->id);
		cr_expect_gt(sp.decode_tps, 0, "%s", d->id);
	}
	/* each device states where its tensor rates come from */
	char *text = NULL;
	size_t len = 0;
	FILE *f = fopen("profiles/hardware.ini", "r");
	cr_assert_not_null(f);
	size_t sections = 0, sources = 0, types = 0;
	while (getline(&text, &len, f) > 0) {
		sections += text[0] == '[';
		sources += !strncmp(text, "tensor_source = ", 16);
		types += !strncmp(text, "memory_type = ", 14);
	}
	free(text);
	fclose(f);
	cr_expect_eq(sources, sections);
	cr_expect_eq(types, sections);
	static const char *const added[] = {"rtx-4070-ti",       "a40",
	                                    "apple-m1-max-64gb", "apple-m2-max-96gb",
	                                    "apple-m3-pro-36gb", "rtx-5070",
	                                    "rx-9070-xt",        "radeon-ai-pro-r9700",
	                                    "arc-b580",          "rtx-pro-5000-blackwell"};
	for (size_t i = 0; i < sizeof(added) / sizeof(added[0]); i++)
		cr_expect_not_null(device_find(&l, added[i]), "%s", added[i]);
	shipped_release(&m, &x);
	device_list_free(&l);
}

Test(speed, figures_print_with_their_band)
{
	char b[64];
	cr_expect_str_eq(speed_format_band(162.5, 0.15, b, sizeof(b)),
	                 "about 160 tokens/s, +-15 %");
	cr_expect_str_eq(speed_format_band(7138, 0.3, b, sizeof(b)),
	                 "about 7,100 tokens/s, +-30 %");
	cr_expect_str_eq(speed_format_number(0.587, b, sizeof(b)), "0.59");
	cr_expect_str_eq(speed_format_number(7.65, b, sizeof(b)), "7.7");
	cr_expect_str_eq(speed_format_number(12480, b, sizeof(b)), "12,000");
	cr_expect_str_eq(speed_format_number(1234567, b, sizeof(b)), "1,200,000");
}

Test(speed, offloaded_experts_are_read_from_host_memory)
{
	struct model m;
	struct estimate_scratch x;
	struct model_meta meta;
	struct settings s;
	struct estimate e;
	struct speed gpu, moe;
	struct speed_params p;
	shipped("qwen3-30b-a3b", &m, &meta, &x);
	estimate_settings_default(&s);
	plan_speed_defaults(&p);
	estimate_run(&m, &x, &s, &e);
	plan_speed(&m, &x, &s, &e, &rtx24, &p, &gpu);
	s.offload = OFFLOAD_CPU_MOE;
	estimate_run(&m, &x, &s, &e);
	plan_speed(&m, &x, &s, &e, &rtx24, &p, &moe);
	/* experts read per token: 8 of 128 of every expert tensor */
	double experts = 0;
	for (size_t i = 0; i < m.tensors.n; i++)
		if (m.tensors.v[i].routed_expert)
			experts += (double)tensor_bytes(&m.tensors.v[i], x.types[i]) * 8 / 128;
	cr_expect_float_eq((double)moe.host_bytes_per_token, experts, 2.0);
	cr_expect_eq(moe.gpu_bytes_per_token + moe.host_bytes_per_token,
	             gpu.gpu_bytes_per_token + gpu.host_bytes_per_token);
	cr_expect_lt(moe.decode_tps, gpu.decode_tps, "host memory is slower");
	cr_expect_lt(moe.prefill_tps, gpu.prefill_tps, "experts cross PCIe during prefill");
	shipped_release(&m, &x);
}

/* The CLI's report and the TUI's plan view share these sentences. */
Test(plan_text, answers_and_statuses)
{
	struct model m;
	struct estimate_scratch x;
	struct model_meta meta;
	struct settings s;
	struct solve_result r;
	char buf[160];
	shipped("qwen3-8b", &m, &meta, &x);
	estimate_settings_default(&s);
	cr_assert(plan_solve(&m, &x, &s, &rtx24, 1, SOLVE_BATCH, &r));
	cr_expect_str_eq(plan_answer_text(SOLVE_BATCH, &r, &m, buf, sizeof(buf)),
	                 "33 sequences of 4,096 tokens");
	r.settings.n_seq = 1;
	r.settings.ctx_tokens = 4096;
	cr_expect_str_eq(plan_answer_text(SOLVE_BATCH, &r, &m, buf, sizeof(buf)),
	                 "1 sequence of 4,096 tokens");
	cr_assert(plan_solve(&m, &x, &s, &rtx24, 1, SOLVE_OFFLOAD, &r));
	cr_expect_str_eq(plan_answer_text(SOLVE_OFFLOAD, &r, &m, buf, sizeof(buf)),
	                 "-ngl 37 (37 of 37 layer slots on the GPU)");
	cr_expect_str_eq(plan_status_text(SOLVE_CONTEXT, SOLVE_FOUND),
	                 "the largest that fits; 256 tokens more do not");
	cr_expect_str_eq(plan_status_text(SOLVE_QUANT, SOLVE_AT_MAX), "the whole range fits");
	cr_expect_str_eq(plan_status_word(SOLVE_NOTHING), "nothing fits");

	struct speed sp;
	struct speed_params p;
	struct estimate e;
	char lines[PLAN_SPEED_LINES][PLAN_TEXT_LINE];
	plan_speed_defaults(&p);
	estimate_run(&m, &x, &s, &e);
	plan_speed(&m, &x, &s, &e, &rtx24, &p, &sp);
	plan_speed_text(&rtx24, 1, &sp, &p, lines);
	cr_expect_str_eq(lines[0],
	                 "speed on 24 GiB card, llama.cpp CUDA backend (estimates: 4 in 5 "
	                 "real runs fall in the band)");
	cr_expect(!strncmp(lines[1], "decode   about ", 15), "%s", lines[1]);
	cr_expect(strstr(lines[1], "tokens/s, +-15 % per sequence"), "%s", lines[1]);
	cr_expect(
	    strstr(lines[2], "tokens/s, +-30 %; time to first token for a 4,096-token prompt"),
	    "%s", lines[2]);
	cr_expect(strstr(lines[3], "of 1000 GB/s GDDR for the weights"), "%s", lines[3]);
	cr_expect(strstr(lines[3], "prefill on INT8 MMQ at "), "%s", lines[3]);
	cr_expect(strstr(lines[3], "of 200 dense TOPS"), "%s", lines[3]);
	struct device no_tflops = rtx24;
	no_tflops.bf16_tflops = no_tflops.fp16_tflops = 0;
	plan_speed(&m, &x, &s, &e, &no_tflops, &p, &sp);
	plan_speed_text(&no_tflops, 1, &sp, &p, lines);
	cr_expect_str_eq(lines[2], "prefill  unknown (a hardware profile states no tensor TFLOPS)");
	cr_expect_str_eq(lines[4], "", "one device type: no split line");
	shipped_release(&m, &x);
}

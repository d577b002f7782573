/*
 * speed.c - the decode and prefill speed model (speed.h).
 *
 * Two steps: speed_work_of() turns a model, its settings and its estimate
 * into the work of one token (bytes read by quant family, FLOPs by the
 * kernel path they take, attention, host-resident bytes); speed_evaluate()
 * runs that work on devices with the fitted constants below.  The
 * constants come from tests/data/speed/fit.py over the cases in
 * tests/data/speed/cases.csv; `make check` prints predicted / measured for
 * every case (tests/speedcheck.c).
 */
#include "speed.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/*
 * The fitted constants.  Where each comes from (fit.py, least squares of
 * log(predicted / measured) over the decode or prefill cases):
 *  - mem_efficiency: share of peak bandwidth decode reaches on large reads,
 *    by memory technology.  HBM cards reach far less than GDDR ones in
 *    llama.cpp's mat-vec kernels (A100/H100: 0.5-0.6 on 70B reads).
 *  - quant_factor: per-byte speed of a family's dequantizing mat-vec
 *    relative to F16 (k-quants unpack 6-bit scales; fitted).  Legacy and
 *    FP4 came out at the F16 rate (bound at 1); i-quants are not in the
 *    data and are assumed 10 % slower than k-quants (codebook lookups).
 *  - layer_overhead_s: per-token time that does not shrink with bandwidth
 *    (kernel launches and gaps, synchronisation), per layer, by backend.
 *  - prefill_efficiency: share of the tensor rate of the kernel path
 *    (cuBLAS/hipBLAS FP16 GEMM, Vulkan coopmat, Metal simdgroup matmul)
 *    a 512-token micro-batch reaches before the rows factor.
 *  - mmq_int8_share: llama.cpp's MMQ multiplies quantized weights on INT8
 *    tensor cores but also unpacks blocks: its share of the INT8 rate
 *    relative to what cuBLAS reaches of the FP16 rate.
 *  - half_rate_rows: a matmul over r rows runs at r / (r + this) of full
 *    speed; routed experts see only ubatch x used / experts rows each.
 *  - host_efficiency: CPU reading offloaded weights; not in the data (no
 *    CPU cases): the usual 70 % of a memory-bandwidth benchmark.
 *  - decode_band / prefill_band: half the 10th-90th percentile spread of
 *    predicted/measured over the cases (10 % and 26 % in the fit), widened
 *    to 15 % and 30 % for devices, models and builds outside the data.
 *  - CPU (--backend cpu): no CPU cases; 20 us a layer of thread
 *    synchronisation is assumed, and no prefill rate.
 *  Fitted over 34 decode and 36 prefill cases: 11 constants for decode
 *  (3 memory, 3 quant, 4 backend overheads; the i-quant factor is set),
 *  6 for prefill.  ROCm's prefill efficiency is above 1 because it is a
 *  share of mmq_int8_share x the INT8 rate, and RDNA3 runs INT8 no faster
 *  than FP16: it reaches 44 % of the 7900 XTX's INT8 peak.  prefill_efficiency
 *  and mmq_int8_share trade off against each other in the fit (CUDA's F16
 *  cases pin the first); their product is what the quantized cases fix.
 */
static const struct speed_constants constants = {
    .engine = "llama.cpp",
    .calibrated = true,
    .mem_efficiency = {[MEM_GDDR] = 0.94, [MEM_HBM] = 0.59, [MEM_LPDDR] = 0.955},
    .quant_factor =
        {[QF_FLOAT] = 1.0, [QF_LEGACY] = 1.0, [QF_K] = 0.886, [QF_I] = 0.80, [QF_FP4] = 1.0},
    .layer_overhead_s = {[LLAMA_BACKEND_CUDA] = 62e-6,
                         [LLAMA_BACKEND_ROCM] = 114e-6,
                         [LLAMA_BACKEND_VULKAN] = 78e-6,
                         [LLAMA_BACKEND_METAL] = 236e-6,
                         [LLAMA_BACKEND_CPU] = 20e-6},
    .prefill_efficiency = {[LLAMA_BACKEND_CUDA] = 0.591,
                           [LLAMA_BACKEND_ROCM] = 1.43,
                           [LLAMA_BACKEND_VULKAN] = 0.562,
                           [LLAMA_BACKEND_METAL] = 0.727,
                           [LLAMA_BACKEND_CPU] = 0},
    .mmq_int8_share = 0.310,
    .half_rate_rows = 64,
    .host_efficiency = 0.70,
    .decode_band = 0.15,
    .prefill_band = 0.30,
    .int8_mmq = true,
};

/*
 * vLLM's constants: stated assumptions, NOT fitted (no measured vLLM
 * decode or prefill is in tests/data/speed).  The reasoning behind each:
 *  - mem_efficiency: vLLM's decode step runs as one CUDA graph with
 *    cuBLAS/CUTLASS GEMMs (Marlin for 4-bit, FP8 GEMMs on Hopper), which
 *    read HBM better than llama.cpp's mat-vec kernels of 2024 (0.59):
 *    assumed 0.75 on HBM, 0.85 on GDDR, 0.80 on LPDDR.
 *  - quant_factor: FP8/INT8 (QF_LEGACY) and FP4 at the BF16 rate per byte,
 *    4-bit Marlin (QF_K) 0.9.
 *  - layer_overhead_s: CUDA graphs remove the launch gaps; what is left is
 *    the scheduler step, sampling and the graph itself: about 25 us a
 *    layer (0.8 ms on 32 layers).  ROCm 40 us.  vLLM has no Metal or
 *    Vulkan backend: those rows repeat CUDA's (vramcalc never picks them
 *    for vLLM unless --backend names them).
 *  - prefill_efficiency: BF16 GEMMs over batches of 2048-8192 tokens reach
 *    about 60 % of the dense rate; quantized weights are taken at the FP16
 *    rate (vLLM dequantizes or uses FP8, which the profiles do not state).
 *  - bands: +-30 % decode, +-40 % prefill, because nothing checks them.
 */
static const struct speed_constants constants_vllm = {
    .engine = "vLLM",
    .calibrated = false,
    .mem_efficiency = {[MEM_GDDR] = 0.85, [MEM_HBM] = 0.75, [MEM_LPDDR] = 0.80},
    .quant_factor =
        {[QF_FLOAT] = 1.0, [QF_LEGACY] = 1.0, [QF_K] = 0.9, [QF_I] = 0.9, [QF_FP4] = 1.0},
    .layer_overhead_s = {[LLAMA_BACKEND_CUDA] = 25e-6,
                         [LLAMA_BACKEND_ROCM] = 40e-6,
                         [LLAMA_BACKEND_VULKAN] = 25e-6,
                         [LLAMA_BACKEND_METAL] = 25e-6,
                         [LLAMA_BACKEND_CPU] = 20e-6},
    .prefill_efficiency = {[LLAMA_BACKEND_CUDA] = 0.60,
                           [LLAMA_BACKEND_ROCM] = 0.50,
                           [LLAMA_BACKEND_VULKAN] = 0.60,
                           [LLAMA_BACKEND_METAL] = 0.60,
                           [LLAMA_BACKEND_CPU] = 0},
    .mmq_int8_share = 0,
    .half_rate_rows = 64,
    .host_efficiency = 0.70,
    .decode_band = 0.30,
    .prefill_band = 0.40,
    .int8_mmq = false,
};

const struct speed_constants *speed_constants(void)
{
	return &constants;
}

const struct speed_constants *speed_constants_of(bool vllm)
{
	return vllm ? &constants_vllm : &constants;
}

static const char *const family_names[QF_COUNT] = {
    [QF_FLOAT] = "F16/BF16", [QF_LEGACY] = "Q4_0..Q8_0", [QF_K] = "k-quants",
    [QF_I] = "i-quants",     [QF_FP4] = "MXFP4/NVFP4",
};

const char *quant_family_name(enum quant_family f)
{
	return (f >= 0 && f < QF_COUNT) ? family_names[f] : "?";
}

enum quant_family quant_family_of(enum qtype t)
{
	switch (t) {
	case QT_F32:
	case QT_F16:
	case QT_BF16:
	case QT_F64:
	case QT_I8:
	case QT_I16:
	case QT_I32:
	case QT_I64:
		return QF_FLOAT;
	case QT_Q4_0:
	case QT_Q4_1:
	case QT_Q5_0:
	case QT_Q5_1:
	case QT_Q8_0:
	case QT_Q8_1:
	case QT_V_FP8:
	case QT_V_INT8:
		return QF_LEGACY;
	case QT_Q2_K:
	case QT_Q3_K:
	case QT_Q4_K:
	case QT_Q5_K:
	case QT_Q6_K:
	case QT_Q8_K:
	case QT_V_INT4_G128:
		return QF_K;
	case QT_MXFP4:
	case QT_NVFP4:
	case QT_V_NVFP4:
	case QT_V_MXFP4:
		return QF_FP4;
	default:
		return QF_I;
	}
}

void plan_speed_defaults(struct speed_params *p)
{
	p->host_bandwidth_gbps = 64.0; /* dual-channel DDR5-4000 */
	p->pcie_gbps = 25.0;           /* PCIe 4.0 x16 in practice */
	p->prompt_tokens = 4096;
	p->gpu_count = 1;
}

void speed_work_of(const struct model *m, struct estimate_scratch *x, const struct settings *s,
                   const struct estimate *e, uint64_t prompt_tokens, struct speed_work *w)
{
	const struct model_arch *a = &m->arch;
	const enum qtype *types = estimate_scratch_types(m, x, s);
	memset(w, 0, sizeof(*w));
	bool cpu =
	    s->offload == OFFLOAD_CPU || (!s->backend_auto && s->backend == LLAMA_BACKEND_CPU);
	double expert_flops = 0, flops = 0;
	for (size_t i = 0; i < m->tensors.n; i++) {
		const struct tensor_info *t = &m->tensors.v[i];
		if (t->cat == TC_TOKEN_EMBD)
			continue; /* one row per token */
		enum qtype type = types[i];
		uint64_t b = tensor_bytes(t, type);
		uint64_t host = cpu ? b : estimate_tensor_host_bytes(a, s, t, b);
		double share = 1.0;
		uint64_t elems = tensor_elems(t);
		if (t->routed_expert && a->n_expert) {
			share = (double)a->n_expert_used / a->n_expert;
			elems = elems / a->n_expert * a->n_expert_used;
		}
		w->gpu_bytes[quant_family_of(type)] += (double)(b - host) * share;
		w->gpu_total_bytes += (double)(b - host);
		w->host_bytes += (double)host * share;
		w->host_total_bytes += (double)host;
		if (t->n_dims < 2)
			continue; /* norms and biases: no matmul */
		double f = 2.0 * (double)elems;
		flops += f;
		if (t->routed_expert)
			expert_flops += f;
		if (type == QT_F16)
			w->flops_float += f;
		else if (type == QT_BF16 || type == QT_F32 || type == QT_F64)
			w->flops_bf16 += f;
		else
			w->flops_quant += f;
	}
	w->expert_share = flops > 0 ? expert_flops / flops : 0;

	/* KV read by one sequence: its share of the cache. */
	double kv_seq = (double)e->kv_bytes / (s->n_seq ? s->n_seq : 1);
	double kv_gpu = e->kv_bytes ? kv_seq * (double)e->kv_gpu_bytes / (double)e->kv_bytes : 0;
	if (cpu) {
		kv_gpu = 0;
		w->gpu_total_bytes = 0;
	}
	w->kv_gpu_bytes = kv_gpu;
	w->host_bytes += kv_seq - kv_gpu;

	/* Attention FLOPs per prompt token: QK^T and PV over the positions
	 * before it, half the prompt on average (a sliding window at most). */
	double P = (double)prompt_tokens;
	for (uint32_t il = 0; il < a->n_layer; il++) {
		if (!arch_layer_has_kv(a, il))
			continue;
		double span = P / 2;
		if ((a->layer_kind[il] == LK_ATTN_SWA || a->layer_kind[il] == LK_ATTN_CHUNKED) &&
		    span > a->n_swa)
			span = a->n_swa;
		w->attn_flops +=
		    2.0 * span * ((double)arch_q_dim(a) + (double)a->n_head * a->head_dim_v);
	}
	double ub = s->n_ubatch ? (double)s->n_ubatch : 512;
	w->rows_dense = P < ub ? (P > 1 ? P : 1) : ub;
	w->rows_expert =
	    a->n_expert ? w->rows_dense * a->n_expert_used / a->n_expert : w->rows_dense;
	if (w->rows_expert < 1)
		w->rows_expert = 1;
	w->n_layer = a->n_layer;
}

/* Share of full matmul speed over r rows. */
static double rows_factor(const struct speed_constants *C, double r)
{
	return r / (r + C->half_rate_rows);
}

/* Prefill rates of one device under a backend, TFLOPS: per weight kind. */
struct rates {
	double fp16, bf16, quant;
	const char *quant_path;
	bool mmq; /* quantized weights take llama.cpp's INT8 MMQ kernels */
};

static void device_rates(const struct speed_constants *C, const struct device *d,
                         enum llama_backend b, struct rates *r)
{
	r->fp16 = d->fp16_tflops > 0 ? d->fp16_tflops : d->bf16_tflops;
	r->bf16 = d->bf16_tflops > 0 ? d->bf16_tflops : r->fp16;
	if (C->int8_mmq && (b == LLAMA_BACKEND_CUDA || b == LLAMA_BACKEND_ROCM) &&
	    d->int8_tops > 0) {
		r->quant = d->int8_tops * C->mmq_int8_share;
		r->quant_path = "INT8 MMQ";
		r->mmq = true;
	} else {
		r->quant = r->fp16;
		r->quant_path = "FP16 (dequantized)";
		r->mmq = false;
	}
}

/* Decode time of the GPU part on one device for a batch of B sequences;
 * *eff gets the weights' effective bandwidth share. */
static double device_decode_s(const struct speed_constants *C, const struct speed_work *w,
                              const struct device *d, double B, double *eff)
{
	double e_mem = C->mem_efficiency[d->memory_kind];
	double bytes = 0, eq_bytes = 0;
	for (int f = 0; f < QF_COUNT; f++) {
		bytes += w->gpu_bytes[f];
		eq_bytes += w->gpu_bytes[f] / C->quant_factor[f];
	}
	*eff = eq_bytes > 0 ? e_mem * bytes / eq_bytes : e_mem;
	double bw = d->bandwidth_gbps * 1e9;
	if (!(bw > 0))
		return 0;
	return (eq_bytes + B * w->kv_gpu_bytes) / (e_mem * bw);
}

/* What the output states about a device's prefill path. */
struct prefill_stated {
	const char *path;
	double rate_tflops, efficiency;
};

/* Prefill time per token on one device (all layers on it); 0 when the
 * device or backend has no tensor rate. */
static double device_prefill_s(const struct speed_constants *C, const struct speed_work *w,
                               const struct device *d, enum llama_backend b,
                               struct prefill_stated *st)
{
	struct rates r;
	device_rates(C, d, b, &r);
	double e = C->prefill_efficiency[b];
	if (!(r.fp16 > 0) || !(e > 0))
		return 0;
	double rows = (1 - w->expert_share) / rows_factor(C, w->rows_dense) +
	              w->expert_share / rows_factor(C, w->rows_expert);
	double t = (w->flops_float / r.fp16 + w->flops_bf16 / r.bf16 + w->flops_quant / r.quant) *
	           rows / (e * 1e12);
	t += w->attn_flops / (e * r.fp16 * 1e12);
	/* each micro-batch reads every weight once (MoE: every expert) */
	double bw = d->bandwidth_gbps * 1e9 * C->mem_efficiency[d->memory_kind];
	if (bw > 0)
		t += w->gpu_total_bytes / bw / w->rows_dense;
	/* state the dominant path, against its device peak */
	double eff = e / rows;
	if (w->flops_quant >= w->flops_float && w->flops_quant >= w->flops_bf16) {
		st->rate_tflops = r.mmq ? d->int8_tops : r.fp16;
		eff *= r.mmq ? C->mmq_int8_share : 1.0;
		st->path = r.quant_path;
	} else if (w->flops_float >= w->flops_bf16) {
		st->rate_tflops = r.fp16;
		st->path = "FP16 tensor";
	} else {
		st->rate_tflops = r.bf16;
		st->path = "BF16 tensor";
	}
	st->efficiency = eff;
	return t;
}

/* Group the target's devices into parts: consecutive devices of one type
 * and backend.  Past SPEED_MAX_PARTS groups the last part takes the rest
 * (its device and backend stay those of its first device). */
static void group_parts(const struct speed_target *t, struct speed *out)
{
	out->n_parts = 0;
	for (uint32_t k = 0; k < t->n; k++) {
		struct speed_part *last = out->n_parts ? &out->part[out->n_parts - 1] : NULL;
		bool same = last && last->dev == t->dev[k] && last->backend == t->backend[k];
		if (!same && out->n_parts < SPEED_MAX_PARTS) {
			last = &out->part[out->n_parts++];
			memset(last, 0, sizeof(*last));
			last->dev = t->dev[k];
			last->backend = t->backend[k];
		}
		last->count++;
		last->share += t->share[k];
	}
}

void speed_evaluate(const struct speed_work *w, const struct speed_target *t, uint32_t n_seq,
                    const struct speed_params *p, struct speed *out)
{
	memset(out, 0, sizeof(*out));
	const struct speed_constants *C = speed_constants_of(t->vllm);
	uint32_t n = t->n;
	out->engine = C->engine;
	out->calibrated = C->calibrated;
	out->backend = n ? t->backend[0] : LLAMA_BACKEND_CPU;
	out->prefill_path = "none";
	double B = n_seq ? n_seq : 1;

	double gpu_w = 0;
	for (int f = 0; f < QF_COUNT; f++)
		gpu_w += w->gpu_bytes[f];
	double gpu = n ? gpu_w + w->kv_gpu_bytes : 0;
	double host = w->host_bytes + (n ? 0 : gpu_w + w->kv_gpu_bytes);
	out->gpu_bytes_per_token = (uint64_t)gpu;
	out->host_bytes_per_token = (uint64_t)host;
	out->flops_per_token = w->flops_float + w->flops_bf16 + w->flops_quant + w->attn_flops;
	out->attn_flops_per_token = w->attn_flops;

	/* Decode: each group of devices on its share of the layers, with its
	 * own bandwidth and backend; the groups one after the other (layer
	 * split), or all at once (tensor parallelism). */
	group_parts(t, out);
	out->n_devices = t->parallel ? 1 : n;
	double t_gpu = 0, t_pre = 0, best_share = -1;
	bool pre_known = n > 0;
	for (uint32_t k = 0; k < out->n_parts; k++) {
		struct speed_part *pt = &out->part[k];
		struct prefill_stated st = {"none", 0, 0};
		double eff;
		/* in turn: the group's share of the layers; in parallel: every
		 * device holds 1/n of each layer */
		double sh = t->parallel ? 1.0 / n : pt->share;
		double td = sh * device_decode_s(C, w, pt->dev, B, &eff);
		double tp1 = device_prefill_s(C, w, pt->dev, pt->backend, &st);
		pre_known &= tp1 > 0;
		pt->overhead_s =
		    (t->parallel ? 1.0 : pt->share) * w->n_layer * C->layer_overhead_s[pt->backend];
		pt->decode_s = td + pt->overhead_s;
		pt->prefill_s = sh * tp1;
		pt->bandwidth_efficiency = eff;
		if (pt->share > best_share) {
			/* state the assumptions of the group with most layers */
			best_share = pt->share;
			out->backend = pt->backend;
			out->bandwidth_efficiency = eff;
			out->prefill_path = st.path;
			out->prefill_rate_tflops = st.rate_tflops;
			out->compute_efficiency = st.efficiency;
		}
		if (t->parallel) {
			t_gpu = pt->decode_s > t_gpu ? pt->decode_s : t_gpu;
			t_pre = pt->prefill_s > t_pre ? pt->prefill_s : t_pre;
			if (pt->overhead_s > out->overhead_s)
				out->overhead_s = pt->overhead_s;
		} else {
			t_gpu += pt->decode_s;
			t_pre += pt->prefill_s;
			out->overhead_s += pt->overhead_s;
		}
	}
	if (!n)
		out->overhead_s = w->n_layer * C->layer_overhead_s[LLAMA_BACKEND_CPU];
	bool unified = n && t->dev[0]->unified;
	double host_bw = (unified ? t->dev[0]->bandwidth_gbps : p->host_bandwidth_gbps) * 1e9;
	double t_host = 0;
	if (host > 0 && host_bw > 0)
		t_host = host / (C->host_efficiency * host_bw);
	/* llama.cpp runs a matmul whose weights sit in host memory on the GPU
	 * once a batch has 32 or more tokens, copying the weights over PCIe. */
	if (n && !unified && B >= 32 && w->host_total_bytes > 0 && p->pcie_gbps > 0)
		t_host = w->host_total_bytes / (p->pcie_gbps * 1e9);
	double t_step = t_gpu + t_host + (n ? 0 : out->overhead_s);

	out->compute_known = pre_known && t_pre > 0;
	if (out->compute_known) {
		/* Compute bound of a decode step (large batches). */
		if (B * t_pre > t_step)
			t_step = B * t_pre;
		double t_tok = t_pre;
		/* host weights cross PCIe once per micro-batch during prefill */
		if (w->host_total_bytes > 0 && p->pcie_gbps > 0 && !unified)
			t_tok += w->host_total_bytes / (p->pcie_gbps * 1e9) / w->rows_dense;
		out->prefill_tps = 1.0 / t_tok;
		out->ttft_s = (double)p->prompt_tokens * t_tok + t_step;
	}
	if (t_step > 0) {
		out->decode_tps = 1.0 / t_step;
		out->decode_tps_total = B / t_step;
	}
	out->decode_band = C->decode_band;
	/* host bandwidth is the user's figure, not a measured one */
	if (t_host > 0.25 * t_step && out->decode_band < 0.30)
		out->decode_band = 0.30;
	out->prefill_band = C->prefill_band;
}

void speed_target_fill(const struct settings *s, const struct estimate *e,
                       const struct device *const *devs, const double *share, uint32_t n,
                       struct speed_target *t)
{
	t->n = 0;
	t->parallel = false;
	t->vllm = e->vllm;
	for (uint32_t k = 0; k < n && k < HW_MAX_DEVICES; k++) {
		enum llama_backend b = backend_pick(s->backend_auto, s->backend, devs[k]->vendor);
		if (b == LLAMA_BACKEND_CPU || s->offload == OFFLOAD_CPU) {
			t->n = 0;
			return;
		}
		t->dev[k] = devs[k];
		t->backend[k] = b;
		t->share[k] = share ? share[k] : 1.0 / n;
		t->n = k + 1;
	}
}

void plan_speed_split(const struct model *m, struct estimate_scratch *x, const struct settings *s,
                      const struct estimate *e, const struct device *const *devs,
                      const double *share, uint32_t n, const struct speed_params *p,
                      struct speed *out)
{
	struct speed_work w;
	speed_work_of(m, x, s, e, p->prompt_tokens, &w);
	struct speed_target t;
	speed_target_fill(s, e, devs, share, n, &t);
	speed_evaluate(&w, &t, s->n_seq, p, out);
}

void plan_speed(const struct model *m, struct estimate_scratch *x, const struct settings *s,
                const struct estimate *e, const struct device *d, const struct speed_params *p,
                struct speed *out)
{
	struct speed_work w;
	speed_work_of(m, x, s, e, p->prompt_tokens, &w);
	const struct device *devs[HW_MAX_DEVICES] = {NULL};
	uint32_t n = 0;
	bool tp = false;
	if (d) {
		/* llama.cpp's layer split of identical devices reads the same
		 * bytes one device after the other: the time of one device. */
		n = 1;
		tp = e->vllm && p->gpu_count > 1;
		if (tp)
			n = p->gpu_count < HW_MAX_DEVICES ? p->gpu_count : HW_MAX_DEVICES;
		for (uint32_t k = 0; k < n; k++)
			devs[k] = d;
	}
	struct speed_target t;
	speed_target_fill(s, e, devs, NULL, n, &t);
	t.parallel = tp && t.n > 0;
	speed_evaluate(&w, &t, s->n_seq, p, out);
}

const char *speed_format_number(double x, char *buf, size_t n)
{
	double r = x;
	if (x > 0) {
		double mag = pow(10, floor(log10(x)) - 1); /* two significant digits */
		r = round(x / mag) * mag;
	}
	if (!(r >= 1000) || r > 1e15) {
		int dec = r >= 10 || r <= 0 ? 0 : (r >= 1 ? 1 : (r >= 0.1 ? 2 : 3));
		snprintf(buf, n, "%.*f", dec, r);
		return buf;
	}
	char digits[24];
	snprintf(digits, sizeof(digits), "%.0f", r);
	size_t len = strlen(digits), o = 0;
	for (size_t i = 0; i < len && o + 2 < n; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

const char *speed_format_band(double tps, double band, char *buf, size_t n)
{
	char num[32];
	snprintf(buf, n, "about %s tokens/s, +-%.0f %%", speed_format_number(tps, num, sizeof(num)),
	         100 * band);
	return buf;
}

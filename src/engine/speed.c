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
 *  Fitted over 34 decode and 36 prefill cases: 11 constants for decode
 *  (3 memory, 3 quant, 4 backend overheads; the i-quant factor is set),
 *  6 for prefill.  ROCm's prefill efficiency is above 1 because it is a
 *  share of mmq_int8_share x the INT8 rate, and RDNA3 runs INT8 no faster
 *  than FP16: it reaches 44 % of the 7900 XTX's INT8 peak.  prefill_efficiency
 *  and mmq_int8_share trade off against each other in the fit (CUDA's F16
 *  cases pin the first); their product is what the quantized cases fix.
 */
static const struct speed_constants constants = {
    .mem_efficiency = {[MEM_GDDR] = 0.94, [MEM_HBM] = 0.59, [MEM_LPDDR] = 0.955},
    .quant_factor =
        {[QF_FLOAT] = 1.0, [QF_LEGACY] = 1.0, [QF_K] = 0.886, [QF_I] = 0.80, [QF_FP4] = 1.0},
    .layer_overhead_s = {[BACKEND_CUDA] = 62e-6,
                         [BACKEND_ROCM] = 114e-6,
                         [BACKEND_VULKAN] = 78e-6,
                         [BACKEND_METAL] = 236e-6},
    .prefill_efficiency = {[BACKEND_CUDA] = 0.591,
                           [BACKEND_ROCM] = 1.43,
                           [BACKEND_VULKAN] = 0.562,
                           [BACKEND_METAL] = 0.727},
    .mmq_int8_share = 0.310,
    .half_rate_rows = 64,
    .host_efficiency = 0.70,
    .decode_band = 0.15,
    .prefill_band = 0.30,
};

const struct speed_constants *speed_constants(void)
{
	return &constants;
}

static const char *const backend_names[BACKEND_COUNT] = {
    [BACKEND_CUDA] = "CUDA",
    [BACKEND_ROCM] = "ROCm",
    [BACKEND_VULKAN] = "Vulkan",
    [BACKEND_METAL] = "Metal",
};

const char *speed_backend_name(enum speed_backend b)
{
	return (b >= 0 && b < BACKEND_COUNT) ? backend_names[b] : "auto";
}

bool speed_backend_find(const char *name, enum speed_backend *out)
{
	if (!strcasecmp(name, "hip")) {
		*out = BACKEND_ROCM;
		return true;
	}
	for (int i = 0; i < BACKEND_COUNT; i++) {
		if (!strcasecmp(name, backend_names[i])) {
			*out = (enum speed_backend)i;
			return true;
		}
	}
	return false;
}

enum speed_backend speed_backend_of_device(const struct device *d)
{
	if (!d)
		return BACKEND_CUDA;
	if (!strcasecmp(d->vendor, "NVIDIA"))
		return BACKEND_CUDA;
	if (!strcasecmp(d->vendor, "AMD"))
		return BACKEND_ROCM;
	if (!strcasecmp(d->vendor, "Apple"))
		return BACKEND_METAL;
	return BACKEND_VULKAN;
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
	p->backend = BACKEND_AUTO;
}

void speed_work_of(const struct model *m, const struct settings *s, const struct estimate *e,
                   uint64_t prompt_tokens, struct speed_work *w)
{
	const struct model_arch *a = &m->arch;
	memset(w, 0, sizeof(*w));
	bool cpu = s->offload == OFFLOAD_CPU;
	double expert_flops = 0, flops = 0;
	for (size_t i = 0; i < m->tensors.n; i++) {
		const struct tensor_info *t = &m->tensors.v[i];
		if (t->cat == TC_TOKEN_EMBD)
			continue; /* one row per token */
		enum qtype type = m->types[i];
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
static double rows_factor(double r)
{
	return r / (r + constants.half_rate_rows);
}

/* Prefill rates of one device under a backend, TFLOPS: per weight kind. */
struct rates {
	double fp16, bf16, quant;
	const char *quant_path;
	bool mmq; /* quantized weights take llama.cpp's INT8 MMQ kernels */
};

static void device_rates(const struct device *d, enum speed_backend b, struct rates *r)
{
	r->fp16 = d->fp16_tflops > 0 ? d->fp16_tflops : d->bf16_tflops;
	r->bf16 = d->bf16_tflops > 0 ? d->bf16_tflops : r->fp16;
	if ((b == BACKEND_CUDA || b == BACKEND_ROCM) && d->int8_tops > 0) {
		r->quant = d->int8_tops * constants.mmq_int8_share;
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
static double device_decode_s(const struct speed_work *w, const struct device *d, double B,
                              double *eff)
{
	double e_mem = constants.mem_efficiency[d->memory_kind];
	double bytes = 0, eq_bytes = 0;
	for (int f = 0; f < QF_COUNT; f++) {
		bytes += w->gpu_bytes[f];
		eq_bytes += w->gpu_bytes[f] / constants.quant_factor[f];
	}
	*eff = eq_bytes > 0 ? e_mem * bytes / eq_bytes : e_mem;
	double bw = d->bandwidth_gbps * 1e9;
	if (!(bw > 0))
		return 0;
	return (eq_bytes + B * w->kv_gpu_bytes) / (e_mem * bw);
}

/* Prefill time per token on one device (all layers on it). */
static double device_prefill_s(const struct speed_work *w, const struct device *d,
                               enum speed_backend b, struct speed *out)
{
	struct rates r;
	device_rates(d, b, &r);
	if (!(r.fp16 > 0))
		return 0;
	double e = constants.prefill_efficiency[b];
	double rows = (1 - w->expert_share) / rows_factor(w->rows_dense) +
	              w->expert_share / rows_factor(w->rows_expert);
	double t = (w->flops_float / r.fp16 + w->flops_bf16 / r.bf16 + w->flops_quant / r.quant) *
	           rows / (e * 1e12);
	t += w->attn_flops / (e * r.fp16 * 1e12);
	/* each micro-batch reads every weight once (MoE: every expert) */
	double bw = d->bandwidth_gbps * 1e9 * constants.mem_efficiency[d->memory_kind];
	if (bw > 0)
		t += w->gpu_total_bytes / bw / w->rows_dense;
	/* state the dominant path, against its device peak */
	double eff = e / rows;
	if (w->flops_quant >= w->flops_float && w->flops_quant >= w->flops_bf16) {
		bool mmq = r.mmq;
		out->prefill_rate_tflops = mmq ? d->int8_tops : r.fp16;
		eff *= mmq ? constants.mmq_int8_share : 1.0;
		out->prefill_path = r.quant_path;
	} else if (w->flops_float >= w->flops_bf16) {
		out->prefill_rate_tflops = r.fp16;
		out->prefill_path = "FP16 tensor";
	} else {
		out->prefill_rate_tflops = r.bf16;
		out->prefill_path = "BF16 tensor";
	}
	out->compute_efficiency = eff;
	return t;
}

void speed_evaluate(const struct speed_work *w, const struct device *const *devs,
                    const double *share, uint32_t n, bool vllm_tp, uint32_t n_seq,
                    const struct speed_params *p, struct speed *out)
{
	memset(out, 0, sizeof(*out));
	const struct speed_constants *C = &constants;
	if (!devs)
		n = 0;
	enum speed_backend b = p->backend;
	if (b < 0 || b >= BACKEND_COUNT)
		b = speed_backend_of_device(n ? devs[0] : NULL);
	out->backend = b;
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

	/* Decode: the devices one after the other (layer split), or all at
	 * once on their shares (tensor parallelism). */
	double t_gpu = 0, t_pre = 0, best_share = -1;
	out->n_devices = share ? n : 1;
	for (uint32_t k = 0; k < n; k++) {
		double eff, sh = share ? share[k] : 1.0 / n;
		struct speed stated = *out;
		double t = sh * device_decode_s(w, devs[k], B, &eff);
		double tp = sh * device_prefill_s(w, devs[k], b, &stated);
		if (sh > best_share) {
			/* state the assumptions of the device with most layers */
			best_share = sh;
			out->bandwidth_efficiency = eff;
			out->prefill_path = stated.prefill_path;
			out->prefill_rate_tflops = stated.prefill_rate_tflops;
			out->compute_efficiency = stated.compute_efficiency;
		}
		if (vllm_tp) {
			t_gpu = t > t_gpu ? t : t_gpu;
			t_pre = tp > t_pre ? tp : t_pre;
		} else {
			t_gpu += t;
			t_pre += tp;
		}
	}
	bool unified = n && devs[0]->unified;
	double host_bw = (unified ? devs[0]->bandwidth_gbps : p->host_bandwidth_gbps) * 1e9;
	double t_host = 0;
	if (host > 0 && host_bw > 0)
		t_host = host / (C->host_efficiency * host_bw);
	/* llama.cpp runs a matmul whose weights sit in host memory on the GPU
	 * once a batch has 32 or more tokens, copying the weights over PCIe. */
	if (n && !unified && B >= 32 && w->host_total_bytes > 0 && p->pcie_gbps > 0)
		t_host = w->host_total_bytes / (p->pcie_gbps * 1e9);
	out->overhead_s = w->n_layer * C->layer_overhead_s[b];
	double t_step = t_gpu + t_host + out->overhead_s;

	out->compute_known = t_pre > 0;
	if (t_pre > 0) {
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

void plan_speed_split(const struct model *m, const struct settings *s, const struct estimate *e,
                      const struct device *const *devs, const double *share, uint32_t n,
                      const struct speed_params *p, struct speed *out)
{
	struct speed_work w;
	speed_work_of(m, s, e, p->prompt_tokens, &w);
	speed_evaluate(&w, devs, share, n, false, s->n_seq, p, out);
}

void plan_speed(const struct model *m, const struct settings *s, const struct estimate *e,
                const struct device *d, const struct speed_params *p, struct speed *out)
{
	struct speed_work w;
	speed_work_of(m, s, e, p->prompt_tokens, &w);
	const struct device *devs[HW_MAX_DEVICES];
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
	speed_evaluate(&w, d ? devs : NULL, NULL, n, tp, s->n_seq, p, out);
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

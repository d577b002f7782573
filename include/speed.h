/*
 * speed.h - how fast a configuration decodes and prefills.
 *
 * Engine layer.  A physical model with few constants, each fitted on real
 * llama-bench results (tests/data/speed/cases.csv, check: tests/speedcheck.c):
 *
 *   decode:  time per token = sum over devices and quant families of
 *            bytes / (memory efficiency x quant factor x bandwidth)
 *            + host bytes / (host efficiency x host bandwidth)
 *            + layers x per-layer overhead of the backend
 *   prefill: time per token = matmul FLOPs / (backend efficiency x rate x
 *            rows / (rows + half-rate rows)) + attention FLOPs over the
 *            prompt / (backend efficiency x FP16 rate)
 *            + every GPU weight read once per micro-batch (all experts)
 *            + host weights over PCIe once per micro-batch
 *
 * where "rate" is the dense tensor rate llama.cpp's kernel for the weight
 * type runs at: FP16 (F16 weights, and every weight on Metal and Vulkan),
 * BF16 (BF16/F32 weights) or INT8 (quantized weights on CUDA and ROCm: MMQ
 * multiplies on INT8 tensor cores).  Every estimate carries a band
 * (speed.decode_band, prefill_band) taken from the spread of the fit.
 */
#ifndef VRAMCALC_SPEED_H
#define VRAMCALC_SPEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "estimate.h"
#include "hardware.h"

/* llama.cpp's GPU backends.  BACKEND_AUTO: the device vendor's usual one
 * (speed_backend_of_device). */
enum speed_backend {
	BACKEND_AUTO = -1,
	BACKEND_CUDA,
	BACKEND_ROCM,
	BACKEND_VULKAN,
	BACKEND_METAL,
	BACKEND_COUNT
};

/* "CUDA", "ROCm", "Vulkan", "Metal". */
const char *speed_backend_name(enum speed_backend b);
/* Case-insensitive lookup ("cuda", "hip" for ROCm too); false if unknown. */
bool speed_backend_find(const char *name, enum speed_backend *out);
/* The backend llama.cpp users run on this device: CUDA for NVIDIA, ROCm
 * for AMD, Metal for Apple, Vulkan for everything else (Intel, ...). */
enum speed_backend speed_backend_of_device(const struct device *d);

/* Weight families whose decode kernels read bytes at different speeds. */
enum quant_family {
	QF_FLOAT,  /* F32, F16, BF16 */
	QF_LEGACY, /* Q4_0 .. Q8_0 (one scale per 32), and 8-bit vLLM formats */
	QF_K,      /* k-quants Q2_K .. Q6_K (super-blocks of 256) */
	QF_I,      /* i-quants and ternary types (codebook lookups) */
	QF_FP4,    /* MXFP4, NVFP4 */
	QF_COUNT
};

const char *quant_family_name(enum quant_family f);
enum quant_family quant_family_of(enum qtype t);

/* The fitted constants (one table, speed.c; the fit: tests/data/speed/). */
struct speed_constants {
	double mem_efficiency[MEM_KIND_COUNT];    /* share of peak bandwidth */
	double quant_factor[QF_COUNT];            /* per-byte read speed vs F16 */
	double layer_overhead_s[BACKEND_COUNT];   /* per token per layer */
	double prefill_efficiency[BACKEND_COUNT]; /* share of the tensor rate */
	double mmq_int8_share;                    /* MMQ: share of the INT8 rate,
	                                           * relative to cuBLAS FP16 */
	double half_rate_rows;                    /* rows per matmul at which
	                                           * prefill runs at half speed */
	double host_efficiency;                   /* share of host bandwidth */
	double decode_band, prefill_band;         /* +- fraction (p10-p90) */
};

const struct speed_constants *speed_constants(void);

/* Assumptions of the speed model; plan_speed_defaults() fills them. */
struct speed_params {
	double host_bandwidth_gbps; /* system RAM bandwidth, GB/s (discrete GPUs) */
	double pcie_gbps;           /* host-to-GPU transfer rate, GB/s */
	uint64_t prompt_tokens;     /* prompt length for prefill and time to first token */
	uint32_t gpu_count;         /* devices: vLLM's tensor parallelism reads
	                             * them in parallel; llama.cpp's layer split
	                             * one after the other */
	enum speed_backend backend; /* BACKEND_AUTO: from the device vendor */
};

void plan_speed_defaults(struct speed_params *p);

/* Speed estimate.  Decode is bandwidth-bound: every generated token reads
 * the active weights (routed experts scaled by experts per token, shared
 * experts in full) and the sequence's KV cache; host-resident weights are
 * read at host bandwidth, or cross PCIe when a batch of 32 or more tokens
 * makes llama.cpp copy them to the GPU.  Prefill is compute-bound. */
struct speed {
	uint64_t gpu_bytes_per_token;  /* weights + KV read from GPU memory */
	uint64_t host_bytes_per_token; /* weights + KV read from host memory */
	double flops_per_token;        /* prefill: matmuls + mean attention */
	double attn_flops_per_token;   /* the attention part of flops_per_token */
	double decode_tps;             /* tokens/s of one sequence */
	double decode_tps_total;       /* tokens/s over all sequences of the batch */
	double prefill_tps;            /* prompt tokens/s */
	double ttft_s;                 /* time to first token for prompt_tokens */
	bool compute_known;            /* the device states a tensor rate */
	/* The assumptions this estimate used, for the output to state. */
	enum speed_backend backend;
	uint32_t n_devices;          /* devices of a mixed layer split (1: one type) */
	double bandwidth_efficiency;      /* effective share of bandwidth for the
	                                   * weights (memory x quant family mix) */
	double overhead_s;                /* per-token overhead of the backend */
	double prefill_rate_tflops;       /* peak tensor rate of the matmul path */
	double compute_efficiency;        /* share of that rate reached (incl. rows) */
	const char *prefill_path;         /* "INT8 MMQ", "FP16 tensor", ... */
	double decode_band, prefill_band; /* +- fraction around each figure */
};

/* Speed of model m with settings s and estimate e on `gpu_count` devices of
 * type d (NULL: CPU only). */
void plan_speed(const struct model *m, const struct settings *s, const struct estimate *e,
                const struct device *d, const struct speed_params *p, struct speed *out);

/* Speed over a llama.cpp layer split of n devices (possibly different):
 * share[k] is device k's part of the GPU layers (sums to 1); the devices
 * work one after the other.  n >= 1. */
void plan_speed_split(const struct model *m, const struct settings *s, const struct estimate *e,
                      const struct device *const *devs, const double *share, uint32_t n,
                      const struct speed_params *p, struct speed *out);

/* What one token of work is, independent of the device. */
struct speed_work {
	double gpu_bytes[QF_COUNT]; /* active weight bytes in GPU memory, by family */
	double kv_gpu_bytes;        /* one sequence's KV in GPU memory */
	double gpu_total_bytes;     /* all weight bytes in GPU memory: prefill reads
	                             * every one of them once per micro-batch */
	double host_bytes;          /* active weight + KV bytes in host memory */
	double host_total_bytes;    /* all weights in host memory */
	double flops_float;         /* matmul FLOPs on F16 weights */
	double flops_bf16;          /* matmul FLOPs on BF16/F32 weights */
	double flops_quant;         /* matmul FLOPs on quantized weights */
	double expert_share;        /* part of the matmul FLOPs in routed experts */
	double attn_flops;          /* attention FLOPs, mean over the prompt */
	double rows_dense;          /* tokens per matmul in a micro-batch */
	double rows_expert;         /* tokens per routed expert in a micro-batch */
	uint32_t n_layer;
};

/* The work of one token (a prompt of p->prompt_tokens for attention). */
void speed_work_of(const struct model *m, const struct settings *s, const struct estimate *e,
                   uint64_t prompt_tokens, struct speed_work *w);

/* Evaluate a work on a layer split of n devices (share as above; NULL
 * device list or n == 0: CPU only) into out.  vllm_tp: the n devices read
 * in parallel (tensor parallelism) instead of one after the other. */
void speed_evaluate(const struct speed_work *w, const struct device *const *devs,
                    const double *share, uint32_t n, bool vllm_tp, uint32_t n_seq,
                    const struct speed_params *p, struct speed *out);

/* A figure rounded to two significant digits, thousands grouped:
 * 162.5 -> "160", 7138 -> "7,100", 0.587 -> "0.59".  Returns buf. */
const char *speed_format_number(double x, char *buf, size_t n);

/* "about 160 tokens/s, +-15 %": a figure rounded to two significant digits
 * with its band.  Returns buf. */
const char *speed_format_band(double tps, double band, char *buf, size_t n);

#endif

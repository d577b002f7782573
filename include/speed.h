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
 *
 * Each device runs its own backend (enum llama_backend, backend.h: the
 * named --backend, else its vendor's), so a mixed layer split adds up
 * every device's part with its own bandwidth and backend constants.  vLLM
 * has a constant set of its own (speed_constants_of(true)): stated
 * assumptions, not fitted on measurements (SPEED_VLLM_CALIBRATED).
 */
#ifndef VRAMCALC_SPEED_H
#define VRAMCALC_SPEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "estimate.h"
#include "hardware.h"

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

/* The constants of one serving engine (speed.c: llama.cpp's fitted on
 * tests/data/speed/, vLLM's stated).  Arrays by backend are indexed by
 * enum llama_backend. */
struct speed_constants {
	const char *engine;                             /* "llama.cpp", "vLLM" */
	bool calibrated;                                /* fitted on measurements */
	double mem_efficiency[MEM_KIND_COUNT];          /* share of peak bandwidth */
	double quant_factor[QF_COUNT];                  /* per-byte read speed vs F16 */
	double layer_overhead_s[LLAMA_BACKEND_COUNT];   /* per token per layer */
	double prefill_efficiency[LLAMA_BACKEND_COUNT]; /* share of the tensor rate */
	double mmq_int8_share;                          /* MMQ: share of the INT8 rate,
	                                                 * relative to cuBLAS FP16 */
	double half_rate_rows;                          /* rows per matmul at which
	                                                 * prefill runs at half speed */
	double host_efficiency;                         /* share of host bandwidth */
	double decode_band, prefill_band;               /* +- fraction (p10-p90) */
	bool int8_mmq;                                  /* quantized weights can take INT8
	                                                 * MMQ kernels (llama.cpp) */
};

/* llama.cpp's constants. */
const struct speed_constants *speed_constants(void);
/* The constants of vLLM (vllm true) or llama.cpp. */
const struct speed_constants *speed_constants_of(bool vllm);

/* Assumptions of the speed model; plan_speed_defaults() fills them. */
struct speed_params {
	double host_bandwidth_gbps; /* system RAM bandwidth, GB/s (discrete GPUs) */
	double pcie_gbps;           /* host-to-GPU transfer rate, GB/s */
	uint64_t prompt_tokens;     /* prompt length for prefill and time to first token */
	uint32_t gpu_count;         /* devices: vLLM's tensor parallelism reads
	                             * them in parallel; llama.cpp's layer split
	                             * one after the other */
};

void plan_speed_defaults(struct speed_params *p);

/* Most device groups a split reports one by one (a group: consecutive
 * devices of one type and backend; the command line's -g takes 8). */
#define SPEED_MAX_PARTS 8

/* One group of a layer split: what it takes of a token's time. */
struct speed_part {
	const struct device *dev; /* borrowed */
	enum llama_backend backend;
	uint32_t count;              /* devices in the group */
	double share;                /* of the GPU layers, all devices of the group */
	double decode_s;             /* its part of one decode step, seconds */
	double prefill_s;            /* its part of one prompt token, seconds */
	double overhead_s;           /* its backend's per-token overhead in that */
	double bandwidth_efficiency; /* effective share of its bandwidth */
};

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
	const char *engine;         /* "llama.cpp", "vLLM" */
	bool calibrated;            /* the engine's constants are fitted */
	enum llama_backend backend; /* of the part with the most layers */
	uint32_t n_devices;         /* devices of a mixed layer split (1: one type) */
	uint32_t n_parts;           /* entries of part[] (0: CPU only) */
	struct speed_part part[SPEED_MAX_PARTS];
	double bandwidth_efficiency;      /* effective share of bandwidth for the
	                                   * weights (memory x quant family mix) */
	double overhead_s;                /* per-token overhead of the backend */
	double prefill_rate_tflops;       /* peak tensor rate of the matmul path */
	double compute_efficiency;        /* share of that rate reached (incl. rows) */
	const char *prefill_path;         /* "INT8 MMQ", "FP16 tensor", ... */
	double decode_band, prefill_band; /* +- fraction around each figure */
};

/* Speed of model m with settings s and estimate e on `gpu_count` devices of
 * type d (NULL, or the CPU backend: CPU only).  The backend is the one
 * s names (s->backend_auto: d's vendor's); vLLM estimates (e->vllm) take
 * vLLM's constants.  x: the caller's scratch, for the tensor types of s
 * (estimate_scratch_types: the ones e's estimate left there, or assigned
 * again). */
void plan_speed(const struct model *m, struct estimate_scratch *x, const struct settings *s,
                const struct estimate *e, const struct device *d, const struct speed_params *p,
                struct speed *out);

/* Speed over a llama.cpp layer split of n devices (possibly different):
 * share[k] is device k's part of the GPU layers (sums to 1); the devices
 * work one after the other, each with its own backend (as plan_speed).
 * n >= 1. */
void plan_speed_split(const struct model *m, struct estimate_scratch *x, const struct settings *s,
                      const struct estimate *e, const struct device *const *devs,
                      const double *share, uint32_t n, const struct speed_params *p,
                      struct speed *out);

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

/* The work of one token (a prompt of p->prompt_tokens for attention);
 * x as in plan_speed(). */
void speed_work_of(const struct model *m, struct estimate_scratch *x, const struct settings *s,
                   const struct estimate *e, uint64_t prompt_tokens, struct speed_work *w);

/* Where a work runs: n devices in split order, each with its backend and
 * its share of the GPU layers. */
struct speed_target {
	uint32_t n;                                 /* 0: CPU only */
	const struct device *dev[HW_MAX_DEVICES];   /* borrowed */
	enum llama_backend backend[HW_MAX_DEVICES]; /* each device's backend */
	double share[HW_MAX_DEVICES];               /* sums to 1 */
	bool parallel;                              /* tensor parallelism: the devices
	                                             * read at once, not in turn */
	bool vllm;                                  /* vLLM's constants */
};

/* The target of settings s and estimate e on n devices (share as in
 * plan_speed_split, NULL: equal): each device's backend as s picks it
 * (backend_pick: --backend, else the device vendor's); no device at all
 * when that is the CPU or s offloads nothing.  vLLM estimates take vLLM's
 * constants.  parallel is false (the caller sets it for TP). */
void speed_target_fill(const struct settings *s, const struct estimate *e,
                       const struct device *const *devs, const double *share, uint32_t n,
                       struct speed_target *t);

/* Evaluate a work on a target into out. */
void speed_evaluate(const struct speed_work *w, const struct speed_target *t, uint32_t n_seq,
                    const struct speed_params *p, struct speed *out);

/* A figure rounded to two significant digits, thousands grouped:
 * 162.5 -> "160", 7138 -> "7,100", 0.587 -> "0.59".  Returns buf. */
const char *speed_format_number(double x, char *buf, size_t n);

/* "about 160 tokens/s, +-15 %": a figure rounded to two significant digits
 * with its band.  Returns buf. */
const char *speed_format_band(double tps, double band, char *buf, size_t n);

#endif

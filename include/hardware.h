/*
 * hardware.h - devices and whether an estimate fits on them.
 *
 * Engine layer.  struct device is filled by the data layer from
 * profiles/hardware.ini (profile.h); hw_fit() is pure arithmetic.
 */
#ifndef VRAMCALC_HARDWARE_H
#define VRAMCALC_HARDWARE_H

#include <stdbool.h>
#include <stdint.h>

#include "estimate.h"
#include "vllm.h"

enum hw_category { HW_CONSUMER, HW_WORKSTATION, HW_DATACENTER, HW_UNIFIED, HW_CAT_COUNT };

const char *hw_category_name(enum hw_category c);
bool hw_category_find(const char *name, enum hw_category *out);

/* Memory technology: how much of its peak bandwidth llama.cpp reaches
 * differs (speed.h).  From the profile's memory_type. */
enum mem_kind { MEM_GDDR, MEM_HBM, MEM_LPDDR, MEM_KIND_COUNT };

const char *hw_mem_kind_name(enum mem_kind k);
/* "GDDR6X 384-bit" -> GDDR, "HBM3e" -> HBM, "LPDDR5X unified" -> LPDDR;
 * false when the text names none of them. */
bool hw_mem_kind_parse(const char *memory_type, enum mem_kind *out);

/* One device type. */
struct device {
	char id[48];   /* profile section: "rtx-4090" */
	char name[80]; /* "NVIDIA GeForce RTX 4090" */
	char vendor[24];
	enum hw_category category;
	uint64_t memory_bytes; /* total device memory, bytes */
	double bandwidth_gbps; /* memory bandwidth, GB/s (10^9) */
	double bf16_tflops;    /* dense BF16 tensor rate (FP32 accumulate), 0 if unknown */
	double fp16_tflops;    /* dense FP16 tensor rate with FP16 accumulate (cuBLAS's
	                        * rate for F16 weights); 0: as bf16_tflops */
	double int8_tops;      /* dense INT8 tensor rate; 0: no INT8 matrix path */
	enum mem_kind memory_kind;
	bool fp8, fp4; /* native tensor-core support */
	char interconnect[64];
	bool unified;              /* memory shared with the CPU */
	double gpu_share;          /* unified: share the GPU may use (0..1]; else 1 */
	uint64_t torch_bytes;      /* total as CUDA (and so torch and vLLM) reports it,
	                            * bytes; 0: unknown (see hw_torch_bytes) */
	double compute_capability; /* NVIDIA: CUDA compute capability (8.9); 0 unknown */
};

/* The range of every number of a device, far around real hardware (2026:
 * 8 GiB to 512 GiB, 100 GB/s to 8 TB/s, up to ~2500 dense bf16 TFLOPS):
 * hardware.ini values and command-line overrides outside them are
 * refused, so that no product of them can overflow.  A bandwidth left
 * out of the profile is 0 (unknown); written out it must be above 0.
 * bf16_tflops 0 means unknown.  profile.c's table of hardware.ini keys
 * (hw_fields) applies them, one row per key. */
#define HW_MEMORY_MIN_BYTES       (1ull << 20) /* 1 MiB */
#define HW_MEMORY_MAX_BYTES       (1ull << 46) /* 64 TiB */
#define HW_BANDWIDTH_MAX_GBPS     100000.0     /* 100 TB/s */
#define HW_TFLOPS_MAX             100000.0     /* bf16/fp16 TFLOPS, int8 TOPS */
#define HW_SHARE_MIN              0.01         /* gpu_share: 1% to 100% */
#define HW_COMPUTE_CAPABILITY_MAX 100.0        /* above 0 (CUDA: 8.9, 12.0) */
#define HW_TDP_MAX_W              10000.0      /* tdp_w: above 0 */
#define HW_NOTE_MAX_BYTES         1024         /* source, tensor_source, ... */

/* Is the device of the newer generation for its backend's overhead (CUDA:
 * compute capability 9.0 and later)? */
bool hw_new_generation(const struct device *d);

/* Resolve the device-dependent settings for a run on `count` devices whose
 * first is d: the backend of d's vendor (unless one was named), d's
 * generation and the device count. */
void hw_settings_resolve(struct settings *s, const struct device *d, uint32_t count);

/* Memory the device offers to one process's GPU buffers, bytes: total for
 * discrete cards, total x gpu_share for unified memory. */
uint64_t hw_usable_bytes(const struct device *d);

/* Device memory torch reports as total, which vLLM's budget is a share
 * of: the profile's torch_bytes, else the usable memory less
 * HW_DRIVER_RESERVED_BYTES (the part the driver keeps out of CUDA's view:
 * 0.43-0.47 GiB on an H100 80GB and an RTX 3090). */
uint64_t hw_torch_bytes(const struct device *d);
#define HW_DRIVER_RESERVED_BYTES (460ull << 20)

/* vLLM's larger scheduler defaults apply (at least 70 GiB and not an
 * A100, vLLM's own test). */
bool hw_vllm_large_gpu(const struct device *d);

/* One device's share of a layer split. */
struct device_load {
	uint64_t layers_bytes;   /* weights + KV of the layers it holds */
	uint64_t weights_bytes;  /* the model-weight part of layers_bytes */
	uint64_t kv_bytes;       /* the KV cache and recurrent state part of layers_bytes */
	uint64_t compute_bytes;  /* its compute buffer */
	uint64_t mmproj_bytes;   /* the multimodal projector (the first device only) */
	uint64_t overhead_bytes; /* runtime overhead */
	uint64_t total_bytes;
	uint32_t first_slot;    /* first layer slot held (n_layer = output layer) */
	uint32_t n_slots;       /* layer slots held (0: none) */
	bool has_output;        /* holds the output layer (and the logits) */
	bool main_gpu;          /* receives the ops llama.cpp offloads from host weights */
	int64_t headroom_bytes; /* usable - total; negative: overflow */
	/* vLLM (tensor and pipeline parallelism): the rank's accounting.
	 * layers_bytes = weights + kv_request, compute = activation, overhead
	 * = non-torch (+ CUDA graphs when in the budget), headroom = KV budget
	 * - one request, so total + headroom = the rank's budget. */
	struct vllm_rank vllm;
};

/* Result of fitting an estimate on `count` devices of one type. */
struct hw_fit {
	uint32_t count;                /* devices considered */
	bool fits;                     /* every device's share fits */
	uint32_t needed;               /* fewest devices that fit (0: none up to the limit) */
	int64_t needed_headroom_bytes; /* the tightest device's headroom on `needed` devices */
	int64_t headroom_bytes;        /* the tightest device's headroom; negative: overflow */
	uint64_t need_bytes;           /* GPU bytes over all devices incl. their buffers */
};

#define HW_MAX_DEVICES 64

/*
 * Split the GPU layers of an estimate over n devices the way llama.cpp's
 * layer split does (--split-mode layer): each device takes a contiguous run
 * of layers in proportion to its usable memory (llama.cpp's default
 * --tensor-split follows free memory), the output layer goes to the last
 * device, and every device has its own compute buffer (the one holding the
 * output layer the larger, logits included) and runtime overhead.
 * loads must hold n entries (1 <= n <= HW_MAX_DEVICES).  Returns true when
 * every device fits.
 */
bool hw_split(const struct estimate *e, const struct device *const *devs, uint32_t n,
              struct device_load *loads);

/* Fit the GPU part of an estimate onto `count` devices of type d (a layer
 * split when count > 1).  `needed` searches 1..HW_MAX_DEVICES. */
void hw_fit(const struct estimate *e, const struct device *d, uint32_t count, struct hw_fit *out);

/* hw_fit on exactly `count` devices, without the search for the fewest
 * that fit (needed and needed_headroom_bytes stay 0): for callers that
 * ask about one count, many times (solvers, compare rows, chart). */
void hw_fit_count(const struct estimate *e, const struct device *d, uint32_t count,
                  struct hw_fit *out);

#endif

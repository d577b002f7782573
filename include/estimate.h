/*
 * estimate.h - the estimation engine's entry point.
 *
 * Engine layer: pure arithmetic on plain structs.  Given a model (its
 * architecture and tensor list) and the user's settings, estimate() fills a
 * struct estimate with the bytes of weights, KV cache, recurrent state,
 * compute buffers, output buffer and runtime overhead, and where each lives
 * (GPU memory or host memory).  All sizes are bytes.
 *
 * The accounting follows current llama.cpp (see memory-model.md); with a
 * vLLM file type the weights follow the checkpoint format and the KV cache
 * the same per-token layout.
 */
#ifndef VRAMCALC_ESTIMATE_H
#define VRAMCALC_ESTIMATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "backend.h"
#include "quant.h"
#include "tensors.h"

/* Where the weights go. */
enum offload_mode {
	OFFLOAD_GPU,             /* everything on the GPU (-ngl all) */
	OFFLOAD_CPU_MOE,         /* all routed experts in host memory (--cpu-moe) */
	OFFLOAD_N_CPU_MOE,       /* experts of the first N layers in host memory */
	OFFLOAD_EXPERT_FRACTION, /* this share of routed experts on the GPU */
	OFFLOAD_NGL,             /* N layers on the GPU (-ngl N; output layer first) */
	OFFLOAD_CPU,             /* CPU only */
	OFFLOAD_COUNT
};

/* The accepted range of each count setting, in one place: estimate_check()
 * enforces them and the settings-field table (fields.h) parses against
 * them. */
#define SETTINGS_CTX_MAX     (1ull << 32) /* tokens of context */
#define SETTINGS_SEQ_MAX     4096         /* concurrent sequences */
#define SETTINGS_UBATCH_MAX  65536        /* tokens per physical batch */
#define SETTINGS_LAYERS_MAX  100000       /* n-cpu-moe=N and ngl=N, before the model's depth */
#define SETTINGS_BATCHED_MAX (1u << 24)   /* vLLM max_num_batched_tokens */
#define SETTINGS_SPEC_MAX    16           /* vLLM num_speculative_tokens */

/* Which llama.cpp program runs the model: how many logits it reserves. */
enum llama_tool {
	TOOL_CLI,    /* llama-cli, llama-bench, the library's defaults: every ubatch token */
	TOOL_SERVER, /* llama-server: one output per slot (-np) */
	TOOL_COUNT
};

/* Name of a tool as --tool spells it ("cli", "server"). */
const char *llama_tool_name(enum llama_tool t);

/* llama.cpp builds from which the accounting changed (the release number
 * of the build that merged the pull request, within about 20 builds). */
#define LLAMA_BUILD_OUTPUT_FIRST 7460 /* #18148, 2025-12-17: -ngl N offloads the output first */
#define LLAMA_BUILD_F16_MASK     9360 /* #23764, 2026-05-27: flash attention's mask is built f16 */
#define LLAMA_BUILD_OUTPUTS_MAX  9400 /* #23861, 2026-05-29: llama-server: logits per slot */

/* ggml-backend.cpp: GGML_SCHED_MAX_COPIES, the graph copies a pipeline-
 * parallel scheduler keeps; and the ubatch from which a GPU backend takes
 * over ops whose weights live in host memory (op_offload_min_batch_size). */
#define ESTIMATE_SCHED_MAX_COPIES     4
#define ESTIMATE_OP_OFFLOAD_MIN_BATCH 32

/* Name of an offload mode as the CLI spells it ("gpu", "cpu-moe", ...). */
const char *offload_mode_name(enum offload_mode m);

/* The user's settings.  estimate_settings_default() gives llama.cpp's
 * defaults (Q4_K_M, 4096 tokens, one sequence, f16 KV, ubatch 512, flash
 * attention on, everything on the GPU). */
struct settings {
	enum ftype ftype;    /* quantization / checkpoint format */
	bool file_types;     /* keep each tensor's src_type (a GGUF as stored) */
	uint64_t ctx_tokens; /* requested context (-c), tokens, >= 1 */
	uint32_t n_seq;      /* concurrent sequences (-np), >= 1 */
	enum kvtype kv_k;    /* -ctk */
	enum kvtype kv_v;    /* -ctv */
	uint32_t n_ubatch;   /* -ub, tokens */
	double gpu_util;     /* vLLM --gpu-memory-utilization, 0.01..1, when
	                      * gpu_util_given; else vllm_gpu_util() takes the
	                      * release's default (0.92 from 0.21, 0.9 before) */
	bool gpu_util_given; /* --gpu-util, a session key or the slider set it */
	bool flash_attn;     /* -fa on/off */
	bool kv_unified;     /* one KV stream shared by all sequences */
	bool swa_full;       /* --swa-full */
	enum offload_mode offload;
	uint32_t offload_layers; /* N of OFFLOAD_N_CPU_MOE and OFFLOAD_NGL */
	double expert_gpu_share; /* 0..1, OFFLOAD_EXPERT_FRACTION */
	/* vLLM only: ctx_tokens is --max-model-len (per request) and n_seq
	 * --max-num-seqs. */
	uint32_t vllm_version;    /* release whose accounting to follow (vllm.h VLLM_VERSION) */
	uint32_t batched_tokens;  /* --max-num-batched-tokens; 0: vLLM's default */
	uint32_t pp_size;         /* --pipeline-parallel-size, >= 1 (GPUs = TP x PP) */
	bool text_only;           /* a multimodal checkpoint without its vision tower */
	uint8_t prefix_caching;   /* vLLM prefix caching: VLLM_PREFIX_* (vllm.h) */
	uint64_t kv_cache_memory; /* --kv-cache-memory bytes: vLLM's KV budget without
	                           * profiling (0: profile, the default) */
	uint32_t spec_tokens;     /* vLLM MTP speculative decoding: draft tokens a step
	                           * (--speculative-config num_speculative_tokens, 0: off) */
	/* llama.cpp --mmproj: the multimodal projector file's tensors as
	 * stored, bytes (0: none named).  mtmd loads it whole on the first GPU
	 * (the CPU without one), beside the model. */
	uint64_t mmproj_bytes;
	/* llama.cpp runtime */
	enum llama_backend backend; /* the GPU backend (LLAMA_BACKEND_CPU: no device at all) */
	bool op_offload;      /* host weights run on the main GPU for big batches (default on) */
	uint32_t main_gpu;    /* device receiving those ops, index into the split (0) */
	uint32_t n_gpus;      /* devices in the layer split, >= 1 */
	enum llama_tool tool; /* llama-cli (default) or llama-server */
	uint32_t llama_build; /* llama.cpp build number; 0 = current (2026-09) */
	bool new_gen;         /* the (first) device is of its backend's newer generation */
	bool backend_auto;    /* backend follows each device's vendor (no --backend given) */
	/* Speculative decoding with the model's own MTP blocks (llama-server
	 * --spec-type draft-mtp --spec-draft-n-max N): N draft tokens per
	 * step, 0: off.  Only meaningful for a model with MTP blocks
	 * (arch.n_mtp); the request resolver refuses it elsewhere. */
	uint32_t spec_draft;
};

/* --spec mtp[:N]: llama.cpp's default N (--spec-draft-n-max 3); N is
 * within SETTINGS_SPEC_MAX, as vLLM's --speculative-tokens. */
#define SETTINGS_SPEC_DRAFT_DEFAULT 3

void estimate_settings_default(struct settings *s);

/* The smallest --gpu-util accepted: 1% of a device (vLLM itself takes any
 * share above 0, but 1e-300 is a typo, not a budget). */
#define ESTIMATE_GPU_UTIL_MIN 0.01

/* The offload setting as --offload takes it: "gpu", "n-cpu-moe=12",
 * "expert-share=0.25".  exact prints the share so that it reads back to the
 * same double (for saved files); otherwise two decimals. */
const char *offload_label(const struct settings *s, bool exact, char *buf, size_t n);

/* A model ready for estimation: its architecture and derived tensors.
 * model_prepare() builds the tensor list once; estimates then reuse it.
 * The engine never writes a prepared model: every estimate's working
 * memory is the caller's (struct estimate_scratch). */
struct model {
	struct model_arch arch;
	struct tensor_list tensors;
	/* The MTP blocks' tensors that llama.cpp's default load skips and a
	 * draft-mtp load (llama_model_params.load_mtp) adds, as a GGUF lists
	 * them (empty for a config.json or profile: then estimated). */
	struct tensor_list mtp_draft;
	uint64_t params_total;
	uint64_t params_active;
};

/* Build tensors and parameter counts.  The arch must pass arch_validate().
 * Returns false on allocation failure.  Release with model_release(). */
bool model_prepare(struct model *m);
void model_release(struct model *m);

/* Like model_prepare() for a model whose tensor list was read from a file
 * (GGUF) instead of derived: counts parameters. */
bool model_prepare_from_tensors(struct model *m);

/*
 * The caller-owned working memory of estimates: the type estimate_run()
 * gives each tensor (the recipe's, or each tensor's stored type).  Whoever
 * runs estimates (a front end, a solver's caller, a test) allocates one
 * with estimate_scratch_init() for at least the tensors of the largest
 * model it estimates, once, and passes it to every estimate_run(); the
 * engine allocates nothing.
 *
 * The speed model reads the per-tensor types after an estimate
 * (speed_work_of(), plan_speed()): pass it a scratch too.  The scratch
 * records which model, file type and "as stored" choice its types are for;
 * a reader whose estimate does not match them assigns the types again
 * (estimate_scratch_types()), so reading estimate A after estimate B ran
 * on the same scratch still gives A's figures.  One scratch serves one
 * call at a time (no threads share it).
 */
struct estimate_scratch {
	enum qtype *types; /* cap entries; the first tensors.n of `model` are valid */
	size_t cap;        /* tensors it holds room for */
	/* What the types are for (model NULL: nothing yet). */
	const struct model *model;
	enum ftype ftype;
	bool file_types;
};

/* Room for n_tensors tensors (at least 1).  Returns false on allocation
 * failure.  Release with estimate_scratch_free(). */
bool estimate_scratch_init(struct estimate_scratch *x, size_t n_tensors);
void estimate_scratch_free(struct estimate_scratch *x);

/* What a vLLM estimate keeps for vllm_rank() (vllm.h): the model's
 * weights by where they live, its KV layout and the activation terms of
 * vLLM's profiling run.  Bytes unless named otherwise. */
struct vllm_terms {
	uint32_t version;        /* settings.vllm_version */
	uint64_t max_model_len;  /* tokens per request */
	uint32_t max_num_seqs;   /* settings.n_seq */
	uint32_t batched_tokens; /* settings.batched_tokens (0: the device's default) */
	uint32_t pp_size;        /* settings.pp_size */
	uint32_t n_layer;
	/* Weights.  split: divided by the tensor-parallel size; repl: held
	 * whole by every rank. */
	uint64_t embed_bytes;  /* token embedding (first pipeline stage), split */
	uint64_t head_bytes;   /* output head and final norm (last stage), split */
	uint64_t vision_bytes; /* vision tower + projector (first stage), split */
	uint64_t rope_bytes;   /* RoPE cos/sin cache, every rank */
	uint64_t pad_bytes;    /* kernel padding of MXFP4 experts (in layer_split) */
	uint64_t layer_split_bytes[ARCH_MAX_LAYERS];
	uint64_t layer_repl_bytes[ARCH_MAX_LAYERS];
	/* KV: bytes per token and KV head of layer il (0: no KV), its KV
	 * heads (split over ranks, at least one each), whether it slides
	 * (window n_swa) and, for recurrent layers, state bytes per sequence. */
	uint32_t kv_head_token_bytes[ARCH_MAX_LAYERS];
	uint16_t kv_heads[ARCH_MAX_LAYERS];
	uint8_t kv_sliding[ARCH_MAX_LAYERS];
	uint64_t state_seq_bytes[ARCH_MAX_LAYERS];
	uint32_t n_swa;
	/* The cache kinds beside the attention KV, as vLLM allocates them:
	 * the DSA indexer keys of layer il (bytes per token, every rank holds
	 * them whole), the KV block size (16 tokens; 64 for sparse MLA), and
	 * whether mamba layers keep two state pages per request (prefix
	 * caching's "align" mode) instead of one. */
	uint16_t kv_idx_token_bytes[ARCH_MAX_LAYERS];
	uint32_t kv_block_tokens;
	uint32_t kv_hybrid_align; /* attention block multiple beside a mamba state */
	/* Mamba-2 groups (bytes of one group's share of the convolution state,
	 * and the count): vLLM splits them over the ranks when the rank count
	 * divides them and else gives every rank one whole group. */
	uint64_t state_group_bytes;
	uint32_t state_groups;
	bool state_align;
	/* DeepSeek V4 (packed layout): per layer the compression ratio (0, 4
	 * or 128), the bytes of one cached 512-wide entry (584 fp8_ds_mla, 1024
	 * bf16), the page alignment (576 with fp8_ds_mla, else 1), the head and
	 * indexer key widths. */
	uint8_t kv_compress[ARCH_MAX_LAYERS];
	bool v4;
	uint32_t v4_entry_bytes, v4_align, v4_head_dim, v4_idx_dim;
	uint64_t kv_memory_bytes; /* --kv-cache-memory: the KV budget given (0: profile) */
	/* MTP speculative decoding: draft tokens a step (each recurrent state
	 * page grows by that many convolution rows and a request holds that
	 * many more state pages) and the model's MTP layers, whose attention
	 * cache follows the last stage's layers (indices n_layer on). */
	uint32_t spec_tokens;
	uint32_t n_mtp_kv;
	/* Activation peak of the profiling run: per batched token, the part
	 * split by TP (MLP and MoE intermediates) and the part every rank holds
	 * (hidden states); per sampled row, the sampler's logits. */
	uint64_t fwd_split_token_bytes;
	uint64_t fwd_fixed_token_bytes;
	uint64_t moe_split_token_bytes; /* fused-MoE workspace, kept across the run */
	uint64_t moe_fixed_token_bytes;
	uint64_t sampler_row_bytes;
};

/* Which numbers are exact (byte-for-byte what llama.cpp allocates) and
 * which are estimates. */
enum exactness { EXACT, ESTIMATED };

/* Result of one estimate.  Every size is bytes. */
struct estimate {
	/* Weights */
	uint64_t weights_bytes;      /* sum of all tensor bytes (model buffer) */
	uint64_t weights_gpu_bytes;  /* part in GPU memory (incl. tied output copy) */
	uint64_t weights_host_bytes; /* part in host memory (token_embd, offloads) */
	double weights_bpw;          /* bits per weight over all parameters */
	uint32_t fallback_tensors;   /* tensors that needed a shape fallback */
	uint32_t type_count[QT_COUNT];
	uint64_t type_bytes[QT_COUNT];
	uint64_t host_matrix_bytes; /* the largest weight matrix in host memory (0: none) */
	uint64_t host_output_bytes; /* the output matrix when in host memory (tied: token_embd) */
	/* The MTP blocks' share (arch.n_mtp blocks after the layers; both
	 * already in weights_bytes and kv_bytes): the tensors llama.cpp's loader
	 * keeps although it never runs them, and the cache it gives them
	 * (DeepSeek V4's window cache). */
	uint64_t mtp_weights_bytes;
	uint64_t mtp_kv_bytes;
	/* Speculative decoding with the MTP blocks (settings.spec_draft > 0),
	 * each already inside the totals above and below: the MTP tensors the
	 * draft load adds (in weights_bytes; exact from a GGUF's tensor table,
	 * else estimated), the recurrent-state snapshots the main context keeps
	 * for rolling back rejected drafts (n_rs_seq = N, in kv_bytes), the
	 * draft context's own cache over the MTP blocks (f16, as -ctkd/-ctvd
	 * default; in kv_bytes) and its compute buffer (in compute_bytes). */
	uint64_t spec_weights_bytes;
	uint64_t spec_state_bytes;
	uint64_t spec_kv_bytes;
	uint64_t spec_compute_bytes;
	bool spec_weights_exact;

	/* KV cache and recurrent state (llama.cpp's "context" memory) */
	uint64_t n_ctx;                    /* context after padding, tokens */
	uint64_t n_ctx_seq;                /* cells per stream */
	uint32_t n_stream;                 /* KV streams */
	uint64_t kv_cells_swa;             /* cells per stream of the SWA cache (0: none) */
	uint32_t kv_layers;                /* layers with a full-context cache */
	uint32_t kv_layers_swa;            /* layers with a sliding-window cache */
	uint32_t rs_layers;                /* recurrent layers */
	uint64_t k_bytes, v_bytes;         /* full-context cache */
	uint64_t swa_k_bytes, swa_v_bytes; /* sliding-window cache */
	uint64_t r_bytes, s_bytes;         /* recurrent conv and ssm state */
	uint64_t idx_bytes;                /* DSA indexer key cache */
	uint32_t idx_layers;               /* layers with an indexer key cache */
	uint64_t idx_cells;                /* cells per stream of the indexer cache */
	/* DeepSeek V4's compressed caches: one K row per ratio tokens (CSA 4,
	 * HCA 128) and the f32 compressor state their next rows build in
	 * (CSA, HCA and the indexer's). */
	uint64_t comp_bytes; /* compressed K rows, CSA + HCA */
	uint32_t comp_layers_csa, comp_layers_hca;
	uint64_t comp_cells_csa, comp_cells_hca; /* cells per stream */
	uint64_t comp_state_bytes;               /* compressor state, f32 */
	uint64_t kv_bytes;                       /* k+v+swa_k+swa_v+r+s+idx+comp+comp_state */
	uint64_t kv_gpu_bytes, kv_host_bytes;

	/* Buffers */
	uint64_t compute_bytes;      /* compute buffer of the device doing the work */
	uint64_t compute_host_bytes; /* host-side compute buffer (inputs) with a GPU */
	uint64_t output_bytes;       /* logits buffer, host memory */
	uint64_t overhead_bytes;     /* runtime overhead of one GPU (backend and generation) */
	/* Op offload: the peak on the main GPU while it runs an op whose weight
	 * lives in host memory (the weight copied in, plus the activations
	 * live then); 0 when no such op runs on a GPU. */
	uint64_t compute_offload_bytes;
	uint64_t offload_weight_bytes; /* the largest host weight copied */
	uint64_t compute_output_bytes; /* own work of the GPU holding the output layer (0: none) */
	/* Pipeline parallelism: inputs each device copies per graph copy, and
	 * the copies (1 when llama.cpp does not enable it: one device, not
	 * every layer offloaded, tensor overrides, or CPU backend). */
	uint64_t compute_pp_input_bytes;
	uint32_t pp_copies;
	uint32_t n_outputs; /* logits rows reserved per ubatch */
	uint32_t n_tokens;  /* tokens of the reserved ubatch */
	bool output_on_gpu; /* the output layer sits on a GPU */
	enum llama_backend backend;
	bool backend_auto; /* per device: the backend of the device's vendor */
	uint32_t main_gpu;

	/* The multimodal projector (settings.mmproj_bytes; 0 with vLLM, which
	 * loads its vision tower from the checkpoint): on the first GPU, else
	 * in host memory.  Not in weights_bytes (the model buffer). */
	uint64_t mmproj_bytes;
	bool mmproj_on_gpu;

	/* Totals */
	uint64_t total_bytes; /* weights + kv + compute + overhead + mmproj */
	uint64_t gpu_bytes;   /* what the GPU(s) must hold */
	uint64_t host_bytes;  /* what host memory must hold */

	/* Per layer, for splitting layers across devices: GPU bytes (weights +
	 * KV) of block il, and slot n_layer = the output layer. */
	uint32_t n_layer_slots; /* blocks (MTP included) + output: arch_ngl_layers */
	uint64_t layer_gpu_bytes[ARCH_MAX_LAYERS + 1];
	uint64_t layer_kv_bytes[ARCH_MAX_LAYERS]; /* KV + recurrent state of block il */
	uint64_t compute_split_bytes; /* compute buffer of a GPU without the output layer */

	/* Engine semantics.  llama.cpp: the whole device is the budget.  vLLM:
	 * gpu_util of each device, weights split by tensor parallelism except
	 * the replicated tensors, KV heads split (or replicated when the TP
	 * size exceeds them; the MLA latent always replicated). */
	bool vllm;
	double budget_share;          /* share of device memory the engine may use */
	uint64_t tp_replicated_bytes; /* weights every TP rank holds whole */
	uint32_t kv_heads;            /* KV heads to split over ranks; 0: replicated */
	struct vllm_terms vllm_terms; /* with vllm: what vllm_rank() needs */

	bool flash_attn; /* resolved (quantized V forces it on) */
	enum exactness weights_exact, kv_exact, compute_exact, overhead_exact;
};

/* vLLM's accounting lives in vllm.h. */

/* Check settings against the model; on failure write a reason naming the
 * setting and value into err and return false.  (For example: quantized V
 * cache with flash attention off; MLA with different K and V types.)  The
 * check runs the estimate on scratch x to bound its sums. */
bool estimate_check(const struct model *m, struct estimate_scratch *x, const struct settings *s,
                    char *err, size_t errlen);

/* estimate_check(), then, when the settings pass, the estimate itself in
 * out, as estimate_run(m, x, s, out) writes it (the check runs that
 * estimate to bound its sums: one estimate instead of two). */
bool estimate_check_run(const struct model *m, struct estimate_scratch *x, const struct settings *s,
                        struct estimate *out, char *err, size_t errlen);

/* Compute one estimate of model m (never written) into out, the tensor
 * types in the caller's scratch x (x->cap >= m->tensors.n).  Settings
 * must pass estimate_check().  Allocates nothing; safe to call on every
 * keypress. */
void estimate_run(const struct model *m, struct estimate_scratch *x, const struct settings *s,
                  struct estimate *out);

/* estimate_run() of m at settings s, reusing the weights of base, an
 * estimate of the same model m at settings base_s: when both place the
 * same weights (same file type, "as stored", offload mode and layers,
 * expert share, backend and build; a llama.cpp estimate), only the KV
 * cache, buffers and totals are computed, else everything, so the result
 * is always estimate_run()'s.  For callers sampling one configuration
 * along the context or batch (the chart, the solvers).  base may be NULL.
 * The reused path leaves x's types as they were (estimate_scratch_types()
 * gives s's). */
void estimate_run_from(const struct model *m, struct estimate_scratch *x, const struct settings *s,
                       const struct settings *base_s, const struct estimate *base,
                       struct estimate *out);

/* estimate_check_run() whose estimate is estimate_run_from()'s. */
bool estimate_check_run_from(const struct model *m, struct estimate_scratch *x,
                             const struct settings *s, const struct settings *base_s,
                             const struct estimate *base, struct estimate *out, char *err,
                             size_t errlen);

/* The type of each of m's tensors under settings s (m->tensors.n entries
 * in x): x's types when it holds them for m, s->ftype and s->file_types
 * already, else assigned again into x.  For the readers of an estimate's
 * types (the speed model, tests). */
const enum qtype *estimate_scratch_types(const struct model *m, struct estimate_scratch *x,
                                         const struct settings *s);

/* Parts of the computation, exposed for tests and the explain view. */

/* Context after llama.cpp's padding: n_ctx rounded up to 256; with several
 * non-unified sequences each stream gets pad256(n_ctx / n_seq) cells. */
void estimate_context_cells(uint64_t ctx_tokens, uint32_t n_seq, bool kv_unified, uint64_t *n_ctx,
                            uint64_t *n_ctx_seq, uint32_t *n_stream);

/* KV and recurrent state bytes into out (fields k_bytes .. kv_bytes and the
 * cell counts). */
void estimate_kv(const struct model_arch *a, const struct settings *s, struct estimate *out);

/* Bytes of tensor t (stored in `bytes`) that the settings' offload mode
 * keeps in host memory. */
uint64_t estimate_tensor_host_bytes(const struct model_arch *a, const struct settings *s,
                                    const struct tensor_info *t, uint64_t bytes);

/* Compute buffer bytes (device) for the settings. */
uint64_t estimate_compute(const struct model_arch *a, const struct settings *s, uint64_t n_ctx_seq);

#endif

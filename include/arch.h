/*
 * arch.h - a model's architecture as the engine sees it.
 *
 * Engine layer.  One plain struct with every number the tensor builder,
 * the KV cache and the compute model need.  It is filled by the data layer
 * (profile.c from an INI profile, later GGUF and config.json importers) and
 * checked by arch_validate().  No pointers: it can be copied by value.
 */
#ifndef VRAMCALC_ARCH_H
#define VRAMCALC_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARCH_MAX_LAYERS 256

/* Tensor layout families: which tensors a layer has, following llama.cpp's
 * loaders (src/models/<arch>.cpp) and GGUF tensor names. */
enum arch_family {
	AF_LLAMA,         /* llama, mistral, mixtral, smollm, granite (dense) */
	AF_QWEN2,         /* llama + q/k/v biases */
	AF_QWEN3,         /* llama + per-head q/k RMS norms (dense and MoE) */
	AF_GEMMA2,        /* post-attention and post-FFN norms, tied */
	AF_GEMMA3,        /* gemma2 + q/k norms */
	AF_DEEPSEEK2,     /* MLA attention, MoE with shared experts */
	AF_GPTOSS,        /* biases, attention sinks, MoE with expert biases */
	AF_GRANITEHYBRID, /* Mamba-2 layers + attention layers, MoE + shared */
	AF_PHI3,          /* fused attn_qkv and ffn_up (gate+up) */
	AF_COHERE2,       /* no ffn_norm, tied, biases off */
	AF_OLMO2,         /* post norms, q/k norms over all heads */
	AF_QWEN3NEXT,     /* gated DeltaNet + gated attention, MoE + shared */
	AF_QWEN35,        /* qwen35 / qwen35moe: qwen3next with split beta/alpha,
	                     dense or MoE + shared */
	AF_NEMOTRON_H,    /* nemotron_h(_moe): one mixer per block (Mamba-2,
	                     attention, relu^2 MLP or latent MoE + shared) */
	AF_GEMMA4,        /* head widths by layer type, K as V, PLE, shared KV */
	AF_LFM2,          /* lfm2 / lfm2moe: short convolution or GQA with q/k
	                     norms, dense lead then MoE with expert bias */
	AF_DEEPSEEK32,    /* deepseek32 / glm-dsa: MLA + DSA lightning indexer */
	AF_MINIMAX_M2,    /* GQA with q/k norms over all heads, MoE with bias */
	AF_MINIMAX_M3,    /* GQA with per-head q/k norms, dense lead, MoE +
	                     shared expert, MSA index cache on the MoE layers */
	AF_GEMMA3N,       /* gemma3 layers + per-layer embeddings, AltUp,
	                     Laurel, shared-KV tail */
	AF_GLM4MOE,       /* glm4moe: q/k/v biases, optional per-head q/k norms,
	                     post_attention_norm as the FFN norm, MoE + shared */
	AF_BAILINGMOE2,   /* bailingmoe2 (Ling 2.0): fused attn_qkv, per-head
	                     q/k norms, MoE with correction bias + shared */
	AF_AFMOE,         /* afmoe (Trinity): gated attention with q/k norms,
	                     pre and post norms around attention and FFN */
	AF_APERTUS,       /* apertus: q/k norms, xIELU MLP of up and down only */
	AF_DEEPSEEK4,     /* deepseek4: one 512-wide K-only head, sliding window
	                     plus compressed caches per layer ratio, indexer,
	                     hyper-connections */
	AF_FALCON_H1,     /* falcon-h1: attention and Mamba-2 in every block */
	AF_KIMI,          /* kimi-linear / kimi-k3: KDA layers and MLA layers */
	AF_EXAONE4,       /* post norms only (no attn_norm / ffn_norm), per-head
	                     q/k norms */
	AF_MIMO2,         /* K and V widths apart, KV heads by layer type,
	                     attention sinks on the sliding layers */
	AF_STEP35,        /* query heads by layer type, q/k norms, head-wise
	                     attention gate, dense lead then MoE + shared */
	AF_COUNT
};

/* What a layer's token mixer is. */
enum layer_kind {
	LK_ATTN_FULL = 0, /* attention over the whole context */
	LK_ATTN_SWA,      /* sliding-window attention (n_swa tokens) */
	LK_ATTN_CHUNKED,  /* chunked local attention (Llama 4) */
	LK_RECURRENT,     /* Mamba-2 / gated DeltaNet: fixed state */
	LK_HYBRID,        /* full attention and a recurrent state side by side
	                     (Falcon-H1): a KV cache and a state */
};

/* Kind of recurrent state a hybrid model keeps (see arch_rs_elems). */
enum recurrent_kind {
	RK_NONE = 0,
	RK_MAMBA2,         /* Mamba-2 (and any ssm.* model): conv + SSM state */
	RK_GATED_DELTANET, /* gated DeltaNet: conv + delta-rule state */
	RK_SHORTCONV,      /* LFM2 short convolution: conv state only */
	RK_KDA,            /* Kimi delta attention: q/k/v conv + delta state */
	RK_RWKV,           /* RWKV 6 / 7 (generic GGUFs only): token shift + wkv state */
};

/* The architecture.  Counts are plain numbers of elements, not bytes. */
struct model_arch {
	enum arch_family family;
	char gguf_arch[24]; /* llama.cpp's arch name: "llama", "deepseek2" */
	/* True for a GGUF whose architecture has no engine layout: the tensors
	 * come from the file and the caches from the standard metadata keys
	 * (gguf_arch), not from a family's rules.  family is then AF_LLAMA and
	 * only describes the attention math of the compute estimate. */
	bool generic;

	uint32_t n_layer;       /* repeating blocks (num_hidden_layers) */
	uint32_t n_mtp;         /* MTP (NextN) blocks a GGUF carries after them: not
	                         * run or cached by llama.cpp, counted by
	                         * llama-quantize; their tensors are skipped except
	                         * what a loader creates without its skip flag
	                         * (step35: q/k norms, gate, dense MLP, shared head) */
	uint32_t n_embd;        /* hidden_size */
	uint32_t n_vocab;       /* vocab_size */
	uint32_t n_ctx_train;   /* max_position_embeddings, tokens */
	uint32_t n_head;        /* query heads (num_attention_heads) */
	uint32_t n_head_kv;     /* KV heads of attention layers */
	uint32_t head_dim_k;    /* per-head K width */
	uint32_t head_dim_v;    /* per-head V width */
	uint32_t n_ff;          /* dense FFN width (intermediate_size) */
	bool tied_embeddings;   /* output reuses token_embd */
	bool rope_freqs;        /* llama3 rope scaling: rope_freqs tensor */
	uint64_t vision_params; /* vision tower + projector of a multimodal checkpoint
	                         * (0: none described); not part of the tensors */

	/* Mixture of experts (n_expert == 0: dense model). */
	uint32_t n_expert;        /* routed experts */
	uint32_t n_expert_used;   /* experts per token */
	uint32_t n_ff_exp;        /* routed expert FFN width */
	uint32_t n_expert_shared; /* shared experts (all of width n_ff_shexp) */
	uint32_t n_ff_shexp;      /* total width of the shared expert FFN */
	uint32_t n_dense_lead;    /* leading dense layers (first_k_dense_replace) */
	bool expert_bias;         /* exp_probs_b correction bias (noaux_tc) */
	uint32_t moe_latent;      /* latent MoE width (0: experts run at n_embd) */

	/* Multi-head latent attention (kv_lora_rank > 0). */
	uint32_t q_lora_rank; /* 0: plain attn_q */
	uint32_t kv_lora_rank;
	uint32_t qk_nope_dim;
	uint32_t qk_rope_dim;
	uint32_t v_head_dim;

	/* Sliding window / chunked attention. */
	uint32_t n_swa; /* window (or chunk) in tokens */

	/* Recurrent layers. */
	enum recurrent_kind rec_kind;
	uint32_t ssm_d_conv;  /* conv kernel width (LFM2: shortconv L cache;
	                       * RWKV: token_shift_count) */
	uint32_t ssm_d_state; /* Mamba-2 state size / DeltaNet, KDA head dim /
	                       * RWKV wkv head size */
	uint32_t ssm_d_inner; /* Mamba-2 inner width / DeltaNet value width */
	uint32_t ssm_n_group; /* Mamba-2 groups / DeltaNet key heads */
	uint32_t ssm_n_head;  /* Mamba-2 heads / DeltaNet value heads / KDA heads */

	/* Shapes by layer type and shared caches (gemma4, gemma3n, mimo2, ...).
	 * Zero means "as the full-attention fields above". */
	uint32_t head_dim_k_swa;   /* K head width of sliding layers */
	uint32_t head_dim_v_swa;   /* V head width of sliding layers */
	uint32_t n_head_swa;       /* query heads of sliding layers (step35) */
	uint32_t n_layer_kv;       /* layers [0, n_layer_kv) own a KV cache, the
	                            * later ones reuse an earlier layer's (0: all) */
	uint32_t n_embd_per_layer; /* per-layer input embedding width (PLE) */
	bool k_eq_v;               /* full-attention layers have no attn_v (V = K) */
	bool qk_norm;              /* glm4moe: per-head q/k norms (use_qk_norm) */
	bool ssm_norm_absent;      /* falcon-h1: no grouped norm in the Mamba-2
	                            * mixer (mamba_rms_norm false, Falcon-H1
	                            * 0.5B): the loader's ssm_norm is optional */
	bool mtp_ffn_kept;         /* hy_v3: of each MTP block the loader keeps the
	                            * routed and shared experts, router, bias and
	                            * shared-head norm (created without its skip
	                            * flag): weights, not parameters */

	/* DSA lightning indexer (deepseek32, glm-dsa): layers with layer_idx
	 * set own indexer weights and cache one key of idx_head_dim per token
	 * (typed like K, no V) beside the MLA latent. */
	uint32_t idx_n_head;   /* indexer heads */
	uint32_t idx_head_dim; /* indexer key width (0: no indexer) */
	uint32_t idx_top_k;    /* cells each token attends to (MSA: blocks) */
	/* MiniMax sparse attention (MSA, minimax-m3): the index cache is a
	 * second KV cache of one head per layer, K idx_head_dim wide and V
	 * head_dim_v wide (llama_kv_cache_msa), on the layers with layer_idx. */
	uint32_t msa_block; /* tokens per indexed block (0: not MSA) */

	/* Gemma 3n: AltUp predictions per token and the Laurel rank. */
	uint32_t n_altup;
	uint32_t laurel_rank;

	/* DeepSeek V4 (deepseek4): the grouped low-rank output projection,
	 * the hyper-connection streams, the hash-routed lead layers, and per
	 * layer the KV compression ratio (0: sliding window only, 4: CSA with
	 * the indexer, 128: HCA).  The head is head_dim_k wide, K only. */
	uint32_t o_lora_rank;                    /* attn_output_a rank per group */
	uint32_t o_groups;                       /* output projection groups */
	uint32_t hc_mult;                        /* hyper-connection streams */
	uint32_t n_hash_layers;                  /* leading layers routed by token id */
	uint8_t layer_compress[ARCH_MAX_LAYERS]; /* 0, 4 or 128 */

	/* Kimi K3 (kimi family): cross-layer attention residuals (a score
	 * vector per block and sublayer; 0: none, Kimi-Linear) and the K3 mixer
	 * weights (a full-rank KDA gate, a 1-D A, a sigmoid output gate on the
	 * MLA layers) instead of Kimi-Linear's low-rank gate. */
	uint32_t attn_res_block;
	bool kda_full_gate;

	/* Qwen3-VL: vision features added to the first n_deepstack layers'
	 * inputs; the input embedding is (1 + n_deepstack) x n_embd wide. */
	uint32_t n_deepstack;

	/* Per-layer variation. */
	uint8_t layer_kind[ARCH_MAX_LAYERS];     /* enum layer_kind */
	uint8_t layer_moe[ARCH_MAX_LAYERS];      /* 1: routed experts here */
	uint16_t layer_head_kv[ARCH_MAX_LAYERS]; /* KV heads (0: no KV) */
	uint32_t layer_ff[ARCH_MAX_LAYERS];      /* dense FFN width (0: n_ff) */
	uint8_t layer_idx[ARCH_MAX_LAYERS];      /* 1: a DSA indexer (and its cache) here */
};

/* Recurrent state of one recurrent layer for one sequence, in f32
 * elements, as llama.cpp sizes it (llama_hparams::n_embd_r / n_embd_s):
 * *r the convolution state, *s the SSM or delta-rule state.  Both 0 for a
 * model without recurrent layers. */
void arch_rs_elems(const struct model_arch *a, uint64_t *r, uint64_t *s);

/* True when layer il keeps a recurrent state (recurrent or hybrid). */
bool arch_layer_has_state(const struct model_arch *a, uint32_t il);

/* Total query width (n_head * head_dim_k, or the MLA query width). */
uint32_t arch_q_dim(const struct model_arch *a);

/* True when the model uses multi-head latent attention. */
bool arch_is_mla(const struct model_arch *a);

/* True when layer il keeps a KV cache of its own (attention layers before
 * the shared-KV tail). */
bool arch_layer_has_kv(const struct model_arch *a, uint32_t il);

/* K and V head widths of layer il (sliding layers may differ), and its
 * dense FFN width. */
uint32_t arch_layer_head_dim_k(const struct model_arch *a, uint32_t il);
uint32_t arch_layer_head_dim_v(const struct model_arch *a, uint32_t il);
uint32_t arch_layer_ff(const struct model_arch *a, uint32_t il);

/* Query heads of layer il (sliding layers may have more: Step-3.5). */
uint32_t arch_layer_n_head(const struct model_arch *a, uint32_t il);

/* The blocks of the file, MTP blocks included: llama.cpp's n_layer_all,
 * over which -ngl and the device split place layers (n_layer + n_mtp). */
uint32_t arch_n_blocks(const struct model_arch *a);

/* True when llama.cpp can roll a recurrent state back by snapshots
 * (llm_arch_supports_rs_rollback): its main context then keeps n_rs_seq
 * extra copies of each sequence's state while drafting (qwen35, qwen35moe,
 * nemotron_h, nemotron_h_moe, lfm2, lfm2moe, kimi-k3, and deepseek4's
 * compressor state). */
bool arch_rs_rollback(const struct model_arch *a);

/* What -ngl counts: every block of the file plus the output layer
 * (llama_model::load_tensors: i_gpu_start = n_layer_all + 1 - ngl). */
uint32_t arch_ngl_layers(const struct model_arch *a);

/* Fill the per-layer arrays from the scalar fields for a model whose layers
 * are all alike except for the MoE lead (n_dense_lead).  Layers stay full
 * attention; callers then mark SWA or recurrent layers. */
void arch_fill_uniform_layers(struct model_arch *a);

/* Check invariants (positive sizes, layer count within ARCH_MAX_LAYERS,
 * divisibility the tensors need).  On failure writes a reason naming the
 * field into err (size errlen) and returns false. */
bool arch_validate(const struct model_arch *a, char *err, size_t errlen);

/* Name of a family ("llama"), and the reverse lookup. */
const char *arch_family_name(enum arch_family f);

/* What a's recurrent layers keep, for display: "Mamba-2", "Mamba-1" (a
 * generic GGUF without ssm.group_count), "gated DeltaNet", "short
 * convolution", "Kimi delta attention", "RWKV" or "none". */
const char *arch_rec_kind_name(const struct model_arch *a);
bool arch_family_find(const char *name, enum arch_family *out);

#endif

/*
 * explain.c - the explain view's text: how each number of the live
 * estimate was computed, with the architecture values it used, so that a
 * wrong profile stands out.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "session.h"

/* Append one line (printf-style); lines past the buffer are dropped. */
static void line(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void line(struct session *s, const char *fmt, ...)
{
	if (s->screen.n_explain >= SESSION_EXPLAIN_MAX)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->screen.explain[s->screen.n_explain++], SESSION_LINE_MAX, fmt, ap);
	va_end(ap);
}

static const char *gib(char *b, double bytes)
{
	return fmt_gib(b, 32, bytes);
}

static const char *th(char *b, uint64_t v)
{
	return fmt_thousands(b, 32, v);
}

/* What the model was read from, as the explain view names it. */
static const char *explain_source_word(const struct model_meta *meta)
{
	if (!strcmp(meta->origin, "gguf"))
		return "GGUF header";
	if (!strcmp(meta->origin, "config.json"))
		return "config.json";
	if (!strcmp(meta->origin, "safetensors"))
		return "safetensors headers";
	return "profile";
}

static void explain_arch(struct session *s, const struct model *m, const char *source)
{
	const struct model_arch *a = &m->arch;
	char x[32], y[32], z[32];
	uint32_t swa = 0, rec = 0, nokv = 0;
	for (uint32_t il = 0; il < a->n_layer; il++) {
		if (a->layer_kind[il] == LK_ATTN_SWA || a->layer_kind[il] == LK_ATTN_CHUNKED)
			swa++;
		else if (a->layer_kind[il] == LK_RECURRENT)
			rec++;
		if (a->layer_kind[il] != LK_RECURRENT && !arch_layer_has_kv(a, il))
			nokv++;
	}
	line(s, "ARCHITECTURE (as the %s gives it)", source);
	line(s, "  %s %s, llama.cpp arch '%s', %u layers, hidden %u, vocab %s",
	     a->generic ? "generic" : arch_family_name(a->family),
	     a->generic ? "layout (no engine rules: tensors and caches from the GGUF keys)"
	                : "family",
	     a->gguf_arch, a->n_layer, a->n_embd, th(x, a->n_vocab));
	line(s, "  native context %s tokens, FFN width %u, %s embeddings", th(y, a->n_ctx_train),
	     a->n_ff, a->tied_embeddings ? "tied" : "separate output");
	if (arch_is_mla(a))
		line(s,
		     "  MLA: %u heads, kv_lora_rank %u, q_lora_rank %u, rope dim %u, nope dim %u, "
		     "v head dim %u",
		     a->n_head, a->kv_lora_rank, a->q_lora_rank, a->qk_rope_dim, a->qk_nope_dim,
		     a->v_head_dim);
	else
		line(s, "  attention: %u query heads, %u KV heads, head dim K %u / V %u", a->n_head,
		     a->n_head_kv, a->head_dim_k, a->head_dim_v);
	if (swa)
		line(s, "  sliding window %u tokens on %u of %u layers", a->n_swa, swa, a->n_layer);
	if (rec)
		line(s,
		     "  recurrent (%s) on %u layers: d_conv %u, d_state %u, d_inner %u, groups %u, "
		     "heads %u",
		     arch_rec_kind_name(a), rec, a->ssm_d_conv, a->ssm_d_state, a->ssm_d_inner,
		     a->ssm_n_group, a->ssm_n_head);
	if (nokv)
		line(s, "  %u attention layers keep no KV cache (shared)", nokv);
	if (a->n_expert)
		line(s,
		     "  experts: %u routed, %u per token, width %u; shared width %u; %u dense lead "
		     "layer%s",
		     a->n_expert, a->n_expert_used, a->n_ff_exp, a->n_ff_shexp, a->n_dense_lead,
		     a->n_dense_lead == 1 ? "" : "s");
	line(s, "  parameters: %s total (%s), %s active per token",
	     fmt_params(x, 32, m->params_total), th(z, m->params_total),
	     fmt_params(y, 32, m->params_active));
}

static void explain_weights(struct session *s, const struct model *m, const struct estimate *e)
{
	const struct settings *st = &s->config.cur.set;
	char x[32], y[32], z[32];
	line(s, "%s", "");
	line(s, "WEIGHTS %s (%s)", gib(x, (double)e->weights_bytes),
	     e->weights_exact == EXACT ? "exact" : "estimate");
	line(s, "  %s: %zu tensors, every tensor's type chosen by the recipe, rows x row bytes",
	     st->file_types ? "types as stored" : ftype_get(st->ftype)->name, m->tensors.n);
	for (int t = 0; t < QT_COUNT; t++) {
		if (!e->type_count[t])
			continue;
		line(s, "  %-8s %5u tensors %14s B  %12s  %.4g bits/weight",
		     qtype_get((enum qtype)t)->name, e->type_count[t], th(x, e->type_bytes[t]),
		     gib(y, (double)e->type_bytes[t]), qtype_bpw((enum qtype)t));
	}
	line(s, "  = %s B over %s parameters = %.3f bits/weight", th(x, e->weights_bytes),
	     th(y, m->params_total), e->weights_bpw);
	if (e->fallback_tensors)
		line(s,
		     "  %u tensors fell back to another type (rows not a whole number of blocks)",
		     e->fallback_tensors);
	line(s, "  placement (%s): GPU %s, host %s (token_embd always in host memory%s)",
	     offload_mode_name(st->offload), gib(x, (double)e->weights_gpu_bytes),
	     gib(z, (double)e->weights_host_bytes),
	     m->arch.tied_embeddings ? "; tied output copied to the GPU" : "");
	if (e->mmproj_bytes)
		line(s,
		     "  + multimodal projector (--mmproj) %s, its tensors as stored, on the %s "
		     "(its image compute buffer is not counted)",
		     gib(x, (double)e->mmproj_bytes), e->mmproj_on_gpu ? "first GPU" : "host");
}

static void explain_kv(struct session *s, const struct estimate *e)
{
	const struct settings *st = &s->config.cur.set;
	const struct model_arch *a = &session_model(s, s->config.cur.model)->arch;
	char x[32], y[32], z[32];
	line(s, "%s", "");
	line(s, "KV CACHE %s (exact)", gib(x, (double)e->kv_bytes));
	line(s, "  context %s -> %s cells per stream x %u stream%s (padded to 256%s)",
	     th(x, st->ctx_tokens), th(y, e->n_ctx_seq), e->n_stream, e->n_stream == 1 ? "" : "s",
	     e->n_stream > 1 ? ", context split over the sequences" : "");
	uint64_t full_cells = e->n_ctx_seq * e->n_stream;
	if (e->kv_layers && full_cells) {
		uint64_t k_row = e->k_bytes / ((uint64_t)e->kv_layers * full_cells);
		uint64_t v_row = e->v_bytes / ((uint64_t)e->kv_layers * full_cells);
		if (arch_is_mla(a))
			line(s,
			     "  MLA latent: %u layers x %s cells x (%u + %u) x %s = %s B per cell "
			     "= %s",
			     e->kv_layers, th(x, full_cells), a->kv_lora_rank, a->qk_rope_dim,
			     kvtype_get(st->kv_k)->name, th(y, k_row), gib(z, (double)e->k_bytes));
		else
			line(s,
			     "  full: %u layers x %s cells x (K %s B + V %s B per cell: KV heads x "
			     "head dim in %s/%s)",
			     e->kv_layers, th(x, full_cells), th(y, k_row), th(z, v_row),
			     kvtype_get(st->kv_k)->name, kvtype_get(st->kv_v)->name);
		line(s, "        = K %s + V %s", gib(x, (double)e->k_bytes),
		     gib(y, (double)e->v_bytes));
	}
	if (e->kv_layers_swa)
		line(s,
		     "  sliding: %u layers x %s cells x %u stream%s (window %u%s + ubatch %u, "
		     "padded) "
		     "= %s",
		     e->kv_layers_swa, th(x, e->kv_cells_swa), e->n_stream,
		     e->n_stream == 1 ? "" : "s", a->n_swa,
		     st->kv_unified && st->n_seq > 1 ? " x sequences" : "", st->n_ubatch,
		     gib(y, (double)(e->swa_k_bytes + e->swa_v_bytes)));
	if (e->rs_layers)
		line(s,
		     "  recurrent (%s): %u layers x %u sequence%s, f32 conv %s + state %s "
		     "(context-free)",
		     arch_rec_kind_name(a), e->rs_layers, st->n_seq, st->n_seq == 1 ? "" : "s",
		     gib(x, (double)e->r_bytes), gib(y, (double)e->s_bytes));
	if (e->comp_layers_csa || e->comp_layers_hca)
		line(s,
		     "  compressed K (one row per 4 tokens on %u CSA layers, per 128 on %u HCA "
		     "layers): %s + %s cells x %u in %s = %s",
		     e->comp_layers_csa, e->comp_layers_hca, th(x, e->comp_cells_csa * e->n_stream),
		     th(y, e->comp_cells_hca * e->n_stream), a->head_dim_k,
		     kvtype_get(st->kv_k)->name, gib(z, (double)e->comp_bytes));
	if (e->idx_layers && a->msa_block)
		line(s, "  MSA index cache: %u layers x %s cells x (K %u in %s + V %u in %s) = %s",
		     e->idx_layers, th(x, e->n_ctx_seq * e->n_stream), a->idx_head_dim,
		     kvtype_get(st->kv_k)->name, a->head_dim_v, kvtype_get(st->kv_v)->name,
		     gib(y, (double)e->idx_bytes));
	else if (e->idx_layers)
		line(s, "  DSA indexer keys: %u layers x %s cells x %u in %s = %s", e->idx_layers,
		     th(x, e->idx_cells * e->n_stream), a->idx_head_dim, kvtype_get(st->kv_k)->name,
		     gib(y, (double)e->idx_bytes));
	if (e->comp_state_bytes)
		line(s, "  compressor state (f32 kv and score rings, per sequence): %s",
		     gib(x, (double)e->comp_state_bytes));
	line(s, "  placement: GPU %s, host %s", gib(x, (double)e->kv_gpu_bytes),
	     gib(y, (double)e->kv_host_bytes));
}

static void explain_rest(struct session *s, const struct estimate *e)
{
	const struct settings *st = &s->config.cur.set;
	const struct model_arch *a = &session_model(s, s->config.cur.model)->arch;
	const struct device *d = &s->devs->v[s->config.cur.gpu];
	char x[32], y[32], z[32];
	uint64_t n_tok = st->n_ubatch < e->n_ctx_seq ? st->n_ubatch : e->n_ctx_seq;
	line(s, "%s", "");
	line(s, "COMPUTE %s (estimate)",
	     gib(x, (double)(e->compute_bytes + e->compute_host_bytes)));
	line(s, "  %s tokens per step (ubatch %u, at most the cells); the peak of three phases:",
	     th(x, n_tok), st->n_ubatch);
	line(s, "  - output: f32 logits over %s vocab x %u output%s (%s)", th(y, a->n_vocab),
	     e->n_outputs, e->n_outputs == 1 ? "" : "s",
	     st->tool == TOOL_SERVER ? "llama-server: one per slot" : "llama-cli: every token");
	line(s, "  - attention (flash attention %s)",
	     e->flash_attn ? "on: f16 mask" : "off: f32 scores per head");
	line(s, "  - FFN (gate, up and their product)");
	if (e->compute_offload_bytes)
		line(s,
		     "  op offload: host weights run on GPU %u, peak %s with a %s weight copied in",
		     st->main_gpu, gib(x, (double)e->compute_offload_bytes),
		     gib(y, (double)e->offload_weight_bytes));
	line(s, "  device buffer %s, host input buffer %s", gib(x, (double)e->compute_bytes),
	     gib(y, (double)e->compute_host_bytes));
	if (st->spec_draft && (e->spec_weights_bytes || e->spec_kv_bytes)) {
		line(s, "%s", "");
		line(s,
		     "SPECULATIVE DECODING with the %u MTP block%s, %u draft tokens (inside the "
		     "parts "
		     "above):",
		     a->n_mtp, a->n_mtp == 1 ? "" : "s", st->spec_draft);
		line(s, "  MTP weights %s (%s), state snapshots %s (%u per sequence)",
		     gib(x, (double)e->spec_weights_bytes),
		     e->spec_weights_exact ? "exact" : "estimate",
		     gib(y, (double)e->spec_state_bytes), e->spec_state_bytes ? st->spec_draft : 0);
		line(s, "  draft context: cache %s (f16, exact), compute %s (estimate)",
		     gib(x, (double)e->spec_kv_bytes), gib(z, (double)e->spec_compute_bytes));
	}
	line(s, "%s", "");
	line(s, "OUTPUT %s (exact): 4 B x vocab %s x %u sequence%s, host memory",
	     gib(x, (double)e->output_bytes), th(y, a->n_vocab), st->n_seq,
	     st->n_seq == 1 ? "" : "s");
	line(s, "OVERHEAD %s (estimate): %s runtime per device (context, libraries, pool)",
	     gib(x, (double)e->overhead_bytes), backend_get(e->backend)->name);
	line(s, "%s", "");
	line(s, "TOTAL %s = weights + KV cache + compute + output + overhead",
	     gib(x, (double)e->total_bytes));
	line(s, "  GPU memory %s, host memory %s", gib(x, (double)e->gpu_bytes),
	     gib(y, (double)e->host_bytes));
	line(s, "  on %ux %s: need %s (each extra device adds its compute buffer and overhead)",
	     s->config.cur.gpu_count, d->name, gib(x, (double)s->results.ev.gpu_bytes));
	int64_t h = s->results.ev.headroom_bytes;
	line(s, "  usable %s x %u, %s %s", gib(y, (double)hw_usable_bytes(d)),
	     s->config.cur.gpu_count, h < 0 ? "short by" : "headroom",
	     gib(z, (double)(h < 0 ? -h : h)));
	line(s, "  sizes: GiB = 2^30 bytes, GB = 10^9 bytes");
}

void session_explain(struct session *s)
{
	s->screen.n_explain = 0;
	const struct model *m = session_model(s, s->config.cur.model);
	const struct model_meta *meta = &s->cat->v[s->config.cur.model].meta;
	line(s, "%s (%s), %s %s", meta->name, meta->id, explain_source_word(meta), meta->path);
	line(s, "%s", "");
	explain_arch(s, m, explain_source_word(meta));
	if (!s->results.ev.valid) {
		line(s, "%s", "");
		line(s, "not computed: %s", s->results.ev.err);
		return;
	}
	explain_weights(s, m, &s->results.ev.est);
	explain_kv(s, &s->results.ev.est);
	explain_rest(s, &s->results.ev.est);
}

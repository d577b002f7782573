/*
 * report.c - an estimate as a readable breakdown or as JSON (cJSON).
 */
#include "report.h"
#include "vllm.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "json_out.h"
#include "satmath.h"
#include "plan_text.h"
#include "source.h"
#include "text.h"

const char *report_kv_label(const struct model_arch *a, const struct settings *s, char *buf,
                            size_t n)
{
	if (ftype_get(s->ftype)->engine == FT_VLLM && !s->file_types)
		vllm_kv_label(a, s, buf, n);
	else if (s->kv_k == s->kv_v)
		snprintf(buf, n, "%s", kvtype_get(s->kv_k)->name);
	else
		snprintf(buf, n, "%s/%s", kvtype_get(s->kv_k)->name, kvtype_get(s->kv_v)->name);
	return buf;
}

static void row(FILE *out, const char *label, uint64_t bytes, const char *note)
{
	char t[32], g[32], d[32];
	fprintf(out, "  %-16s %19s %12s %12s%s%s\n", label, fmt_thousands(t, sizeof(t), bytes),
	        fmt_gib(g, sizeof(g), (double)bytes), fmt_gb(d, sizeof(d), (double)bytes),
	        *note ? "  " : "", note);
}

static const char *exact_word(enum exactness e)
{
	return e == EXACT ? "exact" : "estimate";
}

/* The MTP (NextN) blocks a GGUF carries after the layers, as llama.cpp
 * treats them by default: never run, skipped on load except the tensors a
 * loader keeps, counted by -ngl; only DeepSeek V4 caches them. */
static void print_mtp(FILE *out, const struct model_arch *a, const struct estimate *e)
{
	char w[48] = "its weights skipped", k[48] = "no cache", t[32];
	if (e->mtp_weights_bytes)
		snprintf(w, sizeof(w), "%s bytes of its weights loaded",
		         fmt_thousands(t, sizeof(t), e->mtp_weights_bytes));
	if (e->mtp_kv_bytes)
		snprintf(k, sizeof(k), "a %s-byte cache",
		         fmt_thousands(t, sizeof(t), e->mtp_kv_bytes));
	if (e->spec_weights_bytes || e->spec_kv_bytes) {
		fprintf(out,
		        "  MTP: %u block%s after the %u layers, drafting for speculative decoding "
		        "(not in the parameters; -ngl counts %s)\n",
		        a->n_mtp, a->n_mtp == 1 ? "" : "s", a->n_layer,
		        a->n_mtp == 1 ? "it" : "them");
		return;
	}
	fprintf(out,
	        "  MTP: %u block%s after the %u layers, never run (not in the parameters; -ngl "
	        "counts %s): %s, %s\n",
	        a->n_mtp, a->n_mtp == 1 ? "" : "s", a->n_layer, a->n_mtp == 1 ? "it" : "them", w,
	        k);
}

/* What drafting with the MTP blocks adds (--spec mtp:N): each part in
 * bytes, all inside the totals printed below. */
static void print_spec(FILE *out, const struct settings *s, const struct estimate *e)
{
	char g[32], w[32], st[32], kv[32], c[32];
	uint64_t all = sat_add(sat_add(e->spec_weights_bytes, e->spec_state_bytes),
	                       sat_add(e->spec_kv_bytes, e->spec_compute_bytes));
	fprintf(out,
	        "  Speculative decoding (--spec mtp:%u = --spec-type draft-mtp --spec-draft-n-max "
	        "%u): +%s\n"
	        "    MTP weights %s bytes (%s), state snapshots %s (%u per sequence), draft "
	        "cache %s (f16), draft compute %s (estimate)\n",
	        s->spec_draft, s->spec_draft, fmt_gib(g, sizeof(g), (double)all),
	        fmt_thousands(w, sizeof(w), e->spec_weights_bytes),
	        e->spec_weights_exact ? "exact, from the file" : "estimate",
	        fmt_thousands(st, sizeof(st), e->spec_state_bytes),
	        e->spec_state_bytes ? s->spec_draft : 0,
	        fmt_thousands(kv, sizeof(kv), e->spec_kv_bytes),
	        fmt_thousands(c, sizeof(c), e->spec_compute_bytes));
}

static void arch_summary(const struct model_arch *a, char *buf, size_t n)
{
	size_t o = 0;
	o += (size_t)snprintf(
	    buf + o, n - o, "%s%s, %u layers", a->gguf_arch,
	    a->generic ? " (generic: no engine layout, KV from the GGUF keys)" : "", a->n_layer);
	uint32_t rec = 0;
	for (uint32_t il = 0; il < a->n_layer; il++)
		rec += arch_layer_has_state(a, il);
	if (arch_is_mla(a))
		o += (size_t)snprintf(buf + o, n - o, ", MLA (kv_lora %u + rope %u), %u heads",
		                      a->kv_lora_rank, a->qk_rope_dim, a->n_head);
	else if (a->n_head)
		o += (size_t)snprintf(buf + o, n - o, ", %u heads / %u KV head%s x %u", a->n_head,
		                      a->n_head_kv, a->n_head_kv == 1 ? "" : "s", a->head_dim_k);
	else
		o += (size_t)snprintf(buf + o, n - o, ", no attention");
	if (rec && o < n)
		o += (size_t)snprintf(buf + o, n - o, ", %u %s layer%s", rec, arch_rec_kind_name(a),
		                      rec == 1 ? "" : "s");
	if (a->n_expert && o < n)
		o += (size_t)snprintf(buf + o, n - o, ", %u experts (%u active%s)", a->n_expert,
		                      a->n_expert_used, a->n_ff_shexp ? " + shared" : "");
	if (a->n_swa && o < n)
		o += (size_t)snprintf(buf + o, n - o, ", window %u", a->n_swa);
	(void)o;
}

static const char *solve_value(const struct report *r, char *buf, size_t n)
{
	return plan_answer_text((enum solve_what)r->solve_what, r->solve, r->model, buf, n);
}

static void report_solve_line(const struct report *r, FILE *out)
{
	char v[160];
	fprintf(out, "  solved: %s (%s)\n\n", solve_value(r, v, sizeof(v)),
	        plan_status_text((enum solve_what)r->solve_what, r->solve->status));
}

/* The device whose assumptions the speed states: the only type, or in a
 * mixed split the device holding the most layers. */
static const struct device *speed_device(const struct evaluation *ev)
{
	uint32_t most = 0;
	for (uint32_t k = 1; ev->mixed && k < ev->n_devs; k++)
		if (ev->loads[k].layers_bytes > ev->loads[most].layers_bytes)
			most = k;
	return ev->dev[most];
}

static void speed_text(const struct report *r, FILE *out)
{
	char lines[PLAN_SPEED_LINES][PLAN_TEXT_LINE];
	plan_speed_text(speed_device(r->ev), r->settings->n_seq, &r->ev->speed, r->speed_params,
	                lines);
	fprintf(out, "\n  %s\n", lines[0]);
	for (int i = 1; i < PLAN_SPEED_LINES; i++)
		if (lines[i][0])
			fprintf(out, "    %s\n", lines[i]);
}

/* What a device holds in a split: "layers 0-26", "layers 54-79 + output",
 * "rank 3" (vLLM tensor parallelism). */
static const char *load_range(const struct estimate *e, uint32_t k, const struct device_load *L,
                              char *buf, size_t n)
{
	uint32_t blocks = L->n_slots - (L->has_output ? 1 : 0);
	if (e->vllm)
		snprintf(buf, n, "tensor-parallel rank %u", k);
	else if (blocks)
		snprintf(buf, n, "layers %u-%u%s", L->first_slot, L->first_slot + blocks - 1,
		         L->has_output ? " + output" : "");
	else
		snprintf(buf, n, "%s", L->has_output ? "output layer" : "no layers");
	return buf;
}

/* One device of a split: its range, total and headroom (or shortfall). */
static void load_line(FILE *out, const struct estimate *e, uint32_t k, const char *name,
                      const struct device_load *L)
{
	char range[48], t[32], h[32];
	int64_t head = L->headroom_bytes;
	char who[48];
	if (name)
		snprintf(who, sizeof(who), " %-28.28s", name);
	else
		snprintf(who, sizeof(who), ":");
	fprintf(out, "    GPU %u%s %-26s %10s (%s %s%s)\n", k, who,
	        load_range(e, k, L, range, sizeof(range)),
	        fmt_gib(t, sizeof(t), (double)L->total_bytes),
	        fmt_gib(h, sizeof(h), (double)(head < 0 ? -head : head)),
	        head < 0 ? "short" : "headroom", e->vllm ? " of the vLLM budget" : "");
}

static cJSON *load_json(uint32_t k, const struct device_load *L);
static cJSON *add_obj(cJSON *parent, const char *name);
static void add_u64(cJSON *o, const char *name, uint64_t v);

/* vLLM on the -g devices: every rank's accounting, and in *worst the
 * tightest rank (vLLM sizes every rank's KV cache by the smallest).  False
 * when this is not a vLLM estimate on devices. */
static bool vllm_worst(const struct report *r, uint32_t *n, struct vllm_rank *worst)
{
	const struct evaluation *ev = r->ev;
	if (!ev->est.vllm || !ev->n_devs)
		return false;
	const struct device_load *loads = ev->loads;
	*n = ev->n_devs;
	*worst = loads[0].vllm;
	for (uint32_t k = 1; k < *n; k++) {
		const struct vllm_rank *v = &loads[k].vllm;
		if (v->kv_budget_bytes - (int64_t)v->kv_request_bytes <
		    worst->kv_budget_bytes - (int64_t)worst->kv_request_bytes)
			*worst = *v;
	}
	return true;
}

/* The vLLM block of the text report: budget, its parts, the KV budget,
 * capacity and concurrency, and why it does not fit. */
static void vllm_text(const struct report *r, FILE *out)
{
	struct vllm_rank v;
	uint32_t n;
	if (!vllm_worst(r, &n, &v))
		return;
	char a[32], b[32], c[32], d[32], e[32], ver[16];
	const struct vllm_terms *t = &r->ev->est.vllm_terms;
	fprintf(out,
	        "\n  vLLM %s, tensor parallel %u x pipeline %u, %s batched tokens, %u "
	        "sequences; per GPU%s:\n",
	        vllm_version_format(t->version, ver, sizeof(ver)), v.tp, v.pp,
	        fmt_thousands(a, sizeof(a), v.batched_tokens), v.max_num_seqs,
	        n > 1 ? " (the tightest)" : "");
	fprintf(out, "    budget %s = %.2f x %s torch-visible\n",
	        fmt_gib(a, sizeof(a), (double)v.budget_bytes), r->ev->est.budget_share,
	        fmt_gib(b, sizeof(b), (double)v.torch_bytes));
	fprintf(out, "    weights %s, activation peak %s, non-torch %s, CUDA graphs %s (%s)\n",
	        fmt_gib(a, sizeof(a), (double)v.weights_bytes),
	        fmt_gib(b, sizeof(b), (double)v.activation_bytes),
	        fmt_gib(c, sizeof(c), (double)v.nontorch_bytes),
	        fmt_gib(d, sizeof(d), (double)v.graphs_bytes),
	        v.graphs_in_budget ? "inside the budget" : "on top of the budget");
	int64_t kv = v.kv_budget_bytes;
	fprintf(out,
	        "    KV budget %s%s: %s tokens, max concurrency %.2fx at %s tokens per request\n",
	        kv < 0 ? "-" : "", fmt_gib(a, sizeof(a), (double)(kv < 0 ? -kv : kv)),
	        fmt_thousands(b, sizeof(b), v.kv_capacity_tokens), v.max_concurrency,
	        fmt_thousands(c, sizeof(c), t->max_model_len));
	if (v.kv_num_blocks)
		fprintf(out, "    KV pool %s blocks of %u tokens%s\n",
		        fmt_thousands(a, sizeof(a), v.kv_num_blocks), v.kv_block_tokens,
		        v.kv_block_tokens > t->kv_block_tokens
		            ? " (the attention block grown to hold a recurrent state page)"
		            : "");
	if (kv <= 0)
		fprintf(out, "    does not fit: no memory is left for the KV cache (vLLM will not "
		             "start)\n");
	else if (!v.fits)
		fprintf(
		    out,
		    "    does not fit: one request of %s tokens needs %s of KV cache, the budget "
		    "holds %s tokens (lower --max-model-len to %s at most)\n",
		    fmt_thousands(a, sizeof(a), t->max_model_len),
		    fmt_gib(e, sizeof(e), (double)v.kv_request_bytes), b,
		    fmt_thousands(d, sizeof(d), v.max_model_len_fit));
}

/* The "vllm" object of the JSON report (see the man page). */
static void vllm_json(const struct report *r, cJSON *root)
{
	struct vllm_rank v;
	uint32_t n;
	const struct vllm_terms *t = &r->ev->est.vllm_terms;
	if (!r->ev->est.vllm)
		return;
	char ver[16];
	cJSON *o = add_obj(root, "vllm");
	json_add_text(o, "version", vllm_version_format(t->version, ver, sizeof(ver)));
	add_u64(o, "max_model_len", t->max_model_len);
	cJSON_AddNumberToObject(o, "max_num_seqs", t->max_num_seqs);
	cJSON_AddNumberToObject(o, "pipeline_parallel_size", t->pp_size);
	if (!vllm_worst(r, &n, &v)) {
		if (t->batched_tokens)
			cJSON_AddNumberToObject(o, "max_num_batched_tokens", t->batched_tokens);
		return;
	}
	cJSON_AddNumberToObject(o, "max_num_batched_tokens", v.batched_tokens);
	cJSON_AddNumberToObject(o, "tensor_parallel_size", v.tp);
	json_add_i64(o, "kv_budget_bytes", v.kv_budget_bytes);
	add_u64(o, "kv_capacity_tokens", v.kv_capacity_tokens);
	cJSON_AddNumberToObject(o, "max_concurrency", v.max_concurrency);
	add_u64(o, "kv_num_blocks", v.kv_num_blocks);
	if (!v.fits && v.max_model_len_fit)
		add_u64(o, "max_model_len_fit", v.max_model_len_fit);
	cJSON_AddNumberToObject(o, "kv_block_tokens", v.kv_block_tokens);
	cJSON_AddBoolToObject(o, "fits", v.fits);
}

const char *report_margin_text(const struct margin *m, char *buf, size_t n)
{
	if (m->is_bytes)
		fmt_gib(buf, n, (double)m->bytes);
	else
		snprintf(buf, n, "%g%%", 100.0 * m->share);
	return buf;
}

/* The device set: its split, the fewest that fit, host memory, verdict. */
static void devices_text(const struct report *r, FILE *out)
{
	const struct evaluation *ev = r->ev;
	const struct estimate *e = &ev->est;
	char a[64], b[64], c[64];
	if (ev->n_devs) {
		const struct device *d = ev->dev[0];
		int64_t least = ev->loads[0].headroom_bytes;
		for (uint32_t k = 1; k < ev->n_devs; k++)
			if (ev->loads[k].headroom_bytes < least)
				least = ev->loads[k].headroom_bytes;
		if (ev->mixed)
			fprintf(out, "\n  %u devices (%s)", ev->n_devs,
			        e->vllm ? "vLLM tensor parallelism"
			                : "llama.cpp layer split by memory");
		else
			fprintf(out, "\n  %u x %s (%s usable each)", ev->n_devs, d->name,
			        fmt_gib(a, sizeof(a), (double)hw_usable_bytes(d)));
		fprintf(out, ": GPU need %s, %s%s %s\n",
		        fmt_gib(c, sizeof(c), (double)ev->gpu_bytes),
		        ev->n_devs > 1 ? "tightest device " : "",
		        fmt_gib(b, sizeof(b), (double)(least < 0 ? -least : least)),
		        least < 0 ? "short" : "headroom");
		if (ev->unified)
			fprintf(out, "  unified memory: GPU + host %s of %s (GPU share %.0f %%)\n",
			        fmt_gib(a, sizeof(a), (double)ev->total_bytes),
			        fmt_gib(b, sizeof(b), (double)ev->unified_pool_bytes),
			        100 * d->gpu_share);
		if (ev->n_devs > 1 || ev->mixed)
			for (uint32_t k = 0; k < ev->n_devs; k++)
				load_line(out, e, k, ev->mixed ? ev->dev[k]->name : NULL,
				          &ev->loads[k]);
		if (!ev->mixed && ev->needed && ev->needed != ev->n_devs)
			fprintf(out, "  the fewest that fit: %u\n", ev->needed);
		else if (!ev->mixed && !ev->needed)
			fprintf(out, "  no count up to %d fits\n", HW_MAX_DEVICES);
	}
	if (ev->host_ram_bytes)
		fprintf(out, "  host memory: %s of %s\n",
		        fmt_gib(a, sizeof(a), (double)ev->host_bytes),
		        fmt_gib(b, sizeof(b), (double)ev->host_ram_bytes));
	fprintf(out, "  verdict: %s%s%s (margin %s%s)\n", verdict_words(ev->verdict),
	        ev->reason[0] ? ": " : "", ev->reason, report_margin_text(r->margin, c, sizeof(c)),
	        ev->n_devs ? "" : "; no device given, host memory only");
	if (ev->has_speed)
		speed_text(r, out);
}

void report_text(const struct report *r, FILE *out)
{
	const struct evaluation *ev = r->ev;
	const struct estimate *e = &ev->est;
	const struct settings *s = r->settings;
	const struct model *m = r->model;
	char a[64], b[64], c[256];

	fprintf(out, "%s (%s)\n", r->meta->name, r->meta->id);
	arch_summary(&m->arch, c, sizeof(c));
	fprintf(out, "  %s params", fmt_params(a, sizeof(a), m->params_total));
	if (m->arch.n_expert)
		fprintf(out, ", %s active", fmt_params(b, sizeof(b), m->params_active));
	fprintf(out, " - %s\n", c);
	if (m->arch.n_mtp && !e->vllm)
		print_mtp(out, &m->arch, e);
	else if (m->arch.n_mtp && s->spec_tokens)
		fprintf(
		    out,
		    "  MTP: %u draft token%s a step (vLLM speculative decoding): the %s cache and "
		    "the longer recurrent states counted, %s weights not\n",
		    s->spec_tokens, s->spec_tokens == 1 ? "" : "s",
		    m->arch.n_mtp == 1 ? "MTP layer's" : "MTP layers'",
		    m->arch.n_mtp == 1 ? "its" : "their");
	if (s->spec_draft && !e->vllm)
		print_spec(out, s, e);
	char kv[32], off[48];
	fprintf(
	    out,
	    "  %s%s, context %s (%s cells), batch %u, KV %s, flash attention %s, offload %s\n\n",
	    ftype_get(s->ftype)->name, s->file_types ? " as stored in the file" : "",
	    fmt_thousands(a, sizeof(a), s->ctx_tokens), fmt_thousands(b, sizeof(b), e->n_ctx),
	    s->n_seq, report_kv_label(&m->arch, s, kv, sizeof(kv)), e->flash_attn ? "on" : "off",
	    offload_label(s, false, off, sizeof(off)));

	if (r->solve)
		report_solve_line(r, out);
	fprintf(out, "  %-16s %19s %12s %12s\n", "", "bytes", "GiB", "GB");
	snprintf(c, sizeof(c), "%s, %.2f bits/weight", exact_word(e->weights_exact),
	         e->weights_bpw);
	row(out, "weights", e->weights_bytes, c);
	fprintf(out, "  %-16s", "");
	for (int t = 0; t < QT_COUNT; t++)
		if (e->type_count[t])
			fprintf(out, " %s x%u", qtype_get((enum qtype)t)->name, e->type_count[t]);
	fprintf(out, "%s\n", e->fallback_tensors ? " (with shape fallbacks)" : "");
	bool parts = e->kv_layers_swa || e->rs_layers || e->idx_layers || e->comp_bytes;
	snprintf(c, sizeof(c), "%s, %u layers x %s cells x %u stream%s", exact_word(e->kv_exact),
	         e->kv_layers, fmt_thousands(a, sizeof(a), e->n_ctx_seq), e->n_stream,
	         e->n_stream > 1 ? "s" : "");
	row(out, "KV cache", e->kv_bytes, parts ? exact_word(e->kv_exact) : c);
	if (parts && e->kv_layers)
		row(out, arch_is_mla(&m->arch) ? "  MLA latent" : "  full attention",
		    e->k_bytes + e->v_bytes, c + strlen(exact_word(e->kv_exact)) + 2);
	if (e->kv_layers_swa) {
		snprintf(c, sizeof(c), "%u layers x %s cells x %u stream%s", e->kv_layers_swa,
		         fmt_thousands(a, sizeof(a), e->kv_cells_swa), e->n_stream,
		         e->n_stream > 1 ? "s" : "");
		row(out, "  sliding window", e->swa_k_bytes + e->swa_v_bytes, c);
	}
	if (e->rs_layers) {
		snprintf(c, sizeof(c), "%u %s layers x %u sequence%s, independent of context",
		         e->rs_layers, arch_rec_kind_name(&m->arch), s->n_seq,
		         s->n_seq > 1 ? "s" : "");
		row(out, "  recurrent state", e->r_bytes + e->s_bytes, c);
	}
	if (m->arch.n_layer_kv && m->arch.n_layer_kv < m->arch.n_layer)
		fprintf(out,
		        "  %-16s %u layers reuse an earlier layer's cache (none of their own)\n",
		        "", m->arch.n_layer - m->arch.n_layer_kv);
	if (e->comp_layers_csa || e->comp_layers_hca) {
		snprintf(c, sizeof(c), "CSA %u layers x %s cells, HCA %u layers x %s cells",
		         e->comp_layers_csa, fmt_thousands(a, sizeof(a), e->comp_cells_csa),
		         e->comp_layers_hca, fmt_thousands(b, sizeof(b), e->comp_cells_hca));
		row(out, "  compressed KV", e->comp_bytes, c);
	}
	if (e->idx_layers) {
		bool msa = m->arch.msa_block != 0;
		snprintf(c, sizeof(c), "%u layers x %s cells x %u stream%s, %s", e->idx_layers,
		         fmt_thousands(a, sizeof(a), e->idx_cells), e->n_stream,
		         e->n_stream > 1 ? "s" : "",
		         msa ? "MSA index cache (one K and V head)" : "DSA indexer keys");
		row(out, msa ? "  index cache" : "  indexer keys", e->idx_bytes, c);
	}
	if (e->comp_state_bytes)
		row(out, "  compressor", e->comp_state_bytes,
		    "f32 state of the CSA, HCA and indexer compressors");
	if (e->vllm) {
		row(out, "activations", e->compute_bytes,
		    "estimate, vLLM's profiling run on one large GPU (per GPU below)");
		row(out, "overhead", e->overhead_bytes,
		    e->vllm_terms.version >= VLLM_VERSION_GRAPHS_IN_BUDGET
		        ? "estimate, non-torch memory + CUDA graphs"
		        : "estimate, non-torch memory (CUDA graphs come on top)");
	} else {
		row(out, "compute", e->compute_bytes + e->compute_host_bytes,
		    "estimate, llama.cpp compute buffers");
		row(out, "output", e->output_bytes, "exact, logits buffer (host)");
		snprintf(c, sizeof(c), "estimate, %s runtime per device",
		         backend_get(e->backend)->name);
		row(out, "overhead", e->overhead_bytes, e->overhead_bytes ? c : "none (CPU only)");
	}
	if (e->mmproj_bytes) {
		row(out, "mmproj", e->mmproj_bytes,
		    e->mmproj_on_gpu
		        ? "exact as stored, on the first GPU (image buffer not counted)"
		        : "exact as stored, host memory (image buffer not counted)");
		if (r->mmproj)
			text_fprintf(out, "  %-16s %s: projector %s, %zu tensors\n", "",
			             r->mmproj->path,
			             r->mmproj->projector[0] ? r->mmproj->projector : "unnamed",
			             r->mmproj->n_tensors);
	}
	if (ev->tied_copy_bytes)
		row(out, "tied copy", ev->tied_copy_bytes,
		    "exact, the tied embedding loaded again as the output layer (GPU)");
	if (ev->extra_devices_bytes > 0)
		row(out, "more devices", (uint64_t)ev->extra_devices_bytes,
		    e->vllm ? "estimate, each further rank's replicated part and reserve"
		            : "estimate, each further device's compute buffer and overhead");
	else if (ev->extra_devices_bytes < 0)
		fprintf(out, "  %-16s %19lld  %s\n", "more devices",
		        (long long)ev->extra_devices_bytes,
		        "bytes, tensor parallelism splits below one device's share");
	row(out, "total", ev->total_bytes, "= GPU memory + host memory");
	fprintf(out, "\n");
	row(out, "GPU memory", ev->gpu_bytes, ev->n_devs > 1 ? "sum of the devices" : "");
	row(out, "host memory", ev->host_bytes, "");
	if (r->checkpoint)
		report_checkpoint_text(r->checkpoint, out);
	devices_text(r, out);
	if (r->ev->n_devs)
		vllm_text(r, out);
	if (r->launch[0])
		fprintf(out, "\n  llama-server: %s\n  vLLM:         %s\n", r->launch[0],
		        r->launch[1]);
}

static cJSON *add_obj(cJSON *parent, const char *name)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(parent, name, o);
	return o;
}

/* Byte and token counts: exact integers (json_out.h). */
static void add_u64(cJSON *o, const char *name, uint64_t v)
{
	json_add_u64(o, name, v);
}

/* One device of a split as JSON. */
static cJSON *load_json(uint32_t k, const struct device_load *L)
{
	cJSON *one = cJSON_CreateObject();
	cJSON_AddNumberToObject(one, "index", k);
	cJSON_AddNumberToObject(one, "first_layer", L->first_slot);
	cJSON_AddNumberToObject(one, "layers", L->n_slots);
	cJSON_AddBoolToObject(one, "output_layer", L->has_output);
	cJSON_AddBoolToObject(one, "main_gpu", L->main_gpu);
	add_u64(one, "layers_bytes", L->layers_bytes);
	add_u64(one, "weights_bytes", L->weights_bytes);
	add_u64(one, "kv_bytes", L->kv_bytes);
	add_u64(one, "compute_bytes", L->compute_bytes);
	add_u64(one, "overhead_bytes", L->overhead_bytes);
	add_u64(one, "mmproj_bytes", L->mmproj_bytes);
	add_u64(one, "total_bytes", L->total_bytes);
	json_add_i64(one, "headroom_bytes", L->headroom_bytes);
	if (L->vllm.tp) {
		const struct vllm_rank *v = &L->vllm;
		cJSON *o = add_obj(one, "vllm");
		cJSON_AddNumberToObject(o, "pipeline_stage", v->stage);
		add_u64(o, "torch_memory_bytes", v->torch_bytes);
		add_u64(o, "budget_bytes", v->budget_bytes);
		add_u64(o, "weights_bytes", v->weights_bytes);
		add_u64(o, "activation_bytes", v->activation_bytes);
		add_u64(o, "non_torch_bytes", v->nontorch_bytes);
		add_u64(o, "cuda_graph_bytes", v->graphs_bytes);
		cJSON_AddBoolToObject(o, "cuda_graphs_in_budget", v->graphs_in_budget);
		json_add_i64(o, "kv_budget_bytes", v->kv_budget_bytes);
		add_u64(o, "kv_bytes_per_token", v->kv_token_bytes);
		add_u64(o, "kv_request_bytes", v->kv_request_bytes);
		add_u64(o, "kv_capacity_tokens", v->kv_capacity_tokens);
		cJSON_AddNumberToObject(o, "max_concurrency", v->max_concurrency);
		cJSON_AddBoolToObject(o, "fits", v->fits);
	}
	return one;
}

/* The fields every hardware entry starts with. */
static cJSON *device_head_json(const struct device *d)
{
	cJSON *o = cJSON_CreateObject();
	json_add_text(o, "id", d->id);
	json_add_text(o, "name", d->name);
	json_add_text(o, "category", hw_category_name(d->category));
	add_u64(o, "memory_bytes", d->memory_bytes);
	add_u64(o, "usable_bytes", hw_usable_bytes(d));
	return o;
}

/* A device of the catalog (no device set given): the fewest of it that
 * fit, and the headroom then. */
static cJSON *device_json(const struct device *d, const struct estimate *e)
{
	struct hw_fit f;
	hw_fit(e, d, 1, &f);
	cJSON *o = device_head_json(d);
	cJSON_AddNumberToObject(o, "count", f.needed);
	cJSON_AddBoolToObject(o, "fits", f.needed > 0);
	if (f.needed) {
		struct hw_fit g;
		hw_fit(e, d, f.needed, &g);
		json_add_i64(o, "headroom_bytes", g.headroom_bytes);
	}
	return o;
}

/* The device set of the evaluation: one entry per device type, in -g
 * order, with its count and its devices' shares of the split. */
static void set_json(const struct report *r, cJSON *arr)
{
	const struct evaluation *ev = r->ev;
	const struct device_load *loads = ev->loads;
	bool fits = true;
	for (uint32_t k = 0; k < ev->n_devs; k++)
		fits &= ev->level[k] != FIT_NO;
	if (ev->unified && ev->total_bytes > ev->unified_pool_bytes)
		fits = false;
	for (uint32_t k = 0; k < ev->n_devs; k++) {
		if (k && ev->dev[k] == ev->dev[k - 1])
			continue;
		uint32_t n = 1;
		while (k + n < ev->n_devs && ev->dev[k + n] == ev->dev[k])
			n++;
		const struct device *d = ev->dev[k];
		cJSON *o = device_head_json(d);
		cJSON_AddNumberToObject(o, "count", n);
		cJSON_AddBoolToObject(o, "fits", fits);
		int64_t head = loads[k].headroom_bytes;
		for (uint32_t j = k; j < k + n; j++)
			if (loads[j].headroom_bytes < head)
				head = loads[j].headroom_bytes;
		json_add_i64(o, "headroom_bytes", head);
		if (!ev->mixed)
			cJSON_AddNumberToObject(o, "needed", ev->needed);
		cJSON *devs = cJSON_AddArrayToObject(o, "devices");
		for (uint32_t j = k; j < k + n; j++)
			cJSON_AddItemToArray(devs, load_json(j, &loads[j]));
		cJSON_AddItemToArray(arr, o);
	}
}

char *report_json(const struct report *r)
{
	const struct evaluation *ev = r->ev;
	const struct estimate *e = &ev->est;
	const struct settings *s = r->settings;
	const struct model *m = r->model;
	char buf[64];
	cJSON *root = cJSON_CreateObject();
	if (!root)
		return NULL;

	cJSON *mo = add_obj(root, "model");
	json_add_text(mo, "id", r->meta->id);
	json_add_text(mo, "name", r->meta->name);
	add_u64(mo, "params_total", m->params_total);
	add_u64(mo, "params_active", m->params_active);
	json_add_text(mo, "arch", m->arch.gguf_arch);
	json_add_text(mo, "layout", m->arch.generic ? "generic" : arch_family_name(m->arch.family));
	cJSON_AddNumberToObject(mo, "layers", m->arch.n_layer);
	cJSON_AddNumberToObject(mo, "mtp_blocks", m->arch.n_mtp);
	json_add_text(mo, "path", r->meta->path);
	if (r->mmproj) {
		cJSON *pj = add_obj(mo, "mmproj");
		json_add_text(pj, "path", r->mmproj->path);
		json_add_text(pj, "projector", r->mmproj->projector);
		cJSON_AddBoolToObject(pj, "vision", r->mmproj->vision);
		cJSON_AddBoolToObject(pj, "audio", r->mmproj->audio);
		cJSON_AddNumberToObject(pj, "tensors", (double)r->mmproj->n_tensors);
		add_u64(pj, "bytes", r->mmproj->bytes);
		cJSON_AddBoolToObject(pj, "on_gpu", e->mmproj_on_gpu);
	}

	cJSON *so = add_obj(root, "settings");
	json_add_text(so, "quant", ftype_get(s->ftype)->name);
	cJSON_AddBoolToObject(so, "quant_as_stored", s->file_types);
	add_u64(so, "context", s->ctx_tokens);
	cJSON_AddNumberToObject(so, "batch", s->n_seq);
	json_add_text(so, "kv_type", report_kv_label(&m->arch, s, buf, sizeof(buf)));
	json_add_text(so, "offload", offload_label(s, false, buf, sizeof(buf)));
	cJSON_AddNumberToObject(so, "ubatch", s->n_ubatch);
	cJSON_AddBoolToObject(so, "flash_attn", e->flash_attn);
	cJSON_AddBoolToObject(so, "kv_unified", s->kv_unified);
	add_u64(so, "context_padded", e->n_ctx);
	cJSON_AddStringToObject(so, "backend", backend_get(e->backend)->name);
	cJSON_AddStringToObject(so, "tool", llama_tool_name(s->tool));
	uint32_t spec_n = s->spec_draft ? s->spec_draft : s->spec_tokens; /* llama.cpp, vLLM */
	snprintf(buf, sizeof(buf), spec_n ? "mtp:%u" : "off", spec_n);
	cJSON_AddStringToObject(so, "spec", buf);
	cJSON_AddNumberToObject(so, "llama_build", s->llama_build);
	cJSON_AddBoolToObject(so, "op_offload", s->op_offload);
	cJSON_AddNumberToObject(so, "main_gpu", s->main_gpu);

	cJSON *bo = add_obj(root, "bytes");
	add_u64(bo, "weights", e->weights_bytes);
	add_u64(bo, "kv_cache", e->kv_bytes);
	add_u64(bo, "compute", sat_add(e->compute_bytes, e->compute_host_bytes));
	add_u64(bo, "output", e->output_bytes);
	add_u64(bo, "overhead", e->overhead_bytes);
	add_u64(bo, "tied_copy", ev->tied_copy_bytes);
	add_u64(bo, "mmproj", e->mmproj_bytes);
	json_add_u64(bo, "more_devices", ev->extra_devices_bytes);
	add_u64(bo, "total", ev->total_bytes);
	cJSON *mt = add_obj(bo, "mtp");
	add_u64(mt, "weights", e->mtp_weights_bytes);
	add_u64(mt, "kv_cache", e->mtp_kv_bytes);
	cJSON *so_spec = add_obj(bo, "spec");
	cJSON_AddNumberToObject(so_spec, "draft_tokens", s->spec_draft);
	add_u64(so_spec, "weights", e->spec_weights_bytes);
	cJSON_AddBoolToObject(so_spec, "weights_exact", e->spec_weights_exact);
	add_u64(so_spec, "state_snapshots", e->spec_state_bytes);
	add_u64(so_spec, "draft_kv_cache", e->spec_kv_bytes);
	add_u64(so_spec, "draft_compute", e->spec_compute_bytes);
	cJSON *ko = add_obj(bo, "kv_detail");
	add_u64(ko, "k", e->k_bytes);
	add_u64(ko, "v", e->v_bytes);
	add_u64(ko, "swa_k", e->swa_k_bytes);
	add_u64(ko, "swa_v", e->swa_v_bytes);
	add_u64(ko, "recurrent_r", e->r_bytes);
	add_u64(ko, "recurrent_s", e->s_bytes);
	add_u64(ko, "indexer_k", e->idx_bytes);
	add_u64(ko, "compressed_k", e->comp_bytes);
	add_u64(ko, "compressor_state", e->comp_state_bytes);
	add_u64(ko, "cells_per_stream", e->n_ctx_seq);
	cJSON_AddNumberToObject(ko, "streams", e->n_stream);
	add_u64(ko, "swa_cells_per_stream", e->kv_cells_swa);

	cJSON *po = add_obj(root, "placement");
	add_u64(po, "gpu", ev->gpu_bytes);
	add_u64(po, "host", ev->host_bytes);
	add_u64(po, "weights_gpu", e->weights_gpu_bytes);
	add_u64(po, "weights_host", e->weights_host_bytes);
	add_u64(po, "kv_gpu", e->kv_gpu_bytes);
	add_u64(po, "kv_host", e->kv_host_bytes);
	add_u64(po, "compute_gpu", e->compute_bytes);
	add_u64(po, "compute_host", e->compute_host_bytes);
	add_u64(po, "compute_offload", e->compute_offload_bytes);
	add_u64(po, "offload_weight", e->offload_weight_bytes);
	cJSON_AddNumberToObject(po, "ubatch_tokens", e->n_tokens);
	cJSON_AddNumberToObject(po, "outputs_reserved", e->n_outputs);
	cJSON_AddBoolToObject(po, "output_layer_gpu", e->output_on_gpu);
	cJSON_AddNumberToObject(po, "pipeline_copies", e->pp_copies);

	cJSON *xo = add_obj(root, "exact");
	cJSON_AddBoolToObject(xo, "weights", e->weights_exact == EXACT);
	cJSON_AddBoolToObject(xo, "kv_cache", e->kv_exact == EXACT);
	cJSON_AddBoolToObject(xo, "compute", e->compute_exact == EXACT);
	cJSON_AddBoolToObject(xo, "overhead", e->overhead_exact == EXACT);

	cJSON *to = add_obj(root, "tensor_types");
	for (int t = 0; t < QT_COUNT; t++) {
		if (!e->type_count[t])
			continue;
		cJSON *one = add_obj(to, qtype_get((enum qtype)t)->name);
		cJSON_AddNumberToObject(one, "count", e->type_count[t]);
		add_u64(one, "bytes", e->type_bytes[t]);
	}

	vllm_json(r, root);
	if (r->solve) {
		char v[160];
		cJSON *sv = add_obj(root, "solve");
		json_add_text(sv, "what", solve_name((enum solve_what)r->solve_what));
		json_add_text(sv, "status",
		              r->solve->status == SOLVE_FOUND    ? "found"
		              : r->solve->status == SOLVE_AT_MAX ? "at_max"
		                                                 : "nothing");
		json_add_text(sv, "answer", solve_value(r, v, sizeof(v)));
		cJSON_AddNumberToObject(sv, "gpu_count", r->solve->gpu_count);
		cJSON_AddNumberToObject(sv, "estimates", r->solve->steps);
	}
	cJSON *vo = add_obj(root, "verdict");
	json_add_text(vo, "words", verdict_words(ev->verdict));
	if (ev->reason[0])
		json_add_text(vo, "reason", ev->reason);
	json_add_text(vo, "margin", report_margin_text(r->margin, buf, sizeof(buf)));
	cJSON *hm = add_obj(root, "host");
	if (ev->host_ram_bytes)
		add_u64(hm, "memory_bytes", ev->host_ram_bytes);
	else
		cJSON_AddNullToObject(hm, "memory_bytes");
	add_u64(hm, "need_bytes", ev->host_bytes);
	cJSON_AddBoolToObject(hm, "fits", ev->host_level != FIT_NO);

	const struct speed *speed = ev->has_speed ? &ev->speed : NULL;
	if (speed) {
		cJSON *sp = add_obj(root, "speed");
		cJSON_AddNumberToObject(sp, "decode_tokens_per_s", speed->decode_tps);
		cJSON_AddNumberToObject(sp, "decode_tokens_per_s_total", speed->decode_tps_total);
		cJSON_AddNumberToObject(sp, "decode_band", speed->decode_band);
		if (speed->compute_known) {
			cJSON_AddNumberToObject(sp, "prefill_tokens_per_s", speed->prefill_tps);
			cJSON_AddNumberToObject(sp, "prefill_band", speed->prefill_band);
			cJSON_AddNumberToObject(sp, "time_to_first_token_s", speed->ttft_s);
		}
		add_u64(sp, "gpu_bytes_per_token", speed->gpu_bytes_per_token);
		add_u64(sp, "host_bytes_per_token", speed->host_bytes_per_token);
		json_add_u64(sp, "prompt_tokens", r->speed_params->prompt_tokens);
		cJSON *as = add_obj(sp, "assumptions");
		cJSON_AddStringToObject(as, "engine", speed->engine);
		cJSON_AddBoolToObject(as, "calibrated", speed->calibrated);
		cJSON_AddStringToObject(as, "backend", backend_get(speed->backend)->label);
		const struct device *sd = speed_device(ev);
		cJSON_AddNumberToObject(as, "devices_in_sequence", speed->n_devices);
		cJSON_AddStringToObject(as, "device", sd->id);
		cJSON_AddStringToObject(as, "memory", hw_mem_kind_name(sd->memory_kind));
		cJSON_AddNumberToObject(as, "bandwidth_gbps", sd->bandwidth_gbps);
		cJSON_AddNumberToObject(as, "bandwidth_efficiency", speed->bandwidth_efficiency);
		cJSON_AddNumberToObject(as, "overhead_s_per_token", speed->overhead_s);
		if (speed->compute_known) {
			cJSON_AddStringToObject(as, "prefill_path", speed->prefill_path);
			cJSON_AddNumberToObject(as, "prefill_peak_tflops",
			                        speed->prefill_rate_tflops);
			cJSON_AddNumberToObject(as, "compute_efficiency",
			                        speed->compute_efficiency);
		}
		cJSON_AddNumberToObject(as, "pcie_gbps", r->speed_params->pcie_gbps);
		cJSON_AddNumberToObject(sp, "host_bandwidth_gbps",
		                        r->speed_params->host_bandwidth_gbps);
		/* each group of the split: its part of a token's time */
		cJSON *parts = cJSON_AddArrayToObject(sp, "parts");
		for (uint32_t k = 0; k < speed->n_parts; k++) {
			const struct speed_part *pt = &speed->part[k];
			cJSON *pj = cJSON_CreateObject();
			cJSON_AddStringToObject(pj, "device", pt->dev->id);
			cJSON_AddNumberToObject(pj, "count", pt->count);
			cJSON_AddStringToObject(pj, "backend", backend_get(pt->backend)->label);
			cJSON_AddNumberToObject(pj, "layer_share", pt->share);
			cJSON_AddNumberToObject(pj, "bandwidth_gbps", pt->dev->bandwidth_gbps);
			cJSON_AddNumberToObject(pj, "bandwidth_efficiency",
			                        pt->bandwidth_efficiency);
			cJSON_AddNumberToObject(pj, "decode_s_per_token", pt->decode_s);
			cJSON_AddNumberToObject(pj, "overhead_s_per_token", pt->overhead_s);
			if (speed->compute_known)
				cJSON_AddNumberToObject(pj, "prefill_s_per_token", pt->prefill_s);
			cJSON_AddItemToArray(parts, pj);
		}
	}
	if (r->launch[0]) {
		cJSON *lo = add_obj(root, "launch");
		json_add_text(lo, "llama-server", r->launch[0]);
		json_add_text(lo, "vllm", r->launch[1]);
	}
	cJSON *ho = cJSON_AddArrayToObject(root, "hardware");
	if (ev->n_devs) {
		set_json(r, ho);
	} else if (r->devices) {
		for (size_t i = 0; i < r->devices->n; i++)
			cJSON_AddItemToArray(ho, device_json(&r->devices->v[i], e));
	}

	if (r->checkpoint)
		cJSON_AddItemToObject(root, "checkpoint", report_checkpoint_json(r->checkpoint));
	char *text = cJSON_Print(root);
	cJSON_Delete(root);
	return text;
}

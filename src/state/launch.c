/*
 * launch.c - llama-server and vLLM command lines for an estimate.
 *
 * Flags follow current llama.cpp (tools/server, common/arg.cpp) and vLLM's
 * `vllm serve` engine arguments.
 */
#include "launch.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const target_names[LAUNCH_COUNT] = {
    [LAUNCH_LLAMA_SERVER] = "llama-server",
    [LAUNCH_VLLM] = "vllm",
};

const char *launch_target_name(enum launch_target t)
{
	return (t >= 0 && t < LAUNCH_COUNT) ? target_names[t] : "?";
}

bool launch_target_find(const char *name, enum launch_target *out)
{
	for (int i = 0; i < LAUNCH_COUNT; i++) {
		if (!strcasecmp(target_names[i], name)) {
			*out = (enum launch_target)i;
			return true;
		}
	}
	return false;
}

/* Append to a fixed buffer, tracking the length it would need. */
struct out {
	char *buf;
	size_t n, len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = o->len < o->n ? o->n - o->len : 0;
	int w = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (w > 0)
		o->len += (size_t)w;
}

static void llama_server(const struct launch_input *in, struct out *o)
{
	const struct settings *s = in->settings;
	const struct model_arch *a = &in->model->arch;
	uint32_t n_layers_all = arch_ngl_layers(a);
	char note[160] = "";

	if (ftype_get(s->ftype)->engine == FT_VLLM && !s->file_types) {
		put(o,
		    "# %s is a vLLM checkpoint format: choose a llama.cpp quant (-q Q4_K_M, ...) "
		    "for llama-server",
		    ftype_get(s->ftype)->name);
		return;
	}
	if (in->model_path)
		put(o, "llama-server -m %s", in->model_path);
	else
		put(o, "llama-server -m %s-%s.gguf", in->meta->id, ftype_get(s->ftype)->name);
	if (in->mmproj_path && s->mmproj_bytes)
		put(o, " --mmproj %s", in->mmproj_path);
	put(o, " -c %llu", (unsigned long long)s->ctx_tokens);
	if (s->n_seq > 1 || s->kv_unified)
		put(o, " -np %u", s->n_seq);
	if (s->kv_unified)
		put(o, " --kv-unified");
	if (s->n_ubatch != 512)
		put(o, " -ub %u", s->n_ubatch);
	put(o, " -ctk %s -ctv %s", kvtype_get(s->kv_k)->name, kvtype_get(s->kv_v)->name);
	put(o, " -fa %s", s->flash_attn ? "on" : "off");
	if (s->swa_full)
		put(o, " --swa-full");
	if (s->spec_draft && a->n_mtp)
		put(o, " --spec-type draft-mtp --spec-draft-n-max %u", s->spec_draft);
	switch (s->offload) {
	case OFFLOAD_GPU:
		put(o, " -ngl %u", n_layers_all);
		break;
	case OFFLOAD_CPU_MOE:
		put(o, " -ngl %u --cpu-moe", n_layers_all);
		break;
	case OFFLOAD_N_CPU_MOE:
		put(o, " -ngl %u", n_layers_all);
		if (s->offload_layers)
			put(o, " --n-cpu-moe %u", s->offload_layers);
		break;
	case OFFLOAD_EXPERT_FRACTION: {
		/* no flag keeps a share of hot experts; the nearest is moving the
		 * experts of whole layers */
		uint32_t n = (uint32_t)((1.0 - s->expert_gpu_share) * a->n_layer + 0.5);
		put(o, " -ngl %u --n-cpu-moe %u", n_layers_all, n);
		snprintf(
		    note, sizeof(note),
		    "# llama.cpp has no resident-expert share; --n-cpu-moe %u moves the experts "
		    "of as many layers (%.0f %%)",
		    n, 100.0 * (1.0 - s->expert_gpu_share));
		break;
	}
	case OFFLOAD_NGL:
		put(o, " -ngl %u", s->offload_layers);
		break;
	case OFFLOAD_CPU:
		put(o, " -ngl 0");
		break;
	default:
		break;
	}
	if (in->gpu_count > 1 && s->offload != OFFLOAD_CPU) {
		put(o, " --split-mode layer -ts ");
		for (uint32_t k = 0; k < in->gpu_count; k++) {
			if (in->tensor_split)
				put(o, "%s%.0f", k ? "," : "", in->tensor_split[k]);
			else
				put(o, "%s1", k ? "," : "");
		}
	}
	if (note[0])
		put(o, "\n%s", note);
}

static void vllm(const struct launch_input *in, struct out *o)
{
	const struct settings *s = in->settings;
	const char *repo = in->meta->hf_repo[0] ? in->meta->hf_repo : in->meta->id;
	double util = in->gpu_memory_utilization > 0 ? in->gpu_memory_utilization : 0.9;
	/* vLLM's max_model_len is per request.  In vLLM mode -c is that
	 * already; llama.cpp's -c is shared by its -np sequences. */
	bool vllm_mode = ftype_get(s->ftype)->engine == FT_VLLM && !s->file_types;
	uint64_t per_seq =
	    vllm_mode || s->kv_unified || s->n_seq <= 1 ? s->ctx_tokens : s->ctx_tokens / s->n_seq;
	uint32_t pp = vllm_mode && s->pp_size > 1 ? s->pp_size : 1;
	uint32_t tp = in->gpu_count / pp ? in->gpu_count / pp : 1;
	char note[200] = "";

	put(o, "vllm serve %s --max-model-len %llu --max-num-seqs %u", repo,
	    (unsigned long long)per_seq, s->n_seq);
	if (vllm_mode && s->batched_tokens)
		put(o, " --max-num-batched-tokens %u", s->batched_tokens);
	if (vllm_mode && s->prefix_caching != VLLM_PREFIX_DEFAULT)
		put(o, s->prefix_caching == VLLM_PREFIX_ON ? " --enable-prefix-caching"
		                                           : " --no-enable-prefix-caching");
	if (vllm_mode && s->kv_cache_memory)
		put(o, " --kv-cache-memory %llu", (unsigned long long)s->kv_cache_memory);
	/* vLLM's MTP drafter: --speculative-tokens, or a llama.cpp estimate's
	 * --spec mtp:N carried over */
	uint32_t spec_n = vllm_mode ? s->spec_tokens : in->model->arch.n_mtp ? s->spec_draft : 0;
	if (spec_n)
		put(o,
		    " --speculative-config '{\"method\": \"mtp\", \"num_speculative_tokens\": %u}'",
		    spec_n);
	put(o, " --gpu-memory-utilization %.2f", util);
	put(o, " --kv-cache-dtype %s", s->kv_k == KV_FP8 ? "fp8" : "auto");
	if (tp > 1)
		put(o, " --tensor-parallel-size %u", tp);
	if (pp > 1)
		put(o, " --pipeline-parallel-size %u", pp);
	if (vllm_mode && s->text_only && in->model->arch.vision_params)
		put(o, " --limit-mm-per-prompt '{\"image\": 0, \"video\": 0}'");
	const struct model_arch *a = &in->model->arch;
	if (tp > 1 && a->n_head % tp != 0)
		snprintf(note, sizeof(note),
		         "# vLLM needs the tensor-parallel size to divide the %u attention heads",
		         a->n_head);
	if (pp > 1 && in->gpu_count % pp != 0)
		snprintf(note, sizeof(note),
		         "# %u GPUs are not a whole number of %u pipeline stages", in->gpu_count,
		         pp);
	if (ftype_get(s->ftype)->engine == FT_LLAMACPP || s->file_types)
		snprintf(
		    note, sizeof(note),
		    "# vLLM serves the Hugging Face checkpoint, not this GGUF: estimate it with "
		    "--engine vllm");
	switch (s->ftype) {
	case FT_V_FP8:
		put(o, " --quantization fp8");
		break;
	case FT_V_AWQ:
	case FT_V_GPTQ:
	case FT_V_NVFP4:
	case FT_V_MXFP4:
		snprintf(note, sizeof(note),
		         "# serve a %s checkpoint of this model (vLLM reads the format from its "
		         "config)",
		         ftype_get(s->ftype)->name);
		break;
	default:
		break;
	}
	bool moves =
	    s->offload == OFFLOAD_CPU_MOE || s->offload == OFFLOAD_CPU ||
	    (s->offload == OFFLOAD_N_CPU_MOE && s->offload_layers > 0) ||
	    (s->offload == OFFLOAD_EXPERT_FRACTION && s->expert_gpu_share < 1.0) ||
	    (s->offload == OFFLOAD_NGL && s->offload_layers < arch_ngl_layers(&in->model->arch));
	if (moves) {
		size_t l = strlen(note);
		snprintf(note + l, sizeof(note) - l,
		         "%s# vLLM keeps every weight on the GPU: the %s "
		         "offload has no vLLM equivalent",
		         l ? "\n" : "", offload_mode_name(s->offload));
	}
	if (note[0])
		put(o, "\n%s", note);
}

size_t launch_command(enum launch_target t, const struct launch_input *in, char *buf, size_t n)
{
	struct out o = {buf, n, 0};
	if (n)
		buf[0] = '\0';
	if (t == LAUNCH_LLAMA_SERVER)
		llama_server(in, &o);
	else if (t == LAUNCH_VLLM)
		vllm(in, &o);
	return o.len;
}

/*
 * config.c - changing the live configuration as a whole: selecting a
 * model (and keeping the settings meaningful for it), the engine whose
 * accounting the settings follow, and the quant order position.
 *
 * The sliders (sliders.c), the pickers, the compare and models views call
 * these; undo, recalculation and drawing are the caller's business.
 */
#include <assert.h>
#include <stdio.h>

#include "session.h"

int session_quant_pos(const struct session *s, enum ftype f)
{
	const enum ftype *order = session_quant_order(s, s->config.cur.model);
	for (int i = 0; i < FT_COUNT; i++)
		if (order[i] == f)
			return i;
	assert(!"quant missing from the quant order");
	return 0;
}

bool session_offload_moves_experts(enum offload_mode m)
{
	return m == OFFLOAD_CPU_MOE || m == OFFLOAD_N_CPU_MOE || m == OFFLOAD_EXPERT_FRACTION;
}

/* Keep settings meaningful for the model now selected. */
static void fit_settings_to_model(struct session *s)
{
	const struct model_arch *a = &session_model(s, s->config.cur.model)->arch;
	struct settings *st = &s->config.cur.set;
	if (session_offload_moves_experts(st->offload) && !a->n_expert) {
		st->offload = OFFLOAD_GPU;
		session_status(s, STATUS_INFO, "offload: %s has no experts, everything on the GPU",
		               a->gguf_arch);
	}
	if (st->offload == OFFLOAD_N_CPU_MOE && st->offload_layers > a->n_layer)
		st->offload_layers = a->n_layer;
	if (st->offload == OFFLOAD_NGL && st->offload_layers > arch_ngl_layers(a))
		st->offload_layers = arch_ngl_layers(a);
	if (arch_is_mla(a) && st->kv_v != st->kv_k)
		st->kv_v = st->kv_k;
	if (st->file_types && s->config.cur.model != s->file_model)
		st->file_types = false;
}

void session_select_model(struct session *s, size_t i)
{
	assert(i < s->cat->n);
	s->config.cur.model = i;
	fit_settings_to_model(s);
}

enum ftype_engine config_engine(const struct config *c)
{
	const struct settings *st = &c->set;
	return ftype_get(st->ftype)->engine == FT_VLLM && !st->file_types ? FT_VLLM : FT_LLAMACPP;
}

enum ftype_engine session_engine(const struct session *s)
{
	return config_engine(&s->config.cur);
}

static bool kv_ok(enum kvtype k, enum ftype_engine e)
{
	return e == FT_VLLM ? kvtype_get(k)->vllm : kvtype_get(k)->llamacpp;
}

bool session_kv_for_engine(struct settings *st, enum ftype_engine e)
{
	if (kv_ok(st->kv_k, e) && kv_ok(st->kv_v, e))
		return false;
	enum kvtype want = KV_F16;
	if (kvtype_get(st->kv_k)->quantized || kvtype_get(st->kv_v)->quantized)
		want = e == FT_VLLM ? KV_FP8 : st->flash_attn ? KV_Q8_0 : KV_F16;
	st->kv_k = st->kv_v = want;
	return true;
}

bool session_set_engine(struct session *s, enum ftype_engine e)
{
	struct settings *st = &s->config.cur.set;
	enum ftype_engine was = session_engine(s);
	if (was == e)
		return false;
	s->config.engine_ftype[was] = st->ftype;
	if (was == FT_LLAMACPP)
		s->config.engine_file_types = st->file_types;
	st->ftype = s->config.engine_ftype[e];
	st->file_types =
	    e == FT_LLAMACPP && s->config.engine_file_types && s->config.cur.model == s->file_model;
	/* A remembered quant of the other engine (a file's stored vLLM type
	 * on another model) would not switch: start from the default. */
	if (!st->file_types && ftype_get(st->ftype)->engine != e)
		st->ftype = e == FT_VLLM ? FT_V_BF16 : FT_Q4_K_M;
	char also[160] = "";
	size_t n = 0;
	if (session_kv_for_engine(st, e))
		n += (size_t)snprintf(also + n, sizeof(also) - n, "; KV cache %s",
		                      kvtype_get(st->kv_k)->name);
	if (e == FT_VLLM && st->offload != OFFLOAD_GPU) {
		st->offload = OFFLOAD_GPU;
		snprintf(also + n, sizeof(also) - n,
		         "; everything on the GPU (vLLM has no llama.cpp offload)");
	}
	session_status(s, STATUS_INFO, "engine: %s, %s%s",
	               e == FT_VLLM ? "vLLM accounting" : "llama.cpp accounting",
	               st->file_types ? "types as stored in the file" : ftype_get(st->ftype)->name,
	               also);
	return true;
}

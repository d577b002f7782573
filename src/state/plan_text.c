/*
 * plan_text.c - solver answers and speed estimates in the words the CLI's
 * report and the TUI's plan view both print.
 */
#include "plan_text.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

const char *plan_answer_text(enum solve_what what, const struct solve_result *r,
                             const struct model *m, char *buf, size_t n)
{
	const struct settings *s = &r->settings;
	char t[32];
	switch (what) {
	case SOLVE_CONTEXT:
		snprintf(buf, n, "context %s tokens", fmt_thousands(t, sizeof(t), s->ctx_tokens));
		break;
	case SOLVE_QUANT:
		snprintf(buf, n, "quant %s", ftype_get(s->ftype)->name);
		break;
	case SOLVE_GPUS:
		snprintf(buf, n, "%u device%s", r->gpu_count, r->gpu_count > 1 ? "s" : "");
		break;
	case SOLVE_BATCH: {
		/* llama.cpp shares -c among the sequences; vLLM's is per request */
		bool vllm = ftype_get(s->ftype)->engine == FT_VLLM && !s->file_types;
		uint64_t per = vllm ? s->ctx_tokens : s->ctx_tokens / (s->n_seq ? s->n_seq : 1);
		snprintf(buf, n, "%u %s%s of %s tokens", s->n_seq, vllm ? "request" : "sequence",
		         s->n_seq == 1 ? "" : "s", fmt_thousands(t, sizeof(t), per));
		break;
	}
	case SOLVE_OFFLOAD:
		if (s->offload == OFFLOAD_N_CPU_MOE)
			snprintf(buf, n, "--n-cpu-moe %u (experts of %u layers in host memory)",
			         s->offload_layers, s->offload_layers);
		else
			snprintf(buf, n, "-ngl %u (%u of %u layer slots on the GPU)",
			         s->offload_layers, s->offload_layers, m->arch.n_layer + 1);
		break;
	default:
		snprintf(buf, n, "?");
	}
	return buf;
}

/* What "found" means for each solver: the answer fits, one step beyond
 * it does not. */
static const char *const found_words[SOLVE_COUNT] = {
    [SOLVE_CONTEXT] = "the largest that fits; 256 tokens more do not",
    [SOLVE_QUANT] = "the highest precision that fits; the next quant up does not",
    [SOLVE_GPUS] = "the fewest that fit; one fewer does not",
    [SOLVE_BATCH] = "the most that fit; one more does not",
    [SOLVE_OFFLOAD] = "the least offload that fits; one step less does not",
};

const char *plan_status_text(enum solve_what what, enum solve_status st)
{
	assert(what >= 0 && what < SOLVE_COUNT);
	switch (st) {
	case SOLVE_FOUND:
		return found_words[what];
	case SOLVE_AT_MAX:
		return "the whole range fits";
	default:
		return "nothing fits; shown at the smallest step";
	}
}

const char *plan_status_word(enum solve_status st)
{
	return st == SOLVE_FOUND    ? "found"
	       : st == SOLVE_AT_MAX ? "whole range fits"
	                            : "nothing fits";
}

void plan_speed_text(const struct device *d, uint32_t n_seq, const struct speed *sp,
                     const struct speed_params *p, char lines[PLAN_SPEED_LINES][PLAN_TEXT_LINE])
{
	char a[32], b[32], more[96] = "", host[96] = "", band[64];
	const char *engine = sp->backend >= 0 ? speed_backend_name(sp->backend) : "?";
	if (sp->n_devices > 1)
		snprintf(lines[0], PLAN_TEXT_LINE,
		         "speed on a layer split of %u devices in turn (assumptions of %s, which holds "
		         "the most layers), llama.cpp %s backend (estimates: 4 in 5 real runs fall in "
		         "the band)",
		         sp->n_devices, d->name, engine);
	else
		snprintf(lines[0], PLAN_TEXT_LINE,
		         "speed on %s, llama.cpp %s backend (estimates: 4 in 5 real runs fall in the band)",
		         d->name, engine);
	if (n_seq > 1)
		snprintf(more, sizeof(more), ", about %s over %u sequences",
		         speed_format_number(sp->decode_tps_total, a, sizeof(a)), n_seq);
	if (sp->host_bytes_per_token)
		snprintf(host, sizeof(host), " and %s from host memory at %.0f GB/s",
		         fmt_gib(b, sizeof(b), (double)sp->host_bytes_per_token),
		         d->unified ? d->bandwidth_gbps : p->host_bandwidth_gbps);
	snprintf(lines[1], PLAN_TEXT_LINE,
	         "decode   %s per sequence%s (reads %s from GPU memory%s per token)",
	         speed_format_band(sp->decode_tps, sp->decode_band, band, sizeof(band)), more,
	         fmt_gib(a, sizeof(a), (double)sp->gpu_bytes_per_token), host);
	if (sp->compute_known)
		snprintf(lines[2], PLAN_TEXT_LINE,
		         "prefill  %s; time to first token for a %s-token prompt: about %s s",
		         speed_format_band(sp->prefill_tps, sp->prefill_band, band, sizeof(band)),
		         fmt_thousands(a, sizeof(a), p->prompt_tokens),
		         speed_format_number(sp->ttft_s, b, sizeof(b)));
	else
		snprintf(lines[2], PLAN_TEXT_LINE,
		         "prefill  unknown (the hardware profile states no tensor TFLOPS)");
	char pre[128] = "";
	if (sp->compute_known)
		snprintf(pre, sizeof(pre), "; prefill on %s at %.0f %% of %.0f dense T%s",
		         sp->prefill_path, 100 * sp->compute_efficiency, sp->prefill_rate_tflops,
		         strstr(sp->prefill_path, "INT8") ? "OPS" : "FLOPS");
	snprintf(lines[3], PLAN_TEXT_LINE,
	         "assumes  %.0f %% of %.0f GB/s %s for the weights (quant mix), %.1f ms per token "
	         "of %s overhead%s",
	         100 * sp->bandwidth_efficiency, d->bandwidth_gbps,
	         hw_mem_kind_name(d->memory_kind), 1e3 * sp->overhead_s, engine, pre);
}

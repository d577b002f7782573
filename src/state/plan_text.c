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
			         s->offload_layers, s->offload_layers, arch_ngl_layers(&m->arch));
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
	/* the device whose assumptions are stated: the group with most layers */
	const struct device *sd = d;
	double best = -1;
	for (uint32_t k = 0; k < sp->n_parts; k++) {
		if (sp->part[k].share > best) {
			best = sp->part[k].share;
			sd = sp->part[k].dev;
		}
	}
	const char *backend = backend_get(sp->backend)->label;
	char engine[64];
	if (sp->engine && !strcmp(sp->engine, "vLLM"))
		snprintf(engine, sizeof(engine), "vLLM on %s", backend);
	else
		snprintf(engine, sizeof(engine), "llama.cpp %s backend", backend);
	const char *trust =
	    sp->calibrated ? "estimates: 4 in 5 real runs fall in the band"
	                   : "UNCALIBRATED: stated assumptions, no measured run of this engine "
	                     "checks them";
	if (!sp->n_parts)
		snprintf(lines[0], PLAN_TEXT_LINE,
		         "speed on the CPU alone (no GPU backend), %s (%s)",
		         sp->engine ? sp->engine : "llama.cpp", trust);
	else if (sp->n_parts > 1)
		snprintf(
		    lines[0], PLAN_TEXT_LINE,
		    "speed on a layer split of %u devices in turn, each with its own bandwidth "
		    "and backend (assumptions below of %s, which holds the most layers), %s (%s)",
		    sp->n_devices, sd->name, engine, trust);
	else
		snprintf(lines[0], PLAN_TEXT_LINE, "speed on %s, %s (%s)", sd->name, engine, trust);
	if (n_seq > 1)
		snprintf(more, sizeof(more), ", about %s over %u sequences",
		         speed_format_number(sp->decode_tps_total, a, sizeof(a)), n_seq);
	bool unified = sp->n_parts && sd->unified;
	if (sp->host_bytes_per_token)
		snprintf(host, sizeof(host), " and %s from host memory at %.0f GB/s",
		         fmt_gib(b, sizeof(b), (double)sp->host_bytes_per_token),
		         unified ? sd->bandwidth_gbps : p->host_bandwidth_gbps);
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
	else if (!sp->n_parts)
		snprintf(lines[2], PLAN_TEXT_LINE,
		         "prefill  unknown (vramcalc has no compute model of the CPU)");
	else
		snprintf(lines[2], PLAN_TEXT_LINE,
		         "prefill  unknown (a hardware profile states no tensor TFLOPS)");
	char pre[128] = "";
	if (sp->compute_known)
		snprintf(pre, sizeof(pre), "; prefill on %s at %.0f %% of %.0f dense T%s",
		         sp->prefill_path, 100 * sp->compute_efficiency, sp->prefill_rate_tflops,
		         strstr(sp->prefill_path, "INT8") ? "OPS" : "FLOPS");
	if (sp->n_parts)
		snprintf(
		    lines[3], PLAN_TEXT_LINE,
		    "assumes  %.0f %% of %.0f GB/s %s for the weights (quant mix), %.1f ms per "
		    "token of %s overhead%s",
		    100 * sp->bandwidth_efficiency, sd->bandwidth_gbps,
		    hw_mem_kind_name(sd->memory_kind), 1e3 * sp->overhead_s, backend, pre);
	else
		snprintf(lines[3], PLAN_TEXT_LINE,
		         "assumes  %.0f GB/s of host memory read at 70 %%, %.1f ms per token of "
		         "overhead",
		         p->host_bandwidth_gbps, 1e3 * sp->overhead_s);
	/* a mixed split: every group's part of a decode step */
	lines[4][0] = '\0';
	size_t o = 0;
	for (uint32_t k = 0; sp->n_parts > 1 && k < sp->n_parts && o + 1 < PLAN_TEXT_LINE; k++) {
		const struct speed_part *pt = &sp->part[k];
		char cnt[16] = "";
		if (pt->count > 1)
			snprintf(cnt, sizeof(cnt), "x%u", pt->count);
		int w = snprintf(lines[4] + o, PLAN_TEXT_LINE - o,
		                 "%s%s%s %.0f %% of the layers, %s, %.0f GB/s, %s ms a token",
		                 k ? "; " : "split    ", pt->dev->id, cnt, 100 * pt->share,
		                 backend_get(pt->backend)->label, pt->dev->bandwidth_gbps,
		                 speed_format_number(1e3 * pt->decode_s, a, sizeof(a)));
		if (w < 0)
			break;
		o += (size_t)w;
	}
}

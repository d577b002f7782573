/*
 * options.c - walk argv through the settings-field table (fields.h), then
 * check the options against each other; print --help from the same table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "plan.h"

/* The left column of a row in --help: "-c, --context N". */
static void help_left(const struct field *f, char *buf, size_t n)
{
	if (f->short_flag)
		snprintf(buf, n, "-%c, --%s%s%s", f->short_flag, f->flag, f->arg ? " " : "",
		         f->arg ? f->arg : "");
	else
		snprintf(buf, n, "    --%s%s%s", f->flag, f->arg ? " " : "", f->arg ? f->arg : "");
}

void cli_print_help(FILE *out)
{
	fprintf(out, "usage: vramcalc [options]\n"
	             "How much GPU memory does this LLM need, and what hardware runs it?\n\n");
	for (const struct field *f = field_table; f->parse; f++) {
		if (!f->flag)
			continue;
		char left[64];
		help_left(f, left, sizeof(left));
		/* a default that is not the word "no" of a bare flag */
		bool show_def = f->def && f->arg && f->kind != FIELD_TEXT;
		fprintf(out, "  %-28s %s%s%s%s\n", left, f->help, show_def ? "; default " : "",
		        show_def ? f->def : "", "");
	}
	fprintf(out, "\nWithout --json, --print or --list on a terminal, vramcalc opens its "
	             "interactive view.\nSizes: GiB = 2^30 bytes, GB = 10^9 bytes.\n");
}

#define USAGE(...)                                                                                 \
	do {                                                                                       \
		snprintf(err, errlen, __VA_ARGS__);                                                \
		return false;                                                                      \
	} while (0)

bool cli_parse(int argc, char **argv, bool stdout_is_tty, struct cli_options *o, char *err,
               size_t errlen)
{
	options_default(o);

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct field *f = NULL;
		const char *val = NULL;
		if (a[0] == '-' && a[1] == '-' && a[2]) {
			const char *eq = strchr(a + 2, '=');
			size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			f = field_find_flag(a + 2, len);
			if (!f)
				USAGE("unknown option '%s' (see vramcalc --help)", a);
			if (eq) {
				if (!f->arg)
					USAGE("option '--%s' takes no value", f->flag);
				val = eq + 1;
			}
		} else if (a[0] == '-' && a[1] && !a[2]) {
			f = field_find_short(a[1]);
			if (!f)
				USAGE("unknown option '%s' (see vramcalc --help)", a);
		} else {
			USAGE("unexpected argument '%s' (see vramcalc --help)", a);
		}
		if (f->arg && !val) {
			if (i + 1 >= argc)
				USAGE("option '--%s' needs a value (%s)", f->flag, f->arg);
			val = argv[++i];
		}
		char why[256];
		if (!field_parse(f, val, o, why, sizeof(why)))
			USAGE("--%s: %s", f->flag, why);
		if (f->vllm_only && !o->vllm_option)
			o->vllm_option = f->flag;
	}
	/* vLLM's own options select it */
	if (o->vllm_option) {
		if (o->engine_given && o->engine != FT_VLLM)
			USAGE("--%s is a vLLM option; it means nothing with --engine llama.cpp",
			      o->vllm_option);
		if (!o->engine_given && o->quant_given &&
		    ftype_get(o->settings.ftype)->engine != FT_VLLM)
			USAGE("--%s is a vLLM option, but --quant %s is a llama.cpp format",
			      o->vllm_option, ftype_get(o->settings.ftype)->name);
		o->engine = FT_VLLM;
		o->engine_given = true;
	}
	if (o->engine_given) {
		enum ftype_engine qe = ftype_get(o->settings.ftype)->engine;
		if (!o->quant_given && o->engine == FT_VLLM)
			o->settings.ftype = FT_V_BF16;
		else if (qe != o->engine)
			USAGE("--quant %s is a %s format, not one for --engine %s",
			      ftype_get(o->settings.ftype)->name,
			      qe == FT_VLLM ? "vLLM" : "llama.cpp",
			      o->engine == FT_VLLM ? "vllm" : "llama.cpp");
	}
	/* llama-server without -np: four slots sharing one unified KV cache. */
	if (o->settings.tool == TOOL_SERVER && !o->parallel_given && !o->batch_given) {
		o->settings.n_seq = 4;
		o->settings.kv_unified = true;
	}
	if (o->solve >= 0 && o->n_gpu_groups > 1)
		USAGE("--solve works on one device type; -g names %d", o->n_gpu_groups);
	if (o->solve >= 0 && !o->n_gpu_groups && !o->gpu_auto)
		USAGE("--solve %s needs the hardware to fit on: add -g ID[xN]",
		      solve_name((enum solve_what)o->solve));
	if (o->free_memory && o->n_gpu_groups)
		USAGE("--free subtracts the memory in use of detected devices (-g auto), not of "
		      "profiles such as -g %s",
		      o->gpu_group_id[0]);
	if (o->detect && o->rank)
		USAGE("--detect and --rank are two different requests; give one");
	o->tui = stdout_is_tty && !o->json && !o->text && o->list == LIST_NONE && !o->help &&
	         !o->version && o->solve < 0 && o->emit < 0 && !o->save_profile && !o->detect &&
	         !o->rank;
	const struct rank_filter *rf = &o->rank_filter;
	const char *filter = rf->family[0]                      ? "family"
	                     : rf->min_params || rf->max_params ? "size"
	                     : rf->kind != RANK_KIND_ANY        ? "kind"
	                     : rf->min_ctx_tokens               ? "min-context"
	                     : rf->fitting_only                 ? "fitting"
	                                                        : NULL;
	if (filter && !o->rank && !o->tui)
		USAGE("--%s filters the ranking: add --rank (or press m in the interactive view)",
		      filter);
	return true;
}

/*
 * test_fields.c - the settings-field table: every field formats to text
 * that parses back to the same value, defaults agree with the engine's,
 * --help is the table, and the man page documents every flag the way
 * --help spells it.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fields.h"
#include "truth.h"

/* Options with every field away from its default, set through the table
 * (so this also proves each value is accepted). */
static void options_unusual(struct cli_options *o, const char *const *pairs)
{
	options_default(o);
	for (const char *const *p = pairs; *p; p += 2) {
		char why[256];
		const struct field *f = field_find(p[0]);
		cr_assert_not_null(f, "no field %s", p[0]);
		cr_assert(field_parse(f, p[1], o, why, sizeof(why)), "%s %s: %s", p[0], p[1], why);
	}
}

/* Format every field of o, parse each text into fresh defaults, and
 * format again: the text must come back the same. */
static void expect_round_trip(const struct cli_options *o, const char *what)
{
	int formatted = 0;
	for (const struct field *f = field_table; f->parse; f++) {
		char a[512], b[512], why[256];
		if (!field_format(f, o, a, sizeof(a)))
			continue;
		formatted++;
		struct cli_options back;
		options_default(&back);
		/* the count of one device type needs that device type */
		if (!strcmp(field_name(f), "gpu_count"))
			back.n_gpu_groups = 1;
		cr_assert(field_parse(f, a, &back, why, sizeof(why)), "%s: %s '%s': %s", what,
		          field_name(f), a, why);
		cr_assert(field_format(f, &back, b, sizeof(b)), "%s: %s", what, field_name(f));
		cr_expect_str_eq(b, a, "%s: %s does not round-trip", what, field_name(f));
	}
	cr_assert_gt(formatted, 10, "%s: only %d fields formatted", what, formatted);
}

Test(fields, every_field_round_trips_format_then_parse)
{
	static const char *const unusual[][40] = {
	    {"model",      "kimi-k2.6",  "quant",    "IQ4_XS",   "context",    "262144",
	     "batch",      "7",          "kv-type",  "q8_0,f16", "offload",    "expert-share=0.35",
	     "gpu",        "h100-sxmx4", "ubatch",   "2048",     "flash-attn", "off",
	     "kv-unified", NULL,         "swa-full", NULL,       "engine",     "llama.cpp",
	     "gpu-util",   "0.85",       "solve",    "context",  "emit",       "vllm",
	     "gpu-share",  "0.75",       "prompt",   "16k",      "host-bw",    "51.2",
	     NULL},
	    {"quant", "file", "offload", "n-cpu-moe=12", "gpu", "rtx-4090,rtx-3060-12gbx2",
	     "gpu-util", "72%", "kv-type", "iq4_nl", "context", "1M", NULL},
	    {"offload", "ngl=5", "gpu", "rtx-4090", "gpu_count", "3", "quant", "vllm-bf16",
	     "engine", "vllm", "kv-type", "fp8", NULL},
	    {"offload", "cpu-moe", NULL},
	    {"offload", "cpu", NULL},
	};
	struct cli_options o;
	options_default(&o);
	expect_round_trip(&o, "defaults");
	for (size_t i = 0; i < sizeof(unusual) / sizeof(unusual[0]); i++) {
		char what[32];
		snprintf(what, sizeof(what), "set %zu", i);
		options_unusual(&o, unusual[i]);
		expect_round_trip(&o, what);
	}
	/* the values themselves, not only the text */
	options_unusual(&o, unusual[0]);
	cr_expect_eq(o.settings.ctx_tokens, 262144);
	cr_expect_eq(o.settings.kv_k, KV_Q8_0);
	cr_expect_eq(o.settings.kv_v, KV_F16);
	cr_expect_eq(o.settings.offload, OFFLOAD_EXPERT_FRACTION);
	cr_expect_eq(o.settings.expert_gpu_share, 0.35);
	cr_expect_eq(o.gpu_group_count[0], 4);
	cr_expect_eq(o.prompt_tokens, 16384);
	cr_expect(o.settings.kv_unified && o.settings.swa_full && !o.settings.flash_attn);
	options_unusual(&o, unusual[1]);
	cr_expect_eq(o.n_gpu_groups, 2);
	cr_expect_str_eq(o.gpu_group_id[1], "rtx-3060-12gb");
	cr_expect_eq(o.gpu_group_count[1], 2);
	cr_expect_eq(o.settings.gpu_util, 0.72);
	cr_expect(o.settings.file_types && !o.quant_given);
}

Test(fields, defaults_are_the_engines)
{
	struct cli_options o;
	struct settings e;
	options_default(&o);
	estimate_settings_default(&e);
	cr_expect_eq(o.settings.ftype, e.ftype);
	cr_expect_eq(o.settings.ctx_tokens, e.ctx_tokens);
	cr_expect_eq(o.settings.n_seq, e.n_seq);
	cr_expect_eq(o.settings.kv_k, e.kv_k);
	cr_expect_eq(o.settings.kv_v, e.kv_v);
	cr_expect_eq(o.settings.n_ubatch, e.n_ubatch);
	cr_expect_eq(o.settings.gpu_util, e.gpu_util);
	cr_expect_eq(o.settings.flash_attn, e.flash_attn);
	cr_expect_eq(o.settings.kv_unified, e.kv_unified);
	cr_expect_eq(o.settings.swa_full, e.swa_full);
	cr_expect_eq(o.settings.offload, e.offload);
	cr_expect_str_eq(o.model, CLI_DEFAULT_MODEL);
	cr_expect_eq(o.n_gpu_groups, 0);
	cr_expect_not(o.quant_given);
}

Test(fields, one_grammar_per_kind_of_value)
{
	struct cli_options o;
	char why[256];
	options_default(&o);
	const struct field *off = field_find("offload");
	/* "=" or ":" before the amount, everywhere */
	cr_assert(field_parse(off, "n-cpu-moe:7", &o, why, sizeof(why)), "%s", why);
	cr_expect_eq(o.settings.offload_layers, 7);
	cr_assert(field_parse(off, "expert-share=25%", &o, why, sizeof(why)), "%s", why);
	cr_expect_eq(o.settings.expert_gpu_share, 0.25);
	cr_expect_not(field_parse(off, "gpu=3", &o, why, sizeof(why)));
	cr_expect(strstr(why, "takes no amount"), "%s", why);
	cr_expect_not(field_parse(off, "ngl=100001", &o, why, sizeof(why)));
	cr_expect(strstr(why, "100000"), "%s", why);
	/* booleans: on/off and yes/no are the same words for every flag */
	const struct field *fa = field_find("flash_attn"), *ku = field_find("kv_unified");
	cr_assert(field_parse(fa, "no", &o, why, sizeof(why)));
	cr_expect_not(o.settings.flash_attn);
	cr_assert(field_parse(ku, "on", &o, why, sizeof(why)));
	cr_expect(o.settings.kv_unified);
	cr_expect_not(field_parse(ku, "maybe", &o, why, sizeof(why)));
	/* a share: 0.9, 90% or 90 */
	const struct field *gu = field_find("gpu-util");
	cr_assert(field_parse(gu, "90", &o, why, sizeof(why)));
	cr_expect_eq(o.settings.gpu_util, 0.9);
	cr_expect_not(field_parse(gu, "0", &o, why, sizeof(why)), "above 0");
	cr_expect_not(field_parse(gu, "1.5", &o, why, sizeof(why)));
	/* a device count inside -g: the same limit as gpu_count */
	const struct field *g = field_find("gpu");
	cr_expect_not(field_parse(g, "rtx-4090x65", &o, why, sizeof(why)));
	cr_expect(strstr(why, "'65' is not a device count from 1 to 64"), "%s", why);
	cr_assert(field_parse(g, "rtx-4090", &o, why, sizeof(why)));
	cr_expect_str_eq(o.gpu_group_id[0], "rtx-4090");
	cr_expect_eq(o.gpu_group_count[0], 1);
	char d[32];
	cr_expect_str_eq(field_format_double(d, sizeof(d), 0.1), "0.1");
	cr_expect_eq(strtod(field_format_double(d, sizeof(d), 1.0 / 3.0), NULL), 1.0 / 3.0);
}

Test(fields, help_is_the_table_with_its_defaults)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	cli_print_help(f);
	fclose(f);
	int n = 0;
	for (const struct field *fd = field_table; fd->parse; fd++) {
		if (!fd->flag)
			continue;
		n++;
		char want[128];
		snprintf(want, sizeof(want), "--%s%s%s ", fd->flag, fd->arg ? " " : "",
		         fd->arg ? fd->arg : "");
		const char *at = strstr(out, want);
		cr_expect_not_null(at, "--help lacks '%s'", want);
		cr_expect(at && strstr(at, fd->help), "--help lacks the help of --%s", fd->flag);
	}
	cr_expect_gt(n, 20);
	cr_expect(strstr(out, "physical batch (llama.cpp -ub); default 512"), "%s", out);
	free(out);
}

/* One man-page macro line as it reads on the page: the arguments of .B,
 * .BR, .BI (joined without spaces, quotes honoured), font escapes
 * dropped, \- as -. */
static void man_heading(const char *line, char *out, size_t n)
{
	size_t o = 0;
	const char *p = line;
	while (*p && *p != ' ')
		p++;
	bool quoted = false;
	for (; *p && o + 1 < n; p++) {
		if (*p == '"') {
			quoted = !quoted;
		} else if (*p == ' ') {
			continue; /* compared without spaces */
		} else if (p[0] == '\\' && p[1] == 'f' && p[2]) {
			p += 2;
		} else if (p[0] == '\\' && p[1] == '-') {
			out[o++] = '-';
			p++;
		} else {
			out[o++] = *p;
		}
	}
	out[o] = '\0';
}

/* A row's --help column without spaces, as man_heading reads the man
 * page: "-c,--contextN". */
static void field_heading(const struct field *f, char *want, size_t n)
{
	if (f->short_flag)
		snprintf(want, n, "-%c,--%s%s", f->short_flag, f->flag, f->arg ? f->arg : "");
	else
		snprintf(want, n, "--%s%s", f->flag, f->arg ? f->arg : "");
}

Test(fields, man_page_documents_every_field)
{
	char *man = truth_slurp("man/vramcalc.1", NULL);
	cr_assert_not_null(man, "man/vramcalc.1 unreadable");
	/* every .TP heading, as it reads */
	char headings[200][160];
	int nh = 0;
	for (char *p = man; (p = strstr(p, "\n.TP\n")) && nh < 200;) {
		p += 5;
		char line[256];
		size_t l = strcspn(p, "\n");
		snprintf(line, sizeof(line), "%.*s", (int)l, p);
		man_heading(line, headings[nh++], sizeof(headings[0]));
	}
	for (const struct field *f = field_table; f->parse; f++) {
		if (!f->flag)
			continue;
		char want[160];
		field_heading(f, want, sizeof(want));
		bool found = false;
		for (int i = 0; i < nh && !found; i++)
			found = !strcmp(headings[i], want);
		cr_expect(found, "man/vramcalc.1 has no .TP heading reading '%s'", want);
	}
	/* and every option heading reads like a row of the table */
	for (int i = 0; i < nh; i++) {
		const char *h = headings[i];
		if (strncmp(h, "--", 2) && !(h[0] == '-' && h[2] == ','))
			continue;
		bool known = false;
		for (const struct field *f = field_table; f->parse && !known; f++) {
			char want[160];
			if (!f->flag)
				continue;
			field_heading(f, want, sizeof(want));
			known = !strcmp(h, want);
		}
		cr_expect(known, "the man page heading '%s' is no row of the field table", h);
	}
	free(man);
}

/* --spec: off, mtp (llama.cpp's 3 draft tokens) or mtp:N within the row's
 * range; anything else is refused naming the grammar. */
Test(fields, spec_takes_off_mtp_or_mtp_n)
{
	struct cli_options o;
	char why[256];
	options_default(&o);
	const struct field *sp = field_find("spec");
	cr_assert(sp);
	cr_expect_eq(o.settings.spec_draft, 0, "off by default");
	cr_assert(field_parse(sp, "mtp", &o, why, sizeof(why)), "%s", why);
	cr_expect_eq(o.settings.spec_draft, 3);
	cr_assert(field_parse(sp, "MTP:5", &o, why, sizeof(why)), "%s", why);
	cr_expect_eq(o.settings.spec_draft, 5);
	cr_expect_not(field_parse(sp, "mtp:0", &o, why, sizeof(why)));
	cr_expect(strstr(why, "16"), "%s", why);
	cr_expect_not(field_parse(sp, "mtp:17", &o, why, sizeof(why)));
	cr_expect_not(field_parse(sp, "eagle", &o, why, sizeof(why)));
	cr_expect(strstr(why, "mtp:N"), "%s", why);
	cr_expect_eq(o.settings.spec_draft, 5, "a refused value leaves the setting");
	cr_assert(field_parse(sp, "off", &o, why, sizeof(why)));
	cr_expect_eq(o.settings.spec_draft, 0);
}

/*
 * fields.c - the settings-field table and the one parser of each grammar.
 *
 * HOW TO ADD A SETTING (command-line option and/or session-file key)
 *
 *   1. Add a member for it to struct cli_options (include/fields.h), with
 *      its unit in the name and a comment.
 *   2. Add one row to field_table below: flag, short flag, argument name,
 *      session key (NULL: command line only), kind, range, the noun used
 *      in messages, the default as typed, parse and format functions and
 *      the help line.  A count, share or number reuses field_parse_count
 *      or field_parse_share with the row's range (see the context and
 *      gpu-util rows); a new grammar gets its own parse_* function here,
 *      and nowhere else.
 *   3. Document the option in man/vramcalc.1 with a .TP heading that
 *      reads exactly like its --help column ("--margin SIZE"): the unit
 *      test man_page_documents_every_field checks it, and make lint-man
 *      checks --help against the man page.
 *   That is all: --help, cli_parse, session files (when the row has a key)
 *   and the round-trip and message tests pick the row up by themselves.
 *   Then read the value where it is used (the request resolver), never
 *   re-parse it.
 *
 * Messages: a parse function writes only the reason ("'0' is not a number
 * of sequences from 1 to 4096"); the front end adds where the text came
 * from ("--batch: ", "file.ini: [session] batch: ", "batch: "), so the same
 * bad value reads the same everywhere.
 */
#include "fields.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format.h"
#include "hardware.h"
#include "launch.h"
#include "plan.h"
#include "profile_save.h"
#include "vllm.h"

#define WHY(...)                                                                                   \
	do {                                                                                       \
		snprintf(why, whylen, __VA_ARGS__);                                                \
		return false;                                                                      \
	} while (0)

/* ---- shared grammars ---- */

bool field_parse_count(const struct field *f, const char *text, uint64_t *out, char *why,
                       size_t whylen)
{
	uint64_t v;
	if (!text || !parse_count(text, f->max, &v) || v < f->min)
		WHY("'%s' is not %s from %llu to %llu", text ? text : "", f->what,
		    (unsigned long long)f->min, (unsigned long long)f->max);
	*out = v;
	return true;
}

/* "from 0 to 1", "above 0 and at most 1" */
static void range_words(const struct field *f, char *buf, size_t n)
{
	char lo[32], hi[32];
	field_format_double(lo, sizeof(lo), f->lo);
	field_format_double(hi, sizeof(hi), f->hi);
	if (f->lo_open)
		snprintf(buf, n, "above %s and at most %s", lo, hi);
	else
		snprintf(buf, n, "from %s to %s", lo, hi);
}

static bool in_range(const struct field *f, double x)
{
	return (f->lo_open ? x > f->lo : x >= f->lo) && x <= f->hi;
}

/* A share: "0.9" or "90%"; a whole number above 1 reads as a percentage
 * ("85" is 85 %) when the share cannot exceed 1. */
bool field_parse_share(const struct field *f, const char *text, double *out, char *why,
                       size_t whylen)
{
	char *end;
	double x = text ? strtod(text, &end) : NAN;
	bool ok = text && end != text && isfinite(x);
	if (ok && *end == '%') {
		end++;
		x /= 100.0;
	} else if (ok && f->hi <= 1.0 && x > 1.0 && x <= 100.0 && x == floor(x)) {
		x /= 100.0;
	}
	if (!ok || *end || !in_range(f, x)) {
		char r[96];
		range_words(f, r, sizeof(r));
		WHY("'%s' is not %s %s (0.25 or 25%%)", text ? text : "", f->what, r);
	}
	*out = x;
	return true;
}

static bool parse_number(const struct field *f, const char *text, double *out, char *why,
                         size_t whylen)
{
	char *end;
	double x = text ? strtod(text, &end) : NAN;
	if (!text || end == text || *end || !isfinite(x) || !in_range(f, x)) {
		char r[96];
		range_words(f, r, sizeof(r));
		WHY("'%s' is not %s %s", text ? text : "", f->what, r);
	}
	*out = x;
	return true;
}

const char *field_format_double(char *buf, size_t n, double x)
{
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(buf, n, "%.*g", prec, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	return buf;
}

static bool parse_bool_word(const char *v, bool *out)
{
	if (!v || !strcasecmp(v, "on") || !strcasecmp(v, "yes") || !strcasecmp(v, "true") ||
	    !strcmp(v, "1"))
		*out = true;
	else if (!strcasecmp(v, "off") || !strcasecmp(v, "no") || !strcasecmp(v, "false") ||
	         !strcmp(v, "0"))
		*out = false;
	else
		return false;
	return true;
}

/* ---- the offload grammar: gpu, cpu-moe, n-cpu-moe=N, expert-share=F,
 * ngl=N, cpu ("=" or ":" before the amount) ---- */

/* The amount of expert-share: a share of the experts kept on the GPU. */
static const struct field expert_share_field = {
    .kind = FIELD_SHARE, .lo = 0.0, .hi = 1.0, .what = "a share of experts on the GPU"};
/* The amount of n-cpu-moe and ngl: a layer count (the model's depth is
 * checked by estimate_check, which knows the model). */
static const struct field layers_field = {
    .kind = FIELD_COUNT, .min = 0, .max = SETTINGS_LAYERS_MAX, .what = "a layer count"};

static bool parse_offload(const struct field *f, const char *v, struct cli_options *o, char *why,
                          size_t whylen)
{
	(void)f;
	const char *eq = v ? strpbrk(v, "=:") : NULL;
	size_t len = !v ? 0 : eq ? (size_t)(eq - v) : strlen(v);
	for (int m = 0; v && m < OFFLOAD_COUNT; m++) {
		const char *name = offload_mode_name((enum offload_mode)m);
		if (strlen(name) != len || strncmp(name, v, len))
			continue;
		bool layers = m == OFFLOAD_N_CPU_MOE || m == OFFLOAD_NGL;
		bool share = m == OFFLOAD_EXPERT_FRACTION;
		if (!layers && !share && eq)
			WHY("'%s': %s takes no amount", v, name);
		if ((layers || share) && !eq)
			WHY("'%s' needs %s, as in %s=%s", v,
			    layers ? "a layer count" : "a share from 0 to 1", name,
			    layers ? "12" : "0.25");
		struct settings *s = &o->settings;
		char inner[200];
		if (share) {
			double x;
			if (!field_parse_share(&expert_share_field, eq + 1, &x, inner,
			                       sizeof(inner)))
				WHY("'%s': %s", v, inner);
			s->expert_gpu_share = x;
		} else if (layers) {
			uint64_t n;
			if (!field_parse_count(&layers_field, eq + 1, &n, inner, sizeof(inner)))
				WHY("'%s': %s", v, inner);
			s->offload_layers = (uint32_t)n;
		}
		s->offload = (enum offload_mode)m;
		return true;
	}
	WHY("unknown mode '%s' (gpu, cpu-moe, n-cpu-moe=N, expert-share=F, ngl=N, cpu)",
	    v ? v : "");
}

static bool format_offload(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	const struct settings *s = &o->settings;
	char x[40];
	if (s->offload == OFFLOAD_EXPERT_FRACTION)
		snprintf(buf, n, "%s=%s", offload_mode_name(s->offload),
		         field_format_double(x, sizeof(x), s->expert_gpu_share));
	else
		offload_label(s, true, buf, n);
	return true;
}

/* ---- K,V cache types: "q8_0" for both or "q8_0,f16" ---- */

static bool parse_kv(const struct field *f, const char *v, struct cli_options *o, char *why,
                     size_t whylen)
{
	(void)f;
	char k[16], w[16];
	const char *comma = v ? strchr(v, ',') : NULL;
	if (!v)
		v = "";
	snprintf(k, sizeof(k), "%.*s", comma ? (int)(comma - v) : (int)strlen(v), v);
	snprintf(w, sizeof(w), "%s", comma ? comma + 1 : v);
	enum kvtype a = KV_F16, b = KV_F16;
	/* auto: the engine's default, f16 (vLLM: the model dtype, 16-bit too) */
	if (!strcasecmp(k, "auto"))
		snprintf(k, sizeof(k), "f16");
	if (!strcasecmp(w, "auto"))
		snprintf(w, sizeof(w), "f16");
	const char *bad = !kvtype_find(k, &a) ? k : !kvtype_find(w, &b) ? w : NULL;
	if (bad)
		WHY("unknown KV cache type '%s' (auto, f32, f16, bf16, q8_0, q5_1, q5_0, q4_1, "
		    "q4_0, iq4_nl, fp8)",
		    bad);
	o->settings.kv_k = a;
	o->settings.kv_v = b;
	return true;
}

static bool format_kv(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	const struct settings *s = &o->settings;
	if (s->kv_k == s->kv_v)
		snprintf(buf, n, "%s", kvtype_get(s->kv_k)->name);
	else
		snprintf(buf, n, "%s,%s", kvtype_get(s->kv_k)->name, kvtype_get(s->kv_v)->name);
	return true;
}

/* ---- devices: ID or IDxN, several joined by commas (a mixed set:
 * rtx-4090,rtx-3090x2).  Device ids themselves may contain 'x'
 * (rtx-4090): only an x followed by digits at the end is a count. ---- */

static const struct field device_count_field = {
    .kind = FIELD_COUNT, .min = 1, .max = HW_MAX_DEVICES, .what = "a device count"};

static bool parse_gpu(const struct field *f, const char *v, struct cli_options *o, char *why,
                      size_t whylen)
{
	(void)f;
	struct cli_options t = *o;
	uint32_t total = 0;
	t.n_gpu_groups = 0;
	t.gpu_auto = false;
	if (!v || !*v)
		WHY("no device (a hardware id, see vramcalc --list hardware)");
	if (!strcasecmp(v, "auto")) { /* the devices vramcalc --detect finds */
		t.gpu_auto = true;
		*o = t;
		return true;
	}
	for (const char *p = v;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char item[CLI_GPU_ID_MAX + 8];
		if (len >= sizeof(item))
			WHY("device '%.*s' is too long", (int)len, p);
		memcpy(item, p, len);
		item[len] = '\0';
		if (t.n_gpu_groups == CLI_MAX_GPU_GROUPS)
			WHY("more than %d device types in '%s'", CLI_MAX_GPU_GROUPS, v);
		char *id = t.gpu_group_id[t.n_gpu_groups];
		const char *x = strrchr(item, 'x');
		uint64_t n = 1;
		bool counted = x && x[1] && strspn(x + 1, "0123456789") == strlen(x + 1);
		if (counted) {
			char inner[200];
			if (!field_parse_count(&device_count_field, x + 1, &n, inner,
			                       sizeof(inner))) {
				/* all digits: only a count past 2^64 fails to parse */
				uint64_t asked;
				if (!parse_count(x + 1, UINT64_MAX, &asked) ||
				    asked > HW_MAX_DEVICES)
					WHY("too many devices in '%s': %s", item, inner);
				WHY("'%s': %s", item, inner);
			}
			len = (size_t)(x - item);
		}
		if (len >= CLI_GPU_ID_MAX)
			WHY("device '%s' is too long", item);
		snprintf(id, CLI_GPU_ID_MAX, "%.*s", (int)len, item);
		if (!*id)
			WHY("empty device id in '%s'", v);
		t.gpu_group_count[t.n_gpu_groups++] = (uint32_t)n;
		total += (uint32_t)n;
		if (total > HW_MAX_DEVICES)
			WHY("too many devices in '%s' (at most %d)", v, HW_MAX_DEVICES);
		if (!comma)
			break;
		p = comma + 1;
	}
	*o = t;
	return true;
}

static bool format_gpu(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	size_t used = 0;
	buf[0] = '\0';
	if (o->gpu_auto) {
		snprintf(buf, n, "auto");
		return true;
	}
	for (int g = 0; g < o->n_gpu_groups && used < n; g++) {
		int w =
		    o->gpu_group_count[g] == 1
		        ? snprintf(buf + used, n - used, "%s%s", g ? "," : "", o->gpu_group_id[g])
		        : snprintf(buf + used, n - used, "%s%sx%u", g ? "," : "",
		                   o->gpu_group_id[g], o->gpu_group_count[g]);
		used += w > 0 ? (size_t)w : 0;
	}
	return o->n_gpu_groups > 0;
}

/* The count of a single device type (the session file's gpu_count, the
 * count slider's text entry). */
static bool parse_gpu_count(const struct field *f, const char *v, struct cli_options *o, char *why,
                            size_t whylen)
{
	uint64_t n;
	if (!field_parse_count(f, v, &n, why, whylen))
		return false;
	if (o->n_gpu_groups < 1)
		WHY("'%s': a count needs a device (gpu)", v);
	uint64_t others = 0;
	for (int g = 1; g < o->n_gpu_groups; g++)
		others += o->gpu_group_count[g];
	if (n + others > HW_MAX_DEVICES)
		WHY("'%s' devices and %llu more is more than %d", v, (unsigned long long)others,
		    HW_MAX_DEVICES);
	/* the count of the first device type (the only one unless mixed) */
	o->gpu_group_count[0] = (uint32_t)n;
	return true;
}

static bool format_gpu_count(const struct field *f, const struct cli_options *o, char *buf,
                             size_t n)
{
	(void)f;
	if (o->n_gpu_groups != 1)
		return false;
	snprintf(buf, n, "%u", o->gpu_group_count[0]);
	return true;
}

/* ---- the rest, one small pair per field ---- */

static bool parse_model(const struct field *f, const char *v, struct cli_options *o, char *why,
                        size_t whylen)
{
	(void)f;
	if (!v || !*v)
		WHY("empty model (a profile id or a file)");
	o->model = v;
	return true;
}

static bool format_model(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	snprintf(buf, n, "%s", o->model);
	return true;
}

static bool parse_mmproj(const struct field *f, const char *v, struct cli_options *o, char *why,
                         size_t whylen)
{
	(void)f;
	if (!v || !*v)
		WHY("empty file name (a projector GGUF, mmproj-*.gguf)");
	o->mmproj = v;
	return true;
}

static bool format_mmproj(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	if (!o->mmproj)
		return false;
	snprintf(buf, n, "%s", o->mmproj);
	return true;
}

static bool parse_save_profile(const struct field *f, const char *v, struct cli_options *o,
                               char *why, size_t whylen)
{
	(void)f;
	if (!profile_id_check(v ? v : "", why, whylen))
		return false;
	o->save_profile = v;
	return true;
}

/* A quantization name, or "file": each tensor as stored in the file. */
static bool parse_quant(const struct field *f, const char *v, struct cli_options *o, char *why,
                        size_t whylen)
{
	(void)f;
	if (v && !strcasecmp(v, "file")) {
		o->settings.file_types = true;
		o->quant_given = false;
		return true;
	}
	if (!v || !ftype_find(v, &o->settings.ftype))
		WHY("unknown quantization '%s' (see vramcalc --list quants)", v ? v : "");
	o->settings.file_types = false;
	o->quant_given = true;
	return true;
}

static bool format_quant(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	snprintf(buf, n, "%s",
	         o->settings.file_types ? "file" : ftype_get(o->settings.ftype)->name);
	return true;
}

static bool parse_context(const struct field *f, const char *v, struct cli_options *o, char *why,
                          size_t whylen)
{
	if (!field_parse_count(f, v, &o->settings.ctx_tokens, why, whylen))
		return false;
	o->context_given = true;
	return true;
}

static bool format_u64(char *buf, size_t n, uint64_t v)
{
	snprintf(buf, n, "%llu", (unsigned long long)v);
	return true;
}

static bool format_context(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	return format_u64(buf, n, o->settings.ctx_tokens);
}

static bool parse_batch(const struct field *f, const char *v, struct cli_options *o, char *why,
                        size_t whylen)
{
	uint64_t n;
	if (!field_parse_count(f, v, &n, why, whylen))
		return false;
	o->settings.n_seq = (uint32_t)n;
	if (!strcmp(f->flag, "parallel"))
		o->parallel_given = true;
	else
		o->batch_given = true;
	return true;
}

/* ---- vLLM's own settings ---- */

static bool parse_batched_tokens(const struct field *f, const char *v, struct cli_options *o,
                                 char *why, size_t whylen)
{
	uint64_t n;
	if (!field_parse_count(f, v, &n, why, whylen))
		return false;
	o->settings.batched_tokens = (uint32_t)n;
	return true;
}

/* 0 is vLLM's default for the GPU: nothing to write. */
static bool format_batched_tokens(const struct field *f, const struct cli_options *o, char *buf,
                                  size_t n)
{
	(void)f;
	return o->settings.batched_tokens && format_u64(buf, n, o->settings.batched_tokens);
}

static bool parse_prefix_caching(const struct field *f, const char *v, struct cli_options *o,
                                 char *why, size_t whylen)
{
	(void)f;
	bool on;
	if (v && !strcasecmp(v, "default"))
		o->settings.prefix_caching = VLLM_PREFIX_DEFAULT;
	else if (v && parse_bool_word(v, &on))
		o->settings.prefix_caching = on ? VLLM_PREFIX_ON : VLLM_PREFIX_OFF;
	else
		WHY("'%s' is not on, off or default", v ? v : "");
	return true;
}

/* The release's default: nothing to write. */
static bool format_prefix_caching(const struct field *f, const struct cli_options *o, char *buf,
                                  size_t n)
{
	(void)f;
	snprintf(buf, n, "%s", o->settings.prefix_caching == VLLM_PREFIX_ON ? "on" : "off");
	return o->settings.prefix_caching != VLLM_PREFIX_DEFAULT;
}

static bool parse_kv_cache_memory(const struct field *f, const char *v, struct cli_options *o,
                                  char *why, size_t whylen)
{
	return field_parse_size(f, v, &o->settings.kv_cache_memory, why, whylen);
}

/* 0 is vLLM's default (profile the budget): nothing to write. */
static bool format_kv_cache_memory(const struct field *f, const struct cli_options *o, char *buf,
                                   size_t n)
{
	(void)f;
	fmt_byte_size(buf, n, o->settings.kv_cache_memory);
	return o->settings.kv_cache_memory > 0;
}

static bool parse_pp(const struct field *f, const char *v, struct cli_options *o, char *why,
                     size_t whylen)
{
	uint64_t n;
	if (!field_parse_count(f, v, &n, why, whylen))
		return false;
	o->settings.pp_size = (uint32_t)n;
	return true;
}

static bool format_pp(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	return format_u64(buf, n, o->settings.pp_size);
}

static bool parse_spec_tokens(const struct field *f, const char *v, struct cli_options *o,
                              char *why, size_t whylen)
{
	uint64_t n;
	if (!field_parse_count(f, v, &n, why, whylen))
		return false;
	o->settings.spec_tokens = (uint32_t)n;
	return true;
}

static bool format_spec_tokens(const struct field *f, const struct cli_options *o, char *buf,
                               size_t n)
{
	(void)f;
	return format_u64(buf, n, o->settings.spec_tokens);
}

static bool parse_vllm_version(const struct field *f, const char *v, struct cli_options *o,
                               char *why, size_t whylen)
{
	(void)f;
	if (!v || !vllm_version_parse(v, &o->settings.vllm_version))
		WHY("'%s' is not a vLLM release from 0.5 on, such as 0.19 or 0.19.1", v ? v : "");
	return true;
}

static bool format_vllm_version(const struct field *f, const struct cli_options *o, char *buf,
                                size_t n)
{
	(void)f;
	vllm_version_format(o->settings.vllm_version, buf, n);
	return true;
}

static bool format_batch(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	return format_u64(buf, n, o->settings.n_seq);
}

static bool parse_ubatch(const struct field *f, const char *v, struct cli_options *o, char *why,
                         size_t whylen)
{
	uint64_t n;
	if (!field_parse_count(f, v, &n, why, whylen))
		return false;
	o->settings.n_ubatch = (uint32_t)n;
	return true;
}

static bool format_ubatch(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	return format_u64(buf, n, o->settings.n_ubatch);
}

/* The member of o a boolean field sets. */
static bool *bool_member(const struct field *f, struct cli_options *o)
{
	if (!strcmp(f->flag, "flash-attn"))
		return &o->settings.flash_attn;
	if (!strcmp(f->flag, "kv-unified"))
		return &o->settings.kv_unified;
	if (!strcmp(f->flag, "swa-full"))
		return &o->settings.swa_full;
	if (!strcmp(f->flag, "text-only"))
		return &o->settings.text_only;
	assert(!"a FIELD_BOOL row without a member");
	return NULL;
}

static bool parse_bool(const struct field *f, const char *v, struct cli_options *o, char *why,
                       size_t whylen)
{
	bool b;
	/* llama.cpp's -fa auto turns flash attention on wherever it works */
	if (v && !strcasecmp(v, "auto") && !strcmp(f->flag, "flash-attn"))
		v = "on";
	if (!parse_bool_word(v, &b))
		WHY("'%s' is not on or off (yes or no)", v);
	*bool_member(f, o) = b;
	return true;
}

static bool format_on_off(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	snprintf(buf, n, "%s", *bool_member(f, (struct cli_options *)o) ? "on" : "off");
	return true;
}

static bool format_yes_no(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	snprintf(buf, n, "%s", *bool_member(f, (struct cli_options *)o) ? "yes" : "no");
	return true;
}

static bool parse_engine(const struct field *f, const char *v, struct cli_options *o, char *why,
                         size_t whylen)
{
	(void)f;
	if (v && (!strcasecmp(v, "llama.cpp") || !strcasecmp(v, "llamacpp")))
		o->engine = FT_LLAMACPP;
	else if (v && !strcasecmp(v, "vllm"))
		o->engine = FT_VLLM;
	else
		WHY("'%s' is not llama.cpp or vllm", v ? v : "");
	o->engine_given = true;
	return true;
}

static bool format_engine(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	snprintf(buf, n, "%s", o->engine == FT_VLLM ? "vllm" : "llama.cpp");
	return o->engine_given;
}

static bool parse_backend(const struct field *f, const char *v, struct cli_options *o, char *why,
                          size_t whylen)
{
	(void)f;
	if (!v || !backend_find(v, &o->settings.backend))
		WHY("'%s' is not cuda, rocm, metal, vulkan or cpu", v ? v : "");
	o->backend_given = true;
	o->settings.backend_auto = false;
	return true;
}

static bool format_backend(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	snprintf(buf, n, "%s", backend_get(o->settings.backend)->name);
	return o->backend_given;
}

static bool parse_tool(const struct field *f, const char *v, struct cli_options *o, char *why,
                       size_t whylen)
{
	(void)f;
	if (v && (!strcasecmp(v, "cli") || !strcasecmp(v, "llama-cli") || !strcasecmp(v, "bench")))
		o->settings.tool = TOOL_CLI;
	else if (v && (!strcasecmp(v, "server") || !strcasecmp(v, "llama-server")))
		o->settings.tool = TOOL_SERVER;
	else
		WHY("'%s' is not cli or server", v ? v : "");
	return true;
}

static bool format_tool(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	snprintf(buf, n, "%s", llama_tool_name(o->settings.tool));
	return true;
}

/* --spec off | mtp | mtp:N: speculative decoding with the model's MTP
 * blocks, N draft tokens per step (llama.cpp --spec-draft-n-max, 3 when
 * not given). */
static bool parse_spec(const struct field *f, const char *v, struct cli_options *o, char *why,
                       size_t whylen)
{
	if (v && (!strcasecmp(v, "off") || !strcasecmp(v, "none") || !strcasecmp(v, "no"))) {
		o->settings.spec_draft = 0;
		return true;
	}
	if (!v || strncasecmp(v, "mtp", 3) != 0 || (v[3] != '\0' && v[3] != ':'))
		WHY("'%s' is not off, mtp or mtp:N (N draft tokens from 1 to %d)", v ? v : "",
		    SETTINGS_SPEC_MAX);
	if (v[3] == '\0') {
		o->settings.spec_draft = SETTINGS_SPEC_DRAFT_DEFAULT;
		return true;
	}
	uint64_t n;
	if (!field_parse_count(f, v + 4, &n, why, whylen))
		return false;
	o->settings.spec_draft = (uint32_t)n;
	return true;
}

static bool format_spec(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	if (o->settings.spec_draft)
		snprintf(buf, n, "mtp:%u", o->settings.spec_draft);
	else
		snprintf(buf, n, "off");
	return true;
}

/* The uint32_t setting a count row of the llama.cpp runtime sets. */
static uint32_t *runtime_member(const struct field *f, struct cli_options *o)
{
	if (!strcmp(f->flag, "llama-build"))
		return &o->settings.llama_build;
	if (!strcmp(f->flag, "main-gpu"))
		return &o->settings.main_gpu;
	assert(!"a runtime count row without a member");
	return NULL;
}

static bool parse_runtime_count(const struct field *f, const char *v, struct cli_options *o,
                                char *why, size_t whylen)
{
	uint64_t n;
	if (!field_parse_count(f, v, &n, why, whylen))
		return false;
	*runtime_member(f, o) = (uint32_t)n;
	return true;
}

static bool format_runtime_count(const struct field *f, const struct cli_options *o, char *buf,
                                 size_t n)
{
	return format_u64(buf, n, *runtime_member(f, (struct cli_options *)o));
}

/* --no-op-offload: a bare flag (or yes/no in a session file) that turns
 * llama.cpp's op offload off. */
static bool parse_no_op_offload(const struct field *f, const char *v, struct cli_options *o,
                                char *why, size_t whylen)
{
	(void)f;
	bool b;
	if (!parse_bool_word(v ? v : "yes", &b))
		WHY("'%s' is not yes or no", v);
	o->settings.op_offload = !b;
	return true;
}

static bool format_no_op_offload(const struct field *f, const struct cli_options *o, char *buf,
                                 size_t n)
{
	(void)f;
	snprintf(buf, n, "%s", o->settings.op_offload ? "no" : "yes");
	return true;
}

static bool parse_gpu_util(const struct field *f, const char *v, struct cli_options *o, char *why,
                           size_t whylen)
{
	if (!field_parse_share(f, v, &o->settings.gpu_util, why, whylen))
		return false;
	o->settings.gpu_util_given = true;
	return true;
}

static bool format_gpu_util(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	field_format_double(buf, n, o->settings.gpu_util);
	return o->settings.gpu_util_given;
}

static bool parse_solve(const struct field *f, const char *v, struct cli_options *o, char *why,
                        size_t whylen)
{
	(void)f;
	enum solve_what w;
	if (!v || !solve_find(v, &w))
		WHY("'%s' is not context, quant, gpus, batch or offload", v ? v : "");
	o->solve = (int)w;
	return true;
}

static bool format_solve(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	if (o->solve < 0)
		return false;
	snprintf(buf, n, "%s", solve_name((enum solve_what)o->solve));
	return true;
}

static bool parse_emit(const struct field *f, const char *v, struct cli_options *o, char *why,
                       size_t whylen)
{
	(void)f;
	enum launch_target t;
	if (!v || !launch_target_find(v, &t))
		WHY("'%s' is not llama-server or vllm", v ? v : "");
	o->emit = (int)t;
	return true;
}

static bool format_emit(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	if (o->emit < 0)
		return false;
	snprintf(buf, n, "%s", launch_target_name((enum launch_target)o->emit));
	return true;
}

static bool parse_gpu_share(const struct field *f, const char *v, struct cli_options *o, char *why,
                            size_t whylen)
{
	return field_parse_share(f, v, &o->gpu_share, why, whylen);
}

static bool format_gpu_share(const struct field *f, const struct cli_options *o, char *buf,
                             size_t n)
{
	(void)f;
	field_format_double(buf, n, o->gpu_share);
	return o->gpu_share > 0;
}

static bool parse_prompt(const struct field *f, const char *v, struct cli_options *o, char *why,
                         size_t whylen)
{
	return field_parse_count(f, v, &o->prompt_tokens, why, whylen);
}

static bool format_prompt(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	format_u64(buf, n, o->prompt_tokens);
	return o->prompt_tokens > 0;
}

static bool parse_host_bw(const struct field *f, const char *v, struct cli_options *o, char *why,
                          size_t whylen)
{
	return parse_number(f, v, &o->host_bandwidth_gbps, why, whylen);
}

static bool format_host_bw(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	field_format_double(buf, n, o->host_bandwidth_gbps);
	return o->host_bandwidth_gbps > 0;
}

static bool parse_list(const struct field *f, const char *v, struct cli_options *o, char *why,
                       size_t whylen)
{
	(void)f;
	if (v && !strcmp(v, "models"))
		o->list = LIST_MODELS;
	else if (v && !strcmp(v, "hardware"))
		o->list = LIST_HARDWARE;
	else if (v && !strcmp(v, "quants"))
		o->list = LIST_QUANTS;
	else
		WHY("'%s' is not models, hardware or quants", v ? v : "");
	return true;
}

/* --margin: "10%" (a share of each budget) or a size ("2G"). */
static const struct field margin_size_field = {
    .kind = FIELD_SIZE, .min = 0, .max = 1ull << 50, .what = "a size"};

bool field_parse_size(const struct field *f, const char *text, uint64_t *out, char *why,
                      size_t whylen)
{
	uint64_t v;
	char a[32], b[32];
	if (!text || !parse_byte_size(text, &v) || v < f->min || v > f->max)
		WHY("'%s' is not %s from %s to %s bytes (256G, 512M, 1.5T)", text ? text : "",
		    f->what, fmt_byte_size(a, sizeof(a), f->min),
		    fmt_byte_size(b, sizeof(b), f->max));
	*out = v;
	return true;
}

static bool parse_margin(const struct field *f, const char *v, struct cli_options *o, char *why,
                         size_t whylen)
{
	size_t len = v ? strlen(v) : 0;
	if (len && v[len - 1] == '%') {
		double x;
		if (!field_parse_share(f, v, &x, why, whylen))
			return false;
		o->margin = (struct margin){.share = x};
		return true;
	}
	uint64_t b;
	char inner[200];
	if (!field_parse_size(&margin_size_field, v, &b, inner, sizeof(inner)))
		WHY("'%s' is not a percentage (10%%) or a size (2G)", v ? v : "");
	o->margin = (struct margin){.is_bytes = true, .bytes = b};
	return true;
}

static bool format_margin(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	char x[40];
	if (o->margin.is_bytes)
		fmt_byte_size(buf, n, o->margin.bytes);
	else
		snprintf(buf, n, "%s%%",
		         field_format_double(x, sizeof(x), 100.0 * o->margin.share));
	return true;
}

static bool parse_host_ram(const struct field *f, const char *v, struct cli_options *o, char *why,
                           size_t whylen)
{
	return field_parse_size(f, v, &o->host_ram_bytes, why, whylen);
}

static bool format_host_ram(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	fmt_byte_size(buf, n, o->host_ram_bytes);
	return o->host_ram_bytes > 0;
}

/* The member of o a bare command-line flag sets. */
static bool *flag_member(const struct field *f, struct cli_options *o)
{
	if (!strcmp(f->flag, "json"))
		return &o->json;
	if (!strcmp(f->flag, "print"))
		return &o->text;
	if (!strcmp(f->flag, "no-color"))
		return &o->no_color;
	if (!strcmp(f->flag, "version"))
		return &o->version;
	if (!strcmp(f->flag, "help"))
		return &o->help;
	if (!strcmp(f->flag, "detect"))
		return &o->detect;
	if (!strcmp(f->flag, "free"))
		return &o->free_memory;
	if (!strcmp(f->flag, "rank"))
		return &o->rank;
	if (!strcmp(f->flag, "fitting"))
		return &o->rank_filter.fitting_only;
	if (!strcmp(f->flag, "force"))
		return &o->force;
	assert(!"a FIELD_FLAG row without a member");
	return NULL;
}

static bool parse_flag(const struct field *f, const char *v, struct cli_options *o, char *why,
                       size_t whylen)
{
	if (v)
		WHY("'%s': --%s takes no value", v, f->flag);
	*flag_member(f, o) = true;
	return true;
}

/* ---- the ranking's filters and order (--rank) ---- */

static bool parse_family(const struct field *f, const char *v, struct cli_options *o, char *why,
                         size_t whylen)
{
	(void)f;
	char *fam = o->rank_filter.family;
	if (!v || !*v || strlen(v) >= sizeof(o->rank_filter.family))
		WHY("'%s' is not a list of model families (qwen, llama,gemma) of at most %zu "
		    "characters",
		    v ? v : "", sizeof(o->rank_filter.family) - 1);
	snprintf(fam, sizeof(o->rank_filter.family), "%s", v);
	return true;
}

static bool format_family(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	snprintf(buf, n, "%s", o->rank_filter.family);
	return o->rank_filter.family[0] != '\0';
}

static bool parse_size(const struct field *f, const char *v, struct cli_options *o, char *why,
                       size_t whylen)
{
	(void)f;
	return rank_parse_size_range(v ? v : "", &o->rank_filter.min_params,
	                             &o->rank_filter.max_params, why, whylen);
}

/* Parameters as --size reads them back: "70b", "1.5b", "500m". */
static void format_params_word(char *buf, size_t n, uint64_t params)
{
	if (params % 1000000000ull == 0)
		snprintf(buf, n, "%llub", (unsigned long long)(params / 1000000000ull));
	else if (params < 1000000000ull && params % 1000000ull == 0)
		snprintf(buf, n, "%llum", (unsigned long long)(params / 1000000ull));
	else {
		char d[40];
		snprintf(buf, n, "%sb", field_format_double(d, sizeof(d), (double)params / 1e9));
	}
}

static bool format_size(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	char lo[48] = "", hi[48] = "";
	const struct rank_filter *r = &o->rank_filter;
	if (!r->min_params && !r->max_params)
		return false;
	if (r->min_params)
		format_params_word(lo, sizeof(lo), r->min_params);
	if (r->max_params)
		format_params_word(hi, sizeof(hi), r->max_params);
	snprintf(buf, n, "%s..%s", lo, hi);
	return true;
}

static bool parse_kind(const struct field *f, const char *v, struct cli_options *o, char *why,
                       size_t whylen)
{
	(void)f;
	if (v && !strcasecmp(v, "moe"))
		o->rank_filter.kind = RANK_KIND_MOE;
	else if (v && !strcasecmp(v, "dense"))
		o->rank_filter.kind = RANK_KIND_DENSE;
	else
		WHY("'%s' is not moe or dense", v ? v : "");
	return true;
}

static bool format_kind(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	snprintf(buf, n, "%s", o->rank_filter.kind == RANK_KIND_MOE ? "moe" : "dense");
	return o->rank_filter.kind != RANK_KIND_ANY;
}

static bool parse_min_context(const struct field *f, const char *v, struct cli_options *o,
                              char *why, size_t whylen)
{
	return field_parse_count(f, v, &o->rank_filter.min_ctx_tokens, why, whylen);
}

static bool format_min_context(const struct field *f, const struct cli_options *o, char *buf,
                               size_t n)
{
	(void)f;
	format_u64(buf, n, o->rank_filter.min_ctx_tokens);
	return o->rank_filter.min_ctx_tokens > 0;
}

static bool parse_sort(const struct field *f, const char *v, struct cli_options *o, char *why,
                       size_t whylen)
{
	(void)f;
	if (!v || !rank_sort_find(v, &o->rank_sort))
		WHY("'%s' is not quality, size, speed or context", v ? v : "");
	return true;
}

static bool format_sort(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	(void)f;
	snprintf(buf, n, "%s", rank_sort_name(o->rank_sort));
	return true;
}

/* clang-format off */
const struct field field_table[] = {
    {.flag = "model", .short_flag = 'm', .arg = "MODEL", .key = "model", .kind = FIELD_TEXT,
     .what = "a model", .def = CLI_DEFAULT_MODEL, .parse = parse_model, .format = format_model,
     .help = "profile id or .ini; a .gguf, config.json (or its directory), .safetensors or "
             "index.json"},
    {.flag = "mmproj", .arg = "FILE", .key = "mmproj", .kind = FIELD_TEXT,
     .what = "a projector file", .parse = parse_mmproj, .format = format_mmproj,
     .help = "llama.cpp --mmproj: count a multimodal projector GGUF (vision tower) on the "
             "first GPU"},
    {.flag = "save-profile", .arg = "ID", .kind = FIELD_TEXT, .what = "a profile id",
     .parse = parse_save_profile,
     .help = "save the model as user profile ID (then -m ID); an id in use needs --force"},
    {.flag = "force", .kind = FIELD_FLAG, .parse = parse_flag,
     .help = "with --save-profile: replace a user profile or shadow a shipped one"},
    {.flag = "quant", .short_flag = 'q', .arg = "QUANT", .key = "quant", .kind = FIELD_CHOICE,
     .what = "a quantization", .parse = parse_quant, .format = format_quant,
     .help = "quantization: Q4_K_M, Q8_0, F16, IQ4_XS, FP8, AWQ, ... (--list quants); file: "
             "as stored"},
    {.flag = "context", .short_flag = 'c', .arg = "N", .key = "context", .kind = FIELD_COUNT,
     .min = 1, .max = SETTINGS_CTX_MAX, .what = "a context length", .def = "4096",
     .parse = parse_context, .format = format_context,
     .help = "context in tokens: 4096, 32k, 1M (llama.cpp: shared by -b; vLLM: per request)"},
    {.flag = "batch", .short_flag = 'b', .arg = "N", .key = "batch", .kind = FIELD_COUNT,
     .min = 1, .max = SETTINGS_SEQ_MAX, .what = "a number of sequences", .def = "1",
     .parse = parse_batch, .format = format_batch,
     .help = "concurrent sequences (llama.cpp -np, vLLM --max-num-seqs)"},
    {.flag = "parallel", .arg = "N", .kind = FIELD_COUNT, .min = 1, .max = SETTINGS_SEQ_MAX,
     .what = "a number of sequences", .parse = parse_batch, .format = format_batch,
     .help = "llama.cpp -np: sequences (llama-cli) or slots (llama-server: 4 unified if not "
             "given)"},
    {.flag = "kv-type", .short_flag = 'k', .arg = "TYPE[,TYPE]", .key = "kv_type",
     .kind = FIELD_CHOICE, .what = "a KV cache type", .def = "f16", .parse = parse_kv,
     .format = format_kv,
     .help = "KV cache type: auto, f16, bf16, f32, q8_0, q5_1, q5_0, q4_1, q4_0, iq4_nl, "
             "fp8"},
    {.flag = "offload", .arg = "MODE", .key = "offload", .kind = FIELD_CHOICE,
     .what = "an offload mode", .def = "gpu", .parse = parse_offload, .format = format_offload,
     .help = "gpu, cpu-moe, n-cpu-moe=N, expert-share=F, ngl=N or cpu"},
    {.flag = "gpu", .short_flag = 'g', .arg = "ID[xN][,ID[xN]...]", .key = "gpu",
     .kind = FIELD_TEXT, .what = "a device set", .parse = parse_gpu, .format = format_gpu,
     .help = "fit on N devices of a hardware profile, or a mixed set: rtx-4090x2, "
             "rtx-4090,rtx-3090"},
    /* Not a flag: -g takes the count as IDxN.  Kept as a key for session
     * files (older ones name the count apart) and the count slider. */
    {.key = "gpu_count", .kind = FIELD_COUNT, .min = 1, .max = HW_MAX_DEVICES,
     .what = "a device count", .parse = parse_gpu_count, .format = format_gpu_count,
     .help = "devices of the one device type to split over"},
    {.flag = "ubatch", .arg = "N", .key = "ubatch", .kind = FIELD_COUNT, .min = 1,
     .max = SETTINGS_UBATCH_MAX, .what = "a batch size in tokens", .def = "512",
     .parse = parse_ubatch, .format = format_ubatch,
     .help = "physical batch (llama.cpp -ub)"},
    {.flag = "flash-attn", .arg = "on|off", .key = "flash_attn", .kind = FIELD_BOOL,
     .what = "on or off", .def = "on", .parse = parse_bool, .format = format_on_off,
     .help = "flash attention"},
    {.flag = "kv-unified", .key = "kv_unified", .kind = FIELD_BOOL, .what = "yes or no",
     .def = "no", .parse = parse_bool, .format = format_yes_no,
     .help = "one KV stream shared by all sequences (llama-server's default)"},
    {.flag = "swa-full", .key = "swa_full", .kind = FIELD_BOOL, .what = "yes or no",
     .def = "no", .parse = parse_bool, .format = format_yes_no,
     .help = "full-size cache for sliding-window layers (--swa-full)"},
    {.flag = "engine", .arg = "NAME", .kind = FIELD_CHOICE, .what = "an engine",
     .parse = parse_engine, .format = format_engine,
     .help = "llama.cpp (default) or vllm: whose memory accounting to follow"},
    {.flag = "backend", .arg = "NAME", .key = "backend", .kind = FIELD_CHOICE,
     .what = "a backend", .parse = parse_backend, .format = format_backend,
     .help = "cuda, rocm, metal, vulkan or cpu; default from the -g device's vendor"},
    {.flag = "tool", .arg = "NAME", .key = "tool", .kind = FIELD_CHOICE,
     .what = "a llama.cpp program", .def = "cli", .parse = parse_tool, .format = format_tool,
     .help = "llama.cpp program: cli (also bench) or server (logits per slot)"},
    {.flag = "spec", .arg = "mtp[:N]", .key = "spec", .kind = FIELD_CHOICE, .min = 1,
     .max = SETTINGS_SPEC_MAX, .what = "a number of draft tokens", .def = "off",
     .parse = parse_spec, .format = format_spec,
     .help = "speculative decoding with the model's MTP blocks, N draft tokens (default 3; "
             "vLLM: --speculative-tokens N)"},
    {.flag = "llama-build", .arg = "N", .key = "llama_build", .kind = FIELD_COUNT, .min = 0,
     .max = 1000000, .what = "a llama.cpp build number", .def = "0",
     .parse = parse_runtime_count, .format = format_runtime_count,
     .help = "llama.cpp build to follow (0 = current); see BUILDS in the man page"},
    {.flag = "main-gpu", .arg = "N", .key = "main_gpu", .kind = FIELD_COUNT, .min = 0,
     .max = HW_MAX_DEVICES - 1, .what = "a device index", .def = "0",
     .parse = parse_runtime_count, .format = format_runtime_count,
     .help = "device (0-based) that runs ops on host weights"},
    {.flag = "no-op-offload", .key = "no_op_offload", .kind = FIELD_BOOL, .what = "yes or no",
     .def = "no", .parse = parse_no_op_offload, .format = format_no_op_offload,
     .help = "keep ops on host weights on the CPU (llama.cpp --no-op-offload)"},
    {.flag = "gpu-util", .arg = "F", .key = "gpu_util", .kind = FIELD_SHARE,
     .lo = ESTIMATE_GPU_UTIL_MIN, .hi = 1.0, .what = "a share of each GPU", .def = "0.92",
     .parse = parse_gpu_util, .format = format_gpu_util,
     .help = "vLLM --gpu-memory-utilization: the share of each GPU it may use (0.9 "
             "before vLLM 0.21)"},
    /* vLLM's own names for -c and -b (not saved: context and batch are) */
    {.flag = "max-model-len", .arg = "N", .kind = FIELD_COUNT, .min = 1,
     .max = SETTINGS_CTX_MAX, .what = "a context length", .parse = parse_context,
     .format = format_context, .vllm_only = true,
     .help = "vLLM: tokens per request (-c; default the model's maximum)"},
    {.flag = "max-num-seqs", .arg = "N", .kind = FIELD_COUNT, .min = 1,
     .max = SETTINGS_SEQ_MAX, .what = "a number of sequences", .parse = parse_batch,
     .format = format_batch, .vllm_only = true,
     .help = "vLLM: concurrent requests (-b; default vLLM's for the GPU)"},
    {.flag = "max-num-batched-tokens", .arg = "N", .key = "batched_tokens",
     .kind = FIELD_COUNT, .min = 1, .max = SETTINGS_BATCHED_MAX,
     .what = "a token count", .parse = parse_batched_tokens,
     .format = format_batched_tokens, .vllm_only = true,
     .help = "vLLM: tokens per scheduler step and profiling run (default vLLM's for the GPU)"},
    {.flag = "prefix-caching", .arg = "on|off", .key = "prefix_caching", .kind = FIELD_CHOICE,
     .what = "on, off or default", .def = "default", .parse = parse_prefix_caching,
     .format = format_prefix_caching, .vllm_only = true,
     .help = "vLLM --enable-prefix-caching: a hybrid model then keeps two state pages a "
             "request; default on for hybrids from vLLM 0.27"},
    {.flag = "kv-cache-memory", .arg = "SIZE", .key = "kv_cache_memory", .kind = FIELD_SIZE,
     .min = 1, .max = 1ull << 50, .what = "a KV cache size", .parse = parse_kv_cache_memory,
     .format = format_kv_cache_memory, .vllm_only = true,
     .help = "vLLM --kv-cache-memory: the KV cache of each GPU, no profiling (20G); default "
             "what the --gpu-util budget leaves"},
    {.flag = "speculative-tokens", .arg = "N", .key = "speculative_tokens",
     .kind = FIELD_COUNT, .min = 0, .max = SETTINGS_SPEC_MAX, .what = "a token count",
     .def = "0", .parse = parse_spec_tokens, .format = format_spec_tokens, .vllm_only = true,
     .help = "vLLM MTP speculative decoding (num_speculative_tokens): the MTP layers' KV "
             "and N more state slots a request; 0 off"},
    {.flag = "pipeline-parallel-size", .arg = "N", .key = "pipeline_parallel_size",
     .kind = FIELD_COUNT, .min = 1, .max = HW_MAX_DEVICES, .what = "a stage count",
     .def = "1", .parse = parse_pp, .format = format_pp, .vllm_only = true,
     .help = "vLLM: pipeline stages; -g ...xN GPUs = tensor-parallel size x N"},
    {.flag = "vllm-version", .arg = "X.Y[.Z]", .key = "vllm_version", .kind = FIELD_CHOICE,
     .what = "a vLLM release", .def = VLLM_VERSION_CURRENT_TEXT, .parse = parse_vllm_version,
     .format = format_vllm_version, .vllm_only = true,
     .help = "vLLM release whose accounting to follow (the current one by default)"},
    {.flag = "text-only", .key = "text_only", .kind = FIELD_BOOL, .what = "yes or no",
     .def = "no", .parse = parse_bool, .format = format_yes_no, .vllm_only = true,
     .help = "vLLM: serve a multimodal checkpoint without its vision tower"},
    {.flag = "solve", .arg = "WHAT", .kind = FIELD_CHOICE, .what = "a solver",
     .parse = parse_solve, .format = format_solve,
     .help = "with -g: the largest context, best quant, fewest gpus, most batch or least "
             "offload that fits"},
    {.flag = "emit", .arg = "WHAT", .kind = FIELD_CHOICE, .what = "a launch command",
     .parse = parse_emit, .format = format_emit,
     .help = "print the llama-server or vllm command for these settings"},
    {.flag = "gpu-share", .arg = "F", .kind = FIELD_SHARE, .lo = HW_SHARE_MIN, .hi = 1.0,
     .what = "a share of unified memory", .parse = parse_gpu_share,
     .format = format_gpu_share,
     .help = "unified memory: the share the GPU may use (0 to 1)"},
    {.flag = "prompt", .arg = "N", .kind = FIELD_COUNT, .min = 1, .max = SETTINGS_CTX_MAX,
     .what = "a prompt length", .parse = parse_prompt, .format = format_prompt,
     .help = "prompt length for the time-to-first-token estimate, default 4096"},
    {.flag = "host-bw", .arg = "GBPS", .kind = FIELD_NUMBER, .lo = 0.1,
     .hi = HW_BANDWIDTH_MAX_GBPS, .what = "a bandwidth in GB/s", .parse = parse_host_bw,
     .format = format_host_bw,
     .help = "host memory bandwidth for offloaded weights, default 64 GB/s"},
    {.flag = "margin", .arg = "PCT|SIZE", .kind = FIELD_SHARE, .lo = 0.0, .hi = 1.0,
     .what = "a margin", .def = "10%", .parse = parse_margin, .format = format_margin,
     .help = "headroom under which a fit is tight: a share of each device's memory or a size"},
    {.flag = "host-ram", .arg = "SIZE", .kind = FIELD_SIZE, .min = 1, .max = 1ull << 50,
     .what = "a host memory size", .parse = parse_host_ram, .format = format_host_ram,
     .help = "host memory to judge offloaded parts against (256G); default this machine's"},
    {.flag = "json", .kind = FIELD_FLAG, .parse = parse_flag,
     .help = "print the estimate (or --list) as JSON"},
    {.flag = "print", .kind = FIELD_FLAG, .parse = parse_flag,
     .help = "print the estimate as text instead of opening the TUI"},
    {.flag = "list", .arg = "WHAT", .kind = FIELD_CHOICE, .what = "a list",
     .parse = parse_list, .help = "list models, hardware or quants"},
    {.flag = "detect", .kind = FIELD_FLAG, .parse = parse_flag,
     .help = "show this machine's GPUs and host memory, and the set -g auto uses"},
    {.flag = "free", .kind = FIELD_FLAG, .parse = parse_flag,
     .help = "with detected devices (-g auto): count only memory not already in use"},
    {.flag = "rank", .kind = FIELD_FLAG, .parse = parse_flag,
     .help = "rank every catalog model for the devices (-g, default auto) at -c"},
    {.flag = "family", .arg = "NAME[,NAME]", .kind = FIELD_TEXT, .what = "a model family",
     .parse = parse_family, .format = format_family,
     .help = "--rank: only these families or ids (qwen, llama,gemma)"},
    {.flag = "size", .arg = "MIN..MAX", .kind = FIELD_TEXT, .what = "a size range",
     .parse = parse_size, .format = format_size,
     .help = "--rank: total parameters 7b..70b, ..14b, 30b.. or about 8b"},
    {.flag = "kind", .arg = "moe|dense", .kind = FIELD_CHOICE, .what = "a kind of model",
     .parse = parse_kind, .format = format_kind,
     .help = "--rank: only mixtures of experts or only dense models"},
    {.flag = "min-context", .arg = "N", .kind = FIELD_COUNT, .min = 1,
     .max = SETTINGS_CTX_MAX, .what = "a context length", .parse = parse_min_context,
     .format = format_min_context,
     .help = "--rank: only models whose largest context that fits is at least N"},
    {.flag = "sort", .arg = "KEY", .kind = FIELD_CHOICE, .what = "a sort order",
     .def = "quality", .parse = parse_sort, .format = format_sort,
     .help = "--rank order: quality, size, speed or context"},
    {.flag = "fitting", .kind = FIELD_FLAG, .parse = parse_flag,
     .help = "--rank: leave out the models that do not fit"},
    {.flag = "no-color", .kind = FIELD_FLAG, .parse = parse_flag,
     .help = "monochrome TUI (also NO_COLOR=1)"},
    {.flag = "version", .short_flag = 'V', .kind = FIELD_FLAG, .parse = parse_flag,
     .help = "print the version"},
    {.flag = "help", .short_flag = 'h', .kind = FIELD_FLAG, .parse = parse_flag,
     .help = "this help"},
    {0},
};
/* clang-format on */

/* ---- lookups ---- */

const struct field *field_find_flag(const char *name, size_t len)
{
	for (const struct field *f = field_table; f->parse; f++)
		if (f->flag && strlen(f->flag) == len && !strncmp(f->flag, name, len))
			return f;
	return NULL;
}

const struct field *field_find_short(char c)
{
	for (const struct field *f = field_table; f->parse; f++)
		if (c && f->short_flag == c)
			return f;
	return NULL;
}

const struct field *field_find_key(const char *key)
{
	for (const struct field *f = field_table; f->parse; f++)
		if (f->key && !strcmp(f->key, key))
			return f;
	return NULL;
}

const struct field *field_find(const char *name)
{
	const struct field *f = field_find_flag(name, strlen(name));
	return f ? f : field_find_key(name);
}

const char *field_name(const struct field *f)
{
	return f->flag ? f->flag : f->key;
}

bool field_parse(const struct field *f, const char *text, struct cli_options *o, char *why,
                 size_t whylen)
{
	assert(f && f->parse && o);
	return f->parse(f, text, o, why, whylen);
}

bool field_format(const struct field *f, const struct cli_options *o, char *buf, size_t n)
{
	assert(f && o && n > 0);
	buf[0] = '\0';
	return f->format && f->format(f, o, buf, n);
}

void options_default(struct cli_options *o)
{
	memset(o, 0, sizeof(*o));
	estimate_settings_default(&o->settings);
	o->solve = -1;
	o->emit = -1;
	for (const struct field *f = field_table; f->parse; f++) {
		char why[256];
		if (!f->def)
			continue;
		bool ok = field_parse(f, f->def, o, why, sizeof(why));
		assert(ok && "a field's default must parse");
		(void)ok;
	}
	o->quant_given = false;
	o->settings.gpu_util_given = false; /* the release picks it (vllm_gpu_util) */
	o->context_given = o->batch_given = o->parallel_given = false;
	o->vllm_option = NULL;
}

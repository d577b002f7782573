/*
 * options.c - the option table, argument parsing and --help.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "format.h"
#include "hardware.h"
#include "launch.h"
#include "plan.h"
#include "profile_save.h"

const struct cli_option cli_options_table[] = {
    {"model", 'm', "MODEL",
     "profile id or .ini; a .gguf, config.json (or its directory), .safetensors or index.json"},
    {"save-profile", 0, "ID", "save the model as user profile ID (then -m ID); never replaces one"},
    {"quant", 'q', "QUANT",
     "quantization: Q4_K_M, Q8_0, F16, IQ4_XS, FP8, AWQ, ... (--list quants)"},
    {"context", 'c', "N", "context length in tokens: 4096, 32k, 256K, 1M"},
    {"batch", 'b', "N", "concurrent sequences (llama.cpp -np)"},
    {"kv-type", 'k', "TYPE[,TYPE]",
     "KV cache type for K and V: f16, bf16, f32, q8_0, q5_1, q5_0, q4_1, q4_0, iq4_nl, fp8"},
    {"offload", 0, "MODE", "gpu, cpu-moe, n-cpu-moe=N, expert-share=F, ngl=N or cpu"},
    {"gpu", 'g', "ID[xN][,ID[xN]...]",
     "fit on N devices of a hardware profile, or a mixed set: rtx-4090x2, rtx-4090,rtx-3090"},
    {"ubatch", 0, "N", "physical batch (llama.cpp -ub), default 512"},
    {"flash-attn", 0, "on|off", "flash attention, default on"},
    {"kv-unified", 0, NULL, "one KV stream shared by all sequences (llama-server's default)"},
    {"swa-full", 0, NULL, "full-size cache for sliding-window layers (--swa-full)"},
    {"engine", 0, "NAME", "llama.cpp (default) or vllm: whose memory accounting to follow"},
    {"gpu-util", 0, "F",
     "vLLM --gpu-memory-utilization: the share of each GPU it may use, default 0.9"},
    {"solve", 0, "WHAT",
     "with -g: the largest context, best quant, fewest gpus, most batch or least offload that "
     "fits"},
    {"emit", 0, "WHAT", "print the llama-server or vllm command for these settings"},
    {"gpu-share", 0, "F", "unified memory: the share the GPU may use (0 to 1)"},
    {"prompt", 0, "N", "prompt length for the time-to-first-token estimate, default 4096"},
    {"host-bw", 0, "GBPS", "host memory bandwidth for offloaded weights, default 64 GB/s"},
    {"json", 0, NULL, "print the estimate (or --list) as JSON"},
    {"print", 0, NULL, "print the estimate as text instead of opening the TUI"},
    {"list", 0, "WHAT", "list models, hardware or quants"},
    {"no-color", 0, NULL, "monochrome TUI (also NO_COLOR=1)"},
    {"version", 'V', NULL, "print the version"},
    {"help", 'h', NULL, "this help"},
    {NULL, 0, NULL, NULL},
};

void cli_print_help(FILE *f)
{
	fprintf(f, "usage: vramcalc [options]\n"
	           "How much GPU memory does this LLM need, and what hardware runs it?\n\n");
	for (const struct cli_option *o = cli_options_table; o->long_name; o++) {
		char left[64];
		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->long_name,
			         o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->long_name,
			         o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-28s %s\n", left, o->help);
	}
	fprintf(f, "\nWithout --json, --print or --list on a terminal, vramcalc opens its "
	           "interactive view.\nSizes: GiB = 2^30 bytes, GB = 10^9 bytes.\n");
}

static const struct cli_option *find_long(const char *name, size_t len)
{
	for (const struct cli_option *o = cli_options_table; o->long_name; o++)
		if (strlen(o->long_name) == len && !strncmp(o->long_name, name, len))
			return o;
	return NULL;
}

static const struct cli_option *find_short(char c)
{
	for (const struct cli_option *o = cli_options_table; o->long_name; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

#define USAGE(...)                                                                                 \
	do {                                                                                       \
		snprintf(err, errlen, __VA_ARGS__);                                                \
		return false;                                                                      \
	} while (0)

static bool parse_offload(const char *v, struct settings *s, char *err, size_t errlen)
{
	const char *eq = strpbrk(v, "=:");
	size_t len = eq ? (size_t)(eq - v) : strlen(v);
	const char *arg = eq ? eq + 1 : NULL;
	uint64_t n;

	if (len == 3 && !strncmp(v, "gpu", 3) && !arg)
		s->offload = OFFLOAD_GPU;
	else if (len == 3 && !strncmp(v, "cpu", 3) && !arg)
		s->offload = OFFLOAD_CPU;
	else if (len == 7 && !strncmp(v, "cpu-moe", 7) && !arg)
		s->offload = OFFLOAD_CPU_MOE;
	else if ((len == 9 && !strncmp(v, "n-cpu-moe", 9)) || (len == 3 && !strncmp(v, "ngl", 3))) {
		if (!arg || !parse_count(arg, 100000, &n))
			USAGE("--offload: '%s' needs a layer count, as in %.*s=12", v, (int)len, v);
		s->offload = v[0] == 'n' && v[1] == 'g' ? OFFLOAD_NGL : OFFLOAD_N_CPU_MOE;
		s->offload_layers = (uint32_t)n;
	} else if (len == 12 && !strncmp(v, "expert-share", 12)) {
		char *end;
		double f = arg ? strtod(arg, &end) : -1;
		if (!arg || end == arg || *end || !(f >= 0.0 && f <= 1.0))
			USAGE("--offload: '%s' needs a share from 0 to 1, as in expert-share=0.25",
			      v);
		s->offload = OFFLOAD_EXPERT_FRACTION;
		s->expert_gpu_share = f;
	} else {
		USAGE("--offload: unknown mode '%s' (gpu, cpu-moe, n-cpu-moe=N, expert-share=F, "
		      "ngl=N, cpu)",
		      v);
	}
	return true;
}

static bool parse_kv(const char *v, struct settings *s, char *err, size_t errlen)
{
	char k[16], w[16];
	const char *comma = strchr(v, ',');
	if (comma) {
		snprintf(k, sizeof(k), "%.*s", (int)(comma - v), v);
		snprintf(w, sizeof(w), "%s", comma + 1);
	} else {
		snprintf(k, sizeof(k), "%s", v);
		snprintf(w, sizeof(w), "%s", v);
	}
	if (!kvtype_find(k, &s->kv_k))
		USAGE("--kv-type: unknown KV cache type '%s' (f32, f16, bf16, q8_0, q5_1, q5_0, "
		      "q4_1, q4_0, iq4_nl, fp8)",
		      k);
	if (!kvtype_find(w, &s->kv_v))
		USAGE("--kv-type: unknown KV cache type '%s' (f32, f16, bf16, q8_0, q5_1, q5_0, "
		      "q4_1, q4_0, iq4_nl, fp8)",
		      w);
	return true;
}

/* ID or IDxN, several joined by commas (a mixed set: rtx-4090,rtx-3090x2).
 * Device ids themselves may contain 'x' (rtx-4090). */
static bool parse_gpu(const char *v, struct cli_options *o, char *err, size_t errlen)
{
	uint32_t total = 0;
	o->n_gpu_groups = 0;
	for (const char *p = v;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char item[64];
		if (len >= sizeof(item))
			USAGE("--gpu: device '%.*s' is too long", (int)len, p);
		memcpy(item, p, len);
		item[len] = '\0';
		if (o->n_gpu_groups == CLI_MAX_GPU_GROUPS)
			USAGE("--gpu: more than %d device types in '%s'", CLI_MAX_GPU_GROUPS, v);
		char *id = o->gpu_group_id[o->n_gpu_groups];
		const char *x = strrchr(item, 'x');
		uint64_t n = 1;
		if (x && x[1] && parse_count(x + 1, HW_MAX_DEVICES, &n)) {
			if (n == 0)
				USAGE("--gpu: device count 0 in '%s'", item);
			snprintf(id, 64, "%.*s", (int)(x - item), item);
		} else {
			snprintf(id, 64, "%s", item);
		}
		if (!*id)
			USAGE("--gpu: empty device id in '%s'", v);
		o->gpu_group_count[o->n_gpu_groups++] = (uint32_t)n;
		total += (uint32_t)n;
		if (total > HW_MAX_DEVICES)
			USAGE("--gpu: more than %d devices in '%s'", HW_MAX_DEVICES, v);
		if (!comma)
			break;
		p = comma + 1;
	}
	o->gpu_id = o->gpu_group_id[0];
	o->gpu_count = o->gpu_group_count[0];
	return true;
}

static bool apply(struct cli_options *o, const struct cli_option *opt, const char *v, char *err,
                  size_t errlen)
{
	const char *name = opt->long_name;
	struct settings *s = &o->settings;
	uint64_t n;

	if (!strcmp(name, "model")) {
		o->model = v;
	} else if (!strcmp(name, "save-profile")) {
		char why[200];
		if (!profile_id_check(v, why, sizeof(why)))
			USAGE("--save-profile: %s", why);
		o->save_profile = v;
	} else if (!strcmp(name, "quant")) {
		if (!ftype_find(v, &s->ftype))
			USAGE("--quant: unknown quantization '%s' (see vramcalc --list quants)", v);
		o->quant_given = true;
	} else if (!strcmp(name, "context")) {
		if (!parse_count(v, 1ull << 32, &n) || n == 0)
			USAGE("--context: '%s' is not a context length from 1 to 4294967296 (4096, "
			      "32k, 256K)",
			      v);
		s->ctx_tokens = n;
	} else if (!strcmp(name, "batch")) {
		if (!parse_count(v, 4096, &n) || n == 0)
			USAGE("--batch: '%s' is not a number of sequences from 1 to 4096", v);
		s->n_seq = (uint32_t)n;
	} else if (!strcmp(name, "kv-type")) {
		return parse_kv(v, s, err, errlen);
	} else if (!strcmp(name, "offload")) {
		return parse_offload(v, s, err, errlen);
	} else if (!strcmp(name, "gpu")) {
		return parse_gpu(v, o, err, errlen);
	} else if (!strcmp(name, "ubatch")) {
		if (!parse_count(v, 65536, &n) || n == 0)
			USAGE("--ubatch: '%s' is not a batch size from 1 to 65536", v);
		s->n_ubatch = (uint32_t)n;
	} else if (!strcmp(name, "flash-attn")) {
		if (!strcasecmp(v, "on") || !strcasecmp(v, "auto"))
			s->flash_attn = true;
		else if (!strcasecmp(v, "off"))
			s->flash_attn = false;
		else
			USAGE("--flash-attn: '%s' is not on or off", v);
	} else if (!strcmp(name, "kv-unified")) {
		s->kv_unified = true;
	} else if (!strcmp(name, "swa-full")) {
		s->swa_full = true;
	} else if (!strcmp(name, "engine")) {
		if (!strcasecmp(v, "llama.cpp") || !strcasecmp(v, "llamacpp"))
			o->engine = FT_LLAMACPP;
		else if (!strcasecmp(v, "vllm"))
			o->engine = FT_VLLM;
		else
			USAGE("--engine: '%s' is not llama.cpp or vllm", v);
		o->engine_given = true;
	} else if (!strcmp(name, "gpu-util")) {
		char *end;
		double x = strtod(v, &end);
		if (end == v || *end || !(x > 0.0 && x <= 1.0))
			USAGE("--gpu-util: '%s' is not a share above 0 and at most 1", v);
		s->gpu_util = x;
	} else if (!strcmp(name, "solve")) {
		enum solve_what w;
		if (!solve_find(v, &w))
			USAGE("--solve: '%s' is not context, quant, gpus, batch or offload", v);
		o->solve = (int)w;
	} else if (!strcmp(name, "emit")) {
		enum launch_target t;
		if (!launch_target_find(v, &t))
			USAGE("--emit: '%s' is not llama-server or vllm", v);
		o->emit = (int)t;
	} else if (!strcmp(name, "gpu-share") || !strcmp(name, "host-bw")) {
		char *end;
		double x = strtod(v, &end);
		bool share = name[0] == 'g';
		if (end == v || *end || !(x > 0) || (share && x > 1.0) || x > 1e6)
			USAGE("--%s: '%s' is not %s", name, v,
			      share ? "a share above 0 and at most 1" : "a bandwidth in GB/s");
		if (share)
			o->gpu_share = x;
		else
			o->host_bandwidth_gbps = x;
	} else if (!strcmp(name, "prompt")) {
		if (!parse_count(v, 1ull << 32, &n) || n == 0)
			USAGE("--prompt: '%s' is not a prompt length from 1 to 4294967296", v);
		o->prompt_tokens = n;
	} else if (!strcmp(name, "json")) {
		o->json = true;
	} else if (!strcmp(name, "print")) {
		o->text = true;
	} else if (!strcmp(name, "list")) {
		if (!strcmp(v, "models"))
			o->list = LIST_MODELS;
		else if (!strcmp(v, "hardware"))
			o->list = LIST_HARDWARE;
		else if (!strcmp(v, "quants"))
			o->list = LIST_QUANTS;
		else
			USAGE("--list: '%s' is not models, hardware or quants", v);
	} else if (!strcmp(name, "no-color")) {
		o->no_color = true;
	} else if (!strcmp(name, "version")) {
		o->version = true;
	} else if (!strcmp(name, "help")) {
		o->help = true;
	}
	return true;
}

bool cli_parse(int argc, char **argv, bool stdout_is_tty, struct cli_options *o, char *err,
               size_t errlen)
{
	memset(o, 0, sizeof(*o));
	estimate_settings_default(&o->settings);
	o->model = CLI_DEFAULT_MODEL;
	o->gpu_count = 1;
	o->solve = -1;
	o->emit = -1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct cli_option *opt = NULL;
		const char *val = NULL;
		if (a[0] == '-' && a[1] == '-' && a[2]) {
			const char *eq = strchr(a + 2, '=');
			size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			opt = find_long(a + 2, len);
			if (!opt)
				USAGE("unknown option '%s' (see vramcalc --help)", a);
			if (eq) {
				if (!opt->arg)
					USAGE("option '--%s' takes no value", opt->long_name);
				val = eq + 1;
			}
		} else if (a[0] == '-' && a[1] && !a[2]) {
			opt = find_short(a[1]);
			if (!opt)
				USAGE("unknown option '%s' (see vramcalc --help)", a);
		} else {
			USAGE("unexpected argument '%s' (see vramcalc --help)", a);
		}
		if (opt->arg && !val) {
			if (i + 1 >= argc)
				USAGE("option '--%s' needs a value (%s)", opt->long_name, opt->arg);
			val = argv[++i];
		}
		if (!apply(o, opt, val, err, errlen))
			return false;
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
	if (o->solve >= 0 && o->n_gpu_groups > 1)
		USAGE("--solve works on one device type; -g names %d", o->n_gpu_groups);
	if (o->solve >= 0 && !o->gpu_id)
		USAGE("--solve %s needs the hardware to fit on: add -g ID[xN]",
		      solve_name((enum solve_what)o->solve));
	o->tui = stdout_is_tty && !o->json && !o->text && o->list == LIST_NONE && !o->help &&
	         !o->version && o->solve < 0 && o->emit < 0 && !o->save_profile;
	return true;
}

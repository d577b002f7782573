/*
 * hfjson.c - config.json (cJSON) as a config_source for hfconfig_to_arch.
 *
 * Every value is type-checked before the mapping sees it: the mapping
 * parses text, so without the check a JSON string "32" would pass for the
 * number 32 and an object would look absent.  Values then go to the
 * mapping as text: integral numbers as integers, other numbers with %.17g
 * (so 2.5 or -4 fail there as "not a whole number"), booleans as
 * true/false, arrays of names joined by commas, null as absent.
 */
#include "hfjson.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hfconfig.h"
#include "json.h"

/* How a key's value must look. */
enum key_type {
	KT_NUMBER,     /* a JSON number */
	KT_BOOL,       /* true or false */
	KT_NAME,       /* a string of letters, digits, '_', '.', '-' */
	KT_NAME_LIST,  /* an array of such strings, one per layer */
	KT_CODES,      /* a string of one layer-code character per layer */
	KT_NUMBERS,    /* a number, or one equal number per layer */
	KT_NUM_LIST,   /* an array of whole numbers, one per layer */
	KT_LAYER_LIST, /* whole numbers, one per layer (array or "0,1,1"), or one */
	KT_PERIOD,     /* a number, or a string of L (local) / G (global) letters */
	KT_INDICES,    /* layer indices: "3,4,5", an array of numbers, or one */
};

static const struct {
	const char *key;
	enum key_type type;
} key_types[] = {
    {"model_type", KT_NAME},
    {"torch_dtype", KT_NAME},
    {"topk_method", KT_NAME},
    {"rope_scaling_type", KT_NAME},
    {"tie_word_embeddings", KT_BOOL},
    {"layer_types", KT_NAME_LIST},
    {"layers_block_type", KT_NAME_LIST},
    {"block_auto_adjust_ff_dim", KT_BOOL},
    {"tie_embedding", KT_BOOL},
    {"hybrid_override_pattern", KT_CODES},
    /* gemma4 */
    {"attention_k_eq_v", KT_BOOL},
    {"use_double_wide_mlp", KT_BOOL},
    {"enable_moe_block", KT_BOOL},
    {"use_qk_norm", KT_BOOL},
    {"mamba_rms_norm", KT_BOOL},       /* falcon-h1 */
    {"intermediate_size", KT_NUMBERS}, /* Gemma 3n */
    {"moe_topk", KT_NUMBERS},          /* Hunyuan: moe_topk, num_shared_expert and
                                          moe_intermediate_size per layer */
    {"num_shared_expert", KT_NUMBERS},
    {"moe_intermediate_size", KT_NUMBERS},
    /* deepseek4 */
    {"compress_ratios", KT_NUM_LIST},
    /* exaone4, mimo2, step35 (hfconfig_attn.c) */
    {"sliding_window_pattern", KT_PERIOD},
    {"hybrid_layer_pattern", KT_LAYER_LIST},
    {"moe_layer_freq", KT_LAYER_LIST},
    {"moe_layers_enum", KT_INDICES},
    {"use_moe_router_bias", KT_BOOL},
    {"use_head_wise_attn_gate", KT_BOOL},
    {"add_swa_attention_sink_bias", KT_BOOL},
    {"add_full_attention_sink_bias", KT_BOOL},
    /* kimi_linear */
    {"linear_attn_config.full_attn_layers", KT_NUM_LIST},
    {"mla_use_nope", KT_BOOL},
};

/* Longest name accepted: model_type and friends, and one layer_types
 * entry ("sliding_attention"); keeps layer_types within the mapping's
 * value buffer. */
#define NAME_MAX_BYTES 31

/* Defaults of transformers config classes that published configs leave
 * out (Gemma 3's multimodal text_config sets only a few shapes). */
static const struct {
	const char *model_type, *key, *value;
} defaults[] = {
    {"gemma3_text", "vocab_size", "262208"},
    {"gemma3_text", "max_position_embeddings", "131072"},
    {"gemma3_text", "num_attention_heads", "8"},
    {"gemma3_text", "num_key_value_heads", "4"},
    {"gemma3_text", "head_dim", "256"},
    {"gemma3_text", "sliding_window", "4096"},
};

#define N_DEFAULTS (sizeof(defaults) / sizeof(defaults[0]))

/* The parsed config and what the lookups used. */
struct jctx {
	const cJSON *top;       /* the root object */
	const cJSON *text;      /* text_config object, or NULL */
	const char *model_type; /* effective model_type, for defaults */
	unsigned defaults_used; /* bit i: defaults[i] was returned */
};

static enum key_type type_of(const char *key)
{
	for (size_t i = 0; i < sizeof(key_types) / sizeof(key_types[0]); i++)
		if (!strcmp(key_types[i].key, key))
			return key_types[i].type;
	return KT_NUMBER;
}

static const cJSON *field(const cJSON *obj, const char *key)
{
	return obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

/* rope_scaling.rope_type (or .type; newer configs: rope_parameters) of
 * text_config, then of the top level.  path names where it was found. */
static const cJSON *rope_type(const struct jctx *c, char *path, size_t pathlen)
{
	static const char *const objs[] = {"rope_scaling", "rope_parameters"};
	static const char *const names[] = {"rope_type", "type"};
	const cJSON *scopes[] = {c->text, c->top};
	for (int s = 0; s < 2; s++)
		for (int o = 0; o < 2; o++) {
			const cJSON *rs = field(scopes[s], objs[o]);
			if (!cJSON_IsObject(rs))
				continue;
			for (int n = 0; n < 2; n++) {
				const cJSON *v = field(rs, names[n]);
				if (v) {
					snprintf(path, pathlen, "%s%s.%s",
					         s == 0 ? "text_config." : "", objs[o], names[n]);
					return v;
				}
			}
		}
	return NULL;
}

/* The value of key (text_config first), its path written into path. */
static const cJSON *lookup(const struct jctx *c, const char *key, char *path, size_t pathlen)
{
	if (!strcmp(key, "rope_scaling_type")) {
		const cJSON *v = rope_type(c, path, pathlen);
		if (v)
			return v;
	}
	const char *alias = !strcmp(key, "torch_dtype") ? "dtype" : NULL;
	const cJSON *scopes[] = {c->text, c->top};
	/* "object.key": a key of a nested object (Step's attention_other_setting),
	 * or that name spelled flat as a profile writes it */
	const char *dot = strchr(key, '.');
	if (dot) {
		char obj[64];
		snprintf(obj, sizeof(obj), "%.*s", (int)(dot - key), key);
		for (int s = 0; s < 2; s++) {
			const cJSON *v = field(field(scopes[s], obj), dot + 1);
			if (!v)
				v = field(scopes[s], key);
			if (v) {
				snprintf(path, pathlen, "%s%s", s == 0 ? "text_config." : "", key);
				return v;
			}
		}
		snprintf(path, pathlen, "%s", key);
		return NULL;
	}
	for (int s = 0; s < 2; s++) {
		const char *names[] = {key, alias};
		for (int n = 0; n < 2 && names[n]; n++) {
			const cJSON *v = field(scopes[s], names[n]);
			if (v) {
				snprintf(path, pathlen, "%s%s", s == 0 ? "text_config." : "",
				         names[n]);
				return v;
			}
		}
	}
	/* MiniMax M3 nests its sparse attention keys */
	for (int s = 0; s < 2 && !strncmp(key, "sparse_", 7); s++) {
		const cJSON *v = field(field(scopes[s], "sparse_attention_config"), key);
		if (v) {
			snprintf(path, pathlen, "%ssparse_attention_config.%s",
			         s == 0 ? "text_config." : "", key);
			return v;
		}
	}
	snprintf(path, pathlen, "%s", key);
	return NULL;
}

/* A per-layer list of one repeated number (Gemma 3n's intermediate_size,
 * Hunyuan's moe_topk): read as that number where a KT_NUMBERS key has it. */
static bool is_uniform_numbers(const cJSON *v)
{
	const cJSON *first = cJSON_IsArray(v) ? v->child : NULL, *e;
	if (!first || cJSON_GetArraySize(v) > ARCH_MAX_LAYERS)
		return false;
	cJSON_ArrayForEach (e, v)
		if (!cJSON_IsNumber(e) || e->valuedouble != first->valuedouble)
			return false;
	return true;
}

/* A number as the mapping reads it. */
static void number_text(double v, char *buf, size_t n)
{
	if (v > -9.2e18 && v < 9.2e18 && (double)(long long)v == v)
		snprintf(buf, n, "%lld", (long long)v);
	else
		snprintf(buf, n, "%.17g", v);
}

static bool is_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > NAME_MAX_BYTES)
		return false;
	for (; *s; s++) {
		char ch = *s;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-'))
			return false;
	}
	return true;
}

/* " 'value'" for a string or number item (for messages), else "". */
static void shown_value(const cJSON *v, char *buf, size_t n)
{
	char tmp[64];
	if (cJSON_IsString(v)) {
		json_show(tmp, sizeof(tmp), v->valuestring);
		snprintf(buf, n, ": '%s'", tmp);
	} else if (cJSON_IsNumber(v)) {
		number_text(v->valuedouble, tmp, sizeof(tmp));
		snprintf(buf, n, ": %s", tmp);
	} else {
		buf[0] = '\0';
	}
}

static bool type_error(const char *name, const char *path, const char *expected, const cJSON *v,
                       char *err, size_t errlen)
{
	char shown[80];
	shown_value(v, shown, sizeof(shown));
	snprintf(err, errlen, "%s: %s: expected %s, got %s%s", name, path, expected,
	         json_type_name(v), shown);
	return false;
}

/* Every key the mapping reads has the right JSON type. */
static bool check_types(const struct jctx *c, const char *name, char *err, size_t errlen)
{
	char path[96];
	static const char *const objs[] = {"rope_scaling", "rope_parameters"};
	const cJSON *scopes[] = {c->text, c->top};
	for (int s = 0; s < 2; s++)
		for (int o = 0; o < 2; o++) {
			const cJSON *v = field(scopes[s], objs[o]);
			snprintf(path, sizeof(path), "%s%s", s == 0 ? "text_config." : "", objs[o]);
			if (v && !cJSON_IsObject(v) && !cJSON_IsNull(v))
				return type_error(name, path, "an object", v, err, errlen);
		}
	for (const char *const *k = hfconfig_known_keys; *k; k++) {
		const cJSON *v = lookup(c, *k, path, sizeof(path));
		if (!v || cJSON_IsNull(v))
			continue;
		switch (type_of(*k)) {
		case KT_NUMBER:
			if (!cJSON_IsNumber(v))
				return type_error(name, path, "a number", v, err, errlen);
			break;
		case KT_NUMBERS:
			if (!cJSON_IsNumber(v) && !is_uniform_numbers(v))
				return type_error(name, path,
				                  "a number (or one equal number per layer)", v,
				                  err, errlen);
			break;
		case KT_BOOL:
			if (!cJSON_IsBool(v))
				return type_error(name, path, "true or false", v, err, errlen);
			break;
		case KT_NAME:
			if (!cJSON_IsString(v) || !is_name(v->valuestring))
				return type_error(
				    name, path,
				    "a name of at most 31 letters, digits, '_', '.' or '-'", v, err,
				    errlen);
			break;
		case KT_CODES:
			if (!cJSON_IsString(v) || strlen(v->valuestring) > ARCH_MAX_LAYERS ||
			    strspn(v->valuestring, "M*-E") != strlen(v->valuestring))
				return type_error(
				    name, path,
				    "a string of layer codes (M, *, -, E), one per layer", v, err,
				    errlen);
			break;
		case KT_NUM_LIST:
			if (!cJSON_IsArray(v))
				return type_error(name, path, "an array of numbers", v, err,
				                  errlen);
			if (cJSON_GetArraySize(v) > ARCH_MAX_LAYERS + 8) {
				snprintf(err, errlen,
				         "%s: %s: %d entries, more than the %d layers "
				         "vramcalc models",
				         name, path, cJSON_GetArraySize(v), ARCH_MAX_LAYERS);
				return false;
			}
			/* fall through */
		case KT_LAYER_LIST:
		case KT_INDICES: {
			/* also "0,1,1" as a profile writes it, and DeepSeek's single
			 * moe_layer_freq number */
			if (cJSON_IsString(v) && strlen(v->valuestring) < 2048 &&
			    strspn(v->valuestring, "0123456789, ") == strlen(v->valuestring))
				break;
			if (cJSON_IsNumber(v))
				break;
			if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > ARCH_MAX_LAYERS + 16)
				return type_error(
				    name, path,
				    type_of(*k) == KT_INDICES
				        ? "layer indices (\"3,4,5\" or an array of numbers)"
				        : "an array of numbers, one per layer",
				    v, err, errlen);
			int i = 0;
			const cJSON *e;
			cJSON_ArrayForEach (e, v) {
				char at[128];
				snprintf(at, sizeof(at), "%s[%d]", path, i++);
				if (!cJSON_IsNumber(e) || !(e->valuedouble >= 0) ||
				    e->valuedouble > 1e6 ||
				    (double)(long long)e->valuedouble != e->valuedouble)
					return type_error(name, at, "a whole number", e, err,
					                  errlen);
			}
			break;
		}
		case KT_PERIOD:
			if (cJSON_IsNumber(v))
				break;
			if (!cJSON_IsString(v) || !*v->valuestring ||
			    strlen(v->valuestring) > ARCH_MAX_LAYERS ||
			    strspn(v->valuestring, "LG") != strlen(v->valuestring))
				return type_error(
				    name, path, "a number or a string of L (local) and G (global)",
				    v, err, errlen);
			break;
		case KT_NAME_LIST: {
			if (!cJSON_IsArray(v))
				return type_error(name, path, "an array of names", v, err, errlen);
			int n = cJSON_GetArraySize(v);
			if (n > ARCH_MAX_LAYERS) {
				snprintf(err, errlen,
				         "%s: %s: %d entries, more than the %d layers "
				         "vramcalc models",
				         name, path, n, ARCH_MAX_LAYERS);
				return false;
			}
			int i = 0;
			const cJSON *e;
			cJSON_ArrayForEach (e, v) {
				char at[128];
				snprintf(at, sizeof(at), "%s[%d]", path, i++);
				if (!cJSON_IsString(e) || !is_name(e->valuestring))
					return type_error(name, at, "a layer type name", e, err,
					                  errlen);
			}
			break;
		}
		}
	}
	return true;
}

/* config_source.get over the JSON tree. */
static const char *json_get(void *ctx, const char *key, char *buf, size_t buflen)
{
	struct jctx *c = ctx;
	char path[96];
	const cJSON *v = lookup(c, key, path, sizeof(path));
	if (!v) {
		for (size_t i = 0; i < N_DEFAULTS; i++)
			if (c->model_type && !strcmp(defaults[i].model_type, c->model_type) &&
			    !strcmp(defaults[i].key, key)) {
				c->defaults_used |= 1u << i;
				snprintf(buf, buflen, "%s", defaults[i].value);
				return buf;
			}
		return NULL;
	}
	buf[0] = '\0';
	if (cJSON_IsNumber(v)) {
		number_text(v->valuedouble, buf, buflen);
	} else if (cJSON_IsBool(v)) {
		snprintf(buf, buflen, "%s", cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsString(v)) {
		snprintf(buf, buflen, "%s", v->valuestring);
	} else if (type_of(key) == KT_NUMBERS && is_uniform_numbers(v)) {
		number_text(v->child->valuedouble, buf, buflen);
	} else if (cJSON_IsArray(v)) {
		size_t o = 0;
		const cJSON *e;
		cJSON_ArrayForEach (e, v) {
			char n[32];
			if (cJSON_IsNumber(e))
				number_text(e->valuedouble, n, sizeof(n));
			const char *s = cJSON_IsString(e)   ? e->valuestring
			                : cJSON_IsNumber(e) ? n
			                                    : "?";
			int w = snprintf(buf + o, buflen - o, "%s%s", o ? "," : "", s);
			if (w < 0 || (size_t)w >= buflen - o)
				break; /* cannot happen after check_types */
			o += (size_t)w;
		}
	} else if (!cJSON_IsNull(v)) {
		snprintf(buf, buflen, "?"); /* objects: rejected by check_types */
	}
	return buf;
}

/* "bfloat16" -> "bf16", as the profiles spell dtypes. */
static const char *short_dtype(const char *d)
{
	static const char *const map[][2] = {
	    {"bfloat16", "bf16"}, {"float16", "f16"}, {"float32", "f32"},
	    {"half", "f16"},      {"float", "f32"},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i][0], d))
			return map[i][1];
	return d;
}

static bool num_field(const cJSON *obj, const char *key, double *out)
{
	const cJSON *v = field(obj, key);
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble < 1e9))
		return false;
	*out = v->valuedouble;
	return true;
}

static const char *str_field(const cJSON *obj, const char *key)
{
	const cJSON *v = field(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Parameters of a multimodal checkpoint's vision tower from its
 * vision_config: a ViT of num_hidden_layers (or depth) blocks of width
 * hidden_size (attention with biases, an MLP of intermediate_size with
 * biases, two LayerNorms), its patch and position embeddings, a final
 * norm and a projection to the text model's width.  Exact for SigLIP
 * (Gemma 3); Pixtral's MLP is gated and bias-free and it has no position
 * table.  0 when the object lacks the widths. */
static uint64_t vision_params(const cJSON *vc, uint32_t text_hidden)
{
	double h, inter, layers, patch = 14, image = 0, ch = 3;
	if (!cJSON_IsObject(vc) || !num_field(vc, "hidden_size", &h) ||
	    !num_field(vc, "intermediate_size", &inter) ||
	    (!num_field(vc, "num_hidden_layers", &layers) && !num_field(vc, "depth", &layers)))
		return 0;
	num_field(vc, "patch_size", &patch);
	num_field(vc, "image_size", &image);
	num_field(vc, "num_channels", &ch);
	const char *mt = str_field(vc, "model_type");
	bool gated = mt && strstr(mt, "pixtral");
	uint64_t H = (uint64_t)h, I = (uint64_t)inter, P = (uint64_t)patch;
	uint64_t block =
	    gated ? 4 * H * H + 3 * H * I + 2 * H : 4 * H * H + 4 * H + 2 * H * I + I + H + 4 * H;
	uint64_t n = (uint64_t)layers * block + (uint64_t)ch * P * P * H + H + 2 * H;
	if (!gated && P)
		n += (uint64_t)(image / patch) * (uint64_t)(image / patch) * H;
	return n + H + H * text_hidden; /* projector norm and matrix */
}

/* A one-line summary of quantization_config: "fp8 e4m3, block 128x128",
 * "compressed-tensors int4, group 32", "gptq int4, group 128", "mxfp4".
 * Informational only: fields of the wrong type are skipped. */
static void quant_summary(const cJSON *q, char *out, size_t n)
{
	char method[32], fmt[16] = "";
	const char *m = str_field(q, "quant_method");
	json_show(method, sizeof(method), m ? m : "quantized");
	double bits = 0, group = 0, b0, b1;
	const char *kind = "int";
	const cJSON *groups = field(q, "config_groups");
	if (cJSON_IsObject(groups) && groups->child) { /* compressed-tensors */
		const cJSON *w = field(groups->child, "weights");
		num_field(w, "num_bits", &bits);
		num_field(w, "group_size", &group);
		const char *t = str_field(w, "type");
		if (t && !strcmp(t, "float"))
			kind = "fp";
	} else {
		if (!num_field(q, "bits", &bits))
			num_field(q, "w_bit", &bits);
		if (!num_field(q, "group_size", &group))
			num_field(q, "q_group_size", &group);
	}
	const char *f = str_field(q, "fmt");
	if (f)
		json_show(fmt, sizeof(fmt), f);
	size_t o = (size_t)snprintf(out, n, "%s", method);
	if (bits > 0 && o < n)
		o += (size_t)snprintf(out + o, n - o, " %s%.0f", kind, bits);
	if (*fmt && o < n)
		o += (size_t)snprintf(out + o, n - o, " %s", fmt);
	if (group > 0 && o < n)
		o += (size_t)snprintf(out + o, n - o, ", group %.0f", group);
	const cJSON *blk = field(q, "weight_block_size");
	if (cJSON_GetArraySize(blk) == 2 && o < n) {
		const cJSON *x = cJSON_GetArrayItem(blk, 0), *y = cJSON_GetArrayItem(blk, 1);
		if (cJSON_IsNumber(x) && cJSON_IsNumber(y) && (b0 = x->valuedouble) >= 0 &&
		    (b1 = y->valuedouble) >= 0 && b0 < 1e9 && b1 < 1e9)
			snprintf(out + o, n - o, ", block %.0fx%.0f", b0, b1);
	}
}

/* Warning listing the defaults that were used. */
static void warn_defaults(const struct jctx *c, const char *name, struct profile_warnings *w)
{
	if (!c->defaults_used)
		return;
	char list[200] = "";
	for (size_t i = 0; i < N_DEFAULTS; i++)
		if (c->defaults_used & (1u << i)) {
			size_t o = strlen(list);
			snprintf(list + o, sizeof(list) - o, "%s%s = %s", o ? ", " : "",
			         defaults[i].key, defaults[i].value);
		}
	profile_warn(w, "%s: not in the config, transformers' %s defaults used: %s", name,
	             c->model_type, list);
}

bool hfjson_load_mem(const char *text, size_t len, const char *name, struct hfjson_model *out,
                     struct profile_warnings *warnings, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (len > HFJSON_MAX_FILE_BYTES) {
		snprintf(err, errlen, "%s: %zu bytes, larger than the %u bytes allowed", name, len,
		         HFJSON_MAX_FILE_BYTES);
		return false;
	}
	cJSON *root = json_parse(text, len, name, HFJSON_MAX_VALUES, err, errlen);
	if (!root)
		return false;
	json_warn_duplicate_keys(text, len, name, warnings);
	bool ok = false;
	struct jctx c = {.top = root};
	if (!cJSON_IsObject(root)) {
		snprintf(err, errlen, "%s: expected a JSON object at the top level, got %s", name,
		         json_type_name(root));
		goto out;
	}
	const cJSON *tc = field(root, "text_config");
	if (tc && !cJSON_IsNull(tc) && !cJSON_IsObject(tc)) {
		type_error(name, "text_config", "an object", tc, err, errlen);
		goto out;
	}
	c.text = cJSON_IsObject(tc) ? tc : NULL;
	if (!check_types(&c, name, err, errlen))
		goto out;
	char path[96];
	const cJSON *mt = lookup(&c, "model_type", path, sizeof(path));
	c.model_type = cJSON_IsString(mt) ? mt->valuestring : NULL;

	char where[600];
	snprintf(where, sizeof(where), "%s:", name);
	struct config_source src = {json_get, &c, where, NULL};
	if (!hfconfig_to_arch(&src, NULL, &out->arch, err, errlen))
		goto out;
	out->arch.vision_params = vision_params(field(root, "vision_config"), out->arch.n_embd);
	warn_defaults(&c, name, warnings);

	struct model_meta *m = &out->meta;
	json_show(m->id, sizeof(m->id), name);
	json_show(m->name, sizeof(m->name), name);
	json_show(m->path, sizeof(m->path), name);
	snprintf(m->origin, sizeof(m->origin), "config.json");
	snprintf(out->model_type, sizeof(out->model_type), "%s", c.model_type ? c.model_type : "");
	snprintf(m->family, sizeof(m->family), "%s", out->model_type);
	out->text_config = c.text != NULL;
	const cJSON *q = field(c.text, "quantization_config");
	if (!cJSON_IsObject(q))
		q = field(root, "quantization_config");
	if (cJSON_IsObject(q))
		quant_summary(q, out->quantization, sizeof(out->quantization));
	const cJSON *dt = lookup(&c, "torch_dtype", path, sizeof(path));
	if (*out->quantization)
		snprintf(m->native_dtype, sizeof(m->native_dtype), "%s", out->quantization);
	else if (cJSON_IsString(dt))
		snprintf(m->native_dtype, sizeof(m->native_dtype), "%s",
		         short_dtype(dt->valuestring));
	char source[600];
	snprintf(source, sizeof(source), "%s%s", m->path, out->text_config ? " (text_config)" : "");
	json_show(m->source, sizeof(m->source), source);
	ok = true;
out:
	cJSON_Delete(root);
	return ok;
}

/* "x/qwen3-8b.config.json" -> "qwen3-8b"; "Qwen3-8B/config.json" ->
 * "Qwen3-8B" (the directory's name; "." resolved). */
static void id_from_path(const char *path, char *id, size_t n)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char tmp[PATH_MAX];
	if (!strcmp(base, "config.json")) {
		char dir[PATH_MAX];
		snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1,
		         slash ? path : ".");
		if (!*dir)
			snprintf(dir, sizeof(dir), "/");
		if (realpath(dir, tmp)) {
			const char *b = strrchr(tmp, '/');
			if (b && b[1]) {
				json_show(id, n, b + 1);
				return;
			}
		}
		json_show(id, n, "config");
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s", base);
	size_t len = strlen(tmp);
	if (len > 5 && !strcmp(tmp + len - 5, ".json"))
		tmp[len -= 5] = '\0';
	if (len > 7 && !strcmp(tmp + len - 7, ".config"))
		tmp[len -= 7] = '\0';
	json_show(id, n, tmp);
}

bool hfjson_load(const char *path, struct hfjson_model *out, struct profile_warnings *warnings,
                 char *err, size_t errlen)
{
	char *text;
	size_t len;
	memset(out, 0, sizeof(*out));
	if (!json_read_file(path, HFJSON_MAX_FILE_BYTES, &text, &len, err, errlen))
		return false;
	bool ok = hfjson_load_mem(text, len, path, out, warnings, err, errlen);
	free(text);
	if (ok) {
		id_from_path(path, out->meta.id, sizeof(out->meta.id));
		snprintf(out->meta.name, sizeof(out->meta.name), "%s", out->meta.id);
	}
	return ok;
}

/*
 * test_import.c - importing config.json and safetensors headers, and
 * --save-profile: accuracy against the truth set, every class of hostile
 * input (fixtures of tests/data/json-bad and tests/data/safetensors, written
 * by their make.py, plus files too large to commit, made here), and the
 * profile round trip.
 *
 * Run from the repository root (paths are relative to it).
 */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "estimate.h"
#include "estimate_once.h"
#include "gguf.h"
#include "hfconfig.h"
#include "hfjson.h"
#include "ini.h"
#include "json.h"
#include "profile_save.h"
#include "safetensors.h"
#include "source.h"
#include "truth.h"

#define IM_JSON "tests/data/json-bad"
#define IM_ST   "tests/data/safetensors"

/* A config.json import that must succeed. */
static void im_load_config(const char *path, struct hfjson_model *hf)
{
	char err[PROFILE_ERR_LEN];
	cr_assert(hfjson_load(path, hf, NULL, err, sizeof(err)), "%s: %s", path, err);
}

/* A profile that must load. */
static void im_load_profile(const char *path, struct model_arch *a)
{
	struct model_meta meta;
	char err[PROFILE_ERR_LEN];
	cr_assert(profile_load_model(path, &meta, a, NULL, err, sizeof(err)), "%s: %s", path, err);
}

static int im_cmp_tensor(const void *x, const void *y)
{
	return strcmp(((const struct tensor_info *)x)->name, ((const struct tensor_info *)y)->name);
}

/* Same tensor names and shapes (lists sorted in place). */
static void im_same_tensors(const char *what, struct tensor_list *a, struct tensor_list *b)
{
	cr_assert_eq(a->n, b->n, "%s: %zu tensors vs %zu", what, a->n, b->n);
	qsort(a->v, a->n, sizeof(*a->v), im_cmp_tensor);
	qsort(b->v, b->n, sizeof(*b->v), im_cmp_tensor);
	for (size_t i = 0; i < a->n; i++) {
		cr_assert_str_eq(a->v[i].name, b->v[i].name, "%s", what);
		for (int d = 0; d < 4; d++)
			cr_assert_eq(a->v[i].ne[d], b->v[i].ne[d], "%s: %s ne[%d]", what,
			             a->v[i].name, d);
	}
}

/* ------------------------------------------------------------------ */
/* config.json against the truth set                                   */

TestSuite(import_truth);

/* The eight truth configs give exactly the architecture (so the tensors,
 * parameters, weights and KV cache) of the truth profiles. */
Test(import_truth, configs_equal_truth_profiles)
{
	for (size_t k = 0; k < TRUTH_N_MODELS; k++) {
		char path[256];
		struct hfjson_model hf;
		struct model_arch prof;
		snprintf(path, sizeof(path), TRUTH_DIR "/configs/%s.config.json", truth_models[k]);
		im_load_config(path, &hf);
		snprintf(path, sizeof(path), TRUTH_DIR "/profiles/%s.ini", truth_models[k]);
		im_load_profile(path, &prof);
		cr_assert_eq(memcmp(&hf.arch, &prof, sizeof(prof)), 0, "%s: arch differs",
		             truth_models[k]);
		cr_expect_str_eq(hf.meta.id, truth_models[k]);
		cr_expect_str_eq(hf.meta.origin, "config.json");
		cr_expect_str_eq(hf.meta.native_dtype,
		                 strcmp(truth_models[k], "gpt-oss-20b-L2") ? "bf16" : "mxfp4");

		struct model a = {.arch = hf.arch}, b = {.arch = prof};
		cr_assert(model_prepare(&a) && model_prepare(&b));
		cr_expect_eq(a.params_total, b.params_total, "%s", truth_models[k]);
		cr_expect_eq(a.params_active, b.params_active, "%s", truth_models[k]);
		im_same_tensors(truth_models[k], &a.tensors, &b.tensors);
		model_release(&a);
		model_release(&b);
	}
}

static const char *im_truth_config(const char *model, char *buf, size_t n)
{
	snprintf(buf, n, TRUTH_DIR "/configs/%s.config.json", model);
	return buf;
}

/* llama.cpp's measured weights (every quant) and KV cache, output and
 * model buffer (every run) come out exactly from the config.json imports,
 * as the foundation requires of the profiles. */
Test(import_truth, config_imports_match_llama_cpp_measurements)
{
	struct truth t;
	cr_assert(truth_load(TRUTH_DIR, &t));
	struct model models[TRUTH_N_MODELS];
	for (size_t k = 0; k < TRUTH_N_MODELS; k++) {
		char path[256];
		struct hfjson_model hf;
		im_load_config(im_truth_config(truth_models[k], path, sizeof(path)), &hf);
		memset(&models[k], 0, sizeof(models[k]));
		models[k].arch = hf.arch;
		cr_assert(model_prepare(&models[k]));
	}
	size_t checked = 0;
	for (size_t i = 0; i < t.n_quants; i++) {
		const struct truth_quant *q = &t.quants[i];
		for (size_t k = 0; k < TRUTH_N_MODELS; k++) {
			if (strcmp(q->model, truth_models[k]))
				continue;
			struct settings s;
			struct estimate e;
			estimate_settings_default(&s);
			cr_assert(ftype_find(q->quant, &s.ftype), "%s", q->quant);
			estimate_once(&models[k], &s, &e);
			cr_expect_eq(e.weights_bytes, q->tensor_data_bytes, "%s %s: %llu != %llu",
			             q->model, q->quant, (unsigned long long)e.weights_bytes,
			             (unsigned long long)q->tensor_data_bytes);
			checked++;
		}
	}
	cr_expect_geq(checked, 80, "quant rows checked: %zu", checked);
	checked = 0;
	for (size_t i = 0; i < t.n_runs; i++) {
		const struct truth_run *r = &t.runs[i];
		for (size_t k = 0; k < TRUTH_N_MODELS; k++) {
			if (strcmp(r->model, truth_models[k]))
				continue;
			char err[256];
			cr_assert(estimate_check_once(&models[k], &r->settings, err, sizeof(err)),
			          "%s: %s", r->run_id, err);
			struct estimate e;
			estimate_once(&models[k], &r->settings, &e);
			cr_expect_eq(e.kv_bytes, r->context_bytes, "%s: KV %llu != %llu", r->run_id,
			             (unsigned long long)e.kv_bytes,
			             (unsigned long long)r->context_bytes);
			cr_expect_eq(e.output_bytes, r->output_buffer_bytes, "%s: output",
			             r->run_id);
			cr_expect_eq(e.weights_bytes, r->model_buffer_bytes, "%s: model buffer",
			             r->run_id);
			checked++;
		}
	}
	cr_expect_geq(checked, 700, "runs checked: %zu", checked);
	for (size_t k = 0; k < TRUTH_N_MODELS; k++)
		model_release(&models[k]);
	truth_free(&t);
}

/* ------------------------------------------------------------------ */
/* config.json: nested, quantized, every catalog model_type             */

TestSuite(import_config, .init = truth_use_repo_profiles);

/* The 2026 layouts of h10b, from a published-style config.json: Gemma 3n's
 * per-layer intermediate_size list and MiniMax M3's nested
 * sparse_attention_config read as the catalog profiles say. */
Test(import_config, gemma3n_and_minimax_m3_configs_match_their_profiles)
{
	static const char *const cases[][2] = {
	    {"tests/data/truth2026/configs/gemma3n-e2b.config.json",
	     "profiles/models/gemma-3n-e2b.ini"},
	    {"tests/data/truth2026/configs/minimax-m3.config.json",
	     "profiles/models/minimax-m3.ini"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hfjson_model hf;
		struct model_arch prof;
		struct profile_warnings w = {0};
		char err[PROFILE_ERR_LEN], what[64];
		cr_assert(hfjson_load(cases[i][0], &hf, &w, err, sizeof(err)), "%s", err);
		im_load_profile(cases[i][1], &prof);
		cr_expect(profile_arch_equivalent(&hf.arch, &prof, what, sizeof(what)), "%s: %s",
		          cases[i][0], what);
	}
	struct hfjson_model hf;
	struct profile_warnings w = {0};
	char err[PROFILE_ERR_LEN];
	cr_assert(hfjson_load("tests/data/truth2026/configs/minimax-m3.config.json", &hf, &w, err,
	                      sizeof(err)),
	          "%s", err);
	cr_expect_eq(hf.arch.msa_block, 128);
	cr_expect_eq(hf.arch.idx_n_head, 4);
	cr_expect_eq(hf.arch.layer_idx[2], 0, "dense lead layers keep no index cache");
	cr_expect_eq(hf.arch.layer_idx[3], 1);
	cr_assert(hfjson_load("tests/data/truth2026/configs/gemma3n-e4b.config.json", &hf, &w, err,
	                      sizeof(err)),
	          "%s", err);
	cr_expect_eq(hf.arch.n_ff, 16384, "the per-layer list's value");
	cr_expect_eq(hf.arch.n_layer_kv, 20);
	cr_expect_eq(hf.arch.n_altup, 4);
	cr_expect_eq(hf.arch.laurel_rank, 64);
}

/* A tensor of l by name, or NULL. */
static const struct tensor_info *im_tensor(const struct tensor_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	return NULL;
}

/* The layouts of h10c from config.json: EXAONE 4's "LLLG" pattern (64
 * layers: llama.cpp slides only there), Step-3.5's nested
 * attention_other_setting, moe_layers_enum and MTP entries in layer_types,
 * and the tensors that follow (per-layer query width, the MTP block's loaded
 * parts outside the parameter count); MiMo-V2's KV heads by layer type and
 * sinks on sliding layers from its profile. */
Test(import_config, exaone4_step35_mimo2_layouts)
{
	struct hfjson_model hf;
	struct profile_warnings w = {0};
	char err[PROFILE_ERR_LEN];
	cr_assert(hfjson_load(IM_JSON "/ok-exaone4-lllg.json", &hf, &w, err, sizeof(err)), "%s",
	          err);
	cr_expect_eq(hf.arch.n_swa, 128);
	for (uint32_t il = 0; il < 64; il++)
		cr_expect_eq(hf.arch.layer_kind[il], il % 4 < 3 ? LK_ATTN_SWA : LK_ATTN_FULL,
		             "layer %u", il);

	cr_assert(hfjson_load(IM_JSON "/ok-step3p5-nested.json", &hf, &w, err, sizeof(err)), "%s",
	          err);
	const struct model_arch *a = &hf.arch;
	cr_expect_eq(a->n_layer, 6);
	cr_expect_eq(a->n_mtp, 1);
	cr_expect_eq(a->n_head, 4);
	cr_expect_eq(a->n_head_swa, 6);
	cr_expect_eq(a->n_head_kv, 2);
	cr_expect_eq(a->n_dense_lead, 2);
	cr_expect(!a->layer_moe[1] && a->layer_moe[2]);
	cr_expect(a->expert_bias);
	cr_expect_eq(a->n_ff_shexp, 64);
	cr_expect_eq(a->layer_kind[4], LK_ATTN_FULL);
	cr_expect_eq(a->layer_kind[5], LK_ATTN_SWA);
	struct tensor_list l;
	tensors_init(&l);
	cr_assert(tensors_build(a, &l));
	const struct tensor_info *q0 = im_tensor(&l, "blk.0.attn_q.weight");
	const struct tensor_info *q1 = im_tensor(&l, "blk.1.attn_q.weight");
	const struct tensor_info *g1 = im_tensor(&l, "blk.1.attn_gate.weight");
	cr_assert(q0 && q1 && g1);
	cr_expect_eq(q0->ne[1], 4 * 64);
	cr_expect_eq(q1->ne[1], 6 * 64, "sliding layers have 6 query heads");
	cr_expect_eq(g1->ne[1], 6);
	cr_expect_not_null(im_tensor(&l, "blk.6.nextn.shared_head_head.weight"));
	cr_expect_not_null(im_tensor(&l, "blk.6.ffn_down.weight"));
	cr_expect_null(im_tensor(&l, "blk.6.attn_q.weight"), "skipped by the loader");
	uint64_t with_mtp = 0;
	for (size_t i = 0; i < l.n; i++)
		with_mtp += tensor_elems(&l.v[i]);
	cr_expect_eq(tensors_params_total(&l, a) + 1000 * 256 + 256 + 3 * 256 * 512 + 2 * 64 +
	                 256 * 6,
	             with_mtp, "the MTP block's tensors are not parameters");
	tensors_free(&l);

	struct model_arch m;
	im_load_profile("profiles/models/mimo-v2-flash.ini", &m);
	cr_expect_eq(m.n_mtp, 3);
	tensors_init(&l);
	cr_assert(tensors_build(&m, &l));
	const struct tensor_info *k0 = im_tensor(&l, "blk.0.attn_k.weight");
	const struct tensor_info *k1 = im_tensor(&l, "blk.1.attn_k.weight");
	const struct tensor_info *v1 = im_tensor(&l, "blk.1.attn_v.weight");
	cr_assert(k0 && k1 && v1);
	cr_expect_eq(k0->ne[1], 4 * 192, "full layer: 4 KV heads of 192");
	cr_expect_eq(k1->ne[1], 8 * 192, "sliding layer: 8 KV heads");
	cr_expect_eq(v1->ne[1], 8 * 128, "V is 128 wide");
	cr_expect_null(im_tensor(&l, "blk.0.attn_sinks.weight"));
	cr_expect_not_null(im_tensor(&l, "blk.1.attn_sinks.weight"));
	cr_expect_not_null(im_tensor(&l, "blk.0.ffn_down.weight"), "dense layer 0");
	cr_expect_not_null(im_tensor(&l, "blk.1.exp_probs_b.bias"));
	tensors_free(&l);
}

/* Gemma 3 4B IT as published: model_type gemma3, a text_config with six
 * keys; the rest are Gemma3TextConfig's defaults, announced in a warning. */
Test(import_config, nested_text_config_with_defaults)
{
	struct hfjson_model hf;
	struct model_arch prof;
	struct profile_warnings w = {0};
	char err[PROFILE_ERR_LEN];
	cr_assert(hfjson_load(IM_JSON "/ok-gemma3-4b-nested.json", &hf, &w, err, sizeof(err)), "%s",
	          err);
	im_load_profile("profiles/models/gemma-3-4b.ini", &prof);
	/* the SigLIP tower from vision_config, to the parameter */
	cr_expect_eq(hf.arch.vision_params, 419816304, "vision %llu",
	             (unsigned long long)hf.arch.vision_params);
	cr_assert_eq(memcmp(&hf.arch, &prof, sizeof(prof)), 0, "gemma-3-4b differs");
	cr_expect(hf.text_config);
	cr_expect_str_eq(hf.model_type, "gemma3_text");
	cr_assert_eq(w.n, 1);
	cr_expect(strstr(w.msg[0], "ok-gemma3-4b-nested.json") &&
	              strstr(w.msg[0], "vocab_size = 262208") && strstr(w.msg[0], "head_dim = 256"),
	          "%s", w.msg[0]);
	cr_expect_str_eq(hf.meta.native_dtype, "bf16", "torch_dtype of the top level");
}

/* Hunyuan's per-layer lists (moe_topk, num_shared_expert,
 * moe_intermediate_size) of equal values read as one number; the shared
 * expert is intermediate_size wide and every layer is MoE. */
Test(import_config, hunyuan_per_layer_lists)
{
	struct hfjson_model hf;
	im_load_config(IM_JSON "/ok-hunyuan-lists.json", &hf);
	cr_expect_eq(hf.arch.family, AF_QWEN3);
	cr_expect_str_eq(hf.arch.gguf_arch, "hunyuan-moe");
	cr_expect_eq(hf.arch.n_expert, 8);
	cr_expect_eq(hf.arch.n_expert_used, 2);
	cr_expect_eq(hf.arch.n_ff_exp, 32);
	cr_expect_eq(hf.arch.n_expert_shared, 1);
	cr_expect_eq(hf.arch.n_ff_shexp, 128);
	for (uint32_t il = 0; il < hf.arch.n_layer; il++)
		cr_expect(hf.arch.layer_moe[il], "layer %u", il);
	cr_expect_eq(hf.arch.n_ctx_train, 4096, "no dynamic rope: max_position_embeddings");
	/* Hunyuan-A13B's config says 32768 beside its NTK-alpha ("dynamic")
	 * rope; convert_hf_to_gguf writes context_length 262144 */
	im_load_config("tests/data/truth2026/configs/hunyuan-a13b.config.json", &hf);
	cr_expect_eq(hf.arch.n_ctx_train, 262144);
}

/* Hy3: qwen3's tensors under llama.cpp's hy_v3, a dense first layer, the
 * router bias, a shared expert of moe_intermediate_size, the MTP block that
 * convert_hf_to_gguf writes (counted by the recipe, not built). */
Test(import_config, hy3_dense_lead_bias_mtp)
{
	struct hfjson_model hf;
	im_load_config(IM_JSON "/ok-hy3.json", &hf);
	cr_expect_eq(hf.arch.family, AF_QWEN3);
	cr_expect_str_eq(hf.arch.gguf_arch, "hy_v3");
	cr_expect(hf.arch.expert_bias);
	cr_expect_eq(hf.arch.n_dense_lead, 1);
	cr_expect_not(hf.arch.layer_moe[0]);
	cr_expect(hf.arch.layer_moe[1]);
	cr_expect_eq(hf.arch.n_ff_shexp, 32);
	cr_expect_eq(hf.arch.n_mtp, 1);
	cr_expect(hf.arch.mtp_ffn_kept); /* hy-v3.cpp keeps the block's experts */
}

/* Granite 4.0 Micro: a granitemoehybrid config with attention layers only is
 * converted to llama.cpp's plain granite (the llama layout, no state). */
Test(import_config, granite_attention_only_is_granite)
{
	struct hfjson_model hf;
	im_load_config(IM_JSON "/ok-granite-micro.json", &hf);
	cr_expect_eq(hf.arch.family, AF_LLAMA);
	cr_expect_str_eq(hf.arch.gguf_arch, "granite");
	cr_expect_eq(hf.arch.rec_kind, RK_NONE);
	for (uint32_t il = 0; il < hf.arch.n_layer; il++)
		cr_expect_eq(hf.arch.layer_kind[il], LK_ATTN_FULL, "layer %u", il);
}

/* Falcon-H1 0.5B: mamba_rms_norm false, so its Mamba-2 mixer has no grouped
 * norm (llama.cpp's ssm_norm is optional); the catalog profile says the same,
 * and the larger sizes keep the norm. */
Test(import_config, falcon_h1_without_mamba_norm)
{
	struct hfjson_model hf;
	struct model_arch prof;
	im_load_config(IM_JSON "/ok-falcon-h1-0.5b.json", &hf);
	cr_expect_eq(hf.arch.family, AF_FALCON_H1);
	cr_expect(hf.arch.ssm_norm_absent);
	cr_expect_eq(hf.arch.ssm_d_inner, 1536);
	im_load_profile("profiles/models/falcon-h1-0.5b.ini", &prof);
	cr_assert_eq(memcmp(&hf.arch, &prof, sizeof(prof)), 0, "falcon-h1-0.5b differs");
	im_load_profile("profiles/models/falcon-h1-3b.ini", &prof);
	cr_expect_not(prof.ssm_norm_absent);
}

/* Kimi K2.5: kimi_k25 wrapper, text_config says kimi_k2, INT4 experts. */
Test(import_config, nested_kimi_k25_and_quantization)
{
	struct hfjson_model hf;
	struct model_arch prof;
	im_load_config(IM_JSON "/ok-kimi-k25-nested.json", &hf);
	im_load_profile("profiles/models/kimi-k2.5.ini", &prof);
	cr_assert_eq(memcmp(&hf.arch, &prof, sizeof(prof)), 0, "kimi-k2.5 differs");
	cr_expect_str_eq(hf.model_type, "kimi_k2");
	cr_expect_str_eq(hf.meta.native_dtype, "compressed-tensors int4, group 32");

	im_load_config(IM_JSON "/ok-deepseek-v3-fp8.json", &hf);
	im_load_profile("profiles/models/deepseek-v3.ini", &prof);
	cr_assert_eq(memcmp(&hf.arch, &prof, sizeof(prof)), 0, "deepseek-v3 differs");
	cr_expect_str_eq(hf.meta.native_dtype, "fp8 e4m3, block 128x128");
	cr_expect_not(hf.text_config);
}

/* A config.json written from each catalog profile's [config] section (the
 * keys as JSON numbers, booleans, strings, layer_types as an array,
 * rope_scaling_type as rope_scaling.rope_type) imports to the profile's
 * architecture: every model_type of the catalog works through config.json. */
Test(import_config, every_catalog_profile_as_config_json)
{
	DIR *d = opendir("profiles/models");
	cr_assert_not_null(d);
	struct dirent *de;
	int n = 0;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".ini"))
			continue;
		char path[512];
		snprintf(path, sizeof(path), "profiles/models/%s", de->d_name);
		struct ini_doc ini;
		char why[256];
		cr_assert(ini_load(path, 1 << 20, &ini, why, sizeof(why)), "%s", why);
		if (ini_doc_get(&ini, "model", "arch", NULL)) {
			ini_doc_free(&ini); /* layout named by the profile, not model_type */
			continue;
		}
		cJSON *root = cJSON_CreateObject();
		size_t nk;
		const struct ini_entry *const *keys = ini_doc_section(&ini, "config", &nk);
		for (size_t i = 0; i < nk; i++) {
			const char *key = keys[i]->key;
			const char *v = keys[i]->value;
			char *end;
			double num = strtod(v, &end);
			if (!strcmp(key, "layer_types") || !strcmp(key, "compress_ratios") ||
			    !strcmp(key, "linear_attn_config.full_attn_layers")) {
				bool nums = strcmp(key, "layer_types") != 0;
				cJSON *arr = cJSON_AddArrayToObject(root, key);
				char buf[4096];
				snprintf(buf, sizeof(buf), "%s", v);
				for (char *s, *p = strtok_r(buf, ",", &s); p;
				     p = strtok_r(NULL, ",", &s))
					cJSON_AddItemToArray(arr, nums ? cJSON_CreateNumber(atof(p))
					                               : cJSON_CreateString(p));
			} else if (!strcmp(key, "rope_scaling_type")) {
				cJSON *rs = cJSON_AddObjectToObject(root, "rope_scaling");
				cJSON_AddStringToObject(rs, "rope_type", v);
			} else if (!strcmp(v, "true") || !strcmp(v, "false")) {
				cJSON_AddBoolToObject(root, key, !strcmp(v, "true"));
			} else if (*v && !*end) {
				cJSON_AddNumberToObject(root, key, num);
			} else {
				cJSON_AddStringToObject(root, key, v);
			}
		}
		ini_doc_free(&ini);
		char *text = cJSON_Print(root);
		cJSON_Delete(root);

		struct hfjson_model hf;
		struct model_arch prof;
		char err[PROFILE_ERR_LEN];
		cr_assert(
		    hfjson_load_mem(text, strlen(text), de->d_name, &hf, NULL, err, sizeof(err)),
		    "%s", err);
		im_load_profile(path, &prof);
		prof.vision_params = 0; /* a profile fact the text config does not carry */
		cr_expect_eq(memcmp(&hf.arch, &prof, sizeof(prof)), 0, "%s: arch differs", path);
		free(text);
		n++;
	}
	closedir(d);
	cr_expect_geq(n, 60, "profiles checked: %d", n);
}

Test(import_config, unknown_model_type_says_which_keys)
{
	struct hfjson_model hf;
	char err[PROFILE_ERR_LEN];
	cr_assert_not(hfjson_load(IM_JSON "/bad-unknown-type.json", &hf, NULL, err, sizeof(err)));
	static const char *const frags[] = {
	    "bad-unknown-type.json", "model_type",
	    "'transformer9000'",     "present: num_hidden_layers, hidden_size",
	    "missing: vocab_size",   "known model_types: llama",
	};
	for (size_t i = 0; i < sizeof(frags) / sizeof(frags[0]); i++)
		cr_expect(strstr(err, frags[i]), "'%s' missing in: %s", frags[i], err);
}

/* A directory: its config.json plus its sharded checkpoint. */
Test(import_config, directory_with_config_and_checkpoint)
{
	struct profile_dirs dirs;
	struct source src;
	char err[PROFILE_ERR_LEN];
	profile_dirs_init(&dirs);
	cr_assert(source_load(&dirs, IM_ST "/qwen3-0.6b/", &src, NULL, err, sizeof(err)), "%s",
	          err);
	cr_expect_eq(src.kind, SOURCE_HF_CONFIG);
	cr_expect(src.has_arch && src.has_checkpoint);
	cr_expect_str_eq(src.meta.id, "qwen3-0.6b");
	cr_expect_str_eq(src.model_type, "qwen3");
	cr_expect_eq(src.checkpoint.elements, src.model.params_total,
	             "the checkpoint's elements are the model's parameters");
	source_release(&src);

	cr_assert_not(source_load(&dirs, "tests/data", &src, NULL, err, sizeof(err)));
	cr_expect(strstr(err, "tests/data") && strstr(err, "no config.json"), "%s", err);
}

/* ------------------------------------------------------------------ */
/* config.json: hostile input                                          */

TestSuite(import_bad, .init = truth_use_repo_profiles);

struct im_bad {
	const char *file;
	const char *frag[3];
};

static const struct im_bad im_bad_configs[] = {
    {"bad-syntax.json", {"not valid JSON", "line 4, column 2", NULL}},
    {"bad-trailing.json", {"unexpected text after the JSON value", "line 2", NULL}},
    {"bad-not-object.json", {"expected a JSON object", "an array", NULL}},
    {"bad-empty.json", {"empty", NULL, NULL}},
    {"bad-nul.json", {"NUL byte at offset 21", NULL, NULL}},
    {"bad-utf8.json", {"not valid UTF-8 at byte 57", NULL, NULL}},
    {"bad-overlong-utf8.json", {"not valid UTF-8 at byte 16", NULL, NULL}},
    {"bad-deep.json", {"nested deeper than 64 levels", NULL, NULL}},
    {"bad-string-number.json", {"num_hidden_layers", "expected a number", "'16'"}},
    {"bad-negative.json", {"num_key_value_heads", "not a whole number", "'-8'"}},
    {"bad-fraction.json", {"hidden_size", "not a whole number", "'2048.5'"}},
    {"bad-absurd.json", {"num_hidden_layers", "larger than 256", "'1000000000000'"}},
    {"bad-infinite.json", {"vocab_size", "not a whole number", "'inf'"}},
    {"bad-bool.json", {"tie_word_embeddings", "true or false", "'yes'"}},
    {"bad-number-bool.json", {"num_attention_heads", "expected a number", "got true"}},
    {"bad-array-number.json", {"num_key_value_heads", "expected a number", "an array"}},
    {"bad-ff-list.json", {"intermediate_size", "expected a number", "an array"}},
    {"bad-object-number.json", {"hidden_size", "expected a number", "an object"}},
    {"bad-model-type-number.json", {"model_type", "a number: 7", NULL}},
    {"bad-model-type-name.json", {"model_type", "'llama; rm -rf'", NULL}},
    {"bad-missing-key.json", {"hidden_size", "missing (required)", NULL}},
    {"bad-text-config.json", {"text_config", "expected an object", "'llama'"}},
    {"bad-rope-scaling.json", {"rope_scaling", "expected an object", NULL}},
    {"bad-layer-types.json", {"layer_types[1]", "a number: 3", NULL}},
    {"bad-layer-types-long.json", {"layer_types", "300 entries", NULL}},
    {"bad-nested-type.json", {"text_config.head_dim", "expected a number", "'256'"}},
    {"bad-nemotron-pattern.json", {"hybrid_override_pattern", "layer codes", "'M*X-'"}},
    {"bad-nemotron-pattern-count.json", {"hybrid_override_pattern", "3 blocks for 4 layers", NULL}},
    {"bad-nemotron-block-type.json", {"layers_block_type", "unknown block type", "'conv'"}},
    {"bad-hunyuan-topk.json", {"moe_topk", "one equal number per layer", "an array"}},
    {"bad-hunyuan-topk-type.json", {"moe_topk", "one equal number per layer", "an array"}},
    {"bad-mimo-pattern-count.json", {"hybrid_layer_pattern", "one 0 (full) or 1", "'0,1,1'"}},
    {"bad-exaone-pattern.json", {"sliding_window_pattern", "L (local) and G (global)", "'LLXG'"}},
    {"bad-hy3-dense-lead.json", {"first_k_dense_replace", "exceeds num_hidden_layers", NULL}},
    {"bad-hy3-mtp-type.json", {"num_nextn_predict_layers", "expected a number", "'1'"}},
    {"bad-granite-expand.json", {"mamba_d_head", "2 x hidden_size", "'8 x 8 = 64'"}},
    {"bad-falcon-h1-rms-norm.json", {"mamba_rms_norm", "true or false", "'no'"}},
    {"bad-step-heads.json",
     {"attention_other_setting.num_attention_heads", "expected a number", "'6'"}},
};

/* Every broken config: one line naming the file and the key or place. */
Test(import_bad, every_broken_config_names_file_and_key)
{
	for (size_t i = 0; i < sizeof(im_bad_configs) / sizeof(im_bad_configs[0]); i++) {
		char path[256], err[PROFILE_ERR_LEN] = "";
		struct hfjson_model hf;
		snprintf(path, sizeof(path), IM_JSON "/%s", im_bad_configs[i].file);
		cr_expect_not(hfjson_load(path, &hf, NULL, err, sizeof(err)), "%s accepted", path);
		cr_expect(strncmp(err, path, strlen(path)) == 0, "does not start with the file: %s",
		          err);
		cr_expect_null(strchr(err, '\n'), "one line: %s", err);
		for (int k = 0; k < 3 && im_bad_configs[i].frag[k]; k++)
			cr_expect(strstr(err, im_bad_configs[i].frag[k]), "%s: '%s' missing in: %s",
			          im_bad_configs[i].file, im_bad_configs[i].frag[k], err);
	}
}

/* ... and the command line exits 2 with that line. */
Test(import_bad, cli_exits_2)
{
	for (size_t i = 0; i < sizeof(im_bad_configs) / sizeof(im_bad_configs[0]); i += 4) {
		char path[256], *out, *err;
		snprintf(path, sizeof(path), IM_JSON "/%s", im_bad_configs[i].file);
		char *argv[] = {"vramcalc", "-m", path, "--json"};
		cr_expect_eq(truth_run_cli(&out, &err, 4, argv), 2, "%s", path);
		cr_expect(strstr(err, im_bad_configs[i].file), "%s", err);
		cr_expect_str_eq(out, "", "nothing on stdout");
		free(out);
		free(err);
	}
}

/* Write len bytes made by fill(i) to a temporary file; returns its path. */
static char *im_temp_file(size_t len, char (*fill)(size_t i, size_t len))
{
	char *path = strdup("/tmp/vramcalc-import-XXXXXX");
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	char buf[65536];
	for (size_t o = 0; o < len;) {
		size_t n = len - o < sizeof(buf) ? len - o : sizeof(buf);
		for (size_t i = 0; i < n; i++)
			buf[i] = fill(o + i, len);
		cr_assert_eq(write(fd, buf, n), (ssize_t)n);
		o += n;
	}
	close(fd);
	return path;
}

static char im_fill_spaces(size_t i, size_t len)
{
	return i == 0 ? '{' : i == len - 1 ? '}' : ' ';
}

/* "[0,0,0,...]" */
static char im_fill_values(size_t i, size_t len)
{
	return i == 0 ? '[' : i == len - 1 ? ']' : (i % 2 ? '0' : ',');
}

/* "[[[[...]]]]" */
static char im_fill_deep(size_t i, size_t len)
{
	return i < len / 2 ? '[' : ']';
}

/* Huge, value-dense and very deep files: refused before cJSON allocates. */
Test(import_bad, huge_dense_and_deep_json)
{
	struct hfjson_model hf;
	char err[PROFILE_ERR_LEN];
	char *path = im_temp_file(HFJSON_MAX_FILE_BYTES + 1, im_fill_spaces);
	cr_expect_not(hfjson_load(path, &hf, NULL, err, sizeof(err)));
	cr_expect(strstr(err, path) && strstr(err, "larger than the 16777216 bytes allowed"), "%s",
	          err);
	unlink(path);
	free(path);

	path = im_temp_file(2 * (HFJSON_MAX_VALUES + 10) + 1, im_fill_values);
	cr_expect_not(hfjson_load(path, &hf, NULL, err, sizeof(err)));
	cr_expect(strstr(err, "more than 1048576 JSON values"), "%s", err);
	unlink(path);
	free(path);

	path = im_temp_file(20000, im_fill_deep); /* deeper than cJSON's own 1000 */
	cr_expect_not(hfjson_load(path, &hf, NULL, err, sizeof(err)));
	cr_expect(strstr(err, "nested deeper than 64 levels at line 1, column 65"), "%s", err);
	unlink(path);
	free(path);

	cr_expect_not(hfjson_load("tests/data", &hf, NULL, err, sizeof(err)));
	cr_expect(strstr(err, "not a regular file"), "%s", err);
	cr_expect_not(hfjson_load(IM_JSON "/absent.json", &hf, NULL, err, sizeof(err)));
	cr_expect(strstr(err, "absent.json: cannot open"), "%s", err);
}

Test(import_bad, utf8_checker)
{
	static const struct {
		const char *s;
		size_t len, bad;
	} cases[] = {
	    {"plain", 5, 5},
	    {"h\xc3\xa9llo", 6, 6},
	    {"\xf0\x9f\x98\x80", 4, 4}, /* U+1F600 */
	    {"\xf4\x8f\xbf\xbf", 4, 4}, /* U+10FFFF */
	    {"\xf4\x90\x80\x80", 4, 0}, /* past U+10FFFF */
	    {"a\xc0\xaf", 3, 1},        /* overlong '/' */
	    {"ab\xe0\x80\xaf", 5, 2},   /* overlong, 3 bytes */
	    {"\xed\xa0\x80", 3, 0},     /* surrogate */
	    {"xy\xe2\x82", 4, 2},       /* truncated */
	    {"\x80", 1, 0},             /* continuation first */
	    {"\xff", 1, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(json_utf8_check(cases[i].s, cases[i].len), cases[i].bad, "case %zu",
		             i);
	char shown[8];
	json_show(shown, sizeof(shown), "a\"b\nc");
	cr_expect_str_eq(shown, "a?b?c");
	json_show(shown, sizeof(shown), "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	cr_expect_str_eq(shown, "\xc3\xa9\xc3\xa9...", "cut on a character boundary");
}

/* ------------------------------------------------------------------ */
/* safetensors                                                         */

TestSuite(import_safetensors, .init = truth_use_repo_profiles);

static void im_st_ok(const char *path, struct st_info *st, struct profile_warnings *w)
{
	char err[PROFILE_ERR_LEN];
	cr_assert(safetensors_read(path, st, w, err, sizeof(err)), "%s: %s", path, err);
}

/* The per-dtype sums of a file with eight dtypes, with and without its
 * data. */
Test(import_safetensors, byte_sums_per_dtype)
{
	struct st_info st;
	im_st_ok(IM_ST "/ok-mixed.safetensors", &st, NULL);
	cr_expect_eq(st.n_files, 1);
	cr_expect_eq(st.n_tensors, 8);
	cr_expect_eq(st.elements, 128 + 256 + 1 + 8 + 8 + 64 + 32 + 8);
	cr_expect_eq(st.dtype_bytes[ST_BF16], 256);
	cr_expect_eq(st.dtype_bytes[ST_F8_E4M3], 256);
	cr_expect_eq(st.dtype_bytes[ST_F32], 4 + 32);
	cr_expect_eq(st.dtype_tensors[ST_F32], 2);
	cr_expect_eq(st.dtype_bytes[ST_I32], 32, "packed int4 words");
	cr_expect_eq(st.dtype_bytes[ST_F16], 16);
	cr_expect_eq(st.dtype_bytes[ST_U8], 64);
	cr_expect_eq(st.dtype_bytes[ST_F4], 16, "two 4-bit values per byte");
	cr_expect_eq(st.data_bytes, 676);
	cr_expect_eq(st.file_bytes, st.header_bytes + st.data_bytes);
	cr_expect(st.complete);

	struct st_info h;
	im_st_ok(IM_ST "/ok-header-only.safetensors", &h, NULL);
	cr_expect_eq(h.data_bytes, st.data_bytes);
	cr_expect_eq(memcmp(h.dtype_bytes, st.dtype_bytes, sizeof(h.dtype_bytes)), 0);
	cr_expect_not(h.complete, "a header-only download is incomplete");
	cr_expect_eq(h.file_bytes, h.header_bytes);

	im_st_ok(IM_ST "/ok-empty.safetensors", &h, NULL);
	cr_expect_eq(h.n_tensors, 0);
	cr_expect(h.complete);
	cr_expect_str_eq(st_dtype_name(ST_F8_E5M2), "F8_E5M2");
	cr_expect_eq(st_dtype_bits(ST_F6_E2M3), 6);
}

/* A sharded checkpoint through its index: two shards, the index's
 * total_size confirmed, and the elements equal Qwen3-0.6B's parameters. */
Test(import_safetensors, sharded_index)
{
	struct st_info st;
	struct profile_warnings w = {0};
	im_st_ok(IM_ST "/qwen3-0.6b/model.safetensors.index.json", &st, &w);
	cr_expect_eq(w.n, 0, "%s", w.n ? w.msg[0] : "");
	cr_expect_eq(st.n_files, 2);
	cr_expect_eq(st.n_tensors, 310);
	cr_expect_eq(st.elements, 596049920ull);
	cr_expect_eq(st.dtype_bytes[ST_BF16], 2 * 596049920ull);
	cr_expect_eq(st.index_total_size, st.data_bytes);
	cr_expect_not(st.complete);

	struct profile_dirs dirs;
	struct source src;
	char err[PROFILE_ERR_LEN];
	profile_dirs_init(&dirs);
	cr_assert(source_load(&dirs, IM_ST "/qwen3-0.6b/model-00001-of-00002.safetensors", &src,
	                      NULL, err, sizeof(err)),
	          "%s", err);
	cr_expect_eq(src.kind, SOURCE_SAFETENSORS);
	cr_expect(src.has_arch, "config.json beside the shard");
	cr_expect_eq(src.checkpoint.n_files, 1);
	source_release(&src);
	cr_assert(source_load(&dirs, IM_ST "/ok-mixed.safetensors", &src, NULL, err, sizeof(err)),
	          "%s", err);
	cr_expect_not(src.has_arch);
	cr_expect_str_eq(src.meta.id, "ok-mixed");
	source_release(&src);
}

static const struct im_bad im_bad_st[] = {
    {"bad-short.safetensors", {"5 bytes", "too short", NULL}},
    {"bad-truncated-header.safetensors", {"header length 184", "runs past the end", "28 bytes"}},
    {"bad-length-past-end.safetensors", {"header length 4096", "runs past the end", NULL}},
    {"bad-length-huge.safetensors", {"header length 1099511627776", "larger than", NULL}},
    {"bad-length-zero.safetensors", {"header length 0", NULL, NULL}},
    {"bad-json.safetensors", {"not valid JSON", NULL, NULL}},
    {"bad-not-object.safetensors", {"expected a JSON object", NULL, NULL}},
    {"bad-utf8.safetensors", {"not valid UTF-8", NULL, NULL}},
    {"bad-deep.safetensors", {"nested deeper than 64", NULL, NULL}},
    {"bad-dtype.safetensors", {"tensor 'w'", "unknown dtype 'Q9'", NULL}},
    {"bad-dtype-type.safetensors", {"tensor 'w'", "dtype: expected a string", NULL}},
    {"bad-shape-type.safetensors", {"shape[0]", "a string", NULL}},
    {"bad-shape-negative.safetensors", {"shape[0]", "a number -4", NULL}},
    {"bad-shape-overflow.safetensors", {"more than 2^57 elements", NULL, NULL}},
    {"bad-size-mismatch.safetensors", {"[0, 100] hold 100 bytes", "32 elements of BF16", "64"}},
    {"bad-offsets-reversed.safetensors", {"[16, 0]", "begin after end", NULL}},
    {"bad-offsets-range.safetensors", {"data_offsets", "2^53", NULL}},
    {"bad-offsets-count.safetensors", {"data_offsets", "[begin, end]", NULL}},
    {"bad-overlap.safetensors", {"tensor 'b'", "overlap tensor 'a' [0, 64]", NULL}},
    {"bad-gap.safetensors", {"tensor 'b'", "gap of 16 bytes", NULL}},
    {"bad-dup-name.safetensors", {"tensor 'a'", "appears twice", NULL}},
    {"bad-metadata.safetensors", {"__metadata__", "expected an object", NULL}},
    {"bad-tensor-type.safetensors", {"tensor 'w'", "expected an object", NULL}},
    {"bad-fp4-odd.safetensors", {"3 elements of F4", "whole bytes", NULL}},
    {"index-bad/missing-shard.safetensors.index.json",
     {"model-00002-of-00002.safetensors: cannot open", "a shard listed in", NULL}},
    {"index-bad/escape.safetensors.index.json", {"'../ok-mixed.safetensors'", "not a", NULL}},
    {"index-bad/no-map.safetensors.index.json", {"no \"weight_map\"", NULL, NULL}},
};

/* Every broken file or index: one line naming it and the problem. */
Test(import_safetensors, every_broken_file_names_file_and_problem)
{
	for (size_t i = 0; i < sizeof(im_bad_st) / sizeof(im_bad_st[0]); i++) {
		char path[256], err[PROFILE_ERR_LEN] = "";
		struct st_info st;
		snprintf(path, sizeof(path), IM_ST "/%s", im_bad_st[i].file);
		cr_expect_not(safetensors_read(path, &st, NULL, err, sizeof(err)), "%s accepted",
		              path);
		cr_expect_eq(st.n_files, 0, "%s: out is cleared", path);
		cr_expect(strncmp(err, IM_ST "/", strlen(IM_ST) + 1) == 0,
		          "does not name a file: %s", err);
		cr_expect_null(strchr(err, '\n'), "one line: %s", err);
		for (int k = 0; k < 3 && im_bad_st[i].frag[k]; k++)
			cr_expect(strstr(err, im_bad_st[i].frag[k]), "%s: '%s' missing in: %s",
			          im_bad_st[i].file, im_bad_st[i].frag[k], err);
	}
	char *out, *err;
	char *argv[] = {"vramcalc", "-m", IM_ST "/bad-overlap.safetensors", "--json"};
	cr_expect_eq(truth_run_cli(&out, &err, 4, argv), 2);
	cr_expect(strstr(err, "overlap"), "%s", err);
	free(out);
	free(err);
}

/* Index problems that do not change the byte counts are warnings. */
Test(import_safetensors, index_mismatch_warns)
{
	struct st_info st;
	struct profile_warnings w = {0};
	im_st_ok(IM_ST "/index-bad/total-mismatch.safetensors.index.json", &st, &w);
	cr_assert_eq(w.n, 2);
	cr_expect(strstr(w.msg[0], "total_size is 999 bytes") && strstr(w.msg[0], "say 16"), "%s",
	          w.msg[0]);
	cr_expect(strstr(w.msg[1], "lists 2 tensors, the shards hold 1"), "%s", w.msg[1]);
}

/* Every prefix of a valid file: an error naming it, or (once the whole
 * header is there) the full sums, marked incomplete until all data is. */
Test(import_safetensors, every_truncation)
{
	FILE *f = fopen(IM_ST "/ok-mixed.safetensors", "rb");
	cr_assert_not_null(f);
	unsigned char buf[4096];
	size_t len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	struct st_info full = {0};
	char err[PROFILE_ERR_LEN];
	cr_assert(safetensors_read_mem(buf, len, "mem", &full, err, sizeof(err)), "%s", err);
	size_t hlen = buf[0] | (size_t)buf[1] << 8;
	for (size_t n = 0; n < len; n++) {
		struct st_info st = {0};
		bool ok = safetensors_read_mem(buf, n, "mem", &st, err, sizeof(err));
		if (n < 8 + hlen) {
			cr_expect_not(ok, "prefix %zu accepted", n);
			cr_expect(strncmp(err, "mem: ", 5) == 0, "%s", err);
		} else {
			cr_expect(ok, "prefix %zu: %s", n, err);
			cr_expect_eq(st.data_bytes, full.data_bytes);
			cr_expect_not(st.complete, "prefix %zu", n);
		}
	}
}

/* A header length past the 100 MiB cap in a (sparse) file that is large
 * enough: refused without reading it. */
Test(import_safetensors, header_over_the_cap)
{
	char path[] = "/tmp/vramcalc-st-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	uint64_t n = ST_MAX_HEADER_BYTES + 1ull;
	unsigned char len8[8];
	for (int i = 0; i < 8; i++)
		len8[i] = (unsigned char)(n >> (8 * i));
	cr_assert_eq(write(fd, len8, 8), 8);
	cr_assert_eq(ftruncate(fd, (off_t)(8 + n + 16)), 0);
	close(fd);
	struct st_info st;
	char err[PROFILE_ERR_LEN];
	cr_expect_not(safetensors_read(path, &st, NULL, err, sizeof(err)));
	cr_expect(strstr(err, "header length 104857601 is larger than the 104857600 bytes allowed"),
	          "%s", err);
	unlink(path);
}

/* Text and JSON output of a checkpoint without a config.json: exit 0,
 * the size as shipped, model.arch null; with one: the estimate plus a
 * "checkpoint" object. */
Test(import_safetensors, cli_output)
{
	char *out, *err;
	char *argv[] = {"vramcalc", "-m", IM_ST "/ok-mixed.safetensors", "--json"};
	cr_assert_eq(truth_run_cli(&out, &err, 4, argv), 0, "%s", err);
	cJSON *j = cJSON_Parse(out);
	cr_assert_not_null(j, "%s", out);
	cr_expect(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "model"), "arch")));
	cJSON *c = cJSON_GetObjectItem(j, "checkpoint");
	cr_expect_eq(cJSON_GetObjectItem(c, "data_bytes")->valuedouble, 676);
	cr_expect_eq(cJSON_GetObjectItem(
	                 cJSON_GetObjectItem(cJSON_GetObjectItem(c, "dtypes"), "BF16"), "bytes")
	                 ->valuedouble,
	             256);
	cr_expect_null(cJSON_GetObjectItem(j, "bytes"), "no estimate");
	cJSON_Delete(j);
	free(out);
	free(err);

	char *text[] = {"vramcalc", "-m", IM_ST "/ok-mixed.safetensors", "--print"};
	cr_assert_eq(truth_run_cli(&out, &err, 4, text), 0, "%s", err);
	cr_expect(strstr(out, "architecture unknown") && strstr(out, "F8_E4M3") &&
	              strstr(out, "checkpoint as shipped"),
	          "%s", out);
	free(out);
	free(err);

	char *dir[] = {"vramcalc", "-m", IM_ST "/qwen3-0.6b", "--json"};
	cr_assert_eq(truth_run_cli(&out, &err, 4, dir), 0, "%s", err);
	j = cJSON_Parse(out);
	cr_assert_not_null(j);
	cr_expect(cJSON_IsObject(cJSON_GetObjectItem(j, "bytes")));
	c = cJSON_GetObjectItem(j, "checkpoint");
	cr_expect_eq(cJSON_GetObjectItem(c, "files")->valuedouble, 2);
	cr_expect_eq(
	    cJSON_GetObjectItem(c, "elements")->valuedouble,
	    cJSON_GetObjectItem(cJSON_GetObjectItem(j, "model"), "params_total")->valuedouble);
	cJSON_Delete(j);
	free(out);
	free(err);
}

/* ------------------------------------------------------------------ */
/* --save-profile                                                      */

TestSuite(import_save, .init = truth_use_repo_profiles);

/* The [config] writer: for every catalog profile, every truth GGUF and
 * every truth config, the text maps back to the same architecture. */
Test(import_save, config_text_round_trips)
{
	struct profile_dirs dirs;
	struct catalog cat;
	char err[PROFILE_ERR_LEN], text[16384];
	profile_dirs_init(&dirs);
	cr_assert(catalog_load(&dirs, &cat, NULL, err, sizeof(err)), "%s", err);
	cr_assert_geq(cat.n, 60);
	for (size_t i = 0; i < cat.n; i++)
		cr_expect(
		    profile_config_text(&cat.v[i].arch, NULL, text, sizeof(text), err, sizeof(err)),
		    "%s: %s", cat.v[i].meta.id, err);
	catalog_free(&cat);
	for (size_t k = 0; k < TRUTH_N_MODELS; k++) {
		char path[256];
		struct gguf_info g;
		struct model_arch a;
		snprintf(path, sizeof(path), TRUTH_DIR "/gguf/%s-Q4_K_M.gguf", truth_models[k]);
		cr_assert(gguf_read(path, &g, err, sizeof(err)), "%s", err);
		cr_assert(gguf_arch(&g, &a, err, sizeof(err)), "%s", err);
		gguf_info_free(&g);
		cr_expect(profile_config_text(&a, NULL, text, sizeof(text), err, sizeof(err)),
		          "%s: %s", path, err);
	}
}

/* What the writer refuses: an id that is not a file name, a per-layer
 * pattern no key expresses, a layer list longer than a profile line. */
Test(import_save, refusals)
{
	static const char *const bad_ids[] = {
	    "",
	    "Qwen3",
	    ".hidden",
	    "-x",
	    "a/b",
	    "a b",
	    "x.gguf",
	    "x.json",
	    "x.ini",
	    "m.safetensors",
	    "0123456789012345678901234567890123456789012345678901234567890123",
	};
	char err[PROFILE_ERR_LEN];
	for (size_t i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
		cr_expect_not(profile_id_check(bad_ids[i], err, sizeof(err)), "'%s'", bad_ids[i]);
		char *argv[] = {"vramcalc", "--save-profile", (char *)bad_ids[i]};
		struct cli_options o;
		cr_expect_not(cli_parse(3, argv, false, &o, err, sizeof(err)));
		cr_expect(strstr(err, "--save-profile"), "%s", err);
	}
	cr_expect(profile_id_check("qwen3-8b.my_copy", err, sizeof(err)), "%s", err);

	struct model_arch a;
	im_load_profile("profiles/models/llama-3.1-8b.ini", &a);
	char text[16384];
	a.layer_head_kv[3] = 4; /* one layer with other KV heads: no key says that */
	cr_expect_not(profile_config_text(&a, NULL, text, sizeof(text), err, sizeof(err)));
	cr_expect(strstr(err, "layer_head_kv[3]"), "%s", err);

	im_load_profile("profiles/models/gemma-3-27b.ini", &a);
	a.layer_kind[1] = LK_ATTN_FULL; /* no period: a 62-entry layer_types list */
	cr_expect_not(profile_config_text(&a, NULL, text, sizeof(text), err, sizeof(err)));
	cr_expect(strstr(err, "line longer than"), "%s", err);
	cr_expect_not(profile_config_text(&a, NULL, text, 64, err, sizeof(err)));
	cr_expect(strstr(err, "more than 64 bytes"), "%s", err);
}

/* A fresh XDG_CONFIG_HOME for one test. */
static char *im_temp_home(void)
{
	char *dir = strdup("/tmp/vramcalc-home-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	setenv("XDG_CONFIG_HOME", dir, 1);
	return dir;
}

/* Save with the CLI, then load the profile file. */
static void im_save(const char *model, const char *id, struct model_arch *saved, char *path,
                    size_t pathlen)
{
	char *out, *err;
	char *argv[] = {"vramcalc", "-m", (char *)model, "--save-profile", (char *)id, "--json"};
	cr_assert_eq(truth_run_cli(&out, &err, 6, argv), 0, "%s: %s", model, err);
	cr_expect(strstr(err, "saved profile") && strstr(err, id), "%s", err);
	cJSON *j = cJSON_Parse(out);
	cr_expect_not_null(j, "the estimate still goes to stdout");
	cJSON_Delete(j);
	free(out);
	free(err);
	snprintf(path, pathlen, "%s/vramcalc/profiles/models/%s.ini", getenv("XDG_CONFIG_HOME"),
	         id);
	im_load_profile(path, saved);
}

/* GGUF -> profile -> reload: the same tensors (names and shapes) and
 * parameters as the GGUF's own tensor list; config.json -> profile: the
 * same architecture.  A second save under the same id is refused and no
 * temporary file is left behind. */
Test(import_save, round_trip_from_gguf_and_config)
{
	char *home = im_temp_home();
	char path[1024], err[PROFILE_ERR_LEN];
	for (size_t k = 0; k < TRUTH_N_MODELS; k++) {
		char gguf[256], id[64];
		snprintf(gguf, sizeof(gguf), TRUTH_DIR "/gguf/%s-Q4_K_M.gguf", truth_models[k]);
		snprintf(id, sizeof(id), "from-gguf-%zu", k);
		struct model_arch saved;
		im_save(gguf, id, &saved, path, sizeof(path));

		struct gguf_info g;
		struct model file;
		cr_assert(gguf_read(gguf, &g, err, sizeof(err)), "%s", err);
		cr_assert(gguf_model(&g, &file, err, sizeof(err)), "%s", err);
		gguf_info_free(&g);
		cr_expect(profile_arch_equivalent(&file.arch, &saved, err, sizeof(err)), "%s: %s",
		          truth_models[k], err);
		struct model m = {.arch = saved};
		cr_assert(model_prepare(&m));
		cr_expect_eq(m.params_total, file.params_total, "%s", truth_models[k]);
		im_same_tensors(truth_models[k], &file.tensors, &m.tensors);
		model_release(&m);
		model_release(&file);

		char cfg[256];
		struct hfjson_model hf;
		im_load_config(im_truth_config(truth_models[k], cfg, sizeof(cfg)), &hf);
		snprintf(id, sizeof(id), "from-config-%zu", k);
		im_save(cfg, id, &saved, path, sizeof(path));
		cr_expect(profile_arch_equivalent(&hf.arch, &saved, err, sizeof(err)), "%s: %s",
		          truth_models[k], err);
	}
	char *out, *errout;
	char *again[] = {"vramcalc", "-m", "qwen3-8b", "--save-profile", "from-gguf-0", "--json"};
	cr_expect_eq(truth_run_cli(&out, &errout, 6, again), 2);
	cr_expect(strstr(errout, "exists") && strstr(errout, "from-gguf-0.ini"), "%s", errout);
	free(out);
	free(errout);

	char *nocfg[] = {"vramcalc", "-m", IM_ST "/ok-mixed.safetensors", "--save-profile", "x"};
	cr_expect_eq(truth_run_cli(&out, &errout, 5, nocfg), 2);
	cr_expect(strstr(errout, "no architecture to save"), "%s", errout);
	free(out);
	free(errout);

	/* only the profiles are in the directory: no temporary files */
	char mdir[1024];
	snprintf(mdir, sizeof(mdir), "%s/vramcalc/profiles/models", home);
	DIR *d = opendir(mdir);
	cr_assert_not_null(d);
	int files = 0;
	for (struct dirent *de; (de = readdir(d));) {
		if (de->d_name[0] == '.' && (de->d_name[1] == '\0' || !strcmp(de->d_name, "..")))
			continue;
		cr_expect_neq(de->d_name[0], '.', "left over: %s", de->d_name);
		files++;
	}
	closedir(d);
	cr_expect_eq(files, 2 * (int)TRUTH_N_MODELS);

	/* the saved profiles are in the catalog as user profiles */
	char *list[] = {"vramcalc", "--list", "models", "--json"};
	cr_assert_eq(truth_run_cli(&out, &errout, 4, list), 0, "%s", errout);
	cr_expect(strstr(out, "\"from-config-3\"") && strstr(out, "\"user\""), "%s", out);
	free(out);
	free(errout);
	free(home);
}

/* [model] strings are quoted and cleaned so iniparser reads them back. */
Test(import_save, metadata_survives)
{
	char *home = im_temp_home();
	struct model_meta meta = {0}, back;
	struct model_arch a, b;
	char path[1024], err[PROFILE_ERR_LEN], dir[1024];
	im_load_profile("profiles/models/qwen3-8b.ini", &a);
	snprintf(meta.name, sizeof(meta.name), "Odd; name # with \"quotes\"");
	snprintf(meta.source, sizeof(meta.source), "line one\nline two");
	snprintf(meta.native_dtype, sizeof(meta.native_dtype), "fp8 e4m3, block 128x128");
	meta.params_total = 8190735360ull;
	cr_assert(profile_user_dir(dir, sizeof(dir)));
	cr_assert(profile_save_model(dir, "odd", &meta, &a, "qwen3", false, path, sizeof(path), err,
	                             sizeof(err)),
	          "%s", err);
	cr_assert(profile_load_model(path, &back, &b, NULL, err, sizeof(err)), "%s", err);
	cr_expect_str_eq(back.name, "Odd; name # with ?quotes?");
	cr_expect_str_eq(back.native_dtype, "fp8 e4m3, block 128x128");
	cr_expect_eq(back.params_total, 8190735360ull);
	cr_expect_eq(memcmp(&a, &b, sizeof(a)), 0);
	free(home);
}

/* DeepSeek V4 from config.json: every layer slides, the ratios are read per
 * layer (the MTP entry beyond num_hidden_layers ignored), and the cache
 * kinds add up as llama_kv_cache_dsv4 allocates them. */
Test(import_config, deepseek4_ratios_and_cache)
{
	static const char text[] =
	    "{\"model_type\": \"deepseek_v4\", \"num_hidden_layers\": 3, \"hidden_size\": 1024,"
	    " \"num_attention_heads\": 16, \"num_key_value_heads\": 1, \"head_dim\": 512,"
	    " \"q_lora_rank\": 256, \"o_lora_rank\": 128, \"o_groups\": 4, \"hc_mult\": 4,"
	    " \"vocab_size\": 1000, \"max_position_embeddings\": 65536, \"n_routed_experts\": 8,"
	    " \"num_experts_per_tok\": 2, \"moe_intermediate_size\": 256, \"n_shared_experts\": 1,"
	    " \"num_hash_layers\": 1, \"sliding_window\": 128, \"index_n_heads\": 8,"
	    " \"index_head_dim\": 128, \"index_topk\": 512, \"compress_ratios\": [0, 4, 128, 0]}";
	struct hfjson_model hf;
	char err[PROFILE_ERR_LEN];
	cr_assert(hfjson_load_mem(text, strlen(text), "v4.json", &hf, NULL, err, sizeof(err)), "%s",
	          err);
	cr_assert_eq(hf.arch.family, AF_DEEPSEEK4);
	cr_assert_eq(hf.arch.layer_compress[0], 0);
	cr_assert_eq(hf.arch.layer_compress[1], 4);
	cr_assert_eq(hf.arch.layer_compress[2], 128);
	cr_assert_eq(hf.arch.layer_kind[2], LK_ATTN_SWA);
	struct settings s;
	struct estimate e;
	estimate_settings_default(&s);
	s.ctx_tokens = 4096;
	memset(&e, 0, sizeof(e));
	estimate_kv(&hf.arch, &s, &e);
	/* window: pad256(128 + 512) = 768 cells x 512 x f16 on 3 layers */
	cr_assert_eq(e.swa_k_bytes, 3ull * 768 * 512 * 2);
	/* CSA: 1024 rows, HCA: pad256(32) = 256 rows, of 512 x f16 */
	cr_assert_eq(e.comp_bytes, 1024ull * 1024 + 256ull * 1024);
	cr_assert_eq(e.idx_bytes, 1024ull * 128 * 2);
	/* f32 kv + score: CSA 1024 x 8, indexer 256 x 8, HCA 512 x 128 */
	cr_assert_eq(e.comp_state_bytes, 2ull * 4 * (1024 * 8 + 256 * 8 + 512 * 128));
	cr_assert_eq(e.kv_bytes, e.swa_k_bytes + e.comp_bytes + e.idx_bytes + e.comp_state_bytes);

	static const char bad[] =
	    "{\"model_type\": \"deepseek_v4\", \"num_hidden_layers\": 2, \"hidden_size\": 1024,"
	    " \"num_attention_heads\": 16, \"num_key_value_heads\": 1, \"head_dim\": 512,"
	    " \"q_lora_rank\": 256, \"o_lora_rank\": 128, \"o_groups\": 4, \"hc_mult\": 4,"
	    " \"vocab_size\": 1000, \"max_position_embeddings\": 65536, \"sliding_window\": 128,"
	    " \"index_n_heads\": 8, \"index_head_dim\": 128, \"compress_ratios\": [0, 8]}";
	cr_assert_not(hfjson_load_mem(bad, strlen(bad), "v4.json", &hf, NULL, err, sizeof(err)));
	cr_assert(strstr(err, "compress_ratios") && strstr(err, "0, 4 or 128"), "%s", err);
}

/* Falcon-H1: every layer keeps a full KV cache and a Mamba-2 state. */
Test(import_config, falcon_h1_layers_hold_both)
{
	static const char text[] =
	    "{\"model_type\": \"falcon_h1\", \"num_hidden_layers\": 4, \"hidden_size\": 1024,"
	    " \"intermediate_size\": 2048, \"num_attention_heads\": 8, \"num_key_value_heads\": 2,"
	    " \"head_dim\": 64, \"vocab_size\": 1000, \"max_position_embeddings\": 8192,"
	    " \"mamba_d_conv\": 4, \"mamba_d_state\": 128, \"mamba_n_groups\": 1,"
	    " \"mamba_n_heads\": 24, \"mamba_d_head\": 64}";
	struct hfjson_model hf;
	char err[PROFILE_ERR_LEN];
	cr_assert(hfjson_load_mem(text, strlen(text), "h1.json", &hf, NULL, err, sizeof(err)), "%s",
	          err);
	cr_assert_eq(hf.arch.layer_kind[3], LK_HYBRID);
	struct settings s;
	struct estimate e;
	estimate_settings_default(&s);
	memset(&e, 0, sizeof(e));
	estimate_kv(&hf.arch, &s, &e);
	cr_assert_eq(e.kv_layers, 4);
	cr_assert_eq(e.rs_layers, 4);
	cr_assert_eq(e.k_bytes, 4ull * 4096 * 2 * 64 * 2);
	/* conv (4 - 1) x (1536 + 2 x 128) and state 128 x 1536, f32 */
	cr_assert_eq(e.r_bytes + e.s_bytes, 4ull * 4 * (3 * (1536 + 256) + 128 * 1536));
}

/* MTP blocks from config.json / profile follow convert_hf_to_gguf of
 * 2026-09-28: counted where a default conversion writes them (DeepSeek
 * V3.2 and GLM-5 as deepseek32 / glm-dsa, GLM-4.7-Flash as deepseek2),
 * not where it drops them (DeepSeek V3 as deepseek2) or writes them only
 * into a separate draft file (DeepSeek V4).  Of a DSA MTP block llama.cpp
 * keeps only the expert-selection bias: listed, not a parameter. */
Test(import_config, mtp_blocks_as_the_converter_writes_them)
{
	static const struct {
		const char *id;
		uint32_t n_mtp;
	} cases[] = {
	    {"deepseek-v3.2", 1}, {"glm-5", 1},       {"glm-5.2", 1},
	    {"glm-4.7-flash", 1}, {"deepseek-v3", 0}, {"deepseek-v4-flash", 0},
	    {"glm-4.5-air", 1},   {"qwen3.5-27b", 1}, {"kimi-k2-instruct", 0},
	};
	char path[128];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct model_arch a;
		snprintf(path, sizeof(path), "profiles/models/%s.ini", cases[i].id);
		im_load_profile(path, &a);
		cr_expect_eq(a.n_mtp, cases[i].n_mtp, "%s: %u MTP blocks", cases[i].id, a.n_mtp);
	}

	struct model_arch a;
	struct tensor_list l;
	im_load_profile("profiles/models/deepseek-v3.2.ini", &a);
	tensors_init(&l);
	cr_assert(tensors_build(&a, &l));
	size_t in_mtp = 0;
	uint64_t all = 0;
	for (size_t i = 0; i < l.n; i++) {
		all += tensor_elems(&l.v[i]);
		in_mtp += l.v[i].layer == 61;
	}
	cr_expect_eq(in_mtp, 1, "block 61: only the correction bias is loaded");
	cr_expect_not_null(im_tensor(&l, "blk.61.exp_probs_b.bias"));
	cr_expect_eq(tensors_params_total(&l, &a) + 256, all, "not a parameter");
	tensors_free(&l);
}

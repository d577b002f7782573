/*
 * test_gguf.c - the GGUF header reader against the truth files and the
 * broken fixtures of tests/data/gguf-bad (written by its make.py).
 *
 * Run from the repository root (paths are relative to it).
 */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "estimate_once.h"
#include "gguf.h"
#include "truth.h"

#define GG_TRUTH "tests/data/truth"
#define GG_BAD   "tests/data/gguf-bad"

/* Whole file into a malloc'd buffer (caller frees). */
static uint8_t *gg_slurp(const char *path, size_t *len)
{
	uint8_t *buf = (uint8_t *)truth_slurp(path, len);
	cr_assert_not_null(buf, "cannot read %s", path);
	return buf;
}

static void gg_read_ok(const char *path, struct gguf_info *g)
{
	char err[512];
	bool ok = gguf_read(path, g, err, sizeof(err));
	cr_assert(ok, "%s: %s", path, err);
}

/* gguf_read() must fail with a message naming the file and containing
 * every one of the (NULL-terminated) fragments. */
static void gg_expect_error(const char *file, ...)
{
	char path[256], err[512];
	struct gguf_info g;
	snprintf(path, sizeof(path), "%s/%s", GG_BAD, file);
	bool ok = gguf_read(path, &g, err, sizeof(err));
	cr_assert_not(ok, "%s was accepted", path);
	cr_assert_eq(g.n_tensors, 0);
	cr_assert_null(g.kv);
	cr_assert(strstr(err, file), "message does not name the file: %s", err);
	va_list ap;
	va_start(ap, file);
	for (const char *frag; (frag = va_arg(ap, const char *));)
		cr_assert(strstr(err, frag), "'%s' missing in: %s", frag, err);
	va_end(ap);
}

/* gguf_read() succeeds but gguf_arch() fails with these fragments. */
static void gg_expect_arch_error(const char *file, ...)
{
	char path[256], err[512];
	struct gguf_info g;
	struct model_arch a;
	snprintf(path, sizeof(path), "%s/%s", GG_BAD, file);
	gg_read_ok(path, &g);
	bool ok = gguf_arch(&g, &a, err, sizeof(err));
	gguf_info_free(&g);
	cr_assert_not(ok, "%s: architecture accepted", path);
	cr_assert(strstr(err, file), "message does not name the file: %s", err);
	va_list ap;
	va_start(ap, file);
	for (const char *frag; (frag = va_arg(ap, const char *));)
		cr_assert(strstr(err, frag), "'%s' missing in: %s", frag, err);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* Valid files.                                                        */

Test(gguf, every_value_type)
{
	struct gguf_info g;
	const struct gguf_kv *kv;
	uint64_t u;
	gg_read_ok(GG_BAD "/all-types.gguf", &g);
	cr_assert_eq(g.version, 3);
	cr_assert_eq(g.n_kv, 18);

	kv = gguf_find(&g, "t.u8");
	cr_assert(kv && kv->type == GGUF_UINT8 && kv->num.u == 200);
	kv = gguf_find(&g, "t.i8");
	cr_assert(kv && kv->type == GGUF_INT8 && kv->num.i == -100);
	cr_assert_not(gguf_kv_uint(kv, 0, &u), "a negative number is not a uint");
	kv = gguf_find(&g, "t.u16");
	cr_assert(kv && kv->type == GGUF_UINT16 && kv->num.u == 60000);
	kv = gguf_find(&g, "t.i16");
	cr_assert(kv && kv->type == GGUF_INT16 && kv->num.i == -30000);
	kv = gguf_find(&g, "t.u32");
	cr_assert(kv && kv->type == GGUF_UINT32 && kv->num.u == 4000000000u);
	kv = gguf_find(&g, "t.i32");
	cr_assert(kv && kv->type == GGUF_INT32 && kv->num.i == -2000000000);
	kv = gguf_find(&g, "t.f32");
	cr_assert(kv && kv->type == GGUF_FLOAT32 && kv->num.f == 0.5);
	cr_assert_not(gguf_kv_uint(kv, 0, &u), "a float is not a uint");
	kv = gguf_find(&g, "t.bool");
	cr_assert(kv && kv->type == GGUF_BOOL && kv->num.u == 1);
	kv = gguf_find(&g, "t.u64");
	cr_assert(kv && kv->type == GGUF_UINT64 && kv->num.u == (1ull << 63) + 5);
	kv = gguf_find(&g, "t.i64");
	cr_assert(kv && kv->type == GGUF_INT64 && kv->num.i == -(1ll << 62));
	kv = gguf_find(&g, "t.f64");
	cr_assert(kv && kv->type == GGUF_FLOAT64 && kv->num.f == -2.25);
	cr_assert_str_eq(gguf_get_str(&g, "t.str"), "h\xc3\xa9llo");
	cr_assert_eq(gguf_find(&g, "t.str")->n, 6);
	cr_assert_null(gguf_get_str(&g, "t.u8"));
	cr_assert_null(gguf_find(&g, "t.absent"));

	kv = gguf_find(&g, "t.arr_i32");
	cr_assert(kv && kv->type == GGUF_ARRAY && kv->elem_type == GGUF_INT32 && kv->n == 3);
	cr_assert_eq(gguf_kv_count(kv), 3);
	cr_assert(kv->arr[0].i == 0 && kv->arr[1].i == -1 && kv->arr[2].i == 7);
	cr_assert(gguf_kv_uint(kv, 2, &u) && u == 7);
	cr_assert_not(gguf_kv_uint(kv, 1, &u));
	cr_assert_not(gguf_kv_uint(kv, 3, &u), "index past the end");
	kv = gguf_find(&g, "t.arr_str");
	cr_assert(kv && kv->elem_type == GGUF_STRING && kv->n == 3 && kv->arr == NULL);
	kv = gguf_find(&g, "t.arr_nested");
	cr_assert(kv && kv->elem_type == GGUF_ARRAY && kv->n == 2 && kv->arr == NULL);
	kv = gguf_find(&g, "t.arr_empty");
	cr_assert(kv && kv->elem_type == GGUF_FLOAT32 && kv->n == 0);
	kv = gguf_find(&g, "t.arr_bool");
	cr_assert(kv && kv->elem_type == GGUF_BOOL && kv->n == 3);
	cr_assert(kv->arr[0].u == 1 && kv->arr[1].u == 0 && kv->arr[2].u == 1);

	/* general.alignment 64: data offsets and the header are padded to it. */
	cr_assert_eq(g.alignment, 64);
	cr_assert_eq(g.header_bytes % 64, 0);
	cr_assert_eq(g.n_tensors, 2);
	const struct gguf_tensor *w4 = gguf_find_tensor(&g, "w4");
	cr_assert_not_null(w4);
	cr_assert_eq(w4->n_dims, 4);
	cr_assert(w4->ne[0] == 32 && w4->ne[1] == 2 && w4->ne[2] == 3 && w4->ne[3] == 4);
	cr_assert_eq(w4->type, QT_Q4_0);
	cr_assert_eq(w4->bytes, 18 * 2 * 3 * 4);
	const struct gguf_tensor *v = gguf_find_tensor(&g, "v");
	cr_assert_eq(v->offset, 448);
	cr_assert_eq(v->bytes, 256);
	cr_assert_eq(g.tensor_bytes, 432 + 256);
	cr_assert_eq(g.tensor_elems, 32 * 2 * 3 * 4 + 64);
	cr_assert_not(g.data_complete);

	/* The engine list keeps the fourth dimension. */
	struct tensor_list l;
	tensors_init(&l);
	cr_assert(gguf_tensors(&g, &l));
	cr_assert_eq(l.n, 2);
	cr_assert_eq(l.v[0].n_dims, 4);
	cr_assert_eq(l.v[0].ne[3], 4);
	cr_assert_eq(l.v[0].src_type, QT_Q4_0);
	cr_assert_eq(tensor_bytes(&l.v[0], l.v[0].src_type), w4->bytes);
	tensors_free(&l);
	gguf_info_free(&g);
	cr_assert_null(g.kv);
	gguf_info_free(&g); /* twice is harmless */
}

Test(gguf, type_names)
{
	cr_assert_str_eq(gguf_type_name(GGUF_UINT32), "uint32");
	cr_assert_str_eq(gguf_type_name(GGUF_ARRAY), "array");
	cr_assert_str_eq(gguf_type_name(GGUF_FLOAT64), "float64");
	cr_assert_str_eq(gguf_type_name((enum gguf_type)99), "?");
}

/* Sorted comparison of two tensor lists by name, then shapes and types. */
static int gg_cmp_tensor(const void *x, const void *y)
{
	return strcmp(((const struct tensor_info *)x)->name, ((const struct tensor_info *)y)->name);
}

static void gg_assert_same_tensors(const char *what, struct tensor_list *file,
                                   struct tensor_list *built, bool compare_types)
{
	qsort(file->v, file->n, sizeof(*file->v), gg_cmp_tensor);
	qsort(built->v, built->n, sizeof(*built->v), gg_cmp_tensor);
	size_t i = 0, j = 0;
	while (i < file->n || j < built->n) {
		int c = i == file->n    ? 1
		        : j == built->n ? -1
		                        : strcmp(file->v[i].name, built->v[j].name);
		cr_assert(c <= 0, "%s: built tensor %s is not in the file", what, built->v[j].name);
		cr_assert(c >= 0, "%s: file tensor %s was not built", what, file->v[i].name);
		const struct tensor_info *a = &file->v[i], *b = &built->v[j];
		for (int d = 0; d < 4; d++)
			cr_assert_eq(a->ne[d], b->ne[d],
			             "%s: %s ne[%d]: file %" PRIu64 ", built %" PRIu64, what,
			             a->name, d, a->ne[d], b->ne[d]);
		if (compare_types)
			cr_assert_eq(a->src_type, b->src_type, "%s: %s type: file %d, built %d",
			             what, a->name, a->src_type, b->src_type);
		i++, j++;
	}
}

Test(gguf, tiny_llama_and_data_completeness)
{
	struct gguf_info g;
	struct model_arch a;
	char err[512];
	gg_read_ok(GG_BAD "/tiny-llama.gguf", &g);
	cr_assert(gguf_arch(&g, &a, err, sizeof(err)), "%s", err);
	cr_assert_eq(a.family, AF_LLAMA);
	cr_assert_eq(a.n_layer, 1);
	cr_assert_eq(a.head_dim_k, 8, "key_length defaults to n_embd / n_head");
	cr_assert_not(a.tied_embeddings);
	struct tensor_list file, built;
	tensors_init(&file);
	tensors_init(&built);
	cr_assert(gguf_tensors(&g, &file) && tensors_build(&a, &built));
	gg_assert_same_tensors("tiny-llama", &file, &built, false);
	tensors_free(&file);
	tensors_free(&built);

	/* Header only: not complete.  With all its data (the last tensor needs
	 * no padding) it is, and one byte less is not. */
	cr_assert_not(g.data_complete);
	const struct gguf_tensor *last = &g.tensors[g.n_tensors - 1];
	size_t full = (size_t)(g.header_bytes + last->offset + last->bytes), len;
	uint8_t *hdr = gg_slurp(GG_BAD "/tiny-llama.gguf", &len);
	uint8_t *buf = calloc(1, full);
	memcpy(buf, hdr, len);
	struct gguf_info m;
	cr_assert(gguf_read_mem(buf, full, "mem.gguf", &m, err, sizeof(err)), "%s", err);
	cr_assert(m.data_complete);
	cr_assert_eq(m.tensor_bytes, g.tensor_bytes);
	cr_assert_str_eq(m.path, "mem.gguf");
	gguf_info_free(&m);
	cr_assert(gguf_read_mem(buf, full - 1, "mem.gguf", &m, err, sizeof(err)), "%s", err);
	cr_assert_not(m.data_complete);
	gguf_info_free(&m);
	free(buf);
	free(hdr);
	gguf_info_free(&g);
}

/* ------------------------------------------------------------------ */
/* Truth files.                                                        */

/* For every model: the architecture read from the F16 file rebuilds
 * exactly the file's tensors (names, shapes and, in an F16 export, the
 * converter's types). */
Test(gguf, truth_architecture_rebuilds_every_tensor)
{
	for (size_t k = 0; k < TRUTH_N_MODELS; k++) {
		char path[256], err[512];
		struct gguf_info g;
		struct model_arch a;
		snprintf(path, sizeof(path), GG_TRUTH "/gguf/%s-F16.gguf", truth_models[k]);
		gg_read_ok(path, &g);
		cr_assert(gguf_arch(&g, &a, err, sizeof(err)), "%s", err);
		struct tensor_list file, built;
		tensors_init(&file);
		tensors_init(&built);
		cr_assert(gguf_tensors(&g, &file) && tensors_build(&a, &built));
		cr_assert_eq(file.n, g.n_tensors);
		gg_assert_same_tensors(truth_models[k], &file, &built, true);
		tensors_free(&file);
		tensors_free(&built);
		gguf_info_free(&g);
	}
}

/* Value of "key" in a cJSON object as a number, asserted present. */
static double gg_json_num(const cJSON *o, const char *key, const char *model)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	cr_assert(cJSON_IsNumber(v), "%s: %s missing in the json", model, key);
	return v->valuedouble;
}

/* The basics of models/<name>.json: sizes, tying, parameter count. */
Test(gguf, truth_architecture_matches_model_json)
{
	for (size_t k = 0; k < TRUTH_N_MODELS; k++) {
		char path[256], err[512];
		size_t len;
		snprintf(path, sizeof(path), GG_TRUTH "/models/%s.json", truth_models[k]);
		char *text = (char *)gg_slurp(path, &len);
		text[len] = '\0';
		cJSON *j = cJSON_Parse(text);
		cr_assert_not_null(j, "%s: bad json", path);

		struct gguf_info g;
		struct model m;
		snprintf(path, sizeof(path), GG_TRUTH "/gguf/%s-F16.gguf", truth_models[k]);
		gg_read_ok(path, &g);
		cr_assert(gguf_model(&g, &m, err, sizeof(err)), "%s", err);
		const struct model_arch *a = &m.arch;
		const char *n = truth_models[k];
		cr_assert_eq(a->n_layer, gg_json_num(j, "n_layer", n), "%s n_layer", n);
		cr_assert_eq(a->n_embd, gg_json_num(j, "n_embd", n), "%s n_embd", n);
		cr_assert_eq(a->n_head, gg_json_num(j, "n_head", n), "%s n_head", n);
		cr_assert_eq(a->n_vocab, gg_json_num(j, "n_vocab", n), "%s n_vocab", n);
		cr_assert_eq(a->n_ctx_train, gg_json_num(j, "n_ctx_train", n), "%s n_ctx", n);
		cr_assert_eq(m.params_total, gg_json_num(j, "n_params", n), "%s n_params", n);
		cr_assert_eq(g.n_tensors, gg_json_num(j, "n_tensors", n), "%s n_tensors", n);
		const cJSON *tied = cJSON_GetObjectItemCaseSensitive(j, "tied_embeddings");
		cr_assert_eq(a->tied_embeddings, cJSON_IsTrue(tied), "%s tied", n);
		if (cJSON_GetObjectItemCaseSensitive(j, "n_head_kv") && !arch_is_mla(a))
			cr_assert_eq(a->n_head_kv, gg_json_num(j, "n_head_kv", n), "%s n_head_kv",
			             n);
		if (cJSON_GetObjectItemCaseSensitive(j, "n_expert"))
			cr_assert_eq(a->n_expert, gg_json_num(j, "n_expert", n), "%s n_expert", n);
		if (cJSON_GetObjectItemCaseSensitive(j, "kv_lora_rank")) {
			cr_assert_eq(a->kv_lora_rank, gg_json_num(j, "kv_lora_rank", n));
			cr_assert_eq(a->qk_nope_dim, gg_json_num(j, "qk_nope", n));
			cr_assert_eq(a->qk_rope_dim, gg_json_num(j, "qk_rope", n));
			cr_assert_eq(a->v_head_dim, gg_json_num(j, "v_head", n));
		}
		/* Sliding-window layers and recurrent layers, layer by layer. */
		const cJSON *swa = cJSON_GetObjectItemCaseSensitive(j, "swa");
		if (cJSON_IsObject(swa)) {
			cr_assert_eq(a->n_swa, gg_json_num(swa, "sliding_window", n));
			const cJSON *layers = cJSON_GetObjectItemCaseSensitive(swa, "swa_layers"),
			            *e;
			uint32_t n_swa_layers = 0;
			cJSON_ArrayForEach (e, layers) {
				cr_assert_eq(a->layer_kind[e->valueint], LK_ATTN_SWA, "%s layer %d",
				             n, e->valueint);
				n_swa_layers++;
			}
			for (uint32_t il = 0; il < a->n_layer; il++)
				n_swa_layers -= a->layer_kind[il] == LK_ATTN_SWA;
			cr_assert_eq(n_swa_layers, 0, "%s: extra SWA layers", n);
		} else {
			cr_assert_eq(a->n_swa, 0, "%s", n);
		}
		const cJSON *attn = cJSON_GetObjectItemCaseSensitive(j, "attn_layers");
		if (attn) {
			const cJSON *e;
			uint32_t kv_layers = 0;
			cJSON_ArrayForEach (e, attn) {
				cr_assert(arch_layer_has_kv(a, (uint32_t)e->valueint));
				kv_layers++;
			}
			for (uint32_t il = 0; il < a->n_layer; il++)
				kv_layers -= arch_layer_has_kv(a, il);
			cr_assert_eq(kv_layers, 0, "%s: extra attention layers", n);
			cr_assert_eq(a->rec_kind, RK_MAMBA2);
			cr_assert_eq(a->ssm_d_inner, gg_json_num(j, "ssm_d_inner", n));
			cr_assert_eq(a->ssm_n_head, gg_json_num(j, "ssm_n_head", n));
			cr_assert_eq(a->ssm_n_group, gg_json_num(j, "ssm_n_group", n));
			cr_assert_eq(a->ssm_d_state, gg_json_num(j, "ssm_d_state", n));
			cr_assert_eq(a->ssm_d_conv, gg_json_num(j, "ssm_d_conv", n));
		}
		model_release(&m);
		gguf_info_free(&g);
		cJSON_Delete(j);
		free(text);
	}
}

/* "F16:113;F32:34" -> the count (or bytes) of every type, indexed by
 * enum qtype. */
static void gg_parse_type_list(const char *s, uint64_t *out)
{
	memset(out, 0, QT_COUNT * sizeof(*out));
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *save, *item = strtok_r(buf, ";", &save); item;
	     item = strtok_r(NULL, ";", &save)) {
		char *colon = strchr(item, ':');
		cr_assert_not_null(colon, "bad type list '%s'", s);
		*colon = '\0';
		enum qtype t;
		cr_assert(qtype_find(item, &t), "unknown type %s", item);
		out[t] = strtoull(colon + 1, NULL, 10);
	}
}

/* For every (model, quant) row of quant_sizes.csv: the tensor bytes, the
 * data offset and the per-type counts and bytes of the GGUF header are
 * exactly the measured ones. */
Test(gguf, truth_quant_sizes_are_exact)
{
	FILE *f = fopen(GG_TRUTH "/quant_sizes.csv", "r");
	cr_assert_not_null(f);
	char line[2048];
	cr_assert_not_null(fgets(line, sizeof(line), f));
	cr_assert(strncmp(line,
	                  "model,quant,method,status,file_bytes,header_bytes,tensor_data_bytes,"
	                  "n_tensors,type_counts,type_bytes",
	                  96) == 0,
	          "unexpected header: %s", line);
	int rows = 0, checked = 0;
	while (fgets(line, sizeof(line), f)) {
		char *field[16] = {0};
		int nf = 0;
		line[strcspn(line, "\r\n")] = '\0';
		for (char *p = line; nf < 16;) {
			field[nf++] = p;
			char *comma = strchr(p, ',');
			if (!comma)
				break;
			*comma = '\0';
			p = comma + 1;
		}
		cr_assert_geq(nf, 10);
		rows++;
		char path[256], err[512];
		snprintf(path, sizeof(path), GG_TRUTH "/gguf/%s-%s.gguf", field[0], field[1]);
		if (access(path, R_OK) != 0)
			continue;
		struct gguf_info g;
		cr_assert(gguf_read(path, &g, err, sizeof(err)), "%s", err);
		cr_assert_eq(g.tensor_bytes, strtoull(field[6], NULL, 10), "%s tensor bytes", path);
		cr_assert_eq(g.header_bytes, strtoull(field[5], NULL, 10), "%s header bytes", path);
		cr_assert_eq(g.n_tensors, strtoull(field[7], NULL, 10), "%s tensors", path);
		uint64_t want_n[QT_COUNT], want_b[QT_COUNT], got_n[QT_COUNT] = {0},
		                                             got_b[QT_COUNT] = {0};
		gg_parse_type_list(field[8], want_n);
		gg_parse_type_list(field[9], want_b);
		for (size_t i = 0; i < g.n_tensors; i++) {
			got_n[g.tensors[i].type]++;
			got_b[g.tensors[i].type] += g.tensors[i].bytes;
		}
		for (int t = 0; t < QT_COUNT; t++) {
			cr_assert_eq(got_n[t], want_n[t], "%s: count of type %d", path, t);
			cr_assert_eq(got_b[t], want_b[t], "%s: bytes of type %d", path, t);
		}
		/* The quantized file's tensors are still the ones the arch builds. */
		struct model_arch a;
		cr_assert(gguf_arch(&g, &a, err, sizeof(err)), "%s", err);
		gguf_info_free(&g);
		checked++;
	}
	fclose(f);
	cr_assert_eq(rows, 120);
	cr_assert_geq(checked, 84, "only %d rows had a GGUF", checked);
}

/* Cut each header at every byte (beyond the first `dense` bytes at every
 * 7th, to keep the sanitizer run short): before the end of the tensor
 * infos the reader reports a truncation naming the file; from there on
 * (the data may be missing) it reads the same header. */
static void gg_every_prefix(const char *path, size_t dense)
{
	size_t len;
	uint8_t *buf = gg_slurp(path, &len);
	struct gguf_info full, g;
	char err[512];
	cr_assert(gguf_read_mem(buf, len, "cut.gguf", &full, err, sizeof(err)), "%s", err);
	size_t first_ok = 0;
	for (size_t n = 0; n <= len; n += n < dense || n + 7 > len ? 1 : 7) {
		bool ok = gguf_read_mem(buf, n, "cut.gguf", &g, err, sizeof(err));
		if (!ok) {
			cr_assert_eq(first_ok, 0,
			             "%s: a %zu-byte prefix fails after a shorter one read", path,
			             n);
			cr_assert(strstr(err, "cut.gguf") && strstr(err, "truncated"),
			          "%s cut at %zu: %s", path, n, err);
			continue;
		}
		if (!first_ok)
			first_ok = n;
		cr_assert_eq(g.n_tensors, full.n_tensors);
		cr_assert_eq(g.n_kv, full.n_kv);
		cr_assert_eq(g.tensor_bytes, full.tensor_bytes);
		cr_assert_eq(g.header_bytes, full.header_bytes);
		gguf_info_free(&g);
	}
	size_t slack = first_ok > dense ? 6 : 0; /* the stride may overshoot */
	cr_assert(first_ok > 0 && first_ok <= full.header_bytes + slack &&
	              first_ok + full.alignment + slack > full.header_bytes,
	          "%s: first complete prefix %zu, header %" PRIu64, path, first_ok,
	          full.header_bytes);
	gguf_info_free(&full);
	free(buf);
}

Test(gguf, truncation_at_every_byte_small_files)
{
	gg_every_prefix(GG_BAD "/tiny-llama.gguf", SIZE_MAX);
	gg_every_prefix(GG_BAD "/all-types.gguf", SIZE_MAX);
	gg_every_prefix(GG_BAD "/arch-gemma3-pattern.gguf", SIZE_MAX);
}

Test(gguf, truncation_at_every_byte_truth_files, .timeout = 120)
{
	for (size_t k = 0; k < TRUTH_N_MODELS; k++) {
		char path[256];
		snprintf(path, sizeof(path), GG_TRUTH "/gguf/%s-Q4_K_M.gguf", truth_models[k]);
		gg_every_prefix(path, 6000);
	}
}

/* ------------------------------------------------------------------ */
/* Broken files: one rule each.                                        */

Test(gguf, wrong_magic)
{
	gg_expect_error("bad-magic.gguf", "header", "wrong magic", "GGML", NULL);
}

Test(gguf, unsupported_version)
{
	gg_expect_error("bad-version.gguf", "header", "unsupported GGUF version 1", NULL);
}

Test(gguf, big_endian)
{
	gg_expect_error("big-endian.gguf", "header", "big-endian", NULL);
}

Test(gguf, truncated_header)
{
	gg_expect_error("trunc-header.gguf", "header", "truncated", "metadata count", NULL);
}

Test(gguf, truncated_key)
{
	gg_expect_error("trunc-key.gguf", "metadata key 0", "truncated", "key of 20 bytes", NULL);
}

Test(gguf, truncated_value)
{
	gg_expect_error("trunc-value.gguf", "metadata key 0 'general.architecture'", "truncated",
	                "string value", NULL);
}

Test(gguf, truncated_array)
{
	gg_expect_error("trunc-array.gguf", "metadata key 0 'a'", "truncated", "array length 4",
	                NULL);
}

Test(gguf, truncated_tensor_info)
{
	gg_expect_error("trunc-tensor-info.gguf", "tensor info 11 'blk.0.ffn_down.weight'",
	                "truncated", NULL);
}

Test(gguf, absurd_tensor_count)
{
	gg_expect_error("huge-tensor-count.gguf", "header", "tensor count 1152921504606846976",
	                "limit", NULL);
}

Test(gguf, absurd_kv_count)
{
	gg_expect_error("huge-kv-count.gguf", "header", "metadata count 1099511627776", NULL);
}

Test(gguf, counts_larger_than_the_file)
{
	gg_expect_error("counts-exceed-file.gguf", "header", "500 metadata keys and 400 tensors",
	                NULL);
}

Test(gguf, absurd_string_length)
{
	gg_expect_error("huge-string.gguf", "metadata key 0 'general.name'",
	                "18446744073709551615 bytes", "runs past the end", NULL);
}

Test(gguf, absurd_key_length)
{
	gg_expect_error("huge-key.gguf", "metadata key 0", "key of 4611686018427387904 bytes",
	                "65535", NULL);
}

Test(gguf, absurd_array_length)
{
	gg_expect_error("huge-array.gguf", "metadata key 0 'a'", "array length 4611686018427387904",
	                NULL);
}

Test(gguf, unknown_value_type)
{
	gg_expect_error("bad-value-type.gguf", "metadata key 0 'general.foo'",
	                "unknown value type 13", NULL);
}

Test(gguf, key_not_utf8)
{
	gg_expect_error("bad-utf8-key.gguf", "metadata key 0", "not valid UTF-8",
	                "general.n\\xffme", NULL);
}

Test(gguf, control_characters_are_escaped_in_messages)
{
	gg_expect_error("ctrl-key.gguf", "'a\\x1b[31m\\x0a'", "unknown value type 99", NULL);
}

Test(gguf, duplicate_key)
{
	gg_expect_error("dup-key.gguf", "metadata key 10 'llama.block_count'", "duplicate key",
	                "metadata key 2", NULL);
}

Test(gguf, arrays_nested_too_deep)
{
	gg_expect_error("deep-nesting.gguf", "metadata key 0 'deep'", "nested more than 8", NULL);
}

Test(gguf, alignment_not_a_power_of_two)
{
	gg_expect_error("bad-alignment.gguf", "general.alignment", "alignment 48", NULL);
}

Test(gguf, removed_tensor_type)
{
	gg_expect_error("bad-type-removed.gguf", "tensor info 0 'w'", "unknown tensor type 4",
	                NULL);
}

Test(gguf, future_tensor_type)
{
	gg_expect_error("bad-type-future.gguf", "tensor info 0 'w'", "unknown tensor type 43",
	                NULL);
}

/* A GGUF with no metadata and one 1-D tensor "w" of 256 elements of the
 * given type id, into buf (64 bytes); returns its length. */
static size_t gg_one_tensor(uint8_t *buf, uint32_t type)
{
	size_t o = 0;
	uint64_t v;
#define GG_PUT(x, n) (v = (x), memcpy(buf + o, &v, n), o += n) /* little-endian host */
	memcpy(buf, "GGUF", 4), o = 4;
	GG_PUT(3, 4); /* version */
	GG_PUT(1, 8); /* tensors */
	GG_PUT(0, 8); /* metadata */
	GG_PUT(1, 8); /* name length */
	buf[o++] = 'w';
	GG_PUT(1, 4);   /* n_dims */
	GG_PUT(256, 8); /* ne0: whole blocks of every type */
	GG_PUT(type, 4);
	GG_PUT(0, 8); /* offset */
#undef GG_PUT
	return o;
}

/* Every id below 43 that the type table knows reads with exact bytes; the
 * removed ids, the ids from 43 on and vramcalc's own vLLM rows (64+) are
 * refused with the id in the message. */
Test(gguf, every_tensor_type_id)
{
	uint8_t buf[64];
	char err[512];
	struct gguf_info g;
	static const uint32_t removed[] = {4,  5,  31, 32, 33, 36,   37,        38,
	                                   43, 44, 63, 64, 65, 1000, UINT32_MAX};
	for (uint32_t id = 0; id < QT_GGML_COUNT; id++) {
		const struct qtype_info *q = qtype_get((enum qtype)id);
		size_t len = gg_one_tensor(buf, id);
		bool ok = gguf_read_mem(buf, len, "types.gguf", &g, err, sizeof(err));
		cr_assert_eq(ok, q != NULL, "type %u: %s", id, ok ? "accepted" : err);
		if (ok) {
			cr_assert_eq(g.tensors[0].bytes, 256ull / q->block_elems * q->block_bytes);
			gguf_info_free(&g);
		}
	}
	for (size_t i = 0; i < sizeof(removed) / sizeof(removed[0]); i++) {
		char want[64];
		size_t len = gg_one_tensor(buf, removed[i]);
		cr_assert_not(gguf_read_mem(buf, len, "types.gguf", &g, err, sizeof(err)));
		snprintf(want, sizeof(want), "unknown tensor type %" PRIu32 " ", removed[i]);
		cr_assert(strstr(err, "types.gguf: tensor info 0 'w'") && strstr(err, want), "%s",
		          err);
	}
}

Test(gguf, too_many_dimensions)
{
	gg_expect_error("bad-ndims.gguf", "tensor info 0 'w'", "n_dims 5", NULL);
}

Test(gguf, shape_overflow)
{
	gg_expect_error("ne-overflow.gguf", "tensor info 0 'w'", "4294967296 x 4294967296",
	                "overflows", NULL);
}

Test(gguf, negative_dimension)
{
	gg_expect_error("ne-negative.gguf", "tensor info 0 'w'", "dimension 1", "negative", NULL);
}

Test(gguf, tensor_name_not_utf8)
{
	gg_expect_error("bad-utf8-tensor.gguf", "tensor info 0", "tensor name", "not valid UTF-8",
	                "\\xc0\\xaf", NULL);
}

Test(gguf, tensor_name_too_long)
{
	gg_expect_error("long-tensor-name.gguf", "tensor info 0", "64 bytes", "63", NULL);
}

Test(gguf, duplicate_tensor)
{
	gg_expect_error("dup-tensor.gguf", "tensor info 12 'token_embd.weight'", "duplicate", NULL);
}

Test(gguf, row_not_whole_blocks)
{
	gg_expect_error("bad-row-length.gguf", "tensor info 0 'w'", "row length 33", "q4_0", NULL);
}

Test(gguf, misplaced_tensor_data)
{
	gg_expect_error("bad-offset.gguf", "tensor info 0 'w'", "offset 7", NULL);
}

Test(gguf, not_a_file)
{
	char err[512];
	struct gguf_info g;
	cr_assert_not(gguf_read(GG_BAD, &g, err, sizeof(err)));
	cr_assert(strstr(err, GG_BAD) && strstr(err, "not a regular file"), "%s", err);
	cr_assert_not(gguf_read(GG_BAD "/absent.gguf", &g, err, sizeof(err)));
	cr_assert(strstr(err, "absent.gguf") && strstr(err, "cannot open"), "%s", err);
}

Test(gguf, fifo_is_refused_without_blocking, .timeout = 10)
{
	char dir[] = "/tmp/vramcalc-gguf-XXXXXX", path[64], err[512];
	struct gguf_info g;
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/pipe.gguf", dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	cr_assert_not(gguf_read(path, &g, err, sizeof(err)));
	cr_assert(strstr(err, "pipe.gguf: not a regular file"), "%s", err);
	unlink(path);
	rmdir(dir);
}

Test(gguf, empty_buffer)
{
	char err[512];
	struct gguf_info g;
	cr_assert_not(gguf_read_mem(NULL, 0, "empty.gguf", &g, err, sizeof(err)));
	cr_assert(strstr(err, "empty.gguf: header: truncated"), "%s", err);
}

/* ------------------------------------------------------------------ */
/* Split files.                                                        */

Test(gguf, split_parts_are_summed)
{
	struct gguf_info whole, split, from2;
	gg_read_ok(GG_BAD "/tiny-llama.gguf", &whole);
	gg_read_ok(GG_BAD "/split-ok-00001-of-00002.gguf", &split);
	cr_assert_eq(split.n_parts, 2);
	cr_assert_eq(split.n_tensors, whole.n_tensors);
	cr_assert_eq(split.tensor_bytes, whole.tensor_bytes);
	cr_assert_eq(split.tensor_elems, whole.tensor_elems);
	cr_assert_eq(split.tensors[0].part, 0);
	cr_assert_eq(split.tensors[split.n_tensors - 1].part, 1);
	cr_assert_str_eq(split.path, GG_BAD "/split-ok-00001-of-00002.gguf");
	struct stat s1, s2;
	cr_assert(stat(GG_BAD "/split-ok-00001-of-00002.gguf", &s1) == 0 &&
	          stat(GG_BAD "/split-ok-00002-of-00002.gguf", &s2) == 0);
	cr_assert_eq(split.file_bytes, (uint64_t)(s1.st_size + s2.st_size));

	/* Same model as the single file. */
	struct model_arch a, b;
	char err[512];
	cr_assert(gguf_arch(&whole, &a, err, sizeof(err)), "%s", err);
	cr_assert(gguf_arch(&split, &b, err, sizeof(err)), "%s", err);
	cr_assert_eq(memcmp(&a, &b, sizeof(a)), 0);

	/* Naming any part loads them all. */
	gg_read_ok(GG_BAD "/split-ok-00002-of-00002.gguf", &from2);
	cr_assert_eq(from2.n_tensors, whole.n_tensors);
	gguf_info_free(&from2);
	gguf_info_free(&split);
	gguf_info_free(&whole);
}

Test(gguf, split_part_missing)
{
	char err[512];
	struct gguf_info g;
	cr_assert_not(gguf_read(GG_BAD "/split-missing-00001-of-00003.gguf", &g, err, sizeof(err)));
	cr_assert(strstr(err, "split-missing-00003-of-00003.gguf") &&
	              strstr(err, "part 3 of 3 is missing"),
	          "%s", err);
	cr_assert_eq(g.n_tensors, 0);
}

/* Copy src to dir/name. */
static void gg_copy(const char *src, const char *dir, const char *name)
{
	size_t len;
	uint8_t *buf = gg_slurp(src, &len);
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(buf, 1, len, f), len);
	fclose(f);
	free(buf);
}

static void gg_rm_dir(const char *dir, const char *const *names)
{
	char path[512];
	for (; *names; names++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *names);
		unlink(path);
	}
	rmdir(dir);
}

Test(gguf, split_inconsistent_parts)
{
	char dir[] = "/tmp/vramcalc-gguf-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	static const char *const names[] = {"m-00001-of-00003.gguf", "m-00002-of-00003.gguf",
	                                    "m-00003-of-00003.gguf", NULL};
	char path[512], err[512];
	struct gguf_info g;

	/* Part 3 repeats part 2's tensors. */
	gg_copy(GG_BAD "/split-ok-00001-of-00002.gguf", dir, names[0]);
	gg_copy(GG_BAD "/split-ok-00002-of-00002.gguf", dir, names[1]);
	gg_copy(GG_BAD "/split-ok-00002-of-00002.gguf", dir, names[2]);
	snprintf(path, sizeof(path), "%s/%s", dir, names[0]);
	cr_assert_not(gguf_read(path, &g, err, sizeof(err)));
	cr_assert(strstr(err, names[0]) && strstr(err, "split part 3") &&
	              strstr(err, "also in split part 2"),
	          "%s", err);

	/* Part 3 has no tensors: the counts written by gguf-split disagree. */
	gg_copy(GG_BAD "/unknown-arch.gguf", dir, names[2]);
	cr_assert_not(gguf_read(path, &g, err, sizeof(err)));
	cr_assert(strstr(err, names[0]) && strstr(err, "split.count is 2"), "%s", err);

	/* A broken part is reported by its own name. */
	gg_copy(GG_BAD "/bad-magic.gguf", dir, names[2]);
	cr_assert_not(gguf_read(path, &g, err, sizeof(err)));
	cr_assert(strstr(err, names[2]) && strstr(err, "wrong magic"), "%s", err);
	gg_rm_dir(dir, names);
}

/* ------------------------------------------------------------------ */
/* Architecture from metadata.                                         */

Test(gguf, arch_unknown)
{
	gg_expect_arch_error("unknown-arch.gguf", "architecture 'mamba9' has no engine layout",
	                     "mamba9.block_count", "mamba9.embedding_length",
	                     "mamba9.context_length", "mamba9.attention.head_count", NULL);
}

Test(gguf, arch_missing_key)
{
	gg_expect_arch_error("missing-key.gguf", "'llama.block_count' is missing", NULL);
}

Test(gguf, arch_negative_value)
{
	gg_expect_arch_error("arch-negative.gguf", "'llama.block_count'", "-1 is negative", NULL);
}

Test(gguf, arch_float_for_a_count)
{
	gg_expect_arch_error("arch-float.gguf", "'llama.embedding_length'", "got float32", NULL);
}

Test(gguf, arch_per_layer_array_of_wrong_length)
{
	gg_expect_arch_error("arch-layer-count.gguf", "'llama.attention.head_count_kv'",
	                     "3 values for 2 layers", NULL);
}

Test(gguf, arch_per_layer_arrays)
{
	struct gguf_info g;
	struct model_arch a;
	char err[512];
	gg_read_ok(GG_BAD "/arch-arrays.gguf", &g);
	cr_assert(gguf_arch(&g, &a, err, sizeof(err)), "%s", err);
	cr_assert_eq(a.layer_head_kv[0], 2);
	cr_assert_eq(a.layer_head_kv[1], 1);
	cr_assert_eq(a.n_head_kv, 2);
	cr_assert_eq(a.n_ff, 128, "the widest layer");
	cr_assert(a.tied_embeddings, "no output.weight");
	gguf_info_free(&g);
}

Test(gguf, arch_sliding_window_pattern_array)
{
	struct gguf_info g;
	struct model_arch a;
	char err[512];
	gg_read_ok(GG_BAD "/arch-gemma3-pattern.gguf", &g);
	cr_assert(gguf_arch(&g, &a, err, sizeof(err)), "%s", err);
	cr_assert_eq(a.family, AF_GEMMA3);
	cr_assert_eq(a.n_swa, 64);
	cr_assert_eq(a.layer_kind[0], LK_ATTN_SWA);
	cr_assert_eq(a.layer_kind[1], LK_ATTN_FULL);
	cr_assert_eq(a.layer_kind[2], LK_ATTN_SWA);
	cr_assert_eq(a.n_vocab, 5, "vocab from tokenizer.ggml.tokens");
	gguf_info_free(&g);
}

/* cohere2moe: without sliding_window_pattern, llama.cpp's dense-first
 * period 4 (layers 0 and 4 attend fully); a pattern array shorter than
 * the layers is refused with the key named. */
Test(gguf, arch_cohere2moe_dense_first_pattern)
{
	struct gguf_info g;
	struct model_arch a;
	char err[512];
	gg_read_ok(GG_BAD "/arch-cohere2moe-pattern.gguf", &g);
	cr_assert(gguf_arch(&g, &a, err, sizeof(err)), "%s", err);
	cr_assert_eq(a.family, AF_COHERE2);
	cr_assert_eq(a.n_swa, 64);
	const uint8_t want[5] = {LK_ATTN_FULL, LK_ATTN_SWA, LK_ATTN_SWA, LK_ATTN_SWA, LK_ATTN_FULL};
	for (int il = 0; il < 5; il++)
		cr_assert_eq(a.layer_kind[il], want[il], "layer %d", il);
	gguf_info_free(&g);
	gg_expect_arch_error("arch-cohere2moe-short-pattern.gguf",
	                     "'cohere2moe.attention.sliding_window_pattern'",
	                     "1 values for 5 layers", NULL);
}

/* ------------------------------------------------------------------ */
/* Architectures without an engine layout: the standard keys.          */

/* gguf_model() of the GGUF at path, with an estimate at ctx tokens (f16 KV,
 * one sequence). */
static void gg_estimate(const char *path, struct model *m, struct estimate *e, uint64_t ctx)
{
	char err[512];
	struct gguf_info g;
	struct settings s;
	gg_read_ok(path, &g);
	cr_assert(gguf_model(&g, m, err, sizeof(err)), "%s", err);
	gguf_info_free(&g);
	cr_assert(model_prepare_from_tensors(m));
	estimate_settings_default(&s);
	s.file_types = true;
	s.ctx_tokens = ctx;
	estimate_once(m, &s, e);
}

/* gg_estimate() of a fixture in GG_BAD. */
static void gg_generic(const char *file, struct model *m, struct estimate *e, uint64_t ctx)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", GG_BAD, file);
	gg_estimate(path, m, e, ctx);
}

Test(gguf, generic_hybrid_from_head_count_kv_and_ssm_keys)
{
	struct model m;
	struct estimate e;
	gg_generic("generic-hybrid.gguf", &m, &e, 4096);
	cr_assert(m.arch.generic);
	cr_assert_str_eq(m.arch.gguf_arch, "hyb9");
	cr_assert_eq(m.arch.layer_kind[0], LK_RECURRENT);
	cr_assert_eq(m.arch.layer_kind[1], LK_ATTN_FULL);
	cr_assert_eq(e.rs_layers, 2);
	cr_assert_eq(e.kv_layers, 2);
	/* K: 2 heads x 16, V: 2 heads x 8, f16, 4096 cells, 2 layers */
	cr_assert_eq(e.k_bytes, 2ull * 4096 * 2 * 16 * 2);
	cr_assert_eq(e.v_bytes, 2ull * 4096 * 2 * 8 * 2);
	/* conv (4-1) x (64 + 2 x 2 x 16), state 16 x 64, f32, 2 layers */
	cr_assert_eq(e.r_bytes, 2ull * 3 * (64 + 64) * 4);
	cr_assert_eq(e.s_bytes, 2ull * 16 * 64 * 4);
	model_release(&m);
}

Test(gguf, generic_swa_pattern_and_mtp_block_skipped)
{
	struct model m;
	struct estimate e;
	gg_generic("generic-swa-mtp.gguf", &m, &e, 8192);
	cr_assert_eq(m.arch.n_layer, 2, "block_count 3 minus 1 MTP block");
	cr_assert_eq(m.arch.layer_kind[0], LK_ATTN_SWA);
	cr_assert_eq(m.arch.layer_kind[1], LK_ATTN_FULL);
	cr_assert_eq(m.arch.n_swa, 128);
	for (size_t i = 0; i < m.tensors.n; i++)
		cr_assert(strncmp(m.tensors.v[i].name, "blk.2.", 6) != 0,
		          "%s: llama.cpp skips MTP tensors", m.tensors.v[i].name);
	cr_assert_eq(m.tensors.n, 12 + 9, "blocks 0 and 1 and the globals");
	/* SWA cells: pad256(128 + 512) = 768; full: 8192; 2 KV heads x 8 */
	cr_assert_eq(e.kv_cells_swa, 768);
	cr_assert_eq(e.k_bytes + e.v_bytes, 2ull * 8192 * 16 * 2);
	cr_assert_eq(e.swa_k_bytes + e.swa_v_bytes, 2ull * 768 * 16 * 2);
	model_release(&m);
}

Test(gguf, generic_shortconv_state)
{
	struct model m;
	struct estimate e;
	gg_generic("generic-shortconv.gguf", &m, &e, 4096);
	cr_assert_eq(m.arch.rec_kind, RK_SHORTCONV);
	cr_assert_eq(e.rs_layers, 1);
	cr_assert_eq(e.r_bytes, 32ull * 2 * 4, "n_embd x (L - 1), f32");
	cr_assert_eq(e.s_bytes, 0);
	model_release(&m);
}

/* gg_estimate() of a measured truth2026 header. */
static void gg_truth(const char *name, struct model *m, struct estimate *e, uint64_t ctx)
{
	char path[256];
	snprintf(path, sizeof(path), "tests/data/truth2026/gguf/%s", name);
	gg_estimate(path, m, e, ctx);
}

/* Jamba (Mamba-1 layers: no ssm.group_count) beside attention layers named
 * by a per-layer head_count_kv; llama.cpp measured 84,541,440 B of context
 * at 4096 cells (tests/data/truth2026 jamba-mini).  Mamba-1's conv state
 * counts no groups, as llama_hparams::n_embd_r() does with 0 of them. */
Test(gguf, generic_mamba1_hybrid_jamba)
{
	struct model m;
	struct estimate e;
	gg_truth("jamba-mini-Q4_K_M.gguf", &m, &e, 4096);
	cr_assert(m.arch.generic);
	cr_expect_eq(m.arch.ssm_n_group, 0);
	cr_expect_str_eq(arch_rec_kind_name(&m.arch), "Mamba-1");
	cr_expect_eq(e.rs_layers, 28);
	cr_expect_eq(e.kv_layers, 4, "head_count_kv 8 at layers 4, 12, 20, 28");
	cr_expect_eq(e.r_bytes, 28ull * 3 * 8192 * 4, "(d_conv - 1) x d_inner, f32");
	cr_expect_eq(e.s_bytes, 28ull * 16 * 8192 * 4, "d_state x d_inner, f32");
	cr_expect_eq(e.k_bytes + e.v_bytes, 4ull * 4096 * 2 * 8 * 128 * 2);
	cr_expect_eq(e.kv_bytes, 84541440);
	model_release(&m);
}

/* Pure Mamba-2 (head_count 0: no attention at all) and RWKV 7 (a wkv
 * state, every layer recurrent; head_count 0): context measured by
 * llama.cpp at 4096 cells, 276,299,776 B and 21,626,880 B. */
Test(gguf, generic_attention_free_mamba2_and_rwkv7)
{
	struct model m;
	struct estimate e;
	gg_truth("mamba2-codestral-7b-F16.gguf", &m, &e, 4096);
	cr_expect_eq(m.arch.n_head, 0);
	cr_expect_str_eq(arch_rec_kind_name(&m.arch), "Mamba-2");
	cr_expect_eq(e.rs_layers, 64);
	cr_expect_eq(e.kv_layers, 0);
	cr_expect_eq(e.kv_bytes, 276299776);
	model_release(&m);

	gg_truth("rwkv7-2.9b-F16.gguf", &m, &e, 4096);
	cr_expect_eq(m.arch.rec_kind, RK_RWKV);
	cr_expect_str_eq(arch_rec_kind_name(&m.arch), "RWKV");
	cr_expect_eq(e.rs_layers, 32);
	cr_expect_eq(e.r_bytes, 32ull * 2 * 2560 * 4, "token_shift_count (default 2) x n_embd");
	cr_expect_eq(e.s_bytes, 32ull * 2560 * 64 * 4, "n_embd x wkv head size");
	cr_expect_eq(e.kv_bytes, 21626880);
	model_release(&m);
}

/* The 2026 layouts' own keys, each broken once: one line naming the file
 * and the key (tests/data/gguf-bad/make.py's meta() files). */
Test(gguf, arch_2026_keys_refused_with_the_key_named)
{
	gg_expect_arch_error("arch-nextn-all.gguf", "'qwen35.nextn_predict_layers'",
	                     "4 of 4 blocks", NULL);
	gg_expect_arch_error("arch-interval-zero.gguf", "'qwen35.full_attention_interval'",
	                     "must be positive", NULL);
	gg_expect_arch_error("arch-recurrent-short.gguf", "'qwen35.attention.recurrent_layers'",
	                     "2 values for 4 layers", NULL);
	gg_expect_arch_error("arch-shared-kv-all.gguf", "'gemma4.attention.shared_kv_layers'",
	                     "4 of 4 layers", NULL);
	gg_expect_arch_error("arch-dsa-no-indexer.gguf",
	                     "'deepseek32.attention.indexer.head_count' is missing", NULL);
	gg_expect_arch_error("arch-mla-key-length.gguf", "'deepseek2.attention.key_length_mla'",
	                     "must exceed rope.dimension_count", NULL);
	gg_expect_arch_error("arch-msa-block-zero.gguf",
	                     "'minimax-m3.attention.indexer.block_size'", "must be positive", NULL);
	gg_expect_arch_error("arch-dsv4-short-ratios.gguf", "'deepseek4.attention.compress_ratios'",
	                     "expected one ratio per block (4)", NULL);
	gg_expect_arch_error("arch-dsv4-bad-ratio.gguf", "ratio 8 in block 2",
	                     "llama.cpp knows 0, 4 and 128", NULL);
	gg_expect_arch_error("arch-rwkv-no-head-size.gguf", "'rwkv9.wkv.head_size'",
	                     "expected an unsigned integer, got string", NULL);
}

Test(gguf, generic_names_missing_ssm_keys)
{
	gg_expect_arch_error("generic-no-ssm.gguf", "architecture 'ssm9' has no engine layout",
	                     "ssm9.ssm.conv_kernel", "ssm9.ssm.inner_size", NULL);
}

/* DeepSeek V4 with its MTP block (tests/data/truth2026, measured at 4096
 * cells: 79,577,088 B of context, 786,432 more than without the block):
 * the block's weights are skipped, its window cache is kept.  A file that
 * declares the block without its eh_proj runs every block as trunk
 * (deepseek4's load_arch_hparams probe): no MTP block then. */
Test(gguf, deepseek4_mtp_block_window_cache_and_probe)
{
	struct gguf_info g;
	struct model m;
	struct settings s;
	struct estimate e;
	char err[512];
	gg_read_ok("tests/data/truth2026/gguf/deepseek4-flash-mtp-Q4_K_M.gguf", &g);
	cr_assert(gguf_model(&g, &m, err, sizeof(err)), "%s", err);
	cr_assert(model_prepare_from_tensors(&m));
	cr_expect_eq(m.arch.n_layer, 43);
	cr_expect_eq(m.arch.n_mtp, 1);
	estimate_settings_default(&s);
	s.file_types = true;
	estimate_once(&m, &s, &e);
	cr_expect_eq(e.kv_bytes, 79577088);
	cr_expect_eq(e.weights_bytes, 171911320704);
	cr_expect_eq(e.mtp_kv_bytes, 1024ull * 768, "one 512-wide f16 K row x 768 window cells");
	cr_expect_eq(e.mtp_weights_bytes, 0);
	model_release(&m);

	for (size_t i = 0; i < g.n_tensors; i++)
		if (!strcmp(g.tensors[i].name, "blk.43.nextn.eh_proj.weight"))
			g.tensors[i].name[strlen(g.tensors[i].name) - 8] = 'X'; /* eh_proX */
	cr_assert(gguf_model(&g, &m, err, sizeof(err)), "%s", err);
	cr_expect_eq(m.arch.n_layer, 44, "no eh_proj: every block is trunk");
	cr_expect_eq(m.arch.n_mtp, 0);
	model_release(&m);
	gguf_info_free(&g);
}

/* --spec mtp against what the llama.cpp of 2026-09-28 allocates for
 * llama-server --spec-type draft-mtp (tests/data/spec/runs.csv, measured
 * with tests/data/spec/memprobe_mtp.cpp on the truth2026 headers): the
 * MTP tensors the draft load adds, the state snapshots of the main
 * context and the draft context's cache, each to the byte, on eight
 * architectures; the draft compute buffer is an estimate (its error is in
 * tests/data/spec/README.md), checked here only to be there. */
Test(gguf, spec_mtp_matches_measured_draft_mtp)
{
	FILE *f = fopen("tests/data/spec/runs.csv", "r");
	cr_assert(f, "tests/data/spec/runs.csv");
	char line[1024];
	cr_assert(fgets(line, sizeof(line), f)); /* header */
	int cases = 0;
	while (fgets(line, sizeof(line), f)) {
		char name[96], tk[16], tv[16], fa[8], dk[16], dv[16];
		unsigned ctx, ub, nb, seq, uni, swa, nmax;
		unsigned long long bm, bc, bk, sm, sc, sk, dc, dcomp;
		int n = sscanf(
		    line,
		    "%95[^,],%u,%u,%u,%u,%15[^,],%15[^,],%7[^,],%u,%u,%u,%15[^,],%15[^,],%llu,"
		    "%llu,%llu,%llu,%llu,%llu,%llu,%llu",
		    name, &ctx, &ub, &nb, &seq, tk, tv, fa, &uni, &swa, &nmax, dk, dv, &bm, &bc,
		    &bk, &sm, &sc, &sk, &dc, &dcomp);
		cr_assert_eq(n, 21, "bad row: %s", line);
		char path[192], err[512];
		snprintf(path, sizeof(path), "tests/data/truth2026/gguf/%s.gguf", name);
		struct gguf_info g;
		struct model m;
		gg_read_ok(path, &g);
		cr_assert(gguf_model(&g, &m, err, sizeof(err)), "%s", err);
		cr_assert(model_prepare_from_tensors(&m));
		struct settings s;
		estimate_settings_default(&s);
		s.file_types = true;
		s.backend = LLAMA_BACKEND_CPU;
		s.ctx_tokens = ctx;
		s.n_ubatch = ub;
		s.n_seq = seq;
		s.kv_unified = uni != 0;
		s.swa_full = swa != 0;
		s.flash_attn = !strcmp(fa, "on");
		cr_assert(kvtype_find(tk, &s.kv_k) && kvtype_find(tv, &s.kv_v));
		struct estimate off, on;
		estimate_once(&m, &s, &off);
		s.spec_draft = nmax;
		estimate_once(&m, &s, &on);
		cr_expect_eq(off.weights_bytes, bm, "%s: weights without drafting", line);
		cr_expect_eq(off.kv_bytes, bc, "%s: context without drafting", line);
		cr_expect_eq(on.weights_bytes, sm, "%s: weights with load_mtp", line);
		cr_expect_eq(on.spec_weights_bytes, sm - bm, "%s", line);
		cr_expect(on.spec_weights_exact, "%s", line);
		cr_expect_eq(on.spec_state_bytes, sc - bc, "%s: n_rs_seq snapshots", line);
		cr_expect_eq(on.spec_kv_bytes, dc, "%s: draft context cache", line);
		cr_expect_eq(on.kv_bytes, sc + dc, "%s: both contexts", line);
		cr_expect_gt(on.spec_compute_bytes, 0, "%s", line);
		cr_expect_eq(on.compute_bytes, off.compute_bytes + on.spec_compute_bytes, "%s",
		             line);
		model_release(&m);
		gguf_info_free(&g);
		cases++;
	}
	fclose(f);
	cr_expect_eq(cases, 80);
}

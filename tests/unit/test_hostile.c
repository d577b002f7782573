/*
 * test_hostile.c - the hostile-input audit's cases (issue 16), one
 * regression test each: products that wrapped, hardware numbers without a
 * range, settings accepted at absurd values, and the leak after a bad
 * hardware section.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "estimate.h"
#include "estimate_once.h"
#include "hardware.h"
#include "hfjson.h"
#include "json.h"
#include "profile.h"
#include "satmath.h"
#include "text.h"
#include "truth.h"

#define HOSTILE "tests/data/hostile/"

TestSuite(hostile, .init = truth_use_repo_profiles);

Test(hostile, sat_helpers_saturate_instead_of_wrapping)
{
	cr_expect_eq(sat_mul(1ull << 32, 1ull << 32), UINT64_MAX);
	cr_expect_eq(sat_mul(1ull << 31, 1ull << 32), 1ull << 63);
	cr_expect_eq(sat_add(UINT64_MAX, 1), UINT64_MAX);
	cr_expect_eq(sat_mul3(256, 4096ull * 4096 * 4, 1ull << 32), UINT64_MAX);
	uint64_t r = 7;
	cr_expect_not(mul_checked(1ull << 40, 1ull << 40, &r));
	cr_expect_eq(r, 7, "untouched on overflow");
	cr_expect(mul_checked(3, 5, &r));
	cr_expect_eq(r, 15);
	cr_expect_eq(bytes_to_i64(UINT64_MAX), INT64_MAX);
}

/* The audit's model: 256 layers, 4096 KV heads of dim 4096, vocabulary
 * 2^24 (config-huge-kv.json), prepared (release with model_release). */
static void huge_kv_model(struct model *m)
{
	struct hfjson_model hm;
	char err[512];
	cr_assert(hfjson_load(HOSTILE "config-huge-kv.json", &hm, NULL, err, sizeof(err)), "%s",
	          err);
	*m = (struct model){.arch = hm.arch};
	cr_assert(model_prepare(m));
}

/* The audit: 256 layers, 4096 KV heads of dim 4096, vocabulary 2^24 at
 * -c 4294967296 -k f32 printed "KV cache 0 ... exact". */
Test(hostile, kv_cache_product_does_not_wrap_to_zero)
{
	char err[512];
	struct model m;
	huge_kv_model(&m);
	struct settings s;
	estimate_settings_default(&s);
	s.ctx_tokens = 1ull << 32;
	s.kv_k = s.kv_v = KV_F32;
	cr_expect_not(estimate_check_once(&m, &s, err, sizeof(err)));
	cr_expect(strstr(err, "KV cache") && strstr(err, "4294967296") &&
	              strstr(err, "exceeds 72057594037927936 bytes"),
	          "%s", err);
	/* Run anyway: every part saturates, none wraps below the true value
	 * (2^76 bytes of KV cache). */
	struct estimate e;
	estimate_once(&m, &s, &e);
	cr_expect_eq(e.kv_bytes, UINT64_MAX);
	cr_expect_eq(e.k_bytes, UINT64_MAX);
	cr_expect_eq(e.total_bytes, UINT64_MAX);
	cr_expect_geq(e.gpu_bytes, e.kv_gpu_bytes);
	/* ...and the fit says "does not fit", not a wrapped headroom. */
	struct device d = {.memory_bytes = HW_MEMORY_MAX_BYTES, .gpu_share = 1.0};
	struct hw_fit f;
	hw_fit(&e, &d, 8, &f);
	cr_expect_not(f.fits);
	cr_expect_lt(f.headroom_bytes, 0);
	cr_expect_eq(f.needed, 0);
	/* A context that fits in 64 PiB passes and is exact. */
	s.ctx_tokens = 4096;
	cr_expect(estimate_check_once(&m, &s, err, sizeof(err)), "%s", err);
	estimate_once(&m, &s, &e);
	cr_expect_eq(e.k_bytes, 256ull * 4096 * 4096 * 4 * 4096);
	model_release(&m);

	char *out, *msg;
	cr_expect_eq(truth_run(&out, &msg, 7, "-m", HOSTILE "config-huge-kv.json", "-c",
	                       "4294967296", "-k", "f32", "--json"),
	             2);
	cr_expect(strstr(msg, "exceeds 72057594037927936 bytes"), "%s", msg);
	cr_expect_eq(out[0], '\0', "no JSON with a wrapped number: %s", out);
	free(out);
	free(msg);
}

/* The largest of an estimate's three sums. */
static uint64_t largest_sum(const struct estimate *e)
{
	uint64_t m = e->total_bytes > e->gpu_bytes ? e->total_bytes : e->gpu_bytes;
	return m > e->host_bytes ? m : e->host_bytes;
}

/* The fuzz_invariant finding: estimate_check bounded the weights, KV cache
 * and one compute buffer, but the total also adds the host compute buffer,
 * the output buffer and the overhead, so a passed check could still show
 * a total past 2^56.  Now the check bounds the sums estimate_run() adds:
 * at the largest context that passes, total, GPU and host are all within
 * the limit, and one padded step further the check refuses exactly when a
 * sum passes it (the check is the estimate's own arithmetic, not a guess). */
Test(hostile, a_passed_check_bounds_total_gpu_and_host)
{
	char err[512];
	struct model m;
	huge_kv_model(&m);
	static const struct {
		enum offload_mode offload;
		uint32_t ubatch, n_seq;
		bool flash;
	} cases[] = {
	    {OFFLOAD_GPU, 512, 1, true},
	    {OFFLOAD_CPU, 512, 1, true},
	    {OFFLOAD_CPU, SETTINGS_UBATCH_MAX, 64, false},
	    {OFFLOAD_GPU, SETTINGS_UBATCH_MAX, SETTINGS_SEQ_MAX, false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct settings s;
		estimate_settings_default(&s);
		s.kv_k = s.kv_v = KV_F32;
		s.offload = cases[i].offload;
		s.n_ubatch = cases[i].ubatch;
		s.n_seq = cases[i].n_seq;
		s.flash_attn = cases[i].flash;
		/* the largest passing context, by bisection over 1..2^32 */
		uint64_t lo = 1, hi = SETTINGS_CTX_MAX;
		s.ctx_tokens = lo;
		cr_assert(estimate_check_once(&m, &s, err, sizeof(err)), "case %zu: %s", i, err);
		s.ctx_tokens = hi;
		cr_assert_not(estimate_check_once(&m, &s, err, sizeof(err)), "case %zu", i);
		while (hi - lo > 1) {
			s.ctx_tokens = lo + (hi - lo) / 2;
			if (estimate_check_once(&m, &s, err, sizeof(err)))
				lo = s.ctx_tokens;
			else
				hi = s.ctx_tokens;
		}
		struct estimate e;
		s.ctx_tokens = lo;
		estimate_once(&m, &s, &e);
		cr_expect_leq(largest_sum(&e), BYTES_LIMIT, "case %zu: ctx %llu passes", i,
		              (unsigned long long)lo);
		cr_expect_leq(e.compute_host_bytes + e.output_bytes + e.overhead_bytes,
		              e.total_bytes);
		s.ctx_tokens = hi;
		cr_expect_not(estimate_check_once(&m, &s, err, sizeof(err)));
		cr_expect(strstr(err, "exceed"), "case %zu: %s", i, err);
		estimate_once(&m, &s, &e);
		cr_expect_gt(largest_sum(&e), BYTES_LIMIT, "case %zu: ctx %llu refused: %s", i,
		             (unsigned long long)hi, err);
	}
	model_release(&m);
}

Test(hostile, absurd_widths_are_refused_by_name)
{
	struct model_arch a;
	struct hfjson_model hm;
	char err[512];
	cr_assert(hfjson_load(HOSTILE "config-huge-kv.json", &hm, NULL, err, sizeof(err)), "%s",
	          err);
	a = hm.arch;
	a.n_ff = 4000000000u;
	cr_expect_not(arch_validate(&a, err, sizeof(err)));
	cr_expect(strstr(err, "intermediate_size: 4000000000"), "%s", err);
}

/* Each hardware.ini number has a range; the file, section, key and value
 * are named.  The good section before the bad one must not leak (the
 * sanitizer run of this test checks that). */
Test(hostile, hardware_numbers_have_ranges)
{
	static const struct {
		const char *file, *key, *value;
	} bad[] = {
	    {"hw-memory-bytes-max.ini", "memory_bytes", "18446744073709551615"},
	    {"hw-memory-huge.ini", "memory", "999999 TB"},
	    {"hw-memory-tiny.ini", "memory_bytes", "1"},
	    {"hw-bandwidth-negative.ini", "bandwidth_gbps", "-5"},
	    {"hw-bandwidth-huge.ini", "bandwidth_gbps", "1e308"},
	    {"hw-bandwidth-inf.ini", "bandwidth_gbps", "inf"},
	    {"hw-bandwidth-zero.ini", "bandwidth_gbps", "0"},
	    {"hw-tflops-huge.ini", "bf16_tflops", "1e308"},
	    {"hw-share-tiny.ini", "gpu_share", "1e-300"},
	    {"hw-error-after-good.ini", "memory", "24 gigs"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char path[256], err[PROFILE_ERR_LEN];
		struct device_list l = {0};
		snprintf(path, sizeof(path), HOSTILE "%s", bad[i].file);
		cr_expect_not(profile_load_hardware(path, &l, NULL, err, sizeof(err)), "%s",
		              bad[i].file);
		cr_expect(strstr(err, bad[i].file) && strstr(err, "[bad-card]") &&
		              strstr(err, bad[i].key) && strstr(err, bad[i].value),
		          "%s: '%s'", bad[i].file, err);
		cr_expect_eq(l.n, 0, "%s: the list is freed on failure", bad[i].file);
		cr_expect_null(l.v);
	}
}

/* Write a hardware.ini of a good card and a bad one whose last line is
 * "key = value" (line 11); returns its path (static). */
static const char *bad_card_file(const char *key, const char *value)
{
	static char path[] = "/tmp/vramcalc-hw-XXXXXX.ini";
	memcpy(path + sizeof(path) - 11, "XXXXXX", 6);
	int fd = mkstemps(path, 4);
	cr_assert_geq(fd, 0);
	FILE *f = fdopen(fd, "w");
	cr_assert_not_null(f);
	fprintf(f,
	        "[good-card]\nname = Good\ncategory = consumer\nmemory = 24 GB\n"
	        "fp16_tflops = 0\nint8_tops = 100000\ncompute_capability = 100\n"
	        "[bad-card]\ncategory = consumer\nmemory = 24 GB\n%s = %s\n",
	        key, value);
	fclose(f);
	return path;
}

/* Every hardware.ini key has a range or a form in the one table of keys,
 * the newer ones too (fp16_tflops, int8_tops, memory_type, ...); a value
 * outside it is refused naming the file, line, section, key and value. */
Test(hostile, every_hardware_key_is_checked_with_file_line_and_key)
{
	char long_name[81], long_note[1026], long_id[60];
	memset(long_name, 'n', 80);
	long_name[80] = '\0';
	memset(long_note, 's', 1025);
	long_note[1025] = '\0';
	static const struct {
		const char *key, *value;
	} bad[] = {
	    {"fp16_tflops", "-1"},
	    {"fp16_tflops", "100001"},
	    {"fp16_tflops", "nan"},
	    {"int8_tops", "1e308"},
	    {"int8_tops", "-0.5"},
	    {"memory_type", "SRAM"},
	    {"compute_capability", "0"},
	    {"compute_capability", "101"},
	    {"tdp_w", "0"},
	    {"tdp_w", "20000"},
	    {"torch_memory", "0 GiB"},
	    {"torch_memory", "100 GiB"},
	    {"gpu_share", "0"},
	    {"unified", "2"},
	    {"fp4", "maybe"},
	    {"memory_bytes", "-1"},
	    {"bandwidth_gbps", "100000.5"},
	    {"category", "server"},
	    {"name", NULL},
	    {"source", NULL},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *value = bad[i].value                  ? bad[i].value
		                    : !strcmp(bad[i].key, "name") ? long_name
		                                                  : long_note;
		const char *path = bad_card_file(bad[i].key, value);
		char where[64], err[PROFILE_ERR_LEN];
		snprintf(where, sizeof(where), "%s:11: [bad-card] %s: ", path, bad[i].key);
		struct device_list l = {0};
		cr_expect_not(profile_load_hardware(path, &l, NULL, err, sizeof(err)), "%s = %.20s",
		              bad[i].key, value);
		cr_expect(strstr(err, where) && (strstr(err, value) || strlen(value) > 100),
		          "%s = %.20s: '%s'", bad[i].key, value, err);
		cr_expect_eq(l.n, 0);
		unlink(path);
	}
	/* the ends of each range are accepted (the good card above), as are a
	 * name of 79 bytes and a note of 1024 */
	long_name[79] = '\0';
	long_note[1024] = '\0';
	const char *ok[][2] = {{"name", long_name},      {"tensor_source", long_note},
	                       {"tdp_w", "10000"},       {"torch_memory", "24 GiB"},
	                       {"bf16_tflops", "0"},     {"bandwidth_gbps", "100000"},
	                       {"memory_type", "HBM3e"}, {"gpu_share", "0.01"}};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		const char *path = bad_card_file(ok[i][0], ok[i][1]);
		char err[PROFILE_ERR_LEN];
		struct device_list l = {0};
		cr_expect(profile_load_hardware(path, &l, NULL, err, sizeof(err)), "%s: %s",
		          ok[i][0], err);
		cr_expect_eq(l.n, 2);
		device_list_free(&l);
		unlink(path);
	}
	/* a section id longer than a device id holds */
	memset(long_id, 'x', 59);
	long_id[59] = '\0';
	char path[] = "/tmp/vramcalc-hw-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	FILE *f = fdopen(fd, "w");
	fprintf(f, "; a comment\n[%s]\ncategory = consumer\nmemory = 24 GB\n", long_id);
	fclose(f);
	char err[PROFILE_ERR_LEN];
	struct device_list l = {0};
	cr_expect_not(profile_load_hardware(path, &l, NULL, err, sizeof(err)));
	cr_expect(strstr(err, ":2: [xxxx") && strstr(err, "device id of more than 47 bytes"), "%s",
	          err);
	unlink(path);
}

/* The audit's user hardware.ini with memory_bytes = 2^64 - 1 said "does
 * not fit, 5.56 GiB short"; now the whole run stops at the profile. */
Test(hostile, user_hardware_ini_with_max_memory_is_an_error)
{
	setenv("VRAMCALC_PROFILE_PATH", HOSTILE "user-max-memory:profiles", 1);
	char *out, *msg;
	cr_expect_eq(truth_run(&out, &msg, 5, "-m", "llama-3.1-8b", "-g", "bad-card", "--print"),
	             2);
	cr_expect(strstr(msg, "hardware.ini") && strstr(msg, "memory_bytes") &&
	              strstr(msg, "18446744073709551615"),
	          "%s", msg);
	cr_expect_null(strstr(out, "short"), "%s", out);
	free(out);
	free(msg);
}

Test(hostile, tiny_shares_and_bandwidths_are_rejected_with_a_range)
{
	static const char *const cases[][2] = {
	    {"--gpu-util", "1e-300"},  {"--gpu-util", "0"},     {"--gpu-util", "1.5"},
	    {"--gpu-share", "1e-300"}, {"--host-bw", "1e-300"}, {"--host-bw", "1e308"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out, *msg;
		cr_expect_eq(truth_run(&out, &msg, 3, cases[i][0], cases[i][1], "--print"), 2,
		             "%s %s", cases[i][0], cases[i][1]);
		cr_expect(strstr(msg, cases[i][0]) && strstr(msg, cases[i][1]) &&
		              (strstr(msg, "from 0.01 to 1") || strstr(msg, "from 0.1 to 100000")),
		          "%s", msg);
		free(out);
		free(msg);
	}
	char *out, *msg;
	cr_expect_eq(truth_run(&out, &msg, 5, "--engine", "vllm", "--gpu-util", "0.01", "--print"),
	             0, "%s", msg);
	free(out);
	free(msg);
}

Test(hostile, gpu_count_past_the_limit_says_too_many)
{
	char *out, *msg;
	cr_expect_eq(truth_run(&out, &msg, 3, "-g", "h200-sxmx100000", "--print"), 2);
	cr_expect(strstr(msg, "too many") && strstr(msg, "h200-sxmx100000") &&
	              strstr(msg, "from 1 to 64"),
	          "%s", msg);
	cr_expect_null(strstr(msg, "unknown"), "%s", msg);
	free(out);
	free(msg);
	cr_expect_eq(truth_run(&out, &msg, 3, "-g", "h200-sxmx99999999999999999999999", "--print"),
	             2);
	cr_expect(strstr(msg, "too many"), "%s", msg);
	free(out);
	free(msg);
	cr_expect_eq(truth_run(&out, &msg, 3, "-g", "h200-sxmx40,rtx-4090x30", "--print"), 2);
	cr_expect(strstr(msg, "too many"), "%s", msg);
	free(out);
	free(msg);
	cr_expect_eq(truth_run(&out, &msg, 3, "-g", "h200-sxmx64", "--print"), 0, "%s", msg);
	free(out);
	free(msg);
}

/* Does w hold a warning containing all of a, b and c? */
static bool warned(const struct profile_warnings *w, const char *a, const char *b, const char *c)
{
	for (int i = 0; i < w->n; i++)
		if (strstr(w->msg[i], a) && strstr(w->msg[i], b) && strstr(w->msg[i], c))
			return true;
	return false;
}

/* Duplicate keys used to be accepted without a word: the last one wins in
 * INI files, the first in config.json. */
Test(hostile, duplicate_keys_warn_with_file_and_line)
{
	struct model_meta meta;
	struct model_arch a;
	struct profile_warnings w = {0};
	char err[PROFILE_ERR_LEN];
	cr_assert(profile_load_model(HOSTILE "dup-keys.ini", &meta, &a, &w, err, sizeof(err)), "%s",
	          err);
	cr_expect_eq(a.n_layer, 99, "iniparser's rule: the last one is used");
	cr_expect(warned(&w, "dup-keys.ini:18:", "[config] num_hidden_layers", "first at line 9"));
	cr_expect(warned(&w, "dup-keys.ini:20:", "[model] family", "first at line 4"));
	cr_expect(warned(&w, "dup-keys.ini:19:", "[model]: section given again", "line 2"));

	struct device_list l = {0};
	struct profile_warnings hw = {0};
	cr_assert(profile_load_hardware(HOSTILE "hw-dup.ini", &l, &hw, err, sizeof(err)), "%s",
	          err);
	cr_expect(warned(&hw, "hw-dup.ini:5:", "[card-a] memory", "first at line 4"));
	cr_expect(warned(&hw, "hw-dup.ini:10:", "[card-a]: section", "first at line 1"));
	device_list_free(&l);

	struct hfjson_model hm;
	struct profile_warnings jw = {0};
	cr_assert(hfjson_load(HOSTILE "config-dup.json", &hm, &jw, err, sizeof(err)), "%s", err);
	cr_expect_eq(hm.arch.n_layer, 16, "cJSON's rule: the first one is used");
	cr_expect(warned(&jw, "config-dup.json:12:", "\"num_hidden_layers\"", "first at line 6"));
	cr_expect(warned(&jw, "config-dup.json:13:", "\"factor\"", "first at line 13"));
	/* a key repeated in different objects is no duplicate */
	struct profile_warnings none = {0};
	const char *ok = "{\"a\": {\"x\": 1}, \"b\": {\"x\": 2}, \"x\": [{\"x\": 3}, {\"x\": 4}]}";
	cJSON *j = cJSON_Parse(ok);
	cr_assert_not_null(j);
	cJSON_Delete(j);
	cr_expect_eq(json_warn_duplicate_keys(ok, strlen(ok), "ok.json", &none), 0);
	/* an empty object (fuzz_invariant: pointer arithmetic on no keys) */
	cr_expect_eq(json_warn_duplicate_keys("{}", 2, "empty.json", &none), 0);
	cr_expect_eq(none.n, 0, "%s", none.msg[0]);
}

Test(hostile, text_escape_makes_control_bytes_and_bad_utf8_visible)
{
	char out[128];
	cr_expect_str_eq(text_escape(out, sizeof(out), "a\x1b[2Jb", false), "a\\x1b[2Jb");
	cr_expect_str_eq(text_escape(out, sizeof(out), "\xff\xfe", false), "\\xff\\xfe");
	cr_expect_str_eq(text_escape(out, sizeof(out), "caf\xc3\xa9 \xe2\x96\x88", false),
	                 "caf\xc3\xa9 \xe2\x96\x88", "valid UTF-8 is kept");
	cr_expect_str_eq(text_escape(out, sizeof(out), "\xc2\x9b", false), "\\xc2\\x9b",
	                 "C1 control (CSI) escaped");
	cr_expect_str_eq(text_escape(out, sizeof(out), "\xc0\xaf", false), "\\xc0\\xaf",
	                 "overlong form");
	cr_expect_str_eq(text_escape(out, sizeof(out), "\xed\xa0\x80", false), "\\xed\\xa0\\x80",
	                 "surrogate");
	cr_expect_str_eq(text_escape(out, sizeof(out), "a\nb", true), "a\nb");
	cr_expect_str_eq(text_escape(out, sizeof(out), "a\nb", false), "a\\x0ab");
	cr_expect_str_eq(text_escape(out, 6, "abc\x1b", false), "abc", "never half an escape");
	cr_expect(text_is_clean("rtx-4090 \xe2\x80\x94 24 GB"));
	cr_expect_not(text_is_clean("x\x7f"));
}

/* The audit: a profile name holding ESC or invalid UTF-8 was written raw
 * to the terminal and into JSON. */
Test(hostile, control_characters_never_reach_the_output)
{
	char *out, *msg;
	cr_assert_eq(truth_run(&out, &msg, 3, "-m", HOSTILE "name-control.ini", "--print"), 0, "%s",
	             msg);
	cr_expect_null(strchr(out, '\x1b'), "%s", out);
	cr_expect_null(strchr(out, '\x07'));
	cr_expect(strstr(out, "Evil \\x1b[2J\\x1b]0;pwned\\x07 Model \\xff\\xfe end"), "%s", out);
	cr_expect_eq(json_utf8_check(out, strlen(out)), strlen(out), "valid UTF-8");
	free(out);
	free(msg);

	cr_assert_eq(truth_run(&out, &msg, 3, "-m", HOSTILE "name-control.ini", "--json"), 0, "%s",
	             msg);
	cr_expect_eq(json_utf8_check(out, strlen(out)), strlen(out), "valid UTF-8");
	cJSON *j = cJSON_Parse(out);
	cr_assert_not_null(j, "%s", out);
	const char *name =
	    cJSON_GetObjectItem(cJSON_GetObjectItem(j, "model"), "name")->valuestring;
	cr_expect_str_eq(name, "Evil \\x1b[2J\\x1b]0;pwned\\x07 Model \\xff\\xfe end");
	cJSON_Delete(j);
	free(out);
	free(msg);

	/* a command-line value in an error message */
	cr_expect_eq(truth_run(&out, &msg, 3, "-g", "\x1b[31mred\xff", "--print"), 2);
	cr_expect_null(strchr(msg, '\x1b'), "%s", msg);
	free(out);
	free(msg);
	char buf[256];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	text_fprintf(f, "vramcalc: unknown device '%s'\n", "\x1b[2J\xff");
	fclose(f);
	cr_expect_str_eq(buf, "vramcalc: unknown device '\\x1b[2J\\xff'\n");
}

/* Above 2^53 a double loses digits: 75576033398489088 came out as
 * 75576033398489100.  Every byte count is printed as an exact integer. */
Test(hostile, json_byte_counts_are_exact_integers)
{
	char err[512];
	struct model m;
	huge_kv_model(&m);
	struct settings s;
	estimate_settings_default(&s);
	s.ctx_tokens = 1000000;
	s.kv_k = s.kv_v = KV_F32;
	cr_assert(estimate_check_once(&m, &s, err, sizeof(err)), "%s", err);
	struct estimate e;
	estimate_once(&m, &s, &e);
	/* 256 layers x 4096 heads x 4096 x 4 bytes x 1000192 padded cells */
	cr_assert_eq(e.k_bytes, 256ull * 4096 * 4096 * 4 * 1000192);
	cr_assert_gt(e.kv_bytes, 1ull << 53);
	model_release(&m);

	char *out, *msg;
	cr_assert_eq(truth_run(&out, &msg, 7, "-m", HOSTILE "config-huge-kv.json", "-c", "1000000",
	                       "-k", "f32", "--json"),
	             0, "%s", msg);
	char want[96];
	snprintf(want, sizeof(want), "\"kv_cache\":\t%llu,", (unsigned long long)e.kv_bytes);
	cr_expect(strstr(out, want), "%s not in %s", want, out);
	snprintf(want, sizeof(want), "\"k\":\t%llu,", (unsigned long long)e.k_bytes);
	cr_expect(strstr(out, want), "%s", want);
	snprintf(want, sizeof(want), "\"total\":\t%llu,", (unsigned long long)e.total_bytes);
	cr_expect(strstr(out, want), "%s", want);
	cr_expect_null(strstr(out, "e+"), "no exponent notation");
	free(out);
	free(msg);
}

/* --save-profile llama-3.1-8b silently shadowed the shipped model. */
Test(hostile, save_profile_refuses_an_id_in_use_without_force)
{
	char home[] = "/tmp/vramcalc-force-XXXXXX";
	cr_assert_not_null(mkdtemp(home));
	setenv("XDG_CONFIG_HOME", home, 1);
	char *out, *msg;
	const char *cfg = HOSTILE "config-dup.json";
	cr_expect_eq(
	    truth_run(&out, &msg, 5, "-m", cfg, "--save-profile", "llama-3.1-8b", "--print"), 2);
	cr_expect(strstr(msg, "'llama-3.1-8b' exists: profiles/models/llama-3.1-8b.ini") &&
	              strstr(msg, "--force to shadow it"),
	          "%s", msg);
	free(out);
	free(msg);
	cr_expect_eq(truth_run(&out, &msg, 6, "-m", cfg, "--save-profile", "llama-3.1-8b",
	                       "--force", "--print"),
	             0, "%s", msg);
	cr_expect(strstr(msg, "saved profile 'llama-3.1-8b'"), "%s", msg);
	free(out);
	free(msg);
	/* a user profile: the second save needs --force, which replaces it */
	cr_expect_eq(truth_run(&out, &msg, 5, "-m", cfg, "--save-profile", "mine", "--print"), 0,
	             "%s", msg);
	free(out);
	free(msg);
	cr_expect_eq(truth_run(&out, &msg, 5, "-m", cfg, "--save-profile", "mine", "--print"), 2);
	cr_expect(strstr(msg, "(user)") && strstr(msg, "--force to replace it"), "%s", msg);
	free(out);
	free(msg);
	cr_expect_eq(
	    truth_run(&out, &msg, 6, "-m", cfg, "--save-profile", "mine", "--force", "--print"), 0,
	    "%s", msg);
	free(out);
	free(msg);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", home);
	cr_expect_eq(system(cmd), 0);
}

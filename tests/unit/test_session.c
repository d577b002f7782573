/*
 * test_session.c - the interactive session without a terminal: sliders,
 * keys, undo and redo, pin, the hardware ranking, pickers, compare and
 * explain, saved sessions, and the key and slider tables themselves.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "estimate_once.h"
#include "keys.h"
#include "session.h"
#include "truth.h"

static struct catalog cat;
static struct device_list devs;
static struct session S;
static char tmpdir[64];

static size_t model_index(const char *id)
{
	const struct catalog_model *m = catalog_find(&cat, id);
	cr_assert_not_null(m, "profile %s missing", id);
	return (size_t)(m - cat.v);
}

static size_t device_index(const char *id)
{
	const struct device *d = device_find(&devs, id);
	cr_assert_not_null(d, "device %s missing", id);
	return (size_t)(d - devs.v);
}

/* A session on the shipped profiles: qwen3-8b, Q4_K_M, 8192 tokens, one
 * RTX 4090, sessions saved in a fresh temporary directory. */
static void setup(void)
{
	struct profile_dirs dirs = {.n = 1};
	char err[PROFILE_ERR_LEN];
	struct profile_warnings w = {0};
	snprintf(dirs.dir[0], sizeof(dirs.dir[0]), "profiles");
	snprintf(dirs.origin[0], sizeof(dirs.origin[0]), "shipped");
	cr_assert(catalog_load(&dirs, &cat, &w, err, sizeof(err)), "%s", err);
	cr_assert(profile_load_all_hardware(&dirs, &devs, &w, err, sizeof(err)), "%s", err);
	struct settings st;
	estimate_settings_default(&st);
	st.ctx_tokens = 8192;
	cr_assert(session_init(&S, &cat, &devs, model_index("qwen3-8b"), &st,
	                       device_index("rtx-4090"), 1, NULL, err, sizeof(err)),
	          "%s", err);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vramcalc-session-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	snprintf(S.sessions_dir, sizeof(S.sessions_dir), "%s/vramcalc/sessions", tmpdir);
	session_recalc(&S);
}

static void teardown(void)
{
	session_free(&S);
	catalog_free(&cat);
	device_list_free(&devs);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	cr_expect_eq(system(cmd), 0);
}

TestSuite(session, .init = setup, .fini = teardown);

/* Press keys in order; returns the or of their reactions, recalculating
 * as the main loop would. */
static unsigned press(const int *keys, size_t n)
{
	unsigned all = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned r = session_key(&S, keys[i]);
		if (r & REACT_RECALC)
			session_recalc(&S);
		all |= r;
	}
	return all;
}

#define PRESS(...)                                                                                 \
	do {                                                                                       \
		const int k_[] = {__VA_ARGS__};                                                    \
		press(k_, sizeof(k_) / sizeof(k_[0]));                                             \
	} while (0)

static void type_text(const char *t)
{
	for (; *t; t++)
		PRESS(*t);
}

Test(session, numbers_equal_the_engine_as_json_prints_them)
{
	struct estimate e;
	estimate_once(session_model(&S, S.config.cur.model), &S.config.cur.set, &e);
	cr_assert(S.results.ev.valid);
	cr_assert_eq(S.results.ev.est.total_bytes, e.total_bytes);
	cr_assert_eq(S.results.ev.est.gpu_bytes, e.gpu_bytes);
	/* qwen3-8b Q4_K_M 8192: vramcalc --json bytes.total */
	cr_assert_eq(S.results.ev.est.total_bytes, 7086827008ull);
}

Test(session, quant_order_is_ascending_bits_per_weight_llamacpp_first)
{
	const enum ftype *o = session_quant_order(&S, S.config.cur.model);
	bool seen[FT_COUNT] = {0};
	struct settings st = S.config.cur.set;
	double prev = 0;
	bool vllm = false;
	for (int i = 0; i < FT_COUNT; i++) {
		cr_assert(!seen[o[i]], "quant %d listed twice", o[i]);
		seen[o[i]] = true;
		bool is_vllm = ftype_get(o[i])->engine == FT_VLLM;
		cr_assert(!vllm || is_vllm, "llama.cpp quant after a vLLM one");
		if (is_vllm && !vllm)
			prev = 0;
		vllm = is_vllm;
		struct estimate e;
		st.ftype = o[i];
		estimate_once(session_model(&S, S.config.cur.model), &st, &e);
		cr_assert_geq(e.weights_bpw, prev, "%s out of order", ftype_get(o[i])->name);
		prev = e.weights_bpw;
	}
}

Test(session, quant_slider_steps_and_recalculates)
{
	uint64_t before = S.results.ev.est.total_bytes;
	PRESS(KEYC_DOWN, KEYC_DOWN); /* model -> engine -> quant */
	cr_assert_eq(S.screen.slider, SL_QUANT);
	unsigned r = session_key(&S, KEYC_RIGHT);
	cr_assert(r & REACT_RECALC);
	session_recalc(&S);
	cr_assert_gt(S.results.ev.est.total_bytes, before, "a step right means more bits");
	PRESS(KEYC_LEFT, KEYC_LEFT);
	cr_assert_lt(S.results.ev.est.total_bytes, before);
	PRESS(KEYC_HOME);
	cr_assert_eq(S.screen.slider, SL_MODEL);
}

Test(session, context_steps_run_from_512_to_the_native_maximum)
{
	uint64_t v[64];
	size_t n = session_context_steps(40960, v, 64);
	cr_assert_eq(v[0], 512);
	cr_assert_eq(v[n - 1], 40960);
	for (size_t i = 1; i < n; i++)
		cr_assert_gt(v[i], v[i - 1]);
	n = session_context_steps(131072, v, 64);
	cr_assert_eq(v[n - 1], 131072);
	n = session_context_steps(100000, v, 64);
	cr_assert_eq(v[n - 1], 100000, "an odd native maximum is offered too");
	cr_assert_eq(v[n - 2], 98304);
}

Test(session, context_slider_steps_big_steps_and_stops_at_the_maximum)
{
	S.screen.slider = SL_CONTEXT;
	PRESS(KEYC_RIGHT);
	cr_assert_eq(S.config.cur.set.ctx_tokens, 12288);
	PRESS(KEYC_LEFT, '-');
	cr_assert_eq(S.config.cur.set.ctx_tokens, 2048, "a big step divides by four");
	PRESS('+', '+', '+', '+', KEYC_PGUP);
	cr_assert_eq(S.config.cur.set.ctx_tokens, 40960, "qwen3-8b's native maximum");
	cr_assert_eq(session_key(&S, KEYC_RIGHT) & REACT_RECALC, 0u);
}

Test(session, batch_big_step_is_times_four_as_the_hint_says)
{
	S.screen.slider = SL_BATCH;
	cr_assert_eq(S.config.cur.set.n_seq, 1);
	cr_assert(strstr(slider_table[SL_BATCH].hint, "x4"));
	PRESS('+');
	cr_assert_eq(S.config.cur.set.n_seq, 4, "1 then + is 4, not 6");
	PRESS('+');
	cr_assert_eq(S.config.cur.set.n_seq, 16);
	PRESS('+');
	cr_assert_eq(S.config.cur.set.n_seq, 64);
	PRESS('-', '-');
	cr_assert_eq(S.config.cur.set.n_seq, 4);
	PRESS(KEYC_RIGHT, '-');
	cr_assert_eq(S.config.cur.set.n_seq, 1, "6 / 4 is 1.5: the step below is 1");
}

Test(session, undo_and_redo_say_what_changed)
{
	S.screen.slider = SL_CONTEXT;
	PRESS(KEYC_RIGHT);
	PRESS('u');
	cr_assert(strstr(S.screen.status, "undone: context"), "status '%s'", S.screen.status);
	cr_assert(strstr(S.screen.status, "(was 12K"), "status '%s'", S.screen.status);
	PRESS('U');
	cr_assert(strstr(S.screen.status, "redone: context 12K"), "status '%s'", S.screen.status);
}

Test(session, where_the_hardware_list_has_no_room_tab_shows_it_in_place_of_the_sliders)
{
	S.screen.hw_hidden = true;
	cr_assert_eq(session_layout_flags(&S), 0u);
	cr_assert_eq(session_key_when(&S) & (KEYS_WHEN_HW_SHOWN | KEYS_WHEN_HW_FOCUS), 0u,
	             "the bar offers no hardware-list keys while the list is not drawn");
	/* f says how to show the list instead of filtering an invisible one */
	int filter = S.screen.hw_filter;
	PRESS('f');
	cr_assert_eq(S.screen.hw_filter, filter);
	cr_assert(strstr(S.screen.status, "Tab"), "status '%s'", S.screen.status);
	PRESS(KEYC_TAB);
	cr_assert_eq(S.screen.pane, PANE_HARDWARE);
	cr_assert_eq(session_layout_flags(&S), (unsigned)LAYOUT_HW_FOCUS,
	             "the layout draws the list where the sliders were");
	cr_assert_eq(session_key_when(&S) & (KEYS_WHEN_HW_SHOWN | KEYS_WHEN_HW_FOCUS),
	             KEYS_WHEN_HW_SHOWN | KEYS_WHEN_HW_FOCUS);
	cr_assert(strstr(S.screen.status, "Tab brings the sliders back"), "status '%s'",
	          S.screen.status);
	PRESS(KEYC_TAB);
	cr_assert_eq(S.screen.pane, PANE_SLIDERS);
	S.screen.hw_hidden = false;
	PRESS(KEYC_TAB);
	cr_assert_eq(S.screen.pane, PANE_HARDWARE);
	cr_assert_eq(session_key_when(&S) & KEYS_WHEN_HW_SHOWN, KEYS_WHEN_HW_SHOWN);
}

Test(session, pgdn_scrolls_the_what_if_table_and_plus_still_steps_the_slider)
{
	S.screen.slider = SL_QUANT;
	PRESS('p');
	PRESS('w');
	cr_assert_eq(S.screen.view, VIEW_WHATIF);
	S.screen.page_rows = 7;
	enum ftype q = S.config.cur.set.ftype;
	PRESS(KEYC_PGDN);
	cr_assert_eq(S.config.cur.set.ftype, q, "PgDn leaves the quant alone in the what-if view");
	cr_assert_eq(S.screen.scroll, 6, "a page is the rows shown less one");
	PRESS(KEYC_PGDN);
	cr_assert_eq(S.screen.scroll, 12);
	PRESS(KEYC_PGUP);
	cr_assert_eq(S.screen.scroll, 6);
	PRESS(KEYC_HOME);
	cr_assert_eq(S.screen.scroll, 0);
	cr_assert_eq(S.screen.slider, SL_QUANT, "Home scrolls the table, the focus stays");
	PRESS(KEYC_END);
	cr_assert_gt(S.screen.scroll, 12, "End goes to the end (the ui clamps it)");
	PRESS('+');
	cr_assert_neq(S.config.cur.set.ftype, q, "+ is still the quant's big step");
	/* in the main view PgDn on a slider is the big step it always was */
	PRESS(KEYC_ESC);
	q = S.config.cur.set.ftype;
	PRESS(KEYC_PGDN);
	cr_assert_neq(S.config.cur.set.ftype, q);
}

Test(session, slash_in_the_hardware_list_searches_devices_and_n_repeats)
{
	session_recalc(&S);
	PRESS(KEYC_TAB, '/');
	cr_assert_eq(S.screen.modal, MODAL_PROMPT);
	cr_assert_eq(S.screen.prompt_kind, PROMPT_HW_SEARCH);
	type_text("h100");
	PRESS(KEYC_ENTER);
	cr_assert_eq(S.screen.modal, MODAL_NONE);
	const char *first = S.devs->v[S.screen.hw[S.screen.hw_sel].dev].id;
	cr_assert(strstr(first, "h100"), "selected %s", first);
	size_t at = S.screen.hw_sel;
	PRESS('n');
	cr_assert_neq(S.screen.hw_sel, at, "a second H100 row");
	cr_assert(strstr(S.devs->v[S.screen.hw[S.screen.hw_sel].dev].id, "h100"));
	PRESS('N');
	cr_assert_eq(S.screen.hw_sel, at, "N goes back");
}

Test(session, context_exact_entry_by_digit_or_enter)
{
	S.screen.slider = SL_CONTEXT;
	PRESS('3');
	cr_assert_eq(S.screen.modal, MODAL_PROMPT);
	type_text("2k");
	PRESS(KEYC_ENTER);
	cr_assert_eq(S.screen.modal, MODAL_NONE);
	cr_assert_eq(S.config.cur.set.ctx_tokens, 32768);
	PRESS(KEYC_ENTER);
	type_text("abc");
	PRESS(KEYC_ENTER);
	cr_assert_eq(S.config.cur.set.ctx_tokens, 32768, "bad text changes nothing");
	cr_assert_eq(S.screen.status_level, STATUS_ERROR);
	cr_assert(strstr(S.screen.status, "context") && strstr(S.screen.status, "abc"), "%s",
	          S.screen.status);
	PRESS(KEYC_ENTER);
	type_text("100000");
	PRESS(KEYC_ENTER);
	cr_assert_eq(S.config.cur.set.ctx_tokens, 100000);
	cr_assert_eq(S.screen.status_level, STATUS_WARN,
	             "beyond the native maximum is allowed, with a warning");
	PRESS(KEYC_ENTER);
	type_text("99");
	PRESS(KEYC_ESC);
	cr_assert_eq(S.config.cur.set.ctx_tokens, 100000, "Esc cancels");
}

Test(session, batch_kv_flash_and_ubatch_sliders)
{
	S.screen.slider = SL_BATCH;
	PRESS(KEYC_RIGHT, KEYC_RIGHT);
	cr_assert_eq(S.config.cur.set.n_seq, 3);
	S.screen.slider = SL_KV;
	PRESS(KEYC_LEFT);
	cr_assert_eq(S.config.cur.set.kv_k, KV_BF16);
	PRESS(KEYC_LEFT);
	cr_assert_eq(S.config.cur.set.kv_k, KV_Q8_0, "fp8 is skipped: llama.cpp has no fp8 cache");
	cr_assert_eq(S.config.cur.set.kv_v, KV_Q8_0);
	S.screen.slider = SL_FLASH;
	PRESS(KEYC_ENTER);
	cr_assert(!S.config.cur.set.flash_attn);
	cr_assert(!S.results.ev.valid, "quantized V without flash attention is refused");
	cr_assert(strstr(S.results.ev.err, "flash"), "%s", S.results.ev.err);
	PRESS(KEYC_RIGHT);
	cr_assert(S.results.ev.valid);
	S.screen.slider = SL_UBATCH;
	PRESS(KEYC_RIGHT);
	cr_assert_eq(S.config.cur.set.n_ubatch, 1024);
}

Test(session, quant_slider_offers_only_the_engines_formats)
{
	S.screen.slider = SL_QUANT;
	for (int i = 0; i < FT_COUNT; i++)
		PRESS(KEYC_RIGHT);
	cr_assert_eq(ftype_get(S.config.cur.set.ftype)->engine, FT_LLAMACPP,
	             "stepping the quant never crosses into vLLM's formats");
	cr_assert_eq(S.config.cur.set.ftype, FT_F32, "the top of llama.cpp's list");
	int pos, count, n_llama = 0;
	for (int f = 0; f < FT_COUNT; f++)
		n_llama += ftype_get((enum ftype)f)->engine == FT_LLAMACPP;
	slider_table[SL_QUANT].position(&S, &pos, &count);
	cr_assert_eq(count, n_llama);
	cr_assert_eq(pos, count - 1);
	session_set_engine(&S, FT_VLLM);
	for (int i = 0; i < FT_COUNT; i++)
		PRESS(KEYC_LEFT);
	cr_assert_eq(ftype_get(S.config.cur.set.ftype)->engine, FT_VLLM);
	slider_table[SL_QUANT].position(&S, &pos, &count);
	cr_assert_eq(pos, 0);
	cr_assert_eq(count, FT_COUNT - n_llama);
}

Test(session, engine_slider_switches_accounting_and_remembers_each_engines_quant)
{
	S.config.cur.set.kv_k = S.config.cur.set.kv_v = KV_Q8_0;
	S.config.cur.set.offload = OFFLOAD_NGL;
	S.config.cur.set.offload_layers = 20;
	session_recalc(&S);
	cr_assert(S.results.ev.valid, "%s", S.results.ev.err);
	cr_assert(!S.results.ev.est.vllm);
	PRESS(KEYC_DOWN);
	cr_assert_eq(S.screen.slider, SL_ENGINE);
	PRESS(KEYC_ENTER); /* a toggle: Enter flips it */
	cr_assert_eq(session_engine(&S), FT_VLLM);
	cr_assert_eq(S.config.cur.set.ftype, FT_V_BF16, "vLLM starts on the checkpoint's bf16");
	cr_assert_eq(S.config.cur.set.kv_k, KV_FP8, "vLLM has no q8_0 cache: its fp8 instead");
	cr_assert_eq(S.config.cur.set.offload, OFFLOAD_GPU, "vLLM keeps every weight on the GPU");
	cr_assert(strstr(S.screen.status, "vLLM") && strstr(S.screen.status, "GPU"), "%s",
	          S.screen.status);
	cr_assert(S.results.ev.valid, "%s", S.results.ev.err);
	cr_assert(S.results.ev.est.vllm, "the estimate follows vLLM's accounting");
	cr_assert_float_eq(S.results.ev.est.budget_share, 0.92, 1e-12, "vLLM's default from 0.21");

	/* Offload modes are llama.cpp's: the slider offers none under vLLM. */
	S.screen.slider = SL_OFFLOAD;
	PRESS(KEYC_RIGHT);
	cr_assert_eq(S.config.cur.set.offload, OFFLOAD_GPU);

	/* A vLLM format, then back to llama.cpp and again to vLLM. */
	S.screen.slider = SL_QUANT;
	while (S.config.cur.set.ftype != FT_V_FP8)
		PRESS(KEYC_LEFT);
	S.screen.slider = SL_ENGINE;
	PRESS(KEYC_LEFT);
	cr_assert_eq(session_engine(&S), FT_LLAMACPP);
	cr_assert_eq(S.config.cur.set.ftype, FT_Q4_K_M);
	cr_assert_eq(S.config.cur.set.kv_k, KV_Q8_0, "a quantized cache stays quantized");
	cr_assert(S.results.ev.valid, "%s", S.results.ev.err);
	PRESS(KEYC_RIGHT);
	cr_assert_eq(S.config.cur.set.ftype, FT_V_FP8, "the vLLM format chosen last");
	cr_assert_eq(session_key(&S, KEYC_RIGHT) & REACT_RECALC, 0u, "vLLM already");

	/* Each switch is one undo step. */
	PRESS('u');
	cr_assert_eq(session_engine(&S), FT_LLAMACPP);
	PRESS('u');
	cr_assert_eq(S.config.cur.set.ftype, FT_V_FP8);
}

Test(session, gpu_util_is_a_slider_of_the_vllm_engine_only)
{
	S.screen.slider = SL_GPU_COUNT;
	PRESS(KEYC_DOWN);
	cr_assert_eq(S.screen.slider, SL_FLASH, "llama.cpp: the util row is skipped");
	char v[128];
	slider_table[SL_GPU_UTIL].format(&S, &S.config.cur, &S.results.ev, v, sizeof(v));
	cr_assert(strstr(v, "llama.cpp"), "%s", v);
	cr_assert_eq(session_key(&S, KEYC_UP) & REACT_RECALC, 0u);

	session_set_engine(&S, FT_VLLM);
	session_recalc(&S);
	uint64_t before = S.results.ev.gpu_bytes;
	int64_t head = S.results.ev.headroom_bytes;
	S.screen.slider = SL_GPU_COUNT;
	PRESS(KEYC_DOWN);
	cr_assert_eq(S.screen.slider, SL_GPU_UTIL);
	PRESS(KEYC_LEFT);
	cr_assert_float_eq(S.config.cur.set.gpu_util, 0.85, 1e-12);
	cr_assert_float_eq(S.results.ev.est.budget_share, 0.85, 1e-12);
	cr_assert_lt(S.results.ev.headroom_bytes, head, "a smaller budget leaves less headroom");
	(void)before;
	PRESS(KEYC_ENTER);
	type_text("72%");
	PRESS(KEYC_ENTER);
	cr_assert_float_eq(S.config.cur.set.gpu_util, 0.72, 1e-12);
	PRESS(KEYC_ENTER);
	type_text("1.5");
	PRESS(KEYC_ENTER);
	cr_assert_float_eq(S.config.cur.set.gpu_util, 0.72, 1e-12, "1.5 is refused");
	cr_assert(strstr(S.screen.status, "gpu-util") && strstr(S.screen.status, "1.5"), "%s",
	          S.screen.status);
	PRESS('+', '+', '+');
	cr_assert_float_eq(S.config.cur.set.gpu_util, 1.0, 1e-12, "at most the whole device");
	slider_table[SL_GPU_UTIL].format(&S, &S.config.cur, &S.results.ev, v, sizeof(v));
	cr_assert(strstr(v, "100%"), "%s", v);
}

Test(session, offload_modes_skip_expert_modes_on_a_dense_model)
{
	S.screen.slider = SL_OFFLOAD;
	PRESS(KEYC_RIGHT);
	cr_assert_eq(S.config.cur.set.offload, OFFLOAD_NGL);
	cr_assert_eq(S.config.cur.set.offload_layers, 18, "starts halfway through 36 + output");
	S.screen.slider = SL_OFFLOAD_AMOUNT;
	PRESS(KEYC_LEFT);
	cr_assert_eq(S.config.cur.set.offload_layers, 17);
	cr_assert(S.results.ev.valid);
	cr_assert_gt(S.results.ev.est.host_bytes, 1ull << 30);
	S.screen.slider = SL_OFFLOAD;
	PRESS(KEYC_RIGHT);
	cr_assert_eq(S.config.cur.set.offload, OFFLOAD_CPU);
	PRESS(KEYC_DOWN);
	cr_assert_eq(S.screen.slider, SL_GPU, "the disabled amount row is skipped");
}

Test(session, moe_offload_modes_and_a_dense_model_resets_them)
{
	session_select_model(&S, model_index("qwen3-30b-a3b"));
	S.screen.slider = SL_OFFLOAD;
	PRESS(KEYC_RIGHT);
	cr_assert_eq(S.config.cur.set.offload, OFFLOAD_EXPERT_FRACTION);
	S.screen.slider = SL_OFFLOAD_AMOUNT;
	PRESS(KEYC_LEFT, '-');
	cr_assert_float_eq(S.config.cur.set.expert_gpu_share, 0.20, 1e-12);
	PRESS(KEYC_ENTER);
	type_text("75%");
	PRESS(KEYC_ENTER);
	cr_assert_float_eq(S.config.cur.set.expert_gpu_share, 0.75, 1e-12);
	S.screen.slider = SL_OFFLOAD;
	PRESS(KEYC_RIGHT);
	cr_assert_eq(S.config.cur.set.offload, OFFLOAD_N_CPU_MOE);
	cr_assert_eq(S.config.cur.set.offload_layers, 24);
	cr_assert(S.results.ev.valid, "%s", S.results.ev.err);
	S.screen.slider = SL_MODEL;
	PRESS(KEYC_ESC); /* nothing */
	session_select_model(&S, model_index("qwen3-8b"));
	cr_assert_eq(S.config.cur.set.offload, OFFLOAD_GPU);
	cr_assert(strstr(S.screen.status, "no experts"), "%s", S.screen.status);
}

Test(session, gpu_and_count_sliders)
{
	S.screen.slider = SL_GPU_COUNT;
	PRESS(KEYC_RIGHT, '+');
	cr_assert_eq(S.config.cur.gpu_count, 4);
	PRESS(KEYC_ENTER);
	type_text("64");
	PRESS(KEYC_ENTER);
	cr_assert_eq(S.config.cur.gpu_count, 64);
	PRESS(KEYC_ENTER);
	type_text("65");
	PRESS(KEYC_ENTER);
	cr_assert_eq(S.config.cur.gpu_count, 64);
	S.screen.slider = SL_GPU;
	uint64_t mem = hw_usable_bytes(&devs.v[S.config.cur.gpu]);
	PRESS(KEYC_RIGHT);
	cr_assert_geq(hw_usable_bytes(&devs.v[S.config.cur.gpu]), mem, "devices step by memory");
}

Test(session, undo_redo_and_a_new_change_clears_redo)
{
	struct config c0 = S.config.cur;
	S.screen.slider = SL_CONTEXT;
	PRESS(KEYC_RIGHT);
	struct config c1 = S.config.cur;
	PRESS(KEYC_RIGHT);
	struct config c2 = S.config.cur;
	PRESS('u');
	cr_assert(config_equal(&S.config.cur, &c1));
	PRESS('u');
	cr_assert(config_equal(&S.config.cur, &c0));
	PRESS('u');
	cr_assert(strstr(S.screen.status, "nothing to undo"));
	PRESS('U', 'U');
	cr_assert(config_equal(&S.config.cur, &c2));
	PRESS('u', KEYC_LEFT);
	cr_assert_eq(S.config.n_redo, 0);
	PRESS('U');
	cr_assert(strstr(S.screen.status, "nothing to redo"));
	/* Moving focus is not a change. */
	int n = S.config.n_undo;
	PRESS(KEYC_DOWN, KEYC_UP);
	cr_assert_eq(S.config.n_undo, n);
}

Test(session, undo_history_is_bounded)
{
	S.screen.slider = SL_BATCH;
	for (int i = 0; i < 200; i++)
		PRESS(i % 2 ? KEYC_LEFT : KEYC_RIGHT);
	cr_assert_eq(S.config.n_undo, SESSION_UNDO_MAX);
}

Test(session, pin_keeps_a_while_b_changes)
{
	PRESS('p');
	cr_assert(S.config.pinned);
	S.screen.slider = SL_CONTEXT;
	PRESS('+');
	cr_assert(S.results.pin_ev.valid);
	cr_assert_eq(S.results.pin_ev.est.total_bytes, 7086827008ull);
	cr_assert_gt(S.results.ev.est.total_bytes, S.results.pin_ev.est.total_bytes);
	PRESS('w');
	cr_assert_eq(S.screen.view, VIEW_WHATIF);
	PRESS(KEYC_LEFT);
	cr_assert_eq(S.config.cur.set.ctx_tokens, 24576, "sliders still move in the what-if view");
	PRESS('q');
	cr_assert_eq(S.screen.view, VIEW_MAIN, "q in a view goes back");
	PRESS('P');
	cr_assert(!S.config.pinned);
}

Test(session, hardware_list_is_sorted_by_fit_and_filtered)
{
	cr_assert_gt(S.screen.n_hw, 10);
	for (size_t i = 1; i < S.screen.n_hw; i++) {
		const struct hw_row *a = &S.screen.hw[i - 1], *b = &S.screen.hw[i];
		cr_assert_leq(a->group, b->group);
		if (a->group == 0 && b->group == 0)
			cr_assert_leq(hw_usable_bytes(&devs.v[a->dev]),
			              hw_usable_bytes(&devs.v[b->dev]));
	}
	/* A model that needs several devices on most hardware. */
	session_select_model(&S, model_index("llama-3.1-70b"));
	S.config.cur.set.ftype = FT_F16;
	session_recalc(&S);
	bool several = false;
	for (size_t i = 0; i < S.screen.n_hw; i++) {
		const struct hw_row *r = &S.screen.hw[i];
		if (r->group == 1) {
			several = true;
			cr_assert_gt(r->needed, 1);
			cr_assert_geq(r->headroom_bytes, 0, "headroom on the devices needed");
		}
		if (r->group == 0)
			cr_assert_eq(r->needed, 1);
	}
	cr_assert(several);
	PRESS('f');
	cr_assert_eq(S.screen.hw_filter, HW_CONSUMER);
	for (size_t i = 0; i < S.screen.n_hw; i++)
		cr_assert_eq(devs.v[S.screen.hw[i].dev].category, HW_CONSUMER);
	/* Tab to the list, Enter adopts a row with its device count. */
	PRESS(KEYC_TAB, KEYC_END, KEYC_HOME, KEYC_DOWN);
	struct hw_row r = S.screen.hw[S.screen.hw_sel];
	PRESS(KEYC_ENTER);
	cr_assert_eq(S.config.cur.gpu, r.dev);
	cr_assert_eq(S.config.cur.gpu_count, r.needed ? r.needed : 1);
	cr_assert_eq(S.results.ev.devices_fit, r.group < 2);
}

Test(session, cpu_only_fits_everywhere)
{
	S.config.cur.set.offload = OFFLOAD_CPU;
	S.config.cur.set.backend = LLAMA_BACKEND_CPU;
	S.config.cur.set.backend_auto = false;
	session_recalc(&S);
	cr_assert_eq(S.results.ev.est.gpu_bytes, 0);
	for (size_t i = 0; i < S.screen.n_hw; i++)
		cr_assert_eq(S.screen.hw[i].group, 0);
}

Test(session, model_picker_filters_by_name_family_and_size)
{
	cr_assert(session_model_matches(&S, model_index("qwen3-8b"), "qwen"));
	cr_assert(session_model_matches(&S, model_index("qwen3-8b"), "Qwen3 8b"));
	cr_assert(session_model_matches(&S, model_index("qwen3-8b"), "<10b"));
	cr_assert(!session_model_matches(&S, model_index("qwen3-30b-a3b"), "<10b"));
	cr_assert(session_model_matches(&S, model_index("qwen3-30b-a3b"), ">10b qwen"));
	cr_assert(session_model_matches(&S, model_index("llama-3.1-70b"), "70b"));
	cr_assert(!session_model_matches(&S, model_index("llama-3.1-70b"), "qwen"));
	PRESS('/');
	cr_assert_eq(S.screen.modal, MODAL_PICK_MODEL);
	type_text("30b-a3b");
	cr_assert_geq(S.screen.pick.n, 1);
	PRESS(KEYC_ENTER);
	cr_assert_eq(S.screen.modal, MODAL_NONE);
	cr_assert_eq(S.config.cur.model, model_index("qwen3-30b-a3b"));
	cr_assert(S.results.ev.valid);
	/* A filter with no match picks nothing. */
	PRESS('/');
	type_text("no-such-model");
	cr_assert_eq(S.screen.pick.n, 0);
	PRESS(KEYC_ENTER);
	cr_assert_eq(S.config.cur.model, model_index("qwen3-30b-a3b"));
}

Test(session, gpu_picker)
{
	S.screen.slider = SL_GPU;
	PRESS(KEYC_ENTER);
	cr_assert_eq(S.screen.modal, MODAL_PICK_GPU);
	type_text("h100 sxm");
	cr_assert_eq(S.screen.pick.n, 1);
	PRESS(KEYC_ENTER);
	cr_assert_eq(S.config.cur.gpu, device_index("h100-sxm"));
}

Test(session, compare_lists_every_quant_and_enter_adopts)
{
	PRESS('c');
	cr_assert_eq(S.screen.view, VIEW_COMPARE);
	cr_assert_eq(S.screen.cmp[S.screen.cmp_sel].ftype, FT_Q4_K_M);
	for (int i = 0; i < FT_COUNT; i++) {
		if (ftype_get(S.screen.cmp[i].ftype)->engine == FT_LLAMACPP)
			cr_assert(S.screen.cmp[i].valid, "%s: %s",
			          ftype_get(S.screen.cmp[i].ftype)->name, S.screen.cmp[i].err);
		if (S.screen.cmp[i].ftype == FT_Q4_K_M)
			cr_assert_eq(S.screen.cmp[i].total_bytes, S.results.ev.est.total_bytes);
	}
	PRESS(KEYC_DOWN, KEYC_DOWN);
	enum ftype want = S.screen.cmp[S.screen.cmp_sel].ftype;
	PRESS(KEYC_ENTER);
	cr_assert_eq(S.screen.view, VIEW_MAIN);
	cr_assert_eq(S.config.cur.set.ftype, want);
	PRESS('u');
	cr_assert_eq(S.config.cur.set.ftype, FT_Q4_K_M, "adopting is undoable");
}

Test(session, explain_names_the_architecture_values)
{
	PRESS('e');
	cr_assert_eq(S.screen.view, VIEW_EXPLAIN);
	cr_assert_gt(S.screen.n_explain, 20);
	bool layers = false, kv = false, heads = false;
	for (int i = 0; i < S.screen.n_explain; i++) {
		layers |= strstr(S.screen.explain[i], "36 layers") != NULL;
		kv |= strstr(S.screen.explain[i], "KV CACHE") != NULL;
		heads |= strstr(S.screen.explain[i], "8 KV heads") != NULL;
	}
	cr_assert(layers && kv && heads);
	session_select_model(&S, model_index("deepseek-v3"));
	session_recalc(&S);
	bool mla = false;
	for (int i = 0; i < S.screen.n_explain; i++)
		mla |= strstr(S.screen.explain[i], "kv_lora_rank 512") != NULL;
	cr_assert(mla);
	cr_assert(strstr(S.screen.explain[0], "), profile ") != NULL, "%s", S.screen.explain[0]);
	/* the recurrent layers' kind, and a --mmproj projector */
	session_select_model(&S, model_index("qwen3.5-27b"));
	S.config.cur.set.mmproj_bytes = 46336;
	session_recalc(&S);
	bool rec = false, arch = false, mm = false;
	for (int i = 0; i < S.screen.n_explain; i++) {
		rec |=
		    strstr(S.screen.explain[i], "recurrent (gated DeltaNet) on 48 layers") != NULL;
		rec |= strstr(S.screen.explain[i], "recurrent (gated DeltaNet): 48 layers") != NULL;
		arch |=
		    strstr(S.screen.explain[i], "ARCHITECTURE (as the profile gives it)") != NULL;
		mm |=
		    strstr(S.screen.explain[i], "multimodal projector (--mmproj) 0.0 MiB") != NULL;
	}
	cr_assert(rec && arch && mm);
	cr_assert_eq(S.results.ev.est.mmproj_bytes, 46336);
	PRESS(KEYC_ESC);
	cr_assert_eq(S.screen.view, VIEW_MAIN);
}

Test(session, help_view_toggles_and_q_quits_only_from_main)
{
	PRESS('?');
	cr_assert_eq(S.screen.view, VIEW_HELP);
	cr_assert_eq(session_key(&S, 'q') & REACT_QUIT, 0u);
	cr_assert_eq(S.screen.view, VIEW_MAIN);
	cr_assert(session_key(&S, 'q') & REACT_QUIT);
}

Test(session, save_and_load_round_trip)
{
	S.config.cur.set.ctx_tokens = 65536;
	S.config.cur.set.n_seq = 4;
	S.config.cur.set.kv_k = KV_Q8_0;
	S.config.cur.set.kv_v = KV_F16;
	S.config.cur.gpu = device_index("h100-sxm");
	S.config.cur.gpu_count = 2;
	session_select_model(&S, model_index("qwen3-30b-a3b"));
	S.config.cur.set.offload = OFFLOAD_EXPERT_FRACTION;
	S.config.cur.set.expert_gpu_share = 0.35;
	struct config want = S.config.cur;
	char err[256];
	cr_assert(session_save(&S, "my-run_1.b", err, sizeof(err)), "%s", err);
	S.config.cur.set.ctx_tokens = 512;
	struct config got;
	cr_assert(session_load(&S, "my-run_1.b", &got, err, sizeof(err)), "%s", err);
	cr_assert(config_equal(&got, &want));

	char names[SESSION_SAVED_MAX][SESSION_TEXT_MAX];
	cr_assert(session_save(&S, "another", err, sizeof(err)), "%s", err);
	cr_assert_eq(session_list_saved(S.sessions_dir, names, SESSION_SAVED_MAX), 2);
	cr_assert_str_eq(names[0], "another");

	/* Through the keys: S lists, Enter loads, u undoes the load. */
	PRESS('S');
	cr_assert_eq(S.screen.modal, MODAL_PICK_SESSION);
	type_text("my-run");
	PRESS(KEYC_ENTER);
	cr_assert(config_equal(&S.config.cur, &want));
	PRESS('u');
	cr_assert_eq(S.config.cur.set.ctx_tokens, 512);
	PRESS('s');
	type_text("via-keys");
	PRESS(KEYC_ENTER);
	cr_assert(strstr(S.screen.status, "saved"), "%s", S.screen.status);
}

Test(session, bad_names_and_bad_files_are_refused_with_the_cause)
{
	char err[256];
	struct config c = S.config.cur;
	cr_assert(!session_name_valid(""));
	cr_assert(!session_name_valid(".hidden"));
	cr_assert(!session_name_valid("../escape"));
	cr_assert(!session_name_valid("a b"));
	cr_assert(!session_save(&S, "../x", err, sizeof(err)));
	cr_assert(strstr(err, "not a session name"), "%s", err);
	cr_assert(!session_load(&S, "missing", &c, err, sizeof(err)));
	cr_assert(strstr(err, "missing.ini"), "%s", err);

	cr_assert(session_save(&S, "bad", err, sizeof(err)), "%s", err);
	char path[600];
	snprintf(path, sizeof(path), "%s/bad.ini", S.sessions_dir);
	FILE *f = fopen(path, "w");
	fprintf(f, "[session]\nmodel = qwen3-8b\ncontext = 8x\n");
	fclose(f);
	struct config before = c;
	cr_assert(!session_load(&S, "bad", &c, err, sizeof(err)));
	cr_assert(strstr(err, "context") && strstr(err, "8x"), "%s", err);
	cr_assert(config_equal(&c, &before), "a failed load changes nothing");
	f = fopen(path, "w");
	fprintf(f, "[session]\nmodel = no-such-model\n");
	fclose(f);
	cr_assert(!session_load(&S, "bad", &c, err, sizeof(err)));
	cr_assert(strstr(err, "no-such-model"), "%s", err);
	f = fopen(path, "w");
	fprintf(f, "[session]\nmodel = qwen3-8b\nkv_type = q8_0\nflash_attn = off\n");
	fclose(f);
	cr_assert(!session_load(&S, "bad", &c, err, sizeof(err)), "invalid settings are refused");
	cr_assert(strstr(err, "flash"), "%s", err);
}

Test(session, a_failed_save_leaves_the_old_file_and_no_temporary)
{
	char err[256], path[600];
	cr_assert(session_save(&S, "keep", err, sizeof(err)), "%s", err);
	/* A directory where the file should go: the rename fails. */
	snprintf(path, sizeof(path), "%s/blocked.ini", S.sessions_dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	cr_assert(!session_save(&S, "blocked", err, sizeof(err)));
	cr_assert(strstr(err, "blocked.ini"), "%s", err);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_assert(S_ISDIR(st.st_mode), "the old entry is untouched");
	DIR *d = opendir(S.sessions_dir);
	struct dirent *de;
	while ((de = readdir(d)))
		cr_assert(strncmp(de->d_name, ".blocked", 8), "temporary %s left behind",
		          de->d_name);
	closedir(d);
	struct config c;
	cr_assert(session_load(&S, "keep", &c, err, sizeof(err)), "%s", err);
}

Test(session, sessions_dir_follows_xdg_config_home)
{
	char buf[512];
	setenv("XDG_CONFIG_HOME", "/x/y", 1);
	session_default_dir(buf, sizeof(buf));
	cr_assert_str_eq(buf, "/x/y/vramcalc/sessions");
	setenv("XDG_CONFIG_HOME", "", 1);
	setenv("HOME", "/home/u", 1);
	session_default_dir(buf, sizeof(buf));
	cr_assert_str_eq(buf, "/home/u/.config/vramcalc/sessions");
}

/* ---- compare under an offload, and the plan view ---- */

Test(session, compare_says_na_for_vllm_rows_under_a_llamacpp_offload)
{
	S.config.cur.set.offload = OFFLOAD_NGL;
	S.config.cur.set.offload_layers = 20;
	PRESS('c');
	int na = 0;
	size_t fp8 = FT_COUNT;
	for (size_t i = 0; i < FT_COUNT; i++) {
		const struct compare_row *r = &S.screen.cmp[i];
		if (ftype_get(r->ftype)->engine == FT_VLLM) {
			cr_assert(!r->valid);
			cr_assert_str_eq(r->err, "n/a: llama.cpp offload");
			na++;
		}
		if (r->ftype == FT_V_FP8)
			fp8 = i;
	}
	cr_assert_gt(na, 0);
	/* Enter on such a row changes nothing and says why. */
	S.screen.cmp_sel = fp8;
	PRESS(KEYC_ENTER);
	cr_assert_eq(S.config.cur.set.ftype, FT_Q4_K_M);
	cr_assert_eq(S.screen.view, VIEW_COMPARE);
	cr_assert(strstr(S.screen.status, "GPU"), "%s", S.screen.status);

	/* Everything on the GPU with a q8_0 cache: the vLLM rows estimate
	 * with vLLM's fp8 cache, and adopting one switches the engine. */
	PRESS(KEYC_ESC);
	S.config.cur.set.offload = OFFLOAD_GPU;
	S.config.cur.set.kv_k = S.config.cur.set.kv_v = KV_Q8_0;
	PRESS('c');
	cr_assert(S.screen.cmp[fp8].valid, "%s", S.screen.cmp[fp8].err);
	S.screen.cmp_sel = fp8;
	PRESS(KEYC_ENTER);
	cr_assert_eq(S.config.cur.set.ftype, FT_V_FP8);
	cr_assert_eq(S.config.cur.set.kv_k, KV_FP8);
	cr_assert(S.results.ev.valid, "%s", S.results.ev.err);
	cr_assert(S.results.ev.est.vllm);
	cr_assert_eq(S.results.ev.est.total_bytes, S.screen.cmp[fp8].total_bytes,
	             "the row's numbers are the live ones");
}

/* The plan view shows exactly what the engine's solvers, speed model and
 * launch commands give for the live configuration. */
static void check_plan_rows(void)
{
	const struct model *m = session_model(&S, S.config.cur.model);
	const struct device *d = &devs.v[S.config.cur.gpu];
	struct estimate_scratch x;
	estimate_scratch_for(&x, m);
	for (int w = 0; w < SOLVE_COUNT; w++) {
		const struct plan_row *r = &S.screen.plan.row[w];
		cr_assert_eq(r->what, (enum solve_what)w);
		if (!r->applies)
			continue;
		struct settings base = S.config.cur.set;
		struct solve_result want;
		cr_assert(
		    plan_solve(m, &x, &base, d, S.config.cur.gpu_count, (enum solve_what)w, &want));
		cr_assert_eq(r->res.status, want.status, "%s", solve_name((enum solve_what)w));
		struct config got_c = {.model = S.config.cur.model,
		                       .set = r->res.settings,
		                       .gpu = S.config.cur.gpu,
		                       .gpu_count = 1};
		struct config want_c = {.model = S.config.cur.model,
		                        .set = want.settings,
		                        .gpu = S.config.cur.gpu,
		                        .gpu_count = 1};
		cr_assert(config_equal(&got_c, &want_c), "%s", solve_name((enum solve_what)w));
		cr_assert_eq(r->res.gpu_count, want.gpu_count);
		cr_assert_eq(r->res.est.total_bytes, want.est.total_bytes);
		cr_assert_eq(r->res.fit.headroom_bytes, want.fit.headroom_bytes);
		struct speed sp;
		struct speed_params p = S.config.speed_params;
		p.gpu_count = want.gpu_count;
		plan_speed(m, &x, &want.settings, &want.est, d, &p, &sp);
		cr_assert_float_eq(r->speed.decode_tps, sp.decode_tps, 1e-9);
	}
	estimate_scratch_free(&x);
}

Test(session, plan_view_rows_are_the_solvers_answers)
{
	unsigned r = session_key(&S, 'd');
	cr_assert(r & REACT_RECALC);
	session_recalc(&S);
	cr_assert_eq(S.screen.view, VIEW_PLAN);
	check_plan_rows();
	/* qwen3-8b Q4_K_M on one RTX 4090, as vramcalc --solve prints them */
	cr_assert_eq(S.screen.plan.row[SOLVE_CONTEXT].res.status, SOLVE_AT_MAX);
	cr_assert_eq(S.screen.plan.row[SOLVE_CONTEXT].res.settings.ctx_tokens, 40960);
	cr_assert_eq(S.screen.plan.row[SOLVE_QUANT].res.settings.ftype, FT_F16);
	cr_assert_eq(S.screen.plan.row[SOLVE_GPUS].res.gpu_count, 1);
	cr_assert_eq(S.screen.plan.row[SOLVE_BATCH].res.settings.n_seq, 16);
	cr_assert_eq(S.screen.plan.row[SOLVE_OFFLOAD].res.settings.offload, OFFLOAD_NGL,
	             "a dense model: the most GPU layers");

	/* Speed and launch commands of the live configuration. */
	const struct model *m = session_model(&S, S.config.cur.model);
	struct speed sp;
	struct speed_params p = S.config.speed_params;
	p.gpu_count = 1;
	struct estimate e;
	struct estimate_scratch x;
	estimate_scratch_for(&x, m);
	estimate_run(m, &x, &S.config.cur.set, &e);
	plan_speed(m, &x, &S.config.cur.set, &e, &devs.v[S.config.cur.gpu], &p, &sp);
	estimate_scratch_free(&x);
	cr_assert(S.results.ev.has_speed, "the plan view reads the evaluation's speed");
	cr_assert_float_eq(S.results.ev.speed.decode_tps, sp.decode_tps, 1e-9);
	cr_assert_float_eq(S.results.ev.speed.ttft_s, sp.ttft_s, 1e-9);
	cr_assert_str_eq(S.screen.plan.launch[LAUNCH_LLAMA_SERVER],
	                 "llama-server -m qwen3-8b-Q4_K_M.gguf -c 8192 -ctk f16 -ctv f16 -fa on "
	                 "-ngl 37");
	const char *vllm = "vllm serve Qwen/Qwen3-8B --max-model-len 8192 ";
	cr_assert(!strncmp(S.screen.plan.launch[LAUNCH_VLLM], vllm, strlen(vllm)), "%s",
	          S.screen.plan.launch[LAUNCH_VLLM]);

	/* The explain view still describes the live estimate afterwards. */
	PRESS('e');
	bool q4k = false;
	for (int i = 0; i < S.screen.n_explain; i++)
		q4k |= strstr(S.screen.explain[i], "q4_K") != NULL;
	cr_assert(q4k, "the type scratch is the live estimate's again");
}

Test(session, plan_rows_follow_engine_devices_and_offload)
{
	/* A MoE model with experts in RAM, two devices. */
	session_select_model(&S, model_index("qwen3-30b-a3b"));
	S.config.cur.set.offload = OFFLOAD_N_CPU_MOE;
	S.config.cur.set.offload_layers = 20;
	S.config.cur.set.n_seq = 2;
	S.config.cur.set.ctx_tokens = 16384;
	S.config.cur.gpu_count = 2;
	PRESS('d');
	check_plan_rows();
	const struct plan_row *off = &S.screen.plan.row[SOLVE_OFFLOAD];
	cr_assert(off->applies);
	cr_assert_eq(off->res.settings.offload, OFFLOAD_N_CPU_MOE);
	const struct plan_row *b = &S.screen.plan.row[SOLVE_BATCH];
	cr_assert_eq(b->res.settings.ctx_tokens, 8192ull * b->res.settings.n_seq,
	             "each sequence keeps the 8,192 tokens it has now");
	cr_assert(strstr(S.screen.plan.launch[LAUNCH_LLAMA_SERVER],
	                 "--n-cpu-moe 20 --split-mode layer -ts 1,1"),
	          "%s", S.screen.plan.launch[LAUNCH_LLAMA_SERVER]);

	/* vLLM: no offload solver; the rest solve with vLLM's accounting. */
	session_set_engine(&S, FT_VLLM);
	session_recalc(&S);
	cr_assert(!S.screen.plan.row[SOLVE_OFFLOAD].applies);
	cr_assert(strstr(S.screen.plan.row[SOLVE_OFFLOAD].note, "vLLM"), "%s",
	          S.screen.plan.row[SOLVE_OFFLOAD].note);
	check_plan_rows();
	cr_assert(S.screen.plan.row[SOLVE_CONTEXT].res.est.vllm);
	cr_assert_eq(ftype_get(S.screen.plan.row[SOLVE_QUANT].res.settings.ftype)->engine, FT_VLLM,
	             "the best quant among the engine's formats");
	cr_assert(strstr(S.screen.plan.launch[LAUNCH_VLLM], "--tensor-parallel-size 2"), "%s",
	          S.screen.plan.launch[LAUNCH_VLLM]);

	/* CPU only: no GPU to count, nothing to move. */
	session_set_engine(&S, FT_LLAMACPP);
	S.config.cur.set.offload = OFFLOAD_CPU;
	session_recalc(&S);
	cr_assert(!S.screen.plan.row[SOLVE_GPUS].applies);
	cr_assert(!S.screen.plan.row[SOLVE_OFFLOAD].applies);
	cr_assert(S.screen.plan.row[SOLVE_CONTEXT].applies);
}

Test(session, adopting_a_plan_answer_is_one_undoable_step)
{
	PRESS('d');
	cr_assert_eq(S.screen.plan_sel, (size_t)SOLVE_CONTEXT, "plan_sel %zu view %d",
	             S.screen.plan_sel, S.screen.view);
	uint64_t ctx = S.screen.plan.row[SOLVE_CONTEXT].res.settings.ctx_tokens;
	uint64_t total = S.screen.plan.row[SOLVE_CONTEXT].res.est.total_bytes;
	PRESS(KEYC_ENTER);
	cr_assert_eq(S.screen.view, VIEW_PLAN, "the plan stays open, recomputed from the answer");
	cr_assert_eq(S.config.cur.set.ctx_tokens, ctx);
	cr_assert_eq(S.results.ev.est.total_bytes, total, "the live total is the answer's");
	cr_assert(strstr(S.screen.status, "adopted context 40,960 tokens"), "%s", S.screen.status);
	check_plan_rows();
	PRESS(KEYC_ENTER);
	cr_assert(strstr(S.screen.status, "already"), "%s", S.screen.status);
	PRESS('u');
	cr_assert_eq(S.config.cur.set.ctx_tokens, 8192);
	cr_assert_eq(S.results.ev.est.total_bytes, 7086827008ull);

	/* The fewest devices: a count. */
	session_select_model(&S, model_index("llama-3.1-70b"));
	S.config.cur.set.ftype = FT_Q8_0;
	session_recalc(&S);
	PRESS(KEYC_DOWN, KEYC_DOWN);
	cr_assert_eq(S.screen.plan_sel, (size_t)SOLVE_GPUS);
	uint32_t need = S.screen.plan.row[SOLVE_GPUS].res.gpu_count;
	cr_assert_gt(need, 1);
	PRESS(KEYC_ENTER);
	cr_assert_eq(S.config.cur.gpu_count, need);
	cr_assert(S.results.ev.devices_fit);
	PRESS(KEYC_END, KEYC_HOME);
	cr_assert_eq(S.screen.plan_sel, (size_t)SOLVE_CONTEXT);

	/* Nothing fits: nothing to adopt. */
	session_select_model(&S, model_index("kimi-k2.6"));
	S.config.cur.gpu_count = 1;
	session_recalc(&S);
	cr_assert_eq(S.screen.plan.row[SOLVE_CONTEXT].res.status, SOLVE_NOTHING);
	struct config before = S.config.cur;
	PRESS(KEYC_ENTER);
	cr_assert(config_equal(&S.config.cur, &before));
	cr_assert(strstr(S.screen.status, "nothing fits"), "%s", S.screen.status);
	PRESS(KEYC_ESC);
	cr_assert_eq(S.screen.view, VIEW_MAIN);
}

/* ---- the tables ---- */

Test(ui_tables, every_action_has_a_key_and_every_key_a_help_line)
{
	bool bound[ACT_COUNT] = {0};
	for (const struct key_binding *b = key_table; b->name; b++) {
		cr_assert(b->help && *b->help, "%s has no help", b->name);
		cr_assert(b->views, "%s applies nowhere", b->name);
		bound[b->action] = true;
		for (const struct key_binding *c = b + 1; c->name; c++)
			cr_assert(c->key != b->key || !(c->views & b->views),
			          "%s is bound twice in one view", b->name);
	}
	for (int a = 0; a < ACT_COUNT; a++)
		cr_assert(bound[a], "action %d has no key", a);
	for (int v = 0; v < VIEW_COUNT; v++) {
		cr_assert_geq(keys_lookup('?', v), 0, "? works in view %d", v);
		cr_assert_geq(keys_lookup('q', v), 0, "q works in view %d", v);
	}
	for (int v = 0; v < VIEW_COUNT; v++)
		cr_assert_eq(keys_lookup('d', v), ACT_PLAN, "d opens (or leaves) the plan view");
	cr_assert_eq(keys_lookup(KEYC_ENTER, VIEW_PLAN), ACT_ENTER, "Enter adopts an answer");
	cr_assert_eq(keys_lookup('u', VIEW_PLAN), ACT_UNDO);
	cr_assert_not_null(keys_bar_entry(ACT_PLAN, VIEW_MAIN), "the key bar shows d");
	cr_assert_eq(keys_lookup('j', VIEW_MAIN), ACT_DOWN);
	cr_assert_eq(keys_lookup('x', VIEW_MAIN), -1);
	cr_assert_not_null(keys_bar_entry(ACT_QUIT, VIEW_MAIN));
}

Test(ui_tables, every_slider_row_is_complete)
{
	for (int i = 0; i < SL_COUNT; i++) {
		const struct slider_def *d = &slider_table[i];
		cr_assert_eq((int)d->id, i);
		cr_assert(d->label && d->hint && d->help && d->step && d->format && d->position);
		if (d->edit == EDIT_NUMBER)
			cr_assert((d->set_text || d->field) && d->prompt, "%s", d->label);
		if (d->field)
			cr_assert_not_null(field_find(d->field), "%s: no field '%s'", d->label,
			                   d->field);
	}
}

/* One bad value, three front ends: the command line, a session file and
 * the slider's text entry give the same reason, each after its own
 * "where" (the option, the file and key, the field). */
Test(session, the_same_bad_value_gets_the_same_message_everywhere)
{
	static const struct {
		const char *field;  /* the row */
		int slider;         /* the slider whose text entry parses it */
		const char *cli[2]; /* the command-line form */
		const char *value;  /* the bad text, as typed in the file and the slider */
	} cases[] = {
	    {"context", SL_CONTEXT, {"-c", "4294967297"}, "4294967297"},
	    {"batch", SL_BATCH, {"-b", "5000"}, "5000"},
	    {"batch", SL_BATCH, {"-b", "0"}, "0"},
	    {"ubatch", SL_UBATCH, {"--ubatch", "65537"}, "65537"},
	    {"gpu-util", SL_GPU_UTIL, {"--gpu-util", "1.5"}, "1.5"},
	    {"gpu_count", SL_GPU_COUNT, {"-g", "rtx-4090x65"}, "65"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct field *f = field_find(cases[i].field);
		cr_assert_not_null(f);
		struct cli_options o;
		char why[256], err[1024], want[1200];
		options_default(&o);
		o.n_gpu_groups = 1;
		cr_assert_not(field_parse(f, cases[i].value, &o, why, sizeof(why)));
		cr_assert(strstr(why, cases[i].value), "%s", why);

		/* command line */
		char *argv[] = {"vramcalc", (char *)cases[i].cli[0], (char *)cases[i].cli[1]};
		cr_assert_not(cli_parse(3, argv, false, &o, err, sizeof(err)));
		cr_expect(strstr(err, why), "command line: '%s' lacks '%s'", err, why);

		/* session file */
		char path[600];
		snprintf(path, sizeof(path), "%s/bad.ini", S.sessions_dir);
		cr_assert(session_save(&S, "bad", err, sizeof(err)), "%s", err);
		FILE *fp = fopen(path, "w");
		cr_assert_not_null(fp);
		fprintf(fp, "[session]\nmodel = qwen3-8b\n%s = %s\n", f->key, cases[i].value);
		fclose(fp);
		struct config c;
		cr_assert_not(session_load(&S, "bad", &c, err, sizeof(err)));
		snprintf(want, sizeof(want), "%s:3: [session] %s: %s", path, f->key, why);
		cr_expect_str_eq(err, want, "session file");

		/* slider text entry (vLLM, so the utilization slider is on) */
		if (cases[i].slider == SL_GPU_UTIL)
			session_set_engine(&S, FT_VLLM);
		S.screen.slider = cases[i].slider;
		struct config before = S.config.cur;
		PRESS(KEYC_ENTER);
		cr_assert_eq(S.screen.modal, MODAL_PROMPT, "%s", cases[i].field);
		PRESS(KEYC_CTRL_U);
		type_text(cases[i].value);
		PRESS(KEYC_ENTER);
		snprintf(want, sizeof(want), "%s: %s", field_name(f), why);
		cr_expect_str_eq(S.screen.status, want, "slider");
		cr_expect(config_equal(&S.config.cur, &before), "a refused value changes nothing");
	}
}

/* The session evaluates a mixed set as the command line does: the same
 * per-device needs, the GPU figure their sum, total = GPU + host. */
Test(session, a_mixed_set_evaluates_as_the_command_line_does)
{
	size_t r3060 = device_index("rtx-3060-12gb");
	cr_assert(session_set_add(&S.config.cur, r3060));
	cr_assert(session_set_add(&S.config.cur, r3060));
	cr_assert_eq(config_device_count(&S.config.cur), 3);
	session_recalc(&S);
	cr_assert(S.results.ev.valid, "%s", S.results.ev.err);
	cr_assert(S.results.ev.mixed);
	cr_assert_eq(S.results.ev.n_devs, 3);
	uint64_t sum = 0;
	for (uint32_t k = 0; k < S.results.ev.n_devs; k++)
		sum += S.results.ev.loads[k].total_bytes;
	cr_assert_eq(S.results.ev.gpu_bytes, sum);
	cr_assert_eq(S.results.ev.total_bytes, S.results.ev.gpu_bytes + S.results.ev.host_bytes);

	char *argv[] = {
	    "vramcalc", "-m", "qwen3-8b", "-c", "8192", "-g", "rtx-4090,rtx-3060-12gbx2", "--json"};
	char *out = NULL, *err = NULL;
	setenv("VRAMCALC_PROFILE_PATH", "profiles", 1);
	cr_assert_eq(truth_run_cli(&out, &err, 8, argv), 0, "%s", err);
	/* per device, in split order, as the JSON prints them */
	const char *p = out;
	for (uint32_t k = 0; k < 3; k++) {
		p = strstr(p, "\"total_bytes\":");
		cr_assert_not_null(p, "device %u missing: %s", k, out);
		p += strlen("\"total_bytes\":");
		cr_assert_eq(strtoull(p, NULL, 10), S.results.ev.loads[k].total_bytes, "device %u",
		             k);
	}
	cr_assert_null(strstr(p, "\"total_bytes\":"), "a fourth device");
	free(out);
	free(err);

	/* r removes one again, and the last device stays */
	cr_assert(session_set_remove(&S.config.cur, r3060));
	cr_assert(session_set_remove(&S.config.cur, r3060));
	cr_assert_eq(S.config.cur.n_more, 0);
	cr_assert_not(session_set_remove(&S.config.cur, S.config.cur.gpu), "the last device stays");

	/* a session file keeps a mixed set */
	session_set_add(&S.config.cur, r3060);
	struct config want = S.config.cur, got;
	cr_assert(session_save(&S, "mixed", err = calloc(1, 512), 512), "%s", err);
	S.config.cur.n_more = 0;
	cr_assert(session_load(&S, "mixed", &got, err, 512), "%s", err);
	cr_assert(config_equal(&got, &want));
	free(err);
}

/* The audit: a 3 MB session file froze the TUI for 11 s (iniparser's
 * quadratic loading).  Files past SESSION_FILE_MAX_BYTES are refused
 * before they are read; below it loading is linear (ini.h). */
Test(session, huge_and_duplicate_session_files_are_refused)
{
	char err[512], path[600];
	struct config c = S.config.cur;
	cr_assert(session_save(&S, "big", err, sizeof(err)), "%s", err);
	snprintf(path, sizeof(path), "%s/big.ini", S.sessions_dir);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "[session]\nmodel = qwen3-8b\n");
	for (int i = 0; i < 150000; i++)
		fprintf(f, "key%d = value%d\n", i, i);
	fclose(f);
	cr_assert_not(session_load(&S, "big", &c, err, sizeof(err)));
	cr_expect(strstr(err, "big.ini") && strstr(err, "more than the 65536"), "%s", err);

	/* just under the cap: thousands of unknown keys load (and are ignored) */
	f = fopen(path, "w");
	fprintf(f, "[session]\nmodel = qwen3-8b\ncontext = 16384\n");
	for (int i = 0; i < 4000; i++)
		fprintf(f, "k%d = %d\n", i, i);
	fclose(f);
	cr_assert(session_load(&S, "big", &c, err, sizeof(err)), "%s", err);
	cr_expect_eq(c.set.ctx_tokens, 16384);

	f = fopen(path, "w");
	fprintf(f, "[session]\nmodel = qwen3-8b\ncontext = 8192\ncontext = 16384\n");
	fclose(f);
	cr_assert_not(session_load(&S, "big", &c, err, sizeof(err)));
	cr_expect(strstr(err, "big.ini:4:") && strstr(err, "context") &&
	              strstr(err, "first at line 3"),
	          "%s", err);
}

/* The plan view keeps its solver answers until the configuration changes:
 * a recalculation with the same settings does not run the solvers again. */
Test(session, the_plan_view_caches_its_answers_until_the_settings_change)
{
	PRESS('d');
	cr_assert_eq(S.screen.view, VIEW_PLAN);
	cr_assert(S.screen.plan_fresh);
	uint32_t steps = S.screen.plan.row[SOLVE_CONTEXT].res.steps;
	cr_assert_gt(steps, 0);
	/* mark the cached answer: a recalculation must leave it alone */
	S.screen.plan.row[SOLVE_CONTEXT].res.steps = 12345;
	session_recalc(&S);
	cr_assert_eq(S.screen.plan.row[SOLVE_CONTEXT].res.steps, 12345, "solved again");
	/* a change of settings solves again */
	struct config c = S.config.cur;
	c.set.ctx_tokens = 4096;
	cr_assert(session_set_config(&S, &c));
	session_recalc(&S);
	cr_assert_neq(S.screen.plan.row[SOLVE_CONTEXT].res.steps, 12345, "stale answers kept");
}

/* The chart's curve crosses the capacity where --solve puts the answer:
 * every sample up to the answer fits the devices, every one past it does
 * not (llama-3.1-8b Q8_0 on one RTX 3060 12GB: 31,232 tokens, measured
 * against `vramcalc --solve context` in tests/tui). */
Test(session, chart_crossing_is_the_solver_answer)
{
	session_select_model(&S, model_index("llama-3.1-8b"));
	S.config.cur.set.ftype = FT_Q8_0;
	S.config.cur.gpu = device_index("rtx-3060-12gb");
	session_recalc(&S);
	PRESS('g');
	cr_assert_eq(S.screen.view, VIEW_CHART);
	const struct chart_view *c = &S.screen.chart;
	cr_assert(c->solved);
	cr_assert_eq(c->ans.status, SOLVE_FOUND);
	cr_assert_eq(c->ans_x, 31232);
	cr_assert_eq(c->capacity_bytes, 12ull << 30);
	cr_assert_gt(c->n, 100);
	int below = 0, above = 0;
	for (int i = 0; i < c->n; i++) {
		cr_assert(c->valid[i]);
		if (c->x[i] <= c->ans_x) {
			cr_expect_leq(c->gpu_bytes[i], c->capacity_bytes, "x %lu",
			              (unsigned long)c->x[i]);
			below++;
		} else {
			cr_expect_gt(c->gpu_bytes[i], c->capacity_bytes, "x %lu",
			             (unsigned long)c->x[i]);
			above++;
		}
		if (i)
			cr_assert_geq(c->gpu_bytes[i], c->gpu_bytes[i - 1],
			              "memory grows with context");
	}
	cr_assert(below && above);
	PRESS('b');
	cr_assert_eq(c->axis, CHART_BATCH);
	cr_assert_eq(c->ans_x, 3, "--solve batch: 3 sequences of 8,192 tokens");
	for (int i = 0; i < c->n; i++)
		cr_expect_eq(c->gpu_bytes[i] <= c->capacity_bytes, c->x[i] <= c->ans_x, "batch %lu",
		             (unsigned long)c->x[i]);
}

Test(session, the_wide_main_view_reads_the_plan_views_speed_and_launch_commands)
{
	S.screen.show_speed = true;
	session_recalc(&S);
	cr_assert(S.results.ev.has_speed, "both views draw the evaluation's speed");
	cr_assert_gt(S.results.ev.speed.decode_tps, 0);
	cr_assert(strstr(S.screen.plan.launch[LAUNCH_LLAMA_SERVER], "llama-server"), "%s",
	          S.screen.plan.launch[LAUNCH_LLAMA_SERVER]);
	char server[1024];
	double tps = S.results.ev.speed.decode_tps;
	snprintf(server, sizeof(server), "%s", S.screen.plan.launch[LAUNCH_LLAMA_SERVER]);
	/* the plan view computes the same figures */
	S.screen.show_speed = false;
	PRESS('d');
	cr_assert_eq(S.screen.view, VIEW_PLAN);
	cr_assert_str_eq(S.screen.plan.launch[LAUNCH_LLAMA_SERVER], server);
	cr_assert_eq(S.results.ev.speed.decode_tps, tps);
	/* and they follow the live settings */
	PRESS(KEYC_ESC);
	S.screen.show_speed = true;
	S.screen.slider = SL_CONTEXT;
	PRESS(KEYC_RIGHT);
	cr_assert_str_neq(S.screen.plan.launch[LAUNCH_LLAMA_SERVER], server);
	cr_assert_lt(S.results.ev.speed.decode_tps, tps, "a longer context reads more KV");
}

/* The chart overlays the quants a big step below and above the live one,
 * and the pinned configuration: each curve is that configuration's own
 * chart (pinning Q8_0 then moving to another quant draws Q8_0's curve). */
Test(session, chart_overlays_neighbouring_quants_and_the_pinned_configuration)
{
	session_select_model(&S, model_index("llama-3.1-8b"));
	S.config.cur.set.ftype = FT_Q8_0;
	S.config.cur.gpu = device_index("rtx-3060-12gb");
	session_recalc(&S);
	PRESS('g');
	const struct chart_view *c = &S.screen.chart;
	cr_assert_eq(c->n_over, 2);
	cr_assert_eq(c->over[0].mark, '1');
	cr_assert_eq(c->over[1].mark, '2');
	for (int i = 0; i < c->n; i++) {
		cr_assert(c->over[0].valid[i] && c->over[1].valid[i]);
		cr_assert_lt(c->over[0].gpu_bytes[i], c->gpu_bytes[i], "a smaller quant below");
		cr_assert_gt(c->over[1].gpu_bytes[i], c->gpu_bytes[i], "a larger quant above");
	}
	static uint64_t q8[CHART_POINTS_MAX];
	memcpy(q8, c->gpu_bytes, sizeof(q8));
	int n = c->n;
	/* pin Q8_0, step the quant down: A's curve is Q8_0's */
	PRESS('p');
	S.config.cur.set.ftype = FT_Q4_K_M;
	session_recalc(&S);
	cr_assert_eq(c->n, n);
	cr_assert_eq(c->n_over, 3);
	cr_assert(c->over[0].pinned);
	cr_assert_eq(c->over[0].mark, 'A');
	cr_assert(strstr(c->over[0].label, "Q8_0"), "%s", c->over[0].label);
	for (int i = 0; i < n; i++)
		cr_assert_eq(c->over[0].gpu_bytes[i], q8[i], "sample %d", i);
}

/* The GPU bytes the chart draws for settings st on count x d, from a full
 * estimate (each device's compute buffer and overhead, what the split
 * adds beyond them): the chart's samples reuse their curve's weights and
 * must draw exactly this. */
static uint64_t chart_expected(const struct model *m, const struct settings *st,
                               const struct device *d, uint32_t count)
{
	struct estimate_scratch x;
	struct estimate e;
	struct hw_fit f;
	char err[256];
	estimate_scratch_for(&x, m);
	cr_assert(estimate_check_run(m, &x, st, &e, err, sizeof(err)), "%s", err);
	estimate_scratch_free(&x);
	hw_fit_count(&e, d, count, &f);
	uint64_t sum = e.weights_gpu_bytes + e.kv_gpu_bytes + e.compute_bytes * count +
	               e.overhead_bytes * count;
	return f.need_bytes > sum ? f.need_bytes : sum;
}

Test(session, every_chart_sample_is_a_full_estimate)
{
	session_select_model(&S, model_index("qwen3-30b-a3b"));
	S.config.cur.set.offload = OFFLOAD_CPU_MOE;
	S.config.cur.gpu = device_index("rtx-3060-12gb");
	S.config.cur.gpu_count = 2;
	session_recalc(&S);
	PRESS('g');
	const struct chart_view *c = &S.screen.chart;
	const struct model *m = session_model(&S, S.config.cur.model);
	const struct device *d = &S.devs->v[S.config.cur.gpu];
	for (int axis = 0; axis < 2; axis++) {
		cr_assert_eq(c->axis, axis ? CHART_BATCH : CHART_CONTEXT);
		cr_assert_gt(c->n, 8);
		cr_assert_eq(c->n_over, 2);
		uint64_t per_seq = S.config.cur.set.ctx_tokens / S.config.cur.set.n_seq;
		for (int i = 0; i < c->n; i += 7) {
			for (int o = -1; o < c->n_over; o++) {
				struct settings st = S.config.cur.set;
				if (o >= 0) {
					cr_assert(ftype_find(c->over[o].label, &st.ftype), "%s",
					          c->over[o].label);
					st.file_types = false;
				}
				if (axis) {
					st.n_seq = (uint32_t)c->x[i];
					st.ctx_tokens = per_seq * c->x[i];
				} else {
					st.ctx_tokens = c->x[i];
				}
				uint64_t got = o < 0 ? c->gpu_bytes[i] : c->over[o].gpu_bytes[i];
				cr_expect_eq(got, chart_expected(m, &st, d, 2),
				             "axis %d sample %d curve %d", axis, i, o);
			}
		}
		PRESS('b');
	}
}

/* The plan view and the chart run their solvers on the session's scratch
 * and leave the live evaluation as evaluate() wrote it: they do not run
 * the live estimate again (before, they did, "to restore" the model's
 * type scratch, and wrote it with the unresolved settings). */
Test(session, plan_and_chart_leave_the_live_evaluation_alone)
{
	session_select_model(&S, model_index("qwen3-30b-a3b"));
	S.config.cur.set.offload = OFFLOAD_CPU_MOE;
	session_recalc(&S);
	cr_assert(S.results.ev.valid, "%s", S.results.ev.err);
	struct evaluation before = S.results.ev;
	const struct model *m = session_model(&S, S.config.cur.model);
	struct model model_before = *m;
	PRESS('d');
	cr_assert_eq(S.screen.view, VIEW_PLAN);
	cr_expect_eq(memcmp(&before.est, &S.results.ev.est, sizeof(before.est)), 0,
	             "the plan view changed the live estimate");
	cr_expect_eq(memcmp(&before.speed, &S.results.ev.speed, sizeof(before.speed)), 0);
	PRESS('g');
	cr_assert_eq(S.screen.view, VIEW_CHART);
	cr_assert(S.screen.chart.solved);
	cr_expect_eq(memcmp(&before.est, &S.results.ev.est, sizeof(before.est)), 0,
	             "the chart changed the live estimate");
	cr_expect_eq(memcmp(&model_before, m, sizeof(*m)), 0, "a view wrote the model");
	/* the plan rows' speeds are their answers' (the scratch is shared) */
	check_plan_rows();
}

/* The wide main view shows the speed and launch commands (show_speed):
 * its live estimate stays evaluate()'s, with the devices' settings
 * resolved (two GPUs: pipeline copies of the inputs in host memory).
 * Before, the speed step ran the estimate again on the unresolved
 * settings and left that one on screen. */
Test(session, the_wide_main_view_keeps_the_evaluated_estimate)
{
	S.config.cur.gpu_count = 2;
	S.screen.show_speed = true;
	session_recalc(&S);
	cr_assert(S.results.ev.valid, "%s", S.results.ev.err);
	struct request q;
	struct evaluation ev;
	struct estimate_scratch x;
	session_request(&S, &S.config.cur, &q);
	estimate_scratch_for(&x, q.model);
	evaluate(&q, &x, &ev);
	estimate_scratch_free(&x);
	cr_expect_eq(ev.est.pp_copies, 4, "two GPUs, every layer on them: 4 graph copies");
	cr_expect_eq(S.results.ev.est.pp_copies, ev.est.pp_copies);
	cr_expect_eq(S.results.ev.est.compute_host_bytes, ev.est.compute_host_bytes);
	cr_expect_eq(memcmp(&S.results.ev.est, &ev.est, sizeof(ev.est)), 0);
	cr_expect(S.screen.plan.launch[LAUNCH_LLAMA_SERVER][0], "the launch commands are made");
}

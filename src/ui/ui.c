/*
 * ui.c - the interactive view: load and validate everything, open the
 * terminal, run the key loop, restore the terminal.
 *
 * The loop is the only place that runs the engine (session_recalc) and
 * refreshes the screen (ui_draw_frame ends with one doupdate).  Resizes
 * arrive as KEY_RESIZE from ncurses' own SIGWINCH handling; there is no
 * signal handler here.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "detect.h"
#include "keys.h"
#include "profile.h"
#include "session.h"
#include "source.h"
#include "ui.h"
#include "ui_internal.h"

#define DEFAULT_GPU "rtx-4090"

/* Everything loaded before the terminal is touched. */
struct loaded {
	struct device_list devs;
	struct catalog cat; /* catalog profiles, plus a model given by path */
	size_t model;
	size_t gpu;
	struct profile_warnings warn;
	struct session s;
	bool have_session;
};

static void loaded_free(struct loaded *L)
{
	if (L->have_session)
		session_free(&L->s);
	catalog_free(&L->cat);
	device_list_free(&L->devs);
}

/* Load hardware and models, resolve the model and GPU, check the settings
 * and start the session.  On failure writes the cause into err. */
static bool load_all(const struct cli_options *o, struct loaded *L, char *err, size_t errlen)
{
	struct profile_dirs dirs;
	memset(L, 0, sizeof(*L));
	profile_dirs_init(&dirs);
	if (!profile_load_all_hardware(&dirs, &L->devs, &L->warn, err, errlen))
		return false;
	if (!L->devs.n) {
		snprintf(err, errlen, "no hardware profiles found (hardware.ini)");
		return false;
	}
	if (!catalog_load(&dirs, &L->cat, &L->warn, err, errlen))
		return false;

	/* No -g: this machine's devices when any are detected (-g auto: they
	 * must be).  The view splits over one device type: a mixed set starts
	 * on its first type, and says so. */
	uint32_t gpu_count = o->n_gpu_groups ? o->gpu_group_count[0] : 1;
	int n_auto = 0;
	size_t auto_dev[CLI_MAX_GPU_GROUPS];
	uint32_t auto_count[CLI_MAX_GPU_GROUPS];
	if (o->gpu_auto || !o->n_gpu_groups) {
		struct detect_env env;
		char why[1024];
		detect_env_init(&env);
		n_auto = detect_auto_groups(&env, &L->devs, o->free_memory, auto_dev, auto_count,
		                            CLI_MAX_GPU_GROUPS, why, sizeof(why));
		if (n_auto <= 0 && o->gpu_auto) {
			snprintf(
			    err, errlen,
			    "-g auto: %.400s (name the devices instead: -g ID[xN], see vramcalc "
			    "--list hardware)",
			    why);
			return false;
		}
		if (n_auto > 0)
			gpu_count = auto_count[0];
		/* the hardware list holds them beside their profiles: tell them apart */
		for (int g = 0; g < n_auto; g++) {
			struct device *dv = &L->devs.v[auto_dev[g]];
			size_t len = strlen(dv->name);
			const char *tag = " (detected)";
			if (len + strlen(tag) < sizeof(dv->name))
				memcpy(dv->name + len, tag, strlen(tag) + 1);
		}
	}
	const char *gid = o->n_gpu_groups ? o->gpu_group_id[0] : DEFAULT_GPU;
	const struct device *d = n_auto > 0 ? &L->devs.v[auto_dev[0]] : device_find(&L->devs, gid);
	if (!d && o->n_gpu_groups) {
		snprintf(err, errlen, "--gpu: unknown device '%s' (see vramcalc --list hardware)",
		         gid);
		return false;
	}
	L->gpu = d ? (size_t)(d - L->devs.v) : 0;
	/* --gpu-share applies to the chosen device, as in the command line. */
	if (o->gpu_share > 0 && d)
		L->devs.v[L->gpu].gpu_share = o->gpu_share;

	/* A catalog id selects its entry; anything else (a path to a profile,
	 * a GGUF file, a config.json) loads through the same resolver as the
	 * command line and becomes one more entry. */
	struct settings set = o->settings;
	struct source src = {0};
	bool from_file = false;
	const struct catalog_model *cm = catalog_find(&L->cat, o->model);
	if (cm) {
		L->model = (size_t)(cm - L->cat.v);
	} else {
		if (!source_load(&dirs, o->model, &src, &L->warn, err, errlen))
			return false;
		if (!src.has_arch) {
			snprintf(err, errlen,
			         "%s: no architecture to estimate from (no config.json beside "
			         "it); try --print",
			         o->model);
			source_release(&src);
			return false;
		}
		struct catalog_model *v = realloc(L->cat.v, (L->cat.n + 1) * sizeof(*v));
		if (!v) {
			snprintf(err, errlen, "out of memory");
			source_release(&src);
			return false;
		}
		v[L->cat.n].meta = src.meta;
		v[L->cat.n].arch = src.model.arch;
		L->cat.v = v;
		L->model = L->cat.n++;
		from_file = src.file_types;
		set.file_types = src.file_types && !o->quant_given;
		if (set.file_types && src.file_quant[0])
			ftype_find(src.file_quant, &set.ftype);
	}

	enum source_kind src_kind = src.kind;
	bool ok = session_init(&L->s, &L->cat, &L->devs, L->model, &set, L->gpu, gpu_count,
	                       cm ? NULL : &src.model, err, errlen);
	source_release(&src);
	if (!ok)
		return false;
	L->have_session = true;
	if (!from_file)
		L->s.file_model = SIZE_MAX;
	/* The plan view's speed and llama-server command follow the same
	 * options as the command line's. */
	if (o->host_bandwidth_gbps > 0)
		L->s.speed_params.host_bandwidth_gbps = o->host_bandwidth_gbps;
	if (o->prompt_tokens)
		L->s.speed_params.prompt_tokens = o->prompt_tokens;
	if (!cm && src_kind == SOURCE_GGUF)
		L->s.model_path = o->model;
	/* The models view (m) starts with the command line's order and filters. */
	L->s.rank.sort = o->rank_sort;
	L->s.rank.filter = o->rank_filter;
	const char *short_name = session_device_short_name(&L->devs.v[L->gpu]);
	if (n_auto > 1)
		session_status(&L->s, STATUS_WARN,
		               "detected %d kinds of GPU: this view splits over the first, %ux %s "
		               "(vramcalc -g auto --print splits over all)",
		               n_auto, gpu_count, short_name);
	else if (n_auto == 1)
		session_status(&L->s, STATUS_INFO,
		               "detected this machine's GPUs: %ux %s (-g names others)", gpu_count,
		               short_name);
	if (!estimate_check(session_model(&L->s, L->model), &set, err, errlen))
		return false;
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	L->s.host_ram_bytes = pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : 0;
	if (L->warn.n)
		snprintf(L->s.warning, sizeof(L->s.warning), "%d profile warning%s: %.200s%s",
		         L->warn.n, L->warn.n == 1 ? "" : "s", L->warn.msg[0],
		         L->warn.n > 1 ? " (vramcalc --list models shows all)" : "");
	session_recalc(&L->s);
	return true;
}

static bool want_mono(const struct cli_options *o)
{
	const char *nc = getenv("NO_COLOR");
	return o->no_color || (nc && *nc) || !has_colors();
}

static void setup_terminal(struct ui *u, const struct cli_options *o)
{
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	u->mono = want_mono(o);
	const char *cs = nl_langinfo(CODESET);
	u->utf8 = cs && !strcmp(cs, "UTF-8");
	ui_theme_init(u);
}

/* Keep explain and help scrolling inside their text. */
static void clamp_scroll(const struct ui *u, struct session *s)
{
	if (s->view != VIEW_EXPLAIN && s->view != VIEW_HELP)
		return;
	int h = u->lay.box[BOX_BODY].h;
	int n = s->view == VIEW_EXPLAIN ? s->n_explain : ui_help_lines(u);
	int max = n - h > 0 ? n - h : 0;
	if (s->scroll > max)
		s->scroll = max;
}

/* A mouse press: focus and step a slider, pick a hardware row, scroll. */
static unsigned mouse(struct ui *u, struct session *s)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || s->modal != MODAL_NONE || u->lay.too_small)
		return REACT_NONE;
	if (ev.bstate & BUTTON4_PRESSED)
		return session_action(s, ACT_UP);
	if (ev.bstate & BUTTON5_PRESSED)
		return session_action(s, ACT_DOWN);
	const struct rect *sl = &u->lay.box[BOX_SLIDERS];
	const struct rect *hw = &u->lay.box[BOX_HARDWARE];
	if (rect_contains(sl, ev.y, ev.x)) {
		int i = ev.y - sl->y;
		if (slider_table[i].enabled && !slider_table[i].enabled(s))
			return REACT_NONE;
		s->slider = i;
		s->pane = PANE_SLIDERS;
		const struct slider_cols *c = &u->lay.sl;
		int x = ev.x - sl->x;
		int pos, count;
		slider_table[i].position(s, &pos, &count);
		if (c->track_w && count > 1 && x >= c->track_x && x < c->track_x + c->track_w) {
			int knob = pos * (c->track_w - 1) / (count - 1);
			int at = x - c->track_x;
			if (at != knob)
				return session_action(s, at < knob ? ACT_LEFT : ACT_RIGHT);
		}
		return REACT_REDRAW;
	}
	if (rect_contains(hw, ev.y, ev.x) && s->view == VIEW_MAIN) {
		int row = ev.y - hw->y - 2 + u->hw_top;
		s->pane = PANE_HARDWARE;
		if (row >= 0 && (size_t)row < s->n_hw)
			s->hw_sel = (size_t)row;
		return REACT_REDRAW;
	}
	return REACT_NONE;
}

int ui_main(const struct cli_options *o)
{
	struct loaded L;
	char err[PROFILE_ERR_LEN];
	if (!load_all(o, &L, err, sizeof(err))) {
		fprintf(stderr, "vramcalc: %s\n", err);
		loaded_free(&L);
		return 2;
	}
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		const char *t = getenv("TERM");
		fprintf(stderr, "vramcalc: cannot open the terminal '%s' (try --print)\n",
		        t ? t : "");
		loaded_free(&L);
		return 2;
	}
	struct ui u = {0};
	u.host_ram_bytes = L.s.host_ram_bytes;
	setup_terminal(&u, o);
	struct session *s = &L.s;
	ui_relayout(&u, s);
	for (;;) {
		ui_draw_frame(&u, s);
		wint_t ch;
		int st = get_wch(&ch);
		if (st == ERR)
			continue;
		unsigned r;
		if (st == KEY_CODE_YES && ch == KEY_RESIZE) {
			ui_relayout(&u, s);
			continue;
		}
		if (st == KEY_CODE_YES && ch == KEY_MOUSE) {
			r = mouse(&u, s);
		} else {
			int key = ui_map_key(st, ch);
			if (key < 0)
				continue;
			/* Too small: only quitting makes sense. */
			if (u.lay.too_small && key != 'q')
				continue;
			s->status[0] = '\0';
			r = session_key(s, key);
		}
		if (r & REACT_QUIT)
			break;
		if (r & REACT_RECALC)
			session_recalc(s);
		clamp_scroll(&u, s);
	}
	ui_close_windows(&u);
	endwin();
	delscreen(scr);
	loaded_free(&L);
	return 0;
}

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Press frames keys from keys[] (cycled) as the main loop would, timing
 * each from keypress to finished frame into t; returns the count. */
static int bench_keys(struct ui *u, struct session *s, const int *keys, int n_keys, int frames,
                      double *t)
{
	int n = 0;
	for (int i = 0; i < frames; i++) {
		double t0 = now_us();
		unsigned r = session_key(s, keys[i % n_keys]);
		if (r & REACT_RECALC)
			session_recalc(s);
		ui_draw_frame(u, s);
		t[n++] = now_us() - t0;
	}
	return n;
}

static void bench_report(FILE *report, const char *what, int cols, int rows, const char *model,
                         double *t, int n)
{
	if (!n)
		return;
	qsort(t, (size_t)n, sizeof(double), cmp_double);
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += t[i];
	fprintf(report,
	        "tui: keypress to frame (%s, %dx%d, %s, %d frames): mean %.1f us, median %.1f us, "
	        "p99 %.1f us, max %.1f us\n",
	        what, cols, rows, model, n, sum / n, t[n / 2], t[(int)(n * 0.99)], t[n - 1]);
}

int ui_bench(const struct cli_options *o, int frames, int rows, int cols, FILE *report)
{
	struct loaded L;
	char err[PROFILE_ERR_LEN];
	if (!load_all(o, &L, err, sizeof(err))) {
		fprintf(stderr, "vramcalc: %s\n", err);
		loaded_free(&L);
		return 2;
	}
	FILE *out = fopen("/dev/null", "w");
	FILE *in = fopen("/dev/null", "r");
	SCREEN *scr = out && in ? newterm("xterm-256color", out, in) : NULL;
	if (!scr) {
		fprintf(stderr, "vramcalc: cannot open a curses screen on /dev/null\n");
		if (out)
			fclose(out);
		if (in)
			fclose(in);
		loaded_free(&L);
		return 2;
	}
	resize_term(rows, cols);
	struct ui u = {0};
	u.host_ram_bytes = L.s.host_ram_bytes;
	setup_terminal(&u, o);
	struct session *s = &L.s;
	ui_relayout(&u, s);
	ui_draw_frame(&u, s);

	/* Keys a user would press: quant, context, batch and offload steps
	 * there and back, so every frame recalculates. */
	static const int keys[] = {KEYC_RIGHT, KEYC_LEFT, KEYC_DOWN,  KEYC_RIGHT,
	                           KEYC_LEFT,  KEYC_DOWN, KEYC_RIGHT, KEYC_LEFT,
	                           KEYC_DOWN,  KEYC_DOWN, KEYC_RIGHT, KEYC_LEFT,
	                           KEYC_UP,    KEYC_UP,   KEYC_UP,    KEYC_UP};
	/* In the plan view: adopt the largest context and undo it, each a
	 * full recalculation (every solver, speed, launch commands). */
	static const int plan_keys[] = {KEYC_ENTER, 'u'};
	int plan_frames = frames / 10 > 2 ? frames / 10 : 2;
	double *t = malloc((size_t)frames * sizeof(double));
	double *tp = malloc((size_t)plan_frames * sizeof(double));
	int n = 0, np = 0;
	s->slider = SL_QUANT;
	if (t && tp) {
		n = bench_keys(&u, s, keys, (int)(sizeof(keys) / sizeof(keys[0])), frames, t);
		session_key(s, 'd');
		session_recalc(s);
		ui_draw_frame(&u, s);
		np = bench_keys(&u, s, plan_keys, 2, plan_frames, tp);
	}
	ui_close_windows(&u);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	const char *id = L.cat.v[L.s.cur.model].meta.id;
	bench_report(report, "recalculate + redraw", cols, rows, id, t, n);
	bench_report(report, "plan view: adopt or undo, every solver + redraw", cols, rows, id, tp,
	             np);
	free(t);
	free(tp);
	loaded_free(&L);
	return 0;
}

/*
 * ui.c - the interactive view: load and validate everything, open the
 * terminal, run the key loop, restore the terminal.
 *
 * The loop is the only place that runs the engine (session_recalc) and
 * refreshes the screen (ui_draw_frame ends with one doupdate).  Resizes
 * arrive as KEY_RESIZE from ncurses' own SIGWINCH handling.  SIGINT,
 * SIGTERM and SIGHUP only set a flag (no drawing in a handler): the
 * interrupted read returns, the loop sees the flag, and the main path
 * restores the terminal with endwin().  Ctrl-C quits like q (status 0);
 * SIGTERM and SIGHUP are re-raised after the terminal is restored.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <term.h>
#include <unistd.h>

#include "format.h"
#include "detect.h"
#include "keys.h"
#include "profile.h"
#include "request.h"
#include "session.h"
#include "source.h"
#include "text.h"
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

	/* The one resolver both front ends use: model source, stored types,
	 * device set (mixed too), --gpu-share, host memory, margin, speed. */
	size_t n_profiles = L->devs.n; /* entries past these were detected */
	struct resolved res;
	if (!request_resolve(&dirs, o, &L->devs, &res, &L->warn, err, errlen))
		return false;
	if (!res.src.has_arch) {
		snprintf(err, errlen,
		         "%s: no architecture to estimate from (no config.json beside it); try "
		         "--print",
		         o->model);
		resolved_release(&res);
		return false;
	}
	/* A catalog id selects its entry; anything else (a path to a profile,
	 * a GGUF file, a config.json) becomes one more entry. */
	const struct catalog_model *cm = catalog_find(&L->cat, o->model);
	bool from_file = false;
	if (cm) {
		L->model = (size_t)(cm - L->cat.v);
	} else {
		struct catalog_model *v = realloc(L->cat.v, (L->cat.n + 1) * sizeof(*v));
		if (!v) {
			snprintf(err, errlen, "out of memory");
			resolved_release(&res);
			return false;
		}
		v[L->cat.n].meta = res.src.meta;
		v[L->cat.n].arch = res.src.model.arch;
		L->cat.v = v;
		L->model = L->cat.n++;
		from_file = res.src.file_types;
	}
	/* No -g: this machine's GPUs when any are detected, else the
	 * default device, one of it. */
	if (!res.n_groups) {
		struct detect_env env;
		char why[1024];
		detect_env_init(&env);
		int n = detect_auto_groups(&env, &L->devs, o->free_memory, res.group_dev,
		                           res.group_count, CLI_MAX_GPU_GROUPS, why, sizeof(why));
		res.n_groups = n > 0 ? n : 0;
	}
	if (!res.n_groups) {
		const struct device *d = device_find(&L->devs, DEFAULT_GPU);
		res.group_dev[0] = d ? (size_t)(d - L->devs.v) : 0;
		res.group_count[0] = 1;
		res.n_groups = 1;
	}
	/* the hardware list holds detected devices beside their profiles:
	 * tell them apart */
	int n_detected = 0;
	for (int g = 0; g < res.n_groups; g++) {
		if (res.group_dev[g] < n_profiles)
			continue;
		n_detected++;
		struct device *dv = &L->devs.v[res.group_dev[g]];
		size_t len = strlen(dv->name);
		const char *tag = " (detected)";
		if (len + strlen(tag) < sizeof(dv->name))
			memcpy(dv->name + len, tag, strlen(tag) + 1);
	}
	L->gpu = res.group_dev[0];

	bool ok = session_init(&L->s, &L->cat, &L->devs, L->model, &res.settings, L->gpu,
	                       res.group_count[0], cm ? NULL : &res.src.model, err, errlen);
	if (!ok) {
		resolved_release(&res);
		return false;
	}
	L->have_session = true;
	struct session *s = &L->s;
	for (int g = 1; g < res.n_groups; g++) {
		s->config.cur.more_gpu[g - 1] = res.group_dev[g];
		s->config.cur.more_count[g - 1] = res.group_count[g];
	}
	s->config.cur.n_more = res.n_groups - 1;
	if (!from_file)
		s->file_model = SIZE_MAX;
	s->config.speed_params = res.req.speed;
	s->config.host_ram_bytes = res.req.host_ram_bytes;
	s->config.margin = res.req.margin;
	if (!cm && res.src.kind == SOURCE_GGUF)
		s->config.model_path = o->model;
	if (res.has_mmproj)
		s->config.mmproj_path = o->mmproj;
	resolved_release(&res);
	/* The models view (m) starts with the command line's order and filters. */
	s->screen.rank.sort = o->rank_sort;
	s->screen.rank.filter = o->rank_filter;
	const char *short_name = fmt_device_short_name(&L->devs.v[L->gpu]);
	if (n_detected > 1)
		session_status(
		    s, STATUS_INFO,
		    "detected %d kinds of GPU: a mixed set, one bar per device (-g names "
		    "others)",
		    n_detected);
	else if (n_detected == 1)
		session_status(s, STATUS_INFO,
		               "detected this machine's GPUs: %ux %s (-g names others)",
		               s->config.cur.gpu_count, short_name);
	if (!estimate_check(session_model(s, L->model), &s->scratch, &s->config.cur.set, err,
	                    errlen))
		return false;
	if (L->warn.n)
		snprintf(s->screen.warning, sizeof(s->screen.warning),
		         "%d profile warning%s: %.200s%s", L->warn.n, L->warn.n == 1 ? "" : "s",
		         L->warn.msg[0],
		         L->warn.n > 1 ? " (vramcalc --list models shows all)" : "");
	session_recalc(s);
	return true;
}

/* The signal that asked the loop to stop (0: none). */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

/* Catch SIGINT, SIGTERM and SIGHUP without SA_RESTART, so a blocked read
 * returns and the loop can restore the terminal.  Installed before
 * newterm(), so ncurses leaves these signals to us. */
static void catch_stop_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* Can this terminal run the interactive view?  It must be a terminal
 * whose description can move the cursor and clear the screen (TERM=dumb,
 * emacs' shell, a printing terminal cannot).  Asked before initscr so a
 * refusal leaves the screen as it was.  Writes the reason into why. */
static bool terminal_usable(char *why, size_t n)
{
	const char *t = getenv("TERM");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(why, n,
		         "the interactive view needs a terminal on standard input and output");
		return false;
	}
	if (!t || !*t) {
		snprintf(why, n, "TERM is not set, so the terminal cannot be addressed");
		return false;
	}
	int err = 0;
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
		snprintf(why, n, "no terminal description for TERM=%s", t);
		return false;
	}
	const char *cup = tigetstr("cup");
	const char *clear = tigetstr("clear");
	bool hard = tigetflag("hc") > 0 || tigetflag("gn") > 0;
	bool ok = cup && cup != (char *)-1 && clear && clear != (char *)-1 && !hard;
	del_curterm(cur_term);
	if (!ok)
		snprintf(why, n, "the terminal '%s' cannot address the cursor", t);
	return ok;
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
	/* Until the screen has been suspended once (endwin) and resumed by a
	 * doupdate, ncurses 6 treats it as not yet set up and flushes its
	 * output after every cursor movement: a frame left in some 60
	 * writes.  Suspend it before the first frame, while nothing is drawn;
	 * the first doupdate resumes it (program mode, cursor, keypad, mouse)
	 * and from then on each frame leaves in one write. */
	endwin();
}

/* Keep the scrolled views (explain, help, what-if, plan) inside their
 * text: their last frame measured how far they scroll. */
static void clamp_scroll(const struct ui *u, struct session *s)
{
	if (s->screen.view != VIEW_EXPLAIN && s->screen.view != VIEW_HELP &&
	    s->screen.view != VIEW_WHATIF && s->screen.view != VIEW_PLAN)
		return;
	if (s->screen.scroll > u->scroll_max)
		s->screen.scroll = u->scroll_max;
}

/* Recreate the windows for the terminal's size and tell the session what
 * the layout shows: whether the hardware list has room beside the sliders
 * (else Tab draws it in their place), the speed box, a page's rows. */
static void relayout(struct ui *u, struct session *s)
{
	ui_relayout(u, s);
	int rows, cols;
	struct layout main_lay;
	getmaxyx(stdscr, rows, cols);
	layout_compute(rows, cols, ui_view_layout(VIEW_MAIN), SL_COUNT, &main_lay);
	s->screen.hw_hidden = main_lay.hw_toggle;
	bool speed = main_lay.box[BOX_EXTRA].h > 0;
	if (speed != s->screen.show_speed) {
		s->screen.show_speed = speed;
		if (speed && s->screen.view == VIEW_MAIN)
			session_recalc(s);
	}
	s->screen.page_rows = u->lay.box[BOX_BODY].h;
}

/* After a frame: what the scrolled views measured. */
static void after_frame(const struct ui *u, struct session *s)
{
	s->screen.page_rows = u->page_rows;
}

/* A mouse press: focus and step a slider, pick a hardware row, scroll. */
static unsigned mouse(struct ui *u, struct session *s)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || s->screen.modal != MODAL_NONE || u->lay.too_small)
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
		s->screen.slider = i;
		s->screen.pane = PANE_SLIDERS;
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
	if (rect_contains(hw, ev.y, ev.x) && s->screen.view == VIEW_MAIN) {
		int row = ev.y - hw->y - 2 + u->hw_top;
		s->screen.pane = PANE_HARDWARE;
		if (row >= 0 && (size_t)row < s->screen.n_hw)
			s->screen.hw_sel = (size_t)row;
		return REACT_REDRAW;
	}
	return REACT_NONE;
}

int ui_main(const struct cli_options *o)
{
	struct loaded L;
	char err[PROFILE_ERR_LEN];
	if (!load_all(o, &L, err, sizeof(err))) {
		text_fprintf(stderr, "vramcalc: %s\n", err);
		loaded_free(&L);
		return 2;
	}
	char why[160];
	if (!terminal_usable(why, sizeof(why))) {
		fprintf(stderr,
		        "vramcalc: %s; use --print (or --json) for the same numbers as text\n",
		        why);
		loaded_free(&L);
		return 2;
	}
	catch_stop_signals();
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		const char *t = getenv("TERM");
		text_fprintf(stderr, "vramcalc: cannot open the terminal '%s' (try --print)\n",
		             t ? t : "");
		loaded_free(&L);
		return 2;
	}
	struct ui u = {0};
	setup_terminal(&u, o);
	struct session *s = &L.s;
	relayout(&u, s);
	bool draw = true;
	while (!stop_signal) {
		if (draw) {
			ui_draw_frame(&u, s);
			after_frame(&u, s);
		}
		draw = true;
		wint_t ch;
		int st = get_wch(&ch);
		if (st == ERR) {
			draw = false; /* a signal, or nothing read: nothing changed */
			continue;
		}
		unsigned r;
		if (st == KEY_CODE_YES && ch == KEY_RESIZE) {
			relayout(&u, s);
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
			s->screen.status[0] = '\0';
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
	if (stop_signal == SIGTERM || stop_signal == SIGHUP) {
		/* The terminal is restored: die of the signal as the sender expects. */
		signal(stop_signal, SIG_DFL);
		raise(stop_signal);
	}
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
		text_fprintf(stderr, "vramcalc: %s\n", err);
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
	setup_terminal(&u, o);
	struct session *s = &L.s;
	relayout(&u, s);
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
	/* In the chart view: b switches the axis, each press a full
	 * resampling (160 estimates, the solver and the overlays) and a
	 * redraw of the chart. */
	static const int chart_keys[] = {'b'};
	int plan_frames = frames / 10 > 2 ? frames / 10 : 2;
	double *t = malloc((size_t)frames * sizeof(double));
	double *tp = malloc((size_t)plan_frames * sizeof(double));
	double *tc = malloc((size_t)plan_frames * sizeof(double));
	int n = 0, np = 0, nc = 0;
	s->screen.slider = SL_QUANT;
	if (t && tp && tc) {
		n = bench_keys(&u, s, keys, (int)(sizeof(keys) / sizeof(keys[0])), frames, t);
		session_key(s, 'd');
		session_recalc(s);
		ui_draw_frame(&u, s);
		np = bench_keys(&u, s, plan_keys, 2, plan_frames, tp);
		session_key(s, KEYC_ESC);
		session_key(s, 'g');
		session_recalc(s);
		ui_draw_frame(&u, s);
		nc = bench_keys(&u, s, chart_keys, 1, plan_frames, tc);
	}
	ui_close_windows(&u);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	const char *id = L.cat.v[L.s.config.cur.model].meta.id;
	bench_report(report, "recalculate + redraw", cols, rows, id, t, n);
	bench_report(report, "plan view: adopt or undo, every solver + redraw", cols, rows, id, tp,
	             np);
	bench_report(report, "chart view: b switches the axis, resample + overlays + redraw", cols,
	             rows, id, tc, nc);
	free(t);
	free(tp);
	free(tc);
	loaded_free(&L);
	return 0;
}

/*
 * frame.c - drawing one frame: the windows of the current view's layout,
 * the title, status and key bars every view has, and a call to the
 * drawer of each box (main_view.c, compare_view.c, whatif_view.c,
 * plan_view.c, text_view.c, rank_view.c, chart_view.c, popup.c).
 *
 * Drawing reads the session and never changes it.  Each box has its own
 * window; a frame erases and fills the windows of the current view, marks
 * each with wnoutrefresh() and ends with one doupdate().
 */
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "keys.h"
#include "textfit.h"
#include "ui_internal.h"

/* ---- title ---- */

static void draw_title(const struct ui *u, const struct session *s, WINDOW *w)
{
	int wd = getmaxx(w);
	char a[32], b[32], c[32], d[32], text[256];
	const char *bar = u->g->vline;
	ui_fill_row(u, w, 0, R_TITLE);
	if (!s->results.ev.valid) {
		ui_putf(u, w, 0, 0, wd, R_TITLE, " vramcalc %s %s %s invalid settings", bar,
		        s->cat->v[s->config.cur.model].meta.name, bar);
		return;
	}
	/* The evaluation's verdict, in the words --print and --json use. */
	const struct evaluation *ev = &s->results.ev;
	const char *verdict = verdict_words(ev->verdict);
	enum role vrole = ui_verdict_role(ev->verdict);
	/* "total N.NN GiB" is what the end-to-end test reads; the rest goes
	 * when the line is short.  total = GPU (every device) + host. */
	ui_gib(a, sizeof(a), (double)ev->total_bytes);
	fmt_gb(b, sizeof(b), (double)ev->total_bytes);
	ui_gib(c, sizeof(c), (double)ev->gpu_bytes);
	ui_gib(d, sizeof(d), (double)ev->host_bytes);
	const char *name = s->cat->v[s->config.cur.model].meta.name;
	int room = wd - (int)strlen(verdict) - 3 - (s->config.pinned ? 12 : 0);
	snprintf(text, sizeof(text), " vramcalc %s %s %s total %s (%s) %s GPU %s %s host %s ", bar,
	         name, bar, a, b, bar, c, bar, d);
	if (ui_cols(text) > room)
		snprintf(text, sizeof(text), " %s %s total %s %s GPU %s %s host %s ", name, bar, a,
		         bar, c, bar, d);
	if (ui_cols(text) > room)
		snprintf(text, sizeof(text), " %s %s total %s ", name, bar, a);
	int x = ui_put(u, w, 0, 0, wd, R_TITLE, text);
	x += ui_putf(u, w, 0, x, wd - x, vrole, " %s ", verdict);
	if (s->config.pinned)
		ui_putf(u, w, 0, x, wd - x, R_TITLE, " %s A pinned", bar);
}

/* ---- status and key bar ---- */

static void draw_status(const struct ui *u, const struct session *s, WINDOW *w)
{
	int wd = getmaxx(w);
	if (s->screen.status[0]) {
		enum role r = s->screen.status_level == STATUS_ERROR  ? R_ERROR
		              : s->screen.status_level == STATUS_WARN ? R_WARN
		                                                      : R_INFO;
		ui_put_fit(u, w, 0, 0, wd, r, s->screen.status);
	} else if (!s->results.ev.valid) {
		ui_put_fit(u, w, 0, 0, wd, R_ERROR, s->results.ev.err);
	} else if (s->screen.warning[0]) {
		ui_put_fit(u, w, 0, 0, wd, R_WARN, s->screen.warning);
	} else {
		ui_put_fit(u, w, 0, 0, wd, R_DIM, "sizes in GiB (2^30 bytes); F1 or ? for help");
	}
}

static void draw_keys(const struct ui *u, const struct session *s, WINDOW *w)
{
	int wd = getmaxx(w);
	int x = 0;
	if (s->screen.modal != MODAL_NONE) {
		static const char *const modal_keys[][2] = {
		    {"Enter", "accept"}, {"Esc", "cancel"}, {"Up/Down", "move"}, {"Bksp", "erase"}};
		for (size_t i = 0; i < 4 && x < wd; i++) {
			x += ui_put(u, w, 0, x, wd - x, R_KEY, modal_keys[i][0]);
			x += ui_putf(u, w, 0, x, wd - x, R_KEYLABEL, " %s  ", modal_keys[i][1]);
		}
		return;
	}
	/* Only the keys that work in this layout, as many as the width
	 * holds; help and the way out always (keys_bar). */
	const struct key_binding *bar[64];
	unsigned when = session_key_when(s);
	if (s->screen.scroll < u->scroll_max &&
	    (s->screen.view == VIEW_EXPLAIN || s->screen.view == VIEW_HELP ||
	     s->screen.view == VIEW_WHATIF || s->screen.view == VIEW_PLAN))
		when |= KEYS_WHEN_SCROLLS;
	int n = keys_bar(s->screen.view, when, wd, bar, 64);
	for (int i = 0; i < n; i++) {
		x += ui_put(u, w, 0, x, wd - x, R_KEY, bar[i]->name);
		x += ui_putf(u, w, 0, x, wd - x, R_KEYLABEL, " %s  ", bar[i]->bar);
	}
}

/* ---- frame ---- */

enum layout_kind ui_view_layout(enum view v)
{
	return session_view_layout(v);
}

void ui_close_windows(struct ui *u)
{
	for (int i = 0; i < BOX_COUNT; i++) {
		if (u->win[i])
			delwin(u->win[i]);
		u->win[i] = NULL;
	}
	if (u->popup)
		delwin(u->popup);
	u->popup = NULL;
}

void ui_relayout(struct ui *u, const struct session *s)
{
	int rows, cols;
	getmaxyx(stdscr, rows, cols);
	ui_close_windows(u);
	u->kind = ui_view_layout(s->screen.view);
	u->flags = session_layout_flags(s);
	u->bars_rows = ui_bars_rows(s);
	layout_compute_flags(rows, cols, u->kind, SL_COUNT, u->flags, u->bars_rows, &u->lay);
	werase(stdscr);
	wnoutrefresh(stdscr);
	if (u->lay.too_small)
		return;
	for (int i = 0; i < BOX_COUNT; i++) {
		const struct rect *r = &u->lay.box[i];
		if (r->h && r->w)
			u->win[i] = newwin(r->h, r->w, r->y, r->x);
	}
	const struct rect *p = &u->lay.popup;
	if (p->h && p->w)
		u->popup = newwin(p->h, p->w, p->y, p->x);
}

/* Below the minimum size: the notice, wrapped at words and centred, so
 * that it is whole at any size it can be whole at (20x5 included). */
static void draw_too_small(const struct ui *u)
{
	int rows, cols;
	getmaxyx(stdscr, rows, cols);
	werase(stdscr);
	char msg[160];
	snprintf(msg, sizeof(msg), "terminal too small: %dx%d, need %dx%d\nq quits", cols, rows,
	         u->lay.min_cols, u->lay.min_rows);
	struct text_line l[16];
	int n = textfit_wrap(msg, cols, 0, rows < 16 ? rows : 16, ui_cols(ui_ellipsis(u)), l);
	int y = (rows - n) / 2;
	for (int i = 0; i < n; i++) {
		char line[160];
		snprintf(line, sizeof(line), "%.*s", (int)l[i].len, msg + l[i].off);
		int x = (cols - l[i].cols - (l[i].cut ? ui_cols(ui_ellipsis(u)) : 0)) / 2;
		bool quits = !strcmp(line, "q quits");
		x += ui_put(u, stdscr, y + i, x > 0 ? x : 0, cols, quits ? R_DIM : R_WARN, line);
		if (l[i].cut)
			ui_put(u, stdscr, y + i, x > 0 ? x : 0, cols, R_WARN, ui_ellipsis(u));
	}
	wnoutrefresh(stdscr);
	doupdate();
}

void ui_draw_frame(struct ui *u, const struct session *s)
{
	if (ui_view_layout(s->screen.view) != u->kind || session_layout_flags(s) != u->flags ||
	    (u->lay.box[BOX_EXTRA].h && ui_bars_rows(s) != u->bars_rows))
		ui_relayout(u, s);
	if (u->lay.too_small) {
		draw_too_small(u);
		return;
	}
	/* The gaps between boxes belong to stdscr: repaint them too, or a
	 * closed popup would leave its border there. */
	touchwin(stdscr);
	wnoutrefresh(stdscr);
	for (int i = 0; i < BOX_COUNT; i++)
		if (u->win[i])
			werase(u->win[i]);
	WINDOW **w = u->win;
	draw_title(u, s, w[BOX_TITLE]);
	if (w[BOX_SLIDERS])
		ui_draw_sliders(u, s, w[BOX_SLIDERS]);
	if (w[BOX_BARS])
		ui_draw_bars(u, s, w[BOX_BARS]);
	if (w[BOX_HARDWARE])
		ui_draw_hardware(u, s, w[BOX_HARDWARE]);
	if (w[BOX_EXTRA] && s->screen.view == VIEW_MAIN)
		ui_draw_speed_launch(u, s, w[BOX_EXTRA], 0);
	if (w[BOX_BODY]) {
		switch (s->screen.view) {
		case VIEW_COMPARE:
			ui_draw_compare(u, s, w[BOX_BODY]);
			break;
		case VIEW_EXPLAIN:
			ui_draw_explain(u, s, w[BOX_BODY]);
			break;
		case VIEW_WHATIF:
			ui_draw_whatif(u, s, w[BOX_BODY]);
			break;
		case VIEW_HELP:
			ui_draw_help(u, s, w[BOX_BODY]);
			break;
		case VIEW_PLAN:
			ui_draw_plan(u, s, w[BOX_BODY]);
			break;
		case VIEW_RANK:
			ui_draw_rank(u, s, w[BOX_BODY]);
			break;
		case VIEW_CHART:
			ui_draw_chart(u, s, w[BOX_BODY]);
			break;
		default:
			break;
		}
	}
	draw_status(u, s, w[BOX_STATUS]);
	draw_keys(u, s, w[BOX_KEYS]);
	for (int i = 0; i < BOX_COUNT; i++)
		if (u->win[i])
			wnoutrefresh(u->win[i]);
	if (s->screen.modal != MODAL_NONE && u->popup) {
		ui_draw_popup(u, s, u->popup);
		wnoutrefresh(u->popup);
	}
	doupdate();
}

int ui_map_key(int status, wint_t ch)
{
	if (status == KEY_CODE_YES) {
		switch (ch) {
		case KEY_UP:
			return KEYC_UP;
		case KEY_DOWN:
			return KEYC_DOWN;
		case KEY_LEFT:
			return KEYC_LEFT;
		case KEY_RIGHT:
			return KEYC_RIGHT;
		case KEY_PPAGE:
			return KEYC_PGUP;
		case KEY_NPAGE:
			return KEYC_PGDN;
		case KEY_HOME:
			return KEYC_HOME;
		case KEY_END:
			return KEYC_END;
		case KEY_ENTER:
			return KEYC_ENTER;
		case KEY_BTAB:
			return KEYC_BTAB;
		case KEY_F(1):
			return KEYC_F1;
		case KEY_BACKSPACE:
		case KEY_DC:
			return KEYC_BACKSPACE;
		default:
			return -1;
		}
	}
	switch (ch) {
	case '\n':
	case '\r':
		return KEYC_ENTER;
	case 27:
		return KEYC_ESC;
	case '\t':
		return KEYC_TAB;
	case 127:
	case 8:
		return KEYC_BACKSPACE;
	case 21:
		return KEYC_CTRL_U;
	default:
		return (int)ch;
	}
}

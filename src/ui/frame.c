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
		ui_put(u, w, 0, 0, wd, r, s->screen.status);
	} else if (!s->results.ev.valid) {
		ui_put(u, w, 0, 0, wd, R_ERROR, s->results.ev.err);
	} else if (s->screen.warning[0]) {
		ui_put(u, w, 0, 0, wd, R_WARN, s->screen.warning);
	} else {
		ui_put(u, w, 0, 0, wd, R_DIM, "sizes in GiB (2^30 bytes); ? for help");
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
	for (const struct key_binding *b = key_table; b->name && x < wd; b++) {
		if (!b->bar || !(b->views & (1u << s->screen.view)))
			continue;
		int need = ui_cols(b->name) + ui_cols(b->bar) + 3;
		if (x + need > wd)
			break;
		x += ui_put(u, w, 0, x, wd - x, R_KEY, b->name);
		x += ui_putf(u, w, 0, x, wd - x, R_KEYLABEL, " %s  ", b->bar);
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
	layout_compute(rows, cols, u->kind, SL_COUNT, &u->lay);
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

static void draw_too_small(const struct ui *u)
{
	int rows, cols;
	getmaxyx(stdscr, rows, cols);
	werase(stdscr);
	char msg[96];
	snprintf(msg, sizeof(msg), "terminal too small: %dx%d, need %dx%d", cols, rows,
	         u->lay.min_cols, u->lay.min_rows);
	int len = (int)strlen(msg);
	int y = rows / 2, x = (cols - len) / 2;
	if (x < 0)
		x = 0;
	if (rows > 0 && cols > 0)
		ui_put(u, stdscr, y, x, cols - x, R_WARN, msg);
	if (rows > 1 && cols > 0)
		ui_put(u, stdscr, y + 1, (cols - 7) / 2 > 0 ? (cols - 7) / 2 : 0, cols, R_DIM,
		       "q quits");
	wnoutrefresh(stdscr);
	doupdate();
}

void ui_draw_frame(struct ui *u, const struct session *s)
{
	if (ui_view_layout(s->screen.view) != u->kind)
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

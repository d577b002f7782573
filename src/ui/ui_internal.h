/*
 * ui_internal.h - what the ui layer's files share: the theme (colours named
 * by meaning, each with a monochrome attribute), the glyph set, the
 * windows of the current layout, and the frame drawer.
 *
 * Only src/ui includes this (and <curses.h>).
 */
#ifndef VRAMCALC_UI_INTERNAL_H
#define VRAMCALC_UI_INTERNAL_H

#include <curses.h>
#include <stdbool.h>

#include "layout.h"
#include "session.h"

/* Meanings that get a colour (or, in monochrome, an attribute). */
enum role {
	R_NORMAL,
	R_TITLE,
	R_LABEL,
	R_FOCUS,
	R_VALUE,
	R_DIM,
	R_TRACK,
	R_KNOB,
	R_WEIGHTS,
	R_KV,
	R_COMPUTE,
	R_OVERHEAD,
	R_OUTPUT,
	R_FREE,
	R_MARKER,
	R_FITS,
	R_TIGHT,
	R_NOFIT,
	R_KEY,
	R_KEYLABEL,
	R_HEADER,
	R_SELECTED,
	R_INFO,
	R_WARN,
	R_ERROR,
	R_COUNT
};

/* One row of the theme table. */
struct style {
	const char *meaning; /* for the help screen */
	short fg, bg;        /* colour mode; -1 is the terminal's default */
	attr_t color_attr;   /* added in colour mode */
	attr_t mono_attr;    /* the whole look in monochrome */
};

/* Glyphs that differ between UTF-8 and ASCII terminals. */
struct glyphs {
	const char *track, *track_fill, *knob, *marker, *focus, *vline, *free_cell;
	const char *solid; /* a bar cell in colour mode */
};

/* Bar segments: each has a role and its own monochrome glyph. */
enum segment { SEG_WEIGHTS, SEG_KV, SEG_COMPUTE, SEG_OVERHEAD, SEG_OUTPUT, SEG_COUNT };

struct ui {
	bool mono; /* NO_COLOR, --no-color or no colours */
	bool utf8; /* the locale's codeset is UTF-8 */
	const struct glyphs *g;
	struct layout lay;
	enum layout_kind kind;
	unsigned flags; /* the layout flags lay was computed for */
	int bars_rows;  /* and the bars box's rows (ui_bars_rows) */
	WINDOW *win[BOX_COUNT];
	WINDOW *popup;
	int hw_top, cmp_top; /* first visible row of the scrolled lists */
	int pick_top;
	int rank_top; /* first visible row of the models view */
	/* Set by the scrolled views (what-if, plan) as they draw: the largest
	 * useful s->scroll, and the rows a page shows. */
	int scroll_max, page_rows;
};

/* Theme. */
void ui_theme_init(struct ui *u);
attr_t ui_attr(const struct ui *u, enum role r);
enum role ui_segment_role(enum segment s);
const char *ui_segment_glyph(const struct ui *u, enum segment s);
const char *ui_segment_name(enum segment s);
extern const struct style ui_styles[R_COUNT];

/* Recreate windows for the terminal's current size and the session's view. */
void ui_relayout(struct ui *u, const struct session *s);
void ui_close_windows(struct ui *u);

/* Draw every box of the current view, then one doupdate(). */
void ui_draw_frame(struct ui *u, const struct session *s);

/* ---- paint.c: drawing helpers every view uses ---- */

/* Columns of a UTF-8 string (every glyph used is one column wide). */
int ui_cols(const char *s);

/* Write s at (y, x) in role r, clipped to max columns and the window (a
 * string with control characters or broken UTF-8 is shown escaped).
 * Returns the columns written. */
int ui_put(const struct ui *u, WINDOW *w, int y, int x, int max, enum role r, const char *s);

/* ui_put with a printf format (512 bytes at most). */
int ui_putf(const struct ui *u, WINDOW *w, int y, int x, int max, enum role r, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Fill row y of w with one role (selection bars). */
void ui_fill_row(const struct ui *u, WINDOW *w, int y, enum role r);

/* bytes as "12.34 GiB" / "+1.23 GiB" into b (n bytes); returns b. */
const char *ui_gib(char *b, size_t n, double bytes);
const char *ui_signed_gib(char *b, size_t n, double bytes);

/* The colour of a fit level, and of a verdict. */
enum role ui_fit_role(enum fit_level f);
enum role ui_verdict_role(enum verdict v);

/* One segment of a stacked bar: what it is and its bytes. */
struct bar_seg {
	enum segment kind;
	uint64_t bytes;
};

/* A stacked bar of width cells at (y, x): the n segments scaled to
 * max(capacity, their sum), free cells up to the capacity, and the
 * capacity marker (red inside the bar when the segments pass it). */
void ui_draw_bar(const struct ui *u, WINDOW *w, int y, int x, int width, const struct bar_seg *sg,
                 int n, uint64_t capacity);

/* The same with the scale given: full_bytes fill the bar (rows of a
 * table share one scale so their bars compare). */
void ui_draw_bar_scaled(const struct ui *u, WINDOW *w, int y, int x, int width,
                        const struct bar_seg *sg, int n, uint64_t capacity, uint64_t full_bytes);

/* The legend of a bar from row y: glyph, name and size of each segment,
 * wrapped onto up to max_lines lines of width columns.  Returns the
 * lines used. */
int ui_draw_legend(const struct ui *u, WINDOW *w, int y, int width, int max_lines,
                   const struct bar_seg *sg, int n);

/* text wrapped at word boundaries (textfit_wrap) over at most max_lines
 * lines of width columns from (y, x), continuation lines indented by hang
 * more; when the lines run out the last one ends with an ellipsis.
 * Returns the lines used. */
int ui_put_wrapped(const struct ui *u, WINDOW *w, int y, int x, int width, int max_lines,
                   enum role r, const char *text, int hang);

/* One line of prose (a verdict, a hint, a status) in width columns:
 * whole when it fits, else shortened at a word boundary with an
 * ellipsis (textfit.h), never cut inside a word.  Returns the columns
 * written.  The printf form takes 512 bytes at most. */
int ui_put_fit(const struct ui *u, WINDOW *w, int y, int x, int width, enum role r,
               const char *text);
int ui_put_fitf(const struct ui *u, WINDOW *w, int y, int x, int width, enum role r,
                const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* The ellipsis a shortened line ends with: "…", or "..." in ASCII. */
const char *ui_ellipsis(const struct ui *u);

/* n lines of text from line `scroll` (clamped to the last screenful), one
 * per row; a line starting with two capitals is a heading. */
void ui_draw_lines(struct ui *u, WINDOW *w, const char (*text)[SESSION_LINE_MAX], int n,
                   int scroll);

/* ---- the boxes and views, one file each ---- */

/* main_view.c: the sliders box (also beside the what-if view), the memory
 * bars box, and the hardware list (keeps its scroll position in u). */
void ui_draw_sliders(const struct ui *u, const struct session *s, WINDOW *w);
void ui_draw_bars(const struct ui *u, const struct session *s, WINDOW *w);

/* Rows the bars box needs for the live evaluation (a bar per device). */
int ui_bars_rows(const struct session *s);
void ui_draw_hardware(struct ui *u, const struct session *s, WINDOW *w);

/* compare_view.c: every quantization at the live settings. */
void ui_draw_compare(struct ui *u, const struct session *s, WINDOW *w);

/* whatif_view.c: pinned A beside live B. */
void ui_draw_whatif(struct ui *u, const struct session *s, WINDOW *w);

/* plan_view.c: the solvers' answers, speed and launch commands. */
void ui_draw_plan(struct ui *u, const struct session *s, WINDOW *w);

/* The speed of the live settings and the launch commands (the
 * evaluation's results.ev.speed and s->plan.launch) from row y of w, as many lines as fit: the plan
 * view and, from 160 columns, the main view (BOX_EXTRA).  Returns the row after the last one used.
 */
int ui_draw_speed_launch(const struct ui *u, const struct session *s, WINDOW *w, int y);

/* text_view.c: the explain and help views (scrolled text). */
void ui_draw_explain(struct ui *u, const struct session *s, WINDOW *w);
void ui_draw_help(struct ui *u, const struct session *s, WINDOW *w);

/* rank_view.c: the models view. */
void ui_draw_rank(struct ui *u, const struct session *s, WINDOW *w);

/* chart_view.c: the chart view. */
void ui_draw_chart(struct ui *u, const struct session *s, WINDOW *w);

/* popup.c: the picker or prompt over the current view. */
void ui_draw_popup(struct ui *u, const struct session *s, WINDOW *w);

/* Lines of the help screen (text_view.c). */
int ui_help_lines(const struct ui *u);

/* Map a wget_wch result onto a keys.h code (-1: ignore; frame.c). */
int ui_map_key(int status, wint_t ch);

/* The layout kind a view uses. */
enum layout_kind ui_view_layout(enum view v);

#endif

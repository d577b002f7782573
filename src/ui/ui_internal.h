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
	WINDOW *win[BOX_COUNT];
	WINDOW *popup;
	int hw_top, cmp_top; /* first visible row of the scrolled lists */
	int pick_top;
	int rank_top; /* first visible row of the models view */
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

/* Text helpers shared by the view files: write s at (y, x) in role r,
 * clipped to max columns and the window (returns the columns written);
 * the printf form; fill a row with one role (selection bars). */
int ui_put(const struct ui *u, WINDOW *w, int y, int x, int max, enum role r, const char *s);
int ui_putf(const struct ui *u, WINDOW *w, int y, int x, int max, enum role r, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
void ui_fill_row(const struct ui *u, WINDOW *w, int y, enum role r);

/* The models view (rank_view.c). */
void ui_draw_rank(struct ui *u, const struct session *s, WINDOW *w);

/* The chart view (chart_view.c). */
void ui_draw_chart(struct ui *u, const struct session *s, WINDOW *w);

/* Lines of the help screen. */
int ui_help_lines(const struct ui *u);

/* Map a wget_wch result onto a keys.h code (-1: ignore). */
int ui_map_key(int status, wint_t ch);

/* The layout kind a view uses. */
enum layout_kind ui_view_layout(enum view v);

#endif

/*
 * layout.h - where each part of the interactive view goes, as a pure
 * function of the terminal size and the view.
 *
 * State layer: no curses.  The ui layer turns the rectangles into windows;
 * the unit tests sweep terminal sizes and check the invariants (every box
 * inside the screen, no two boxes overlapping, the notice below the
 * minimum size).
 */
#ifndef VRAMCALC_LAYOUT_H
#define VRAMCALC_LAYOUT_H

#include <stdbool.h>

/* A rectangle in screen cells; h == 0 or w == 0 means "not shown". */
struct rect {
	int y, x, h, w;
};

/* The boxes of a screen. */
enum layout_box {
	BOX_TITLE,    /* one line: model, total, fit */
	BOX_SLIDERS,  /* one row per slider */
	BOX_BARS,     /* stacked bars against the GPU and host memory */
	BOX_HARDWARE, /* the hardware list sorted by fit */
	BOX_BODY,     /* a view's text or table (compare, explain, what-if, help) */
	BOX_STATUS,   /* one line: warnings, errors, confirmations */
	BOX_KEYS,     /* one line: the key bar */
	BOX_COUNT
};

/* Which arrangement a view uses. */
enum layout_kind {
	LAYOUT_MAIN,  /* sliders, bars, hardware list */
	LAYOUT_SPLIT, /* sliders beside (or above) a body: the what-if view */
	LAYOUT_FULL,  /* one body: compare, explain, help */
};

/* Smallest terminal that gets the full view; below it, the notice.  Views
 * with sliders need more rows: 3 + sliders + 7 (see layout.min_rows). */
#define LAYOUT_MIN_COLS 64
#define LAYOUT_MIN_ROWS 20

/* Columns of one slider row (relative to the slider box). */
struct slider_cols {
	int label_x, label_w;
	int value_x, value_w;
	int track_x, track_w; /* track_w 0: no track */
	int hint_x, hint_w;   /* hint_w 0: no key hints */
};

/* A computed layout. */
struct layout {
	int rows, cols;
	bool too_small;         /* only `notice` is meaningful */
	int min_rows, min_cols; /* the size this view needs */
	struct rect notice;     /* where the "terminal too small" text goes */
	struct rect box[BOX_COUNT];
	struct rect popup;     /* modal picker or prompt, over the rest */
	struct slider_cols sl; /* slider row columns */
};

/* Lay out a rows x cols terminal for a view with n_sliders slider rows.
 * rows and cols may be anything (even 0 or negative: too small). */
void layout_compute(int rows, int cols, enum layout_kind kind, int n_sliders, struct layout *out);

/* True when r lies inside a rows x cols screen (empty rectangles do). */
bool rect_inside(const struct rect *r, int rows, int cols);

/* True when two non-empty rectangles share a cell. */
bool rect_overlap(const struct rect *a, const struct rect *b);

/* True when (y, x) lies in r. */
bool rect_contains(const struct rect *r, int y, int x);

#endif

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
	BOX_EXTRA,    /* main view from EXTRA_COLS: speed and launch commands */
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

/* What else the arrangement depends on (bit mask). */
enum layout_flag {
	LAYOUT_HW_FOCUS = 1 << 0, /* main view: the hardware list has the focus */
};

/* From this width (and enough rows) the main view also shows the speed and
 * the launch commands (BOX_EXTRA). */
#define LAYOUT_EXTRA_COLS 160

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
	/* Main view: no room for the hardware list beside or below the
	 * sliders, so it is drawn only while it has the focus (Tab), in
	 * place of the sliders.  Focus goes only to what is drawn. */
	bool hw_toggle;
};

/* Lay out a rows x cols terminal for a view with n_sliders slider rows.
 * rows and cols may be anything (even 0 or negative: too small). */
void layout_compute(int rows, int cols, enum layout_kind kind, int n_sliders, struct layout *out);

/* The same with layout flags (enum layout_flag) and the rows the bars
 * box wants (0: the default); where the speed box is laid out, the bars
 * get what they want (at least 6) and the speed box the rest. */
void layout_compute_flags(int rows, int cols, enum layout_kind kind, int n_sliders, unsigned flags,
                          int bars_rows, struct layout *out);

/* One column of a table row. */
struct table_col {
	int min_w; /* columns it needs */
	int max_w; /* > min_w: it grows into room left over, up to max_w (a bar) */
	int drop;  /* 0: always shown; else dropped, lowest first, while the row is too wide */
	int x, w;  /* out: where it starts and its width; w == 0: dropped */
};

/* Place n columns left to right with gap spaces between them in width
 * columns: drop columns in ascending drop order until the rest fit, then
 * give the room left to the first growing column.  Columns with drop 0
 * stay even when they overflow (the caller clips).  Returns the columns
 * used. */
int layout_table(struct table_col *c, int n, int width, int gap);

/* The compare view's columns, in the order drawn. */
enum compare_col {
	CC_QUANT,   /* "* Q4_K_M" */
	CC_ENGINE,  /* llama.cpp or vLLM */
	CC_BPW,     /* bits per weight */
	CC_WEIGHTS, /* GiB */
	CC_KV,      /* GiB */
	CC_TOTAL,   /* GiB */
	CC_GPU,     /* GiB */
	CC_BAR,     /* the GPU part against the devices' capacity */
	CC_FIT,     /* "fits +17.73 GiB", "no, short 123.45 GiB" */
	CC_COUNT
};

/* Lay out the compare view's columns for a body width cols wide: the
 * quant, total, GPU and fit columns always, the bar from 10 cells, then
 * bpw, KV, weights and engine as room allows. */
void layout_compare_columns(int cols, struct table_col c[CC_COUNT]);

/* True when r lies inside a rows x cols screen (empty rectangles do). */
bool rect_inside(const struct rect *r, int rows, int cols);

/* True when two non-empty rectangles share a cell. */
bool rect_overlap(const struct rect *a, const struct rect *b);

/* True when (y, x) lies in r. */
bool rect_contains(const struct rect *r, int y, int x);

#endif

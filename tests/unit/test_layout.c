/*
 * test_layout.c - the layout as a pure function: swept over every terminal
 * size from 1x1 to 300x100 for each arrangement, every box lies inside the
 * screen, no two boxes overlap, and below the minimum only the notice is
 * laid out.
 */
#include <criterion/criterion.h>

#include "layout.h"
#include "session.h"

static const enum layout_kind kinds[] = {LAYOUT_MAIN, LAYOUT_SPLIT, LAYOUT_FULL};

static void check_one_flags(int rows, int cols, enum layout_kind kind, unsigned flags)
{
	struct layout l;
	layout_compute_flags(rows, cols, kind, SL_COUNT, flags, (rows + cols) % 17, &l);
	cr_assert_eq(l.rows, rows);
	cr_assert_eq(l.cols, cols);
	bool small = rows < l.min_rows || cols < l.min_cols;
	cr_assert_eq(l.too_small, small, "%dx%d kind %d: too_small %d", cols, rows, kind,
	             l.too_small);
	if (small) {
		/* The notice covers the screen; nothing else is laid out. */
		cr_assert(rect_inside(&l.notice, rows, cols));
		cr_assert(l.notice.h == rows && l.notice.w == cols, "%dx%d: notice %dx%d", cols,
		          rows, l.notice.w, l.notice.h);
		for (int i = 0; i < BOX_COUNT; i++)
			cr_assert(l.box[i].h == 0 && l.box[i].w == 0);
		return;
	}
	for (int i = 0; i < BOX_COUNT; i++) {
		cr_assert(rect_inside(&l.box[i], rows, cols),
		          "%dx%d kind %d: box %d at %d,%d %dx%d", cols, rows, kind, i, l.box[i].x,
		          l.box[i].y, l.box[i].w, l.box[i].h);
		for (int j = i + 1; j < BOX_COUNT; j++)
			cr_assert(!rect_overlap(&l.box[i], &l.box[j]),
			          "%dx%d kind %d: boxes %d and %d overlap", cols, rows, kind, i, j);
	}
	cr_assert(rect_inside(&l.popup, rows, cols));
	cr_assert(l.popup.h >= 5 && l.popup.w >= 20);
	/* One line each for title, status and key bar, full width. */
	cr_assert_eq(l.box[BOX_TITLE].h, 1);
	cr_assert_eq(l.box[BOX_STATUS].h, 1);
	cr_assert_eq(l.box[BOX_KEYS].h, 1);
	cr_assert_eq(l.box[BOX_KEYS].w, cols);
	switch (kind) {
	case LAYOUT_MAIN:
		/* The hardware list is drawn, or (no room) it takes the
		 * sliders' place while focused: focus never goes to something
		 * undrawn. */
		if (l.hw_toggle && (flags & LAYOUT_HW_FOCUS)) {
			cr_assert_eq(l.box[BOX_SLIDERS].h, 0);
			cr_assert_eq(l.box[BOX_HARDWARE].h, SL_COUNT);
		} else {
			cr_assert_eq(l.box[BOX_SLIDERS].h, SL_COUNT);
			cr_assert_eq(l.box[BOX_HARDWARE].h == 0, l.hw_toggle, "%dx%d", cols, rows);
		}
		if (l.box[BOX_HARDWARE].h)
			cr_assert_geq(l.box[BOX_HARDWARE].h, 2 + 5, "%dx%d: hardware %d rows", cols,
			              rows, l.box[BOX_HARDWARE].h);
		cr_assert_geq(l.box[BOX_BARS].h, 6, "%dx%d: bars %d rows", cols, rows,
		              l.box[BOX_BARS].h);
		cr_assert_eq(l.box[BOX_BODY].h, 0);
		if (cols >= 110)
			cr_assert(!l.hw_toggle && l.box[BOX_HARDWARE].h > 0,
			          "%dx%d: no hardware list", cols, rows);
		/* speed and launch commands from 160 columns with rows to spare
		 * (35 rows with the 14 sliders) */
		cr_assert_eq(l.box[BOX_EXTRA].h > 0,
		             cols >= LAYOUT_EXTRA_COLS && rows >= 21 + SL_COUNT,
		             "%dx%d: extra %d rows", cols, rows, l.box[BOX_EXTRA].h);
		if (l.box[BOX_EXTRA].h)
			cr_assert_geq(l.box[BOX_EXTRA].h, 10);
		break;
	case LAYOUT_SPLIT:
		cr_assert_eq(l.box[BOX_EXTRA].h, 0);
		cr_assert_eq(l.box[BOX_SLIDERS].h, SL_COUNT);
		cr_assert_geq(l.box[BOX_BODY].h, 6);
		break;
	case LAYOUT_FULL:
		cr_assert_eq(l.box[BOX_SLIDERS].h, 0);
		cr_assert_eq(l.box[BOX_BODY].h, rows - 3);
		break;
	}
	/* Slider columns: in order, inside the slider box. */
	if (l.box[BOX_SLIDERS].w) {
		const struct slider_cols *c = &l.sl;
		int w = l.box[BOX_SLIDERS].w;
		cr_assert(c->label_x >= 1 && c->value_x >= c->label_x + c->label_w);
		cr_assert(c->value_x + c->value_w <= w);
		cr_assert_geq(c->value_w, 16, "%dx%d: value column %d", cols, rows, c->value_w);
		if (c->track_w)
			cr_assert(c->track_x >= c->value_x + c->value_w &&
			          c->track_x + c->track_w <= w);
		if (c->hint_w)
			cr_assert(c->hint_x >= c->track_x + c->track_w &&
			          c->hint_x + c->hint_w <= w);
	}
}

static void check_one(int rows, int cols, enum layout_kind kind)
{
	check_one_flags(rows, cols, kind, 0);
	check_one_flags(rows, cols, kind, LAYOUT_HW_FOCUS);
}

Test(layout, every_size_from_1x1_to_300x100)
{
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (int rows = 1; rows <= 100; rows++)
			for (int cols = 1; cols <= 300; cols++)
				check_one(rows, cols, kinds[k]);
}

/* Every view, through the arrangement it uses (the plan view included),
 * keeps the invariants at every size. */
Test(layout, every_view_at_every_size)
{
	for (int v = 0; v < VIEW_COUNT; v++) {
		enum layout_kind kind = session_view_layout((enum view)v);
		cr_assert(kind == LAYOUT_MAIN || kind == LAYOUT_SPLIT || kind == LAYOUT_FULL);
		for (int rows = 1; rows <= 100; rows++)
			for (int cols = 1; cols <= 300; cols += 3)
				check_one(rows, cols, kind);
	}
	cr_assert_eq(session_view_layout(VIEW_MAIN), LAYOUT_MAIN);
	cr_assert_eq(session_view_layout(VIEW_WHATIF), LAYOUT_SPLIT);
	cr_assert_eq(session_view_layout(VIEW_PLAN), LAYOUT_FULL);
}

Test(layout, the_plan_view_shows_every_solver_row_at_its_minimum_size)
{
	struct layout l;
	layout_compute(1, 1, session_view_layout(VIEW_PLAN), SL_COUNT, &l);
	layout_compute(l.min_rows, l.min_cols, session_view_layout(VIEW_PLAN), SL_COUNT, &l);
	cr_assert(!l.too_small);
	/* header, column heads, one row per solver, the selected answer's
	 * line, then the speed section's header and three lines */
	cr_assert_geq(l.box[BOX_BODY].h, 2 + SOLVE_COUNT + 1 + 1 + 4);
}

Test(layout, degenerate_sizes_are_too_small_without_a_notice_box)
{
	struct layout l;
	layout_compute(0, 0, LAYOUT_MAIN, SL_COUNT, &l);
	cr_assert(l.too_small);
	cr_assert_eq(l.notice.h, 0);
	layout_compute(-5, 80, LAYOUT_FULL, SL_COUNT, &l);
	cr_assert(l.too_small);
	cr_assert_eq(l.notice.w, 0);
}

Test(layout, the_minimum_fits_every_slider_and_the_bars)
{
	struct layout l;
	layout_compute(LAYOUT_MIN_ROWS, LAYOUT_MIN_COLS, LAYOUT_MAIN, SL_COUNT, &l);
	cr_assert(l.too_small, "3 + 13 sliders + gap + 6 bar rows is more than %d",
	          LAYOUT_MIN_ROWS);
	layout_compute(l.min_rows, l.min_cols, LAYOUT_MAIN, SL_COUNT, &l);
	cr_assert(!l.too_small);
	cr_assert_eq(l.min_rows, 3 + SL_COUNT + 1 + 6);
	layout_compute(24, 80, LAYOUT_MAIN, SL_COUNT, &l);
	cr_assert(!l.too_small, "the classic 80x24 terminal gets the full view");
	layout_compute(24, 80, LAYOUT_FULL, SL_COUNT, &l);
	cr_assert(!l.too_small);
}

Test(layout, at_80x24_tab_shows_the_hardware_list_in_place_of_the_sliders)
{
	struct layout l;
	layout_compute_flags(24, 80, LAYOUT_MAIN, SL_COUNT, 0, 0, &l);
	cr_assert(l.hw_toggle);
	cr_assert_eq(l.box[BOX_HARDWARE].h, 0);
	struct rect bars = l.box[BOX_BARS];
	layout_compute_flags(24, 80, LAYOUT_MAIN, SL_COUNT, LAYOUT_HW_FOCUS, 0, &l);
	cr_assert(l.hw_toggle);
	cr_assert_eq(l.box[BOX_SLIDERS].h, 0);
	cr_assert_eq(l.box[BOX_HARDWARE].y, 1);
	cr_assert_eq(l.box[BOX_HARDWARE].h, SL_COUNT); /* header, heads, 11 devices */
	cr_assert_eq(l.box[BOX_HARDWARE].w, 80);
	/* the bars stay where they were */
	cr_assert(l.box[BOX_BARS].y == bars.y && l.box[BOX_BARS].h == bars.h);
	/* taller: the list goes below the bars and Tab only moves focus */
	layout_compute_flags(40, 80, LAYOUT_MAIN, SL_COUNT, LAYOUT_HW_FOCUS, 0, &l);
	cr_assert(!l.hw_toggle);
	cr_assert_eq(l.box[BOX_SLIDERS].h, SL_COUNT);
	cr_assert_gt(l.box[BOX_HARDWARE].y, l.box[BOX_BARS].y);
}

Test(layout, from_160_columns_the_speed_box_fills_the_left_column)
{
	struct layout l;
	layout_compute(60, 200, LAYOUT_MAIN, SL_COUNT, &l);
	const struct rect *x = &l.box[BOX_EXTRA], *b = &l.box[BOX_BARS];
	cr_assert_eq(x->x, 0);
	cr_assert_eq(x->w, b->w);
	cr_assert_gt(x->y, b->y + b->h - 1);
	cr_assert_eq(x->y + x->h, 60 - 2, "down to the status line");
	cr_assert_eq(b->h, 12);
	/* the bars get the rows they ask for, the speed box the rest */
	layout_compute_flags(40, 160, LAYOUT_MAIN, SL_COUNT, 0, 7, &l);
	cr_assert_eq(l.box[BOX_BARS].h, 7);
	cr_assert_eq(l.box[BOX_EXTRA].h, 40 - 3 - SL_COUNT - 1 - 7 - 1);
	layout_compute_flags(40, 160, LAYOUT_MAIN, SL_COUNT, 0, 30, &l);
	cr_assert_geq(l.box[BOX_EXTRA].h, 10, "the speed box keeps its minimum");
	layout_compute(60, 159, LAYOUT_MAIN, SL_COUNT, &l);
	cr_assert_eq(l.box[BOX_EXTRA].h, 0);
}

Test(layout, wide_main_view_puts_the_hardware_list_beside)
{
	struct layout l;
	layout_compute(40, 160, LAYOUT_MAIN, SL_COUNT, &l);
	const struct rect *hw = &l.box[BOX_HARDWARE], *sl = &l.box[BOX_SLIDERS];
	cr_assert_gt(hw->x, sl->x + sl->w - 1);
	cr_assert_eq(hw->y, 1);
	cr_assert_eq(hw->h, 40 - 3);
	cr_assert_eq(hw->x + hw->w, 160);
}

Test(layout, rect_helpers)
{
	struct rect a = {0, 0, 2, 2}, b = {1, 1, 2, 2}, c = {2, 2, 1, 1}, e = {5, 5, 0, 0};
	cr_assert(rect_overlap(&a, &b));
	cr_assert(!rect_overlap(&a, &c));
	cr_assert(!rect_overlap(&a, &e));
	cr_assert(rect_contains(&b, 2, 2));
	cr_assert(!rect_contains(&b, 3, 2));
	cr_assert(rect_inside(&e, 1, 1), "empty rectangles are inside anything");
	cr_assert(!rect_inside(&b, 2, 3));
}

Test(layout, table_columns_drop_in_order_and_the_bar_takes_the_rest)
{
	struct table_col c[CC_COUNT];
	for (int cols = 20; cols <= 300; cols++) {
		layout_compare_columns(cols, c);
		int end = 0;
		for (int i = 0; i < CC_COUNT; i++) {
			if (!c[i].w)
				continue;
			cr_assert_geq(c[i].x, end, "%d cols: column %d overlaps", cols, i);
			end = c[i].x + c[i].w + 1;
		}
		if (cols >= 66)
			cr_assert_leq(end - 1, cols, "%d cols: the row overflows", cols);
		/* the fit column is whole wherever the view is drawn */
		cr_assert_eq(c[CC_FIT].w, 20);
		cr_assert(c[CC_QUANT].w && c[CC_TOTAL].w && c[CC_GPU].w);
		/* a column never shows while one dropped before it is hidden */
		if (c[CC_BPW].w)
			cr_assert(c[CC_BAR].w);
		if (c[CC_KV].w)
			cr_assert(c[CC_BPW].w);
		if (c[CC_WEIGHTS].w)
			cr_assert(c[CC_KV].w);
		if (c[CC_ENGINE].w)
			cr_assert(c[CC_WEIGHTS].w);
	}
	/* the classic terminal: fit whole, a bar, bits per weight */
	layout_compare_columns(80, c);
	cr_assert_geq(c[CC_BAR].w, 10);
	cr_assert(c[CC_BPW].w);
	cr_assert_eq(c[CC_ENGINE].w, 0);
	layout_compare_columns(200, c);
	for (int i = 0; i < CC_COUNT; i++)
		cr_assert(c[i].w, "200 columns show column %d", i);
	cr_assert_eq(c[CC_BAR].w, 40);
}

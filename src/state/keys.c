/*
 * keys.c - the key table of the interactive view.
 *
 * One row per binding; several rows may share an action (arrows and hjkl).
 * The key bar shows the rows with a bar label that apply to the view, in
 * table order, so the order here is the order on the bar.
 */
#include "keys.h"

#include <assert.h>
#include <stdbool.h>

#include "textfit.h"

#define ALL   KEYS_EVERYWHERE
#define MAIN  KEYS_IN_MAIN
#define CMP   KEYS_IN_COMPARE
#define EXP   KEYS_IN_EXPLAIN
#define WIF   KEYS_IN_WHATIF
#define HLP   KEYS_IN_HELP
#define PLN   KEYS_IN_PLAN
#define RNK   KEYS_IN_RANK
#define CHT   KEYS_IN_CHART
#define VIEWS (CMP | EXP | WIF | HLP | PLN | RNK | CHT)
#define HWS   KEYS_WHEN_HW_SHOWN
#define HWF   KEYS_WHEN_HW_FOCUS
#define PIN   KEYS_WHEN_PINNED

const struct key_binding key_table[] = {
    /* Moving */
    {KEYC_UP, "Up", ACT_UP, ALL, NULL, "previous slider, list row or line", 0},
    {'k', "k", ACT_UP, ALL, NULL, "previous slider, list row or line", 0},
    {KEYC_DOWN, "Down", ACT_DOWN, ALL, NULL, "next slider, list row or line", 0},
    {'j', "j", ACT_DOWN, ALL, NULL, "next slider, list row or line", 0},
    {KEYC_LEFT, "Left", ACT_LEFT, MAIN | WIF | RNK, NULL,
     "step the focused slider down (hardware list: previous category; models view: "
     "less context)",
     0},
    {'h', "h", ACT_LEFT, MAIN | WIF | RNK, NULL,
     "step the focused slider down (hardware list: previous category; models view: "
     "less context)",
     0},
    {KEYC_RIGHT, "Right", ACT_RIGHT, MAIN | WIF | RNK, NULL,
     "step the focused slider up (hardware list: next category; models view: more "
     "context)",
     0},
    {'l', "l", ACT_RIGHT, MAIN | WIF | RNK, NULL,
     "step the focused slider up (hardware list: next category; models view: more "
     "context)",
     0},
    {'+', "+", ACT_BIG_UP, MAIN | WIF, NULL, "big step up (context and batch x4, quant 4 levels)",
     0},
    {KEYC_PGUP, "PgUp", ACT_PAGE_UP, ALL, NULL,
     "a page up in lists, tables and text (the what-if table, the plan view's text); on a "
     "main-view slider, a big step up",
     0},
    {'-', "-", ACT_BIG_DOWN, MAIN | WIF, NULL, "big step down", 0},
    {KEYC_PGDN, "PgDn", ACT_PAGE_DOWN, ALL, "more",
     "a page down in lists, tables and text (the what-if table, the plan view's text); on "
     "a main-view slider, a big step down",
     KEYS_WHEN_SCROLLS},
    {KEYC_HOME, "Home", ACT_HOME, ALL, NULL,
     "first slider, row or line (what-if view: the top of the table)", 0},
    {KEYC_END, "End", ACT_END, ALL, NULL,
     "last slider, row or line (what-if view: the end of the table)", 0},
    {KEYC_TAB, "Tab", ACT_FOCUS_NEXT, MAIN, "focus",
     "move focus between the sliders and the hardware list (where there is no room for "
     "both, the list takes the sliders' place until the next Tab)",
     0},
    {KEYC_BTAB, "Shift-Tab", ACT_FOCUS_PREV, MAIN, NULL, "move focus back", 0},
    {KEYC_ENTER, "Enter", ACT_ENTER, MAIN | WIF | CMP | PLN | RNK, NULL,
     "edit the slider (pick, type a number, toggle); in a list adopt the row (models "
     "view: open the model at its quant)",
     0},
    /* Views and tools */
    {'/', "/", ACT_SEARCH, MAIN | WIF, "search",
     "search models by name, family or size (8b, <10b); with the hardware list focused, "
     "search the devices",
     0},
    {'n', "n", ACT_NEXT_MATCH, MAIN, NULL, "hardware list: next row matching the search", HWF},
    {'N', "N", ACT_PREV_MATCH, MAIN, NULL, "hardware list: previous row matching the search", HWF},
    {'f', "f", ACT_FILTER, MAIN, "filter", "filter the hardware list by category", HWS},
    {'f', "f", ACT_FILTER, RNK, "fitting", "models view: only the models that fit, or all", 0},
    {'o', "o", ACT_SORT, RNK, "order", "models view: order by quality, size, speed or context", 0},
    {'c', "c", ACT_COMPARE, MAIN | VIEWS, "compare",
     "compare view: every quantization side by side", 0},
    {'e', "e", ACT_EXPLAIN, MAIN | VIEWS, "explain", "explain view: how each number was computed",
     0},
    {'w', "w", ACT_WHATIF, MAIN | VIEWS, "what-if", "what-if view: pinned A beside the live B", 0},
    {'d', "d", ACT_PLAN, MAIN | VIEWS, "plan",
     "plan (deploy) view: what fits at most (Enter adopts), speed, launch commands", 0},
    {'m', "m", ACT_RANK, MAIN | VIEWS, "models",
     "models view: every catalog model ranked for these devices at this context", 0},
    {'g', "g", ACT_CHART, MAIN | VIEWS, "chart",
     "chart view: GPU memory against context (b: against batch), the capacity line, the "
     "largest that fits",
     0},
    {'b', "b", ACT_CHART_AXIS, CHT, "batch/ctx",
     "chart view: switch the axis between context and batch", 0},
    {'a', "a", ACT_SET_ADD, MAIN, "add",
     "hardware list: one more of the selected device in the set (a mixed set)", HWF},
    {'r', "r", ACT_SET_REMOVE, MAIN, NULL,
     "hardware list: one fewer of the selected device in the set", HWF},
    {'p', "p", ACT_PIN, MAIN | WIF | CMP | CHT, "pin", "pin the current configuration as A", 0},
    {'P', "P", ACT_UNPIN, MAIN | WIF | CMP | CHT, NULL, "drop the pinned configuration", PIN},
    {'u', "u", ACT_UNDO, MAIN | WIF | CMP | PLN | RNK | CHT, "undo", "undo the last change", 0},
    {'U', "U", ACT_REDO, MAIN | WIF | CMP | PLN | RNK | CHT, "redo", "redo what was undone", 0},
    {'s', "s", ACT_SAVE, MAIN | WIF, "save", "save the configuration as a named session", 0},
    {'S', "S", ACT_LOAD, MAIN | WIF, "load", "load a saved session", 0},
    {KEYC_F1, "F1", ACT_HELP, ALL, "help", "this help", 0},
    {'?', "?", ACT_HELP, ALL, NULL, "this help", 0},
    {KEYC_ESC, "Esc", ACT_BACK, VIEWS, "back", "leave the view", 0},
    {'q', "q", ACT_QUIT, MAIN, "quit", "quit (in a view: back to the main view)", 0},
    {'q', "q", ACT_BACK, VIEWS, NULL, "back to the main view", 0},
    {0, NULL, 0, 0, NULL, NULL, 0},
};

int keys_lookup(int key, int view)
{
	assert(view >= 0 && view < KEYS_VIEW_COUNT);
	for (const struct key_binding *b = key_table; b->name; b++)
		if (b->key == key && (b->views & (1u << view)))
			return (int)b->action;
	return -1;
}

const struct key_binding *keys_bar_entry(int action, int view)
{
	for (const struct key_binding *b = key_table; b->name; b++)
		if ((int)b->action == action && b->bar && (b->views & (1u << view)))
			return b;
	return NULL;
}

int keys_bar_cols(const struct key_binding *b)
{
	return textfit_cols(b->name) + 1 + textfit_cols(b->bar) + 2;
}

/* Help, quit and back stay on every bar. */
static bool bar_keeps(const struct key_binding *b)
{
	return b->action == ACT_HELP || b->action == ACT_QUIT || b->action == ACT_BACK;
}

int keys_bar(int view, unsigned when, int width, const struct key_binding **out, int max)
{
	assert(view >= 0 && view < KEYS_VIEW_COUNT);
	const struct key_binding *cand[64];
	int n = 0;
	for (const struct key_binding *b = key_table; b->name && n < 64; b++) {
		if (!b->bar || !(b->views & (1u << view)) || (b->when & ~when))
			continue;
		bool dup = false;
		for (int i = 0; i < n; i++)
			dup |= cand[i]->action == b->action;
		if (!dup)
			cand[n++] = b;
	}
	/* The last entry needs no trailing spaces. */
	int total = -2;
	for (int i = 0; i < n; i++)
		total += keys_bar_cols(cand[i]);
	for (int i = n - 1; i >= 0 && total > width; i--) {
		if (bar_keeps(cand[i]))
			continue;
		total -= keys_bar_cols(cand[i]);
		cand[i] = NULL;
	}
	int k = 0;
	for (int i = 0; i < n && k < max; i++)
		if (cand[i] && (total <= width || bar_keeps(cand[i])))
			out[k++] = cand[i];
	return k;
}

/*
 * keys.c - the key table of the interactive view.
 *
 * One row per binding; several rows may share an action (arrows and hjkl).
 * The key bar shows the rows with a bar label that apply to the view, in
 * table order, so the order here is the order on the bar.
 */
#include "keys.h"

#include <assert.h>

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

const struct key_binding key_table[] = {
    /* Moving */
    {KEYC_UP, "Up", ACT_UP, ALL, NULL, "previous slider, list row or line"},
    {'k', "k", ACT_UP, ALL, NULL, "previous slider, list row or line"},
    {KEYC_DOWN, "Down", ACT_DOWN, ALL, NULL, "next slider, list row or line"},
    {'j', "j", ACT_DOWN, ALL, NULL, "next slider, list row or line"},
    {KEYC_LEFT, "Left", ACT_LEFT, MAIN | WIF | RNK, NULL,
     "step the focused slider down (hardware list: previous category; models view: "
     "less context)"},
    {'h', "h", ACT_LEFT, MAIN | WIF | RNK, NULL,
     "step the focused slider down (hardware list: previous category; models view: "
     "less context)"},
    {KEYC_RIGHT, "Right", ACT_RIGHT, MAIN | WIF | RNK, NULL,
     "step the focused slider up (hardware list: next category; models view: more "
     "context)"},
    {'l', "l", ACT_RIGHT, MAIN | WIF | RNK, NULL,
     "step the focused slider up (hardware list: next category; models view: more "
     "context)"},
    {'+', "+", ACT_BIG_UP, MAIN | WIF, NULL, "big step up (context and batch x4, quant 4 levels)"},
    {KEYC_PGUP, "PgUp", ACT_BIG_UP, ALL, NULL, "big step up; in lists and text, a page up"},
    {'-', "-", ACT_BIG_DOWN, MAIN | WIF, NULL, "big step down"},
    {KEYC_PGDN, "PgDn", ACT_BIG_DOWN, ALL, NULL, "big step down; in lists and text, a page down"},
    {KEYC_HOME, "Home", ACT_HOME, ALL, NULL, "first slider, row or line"},
    {KEYC_END, "End", ACT_END, ALL, NULL, "last slider, row or line"},
    {KEYC_TAB, "Tab", ACT_FOCUS_NEXT, MAIN, "focus",
     "move focus between the sliders and the hardware list"},
    {KEYC_BTAB, "Shift-Tab", ACT_FOCUS_PREV, MAIN, NULL, "move focus back"},
    {KEYC_ENTER, "Enter", ACT_ENTER, MAIN | WIF | CMP | PLN | RNK, NULL,
     "edit the slider (pick, type a number, toggle); in a list adopt the row (models "
     "view: open the model at its quant)"},
    /* Views and tools */
    {'/', "/", ACT_SEARCH, MAIN | WIF, "search",
     "search models by name, family or size (8b, <10b); with the hardware list focused, "
     "search the devices"},
    {'n', "n", ACT_NEXT_MATCH, MAIN, NULL, "hardware list: next row matching the search"},
    {'N', "N", ACT_PREV_MATCH, MAIN, NULL, "hardware list: previous row matching the search"},
    {'f', "f", ACT_FILTER, MAIN, "filter", "filter the hardware list by category"},
    {'f', "f", ACT_FILTER, RNK, "fitting", "models view: only the models that fit, or all"},
    {'o', "o", ACT_SORT, RNK, "order", "models view: order by quality, size, speed or context"},
    {'c', "c", ACT_COMPARE, MAIN | VIEWS, "compare",
     "compare view: every quantization side by side"},
    {'e', "e", ACT_EXPLAIN, MAIN | VIEWS, "explain", "explain view: how each number was computed"},
    {'w', "w", ACT_WHATIF, MAIN | VIEWS, "what-if", "what-if view: pinned A beside the live B"},
    {'d', "d", ACT_PLAN, MAIN | VIEWS, "plan",
     "plan (deploy) view: what fits at most (Enter adopts), speed, launch commands"},
    {'m', "m", ACT_RANK, MAIN | VIEWS, "models",
     "models view: every catalog model ranked for these devices at this context"},
    {'g', "g", ACT_CHART, MAIN | VIEWS, "chart",
     "chart view: GPU memory against context (b: against batch), the capacity line, the "
     "largest that fits"},
    {'b', "b", ACT_CHART_AXIS, CHT, "batch/ctx",
     "chart view: switch the axis between context and batch"},
    {'a', "a", ACT_SET_ADD, MAIN, "add",
     "hardware list: one more of the selected device in the set (a mixed set)"},
    {'r', "r", ACT_SET_REMOVE, MAIN, NULL,
     "hardware list: one fewer of the selected device in the set"},
    {'p', "p", ACT_PIN, MAIN | WIF | CMP, "pin", "pin the current configuration as A"},
    {'P', "P", ACT_UNPIN, MAIN | WIF | CMP, NULL, "drop the pinned configuration"},
    {'u', "u", ACT_UNDO, MAIN | WIF | CMP | PLN | RNK | CHT, "undo", "undo the last change"},
    {'U', "U", ACT_REDO, MAIN | WIF | CMP | PLN | RNK | CHT, "redo", "redo what was undone"},
    {'s', "s", ACT_SAVE, MAIN | WIF, "save", "save the configuration as a named session"},
    {'S', "S", ACT_LOAD, MAIN | WIF, "load", "load a saved session"},
    {KEYC_F1, "F1", ACT_HELP, ALL, "help", "this help"},
    {'?', "?", ACT_HELP, ALL, NULL, "this help"},
    {KEYC_ESC, "Esc", ACT_BACK, VIEWS, "back", "leave the view"},
    {'q', "q", ACT_QUIT, MAIN, "quit", "quit (in a view: back to the main view)"},
    {'q', "q", ACT_BACK, VIEWS, NULL, "back to the main view"},
    {0, NULL, 0, 0, NULL, NULL},
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

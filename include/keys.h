/*
 * keys.h - the key table: every key binding of the interactive view as one
 * row (key, action, where it applies, key-bar label, help text).
 *
 * State layer, pure data.  The help screen, the bottom key bar and the man
 * page's KEYS section all follow this table.  Keys are plain characters or
 * the KEYC_ codes below; the ui layer maps curses key codes onto them, so
 * nothing here needs curses.
 */
#ifndef VRAMCALC_KEYS_H
#define VRAMCALC_KEYS_H

#include <stddef.h>

/* Special keys, outside Unicode. */
enum keycode {
	KEYC_UP = 0x110000,
	KEYC_DOWN,
	KEYC_LEFT,
	KEYC_RIGHT,
	KEYC_PGUP,
	KEYC_PGDN,
	KEYC_HOME,
	KEYC_END,
	KEYC_ENTER,
	KEYC_ESC,
	KEYC_TAB,
	KEYC_BTAB,
	KEYC_BACKSPACE,
	KEYC_CTRL_U, /* clear a typed line */
	KEYC_F1,     /* help, as in htop and mc */
};

/* What a key does. */
enum action {
	ACT_UP,
	ACT_DOWN,
	ACT_LEFT,
	ACT_RIGHT,
	ACT_BIG_UP,
	ACT_BIG_DOWN,
	ACT_PAGE_UP,   /* PgUp: a page up in lists, tables and text; a big step on a slider */
	ACT_PAGE_DOWN, /* PgDn */
	ACT_HOME,
	ACT_END,
	ACT_FOCUS_NEXT,
	ACT_FOCUS_PREV,
	ACT_ENTER,
	ACT_SEARCH,
	ACT_NEXT_MATCH, /* n: the next row matching the last search */
	ACT_PREV_MATCH, /* N: the previous one */
	ACT_FILTER,
	ACT_HELP,
	ACT_COMPARE,
	ACT_EXPLAIN,
	ACT_WHATIF,
	ACT_PLAN,
	ACT_RANK,       /* the models view: the catalog ranked for the devices */
	ACT_CHART,      /* the chart view: memory against context or batch */
	ACT_CHART_AXIS, /* the chart's x axis: context or batch */
	ACT_SORT,       /* the models view's order */
	ACT_SET_ADD,    /* one more of the selected device in the set */
	ACT_SET_REMOVE, /* one fewer */
	ACT_PIN,
	ACT_UNPIN,
	ACT_UNDO,
	ACT_REDO,
	ACT_SAVE,
	ACT_LOAD,
	ACT_BACK,
	ACT_QUIT,
	ACT_COUNT
};

/* Where a binding applies (bit mask of views, see session.h enum view). */
#define KEYS_IN_MAIN    (1u << 0)
#define KEYS_IN_COMPARE (1u << 1)
#define KEYS_IN_EXPLAIN (1u << 2)
#define KEYS_IN_WHATIF  (1u << 3)
#define KEYS_IN_HELP    (1u << 4)
#define KEYS_IN_PLAN    (1u << 5)
#define KEYS_IN_RANK    (1u << 6)
#define KEYS_IN_CHART   (1u << 7)
#define KEYS_EVERYWHERE 0xffu
#define KEYS_VIEW_COUNT 8 /* views the masks cover (session.h VIEW_COUNT) */

/* What the screen offers beyond its view, for bindings that only make
 * sense then (bit mask): the key bar leaves them off otherwise. */
#define KEYS_WHEN_HW_SHOWN (1u << 0) /* the hardware list is drawn */
#define KEYS_WHEN_HW_FOCUS (1u << 1) /* the hardware list has the focus */
#define KEYS_WHEN_PINNED   (1u << 2) /* a configuration is pinned as A */
#define KEYS_WHEN_SCROLLS  (1u << 3) /* the view's text goes on past the screen */

/* One key binding. */
struct key_binding {
	int key;          /* character or enum keycode */
	const char *name; /* as the help screen writes it: "PgUp", "k" */
	enum action action;
	unsigned views;   /* KEYS_IN_* mask */
	const char *bar;  /* key-bar label, or NULL to leave it off the bar */
	const char *help; /* one line for the help screen and man page */
	unsigned when;    /* KEYS_WHEN_* the bar needs to offer it (0: always) */
};

/* The table, ending with a row whose name is NULL. */
extern const struct key_binding key_table[];

/* The action bound to key in view (enum view), or -1. */
int keys_lookup(int key, int view);

/* The binding shown on the key bar for an action in a view (first row
 * with a bar label), or NULL. */
const struct key_binding *keys_bar_entry(int action, int view);

/* Columns an entry takes on the key bar: "name label" and two spaces. */
int keys_bar_cols(const struct key_binding *b);

/* The key bar of view (enum view) when the screen offers `when`
 * (KEYS_WHEN_*), for width columns: one entry per action with a bar label
 * that applies, in table order; entries are dropped from the end until
 * the rest fit, except help, quit and back, which always stay (they come
 * last).  Writes up to max entries into out and returns the count. */
int keys_bar(int view, unsigned when, int width, const struct key_binding **out, int max);

#endif

/*
 * test_keys.c - the man page's KEYS section against the key table: every
 * key of the table has a tagged paragraph, and every tagged key is in the
 * table, so neither can drift from the other.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"

#define MAN_PATH "man/vramcalc.1"
#define TAGS_MAX 128
#define TAG_LEN  32

/* The keys named on the tag lines (the line after .TP) of the KEYS
 * section: ".BR Up \", \" k" gives Up and k; "\-" is "-". */
static int man_key_tags(char tags[][TAG_LEN], int max)
{
	FILE *f = fopen(MAN_PATH, "r");
	cr_assert_not_null(f, "cannot open %s", MAN_PATH);
	char line[1024];
	bool in_keys = false, tag_next = false;
	int n = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, ".SH", 3)) {
			in_keys = !strcmp(line, ".SH KEYS");
			continue;
		}
		if (!in_keys)
			continue;
		if (!strcmp(line, ".TP")) {
			tag_next = true;
			continue;
		}
		if (!tag_next)
			continue;
		tag_next = false;
		cr_assert(!strncmp(line, ".B ", 3) || !strncmp(line, ".BR ", 4),
		          "KEYS tag line is not .B or .BR: %s", line);
		char *p = strchr(line, ' ') + 1;
		for (char *w = strtok(p, " "); w; w = strtok(NULL, " ")) {
			if (!strcmp(w, "\",") || !strcmp(w, "\""))
				continue;
			cr_assert_lt(n, max);
			if (!strcmp(w, "\\-"))
				w = "-";
			snprintf(tags[n++], TAG_LEN, "%s", w);
		}
	}
	fclose(f);
	return n;
}

static bool in_tags(char tags[][TAG_LEN], int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(tags[i], name))
			return true;
	return false;
}

Test(keys_man, every_table_key_is_documented)
{
	char tags[TAGS_MAX][TAG_LEN];
	int n = man_key_tags(tags, TAGS_MAX);
	cr_assert_gt(n, 20, "only %d keys tagged in the KEYS section", n);
	for (const struct key_binding *b = key_table; b->name; b++)
		cr_expect(in_tags(tags, n, b->name), "key '%s' (%s) is not in the man page's KEYS",
		          b->name, b->help);
}

Test(keys_man, every_documented_key_is_in_the_table)
{
	char tags[TAGS_MAX][TAG_LEN];
	int n = man_key_tags(tags, TAGS_MAX);
	for (int i = 0; i < n; i++) {
		bool found = false;
		for (const struct key_binding *b = key_table; b->name && !found; b++)
			found = !strcmp(b->name, tags[i]);
		cr_expect(found, "the man page's KEYS names '%s', which the key table lacks",
		          tags[i]);
	}
}

Test(keys_man, f1_and_question_mark_open_help_everywhere)
{
	for (int v = 0; v < KEYS_VIEW_COUNT; v++) {
		cr_expect_eq(keys_lookup(KEYC_F1, v), ACT_HELP, "view %d", v);
		cr_expect_eq(keys_lookup('?', v), ACT_HELP, "view %d", v);
	}
}

/* The key bar: only bindings whose needs the screen meets, at most the
 * width, help and quit (or back) always on it. */
static int bar_width(const struct key_binding **b, int n)
{
	int w = -2;
	for (int i = 0; i < n; i++)
		w += keys_bar_cols(b[i]);
	return w;
}

static bool bar_has(const struct key_binding **b, int n, int action)
{
	for (int i = 0; i < n; i++)
		if ((int)b[i]->action == action)
			return true;
	return false;
}

Test(keys_bar, fits_the_width_and_keeps_help_and_quit)
{
	const struct key_binding *b[64];
	for (int view = 0; view < KEYS_VIEW_COUNT; view++)
		for (int width = 20; width <= 240; width++) {
			int n = keys_bar(view, KEYS_WHEN_HW_SHOWN, width, b, 64);
			cr_assert_gt(n, 0);
			cr_assert(bar_has(b, n, ACT_HELP), "view %d width %d: no help", view,
			          width);
			cr_assert(bar_has(b, n, view == 0 ? ACT_QUIT : ACT_BACK),
			          "view %d width %d: no way out", view, width);
			if (width >= 40)
				cr_assert_leq(bar_width(b, n), width, "view %d width %d", view,
				              width);
			for (int i = 0; i < n; i++) {
				cr_assert(b[i]->views & (1u << view));
				for (int j = i + 1; j < n; j++)
					cr_assert_neq(b[i]->action, b[j]->action);
			}
		}
}

Test(keys_bar, hardware_keys_only_where_the_list_is)
{
	const struct key_binding *b[64];
	/* 80 columns, the list not drawn: no "f filter", no "a add" */
	int n = keys_bar(0, 0, 80, b, 64);
	cr_assert(!bar_has(b, n, ACT_FILTER));
	cr_assert(!bar_has(b, n, ACT_SET_ADD));
	cr_assert(bar_has(b, n, ACT_FOCUS_NEXT), "Tab shows the list: offered");
	n = keys_bar(0, KEYS_WHEN_HW_SHOWN | KEYS_WHEN_HW_FOCUS, 200, b, 64);
	cr_assert(bar_has(b, n, ACT_FILTER));
	cr_assert(bar_has(b, n, ACT_SET_ADD));
	n = keys_bar(0, KEYS_WHEN_HW_SHOWN, 200, b, 64);
	cr_assert(bar_has(b, n, ACT_FILTER));
	cr_assert(!bar_has(b, n, ACT_SET_ADD), "a adds the selected row: only with focus");
}

Test(keys, pgup_pages_and_plus_steps)
{
	cr_assert_eq(keys_lookup(KEYC_PGUP, 3), ACT_PAGE_UP, "what-if: PgUp scrolls");
	cr_assert_eq(keys_lookup(KEYC_PGDN, 1), ACT_PAGE_DOWN, "compare: PgDn pages");
	cr_assert_eq(keys_lookup('+', 3), ACT_BIG_UP, "what-if: + is the slider's big step");
	cr_assert_eq(keys_lookup('-', 0), ACT_BIG_DOWN);
}

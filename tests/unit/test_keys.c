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

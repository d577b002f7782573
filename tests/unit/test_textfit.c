/*
 * test_textfit.c - wrapping and shortening at word boundaries: lines never
 * end inside a word (unless the word is longer than a line), nothing is
 * lost when the lines suffice, a cut line says so, and UTF-8 counts by
 * code point.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "textfit.h"

/* Line i of a wrap as a string. */
static const char *line_of(const char *s, const struct text_line *l, char *buf, size_t n)
{
	size_t len = l->len < n - 1 ? l->len : n - 1;
	memcpy(buf, s + l->off, len);
	buf[len] = '\0';
	return buf;
}

Test(textfit, columns_count_code_points)
{
	cr_assert_eq(textfit_cols("abc"), 3);
	cr_assert_eq(textfit_cols("\u2588\u2588 KV"), 5);
	cr_assert_eq(textfit_bytes("\u2588\u2588 KV", 2), 6);
	cr_assert_eq(textfit_bytes("abc", 10), 3);
	cr_assert_eq(textfit_bytes("abc", 0), 0);
}

Test(textfit, the_issue_s_cut_verdict_wraps_at_words)
{
	/* "does not fit (nee" was drawn at 20 columns; now the words stay whole. */
	const char *s = "over by 3.20 GiB, does not fit (needs 2)";
	struct text_line l[4];
	char b[64];
	int n = textfit_wrap(s, 20, 0, 4, 1, l);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(line_of(s, &l[0], b, sizeof(b)), "over by 3.20 GiB,");
	cr_assert_str_eq(line_of(s, &l[1], b, sizeof(b)), "does not fit (needs");
	cr_assert_str_eq(line_of(s, &l[2], b, sizeof(b)), "2)");
	for (int i = 0; i < n; i++) {
		cr_assert(!l[i].cut);
		cr_assert_leq(l[i].cols, 20);
		cr_assert_eq(l[i].cols, textfit_cols(line_of(s, &l[i], b, sizeof(b))));
	}
}

Test(textfit, out_of_lines_the_last_is_shortened_at_a_word_with_room_for_the_ellipsis)
{
	const char *s = "Enter adopts it into the live settings (u undoes)";
	struct text_line l[1];
	char b[64];
	int n = textfit_wrap(s, 25, 0, 1, 1, l);
	cr_assert_eq(n, 1);
	cr_assert(l[0].cut);
	cr_assert_str_eq(line_of(s, &l[0], b, sizeof(b)), "Enter adopts it into the");
	cr_assert_leq(l[0].cols + 1, 25);
	/* a trailing comma is dropped before the ellipsis */
	s = "h/l 1, +/- x2, Enter types";
	n = textfit_wrap(s, 15, 0, 1, 3, l);
	cr_assert_str_eq(line_of(s, &l[0], b, sizeof(b)), "h/l 1, +/-");
	cr_assert_leq(l[0].cols + 3, 15);
	cr_assert(l[0].cut);
}

Test(textfit, hanging_indent_narrows_the_following_lines)
{
	const char *s = "aaaa bbbb cccc dddd";
	struct text_line l[4];
	char b[32];
	int n = textfit_wrap(s, 9, 2, 4, 1, l);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(line_of(s, &l[0], b, sizeof(b)), "aaaa bbbb");
	cr_assert_str_eq(line_of(s, &l[1], b, sizeof(b)), "cccc");
	cr_assert_str_eq(line_of(s, &l[2], b, sizeof(b)), "dddd");
	cr_assert_eq(textfit_lines_needed(s, 9, 2), 3);
	cr_assert_eq(textfit_lines_needed(s, 19, 0), 1);
}

Test(textfit, a_word_longer_than_a_line_is_broken_there_and_only_there)
{
	const char *s = "run /a/very/long/path/to/model.gguf now";
	struct text_line l[8];
	char b[64];
	int n = textfit_wrap(s, 10, 0, 8, 1, l);
	cr_assert_str_eq(line_of(s, &l[0], b, sizeof(b)), "run");
	cr_assert_str_eq(line_of(s, &l[1], b, sizeof(b)), "/a/very/lo");
	cr_assert_str_eq(line_of(s, &l[n - 1], b, sizeof(b)), "f now");
	/* nothing is lost: the lines put together are the text less the
	 * spaces at the breaks */
	char joined[128] = "";
	for (int i = 0; i < n; i++)
		strcat(joined, line_of(s, &l[i], b, sizeof(b)));
	cr_assert_str_eq(joined, "run/a/very/long/path/to/model.gguf now");
}

Test(textfit, newlines_break_and_utf8_stays_whole)
{
	const char *s = "\u2588\u2588\u2588 weights 4.35 GiB\nKV 1.12 GiB";
	struct text_line l[4];
	char b[64];
	int n = textfit_wrap(s, 12, 0, 4, 1, l);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(line_of(s, &l[0], b, sizeof(b)), "\u2588\u2588\u2588 weights");
	cr_assert_eq(l[0].cols, 11);
	cr_assert_str_eq(line_of(s, &l[1], b, sizeof(b)), "4.35 GiB");
	cr_assert_str_eq(line_of(s, &l[2], b, sizeof(b)), "KV 1.12 GiB");
}

Test(textfit, sweep_no_line_ends_inside_a_word)
{
	const char *s = "the hardware list needs a taller or wider terminal; Enter on the GPU "
	                "slider picks one, Tab shows the list in place of the sliders";
	for (int w = 1; w <= 80; w++)
		for (int lines = 1; lines <= 6; lines++) {
			struct text_line l[6];
			int n = textfit_wrap(s, w, 0, lines, 1, l);
			cr_assert_leq(n, lines);
			for (int i = 0; i < n; i++) {
				cr_assert_leq(l[i].cols + (l[i].cut ? 1 : 0), w, "w %d", w);
				size_t end = l[i].off + l[i].len;
				/* whole words: the line ends at a space or the end,
				 * unless one word is wider than the line (w < 9:
				 * "terminal;") */
				if (w >= 9 && l[i].len)
					cr_assert(s[end] == ' ' || s[end] == '\0' ||
					              strchr(",;:", s[end]),
					          "w %d line %d ends inside a word: '%.*s|%s'", w,
					          i, (int)l[i].len, s + l[i].off, s + end);
				if (i + 1 < n)
					cr_assert(!l[i].cut);
			}
			cr_assert_eq(n == lines && textfit_lines_needed(s, w, 0) > lines,
			             n > 0 && l[n - 1].cut, "w %d lines %d", w, lines);
		}
}

Test(textfit, pick_takes_the_longest_form_that_fits)
{
	const char *const alts[] = {"does not fit (host memory)", "no fit (host)", "no fit"};
	cr_assert_eq(textfit_pick(alts, 3, 80), 0);
	cr_assert_eq(textfit_pick(alts, 3, 13), 1);
	cr_assert_eq(textfit_pick(alts, 3, 6), 2);
	cr_assert_eq(textfit_pick(alts, 3, 2), 2);
}

Test(textfit, no_room_no_lines)
{
	struct text_line l[2];
	cr_assert_eq(textfit_wrap("abc", 0, 0, 2, 1, l), 0);
	cr_assert_eq(textfit_wrap("abc", 5, 0, 0, 1, l), 0);
	cr_assert_eq(textfit_wrap("", 5, 0, 2, 1, l), 0);
	cr_assert_eq(textfit_wrap("   ", 5, 0, 2, 1, l), 1);
}

/*
 * textfit.h - fitting text into a width: wrapping at word boundaries,
 * shortening a line at a word boundary with an ellipsis, choosing the
 * longest form of a text that fits.
 *
 * State layer, no curses.  Every view writes verdicts, hints, help lines
 * and notices through these functions, so no view cuts a word at the panel
 * edge.  Widths are terminal columns: every UTF-8 code point counts as one
 * column (the program's text and glyphs are all narrow).
 */
#ifndef VRAMCALC_TEXTFIT_H
#define VRAMCALC_TEXTFIT_H

#include <stdbool.h>
#include <stddef.h>

/* One line of wrapped text: bytes off..off+len of the source, cols
 * columns wide.  cut: the text went on but there were no lines left, so
 * the line was shortened at a word boundary and wants an ellipsis after
 * it (the caller draws it in ellipsis_cols columns: "…" or "..."). */
struct text_line {
	size_t off, len;
	int cols;
	bool cut;
};

/* Columns of a UTF-8 string. */
int textfit_cols(const char *s);

/* Bytes of s that fill at most max_cols columns (never splitting a UTF-8
 * sequence). */
size_t textfit_bytes(const char *s, int max_cols);

/* Wrap s into at most max_lines lines: the first width columns wide, the
 * following ones width - hang (a hanging indent the caller adds).  Lines
 * break at spaces, never inside a word, except that a word longer than a
 * whole line is broken where the line ends (a path, a command).  Spaces at
 * a break are dropped; '\n' forces a break.  When the text needs more
 * lines, the last line ends at a word boundary with ellipsis_cols columns
 * left for the ellipsis and its cut flag set.  Writes up to max_lines
 * entries of out and returns the count (0 for empty text or no room). */
int textfit_wrap(const char *s, int width, int hang, int max_lines, int ellipsis_cols,
                 struct text_line *out);

/* Lines s needs at width (hanging indent hang) with no limit on lines. */
int textfit_lines_needed(const char *s, int width, int hang);

/* The first of n alternatives (longest first) that fits width columns
 * whole; the last one when none does.  n > 0. */
int textfit_pick(const char *const *alts, int n, int width);

#endif

/*
 * text.h - text from files and the command line made safe to show.
 *
 * Data layer.  A profile name, a device id, a GGUF's general.name or a
 * command-line value can hold ESC sequences or bytes that are not UTF-8;
 * written raw they would drive the terminal or break JSON.  Every output
 * (terminal text, the TUI, JSON strings, messages on stderr) shows such
 * text through text_escape(): control characters (C0, DEL and the C1
 * range U+0080..U+009F) and bytes that do not form valid UTF-8 become the
 * four visible characters \xNN; everything else is copied unchanged.
 */
#ifndef VRAMCALC_TEXT_H
#define VRAMCALC_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Escape src into dst (size n, NUL-terminated, cut at a character
 * boundary when it does not fit); returns dst.  dst and src must not
 * overlap.  keep_newlines leaves '\n' as it is (for multi-line messages). */
char *text_escape(char *dst, size_t n, const char *src, bool keep_newlines);

/* Escape a string in place within its buffer of size n (the escaped form
 * is cut to fit). */
void text_escape_inplace(char *s, size_t n);

/* True when text_escape would change nothing. */
bool text_is_clean(const char *s);

/* fprintf, with the formatted text escaped (newlines kept): for messages
 * that quote file names, values or command-line arguments. */
int text_fprintf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

/*
 * text_view.c - the scrolled text views: explain (e), the lines the
 * session wrote for the live estimate, and help (?), built from the key,
 * slider and segment tables.
 */
#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "ui_internal.h"

#define HELP_MAX 96

/* The help text into lines (NULL: only count them); returns the count. */
static int build_help(const struct ui *u, char (*lines)[SESSION_LINE_MAX])
{
	int n = 0;
#define ADD(...)                                                                                   \
	do {                                                                                       \
		if (n < HELP_MAX && lines)                                                         \
			snprintf(lines[n], SESSION_LINE_MAX, __VA_ARGS__);                         \
		if (n < HELP_MAX)                                                                  \
			n++;                                                                       \
	} while (0)
	ADD("KEYS");
	/* Consecutive rows with the same action and help share a line. */
	for (const struct key_binding *b = key_table; b->name;) {
		const struct key_binding *first = b;
		char names[48] = "";
		size_t used = 0;
		do {
			if (used < sizeof(names))
				used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s",
				                         used ? ", " : "", b->name);
			b++;
		} while (b->name && b->action == first->action && !strcmp(b->help, first->help));
		/* A key bound again for other views (q) is explained once. */
		if (first != key_table && !strcmp(first[-1].name, first->name))
			continue;
		ADD("  %-14s %s", names, first->help);
	}
	ADD("%s", "");
	ADD("SLIDERS");
	for (int i = 0; i < SL_COUNT; i++)
		ADD("  %-14s %s",
		    slider_table[i].label[0] == ' ' ? slider_table[i].label + 2
		                                    : slider_table[i].label,
		    slider_table[i].help);
	ADD("%s", "");
	ADD("BARS");
	for (int i = 0; i < SEG_COUNT; i++)
		ADD("  %s  %s", ui_segment_glyph(u, (enum segment)i),
		    ui_segment_name((enum segment)i));
	ADD("  %s  capacity of the device: vLLM's --gpu-util budget; --host-ram (this machine's "
	    "RAM by default) for the host bar",
	    u->g->marker);
	ADD("  several GPUs: one bar per device with what it holds (layers L0-26+out, or its vLLM "
	    "rank); a mixed set names each device");
	ADD("  hardware list: a adds one of the selected device to the set, r removes one");
	ADD("  unified memory: a second bar, GPU and host parts against the whole memory");
	ADD("  %s  free", u->g->free_cell);
	ADD("  fits: every device and host memory keep the --margin free (10%% by default)");
	ADD("  tight: some headroom under the margin; does not fit: a device over capacity");
	ADD("  does not fit (host memory): the devices fit, host memory (--host-ram) does not");
	ADD("  total = GPU (the sum of the devices) + host");
	ADD("%s", "");
	ADD("SIZES  GiB = 2^30 bytes, GB = 10^9 bytes; the numbers equal vramcalc --json");
	ADD("ENVIRONMENT  NO_COLOR (non-empty) or --no-color: monochrome");
	ADD("SESSIONS  saved in $XDG_CONFIG_HOME/vramcalc/sessions (~/.config/...)");
#undef ADD
	return n;
}

void ui_draw_explain(struct ui *u, const struct session *s, WINDOW *w)
{
	ui_draw_lines(u, w, (const char(*)[SESSION_LINE_MAX])s->screen.explain, s->screen.n_explain,
	              s->screen.scroll);
}

int ui_help_lines(const struct ui *u)
{
	return build_help(u, NULL);
}

void ui_draw_help(struct ui *u, const struct session *s, WINDOW *w)
{
	char lines[HELP_MAX][SESSION_LINE_MAX]; /* built for this frame: no state kept */
	int n = build_help(u, lines);
	ui_draw_lines(u, w, (const char(*)[SESSION_LINE_MAX])lines, n, s->screen.scroll);
}

/*
 * ui.h - the interactive terminal view (the only layer that uses curses).
 */
#ifndef VRAMCALC_UI_H
#define VRAMCALC_UI_H

#include <stdio.h>

#include "cli.h"

/* Run the interactive view with the command line's settings; returns the
 * process exit status (0 after q; 2 when the profiles, the settings or the
 * terminal cannot be used, with the cause on stderr).  Everything is loaded
 * and checked before the terminal is touched, and the terminal is restored
 * on every path. */
int ui_main(const struct cli_options *o);

/* Benchmark: open a rows x cols curses screen on /dev/null, press `frames`
 * keys that each change a setting, and write to report the time from each
 * keypress to its finished frame (recalculation and redraw).  Returns 0,
 * or 2 when loading fails. */
int ui_bench(const struct cli_options *o, int frames, int rows, int cols, FILE *report);

#endif

/*
 * ui.h - the interactive terminal view (the only layer that uses curses).
 */
#ifndef VRAMCALC_UI_H
#define VRAMCALC_UI_H

#include "cli.h"

/* Run the interactive view with the command line's settings; returns the
 * process exit status.  Restores the terminal on every path. */
int ui_main(const struct cli_options *o);

#endif

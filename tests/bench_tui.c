/*
 * bench_tui.c - keypress-to-frame time of the interactive view.
 *
 *   build/bench-tui [vramcalc options]     (default: -m deepseek-v3 -c 32k -g h100-sxmx8)
 *
 * Opens a 50x160 curses screen on /dev/null (the real drawing code, the
 * real doupdate), presses keys that each change a setting, and prints the
 * time from each keypress to its finished frame: the session's reaction,
 * the full recalculation (estimate, fit, hardware ranking) and the redraw.
 * A second line times the plan view, where each key (adopt an answer,
 * undo it) runs every solver, the speed model and the launch commands.
 */
#include <locale.h>
#include <stdio.h>

#include "cli.h"
#include "ui.h"

#define FRAMES 2000

int main(int argc, char **argv)
{
	static char *defaults[] = {"bench-tui", "-m", "deepseek-v3", "-c",
	                           "32k",       "-g", "h100-sxmx8",  NULL};
	struct cli_options o;
	char err[512];

	setlocale(LC_ALL, "");
	if (argc < 2) {
		argv = defaults;
		argc = (int)(sizeof(defaults) / sizeof(defaults[0])) - 1;
	}
	if (!cli_parse(argc, argv, false, &o, err, sizeof(err))) {
		fprintf(stderr, "bench-tui: %s\n", err);
		return 2;
	}
	return ui_bench(&o, FRAMES, 50, 160, stdout);
}

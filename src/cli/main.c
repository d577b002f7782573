/*
 * main.c - vramcalc's entry point: parse the command line, then either open
 * the interactive view or print one estimate.
 */
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "text.h"
#include "ui.h"

#ifndef VRAMCALC_VERSION
#define VRAMCALC_VERSION "0.1.0"
#endif

int main(int argc, char **argv)
{
	struct cli_options o;
	char err[512];

	setlocale(LC_ALL, "");
	if (!cli_parse(argc, argv, isatty(STDOUT_FILENO) && isatty(STDIN_FILENO), &o, err,
	               sizeof(err))) {
		text_fprintf(stderr, "vramcalc: %s\n", err);
		return 2;
	}
	if (o.help) {
		cli_print_help(stdout);
		return 0;
	}
	if (o.version) {
		printf("vramcalc %s\n", VRAMCALC_VERSION);
		return 0;
	}
	if (o.tui)
		return ui_main(&o);
	return cli_run(&o, stdout, stderr);
}

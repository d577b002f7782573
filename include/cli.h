/*
 * cli.h - the command-line front end: options, one estimate printed as text
 * or JSON, and the --list tables.
 *
 * The settings-field table (fields.h) drives parsing, --help and the man
 * page's option list.  Nothing here touches curses; the TUI is started by
 * main.c when cli_parse() says so.
 */
#ifndef VRAMCALC_CLI_H
#define VRAMCALC_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "fields.h"

/* Parse argv into o.  Returns true on success; on a usage error writes a
 * message naming the option and value into err and returns false (exit
 * status 2).  stdout_is_tty decides whether a plain run opens the TUI. */
bool cli_parse(int argc, char **argv, bool stdout_is_tty, struct cli_options *o, char *err,
               size_t errlen);

/* Print --help to f. */
void cli_print_help(FILE *f);

/* Run a non-interactive request (estimate or list).  Writes results to out
 * and errors to errf; returns the exit status (0 ok, 2 bad input). */
int cli_run(const struct cli_options *o, FILE *out, FILE *errf);

#endif

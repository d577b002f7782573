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
#include "profile.h"

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

/* --detect: this machine's GPUs and host memory, matched against the
 * hardware profiles, as text or JSON.  Returns the exit status. */
int cli_detect(const struct cli_options *o, const struct device_list *profiles, FILE *out,
               FILE *errf);

/* --rank: every catalog model ranked for the device set (-g, or the
 * detected devices) at the context, filtered and sorted.  May append
 * detected devices to devices.  Returns the exit status (2 when no device
 * is given and none is detected). */
int cli_rank(const struct cli_options *o, const struct profile_dirs *dirs,
             struct device_list *devices, FILE *out, FILE *errf);

/* The device groups -g names, as indices into devices with their counts;
 * with -g auto (or auto_default and no -g) the detected devices, appended
 * to devices.  Returns the number of groups (0: none given), or -1 after
 * writing the reason to errf (an unknown id; -g auto with nothing
 * detected). */
int cli_device_groups(const struct cli_options *o, struct device_list *devices, size_t *group_dev,
                      uint32_t *group_count, FILE *errf);

#endif

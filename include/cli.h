/*
 * cli.h - the command-line front end: options, one estimate printed as text
 * or JSON, and the --list tables.
 *
 * The option table (cli_options_table) drives parsing, --help and the man
 * page's option list.  Nothing here touches curses; the TUI is started by
 * main.c when cli_parse() says so.
 */
#ifndef VRAMCALC_CLI_H
#define VRAMCALC_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "estimate.h"

#define CLI_DEFAULT_MODEL  "llama-3.1-8b"
#define CLI_MAX_GPU_GROUPS 8

enum cli_list { LIST_NONE, LIST_MODELS, LIST_HARDWARE, LIST_QUANTS };

/* Everything the command line says. */
struct cli_options {
	const char *model;        /* profile id or path (default CLI_DEFAULT_MODEL) */
	const char *save_profile; /* --save-profile ID (valid id), or NULL */
	struct settings settings;
	bool quant_given;   /* -q on the command line (else a GGUF keeps its types) */
	const char *gpu_id; /* -g ID[xN]: device id, NULL for none */
	uint32_t gpu_count; /* N of -g ID xN, >= 1 */
	/* -g ID[xN],ID[xN],...: groups of devices split over together; the
	 * first group is also in gpu_id / gpu_count */
	int n_gpu_groups;
	char gpu_group_id[CLI_MAX_GPU_GROUPS][64];
	uint32_t gpu_group_count[CLI_MAX_GPU_GROUPS];
	bool json;
	bool text; /* --print: text even on a terminal */
	bool help, version, no_color;
	enum cli_list list;
	bool tui;                 /* open the interactive view */
	enum ftype_engine engine; /* --engine (with engine_given) */
	bool engine_given;
	int solve;                  /* enum solve_what, or -1 */
	int emit;                   /* enum launch_target, or -1 */
	double gpu_share;           /* --gpu-share for unified memory, 0 = the profile's */
	double host_bandwidth_gbps; /* --host-bw, 0 = the speed model's default */
	uint64_t prompt_tokens;     /* --prompt, 0 = the default */
};

/* One row of the option table. */
struct cli_option {
	const char *long_name; /* "context" */
	char short_name;       /* 'c', or 0 */
	const char *arg;       /* "N", or NULL for a flag */
	const char *help;      /* one line */
};

extern const struct cli_option cli_options_table[];

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

/*
 * fields.h - the settings-field table: every setting a user can give,
 * written down once.
 *
 * State layer.  Each row of field_table is one setting: its command-line
 * flag(s), its session-file key, its kind and range, its default, the one
 * function that parses it and the one that formats it, and its help text.
 * The option parser (src/cli/options.c), session files
 * (src/state/session_file.c), the sliders' text entry, --help and the man
 * page check (make lint-man) all read this table, so a grammar or a limit
 * lives in exactly one place.  How to add a row: see the top of fields.c.
 *
 * Parsing writes into a struct cli_options: everything a user asked for,
 * from the command line or from a session file.
 */
#ifndef VRAMCALC_FIELDS_H
#define VRAMCALC_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "estimate.h"
#include "ranking.h"
#include "evaluate.h"

#define CLI_DEFAULT_MODEL  "llama-3.1-8b"
#define CLI_MAX_GPU_GROUPS 8
#define CLI_GPU_ID_MAX     64 /* bytes of one device id, with its NUL */

enum cli_list { LIST_NONE, LIST_MODELS, LIST_HARDWARE, LIST_QUANTS };

/* Everything the user asked for, on the command line or in a session file.
 * options_default() fills the defaults of every field; field_parse()
 * changes one field.  Plain data: copying it is safe (no inner pointers,
 * except that `model`, `mmproj` and `save_profile` borrow the caller's
 * strings). */
struct cli_options {
	const char *model;        /* profile id or path (default CLI_DEFAULT_MODEL) */
	const char *mmproj;       /* --mmproj FILE (llama.cpp's projector), or NULL */
	const char *save_profile; /* --save-profile ID (valid id), or NULL */
	bool force;               /* --force: --save-profile may replace or shadow an id */
	struct settings settings;
	bool quant_given;   /* -q named a type (else a GGUF keeps its stored types) */
	bool context_given; /* -c / --max-model-len given (vLLM's default: the model's maximum) */
	bool batch_given;   /* -b / --max-num-seqs given (vLLM's default depends on the GPU) */
	const char *vllm_option; /* the first vLLM-only option given (it selects vLLM), or NULL */
	/* -g ID[xN],ID[xN],...: groups of devices split over together, in
	 * split order; n_gpu_groups 0: no device given */
	int n_gpu_groups;
	char gpu_group_id[CLI_MAX_GPU_GROUPS][CLI_GPU_ID_MAX];
	uint32_t gpu_group_count[CLI_MAX_GPU_GROUPS]; /* each >= 1, summing to <= HW_MAX_DEVICES */
	bool json;
	bool text; /* --print: text even on a terminal */
	bool help, version, no_color;
	enum cli_list list;
	bool detect;                    /* --detect: show this machine's GPUs and host memory */
	bool free_memory;               /* --free: detected devices count only memory not in use */
	bool gpu_auto;                  /* -g auto: the detected devices (n_gpu_groups stays 0) */
	bool rank;                      /* --rank: every catalog model for the device set */
	struct rank_filter rank_filter; /* --family, --size, --kind, --min-context, --fitting */
	enum rank_sort rank_sort;       /* --sort */
	bool tui;                       /* open the interactive view (cli_parse decides) */
	enum ftype_engine engine;       /* --engine (with engine_given) */
	bool engine_given;
	int solve;                  /* enum solve_what, or -1 */
	int emit;                   /* enum launch_target, or -1 */
	double gpu_share;           /* --gpu-share for unified memory, 0 = the profile's */
	double host_bandwidth_gbps; /* --host-bw, GB/s; 0 = the speed model's default */
	uint64_t prompt_tokens;     /* --prompt, 0 = the speed model's default */
	struct margin margin;       /* --margin: headroom below which a fit is tight */
	uint64_t host_ram_bytes;    /* --host-ram, bytes; 0 = this machine's memory */
	bool parallel_given;        /* --parallel named them */
	bool backend_given;         /* --backend (else the device vendor's backend) */
};

/* What a field holds; decides which of the range members mean anything. */
enum field_kind {
	FIELD_FLAG,   /* a bare flag on the command line (--json), no value */
	FIELD_BOOL,   /* on/off, yes/no (a bare flag on the command line means on) */
	FIELD_COUNT,  /* a whole number with k/M suffixes, min..max */
	FIELD_SHARE,  /* a share 0.9 or 90%, lo (or above lo when lo_open) to hi */
	FIELD_NUMBER, /* a decimal number, lo (or above lo when lo_open) to hi */
	FIELD_SIZE,   /* bytes: 256G, 512M, 1.5T (binary), min..max */
	FIELD_CHOICE, /* one word of a fixed list, or a small grammar of words */
	FIELD_TEXT,   /* free text checked by its parse function (ids, paths) */
};

struct field;

/* Parse text (NULL for a bare command-line flag) into o.  On failure
 * writes the reason, without the field's name, into why ("'0' is not a
 * number of sequences from 1 to 4096") and leaves o's field as it was. */
typedef bool (*field_parse_fn)(const struct field *f, const char *text, struct cli_options *o,
                               char *why, size_t whylen);

/* Format o's value of the field as field_parse reads it back.  Returns
 * false when the field has nothing to write (a session file then omits
 * the key). */
typedef bool (*field_format_fn)(const struct field *f, const struct cli_options *o, char *buf,
                                size_t n);

/* One row of the settings-field table. */
struct field {
	const char *flag; /* long option without "--" ("context"), NULL: not on the command line */
	char short_flag;  /* 'c', or 0 */
	const char *arg;  /* the value's name in --help ("N"), NULL: a bare flag */
	const char *key;  /* session-file key ("context"), NULL: not saved */
	enum field_kind kind;
	uint64_t min, max; /* FIELD_COUNT, FIELD_SIZE: accepted range, inclusive */
	double lo, hi;     /* FIELD_SHARE, FIELD_NUMBER: accepted range */
	bool lo_open;      /* lo itself is refused ("above 0") */
	const char *what;  /* the value in messages: "a number of sequences" */
	const char *def;   /* the default as typed ("512"), NULL: none or computed */
	field_parse_fn parse;
	field_format_fn format; /* NULL: not written anywhere (command-line actions) */
	const char *help;       /* one line for --help */
	bool vllm_only;         /* a vLLM setting: giving it selects --engine vllm */
};

/* The table, in --help order, ended by a row whose parse is NULL. */
extern const struct field field_table[];

/* Rows by long flag (len bytes of name), short flag, session key, or by
 * either name ("gpu-util" or "gpu_util"); NULL when there is none. */
const struct field *field_find_flag(const char *name, size_t len);
const struct field *field_find_short(char c);
const struct field *field_find_key(const char *key);
const struct field *field_find(const char *name);

/* The name a message uses for f: its flag, else its key. */
const char *field_name(const struct field *f);

/* Every field's default: the engine's settings, no device, the default
 * model, then each row's def parsed into o. */
void options_default(struct cli_options *o);

/* Parse or format one field (the row's functions; see the typedefs). */
bool field_parse(const struct field *f, const char *text, struct cli_options *o, char *why,
                 size_t whylen);
bool field_format(const struct field *f, const struct cli_options *o, char *buf, size_t n);

/* The grammars shared by several fields, each written once.  Each writes
 * a reason into why on failure (naming the text, not the field). */
bool field_parse_count(const struct field *f, const char *text, uint64_t *out, char *why,
                       size_t whylen);
bool field_parse_share(const struct field *f, const char *text, double *out, char *why,
                       size_t whylen);
bool field_parse_size(const struct field *f, const char *text, uint64_t *out, char *why,
                      size_t whylen);

/* A double printed so that strtod reads back the same value, as briefly
 * as that allows ("0.9", not "0.90000000000000002"). */
const char *field_format_double(char *buf, size_t n, double x);

#endif

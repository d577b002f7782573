/*
 * report.h - one estimate as text or JSON, for the CLI (and the same
 * numbers the TUI shows).
 */
#ifndef VRAMCALC_REPORT_H
#define VRAMCALC_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "estimate.h"
#include "evaluate.h"
#include "hardware.h"
#include "plan.h"
#include "profile.h"
#include "safetensors.h"

struct cJSON;

/* Everything one estimate report needs.  The numbers come from one
 * evaluation (evaluate.h); the report only formats them. */
struct report {
	const struct model_meta *meta;
	const struct model *model;
	const struct settings *settings;
	const struct evaluation *ev;       /* estimate, split, totals, verdict, speed */
	const struct margin *margin;       /* the margin the verdict used */
	const struct device_list *devices; /* catalog: with no device set, each one's count */
	const struct speed_params *speed_params;
	const struct solve_result *solve; /* --solve answer, or NULL */
	int solve_what;                   /* enum solve_what when solve != NULL */
	const char *launch[2];            /* llama-server and vLLM commands, or NULL */
	const struct st_info *checkpoint; /* safetensors size as shipped, or NULL */
	const struct mmproj_info *mmproj; /* --mmproj's projector, or NULL */
};

/* The margin as people read it: "10%" or "2.00 GiB". */
const char *report_margin_text(const struct margin *m, char *buf, size_t n);

/* Human-readable breakdown (GiB and GB labelled). */
void report_text(const struct report *r, FILE *out);

/* The JSON document (see the man page for its keys); returns a malloc'd
 * string owned by the caller, or NULL on allocation failure. */
char *report_json(const struct report *r);

/* The checkpoint block of the text report, and the "checkpoint" object
 * of the JSON one (a new cJSON item, NULL on allocation failure). */
void report_checkpoint_text(const struct st_info *c, FILE *out);
struct cJSON *report_checkpoint_json(const struct st_info *c);

/* A safetensors checkpoint without a config.json: the size as shipped and
 * a note that the architecture is unknown (JSON: model.arch is null and
 * there is no estimate).  The JSON string is malloc'd, or NULL. */
void report_unknown_arch_text(const struct model_meta *meta, const struct st_info *c, FILE *out);
char *report_unknown_arch_json(const struct model_meta *meta, const struct st_info *c);

/* Label of the KV setting for model a: "f16" or "q8_0/f16"; under vLLM
 * the --kv-cache-dtype and what vLLM stores ("auto (bf16)",
 * "auto (fp8_ds_mla)", vllm_kv_label). */
const char *report_kv_label(const struct model_arch *a, const struct settings *s, char *buf,
                            size_t n);

#endif

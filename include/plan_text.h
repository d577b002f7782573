/*
 * plan_text.h - solver answers and speed estimates as sentences.
 *
 * State layer helpers shared by the CLI (report.c) and the TUI's plan
 * view, so both say the same thing in the same words: pure functions on
 * caller-provided buffers, no I/O.
 */
#ifndef VRAMCALC_PLAN_TEXT_H
#define VRAMCALC_PLAN_TEXT_H

#include <stddef.h>

#include "hardware.h"
#include "plan.h"

/* A line of the speed text, without its indentation. */
#define PLAN_TEXT_LINE 384

/* The answer of solver `what` as a phrase naming the setting: "context
 * 49,920 tokens", "quant Q8_0", "2 devices", "4 sequences of 8,192
 * tokens", "--n-cpu-moe 3 (experts of 3 layers in host memory)".  m is the
 * model solved for (its layer count).  Returns buf. */
const char *plan_answer_text(enum solve_what what, const struct solve_result *r,
                             const struct model *m, char *buf, size_t n);

/* Why the answer is what it is: for SOLVE_FOUND what "exact" means for
 * that solver ("the largest that fits; 256 tokens more do not"), else
 * "the whole range fits" or "nothing fits; shown at the smallest step".
 * A static string. */
const char *plan_status_text(enum solve_what what, enum solve_status st);

/* One or two words for a table column: "found", "whole range fits",
 * "nothing fits".  A static string. */
const char *plan_status_word(enum solve_status st);

/* The speed estimate as PLAN_SPEED_LINES lines (no leading indentation):
 *   [0] "speed on NAME, llama.cpp CUDA backend (estimates: ...)"; for vLLM
 *       "vLLM on CUDA (UNCALIBRATED: ...)"
 *   [1] "decode   about 130 tokens/s per sequence, +-15 % (reads ...)"
 *   [2] "prefill  about 7,100 tokens/s, +-30 %; first token ...", or "unknown"
 *   [3] "assumes  the model's assumptions: efficiencies, overhead, rates"
 *   [4] a mixed split: "split    rtx-4090 60 % of the layers, CUDA, ...";
 *       "" otherwise (print nothing for an empty line)
 * d is the device of the set (the stated one comes from sp's parts), n_seq
 * the sequences of the settings estimated.  */
#define PLAN_SPEED_LINES 5
void plan_speed_text(const struct device *d, uint32_t n_seq, const struct speed *sp,
                     const struct speed_params *p, char lines[PLAN_SPEED_LINES][PLAN_TEXT_LINE]);

#endif

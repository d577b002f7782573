/*
 * truth.h - the llama.cpp measurements in tests/data/truth, for the unit
 * tests and the accuracy table.
 */
#ifndef VRAMCALC_TRUTH_H
#define VRAMCALC_TRUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "estimate.h"

#define TRUTH_DIR "tests/data/truth"

/* One row of quant_sizes.csv. */
struct truth_quant {
	char model[48];
	char quant[16];
	char method[32];
	uint64_t tensor_data_bytes;
	char type_counts[160];
};

/* One row of runs.csv that llama.cpp accepted. */
struct truth_run {
	char run_id[128];
	char model[48];
	char experiment[48];
	char quant[16];
	struct settings settings; /* the run's context parameters */
	uint64_t model_buffer_bytes;
	uint64_t context_bytes; /* KV + recurrent state */
	uint64_t kv_buffer_bytes;
	uint64_t rs_buffer_bytes;
	uint64_t output_buffer_bytes;
	uint64_t compute_buffer_bytes;
	uint64_t n_ctx, n_ctx_seq, swa_kv_cells;
};

struct truth {
	struct truth_quant *quants;
	size_t n_quants;
	struct truth_run *runs;
	size_t n_runs;
};

/* Load both CSVs from dir; false (with a message on stderr) on failure. */
bool truth_load(const char *dir, struct truth *t);
void truth_free(struct truth *t);

/* The eight synthetic models of the truth set. */
extern const char *const truth_models[];
#define TRUTH_N_MODELS 8

/* The 2026 architectures (tests/data/truth2026): full-size synthetic
 * models measured with the lab's measure.py.  Each is checked from its
 * header-only GGUFs, from its config.json and from the catalog profile of
 * the same model. */
#define TRUTH2026_DIR "tests/data/truth2026"

struct truth2026_model {
	const char *name; /* runs.csv model, gguf/<name>-<QUANT>.gguf, configs/<name>.config.json */
	const char *profile; /* catalog profile id of the same model (profiles/models);
	                        NULL: checked from the GGUF only: no engine layout yet
	                        (the generic reading of the standard keys), or a file
	                        layout a default conversion does not write (converted
	                        with --no-mtp, or DeepSeek V4 with its MTP block) */
};

extern const struct truth2026_model truth2026_models[];
extern const size_t truth2026_n_models;

/* Load dir/runs.csv in measure.py's columns (no per-buffer detail: the
 * kv/rs/output fields stay 0) into t->runs; false with a message on stderr
 * on failure. */
bool truth2026_load(const char *dir, struct truth *t);

/* Whole file into a malloc'd, NUL-terminated buffer (caller frees); its
 * length into *len when len is not NULL.  NULL when it cannot be read. */
char *truth_slurp(const char *path, size_t *len);

/* Run the command line into memory buffers (caller frees *out and *err);
 * returns the exit status, 2 for a usage error (its message in *err). */
int truth_run_cli(char **out, char **err, int argc, char **argv);

/* truth_run_cli with the n arguments after the program name given in
 * place: truth_run(&out, &err, 3, "-m", "qwen3-8b", "--json"). */
int truth_run(char **out, char **err, int n, ...);

/* The suites that run the command line read the repository's profiles
 * and no user profile: their TestSuite's .init. */
void truth_use_repo_profiles(void);

/* Load tests/data/truth/profiles/<model>.ini and prepare it. */
bool truth_model(const char *dir, const char *name, struct model *m);

#endif

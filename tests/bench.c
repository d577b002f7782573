/*
 * bench.c - how fast the engine is (make bench).
 *
 * Measures, with CLOCK_MONOTONIC over many repetitions: one estimate of the
 * largest model in the catalog, the full quant comparison for it (every file
 * type), and the whole catalog x hardware fit (every model at its default
 * settings, fitted on every device).  The TUI recalculates on every
 * keypress, so a full recalculation must stay far below a millisecond.
 * Then the whole-catalog ranking (--rank, the TUI's m view) for several
 * device sets: it must stay well under 50 ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "estimate.h"
#include "hardware.h"
#include "profile.h"
#include "ranking.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Keep the optimiser from dropping the work. */
static volatile uint64_t sink;

/* --rank: ladders once, then the whole catalog per device set. */
static void bench_ranking(const struct catalog *cat, const struct model *models,
                          const struct device_list *devs)
{
	static const struct {
		const char *label;
		const char *ids[4];
		uint32_t n;
		uint64_t ctx;
	} sets[] = {
	    {"1x rtx-4090, 4K", {"rtx-4090"}, 1, 4096},
	    {"1x rtx-4090, 32K", {"rtx-4090"}, 1, 32768},
	    {"rtx-4090 + rtx-3090, 8K", {"rtx-4090", "rtx-3090"}, 2, 8192},
	    {"4x h100-sxm, 128K", {"h100-sxm", "h100-sxm", "h100-sxm", "h100-sxm"}, 4, 131072},
	    {"apple-m4-max-128gb, 16K", {"apple-m4-max-128gb"}, 1, 16384},
	};
	struct ranking r;
	double t0 = now_s();
	if (!ranking_init(&r, cat, models, FT_LLAMACPP)) {
		fprintf(stderr, "bench: out of memory\n");
		return;
	}
	printf("bench: ranking ladders prepared (%zu models) in %.2f ms (once per catalog)\n", r.n,
	       (now_s() - t0) * 1e3);
	for (size_t k = 0; k < sizeof(sets) / sizeof(sets[0]); k++) {
		const struct device *set[4] = {NULL};
		bool found = true;
		for (uint32_t j = 0; j < sets[k].n; j++)
			found &= (set[j] = device_find(devs, sets[k].ids[j])) != NULL;
		if (!found)
			continue;
		struct request q;
		memset(&q, 0, sizeof(q));
		estimate_settings_default(&q.settings);
		q.settings.ctx_tokens = sets[k].ctx;
		for (uint32_t j = 0; j < sets[k].n; j++)
			q.set.dev[j] = set[j];
		q.set.n = sets[k].n;
		q.margin.share = 0.10;
		plan_speed_defaults(&q.speed);
		int reps = 10;
		double worst = 0, sum = 0;
		uint64_t steps = 0;
		for (int i = 0; i < reps; i++) {
			double t = now_s();
			ranking_run(&r, &q);
			t = now_s() - t;
			sum += t;
			worst = t > worst ? t : worst;
		}
		size_t fit = 0;
		for (size_t i = 0; i < r.n; i++) {
			steps += r.rows[i].steps;
			fit += r.rows[i].verdict == RANK_FITS;
		}
		printf("bench: rank whole catalog on %-26s mean %6.2f ms, worst %6.2f ms "
		       "(%llu estimates, %zu of %zu fit)\n",
		       sets[k].label, sum / reps * 1e3, worst * 1e3, (unsigned long long)steps, fit,
		       r.n);
	}
	ranking_free(&r);
}

int main(void)
{
	struct profile_dirs dirs = {0};
	dirs.n = 1;
	snprintf(dirs.dir[0], sizeof(dirs.dir[0]), "profiles");
	struct catalog cat;
	struct device_list devs = {0};
	char err[PROFILE_ERR_LEN];
	double t0 = now_s();
	if (!catalog_load(&dirs, &cat, NULL, err, sizeof(err)) ||
	    !profile_load_all_hardware(&dirs, &devs, NULL, err, sizeof(err))) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	double t_load = now_s() - t0;

	/* The model with the most tensors is the slowest to estimate. */
	struct model *models = calloc(cat.n, sizeof(*models));
	size_t biggest = 0;
	t0 = now_s();
	for (size_t i = 0; i < cat.n; i++) {
		models[i].arch = cat.v[i].arch;
		if (!model_prepare(&models[i]))
			return 1;
		if (models[i].tensors.n > models[biggest].tensors.n)
			biggest = i;
	}
	double t_prepare = now_s() - t0;
	struct model *m = &models[biggest];
	struct settings s;
	struct estimate e;
	struct estimate_scratch x; /* the largest model's tensors: room for all */
	if (!estimate_scratch_init(&x, m->tensors.n))
		return 1;
	estimate_settings_default(&s);
	s.ctx_tokens = 131072;

	int reps = 2000;
	t0 = now_s();
	for (int i = 0; i < reps; i++) {
		s.ctx_tokens = 131072 + (uint64_t)(i % 7) * 256;
		estimate_run(m, &x, &s, &e);
		sink += e.total_bytes;
	}
	double t_one = (now_s() - t0) / reps;

	reps = 100;
	t0 = now_s();
	for (int i = 0; i < reps; i++) {
		for (int f = 0; f < FT_COUNT; f++) {
			s.ftype = (enum ftype)f;
			estimate_run(m, &x, &s, &e);
			sink += e.total_bytes;
		}
	}
	double t_compare = (now_s() - t0) / reps;

	reps = 20;
	size_t fits = 0;
	t0 = now_s();
	for (int i = 0; i < reps; i++) {
		for (size_t k = 0; k < cat.n; k++) {
			estimate_settings_default(&s);
			estimate_run(&models[k], &x, &s, &e);
			for (size_t d = 0; d < devs.n; d++) {
				struct hw_fit f;
				hw_fit(&e, &devs.v[d], 1, &f);
				fits += f.fits;
			}
		}
	}
	double t_catalog = (now_s() - t0) / reps;
	sink += fits;

	printf("bench: profiles loaded (%zu models, %zu devices) in %.2f ms; tensors derived in "
	       "%.2f ms\n",
	       cat.n, devs.n, t_load * 1e3, t_prepare * 1e3);
	printf("bench: one estimate (%s, %zu tensors, 128K context): %.1f us\n",
	       cat.v[biggest].meta.id, m->tensors.n, t_one * 1e6);
	printf("bench: quant comparison (%d file types) for %s: %.1f us\n", FT_COUNT,
	       cat.v[biggest].meta.id, t_compare * 1e6);
	printf("bench: catalog x hardware fit (%zu models x %zu devices): %.2f ms\n", cat.n, devs.n,
	       t_catalog * 1e3);
	bench_ranking(&cat, models, &devs);
	for (size_t i = 0; i < cat.n; i++)
		model_release(&models[i]);
	free(models);
	estimate_scratch_free(&x);
	catalog_free(&cat);
	device_list_free(&devs);
	return 0;
}

/*
 * session_plan.c - the plan view's state: every solver's answer for the
 * live configuration, the speed estimate, the launch commands, and
 * adopting an answer.
 *
 * The solvers, the speed model and the launch commands are the ones the
 * command line's --solve, speed section and --emit use (plan.h, launch.h),
 * so the view shows the numbers `vramcalc ... --solve WHAT -g GPUxN`
 * prints.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "plan_text.h"
#include "session.h"
#include "vllm.h"

/* Whether solver w means anything for settings st on device d; if not,
 * why (into note). */
static bool solver_applies(const struct session *s, enum solve_what w, const struct settings *st,
                           char *note, size_t n)
{
	bool vllm = session_engine(s) == FT_VLLM;
	switch (w) {
	case SOLVE_GPUS:
		if (st->offload == OFFLOAD_CPU) {
			snprintf(note, n, "n/a: CPU only, no GPU to count");
			return false;
		}
		return true;
	case SOLVE_OFFLOAD:
		if (vllm) {
			snprintf(note, n, "n/a: vLLM keeps every weight on the GPU");
			return false;
		}
		if (st->offload == OFFLOAD_CPU) {
			snprintf(note, n, "n/a: CPU only, nothing to move");
			return false;
		}
		return true;
	default:
		return true;
	}
}

void session_speed(struct session *s)
{
	assert(s->results.ev.valid);
	const struct model *m = session_model(s, s->config.cur.model);
	const struct settings *live = &s->config.cur.set;
	struct plan_view *p = &s->screen.plan;

	/* The live speed is the evaluation's (results.ev.speed, mixed sets
	 * too): nothing to run here. */
	struct launch_input li = {
	    &s->cat->v[s->config.cur.model].meta,
	    m,
	    live,
	    s->config.cur.model == s->file_model ? s->config.model_path : NULL,
	    s->config.cur.gpu_count,
	    vllm_gpu_util(live),
	    NULL,
	    s->config.mmproj_path,
	};
	for (int t = 0; t < LAUNCH_COUNT; t++)
		launch_command((enum launch_target)t, &li, p->launch[t], sizeof(p->launch[t]));
}

void session_plan(struct session *s)
{
	assert(s->results.ev.valid);
	const struct model *m = session_model(s, s->config.cur.model);
	const struct device *d = &s->devs->v[s->config.cur.gpu];
	const struct settings *live = &s->config.cur.set;
	struct plan_view *p = &s->screen.plan;
	struct speed_params sp = s->config.speed_params;

	/* The live speed and launch commands first. */
	session_speed(s);

	for (int w = 0; w < SOLVE_COUNT; w++) {
		struct plan_row *r = &p->row[w];
		struct settings base = *live;
		memset(r, 0, sizeof(*r));
		r->what = (enum solve_what)w;
		r->applies = solver_applies(s, r->what, live, r->note, sizeof(r->note));
		if (!r->applies)
			continue;
		if (!plan_solve(m, &s->scratch, &base, d, s->config.cur.gpu_count, r->what,
		                &r->res)) {
			r->applies = false;
			snprintf(r->note, sizeof(r->note), "n/a: nothing to move");
			continue;
		}
		char err[256];
		if (!estimate_check(m, &s->scratch, &r->res.settings, err, sizeof(err))) {
			r->applies = false;
			snprintf(r->note, sizeof(r->note), "n/a: %.90s", err);
			continue;
		}
		/* The answer's speed (the check ran the answer's estimate: the
		 * scratch holds its types). */
		sp.gpu_count = r->res.gpu_count;
		plan_speed(m, &s->scratch, &r->res.settings, &r->res.est, d, &sp, &r->speed);
		r->level = session_fit_level(s, &r->res.fit, evaluate_budget_bytes(d, &r->res.est));
	}
	s->screen.plan_for = s->config.cur;
	s->screen.plan_fresh = true;
}

unsigned session_plan_adopt(struct session *s, enum solve_what what)
{
	assert(what >= 0 && what < SOLVE_COUNT);
	if (!s->results.ev.valid) {
		session_status(s, STATUS_WARN, "nothing to adopt: %s", s->results.ev.err);
		return REACT_REDRAW;
	}
	const struct plan_row *r = &s->screen.plan.row[what];
	const struct model *m = session_model(s, s->config.cur.model);
	char answer[160];
	if (!r->applies) {
		session_status(s, STATUS_WARN, "%s: %s", solve_name(what), r->note);
		return REACT_REDRAW;
	}
	plan_answer_text(what, &r->res, m, answer, sizeof(answer));
	if (r->res.status == SOLVE_NOTHING) {
		session_status(s, STATUS_WARN, "%s: nothing fits on %ux %s, nothing to adopt",
		               solve_name(what), s->config.cur.gpu_count,
		               fmt_device_short_name(&s->devs->v[s->config.cur.gpu]));
		return REACT_REDRAW;
	}
	struct config c = s->config.cur;
	c.set = r->res.settings;
	c.gpu_count = r->res.gpu_count;
	if (!session_set_config(s, &c)) {
		session_status(s, STATUS_INFO, "%s is the live setting already", answer);
		return REACT_REDRAW;
	}
	session_status(s, STATUS_INFO, "adopted %s (u undoes it)", answer);
	return REACT_RECALC | REACT_REDRAW;
}

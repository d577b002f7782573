/*
 * popup.c - the popup window over any view: the model, GPU and session
 * pickers (a filter line and the matching rows) and the prompts (exact
 * slider entry, session name, hardware search, overwrite question).
 */
#include <stdio.h>

#include "format.h"
#include "ui_internal.h"

void ui_draw_popup(struct ui *u, const struct session *s, WINDOW *w)
{
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	wattrset(w, ui_attr(u, R_NORMAL));
	box(w, 0, 0);
	char a[32], b[32], pr[160];
	if (s->screen.modal == MODAL_PROMPT) {
		if (s->screen.prompt_kind == PROMPT_OVERWRITE) {
			ui_put_fitf(u, w, 0, 2, wd - 4, R_HEADER, " replace session '%s'? ",
			            s->screen.save_name);
			char path[700];
			snprintf(path, sizeof(path), "%s/%s.ini exists", s->sessions_dir,
			         s->screen.save_name);
			ui_put_wrapped(u, w, 2, 2, wd - 4, h - 5, R_WARN, path, 2);
			ui_put_fit(u, w, h - 2, 2, wd - 4, R_DIM,
			           "y replace it, any other key keeps it");
			return;
		}
		const char *what =
		    s->screen.prompt_kind == PROMPT_SAVE ? "save session as (name)"
		    : s->screen.prompt_kind == PROMPT_HW_SEARCH
		        ? "search the hardware list (name or id)"
		        : session_slider_prompt(&slider_table[s->screen.slider], pr, sizeof(pr));
		ui_put_fitf(u, w, 0, 2, wd - 4, R_HEADER, " %s ", what ? what : "value");
		ui_putf(u, w, 2, 2, wd - 4, R_VALUE, "> %s_", s->screen.prompt);
		if (s->screen.prompt_kind == PROMPT_SAVE) {
			char in[600];
			snprintf(in, sizeof(in), "in %s", s->sessions_dir);
			ui_put_wrapped(u, w, 4, 2, wd - 4, h - 7, R_DIM, in, 2);
		}
		ui_put_fit(u, w, h - 2, 2, wd - 4, R_DIM,
		           "Enter accept, Esc cancel, Backspace, Ctrl-U clear");
		return;
	}
	const char *title =
	    s->screen.modal == MODAL_PICK_MODEL ? "pick a model (name, family, size: 8b, <10b)"
	    : s->screen.modal == MODAL_PICK_GPU ? "pick a GPU (name, vendor, category, 24gb)"
	                                        : "load a session";
	ui_put_fitf(u, w, 0, 2, wd - 4, R_HEADER, " %s ", title);
	ui_putf(u, w, 1, 2, wd - 4, R_VALUE, "/ %s_", s->screen.pick.query);
	ui_putf(u, w, 1, wd - 14, 12, R_DIM, "%zu match%s", s->screen.pick.n,
	        s->screen.pick.n == 1 ? "" : "es");
	/* Rows 2 .. h-4 list the matches in columns, which shorten long names;
	 * rows h-3 and h-2 show the selected one whole, wrapped at words. */
	int rows = h - 6;
	int sel = (int)s->screen.pick.sel;
	if (sel < u->pick_top)
		u->pick_top = sel;
	if (sel >= u->pick_top + rows)
		u->pick_top = sel - rows + 1;
	if (u->pick_top > (int)s->screen.pick.n)
		u->pick_top = 0;
	for (int r = 0; r < rows && u->pick_top + r < (int)s->screen.pick.n; r++) {
		size_t i = s->screen.pick.match[u->pick_top + r];
		bool is_sel = u->pick_top + r == sel;
		enum role role = is_sel ? R_SELECTED : R_NORMAL;
		int y = 2 + r;
		wattrset(w, ui_attr(u, role));
		mvwhline(w, y, 1, ' ', wd - 2);
		/* Each text column is shortened at a word with an ellipsis, never
		 * cut mid-word; the selected row is whole below the list. */
		int x = 2, end = wd - 2;
		if (s->screen.modal == MODAL_PICK_MODEL) {
			const struct model_meta *m = &s->cat->v[i].meta;
			ui_put_fit(u, w, y, x, 26, role, m->id);
			ui_putf(u, w, y, x + 27, 8, role, "%8s",
			        fmt_params(a, sizeof(a), session_model(s, i)->params_total));
			ui_put_fit(u, w, y, x + 37, 12, role, m->family);
			ui_put_fit(u, w, y, x + 50, end - (x + 50), role, m->name);
		} else if (s->screen.modal == MODAL_PICK_GPU) {
			const struct device *d = &s->devs->v[i];
			ui_put_fit(u, w, y, x, 40, role, d->name);
			ui_putf(u, w, y, x + 41, 10, role, "%10s",
			        ui_gib(b, sizeof(b), (double)hw_usable_bytes(d)));
			ui_put_fit(u, w, y, x + 53, end - (x + 53), role,
			           hw_category_name(d->category));
		} else {
			ui_put_fit(u, w, y, x, end - x, role, s->screen.pick.names[i]);
		}
	}
	if (sel >= 0 && sel < (int)s->screen.pick.n) {
		size_t i = s->screen.pick.match[sel];
		char whole[512];
		if (s->screen.modal == MODAL_PICK_MODEL) {
			const struct model_meta *m = &s->cat->v[i].meta;
			snprintf(whole, sizeof(whole), "%s: %s, %s parameters, %s", m->id, m->name,
			         fmt_params(a, sizeof(a), session_model(s, i)->params_total),
			         m->family);
		} else if (s->screen.modal == MODAL_PICK_GPU) {
			const struct device *d = &s->devs->v[i];
			snprintf(whole, sizeof(whole), "%s: %s, %s usable, %s", d->id, d->name,
			         ui_gib(b, sizeof(b), (double)hw_usable_bytes(d)),
			         hw_category_name(d->category));
		} else {
			snprintf(whole, sizeof(whole), "%s", s->screen.pick.names[i]);
		}
		wattrset(w, ui_attr(u, R_NORMAL));
		mvwhline(w, h - 3, 1, ' ', wd - 2);
		mvwhline(w, h - 2, 1, ' ', wd - 2);
		ui_put_wrapped(u, w, h - 3, 2, wd - 4, 2, R_VALUE, whole, 2);
	}
	ui_put_fit(u, w, h - 1, 2, wd - 4, R_DIM,
	           " type to filter, Up/Down, Enter pick, Esc cancel ");
}

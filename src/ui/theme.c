/*
 * theme.c - colours named by meaning, their monochrome attributes, and the
 * glyph sets.
 *
 * Monochrome (NO_COLOR set and non-empty, --no-color, or a terminal
 * without colours) never calls start_color(): every look comes from the
 * mono_attr column and every bar segment from its own glyph.
 */
#include "ui_internal.h"

const struct style ui_styles[R_COUNT] = {
    [R_NORMAL] = {"text", -1, -1, 0, 0},
    [R_TITLE] = {"title bar", COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE},
    [R_LABEL] = {"slider label", COLOR_CYAN, -1, 0, 0},
    [R_FOCUS] = {"focused slider or pane", COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD},
    [R_VALUE] = {"slider value", -1, -1, A_BOLD, A_BOLD},
    [R_DIM] = {"key hints, disabled rows", -1, -1, A_DIM, A_DIM},
    [R_TRACK] = {"slider track", COLOR_BLUE, -1, 0, 0},
    [R_KNOB] = {"slider knob", COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [R_WEIGHTS] = {"weights", COLOR_BLUE, -1, A_BOLD, 0},
    [R_KV] = {"KV cache", COLOR_MAGENTA, -1, A_BOLD, 0},
    [R_COMPUTE] = {"compute buffers", COLOR_CYAN, -1, 0, 0},
    [R_OVERHEAD] = {"runtime overhead", COLOR_YELLOW, -1, 0, 0},
    [R_OUTPUT] = {"output buffer (host)", COLOR_GREEN, -1, 0, 0},
    [R_FREE] = {"free memory", -1, -1, A_DIM, A_DIM},
    [R_MARKER] = {"capacity marker", COLOR_WHITE, -1, A_BOLD, A_BOLD},
    [R_FITS] = {"fits", COLOR_GREEN, -1, A_BOLD, A_BOLD},
    [R_TIGHT] = {"fits, under a tenth free", COLOR_YELLOW, -1, A_BOLD, A_UNDERLINE},
    [R_NOFIT] = {"does not fit", COLOR_RED, -1, A_BOLD, A_REVERSE | A_BOLD},
    [R_KEY] = {"key on the key bar", COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE},
    [R_KEYLABEL] = {"key bar label", -1, -1, 0, 0},
    [R_HEADER] = {"heading", -1, -1, A_BOLD | A_UNDERLINE, A_BOLD | A_UNDERLINE},
    [R_SELECTED] = {"selected row", COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE},
    [R_INFO] = {"status message", COLOR_CYAN, -1, 0, 0},
    [R_WARN] = {"warning", COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [R_ERROR] = {"error", COLOR_RED, -1, A_BOLD, A_BOLD | A_REVERSE},
};

/* Bar segments: role, monochrome glyph (UTF-8, ASCII), name. */
static const struct {
	enum role role;
	const char *utf8, *ascii;
	const char *name;
} segments[SEG_COUNT] = {
    [SEG_WEIGHTS] = {R_WEIGHTS, "\u2588", "#", "weights"},
    [SEG_KV] = {R_KV, "\u2593", "=", "KV cache"},
    [SEG_COMPUTE] = {R_COMPUTE, "\u2592", "+", "compute"},
    [SEG_OVERHEAD] = {R_OVERHEAD, "\u2591", ":", "overhead"},
    [SEG_OUTPUT] = {R_OUTPUT, "\u259a", "o", "output"},
};

static const struct glyphs glyphs_utf8 = {
    .track = "\u2500",      /* ─ */
    .track_fill = "\u2501", /* ━ */
    .knob = "\u25cf",       /* ● */
    .marker = "\u2503",     /* ┃ */
    .focus = "\u25b6",      /* ▶ */
    .vline = "\u2502",      /* │ */
    .free_cell = "\u00b7",  /* · */
    .solid = "\u2588",      /* █ */
};

static const struct glyphs glyphs_ascii = {
    .track = "-",
    .track_fill = "=",
    .knob = "O",
    .marker = "|",
    .focus = ">",
    .vline = "|",
    .free_cell = ".",
    .solid = "#",
};

void ui_theme_init(struct ui *u)
{
	u->g = u->utf8 ? &glyphs_utf8 : &glyphs_ascii;
	if (u->mono)
		return;
	start_color();
	bool defaults = use_default_colors() == OK;
	for (int r = 0; r < R_COUNT; r++) {
		short fg = ui_styles[r].fg, bg = ui_styles[r].bg;
		if (!defaults) {
			fg = fg < 0 ? COLOR_WHITE : fg;
			bg = bg < 0 ? COLOR_BLACK : bg;
		}
		init_pair((short)(r + 1), fg, bg);
	}
}

attr_t ui_attr(const struct ui *u, enum role r)
{
	if (u->mono)
		return ui_styles[r].mono_attr;
	return COLOR_PAIR(r + 1) | ui_styles[r].color_attr;
}

enum role ui_segment_role(enum segment s)
{
	return segments[s].role;
}

const char *ui_segment_glyph(const struct ui *u, enum segment s)
{
	if (!u->mono)
		return u->g->solid;
	return u->utf8 ? segments[s].utf8 : segments[s].ascii;
}

const char *ui_segment_name(enum segment s)
{
	return segments[s].name;
}

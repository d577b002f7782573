/*
 * session.h - the state of an interactive session, without a terminal.
 *
 * State layer.  A session holds the configuration being explored (model,
 * settings, GPU type and count), the pinned configuration A of a what-if,
 * undo and redo stacks, the focused slider or pane, the open view and the
 * open picker or prompt, and the results of the last recalculation (the
 * estimate, the fit on the chosen GPU, the hardware list sorted by fit, the
 * quant comparison, the explain text).
 *
 * Keys reach the session as actions (keys.h).  session_key() changes the
 * state and returns reaction flags; it never runs the engine.  The main
 * loop calls session_recalc() when REACT_RECALC is set, then draws.
 * Nothing here includes curses: the unit tests drive a session directly.
 */
#ifndef VRAMCALC_SESSION_H
#define VRAMCALC_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "estimate.h"
#include "evaluate.h"
#include "fields.h"
#include "hardware.h"
#include "launch.h"
#include "layout.h"
#include "plan.h"
#include "profile.h"
#include "ranking.h"
#include "request.h"

#define CONFIG_MORE_MAX (CLI_MAX_GPU_GROUPS - 1)

/* One point of the configuration space: what undo, pin and save keep.
 * The device set is gpu x gpu_count, then (a mixed set) more_gpu[i] x
 * more_count[i]; the counts sum to at most HW_MAX_DEVICES. */
struct config {
	size_t model;        /* index into the session's catalog */
	struct settings set; /* engine settings */
	size_t gpu;          /* index into the session's device list (the GPU slider's) */
	uint32_t gpu_count;  /* 1..HW_MAX_DEVICES */
	int n_more;          /* further device types of a mixed set, 0..CONFIG_MORE_MAX */
	size_t more_gpu[CONFIG_MORE_MAX];
	uint32_t more_count[CONFIG_MORE_MAX];
};

/* Devices in c's set, all types together. */
uint32_t config_device_count(const struct config *c);

/* One more of device dev in c's set (a new type joins at the end of the
 * split), or one fewer (the last device of the set stays).  False when
 * nothing changed: the set is full, or dev is not in it. */
bool session_set_add(struct config *c, size_t dev);
bool session_set_remove(struct config *c, size_t dev);

/* True when two configurations mean the same thing (field by field). */
bool config_equal(const struct config *a, const struct config *b);

/* Sliders, in the order they are drawn. */
enum slider_id {
	SL_MODEL,
	SL_ENGINE,
	SL_QUANT,
	SL_CONTEXT,
	SL_BATCH,
	SL_KV,
	SL_OFFLOAD,
	SL_OFFLOAD_AMOUNT,
	SL_GPU,
	SL_GPU_COUNT,
	SL_GPU_UTIL,
	SL_FLASH,
	SL_UBATCH,
	SL_SPEC,
	SL_COUNT
};

/* What Enter (or typing) does on a slider. */
enum slider_edit {
	EDIT_NONE,
	EDIT_TOGGLE,     /* Enter flips it (a two-position slider) */
	EDIT_PICK_MODEL, /* Enter opens the model picker */
	EDIT_PICK_GPU,   /* Enter opens the hardware picker */
	EDIT_NUMBER,     /* Enter or a digit opens an exact-entry prompt */
};

struct session;

/* One slider: a row of slider_table.  Every function takes the session
 * and reads or changes only s->cur (the live configuration). */
struct slider_def {
	enum slider_id id;
	const char *label;  /* "context" */
	const char *hint;   /* keys that move it, for the row: "h/l step, +/- x4, Enter type" */
	const char *help;   /* one line for the help screen */
	const char *prompt; /* exact-entry prompt (EDIT_NUMBER), else NULL */
	enum slider_edit edit;
	/* Move one step (dir = +1 or -1), or a big step.  Returns true when
	 * the configuration changed. */
	bool (*step)(struct session *s, int dir, bool big);
	/* The value of configuration c as shown in the row ("Q4_K_M",
	 * "32K tokens"); ev is c's evaluation when there is one (the quant
	 * row adds its bits per weight), else NULL.  s gives the catalogs. */
	void (*format)(const struct session *s, const struct config *c, const struct evaluation *ev,
	               char *buf, size_t n);
	/* Knob position on the track: *pos in 0..*count-1 (count 0: no track). */
	void (*position)(const struct session *s, int *pos, int *count);
	/* Exact entry (EDIT_NUMBER): parse text and set; false with a reason
	 * in err when the text is not a valid value. */
	bool (*set_text)(struct session *s, const char *text, char *err, size_t errlen);
	/* False when the slider means nothing for the configuration (the
	 * offload amount with everything on the GPU); NULL: always on. */
	bool (*enabled)(const struct session *s);
	/* The settings field (fields.h) exact entry parses through, when
	 * set_text is NULL: the same grammar, range and message as the
	 * command line and session files. */
	const char *field;
};

/* The exact-entry prompt of slider d, with the accepted range of its
 * field when it has one: "concurrent sequences (1 to 4096)". */
const char *session_slider_prompt(const struct slider_def *d, char *buf, size_t n);

/* The slider table, indexed by enum slider_id. */
extern const struct slider_def slider_table[SL_COUNT];

/* Context sizes the context slider steps through below max_tokens (the
 * model's native maximum, which is included): powers of two and common
 * sizes from 512.  Fills up to max entries in ascending order; returns the
 * count. */
size_t session_context_steps(uint64_t max_tokens, uint64_t *out, size_t max);

struct session;

/* Quantizations of catalog entry m in slider order: ascending bits per
 * weight as that model's tensors come out under each recipe (so the total
 * falls monotonically to the left), llama.cpp file types first, then vLLM
 * formats.  FT_COUNT entries. */
const enum ftype *session_quant_order(const struct session *s, size_t m);

/* Position of f in the live model's quant order. */
int session_quant_pos(const struct session *s, enum ftype f);

/* The engine whose accounting the live settings follow: vLLM for a vLLM
 * checkpoint format (not a file's stored types), else llama.cpp.  The same
 * rule as estimate.vllm. */
enum ftype_engine session_engine(const struct session *s);

/* The same for configuration c. */
enum ftype_engine config_engine(const struct config *c);

/* Switch the live settings to engine e as the engine slider does: the
 * quantization becomes the one last used with e in this session (vllm-bf16
 * and Q4_K_M to start with), the KV cache type one e accepts, and for vLLM
 * everything goes on the GPU.  A status line says what else changed.
 * Returns false when e is already the engine.  Not an undo step by itself
 * (the caller commits). */
bool session_set_engine(struct session *s, enum ftype_engine e);

/* Make st's KV cache types ones engine e accepts: a quantized cache
 * becomes fp8 (vLLM) or q8_0 (llama.cpp), any other f16.  Returns true
 * when it changed them. */
bool session_kv_for_engine(struct settings *st, enum ftype_engine e);

/* Whether offload mode m moves expert tensors (and so needs experts). */
bool session_offload_moves_experts(enum offload_mode m);

/* Panes that Tab moves between in the main view. */
enum pane { PANE_SLIDERS, PANE_HARDWARE, PANE_COUNT };

/* Views. */
enum view {
	VIEW_MAIN,
	VIEW_COMPARE,
	VIEW_EXPLAIN,
	VIEW_WHATIF,
	VIEW_HELP,
	VIEW_PLAN,  /* solvers, speed and launch commands */
	VIEW_RANK,  /* the models view: the catalog ranked for the live devices */
	VIEW_CHART, /* memory against context (or batch), the capacity line */
	VIEW_COUNT
};

/* The arrangement of the screen a view uses (layout.h). */
enum layout_kind session_view_layout(enum view v);

/* Modal inputs drawn over a view. */
enum modal { MODAL_NONE, MODAL_PICK_MODEL, MODAL_PICK_GPU, MODAL_PICK_SESSION, MODAL_PROMPT };

/* What a prompt's text is for. */
enum prompt_kind {
	PROMPT_SLIDER,
	PROMPT_SAVE,
	PROMPT_OVERWRITE, /* y/n: replace the saved session save_name */
	PROMPT_HW_SEARCH  /* text searched in the hardware list's names and ids */
};

#define SESSION_UNDO_MAX    64
#define SESSION_TEXT_MAX    64
#define SESSION_LINE_MAX    160
#define SESSION_EXPLAIN_MAX 96
#define SESSION_SAVED_MAX   64

/* Status line severity. */
enum status_level { STATUS_INFO, STATUS_WARN, STATUS_ERROR };

/* A device of the hardware list with its fit. */
struct hw_row {
	size_t dev;             /* index into the device list */
	int group;              /* 0 fits on one, 1 needs several, 2 does not fit */
	uint32_t needed;        /* devices needed (0: none up to HW_MAX_DEVICES) */
	int64_t headroom_bytes; /* with `needed` devices (1 when none fit) */
	uint64_t usable_bytes;  /* what one device offers (before vLLM's share) */
	enum fit_level level;   /* group 0 by the margin; 1 tight; 2 does not fit */
};

/* One quantization of the compare view. */
struct compare_row {
	enum ftype ftype;
	bool valid;    /* passed estimate_check */
	char err[128]; /* reason when not valid */
	uint64_t weights_bytes, kv_bytes, total_bytes, gpu_bytes;
	uint64_t weights_gpu_bytes, kv_gpu_bytes; /* the parts on the GPUs (the bar) */
	uint64_t capacity_bytes; /* what the devices offer this engine, all together */
	double bpw;              /* of the weights */
	struct hw_fit fit;       /* on the chosen GPU x count */
	enum fit_level level;    /* of fit, by the session's margin */
};

/* One solver's answer for the live configuration, a row of the plan view. */
struct plan_row {
	enum solve_what what;
	bool applies;            /* false: the solver means nothing here (note says why) */
	char note[96];           /* "n/a: CPU only, nothing to move" */
	struct solve_result res; /* the answer: settings, device count, estimate, fit */
	struct speed speed;      /* speed at the answer on the live device */
	enum fit_level level;    /* of the answer's fit, by the session's margin */
};

/* The plan view's results (session_plan fills them). */
struct plan_view {
	struct plan_row row[SOLVE_COUNT]; /* in enum solve_what order (the live
	                                   * speed is the evaluation's, ev.speed) */
	char launch[LAUNCH_COUNT][1024];  /* as vramcalc --emit prints them */
};

/* The models view (m): every catalog model ranked for the live device set
 * at the live context (ranking.h).  The ladders are prepared the first
 * time the view opens; the ranking reruns only when the devices or the
 * settings it depends on change. */
struct rank_view {
	struct ranking r;          /* owned once ready */
	bool ready;                /* r prepared (for r.engine) */
	bool ran;                  /* rows hold the answers for `key` */
	struct config key;         /* what they were ranked for (model and quant ignored) */
	size_t *order;             /* catalog indices shown, sorted (owned, cat->n) */
	size_t n;                  /* rows shown */
	size_t sel;                /* index into order */
	enum rank_sort sort;       /* o cycles it */
	struct rank_filter filter; /* f toggles fitting_only; the rest from the command line */
	struct margin margin;      /* the margin and host memory they were ranked with */
	uint64_t host_ram_bytes;
};

/* The chart view's axis. */
enum chart_axis { CHART_CONTEXT, CHART_BATCH };

#define CHART_POINTS_MAX   160 /* samples along the x axis */
#define CHART_OVERLAYS_MAX 3   /* curves over the stack: A and two quants */

/* The chart view (g): GPU memory of the live configuration sampled along
 * one axis, each sample split into weights, KV cache, compute buffer and
 * overhead (bytes, summed over the devices), against the devices'
 * capacity.  The largest value that fits is the solver's answer (the one
 * `--solve context` or `--solve batch` prints), not read off the curve. */
struct chart_view {
	enum chart_axis axis;
	int n;                                   /* samples */
	uint64_t x[CHART_POINTS_MAX];            /* tokens of context, or sequences */
	uint64_t seg_bytes[CHART_POINTS_MAX][4]; /* weights, KV, compute, overhead on the GPUs */
	uint64_t gpu_bytes[CHART_POINTS_MAX];    /* their sum: what the devices hold */
	bool valid[CHART_POINTS_MAX];            /* the settings passed estimate_check there */
	uint64_t capacity_bytes; /* usable memory of the devices (vLLM: its share) */
	uint32_t gpu_count;
	bool solved;             /* the solver applies */
	struct solve_result ans; /* its answer (status, settings) */
	uint64_t ans_x;          /* the answer on the axis (tokens or sequences) */
	uint64_t live_x;         /* the live setting on the axis */
	/* Curves drawn over the stack for comparison: the pinned
	 * configuration A, and the quantizations a big step (+/-) below and
	 * above the live one, each sampled at the same x values on its own
	 * devices. */
	int n_over;
	struct chart_overlay {
		char label[32];                       /* "A Q8_0 (pinned)", "Q2_K" */
		char mark;                            /* its glyph on the chart: 'A', '1', '2' */
		bool pinned;                          /* the pinned configuration */
		uint64_t gpu_bytes[CHART_POINTS_MAX]; /* what its devices hold */
		bool valid[CHART_POINTS_MAX];
	} over[CHART_OVERLAYS_MAX];
};

/* A filtered list: the model, hardware or saved-session picker. */
struct picker {
	char query[SESSION_TEXT_MAX]; /* typed filter */
	size_t *match;                /* indices that pass the filter (owned) */
	size_t n, cap;
	size_t sel;                      /* index into match */
	char (*names)[SESSION_TEXT_MAX]; /* saved sessions (MODAL_PICK_SESSION) */
	size_t n_names;
};

/* The configuration and its history: what the user chose (the live
 * configuration, the pinned one, undo and redo), and the assumptions every
 * evaluation of it uses.  Changes here are what REACT_RECALC recalculates. */
struct session_config {
	struct config cur; /* the live configuration (B when pinned) */
	bool pinned;
	struct config pin; /* A */
	struct config undo[SESSION_UNDO_MAX], redo[SESSION_UNDO_MAX];
	int n_undo, n_redo;
	/* The quantization last used with each engine, for the engine slider. */
	enum ftype engine_ftype[2];
	bool engine_file_types;           /* llama.cpp's was "as stored in the file" */
	struct margin margin;             /* separates fits from tight (--margin) */
	uint64_t host_ram_bytes;          /* this machine's memory (0: unknown) */
	struct speed_params speed_params; /* the speed model's assumptions (--prompt, --host-bw);
	                                   * gpu_count is set per estimate */
	const char *model_path;           /* the GGUF file_model came from (borrowed), for the
	                                   * llama-server command; NULL: a placeholder name */
	const char *mmproj_path;          /* --mmproj FILE (borrowed), or NULL */
};

/* Results of session_recalc(): one evaluation of the live configuration
 * (and of the pinned one), which the views, like --print and --json, only
 * read. */
struct session_results {
	struct evaluation ev;
	struct evaluation pin_ev;
};

/* What is on the screen: the view, its selection and scroll positions, the
 * open picker or prompt, the status lines, and the rows each view computes
 * for itself from the configuration (hardware list, compare rows, plan
 * answers, ranking, chart samples, explain text). */
struct session_screen {
	enum view view;
	enum pane pane;
	int slider; /* focused slider (enum slider_id) */
	enum modal modal;
	struct picker pick;
	enum prompt_kind prompt_kind;
	char prompt[SESSION_TEXT_MAX];
	char save_name[SESSION_TEXT_MAX]; /* the session name PROMPT_OVERWRITE asks about */
	char status[256];                 /* the last action's message; cleared by the next key */
	enum status_level status_level;
	char warning[256]; /* a standing warning (profile loading), shown when
	                    * there is no status message */

	/* The main view's hardware list. */
	struct hw_row *hw; /* sorted, filtered hardware list (owned) */
	size_t n_hw;
	size_t hw_sel;                   /* selected row */
	int hw_filter;                   /* -1: every category, else enum hw_category */
	char hw_query[SESSION_TEXT_MAX]; /* last search (n, N repeat it) */
	bool hw_hidden;  /* no room for the list beside the sliders (ui sets it): it is
	                  * drawn in their place while focused (Tab) */
	bool show_speed; /* the main view shows speed and launch commands (ui sets it) */

	/* The compare view. */
	struct compare_row cmp[FT_COUNT];
	size_t cmp_sel;

	/* The plan view.  Its solver answers are cached: they belong to
	 * plan_for and are recomputed only when the live configuration
	 * differs. */
	struct plan_view plan;
	size_t plan_sel; /* selected row (enum solve_what) */
	bool plan_fresh;
	struct config plan_for;

	struct rank_view rank;   /* the models view */
	struct chart_view chart; /* the chart view's samples (session_chart fills them) */

	/* The explain view's text; scroll is the first line shown of the
	 * explain and help views. */
	char explain[SESSION_EXPLAIN_MAX][SESSION_LINE_MAX];
	int n_explain;
	int scroll;
	int page_rows; /* rows the open view's table or text shows (ui sets it; a page) */
};

/* The session.  Create with session_init(), release with session_free().
 * The catalogs it works on, then its three parts: the configuration and
 * history, the evaluation results, and the screen's per-view state. */
struct session {
	/* Catalogs: borrowed, must outlive the session. */
	const struct catalog *cat;
	const struct device_list *devs;
	struct model *models;                /* cat->n prepared models (owned) */
	size_t *model_order;                 /* catalog indices by total parameters (owned) */
	size_t *gpu_order;                   /* device indices by usable memory (owned) */
	enum ftype (*quant_order)[FT_COUNT]; /* per model, see session_quant_order (owned) */
	/* The tensor types of every estimate the session runs (evaluations,
	 * compare rows, solvers, chart samples): allocated once for the
	 * largest model at session_init, never per keypress (owned). */
	struct estimate_scratch scratch;
	size_t file_model;      /* the entry whose tensors came from a file (SIZE_MAX: none):
	                         * the only one "as stored" (settings.file_types) means anything */
	char sessions_dir[512]; /* where s/S save and load */

	struct session_config config;
	struct session_results results;
	struct session_screen screen;
};

/* Start a session on catalog entry `model` with settings, device `gpu` and
 * count.  Prepares every model of the catalog (their tensor lists), except
 * that when `given` is not NULL it is entry `model` already prepared (a
 * GGUF's stored tensor list): the session takes it over, releases it in
 * session_free(), and leaves *given empty.  Returns false with a reason on
 * allocation failure.  The caller sets sessions_dir and host_ram_bytes
 * afterwards if it wants them. */
bool session_init(struct session *s, const struct catalog *cat, const struct device_list *devs,
                  size_t model, const struct settings *set, size_t gpu, uint32_t gpu_count,
                  struct model *given, char *err, size_t errlen);
void session_free(struct session *s);

/* Select catalog entry i as the live model, adjusting settings it cannot
 * take (expert offload on a dense model, layer counts past its depth,
 * different K and V types with MLA, stored types of a file it does not
 * come from); a status line says what changed. */
void session_select_model(struct session *s, size_t i);

/* The prepared model of catalog entry i. */
const struct model *session_model(const struct session *s, size_t i);

/* Reaction flags returned by key handling (htop's Htop_Reaction). */
enum reaction {
	REACT_NONE = 0,
	REACT_REDRAW = 1 << 0, /* something visible changed */
	REACT_RECALC = 1 << 1, /* the configuration changed: run the engine */
	REACT_QUIT = 1 << 2,   /* leave the program */
};

/* Handle one key (a keys.h code).  Routes text to an open picker or
 * prompt, otherwise looks the key up in the key table.  Returns reaction
 * flags. */
unsigned session_key(struct session *s, int key);

/* What the screen offers beyond the view (KEYS_WHEN_* of keys.h): the key
 * bar offers a binding only when its needs are met. */
unsigned session_key_when(const struct session *s);

/* The layout flags (enum layout_flag) the session's focus asks for. */
unsigned session_layout_flags(const struct session *s);

/* Carry out one action of the key table (enum action, keys.h). */
unsigned session_action(struct session *s, int action);

/* Recalculate everything the current view shows: the live estimate and
 * fit, the pinned one, the hardware list, and the compare or explain
 * view's rows.  Calls the engine; allocation-free. */
void session_recalc(struct session *s);

/* Change the live configuration to c as one undoable step.  Returns true
 * when it differed. */
bool session_set_config(struct session *s, const struct config *c);

/* Undo or redo one change; false when there is nothing to undo/redo. */
bool session_undo(struct session *s);
bool session_redo(struct session *s);

/* Set the status line (printf-style). */
void session_status(struct session *s, enum status_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* How comfortably a fit fits with the session's margin: FIT_NO when it
 * overflows, FIT_TIGHT when the fullest device has less than the margin
 * of budget_bytes (what one device offers) left. */
enum fit_level session_fit_level(const struct session *s, const struct hw_fit *f,
                                 uint64_t budget_bytes);

/* The request configuration c stands for: its model, settings and device
 * set, with the session's host memory, margin and speed assumptions. */
void session_request(const struct session *s, const struct config *c, struct request *r);

/* Devices of category filter `filter` (-1 all) sorted by fit for est:
 * those that fit on one device (smallest first), those that need several
 * (fewest first), those that never fit (largest first).  Writes up to max
 * rows and returns the count. */
size_t session_rank_hardware(const struct estimate *est, const struct device_list *devs, int filter,
                             const struct margin *margin, struct hw_row *out, size_t max);

/* Does catalog entry i match a picker query?  Every whitespace-separated
 * word must match the id, name, family or size ("8b", "70B"); a word
 * "<N" or ">N" (N with an optional b or m suffix) compares total
 * parameters. */
bool session_model_matches(const struct session *s, size_t i, const char *query);

/* Saved sessions.  The directory is $XDG_CONFIG_HOME/vramcalc/sessions
 * (~/.config/vramcalc/sessions when XDG_CONFIG_HOME is unset or empty). */
void session_default_dir(char *buf, size_t n);

/* Is name usable as a session name (letters, digits, '.', '_', '-', not
 * starting with '.', at most 48 characters)? */
bool session_name_valid(const char *name);

/* Write the live configuration to DIR/NAME.ini atomically (a temporary
 * file in DIR, fsync, rename).  On failure the previous file is left as it
 * was, the temporary file removed, and err names the cause. */
/* Sample the live configuration along the chart's axis and solve for the
 * largest value that fits (chart.c).  Needs a valid live evaluation. */
void session_chart(struct session *s);

/* True when a saved session of that name is on disk (s asks before
 * replacing it). */
bool session_saved_exists(const struct session *s, const char *name);
bool session_save(const struct session *s, const char *name, char *err, size_t errlen);

/* A session file is a few hundred bytes; larger files are refused before
 * they are read (loading is linear, see ini.h). */
#define SESSION_FILE_MAX_BYTES (64 * 1024)

/* Read DIR/NAME.ini into *c (validated against the catalogs; the settings
 * are checked with an estimate on the session's scratch).  On failure *c
 * is untouched and err names the file (and line), key and value; a key
 * given twice is an error. */
bool session_load(struct session *s, const char *name, struct config *c, char *err, size_t errlen);

/* The options a configuration stands for (model id, settings, one device
 * type and count), with every other field at its default: what session
 * files and the sliders' text entry parse into through the field table.
 * o borrows the catalog's id strings. */
void session_options_from_config(const struct session *s, const struct config *c,
                                 struct cli_options *o);

/* Resolve options back into a configuration: the model id against the
 * catalog, the device id against the device list.  On failure *c is
 * untouched and err names the key and value ("gpu: no hardware profile
 * 'x'"). */
bool session_config_from_options(const struct session *s, const struct cli_options *o,
                                 struct config *c, char *err, size_t errlen);

/* Parse text into the live configuration through settings field `name`
 * (fields.h), as the sliders' text entry does.  On failure the live
 * configuration is unchanged and err reads "NAME: reason", the same
 * reason the command line and session files give. */
bool session_set_field(struct session *s, const char *name, const char *text, char *err,
                       size_t errlen);

/* Names of the saved sessions in DIR, sorted; returns the count. */
size_t session_list_saved(const char *dir, char (*names)[SESSION_TEXT_MAX], size_t max);

/* Fill s->explain with how each number of the live estimate was computed. */
void session_explain(struct session *s);

/* Fill s->plan for the live configuration: every solver's answer on the
 * live device type and count (the batch solver keeps the context each
 * sequence has now), the speed at each answer and of the live settings,
 * and both launch commands.  Needs a valid live estimate (s->valid);
 * session_recalc() calls it in the plan view.  Allocation-free. */
void session_plan(struct session *s);

/* Fill only s->plan.launch for the live configuration (the wide main
 * view's launch commands; session_plan calls it too; the speed is the
 * evaluation's, results.ev.speed).  Needs a valid live estimate. */
void session_speed(struct session *s);

/* Rank the catalog for the live device set and settings (again only when
 * they changed since the last ranking), then filter and sort the rows.
 * session_recalc() calls it in the models view. */
void session_rank(struct session *s);

/* The models view's own keys: Enter opens the selected model in the main
 * view at its ranked quantization (one undoable step), o the next order, f
 * fitting models only or all, Left/Right the context.  Returns reaction
 * flags; REACT_NONE for an action it does not handle. */
unsigned session_rank_action(struct session *s, int action);

/* Release the models view's ranking (session_free calls it). */
void session_rank_free(struct session *s);

/* Adopt plan row `what` into the live configuration as one undoable step
 * (settings and device count of the answer).  Refuses, with a status
 * line, a solver that does not apply or found nothing.  Returns reaction
 * flags. */
unsigned session_plan_adopt(struct session *s, enum solve_what what);

#endif

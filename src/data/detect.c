/*
 * detect.c - read this machine's GPUs and host memory (see detect.h).
 *
 * Helper programs (nvidia-smi, sysctl) run through run_helper(): fork and
 * execv of the file found on PATH (no shell), stdin and stderr on
 * /dev/null, stdout through a pipe read with poll() against a deadline,
 * at most DETECT_OUTPUT_MAX bytes kept.  The child leads its own process
 * group, so a helper that hangs is killed with whatever it started.
 */
#include "detect.h"

#include "files.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MIB (1ull << 20)
#define GIB (1ull << 30)

static const char *const source_names[DETECT_SOURCE_COUNT] = {
    [DETECT_NVIDIA] = "nvidia-smi",
    [DETECT_AMD] = "sysfs",
    [DETECT_APPLE] = "sysctl",
};

const char *detect_source_name(enum detect_source src)
{
	return (src >= 0 && src < DETECT_SOURCE_COUNT) ? source_names[src] : "?";
}

void detect_note(struct detect_result *r, const char *fmt, ...)
{
	if (r->n_notes >= DETECT_MAX_NOTES)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->note[r->n_notes++], DETECT_NOTE_LEN, fmt, ap);
	va_end(ap);
}

void detect_env_init(struct detect_env *env)
{
	const char *root = getenv("VRAMCALC_SYSROOT");
	const char *path = getenv("PATH");
	const char *t = getenv("VRAMCALC_DETECT_TIMEOUT_MS");
	memset(env, 0, sizeof(*env));
	env->sysroot = root ? root : "";
	env->path = path ? path : "/usr/bin:/bin";
	env->timeout_ms = DETECT_TIMEOUT_MS;
	if (t && *t) {
		char *end;
		unsigned long v = strtoul(t, &end, 10);
		if (!*end && v > 0 && v <= 600000)
			env->timeout_ms = (unsigned)v;
	}
	env->nvidia = env->amd = env->apple = true;
}

/* ---- reading files and numbers ---- */

/* A line of text fit for a message: at most 60 characters, anything not
 * printable shown as '?'. */
static const char *printable(const char *s, size_t len, char *buf, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < len && s[i] && k + 4 < n && i < 60; i++)
		buf[k++] = isprint((unsigned char)s[i]) ? s[i] : '?';
	if (len > 60 && k + 4 < n) {
		memcpy(buf + k, "...", 3);
		k += 3;
	}
	buf[k] = '\0';
	return buf;
}

/* Read a small file whole into buf (NUL-terminated, trailing whitespace
 * removed).  False when it cannot be opened or read. */
static bool read_small(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return false;
	size_t len = 0;
	for (;;) {
		ssize_t r = read(fd, buf + len, n - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			return false;
		}
		if (r == 0 || (len += (size_t)r) == n - 1)
			break;
	}
	close(fd);
	buf[len] = '\0';
	while (len && isspace((unsigned char)buf[len - 1]))
		buf[--len] = '\0';
	return true;
}

/* A whole decimal number, leading and trailing blanks allowed. */
static bool parse_u64_text(const char *s, uint64_t *out)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return false;
	while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
		end++;
	if (*end)
		return false;
	*out = v;
	return true;
}

/* ---- running a helper program ---- */

/* What a helper program did. */
struct helper_run {
	char out[DETECT_OUTPUT_MAX + 1]; /* its stdout, NUL-terminated */
	size_t len;
	bool truncated; /* it printed more than DETECT_OUTPUT_MAX bytes */
	bool timed_out; /* killed at the deadline */
	int exec_errno; /* execv failed with this (0: it ran) */
	int status;     /* waitpid status (when it ran) */
};

/* The first executable regular file `name` in the PATH-style list, into
 * buf.  False when there is none. */
static bool find_on_path(const char *path, const char *name, char *buf, size_t n)
{
	for (const char *p = path;;) {
		const char *colon = strchr(p, ':');
		size_t len = colon ? (size_t)(colon - p) : strlen(p);
		int w = len ? snprintf(buf, n, "%.*s/%s", (int)len, p, name)
		            : snprintf(buf, n, "./%s", name);
		struct stat st;
		if (w > 0 && (size_t)w < n && stat(buf, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(buf, X_OK) == 0)
			return true;
		if (!colon)
			return false;
		p = colon + 1;
	}
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* pipe() with both ends close-on-exec (no pipe2 on macOS). */
static bool pipe_cloexec(int fds[2])
{
	if (pipe(fds) < 0)
		return false;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return true;
}

static void kill_group(pid_t pid)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
}

/* Run `file` with argv (no shell) and collect its stdout within
 * timeout_ms.  False (with errno-style cause in err) only when it could
 * not be started at all; otherwise r says what happened. */
static bool run_helper(const char *file, char *const argv[], unsigned timeout_ms,
                       struct helper_run *r, char *err, size_t errlen)
{
	int out[2], ex[2];
	memset(r, 0, sizeof(*r));
	if (!pipe_cloexec(out)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return false;
	}
	if (!pipe_cloexec(ex)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		close(out[0]);
		close(out[1]);
		return false;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(out[0]);
		close(out[1]);
		close(ex[0]);
		close(ex[1]);
		return false;
	}
	if (pid == 0) {
		/* child: only async-signal-safe calls from here on */
		setpgid(0, 0);
		int devnull = open("/dev/null", O_RDWR);
		if (devnull >= 0) {
			dup2(devnull, STDIN_FILENO);
			dup2(devnull, STDERR_FILENO);
		}
		dup2(out[1], STDOUT_FILENO);
		signal(SIGPIPE, SIG_DFL);
		execv(file, argv);
		int e = errno;
		ssize_t w = write(ex[1], &e, sizeof(e));
		(void)w;
		_exit(127);
	}
	close(out[1]);
	close(ex[1]);
	setpgid(pid, pid); /* either side may win the race; both ask for the same */

	int64_t deadline = now_ms() + timeout_ms;
	bool eof = false;
	while (!eof) {
		int64_t left = deadline - now_ms();
		if (left <= 0) {
			r->timed_out = true;
			break;
		}
		struct pollfd pf = {out[0], POLLIN, 0};
		int pr = poll(&pf, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			break;
		if (pr == 0)
			continue; /* the deadline check above ends the loop */
		char chunk[4096];
		ssize_t got = read(out[0], chunk, sizeof(chunk));
		if (got < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (got <= 0) {
			eof = true;
			break;
		}
		size_t room = DETECT_OUTPUT_MAX - r->len;
		size_t take = (size_t)got < room ? (size_t)got : room;
		memcpy(r->out + r->len, chunk, take);
		r->len += take;
		if (take < (size_t)got) {
			r->truncated = true;
			break;
		}
	}
	close(out[0]);
	r->out[r->len] = '\0';

	/* Output done: give it until the deadline to exit, then stop it.  A
	 * process stuck in the kernel (a wedged driver) may not die even then:
	 * after a grace period it is left behind rather than waited for. */
	int status = 0;
	bool killed = false;
	int64_t give_up = 0;
	if (r->timed_out || r->truncated) {
		kill_group(pid);
		killed = true;
		give_up = now_ms() + 500;
	}
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			status = 0;
			break;
		}
		int64_t t = now_ms();
		if (!killed && t >= deadline) {
			r->timed_out = true;
			kill_group(pid);
			killed = true;
			give_up = t + 500;
		}
		if (killed && t >= give_up) {
			status = 0;
			break;
		}
		struct timespec ts = {0, 2 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	if (killed)
		kill(-pid, SIGKILL); /* anything it left behind in its group */
	r->status = status;

	int e = 0;
	ssize_t got;
	do
		got = read(ex[0], &e, sizeof(e));
	while (got < 0 && errno == EINTR);
	close(ex[0]);
	if (got == (ssize_t)sizeof(e))
		r->exec_errno = e;
	return true;
}

/* Describe a helper that did not answer cleanly; true when it did. */
static bool helper_ok(struct detect_result *res, const char *what, const char *file,
                      const struct helper_run *r, unsigned timeout_ms)
{
	char line[96];
	const char *nl = strchr(r->out, '\n');
	size_t first = nl ? (size_t)(nl - r->out) : r->len;
	if (r->exec_errno) {
		detect_note(res, "%s: cannot run %s: %s", what, file, strerror(r->exec_errno));
		return false;
	}
	if (r->timed_out) {
		detect_note(res, "%s: no answer within %u ms; stopped it", what, timeout_ms);
		return false;
	}
	if (WIFSIGNALED(r->status) && !r->truncated) {
		detect_note(res, "%s: killed by signal %d", what, WTERMSIG(r->status));
		return false;
	}
	if (WIFEXITED(r->status) && WEXITSTATUS(r->status) != 0) {
		detect_note(res, "%s: exited with status %d%s%s", what, WEXITSTATUS(r->status),
		            first ? ": " : "", printable(r->out, first, line, sizeof(line)));
		return false;
	}
	if (r->truncated)
		detect_note(res, "%s: more than %u KiB of output; read the first %u KiB", what,
		            DETECT_OUTPUT_MAX >> 10, DETECT_OUTPUT_MAX >> 10);
	return true;
}

/* ---- matching a name to a profile ---- */

#define MAX_WORDS 24
#define WORD_LEN  24

/* A name as words: lower case, split at anything not a letter or digit,
 * vendor and brand words dropped, memory sizes ("80gb") dropped. */
struct words {
	int n;
	char w[MAX_WORDS][WORD_LEN];
};

static const char *const brand_words[] = {
    "nvidia",   "geforce",     "amd", "ati", "radeon", "intel", "apple", "tesla",
    "graphics", "corporation", "inc", "r",   "tm",     "gpu",   "aws",   NULL,
};

/* Words that name a different product of the same number: they must agree. */
static const char *const variant_words[] = {
    "ti",   "super", "xt",   "xtx",    "gre",    "max",  "pro", "ultra",
    "plus", "nvl",   "mini", "laptop", "mobile", "lite", NULL,
};

static bool in_list(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(w, *list))
			return true;
	return false;
}

/* "80gb", "24g": a memory size, not a model word. */
static bool is_memory_word(const char *w)
{
	size_t d = 0;
	while (isdigit((unsigned char)w[d]))
		d++;
	return d > 0 && (!strcmp(w + d, "gb") || !strcmp(w + d, "g"));
}

static void split_words(const char *name, struct words *out)
{
	out->n = 0;
	for (const char *p = name; *p;) {
		while (*p && !isalnum((unsigned char)*p))
			p++;
		if (!*p)
			break;
		char w[WORD_LEN];
		size_t k = 0;
		while (isalnum((unsigned char)*p)) {
			if (k + 1 < sizeof(w))
				w[k++] = (char)tolower((unsigned char)*p);
			p++;
		}
		w[k] = '\0';
		/* "sxm5", "sxm4": the form factor, whichever generation */
		if (!strncmp(w, "sxm", 3))
			w[3] = '\0';
		if (in_list(w, brand_words) || is_memory_word(w) || out->n == MAX_WORDS)
			continue;
		memcpy(out->w[out->n++], w, sizeof(w));
	}
}

static bool has_word(const struct words *ws, const char *w)
{
	for (int i = 0; i < ws->n; i++)
		if (!strcmp(ws->w[i], w))
			return true;
	return false;
}

static bool has_digit(const char *w)
{
	for (; *w; w++)
		if (isdigit((unsigned char)*w))
			return true;
	return false;
}

int detect_match_profile(const char *name, uint64_t total_bytes, bool unified,
                         const struct device_list *profiles)
{
	struct words got;
	split_words(name, &got);
	const char *model = NULL;
	for (int i = 0; i < got.n && !model; i++)
		if (has_digit(got.w[i]))
			model = got.w[i];
	if (!model || !profiles)
		return -1;

	int best = -1, best_score = INT_MIN;
	for (size_t p = 0; p < profiles->n; p++) {
		const struct device *d = &profiles->v[p];
		struct words want;
		split_words(d->name, &want);
		if (!has_word(&want, model))
			continue;
		bool ok = true;
		int shared = 0, extra = 0;
		for (int i = 0; i < want.n && ok; i++) {
			bool in = has_word(&got, want.w[i]);
			ok = in || !in_list(want.w[i], variant_words);
			shared += in;
			extra += !in;
		}
		for (int i = 0; i < got.n && ok; i++)
			ok = has_word(&want, got.w[i]) || !in_list(got.w[i], variant_words);
		if (!ok)
			continue;
		if (total_bytes && !unified && !d->unified) {
			double ratio = (double)total_bytes / (double)d->memory_bytes;
			if (ratio < 0.9 || ratio > 1.1)
				continue;
		}
		int score = 2 * shared - extra;
		if (score > best_score) {
			best_score = score;
			best = (int)p;
		}
	}
	return best;
}

/* Fill g->profile and g->dev from the profile list and what was read. */
static void resolve_device(struct detected_gpu *g, const struct device_list *profiles)
{
	bool unified = g->source == DETECT_APPLE;
	g->profile = detect_match_profile(g->name, g->total_bytes, unified, profiles);
	struct device *d = &g->dev;
	if (g->profile >= 0) {
		*d = profiles->v[g->profile];
		if (g->total_bytes)
			d->memory_bytes = g->total_bytes;
		return;
	}
	memset(d, 0, sizeof(*d));
	static const char *const prefix[DETECT_SOURCE_COUNT] = {"nvidia", "amd", "apple"};
	if (g->source == DETECT_APPLE)
		snprintf(d->id, sizeof(d->id), "apple");
	else
		snprintf(d->id, sizeof(d->id), "%s-%d", prefix[g->source], g->index);
	snprintf(d->name, sizeof(d->name), "%s", g->name);
	snprintf(d->vendor, sizeof(d->vendor), "%s",
	         g->source == DETECT_NVIDIA ? "NVIDIA"
	         : g->source == DETECT_AMD  ? "AMD"
	                                    : "Apple");
	d->category = unified ? HW_UNIFIED : HW_CONSUMER;
	d->memory_bytes = g->total_bytes;
	d->unified = unified;
	/* macOS lets the GPU wire about 2/3 of memory up to 36 GB, 3/4 above */
	d->gpu_share = !unified ? 1.0 : g->total_bytes > 36 * GIB ? 0.75 : 2.0 / 3.0;
}

void detect_device(const struct detected_gpu *g, bool subtract_used, struct device *out)
{
	*out = g->dev;
	if (subtract_used && g->used_known)
		out->memory_bytes =
		    out->memory_bytes > g->used_bytes ? out->memory_bytes - g->used_bytes : 0;
}

uint32_t detect_device_set(const struct detect_result *r, bool subtract_used, struct device *out,
                           uint32_t max)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < r->n_gpu && n < max; i++)
		if (r->gpu[i].dev.memory_bytes)
			detect_device(&r->gpu[i], subtract_used, &out[n++]);
	return n;
}

bool detect_same_device(const struct device *a, const struct device *b)
{
	return !strcmp(a->id, b->id) && a->memory_bytes == b->memory_bytes &&
	       a->gpu_share == b->gpu_share;
}

bool detect_set_identical(const struct device *set, uint32_t n)
{
	for (uint32_t k = 1; k < n; k++)
		if (!detect_same_device(&set[k], &set[0]))
			return false;
	return true;
}

int detect_append_groups(const struct detect_result *r, bool subtract_used,
                         struct device_list *devs, size_t *group_dev, uint32_t *group_count,
                         int max_groups, char *err, size_t errlen)
{
	struct device set[DETECT_MAX_GPUS];
	uint32_t n = detect_device_set(r, subtract_used, set, DETECT_MAX_GPUS);
	int groups = 0;
	for (uint32_t k = 0; k < n; k++)
		if (k == 0 || !detect_same_device(&set[k - 1], &set[k]))
			groups++;
	if (groups > max_groups) {
		snprintf(err, errlen,
		         "%d different devices detected; at most %d kinds can be split over",
		         groups, max_groups);
		return -1;
	}
	if (!n)
		return 0;
	struct device *v = realloc(devs->v, (devs->n + n) * sizeof(*v));
	if (!v) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	devs->v = v;
	int g = -1;
	for (uint32_t k = 0; k < n; k++) {
		if (k == 0 || !detect_same_device(&set[k - 1], &set[k])) {
			g++;
			group_dev[g] = devs->n;
			group_count[g] = 0;
			devs->v[devs->n++] = set[k];
		}
		group_count[g]++;
	}
	return g + 1;
}

int detect_auto_groups(const struct detect_env *env, struct device_list *devs, bool subtract_used,
                       size_t *group_dev, uint32_t *group_count, int max_groups, char *err,
                       size_t errlen)
{
	struct detect_result *r = malloc(sizeof(*r));
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	detect_run(env, devs, r);
	int n = detect_append_groups(r, subtract_used, devs, group_dev, group_count, max_groups,
	                             err, errlen);
	if (n == 0) {
		size_t used = (size_t)snprintf(err, errlen, "no GPU detected");
		for (int i = 0; i < r->n_notes && used < errlen; i++)
			used += (size_t)snprintf(err + used, errlen - used, "%s%s", i ? "; " : ": ",
			                         r->note[i]);
	}
	free(r);
	return n;
}

/* ---- NVIDIA ---- */

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* nvidia-smi's way of saying a value is not available. */
static bool not_reported(const char *v)
{
	return !strcmp(v, "[N/A]") || !strcmp(v, "N/A") || !strncmp(v, "[Not Supported]", 15) ||
	       !strcmp(v, "[Unknown Error]");
}

/* MiB as nvidia-smi prints it (nounits) into bytes; 0 with *ok for "not
 * reported". */
static bool parse_mib(const char *v, uint64_t *bytes, bool *known)
{
	uint64_t mib;
	if (not_reported(v)) {
		*bytes = 0;
		*known = false;
		return true;
	}
	if (!parse_u64_text(v, &mib) || mib > (1ull << 32)) /* 4 PiB: nonsense */
		return false;
	*bytes = mib * MIB;
	*known = true;
	return true;
}

uint32_t detect_parse_nvidia_smi(const char *text, struct detect_result *out)
{
	uint32_t added = 0;
	int lineno = 0;
	for (const char *p = text; *p;) {
		const char *start = p, *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		p += len + (nl ? 1 : 0);
		lineno++;
		char line[512], msg[96];
		if (len >= sizeof(line)) {
			detect_note(out, "nvidia-smi: line %d: too long: '%s'", lineno,
			            printable(start, len, msg, sizeof(msg)));
			continue;
		}
		memcpy(line, start, len);
		line[len] = '\0';
		char *l = trim(line);
		if (!*l)
			continue;
		/* index, name (may itself hold commas), total, used */
		char *c1 = strchr(l, ','), *c3 = strrchr(l, ','), *c2 = NULL;
		if (c1 && c3 > c1) {
			*c3 = '\0';
			c2 = strrchr(l, ',');
			if (c2 == c1)
				c2 = NULL;
		}
		if (!c2) {
			detect_note(out,
			            "nvidia-smi: line %d: not 'index, name, total, used': '%s'",
			            lineno, printable(start, len, msg, sizeof(msg)));
			continue;
		}
		*c1 = *c2 = '\0';
		char *name = trim(c1 + 1);
		uint64_t index, total, used;
		bool total_known, used_known;
		if (!parse_u64_text(l, &index) || index > 9999 || !*name ||
		    !parse_mib(trim(c2 + 1), &total, &total_known) ||
		    !parse_mib(trim(c3 + 1), &used, &used_known)) {
			detect_note(out, "nvidia-smi: line %d: cannot read '%s'", lineno,
			            printable(start, len, msg, sizeof(msg)));
			continue;
		}
		if (out->n_gpu == DETECT_MAX_GPUS) {
			detect_note(out, "nvidia-smi: more than %d GPUs; the rest left out",
			            DETECT_MAX_GPUS);
			break;
		}
		struct detected_gpu *g = &out->gpu[out->n_gpu++];
		memset(g, 0, sizeof(*g));
		g->source = DETECT_NVIDIA;
		g->index = (int)index;
		char clean[96];
		snprintf(g->name, sizeof(g->name), "%s",
		         printable(name, strlen(name), clean, sizeof(clean)));
		g->total_bytes = total_known ? total : 0;
		g->used_known = used_known && total_known;
		g->used_bytes = g->used_known ? (used < total ? used : total) : 0;
		g->profile = -1;
		added++;
	}
	return added;
}

static void detect_nvidia(const struct detect_env *env, struct detect_result *out,
                          struct helper_run *r)
{
	char file[1024], err[128];
	if (!find_on_path(env->path, "nvidia-smi", file, sizeof(file)))
		return;
	char *argv[] = {"nvidia-smi", "--query-gpu=index,name,memory.total,memory.used",
	                "--format=csv,noheader,nounits", NULL};
	if (!run_helper(file, argv, env->timeout_ms, r, err, sizeof(err))) {
		detect_note(out, "nvidia-smi: %s", err);
		return;
	}
	if (!helper_ok(out, "nvidia-smi", file, r, env->timeout_ms))
		return;
	if (r->truncated) {
		/* drop the partial last line */
		char *nl = strrchr(r->out, '\n');
		*(nl ? nl : r->out) = '\0';
	}
	if (detect_parse_nvidia_smi(r->out, out) == 0 && r->len)
		detect_note(out, "nvidia-smi: printed no GPU vramcalc could read");
	else if (!r->len)
		detect_note(out, "nvidia-smi: printed nothing (no NVIDIA GPU?)");
}

/* ---- AMD ---- */

static int card_number(const char *name)
{
	if (strncmp(name, "card", 4) || !isdigit((unsigned char)name[4]))
		return -1;
	char *end;
	long n = strtol(name + 4, &end, 10);
	return *end || n > 9999 ? -1 : (int)n;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void detect_amd(const struct detect_env *env, struct detect_result *out)
{
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/sys/class/drm", env->sysroot);
	DIR *dp = opendir(dir);
	if (!dp)
		return;
	int cards[256], n = 0;
	struct dirent *de;
	while ((de = readdir(dp)) && n < 256) {
		int c = card_number(de->d_name);
		if (c >= 0)
			cards[n++] = c;
	}
	closedir(dp);
	qsort(cards, (size_t)n, sizeof(int), cmp_int);

	for (int i = 0; i < n; i++) {
		char base[1100], path[1200], buf[256];
		uint64_t total, used;
		snprintf(base, sizeof(base), "%s/card%d/device", dir, cards[i]);
		snprintf(path, sizeof(path), "%s/mem_info_vram_total", base);
		if (!read_small(path, buf, sizeof(buf)))
			continue; /* not an amdgpu device */
		if (!parse_u64_text(buf, &total)) {
			char msg[96];
			detect_note(out, "sysfs: %s: not a number of bytes: '%s'", path,
			            printable(buf, strlen(buf), msg, sizeof(msg)));
			continue;
		}
		if (total < GIB) {
			detect_note(out,
			            "sysfs: card%d: %" PRIu64 " MiB of VRAM (an integrated GPU's "
			            "carve-out); left out",
			            cards[i], (uint64_t)(total / MIB));
			continue;
		}
		if (out->n_gpu == DETECT_MAX_GPUS) {
			detect_note(out, "sysfs: more than %d GPUs; the rest left out",
			            DETECT_MAX_GPUS);
			break;
		}
		struct detected_gpu *g = &out->gpu[out->n_gpu];
		memset(g, 0, sizeof(*g));
		g->source = DETECT_AMD;
		g->index = cards[i];
		g->total_bytes = total;
		g->profile = -1;
		snprintf(path, sizeof(path), "%s/mem_info_vram_used", base);
		if (read_small(path, buf, sizeof(buf)) && parse_u64_text(buf, &used)) {
			g->used_known = true;
			g->used_bytes = used < total ? used : total;
		}
		snprintf(path, sizeof(path), "%s/product_name", base);
		if (read_small(path, buf, sizeof(buf)) && buf[0]) {
			char clean[96];
			printable(buf, strlen(buf), clean, sizeof(clean));
			snprintf(g->name, sizeof(g->name), "%s", clean);
		} else {
			char ven[32] = "", dev[32] = "";
			snprintf(path, sizeof(path), "%s/vendor", base);
			read_small(path, ven, sizeof(ven));
			snprintf(path, sizeof(path), "%s/device", base);
			read_small(path, dev, sizeof(dev));
			/* "0x1002" "0x744c": the PCI ids lspci would look up */
			snprintf(g->name, sizeof(g->name), "AMD GPU [%.4s:%.4s]",
			         strncmp(ven, "0x", 2) ? "?" : ven + 2,
			         strncmp(dev, "0x", 2) ? "?" : dev + 2);
		}
		out->n_gpu++;
	}
}

/* ---- Apple ---- */

static void detect_apple(const struct detect_env *env, struct detect_result *out,
                         struct helper_run *r)
{
	char file[1024], err[128];
	if (!find_on_path(env->path, "sysctl", file, sizeof(file)))
		return;
	char *argv[] = {
	    "sysctl", "-n", "hw.memsize", "machdep.cpu.brand_string", "iogpu.wired_limit_mb", NULL};
	if (!run_helper(file, argv, env->timeout_ms, r, err, sizeof(err)) || r->exec_errno)
		return; /* not a Mac; nothing to say */
	if (r->timed_out) {
		detect_note(out, "sysctl: no answer within %u ms; stopped it", env->timeout_ms);
		return;
	}
	/* sysctl exits non-zero when one key is unknown (iogpu on older
	 * macOS) but prints the others; the first line decides. */
	char *save = NULL, *line1 = strtok_r(r->out, "\n", &save);
	char *line2 = line1 ? strtok_r(NULL, "\n", &save) : NULL;
	char *line3 = line2 ? strtok_r(NULL, "\n", &save) : NULL;
	uint64_t memsize, wired_mb = 0;
	if (!line1 || !parse_u64_text(line1, &memsize) || memsize == 0)
		return; /* Linux's sysctl knows no hw.memsize */
	if (!out->host.known) {
		out->host.known = true;
		out->host.total_bytes = memsize;
	}
	if (!line2) {
		detect_note(out, "sysctl: hw.memsize but no machdep.cpu.brand_string");
		return;
	}
	char *brand = trim(line2);
	if (strncmp(brand, "Apple", 5))
		return; /* an Intel Mac: no unified-memory GPU */
	if (line3 && !parse_u64_text(line3, &wired_mb))
		wired_mb = 0;
	if (out->n_gpu == DETECT_MAX_GPUS)
		return;
	struct detected_gpu *g = &out->gpu[out->n_gpu++];
	memset(g, 0, sizeof(*g));
	g->source = DETECT_APPLE;
	g->profile = -1;
	char clean[96];
	snprintf(g->name, sizeof(g->name), "%s",
	         printable(brand, strlen(brand), clean, sizeof(clean)));
	g->total_bytes = memsize;
	if (wired_mb && wired_mb < (1ull << 40))
		g->gpu_limit_bytes = wired_mb * MIB;
}

/* ---- host memory ---- */

/* MemTotal and MemAvailable; on failure the reason into why. */
static void detect_host(const struct detect_env *env, struct detect_result *out, char *why,
                        size_t n)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/proc/meminfo", env->sysroot);
	FILE *f = fopen(path, "re");
	if (!f) {
		snprintf(why, n, "host memory: cannot read %.200s: %s", path, strerror(errno));
		return;
	}
	char line[256];
	uint64_t total = 0, avail = 0;
	bool have_total = false, have_avail = false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long kb;
		char unit[8];
		if (sscanf(line, "MemTotal: %llu %7s", &kb, unit) == 2 && !strcmp(unit, "kB") &&
		    kb < (1ull << 44)) {
			total = kb * 1024;
			have_total = true;
		} else if (sscanf(line, "MemAvailable: %llu %7s", &kb, unit) == 2 &&
		           !strcmp(unit, "kB") && kb < (1ull << 44)) {
			avail = kb * 1024;
			have_avail = true;
		}
	}
	fclose(f);
	if (!have_total || total == 0) {
		snprintf(why, n, "host memory: %.200s has no MemTotal line in kB", path);
		return;
	}
	out->host.known = true;
	out->host.total_bytes = total;
	out->host.available_known = have_avail;
	out->host.available_bytes = have_avail && avail < total ? avail : total;
}

void detect_host_memory(const struct detect_env *env, struct detect_host *out)
{
	struct detect_result *r = calloc(1, sizeof(*r));
	char why[DETECT_NOTE_LEN];
	memset(out, 0, sizeof(*out));
	if (r) {
		detect_host(env, r, why, sizeof(why));
		*out = r->host;
		free(r);
	}
	if (!out->known && (out->total_bytes = files_host_memory_bytes()))
		out->known = true;
}

void detect_run(const struct detect_env *env, const struct device_list *profiles,
                struct detect_result *out)
{
	memset(out, 0, sizeof(*out));
	struct helper_run *r = malloc(sizeof(*r));
	if (!r) {
		detect_note(out, "out of memory");
		return;
	}
	char host_why[DETECT_NOTE_LEN] = "";
	detect_host(env, out, host_why, sizeof(host_why));
	if (env->nvidia)
		detect_nvidia(env, out, r);
	if (env->amd)
		detect_amd(env, out);
	if (env->apple)
		detect_apple(env, out, r);
	free(r);
	for (uint32_t i = 0; i < out->n_gpu; i++) {
		struct detected_gpu *g = &out->gpu[i];
		resolve_device(g, profiles);
		if (g->gpu_limit_bytes && g->total_bytes) {
			double share = (double)g->gpu_limit_bytes / (double)g->total_bytes;
			g->dev.gpu_share = share > 1.0 ? 1.0 : share;
		}
		if (!g->dev.memory_bytes)
			detect_note(out, "%s: %s reports no memory size and matches no profile",
			            detect_source_name(g->source), g->name);
	}
	if (!out->host.known)
		detect_note(out, "%s", host_why);
}

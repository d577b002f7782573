/*
 * session_file.c - named sessions saved in the XDG config directory.
 *
 * A session file is a small INI file, one [session] section:
 *
 *   model = "qwen3-8b"        quant = "Q4_K_M"      context = 8192
 *   batch = 1                 kv_type = "f16"       offload = "n-cpu-moe=12"
 *   ubatch = 512              flash_attn = on       kv_unified = no
 *   swa_full = no             gpu = "rtx-4090"      gpu_count = 2
 *   gpu_util = 0.900          (vLLM budget share)
 *
 * (one key per line).  It is written to a temporary file in the same
 * directory, flushed to disk, then renamed over the old one, so a crash or
 * a full disk never leaves a half-written session.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <iniparser.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format.h"
#include "files.h"
#include "session.h"

void session_default_dir(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(buf, n, "%s/vramcalc/sessions", xdg);
	else
		snprintf(buf, n, "%s/.config/vramcalc/sessions", home && *home ? home : ".");
}

bool session_name_valid(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 48 || name[0] == '.')
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
			return false;
	return true;
}

/* A value may go between double quotes in the file. */
static bool quotable(const char *v)
{
	return !strpbrk(v, "\"\n\r\\");
}

bool session_save(const struct session *s, const char *name, char *err, size_t errlen)
{
	if (!session_name_valid(name)) {
		snprintf(err, errlen,
		         "save: '%s' is not a session name (letters, digits, '.', '_', '-')", name);
		return false;
	}
	const struct config *c = &s->cur;
	const struct model_meta *meta = &s->cat->v[c->model].meta;
	const struct device *d = &s->devs->v[c->gpu];
	if (!quotable(meta->id) || !quotable(d->id)) {
		snprintf(err, errlen, "save: model or device id has a quote or newline");
		return false;
	}
	if (!files_make_dirs(s->sessions_dir, err, errlen))
		return false;

	char path[600], off[64];
	snprintf(path, sizeof(path), "%s/%s.ini", s->sessions_dir, name);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f) {
		snprintf(err, errlen, "save: out of memory");
		return false;
	}
	const struct settings *st = &c->set;
	fprintf(f, "; vramcalc session '%s'\n[session]\n", name);
	fprintf(f, "model = \"%s\"\n", meta->id);
	fprintf(f, "quant = \"%s\"\n", st->file_types ? "file" : ftype_get(st->ftype)->name);
	fprintf(f, "context = %llu\n", (unsigned long long)st->ctx_tokens);
	fprintf(f, "batch = %u\n", st->n_seq);
	if (st->kv_k == st->kv_v)
		fprintf(f, "kv_type = \"%s\"\n", kvtype_get(st->kv_k)->name);
	else
		fprintf(f, "kv_type = \"%s,%s\"\n", kvtype_get(st->kv_k)->name,
		        kvtype_get(st->kv_v)->name);
	fprintf(f, "offload = \"%s\"\n", offload_label(st, true, off, sizeof(off)));
	fprintf(f, "ubatch = %u\n", st->n_ubatch);
	fprintf(f, "flash_attn = %s\n", st->flash_attn ? "on" : "off");
	fprintf(f, "kv_unified = %s\n", st->kv_unified ? "yes" : "no");
	fprintf(f, "swa_full = %s\n", st->swa_full ? "yes" : "no");
	fprintf(f, "gpu_util = %.3f\n", st->gpu_util);
	fprintf(f, "gpu = \"%s\"\n", d->id);
	fprintf(f, "gpu_count = %u\n", c->gpu_count);
	bool ok = !ferror(f);
	if (fclose(f) != 0 || !ok || !text) {
		snprintf(err, errlen, "save: out of memory");
		free(text);
		return false;
	}
	ok = files_write_atomic(path, text, len, true, err, errlen);
	free(text);
	return ok;
}

static char load_error[256];

static int capture_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(load_error, sizeof(load_error), fmt, ap);
	va_end(ap);
	size_t n = strlen(load_error);
	while (n && load_error[n - 1] == '\n')
		load_error[--n] = '\0';
	return 0;
}

static bool parse_bool(const char *v, bool *out)
{
	if (!strcasecmp(v, "on") || !strcasecmp(v, "yes") || !strcasecmp(v, "true") ||
	    !strcmp(v, "1"))
		*out = true;
	else if (!strcasecmp(v, "off") || !strcasecmp(v, "no") || !strcasecmp(v, "false") ||
	         !strcmp(v, "0"))
		*out = false;
	else
		return false;
	return true;
}

static bool parse_offload(const char *v, struct settings *st)
{
	const char *eq = strchr(v, '=');
	size_t len = eq ? (size_t)(eq - v) : strlen(v);
	for (int m = 0; m < OFFLOAD_COUNT; m++) {
		const char *name = offload_mode_name((enum offload_mode)m);
		if (strlen(name) != len || strncmp(name, v, len))
			continue;
		bool needs =
		    m == OFFLOAD_N_CPU_MOE || m == OFFLOAD_NGL || m == OFFLOAD_EXPERT_FRACTION;
		if (needs != (eq != NULL))
			return false;
		st->offload = (enum offload_mode)m;
		if (m == OFFLOAD_EXPERT_FRACTION) {
			char *end;
			double f = strtod(eq + 1, &end);
			if (end == eq + 1 || *end || !(f >= 0.0 && f <= 1.0))
				return false;
			st->expert_gpu_share = f;
		} else if (needs) {
			uint64_t n;
			if (!parse_count(eq + 1, 100000, &n))
				return false;
			st->offload_layers = (uint32_t)n;
		}
		return true;
	}
	return false;
}

bool session_load(const struct session *s, const char *name, struct config *out, char *err,
                  size_t errlen)
{
	char path[600];
	if (!session_name_valid(name)) {
		snprintf(err, errlen, "load: '%s' is not a session name", name);
		return false;
	}
	snprintf(path, sizeof(path), "%s/%s.ini", s->sessions_dir, name);
	struct stat sb;
	errno = 0;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: cannot open: %s", path,
		         errno ? strerror(errno) : "not a file");
		return false;
	}
	load_error[0] = '\0';
	iniparser_set_error_callback(capture_error);
	dictionary *d = iniparser_load(path);
	iniparser_set_error_callback(NULL);
	if (!d || load_error[0]) {
		snprintf(err, errlen, "%s: %s", path, load_error[0] ? load_error : "cannot parse");
		if (d)
			iniparser_freedict(d);
		return false;
	}

	struct config c = s->cur;
	bool ok = false;
	const char *key = NULL, *v = NULL;
	uint64_t n = 0;
#define GET(k) (key = (k), v = iniparser_getstring(d, "session:" k, NULL))
#define BAD(...)                                                                                   \
	do {                                                                                       \
		snprintf(err, errlen, "%s: [session] %s: " __VA_ARGS__);                           \
		goto out;                                                                          \
	} while (0)

	if (!GET("model"))
		BAD("%s", path, key, "missing");
	const struct catalog_model *cm = catalog_find(s->cat, v);
	if (!cm)
		BAD("no model profile '%s'", path, key, v);
	c.model = (size_t)(cm - s->cat->v);
	if (GET("quant")) {
		if (!strcasecmp(v, "file"))
			c.set.file_types = true;
		else if (ftype_find(v, &c.set.ftype))
			c.set.file_types = false;
		else
			BAD("unknown quantization '%s'", path, key, v);
	}
	if (GET("context") && (!parse_count(v, 1ull << 32, &n) || n == 0))
		BAD("'%s' is not a context length", path, key, v);
	if (v)
		c.set.ctx_tokens = n;
	if (GET("batch") && (!parse_count(v, 4096, &n) || n == 0))
		BAD("'%s' is not a number of sequences from 1 to 4096", path, key, v);
	if (v)
		c.set.n_seq = (uint32_t)n;
	if (GET("ubatch") && (!parse_count(v, 65536, &n) || n == 0))
		BAD("'%s' is not a batch size from 1 to 65536", path, key, v);
	if (v)
		c.set.n_ubatch = (uint32_t)n;
	if (GET("kv_type")) {
		char k[16], w[16];
		const char *comma = strchr(v, ',');
		snprintf(k, sizeof(k), "%.*s", comma ? (int)(comma - v) : (int)strlen(v), v);
		snprintf(w, sizeof(w), "%s", comma ? comma + 1 : v);
		if (!kvtype_find(k, &c.set.kv_k) || !kvtype_find(w, &c.set.kv_v))
			BAD("unknown KV cache type '%s'", path, key, v);
	}
	if (GET("offload") && !parse_offload(v, &c.set))
		BAD("'%s' is not gpu, cpu-moe, n-cpu-moe=N, expert-share=F, ngl=N or cpu", path,
		    key, v);
	if (GET("flash_attn") && !parse_bool(v, &c.set.flash_attn))
		BAD("'%s' is not on or off", path, key, v);
	if (GET("kv_unified") && !parse_bool(v, &c.set.kv_unified))
		BAD("'%s' is not yes or no", path, key, v);
	if (GET("swa_full") && !parse_bool(v, &c.set.swa_full))
		BAD("'%s' is not yes or no", path, key, v);
	if (GET("gpu_util")) {
		char *end;
		double u = strtod(v, &end);
		if (end == v || *end || !(u > 0.0 && u <= 1.0))
			BAD("'%s' is not a share above 0 and at most 1", path, key, v);
		c.set.gpu_util = u;
	}
	if (GET("gpu")) {
		const struct device *dev = device_find(s->devs, v);
		if (!dev)
			BAD("no hardware profile '%s'", path, key, v);
		c.gpu = (size_t)(dev - s->devs->v);
	}
	if (GET("gpu_count") && (!parse_count(v, HW_MAX_DEVICES, &n) || n == 0))
		BAD("'%s' is not a device count from 1 to %d", path, key, v, HW_MAX_DEVICES);
	if (v)
		c.gpu_count = (uint32_t)n;
	char why[256];
	if (!estimate_check(session_model(s, c.model), &c.set, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", path, why);
		goto out;
	}
#undef GET
#undef BAD
	*out = c;
	ok = true;
out:
	iniparser_freedict(d);
	return ok;
}

static int by_name(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

size_t session_list_saved(const char *dir, char (*names)[SESSION_TEXT_MAX], size_t max)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return 0;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(dp)) && n < max) {
		size_t len = strlen(de->d_name);
		if (len <= 4 || strcmp(de->d_name + len - 4, ".ini"))
			continue;
		char name[SESSION_TEXT_MAX];
		if (len - 4 >= sizeof(name))
			continue;
		memcpy(name, de->d_name, len - 4);
		name[len - 4] = '\0';
		if (!session_name_valid(name))
			continue;
		memcpy(names[n++], name, sizeof(name));
	}
	closedir(dp);
	qsort(names, n, sizeof(*names), by_name);
	return n;
}

/*
 * session_file.c - named sessions saved in the XDG config directory.
 *
 * A session file is a small INI file, one [session] section with one key
 * per row of the settings-field table that has a session key (fields.h),
 * each value written by that row's format function and read back by its
 * parse function:
 *
 *   model = qwen3-8b          quant = Q4_K_M        context = 8192
 *   batch = 1                 kv_type = f16         offload = n-cpu-moe=12
 *   gpu = rtx-4090x2          gpu_count = 2         ubatch = 512
 *   flash_attn = on           kv_unified = no       swa_full = no
 *   gpu_util = 0.92           (vLLM budget share; absent: the release default)
 *
 * (one key per line; values other than plain words are quoted).  It is written to a temporary file
 * in the same directory, flushed to disk, then renamed over the old one, so a crash or a full disk
 * never leaves a half-written session.
 */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format.h"
#include "fields.h"
#include "files.h"
#include "ini.h"
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

void session_options_from_config(const struct session *s, const struct config *c,
                                 struct cli_options *o)
{
	options_default(o);
	o->model = s->cat->v[c->model].meta.id;
	o->settings = c->set;
	o->quant_given = !c->set.file_types;
	o->n_gpu_groups = 1 + c->n_more;
	snprintf(o->gpu_group_id[0], sizeof(o->gpu_group_id[0]), "%s", s->devs->v[c->gpu].id);
	o->gpu_group_count[0] = c->gpu_count;
	for (int i = 0; i < c->n_more; i++) {
		snprintf(o->gpu_group_id[i + 1], sizeof(o->gpu_group_id[i + 1]), "%s",
		         s->devs->v[c->more_gpu[i]].id);
		o->gpu_group_count[i + 1] = c->more_count[i];
	}
}

bool session_config_from_options(const struct session *s, const struct cli_options *o,
                                 struct config *c, char *err, size_t errlen)
{
	struct config t = *c;
	const struct catalog_model *cm = catalog_find(s->cat, o->model);
	if (!cm) {
		snprintf(err, errlen, "model: no model profile '%s'", o->model);
		return false;
	}
	t.model = (size_t)(cm - s->cat->v);
	t.set = o->settings;
	if (o->n_gpu_groups > 0)
		t.n_more = o->n_gpu_groups - 1;
	for (int g = 0; g < o->n_gpu_groups; g++) {
		const struct device *dev = device_find(s->devs, o->gpu_group_id[g]);
		if (!dev) {
			snprintf(err, errlen, "gpu: no hardware profile '%s'", o->gpu_group_id[g]);
			return false;
		}
		size_t i = (size_t)(dev - s->devs->v);
		if (g == 0) {
			t.gpu = i;
			t.gpu_count = o->gpu_group_count[0];
		} else {
			t.more_gpu[g - 1] = i;
			t.more_count[g - 1] = o->gpu_group_count[g];
		}
	}
	*c = t;
	return true;
}

bool session_set_field(struct session *s, const char *name, const char *text, char *err,
                       size_t errlen)
{
	const struct field *f = field_find(name);
	assert(f && "session_set_field: no such field");
	struct cli_options o;
	char why[256];
	session_options_from_config(s, &s->config.cur, &o);
	if (!field_parse(f, text, &o, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", field_name(f), why);
		return false;
	}
	return session_config_from_options(s, &o, &s->config.cur, err, errlen);
}

/* A value may go between double quotes in the file. */
static bool quotable(const char *v)
{
	return !strpbrk(v, "\"\n\r\\");
}

/* A value iniparser reads back as it is, without quotes. */
static bool plain_word(const char *v)
{
	return *v &&
	       strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
	           strlen(v);
}

bool session_saved_exists(const struct session *s, const char *name)
{
	char path[600];
	struct stat sb;
	if (!session_name_valid(name))
		return false;
	snprintf(path, sizeof(path), "%s/%s.ini", s->sessions_dir, name);
	return stat(path, &sb) == 0;
}

bool session_save(const struct session *s, const char *name, char *err, size_t errlen)
{
	if (!session_name_valid(name)) {
		snprintf(err, errlen,
		         "save: '%s' is not a session name (letters, digits, '.', '_', '-')", name);
		return false;
	}
	struct cli_options o;
	session_options_from_config(s, &s->config.cur, &o);
	for (const struct field *fd = field_table; fd->parse; fd++) {
		char v[256];
		if (fd->key && field_format(fd, &o, v, sizeof(v)) && !quotable(v)) {
			snprintf(err, errlen, "save: the %s '%s' has a quote or newline", fd->key,
			         v);
			return false;
		}
	}
	if (!files_make_dirs(s->sessions_dir, err, errlen))
		return false;

	char path[600];
	snprintf(path, sizeof(path), "%s/%s.ini", s->sessions_dir, name);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f) {
		snprintf(err, errlen, "save: out of memory");
		return false;
	}
	fprintf(f, "; vramcalc session '%s'\n[session]\n", name);
	for (const struct field *fd = field_table; fd->parse; fd++) {
		char v[256];
		if (!fd->key || !field_format(fd, &o, v, sizeof(v)))
			continue;
		if (plain_word(v))
			fprintf(f, "%s = %s\n", fd->key, v);
		else
			fprintf(f, "%s = \"%s\"\n", fd->key, v);
	}
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

bool session_load(struct session *s, const char *name, struct config *out, char *err, size_t errlen)
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
	/* Linear in the file's size, which is capped: a hostile file cannot
	 * freeze the view.  A key given twice is an error: which one was meant? */
	struct ini_doc d;
	struct profile_warnings dup = {0};
	if (!ini_load(path, SESSION_FILE_MAX_BYTES, &d, err, errlen))
		return false;
	if (ini_doc_warn_duplicates(&d, path, &dup)) {
		snprintf(err, errlen, "%s", dup.msg[0]);
		ini_doc_free(&d);
		return false;
	}

	/* Keys the file leaves out keep the live configuration's values. */
	struct cli_options o;
	struct config c = s->config.cur;
	char why[256];
	bool ok = false;
	session_options_from_config(s, &s->config.cur, &o);
	if (!ini_doc_find(&d, "session", "model")) {
		snprintf(err, errlen, "%s: [session] model: missing", path);
		goto out;
	}
	for (const struct field *fd = field_table; fd->parse; fd++) {
		if (!fd->key)
			continue;
		const struct ini_entry *en = ini_doc_find(&d, "session", fd->key);
		if (en && !field_parse(fd, en->value, &o, why, sizeof(why))) {
			snprintf(err, errlen, "%s:%u: [session] %s: %s", path, en->line, fd->key,
			         why);
			goto out;
		}
	}
	/* o borrows the document's strings: resolve before freeing it */
	if (!session_config_from_options(s, &o, &c, why, sizeof(why))) {
		snprintf(err, errlen, "%s: [session] %s", path, why);
		goto out;
	}
	/* "as stored" means something only for the model read from a file */
	if (c.set.file_types && c.model != s->file_model)
		c.set.file_types = false;
	if (!estimate_check(session_model(s, c.model), &s->scratch, &c.set, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", path, why);
		goto out;
	}
	*out = c;
	ok = true;
out:
	ini_doc_free(&d);
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

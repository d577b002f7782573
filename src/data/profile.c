/*
 * profile.c - model and hardware profiles from INI files (iniparser 4.1).
 *
 * iniparser lowercases keys, returns NULL both for a missing file and for a
 * syntax error, and prints errors unless given a callback; so the loader
 * checks the file first, captures iniparser's message, reads every value as
 * a string and parses numbers itself.
 */
#include "profile.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <iniparser.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h" /* generated: VRAMCALC_DATADIR */
#include "hfconfig.h"
#include "ini.h"
#include "text.h"

void profile_warn(struct profile_warnings *w, const char *fmt, ...)
{
	if (!w || w->n >= PROFILE_MAX_WARNINGS)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->msg[w->n], sizeof(w->msg[w->n]), fmt, ap);
	va_end(ap);
	w->n++;
}

/* iniparser reports syntax errors through this callback; keep the first. */
static char ini_error[256];

static int capture_ini_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int capture_ini_error(const char *fmt, ...)
{
	if (ini_error[0])
		return 0;
	va_list ap;
	va_start(ap, fmt);
	/* iniparser's own format strings; not user-controlled */
	vsnprintf(ini_error, sizeof(ini_error), fmt, ap);
	va_end(ap);
	/* "iniparser: syntax error in F (3):\n-> line" -> one line */
	for (char *p = ini_error; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	size_t n = strlen(ini_error);
	while (n && ini_error[n - 1] == ' ')
		ini_error[--n] = '\0';
	return 0;
}

/* Load an INI file with iniparser after a linear pass of ini.h over it:
 * that pass refuses files with more than INI_MAX_ENTRIES keys (iniparser's
 * loading is quadratic) and warns about duplicate keys and sections, which
 * iniparser merges without a word. */
static dictionary *load_ini(const char *path, struct profile_warnings *w, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		return NULL;
	}
	if (st.st_size > (1 << 20)) {
		snprintf(err, errlen, "%s: larger than 1 MiB, not a profile", path);
		return NULL;
	}
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	fclose(f);
	struct ini_doc doc;
	if (!ini_load(path, 1 << 20, &doc, err, errlen))
		return NULL;
	ini_doc_warn_duplicates(&doc, path, w);
	ini_doc_free(&doc);
	ini_error[0] = '\0';
	iniparser_set_error_callback(capture_ini_error);
	dictionary *d = iniparser_load(path);
	if (!d || ini_error[0]) {
		snprintf(err, errlen, "%s: %s", path, ini_error[0] ? ini_error : "cannot parse");
		if (d)
			iniparser_freedict(d);
		return NULL;
	}
	return d;
}

/* The value of section:key, or NULL when absent or empty. */
static const char *ini_get(const dictionary *d, const char *section, const char *key)
{
	char full[160];
	if (!section || !key || strlen(section) + strlen(key) + 2 > sizeof(full))
		return NULL;
	size_t ls = strlen(section);
	memcpy(full, section, ls);
	full[ls] = ':';
	memcpy(full + ls + 1, key, strlen(key) + 1);
	const char *v = iniparser_getstring(d, full, NULL);
	return (v && *v) ? v : NULL;
}

/* Copy src (NULL: empty) into dst of size n, truncating. */
static void copy_str(char *dst, size_t n, const char *src)
{
	size_t i = 0;
	for (; src && src[i] && i + 1 < n; i++)
		dst[i] = src[i];
	if (n)
		dst[i] = '\0';
}

static bool parse_u64(const char *v, uint64_t *out)
{
	char *end;
	errno = 0;
	if (!v || *v == '-' || !isdigit((unsigned char)*v))
		return false;
	unsigned long long n = strtoull(v, &end, 10);
	if (errno == ERANGE || *end != '\0')
		return false;
	*out = n;
	return true;
}

static bool parse_double(const char *v, double *out)
{
	char *end;
	errno = 0;
	if (!v)
		return false;
	double x = strtod(v, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (end == v || *end != '\0' || errno == ERANGE || !(x == x))
		return false;
	*out = x;
	return true;
}

static bool parse_yes_no(const char *v, bool *out)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1")) {
		*out = true;
		return true;
	}
	if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0")) {
		*out = false;
		return true;
	}
	return false;
}

/* Warn about every key of section that is not in known (NULL-terminated),
 * or not accepted by known_fn. */
static void warn_unknown_keys(const dictionary *d, const char *path, const char *section,
                              const char *const *known, bool (*known_fn)(const char *),
                              struct profile_warnings *w)
{
	int n = iniparser_getsecnkeys(d, section);
	if (n <= 0 || !w)
		return;
	const char **keys = calloc((size_t)n, sizeof(*keys));
	if (!keys)
		return;
	iniparser_getseckeys(d, section, keys);
	size_t plen = strlen(section) + 1;
	for (int i = 0; i < n; i++) {
		const char *k = keys[i] + plen;
		bool ok = known_fn ? known_fn(k) : false;
		for (const char *const *q = known; q && *q && !ok; q++)
			ok = !strcmp(*q, k);
		if (!ok)
			profile_warn(w, "%s: [%s] %s: unknown key (ignored)", path, section, k);
	}
	free(keys);
}

static const char *const model_keys[] = {
    "name",          "family",       "hf_repo",
    "native_dtype",  "params_total", "params_active",
    "source",        "arch",         "params_active_convention",
    "vision_params", NULL,
};

static const char *const active_conventions[] = {
    "without-embedding",
    "with-embedding",
    "without-embedding-and-output",
    "without-per-layer-embedding", /* Gemma's "effective" count: all but the PLE table */
    NULL,
};

struct ini_config_ctx {
	const dictionary *d;
};

static const char *ini_config_get(void *ctx, const char *key, char *buf, size_t buflen)
{
	const struct ini_config_ctx *c = ctx;
	char full[160];
	snprintf(full, sizeof(full), "config:%s", key);
	const char *v = iniparser_getstring(c->d, full, NULL);
	if (!v)
		return NULL;
	snprintf(buf, buflen, "%s", v);
	return buf;
}

/* Id of a profile path: its file name without the .ini suffix. */
static void id_from_path(const char *path, char *id, size_t n)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	copy_str(id, n, base);
	size_t len = strlen(id);
	if (len > 4 && !strcasecmp(id + len - 4, ".ini"))
		id[len - 4] = '\0';
}

bool profile_load_model(const char *path, struct model_meta *meta, struct model_arch *arch,
                        struct profile_warnings *warnings, char *err, size_t errlen)
{
	dictionary *d = load_ini(path, warnings, err, errlen);
	if (!d)
		return false;
	bool ok = false;
	memset(meta, 0, sizeof(*meta));
	id_from_path(path, meta->id, sizeof(meta->id));
	copy_str(meta->path, sizeof(meta->path), path);
	copy_str(meta->origin, sizeof(meta->origin), "file");

	if (!iniparser_find_entry(d, "model")) {
		snprintf(err, errlen, "%s: [model]: section missing", path);
		goto out;
	}
	if (!iniparser_find_entry(d, "config")) {
		snprintf(err, errlen, "%s: [config]: section missing", path);
		goto out;
	}
	const char *name = ini_get(d, "model", "name");
	if (!name) {
		snprintf(err, errlen, "%s: [model] name: missing (required)", path);
		goto out;
	}
	copy_str(meta->name, sizeof(meta->name), name);
	copy_str(meta->family, sizeof(meta->family), ini_get(d, "model", "family"));
	copy_str(meta->hf_repo, sizeof(meta->hf_repo), ini_get(d, "model", "hf_repo"));
	copy_str(meta->native_dtype, sizeof(meta->native_dtype),
	         ini_get(d, "model", "native_dtype"));
	copy_str(meta->source, sizeof(meta->source), ini_get(d, "model", "source"));
	static const char *const count_keys[] = {"params_total", "params_active"};
	uint64_t *count_dst[] = {&meta->params_total, &meta->params_active};
	for (int i = 0; i < 2; i++) {
		const char *v = ini_get(d, "model", count_keys[i]);
		if (v && !parse_u64(v, count_dst[i])) {
			snprintf(err, errlen, "%s: [model] %s: not a whole number: '%s'", path,
			         count_keys[i], v);
			goto out;
		}
	}

	const char *conv = ini_get(d, "model", "params_active_convention");
	copy_str(meta->params_active_convention, sizeof(meta->params_active_convention),
	         conv ? conv : active_conventions[0]);
	bool conv_ok = false;
	for (const char *const *c = active_conventions; *c; c++)
		conv_ok |= !strcmp(*c, meta->params_active_convention);
	if (!conv_ok) {
		snprintf(
		    err, errlen,
		    "%s: [model] params_active_convention: not without-embedding, with-embedding, "
		    "without-embedding-and-output or without-per-layer-embedding: '%s'",
		    path, conv);
		goto out;
	}

	char where[600];
	snprintf(where, sizeof(where), "%s: [config]", path);
	struct ini_config_ctx ctx = {d};
	struct config_source src = {ini_config_get, &ctx, where};
	if (!hfconfig_to_arch(&src, ini_get(d, "model", "arch"), arch, err, errlen))
		goto out;

	const char *vp = ini_get(d, "model", "vision_params");
	if (vp && !parse_u64(vp, &arch->vision_params)) {
		snprintf(err, errlen, "%s: [model] vision_params: not a whole number: '%s'", path,
		         vp);
		goto out;
	}
	warn_unknown_keys(d, path, "model", model_keys, NULL, warnings);
	warn_unknown_keys(d, path, "config", NULL, hfconfig_key_known, warnings);
	for (int i = 0; i < iniparser_getnsec(d); i++) {
		const char *sec = iniparser_getsecname(d, i);
		if (strcmp(sec, "model") && strcmp(sec, "config"))
			profile_warn(warnings, "%s: [%s]: unknown section (ignored)", path, sec);
	}
	profile_meta_escape(meta);
	ok = true;
out:
	iniparser_freedict(d);
	return ok;
}

void profile_meta_escape(struct model_meta *m)
{
	char *fields[] = {m->id,           m->name,   m->family, m->hf_repo,
	                  m->native_dtype, m->source, m->path};
	size_t sizes[] = {sizeof(m->id),      sizeof(m->name),         sizeof(m->family),
	                  sizeof(m->hf_repo), sizeof(m->native_dtype), sizeof(m->source),
	                  sizeof(m->path)};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		text_escape_inplace(fields[i], sizes[i]);
}

void device_list_free(struct device_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

const struct device *device_find(const struct device_list *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcasecmp(l->v[i].id, id))
			return &l->v[i];
	return NULL;
}

static const char *const hardware_keys[] = {
    "name",
    "vendor",
    "category",
    "memory",
    "memory_bytes",
    "bandwidth_gbps",
    "bf16_tflops",
    "fp8",
    "fp4",
    "interconnect",
    "unified",
    "gpu_share",
    "source",
    "memory_type",
    "tdp_w",
    "pcie",
    "fp16_tflops",
    "int8_tops",
    "bandwidth_source",
    "tensor_source",
    "torch_memory",
    "compute_capability",
    NULL,
};

/* "24 GB", "80 GiB", "1.5 TB": vendor-stated memory to bytes.  Memory
 * chips come in powers of two, and vendors' "GB" and "TB" of device memory
 * are binary: an "RTX 4090 24 GB" has 24 x 2^30 bytes (nvidia-smi: 24564
 * MiB usable), an "M4 Max 128GB" 128 x 2^30.  So GB reads as 2^30 and TB
 * as 2^40 here; memory_bytes gives what a driver reports, when known. */
static bool parse_memory(const char *v, uint64_t *out)
{
	char *end;
	errno = 0;
	double x = strtod(v, &end);
	if (end == v || errno == ERANGE || !(x > 0) || x > 1e6)
		return false;
	while (isspace((unsigned char)*end))
		end++;
	double unit;
	if (!strcasecmp(end, "GB") || !strcasecmp(end, "GiB"))
		unit = 1073741824.0;
	else if (!strcasecmp(end, "TB") || !strcasecmp(end, "TiB"))
		unit = 1099511627776.0;
	else if (!strcasecmp(end, "MiB"))
		unit = 1048576.0;
	else
		return false;
	*out = (uint64_t)(x * unit + 0.5);
	return true;
}

static bool load_device(const dictionary *d, const char *path, const char *sec, struct device *dev,
                        char *err, size_t errlen)
{
	memset(dev, 0, sizeof(*dev));
	copy_str(dev->id, sizeof(dev->id), sec);
	const char *v = ini_get(d, sec, "name");
	copy_str(dev->name, sizeof(dev->name), v ? v : sec);
	copy_str(dev->vendor, sizeof(dev->vendor), ini_get(d, sec, "vendor"));
	copy_str(dev->interconnect, sizeof(dev->interconnect), ini_get(d, sec, "interconnect"));
	dev->gpu_share = 1.0;

#define BAD(key, val, what)                                                                        \
	do {                                                                                       \
		snprintf(err, errlen, "%s: [%s] %s: %s: '%s'", path, sec, key, what, val);         \
		return false;                                                                      \
	} while (0)

	v = ini_get(d, sec, "category");
	if (!v)
		BAD("category", "", "missing (consumer, workstation, datacenter or unified)");
	if (!hw_category_find(v, &dev->category))
		BAD("category", v, "not consumer, workstation, datacenter or unified");
	const char *mb = ini_get(d, sec, "memory_bytes");
	v = ini_get(d, sec, "memory");
	if (mb) {
		if (!parse_u64(mb, &dev->memory_bytes) || dev->memory_bytes < HW_MEMORY_MIN_BYTES ||
		    dev->memory_bytes > HW_MEMORY_MAX_BYTES)
			BAD("memory_bytes", mb,
			    "not a whole number of bytes from 1048576 (1 MiB) to 70368744177664 "
			    "(64 TiB)");
	} else if (!v) {
		BAD("memory", "", "missing (for example '24 GB')");
	}
	if (v && !mb &&
	    (!parse_memory(v, &dev->memory_bytes) || dev->memory_bytes < HW_MEMORY_MIN_BYTES ||
	     dev->memory_bytes > HW_MEMORY_MAX_BYTES))
		BAD("memory", v, "not a size from 1 MiB to 64 TiB with a unit (GB, GiB, TB)");
	if ((v = ini_get(d, sec, "bandwidth_gbps")) &&
	    (!parse_double(v, &dev->bandwidth_gbps) ||
	     !(dev->bandwidth_gbps > 0 && dev->bandwidth_gbps <= HW_BANDWIDTH_MAX_GBPS)))
		BAD("bandwidth_gbps", v, "not a bandwidth above 0 and at most 100000 GB/s");
	static const char *const rates[] = {"bf16_tflops", "fp16_tflops", "int8_tops"};
	double *rate_dst[] = {&dev->bf16_tflops, &dev->fp16_tflops, &dev->int8_tops};
	for (int i = 0; i < 3; i++) {
		v = ini_get(d, sec, rates[i]);
		if (v && (!parse_double(v, rate_dst[i]) ||
		          !(*rate_dst[i] >= 0 && *rate_dst[i] <= HW_TFLOPS_MAX)))
			BAD(rates[i], v, "not a number from 0 (unknown) to 100000");
	}
	static const char *const flags[] = {"fp8", "fp4", "unified"};
	bool *dst[] = {&dev->fp8, &dev->fp4, &dev->unified};
	for (int i = 0; i < 3; i++) {
		v = ini_get(d, sec, flags[i]);
		if (v && !parse_yes_no(v, dst[i]))
			BAD(flags[i], v, "not yes or no");
	}
	if ((v = ini_get(d, sec, "compute_capability")) &&
	    (!parse_double(v, &dev->compute_capability) || !(dev->compute_capability > 0) ||
	     dev->compute_capability > 100))
		BAD("compute_capability", v, "not a compute capability such as 8.9");
	if ((v = ini_get(d, sec, "gpu_share"))) {
		if (!parse_double(v, &dev->gpu_share) ||
		    !(dev->gpu_share >= HW_SHARE_MIN && dev->gpu_share <= 1))
			BAD("gpu_share", v, "not a share from 0.01 to 1");
	}
	if ((v = ini_get(d, sec, "torch_memory"))) {
		if (!parse_memory(v, &dev->torch_bytes) || dev->torch_bytes > dev->memory_bytes)
			BAD("torch_memory", v,
			    "not a size with a unit (GiB) at most the device's memory");
	}
	if (dev->category == HW_UNIFIED)
		dev->unified = true;
	dev->memory_kind = dev->unified ? MEM_LPDDR : MEM_GDDR;
	if ((v = ini_get(d, sec, "memory_type")) && !hw_mem_kind_parse(v, &dev->memory_kind))
		BAD("memory_type", v, "names no GDDR, HBM or LPDDR memory");
	text_escape_inplace(dev->id, sizeof(dev->id));
	text_escape_inplace(dev->name, sizeof(dev->name));
	text_escape_inplace(dev->vendor, sizeof(dev->vendor));
	text_escape_inplace(dev->interconnect, sizeof(dev->interconnect));
#undef BAD
	return true;
}

bool profile_load_hardware(const char *path, struct device_list *out,
                           struct profile_warnings *warnings, char *err, size_t errlen)
{
	dictionary *d = load_ini(path, warnings, err, errlen);
	if (!d) {
		device_list_free(out);
		return false;
	}
	int nsec = iniparser_getnsec(d);
	bool ok = true;
	for (int i = 0; i < nsec && ok; i++) {
		const char *sec = iniparser_getsecname(d, i);
		if (device_find(out, sec))
			continue;
		struct device dev;
		if (!load_device(d, path, sec, &dev, err, errlen)) {
			ok = false;
			break;
		}
		struct device *v = realloc(out->v, (out->n + 1) * sizeof(*v));
		if (!v) {
			snprintf(err, errlen, "%s: out of memory", path);
			ok = false;
			break;
		}
		out->v = v;
		out->v[out->n++] = dev;
		warn_unknown_keys(d, path, sec, hardware_keys, NULL, warnings);
	}
	iniparser_freedict(d);
	if (!ok)
		device_list_free(out);
	return ok;
}

/* Directory of the running executable, or "" when unknown. */
static void exe_dir(char *out, size_t n)
{
	char buf[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	out[0] = '\0';
	if (len <= 0)
		return;
	buf[len] = '\0';
	char *slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
	copy_str(out, n, buf);
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void add_dir(struct profile_dirs *dirs, const char *dir, const char *origin)
{
	if (dirs->n >= PROFILE_MAX_DIRS || !*dir)
		return;
	copy_str(dirs->dir[dirs->n], sizeof(dirs->dir[0]), dir);
	copy_str(dirs->origin[dirs->n], sizeof(dirs->origin[0]), origin);
	dirs->n++;
}

void profile_dirs_init(struct profile_dirs *dirs)
{
	memset(dirs, 0, sizeof(*dirs));
	const char *env = getenv("VRAMCALC_PROFILE_PATH");
	if (env && *env) {
		char tmp[2048];
		copy_str(tmp, sizeof(tmp), env);
		for (char *save = NULL, *p = strtok_r(tmp, ":", &save); p;
		     p = strtok_r(NULL, ":", &save))
			add_dir(dirs, p, "env");
	}
	char buf[1024];
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(buf, sizeof(buf), "%s/vramcalc/profiles", xdg);
	else if (home && *home)
		snprintf(buf, sizeof(buf), "%s/.config/vramcalc/profiles", home);
	else
		buf[0] = '\0';
	add_dir(dirs, buf, "user");

	char exe[PATH_MAX];
	exe_dir(exe, sizeof(exe));
	char src_tree[PATH_MAX + 32];
	snprintf(src_tree, sizeof(src_tree), "%s/profiles", exe);
	char models[PATH_MAX + 48];
	snprintf(models, sizeof(models), "%s/models", src_tree);
	if (*exe && is_dir(models))
		add_dir(dirs, src_tree, "shipped");
	else
		add_dir(dirs, VRAMCALC_DATADIR "/profiles", "shipped");
}

static int cmp_model(const void *a, const void *b)
{
	const struct catalog_model *x = a, *y = b;
	return strcmp(x->meta.id, y->meta.id);
}

const struct catalog_model *catalog_find(const struct catalog *c, const char *id)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcasecmp(c->v[i].meta.id, id))
			return &c->v[i];
	return NULL;
}

bool catalog_load(const struct profile_dirs *dirs, struct catalog *out,
                  struct profile_warnings *warnings, char *err, size_t errlen)
{
	out->v = NULL;
	out->n = 0;
	for (int i = 0; i < dirs->n; i++) {
		char mdir[600];
		snprintf(mdir, sizeof(mdir), "%s/models", dirs->dir[i]);
		DIR *dp = opendir(mdir);
		if (!dp)
			continue;
		struct dirent *de;
		while ((de = readdir(dp))) {
			size_t len = strlen(de->d_name);
			if (len < 5 || strcmp(de->d_name + len - 4, ".ini") || de->d_name[0] == '.')
				continue;
			char path[900];
			snprintf(path, sizeof(path), "%s/%s", mdir, de->d_name);
			struct catalog_model cm;
			char why[PROFILE_ERR_LEN];
			if (!profile_load_model(path, &cm.meta, &cm.arch, warnings, why,
			                        sizeof(why))) {
				profile_warn(warnings, "%s", why);
				continue;
			}
			copy_str(cm.meta.origin, sizeof(cm.meta.origin), dirs->origin[i]);
			if (catalog_find(out, cm.meta.id))
				continue; /* an earlier directory overrides */
			struct catalog_model *v = realloc(out->v, (out->n + 1) * sizeof(*v));
			if (!v) {
				closedir(dp);
				snprintf(err, errlen, "out of memory loading %s", path);
				return false;
			}
			out->v = v;
			out->v[out->n++] = cm;
		}
		closedir(dp);
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(out->v[0]), cmp_model);
	return true;
}

void catalog_free(struct catalog *c)
{
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

bool profile_resolve_model(const struct profile_dirs *dirs, const char *id_or_path,
                           struct model_meta *meta, struct model_arch *arch,
                           struct profile_warnings *warnings, char *err, size_t errlen)
{
	if (strchr(id_or_path, '/') ||
	    (strlen(id_or_path) > 4 && !strcasecmp(id_or_path + strlen(id_or_path) - 4, ".ini")))
		return profile_load_model(id_or_path, meta, arch, warnings, err, errlen);
	for (int i = 0; i < dirs->n; i++) {
		char path[900];
		snprintf(path, sizeof(path), "%s/models/%s.ini", dirs->dir[i], id_or_path);
		if (access(path, F_OK) != 0)
			continue;
		if (!profile_load_model(path, meta, arch, warnings, err, errlen))
			return false;
		copy_str(meta->origin, sizeof(meta->origin), dirs->origin[i]);
		return true;
	}
	snprintf(err, errlen, "model '%s': no such profile (see vramcalc --list models)",
	         id_or_path);
	return false;
}

bool profile_load_all_hardware(const struct profile_dirs *dirs, struct device_list *out,
                               struct profile_warnings *warnings, char *err, size_t errlen)
{
	out->v = NULL;
	out->n = 0;
	for (int i = 0; i < dirs->n; i++) {
		char path[600];
		snprintf(path, sizeof(path), "%s/hardware.ini", dirs->dir[i]);
		if (access(path, F_OK) != 0)
			continue;
		if (!profile_load_hardware(path, out, warnings, err, errlen))
			return false; /* out is freed */
	}
	if (out->n == 0) {
		snprintf(err, errlen,
		         "no hardware profiles found (looked for hardware.ini in %d "
		         "profile directories)",
		         dirs->n);
		return false;
	}
	return true;
}

/*
 * profile.c - model and hardware profiles from INI files.
 *
 * Both kinds are read with ini.h's linear reader (iniparser's grammar,
 * with line numbers), so every message names the file, line, section and
 * key of a bad value, keys given twice are reported, and a file of n keys
 * loads in O(n log n).  Every value is read as a string and parsed here.
 */
#include "profile.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
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

/* The largest profile or hardware.ini file read. */
#define PROFILE_FILE_MAX_BYTES (1u << 20)

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

/* Read an INI file (at most PROFILE_FILE_MAX_BYTES) and warn about every
 * key and section given twice, which the reader merges (the last wins). */
static bool load_doc(const char *path, struct ini_doc *d, struct profile_warnings *w, char *err,
                     size_t errlen)
{
	if (!ini_load(path, PROFILE_FILE_MAX_BYTES, d, err, errlen))
		return false;
	ini_doc_warn_duplicates(d, path, w);
	return true;
}

/* "path:line" of an entry, or "path" when there is none (a missing key). */
static const char *locate(char *buf, size_t n, const char *path, const struct ini_entry *at)
{
	if (at)
		snprintf(buf, n, "%s:%u", path, at->line);
	else
		snprintf(buf, n, "%s", path);
	return buf;
}

/* The first header of section in d, or NULL when the file has none. */
static const struct ini_entry *section_header(const struct ini_doc *d, const char *section)
{
	for (size_t i = 0; i < d->n_sections; i++)
		if (!strcmp(d->sections[i].section, section))
			return &d->sections[i];
	return NULL;
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

/* Warn, with file and line, about every key of section that is not in
 * known (NULL-terminated) or accepted by known_fn; a key given twice once. */
static void warn_unknown_keys(const struct ini_doc *d, const char *path, const char *section,
                              const char *const *known, bool (*known_fn)(const char *),
                              struct profile_warnings *w)
{
	size_t n;
	const struct ini_entry *const *v = ini_doc_section(d, section, &n);
	for (size_t i = 0; w && i < n; i++) {
		const char *k = v[i]->key;
		if (i + 1 < n && !strcmp(v[i + 1]->key, k))
			continue; /* sorted by key: warn at the last of a run */
		bool ok = known_fn ? known_fn(k) : false;
		for (const char *const *q = known; q && *q && !ok; q++)
			ok = !strcmp(*q, k);
		if (!ok)
			profile_warn(w, "%s:%u: [%s] %s: unknown key (ignored)", path, v[i]->line,
			             section, k);
	}
}

/* Warn about keys before the first section (a section is needed). */
static void warn_sectionless_keys(const struct ini_doc *d, const char *path,
                                  struct profile_warnings *w)
{
	size_t n;
	const struct ini_entry *const *v = ini_doc_section(d, "", &n);
	if (n)
		profile_warn(w, "%s:%u: %s: a key before any [section] (ignored)", path, v[0]->line,
		             v[0]->key);
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

/* A model profile's [config] section as a config_source. */
struct ini_config_ctx {
	const struct ini_doc *d;
	const char *path;
};

static const char *ini_config_get(void *ctx, const char *key, char *buf, size_t buflen)
{
	const struct ini_config_ctx *c = ctx;
	const struct ini_entry *e = ini_doc_find(c->d, "config", key);
	if (!e)
		return NULL;
	snprintf(buf, buflen, "%s", e->value);
	return buf;
}

/* "path:line: [config]" for a message about key. */
static const char *ini_config_locate(void *ctx, const char *key, char *buf, size_t buflen)
{
	const struct ini_config_ctx *c = ctx;
	char at[560];
	snprintf(buf, buflen, "%s: [config]",
	         locate(at, sizeof(at), c->path, ini_doc_find(c->d, "config", key)));
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
	struct ini_doc d;
	if (!load_doc(path, &d, warnings, err, errlen))
		return false;
	bool ok = false;
	char at[560];
	const struct ini_entry *e;
	memset(meta, 0, sizeof(*meta));
	id_from_path(path, meta->id, sizeof(meta->id));
	copy_str(meta->path, sizeof(meta->path), path);
	copy_str(meta->origin, sizeof(meta->origin), "file");

	if (!section_header(&d, "model")) {
		snprintf(err, errlen, "%s: [model]: section missing", path);
		goto out;
	}
	if (!section_header(&d, "config")) {
		snprintf(err, errlen, "%s: [config]: section missing", path);
		goto out;
	}
	const char *name = ini_doc_get(&d, "model", "name", NULL);
	if (!name) {
		snprintf(err, errlen, "%s:%u: [model] name: missing (required)", path,
		         section_header(&d, "model")->line);
		goto out;
	}
	copy_str(meta->name, sizeof(meta->name), name);
	copy_str(meta->family, sizeof(meta->family), ini_doc_get(&d, "model", "family", NULL));
	copy_str(meta->hf_repo, sizeof(meta->hf_repo), ini_doc_get(&d, "model", "hf_repo", NULL));
	copy_str(meta->native_dtype, sizeof(meta->native_dtype),
	         ini_doc_get(&d, "model", "native_dtype", NULL));
	copy_str(meta->source, sizeof(meta->source), ini_doc_get(&d, "model", "source", NULL));
	static const char *const count_keys[] = {"params_total", "params_active", "vision_params"};
	uint64_t *count_dst[] = {&meta->params_total, &meta->params_active, &arch->vision_params};
	uint64_t counts[3] = {0};
	for (int i = 0; i < 3; i++) {
		const char *v = ini_doc_get(&d, "model", count_keys[i], &e);
		if (v && !parse_u64(v, &counts[i])) {
			snprintf(err, errlen, "%s: [model] %s: not a whole number: '%s'",
			         locate(at, sizeof(at), path, e), count_keys[i], v);
			goto out;
		}
	}

	const char *conv = ini_doc_get(&d, "model", "params_active_convention", &e);
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
		    locate(at, sizeof(at), path, e), conv);
		goto out;
	}

	char where[600];
	snprintf(where, sizeof(where), "%s: [config]", path);
	struct ini_config_ctx ctx = {&d, path};
	struct config_source src = {ini_config_get, &ctx, where, ini_config_locate};
	if (!hfconfig_to_arch(&src, ini_doc_get(&d, "model", "arch", NULL), arch, err, errlen))
		goto out;
	for (int i = 0; i < 3; i++)
		*count_dst[i] = counts[i]; /* vision_params after the mapping filled arch */

	warn_sectionless_keys(&d, path, warnings);
	warn_unknown_keys(&d, path, "model", model_keys, NULL, warnings);
	warn_unknown_keys(&d, path, "config", NULL, hfconfig_key_known, warnings);
	for (size_t i = 0; i < d.n_sections; i++) {
		const struct ini_entry *h = &d.sections[i];
		if (strcmp(h->section, "model") && strcmp(h->section, "config") &&
		    section_header(&d, h->section) == h)
			profile_warn(warnings, "%s:%u: [%s]: unknown section (ignored)", path,
			             h->line, h->section);
	}
	profile_meta_escape(meta);
	ok = true;
out:
	ini_doc_free(&d);
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

/* How a hardware.ini value is read. */
enum hw_kind {
	HWK_TEXT,     /* text of at most hi bytes, kept in a char[] member */
	HWK_NOTE,     /* text of at most hi bytes, documentation only (not kept) */
	HWK_CATEGORY, /* consumer, workstation, datacenter or unified */
	HWK_BYTES,    /* a whole number of bytes from lo to hi */
	HWK_SIZE,     /* a size with its unit (GB, GiB, TB, MiB) from lo to hi bytes */
	HWK_NUMBER,   /* a decimal number from lo (excluded when lo_open) to hi */
	HWK_FLAG,     /* yes or no */
	HWK_MEMTYPE,  /* a text naming GDDR, HBM or LPDDR */
};

/* Not a member of struct device: the key is checked, then dropped. */
#define HW_NO_MEMBER SIZE_MAX

/* One key of a hardware.ini section.  hw_fields below is the one table of
 * the file's keys, their ranges and messages: the loader reads every key
 * through it and warns about any key it does not hold. */
struct hw_field {
	const char *key;
	enum hw_kind kind;
	size_t offset;    /* the struct device member filled, or HW_NO_MEMBER */
	double lo, hi;    /* accepted range: bytes, number, or text length */
	bool lo_open;     /* lo itself refused (a bandwidth of 0) */
	const char *what; /* what a value must be, for the message */
};

#define MEMBER(m) offsetof(struct device, m)
#define TEXT(key, m, what)                                                                         \
	{                                                                                          \
		key, HWK_TEXT, MEMBER(m), 1, sizeof(((struct device *)0)->m) - 1, false, what      \
	}
#define NOTE(key, len)                                                                             \
	{                                                                                          \
		key, HWK_NOTE, HW_NO_MEMBER, 0, len, false, "a note"                               \
	}

/* hardware.ini's grammar.  Order matters where a key overrides another:
 * memory_bytes (the driver's count) after memory (the vendor's). */
static const struct hw_field hw_fields[] = {
    TEXT("name", name, "a name"),
    TEXT("vendor", vendor, "a vendor name"),
    TEXT("interconnect", interconnect, "an interconnect description"),
    {"category", HWK_CATEGORY, MEMBER(category), 0, 0, false,
     "not consumer, workstation, datacenter or unified"},
    {"memory", HWK_SIZE, MEMBER(memory_bytes), HW_MEMORY_MIN_BYTES, HW_MEMORY_MAX_BYTES, false,
     "a size with a unit (GB, GiB, TB)"},
    {"memory_bytes", HWK_BYTES, MEMBER(memory_bytes), HW_MEMORY_MIN_BYTES, HW_MEMORY_MAX_BYTES,
     false, "a whole number of bytes"},
    {"torch_memory", HWK_SIZE, MEMBER(torch_bytes), HW_MEMORY_MIN_BYTES, HW_MEMORY_MAX_BYTES, false,
     "a size with a unit (GiB)"},
    {"bandwidth_gbps", HWK_NUMBER, MEMBER(bandwidth_gbps), 0, HW_BANDWIDTH_MAX_GBPS, true,
     "a bandwidth in GB/s"},
    {"bf16_tflops", HWK_NUMBER, MEMBER(bf16_tflops), 0, HW_TFLOPS_MAX, false,
     "a dense tensor rate in TFLOPS"},
    {"fp16_tflops", HWK_NUMBER, MEMBER(fp16_tflops), 0, HW_TFLOPS_MAX, false,
     "a dense tensor rate in TFLOPS"},
    {"int8_tops", HWK_NUMBER, MEMBER(int8_tops), 0, HW_TFLOPS_MAX, false,
     "a dense tensor rate in TOPS"},
    {"compute_capability", HWK_NUMBER, MEMBER(compute_capability), 0, HW_COMPUTE_CAPABILITY_MAX,
     true, "a compute capability such as 8.9"},
    {"gpu_share", HWK_NUMBER, MEMBER(gpu_share), HW_SHARE_MIN, 1, false,
     "a share of unified memory"},
    {"tdp_w", HWK_NUMBER, HW_NO_MEMBER, 0, HW_TDP_MAX_W, true, "a board power in W"},
    {"fp8", HWK_FLAG, MEMBER(fp8), 0, 0, false, "not yes or no"},
    {"fp4", HWK_FLAG, MEMBER(fp4), 0, 0, false, "not yes or no"},
    {"unified", HWK_FLAG, MEMBER(unified), 0, 0, false, "not yes or no"},
    {"memory_type", HWK_MEMTYPE, MEMBER(memory_kind), 0, 0, false,
     "names no GDDR, HBM or LPDDR memory"},
    NOTE("pcie", 64),
    NOTE("source", HW_NOTE_MAX_BYTES),
    NOTE("bandwidth_source", HW_NOTE_MAX_BYTES),
    NOTE("tensor_source", HW_NOTE_MAX_BYTES),
};
#define HW_N_FIELDS (sizeof(hw_fields) / sizeof(hw_fields[0]))

#undef MEMBER
#undef TEXT
#undef NOTE

static bool hw_key_known(const char *key)
{
	for (size_t i = 0; i < HW_N_FIELDS; i++)
		if (!strcmp(hw_fields[i].key, key))
			return true;
	return false;
}

/* "1 MiB", "64 TiB": a power-of-two byte count in its binary unit. */
static const char *bytes_text(char *buf, size_t n, double bytes)
{
	static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
	int u = 0;
	while (u < 4 && bytes >= 1024 && bytes == 1024 * (double)(uint64_t)(bytes / 1024)) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, n, "%.0f %s", bytes, units[u]);
	return buf;
}

/* The range part of a message: "from 0 to 100000", "above 0 and at most
 * 100000", "from 1048576 (1 MiB) to 70368744177664 (64 TiB)". */
static void range_text(const struct hw_field *f, char *buf, size_t n)
{
	char a[32], b[32];
	switch (f->kind) {
	case HWK_TEXT:
	case HWK_NOTE:
		snprintf(buf, n, "of at most %.0f bytes", f->hi);
		break;
	case HWK_BYTES:
		snprintf(buf, n, "from %.0f (%s) to %.0f (%s)", f->lo, bytes_text(a, 32, f->lo),
		         f->hi, bytes_text(b, 32, f->hi));
		break;
	case HWK_SIZE:
		snprintf(buf, n, "from %s to %s", bytes_text(a, 32, f->lo),
		         bytes_text(b, 32, f->hi));
		break;
	case HWK_NUMBER:
		snprintf(buf, n, f->lo_open ? "above %g and at most %g" : "from %g to %g", f->lo,
		         f->hi);
		break;
	default:
		buf[0] = '\0';
		break;
	}
}

/* Read value v of field f into dev; false when it is not of the field's
 * form or outside its range. */
static bool hw_field_read(const struct hw_field *f, const char *v, struct device *dev)
{
	void *dst = f->offset == HW_NO_MEMBER ? NULL : (char *)dev + f->offset;
	double x;
	uint64_t b;
	switch (f->kind) {
	case HWK_TEXT:
	case HWK_NOTE:
		if (strlen(v) > f->hi)
			return false;
		if (dst)
			copy_str(dst, (size_t)f->hi + 1, v);
		return true;
	case HWK_CATEGORY:
		return hw_category_find(v, dst);
	case HWK_BYTES:
	case HWK_SIZE:
		if (!(f->kind == HWK_BYTES ? parse_u64(v, &b) : parse_memory(v, &b)) ||
		    (double)b < f->lo || (double)b > f->hi)
			return false;
		*(uint64_t *)dst = b;
		return true;
	case HWK_NUMBER:
		if (!parse_double(v, &x) || !(f->lo_open ? x > f->lo : x >= f->lo) || !(x <= f->hi))
			return false;
		if (dst)
			*(double *)dst = x;
		return true;
	case HWK_FLAG:
		return parse_yes_no(v, dst);
	case HWK_MEMTYPE:
		return hw_mem_kind_parse(v, dst);
	}
	return false;
}

/* Load section sec of d as one device. */
static bool load_device(const struct ini_doc *d, const char *path, const char *sec,
                        struct device *dev, char *err, size_t errlen)
{
	memset(dev, 0, sizeof(*dev));
	char at[560];
	uint32_t line = section_header(d, sec) ? section_header(d, sec)->line : 0;
	if (strlen(sec) >= sizeof(dev->id)) {
		snprintf(err, errlen, "%s:%u: [%.60s...]: a device id of more than %zu bytes", path,
		         line, sec, sizeof(dev->id) - 1);
		return false;
	}
	copy_str(dev->id, sizeof(dev->id), sec);
	copy_str(dev->name, sizeof(dev->name), sec);
	dev->gpu_share = 1.0;
	for (size_t i = 0; i < HW_N_FIELDS; i++) {
		const struct hw_field *f = &hw_fields[i];
		const struct ini_entry *e;
		const char *v = ini_doc_get(d, sec, f->key, &e);
		if (!v || hw_field_read(f, v, dev))
			continue;
		char range[96];
		range_text(f, range, sizeof(range));
		locate(at, sizeof(at), path, e);
		if (f->kind == HWK_CATEGORY || f->kind == HWK_FLAG || f->kind == HWK_MEMTYPE)
			snprintf(err, errlen, "%s: [%s] %s: %s: '%s'", at, sec, f->key, f->what, v);
		else
			snprintf(err, errlen, "%s: [%s] %s: not %s %s: '%s'", at, sec, f->key,
			         f->what, range, v);
		return false;
	}
	const struct ini_entry *e;
	if (!ini_doc_get(d, sec, "category", NULL)) {
		snprintf(err, errlen,
		         "%s:%u: [%s] category: missing (consumer, workstation, datacenter or "
		         "unified)",
		         path, line, sec);
		return false;
	}
	if (!ini_doc_get(d, sec, "memory", NULL) && !ini_doc_get(d, sec, "memory_bytes", NULL)) {
		snprintf(err, errlen, "%s:%u: [%s] memory: missing (for example '24 GB')", path,
		         line, sec);
		return false;
	}
	const char *v = ini_doc_get(d, sec, "torch_memory", &e);
	if (v && dev->torch_bytes > dev->memory_bytes) {
		snprintf(err, errlen, "%s: [%s] torch_memory: more than the device's memory: '%s'",
		         locate(at, sizeof(at), path, e), sec, v);
		return false;
	}
	if (dev->category == HW_UNIFIED)
		dev->unified = true;
	if (!ini_doc_get(d, sec, "memory_type", NULL))
		dev->memory_kind = dev->unified ? MEM_LPDDR : MEM_GDDR;
	text_escape_inplace(dev->id, sizeof(dev->id));
	text_escape_inplace(dev->name, sizeof(dev->name));
	text_escape_inplace(dev->vendor, sizeof(dev->vendor));
	text_escape_inplace(dev->interconnect, sizeof(dev->interconnect));
	return true;
}

bool profile_load_hardware(const char *path, struct device_list *out,
                           struct profile_warnings *warnings, char *err, size_t errlen)
{
	struct ini_doc d;
	if (!load_doc(path, &d, warnings, err, errlen)) {
		device_list_free(out);
		return false;
	}
	warn_sectionless_keys(&d, path, warnings);
	bool ok = true;
	for (size_t i = 0; i < d.n_sections && ok; i++) {
		const char *sec = d.sections[i].section;
		if (section_header(&d, sec) != &d.sections[i] || device_find(out, sec))
			continue; /* a repeated header, or an earlier file's device */
		struct device dev;
		if (!load_device(&d, path, sec, &dev, err, errlen)) {
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
		warn_unknown_keys(&d, path, sec, NULL, hw_key_known, warnings);
	}
	ini_doc_free(&d);
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

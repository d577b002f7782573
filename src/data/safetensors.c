/*
 * safetensors.c - stored bytes per dtype from safetensors headers.
 *
 * Only the 8-byte length and the JSON header of each file are read (pread,
 * no mmap), never the tensor data.  Offsets in the JSON are doubles in
 * cJSON, so every number must be an exact integer of at most 2^53; larger
 * spans cannot be real (8 PiB).
 */
#include "safetensors.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"

/* Largest integer a double holds exactly. */
#define EXACT_MAX 9007199254740992.0

/* Elements of one tensor: 2^53 bytes hold at most 2^56 4-bit values, and
 * elements times 64 bits must not overflow. */
#define MAX_ELEMENTS (1ull << 57)

static const struct {
	const char *name;
	unsigned bits;
} dtypes[ST_DTYPE_COUNT] = {
    [ST_BOOL] = {"BOOL", 8},       [ST_F4] = {"F4", 4},           [ST_F6_E2M3] = {"F6_E2M3", 6},
    [ST_F6_E3M2] = {"F6_E3M2", 6}, [ST_U8] = {"U8", 8},           [ST_I8] = {"I8", 8},
    [ST_F8_E5M2] = {"F8_E5M2", 8}, [ST_F8_E4M3] = {"F8_E4M3", 8}, [ST_F8_E8M0] = {"F8_E8M0", 8},
    [ST_I16] = {"I16", 16},        [ST_U16] = {"U16", 16},        [ST_F16] = {"F16", 16},
    [ST_BF16] = {"BF16", 16},      [ST_I32] = {"I32", 32},        [ST_U32] = {"U32", 32},
    [ST_F32] = {"F32", 32},        [ST_C64] = {"C64", 64},        [ST_F64] = {"F64", 64},
    [ST_I64] = {"I64", 64},        [ST_U64] = {"U64", 64},
};

const char *st_dtype_name(enum st_dtype t)
{
	return (t >= 0 && t < ST_DTYPE_COUNT) ? dtypes[t].name : "?";
}

unsigned st_dtype_bits(enum st_dtype t)
{
	return (t >= 0 && t < ST_DTYPE_COUNT) ? dtypes[t].bits : 0;
}

/* A tensor's byte span in the data area, for the tiling check. */
struct span {
	uint64_t begin, end;
	const char *name;
};

static int cmp_span(const void *x, const void *y)
{
	const struct span *a = x, *b = y;
	if (a->begin != b->begin)
		return a->begin < b->begin ? -1 : 1;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	return 0;
}

static int cmp_name(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* A non-negative exact integer of at most 2^53. */
static bool exact_uint(const cJSON *v, uint64_t *out)
{
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= EXACT_MAX))
		return false;
	uint64_t u = (uint64_t)v->valuedouble;
	if ((double)u != v->valuedouble)
		return false;
	*out = u;
	return true;
}

/* What the checks of one header share. */
struct hctx {
	const char *file;
	char *err;
	size_t errlen;
};

static bool tfail(struct hctx *h, const char *tensor, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool tfail(struct hctx *h, const char *tensor, const char *fmt, ...)
{
	char msg[256], shown[72];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (tensor) {
		json_show(shown, sizeof(shown), tensor);
		snprintf(h->err, h->errlen, "%s: tensor '%s': %s", h->file, shown, msg);
	} else {
		snprintf(h->err, h->errlen, "%s: %s", h->file, msg);
	}
	return false;
}

/* Check one tensor entry; its dtype, element count and span into the
 * out parameters. */
static bool read_tensor(struct hctx *h, const cJSON *t, enum st_dtype *dtype, uint64_t *elements,
                        struct span *sp)
{
	const char *name = t->string;
	if (!cJSON_IsObject(t))
		return tfail(h, name, "expected an object, got %s", json_type_name(t));
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(t, "dtype");
	if (!cJSON_IsString(d))
		return tfail(h, name, "dtype: expected a string, got %s",
		             d ? json_type_name(d) : "nothing");
	int found = -1;
	for (int i = 0; i < ST_DTYPE_COUNT && found < 0; i++)
		if (!strcmp(dtypes[i].name, d->valuestring))
			found = i;
	if (found < 0) {
		char shown[40];
		json_show(shown, sizeof(shown), d->valuestring);
		return tfail(h, name, "unknown dtype '%s'", shown);
	}
	*dtype = (enum st_dtype)found;

	const cJSON *shape = cJSON_GetObjectItemCaseSensitive(t, "shape"), *e;
	if (!cJSON_IsArray(shape))
		return tfail(h, name, "shape: expected an array, got %s",
		             shape ? json_type_name(shape) : "nothing");
	if (cJSON_GetArraySize(shape) > (int)ST_MAX_DIMS)
		return tfail(h, name, "shape: %d dimensions, more than %u",
		             cJSON_GetArraySize(shape), ST_MAX_DIMS);
	uint64_t n = 1, v;
	bool zero = false, huge = false;
	int dim = 0;
	cJSON_ArrayForEach (e, shape) {
		if (!exact_uint(e, &v)) {
			char shown[48] = "";
			if (cJSON_IsNumber(e))
				snprintf(shown, sizeof(shown), " %.17g", e->valuedouble);
			return tfail(h, name,
			             "shape[%d]: expected a whole number from 0 to 2^53, got %s%s",
			             dim, json_type_name(e), shown);
		}
		zero |= v == 0;
		if (v && n > MAX_ELEMENTS / v)
			huge = true;
		else if (v)
			n *= v;
		dim++;
	}
	if (zero)
		n = 0;
	else if (huge)
		return tfail(h, name, "shape: more than 2^57 elements");
	*elements = n;

	const cJSON *off = cJSON_GetObjectItemCaseSensitive(t, "data_offsets");
	if (!cJSON_IsArray(off) || cJSON_GetArraySize(off) != 2)
		return tfail(h, name, "data_offsets: expected [begin, end], got %s",
		             off ? json_type_name(off) : "nothing");
	uint64_t begin, end;
	if (!exact_uint(cJSON_GetArrayItem(off, 0), &begin) ||
	    !exact_uint(cJSON_GetArrayItem(off, 1), &end))
		return tfail(h, name, "data_offsets: expected whole numbers from 0 to 2^53");
	if (begin > end)
		return tfail(h, name, "data_offsets [%llu, %llu]: begin after end",
		             (unsigned long long)begin, (unsigned long long)end);
	uint64_t bits = n * st_dtype_bits(*dtype);
	if (bits % 8)
		return tfail(h, name, "%llu elements of %s do not fill whole bytes",
		             (unsigned long long)n, dtypes[found].name);
	if (end - begin != bits / 8)
		return tfail(h, name,
		             "data_offsets [%llu, %llu] hold %llu bytes, but %llu elements of %s "
		             "take %llu",
		             (unsigned long long)begin, (unsigned long long)end,
		             (unsigned long long)(end - begin), (unsigned long long)n,
		             dtypes[found].name, (unsigned long long)(bits / 8));
	sp->begin = begin;
	sp->end = end;
	sp->name = name;
	return true;
}

/* The spans must tile [0, last end) and the names be unique. */
static bool check_tiling(struct hctx *h, struct span *sp, size_t n)
{
	qsort(sp, n, sizeof(*sp), cmp_span);
	uint64_t at = 0;
	for (size_t i = 0; i < n; i++) {
		if (sp[i].begin < at) {
			char a[72];
			json_show(a, sizeof(a), sp[i - 1].name);
			return tfail(h, sp[i].name,
			             "data_offsets [%llu, %llu] overlap tensor '%s' [%llu, %llu]",
			             (unsigned long long)sp[i].begin, (unsigned long long)sp[i].end,
			             a, (unsigned long long)sp[i - 1].begin,
			             (unsigned long long)sp[i - 1].end);
		}
		if (sp[i].begin > at)
			return tfail(h, sp[i].name,
			             "data_offsets [%llu, %llu] leave a gap of %llu bytes after "
			             "offset %llu (the data must be contiguous)",
			             (unsigned long long)sp[i].begin, (unsigned long long)sp[i].end,
			             (unsigned long long)(sp[i].begin - at),
			             (unsigned long long)at);
		at = sp[i].end;
	}
	const char **names = malloc((n ? n : 1) * sizeof(*names));
	if (!names)
		return tfail(h, NULL, "out of memory");
	for (size_t i = 0; i < n; i++)
		names[i] = sp[i].name;
	qsort(names, n, sizeof(*names), cmp_name);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(names[i - 1], names[i])) {
			tfail(h, names[i], "appears twice in the header");
			free(names);
			return false;
		}
	free(names);
	return true;
}

/* Parse one header (json, hlen bytes) of a file of file_bytes bytes and
 * add its totals to out. */
static bool parse_header(const char *json, size_t hlen, const char *file, uint64_t file_bytes,
                         struct st_info *out, char *err, size_t errlen)
{
	struct hctx h = {file, err, errlen};
	cJSON *root = json_parse(json, hlen, file, ST_MAX_VALUES, err, errlen);
	if (!root)
		return false;
	bool ok = false;
	struct span *sp = NULL;
	struct st_info one = {0};
	if (!cJSON_IsObject(root)) {
		tfail(&h, NULL, "header: expected a JSON object, got %s", json_type_name(root));
		goto out;
	}
	size_t n = 0, cap = (size_t)cJSON_GetArraySize(root);
	sp = malloc((cap ? cap : 1) * sizeof(*sp));
	if (!sp) {
		tfail(&h, NULL, "out of memory for %zu tensors", cap);
		goto out;
	}
	const cJSON *t;
	cJSON_ArrayForEach (t, root) {
		if (t->string && !strcmp(t->string, "__metadata__")) {
			if (!cJSON_IsObject(t)) {
				tfail(&h, NULL, "__metadata__: expected an object, got %s",
				      json_type_name(t));
				goto out;
			}
			continue;
		}
		enum st_dtype dt = ST_BOOL;
		uint64_t elements = 0;
		if (!read_tensor(&h, t, &dt, &elements, &sp[n]))
			goto out;
		n++;
		one.n_tensors++;
		one.elements += elements;
		one.data_bytes += sp[n - 1].end - sp[n - 1].begin;
		one.dtype_tensors[dt]++;
		one.dtype_bytes[dt] += sp[n - 1].end - sp[n - 1].begin;
	}
	if (!check_tiling(&h, sp, n))
		goto out;
	uint64_t data_avail = file_bytes - 8 - hlen; /* caller checked 8 + hlen <= size */
	out->n_files++;
	out->n_tensors += one.n_tensors;
	out->elements += one.elements;
	out->data_bytes += one.data_bytes;
	out->header_bytes += 8 + hlen;
	out->file_bytes += file_bytes;
	if (one.data_bytes > data_avail)
		out->complete = false;
	for (int i = 0; i < ST_DTYPE_COUNT; i++) {
		out->dtype_tensors[i] += one.dtype_tensors[i];
		out->dtype_bytes[i] += one.dtype_bytes[i];
	}
	ok = true;
out:
	free(sp);
	cJSON_Delete(root);
	return ok;
}

/* The header length of a file of size bytes whose first 8 bytes are p. */
static bool header_length(const unsigned char *p, uint64_t size, const char *file, uint64_t *hlen,
                          char *err, size_t errlen)
{
	if (size < 8) {
		snprintf(err, errlen,
		         "%s: %llu bytes, too short for the 8-byte header length of a safetensors "
		         "file",
		         file, (unsigned long long)size);
		return false;
	}
	uint64_t n = 0;
	for (int i = 7; i >= 0; i--)
		n = n << 8 | p[i];
	if (n < 2) {
		snprintf(err, errlen, "%s: header length %llu, too short for a JSON header", file,
		         (unsigned long long)n);
		return false;
	}
	if (n > ST_MAX_HEADER_BYTES) {
		snprintf(err, errlen,
		         "%s: header length %llu is larger than the %u bytes allowed (not a "
		         "safetensors file?)",
		         file, (unsigned long long)n, ST_MAX_HEADER_BYTES);
		return false;
	}
	if (n > size - 8) {
		snprintf(err, errlen,
		         "%s: header length %llu runs past the end of the file (%llu bytes): "
		         "truncated or not a safetensors file",
		         file, (unsigned long long)n, (unsigned long long)size);
		return false;
	}
	*hlen = n;
	return true;
}

bool safetensors_read_mem(const void *buf, size_t len, const char *name, struct st_info *out,
                          char *err, size_t errlen)
{
	uint64_t hlen;
	if (out->n_files == 0)
		out->complete = true;
	if (!header_length(buf, len, name, &hlen, err, errlen))
		return false;
	return parse_header((const char *)buf + 8, (size_t)hlen, name, len, out, err, errlen);
}

/* Read and add one file's header. */
static bool read_file(const char *path, struct st_info *out, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return false;
	}
	struct stat st;
	unsigned char len8[8] = {0};
	uint64_t hlen;
	char *json = NULL;
	bool ok = false;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	ssize_t got = st.st_size >= 8 ? pread(fd, len8, 8, 0) : 0;
	if (st.st_size >= 8 && got != 8) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
		         got < 0 ? strerror(errno) : "short read");
		goto out;
	}
	if (!header_length(len8, (uint64_t)st.st_size, path, &hlen, err, errlen))
		goto out;
	json = malloc((size_t)hlen + 1);
	if (!json) {
		snprintf(err, errlen, "%s: out of memory for a %llu-byte header", path,
		         (unsigned long long)hlen);
		goto out;
	}
	size_t have = 0;
	while (have < hlen) {
		ssize_t r = pread(fd, json + have, (size_t)hlen - have, (off_t)(8 + have));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			snprintf(err, errlen, "%s: cannot read the header: %s", path,
			         r < 0 ? strerror(errno) : "file shrank");
			goto out;
		}
		have += (size_t)r;
	}
	json[hlen] = '\0';
	ok = parse_header(json, (size_t)hlen, path, (uint64_t)st.st_size, out, err, errlen);
out:
	free(json);
	close(fd);
	return ok;
}

void st_index_free(struct st_index *ix)
{
	for (size_t i = 0; i < ix->n_shards; i++)
		free(ix->shards[i]);
	free(ix->shards);
	memset(ix, 0, sizeof(*ix));
}

/* A plain file name in the index's directory. */
static bool shard_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 13 || n > 255 || strcmp(s + n - 12, ".safetensors") || s[0] == '.')
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == '\\' || (unsigned char)*s < 0x20)
			return false;
	return true;
}

bool safetensors_index_mem(const char *text, size_t len, const char *name, struct st_index *out,
                           char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	cJSON *root = json_parse(text, len, name, ST_MAX_INDEX_VALUES, err, errlen);
	if (!root)
		return false;
	bool ok = false;
	const char **names = NULL;
	const cJSON *map = cJSON_GetObjectItemCaseSensitive(root, "weight_map"), *e;
	if (!cJSON_IsObject(root) || !cJSON_IsObject(map)) {
		snprintf(err, errlen, "%s: no \"weight_map\" object: not a safetensors index",
		         name);
		goto out;
	}
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(root, "metadata");
	const cJSON *total = cJSON_GetObjectItemCaseSensitive(meta, "total_size");
	if (total && !cJSON_IsNull(total) && !exact_uint(total, &out->total_size)) {
		snprintf(err, errlen, "%s: metadata.total_size: not a whole number from 0 to 2^53",
		         name);
		goto out;
	}
	size_t n = (size_t)cJSON_GetArraySize(map), k = 0;
	names = malloc((n ? n : 1) * sizeof(*names));
	if (!names) {
		snprintf(err, errlen, "%s: out of memory", name);
		goto out;
	}
	cJSON_ArrayForEach (e, map) {
		if (!cJSON_IsString(e) || !shard_name_ok(e->valuestring)) {
			char t[72], v[72];
			json_show(t, sizeof(t), e->string);
			json_show(v, sizeof(v), cJSON_IsString(e) ? e->valuestring : "");
			snprintf(err, errlen,
			         "%s: weight_map '%s': '%s' is not a .safetensors file name in the "
			         "index's directory",
			         name, t, cJSON_IsString(e) ? v : json_type_name(e));
			goto out;
		}
		names[k++] = e->valuestring;
	}
	out->n_tensors = k;
	qsort(names, k, sizeof(*names), cmp_name);
	size_t uniq = 0;
	for (size_t i = 0; i < k; i++)
		if (i == 0 || strcmp(names[i], names[i - 1]))
			uniq++;
	if (uniq == 0) {
		snprintf(err, errlen, "%s: weight_map is empty", name);
		goto out;
	}
	if (uniq > ST_MAX_SHARDS) {
		snprintf(err, errlen, "%s: %zu shard files, more than %u", name, uniq,
		         ST_MAX_SHARDS);
		goto out;
	}
	out->shards = calloc(uniq, sizeof(*out->shards));
	if (!out->shards) {
		snprintf(err, errlen, "%s: out of memory", name);
		goto out;
	}
	for (size_t i = 0; i < k; i++) {
		if (i && !strcmp(names[i], names[i - 1]))
			continue;
		out->shards[out->n_shards] = strdup(names[i]);
		if (!out->shards[out->n_shards]) {
			snprintf(err, errlen, "%s: out of memory", name);
			goto out;
		}
		out->n_shards++;
	}
	ok = true;
out:
	free(names);
	cJSON_Delete(root);
	if (!ok)
		st_index_free(out);
	return ok;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool read_index(const char *path, struct st_info *out, struct profile_warnings *w, char *err,
                       size_t errlen)
{
	char *text;
	size_t len;
	if (!json_read_file(path, ST_MAX_INDEX_BYTES, &text, &len, err, errlen))
		return false;
	struct st_index ix;
	bool ok = safetensors_index_mem(text, len, path, &ix, err, errlen);
	free(text);
	if (!ok)
		return false;
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	for (size_t i = 0; i < ix.n_shards && ok; i++) {
		char shard[4096];
		int w2 = snprintf(shard, sizeof(shard), "%.*s%s", dirlen, path, ix.shards[i]);
		if (w2 < 0 || (size_t)w2 >= sizeof(shard)) {
			snprintf(err, errlen, "%s: shard path too long", path);
			ok = false;
			break;
		}
		ok = read_file(shard, out, err, errlen);
		if (!ok) {
			size_t used = strlen(err);
			if (used + 1 < errlen)
				snprintf(err + used, errlen - used, " (a shard listed in %s)",
				         path);
		}
	}
	if (ok) {
		out->index_total_size = ix.total_size;
		if (ix.total_size && ix.total_size != out->data_bytes)
			profile_warn(
			    w,
			    "%s: metadata.total_size is %llu bytes, the shards' headers say "
			    "%llu",
			    path, (unsigned long long)ix.total_size,
			    (unsigned long long)out->data_bytes);
		if (ix.n_tensors != out->n_tensors)
			profile_warn(w, "%s: weight_map lists %llu tensors, the shards hold %llu",
			             path, (unsigned long long)ix.n_tensors,
			             (unsigned long long)out->n_tensors);
	}
	st_index_free(&ix);
	return ok;
}

bool safetensors_read(const char *path, struct st_info *out, struct profile_warnings *warnings,
                      char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	out->complete = true;
	bool ok = ends_with(path, ".json") ? read_index(path, out, warnings, err, errlen)
	                                   : read_file(path, out, err, errlen);
	if (!ok)
		memset(out, 0, sizeof(*out));
	return ok;
}

/*
 * gguf.c - parse GGUF headers (metadata and tensor infos) defensively.
 *
 * Data layer.  Layout of a GGUF file (little endian), as documented in
 * ggml's docs/gguf.md:
 *
 *   magic "GGUF" | u32 version | u64 n_tensors | u64 n_kv
 *   n_kv x  (string key | u32 value type | value)
 *   n_tensors x (string name | u32 n_dims | n_dims x u64 ne |
 *                u32 ggml type | u64 offset into the data section)
 *   padding to general.alignment | tensor data
 *
 * A string is a u64 byte count and the bytes (no terminator); an array is
 * a u32 element type, a u64 count and the elements.
 *
 * Every read goes through struct reader, which knows the file size and
 * refuses to read past it; counts are checked against the bytes left before
 * any loop or allocation.  Memory use is therefore bounded by a small
 * multiple of the file size, and time by one pass over the header.
 */
#include "gguf.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Smallest encodings, used to cap counts by the bytes left. */
#define MIN_KV_BYTES     14u /* key length 8, 1-byte key, type 4, 1-byte value */
#define MIN_TENSOR_BYTES 33u /* name 8+1, n_dims 4, ne 8, type 4, offset 8 */

/* ------------------------------------------------------------------ */
/* Reader: bounds-checked sequential reads from a file or a buffer.    */

/* The reader's state.  Exactly one of f and mem is set. */
struct reader {
	FILE *f;
	const uint8_t *mem;
	uint64_t size;    /* bytes in the file */
	uint64_t pos;     /* offset of the next byte to read */
	const char *name; /* file name for messages */
	char where[192];  /* current section for messages */
	char *err;
	size_t errlen;
	uint64_t keep_budget; /* array numbers that may still be kept */
};

/* Write "name: where: message" into the error buffer; returns false so
 * callers can `return fail(...)`. */
static bool fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool fail(struct reader *r, const char *fmt, ...)
{
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->errlen)
		snprintf(r->err, r->errlen, "%s: %s: %s", r->name, r->where, msg);
	return false;
}

static uint64_t left(const struct reader *r)
{
	return r->size - r->pos;
}

/* Check that n more bytes exist; what names them in the message. */
static bool need(struct reader *r, uint64_t n, const char *what)
{
	if (n <= left(r))
		return true;
	return fail(r,
	            "truncated: %s needs %" PRIu64 " bytes at offset %" PRIu64
	            " but the file ends at %" PRIu64,
	            what, n, r->pos, r->size);
}

static bool rd_bytes(struct reader *r, void *dst, uint64_t n, const char *what)
{
	if (!need(r, n, what))
		return false;
	if (r->mem) {
		memcpy(dst, r->mem + r->pos, (size_t)n);
	} else if (fread(dst, 1, (size_t)n, r->f) != n) {
		return fail(r, "read error at offset %" PRIu64 ": %s", r->pos,
		            ferror(r->f) ? strerror(errno) : "file shrank while reading");
	}
	r->pos += n;
	return true;
}

static bool rd_skip(struct reader *r, uint64_t n, const char *what)
{
	if (!need(r, n, what))
		return false;
	if (r->f) {
		if (n <= 4096) {
			/* Short skips stay in stdio's buffer. */
			char scratch[4096];
			if (fread(scratch, 1, (size_t)n, r->f) != n)
				return fail(r, "read error at offset %" PRIu64, r->pos);
		} else if (fseeko(r->f, (off_t)(r->pos + n), SEEK_SET) != 0) {
			return fail(r, "seek to offset %" PRIu64 " failed: %s", r->pos + n,
			            strerror(errno));
		}
	}
	r->pos += n;
	return true;
}

/* Little-endian integers of 1, 2, 4 or 8 bytes, whatever the host. */
static bool rd_uint(struct reader *r, unsigned nbytes, uint64_t *out, const char *what)
{
	uint8_t b[8];
	assert(nbytes >= 1 && nbytes <= 8);
	if (!rd_bytes(r, b, nbytes, what))
		return false;
	uint64_t v = 0;
	for (unsigned k = nbytes; k-- > 0;)
		v = v << 8 | b[k];
	*out = v;
	return true;
}

static bool rd_u32(struct reader *r, uint32_t *out, const char *what)
{
	uint64_t v;
	if (!rd_uint(r, 4, &v, what))
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool rd_u64(struct reader *r, uint64_t *out, const char *what)
{
	return rd_uint(r, 8, out, what);
}

/* ------------------------------------------------------------------ */
/* Strings.                                                            */

/* Offset of the first byte that breaks UTF-8 (overlong forms, surrogates
 * and code points above U+10FFFF included), or len when s is valid. */
static size_t utf8_bad_at(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		size_t n;
		uint32_t cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 2, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			n = 3, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			n = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return i;
		}
		if (len - i < n)
			return i;
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n;
	}
	return len;
}

/* Length of dst[0..n) without a multi-byte character cut at its end. */
static size_t utf8_trim(const char *dst, size_t n)
{
	size_t j = n;
	while (j > 0 && ((unsigned char)dst[j - 1] & 0xc0) == 0x80)
		j--;
	if (j == 0 || (unsigned char)dst[j - 1] < 0xc0)
		return n;
	unsigned lead = (unsigned char)dst[j - 1];
	size_t want = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
	return n - (j - 1) < want ? j - 1 : n;
}

/* Copy s (len bytes) into dst for a message: at most 60 bytes, control
 * characters (and with ascii_only every byte >= 0x80) as \xNN, "..." when
 * cut. */
static void printable(char *dst, size_t dstlen, const char *s, size_t len, bool ascii_only)
{
	size_t o = 0;
	assert(dstlen >= 8);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool esc = c < 0x20 || c == 0x7f || c == '\'' || (ascii_only && c >= 0x80);
		size_t w = esc ? 4 : 1;
		if (o + w + 4 > dstlen || i >= 60) {
			o = utf8_trim(dst, o);
			memcpy(dst + o, "...", 3);
			o += 3;
			break;
		}
		if (esc)
			o += (size_t)snprintf(dst + o, dstlen - o, "\\x%02x", c);
		else
			dst[o++] = (char)c;
	}
	dst[o] = '\0';
}

/* Read a string's length and bytes.  A length above limit (0: none) is an
 * error naming `what`.  With out != NULL and length <= keep_max, *out gets
 * a malloc'd NUL-terminated copy; otherwise the bytes are skipped and *out
 * (if given) is NULL. */
static bool rd_string(struct reader *r, const char *what, uint64_t limit, uint64_t keep_max,
                      char **out, uint64_t *len_out)
{
	uint64_t len;
	char lenwhat[64];
	snprintf(lenwhat, sizeof(lenwhat), "the length of %s", what);
	if (out)
		*out = NULL;
	if (!rd_u64(r, &len, lenwhat))
		return false;
	if (len_out)
		*len_out = len;
	if (limit && len > limit)
		return fail(r, "%s of %" PRIu64 " bytes is longer than the %" PRIu64 " allowed",
		            what, len, limit);
	if (len > left(r))
		return fail(r,
		            "truncated: %s of %" PRIu64 " bytes at offset %" PRIu64
		            " runs past the end of the file (%" PRIu64 " bytes left)",
		            what, len, r->pos, left(r));
	if (!out || len > keep_max)
		return rd_skip(r, len, what);
	char *s = malloc((size_t)len + 1);
	if (!s)
		return fail(r, "out of memory for %s of %" PRIu64 " bytes", what, len);
	if (!rd_bytes(r, s, len, what)) {
		free(s);
		return false;
	}
	s[len] = '\0';
	*out = s;
	return true;
}

/* Check a key or tensor name: non-empty, no NUL byte, valid UTF-8. */
static bool check_name(struct reader *r, const char *what, const char *s, uint64_t len)
{
	char shown[96];
	if (len == 0)
		return fail(r, "%s is empty", what);
	size_t bad = utf8_bad_at((const unsigned char *)s, (size_t)len);
	if (bad < len) {
		printable(shown, sizeof(shown), s, (size_t)len, true);
		return fail(r, "%s '%s' is not valid UTF-8 (byte 0x%02x at position %zu)", what,
		            shown, (unsigned char)s[bad], bad);
	}
	if (memchr(s, '\0', (size_t)len)) {
		printable(shown, sizeof(shown), s, (size_t)len, true);
		return fail(r, "%s '%s' contains a NUL byte", what, shown);
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Duplicate detection: an open-addressing set of strings.             */

struct name_slot {
	const char *s; /* NULL: empty */
	size_t idx;    /* where the name was first seen */
};

struct nameset {
	struct name_slot *slot;
	size_t cap; /* a power of two, or 0 */
	size_t n;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static bool nameset_grow(struct nameset *set)
{
	size_t cap = set->cap ? set->cap * 2 : 64;
	struct name_slot *slot = calloc(cap, sizeof(*slot));
	if (!slot)
		return false;
	for (size_t i = 0; i < set->cap; i++) {
		if (!set->slot[i].s)
			continue;
		size_t j = (size_t)hash_str(set->slot[i].s) & (cap - 1);
		while (slot[j].s)
			j = (j + 1) & (cap - 1);
		slot[j] = set->slot[i];
	}
	free(set->slot);
	set->slot = slot;
	set->cap = cap;
	return true;
}

/* Add s (seen at idx).  Returns 1 when added, 0 when already present
 * (*first gets the earlier index), -1 on allocation failure.  s must
 * outlive the set. */
static int nameset_add(struct nameset *set, const char *s, size_t idx, size_t *first)
{
	if ((set->n + 1) * 2 > set->cap && !nameset_grow(set))
		return -1;
	size_t j = (size_t)hash_str(s) & (set->cap - 1);
	while (set->slot[j].s) {
		if (strcmp(set->slot[j].s, s) == 0) {
			*first = set->slot[j].idx;
			return 0;
		}
		j = (j + 1) & (set->cap - 1);
	}
	set->slot[j].s = s;
	set->slot[j].idx = idx;
	set->n++;
	return 1;
}

static void nameset_free(struct nameset *set)
{
	free(set->slot);
	memset(set, 0, sizeof(*set));
}

/* ------------------------------------------------------------------ */
/* Metadata values.                                                    */

static const char *const type_names[GGUF_TYPE_COUNT] = {
    [GGUF_UINT8] = "uint8",     [GGUF_INT8] = "int8",     [GGUF_UINT16] = "uint16",
    [GGUF_INT16] = "int16",     [GGUF_UINT32] = "uint32", [GGUF_INT32] = "int32",
    [GGUF_FLOAT32] = "float32", [GGUF_BOOL] = "bool",     [GGUF_STRING] = "string",
    [GGUF_ARRAY] = "array",     [GGUF_UINT64] = "uint64", [GGUF_INT64] = "int64",
    [GGUF_FLOAT64] = "float64",
};

/* Bytes of one value of a fixed-size type; for strings and arrays the
 * smallest encoding (an empty string, an empty array). */
static const uint8_t type_min_bytes[GGUF_TYPE_COUNT] = {
    [GGUF_UINT8] = 1,  [GGUF_INT8] = 1,    [GGUF_UINT16] = 2,  [GGUF_INT16] = 2,  [GGUF_UINT32] = 4,
    [GGUF_INT32] = 4,  [GGUF_FLOAT32] = 4, [GGUF_BOOL] = 1,    [GGUF_STRING] = 8, [GGUF_ARRAY] = 12,
    [GGUF_UINT64] = 8, [GGUF_INT64] = 8,   [GGUF_FLOAT64] = 8,
};

const char *gguf_type_name(enum gguf_type t)
{
	return ((int)t >= 0 && t < GGUF_TYPE_COUNT) ? type_names[t] : "?";
}

static bool is_number_type(uint32_t t)
{
	return t < GGUF_TYPE_COUNT && t != GGUF_STRING && t != GGUF_ARRAY;
}

/* Read one number of type t. */
static bool rd_number(struct reader *r, uint32_t t, union gguf_num *out, const char *what)
{
	uint64_t v;
	if (!rd_uint(r, type_min_bytes[t], &v, what))
		return false;
	switch (t) {
	case GGUF_INT8:
		out->i = (int8_t)(uint8_t)v;
		break;
	case GGUF_INT16:
		out->i = (int16_t)(uint16_t)v;
		break;
	case GGUF_INT32:
		out->i = (int32_t)(uint32_t)v;
		break;
	case GGUF_INT64:
		out->i = (int64_t)v;
		break;
	case GGUF_FLOAT32: {
		uint32_t bits = (uint32_t)v;
		float f;
		memcpy(&f, &bits, sizeof(f));
		out->f = f;
		break;
	}
	case GGUF_FLOAT64:
		memcpy(&out->f, &v, sizeof(out->f));
		break;
	case GGUF_BOOL:
		out->u = v != 0;
		break;
	default:
		out->u = v;
		break;
	}
	return true;
}

static bool check_value_type(struct reader *r, uint32_t t, const char *what)
{
	if (t < GGUF_TYPE_COUNT)
		return true;
	return fail(r, "unknown %s %" PRIu32 " (0..%d are defined)", what, t, GGUF_TYPE_COUNT - 1);
}

/* Read an array's element type and count and check the count against the
 * bytes left. */
static bool rd_array_head(struct reader *r, uint32_t *elem, uint64_t *n)
{
	if (!rd_u32(r, elem, "array element type") ||
	    !check_value_type(r, *elem, "array element type"))
		return false;
	if (!rd_u64(r, n, "array length"))
		return false;
	uint64_t most = left(r) / type_min_bytes[*elem];
	if (*n > most)
		return fail(r,
		            "truncated or absurd array length %" PRIu64 ": %" PRIu64
		            " bytes left hold at most %" PRIu64 " %s values",
		            *n, left(r), most, type_names[*elem]);
	return true;
}

/* Skip n elements of type elem (depth: nesting level of these elements). */
static bool skip_elems(struct reader *r, uint32_t elem, uint64_t n, unsigned depth)
{
	if (elem == GGUF_STRING) {
		for (uint64_t k = 0; k < n; k++)
			if (!rd_string(r, "string in array", 0, 0, NULL, NULL))
				return false;
		return true;
	}
	if (elem == GGUF_ARRAY) {
		if (depth >= GGUF_MAX_DEPTH)
			return fail(r, "arrays nested more than %u deep", GGUF_MAX_DEPTH);
		for (uint64_t k = 0; k < n; k++) {
			uint32_t sub;
			uint64_t m;
			if (!rd_array_head(r, &sub, &m) || !skip_elems(r, sub, m, depth + 1))
				return false;
		}
		return true;
	}
	/* n <= left / size was checked, so this cannot overflow. */
	return rd_skip(r, n * type_min_bytes[elem], "array data");
}

/* Read the value of kv (kv->type already set). */
static bool rd_value(struct reader *r, struct gguf_kv *kv)
{
	switch (kv->type) {
	case GGUF_STRING:
		return rd_string(r, "string value", 0, GGUF_KEEP_STRING_BYTES, &kv->str, &kv->n);
	case GGUF_ARRAY: {
		uint32_t elem;
		if (!rd_array_head(r, &elem, &kv->n))
			return false;
		kv->elem_type = (enum gguf_type)elem;
		bool keep = is_number_type(elem) && kv->n <= GGUF_KEEP_ARRAY_ELEMS &&
		            kv->n <= r->keep_budget;
		if (!keep)
			return skip_elems(r, elem, kv->n, 1);
		kv->arr = calloc(kv->n ? (size_t)kv->n : 1, sizeof(*kv->arr));
		if (!kv->arr)
			return fail(r, "out of memory for an array of %" PRIu64, kv->n);
		r->keep_budget -= kv->n;
		for (uint64_t k = 0; k < kv->n; k++)
			if (!rd_number(r, elem, &kv->arr[k], "array element"))
				return false;
		return true;
	}
	default:
		return rd_number(r, kv->type, &kv->num, "value");
	}
}

/* ------------------------------------------------------------------ */
/* Lookups.                                                            */

const struct gguf_kv *gguf_find(const struct gguf_info *g, const char *key)
{
	for (size_t i = 0; i < g->n_kv; i++)
		if (strcmp(g->kv[i].key, key) == 0)
			return &g->kv[i];
	return NULL;
}

const char *gguf_get_str(const struct gguf_info *g, const char *key)
{
	const struct gguf_kv *kv = gguf_find(g, key);
	return kv && kv->type == GGUF_STRING ? kv->str : NULL;
}

uint64_t gguf_kv_count(const struct gguf_kv *kv)
{
	return kv->type == GGUF_ARRAY ? kv->n : 1;
}

bool gguf_kv_uint(const struct gguf_kv *kv, uint64_t i, uint64_t *out)
{
	enum gguf_type t = kv->type;
	const union gguf_num *v = &kv->num;
	if (t == GGUF_ARRAY) {
		if (!kv->arr || i >= kv->n)
			return false;
		t = kv->elem_type;
		v = &kv->arr[i];
	} else if (i != 0) {
		return false;
	}
	switch (t) {
	case GGUF_UINT8:
	case GGUF_UINT16:
	case GGUF_UINT32:
	case GGUF_UINT64:
	case GGUF_BOOL:
		*out = v->u;
		return true;
	case GGUF_INT8:
	case GGUF_INT16:
	case GGUF_INT32:
	case GGUF_INT64:
		if (v->i < 0)
			return false;
		*out = (uint64_t)v->i;
		return true;
	default:
		return false;
	}
}

const struct gguf_tensor *gguf_find_tensor(const struct gguf_info *g, const char *name)
{
	for (size_t i = 0; i < g->n_tensors; i++)
		if (strcmp(g->tensors[i].name, name) == 0)
			return &g->tensors[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* One file.                                                           */

void gguf_info_free(struct gguf_info *g)
{
	for (size_t i = 0; i < g->n_kv; i++) {
		free(g->kv[i].key);
		free(g->kv[i].str);
		free(g->kv[i].arr);
	}
	for (size_t i = 0; i < g->n_tensors; i++)
		free(g->tensors[i].name);
	free(g->kv);
	free(g->tensors);
	free(g->path);
	memset(g, 0, sizeof(*g));
}

/* Grow a vector of `size`-byte items so that one more fits. */
static bool grow(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *nv = realloc(*v, ncap * size);
	if (!nv)
		return false;
	*v = nv;
	*cap = ncap;
	return true;
}

static bool parse_header(struct reader *r, uint32_t *version, uint64_t *n_tensors, uint64_t *n_kv)
{
	uint8_t magic[4];
	snprintf(r->where, sizeof(r->where), "header");
	if (!rd_bytes(r, magic, 4, "the magic"))
		return false;
	if (memcmp(magic, "GGUF", 4) != 0) {
		char shown[32];
		printable(shown, sizeof(shown), (const char *)magic, 4, true);
		return fail(r, "wrong magic '%s' (%02x %02x %02x %02x): not a GGUF file", shown,
		            magic[0], magic[1], magic[2], magic[3]);
	}
	if (!rd_u32(r, version, "the version"))
		return false;
	if (*version != 2 && *version != 3) {
		uint32_t v = *version;
		uint32_t swapped =
		    (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
		if (swapped >= 1 && swapped <= 3)
			return fail(r, "big-endian GGUF (version %" PRIu32 ") is not supported",
			            swapped);
		return fail(r, "unsupported GGUF version %" PRIu32 " (versions 2 and 3 are read)",
		            v);
	}
	if (!rd_u64(r, n_tensors, "the tensor count") || !rd_u64(r, n_kv, "the metadata count"))
		return false;
	if (*n_tensors > GGUF_MAX_TENSORS)
		return fail(r, "tensor count %" PRIu64 " exceeds the limit of %u", *n_tensors,
		            GGUF_MAX_TENSORS);
	if (*n_kv > GGUF_MAX_KV)
		return fail(r, "metadata count %" PRIu64 " exceeds the limit of %u", *n_kv,
		            GGUF_MAX_KV);
	uint64_t need_bytes = *n_kv * MIN_KV_BYTES + *n_tensors * MIN_TENSOR_BYTES;
	if (need_bytes > left(r))
		return fail(r,
		            "truncated or absurd counts: %" PRIu64 " metadata keys and %" PRIu64
		            " tensors need at least %" PRIu64 " bytes, %" PRIu64 " are left",
		            *n_kv, *n_tensors, need_bytes, left(r));
	return true;
}

static bool parse_kv(struct reader *r, struct gguf_info *g, uint64_t n_kv)
{
	size_t cap = 0;
	struct nameset seen = {0};
	bool ok = true;
	for (uint64_t i = 0; i < n_kv && ok; i++) {
		snprintf(r->where, sizeof(r->where), "metadata key %" PRIu64, i);
		if (!grow((void **)&g->kv, &cap, g->n_kv, sizeof(*g->kv))) {
			ok = fail(r, "out of memory");
			break;
		}
		struct gguf_kv *kv = &g->kv[g->n_kv];
		memset(kv, 0, sizeof(*kv));
		uint64_t len;
		if (!rd_string(r, "key", GGUF_MAX_KEY_BYTES, GGUF_MAX_KEY_BYTES, &kv->key, &len)) {
			ok = false;
			break;
		}
		g->n_kv++; /* from here kv is owned by g */
		if (!check_name(r, "key", kv->key, len)) {
			ok = false;
			break;
		}
		char shown[96];
		printable(shown, sizeof(shown), kv->key, (size_t)len, false);
		snprintf(r->where, sizeof(r->where), "metadata key %" PRIu64 " '%s'", i, shown);
		size_t first;
		int added = nameset_add(&seen, kv->key, (size_t)i, &first);
		if (added < 0) {
			ok = fail(r, "out of memory");
			break;
		}
		if (added == 0) {
			ok = fail(r, "duplicate key (first defined as metadata key %zu)", first);
			break;
		}
		uint32_t type;
		ok = rd_u32(r, &type, "the value type") && check_value_type(r, type, "value type");
		if (ok) {
			kv->type = (enum gguf_type)type;
			ok = rd_value(r, kv);
		}
	}
	nameset_free(&seen);
	return ok;
}

/* general.alignment: a non-zero power of two that fits 32 bits. */
static bool resolve_alignment(struct reader *r, struct gguf_info *g)
{
	g->alignment = GGUF_DEFAULT_ALIGNMENT;
	const struct gguf_kv *kv = gguf_find(g, "general.alignment");
	if (!kv)
		return true;
	snprintf(r->where, sizeof(r->where), "metadata key %zu 'general.alignment'",
	         (size_t)(kv - g->kv));
	uint64_t a;
	if (kv->type == GGUF_ARRAY || kv->type == GGUF_BOOL || !gguf_kv_uint(kv, 0, &a))
		return fail(r, "expected an unsigned integer, got %s", gguf_type_name(kv->type));
	if (a == 0 || (a & (a - 1)) != 0 || a > UINT32_MAX)
		return fail(r, "alignment %" PRIu64 " is not a power of two below 2^32", a);
	g->alignment = (uint32_t)a;
	return true;
}

/* a + b, or UINT64_MAX when that overflows. */
static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t pad_to(uint64_t x, uint64_t align)
{
	return (x + align - 1) / align * align;
}

/* Validate shape and type of tensor t, compute its bytes and elements. */
static bool check_tensor(struct reader *r, struct gguf_tensor *t, uint32_t type,
                         uint64_t *elems_out)
{
	const struct qtype_info *q = type < QT_GGML_COUNT ? qtype_get((enum qtype)type) : NULL;
	if (!q)
		return fail(r,
		            "unknown tensor type %" PRIu32
		            " (a removed or future GGML type; ids below %d are known)",
		            type, QT_GGML_COUNT);
	t->type = (enum qtype)type;
	if (t->ne[0] % q->block_elems != 0)
		return fail(r,
		            "row length %" PRIu64 " is not a multiple of the %s block (%" PRIu32
		            " elements)",
		            t->ne[0], q->name, q->block_elems);
	/* Elements and bytes must fit ggml's int64 arithmetic. */
	uint64_t elems = 1;
	for (unsigned j = 0; j < GGUF_MAX_DIMS; j++) {
		if (t->ne[j] != 0 && elems > (uint64_t)INT64_MAX / t->ne[j])
			return fail(r,
			            "shape %" PRIu64 " x %" PRIu64 " x %" PRIu64 " x %" PRIu64
			            " overflows 63 bits",
			            t->ne[0], t->ne[1], t->ne[2], t->ne[3]);
		elems *= t->ne[j];
	}
	uint64_t rows = elems / (t->ne[0] ? t->ne[0] : 1);
	uint64_t row_bytes = qtype_row_bytes(t->type, t->ne[0]);
	if (t->ne[0] == 0)
		rows = 0;
	if (row_bytes && rows > (uint64_t)INT64_MAX / row_bytes)
		return fail(r, "%" PRIu64 " rows of %" PRIu64 " bytes overflow 63 bits", rows,
		            row_bytes);
	t->bytes = rows * row_bytes;
	*elems_out = elems;
	return true;
}

static bool parse_tensors(struct reader *r, struct gguf_info *g, uint64_t n_tensors,
                          uint64_t *data_end)
{
	size_t cap = 0;
	struct nameset seen = {0};
	uint64_t expect = 0; /* where the next tensor's data must start */
	bool ok = true;
	*data_end = 0;
	for (uint64_t i = 0; i < n_tensors && ok; i++) {
		snprintf(r->where, sizeof(r->where), "tensor info %" PRIu64, i);
		if (!grow((void **)&g->tensors, &cap, g->n_tensors, sizeof(*g->tensors))) {
			ok = fail(r, "out of memory");
			break;
		}
		struct gguf_tensor *t = &g->tensors[g->n_tensors];
		memset(t, 0, sizeof(*t));
		uint64_t len;
		if (!rd_string(r, "tensor name", GGUF_MAX_NAME_BYTES, GGUF_MAX_NAME_BYTES, &t->name,
		               &len)) {
			ok = false;
			break;
		}
		g->n_tensors++;
		if (!check_name(r, "tensor name", t->name, len)) {
			ok = false;
			break;
		}
		char shown[96];
		printable(shown, sizeof(shown), t->name, (size_t)len, false);
		snprintf(r->where, sizeof(r->where), "tensor info %" PRIu64 " '%s'", i, shown);
		size_t first;
		int added = nameset_add(&seen, t->name, (size_t)i, &first);
		if (added <= 0) {
			ok = added < 0 ? fail(r, "out of memory")
			               : fail(r, "duplicate tensor name (first at tensor info %zu)",
			                      first);
			break;
		}
		uint32_t n_dims, type;
		uint64_t elems = 0;
		if (!rd_u32(r, &n_dims, "n_dims")) {
			ok = false;
			break;
		}
		if (n_dims < 1 || n_dims > GGUF_MAX_DIMS) {
			ok = fail(r, "n_dims %" PRIu32 " is outside 1..%u", n_dims, GGUF_MAX_DIMS);
			break;
		}
		t->n_dims = n_dims;
		for (unsigned j = 0; j < GGUF_MAX_DIMS; j++)
			t->ne[j] = 1;
		for (unsigned j = 0; j < n_dims && ok; j++) {
			ok = rd_u64(r, &t->ne[j], "a dimension");
			if (ok && t->ne[j] > (uint64_t)INT64_MAX)
				ok = fail(r, "dimension %u is %" PRIu64 " (negative as int64)", j,
				          t->ne[j]);
		}
		ok = ok && rd_u32(r, &type, "the tensor type") &&
		     rd_u64(r, &t->offset, "the offset") && check_tensor(r, t, type, &elems);
		if (!ok)
			break;
		if (t->offset != expect) {
			ok = fail(r,
			          "data offset %" PRIu64 " is not %" PRIu64
			          " (tensors must follow each other, each padded to %" PRIu32
			          " bytes)",
			          t->offset, expect, g->alignment);
			break;
		}
		if (t->bytes > (uint64_t)INT64_MAX - g->alignment - t->offset) {
			ok = fail(r,
			          "tensor data ends beyond 2^63 bytes (offset %" PRIu64 ", %" PRIu64
			          " bytes)",
			          t->offset, t->bytes);
			break;
		}
		*data_end = t->offset + t->bytes;
		expect = pad_to(*data_end, g->alignment);
		g->tensor_bytes += t->bytes; /* <= data_end < 2^63 */
		g->tensor_elems = sat_add(g->tensor_elems, elems);
	}
	nameset_free(&seen);
	return ok;
}

/* Parse the whole header behind r into out. */
static bool parse(struct reader *r, struct gguf_info *out)
{
	uint64_t n_tensors = 0, n_kv = 0, data_end = 0;
	r->keep_budget = GGUF_KEEP_ARRAY_TOTAL;
	if (!parse_header(r, &out->version, &n_tensors, &n_kv) || !parse_kv(r, out, n_kv) ||
	    !resolve_alignment(r, out) || !parse_tensors(r, out, n_tensors, &data_end))
		return false;
	out->n_parts = 1;
	out->file_bytes = r->size;
	out->header_bytes = pad_to(r->pos, out->alignment);
	out->data_complete =
	    out->header_bytes <= r->size && data_end <= r->size - out->header_bytes;
	return true;
}

bool gguf_read_mem(const void *buf, size_t len, const char *name, struct gguf_info *out, char *err,
                   size_t errlen)
{
	struct reader r = {.mem = buf, .size = len, .name = name, .err = err, .errlen = errlen};
	static const uint8_t empty[1];
	memset(out, 0, sizeof(*out));
	if (!r.mem)
		r.mem = empty, r.size = 0;
	out->path = strdup(name);
	if (!out->path || !parse(&r, out)) {
		if (!out->path)
			snprintf(err, errlen, "%s: out of memory", name);
		gguf_info_free(out);
		return false;
	}
	return true;
}

/* Read one file (no split handling). */
static bool read_one(const char *path, struct gguf_info *out, char *err, size_t errlen)
{
	struct reader r = {.name = path, .err = err, .errlen = errlen};
	struct stat st;
	memset(out, 0, sizeof(*out));
	/* Look before opening: fopen() of a FIFO would wait for a writer. */
	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		return false;
	}
	r.f = fopen(path, "rb");
	if (!r.f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return false;
	}
	if (fstat(fileno(r.f), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		fclose(r.f);
		return false;
	}
	r.size = (uint64_t)st.st_size;
	out->path = strdup(path);
	bool ok = out->path && parse(&r, out);
	if (!out->path)
		snprintf(err, errlen, "%s: out of memory", path);
	fclose(r.f);
	if (!ok)
		gguf_info_free(out);
	return ok;
}

/* ------------------------------------------------------------------ */
/* Split models: NAME-00001-of-00003.gguf, -00002-, -00003-.           */

/* If path ends in -KKKKK-of-NNNNN.gguf (five digits each, 1 <= K <= N),
 * set *prefix_len to the length before the '-' and return N; else 0. */
static unsigned split_count(const char *path, size_t *prefix_len)
{
	static const char tail[] = "-00000-of-00000.gguf";
	size_t n = strlen(path), m = sizeof(tail) - 1;
	if (n <= m)
		return 0;
	const char *s = path + n - m;
	unsigned k = 0, count = 0;
	for (size_t i = 0; i < m; i++) {
		if (tail[i] == '0') {
			if (s[i] < '0' || s[i] > '9')
				return 0;
			if (i < 6)
				k = k * 10 + (unsigned)(s[i] - '0');
			else
				count = count * 10 + (unsigned)(s[i] - '0');
		} else if (s[i] != tail[i]) {
			return 0;
		}
	}
	if (k < 1 || k > count)
		return 0;
	*prefix_len = n - m;
	return count;
}

/* The uint value of key in g, or `dflt` when absent or not an integer. */
static uint64_t kv_uint_or(const struct gguf_info *g, const char *key, uint64_t dflt)
{
	const struct gguf_kv *kv = gguf_find(g, key);
	uint64_t v;
	return kv && kv->type != GGUF_ARRAY && gguf_kv_uint(kv, 0, &v) ? v : dflt;
}

/* Move the tensors of part into out (part keeps its metadata). */
static bool append_part(struct gguf_info *out, struct gguf_info *part, uint32_t index)
{
	size_t n = out->n_tensors + part->n_tensors;
	if (part->n_tensors) {
		struct gguf_tensor *v = realloc(out->tensors, n * sizeof(*v));
		if (!v)
			return false;
		out->tensors = v;
		for (size_t i = 0; i < part->n_tensors; i++) {
			out->tensors[out->n_tensors + i] = part->tensors[i];
			out->tensors[out->n_tensors + i].part = index;
		}
		part->n_tensors = 0; /* names now belong to out */
	}
	out->n_tensors = n;
	out->file_bytes = sat_add(out->file_bytes, part->file_bytes);
	out->tensor_bytes = sat_add(out->tensor_bytes, part->tensor_bytes);
	out->tensor_elems = sat_add(out->tensor_elems, part->tensor_elems);
	out->data_complete = out->data_complete && part->data_complete;
	return true;
}

static bool read_split(const char *path, size_t prefix_len, unsigned count, struct gguf_info *out,
                       char *err, size_t errlen)
{
	size_t plen = prefix_len + 32;
	char *part_path = malloc(plen);
	if (!part_path) {
		snprintf(err, errlen, "%s: out of memory", path);
		return false;
	}
	bool ok = true;
	for (unsigned k = 1; k <= count && ok; k++) {
		snprintf(part_path, plen, "%.*s-%05u-of-%05u.gguf", (int)prefix_len, path, k,
		         count);
		struct gguf_info part;
		struct stat st;
		if (stat(part_path, &st) != 0 && errno == ENOENT) {
			snprintf(err, errlen, "%s: split part %u of %u is missing (%s was given)",
			         part_path, k, count, path);
			ok = false;
			break;
		}
		if (!read_one(part_path, k == 1 ? out : &part, err, errlen)) {
			ok = false;
			break;
		}
		if (k > 1) {
			ok = append_part(out, &part, k - 1);
			if (!ok)
				snprintf(err, errlen, "%s: out of memory", part_path);
			gguf_info_free(&part);
		}
	}
	free(part_path);
	if (!ok) {
		gguf_info_free(out);
		return false;
	}
	out->n_parts = count;
	free(out->path);
	out->path = strdup(path);
	if (!out->path) {
		snprintf(err, errlen, "%s: out of memory", path);
		gguf_info_free(out);
		return false;
	}

	/* Check the split's own bookkeeping (written by llama-gguf-split). */
	uint64_t declared = kv_uint_or(out, "split.count", count);
	uint64_t declared_tensors = kv_uint_or(out, "split.tensors.count", out->n_tensors);
	struct nameset seen = {0};
	for (size_t i = 0; i < out->n_tensors && ok; i++) {
		size_t first;
		int added = nameset_add(&seen, out->tensors[i].name, i, &first);
		if (added < 0)
			snprintf(err, errlen, "%s: out of memory", path);
		else if (added == 0)
			snprintf(err, errlen,
			         "%s: tensor '%s' of split part %" PRIu32
			         " is also in split part %" PRIu32,
			         path, out->tensors[i].name, out->tensors[i].part + 1,
			         out->tensors[first].part + 1);
		ok = added > 0;
	}
	nameset_free(&seen);
	if (ok && declared != count) {
		snprintf(err, errlen,
		         "%s: split.count is %" PRIu64 " but the file name says %u parts", path,
		         declared, count);
		ok = false;
	}
	if (ok && declared_tensors != out->n_tensors) {
		snprintf(err, errlen,
		         "%s: split.tensors.count is %" PRIu64 " but the %u parts hold %zu tensors",
		         path, declared_tensors, count, out->n_tensors);
		ok = false;
	}
	if (!ok)
		gguf_info_free(out);
	return ok;
}

bool gguf_read(const char *path, struct gguf_info *out, char *err, size_t errlen)
{
	size_t prefix_len;
	unsigned count = split_count(path, &prefix_len);
	if (count > 1)
		return read_split(path, prefix_len, count, out, err, errlen);
	return read_one(path, out, err, errlen);
}

bool gguf_tensors(const struct gguf_info *g, struct tensor_list *l)
{
	for (size_t i = 0; i < g->n_tensors; i++) {
		const struct gguf_tensor *t = &g->tensors[i];
		uint8_t dims = t->n_dims > 3 ? 3 : (uint8_t)t->n_dims;
		if (!tensors_add(l, t->name, 0, dims, t->ne[0], t->ne[1], t->ne[2], t->type))
			return false;
		if (t->n_dims == 4) {
			struct tensor_info *e = &l->v[l->n - 1];
			e->n_dims = 4;
			e->ne[3] = t->ne[3];
		}
	}
	return true;
}

/*
 * gguf.h - read the header of a GGUF model file: metadata and tensor infos.
 *
 * Data layer.  gguf_read() parses the fixed header, every metadata key and
 * value and every tensor info of a GGUF file (versions 2 and 3, little
 * endian) without touching the tensor data, so a header-only or partly
 * downloaded file is enough.  A split model (NAME-00001-of-0000N.gguf) is
 * read part by part and its tensors are summed.
 *
 * The reader treats the file as hostile: every read is bounds-checked
 * against the file size, every count is capped by what the remaining bytes
 * could hold and by fixed limits before anything is allocated, and every
 * failure comes back as one readable line naming the file, the section
 * (header, metadata key N 'key', tensor info N 'name') and the bad value.
 *
 * gguf_arch() then turns the metadata into the engine's struct model_arch,
 * reading the keys llama.cpp's loader reads (src/llama-model.cpp).
 */
#ifndef VRAMCALC_GGUF_H
#define VRAMCALC_GGUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "estimate.h"
#include "quant.h"
#include "tensors.h"

/* Metadata value types; the values are the ids stored in the file. */
enum gguf_type {
	GGUF_UINT8 = 0,
	GGUF_INT8 = 1,
	GGUF_UINT16 = 2,
	GGUF_INT16 = 3,
	GGUF_UINT32 = 4,
	GGUF_INT32 = 5,
	GGUF_FLOAT32 = 6,
	GGUF_BOOL = 7,
	GGUF_STRING = 8,
	GGUF_ARRAY = 9,
	GGUF_UINT64 = 10,
	GGUF_INT64 = 11,
	GGUF_FLOAT64 = 12,
	GGUF_TYPE_COUNT
};

/* Limits of the reader.  Counts in a file are also capped by the bytes
 * left in it (a tensor info takes at least 33 bytes, a key 13, ...). */
#define GGUF_MAX_TENSORS       (1u << 20) /* tensor infos per file */
#define GGUF_MAX_KV            (1u << 20) /* metadata keys per file */
#define GGUF_MAX_KEY_BYTES     65535u     /* the format's limit for keys */
#define GGUF_MAX_NAME_BYTES    63u        /* GGML_MAX_NAME - 1 */
#define GGUF_MAX_DIMS          4u         /* GGML_MAX_DIMS */
#define GGUF_MAX_DEPTH         8u         /* nesting of arrays in arrays */
#define GGUF_KEEP_STRING_BYTES (1u << 20) /* longer string values: length only */
#define GGUF_KEEP_ARRAY_ELEMS  65536u     /* longer arrays: count only */
#define GGUF_KEEP_ARRAY_TOTAL  (1u << 22) /* numbers kept over all arrays */
#define GGUF_DEFAULT_ALIGNMENT 32u        /* without general.alignment */

/* One number from the file; which member is valid follows the type:
 * u for unsigned integers and bool (0 or 1), i for signed integers, f for
 * float32 and float64. */
union gguf_num {
	uint64_t u;
	int64_t i;
	double f;
};

/* One metadata key and its value.
 *   scalars:  type is the number type or GGUF_BOOL, the value is in num.
 *   strings:  n is the length in bytes; str holds a NUL-terminated copy
 *             when n <= GGUF_KEEP_STRING_BYTES, else NULL.  Not checked
 *             for UTF-8 (keys and tensor names are).
 *   arrays:   elem_type is the element type, n the element count.  Arrays
 *             of numbers or bools with at most GGUF_KEEP_ARRAY_ELEMS
 *             elements are kept in arr (while the reader's total budget
 *             lasts); string arrays (tokenizer.ggml.tokens), nested arrays
 *             and longer arrays keep only their count (arr == NULL).
 * All pointers are owned by the struct gguf_info. */
struct gguf_kv {
	char *key; /* NUL-terminated, valid UTF-8 */
	enum gguf_type type;
	enum gguf_type elem_type; /* arrays only */
	uint64_t n;               /* string bytes or array elements */
	union gguf_num num;       /* scalar numbers */
	char *str;                /* string values */
	union gguf_num *arr;      /* kept number arrays: n entries */
};

/* One tensor info.  Shapes are ggml's: ne[0] is the row length; unused
 * dimensions are 1. */
struct gguf_tensor {
	char *name;      /* NUL-terminated UTF-8, at most 63 bytes, owned */
	uint32_t n_dims; /* 1..4 */
	uint64_t ne[4];
	enum qtype type; /* a GGML type id (< QT_GGML_COUNT) */
	uint64_t offset; /* bytes from the start of its part's data */
	uint64_t bytes;  /* exact: rows x qtype_row_bytes(type, ne[0]) */
	uint32_t part;   /* 0-based index of the split part holding it */
};

/* A parsed GGUF header (all parts of a split model).  Zero it or let
 * gguf_read() fill it; release it with gguf_info_free().  Metadata comes
 * from the first part; tensors are those of all parts in part order. */
struct gguf_info {
	char *path;            /* the path given to gguf_read(), owned */
	uint32_t version;      /* 2 or 3 (of the first part) */
	uint32_t n_parts;      /* 1, or N of a -0000K-of-0000N split */
	uint32_t alignment;    /* general.alignment or 32, bytes */
	uint64_t header_bytes; /* data offset of the first part, bytes */
	uint64_t file_bytes;   /* size on disk, all parts, bytes */
	uint64_t tensor_bytes; /* sum of every tensor's bytes */
	uint64_t tensor_elems; /* sum of every tensor's elements */
	bool data_complete;    /* every part holds all its tensor data */
	size_t n_kv;
	struct gguf_kv *kv;
	size_t n_tensors;
	struct gguf_tensor *tensors;
};

/* Read the header of the GGUF file at path into out (overwritten; free it
 * with gguf_info_free() whatever the result).  A path ending in
 * -KKKKK-of-NNNNN.gguf with N > 1 loads all N parts from the same directory.
 * On failure writes one line naming the file, section and problem into err
 * (size errlen) and returns false; out is then empty. */
bool gguf_read(const char *path, struct gguf_info *out, char *err, size_t errlen);

/* Parse one GGUF file held in memory (len bytes at buf; no split parts).
 * name labels error messages and becomes out->path.  Same contract as
 * gguf_read().  Used by the fuzzer and the tests. */
bool gguf_read_mem(const void *buf, size_t len, const char *name, struct gguf_info *out, char *err,
                   size_t errlen);

/* Release everything out owns and zero it.  Safe on a zeroed struct. */
void gguf_info_free(struct gguf_info *g);

/* The metadata entry with this key, or NULL. */
const struct gguf_kv *gguf_find(const struct gguf_info *g, const char *key);

/* The string value of key, or NULL when absent, not a string, or too long
 * to have been kept. */
const char *gguf_get_str(const struct gguf_info *g, const char *key);

/* Number of values of an entry: n for arrays, 1 for anything else. */
uint64_t gguf_kv_count(const struct gguf_kv *kv);

/* Value i of an entry (i == 0 for a scalar) as a non-negative integer.
 * False when it is not an integer or bool, is negative, is an array that
 * was not kept, or i is out of range. */
bool gguf_kv_uint(const struct gguf_kv *kv, uint64_t i, uint64_t *out);

/* "uint32", "string", "array", ...; "?" for an unknown id. */
const char *gguf_type_name(enum gguf_type t);

/* The tensor with this name, or NULL. */
const struct gguf_tensor *gguf_find_tensor(const struct gguf_info *g, const char *name);

/* Append every tensor to l (engine form: name, shape, category) with
 * src_type = the type stored in the file.  Names longer than the engine's
 * 47 bytes are cut.  Returns false on allocation failure. */
bool gguf_tensors(const struct gguf_info *g, struct tensor_list *l);

/* Fill a from the metadata (and the presence and shapes of a few tensors:
 * output.weight, rope_freqs.weight, exp_probs_b, shared experts) the way
 * llama.cpp's loader reads them, then check it with arch_validate().
 * On failure writes a reason naming the file and key into err. */
bool gguf_arch(const struct gguf_info *g, struct model_arch *a, char *err, size_t errlen);

/* gguf_arch() plus the file's own tensor list and parameter counts into m
 * (m->tensors is allocated: release with model_release() or
 * tensors_free(&m->tensors)).  The tensors carry the file's types in
 * src_type. */
bool gguf_model(const struct gguf_info *g, struct model *m, char *err, size_t errlen);

#endif

/*
 * safetensors.h - the size of a safetensors checkpoint as shipped, from its
 * headers alone.
 *
 * Data layer.  A .safetensors file is an 8-byte little-endian header
 * length N, N bytes of JSON ({"name": {"dtype": "BF16", "shape": [..],
 * "data_offsets": [begin, end]}, ..., "__metadata__": {...}}) and the
 * tensor data.  safetensors_read() reads the headers only, so a partly
 * downloaded checkpoint works, and sums the stored bytes per dtype.  A
 * sharded checkpoint is named by its model.safetensors.index.json, whose
 * "weight_map" lists the shard files (read from the same directory).
 *
 * Every header is treated as hostile: N is capped (ST_MAX_HEADER_BYTES and
 * the file's size), the JSON is checked by json.h, each tensor's byte span
 * must equal its shape times its dtype size, and the spans must tile the
 * data area from offset 0 without gaps or overlaps (as the format
 * requires).  Failures come back as one line naming the file, the tensor
 * and the value.
 */
#ifndef VRAMCALC_SAFETENSORS_H
#define VRAMCALC_SAFETENSORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"

#define ST_MAX_HEADER_BYTES (100u << 20) /* JSON header of one file */
#define ST_MAX_VALUES       (1u << 20)   /* JSON values in one header */
#define ST_MAX_INDEX_BYTES  (64u << 20)  /* model.safetensors.index.json */
#define ST_MAX_INDEX_VALUES (1u << 21)   /* JSON values in an index */
#define ST_MAX_SHARDS       65536u       /* shard files of one index */
#define ST_MAX_DIMS         16u          /* dimensions of one tensor */

/* Element types of the format (the "dtype" strings). */
enum st_dtype {
	ST_BOOL,
	ST_F4,      /* 4-bit float, two per byte */
	ST_F6_E2M3, /* 6-bit floats, packed */
	ST_F6_E3M2,
	ST_U8,
	ST_I8,
	ST_F8_E5M2,
	ST_F8_E4M3,
	ST_F8_E8M0, /* scales of MX formats */
	ST_I16,
	ST_U16,
	ST_F16,
	ST_BF16,
	ST_I32, /* also packed int4 weights of GPTQ/AWQ checkpoints */
	ST_U32,
	ST_F32,
	ST_C64,
	ST_F64,
	ST_I64,
	ST_U64,
	ST_DTYPE_COUNT
};

/* "BF16", "F8_E4M3", ... */
const char *st_dtype_name(enum st_dtype t);

/* Bits per element of a dtype. */
unsigned st_dtype_bits(enum st_dtype t);

/* Totals over every file of a checkpoint.  Bytes are exact. */
struct st_info {
	uint32_t n_files;          /* safetensors files read (shards) */
	uint64_t n_tensors;        /* tensors over all files */
	uint64_t elements;         /* stored elements (packed words count once) */
	uint64_t data_bytes;       /* tensor bytes: the checkpoint's payload */
	uint64_t header_bytes;     /* 8-byte length fields plus JSON headers */
	uint64_t file_bytes;       /* sizes on disk, all files */
	bool complete;             /* every file holds all its tensor data */
	uint64_t index_total_size; /* the index's metadata.total_size (0: none) */
	uint64_t dtype_tensors[ST_DTYPE_COUNT];
	uint64_t dtype_bytes[ST_DTYPE_COUNT];
};

/* Read a .safetensors file or a *.safetensors.index.json and every shard
 * it names into out (zeroed first).  Index inconsistencies that do not
 * change the byte counts (total_size or tensor count differing from the
 * shards) become warnings (may be NULL).  On failure writes one line into
 * err and returns false. */
bool safetensors_read(const char *path, struct st_info *out, struct profile_warnings *warnings,
                      char *err, size_t errlen);

/* One safetensors file held in memory (header and whatever data follows;
 * len is taken as the file size).  Adds to out, which the caller zeroes.
 * name labels messages.  Used by safetensors_read, the fuzzer and tests. */
bool safetensors_read_mem(const void *buf, size_t len, const char *name, struct st_info *out,
                          char *err, size_t errlen);

/* The shard files an index names. */
struct st_index {
	char **shards; /* unique file names, sorted, owned */
	size_t n_shards;
	uint64_t n_tensors;  /* entries of weight_map */
	uint64_t total_size; /* metadata.total_size, 0 when absent */
};

/* Parse an index held in memory (len bytes of JSON).  Shard names must be
 * plain file names ending in .safetensors.  Free with st_index_free()
 * whatever the result. */
bool safetensors_index_mem(const char *text, size_t len, const char *name, struct st_index *out,
                           char *err, size_t errlen);

void st_index_free(struct st_index *ix);

#endif

/*
 * backend.h - the ggml backends llama.cpp runs on, and what differs
 * between them for memory.
 *
 * Engine layer: one constant table (backend.c), one row per backend.  The
 * estimate reads the row for the runtime overhead it adds per device, the
 * speed model (speed.h) indexes its per-backend constants by the same
 * enum; backend_pick() chooses the row of each device (the named
 * --backend, else the device vendor's).
 */
#ifndef VRAMCALC_BACKEND_H
#define VRAMCALC_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

/* A ggml device backend (llama.cpp built with -DGGML_CUDA, _HIP, ...). */
enum llama_backend {
	LLAMA_BACKEND_CUDA,   /* NVIDIA, ggml-cuda */
	LLAMA_BACKEND_ROCM,   /* AMD, ggml-cuda compiled with HIP */
	LLAMA_BACKEND_METAL,  /* Apple silicon, ggml-metal (unified memory) */
	LLAMA_BACKEND_VULKAN, /* any Vulkan 1.2 GPU, ggml-vulkan */
	LLAMA_BACKEND_CPU,    /* no GPU: every buffer in host memory */
	LLAMA_BACKEND_COUNT
};

/* One backend's facts.  Bytes are per device. */
struct backend_info {
	const char *name;   /* as --backend spells it: "cuda" */
	const char *label;  /* as output prints it: "CUDA" */
	const char *vendor; /* device vendor that selects it by default, or NULL */
	/* Runtime memory outside llama.cpp's model, KV and compute buffers:
	 * driver context, kernel images, BLAS workspaces, memory-pool slack. */
	uint64_t overhead_bytes;
	/* The same on a newer device generation where it differs (CUDA:
	 * compute capability 9.0 and later take a 32 MiB cuBLAS workspace per
	 * stream instead of 4 MiB); equal to overhead_bytes elsewhere. */
	uint64_t overhead_new_gen_bytes;
	const char *overhead_source; /* where the figure comes from */
	bool gpu;                    /* has device memory (false: the CPU) */
};

/* The row of b (asserts b < LLAMA_BACKEND_COUNT). */
const struct backend_info *backend_get(enum llama_backend b);

/* Backend by name ("cuda", "rocm", "hip", "metal", "vulkan", "cpu");
 * false when unknown. */
bool backend_find(const char *name, enum llama_backend *out);

/* The backend llama.cpp uses on a device of this vendor: NVIDIA -> CUDA,
 * AMD -> ROCm, Apple -> Metal, anything else (Intel, ...) -> Vulkan; NULL
 * or empty -> CUDA. */
enum llama_backend backend_for_vendor(const char *vendor);

/* The backend one device runs: the named one (--backend), or with
 * backend_auto the device vendor's (backend_for_vendor).  The one place
 * the choice is made; the memory accounting and the speed model read it. */
enum llama_backend backend_pick(bool backend_auto, enum llama_backend named, const char *vendor);

/* Overhead of one device of backend b; new_gen selects the newer
 * generation's figure. */
uint64_t backend_overhead_bytes(enum llama_backend b, bool new_gen);

#endif

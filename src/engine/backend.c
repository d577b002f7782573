/*
 * backend.c - the backend table: one row per ggml backend, with the
 * runtime overhead it adds per device and where that figure comes from.
 */
#include "backend.h"

#include <assert.h>
#include <stddef.h>
#include <strings.h>

#define MIB (1024ull * 1024ull)

/*
 * Overheads are estimates of memory a device loses outside llama.cpp's own
 * buffers; llama.cpp itself keeps 1024 MiB free per device when it fits a
 * model (common/common.h, fit_params_target), which bounds them from above.
 *   CUDA:  about 480 MiB of context, kernel images (lazy loading, CUDA 12)
 *          and VMM pool slack, plus the cuBLAS workspace ggml-cuda
 *          allocates (ggml-cuda/common.cuh: 4 MiB, 32 MiB from compute
 *          capability 9.0) for two streams.
 *   ROCm:  the HIP runtime and rocBLAS/hipBLASLt kernel libraries load
 *          per architecture (larger than CUDA's lazy-loaded images);
 *          ggml-cuda's pool and workspaces as for CUDA.
 *   Metal: no separate context: command buffers, residency sets and the
 *          library of compiled kernels.
 *   Vulkan: driver context, pipelines of the compiled shaders and the
 *          staging buffers ggml-vulkan keeps for host transfers.
 */
static const struct backend_info backends[LLAMA_BACKEND_COUNT] = {
    [LLAMA_BACKEND_CUDA] = {"cuda", "CUDA", "NVIDIA", 488 * MIB, 544 * MIB,
                            "estimate: CUDA 12 context with lazy loading, VMM pool slack, cuBLAS "
                            "workspace 2 x 4 MiB (2 x 32 MiB from compute capability 9.0, "
                            "ggml-cuda/common.cuh)",
                            true},
    [LLAMA_BACKEND_ROCM] = {"rocm", "ROCm", "AMD", 640 * MIB, 640 * MIB,
                            "estimate: HIP runtime and rocBLAS kernel libraries for one "
                            "architecture, ggml-cuda pool slack",
                            true},
    [LLAMA_BACKEND_METAL] = {"metal", "Metal", "Apple", 128 * MIB, 128 * MIB,
                             "estimate: command buffers, residency sets and the kernel library "
                             "(no separate device context)",
                             true},
    [LLAMA_BACKEND_VULKAN] = {"vulkan", "Vulkan", NULL, 256 * MIB, 256 * MIB,
                              "estimate: driver context, shader pipelines and ggml-vulkan's "
                              "staging buffers",
                              true},
    [LLAMA_BACKEND_CPU] = {"cpu", "CPU", NULL, 0, 0, "none: no device", false},
};

const struct backend_info *backend_get(enum llama_backend b)
{
	assert(b >= 0 && b < LLAMA_BACKEND_COUNT);
	return &backends[b];
}

bool backend_find(const char *name, enum llama_backend *out)
{
	for (int i = 0; i < LLAMA_BACKEND_COUNT; i++) {
		if (!strcasecmp(name, backends[i].name)) {
			*out = (enum llama_backend)i;
			return true;
		}
	}
	if (!strcasecmp(name, "hip")) {
		*out = LLAMA_BACKEND_ROCM;
		return true;
	}
	return false;
}

enum llama_backend backend_for_vendor(const char *vendor)
{
	if (!vendor || !*vendor)
		return LLAMA_BACKEND_CUDA;
	for (int i = 0; i < LLAMA_BACKEND_COUNT; i++)
		if (backends[i].vendor && !strcasecmp(vendor, backends[i].vendor))
			return (enum llama_backend)i;
	return LLAMA_BACKEND_VULKAN;
}

enum llama_backend backend_pick(bool backend_auto, enum llama_backend named, const char *vendor)
{
	return backend_auto ? backend_for_vendor(vendor) : named;
}

uint64_t backend_overhead_bytes(enum llama_backend b, bool new_gen)
{
	const struct backend_info *bi = backend_get(b);
	return new_gen ? bi->overhead_new_gen_bytes : bi->overhead_bytes;
}

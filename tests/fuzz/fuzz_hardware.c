/*
 * fuzz_hardware.c - libFuzzer harness for hardware.ini.
 *
 * Each input is loaded as a hardware profile file.  A refused input
 * explains itself naming the file, and leaves the device list empty (the
 * sanitizer's leak check covers a good section before a bad one); every
 * accepted device has its numbers in range, and fitting a fixed estimate
 * on 1..64 of it gives a headroom whose sign agrees with the verdict.
 */
#include <assert.h>

#include "fuzz_common.h"
#include "hardware.h"
#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[PROFILE_ERR_LEN], path[256];
	struct profile_warnings w = {0};
	struct device_list l = {0};
	fuzz_write("hardware.ini", data, size, path, sizeof(path));
	if (!profile_load_hardware(path, &l, &w, err, sizeof(err))) {
		assert(strstr(err, "hardware.ini") && !strchr(err, '\n'));
		assert(l.n == 0 && l.v == NULL);
		return 0;
	}
	struct estimate e;
	memset(&e, 0, sizeof(e));
	e.n_layer_slots = 3;
	e.layer_gpu_bytes[0] = e.layer_gpu_bytes[1] = 7ull << 30;
	e.layer_gpu_bytes[2] = 1ull << 30;
	e.weights_gpu_bytes = 15ull << 30;
	e.gpu_bytes = 16ull << 30;
	e.compute_bytes = e.compute_split_bytes = 1ull << 29;
	e.overhead_bytes = 512ull << 20; /* a CUDA-sized runtime overhead */
	e.host_bytes = 1ull << 30;
	e.budget_share = 1.0;
	for (size_t i = 0; i < l.n; i++) {
		const struct device *d = &l.v[i];
		assert(d->memory_bytes >= HW_MEMORY_MIN_BYTES &&
		       d->memory_bytes <= HW_MEMORY_MAX_BYTES);
		assert(d->bandwidth_gbps >= 0 && d->bandwidth_gbps <= HW_BANDWIDTH_MAX_GBPS);
		assert(d->bf16_tflops >= 0 && d->bf16_tflops <= HW_TFLOPS_MAX);
		assert(d->fp16_tflops >= 0 && d->fp16_tflops <= HW_TFLOPS_MAX);
		assert(d->int8_tops >= 0 && d->int8_tops <= HW_TFLOPS_MAX);
		assert(d->compute_capability >= 0 &&
		       d->compute_capability <= HW_COMPUTE_CAPABILITY_MAX);
		assert(d->torch_bytes <= d->memory_bytes);
		assert(d->memory_kind >= 0 && d->memory_kind < MEM_KIND_COUNT);
		assert(d->category >= 0 && d->category < HW_CAT_COUNT);
		assert(d->gpu_share >= HW_SHARE_MIN && d->gpu_share <= 1.0);
		assert(hw_usable_bytes(d) <= d->memory_bytes);
		uint32_t count = (uint32_t)(i % HW_MAX_DEVICES) + 1;
		struct hw_fit f;
		hw_fit(&e, d, count, &f);
		assert(f.fits == (f.headroom_bytes >= 0));
		assert(f.needed <= HW_MAX_DEVICES);
	}
	device_list_free(&l);
	return 0;
}

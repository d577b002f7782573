/*
 * test_detect.c - hardware detection against fixtures: fake nvidia-smi and
 * sysctl programs (tests/data/detect/bin-*) and fixture roots standing for
 * / when reading sysfs and procfs (tests/data/detect/root-*).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "profile.h"

#define FIX "tests/data/detect/"

static struct device_list profiles;

static void load_profiles(void)
{
	char err[PROFILE_ERR_LEN];
	cr_assert(profile_load_hardware("profiles/hardware.ini", &profiles, NULL, err, sizeof(err)),
	          "%s", err);
}

static void free_profiles(void)
{
	device_list_free(&profiles);
}

TestSuite(detect, .init = load_profiles, .fini = free_profiles);

/* Detection with only the fixture directories: PATH and the root. */
static struct detect_result *run(const char *path, const char *root, unsigned timeout_ms)
{
	struct detect_env env;
	detect_env_init(&env);
	env.path = path;
	env.sysroot = root;
	env.timeout_ms = timeout_ms;
	struct detect_result *r = malloc(sizeof(*r));
	cr_assert(r);
	detect_run(&env, &profiles, r);
	return r;
}

/* The note that contains `text`, or NULL. */
static const char *note_with(const struct detect_result *r, const char *text)
{
	for (int i = 0; i < r->n_notes; i++)
		if (strstr(r->note[i], text))
			return r->note[i];
	return NULL;
}

static const char *profile_id(const struct detected_gpu *g)
{
	return g->profile >= 0 ? profiles.v[g->profile].id : "(unmatched)";
}

Test(detect, nvidia_smi_two_cards_matched_with_memory_in_use)
{
	struct detect_result *r = run(FIX "bin-two", FIX "root-host", 5000);
	cr_assert_eq(r->n_gpu, 2, "notes: %s", r->n_notes ? r->note[0] : "");
	cr_expect_eq(r->n_notes, 0, "%s", r->note[0]);
	cr_expect_eq(r->gpu[0].source, DETECT_NVIDIA);
	cr_expect_eq(r->gpu[0].index, 0);
	cr_expect_str_eq(r->gpu[0].name, "NVIDIA GeForce RTX 4090");
	cr_expect_eq(r->gpu[0].total_bytes, 24564ull << 20);
	cr_expect(r->gpu[0].used_known);
	cr_expect_eq(r->gpu[0].used_bytes, 1530ull << 20);
	cr_expect_str_eq(profile_id(&r->gpu[0]), "rtx-4090");
	cr_expect_str_eq(profile_id(&r->gpu[1]), "rtx-3090");
	/* the profile's speed figures, the memory as read */
	cr_expect_eq(r->gpu[0].dev.bandwidth_gbps, 1008);
	cr_expect_eq(r->gpu[0].dev.memory_bytes, 24564ull << 20);
	cr_expect_eq(r->gpu[1].dev.bandwidth_gbps, 936);

	struct device d;
	detect_device(&r->gpu[0], false, &d);
	cr_expect_eq(d.memory_bytes, 24564ull << 20);
	detect_device(&r->gpu[0], true, &d);
	cr_expect_eq(d.memory_bytes, (24564ull - 1530) << 20, "--free subtracts the memory in use");

	cr_expect(r->host.known);
	cr_expect_eq(r->host.total_bytes, 65536000ull * 1024);
	cr_expect(r->host.available_known);
	cr_expect_eq(r->host.available_bytes, 50331648ull * 1024);
	free(r);
}

Test(detect, nvidia_smi_missing_is_silent)
{
	struct detect_result *r = run(FIX "root-empty", FIX "root-host", 5000);
	cr_expect_eq(r->n_gpu, 0);
	cr_expect_eq(r->n_notes, 0, "%s", r->note[0]);
	cr_expect(r->host.known);
	free(r);
}

Test(detect, nvidia_smi_failing_says_why)
{
	struct detect_result *r = run(FIX "bin-fail", FIX "root-host", 5000);
	cr_expect_eq(r->n_gpu, 0);
	const char *n = note_with(r, "nvidia-smi: exited with status 9");
	cr_assert(n, "got: %s", r->n_notes ? r->note[0] : "no note");
	cr_expect(strstr(n, "NVIDIA-SMI has failed"), "the first line it printed: %s", n);
	free(r);
}

Test(detect, nvidia_smi_garbage_names_the_line)
{
	struct detect_result *r = run(FIX "bin-garbage", FIX "root-host", 5000);
	cr_expect_eq(r->n_gpu, 0);
	cr_expect(note_with(r, "line 1: not 'index, name, total, used': 'Segmentation fault"), "%s",
	          r->note[0]);
	cr_expect(note_with(r, "line 2: cannot read 'x, ??, twelve, 3'"), "%s", r->note[1]);
	cr_expect(note_with(r, "line 3:"), "control characters are a bad line too");
	cr_expect(note_with(r, "printed no GPU vramcalc could read"));
	free(r);
}

Test(detect, nvidia_smi_printing_nothing)
{
	struct detect_result *r = run(FIX "bin-empty", FIX "root-host", 5000);
	cr_expect_eq(r->n_gpu, 0);
	cr_expect(note_with(r, "nvidia-smi: printed nothing"));
	free(r);
}

Test(detect, nvidia_smi_hanging_is_stopped, .timeout = 20)
{
	struct detect_result *r = run(FIX "bin-hang", FIX "root-host", 300);
	cr_expect_eq(r->n_gpu, 0);
	cr_expect(note_with(r, "nvidia-smi: no answer within 300 ms; stopped it"), "%s",
	          r->n_notes ? r->note[0] : "no note");
	free(r);
}

Test(detect, nvidia_smi_endless_output_is_bounded, .timeout = 20)
{
	struct detect_result *r = run(FIX "bin-flood", FIX "root-host", 5000);
	cr_expect(note_with(r, "more than 64 KiB of output"));
	cr_expect(note_with(r, "more than 64 GPUs"));
	cr_expect_eq(r->n_gpu, DETECT_MAX_GPUS);
	free(r);
}

Test(detect, nvidia_smi_not_a_program)
{
	struct detect_result *r = run(FIX "bin-noexec", FIX "root-host", 5000);
	cr_expect_eq(r->n_gpu, 0);
	cr_expect(note_with(r, "nvidia-smi: cannot run tests/data/detect/bin-noexec/nvidia-smi"),
	          "%s", r->n_notes ? r->note[0] : "no note");
	free(r);
}

Test(detect, nvidia_smi_memory_not_reported)
{
	struct detect_result *r = run(FIX "bin-na", FIX "root-host", 5000);
	cr_assert_eq(r->n_gpu, 2);
	/* DGX Spark reports no memory: the profile's is used */
	cr_expect_str_eq(profile_id(&r->gpu[0]), "dgx-spark");
	cr_expect_eq(r->gpu[0].total_bytes, 0);
	cr_expect_not(r->gpu[0].used_known);
	cr_expect_eq(r->gpu[0].dev.memory_bytes, profiles.v[r->gpu[0].profile].memory_bytes);
	cr_expect_str_eq(profile_id(&r->gpu[1]), "(unmatched)");
	cr_expect_eq(r->gpu[1].dev.memory_bytes, 0);
	cr_expect(note_with(r, "NVIDIA Graphics Device reports no memory size and matches no "
	                       "profile"));
	free(r);
}

Test(detect, amd_sysfs_cards)
{
	struct detect_result *r = run(FIX "root-empty", FIX "root-amd", 5000);
	cr_assert_eq(r->n_gpu, 2, "card0 and card2; card1 is a carve-out");
	const struct detected_gpu *a = &r->gpu[0], *b = &r->gpu[1];
	cr_expect_eq(a->source, DETECT_AMD);
	cr_expect_eq(a->index, 0);
	cr_expect_str_eq(a->name, "AMD Radeon RX 7900 XTX");
	cr_expect_eq(a->total_bytes, 25753026560ull);
	cr_expect(a->used_known);
	cr_expect_eq(a->used_bytes, 1ull << 30);
	cr_expect_str_eq(profile_id(a), "rx-7900-xtx");
	cr_expect_eq(a->dev.bandwidth_gbps, 960);

	cr_expect_eq(b->index, 2);
	cr_expect_str_eq(b->name, "AMD GPU [1002:73bf]");
	cr_expect_str_eq(profile_id(b), "(unmatched)");
	cr_expect_str_eq(b->dev.id, "amd-2");
	cr_expect_eq(b->dev.memory_bytes, 17163091968ull);
	cr_expect_eq(b->dev.bandwidth_gbps, 0, "unknown, not invented");
	cr_expect(note_with(r, "card1: 512 MiB of VRAM"));
	cr_expect(r->host.known);
	free(r);
}

Test(detect, amd_sysfs_garbage_and_meminfo_without_total)
{
	struct detect_result *r = run(FIX "root-empty", FIX "root-amd-garbage", 5000);
	cr_expect_eq(r->n_gpu, 0);
	cr_expect(note_with(r, "mem_info_vram_total: not a number of bytes: 'lots'"));
	cr_expect_not(r->host.known);
	cr_expect(note_with(r, "meminfo has no MemTotal line"));
	free(r);
}

Test(detect, sysfs_and_procfs_absent)
{
	struct detect_result *r = run(FIX "root-empty", FIX "root-empty", 5000);
	cr_expect_eq(r->n_gpu, 0);
	cr_expect_not(r->host.known);
	cr_expect(
	    note_with(r, "host memory: cannot read tests/data/detect/root-empty/proc/meminfo"));
	cr_expect_eq(r->n_notes, 1);
	free(r);
}

Test(detect, apple_unified_memory)
{
	struct detect_result *r = run(FIX "bin-apple", FIX "root-empty", 5000);
	cr_assert_eq(r->n_gpu, 1);
	const struct detected_gpu *g = &r->gpu[0];
	cr_expect_eq(g->source, DETECT_APPLE);
	cr_expect_str_eq(g->name, "Apple M4 Max");
	cr_expect_str_eq(profile_id(g), "apple-m4-max-128gb");
	cr_expect(g->dev.unified);
	cr_expect_eq(g->dev.memory_bytes, 137438953472ull);
	cr_expect_float_eq(g->dev.gpu_share, 0.75, 1e-9);
	cr_expect_eq(hw_usable_bytes(&g->dev), 103079215104ull, "3/4 of 128 GiB");
	/* no /proc/meminfo on a Mac: hw.memsize is the host memory */
	cr_expect(r->host.known);
	cr_expect_eq(r->host.total_bytes, 137438953472ull);
	cr_expect_eq(r->n_notes, 0, "%s", r->note[0]);
	free(r);
}

Test(detect, linux_sysctl_is_not_a_mac)
{
	struct detect_result *r = run(FIX "bin-linux-sysctl", FIX "root-host", 5000);
	cr_expect_eq(r->n_gpu, 0);
	cr_expect_eq(r->n_notes, 0, "%s", r->note[0]);
	free(r);
}

Test(detect, mixed_sources_in_order)
{
	struct detect_result *r = run(FIX "bin-two:" FIX "bin-apple", FIX "root-amd", 5000);
	cr_assert_eq(r->n_gpu, 5);
	cr_expect_eq(r->gpu[0].source, DETECT_NVIDIA);
	cr_expect_eq(r->gpu[1].source, DETECT_NVIDIA);
	cr_expect_eq(r->gpu[2].source, DETECT_AMD);
	cr_expect_eq(r->gpu[3].source, DETECT_AMD);
	cr_expect_eq(r->gpu[4].source, DETECT_APPLE);
	free(r);
}

Test(detect, names_match_profiles)
{
	static const struct {
		const char *name;
		uint64_t mib;
		const char *id;
	} cases[] = {
	    {"NVIDIA GeForce RTX 4090", 24564, "rtx-4090"},
	    {"NVIDIA GeForce RTX 3060", 12288, "rtx-3060-12gb"},
	    {"NVIDIA GeForce RTX 3060", 8192, "(unmatched)"}, /* the 8 GB card */
	    {"NVIDIA GeForce RTX 4060 Ti", 16380, "rtx-4060-ti-16gb"},
	    {"NVIDIA GeForce RTX 4060 Ti", 8188, "(unmatched)"},
	    {"NVIDIA GeForce RTX 4070 Ti SUPER", 16376, "rtx-4070-ti-super"},
	    {"NVIDIA GeForce RTX 4070 Ti", 12282,
	     "rtx-4070-ti"}, /* in the catalog since issue 13 */
	    {"NVIDIA GeForce RTX 4080 SUPER", 16376, "(unmatched)"}, /* not the 4080 */
	    {"NVIDIA GeForce RTX 5070 Ti", 16303, "rtx-5070-ti"},
	    {"NVIDIA GeForce RTX 4090 Laptop GPU", 16376, "(unmatched)"},
	    {"NVIDIA H100 80GB HBM3", 81559, "h100-sxm"},
	    {"NVIDIA H100 PCIe", 81559, "h100-pcie"},
	    {"NVIDIA H100 NVL", 95830, "h100-nvl"},
	    {"NVIDIA H200", 143771, "h200-sxm"},
	    {"NVIDIA A100-SXM4-80GB", 81920, "a100-80gb-sxm"},
	    {"NVIDIA A100-SXM4-40GB", 40960, "a100-40gb-sxm"},
	    {"NVIDIA A100 80GB PCIe", 81920, "a100-80gb-pcie"},
	    {"NVIDIA A10", 23028, "a10"},
	    {"NVIDIA L4", 23034, "l4"},
	    {"NVIDIA L40S", 46068, "l40s"},
	    {"NVIDIA RTX A6000", 49140, "rtx-a6000"},
	    {"NVIDIA RTX 6000 Ada Generation", 49140, "rtx-6000-ada"},
	    {"NVIDIA RTX PRO 6000 Blackwell Server Edition", 97887, "rtx-pro-6000-blackwell"},
	    {"Tesla V100-SXM2-32GB", 32768, "v100-sxm2-32gb"},
	    {"Tesla V100-SXM2-16GB", 16384, "(unmatched)"},
	    {"NVIDIA GH200 480GB", 97871, "gh200"},
	    {"NVIDIA B200", 183359, "b200"},
	    {"AMD Instinct MI300X", 196592, "mi300x"},
	    {"AMD Instinct MI250X", 131072, "mi250x"},
	    {"AMD Radeon PRO W7900", 49136, "radeon-pro-w7900"},
	    {"AMD Radeon RX 7900 XT", 20464, "(unmatched)"},
	    {"NVIDIA Graphics Device", 0, "(unmatched)"},
	    {"", 0, "(unmatched)"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int p = detect_match_profile(cases[i].name, cases[i].mib << 20, false, &profiles);
		cr_expect_str_eq(p >= 0 ? profiles.v[p].id : "(unmatched)", cases[i].id,
		                 "'%s' with %llu MiB", cases[i].name,
		                 (unsigned long long)cases[i].mib);
	}
	/* unified memory: the chip decides, whatever memory it was bought with */
	int p = detect_match_profile("Apple M4 Max", 36ull << 30, true, &profiles);
	cr_expect(p >= 0 && !strcmp(profiles.v[p].id, "apple-m4-max-128gb"));
	p = detect_match_profile("Apple M4 Pro", 24ull << 30, true, &profiles);
	cr_expect(p >= 0 && !strcmp(profiles.v[p].id, "apple-m4-pro"));
	cr_expect_eq(detect_match_profile("Apple M4", 16ull << 30, true, &profiles), -1);
}

Test(detect, nvidia_smi_csv_edges)
{
	struct detect_result *r = calloc(1, sizeof(*r));
	cr_assert(r);
	/* a comma in the name, blank lines, CRLF, a used value past the total */
	uint32_t n = detect_parse_nvidia_smi("\n3, NVIDIA A100, rev 2, 81920, 90000\r\n\n"
	                                     "4,NVIDIA L4,23034,[N/A]\n",
	                                     r);
	cr_assert_eq(n, 2);
	cr_expect_str_eq(r->gpu[0].name, "NVIDIA A100, rev 2");
	cr_expect_eq(r->gpu[0].index, 3);
	cr_expect_eq(r->gpu[0].used_bytes, 81920ull << 20, "clamped to the total");
	cr_expect_eq(r->gpu[1].total_bytes, 23034ull << 20);
	cr_expect_not(r->gpu[1].used_known);
	cr_expect_eq(r->n_notes, 0);
	/* values that are not MiB counts */
	n = detect_parse_nvidia_smi("0, X, -5, 0\n1, Y, 99999999999999999999, 0\n2, , 1, 0\n"
	                            "99999, Z, 1, 0\n",
	                            r);
	cr_expect_eq(n, 0);
	cr_expect_eq(r->n_notes, 4);
	free(r);
}

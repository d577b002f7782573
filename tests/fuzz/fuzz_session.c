/*
 * fuzz_session.c - libFuzzer harness for saved session files.
 *
 * A session on the shipped profiles (./profiles, run from the source
 * tree) is set up once; each input is written as a session file and
 * loaded.  A refused input explains itself naming the file; an accepted
 * one is a configuration that passes estimate_check and evaluates.
 * Loading is linear and capped (SESSION_FILE_MAX_BYTES), so libFuzzer's
 * -timeout catches any regression to quadratic loading on big inputs.
 */
#include <assert.h>

#include "fuzz_common.h"
#include "profile.h"
#include "session.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct catalog cat;
static struct device_list devs;
static struct session S;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	struct profile_dirs dirs = {.n = 1};
	char err[PROFILE_ERR_LEN];
	snprintf(dirs.dir[0], sizeof(dirs.dir[0]), "profiles");
	snprintf(dirs.origin[0], sizeof(dirs.origin[0]), "shipped");
	if (!catalog_load(&dirs, &cat, NULL, err, sizeof(err)) ||
	    !profile_load_all_hardware(&dirs, &devs, NULL, err, sizeof(err))) {
		fprintf(stderr, "fuzz_session: %s (run from the source tree)\n", err);
		abort();
	}
	struct settings st;
	estimate_settings_default(&st);
	const struct catalog_model *m = catalog_find(&cat, "qwen3-8b");
	const struct device *d = device_find(&devs, "rtx-4090");
	if (!m || !d ||
	    !session_init(&S, &cat, &devs, (size_t)(m - cat.v), &st, (size_t)(d - devs.v), 1, NULL,
	                  err, sizeof(err))) {
		fprintf(stderr, "fuzz_session: %s\n", err);
		abort();
	}
	snprintf(S.sessions_dir, sizeof(S.sessions_dir), "%s", fuzz_dir());
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[1024], path[256];
	fuzz_write("s.ini", data, size, path, sizeof(path));
	struct config c;
	if (!session_load(&S, "s", &c, err, sizeof(err))) {
		assert(strstr(err, "s.ini") && !strchr(err, '\n'));
		return 0;
	}
	assert(c.model < cat.n && c.gpu < devs.n);
	assert(estimate_check(session_model(&S, c.model), &S.scratch, &c.set, err, sizeof(err)));
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * Unit tests of the DRM CI expectation files: what each line means for a
 * result, and that a malformed file is refused with its name and line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_test.h"
#include "expectations.h"

/* A folder with <driver>-<board>-<kind>.txt files of the given texts (NULL: absent). */
static char *make_dir(const char *fails, const char *flakes, const char *skips)
{
	const char *texts[] = { fails, flakes, skips }, *kinds[] = { "fails", "flakes", "skips" };
	char tmpl[] = "/tmp/acts-expect.XXXXXX", *dir = strdup(mkdtemp(tmpl));
	int k;

	for (k = 0; k < 3; k++) {
		char path[512];
		FILE *f;

		if (!texts[k])
			continue;
		snprintf(path, sizeof(path), "%s/drv-board-%s.txt", dir, kinds[k]);
		f = fopen(path, "w");
		acts_assert(f);
		fputs(texts[k], f);
		fclose(f);
	}
	return dir;
}

static void remove_dir(char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	acts_assert_eq(system(cmd), 0);
	free(dir);
}

/* Each kind of line gives its verdict; results not listed keep their own. */
static void test_verdicts(struct acts_dev *dev)
{
	char *dir = make_dir("# known\nbin@a,Fail\nbin@b,Crash\n  bin@c,Timeout  # slow board\n",
			     "flaky$\n", "^bin@hang$\n");
	struct expectations e;

	acts_assert_eq(expectations_load(&e, dir, "drv", "board"), 0);
	acts_assert_eq(e.nfails, 3);
	acts_assert_eq(expectations_judge(&e, "bin@a", RUN_FAIL), EXP_EXPECTED_FAIL);
	acts_assert_eq(expectations_judge(&e, "bin@a", RUN_PASS), EXP_UNEXPECTED_PASS);
	acts_assert_eq(expectations_judge(&e, "bin@a", RUN_SKIP), EXP_UNEXPECTED_PASS);
	acts_assert_eq(expectations_judge(&e, "bin@a", RUN_CRASH), EXP_UNEXPECTED_RESULT);
	acts_assert_eq(expectations_judge(&e, "bin@b", RUN_CRASH), EXP_EXPECTED_FAIL);
	acts_assert_eq(expectations_judge(&e, "bin@c", RUN_TIMEOUT), EXP_EXPECTED_FAIL);
	acts_assert_eq(expectations_judge(&e, "bin@d", RUN_FAIL), EXP_NONE);
	acts_assert_eq(expectations_judge(&e, "bin@very-flaky", RUN_FAIL), EXP_FLAKE);
	acts_assert(expectations_skip(&e, "bin@hang"));
	acts_assert(!expectations_skip(&e, "bin@hang-up"));	/* anchored by the file */
	acts_assert(expectation_is_failure(EXP_UNEXPECTED_PASS, RUN_PASS));
	acts_assert(expectation_is_failure(EXP_NONE, RUN_FAIL));
	acts_assert(!expectation_is_failure(EXP_EXPECTED_FAIL, RUN_FAIL));
	acts_assert(!expectation_is_failure(EXP_FLAKE, RUN_CRASH));
	/* failures.csv speaks deqp-runner's names, which DRM CI's tooling reads. */
	acts_assert(!strcmp(expectation_result_name(RUN_DMESG_WARN), "Warn"));
	acts_assert(!strcmp(expectation_result_name(RUN_DMESG_FAIL), "Fail"));
	acts_assert(!strcmp(expectation_result_name(RUN_INCOMPLETE), "Crash"));
	/* and a "Fail" line, as deqp-runner writes it, covers a dmesg-fail */
	acts_assert_eq(expectations_judge(&e, "bin@a", RUN_DMESG_FAIL), EXP_EXPECTED_FAIL);
	expectations_free(&e);
	remove_dir(dir);
}

/* No files at all: no expectation, every result stands. */
static void test_absent(struct acts_dev *dev)
{
	char *dir = make_dir(NULL, NULL, NULL);
	struct expectations e;

	acts_assert_eq(expectations_load(&e, dir, "drv", "board"), 0);
	acts_assert_eq(expectations_judge(&e, "bin@a", RUN_FAIL), EXP_NONE);
	acts_assert(!expectations_skip(&e, "bin@a"));
	expectations_free(&e);
	remove_dir(dir);
}

/* Malformed files: a line without a result, an unknown or passing result, a bad regex. */
static void test_refused(struct acts_dev *dev)
{
	static const char *const bad[][3] = {
		{ "bin@a\n", NULL, NULL },
		{ "bin@a,Fial\n", NULL, NULL },
		{ "bin@a,Pass\n", NULL, NULL },
		{ ",Fail\n", NULL, NULL },
		{ NULL, "bin@(unclosed\n", NULL },
		{ NULL, NULL, "[z-a]\n" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *dir = make_dir(bad[i][0], bad[i][1], bad[i][2]);
		struct expectations e;

		acts_assert_err(expectations_load(&e, dir, "drv", "board"), -EINVAL);
		expectations_free(&e);
		remove_dir(dir);
	}
}

static const struct acts_subtest tests[] = {
	{ "verdicts", "", "fails, flakes and skips lines give their verdicts", test_verdicts,
	  ACTS_NO_DEVICE },
	{ "absent", "", "without files every result stands", test_absent, ACTS_NO_DEVICE },
	{ "refused", "", "malformed lines and bad regexes are refused", test_refused,
	  ACTS_NO_DEVICE },
};

ACTS_MAIN(tests)

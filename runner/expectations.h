/* SPDX-License-Identifier: MIT */
/*
 * DRM CI's expectation files for one driver on one board, as the kernel's
 * drivers/gpu/drm/ci/xfails/ holds them:
 *
 *   <driver>-<board>-fails.txt   "binary@subtest,Result" (Fail, Crash, Timeout,
 *                                DmesgWarn, DmesgFail): known failures
 *   <driver>-<board>-flakes.txt  regexes: results that never fail the run;
 *                                a failing one is retried
 *   <driver>-<board>-skips.txt   regexes: subtests not run at all
 *
 * '#' starts a comment. Regexes are POSIX extended and, as in DRM CI, match
 * anywhere in "binary@subtest" unless anchored.
 */
#ifndef ACTS_EXPECTATIONS_H
#define ACTS_EXPECTATIONS_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "runner.h"

struct expected_fail {
	char *name;
	enum run_result result;
};

struct expectations {
	char files[3][4096];		/* the paths read (empty if absent) */
	struct expected_fail *fails;
	size_t nfails;
	regex_t *flakes, *skips;
	size_t nflakes, nskips;
};

/* What an expectation made of a subtest's result. */
enum expectation_verdict {
	EXP_NONE,		/* no expectation: the result stands */
	EXP_EXPECTED_FAIL,	/* failed as fails.txt says: not a failure */
	EXP_UNEXPECTED_PASS,	/* listed in fails.txt but passed (or skipped): update the list */
	EXP_UNEXPECTED_RESULT,	/* listed in fails.txt, failed differently */
	EXP_FLAKE,		/* listed in flakes.txt: never a failure */
	EXP_LISTED_SKIP,	/* listed in skips.txt: not run */
};

/*
 * Read dir/<driver>-<board>-*.txt. A missing file means no expectation of
 * that kind. 0, or -EINVAL with a message naming the file and line.
 */
int expectations_load(struct expectations *e, const char *dir, const char *driver,
		      const char *board);
void expectations_free(struct expectations *e);

bool expectations_skip(const struct expectations *e, const char *name);
bool expectations_flaky(const struct expectations *e, const char *name);
/* The verdict on a result of name that ran (skips.txt is applied before running). */
enum expectation_verdict expectations_judge(const struct expectations *e, const char *name,
					    enum run_result result);
/* Does this verdict fail the run? */
bool expectation_is_failure(enum expectation_verdict v, enum run_result result);
const char *expectation_name(enum expectation_verdict v);
/* DRM CI's spelling of a result ("Fail", "Crash", ...), for failures.csv. */
const char *expectation_result_name(enum run_result r);

#endif

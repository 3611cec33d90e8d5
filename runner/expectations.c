// SPDX-License-Identifier: MIT
/*
 * DRM CI expectation files. See expectations.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expectations.h"

static const struct {
	const char *name;
	enum run_result result;
} ci_results[] = {
	/* deqp-runner's names first (what failures.csv writes), then IGT-style aliases. */
	{ "Fail", RUN_FAIL }, { "Crash", RUN_CRASH }, { "Timeout", RUN_TIMEOUT },
	{ "Warn", RUN_DMESG_WARN }, { "DmesgWarn", RUN_DMESG_WARN }, { "DmesgFail", RUN_DMESG_FAIL },
	{ "Pass", RUN_PASS }, { "Skip", RUN_SKIP },
};

/*
 * deqp-runner's status for a result (DRM CI runs IGT through deqp-runner):
 * it has no dmesg-fail (a failure: Fail) and no incomplete (a crash).
 */
const char *expectation_result_name(enum run_result r)
{
	size_t i;

	if (r == RUN_DMESG_FAIL)
		return "Fail";
	if (r == RUN_INCOMPLETE)
		return "Crash";
	for (i = 0; i < sizeof(ci_results) / sizeof(ci_results[0]); i++)
		if (ci_results[i].result == r)
			return ci_results[i].name;
	return "Fail";
}

/* One meaningful line at a time: comments and blank space stripped. */
static char *next_line(FILE *f, char **buf, size_t *cap, unsigned int *lineno)
{
	while (getline(buf, cap, f) >= 0) {
		char *s = *buf, *end;

		(*lineno)++;
		s[strcspn(s, "#\r\n")] = '\0';
		s += strspn(s, " \t");
		end = s + strlen(s);
		while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*s)
			return s;
	}
	return NULL;
}

static int bad(const char *path, unsigned int line, const char *what, const char *text)
{
	fprintf(stderr, "accel-cts: %s:%u: %s: '%s'\n", path, line, what, text);
	return -EINVAL;
}

static int load_fails(struct expectations *e, FILE *f, const char *path)
{
	unsigned int lineno = 0;
	size_t cap = 0, i;
	char *buf = NULL, *s;
	int ret = 0;

	while (!ret && (s = next_line(f, &buf, &cap, &lineno))) {
		char *comma = strrchr(s, ',');
		struct expected_fail *grown;
		bool known = false;

		if (!comma || comma == s) {
			ret = bad(path, lineno, "expected 'binary@subtest,Result'", s);
			break;
		}
		*comma = '\0';
		grown = realloc(e->fails, (e->nfails + 1) * sizeof(*e->fails));
		if (!grown) {
			ret = -ENOMEM;
			break;
		}
		e->fails = grown;
		for (i = 0; i < sizeof(ci_results) / sizeof(ci_results[0]); i++) {
			if (!strcasecmp(comma + 1, ci_results[i].name) &&
			    ci_results[i].result != RUN_PASS && ci_results[i].result != RUN_SKIP) {
				e->fails[e->nfails].result = ci_results[i].result;
				known = true;
			}
		}
		if (!known) {
			ret = bad(path, lineno, "unknown result (Fail, Crash, Timeout, DmesgWarn or DmesgFail)",
				  comma + 1);
			break;
		}
		e->fails[e->nfails].name = strdup(s);
		if (!e->fails[e->nfails++].name)
			ret = -ENOMEM;
	}
	free(buf);
	return ret;
}

static int load_regexes(regex_t **list, size_t *n, FILE *f, const char *path)
{
	unsigned int lineno = 0;
	size_t cap = 0;
	char *buf = NULL, *s;
	int ret = 0;

	while (!ret && (s = next_line(f, &buf, &cap, &lineno))) {
		regex_t *grown = realloc(*list, (*n + 1) * sizeof(**list));
		char msg[128];
		int err;

		if (!grown) {
			ret = -ENOMEM;
			break;
		}
		*list = grown;
		err = regcomp(&grown[*n], s, REG_EXTENDED | REG_NOSUB);
		if (err) {
			regerror(err, &grown[*n], msg, sizeof(msg));
			ret = bad(path, lineno, msg, s);
			break;
		}
		(*n)++;
	}
	free(buf);
	return ret;
}

int expectations_load(struct expectations *e, const char *dir, const char *driver,
		      const char *board)
{
	static const char *const kinds[] = { "fails", "flakes", "skips" };
	int k, ret = 0;

	memset(e, 0, sizeof(*e));
	for (k = 0; k < 3 && !ret; k++) {
		char path[sizeof(e->files[0])];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s-%s-%s.txt", dir, driver, board, kinds[k]);
		f = fopen(path, "re");
		if (!f) {
			if (errno == ENOENT)
				continue;
			fprintf(stderr, "accel-cts: cannot read %s: %s\n", path, strerror(errno));
			return -errno;
		}
		snprintf(e->files[k], sizeof(e->files[k]), "%s", path);
		if (k == 0)
			ret = load_fails(e, f, path);
		else if (k == 1)
			ret = load_regexes(&e->flakes, &e->nflakes, f, path);
		else
			ret = load_regexes(&e->skips, &e->nskips, f, path);
		fclose(f);
	}
	return ret;
}

void expectations_free(struct expectations *e)
{
	size_t i;

	for (i = 0; i < e->nfails; i++)
		free(e->fails[i].name);
	for (i = 0; i < e->nflakes; i++)
		regfree(&e->flakes[i]);
	for (i = 0; i < e->nskips; i++)
		regfree(&e->skips[i]);
	free(e->fails);
	free(e->flakes);
	free(e->skips);
	memset(e, 0, sizeof(*e));
}

static bool any_match(const regex_t *list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!regexec(&list[i], name, 0, NULL, 0))
			return true;
	return false;
}

bool expectations_skip(const struct expectations *e, const char *name)
{
	return e && any_match(e->skips, e->nskips, name);
}

bool expectations_flaky(const struct expectations *e, const char *name)
{
	return e && any_match(e->flakes, e->nflakes, name);
}

enum expectation_verdict expectations_judge(const struct expectations *e, const char *name,
					    enum run_result result)
{
	size_t i;

	if (!e)
		return EXP_NONE;
	if (expectations_flaky(e, name))
		return EXP_FLAKE;
	for (i = 0; i < e->nfails; i++) {
		if (strcmp(e->fails[i].name, name))
			continue;
		/* "Fail" is deqp-runner's name for dmesg-fail too (see expectation_result_name). */
		if (result == e->fails[i].result ||
		    (e->fails[i].result == RUN_FAIL && result == RUN_DMESG_FAIL))
			return EXP_EXPECTED_FAIL;
		return run_result_is_failure(result) ? EXP_UNEXPECTED_RESULT : EXP_UNEXPECTED_PASS;
	}
	return EXP_NONE;
}

bool expectation_is_failure(enum expectation_verdict v, enum run_result result)
{
	switch (v) {
	case EXP_EXPECTED_FAIL:
	case EXP_FLAKE:
	case EXP_LISTED_SKIP:
		return false;
	case EXP_UNEXPECTED_PASS:
	case EXP_UNEXPECTED_RESULT:
		return true;
	default:
		return run_result_is_failure(result);
	}
}

const char *expectation_name(enum expectation_verdict v)
{
	static const char *const names[] = {
		[EXP_NONE] = "", [EXP_EXPECTED_FAIL] = "expected-fail",
		[EXP_UNEXPECTED_PASS] = "unexpected-pass",
		[EXP_UNEXPECTED_RESULT] = "unexpected-result", [EXP_FLAKE] = "flake",
		[EXP_LISTED_SKIP] = "listed-skip",
	};

	return names[v];
}

// SPDX-License-Identifier: MIT
/*
 * Run labels: what tells one run from another in plot legends and report
 * tables. The most common comparison is two runs of one kernel (before and
 * after a driver patch), so the kernel alone cannot name a run: the git sha
 * and the start time come with it, and a label two runs still share is
 * numbered rather than merged.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "run_folder.h"
#include "run_label.h"

/* What a run says about itself; NULL or "" where it does not. */
struct run_facts {
	const char *given;	/* accel-cts run --label */
	const char *sha;
	const char *kernel;
	char day[11];		/* "2026-12-02" */
	char time[6];		/* "00:24", UTC */
};

/* "2026-12-02T00:24:47Z" (environment.json, records) or "20261202T002439Z" (a folder's default name). */
static bool parse_stamp(const char *s, struct run_facts *f)
{
	int y, mo, d, h, mi;

	if (!s || (sscanf(s, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5 &&
		   sscanf(s, "%4d%2d%2dT%2d%2d", &y, &mo, &d, &h, &mi) != 5))
		return false;
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59)
		return false;
	snprintf(f->day, sizeof(f->day), "%04d-%02d-%02d", y, mo, d);
	snprintf(f->time, sizeof(f->time), "%02d:%02d", h, mi);
	return true;
}

static const char *folder_name(const struct run_data *r)
{
	const char *slash = strrchr(r->path, '/');

	return slash && slash[1] ? slash + 1 : r->path;
}

static void run_facts(const struct run_data *r, struct run_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->given = json_str(r->env, "label");
	f->sha = run_env_str(r, "git_sha", "git_sha");
	if (f->sha && !strcmp(f->sha, "unknown"))
		f->sha = NULL;
	f->kernel = run_env_str(r, "kernel_release", "kernel");
	if (!parse_stamp(json_str(r->env, "date"), f) && !parse_stamp(folder_name(r), f))
		parse_stamp(run_env_str(r, "date", "date"), f);
}

/*
 * "6.12.117+deb12-rt-amd64" as "6.12.117-rt": Debian's ABI tag and the
 * architecture tell no two runs of the matrix apart, the flavour does.
 */
static void kernel_short(const char *release, char *buf, size_t len)
{
	static const char *const arches[] = { "-amd64", "-arm64" };
	char *deb;
	size_t i, n;

	snprintf(buf, len, "%s", release);
	deb = strstr(buf, "+deb");
	if (deb) {
		char *rest = deb + strcspn(deb, "-");

		memmove(deb, rest, strlen(rest) + 1);
	}
	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
		size_t a = strlen(arches[i]);

		n = strlen(buf);
		if (n > a && !strcmp(buf + n - a, arches[i]))
			buf[n - a] = '\0';
	}
}

/* Add a word to a label, a space before it. */
static void add_word(char *buf, size_t len, const char *word)
{
	size_t n = strlen(buf);

	if (word && *word && n + 1 < len)
		snprintf(buf + n, len - n, "%s%s", n ? " " : "", word);
}

static void label_of(const struct run_data *r, const struct run_facts *f, bool with_day,
		     char *buf, size_t len)
{
	char kernel[RUN_LABEL_MAX];
	char *c;

	buf[0] = '\0';
	if (f->given && *f->given) {
		add_word(buf, len, f->given);
	} else {
		add_word(buf, len, f->sha);
		if (f->kernel) {
			kernel_short(f->kernel, kernel, sizeof(kernel));
			add_word(buf, len, kernel);
		}
		if (with_day && f->day[0])
			add_word(buf, len, f->day + 5);	/* "12-02" */
		add_word(buf, len, f->time);
		if (!buf[0])
			add_word(buf, len, folder_name(r));
	}
	/* One line in a legend, and nothing that ends a field of a data file. */
	for (c = buf; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
}

static bool label_taken(const struct run_data *runs, int before, const char *label)
{
	int j;

	for (j = 0; j < before; j++)
		if (!strcmp(runs[j].label, label))
			return true;
	return false;
}

void run_labels_assign(struct run_data *runs, int n)
{
	char first_day[sizeof(((struct run_facts *)0)->day)] = "";
	bool with_day = false;
	struct run_facts f;
	int i;

	/* Times alone read well when the runs are of one day; across days the date comes too. */
	for (i = 0; i < n; i++) {
		run_facts(&runs[i], &f);
		if (f.day[0] && !first_day[0])
			memcpy(first_day, f.day, sizeof(first_day));
		else if (f.day[0] && strcmp(f.day, first_day))
			with_day = true;
	}
	for (i = 0; i < n; i++) {
		char base[RUN_LABEL_MAX];
		int k = 1;

		run_facts(&runs[i], &f);
		label_of(&runs[i], &f, with_day, base, sizeof(base));
		snprintf(runs[i].label, sizeof(runs[i].label), "%s", base);
		while (label_taken(runs, i, runs[i].label))
			snprintf(runs[i].label, sizeof(runs[i].label), "%.*s #%d",
				 (int)sizeof(base) - 16, base, ++k);
	}
}

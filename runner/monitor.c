// SPDX-License-Identifier: MIT
/*
 * --abort-on-monitored-error: after each subtest, has the kernel become
 * untrustworthy for the next one? A new taint of the kinds that mean
 * something went wrong in the kernel (a WARN, an Oops, a bad page, a
 * machine check), or lockdep having switched itself off after a report.
 * The run then stops, to be resumed on a fresh boot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

/* The taint flags that say the kernel itself went wrong (include/linux/panic.h). */
static const struct {
	int bit;
	char letter;
	const char *what;
} bad_taints[] = {
	{ 4, 'M', "a machine check" },
	{ 5, 'B', "a bad page" },
	{ 7, 'D', "an Oops" },
	{ 9, 'W', "a kernel warning" },
};

static unsigned long read_taint(void)
{
	unsigned long t = 0;
	FILE *f = fopen("/proc/sys/kernel/tainted", "re");

	if (f) {
		if (fscanf(f, "%lu", &t) != 1)
			t = 0;
		fclose(f);
	}
	return t;
}

/* lockdep's debug_locks: 1 while it watches, 0 once it reported; -1 without lockdep. */
static int read_debug_locks(void)
{
	FILE *f = fopen("/proc/lockdep_stats", "re");
	char line[256];
	int v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " debug_locks: %d", &v) == 1)
			break;
	fclose(f);
	return v;
}

void monitor_start(struct monitor *m, unsigned int what)
{
	m->what = what;
	m->taint0 = read_taint();
	m->debug_locks0 = read_debug_locks();
}

char *monitor_check(const struct monitor *m)
{
	char *why = NULL;
	size_t i;

	if (m->what & MONITOR_TAINT) {
		unsigned long now = read_taint(), fresh = now & ~m->taint0;

		for (i = 0; i < sizeof(bad_taints) / sizeof(bad_taints[0]); i++) {
			if (!(fresh & (1ul << bad_taints[i].bit)))
				continue;
			if (asprintf(&why, "the kernel is now tainted %c (%s; taint %lu)",
				     bad_taints[i].letter, bad_taints[i].what, now) < 0)
				why = NULL;
			return why ?: strdup("the kernel is now tainted");
		}
	}
	if ((m->what & MONITOR_LOCKDEP) && m->debug_locks0 == 1 && read_debug_locks() == 0)
		return strdup("lockdep reported a problem and switched itself off");
	return NULL;
}

int monitor_parse(const char *list, unsigned int *what)
{
	char buf[256], *tok, *save = NULL;

	*what = 0;
	if ((size_t)snprintf(buf, sizeof(buf), "%s", list) >= sizeof(buf))
		return -EINVAL;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "taint")) {
			*what |= MONITOR_TAINT;
		} else if (!strcmp(tok, "lockdep")) {
			*what |= MONITOR_LOCKDEP;
		} else {
			fprintf(stderr, "accel-cts: --abort-on-monitored-error: '%s' is not taint "
				"or lockdep\n", tok);
			return -EINVAL;
		}
	}
	if (!*what) {
		fprintf(stderr, "accel-cts: --abort-on-monitored-error: nothing to watch in '%s'\n",
			list);
		return -EINVAL;
	}
	return 0;
}

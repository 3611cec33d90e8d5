// SPDX-License-Identifier: MIT
/*
 * Kernel log capture around each subtest through /dev/kmsg.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"

/*
 * Messages a loaded or emulated host provokes in any kernel, whatever the
 * driver does: a slow timer interrupt under TCG, the clocksource watchdog
 * complaining about the TSC or about slow clock reads. IGT's runner keeps a similar list. They are still
 * recorded in the subtest's dmesg; they just do not make it dmesg-warn.
 */
static const char kmsg_default_ignore[] =
	"^hrtimer: interrupt took [0-9]+ ns"
	"|^clocksource: "	/* the watchdog judging the host's clocks */
	"|^tsc: Marking TSC unstable";

static regex_t ignore_default, ignore_user;
static bool ignore_default_ok, ignore_user_ok;

int kmsg_set_ignore(const char *user_regex)
{
	char err[256];
	int ret;

	if (!ignore_default_ok)
		ignore_default_ok = !regcomp(&ignore_default, kmsg_default_ignore,
					     REG_EXTENDED | REG_NOSUB);
	if (!user_regex)
		return 0;
	ret = regcomp(&ignore_user, user_regex, REG_EXTENDED | REG_NOSUB);
	if (ret) {
		regerror(ret, &ignore_user, err, sizeof(err));
		fprintf(stderr, "accel-cts: --dmesg-ignore '%s': %s\n", user_regex, err);
		return -EINVAL;
	}
	ignore_user_ok = true;
	return 0;
}

static bool kmsg_ignored(const char *text)
{
	return (ignore_default_ok && !regexec(&ignore_default, text, 0, NULL, 0)) ||
	       (ignore_user_ok && !regexec(&ignore_user, text, 0, NULL, 0));
}

int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/*
 * Records look like "<prio>,<seq>,<usec>,<flags>;<text>\n" followed by
 * " KEY=value" continuation lines. The log level is prio & 7.
 */
char *kmsg_collect(int fd, char **first_warning)
{
	char rec[8192];
	unsigned int worst = 8;
	size_t len = 0, cap = 4096;
	char *out = malloc(cap);

	*first_warning = NULL;
	if (!out)
		return NULL;
	out[0] = '\0';
	if (fd < 0)
		return out;

	for (;;) {
		ssize_t r = read(fd, rec, sizeof(rec) - 1);
		unsigned int prio;
		unsigned long long usec;
		char *text, *nl;
		size_t need;

		if (r < 0 && errno == EPIPE)
			continue;	/* overwritten records: carry on */
		if (r <= 0)
			break;
		rec[r] = '\0';
		text = strchr(rec, ';');
		if (!text || sscanf(rec, "%u,%*u,%llu", &prio, &usec) != 2)
			continue;
		text++;
		nl = strchr(text, '\n');
		if (nl)
			*nl = '\0';
		/* The most severe report, the first of its level ("kernel BUG at" over "cut here"). */
		if ((prio & 7) <= 4 && (prio & 7) < worst && !strstr(text, "[IGT]") &&
		    !strstr(text, "[ cut here ]") && !kmsg_ignored(text)) {
			free(*first_warning);
			*first_warning = strdup(text);
			worst = prio & 7;
		}
		need = len + strlen(text) + 64;
		if (need > cap) {
			char *n;

			cap = need * 2;
			n = realloc(out, cap);
			if (!n)
				break;
			out = n;
		}
		len += sprintf(out + len, "<%u> [%llu.%06llu] %s\n", prio & 7, usec / 1000000,
			       usec % 1000000, text);
	}
	return out;
}

/* The same judgement as kmsg_collect's, on the text it returned: the worst record, or NULL. */
char *kmsg_worst(const char *log)
{
	unsigned int worst = 8, prio;
	char *found = NULL;
	const char *p;

	for (p = log; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		const char *text = strstr(p, "] ");
		size_t n = strcspn(p, "\n");
		char *line;

		if (sscanf(p, "<%u>", &prio) != 1 || !text || text > p + n)
			continue;
		text += 2;
		line = strndup(text, n - (size_t)(text - p));
		if (!line)
			break;
		if (prio <= 4 && prio < worst && !strstr(line, "[IGT]") && !strstr(line, "[ cut here ]") &&
		    !kmsg_ignored(line)) {
			free(found);
			found = line;
			worst = prio;
		} else {
			free(line);
		}
	}
	return found;
}

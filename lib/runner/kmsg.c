// SPDX-License-Identifier: MIT
/*
 * Kernel log capture around each subtest through /dev/kmsg.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"

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
char *kmsg_collect(int fd, bool *warned)
{
	char rec[8192];
	size_t len = 0, cap = 4096;
	char *out = malloc(cap);

	*warned = false;
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
		if ((prio & 7) <= 4 && !strstr(text, "[IGT]"))
			*warned = true;
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

/* Mark the kernel log, as IGT does, so a log can be split by subtest. */
void kmsg_mark(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int fd, n;

	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = snprintf(buf, sizeof(buf), "<6>[IGT] ");
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (write(fd, buf, strlen(buf)) < 0) {
		/* Marking the log is best effort. */
	}
	close(fd);
}

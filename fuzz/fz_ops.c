// SPDX-License-Identifier: MIT
/*
 * The ops table and what every op shares: drawing an op from its seed,
 * counting and tracing ioctls, and recording a broken rule.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "fz.h"

/*
 * Each kind of op lives in its file's table; a new ioctl is one more entry
 * there (name, weight, function).
 */
static const struct {
	const struct fz_op *ops;
	const unsigned int *n;
} tables[] = {
	{ fz_ops_refaccel, &fz_nops_refaccel },
	{ fz_ops_drm, &fz_nops_drm },
	{ fz_ops_proc, &fz_nops_proc },
};

static const struct fz_op *op_at(unsigned int i)
{
	size_t t;

	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		if (i < *tables[t].n)
			return &tables[t].ops[i];
		i -= *tables[t].n;
	}
	return NULL;
}

static unsigned int op_count(void)
{
	unsigned int n = 0;
	size_t t;

	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		n += *tables[t].n;
	return n;
}

const char *fz_op_name(unsigned int i)
{
	const struct fz_op *op = op_at(i);

	return op ? op->name : "?";
}

unsigned int fz_op_run(struct fz_state *s, uint64_t op_seed)
{
	unsigned int n = op_count(), i, total = 0;
	uint64_t pick;

	for (i = 0; i < n; i++)
		total += op_at(i)->weight;
	s->r = acts_rand_init(op_seed);
	pick = acts_rand_below(&s->r, total);
	for (i = 0; i < n; i++) {
		if (pick < op_at(i)->weight)
			break;
		pick -= op_at(i)->weight;
	}
	s->desc_len = 0;
	s->desc[0] = '\0';
	s->violation[0] = '\0';
	s->arena_used = 0;
	s->arena_tail = false;
	op_at(i)->run(s);
	return i;
}

int fz_ioctl(struct fz_state *s, int fd, unsigned long req, void *arg)
{
	int ret;

	ret = ioctl(fd, req, arg);
	s->ioctls++;
	__atomic_add_fetch(&s->sh->ioctls, 1, __ATOMIC_RELAXED);
	ret = ret ? -errno : 0;
	if (s->trace)
		fz_log(s, " -> %s", ret ? strerror(-ret) : "0");
	return ret;
}

void fz_log(struct fz_state *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!s->trace || s->desc_len >= sizeof(s->desc) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(s->desc + s->desc_len, sizeof(s->desc) - s->desc_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->desc_len += (size_t)n;
	if (s->desc_len >= sizeof(s->desc))
		s->desc_len = sizeof(s->desc) - 1;
}

void fz_expect_fail(struct fz_state *s, int ret, bool must_fail, const char *fmt, ...)
{
	va_list ap;

	if (ret || !must_fail || s->violation[0])
		return;
	va_start(ap, fmt);
	vsnprintf(s->violation, sizeof(s->violation), fmt, ap);
	va_end(ap);
}

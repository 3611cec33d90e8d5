// SPDX-License-Identifier: MIT
/*
 * Malformed submissions for refaccel, one per field of its command stream
 * and submit arguments: each turns a well-formed encoding into one the
 * driver must refuse (SUB-INVAL-1, -2 and -4 of docs/PROFILE.md).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "backend_refaccel.h"

/* An address no process can read: a fresh PROT_NONE page. */
static uint64_t refaccel_unreadable(void)
{
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? 8 : (uintptr_t)p;
}

/* One NOP more than REFACCEL_PARAM_MAX_CMDS_SIZE holds. */
static int refaccel_too_big(struct acts_dev *dev, struct acts_encoded *enc)
{
	static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };
	struct acts_encoded *big;
	unsigned int i, n;
	uint64_t max = 0;
	int ret = refaccel_query_raw(dev, REFACCEL_PARAM_MAX_CMDS_SIZE, 0, &max);

	if (ret)
		return ret;
	n = (unsigned int)(max / sizeof(struct drm_refaccel_cmd_header)) + 1;
	big = refaccel_encoded_alloc(n);
	if (!big)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		refaccel_encode_cmd(&nop, big);
	free(enc->cmds);
	enc->cmds = big->cmds;
	enc->size = big->size;
	enc->room = big->room;
	enc->last = big->last;
	enc->cmds_ptr = (uintptr_t)big->cmds;
	free(big);
	return 0;
}

int refaccel_inval(struct acts_dev *dev, const struct acts_job *job, struct acts_encoded *enc,
		   enum acts_job_defect defect)
{
	struct drm_refaccel_cmd_header *last =
		enc->last == SIZE_MAX ? NULL : (void *)(enc->cmds + enc->last);

	switch (defect) {
	case ACTS_DEFECT_NONE:
		return 0;
	case ACTS_DEFECT_CMDS_EMPTY:
		enc->size = 0;
		return 0;
	case ACTS_DEFECT_CMDS_TOO_BIG:
		return refaccel_too_big(dev, enc);
	case ACTS_DEFECT_CMDS_TRUNCATED:
		if (!last || last->size <= 8)
			return -EOPNOTSUPP;
		enc->size -= 8;
		return 0;
	case ACTS_DEFECT_CMD_UNKNOWN_OPCODE:
		if (!last)
			return -EOPNOTSUPP;
		last->opcode = 0xdead;
		return 0;
	case ACTS_DEFECT_CMD_BAD_SIZE:
		if (!last || enc->size + 8 > enc->room)
			return -EOPNOTSUPP;
		/* Claim a size that fits the buffer but not the opcode. */
		last->size += 8;
		enc->size += 8;
		return 0;
	case ACTS_DEFECT_CMD_ZERO_SIZE:
		if (!last)
			return -EOPNOTSUPP;
		last->size = 0;
		return 0;
	case ACTS_DEFECT_CMD_PAD:
		if (!last || last->opcode != REFACCEL_CMD_TIMESTAMP)
			return -EOPNOTSUPP;
		((struct drm_refaccel_cmd_timestamp *)last)->pad = 1;
		return 0;
	case ACTS_DEFECT_CMDS_FAULT:
		enc->cmds_ptr = refaccel_unreadable();
		return 0;
	case ACTS_DEFECT_BOS_FAULT:
		if (!job->nbos)
			return -EOPNOTSUPP;
		enc->bos_ptr = refaccel_unreadable();
		return 0;
	case ACTS_DEFECT_SYNCS_FAULT:
		if (!job->nin)
			return -EOPNOTSUPP;
		enc->syncs_ptr = refaccel_unreadable();
		return 0;
	case ACTS_DEFECT_COUNT:
		break;
	}
	return -EOPNOTSUPP;
}

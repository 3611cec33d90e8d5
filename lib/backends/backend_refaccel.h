/* SPDX-License-Identifier: MIT */
/*
 * What backend_refaccel.c shares with its malformed-input builders
 * (backend_refaccel_inval.c): a job encoded for DRM_IOCTL_REFACCEL_SUBMIT.
 */
#ifndef BACKEND_REFACCEL_H
#define BACKEND_REFACCEL_H

#include <stddef.h>
#include <stdint.h>

#include "refaccel_accel.h"
#include "../acts_backend.h"

struct acts_encoded {
	uint8_t *cmds;		/* the command stream */
	size_t size;		/* bytes of it submitted */
	size_t room;		/* bytes allocated */
	size_t last;		/* offset of the last command's header; SIZE_MAX: none */
	uint32_t bo_base;	/* added to every BO index: 1 when the job's fence BO is first */
	/* What submit passes for the three user pointers (inval may replace them). */
	uint64_t cmds_ptr;
	uint64_t bos_ptr;
	uint64_t syncs_ptr;
};

/* Largest encoded command, and so the room one command needs. */
#define REFACCEL_CMD_MAX	sizeof(struct drm_refaccel_cmd_mac)

int refaccel_ioctl(struct acts_dev *dev, unsigned long req, void *arg);
int refaccel_query_raw(struct acts_dev *dev, uint32_t param, uint32_t pad, uint64_t *value);
/* Append cmd to enc (room must be there); returns its header. */
struct drm_refaccel_cmd_header *refaccel_encode_cmd(const struct acts_cmd *cmd,
						    struct acts_encoded *enc);
/* An encoding of n commands' room, empty. */
struct acts_encoded *refaccel_encoded_alloc(unsigned int n);
void refaccel_encoded_free(struct acts_encoded *enc);

int refaccel_inval(struct acts_dev *dev, const struct acts_job *job, struct acts_encoded *enc,
		   enum acts_job_defect defect);

#endif

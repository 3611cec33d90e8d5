// SPDX-License-Identifier: MIT
/*
 * Backend for refaccel, the bundled reference driver.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "refaccel_accel.h"

#include "../acts_backend.h"

static int refaccel_ioctl(struct acts_dev *dev, unsigned long req, void *arg)
{
	return drmIoctl(dev->fd, req, arg) ? -errno : 0;
}

static int refaccel_query_raw(struct acts_dev *dev, uint32_t param, uint32_t pad,
			      uint64_t *value)
{
	struct drm_refaccel_get_param gp = { .param = param, .pad = pad };
	int ret = refaccel_ioctl(dev, DRM_IOCTL_REFACCEL_GET_PARAM, &gp);

	if (!ret)
		*value = gp.value;
	return ret;
}

static int refaccel_query(struct acts_dev *dev, enum acts_query q, uint64_t *value)
{
	static const uint32_t params[ACTS_Q_COUNT] = {
		[ACTS_Q_UAPI_VERSION] = REFACCEL_PARAM_UAPI_VERSION,
		[ACTS_Q_MEM_SIZE] = REFACCEL_PARAM_DEVICE_MEMORY_SIZE,
		[ACTS_Q_MEM_USED] = REFACCEL_PARAM_DEVICE_MEMORY_USED,
		[ACTS_Q_MAX_BO_SIZE] = REFACCEL_PARAM_MAX_BO_SIZE,
		[ACTS_Q_BO_FLAGS] = REFACCEL_PARAM_BO_FLAGS,
		[ACTS_Q_ENGINES] = REFACCEL_PARAM_ENGINES,
		[ACTS_Q_MAX_JOB_BOS] = REFACCEL_PARAM_MAX_JOB_BOS,
		[ACTS_Q_MAX_JOB_SYNCS] = REFACCEL_PARAM_MAX_JOB_SYNCS,
		[ACTS_Q_MAX_CONTEXTS] = REFACCEL_PARAM_MAX_CONTEXTS,
		[ACTS_Q_TIMESTAMP_FREQ] = REFACCEL_PARAM_TIMESTAMP_FREQUENCY,
		[ACTS_Q_MAC_DTYPES] = REFACCEL_PARAM_MAC_DTYPES,
		[ACTS_Q_MAC_MAX_M] = REFACCEL_PARAM_MAC_MAX_M,
		[ACTS_Q_MAC_MAX_N] = REFACCEL_PARAM_MAC_MAX_N,
		[ACTS_Q_MAC_MAX_K] = REFACCEL_PARAM_MAC_MAX_K,
		[ACTS_Q_MAX_QUEUED_JOBS] = REFACCEL_PARAM_MAX_QUEUED_JOBS,
	};
	uint64_t caps;
	int ret;

	if ((unsigned int)q >= ACTS_Q_COUNT)
		return -EOPNOTSUPP;
	if (q == ACTS_Q_MAC_DTYPES) {
		/* The uapi and the profile number the types alike; a device without MAC has none. */
		ret = refaccel_query_raw(dev, REFACCEL_PARAM_CAPABILITIES, 0, &caps);
		if (ret)
			return ret;
		if (!(caps & REFACCEL_CAP_MAC)) {
			*value = 0;
			return 0;
		}
	}
	return refaccel_query_raw(dev, params[q], 0, value);
}

static int refaccel_bo_create(struct acts_dev *dev, struct acts_bo_create *args)
{
	struct drm_refaccel_bo_create c = {
		.size = args->size, .flags = args->flags, .pad = args->pad,
	};
	int ret = refaccel_ioctl(dev, DRM_IOCTL_REFACCEL_BO_CREATE, &c);

	if (!ret) {
		args->size = c.size;
		args->handle = c.handle;
	}
	return ret;
}

static int refaccel_bo_info(struct acts_dev *dev, uint32_t handle, uint32_t pad,
			    struct acts_bo_info *info)
{
	struct drm_refaccel_bo_info i = { .handle = handle, .pad = pad };
	int ret = refaccel_ioctl(dev, DRM_IOCTL_REFACCEL_BO_INFO, &i);

	if (!ret) {
		info->size = i.size;
		info->flags = i.flags;
		info->mmap_offset = i.mmap_offset;
	}
	return ret;
}

static int refaccel_ctx_create(struct acts_dev *dev, struct acts_ctx_create *args)
{
	static const uint32_t prio[] = {
		[ACTS_PRIO_LOW] = REFACCEL_PRIORITY_LOW,
		[ACTS_PRIO_NORMAL] = REFACCEL_PRIORITY_NORMAL,
		[ACTS_PRIO_HIGH] = REFACCEL_PRIORITY_HIGH,
		[ACTS_PRIO_INVALID] = REFACCEL_PRIORITY_HIGH + 1,
	};
	struct drm_refaccel_ctx_create c = {
		.priority = prio[args->priority], .flags = args->flags, .pad = args->pad,
	};
	int ret = refaccel_ioctl(dev, DRM_IOCTL_REFACCEL_CTX_CREATE, &c);

	if (!ret)
		args->id = c.ctx_id;
	return ret;
}

static int refaccel_ctx_destroy(struct acts_dev *dev, uint32_t id, uint32_t pad)
{
	struct drm_refaccel_ctx_destroy d = { .ctx_id = id, .pad = pad };

	return refaccel_ioctl(dev, DRM_IOCTL_REFACCEL_CTX_DESTROY, &d);
}

/* Append one command to buf at *pos; returns its header. */
static struct drm_refaccel_cmd_header *refaccel_encode(const struct acts_cmd *cmd, uint8_t *buf,
						       size_t *pos)
{
	struct drm_refaccel_cmd_header *hdr = (void *)(buf + *pos);

	switch (cmd->op) {
	case ACTS_CMD_NOP:
		*hdr = (struct drm_refaccel_cmd_header){ REFACCEL_CMD_NOP, sizeof(*hdr) };
		break;
	case ACTS_CMD_FILL: {
		struct drm_refaccel_cmd_fill *c = (void *)hdr;

		*c = (struct drm_refaccel_cmd_fill){
			.hdr = { REFACCEL_CMD_FILL, sizeof(*c) },
			.bo_index = cmd->bo, .value = cmd->value,
			.offset = cmd->offset, .size = cmd->size,
		};
		break;
	}
	case ACTS_CMD_COPY: {
		struct drm_refaccel_cmd_copy *c = (void *)hdr;

		*c = (struct drm_refaccel_cmd_copy){
			.hdr = { REFACCEL_CMD_COPY, sizeof(*c) },
			.src_index = cmd->src, .dst_index = cmd->bo,
			.src_offset = cmd->src_offset, .dst_offset = cmd->offset,
			.size = cmd->size,
		};
		break;
	}
	case ACTS_CMD_TIMESTAMP: {
		struct drm_refaccel_cmd_timestamp *c = (void *)hdr;

		*c = (struct drm_refaccel_cmd_timestamp){
			.hdr = { REFACCEL_CMD_TIMESTAMP, sizeof(*c) },
			.bo_index = cmd->bo, .offset = cmd->offset,
		};
		break;
	}
	case ACTS_CMD_MAC: {
		static const uint32_t dtypes[] = {
			[ACTS_MAC_INT8] = REFACCEL_MAC_INT8,
			[ACTS_MAC_UINT8] = REFACCEL_MAC_UINT8,
			[ACTS_MAC_FP16] = REFACCEL_MAC_FP16,
			[ACTS_MAC_BF16] = REFACCEL_MAC_BF16,
			[ACTS_MAC_FP32] = REFACCEL_MAC_FP32,
			[ACTS_MAC_DTYPE_INVALID] = REFACCEL_MAC_DTYPE_COUNT,
		};
		struct drm_refaccel_cmd_mac *c = (void *)hdr;
		const struct acts_mac *m = &cmd->mac;

		*c = (struct drm_refaccel_cmd_mac){
			.hdr = { REFACCEL_CMD_MAC, sizeof(*c) },
			.dtype = (unsigned int)m->dtype <= ACTS_MAC_DTYPE_INVALID ?
				 dtypes[m->dtype] : m->dtype,
			.flags = (m->flags & ACTS_MAC_ACCUMULATE ? REFACCEL_MAC_ACCUMULATE : 0) |
				 (m->flags & ACTS_MAC_TRANSPOSE_B ? REFACCEL_MAC_TRANSPOSE_B : 0) |
				 (m->flags & ACTS_MAC_FLAG_UNKNOWN ? 1u << 31 : 0),
			.m = m->m, .n = m->n, .k = m->k,
			.a_index = m->a_bo, .b_index = m->b_bo, .c_index = m->c_bo,
			.a_offset = m->a_offset, .b_offset = m->b_offset, .c_offset = m->c_offset,
			.a_stride = m->a_stride, .b_stride = m->b_stride, .c_stride = m->c_stride,
		};
		break;
	}
	}
	*pos += hdr->size;
	return hdr;
}

/* Largest encoded command, and so the room one command needs. */
#define REFACCEL_CMD_MAX	sizeof(struct drm_refaccel_cmd_mac)

/* An address no process can read: the last page of a fresh PROT_NONE map. */
static void *refaccel_unreadable(void)
{
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? (void *)(uintptr_t)8 : p;
}

static int refaccel_cmds_build(struct acts_dev *dev, struct acts_job *job, uint8_t **out,
			       size_t *out_size)
{
	struct drm_refaccel_cmd_header *last = NULL;
	unsigned int i, n = job->ncmds;
	size_t pos = 0, cap;
	uint8_t *buf;

	if (job->defect == ACTS_DEFECT_CMDS_TOO_BIG) {
		uint64_t max;
		int ret = refaccel_query_raw(dev, REFACCEL_PARAM_MAX_CMDS_SIZE, 0, &max);

		if (ret)
			return ret;
		/* NOPs are 8 bytes: one more than fits. */
		n = (unsigned int)(max / sizeof(struct drm_refaccel_cmd_header)) + 1;
	}
	cap = (size_t)(n + 1) * REFACCEL_CMD_MAX;
	buf = calloc(1, cap);
	if (!buf)
		return -ENOMEM;

	if (job->defect == ACTS_DEFECT_CMDS_TOO_BIG) {
		static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };

		for (i = 0; i < n; i++)
			refaccel_encode(&nop, buf, &pos);
	} else {
		for (i = 0; i < n; i++)
			last = refaccel_encode(&job->cmds[i], buf, &pos);
	}

	switch (job->defect) {
	case ACTS_DEFECT_CMDS_EMPTY:
		pos = 0;
		break;
	case ACTS_DEFECT_CMDS_TRUNCATED:
		if (!last || last->size <= 8)
			goto unsupported;
		pos -= 8;
		break;
	case ACTS_DEFECT_CMD_UNKNOWN_OPCODE:
		if (!last)
			goto unsupported;
		last->opcode = 0xdead;
		break;
	case ACTS_DEFECT_CMD_BAD_SIZE:
		if (!last)
			goto unsupported;
		/* Claim a size that fits the buffer but not the opcode. */
		last->size += 8;
		pos += 8;
		break;
	case ACTS_DEFECT_CMD_ZERO_SIZE:
		if (!last)
			goto unsupported;
		last->size = 0;
		break;
	case ACTS_DEFECT_CMD_PAD:
		if (!last || last->opcode != REFACCEL_CMD_TIMESTAMP)
			goto unsupported;
		((struct drm_refaccel_cmd_timestamp *)last)->pad = 1;
		break;
	default:
		break;
	}

	*out = buf;
	*out_size = pos;
	return 0;

unsupported:
	free(buf);
	return -EOPNOTSUPP;
}

static int refaccel_submit(struct acts_dev *dev, struct acts_job *job)
{
	static const uint32_t engines[] = {
		[ACTS_ENGINE_COMPUTE] = REFACCEL_ENGINE_COMPUTE,
		[ACTS_ENGINE_COPY] = REFACCEL_ENGINE_COPY,
	};
	struct drm_refaccel_sync *in = NULL;
	struct drm_refaccel_submit s = {
		.flags = job->flags, .pad = job->pad, .ctx_id = job->ctx,
		.engine = job->engine < ACTS_ENGINE_COUNT ? engines[job->engine] : job->engine,
		.bo_handles = (uintptr_t)job->bos, .bo_count = job->nbos,
		.in_sync_count = job->nin,
		.out_sync = { job->out.handle, job->out.flags, job->out.point },
	};
	uint8_t *cmds;
	size_t size;
	unsigned int i;
	int ret;

	ret = refaccel_cmds_build(dev, job, &cmds, &size);
	if (ret)
		return ret;
	s.cmds = (uintptr_t)cmds;
	s.cmds_size = (uint32_t)size;

	if (job->nin) {
		in = calloc(job->nin, sizeof(*in));
		if (!in) {
			free(cmds);
			return -ENOMEM;
		}
		for (i = 0; i < job->nin; i++)
			in[i] = (struct drm_refaccel_sync){
				job->in[i].handle, job->in[i].flags, job->in[i].point,
			};
		s.in_syncs = (uintptr_t)in;
	}

	switch (job->defect) {
	case ACTS_DEFECT_CMDS_FAULT:
		s.cmds = (uintptr_t)refaccel_unreadable();
		break;
	case ACTS_DEFECT_BOS_FAULT:
		if (!job->nbos)
			ret = -EOPNOTSUPP;
		s.bo_handles = (uintptr_t)refaccel_unreadable();
		break;
	case ACTS_DEFECT_SYNCS_FAULT:
		if (!job->nin)
			ret = -EOPNOTSUPP;
		s.in_syncs = (uintptr_t)refaccel_unreadable();
		break;
	default:
		break;
	}

	if (!ret)
		ret = refaccel_ioctl(dev, DRM_IOCTL_REFACCEL_SUBMIT, &s);
	if (!ret)
		job->seqno = s.seqno;
	free(in);
	free(cmds);
	return ret;
}

static int refaccel_bo_wait(struct acts_dev *dev, uint32_t handle, int64_t deadline_ns,
			    uint32_t flags)
{
	struct drm_refaccel_bo_wait w = {
		.handle = handle, .flags = flags, .timeout_ns = deadline_ns,
	};

	return refaccel_ioctl(dev, DRM_IOCTL_REFACCEL_BO_WAIT, &w);
}

/* Faults live in the device's debugfs folder, one file per knob. */
static int refaccel_debugfs_path(struct acts_dev *dev, const char *file, char *path,
				 size_t len)
{
	char dir[512];
	int ret = acts_dev_debugfs_dir(dev, dir, sizeof(dir));

	if (ret)
		return ret;
	if (snprintf(path, len, "%s/%s", dir, file) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

static int refaccel_debugfs_write(struct acts_dev *dev, const char *file, const char *value)
{
	char path[600];
	ssize_t n;
	int fd, ret = refaccel_debugfs_path(dev, file, path, sizeof(path));

	if (ret)
		return ret;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	ret = n < 0 ? -errno : 0;
	close(fd);
	return ret;
}

static int refaccel_debugfs_read(struct acts_dev *dev, const char *file, char *buf, size_t len)
{
	char path[600];
	ssize_t n;
	int fd, ret = refaccel_debugfs_path(dev, file, path, sizeof(path));

	if (ret)
		return ret;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	ret = n < 0 ? -errno : 0;
	buf[n < 0 ? 0 : n] = '\0';
	close(fd);
	return ret;
}

static int refaccel_debugfs_read_uint(struct acts_dev *dev, const char *file, unsigned int *v)
{
	char buf[32];
	int ret = refaccel_debugfs_read(dev, file, buf, sizeof(buf));

	if (!ret)
		*v = (unsigned int)strtoul(buf, NULL, 10);
	return ret;
}

static const char *const refaccel_fault_files[ACTS_FAULT_COUNT] = {
	[ACTS_FAULT_ALLOC] = "fail_alloc",
	[ACTS_FAULT_JOB_ERROR] = "fail_job",
	[ACTS_FAULT_JOB_HANG] = "hang_job",
	[ACTS_FAULT_MAC_CORRUPT] = "corrupt_mac",
};

/* Slowdowns that make a known performance regression on demand; 0 is off. */
static const char *const refaccel_slowdown_files[] = { "job_delay_us", "copy_throttle_mbps" };

static int refaccel_fault_set(struct acts_dev *dev, enum acts_fault f, unsigned int count)
{
	char v[16];

	snprintf(v, sizeof(v), "%u\n", count);
	return refaccel_debugfs_write(dev, refaccel_fault_files[f], v);
}

static int refaccel_fault_get(struct acts_dev *dev, enum acts_fault f, unsigned int *remaining)
{
	return refaccel_debugfs_read_uint(dev, refaccel_fault_files[f], remaining);
}

static int refaccel_counter(struct acts_dev *dev, enum acts_counter c, uint64_t *value)
{
	static const char *const keys[ACTS_CNT_COUNT] = {
		[ACTS_CNT_ALLOC_FAILURES] = "alloc_failures",
		[ACTS_CNT_JOB_FAILURES] = "job_failures",
		[ACTS_CNT_HANGS] = "hangs",
		[ACTS_CNT_RESETS] = "resets",
		[ACTS_CNT_BANNED] = "banned_contexts",
		[ACTS_CNT_MAC_CORRUPTIONS] = "mac_corruptions",
	};
	char buf[512], *line;
	int ret = refaccel_debugfs_read(dev, "counters", buf, sizeof(buf));

	if (ret)
		return ret;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		size_t klen = strlen(keys[c]);

		if (!strncmp(line, keys[c], klen) && line[klen] == ':') {
			*value = strtoull(line + klen + 1, NULL, 10);
			return 0;
		}
	}
	return -ENOENT;
}

static int refaccel_job_timeout_get(struct acts_dev *dev, unsigned int *ms)
{
	return refaccel_debugfs_read_uint(dev, "job_timeout_ms", ms);
}

static int refaccel_job_timeout_set(struct acts_dev *dev, unsigned int ms)
{
	char v[16];

	snprintf(v, sizeof(v), "%u\n", ms);
	return refaccel_debugfs_write(dev, "job_timeout_ms", v);
}

/* The driver's default job timeout is its module parameter. */
static int refaccel_default_timeout_ms(unsigned int *ms)
{
	FILE *f = fopen("/sys/module/refaccel/parameters/job_timeout_ms", "r");
	int ok;

	if (!f)
		return -errno;
	ok = fscanf(f, "%u", ms) == 1;
	fclose(f);
	return ok ? 0 : -EINVAL;
}

static int refaccel_defaults_restore(struct acts_dev *dev)
{
	unsigned int ms;
	int f, ret = 0, r;

	for (f = 0; f < ACTS_FAULT_COUNT; f++) {
		r = refaccel_fault_set(dev, f, 0);
		if (r && !ret)
			ret = r;
	}
	for (f = 0; f < (int)(sizeof(refaccel_slowdown_files) / sizeof(*refaccel_slowdown_files)); f++) {
		r = refaccel_debugfs_write(dev, refaccel_slowdown_files[f], "0\n");
		if (r && !ret)
			ret = r;
	}
	r = refaccel_default_timeout_ms(&ms);
	if (!r)
		r = refaccel_job_timeout_set(dev, ms);
	return ret ? ret : r;
}

static int refaccel_engine_reset(struct acts_dev *dev, enum acts_engine e)
{
	return refaccel_debugfs_write(dev, "reset", e == ACTS_ENGINE_COPY ? "copy" : "compute");
}

const struct acts_backend acts_backend_refaccel = {
	.name = "refaccel",
	.node = ACTS_NODE_ACCEL,
	.has_pad_fields = true,
	.query = refaccel_query,
	.query_raw = refaccel_query_raw,
	.query_raw_known = REFACCEL_PARAM_UAPI_VERSION,
	.query_raw_unknown = 0xffff,
	.bo_create = refaccel_bo_create,
	.bo_info = refaccel_bo_info,
	.engine_names = { [ACTS_ENGINE_COMPUTE] = "compute", [ACTS_ENGINE_COPY] = "copy" },
	.timestamps_monotonic = true,
	.mac_bit_exact = true,
	.ctx_create = refaccel_ctx_create,
	.ctx_destroy = refaccel_ctx_destroy,
	.submit = refaccel_submit,
	.bo_wait = refaccel_bo_wait,
	.fault_set = refaccel_fault_set,
	.fault_get = refaccel_fault_get,
	.counter = refaccel_counter,
	.job_timeout_get = refaccel_job_timeout_get,
	.job_timeout_set = refaccel_job_timeout_set,
	.defaults_restore = refaccel_defaults_restore,
	.engine_reset = refaccel_engine_reset,
};

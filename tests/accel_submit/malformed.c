// SPDX-License-Identifier: MIT
/*
 * accel_submit, malformed input: every submission with one field wrong is
 * refused with the profile's errno (acts_profile.c) and has no effect.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xf86drm.h>

#include "acts_assert.h"
#include "acts_buf.h"
#include "acts_caps.h"
#include "acts_gem.h"
#include "acts_profile.h"
#include "acts_submit.h"
#include "acts_syncobj.h"
#include "acts_test.h"
#include "acts_ufence.h"
#include "submit_util.h"

/* ---- refused submissions: one field wrong each, no effect ---- */

/*
 * A valid job: fill the first page of a BO on the compute engine, with an
 * input and an output syncobj when the driver takes them. Each
 * invalid-input subtest changes one thing.
 */
struct fx {
	struct acts_dev *dev;
	struct acts_buf b, b2;
	uint32_t bos[2];
	struct acts_cmd cmd;
	struct acts_sync in;
	struct acts_job job;
	uint32_t out;		/* the valid job's output syncobj (0: none), whatever job.out becomes */
	uint64_t mem;
};

static void fx_init(struct fx *fx, struct acts_dev *dev)
{
	acts_require_submit(dev);
	memset(fx, 0, sizeof(*fx));
	fx->dev = dev;
	fx->b = acts_buf_new(dev, 2 * SZ_4K, BG);
	fx->b2 = acts_buf_new(dev, 2 * SZ_4K, BG);
	fx->bos[0] = fx->b.handle;
	fx->bos[1] = fx->b2.handle;
	fx->cmd = (struct acts_cmd){ .op = ACTS_CMD_FILL, .bo = 0, .size = SZ_4K, .value = 0x11 };
	fx->job = (struct acts_job){
		.ctx = acts_ctx_create(dev), .engine = ACTS_ENGINE_COMPUTE,
		.cmds = &fx->cmd, .ncmds = 1, .bos = fx->bos, .nbos = 1,
	};
	if (acts_has_cap(dev, ACTS_CAP_JOB_SYNCOBJS)) {
		fx->in = (struct acts_sync){ .handle = acts_syncobj_create(dev, true) };
		fx->job.in = &fx->in;
		fx->job.nin = 1;
		fx->job.out.handle = fx->out = acts_syncobj_create(dev, false);
	}
	/* An output the refused call must leave alone. */
	fx->job.seqno = 0xa5a5a5a5a5a5a5a5ull;
	mem_used(dev, &fx->mem);
}

/* The refused submission left no trace, and a valid one still works. */
static void fx_check_no_effect(struct fx *fx)
{
	struct acts_dev *dev = fx->dev;
	struct acts_cmd fill = { .op = ACTS_CMD_FILL, .size = SZ_4K, .value = 0x22 };
	struct acts_fence out;
	uint32_t h = fx->out, ctx;
	uint64_t mem;

	/* The output syncobj still has no fence at all. */
	if (h)
		acts_assert_err(__acts_syncobj_wait(dev, &h, 1, 0, 0, NULL), -EINVAL);
	acts_assert_ok(__acts_bo_wait(dev, fx->b.handle, 0));
	acts_assert_ok(__acts_bo_wait(dev, fx->b2.handle, 0));
	acts_buf_assert_bytes(&fx->b, 0, fx->b.size, BG);
	acts_buf_assert_bytes(&fx->b2, 0, fx->b2.size, BG);
	if (!mem_used(dev, &mem))
		acts_assert_eq_u64(mem, fx->mem);

	ctx = acts_ctx_create(dev);
	out = acts_submit_simple(dev, ctx, ACTS_ENGINE_COMPUTE, &fill, 1, &fx->b.handle, 1);
	acts_assert_eq(acts_fence_wait_status(dev, &out), 1);
	acts_buf_assert_u32(&fx->b, 0, SZ_4K, 0x22);
}

static void fx_expect_refused(struct fx *fx, int ret, const char *rule, const char *when)
{
	if (ret == -EOPNOTSUPP && fx->job.defect != ACTS_DEFECT_NONE)
		acts_skip("the %s backend cannot build this malformed submission",
			  acts_backend_name(fx->dev));
	if (!ret)
		acts_fail("the malformed submission was accepted (%s %s)", rule, when);
	acts_assert_rule(fx->dev, rule, when, ret);
	if (acts_has_failed_outputs(fx->dev))
		acts_assert_eq_u64(fx->job.seqno, 0xa5a5a5a5a5a5a5a5ull);
	fx_check_no_effect(fx);
}

/*
 * The malformed job fx->job must fail with the errno of the profile's rule
 * and case (acts_profile.c) and change nothing.
 */
#define REFUSED(ident, rules_, desc_, rule, when, ...) \
	ACTS_SUBTEST(ident, rules_, desc_) \
	{ \
		struct fx fx_, *fx = &fx_; \
		fx_init(fx, dev); \
		__VA_ARGS__; \
		fx_expect_refused(fx, __acts_submit(dev, &fx->job), rule, when); \
	}

REFUSED(submit_nonzero_flags, "SUB-INVAL-1 SUB-INVAL-5",
	"unknown submit flags: EINVAL",
	"SUB-INVAL-1", "bad-field",
	fx->job.flags = 1ull << 63)
REFUSED(submit_nonzero_pad, "SUB-INVAL-1 SUB-INVAL-5",
	"a set padding field: EINVAL",
	"SUB-INVAL-1", "bad-field",
	acts_require_cap(dev, ACTS_CAP_PAD_FIELDS);
	fx->job.pad = 1)
REFUSED(submit_bad_engine, "SUB-INVAL-1 SUB-INVAL-5",
	"an unknown engine: EINVAL",
	"SUB-INVAL-1", "bad-field",
	fx->job.engine = 0x7777)
REFUSED(submit_unknown_ctx, "SUB-INVAL-3 SUB-INVAL-5",
	"an unknown context id: ENOENT",
	"SUB-INVAL-3", "unknown-object",
	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	fx->job.ctx = 0xdead)
REFUSED(submit_destroyed_ctx, "SUB-INVAL-3 SUB-INVAL-5",
	"a destroyed context: ENOENT",
	"SUB-INVAL-3", "unknown-object",
	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	acts_ctx_destroy(dev, fx->job.ctx))
REFUSED(submit_bad_bo_handle, "SUB-INVAL-3 SUB-INVAL-5",
	"an unknown BO handle: ENOENT",
	"SUB-INVAL-3", "unknown-object",
	fx->bos[0] = 0xdead)
REFUSED(submit_closed_bo_handle, "SUB-INVAL-3 SUB-INVAL-5",
	"a closed BO handle: ENOENT",
	"SUB-INVAL-3", "unknown-object",
	uint32_t h = acts_bo_create(dev, SZ_4K);
	acts_gem_close(dev, h);
	fx->bos[0] = h)
REFUSED(submit_too_many_bos, "SUB-INVAL-1 SUB-INVAL-5",
	"one BO more than the driver's limit: EINVAL",
	"SUB-INVAL-1", "over-limit",
	static uint32_t many[4096];
	uint64_t max = acts_require_query(dev, ACTS_Q_MAX_JOB_BOS);
	acts_require(max < 4096, "the BO limit is too high to exceed");
	for (unsigned int i = 0; i <= max; i++) many[i] = fx->b.handle;
	fx->job.bos = many; fx->job.nbos = (unsigned int)max + 1)
REFUSED(submit_too_many_in_syncs, "SUB-INVAL-1 SUB-INVAL-5",
	"one input sync more than the driver's limit: EINVAL",
	"SUB-INVAL-1", "over-limit",
	acts_require_job_syncobjs(dev);
	static struct acts_sync many[4096];
	uint64_t max = acts_require_query(dev, ACTS_Q_MAX_JOB_SYNCS);
	acts_require(max < 4096, "the sync limit is too high to exceed");
	for (unsigned int i = 0; i <= max; i++) many[i] = fx->in;
	fx->job.in = many; fx->job.nin = (unsigned int)max + 1)
REFUSED(submit_cmds_empty, "SUB-INVAL-1 SUB-INVAL-5",
	"an empty command buffer: EINVAL",
	"SUB-INVAL-1", "bad-field",
	fx->job.defect = ACTS_DEFECT_CMDS_EMPTY)
REFUSED(submit_cmds_too_big, "SUB-INVAL-1 SUB-INVAL-5",
	"a command buffer over the driver's size limit: EINVAL",
	"SUB-INVAL-1", "over-limit",
	fx->job.defect = ACTS_DEFECT_CMDS_TOO_BIG)
REFUSED(submit_cmd_truncated, "SUB-INVAL-2 SUB-INVAL-5",
	"a command cut short by the end of the buffer: EINVAL",
	"SUB-INVAL-2", "bad-command",
	fx->job.defect = ACTS_DEFECT_CMDS_TRUNCATED)
REFUSED(submit_cmd_unknown_opcode, "SUB-INVAL-2 SUB-INVAL-5",
	"an unknown opcode: EINVAL",
	"SUB-INVAL-2", "bad-command",
	fx->job.defect = ACTS_DEFECT_CMD_UNKNOWN_OPCODE)
REFUSED(submit_cmd_bad_size, "SUB-INVAL-2 SUB-INVAL-5",
	"a command whose size field does not match its opcode: EINVAL",
	"SUB-INVAL-2", "bad-command",
	fx->job.defect = ACTS_DEFECT_CMD_BAD_SIZE)
REFUSED(submit_cmd_zero_size, "SUB-INVAL-2 SUB-INVAL-5",
	"a command whose size field is zero: EINVAL, no endless loop",
	"SUB-INVAL-2", "bad-command",
	fx->job.defect = ACTS_DEFECT_CMD_ZERO_SIZE)
REFUSED(submit_cmd_nonzero_pad, "SUB-INVAL-2 SUB-INVAL-5",
	"a set padding field inside a command: EINVAL",
	"SUB-INVAL-2", "bad-command",
	fx->cmd = (struct acts_cmd){ .op = ACTS_CMD_TIMESTAMP, .bo = 0 };
	fx->job.defect = ACTS_DEFECT_CMD_PAD)
REFUSED(submit_cmd_bad_bo_index, "SUB-INVAL-2 SUB-INVAL-5",
	"a command naming a BO outside the job's list: EINVAL",
	"SUB-INVAL-2", "bad-command",
	fx->cmd.bo = 1)
REFUSED(submit_fill_out_of_bounds, "SUB-INVAL-2 SUB-INVAL-5",
	"a FILL running past the end of its BO: EINVAL",
	"SUB-INVAL-2", "bad-command",
	fx->cmd.offset = fx->b.size - 4; fx->cmd.size = 8)
REFUSED(submit_fill_past_end, "SUB-INVAL-2 SUB-INVAL-5",
	"a FILL starting at the end of its BO: EINVAL",
	"SUB-INVAL-2", "bad-command",
	fx->cmd.offset = fx->b.size; fx->cmd.size = 4)
REFUSED(submit_fill_offset_overflow, "SUB-INVAL-2 SUB-INVAL-5",
	"a FILL whose offset + size wraps around 2^64: EINVAL",
	"SUB-INVAL-2", "bad-command",
	fx->cmd.offset = UINT64_MAX - 3; fx->cmd.size = 8)
REFUSED(submit_fill_size_overflow, "SUB-INVAL-2 SUB-INVAL-5",
	"a FILL whose size wraps around 2^64: EINVAL",
	"SUB-INVAL-2", "bad-command",
	fx->cmd.offset = 4; fx->cmd.size = UINT64_MAX - 3)
REFUSED(submit_fill_misaligned, "SUB-INVAL-2 SUB-INVAL-5",
	"a FILL at an offset that is not a multiple of 4: EINVAL",
	"SUB-INVAL-2", "bad-command",
	fx->cmd.offset = 2)
REFUSED(submit_fill_size_misaligned, "SUB-INVAL-2 SUB-INVAL-5",
	"a FILL at an aligned offset whose size is not a multiple of 4: EINVAL",
	"SUB-INVAL-2", "bad-command",
	fx->cmd.size = SZ_4K - 2)
REFUSED(submit_fill_zero_size, "SUB-INVAL-2 SUB-INVAL-5",
	"a FILL of zero bytes: EINVAL",
	"SUB-INVAL-2", "bad-command",
	fx->cmd.size = 0)
REFUSED(submit_copy_src_out_of_bounds, "SUB-INVAL-2 SUB-INVAL-5",
	"a COPY reading past its source BO: EINVAL",
	"SUB-INVAL-2", "bad-command",
	acts_require_engine(dev, ACTS_ENGINE_COPY);
	fx->job.engine = ACTS_ENGINE_COPY; fx->job.nbos = 2;
	fx->cmd = (struct acts_cmd){ .op = ACTS_CMD_COPY, .src = 0, .bo = 1,
				     .src_offset = SZ_4K + 1, .size = SZ_4K })
REFUSED(submit_copy_dst_out_of_bounds, "SUB-INVAL-2 SUB-INVAL-5",
	"a COPY writing past its destination BO: EINVAL",
	"SUB-INVAL-2", "bad-command",
	acts_require_engine(dev, ACTS_ENGINE_COPY);
	fx->job.engine = ACTS_ENGINE_COPY; fx->job.nbos = 2;
	fx->cmd = (struct acts_cmd){ .op = ACTS_CMD_COPY, .src = 0, .bo = 1,
				     .offset = 2 * SZ_4K - 1, .size = 2 })
REFUSED(submit_copy_overflow, "SUB-INVAL-2 SUB-INVAL-5",
	"a COPY whose ranges wrap around 2^64: EINVAL",
	"SUB-INVAL-2", "bad-command",
	acts_require_engine(dev, ACTS_ENGINE_COPY);
	fx->job.engine = ACTS_ENGINE_COPY; fx->job.nbos = 2;
	fx->cmd = (struct acts_cmd){ .op = ACTS_CMD_COPY, .src = 0, .bo = 1,
				     .src_offset = 16, .offset = 16, .size = UINT64_MAX - 8 })
REFUSED(submit_copy_overlap, "SUB-INVAL-2 SUB-INVAL-5",
	"a COPY between overlapping ranges of one BO: EINVAL",
	"SUB-INVAL-2", "bad-command",
	acts_require_engine(dev, ACTS_ENGINE_COPY);
	fx->job.engine = ACTS_ENGINE_COPY;
	fx->cmd = (struct acts_cmd){ .op = ACTS_CMD_COPY, .src = 0, .bo = 0,
				     .src_offset = 0, .offset = 64, .size = 128 })
REFUSED(submit_copy_overlap_two_indices, "SUB-INVAL-2 SUB-INVAL-5 SUB-JOB-5",
	"a COPY between overlapping ranges of one BO listed under two indices: EINVAL",
	"SUB-INVAL-2", "bad-command",
	acts_require_engine(dev, ACTS_ENGINE_COPY);
	fx->job.engine = ACTS_ENGINE_COPY; fx->job.nbos = 2; fx->bos[1] = fx->b.handle;
	fx->cmd = (struct acts_cmd){ .op = ACTS_CMD_COPY, .src = 0, .bo = 1,
				     .src_offset = 0, .offset = 64, .size = 128 })
REFUSED(submit_copy_on_compute_engine, "SUB-INVAL-2 SUB-INVAL-5",
	"a COPY sent to the compute engine: EINVAL",
	"SUB-INVAL-2", "bad-command",
	acts_require_engine(dev, ACTS_ENGINE_COPY);
	fx->job.nbos = 2;
	fx->cmd = (struct acts_cmd){ .op = ACTS_CMD_COPY, .src = 0, .bo = 1, .size = 64 })
REFUSED(submit_timestamp_out_of_bounds, "SUB-INVAL-2 SUB-INVAL-5",
	"a TIMESTAMP past the end of its BO: EINVAL",
	"SUB-INVAL-2", "bad-command",
	fx->cmd = (struct acts_cmd){ .op = ACTS_CMD_TIMESTAMP, .offset = 2 * SZ_4K - 4 })
REFUSED(submit_timestamp_misaligned, "SUB-INVAL-2 SUB-INVAL-5",
	"a TIMESTAMP at an offset that is not a multiple of 8: EINVAL",
	"SUB-INVAL-2", "bad-command",
	fx->cmd = (struct acts_cmd){ .op = ACTS_CMD_TIMESTAMP, .offset = 4 })
REFUSED(submit_in_sync_unknown, "SUB-INVAL-3 SUB-INVAL-5",
	"an unknown input syncobj: ENOENT",
	"SUB-INVAL-3", "unknown-object",
	acts_require_job_syncobjs(dev);
	fx->in.handle = 0xdead)
REFUSED(submit_in_sync_nonzero_flags, "SUB-INVAL-1 SUB-INVAL-5",
	"unknown input sync flags: EINVAL",
	"SUB-INVAL-1", "bad-field",
	acts_require_job_syncobjs(dev);
	fx->in.flags = 1u << 31)
REFUSED(submit_in_sync_no_fence, "SUB-INVAL-3 SUB-INVAL-5",
	"an input syncobj that has no fence yet: EINVAL",
	"SUB-INVAL-3", "no-fence",
	acts_require_job_syncobjs(dev);
	fx->in.handle = acts_syncobj_create(dev, false))
REFUSED(submit_in_sync_future_point, "SUB-INVAL-3 SUB-INVAL-5",
	"an input timeline point not submitted yet: EINVAL",
	"SUB-INVAL-3", "no-fence",
	acts_require_job_syncobjs(dev);
	acts_require_cap(dev, ACTS_CAP_SYNCOBJ_TIMELINE);
	fx->in.handle = acts_syncobj_create(dev, false); fx->in.point = 5)
REFUSED(submit_out_sync_unknown, "SUB-INVAL-3 SUB-INVAL-5",
	"an unknown output syncobj: ENOENT",
	"SUB-INVAL-3", "unknown-object",
	acts_require_job_syncobjs(dev);
	fx->job.out.handle = 0xdead)
REFUSED(submit_out_sync_nonzero_flags, "SUB-INVAL-1 SUB-INVAL-5",
	"unknown output sync flags: EINVAL",
	"SUB-INVAL-1", "bad-field",
	acts_require_job_syncobjs(dev);
	fx->job.out.flags = 1u << 31)
REFUSED(submit_bad_cmds_pointer, "SUB-INVAL-4 SUB-INVAL-5",
	"an unreadable command buffer pointer: EFAULT",
	"SUB-INVAL-4", "bad-pointer",
	fx->job.defect = ACTS_DEFECT_CMDS_FAULT)
REFUSED(submit_bad_bos_pointer, "SUB-INVAL-4 SUB-INVAL-5",
	"an unreadable BO list pointer: EFAULT",
	"SUB-INVAL-4", "bad-pointer",
	fx->job.defect = ACTS_DEFECT_BOS_FAULT)
REFUSED(submit_bad_syncs_pointer, "SUB-INVAL-4 SUB-INVAL-5",
	"an unreadable input sync list pointer: EFAULT",
	"SUB-INVAL-4", "bad-pointer",
	acts_require_job_syncobjs(dev);
	fx->job.defect = ACTS_DEFECT_SYNCS_FAULT)

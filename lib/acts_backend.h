/* SPDX-License-Identifier: MIT */
/*
 * The backend operations table: how the driver-agnostic suite reaches one
 * driver's uapi. Generic code never looks at the driver's name; a missing
 * operation (NULL, or -EOPNOTSUPP from a query) makes the subtests that
 * need it SKIP with a reason.
 */
#ifndef ACTS_BACKEND_H
#define ACTS_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acts_device.h"
#include "acts_mac.h"

/* Device facts a backend may be able to report. */
enum acts_query {
	ACTS_Q_UAPI_VERSION,	/* driver uapi version, (major << 16) | minor */
	ACTS_Q_MEM_SIZE,	/* device memory budget, bytes */
	ACTS_Q_MEM_USED,	/* bytes of it in use by live BOs */
	ACTS_Q_MAX_BO_SIZE,	/* largest BO the driver accepts, bytes */
	ACTS_Q_BO_FLAGS,	/* mask of the BO creation flags it accepts */
	ACTS_Q_ENGINES,		/* mask of the engines it runs jobs on: bit n = enum acts_engine n */
	ACTS_Q_MAX_JOB_BOS,	/* most BOs one job may list */
	ACTS_Q_MAX_JOB_SYNCS,	/* most input syncobjs one job may list */
	ACTS_Q_MAX_CONTEXTS,	/* most live contexts per open file */
	ACTS_Q_TIMESTAMP_FREQ,	/* ticks per second of TIMESTAMP values */
	ACTS_Q_MAC_DTYPES,	/* mask of the MAC types it runs: bit n = enum acts_mac_dtype n */
	ACTS_Q_MAC_MAX_M,	/* largest m, n and k of one MAC command */
	ACTS_Q_MAC_MAX_N,
	ACTS_Q_MAC_MAX_K,
	ACTS_Q_MAX_QUEUED_JOBS,	/* most jobs in flight per open file (more are refused) */
	ACTS_Q_MAX_JOB_FILLS,	/* most FILL commands one job's command buffer holds */
	ACTS_Q_COUNT
};

/* The engines of the profile: where a job can run. */
enum acts_engine {
	ACTS_ENGINE_COMPUTE,	/* runs NOP, FILL, TIMESTAMP (and MAC) */
	ACTS_ENGINE_COPY,	/* the DMA engine: NOP, FILL, TIMESTAMP and COPY */
	ACTS_ENGINE_COUNT
};

enum acts_priority {
	ACTS_PRIO_LOW,
	ACTS_PRIO_NORMAL,
	ACTS_PRIO_HIGH,
	ACTS_PRIO_INVALID,	/* a value the driver must refuse */
};

struct acts_ctx_create {
	enum acts_priority priority;	/* in */
	uint32_t flags;			/* in: must be zero */
	uint32_t pad;			/* in: must be zero */
	/*
	 * in: which of the driver's padding fields gets @pad (0: the first),
	 * for drivers with several; a backend returns -ERANGE, calling
	 * nothing, when it has no padding field of that number.
	 */
	uint32_t pad_field;
	uint32_t id;			/* out */
};

/* The profile's commands. BOs are indices into the job's BO list. */
enum acts_cmd_op {
	ACTS_CMD_NOP,
	ACTS_CMD_FILL,		/* write value to every 32-bit word of [offset, offset + size) of bo */
	ACTS_CMD_COPY,		/* copy size bytes from src at src_offset to bo at offset */
	ACTS_CMD_TIMESTAMP,	/* write the device clock, 64 bits, at offset of bo */
	ACTS_CMD_MAC,		/* tensor multiply-accumulate described by mac (compute engine) */
};

struct acts_cmd {
	enum acts_cmd_op op;
	uint32_t bo;
	uint32_t src;
	uint32_t value;
	uint64_t offset;
	uint64_t src_offset;
	uint64_t size;
	struct acts_mac mac;
};

/* A syncobj, and a timeline point on it (0: binary). */
struct acts_sync {
	uint32_t handle;
	uint32_t flags;		/* must be zero */
	uint64_t point;
};

/*
 * Malformed submissions that only the backend can build, one per field of
 * the driver's command stream and submit arguments. A backend's inval op
 * returns -EOPNOTSUPP for one it cannot express.
 */
enum acts_job_defect {
	ACTS_DEFECT_NONE,
	ACTS_DEFECT_CMDS_EMPTY,		/* a command buffer of zero bytes */
	ACTS_DEFECT_CMDS_TOO_BIG,	/* more commands than the driver's size limit holds */
	ACTS_DEFECT_CMDS_TRUNCATED,	/* the last command cut short */
	ACTS_DEFECT_CMD_UNKNOWN_OPCODE,	/* an opcode the driver does not define */
	ACTS_DEFECT_CMD_BAD_SIZE,	/* a command's own size field is wrong */
	ACTS_DEFECT_CMD_ZERO_SIZE,	/* a command's size field is zero */
	ACTS_DEFECT_CMD_PAD,		/* a must-be-zero field inside a command is set */
	ACTS_DEFECT_CMDS_FAULT,		/* the command buffer pointer is unreadable */
	ACTS_DEFECT_BOS_FAULT,		/* the BO list pointer is unreadable */
	ACTS_DEFECT_SYNCS_FAULT,	/* the input sync list pointer is unreadable */
	ACTS_DEFECT_COUNT
};

/*
 * A job's completion, whatever the driver's shape: a syncobj (binary, or a
 * timeline point, e.g. the context's syncobj at point = seqno), a BO whose
 * reservation carries the job's fence, or a sequence number on a context.
 * Wait on it and read its status with acts_fence_*() (acts_fence.h).
 */
enum acts_fence_kind {
	ACTS_FENCE_NONE,
	ACTS_FENCE_SYNCOBJ,
	ACTS_FENCE_BO,
	ACTS_FENCE_SEQNO,
};

struct acts_fence {
	enum acts_fence_kind kind;
	uint32_t handle;	/* syncobj or BO handle */
	uint32_t ctx;		/* SEQNO: the context the number belongs to */
	uint64_t point;		/* SYNCOBJ: timeline point (0: binary); SEQNO: the number */
	bool owned;		/* made for this job: acts_fence_release() frees it */
	/*
	 * SYNCOBJ timeline points: a binary syncobj holding the point's own
	 * fence, taken at submission (0: none). Once later points signal, the
	 * DRM core answers for an earlier one with a stub fence that has lost
	 * the job's error; this keeps it. Always freed by acts_fence_release().
	 */
	uint32_t status_handle;
};

struct acts_job {
	uint32_t ctx;
	uint32_t engine;		/* enum acts_engine, or anything else to test refusal */
	const struct acts_cmd *cmds;
	unsigned int ncmds;
	const uint32_t *bos;		/* BO handles */
	unsigned int nbos;
	/* Caller's syncobjs: only with ACTS_CAP_JOB_SYNCOBJS (the fences level). */
	const struct acts_sync *in;
	unsigned int nin;
	struct acts_sync out;		/* handle 0: none */
	uint64_t flags;			/* passed as is: must be zero */
	uint32_t pad;			/* copied into the driver's must-be-zero fields */
	enum acts_job_defect defect;
	uint64_t seqno;			/* out */
	struct acts_fence fence;	/* out: the job's completion */
};

/* A job encoded into the driver's submission format; the backend defines it. */
struct acts_encoded;

/* Faults a driver can inject for the recovery level, on the next N events. */
enum acts_fault {
	ACTS_FAULT_ALLOC,	/* BO creation fails with ENOMEM */
	ACTS_FAULT_JOB_ERROR,	/* the job fails: its fence signals with an error */
	ACTS_FAULT_JOB_HANG,	/* the job never completes: timeout, then reset */
	ACTS_FAULT_MAC_CORRUPT,	/* a MAC command computes one wrong result element */
	ACTS_FAULT_COUNT
};

enum acts_counter {
	ACTS_CNT_ALLOC_FAILURES,	/* injected allocation failures that fired */
	ACTS_CNT_JOB_FAILURES,		/* injected job failures that fired */
	ACTS_CNT_HANGS,			/* hangs detected */
	ACTS_CNT_RESETS,		/* engine resets */
	ACTS_CNT_BANNED,		/* contexts banned */
	ACTS_CNT_MAC_CORRUPTIONS,	/* MAC results corrupted on purpose */
	ACTS_CNT_COUNT
};

struct acts_bo_create {
	uint64_t size;		/* in: requested; out: actual */
	uint64_t flags;		/* in: driver BO flags */
	uint32_t pad;		/* in: copied into the driver's must-be-zero field */
	uint32_t handle;	/* out */
};

/* A BO of user memory: [user_ptr, user_ptr + size), both page aligned. */
struct acts_bo_userptr {
	uint64_t user_ptr;	/* in */
	uint64_t size;		/* in: bytes */
	uint64_t flags;		/* in: driver flags; 0 asks for a BO the device reads and writes */
	uint32_t pad;		/* in: copied into the driver's must-be-zero field */
	uint32_t handle;	/* out */
};

struct acts_bo_info {
	uint64_t size;
	uint64_t flags;
	uint64_t mmap_offset;
};

/*
 * What a driver has. A backend declares the capabilities its uapi can
 * express; acts_dev_open() keeps those the device reports at run time (the
 * backend's probe, and the DRM core's GET_CAP for syncobjs and PRIME, and a
 * second open for multi-open). Every acts_require_*() derives from them, and
 * a subtest that needs a missing one SKIPs naming it.
 */
enum acts_cap {
	ACTS_CAP_BO,			/* create BOs and read their size, flags, mmap offset */
	ACTS_CAP_GEM_MMAP,		/* map BOs through the node at their mmap offset */
	ACTS_CAP_PRIME,			/* export and import BOs as dma-bufs */
	ACTS_CAP_MULTI_OPEN,		/* more than one open file at a time */
	ACTS_CAP_PAD_FIELDS,		/* ioctls have must-be-zero fields the suite can set */
	ACTS_CAP_RAW_QUERY,		/* a parameter ioctl with raw ids, for its error paths */
	ACTS_CAP_SUBMIT,		/* submit jobs of the profile's commands */
	ACTS_CAP_CONTEXTS,		/* create and destroy contexts (else one per file) */
	ACTS_CAP_BO_WAIT,		/* wait for a BO's fences with a deadline */
	ACTS_CAP_SYNCOBJ,		/* the DRM core's syncobjs */
	ACTS_CAP_SYNCOBJ_TIMELINE,	/* timeline syncobjs */
	ACTS_CAP_JOB_SYNCOBJS,		/* jobs wait on and signal the caller's syncobjs */
	ACTS_CAP_CTX_SYNCOBJ,		/* jobs signal their context's syncobj at point = seqno */
	ACTS_CAP_FAULT_INJECTION,	/* inject faults, read recovery counters */
	ACTS_CAP_JOB_TIMEOUT,		/* read and set the job timeout */
	ACTS_CAP_ENGINE_RESET,		/* reset an engine on demand */
	ACTS_CAP_MAC,			/* the tensor multiply-accumulate command */
	ACTS_CAP_USERPTR,		/* BOs made of the caller's own (pinned) memory */
	ACTS_CAP_COUNT
};

#define ACTS_CAP_BIT(c) (1ull << (c))

/*
 * A rule's errno where a driver answers otherwise than the profile says
 * (docs/PROFILE.md): the result records the deviation, it is not hidden.
 */
struct acts_errno_deviation {
	const char *rule;	/* rule id, e.g. "SUB-WAIT-1" */
	const char *when;	/* the case of the rule, as in the profile's errno table */
	int err;		/* what the driver returns instead, positive */
	const char *why;	/* one line: the driver's documented behaviour */
};

/*
 * One ioctl a backend issues, as its uapi header defines it: the host-side
 * check (lib/selftests/backend_uapi.c) compares the request's encoded size
 * and number with the argument struct and the driver's command number, so
 * a header whose ABI moved is caught without the device.
 */
struct acts_uapi_ioctl {
	const char *name;	/* "DRM_IOCTL_IVPU_BO_CREATE" */
	unsigned long req;	/* the request as the header encodes it */
	unsigned int nr;	/* the driver's command number (DRM_COMMAND_BASE + nr) */
	unsigned long size;	/* sizeof the argument struct */
	const char *kfunc;	/* the kernel function it reaches */
};

#define ACTS_UAPI_IOCTL(req, nr, type, kfunc) \
	{ #req, (unsigned long)(req), (nr), sizeof(type), (kfunc) }

struct acts_backend {
	const char *name;		/* driver name from DRM_IOCTL_VERSION ("generic": any) */
	const char *alias;		/* a shorter name ACCEL_CTS_BACKEND also takes, or NULL */
	enum acts_node_kind node;	/* the node kind it drives */
	/*
	 * Run against its driver by this project (make check, in the VM):
	 * refaccel, vgem, generic. The others are written from the uapi
	 * header and kernel source and built, but not run here.
	 */
	bool verified;
	const char *uapi_header;	/* the header it was built against, for reports */
	const struct acts_uapi_ioctl *uapi;	/* the ioctls it issues; NULL-name terminated */
	bool any_node;			/* drives accel and render nodes alike (the generic one) */
	const char *notes;		/* what the backend cannot express, for skip reasons */
	uint64_t caps;			/* ACTS_CAP_BIT()s its uapi can express */
	const struct acts_errno_deviation *deviations;	/* NULL-rule terminated, or NULL */

	/*
	 * Called by acts_dev_open(): clear from *caps what this device lacks
	 * and set up dev->be_priv; release() frees it. Both optional.
	 */
	int (*probe)(struct acts_dev *dev, uint64_t *caps);
	void (*release)(struct acts_dev *dev);
	/* A short name of the device's shape for reports, e.g. "bo-wait"; NULL: none. */
	const char *(*variant)(const struct acts_dev *dev);

	/* 0 or -errno; -EOPNOTSUPP when the driver cannot tell. */
	int (*query)(struct acts_dev *dev, enum acts_query q, uint64_t *value);
	/*
	 * ACTS_CAP_RAW_QUERY: the driver's own parameter ioctl with a raw id
	 * and pad value, for its error paths: query_raw_known is an id it
	 * knows, query_raw_unknown one it does not.
	 */
	int (*query_raw)(struct acts_dev *dev, uint32_t param, uint32_t pad, uint64_t *value);
	uint32_t query_raw_known;
	uint32_t query_raw_unknown;

	/* ACTS_CAP_BO */
	int (*bo_create)(struct acts_dev *dev, struct acts_bo_create *args);
	int (*bo_info)(struct acts_dev *dev, uint32_t handle, uint32_t pad,
		       struct acts_bo_info *info);
	/*
	 * ACTS_CAP_USERPTR: make a BO of args->size bytes of the caller's
	 * memory at args->user_ptr, which jobs read and write in place. On
	 * failure args->handle is as the driver left it (failed_outputs_kept).
	 */
	int (*bo_create_userptr)(struct acts_dev *dev, struct acts_bo_userptr *args);
	/*
	 * What a userptr BO allows besides jobs, as the driver documents it:
	 * mapping it through the node at its mmap offset, exporting it as a
	 * dma-buf. A driver that refuses does so every time (MEM-USERPTR-5).
	 */
	bool userptr_mmap;
	bool userptr_export;
	/* The flags bo_create_userptr defines; every other bit must be refused. */
	uint64_t userptr_flags;

	/* Submission level. Engine names are the fdinfo drm-engine-<name> keys. */
	const char *engine_names[ACTS_ENGINE_COUNT];
	/* TIMESTAMP values count CLOCK_MONOTONIC (at ACTS_Q_TIMESTAMP_FREQ). */
	bool timestamps_monotonic;
	/*
	 * A failed call hands back its output fields as the driver left them,
	 * starting from the caller's values (the DRM core copies the argument
	 * back even on failure): query's value, bo_create's size and handle,
	 * bo_info's fields, ctx_create's id, submit's seqno. Without it, a
	 * failed call leaves them alone and the sentinel subtests SKIP.
	 */
	bool failed_outputs_kept;
	/* ACTS_CAP_CONTEXTS */
	int (*ctx_create)(struct acts_dev *dev, struct acts_ctx_create *args);
	int (*ctx_destroy)(struct acts_dev *dev, uint32_t id, uint32_t pad);
	/*
	 * ACTS_CAP_SUBMIT, in three steps: encode the profile's commands into
	 * the driver's format; inval (optional) makes it malformed in one
	 * field; submit hands it to the driver and fills job->seqno and
	 * job->fence. encoded_free() frees what encode made.
	 */
	int (*encode)(struct acts_dev *dev, const struct acts_job *job,
		      struct acts_encoded **enc);
	int (*inval)(struct acts_dev *dev, const struct acts_job *job, struct acts_encoded *enc,
		     enum acts_job_defect defect);
	int (*submit)(struct acts_dev *dev, struct acts_job *job, struct acts_encoded *enc);
	void (*encoded_free)(struct acts_encoded *enc);
	/*
	 * ACTS_CAP_BO_WAIT: wait until every fence of a BO signalled (absolute
	 * CLOCK_MONOTONIC deadline); *status (may be NULL) gets 0 or the first
	 * fence error, as a negative errno.
	 */
	int (*bo_wait)(struct acts_dev *dev, uint32_t handle, int64_t deadline_ns, uint32_t flags,
		       int *status);
	/*
	 * Waiting on fences of kinds the DRM core cannot wait on
	 * (ACTS_FENCE_SEQNO); 0, -ETIME, or -errno. status: 1 signalled,
	 * 0 pending, or the job's -errno.
	 */
	int (*fence_wait)(struct acts_dev *dev, const struct acts_fence *f, int64_t deadline_ns);
	int (*fence_status)(struct acts_dev *dev, const struct acts_fence *f);
	/*
	 * Compute level: the driver implements the MAC contract bit for bit,
	 * so results must equal the golden model's; otherwise they are judged
	 * against the error bound of docs/PROFILE.md.
	 */
	bool mac_bit_exact;

	/* ACTS_CAP_FAULT_INJECTION: usually through debugfs. */
	int (*fault_set)(struct acts_dev *dev, enum acts_fault f, unsigned int count);
	int (*fault_get)(struct acts_dev *dev, enum acts_fault f, unsigned int *remaining);
	int (*counter)(struct acts_dev *dev, enum acts_counter c, uint64_t *value);
	/* ACTS_CAP_JOB_TIMEOUT */
	int (*job_timeout_get)(struct acts_dev *dev, unsigned int *ms);
	int (*job_timeout_set)(struct acts_dev *dev, unsigned int ms);
	/* ACTS_CAP_ENGINE_RESET */
	int (*engine_reset)(struct acts_dev *dev, enum acts_engine e);
	/*
	 * Return the device to its default state: every injected fault
	 * disarmed, the job timeout back to the driver's default. The harness
	 * calls it after any subtest that did not pass, so that a subtest that
	 * died with a fault armed leaves no trace on the next one.
	 */
	int (*defaults_restore)(struct acts_dev *dev);
	/*
	 * Optional: the firmware the device runs, as the driver reports it
	 * (a version string into buf); -ENOENT when the device runs none,
	 * -EOPNOTSUPP (or NULL) when the driver cannot tell. For certificates.
	 */
	int (*firmware_version)(struct acts_dev *dev, char *buf, size_t len);
};

/* The backend of a driver, or NULL. */
const struct acts_backend *acts_backend_for(const char *driver);
/*
 * The backend that drives a node: the driver's own, else the generic one
 * for accel and render nodes (what the DRM core alone can check); NULL for
 * a primary node of a driver without a backend.
 */
const struct acts_backend *acts_backend_for_node(const char *driver, enum acts_node_kind kind);
/* A backend by name ("generic" included), or NULL. */
const struct acts_backend *acts_backend_named(const char *name);
/*
 * 0 when every capability be declares has the operations it needs wired
 * (docs/BACKENDS.md's table), else -EINVAL with the first missing one in why.
 */
int acts_backend_check_ops(const struct acts_backend *be, char *why, size_t len);
/* Backends this build left out, each "name: reason", NULL-terminated. */
extern const char *const acts_backends_left_out[];
/* All backends with a driver, NULL-terminated; then the generic one. */
extern const struct acts_backend *const acts_backends[];
extern const struct acts_backend acts_backend_generic;

#endif

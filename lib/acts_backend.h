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
 * the driver's command stream and submit arguments. A backend returns
 * -EOPNOTSUPP for one it cannot express.
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

struct acts_job {
	uint32_t ctx;
	uint32_t engine;		/* enum acts_engine, or anything else to test refusal */
	const struct acts_cmd *cmds;
	unsigned int ncmds;
	const uint32_t *bos;		/* BO handles */
	unsigned int nbos;
	const struct acts_sync *in;
	unsigned int nin;
	struct acts_sync out;		/* handle 0: no output syncobj */
	uint64_t flags;			/* passed as is: must be zero */
	uint32_t pad;			/* copied into the driver's must-be-zero fields */
	enum acts_job_defect defect;
	uint64_t seqno;			/* out */
};

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

struct acts_bo_info {
	uint64_t size;
	uint64_t flags;
	uint64_t mmap_offset;
};

struct acts_backend {
	const char *name;		/* driver name from DRM_IOCTL_VERSION */
	enum acts_node_kind node;	/* the node kind it drives */
	const char *notes;		/* what the backend cannot express, for skip reasons */
	/* The driver's ioctls have must-be-zero fields that pad reaches. */
	bool has_pad_fields;

	/* 0 or -errno; -EOPNOTSUPP when the driver cannot tell. */
	int (*query)(struct acts_dev *dev, enum acts_query q, uint64_t *value);
	/*
	 * The driver's own parameter ioctl with a raw parameter id and pad
	 * value, for its error paths: query_raw_known is an id it knows,
	 * query_raw_unknown one it does not.
	 */
	int (*query_raw)(struct acts_dev *dev, uint32_t param, uint32_t pad, uint64_t *value);
	uint32_t query_raw_known;
	uint32_t query_raw_unknown;

	int (*bo_create)(struct acts_dev *dev, struct acts_bo_create *args);
	int (*bo_info)(struct acts_dev *dev, uint32_t handle, uint32_t pad,
		       struct acts_bo_info *info);

	/* Submission level. Engine names are the fdinfo drm-engine-<name> keys. */
	const char *engine_names[ACTS_ENGINE_COUNT];
	/* TIMESTAMP values count CLOCK_MONOTONIC (at ACTS_Q_TIMESTAMP_FREQ). */
	bool timestamps_monotonic;
	int (*ctx_create)(struct acts_dev *dev, struct acts_ctx_create *args);
	int (*ctx_destroy)(struct acts_dev *dev, uint32_t id, uint32_t pad);
	int (*submit)(struct acts_dev *dev, struct acts_job *job);
	/* Wait until every fence of a BO signalled; absolute CLOCK_MONOTONIC deadline. */
	int (*bo_wait)(struct acts_dev *dev, uint32_t handle, int64_t deadline_ns, uint32_t flags);
	/*
	 * Compute level: the driver implements the MAC contract bit for bit,
	 * so results must equal the golden model's; otherwise they are judged
	 * against the error bound of docs/PROFILE.md.
	 */
	bool mac_bit_exact;

	/* Recovery level: fault injection, usually through debugfs. */
	int (*fault_set)(struct acts_dev *dev, enum acts_fault f, unsigned int count);
	int (*fault_get)(struct acts_dev *dev, enum acts_fault f, unsigned int *remaining);
	int (*counter)(struct acts_dev *dev, enum acts_counter c, uint64_t *value);
	int (*job_timeout_get)(struct acts_dev *dev, unsigned int *ms);
	int (*job_timeout_set)(struct acts_dev *dev, unsigned int ms);
	int (*engine_reset)(struct acts_dev *dev, enum acts_engine e);
	/*
	 * Return the device to its default state: every injected fault
	 * disarmed, the job timeout back to the driver's default. The harness
	 * calls it after any subtest that did not pass, so that a subtest that
	 * died with a fault armed leaves no trace on the next one.
	 */
	int (*defaults_restore)(struct acts_dev *dev);
};

const struct acts_backend *acts_backend_for(const char *driver);
/* All backends, NULL-terminated. */
extern const struct acts_backend *const acts_backends[];

#endif

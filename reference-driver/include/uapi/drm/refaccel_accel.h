/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Copyright (C) 2026 The accel-cts authors
 */

#ifndef __UAPI_REFACCEL_ACCEL_H__
#define __UAPI_REFACCEL_ACCEL_H__

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: refaccel uapi
 *
 * refaccel is the reference driver of the accel-cts conformance suite: a
 * compute accelerator whose "hardware" is the CPU. It exposes an accel node
 * (/dev/accel/accelN) and implements the common accel uapi profile.
 *
 * Conventions shared by every ioctl below:
 *
 * - Fields are fixed-size and naturally aligned; every structure is a
 *   multiple of 8 bytes.
 * - A field named pad, or a flag bit not defined here, must be zero;
 *   otherwise the ioctl fails with -EINVAL and has no effect.
 * - Sizes are in bytes. Handles are GEM handles local to the open file.
 * - An unknown handle fails with -ENOENT.
 */

/* REFACCEL_UAPI_MAJOR: major version of this interface; bumped on breaking changes. */
#define REFACCEL_UAPI_MAJOR 1
/* REFACCEL_UAPI_MINOR: minor version; bumped when something is added. */
#define REFACCEL_UAPI_MINOR 5

#define DRM_REFACCEL_GET_PARAM		0x00
#define DRM_REFACCEL_BO_CREATE		0x01
#define DRM_REFACCEL_BO_INFO		0x02
#define DRM_REFACCEL_CTX_CREATE		0x03
#define DRM_REFACCEL_CTX_DESTROY	0x04
#define DRM_REFACCEL_SUBMIT		0x05
#define DRM_REFACCEL_BO_WAIT		0x06
#define DRM_REFACCEL_BO_CREATE_USERPTR	0x07

#define DRM_IOCTL_REFACCEL_GET_PARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_REFACCEL_GET_PARAM, struct drm_refaccel_get_param)
#define DRM_IOCTL_REFACCEL_BO_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_REFACCEL_BO_CREATE, struct drm_refaccel_bo_create)
#define DRM_IOCTL_REFACCEL_BO_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_REFACCEL_BO_INFO, struct drm_refaccel_bo_info)
#define DRM_IOCTL_REFACCEL_CTX_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_REFACCEL_CTX_CREATE, struct drm_refaccel_ctx_create)
#define DRM_IOCTL_REFACCEL_CTX_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_REFACCEL_CTX_DESTROY, struct drm_refaccel_ctx_destroy)
#define DRM_IOCTL_REFACCEL_SUBMIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_REFACCEL_SUBMIT, struct drm_refaccel_submit)
#define DRM_IOCTL_REFACCEL_BO_WAIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_REFACCEL_BO_WAIT, struct drm_refaccel_bo_wait)
#define DRM_IOCTL_REFACCEL_BO_CREATE_USERPTR \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_REFACCEL_BO_CREATE_USERPTR, \
		 struct drm_refaccel_bo_create_userptr)

/**
 * enum drm_refaccel_param - parameters readable with DRM_IOCTL_REFACCEL_GET_PARAM
 *
 * @REFACCEL_PARAM_UAPI_VERSION: (REFACCEL_UAPI_MAJOR << 16) | REFACCEL_UAPI_MINOR.
 * @REFACCEL_PARAM_DEVICE_MEMORY_SIZE: device memory budget in bytes. The sum
 *	of the sizes of all BOs created on the device (by every client) never
 *	exceeds it. Set by the mem_budget_mb module parameter.
 * @REFACCEL_PARAM_DEVICE_MEMORY_USED: bytes of the budget charged right now:
 *	the sum of the sizes of the device's live BOs. A BO is charged from its
 *	creation until its last reference (handle, mapping or dma-buf) is gone.
 * @REFACCEL_PARAM_MAX_BO_SIZE: largest size DRM_IOCTL_REFACCEL_BO_CREATE
 *	accepts, in bytes. Never larger than the memory size.
 * @REFACCEL_PARAM_CAPABILITIES: bit mask of REFACCEL_CAP_* flags.
 * @REFACCEL_PARAM_BO_FLAGS: bit mask of the BO creation flags this device
 *	accepts (REFACCEL_BO_*).
 * @REFACCEL_PARAM_ENGINES: bit mask of the engines jobs can be submitted
 *	to: bit n set for engine n of enum drm_refaccel_engine.
 * @REFACCEL_PARAM_MAX_CMDS_SIZE: largest command buffer of one job, in bytes.
 * @REFACCEL_PARAM_MAX_JOB_BOS: most BO handles one job may list.
 * @REFACCEL_PARAM_MAX_JOB_SYNCS: most input syncobjs one job may list.
 * @REFACCEL_PARAM_MAX_CONTEXTS: most live contexts per open file.
 * @REFACCEL_PARAM_TIMESTAMP_FREQUENCY: ticks per second of the values
 *	REFACCEL_CMD_TIMESTAMP writes. refaccel counts nanoseconds of
 *	CLOCK_MONOTONIC, so the value is 1000000000 and timestamps can be
 *	compared with clock_gettime(CLOCK_MONOTONIC).
 * @REFACCEL_PARAM_MAC_DTYPES: bit mask of the data types REFACCEL_CMD_MAC
 *	accepts: bit n set for type n of enum drm_refaccel_mac_dtype. Zero
 *	when REFACCEL_CAP_MAC is not set.
 * @REFACCEL_PARAM_MAC_MAX_M: largest @m of a MAC command.
 * @REFACCEL_PARAM_MAC_MAX_N: largest @n of a MAC command.
 * @REFACCEL_PARAM_MAC_MAX_K: largest @k of a MAC command.
 * @REFACCEL_PARAM_MAX_QUEUED_JOBS: most jobs one open file may have in
 *	flight: submitted, and their fence not signalled yet. A submission
 *	past it fails with -EBUSY and has no effect; once one of the file's
 *	jobs signals, the file may submit again. The bound holds per open
 *	file, whatever its contexts; the kernel memory a job holds is also
 *	charged to the submitter's memory cgroup. (Since uapi 1.3.)
 */
enum drm_refaccel_param {
	REFACCEL_PARAM_UAPI_VERSION = 0,
	REFACCEL_PARAM_DEVICE_MEMORY_SIZE = 1,
	REFACCEL_PARAM_DEVICE_MEMORY_USED = 2,
	REFACCEL_PARAM_MAX_BO_SIZE = 3,
	REFACCEL_PARAM_CAPABILITIES = 4,
	REFACCEL_PARAM_BO_FLAGS = 5,
	REFACCEL_PARAM_ENGINES = 6,
	REFACCEL_PARAM_MAX_CMDS_SIZE = 7,
	REFACCEL_PARAM_MAX_JOB_BOS = 8,
	REFACCEL_PARAM_MAX_JOB_SYNCS = 9,
	REFACCEL_PARAM_MAX_CONTEXTS = 10,
	REFACCEL_PARAM_TIMESTAMP_FREQUENCY = 11,
	REFACCEL_PARAM_MAC_DTYPES = 12,
	REFACCEL_PARAM_MAC_MAX_M = 13,
	REFACCEL_PARAM_MAC_MAX_N = 14,
	REFACCEL_PARAM_MAC_MAX_K = 15,
	REFACCEL_PARAM_MAX_QUEUED_JOBS = 16,
};

/* REFACCEL_CAP_PRIME: BOs can be exported and imported as dma-bufs. */
#define REFACCEL_CAP_PRIME		(1ULL << 0)
/* REFACCEL_CAP_FDINFO: the node publishes drm-memory-* keys in fdinfo. */
#define REFACCEL_CAP_FDINFO		(1ULL << 1)
/*
 * REFACCEL_CAP_SUBMIT: DRM_IOCTL_REFACCEL_SUBMIT and BO_WAIT work, on the
 * contexts REFACCEL_CAP_CONTEXTS describes.
 */
#define REFACCEL_CAP_SUBMIT		(1ULL << 2)
/* REFACCEL_CAP_MAC: REFACCEL_CMD_MAC is implemented on the compute engine. */
#define REFACCEL_CAP_MAC		(1ULL << 3)
/*
 * REFACCEL_CAP_CONTEXTS: DRM_IOCTL_REFACCEL_CTX_CREATE and CTX_DESTROY
 * exist. Without it they fail with -EOPNOTSUPP, and each open file has one
 * implicit context of normal priority, created with the file and destroyed
 * when it closes: SUBMIT names it with ctx_id 0 and refuses any other id
 * with -EINVAL. It is banned after a hang like any other context: later
 * submissions on the file fail with -ECANCELED; open the node again to get
 * a new one. (Since uapi 1.4, like every bit below.)
 */
#define REFACCEL_CAP_CONTEXTS		(1ULL << 4)
/*
 * REFACCEL_CAP_JOB_SYNCOBJS: SUBMIT takes input syncobjs and an output
 * syncobj. Without it, SUBMIT refuses a non-zero in_sync_count or
 * out_sync handle with -EINVAL; completion is then observed with
 * DRM_IOCTL_REFACCEL_BO_WAIT on a BO of the job, or through
 * REFACCEL_CAP_CTX_SYNCOBJ. The DRM core's syncobj ioctls work on the node
 * when this bit or REFACCEL_CAP_CTX_SYNCOBJ is set (DRM_CAP_SYNCOBJ and
 * DRM_CAP_SYNCOBJ_TIMELINE say so too); with neither, they fail with
 * -EOPNOTSUPP.
 */
#define REFACCEL_CAP_JOB_SYNCOBJS	(1ULL << 5)
/*
 * REFACCEL_CAP_CTX_SYNCOBJ: DRM_IOCTL_REFACCEL_CTX_CREATE creates a
 * timeline syncobj with the context and returns its handle in
 * &drm_refaccel_ctx_create.syncobj_handle; each job of the context signals
 * the point that equals its &drm_refaccel_submit.seqno on it (see there).
 * The syncobj core ioctls work on the node.
 */
#define REFACCEL_CAP_CTX_SYNCOBJ	(1ULL << 6)
/*
 * REFACCEL_CAP_SINGLE_OPEN: the node can be open by one file at a time.
 * open() fails with -EBUSY while another open file of the node exists (a
 * file lives until its last descriptor and mapping are gone), and works
 * again once it is closed.
 */
#define REFACCEL_CAP_SINGLE_OPEN	(1ULL << 7)
/*
 * REFACCEL_CAP_USERPTR: DRM_IOCTL_REFACCEL_BO_CREATE_USERPTR makes a BO of
 * ordinary user memory. (Since uapi 1.5.)
 */
#define REFACCEL_CAP_USERPTR		(1ULL << 8)

/**
 * struct drm_refaccel_get_param - read one device parameter
 *
 * Errors: -EINVAL for an unknown @param or a non-zero @pad.
 */
struct drm_refaccel_get_param {
	/** @param: in, one of enum drm_refaccel_param. */
	__u32 param;
	/** @pad: must be zero. */
	__u32 pad;
	/** @value: out, the parameter's value. */
	__u64 value;
};

/*
 * REFACCEL_BO_WC: map the BO write-combined on the CPU instead of cached.
 * It changes the CPU mapping only, never the contents.
 */
#define REFACCEL_BO_WC			(1ULL << 0)
/*
 * REFACCEL_BO_USERPTR: reported by DRM_IOCTL_REFACCEL_BO_INFO for a BO made
 * by DRM_IOCTL_REFACCEL_BO_CREATE_USERPTR; DRM_IOCTL_REFACCEL_BO_CREATE
 * refuses it with -EINVAL. (Since uapi 1.5.)
 */
#define REFACCEL_BO_USERPTR		(1ULL << 1)
/* REFACCEL_BO_FLAGS_VALID: every flag DRM_IOCTL_REFACCEL_BO_CREATE accepts. */
#define REFACCEL_BO_FLAGS_VALID		(REFACCEL_BO_WC)

/**
 * struct drm_refaccel_bo_create - create a buffer object
 *
 * Creates a zero-filled BO backed by shmem and returns a handle to it. The
 * size is rounded up to a multiple of the CPU page size, and the rounded size
 * is charged against the device memory budget for the BO's whole lifetime,
 * and to the caller's cgroup in the device's dmem region ("drm/<device>/mem")
 * where the kernel has the dmem controller.
 *
 * Errors: -EINVAL for a zero @size, a @size that overflows when rounded up,
 * or larger than REFACCEL_PARAM_MAX_BO_SIZE, for unknown @flags or a non-zero
 * @pad; -ENOSPC when the budget cannot hold the BO or the caller's cgroup
 * would go past its dmem.max for the device; -ENOMEM when the kernel
 * is out of memory. On error no BO is created and nothing is charged.
 */
struct drm_refaccel_bo_create {
	/** @size: in, requested size in bytes; out, the rounded-up size. */
	__u64 size;
	/** @flags: in, REFACCEL_BO_* flags. */
	__u64 flags;
	/** @handle: out, GEM handle of the new BO. */
	__u32 handle;
	/** @pad: must be zero. */
	__u32 pad;
};

/**
 * struct drm_refaccel_bo_info - describe a buffer object
 *
 * Returns the BO's size and flags and the fake offset to pass to mmap() on
 * the accel node to map it. Mapping more than @size bytes from @mmap_offset
 * fails.
 *
 * Errors: -ENOENT for an unknown @handle; -EINVAL for a non-zero @pad.
 */
struct drm_refaccel_bo_info {
	/** @handle: in, GEM handle. */
	__u32 handle;
	/** @pad: must be zero. */
	__u32 pad;
	/** @size: out, size in bytes (a multiple of the page size). */
	__u64 size;
	/**
	 * @mmap_offset: out, offset for mmap() on the accel node; 0 for a
	 * userptr BO (REFACCEL_BO_USERPTR), which has no mapping through the
	 * node: the CPU uses the user memory it was made of.
	 */
	__u64 mmap_offset;
	/** @flags: out, the REFACCEL_BO_* flags the BO was created with. */
	__u64 flags;
};

/**
 * enum drm_refaccel_engine - the engines of a refaccel device
 *
 * Each engine runs its jobs one at a time, in the order its scheduler picks
 * them, and has its own job timeout and reset.
 *
 * @REFACCEL_ENGINE_COMPUTE: runs NOP, FILL, TIMESTAMP and MAC commands.
 * @REFACCEL_ENGINE_COPY: the DMA engine; runs NOP, FILL, TIMESTAMP and COPY.
 * @REFACCEL_ENGINE_COUNT: number of engines.
 */
enum drm_refaccel_engine {
	REFACCEL_ENGINE_COMPUTE = 0,
	REFACCEL_ENGINE_COPY = 1,
	REFACCEL_ENGINE_COUNT = 2,
};

/**
 * enum drm_refaccel_priority - scheduling priority of a context
 *
 * When jobs of several contexts are ready on one engine, the scheduler picks
 * those of the higher priority first.
 *
 * @REFACCEL_PRIORITY_LOW: background work.
 * @REFACCEL_PRIORITY_NORMAL: the default.
 * @REFACCEL_PRIORITY_HIGH: latency-sensitive work; needs CAP_SYS_NICE.
 */
enum drm_refaccel_priority {
	REFACCEL_PRIORITY_LOW = 0,
	REFACCEL_PRIORITY_NORMAL = 1,
	REFACCEL_PRIORITY_HIGH = 2,
};

/**
 * struct drm_refaccel_ctx_create - create a context
 *
 * A context is the unit of submission, ordering and fault isolation. Jobs of
 * one context on one engine run in submission order. A context whose job
 * hangs is banned: its queued jobs are cancelled and later submissions on
 * it fail with -ECANCELED. Context ids are local to the open file.
 *
 * On a device with REFACCEL_CAP_CTX_SYNCOBJ, a timeline syncobj is created
 * with the context and its handle returned in @syncobj_handle; every job of
 * the context signals the point @seqno of its submission on it. The handle
 * belongs to the file, not to the context: it stays valid after the context
 * is destroyed (its points then signal as the context's jobs end, cancelled
 * ones with an error), until userspace closes it with
 * DRM_IOCTL_SYNCOBJ_DESTROY or the file is closed.
 *
 * The structure was 16 bytes before uapi 1.4: userspace built against the
 * older header still works (the DRM core zero-extends its arguments), it
 * just does not receive @syncobj_handle.
 *
 * Errors: -EOPNOTSUPP without REFACCEL_CAP_CONTEXTS; -EINVAL for an unknown
 * @priority, non-zero @flags, @pad or @pad2; -EACCES for
 * REFACCEL_PRIORITY_HIGH without CAP_SYS_NICE; -ENOSPC when the file
 * already has REFACCEL_PARAM_MAX_CONTEXTS contexts.
 */
struct drm_refaccel_ctx_create {
	/** @priority: in, one of enum drm_refaccel_priority. */
	__u32 priority;
	/** @flags: in, must be zero. */
	__u32 flags;
	/** @ctx_id: out, id of the new context, never zero. */
	__u32 ctx_id;
	/** @pad: must be zero. */
	__u32 pad;
	/**
	 * @syncobj_handle: out, with REFACCEL_CAP_CTX_SYNCOBJ the handle of the
	 * context's timeline syncobj, otherwise 0. (Since uapi 1.4.)
	 */
	__u32 syncobj_handle;
	/** @pad2: must be zero. */
	__u32 pad2;
};

/**
 * struct drm_refaccel_ctx_destroy - destroy a context
 *
 * A job of the context that is running is stopped: the engine checks for
 * this between commands, after every page a FILL or COPY writes and after
 * every result element of a MAC, and the job's fence signals -ECANCELED
 * (the commands before it ran, the one it interrupted ran in part). Jobs
 * still queued are cancelled: their fences signal with an error once their
 * own dependencies have signalled. No fence is ever left unsignalled.
 * Closing the file, or the exit of the process that holds it, destroys all
 * of its contexts the same way, so the engines are free for other clients
 * within that bound. A job hung by fault injection ignores the stop, like
 * hung hardware, and ends at the job timeout.
 *
 * A syncobj created with the context (REFACCEL_CAP_CTX_SYNCOBJ) is not
 * destroyed: its handle stays valid until DRM_IOCTL_SYNCOBJ_DESTROY.
 *
 * Errors: -EOPNOTSUPP without REFACCEL_CAP_CONTEXTS; -ENOENT for an unknown
 * @ctx_id; -EINVAL for a non-zero @pad.
 */
struct drm_refaccel_ctx_destroy {
	/** @ctx_id: in, the context to destroy. */
	__u32 ctx_id;
	/** @pad: must be zero. */
	__u32 pad;
};

/**
 * DOC: refaccel command stream
 *
 * A job's command buffer is a sequence of commands, each starting with a
 * struct drm_refaccel_cmd_header whose @size is the size of the whole
 * command. Commands run in order. BOs are named by their index in the job's
 * BO list (&drm_refaccel_submit.bo_handles), never by handle, so a job can
 * only touch BOs it declares. Every range must lie inside its BO; the kernel
 * checks this at submission, with overflow-safe arithmetic.
 */

/* REFACCEL_CMD_NOP: does nothing (struct drm_refaccel_cmd_header only). */
#define REFACCEL_CMD_NOP		1
/* REFACCEL_CMD_FILL: struct drm_refaccel_cmd_fill. */
#define REFACCEL_CMD_FILL		2
/* REFACCEL_CMD_COPY: struct drm_refaccel_cmd_copy; copy engine only. */
#define REFACCEL_CMD_COPY		3
/* REFACCEL_CMD_TIMESTAMP: struct drm_refaccel_cmd_timestamp. */
#define REFACCEL_CMD_TIMESTAMP		4
/*
 * REFACCEL_CMD_MAC: struct drm_refaccel_cmd_mac, compute engine only.
 * Rejected with -EOPNOTSUPP unless REFACCEL_CAP_MAC is set.
 */
#define REFACCEL_CMD_MAC		5

/**
 * struct drm_refaccel_cmd_header - first 8 bytes of every command
 */
struct drm_refaccel_cmd_header {
	/** @opcode: one of REFACCEL_CMD_*. */
	__u32 opcode;
	/** @size: size of the whole command in bytes; exactly that of its struct. */
	__u32 size;
};

/**
 * struct drm_refaccel_cmd_fill - fill a range of a BO with a 32-bit pattern
 *
 * Writes @value, in CPU byte order, to every 4-byte word of the range.
 */
struct drm_refaccel_cmd_fill {
	/** @hdr: opcode REFACCEL_CMD_FILL. */
	struct drm_refaccel_cmd_header hdr;
	/** @bo_index: index of the BO in the job's BO list. */
	__u32 bo_index;
	/** @value: the pattern. */
	__u32 value;
	/** @offset: start of the range in bytes; a multiple of 4. */
	__u64 offset;
	/** @size: length of the range in bytes; a non-zero multiple of 4. */
	__u64 size;
};

/**
 * struct drm_refaccel_cmd_copy - copy bytes from one BO range to another
 *
 * The ranges may be in the same BO but must not overlap.
 */
struct drm_refaccel_cmd_copy {
	/** @hdr: opcode REFACCEL_CMD_COPY. */
	struct drm_refaccel_cmd_header hdr;
	/** @src_index: index of the source BO in the job's BO list. */
	__u32 src_index;
	/** @dst_index: index of the destination BO in the job's BO list. */
	__u32 dst_index;
	/** @src_offset: start of the source range in bytes. */
	__u64 src_offset;
	/** @dst_offset: start of the destination range in bytes. */
	__u64 dst_offset;
	/** @size: bytes to copy; not zero. */
	__u64 size;
};

/**
 * struct drm_refaccel_cmd_timestamp - write the device clock into a BO
 *
 * Writes the current device time as a __u64 in CPU byte order. The clock's
 * frequency is REFACCEL_PARAM_TIMESTAMP_FREQUENCY.
 */
struct drm_refaccel_cmd_timestamp {
	/** @hdr: opcode REFACCEL_CMD_TIMESTAMP. */
	struct drm_refaccel_cmd_header hdr;
	/** @bo_index: index of the BO in the job's BO list. */
	__u32 bo_index;
	/** @pad: must be zero. */
	__u32 pad;
	/** @offset: where to write, in bytes; a multiple of 8. */
	__u64 offset;
};

/**
 * DOC: refaccel MAC arithmetic
 *
 * REFACCEL_CMD_MAC computes C = A · B, or C = C + A · B with
 * REFACCEL_MAC_ACCUMULATE, where A is M×K, B is K×N and C is M×N. Every
 * result element is computed the same way, in this order:
 *
 * - Integer types: the accumulator starts at C (accumulate) or 0, and the
 *   products A[i][k]·B[k][j] are added for k from 0 to K-1 in 32-bit two's
 *   complement arithmetic. Overflow wraps modulo 2^32; it is not an error.
 * - Floating-point types: fp16 and bf16 inputs are first converted to fp32,
 *   which is exact. The accumulator starts at C (accumulate) or -0.0, the
 *   additive identity. For k from 0 to K-1, the product is rounded to fp32,
 *   then the sum with the accumulator is rounded to fp32: IEEE 754 binary32
 *   multiplication and addition, round to nearest, ties to even, with no
 *   fused multiply-add. Subnormal inputs and results are kept (no flush to
 *   zero); signed zeros follow IEEE 754 (-0.0 + -0.0 is -0.0, x + -x is
 *   +0.0); overflow gives ±infinity; 0·∞ and ∞ + -∞ give NaN; a NaN
 *   anywhere gives NaN. Every NaN result is stored as the canonical quiet
 *   NaN 0x7fc00000, whatever the NaN inputs were.
 *
 * A userspace model that does the same operations in the same order, with
 * fp32 arithmetic that is not contracted or reordered, gets the same bits.
 */

/**
 * enum drm_refaccel_mac_dtype - element types of a MAC command
 *
 * @REFACCEL_MAC_INT8: int8 A and B, int32 C.
 * @REFACCEL_MAC_UINT8: uint8 A and B, uint32 C (wrapping like int32).
 * @REFACCEL_MAC_FP16: IEEE 754 binary16 A and B, fp32 C.
 * @REFACCEL_MAC_BF16: bfloat16 (the upper half of an fp32) A and B, fp32 C.
 * @REFACCEL_MAC_FP32: IEEE 754 binary32 A, B and C.
 * @REFACCEL_MAC_DTYPE_COUNT: number of types.
 */
enum drm_refaccel_mac_dtype {
	REFACCEL_MAC_INT8 = 0,
	REFACCEL_MAC_UINT8 = 1,
	REFACCEL_MAC_FP16 = 2,
	REFACCEL_MAC_BF16 = 3,
	REFACCEL_MAC_FP32 = 4,
	REFACCEL_MAC_DTYPE_COUNT = 5,
};

/* REFACCEL_MAC_ACCUMULATE: add A · B to C instead of overwriting C. */
#define REFACCEL_MAC_ACCUMULATE		(1U << 0)
/* REFACCEL_MAC_TRANSPOSE_B: B is stored as its transpose, N rows of K elements. */
#define REFACCEL_MAC_TRANSPOSE_B	(1U << 1)
/* REFACCEL_MAC_FLAGS_VALID: every flag a MAC command accepts. */
#define REFACCEL_MAC_FLAGS_VALID	(REFACCEL_MAC_ACCUMULATE | REFACCEL_MAC_TRANSPOSE_B)

/**
 * struct drm_refaccel_cmd_mac - tensor multiply-accumulate
 *
 * Matrices are stored row by row: row r of a matrix starts at its offset
 * plus r times its stride, and the elements of a row are contiguous. A has
 * M rows of K elements, B has K rows of N elements (N rows of K elements
 * with REFACCEL_MAC_TRANSPOSE_B), C has M rows of N elements of 4 bytes.
 * The bytes between the end of a row and the next row are never touched.
 *
 * Rules, each failing with -EINVAL: @dtype must be one the device reports in
 * REFACCEL_PARAM_MAC_DTYPES, @flags only REFACCEL_MAC_FLAGS_VALID bits; @m,
 * @n and @k from 1 to their REFACCEL_PARAM_MAC_MAX_*; each offset and stride
 * a multiple of its element size; each stride at least the bytes of a row;
 * each matrix, from its offset to the end of its last row, inside its BO;
 * C must not overlap A or B when they are in the same BO (A and B may
 * overlap each other). The arithmetic is described in "refaccel MAC
 * arithmetic" above.
 */
struct drm_refaccel_cmd_mac {
	/** @hdr: opcode REFACCEL_CMD_MAC. */
	struct drm_refaccel_cmd_header hdr;
	/** @dtype: one of enum drm_refaccel_mac_dtype. */
	__u32 dtype;
	/** @flags: REFACCEL_MAC_* flags. */
	__u32 flags;
	/** @m: rows of A and C. */
	__u32 m;
	/** @n: columns of B and C. */
	__u32 n;
	/** @k: columns of A, rows of B. */
	__u32 k;
	/** @a_index: index of A's BO in the job's BO list. */
	__u32 a_index;
	/** @b_index: index of B's BO in the job's BO list. */
	__u32 b_index;
	/** @c_index: index of C's BO in the job's BO list. */
	__u32 c_index;
	/** @a_offset: byte offset of A in its BO. */
	__u64 a_offset;
	/** @b_offset: byte offset of B in its BO. */
	__u64 b_offset;
	/** @c_offset: byte offset of C in its BO. */
	__u64 c_offset;
	/** @a_stride: bytes from one row of A to the next. */
	__u64 a_stride;
	/** @b_stride: bytes from one row of B (as stored) to the next. */
	__u64 b_stride;
	/** @c_stride: bytes from one row of C to the next. */
	__u64 c_stride;
};

/**
 * struct drm_refaccel_sync - a syncobj and, for a timeline, a point on it
 */
struct drm_refaccel_sync {
	/** @handle: syncobj handle. */
	__u32 handle;
	/** @flags: must be zero. */
	__u32 flags;
	/** @point: timeline point, or 0 for a binary syncobj. */
	__u64 point;
};

/* REFACCEL_SUBMIT_FLAGS_VALID: no submit flag is defined yet. */
#define REFACCEL_SUBMIT_FLAGS_VALID	0

/**
 * struct drm_refaccel_submit - queue a job on an engine
 *
 * The job runs after every input fence and every fence already attached to
 * its BOs (implicit sync) has signalled. Its fence is then attached to every
 * BO of the list as a write fence, and installed in @out_sync if given. The
 * fence signals with an error if the job fails, is cancelled or hangs.
 *
 * Every job is bounded in time by the engine's job timeout (5 s unless the
 * job_timeout_ms module parameter or debugfs file says otherwise), counted
 * from the moment it starts on the engine: a job that hangs, or is still
 * running when the timeout expires, is stopped; its fence signals
 * -ETIMEDOUT, it counts as a hang and its context is banned. Jobs queued
 * behind it, of other contexts, then run as usual.
 *
 * A file has at most REFACCEL_PARAM_MAX_QUEUED_JOBS jobs in flight; a
 * submission past that fails with -EBUSY: wait for one of the file's
 * fences and submit again.
 *
 * Devices without REFACCEL_CAP_JOB_SYNCOBJS refuse input syncs and an
 * output syncobj; devices without REFACCEL_CAP_CONTEXTS take ctx_id 0, the
 * file's implicit context, and no other (see the REFACCEL_CAP_* bits).
 *
 * Errors, each with no effect: -EINVAL for unknown @flags, a non-zero @pad,
 * an unknown @engine, @cmds_size zero, not a multiple of 8 or larger than
 * REFACCEL_PARAM_MAX_CMDS_SIZE, more than REFACCEL_PARAM_MAX_JOB_BOS BOs or
 * REFACCEL_PARAM_MAX_JOB_SYNCS input syncs, non-zero sync flags, syncs on
 * a device without REFACCEL_CAP_JOB_SYNCOBJS, a @ctx_id other than 0
 * without REFACCEL_CAP_CONTEXTS, and for any
 * malformed command (unknown opcode, wrong size, non-zero pad, a BO index
 * out of the list, a misaligned or out-of-bounds range, an opcode the engine
 * does not run); -EOPNOTSUPP for a command the device does not implement;
 * -ENOENT for an unknown context, BO or syncobj handle; -EINVAL for an input
 * syncobj that has no fence yet; -ECANCELED when the context is banned;
 * -EBUSY when the file already has REFACCEL_PARAM_MAX_QUEUED_JOBS jobs in
 * flight; -EFAULT for an unreadable user pointer.
 *
 * Every refusal of this and the other ioctls is explained in the kernel log
 * when DRM driver debugging is on (echo 0x2 > /sys/module/drm/parameters/debug).
 */
struct drm_refaccel_submit {
	/** @cmds: in, user pointer to the command buffer. */
	__u64 cmds;
	/** @bo_handles: in, user pointer to @bo_count __u32 BO handles. */
	__u64 bo_handles;
	/** @in_syncs: in, user pointer to @in_sync_count struct drm_refaccel_sync. */
	__u64 in_syncs;
	/** @flags: in, must be zero. */
	__u64 flags;
	/**
	 * @seqno: out, the job's sequence number, increasing within a context
	 * and engine. With REFACCEL_CAP_CTX_SYNCOBJ it counts the context's
	 * jobs on every engine from 1, and is the point the job signals on the
	 * context's syncobj: one timeline needs points that increase in
	 * submission order, which per-engine numbers would not give.
	 */
	__u64 seqno;
	/** @out_sync: in, syncobj to receive the job's fence; handle 0 for none. */
	struct drm_refaccel_sync out_sync;
	/** @ctx_id: in, the context. */
	__u32 ctx_id;
	/** @engine: in, one of enum drm_refaccel_engine. */
	__u32 engine;
	/** @cmds_size: in, size of the command buffer in bytes. */
	__u32 cmds_size;
	/** @bo_count: in, number of BO handles; may be zero. */
	__u32 bo_count;
	/** @in_sync_count: in, number of input syncs; may be zero. */
	__u32 in_sync_count;
	/** @pad: must be zero. */
	__u32 pad;
};

/**
 * struct drm_refaccel_bo_wait - wait until a BO is idle
 *
 * Waits until every fence attached to the BO has signalled, whatever its
 * status. A deadline already past only tests: 0 if idle, -ETIME if busy.
 * When the wait succeeds, @status tells whether the work that last used the
 * BO failed: a job's fence stays attached to each BO of its list until a
 * later job of the same context replaces it, so a BO of the job shows the
 * job's error (like ivpu's job_status), which is the only way to read it on
 * a device without REFACCEL_CAP_JOB_SYNCOBJS.
 *
 * Since uapi 1.4 the ioctl is DRM_IOWR and the structure has @status and
 * @pad; userspace built against the older 16-byte DRM_IOW definition still
 * works, the DRM core zero-extends its arguments and copies nothing back.
 *
 * Errors: -ENOENT for an unknown @handle; -EINVAL for non-zero @flags or
 * @pad; -ETIME when the deadline passes first; -EINTR or -ERESTARTSYS when
 * a signal arrives.
 */
struct drm_refaccel_bo_wait {
	/** @handle: in, GEM handle. */
	__u32 handle;
	/** @flags: in, must be zero. */
	__u32 flags;
	/** @timeout_ns: in, absolute deadline on CLOCK_MONOTONIC, in nanoseconds. */
	__s64 timeout_ns;
	/**
	 * @status: out, when the ioctl returns 0: 0 if every fence attached to
	 * the BO signalled without error, otherwise the first negative errno
	 * among them (-EIO for a failed job, -ETIMEDOUT for a hung one,
	 * -ECANCELED for a cancelled one). 0 when the ioctl fails.
	 * (Since uapi 1.4.)
	 */
	__s32 status;
	/** @pad: must be zero. */
	__u32 pad;
};

/**
 * struct drm_refaccel_bo_create_userptr - make a BO of user memory
 *
 * Pins the pages of [@user_ptr, @user_ptr + @size) in the caller's address
 * space for the BO's whole lifetime and returns a handle to a BO made of
 * them: jobs read and write the user memory itself, with no copy, and what
 * one side writes the other sees once the job's fence has signalled. The
 * device writes the pages, so the range must be writable; it must be
 * ordinary memory (anonymous, or shmem/tmpfs): the pages of a file that
 * needs writeback (ext4, ...), of DAX, or of a device mapping (such as a
 * BO's own mmap()) cannot be pinned for long.
 *
 * @size is charged against the device memory budget and the caller's dmem
 * cgroup, like a created BO, until the BO's last reference is gone; then
 * the pages are unpinned (and marked dirty) and the charge returned. The memory stays the caller's
 * throughout: unmapping the range while the BO lives does not free the
 * pages, and the BO keeps them, not whatever is mapped there later.
 *
 * A userptr BO has no mmap offset (DRM_IOCTL_REFACCEL_BO_INFO reports 0 and
 * the REFACCEL_BO_USERPTR flag) and cannot be exported: PRIME export fails
 * with -EOPNOTSUPP, because a dma-buf would outlive the pinning process's
 * claim on the memory in ways the exporter cannot bound.
 *
 * Needs REFACCEL_CAP_USERPTR. (Since uapi 1.5.)
 *
 * Errors: -EINVAL for non-zero @flags or @pad, a zero @size, a @user_ptr or
 * @size that is not a multiple of the page size, or a @size larger than
 * REFACCEL_PARAM_MAX_BO_SIZE; -EFAULT when the range wraps or goes past the
 * user address space, when part of it is not mapped, is mapped read-only,
 * or is a file, device or special mapping that cannot be pinned for long;
 * -EOPNOTSUPP for DAX memory; -ENOSPC when the budget cannot hold @size
 * more bytes or the caller's cgroup would go past its dmem.max; -ENOMEM
 * when the kernel is out of memory. On error no BO is created, nothing
 * stays pinned or charged, and @handle is left as it was.
 */
struct drm_refaccel_bo_create_userptr {
	/** @user_ptr: in, start of the range, a multiple of the page size. */
	__u64 user_ptr;
	/** @size: in, length in bytes, a non-zero multiple of the page size. */
	__u64 size;
	/** @flags: in, must be zero (reserved for future use). */
	__u64 flags;
	/** @handle: out, GEM handle of the new BO. */
	__u32 handle;
	/** @pad: must be zero. */
	__u32 pad;
};

#if defined(__cplusplus)
}
#endif

#endif /* __UAPI_REFACCEL_ACCEL_H__ */

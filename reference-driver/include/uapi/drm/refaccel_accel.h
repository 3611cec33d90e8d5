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
#define REFACCEL_UAPI_MINOR 0

#define DRM_REFACCEL_GET_PARAM		0x00
#define DRM_REFACCEL_BO_CREATE		0x01
#define DRM_REFACCEL_BO_INFO		0x02

#define DRM_IOCTL_REFACCEL_GET_PARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_REFACCEL_GET_PARAM, struct drm_refaccel_get_param)
#define DRM_IOCTL_REFACCEL_BO_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_REFACCEL_BO_CREATE, struct drm_refaccel_bo_create)
#define DRM_IOCTL_REFACCEL_BO_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_REFACCEL_BO_INFO, struct drm_refaccel_bo_info)

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
 */
enum drm_refaccel_param {
	REFACCEL_PARAM_UAPI_VERSION = 0,
	REFACCEL_PARAM_DEVICE_MEMORY_SIZE = 1,
	REFACCEL_PARAM_DEVICE_MEMORY_USED = 2,
	REFACCEL_PARAM_MAX_BO_SIZE = 3,
	REFACCEL_PARAM_CAPABILITIES = 4,
	REFACCEL_PARAM_BO_FLAGS = 5,
};

/* REFACCEL_CAP_PRIME: BOs can be exported and imported as dma-bufs. */
#define REFACCEL_CAP_PRIME		(1ULL << 0)
/* REFACCEL_CAP_FDINFO: the node publishes drm-memory-* keys in fdinfo. */
#define REFACCEL_CAP_FDINFO		(1ULL << 1)

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
/* REFACCEL_BO_FLAGS_VALID: every flag DRM_IOCTL_REFACCEL_BO_CREATE accepts. */
#define REFACCEL_BO_FLAGS_VALID		(REFACCEL_BO_WC)

/**
 * struct drm_refaccel_bo_create - create a buffer object
 *
 * Creates a zero-filled BO backed by shmem and returns a handle to it. The
 * size is rounded up to a multiple of the CPU page size, and the rounded size
 * is charged against the device memory budget for the BO's whole lifetime.
 *
 * Errors: -EINVAL for a zero @size, a @size that overflows when rounded up,
 * or larger than REFACCEL_PARAM_MAX_BO_SIZE, for unknown @flags or a non-zero
 * @pad; -ENOSPC when the budget cannot hold the BO; -ENOMEM when the kernel
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
	/** @mmap_offset: out, offset for mmap() on the accel node. */
	__u64 mmap_offset;
	/** @flags: out, the REFACCEL_BO_* flags the BO was created with. */
	__u64 flags;
};

#if defined(__cplusplus)
}
#endif

#endif /* __UAPI_REFACCEL_ACCEL_H__ */

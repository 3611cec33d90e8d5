/* SPDX-License-Identifier: MIT */
/*
 * Buffer objects and device queries through the backend, plus the DRM core
 * calls every driver shares (GEM_CLOSE, PRIME).
 *
 * __acts_foo() returns 0 or -errno; acts_foo() asserts success;
 * acts_require_foo() skips when the driver cannot do foo.
 */
#ifndef ACTS_GEM_H
#define ACTS_GEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acts_backend.h"
#include "acts_caps.h"

int __acts_query(struct acts_dev *dev, enum acts_query q, uint64_t *value);
bool acts_has_query(struct acts_dev *dev, enum acts_query q);
uint64_t acts_query(struct acts_dev *dev, enum acts_query q);
uint64_t acts_require_query(struct acts_dev *dev, enum acts_query q);

/*
 * The driver's own parameter ioctl with a raw id it knows (known) or does
 * not, and a raw pad value, for its error paths (ACTS_CAP_RAW_QUERY).
 */
int __acts_query_raw(struct acts_dev *dev, bool known, uint32_t pad, uint64_t *value);

int __acts_bo_create(struct acts_dev *dev, struct acts_bo_create *args);
/* Create a BO of at least size bytes; returns its handle. */
uint32_t acts_bo_create(struct acts_dev *dev, uint64_t size);
int __acts_bo_info(struct acts_dev *dev, uint32_t handle, uint32_t pad, struct acts_bo_info *info);
void acts_bo_info(struct acts_dev *dev, uint32_t handle, struct acts_bo_info *info);

/* A BO of the caller's memory (ACTS_CAP_USERPTR); -EOPNOTSUPP without it. */
int __acts_bo_create_userptr(struct acts_dev *dev, struct acts_bo_userptr *args);
/* Make a BO of size bytes at ptr (both page aligned); returns its handle. */
uint32_t acts_bo_create_userptr(struct acts_dev *dev, void *ptr, uint64_t size);

int __acts_gem_close(struct acts_dev *dev, uint32_t handle);
void acts_gem_close(struct acts_dev *dev, uint32_t handle);

/* mmap length bytes of a BO at its fake offset plus delta. */
int __acts_bo_mmap(struct acts_dev *dev, uint32_t handle, size_t length, uint64_t delta,
		   void **ptr);
void *acts_bo_mmap(struct acts_dev *dev, uint32_t handle, size_t length);

int __acts_prime_export(struct acts_dev *dev, uint32_t handle, int *fd);
int acts_prime_export(struct acts_dev *dev, uint32_t handle);
int __acts_prime_import(struct acts_dev *dev, int fd, uint32_t *handle);
uint32_t acts_prime_import(struct acts_dev *dev, int fd);

/* fdinfo of the device file: one key's value, or a size key in bytes. */
int acts_fdinfo_value(struct acts_dev *dev, const char *key, char *value, size_t len);
int acts_fdinfo_bytes(struct acts_dev *dev, const char *key, uint64_t *bytes);
/* Parse fdinfo's "<n>[ KiB| MiB| GiB]" size syntax. */
int acts_parse_fdinfo_size(const char *s, uint64_t *bytes);

#endif

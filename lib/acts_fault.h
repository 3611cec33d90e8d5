/* SPDX-License-Identifier: MIT */
/*
 * The recovery level: injected faults, recovery counters, the job timeout,
 * engine resets (all through the backend), and devcoredumps (sysfs, the
 * same for every driver).
 */
#ifndef ACTS_FAULT_H
#define ACTS_FAULT_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "acts_backend.h"

/*
 * Skip unless the backend can inject faults and the device's fault
 * controls are reachable (debugfs mounted, root). Clears every pending
 * fault, so a subtest starts from a known state.
 */
void acts_require_faults(struct acts_dev *dev);
void acts_fault_set(struct acts_dev *dev, enum acts_fault f, unsigned int count);
unsigned int acts_fault_remaining(struct acts_dev *dev, enum acts_fault f);
void acts_faults_clear(struct acts_dev *dev);
uint64_t acts_counter(struct acts_dev *dev, enum acts_counter c);
const char *acts_counter_name(enum acts_counter c);
unsigned int acts_job_timeout_ms(struct acts_dev *dev);
void acts_set_job_timeout_ms(struct acts_dev *dev, unsigned int ms);
/* The same without asserting: 0, or -errno (-EOPNOTSUPP without the capability). */
/* Can faults be injected on this device now (capability, and debugfs reachable)? */
bool acts_has_faults(struct acts_dev *dev);
int __acts_counter(struct acts_dev *dev, enum acts_counter c, uint64_t *value);
int __acts_job_timeout_get(struct acts_dev *dev, unsigned int *ms);
int __acts_job_timeout_set(struct acts_dev *dev, unsigned int ms);
void acts_engine_reset(struct acts_dev *dev, enum acts_engine e);

/*
 * devcoredumps of the device (/sys/class/devcoredump/devcdN whose
 * failing_device is the node's device). Returns how many exist, writing
 * the first one's folder to dir.
 */
int acts_devcoredump_find(struct acts_dev *dev, char *dir, size_t len);
/* Read a dump's data (at most len - 1 bytes, NUL-terminated); returns bytes read. */
size_t acts_devcoredump_read(const char *dir, char *buf, size_t len);
/* Delete every dump of the device. */
void acts_devcoredump_discard_all(struct acts_dev *dev);

#endif

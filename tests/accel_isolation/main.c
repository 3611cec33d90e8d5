// SPDX-License-Identifier: MIT
/*
 * accel_isolation: tenants cannot reach or starve each other (the profile's
 * isolation level). Its subtests are declared file by file beside their
 * bodies; this file only holds the main loop.
 */
#include <stddef.h>

#include "acts_test.h"

ACTS_MAIN();

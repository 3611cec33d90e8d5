/* SPDX-License-Identifier: MIT */
/*
 * The profile's errnos, one table for every rule that names one
 * (docs/PROFILE.md). A subtest checks a call's result against its rule and
 * case; a backend that declares a deviation for that case (struct
 * acts_errno_deviation) passes with the deviation recorded in the result
 * ("deviation: ..." lines, kept by the runner), never translated away.
 */
#ifndef ACTS_PROFILE_H
#define ACTS_PROFILE_H

struct acts_dev;

/* The profile's levels, in the order of docs/PROFILE.md. */
extern const char *const acts_profile_levels[];
#define ACTS_PROFILE_NLEVELS 7
/*
 * The level of a rule id: its first word names it (CORE-, MEM-, SUB-,
 * FENCE-, REC-, MAC-, ISO-, each rule listed under that level's heading in
 * docs/PROFILE.md). NULL for an id of no level.
 */
const char *acts_profile_level(const char *rule);

/* The errnos the profile allows for a rule's case; NULL if no such row. */
const int *acts_profile_errnos(const char *rule, const char *when, int *n);

/*
 * Check ret (0 or -errno) against the profile's row for rule and when:
 * pass, pass recording a declared deviation, or fail naming both.
 */
void __acts_assert_rule(struct acts_dev *dev, const char *file, int line, const char *expr,
			const char *rule, const char *when, long ret);
#define acts_assert_rule(dev, rule, when, ret) \
	__acts_assert_rule(dev, __FILE__, __LINE__, #ret, rule, when, (ret))

#endif

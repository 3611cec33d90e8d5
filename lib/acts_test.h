/* SPDX-License-Identifier: MIT */
/*
 * Subtest registration and the test-binary main loop.
 *
 * A test binary declares a table of subtests and hands it to acts_main().
 * The main loop speaks IGT's protocol (--list-subtests, --run-subtest,
 * "Starting subtest:" / "Subtest X: RESULT (Ns)", exit 0/77/98) or KTAP
 * (--ktap), and runs every subtest in its own process with a timeout.
 */
#ifndef ACTS_TEST_H
#define ACTS_TEST_H

#include <stdbool.h>
#include <stdnoreturn.h>

struct acts_dev;

/* IGT's exit codes. */
enum acts_exit {
	ACTS_EXIT_SUCCESS = 0,
	ACTS_EXIT_SKIP = 77,
	ACTS_EXIT_TIMEOUT = 78,
	ACTS_EXIT_INVALID = 79,
	ACTS_EXIT_FAILURE = 98,
	ACTS_EXIT_ABORT = 112,
};

enum acts_result {
	ACTS_PASS,
	ACTS_SKIP,
	ACTS_FAIL,
	ACTS_CRASH,
	ACTS_TIMEOUT,
};

/* Subtest needs no device (runs even when none is present). */
#define ACTS_NO_DEVICE	(1u << 0)

struct acts_subtest {
	const char *name;	/* what is checked, e.g. "bo-create-zero-size" */
	const char *rules;	/* profile rule ids, space separated */
	const char *desc;	/* one line */
	void (*fn)(struct acts_dev *dev);	/* dev is NULL with ACTS_NO_DEVICE */
	unsigned int flags;
};

int acts_main(int argc, char **argv, const struct acts_subtest *tests, int n);

#define ACTS_MAIN(table) \
	int main(int argc, char **argv) \
	{ \
		return acts_main(argc, argv, table, \
				 (int)(sizeof(table) / sizeof((table)[0]))); \
	}

/* Inside a subtest. */
noreturn void __acts_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
noreturn void __acts_skip(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void acts_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define acts_fail(...) __acts_fail(__FILE__, __LINE__, __VA_ARGS__)
#define acts_skip(...) __acts_skip(__FILE__, __LINE__, __VA_ARGS__)
/* Skip with a reason unless cond holds. */
#define acts_require(cond, ...) \
	do { if (!(cond)) __acts_skip(__FILE__, __LINE__, __VA_ARGS__); } while (0)

/* Name of the subtest running in this process, or NULL. */
const char *acts_current_subtest(void);
/* True when the output is KTAP (diagnostics are then "# " lines). */
bool acts_ktap_output(void);

/* Exposed for the harness's own unit tests. */
bool acts_name_matches(const char *patterns, const char *name);
const char *acts_result_name(enum acts_result r);

#endif

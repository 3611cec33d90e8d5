/* SPDX-License-Identifier: MIT */
/*
 * Subtest registration and the test-binary main loop.
 *
 * A test binary declares its subtests beside their bodies (ACTS_SUBTEST,
 * ACTS_TEST_F) and ends with ACTS_MAIN(); older ones hand a table to it.
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

struct acts_fixture;

struct acts_subtest {
	const char *name;	/* what is checked, e.g. "bo-create-zero-size" */
	const char *rules;	/* profile rule ids, space separated */
	const char *desc;	/* one line */
	void (*fn)(struct acts_dev *dev);	/* dev is NULL with ACTS_NO_DEVICE */
	unsigned int flags;
	/* Filled by the declaration macros below; a hand-made table leaves them 0. */
	const char *file;
	int line;
	const struct acts_fixture *fixture;	/* ACTS_TEST_F: its fixture */
	void (*ffn)(struct acts_dev *dev, const void *variant);
};

/* A fixture (ACTS_FIXTURE): setup and teardown around each of its tests. */
struct acts_fixture {
	const char *name;
	void (*setup)(struct acts_dev *dev, void *self, const void *variant);
	void (*teardown)(struct acts_dev *dev, void *self, const void *variant);
};

/* One ACTS_FIXTURE_VARIANT_ADD: every test of its fixture runs once per variant. */
struct acts_variant {
	const struct acts_fixture *fixture;
	const char *name;	/* identifier, "_" shown as "-" */
	const char *rules;	/* added to each test's rules ("{rules}" places them) */
	const void *data;
	const char *file;
	int line;
};

int acts_main(int argc, char **argv, const struct acts_subtest *tests, int n);

#define __ACTS_MAIN_TABLE(table) \
	int main(int argc, char **argv) \
	{ \
		return acts_main(argc, argv, table, \
				 (int)(sizeof(table) / sizeof((table)[0]))); \
	}
#define __ACTS_MAIN_SECTION() \
	int main(int argc, char **argv) \
	{ \
		return acts_main(argc, argv, NULL, 0); \
	}
#define __ACTS_MAIN_PICK(_0, _1, which, ...) which
/*
 * ACTS_MAIN(): the subtests declared with ACTS_SUBTEST and ACTS_TEST_F in
 * the binary's sources. ACTS_MAIN(table): a hand-made table (older binaries).
 */
#define ACTS_MAIN(...) \
	__ACTS_MAIN_PICK(_0, ##__VA_ARGS__, __ACTS_MAIN_TABLE(__VA_ARGS__), __ACTS_MAIN_SECTION())

/*
 * Declaring subtests beside their bodies. Each declaration puts a pointer to
 * its record in the "acts_subtests" section; acts_main() finds them between
 * the linker's __start_ and __stop_ symbols (so --list-subtests and
 * --describe need no device) and orders them by source file name, then line:
 * the order of the source, whatever order the linker put them in.
 *
 *   ACTS_SUBTEST(bo_create_zero_size, "MEM-3", "a zero-size BO is refused")
 *   {
 *           acts_assert_err(__acts_bo_create(dev, 0, 0, &h), -EINVAL);
 *   }
 *
 * The subtest's name is the identifier with "_" shown as "-"
 * (bo-create-zero-size); its body gets `struct acts_dev *dev`.
 */
#define __ACTS_SECTION(sec) __attribute__((section(sec), used, aligned(sizeof(void *))))

#define ACTS_SUBTEST_FLAGS(ident, fl, rules_, desc_) \
	static void acts__body_##ident(struct acts_dev *dev); \
	static const struct acts_subtest acts__rec_##ident = { \
		.name = #ident, .rules = rules_, .desc = desc_, .fn = acts__body_##ident, \
		.flags = fl, .file = __FILE__, .line = __LINE__, \
	}; \
	static const struct acts_subtest *const acts__ptr_##ident \
		__ACTS_SECTION("acts_subtests") = &acts__rec_##ident; \
	static void acts__body_##ident(struct acts_dev *dev)
#define ACTS_SUBTEST(ident, rules_, desc_) ACTS_SUBTEST_FLAGS(ident, 0, rules_, desc_)

/*
 * Fixtures, after kselftest_harness.h: data set up before each test of the
 * fixture and torn down after it, also when the test failed or skipped (a
 * crash or a timeout ends the process, and the kernel closes what it held).
 *
 *   ACTS_FIXTURE(mac) { struct acts_buf a; };        the data: `self`
 *   ACTS_FIXTURE_VARIANT(mac) { enum acts_mac_dtype t; };   `variant`
 *   ACTS_FIXTURE_VARIANT_ADD(mac, int8, "MAC-INT-1") { .t = ACTS_MAC_INT8 };
 *   ACTS_FIXTURE_SETUP(mac) { self->a = acts_buf_new(dev, 4096, 0); }
 *   ACTS_FIXTURE_TEARDOWN(mac) { acts_buf_free(&self->a); }
 *   ACTS_TEST_F(mac, primes, "{rules} MAC-ORDER-1", "a 31x37x41 {variant} MAC") { ... }
 *
 * Each (test, variant) is one subtest named "<variant>-<test>" (int8-primes),
 * variant by variant in declaration order, at the place of the fixture's
 * first test; a fixture with no variant gives one subtest per test, named
 * after it. In rules, "{rules}" is replaced by the variant's rules (else
 * they are appended); in the description "{variant}" by the variant's name.
 * Both ACTS_FIXTURE_SETUP and ACTS_FIXTURE_TEARDOWN must be given (empty if
 * there is nothing to do); a failure in setup skips the test and teardown.
 */
#define ACTS_FIXTURE(f) \
	struct acts__fx_##f; \
	struct acts__variant_##f; \
	static void acts__setup_##f(struct acts_dev *dev, struct acts__fx_##f *self, \
				    const struct acts__variant_##f *variant); \
	static void acts__teardown_##f(struct acts_dev *dev, struct acts__fx_##f *self, \
				       const struct acts__variant_##f *variant); \
	static void acts__setup_thunk_##f(struct acts_dev *dev, void *self, const void *variant) \
	{ \
		acts__setup_##f(dev, self, variant); \
	} \
	static void acts__teardown_thunk_##f(struct acts_dev *dev, void *self, const void *variant) \
	{ \
		acts__teardown_##f(dev, self, variant); \
	} \
	static const struct acts_fixture acts__fixture_##f = { \
		.name = #f, .setup = acts__setup_thunk_##f, .teardown = acts__teardown_thunk_##f, \
	}; \
	struct acts__fx_##f

#define ACTS_FIXTURE_VARIANT(f) struct acts__variant_##f

#define ACTS_FIXTURE_VARIANT_ADD(f, v, rules_) \
	static const struct acts__variant_##f acts__vdata_##f##_##v; \
	static const struct acts_variant acts__vrec_##f##_##v = { \
		.fixture = &acts__fixture_##f, .name = #v, .rules = rules_, \
		.data = &acts__vdata_##f##_##v, .file = __FILE__, .line = __LINE__, \
	}; \
	static const struct acts_variant *const acts__vptr_##f##_##v \
		__ACTS_SECTION("acts_variants") = &acts__vrec_##f##_##v; \
	static const struct acts__variant_##f acts__vdata_##f##_##v =

#define ACTS_FIXTURE_SETUP(f) \
	static void acts__setup_##f(struct acts_dev *dev, struct acts__fx_##f *self, \
				    const struct acts__variant_##f *variant)
#define ACTS_FIXTURE_TEARDOWN(f) \
	static void acts__teardown_##f(struct acts_dev *dev, struct acts__fx_##f *self, \
				       const struct acts__variant_##f *variant)

/* Runs setup, the body, and teardown (also when the body fails or skips). */
void acts__fixture_run(const struct acts_fixture *fx, struct acts_dev *dev, void *self,
		       unsigned long size, const void *variant,
		       void (*body)(struct acts_dev *dev, void *self, const void *variant));

#define ACTS_TEST_F_FLAGS(f, t, fl, rules_, desc_) \
	static void acts__tbody_##f##_##t(struct acts_dev *dev, struct acts__fx_##f *self, \
					  const struct acts__variant_##f *variant); \
	static void acts__tthunk_##f##_##t(struct acts_dev *dev, void *self, const void *variant) \
	{ \
		acts__tbody_##f##_##t(dev, self, variant); \
	} \
	static void acts__twrap_##f##_##t(struct acts_dev *dev, const void *variant) \
	{ \
		struct acts__fx_##f self; \
		acts__fixture_run(&acts__fixture_##f, dev, &self, sizeof(self), variant, \
				  acts__tthunk_##f##_##t); \
	} \
	static const struct acts_subtest acts__trec_##f##_##t = { \
		.name = #t, .rules = rules_, .desc = desc_, .flags = fl, .file = __FILE__, \
		.line = __LINE__, .fixture = &acts__fixture_##f, .ffn = acts__twrap_##f##_##t, \
	}; \
	static const struct acts_subtest *const acts__tptr_##f##_##t \
		__ACTS_SECTION("acts_subtests") = &acts__trec_##f##_##t; \
	static void acts__tbody_##f##_##t(struct acts_dev *dev, struct acts__fx_##f *self, \
					  const struct acts__variant_##f *variant)
#define ACTS_TEST_F(f, t, rules_, desc_) ACTS_TEST_F_FLAGS(f, t, 0, rules_, desc_)

/*
 * Dynamic subtests, as IGT's igt_dynamic(): parts of a subtest found at run
 * time (per engine, per data type), each in its own process so that a
 * failure, skip or crash in one does not end the others.
 *
 *   acts_dynamic("compute") {
 *           ...
 *   }
 *   acts_dynamic_f("%s", engine_name(e)) { ... }
 *
 * Prints IGT's "Starting dynamic subtest: NAME" and "Dynamic subtest NAME:
 * RESULT (Ns)". The subtest then FAILs if any part failed or crashed, SKIPs
 * if every part skipped, and otherwise goes by its own body. Inside a part,
 * `return` ends the part; never `break` out of it. Names: [a-zA-Z0-9_-].
 */
int acts__dynamic_begin(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void acts__dynamic_end(void);
#define acts_dynamic_f(...) \
	for (int __acts_dyn = acts__dynamic_begin(__VA_ARGS__); __acts_dyn; \
	     __acts_dyn = 0, acts__dynamic_end())
#define acts_dynamic(name) acts_dynamic_f("%s", name)

/*
 * Non-fatal failures (acts_expect_* in acts_assert.h): counted, the subtest
 * goes on, and FAILs at its end. How many so far in this subtest (or part).
 */
int acts_expect_failures(void);

/* Inside a subtest. */
noreturn void __acts_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
noreturn void __acts_skip(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A failure that does not end the subtest: it goes on and FAILs at its end. */
void __acts_fail_later(const char *file, int line, const char *fmt, ...)
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

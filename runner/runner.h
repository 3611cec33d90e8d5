/* SPDX-License-Identifier: MIT */
/*
 * accel-cts run: run every test binary's subtests against each device, one
 * process per subtest, with a journal on disk that survives the kernel.
 */
#ifndef ACTS_RUNNER_H
#define ACTS_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "acts_device.h"

#define RUN_MAX_DEVICES 16

/* IGT's result names, in order of badness. */
enum run_result {
	RUN_PASS,
	RUN_SKIP,
	RUN_NOTRUN,		/* never started: the run stopped before it */
	RUN_DMESG_WARN,		/* passed, but the kernel logged a warning */
	RUN_FAIL,
	RUN_DMESG_FAIL,		/* failed, and the kernel logged a warning */
	RUN_CRASH,
	RUN_TIMEOUT,
	RUN_INCOMPLETE,		/* started, no result yet: running, or the run died in it */
	RUN_NRESULTS
};

struct expectations;

struct subtest_result {
	char *binary;		/* e.g. "accel_gem" */
	char *name;		/* e.g. "bo-create-zero-size" */
	char *desc;
	char *rules;
	enum run_result result;
	double start, end;	/* seconds since the run began */
	char *out, *err, *dmesg;
	char *reason;		/* why it did not pass, one line */
	int verdict;		/* enum expectation_verdict: what the expectation files made of it */
	int retries;		/* runs after the first (a listed flake that failed) */
	bool retry_passed;	/* the last of them passed */
	int boot;		/* the guest boot (1, 2, ...) it ran in; 0 if not run */
	char *kernel_said;	/* the worst kernel report while it ran (not journalled) */
	/*
	 * Its dynamic subtests, in the order they ran, each a result of its
	 * own named "subtest@dynamic" (results.json's igt@binary@subtest@dynamic).
	 */
	struct subtest_result *dyn;
	int ndyn;
};

struct device_run {
	struct acts_node node;
	char dir[128];			/* its results folder: "<driver>-<node>" */
	char label[96];			/* "refaccel", "refaccel/bo-wait", "vgem (generic)" */
	char caps[512];			/* its capabilities, space separated */
	char backend[32];		/* the backend's name ("generic" for none of its own) */
	const struct expectations *exp;	/* DRM CI expectation files for its driver, or NULL */
	struct subtest_result *results;	/* every planned subtest, in run order */
	int n, cap;
	double start, end;
};

/* What the run as a whole went through: a kernel that died, a stop. */
struct run_event {
	char *kind;		/* "crash", "timeout" (the kernel died or hung in a subtest), "abort" */
	char *dev;		/* the device folder, or "" */
	char *test;		/* "binary@subtest" it happened in or after */
	char *reason;
	int boot;
};

/* --abort-on-monitored-error: what makes the runner stop for a reboot. */
#define MONITOR_TAINT	(1u << 0)
#define MONITOR_LOCKDEP	(1u << 1)

struct run_options {
	char *tests_dir;	/* absolute */
	char *only;		/* comma-separated binaries, or NULL */
	char *device, *driver;	/* filters, or NULL */
	char *exp_dir, *board;	/* expectation files, or NULL */
	char *dmesg_ignore;	/* extended regex, or NULL */
	int timeout_s;		/* per subtest */
	int overall_timeout_s;	/* 0: none; measured across boots */
	int inactivity_s;	/* 0: none; kill a subtest silent that long */
	unsigned int abort_on;	/* MONITOR_* */
	int flake_retries;	/* reruns of a failing subtest listed as a flake */
	bool no_device;		/* --no-device: one placeholder device, "none" */
	bool single;		/* --single: one execution per subtest (no multiple mode) */
};

/* A test binary and its subtests, as listed at the start of the run. */
struct plan_binary {
	char *path, *name;
	int n;
	char **subtests, **descs, **rules;
};

/* A run folder: what its journal says, and the run in progress. */
struct run {
	char *dir;
	char *name;			/* recorded in results.json */
	char **cmdline;			/* how the run was started: results.json's cmdline */
	int ncmdline;
	double t0;			/* wall clock at the start, seconds since the epoch */
	struct run_options o;
	struct plan_binary *bins;
	int nbins;
	struct device_run devs[RUN_MAX_DEVICES];
	int ndev;
	struct run_event *events;
	int nevents;
	int boots;
	char *uname;			/* the last boot's kernel, as uname(2) gave it */
	bool finished;			/* the journal's end record: nothing left to run */
	bool quiet;
	int journal_fd;			/* open for appending while running; -1 otherwise */
};

const char *run_result_name(enum run_result r);
bool run_result_is_failure(enum run_result r);
/* Does this subtest fail the run, its expectations considered? */
bool subtest_is_failure(const struct subtest_result *r);
/* Write failures.csv in DRM CI's "binary@subtest,Result" form: what fails the run. */
int write_failures_csv(const char *dir, const struct device_run *dev);

/* Run one subtest of the binary at path on dev in its own process; fills r. */
void run_subtest(const struct run_options *o, const struct device_run *dev, const char *path,
		 struct subtest_result *r, double t0, bool *unkillable);
/*
 * Multiple mode (IGT's --multiple-mode): the subtests rs[0..n) of the binary
 * at path, in one execution. Each hook is called as the subtest starts (its
 * result RUN_INCOMPLETE) and as it ends (its result filled in, as
 * run_subtest fills it); a hook that returns nonzero stops the execution (a
 * subtest starting is then left RUN_NOTRUN). Subtests the execution did not
 * reach stay RUN_NOTRUN: the caller runs them in a new one. The one in
 * progress when the binary died or was killed gets crash or timeout.
 * Returns 0, 1 if a hook stopped it, or -errno if the binary could not start.
 */
struct batch_hooks {
	int (*starting)(void *ctx, struct subtest_result *r);
	int (*finished)(void *ctx, struct subtest_result *r);
	void *ctx;
};
int run_batch(const struct run_options *o, const struct device_run *dev, const char *path,
	      struct subtest_result **rs, int n, double t0, const struct batch_hooks *hooks,
	      bool *unkillable);
/* Can name go in a --run-subtest list (no glob characters, no comma)? */
bool subtest_batchable(const char *name);
/*
 * Cut subtest name's part out of the combined stdout (out) and stderr (err)
 * of a multiple-mode execution: what an execution of its own would have
 * written. 0, -ENOENT (no start mark for it in out) or -ENOMEM.
 */
int subtest_split(const char *out, const char *err, const char *name, char **sub_out,
		  char **sub_err);
/*
 * Called as each dynamic subtest of the running subtest starts (its result
 * RUN_INCOMPLETE) and ends, for the journal; NULL: nobody is told.
 */
typedef void (*dynamic_hook_fn)(void *ctx, const struct subtest_result *parent,
				const struct subtest_result *dyn);
void subtest_dynamic_hook(dynamic_hook_fn fn, void *ctx);
/* A dynamic subtest of r named name ("subtest@dynamic"), added if missing; NULL: no memory. */
struct subtest_result *subtest_dynamic(struct subtest_result *r, const char *name);
/* Free r's dynamic subtests. */
void subtest_result_dynamic_free(struct subtest_result *r);
/* The dynamic subtest's own name: what follows "subtest@". */
const char *dynamic_part_name(const struct subtest_result *d);
/* Rewrite path every few seconds while a subtest runs (NULL: no heartbeat). */
void subtest_heartbeat_file(const char *path);
/*
 * List a binary's subtests and their descriptions into b. 0 or -errno
 * (message printed); on failure b holds nothing to free.
 */
int plan_binary(const char *path, struct plan_binary *b);
void plan_binary_free(struct plan_binary *b);

/* The journal, DIR/journal.jsonl: one JSON record per line, each fsynced. */
int journal_create(struct run *run);
int journal_reopen(struct run *run);
int journal_add_plan(struct run *run, const struct plan_binary *b);
int journal_add_boot(struct run *run);
int journal_add_start(struct run *run, const struct device_run *dev,
		      const struct subtest_result *r);
int journal_add_result(struct run *run, const struct device_run *dev,
		       const struct subtest_result *r);
int journal_add_dynamic(struct run *run, const struct device_run *dev,
			const struct subtest_result *parent, const struct subtest_result *d);
int journal_add_event(struct run *run, const struct run_event *e);
int journal_add_end(struct run *run);
/*
 * Read DIR/journal.jsonl into run (zeroed by the caller): options, plan,
 * results, events. A last line cut short is ignored. 0, or -errno with a
 * message printed.
 */
int journal_load(const char *dir, struct run *run);
/* Keep an event in run (not journalled: journal_add_event does that). 0 or -ENOMEM. */
int run_event_add(struct run *run, const char *kind, const char *dev, const char *test,
		  const char *reason, int boot);
/* Expand the plan into every device's list of subtests, all not run yet. */
int run_expand_plan(struct run *run, int from_bin);
void run_free(struct run *run);
/*
 * After a reboot: the subtest the journal shows started and unfinished is
 * where the kernel died (or hung, if hang): record it as crash (timeout),
 * its dmesg the kernel's report from the console log (NULL: none). died:
 * the caller knows the kernel died; with no subtest running, it is recorded
 * as an event between subtests.
 */
int run_record_lost(struct run *run, const char *console, bool hang, bool died);

/* Write every results file of every device, and summary.txt, from run. */
int run_write_results(const struct run *run);
/* How many subtests of the run have result r. */
int run_count(const struct run *run, enum run_result r);

/* /dev/kmsg capture: open at the end of the log, then collect what follows. */
int kmsg_open(void);
/* Add a regex of warnings to ignore to the built-in list of host noise. */
int kmsg_set_ignore(const char *user_regex);
/*
 * Read the new records. *first_warning gets (malloc'd) the first one at
 * warning level or worse that is not ignored, or NULL.
 */
char *kmsg_collect(int fd, char **first_warning);
/* The worst warning in text kmsg_collect returned (malloc'd), or NULL. */
char *kmsg_worst(const char *log);

/* The kernel's health as --abort-on-monitored-error watches it. */
struct monitor {
	unsigned int what;		/* MONITOR_* */
	unsigned long taint0;		/* taint flags when the runner started */
	int debug_locks0;		/* lockdep's debug_locks then; -1 without lockdep */
};
void monitor_start(struct monitor *m, unsigned int what);
/* NULL if all is well, else why the run must stop (malloc'd). */
char *monitor_check(const struct monitor *m);
/* Parse "taint,lockdep" into MONITOR_* bits; -EINVAL on an unknown word. */
int monitor_parse(const char *list, unsigned int *what);

int write_results_json(const char *dir, const struct device_run *dev, const char *name,
		       const struct run *run);
int write_ktap(const char *dir, const struct device_run *dev);
int write_junit(const char *dir, const struct device_run *dev);
void print_summary(FILE *f, const struct run *run);

int cmd_run(int argc, char **argv);
int cmd_resume(int argc, char **argv);
int cmd_results(int argc, char **argv);
/* accel-cts certify (certify.c) */
int cmd_certify(int argc, char **argv);

#endif

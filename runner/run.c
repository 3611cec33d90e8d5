// SPDX-License-Identifier: MIT
/*
 * A run: plan every subtest of every binary on every device, then run them
 * one by one, journalled (journal.c), results files rewritten as it goes.
 * `accel-cts resume DIR` continues a run the kernel interrupted, recording
 * the subtest that was running as the one that took it down; `accel-cts
 * results DIR` rebuilds every results file from the journal alone.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "acts_backend.h"
#include "acts_caps.h"
#include "acts_env.h"
#include "expectations.h"
#include "clock.h"
#include "run_label.h"
#include "runner.h"

/* Exit status of run and resume when the kernel needs a reboot before going on. */
#define EXIT_STOPPED 3
/* Results files are rewritten at most this often while a run goes (the journal is per subtest). */
#define RESULTS_EVERY_S 5.0

static int mkdir_p(const char *path)
{
	char tmp[PATH_MAX];
	char *p;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(tmp, 0755) && errno != EEXIST ? -errno : 0;
}

static struct subtest_result *add_result(struct device_run *dev)
{
	if (dev->n == dev->cap) {
		int cap = dev->cap ? dev->cap * 2 : 64;
		struct subtest_result *r = realloc(dev->results, cap * sizeof(*r));

		if (!r)
			return NULL;
		dev->results = r;
		dev->cap = cap;
	}
	memset(&dev->results[dev->n], 0, sizeof(dev->results[0]));
	return &dev->results[dev->n++];
}

int run_expand_plan(struct run *run, int from_bin)
{
	int d, b, i;

	for (d = 0; d < run->ndev; d++) {
		for (b = from_bin; b < run->nbins; b++) {
			const struct plan_binary *pb = &run->bins[b];

			for (i = 0; i < pb->n; i++) {
				struct subtest_result *r = add_result(&run->devs[d]);

				if (!r)
					return -ENOMEM;
				r->result = RUN_NOTRUN;
				r->binary = strdup(pb->name);
				r->name = strdup(pb->subtests[i]);
				r->desc = strdup(pb->descs[i]);
				r->rules = strdup(pb->rules[i]);
				if (!r->binary || !r->name || !r->desc || !r->rules)
					return -ENOMEM;
			}
		}
	}
	return 0;
}

void subtest_result_dynamic_free(struct subtest_result *r)
{
	int i;

	for (i = 0; i < r->ndyn; i++) {
		struct subtest_result *d = &r->dyn[i];

		free(d->binary);
		free(d->name);
		free(d->desc);
		free(d->rules);
		free(d->out);
		free(d->err);
		free(d->dmesg);
		free(d->reason);
		free(d->kernel_said);
	}
	free(r->dyn);
	r->dyn = NULL;
	r->ndyn = 0;
}

static void result_free(struct subtest_result *r)
{
	subtest_result_dynamic_free(r);
	free(r->binary);
	free(r->name);
	free(r->desc);
	free(r->rules);
	free(r->out);
	free(r->err);
	free(r->dmesg);
	free(r->reason);
	free(r->kernel_said);
}

/*
 * The fields a run of the subtest fills, emptied before it runs (again);
 * its dynamic subtests stay (subtest_result_dynamic_free drops them).
 */
static void result_reset(struct subtest_result *r)
{
	free(r->out);
	free(r->err);
	free(r->dmesg);
	free(r->reason);
	free(r->kernel_said);
	r->out = r->err = r->dmesg = r->reason = r->kernel_said = NULL;
	r->retries = 0;
	r->retry_passed = false;
	r->verdict = EXP_NONE;
}

void run_free(struct run *run)
{
	int i, j;

	for (i = 0; i < run->ndev; i++) {
		for (j = 0; j < run->devs[i].n; j++)
			result_free(&run->devs[i].results[j]);
		free(run->devs[i].results);
	}
	for (i = 0; i < run->nbins; i++)
		plan_binary_free(&run->bins[i]);
	free(run->bins);
	for (i = 0; i < run->nevents; i++) {
		free(run->events[i].kind);
		free(run->events[i].dev);
		free(run->events[i].test);
		free(run->events[i].reason);
	}
	free(run->events);
	free(run->o.tests_dir);
	free(run->o.only);
	free(run->o.device);
	free(run->o.driver);
	free(run->o.exp_dir);
	free(run->o.board);
	free(run->o.dmesg_ignore);
	for (i = 0; i < run->ncmdline; i++)
		free(run->cmdline[i]);
	free(run->cmdline);
	free(run->dir);
	free(run->name);
	free(run->uname);
	if (run->journal_fd >= 0)
		close(run->journal_fd);
	memset(run, 0, sizeof(*run));
	run->journal_fd = -1;
}

/* Each device's span: its first start to its last end. */
static void device_times(struct device_run *dev)
{
	int i;
	bool any = false;

	dev->start = dev->end = 0;
	for (i = 0; i < dev->n; i++) {
		const struct subtest_result *r = &dev->results[i];

		if (r->result == RUN_NOTRUN)
			continue;
		if (!any || r->start < dev->start)
			dev->start = r->start;
		if (!any || r->end > dev->end)
			dev->end = r->end;
		any = true;
	}
}

int run_write_results(const struct run *run)
{
	char dir[PATH_MAX + 160], path[PATH_MAX + 32];
	int i, ret = 0;
	FILE *f;

	for (i = 0; i < run->ndev; i++) {
		struct device_run *dev = (struct device_run *)&run->devs[i];

		device_times(dev);
		snprintf(dir, sizeof(dir), "%s/%s", run->dir, dev->dir);
		if (mkdir_p(dir) || write_results_json(dir, dev, run->name, run) ||
		    write_ktap(dir, dev) || write_junit(dir, dev) || write_failures_csv(dir, dev)) {
			fprintf(stderr, "accel-cts: could not write results to %s\n", dir);
			ret = -EIO;
		}
	}
	snprintf(path, sizeof(path), "%s/summary.txt", run->dir);
	f = fopen(path, "we");
	if (f) {
		print_summary(f, run);
		if (fclose(f))
			ret = -EIO;
	} else {
		ret = -errno;
	}
	return ret;
}

int run_event_add(struct run *run, const char *kind, const char *dev, const char *test,
		  const char *reason, int boot)
{
	struct run_event *grown = realloc(run->events, (run->nevents + 1) * sizeof(*grown));
	struct run_event *e;

	if (!grown)
		return -ENOMEM;
	run->events = grown;
	e = &run->events[run->nevents++];
	e->kind = strdup(kind);
	e->dev = strdup(dev);
	e->test = strdup(test);
	e->reason = strdup(reason);
	e->boot = boot;
	return e->kind && e->dev && e->test && e->reason ? 0 : -ENOMEM;
}

/* An event of this boot, kept and journalled. */
static int add_event(struct run *run, const char *kind, const char *dev, const char *test,
		     const char *reason)
{
	int ret = run_event_add(run, kind, dev, test, reason, run->boots);

	return ret ?: journal_add_event(run, &run->events[run->nevents - 1]);
}

static void print_line(const struct device_run *dev, const struct subtest_result *r)
{
	const char *why = r->result != RUN_PASS && r->reason ? r->reason : NULL;
	char note[96] = "";

	if (r->retries)
		snprintf(note, sizeof(note), " [%s: %s on retry %d]", expectation_name(r->verdict),
			 r->retry_passed ? "passed" : "failed again", r->retries);
	else if (r->verdict != EXP_NONE && r->verdict != EXP_LISTED_SKIP)
		snprintf(note, sizeof(note), " [%s]", expectation_name(r->verdict));
	printf("  %-9s %-10s %s@%s%s%s%s\n", run_result_name(r->result), dev->label,
	       r->binary, r->name, note, why ? ": " : "", why ?: "");
	fflush(stdout);
	if (r->ndyn) {
		struct subtest_result *d = r->dyn;
		int i;

		for (i = 0; i < r->ndyn; i++)
			print_line(dev, &d[i]);
	}
}

static const char *bin_path(const struct run *run, const char *name)
{
	int b;

	for (b = 0; b < run->nbins; b++)
		if (!strcmp(run->bins[b].name, name))
			return run->bins[b].path;
	return NULL;
}

struct dynamic_journal {
	struct run *run;
	struct device_run *dev;
};

/* Each dynamic subtest's start and end go to the journal as they happen. */
static void journal_dynamic(void *ctx, const struct subtest_result *parent,
			    const struct subtest_result *d)
{
	struct dynamic_journal *j = ctx;

	journal_add_dynamic(j->run, j->dev, parent, d);
}

/* The verdicts of the expectation files on r and each of its dynamic subtests. */
static void judge(const struct device_run *dev, struct subtest_result *r, const char *name)
{
	char dname[1024];
	int i;

	r->verdict = dev->exp ? expectations_judge(dev->exp, name, r->result) : EXP_NONE;
	for (i = 0; i < r->ndyn; i++) {
		struct subtest_result *d = &r->dyn[i];

		snprintf(dname, sizeof(dname), "%s@%s", d->binary, d->name);
		d->verdict = dev->exp ? expectations_judge(dev->exp, dname, d->result) : EXP_NONE;
	}
}

/*
 * Rerun r if it failed and is listed as a flake, each time in an execution
 * of its own; false if a process could not be killed.
 */
static bool retry_flake(struct run *run, struct device_run *dev, struct subtest_result *r,
			const char *name)
{
	const char *path = bin_path(run, r->binary);
	bool unkillable = false;

	if (run_result_is_failure(r->result) && dev->exp && expectations_flaky(dev->exp, name)) {
		while (r->retries < run->o.flake_retries && !r->retry_passed && !unkillable) {
			struct subtest_result again = { .binary = r->binary, .name = r->name };

			r->retries++;
			run_subtest(&run->o, dev, path, &again, run->t0, &unkillable);
			r->retry_passed = !run_result_is_failure(again.result);
			subtest_result_dynamic_free(&again);
			free(again.out);
			free(again.err);
			free(again.dmesg);
			free(again.reason);
			free(again.kernel_said);
		}
	}
	return !unkillable;
}

/* Run r, retrying a listed flake that failed; false if its process could not be killed. */
static bool execute_one(struct run *run, struct device_run *dev, struct subtest_result *r,
			const char *name)
{
	const char *path = bin_path(run, r->binary);
	struct dynamic_journal j = { .run = run, .dev = dev };
	bool unkillable = false;

	subtest_dynamic_hook(journal_dynamic, &j);
	run_subtest(&run->o, dev, path, r, run->t0, &unkillable);
	/* A retry's dynamic subtests are not journalled: the first run's are the result. */
	subtest_dynamic_hook(NULL, NULL);
	if (!unkillable)
		unkillable = !retry_flake(run, dev, r, name);
	judge(dev, r, name);
	return !unkillable;
}

enum run_end { RUN_ENDED, RUN_STOPPED };

/* At most this many subtests, and this much --run-subtest text, in one execution. */
#define BATCH_MAX 512
#define BATCH_TEXT_MAX 65536

/* What a multiple-mode execution's hooks need. */
struct batch_run {
	struct run *run;
	struct device_run *dev;
	const struct monitor *m;
	double *last_write;
	int err;		/* the first -errno of the journal */
	bool overall;		/* the overall timeout ran out: stopped before a subtest */
	bool monitored;		/* stopped for a monitored error: a reboot is needed */
};

static int batch_starting(void *ctx, struct subtest_result *r)
{
	struct batch_run *b = ctx;
	struct run *run = b->run;
	int ret;

	if (run->o.overall_timeout_s && clock_wall_s() - run->t0 > run->o.overall_timeout_s) {
		b->overall = true;
		return 1;	/* the loop records the abort before r */
	}
	result_reset(r);
	subtest_result_dynamic_free(r);
	r->boot = run->boots;
	ret = journal_add_start(run, b->dev, r);
	if (ret && !b->err)
		b->err = ret;
	return ret;
}

static int batch_finished(void *ctx, struct subtest_result *r)
{
	struct batch_run *b = ctx;
	struct run *run = b->run;
	char name[512], *why;
	int ret;

	snprintf(name, sizeof(name), "%s@%s", r->binary, r->name);
	judge(b->dev, r, name);
	ret = journal_add_result(run, b->dev, r);
	if (ret) {
		b->err = b->err ?: ret;
		return ret;
	}
	if (!run->quiet)
		print_line(b->dev, r);
	why = monitor_check(b->m);
	if (why) {
		char *told = NULL;

		if (r->kernel_said && asprintf(&told, "%s: %s", why, r->kernel_said) > 0) {
			free(why);
			why = told;
		}
		printf("accel-cts: stopping after %s: %s\n", name, why);
		ret = add_event(run, "abort", b->dev->dir, name, why);
		free(why);
		b->err = b->err ?: ret;
		b->monitored = true;
		return 1;
	}
	if (clock_mono_s() - *b->last_write >= RESULTS_EVERY_S) {
		run_write_results(run);
		*b->last_write = clock_mono_s();
	}
	return 0;
}

/*
 * Multiple mode: r (at index i of dev's list) and the subtests after it of
 * the same binary, not run yet, in one execution; each journalled as it
 * starts and ends. Returns how many it ran (0: run r on its own), or -errno.
 * *end is RUN_STOPPED if the kernel needs a reboot.
 */
static int execute_batch(struct run *run, struct device_run *dev, int i, const struct monitor *m,
			 double *last_write, enum run_end *end)
{
	struct batch_run b = { .run = run, .dev = dev, .m = m, .last_write = last_write };
	struct batch_hooks hooks = { batch_starting, batch_finished, &b };
	struct dynamic_journal j = { .run = run, .dev = dev };
	struct subtest_result *rs[BATCH_MAX];
	const char *bin = dev->results[i].binary;
	size_t text = 0;
	bool unkillable = false;
	int n = 0, k, ran = 0, ret;

	for (k = i; k < dev->n && n < BATCH_MAX; k++) {
		struct subtest_result *r = &dev->results[k];
		char name[512];

		snprintf(name, sizeof(name), "%s@%s", r->binary, r->name);
		if (strcmp(r->binary, bin) || r->result != RUN_NOTRUN || !subtest_batchable(r->name) ||
		    (dev->exp && expectations_skip(dev->exp, name)))
			break;
		text += strlen(r->name) + 1;
		if (text > BATCH_TEXT_MAX)
			break;
		rs[n++] = r;
	}
	if (n < 2)
		return 0;
	subtest_dynamic_hook(journal_dynamic, &j);
	ret = run_batch(&run->o, dev, bin_path(run, bin), rs, n, run->t0, &hooks, &unkillable);
	subtest_dynamic_hook(NULL, NULL);
	if (b.err)
		return b.err;
	if (ret < 0)
		return 0;	/* it could not start: the subtest on its own says why */
	for (k = 0; k < n; k++)
		ran += rs[k]->result != RUN_NOTRUN;
	if (unkillable) {
		char name[512];

		/* The last one that ran is the one stuck. */
		*end = RUN_STOPPED;
		snprintf(name, sizeof(name), "%s@%s", bin, ran ? rs[ran - 1]->name : "");
		ret = add_event(run, "abort", dev->dir, name, "a subtest could not be killed; the "
				"kernel needs a reboot");
		return ret ?: ran;
	}
	if (b.monitored) {
		*end = RUN_STOPPED;
		return ran;
	}
	/* A listed flake that failed runs again on its own. */
	for (k = 0; k < n; k++) {
		struct subtest_result *r = rs[k];
		char name[512];

		if (r->result == RUN_NOTRUN || !run_result_is_failure(r->result))
			continue;
		snprintf(name, sizeof(name), "%s@%s", r->binary, r->name);
		if (!dev->exp || !expectations_flaky(dev->exp, name))
			continue;
		unkillable = !retry_flake(run, dev, r, name);
		judge(dev, r, name);
		ret = journal_add_result(run, dev, r);
		if (ret)
			return ret;
		if (!run->quiet)
			print_line(dev, r);
		if (unkillable) {
			*end = RUN_STOPPED;
			ret = add_event(run, "abort", dev->dir, name, "a subtest could not be "
					"killed; the kernel needs a reboot");
			return ret ?: ran;
		}
	}
	return ran;
}

/*
 * Run every subtest not run yet, in plan order. RUN_STOPPED: the kernel
 * needs a reboot (a monitored error, a process stuck in the kernel) before
 * `accel-cts resume` goes on.
 */
static int run_execute(struct run *run, const struct monitor *m, enum run_end *end)
{
	double last_write = clock_mono_s();
	int d, i, ret;

	*end = RUN_ENDED;
	for (d = 0; d < run->ndev; d++) {
		struct device_run *dev = &run->devs[d];
		int left = 0;

		for (i = 0; i < dev->n; i++)
			left += dev->results[i].result == RUN_NOTRUN;
		if (!left)
			continue;
		printf("accel-cts: %s (%s), %d of %d subtests to run\n", dev->node.path,
		       dev->label, left, dev->n);
		for (i = 0; i < dev->n; i++) {
			struct subtest_result *r = &dev->results[i];
			char name[512], *why;

			if (r->result != RUN_NOTRUN)
				continue;
			snprintf(name, sizeof(name), "%s@%s", r->binary, r->name);
			if (run->o.overall_timeout_s &&
			    clock_wall_s() - run->t0 > run->o.overall_timeout_s) {
				char reason[640];

				snprintf(reason, sizeof(reason),
					 "the overall timeout (%d s) ran out before %s",
					 run->o.overall_timeout_s, name);
				printf("accel-cts: %s; %d subtests not run\n", reason,
				       run_count(run, RUN_NOTRUN));
				ret = add_event(run, "abort", dev->dir, "", reason);
				return ret ?: journal_add_end(run);
			}
			result_reset(r);
			subtest_result_dynamic_free(r);
			r->boot = run->boots;
			if (dev->exp && expectations_skip(dev->exp, name)) {
				r->result = RUN_SKIP;
				r->verdict = EXP_LISTED_SKIP;
				r->start = r->end = clock_wall_s() - run->t0;
				if (asprintf(&r->reason, "not run: listed in %s",
					     dev->exp->files[2]) < 0)
					r->reason = NULL;
			} else if (!run->o.single) {
				ret = execute_batch(run, dev, i, m, &last_write, end);
				if (ret < 0 || *end == RUN_STOPPED)
					return ret < 0 ? ret : 0;
				if (ret > 0) {
					i--;	/* the next one not run yet, if it stopped early */
					continue;
				}
			}
			if (r->result == RUN_SKIP && r->verdict == EXP_LISTED_SKIP) {
				/* recorded above */
			} else {
				r->start = clock_wall_s() - run->t0;
				ret = journal_add_start(run, dev, r);
				if (ret)
					return ret;
				if (!execute_one(run, dev, r, name)) {
					ret = journal_add_result(run, dev, r);
					ret = ret ?: add_event(run, "abort", dev->dir, name,
							       "a subtest could not be killed; the "
							       "kernel needs a reboot");
					*end = RUN_STOPPED;
					return ret;
				}
			}
			ret = journal_add_result(run, dev, r);
			if (ret)
				return ret;
			if (!run->quiet)
				print_line(dev, r);
			why = monitor_check(m);
			if (why) {
				char *told = NULL;

				/* The kernel's own words on what it did name the cause best. */
				if (r->kernel_said && asprintf(&told, "%s: %s", why, r->kernel_said) > 0) {
					free(why);
					why = told;
				}
				printf("accel-cts: stopping after %s: %s\n", name, why);
				ret = add_event(run, "abort", dev->dir, name, why);
				free(why);
				*end = RUN_STOPPED;
				return ret;
			}
			if (clock_mono_s() - last_write >= RESULTS_EVERY_S) {
				run_write_results(run);
				last_write = clock_mono_s();
			}
		}
	}
	return journal_add_end(run);
}

/* Does anything in the run fail it? Incomplete runs and stops do. */
static bool run_failed(const struct run *run)
{
	int d, i;

	for (d = 0; d < run->ndev; d++)
		for (i = 0; i < run->devs[d].n; i++) {
			const struct subtest_result *r = &run->devs[d].results[i];
			int k;

			if (r->result == RUN_NOTRUN || subtest_is_failure(r))
				return true;
			for (k = 0; k < r->ndyn; k++)
				if (subtest_is_failure(&r->dyn[k]))
					return true;
		}
	return run->nevents > 0;
}

/* "Linux host 6.12.117+deb12-amd64 #1 SMP ... x86_64", as IGT's results.json has it. */
static char *uname_string(void)
{
	struct utsname u;
	char *s;

	if (uname(&u) || asprintf(&s, "%s %s %s %s %s", u.sysname, u.nodename, u.release,
				  u.version, u.machine) < 0)
		return strdup("unknown");
	return s;
}

static int load_expectations(struct run *run, struct expectations *exps)
{
	int i;

	for (i = 0; run->o.exp_dir && i < run->ndev; i++) {
		char key[160];

		/*
		 * A node run through the generic backend (the DRM core's ioctls
		 * only) skips most of what the driver's own backend fails: its
		 * expectations are those of "<driver>-generic".
		 */
		snprintf(key, sizeof(key), "%s%s", run->devs[i].node.driver,
			 run->devs[i].node.be == &acts_backend_generic ? "-generic" : "");
		if (expectations_load(&exps[i], run->o.exp_dir, key, run->o.board))
			return -EINVAL;
		run->devs[i].exp = &exps[i];
		if (!exps[i].files[0][0] && !exps[i].files[1][0] && !exps[i].files[2][0])
			printf("accel-cts: no expectation files for %s-%s in %s: every failure "
			       "counts\n", key, run->o.board, run->o.exp_dir);
	}
	return 0;
}

/* Run what is left, then write the results; the command's exit status. */
static int run_go(struct run *run)
{
	struct expectations exps[RUN_MAX_DEVICES] = { 0 };
	struct monitor m;
	enum run_end end = RUN_ENDED;
	int ret, i;

	if (kmsg_set_ignore(run->o.dmesg_ignore) || load_expectations(run, exps)) {
		ret = 2;
		goto out;
	}
	monitor_start(&m, run->o.abort_on);
	{
		char beat[PATH_MAX];

		snprintf(beat, sizeof(beat), "%s/.heartbeat", run->dir);
		subtest_heartbeat_file(beat);
	}
	run->boots++;
	free(run->uname);
	run->uname = uname_string();
	ret = journal_add_boot(run);
	ret = ret ?: run_execute(run, &m, &end);
	if (ret) {
		fprintf(stderr, "accel-cts: the run stopped: %s\n", strerror(-ret));
		run_write_results(run);
		ret = 2;
		goto out;
	}
	run->finished = end == RUN_ENDED;
	if (run_write_results(run))
		ret = 2;
	print_summary(stdout, run);
	if (end == RUN_STOPPED) {
		printf("accel-cts: stopped for a reboot; `accel-cts resume %s` continues the run\n",
		       run->dir);
		ret = EXIT_STOPPED;
	} else if (!ret) {
		ret = run_failed(run) ? 1 : 0;
	}
out:
	subtest_heartbeat_file(NULL);
	for (i = 0; i < RUN_MAX_DEVICES; i++)
		expectations_free(&exps[i]);
	return ret;
}

/* label: accel-cts run --label, NULL if not given. */
static void write_environment(const char *dir, const char *label)
{
	json_object *env = json_object_new_object();
	struct utsname u;
	char path[PATH_MAX], date[64], clock[64];
	time_t t = time(NULL);
	const char *v;

	uname(&u);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	json_object_object_add(env, "kernel_release", json_object_new_string(u.release));
	json_object_object_add(env, "kernel_version", json_object_new_string(u.version));
	json_object_object_add(env, "machine", json_object_new_string(u.machine));
	json_object_object_add(env, "hostname", json_object_new_string(u.nodename));
	json_object_object_add(env, "date", json_object_new_string(date));
	json_object_object_add(env, "vm", json_object_new_boolean(getenv("ACCEL_CTS_VM") != NULL));
	v = getenv("ACCEL_CTS_GIT_SHA");
	json_object_object_add(env, "git_sha", json_object_new_string(v ? v : "unknown"));
	json_object_object_add(env, "clock",
			       json_object_new_string(acts_env_clock(clock, sizeof(clock))));
	if (label)
		json_object_object_add(env, "label", json_object_new_string(label));
	snprintf(path, sizeof(path), "%s/environment.json", dir);
	if (json_object_to_file_ext(path, env, JSON_C_TO_STRING_PRETTY))
		fprintf(stderr, "accel-cts: cannot write %s\n", path);
	json_object_put(env);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* Is name one of the comma-separated words of list? */
static bool in_list(const char *list, const char *name)
{
	char buf[1024], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (!strcmp(tok, name))
			return true;
	return false;
}

/*
 * The test binaries in dir, sorted; only those named in `only` if given,
 * each of which must exist: a misspelt name is an error, never a silently
 * smaller run.
 */
static int list_binaries(const char *dir, const char *only, char ***out)
{
	char **names = NULL, **grown, list[1024], *tok, *save = NULL;
	struct dirent **ents;
	int n = 0, nents, i;

	nents = scandir(dir, &ents, NULL, alphasort);
	if (nents < 0) {
		fprintf(stderr, "accel-cts: cannot open tests folder %s: %s\n", dir, strerror(errno));
		return -errno;
	}
	for (i = 0; i < nents; i++) {
		char path[PATH_MAX];
		struct stat st;
		const char *e = ents[i]->d_name;

		snprintf(path, sizeof(path), "%s/%s", dir, e);
		if (e[0] == '.' || stat(path, &st) || !S_ISREG(st.st_mode) ||
		    !(st.st_mode & S_IXUSR) || (only && !in_list(only, e)))
			continue;
		grown = realloc(names, (n + 1) * sizeof(*names));
		if (grown)
			names = grown;
		if (!grown || !(names[n] = strdup(path))) {
			fprintf(stderr, "accel-cts: out of memory listing %s\n", dir);
			goto fail;
		}
		n++;
	}
	if (only) {
		snprintf(list, sizeof(list), "%s", only);
		for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			for (i = 0; i < n; i++)
				if (!strcmp(strrchr(names[i], '/') + 1, tok))
					break;
			if (i == n) {
				fprintf(stderr, "accel-cts: --only: no test binary named %s in %s\n",
					tok, dir);
				goto fail;
			}
		}
	}
	for (i = 0; i < nents; i++)
		free(ents[i]);
	free(ents);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	*out = names;
	return n;

fail:
	for (i = 0; i < nents; i++)
		free(ents[i]);
	free(ents);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return -EINVAL;
}

/* The device folder name: "<driver>-<node>". */
static void device_dir(struct device_run *dev)
{
	const char *node = strrchr(dev->node.path, '/');
	char dir[sizeof(dev->dir)];

	snprintf(dir, sizeof(dir), "%s-%s", dev->node.driver, node ? node + 1 : "node");
	memcpy(dev->dir, dir, sizeof(dir));
}

/*
 * What the device is to the suite: its driver, shape and backend for
 * reports, and the capabilities the probe found (opened once and closed,
 * so a single-open device is free again for the subtests).
 */
static void device_describe(struct device_run *dev)
{
	struct acts_dev *d = acts_dev_open(dev->node.path);
	bool generic = d ? d->be == &acts_backend_generic : dev->node.be == &acts_backend_generic;
	char label[sizeof(dev->label)];

	if (d)
		acts_dev_label(d, label, sizeof(label));
	else
		snprintf(label, sizeof(label), "%s", dev->node.driver);
	snprintf(dev->label, sizeof(dev->label), "%.80s%s", label, generic ? " (generic)" : "");
	dev->caps[0] = '\0';
	if (d)
		acts_caps_format(d->caps, dev->caps, sizeof(dev->caps));
	snprintf(dev->backend, sizeof(dev->backend), "%s",
		 d ? d->be->name : dev->node.be ? dev->node.be->name : "");
	acts_dev_close(d);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: accel-cts run [options]\n"
		"  --out DIR         results folder (default results/runs/<UTC time>); must not exist\n"
		"  --tests DIR       test binaries (default: tests/ next to this program)\n"
		"  --only LIST       comma-separated test binaries to run (default: all)\n"
		"  --device PATH     only this node (default: every node with a backend)\n"
		"  --driver NAME     only nodes of this driver\n"
		"  --no-device       no device: one placeholder, \"none\", for binaries whose\n"
		"                    subtests need none (the harness's own self-tests)\n"
		"  --per-test-timeout SECS  (or --timeout) per-subtest timeout (default 60)\n"
		"  --overall-timeout SECS   start no subtest after SECS since the run began,\n"
		"                    boots and resumes included; the rest is recorded notrun\n"
		"  --inactivity-timeout SECS  kill a subtest that wrote nothing for SECS\n"
		"  --abort-on-monitored-error[=LIST]  stop for a reboot when the kernel becomes\n"
		"                    tainted (taint: a WARN, an Oops, a bad page) or lockdep turns\n"
		"                    itself off (lockdep); LIST is taint,lockdep (the default)\n"
		"  --name NAME       name recorded in results.json (default: the folder name)\n"
		"  --label TEXT      how plots and reports name this run, e.g. \"before the fix\"\n"
		"                    (at most %d bytes; default: git sha, kernel and start\n"
		"                    time); kept in DIR/environment.json\n"
		"  --dmesg-ignore RE kernel warnings matching this extended regex do not make\n"
		"                    a subtest dmesg-warn (added to a built-in list of host noise)\n"
		"  --expectations DIR  DRM CI expectation files: DIR/<driver>-<board>-fails.txt\n"
		"                    (binary@subtest,Result), -flakes.txt and -skips.txt (regexes)\n"
		"  --board NAME      the <board> of those files (default in the VM: vm)\n"
		"  --flake-retries N reruns of a failing listed flake (default 2)\n"
		"  --quiet           no per-subtest lines, only the summary\n"
		"  --multiple        (the default) run consecutive subtests of a binary in one\n"
		"                    execution (--run-subtest a,b,c, as igt_runner's\n"
		"                    --multiple-mode); output, kernel log and journal are cut\n"
		"                    per subtest; a binary that dies or is killed in a subtest\n"
		"                    gives it crash or timeout, the rest run in a new execution\n"
		"  --single          one execution per subtest (slower; flake retries always are)\n"
		"Every subtest's start and result go to DIR/journal.jsonl as they happen;\n"
		"results.json, results.ktap, junit.xml and failures.csv are rewritten from it\n"
		"as the run goes (accel-cts results DIR rebuilds them).\n"
		"exit status: 0 no failures, 1 failures, 2 usage or no device,\n"
		"             3 stopped for a reboot (accel-cts resume DIR continues)\n",
		RUN_LABEL_GIVEN_MAX);
}

static bool parse_int(const char *opt, const char *s, int lo, int hi, int *v)
{
	char *end;
	long l;

	errno = 0;
	l = strtol(s, &end, 10);
	if (errno || end == s || *end || l < lo || l > hi) {
		fprintf(stderr, "accel-cts: %s '%s' is not %d-%d\n", opt, s, lo, hi);
		return false;
	}
	*v = (int)l;
	return true;
}

/* A label reads on one line of a legend: not empty, not long, no control characters. */
static bool label_ok(const char *label)
{
	const char *c;

	for (c = label; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			break;
	if (*c || !*label || strlen(label) > RUN_LABEL_GIVEN_MAX) {
		fprintf(stderr, "accel-cts: --label must be one line of 1 to %d bytes\n",
			RUN_LABEL_GIVEN_MAX);
		return false;
	}
	return true;
}

static char *dup_abs(const char *path)
{
	char buf[PATH_MAX];

	return realpath(path, buf) ? strdup(buf) : NULL;
}

int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "tests", required_argument, NULL, 't' },
		{ "only", required_argument, NULL, 'O' },
		{ "no-device", no_argument, NULL, 'N' },
		{ "device", required_argument, NULL, 'd' },
		{ "driver", required_argument, NULL, 'k' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "per-test-timeout", required_argument, NULL, 'T' },
		{ "overall-timeout", required_argument, NULL, 'A' },
		{ "inactivity-timeout", required_argument, NULL, 'i' },
		{ "abort-on-monitored-error", optional_argument, NULL, 'M' },
		{ "name", required_argument, NULL, 'n' },
		{ "label", required_argument, NULL, 'L' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "dmesg-ignore", required_argument, NULL, 'I' },
		{ "expectations", required_argument, NULL, 'E' },
		{ "board", required_argument, NULL, 'B' },
		{ "flake-retries", required_argument, NULL, 'R' },
		{ "single", no_argument, NULL, 'S' },
		{ "multiple", no_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct run run = { .journal_fd = -1, .o = { .timeout_s = 60, .flake_retries = 2 } };
	const char *out = NULL, *tests = NULL, *name = NULL, *label = NULL;
	char out_default[64], exe[PATH_MAX], tests_default[PATH_MAX + 8], **bins = NULL;
	struct acts_node nodes[RUN_MAX_DEVICES * 4];
	int c, n, nbins = 0, i, ret = 2;
	struct stat st;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 't': tests = optarg; break;
		case 'O': run.o.only = strdup(optarg); break;
		case 'N': run.o.no_device = true; break;
		case 'd': run.o.device = strdup(optarg); break;
		case 'k': run.o.driver = strdup(optarg); break;
		case 'n': name = optarg; break;
		case 'L':
			if (!label_ok(optarg))
				goto out;
			label = optarg;
			break;
		case 'q': run.quiet = true; break;
		case 'S': run.o.single = true; break;
		case 'U': run.o.single = false; break;
		case 'I': run.o.dmesg_ignore = strdup(optarg); break;
		case 'E': run.o.exp_dir = strdup(optarg); break;
		case 'B': run.o.board = strdup(optarg); break;
		case 'R':
			if (!parse_int("--flake-retries", optarg, 0, 100, &run.o.flake_retries))
				goto out;
			break;
		case 'T':
			if (!parse_int("--per-test-timeout", optarg, 1, 86400, &run.o.timeout_s))
				goto out;
			break;
		case 'A':
			if (!parse_int("--overall-timeout", optarg, 1, 7 * 86400,
				       &run.o.overall_timeout_s))
				goto out;
			break;
		case 'i':
			if (!parse_int("--inactivity-timeout", optarg, 1, 86400, &run.o.inactivity_s))
				goto out;
			break;
		case 'M':
			if (monitor_parse(optarg ?: "taint,lockdep", &run.o.abort_on))
				goto out;
			break;
		case 'h': usage(stdout); ret = 0; goto out;
		default: usage(stderr); goto out;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "accel-cts: unexpected argument '%s'\n", argv[optind]);
		goto out;
	}
	if (kmsg_set_ignore(run.o.dmesg_ignore))
		goto out;
	if (run.o.exp_dir && !run.o.board && getenv("ACCEL_CTS_VM"))
		run.o.board = strdup("vm");
	if (run.o.exp_dir && !run.o.board) {
		fprintf(stderr, "accel-cts: --expectations needs --board NAME (the <board> of "
			"<driver>-<board>-fails.txt)\n");
		goto out;
	}
	if (run.o.board && !run.o.exp_dir) {
		fprintf(stderr, "accel-cts: --board is for --expectations\n");
		goto out;
	}
	if (run.o.exp_dir) {
		char *abs = dup_abs(run.o.exp_dir);

		if (!abs || stat(abs, &st) || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "accel-cts: --expectations %s is not a folder\n",
				run.o.exp_dir);
			free(abs);
			goto out;
		}
		free(run.o.exp_dir);
		run.o.exp_dir = abs;
	}

	if (!tests) {
		ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		exe[len > 0 ? len : 0] = '\0';
		*(strrchr(exe, '/') ?: exe) = '\0';
		snprintf(tests_default, sizeof(tests_default), "%s/tests", exe);
		tests = tests_default;
	}
	run.o.tests_dir = dup_abs(tests);
	if (!run.o.tests_dir) {
		fprintf(stderr, "accel-cts: cannot open tests folder %s: %s\n", tests, strerror(errno));
		goto out;
	}
	nbins = list_binaries(run.o.tests_dir, run.o.only, &bins);
	if (nbins < 0)
		goto out;
	if (nbins == 0) {
		fprintf(stderr, "accel-cts: no test binaries%s%s in %s\n", run.o.only ? " named " : "",
			run.o.only ?: "", run.o.tests_dir);
		goto out;
	}

	/*
	 * --no-device: one placeholder device, for binaries whose subtests need
	 * none (the harness's own): they run without --device, results in none/.
	 */
	n = run.o.no_device ? 0 : acts_discover(nodes, RUN_MAX_DEVICES * 4);
	if (run.o.no_device) {
		snprintf(run.devs[0].node.driver, sizeof(run.devs[0].node.driver), "none");
		run.devs[0].node.kind = ACTS_NODE_ACCEL;
		snprintf(run.devs[0].dir, sizeof(run.devs[0].dir), "none");
		run.ndev = 1;
	}
	for (i = 0; i < n && run.ndev < RUN_MAX_DEVICES; i++) {
		if (!nodes[i].be)
			continue;
		if ((run.o.device && strcmp(run.o.device, nodes[i].path)) ||
		    (run.o.driver && strcmp(run.o.driver, nodes[i].driver)))
			continue;
		run.devs[run.ndev].node = nodes[i];
		device_describe(&run.devs[run.ndev]);
		device_dir(&run.devs[run.ndev++]);
	}
	if (run.ndev == 0) {
		fprintf(stderr, "accel-cts: no %s%sdevice with a backend found%s%s (see: accel-cts devices)\n",
			run.o.driver ?: "", run.o.driver ? " " : "", run.o.device ? " at " : "",
			run.o.device ?: "");
		goto out;
	}

	if (!out) {
		time_t t = time(NULL);
		char stamp[32];

		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", gmtime(&t));
		snprintf(out_default, sizeof(out_default), "results/runs/%s", stamp);
		out = out_default;
	}
	if (stat(out, &st) == 0) {
		fprintf(stderr, "accel-cts: %s already exists; choose a new --out folder\n", out);
		goto out;
	}
	if (mkdir_p(out)) {
		fprintf(stderr, "accel-cts: cannot create %s: %s\n", out, strerror(errno));
		goto out;
	}
	run.dir = strdup(out);
	/* As igt_runner: the run is named after its folder unless told. */
	run.name = strdup(name ?: (strrchr(out, '/') && strrchr(out, '/')[1] ?
				   strrchr(out, '/') + 1 : out));
	run.cmdline = calloc(argc + 2, sizeof(char *));
	if (run.cmdline) {
		run.cmdline[run.ncmdline++] = strdup("accel-cts");
		for (i = 0; i < argc; i++)
			run.cmdline[run.ncmdline++] = strdup(argv[i]);
	}
	run.t0 = clock_wall_s();
	if (!run.dir || !run.name || journal_create(&run))
		goto out;
	write_environment(out, label);

	/* The plan first: a journal that stops anywhere later says what was left. */
	run.bins = calloc(nbins, sizeof(*run.bins));
	if (!run.bins)
		goto out;
	for (i = 0; i < nbins; i++) {
		if (plan_binary(bins[i], &run.bins[i]))
			goto out;
		run.nbins++;
		if (journal_add_plan(&run, &run.bins[i]))
			goto out;
	}
	if (run_expand_plan(&run, 0))
		goto out;
	ret = run_go(&run);
out:
	for (i = 0; i < nbins; i++)
		free(bins[i]);
	free(bins);
	run_free(&run);
	return ret;
}

/* vm/run's line where a guest that died while booting was booted again. */
#define BOOTED_AGAIN "booting again"

/*
 * The kernel's last words on a console log: from the first report that
 * stops a kernel (a BUG, an Oops, a panic, a lockup or stall) or, failing
 * that, the first WARNING, about 60 lines on. Only the last boot attempt
 * counts: vm/run keeps the consoles of attempts that died booting before it.
 */
static char *console_excerpt(const char *path, char **first_line)
{
	static const char severe[] = "(BUG:|Oops|general protection fault|Kernel panic|"
				     "soft lockup|hard LOCKUP|rcu: INFO:|detected stall|"
				     "INFO: task .* blocked|Unable to handle)";
	static const char *const patterns[] = { severe, "WARNING:" };
	char *line = NULL, *excerpt = NULL;
	size_t cap = 0, len = 0, i;
	long skip = 0, lineno;
	ssize_t n;
	regex_t re;
	FILE *f;

	*first_line = NULL;
	f = fopen(path, "re");
	if (!f)
		return NULL;
	for (lineno = 0; getline(&line, &cap, f) > 0; lineno++)
		if (strstr(line, BOOTED_AGAIN))
			skip = lineno + 1;
	for (i = 0; i < 2 && !excerpt; i++) {
		int taken = 0;

		if (regcomp(&re, patterns[i], REG_EXTENDED | REG_NOSUB))
			break;
		rewind(f);
		for (lineno = 0; (n = getline(&line, &cap, f)) > 0 && taken < 60; lineno++) {
			char *grown;

			if (lineno < skip || (!taken && regexec(&re, line, 0, NULL, 0)))
				continue;
			if (len + (size_t)n + 1 > 16384)
				break;
			grown = realloc(excerpt, len + (size_t)n + 1);
			if (!grown)
				break;
			excerpt = grown;
			if (!taken) {
				const char *text = line, *bracket = strchr(line, ']');

				/* "[   12.345678] " is the console's, not the kernel's words. */
				if (text[0] == '[' && bracket)
					text = bracket + 1 + (bracket[1] == ' ');
				*first_line = strndup(text, strcspn(text, "\n"));
			}
			memcpy(excerpt + len, line, (size_t)n + 1);
			len += (size_t)n;
			taken++;
		}
		regfree(&re);
	}
	fclose(f);
	free(line);
	return excerpt;
}

/*
 * After a reboot: the subtest the journal shows started and unfinished is
 * where the kernel died (or hung): it is recorded so. When the caller knows
 * the kernel died (died) and no subtest was running, that is recorded too,
 * as an event between subtests: a crash must never vanish from the results.
 */
int run_record_lost(struct run *run, const char *console, bool hang, bool died)
{
	char *first = NULL, *excerpt = console ? console_excerpt(console, &first) : NULL;
	const char *kind = hang ? "timeout" : "crash";
	int d, i, k, ret = 0, lost = 0;

	for (d = 0; d < run->ndev; d++) {
		struct device_run *dev = &run->devs[d];

		for (i = 0; i < dev->n && !ret; i++) {
			struct subtest_result *r = &dev->results[i];
			char name[512], *reason = NULL;

			if (r->result != RUN_INCOMPLETE)
				continue;
			lost++;
			snprintf(name, sizeof(name), "%s@%s", r->binary, r->name);
			if (hang && asprintf(&reason, "the kernel stopped making progress in this "
					     "subtest; the host ended the guest%s%s",
					     first ? ": " : "", first ?: "") < 0)
				reason = NULL;
			else if (!hang && asprintf(&reason, "the kernel died in this subtest: %s",
						   first ?: "no kernel report on the console") < 0)
				reason = NULL;
			result_reset(r);
			r->result = hang ? RUN_TIMEOUT : RUN_CRASH;
			r->reason = reason;
			r->out = strdup("");
			r->err = strdup("");
			r->dmesg = strdup(excerpt ?: "");
			/* When it ended is not known: the machine went with it. */
			r->end = r->start;
			/*
			 * The dynamic subtest that was running is where it died: the
			 * crash is its, and the parts that had finished keep their results.
			 */
			for (k = 0; k < r->ndyn; k++) {
				struct subtest_result *dy = &r->dyn[k];

				if (dy->result != RUN_INCOMPLETE)
					continue;
				dy->result = r->result;
				free(dy->reason);
				dy->reason = strdup(reason ?: "the kernel died in this dynamic subtest");
				free(dy->dmesg);
				dy->dmesg = strdup(excerpt ?: "");
				snprintf(name, sizeof(name), "%s@%s", dy->binary, dy->name);
			}
			judge(dev, r, name);
			/* judge() took name as the subtest's: the parent's own verdict. */
			{
				char pname[512];

				snprintf(pname, sizeof(pname), "%s@%s", r->binary, r->name);
				r->verdict = dev->exp ? expectations_judge(dev->exp, pname, r->result) :
					     EXP_NONE;
			}
			printf("accel-cts: %s %s: %s\n", dev->node.driver, name,
			       reason ?: "the kernel died in this subtest");
			ret = journal_add_result(run, dev, r);
			ret = ret ?: add_event(run, kind, dev->dir, name,
					       first ?: hang ? "no progress; the host stopped the guest" :
					       "no kernel report on the console");
		}
	}
	if (!ret && died && !lost) {
		char *reason = NULL;

		if (asprintf(&reason, "the kernel %s between subtests: %s",
			     hang ? "stopped making progress" : "died",
			     first ?: "no kernel report on the console") < 0)
			reason = NULL;
		printf("accel-cts: %s\n", reason ?: "the kernel died between subtests");
		ret = add_event(run, kind, "", "", reason ?: "the kernel died between subtests");
		free(reason);
	}
	free(excerpt);
	free(first);
	return ret;
}

/* The devices of the journal, found again after a reboot. */
static int find_devices(struct run *run)
{
	struct acts_node nodes[RUN_MAX_DEVICES * 4];
	int n = acts_discover(nodes, RUN_MAX_DEVICES * 4), d, i;

	for (d = 0; d < run->ndev; d++) {
		if (!run->devs[d].node.path[0])
			continue;	/* --no-device's placeholder */
		for (i = 0; i < n; i++)
			if (!strcmp(nodes[i].path, run->devs[d].node.path) &&
			    !strcmp(nodes[i].driver, run->devs[d].node.driver) && nodes[i].be)
				break;
		if (i == n) {
			fprintf(stderr, "accel-cts: %s (%s) of the run is not here after the reboot\n",
				run->devs[d].node.path, run->devs[d].node.driver);
			return -ENODEV;
		}
		run->devs[d].node = nodes[i];
		device_describe(&run->devs[d]);
	}
	return 0;
}

/* Plan the binaries a journal cut short during planning did not list. */
static int plan_missing(struct run *run)
{
	char **bins = NULL;
	int n = list_binaries(run->o.tests_dir, run->o.only, &bins), i, b, from = run->nbins;
	int ret = n < 0 ? n : 0;

	for (i = 0; i < n && !ret; i++) {
		struct plan_binary *grown;

		for (b = 0; b < run->nbins; b++)
			if (!strcmp(run->bins[b].path, bins[i]))
				break;
		if (b < run->nbins)
			continue;
		grown = realloc(run->bins, (run->nbins + 1) * sizeof(*grown));
		if (!grown) {
			ret = -ENOMEM;
			break;
		}
		run->bins = grown;
		ret = plan_binary(bins[i], &run->bins[run->nbins]);
		if (!ret) {
			run->nbins++;
			ret = journal_add_plan(run, &run->bins[run->nbins - 1]);
		}
	}
	for (i = 0; i < n; i++)
		free(bins[i]);
	free(bins);
	return ret ?: run_expand_plan(run, from);
}

int cmd_resume(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "console", required_argument, NULL, 'c' },
		{ "lost-by", required_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "stop", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct run run = { .journal_fd = -1 };
	const char *console = NULL;
	bool hang = false, quiet = false, stop = false, died = false;
	int c, ret = 2;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': console = optarg; break;
		case 'l':
			if (strcmp(optarg, "crash") && strcmp(optarg, "hang")) {
				fprintf(stderr, "accel-cts: --lost-by is crash or hang, not '%s'\n",
					optarg);
				return 2;
			}
			hang = !strcmp(optarg, "hang");
			died = true;
			break;
		case 'q': quiet = true; break;
		case 's': stop = true; break;
		case 'h':
		default:
			fprintf(c == 'h' ? stdout : stderr,
				"usage: accel-cts resume [--console FILE] [--lost-by crash|hang] [--stop] [--quiet] DIR\n"
				"  continue the run in DIR after its last finished subtest. The subtest\n"
				"  that was running when the kernel died is recorded as crash (or\n"
				"  timeout with --lost-by hang), its dmesg the kernel's report from the\n"
				"  console log FILE. --lost-by also says the kernel did die: with no\n"
				"  subtest running, that is recorded between subtests. With --stop,\n"
				"  record that and end the run there: the\n"
				"  rest stays not run (no device needed). Exit status as accel-cts run.\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "accel-cts: resume needs one run folder (see accel-cts resume --help)\n");
		return 2;
	}
	if (console && access(console, R_OK)) {
		fprintf(stderr, "accel-cts: --console %s: %s\n", console, strerror(errno));
		return 2;
	}
	if (journal_load(argv[optind], &run))
		goto out;
	run.quiet = quiet;
	if (run.finished) {
		printf("accel-cts: %s: the run is complete; nothing to resume\n", run.dir);
		ret = run_write_results(&run) ? 2 : run_failed(&run) ? 1 : 0;
		goto out;
	}
	if (journal_reopen(&run))
		goto out;
	{
		struct expectations exps[RUN_MAX_DEVICES] = { 0 };
		int i;

		/* The lost subtest is judged against the expectation files too. */
		ret = load_expectations(&run, exps);
		ret = ret ?: run_record_lost(&run, console, hang, died);
		for (i = 0; i < RUN_MAX_DEVICES; i++) {
			run.devs[i].exp = NULL;
			expectations_free(&exps[i]);
		}
		if (ret) {
			ret = 2;
			goto out;
		}
	}
	if (stop) {
		ret = add_event(&run, "abort", "", "", "the run was ended after its last boot; "
				"what it had not reached is not run");
		ret = ret ?: journal_add_end(&run);
		run.finished = true;
		ret = ret ?: run_write_results(&run);
		print_summary(stdout, &run);
		ret = ret ? 2 : 1;
		goto out;
	}
	ret = plan_missing(&run);
	if (!ret && find_devices(&run)) {
		ret = add_event(&run, "abort", "", "", "a device of the run is gone after the reboot");
		ret = ret ?: journal_add_end(&run);
		run.finished = true;
		run_write_results(&run);
		print_summary(stdout, &run);
		ret = ret ? 2 : 1;
		goto out;
	}
	ret = ret ? 2 : run_go(&run);
out:
	run_free(&run);
	return ret;
}

int cmd_results(int argc, char **argv)
{
	struct run run = { .journal_fd = -1 };
	int ret = 2;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(argc == 2 && !strcmp(argv[1], "--help") ? stdout : stderr,
			"usage: accel-cts results DIR\n"
			"  rebuild every results file of the run in DIR (results.json, results.ktap,\n"
			"  junit.xml, failures.csv per device; summary.txt) from its journal.\n"
			"  Exit status: 0 complete and passing, 1 failures or not finished, 2 no journal\n");
		return argc == 2 && !strcmp(argv[1], "--help") ? 0 : 2;
	}
	if (journal_load(argv[1], &run))
		goto out;
	if (run_write_results(&run))
		goto out;
	print_summary(stdout, &run);
	if (!run.finished)
		printf("accel-cts: the run is not finished; `accel-cts resume %s` continues it\n",
		       run.dir);
	ret = run_failed(&run) || !run.finished ? 1 : 0;
out:
	run_free(&run);
	return ret;
}

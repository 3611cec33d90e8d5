// SPDX-License-Identifier: MIT
/*
 * Unit tests of the run journal: written through the runner's own calls,
 * then cut at every byte, as a kernel that dies mid-write would leave it.
 * Every cut must load, rebuild results files that agree with each other and
 * with what the kept records say, and leave exactly the unfinished subtests
 * for resume: none finished run again, none unfinished skipped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "acts_assert.h"
#include "acts_test.h"
#include "expectations.h"
#include "runner.h"

#define NDEV 2
#define NBIN 2
#define NSUB 3

static const char *const results_cycle[] = { "pass", "fail", "skip", "dmesg-warn", "crash",
					     "timeout" };

/* The runner explains every refusal and recovery; thousands of cuts need not. */
static int saved_fds[2] = { -1, -1 };

static void quiet(bool on)
{
	int i;

	fflush(stdout);
	fflush(stderr);
	for (i = 0; i < 2; i++) {
		if (on) {
			int null = open("/dev/null", O_WRONLY);

			saved_fds[i] = dup(i + 1);
			dup2(null, i + 1);
			close(null);
		} else if (saved_fds[i] >= 0) {
			dup2(saved_fds[i], i + 1);
			close(saved_fds[i]);
			saved_fds[i] = -1;
		}
	}
}

static char *tmp_dir(void)
{
	char tmpl[] = "/tmp/acts-journal.XXXXXX";
	char *d = mkdtemp(tmpl);

	acts_assert(d);
	return strdup(d);
}

static void remove_dir(char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	acts_assert_eq(system(cmd), 0);
	free(dir);
}

/* What the full journal says of each subtest, and where its records end. */
struct truth {
	enum run_result result;
	size_t start_end, result_end;	/* file length once its start/result record is in */
};

static struct truth truth[NDEV][NBIN * NSUB];
static size_t run_record_end, plan_end[NBIN], end_record_end;

static size_t file_len(const char *dir)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/journal.jsonl", dir);
	acts_assert_eq(stat(path, &st), 0);
	return (size_t)st.st_size;
}

static void init_run(struct run *run, const char *dir)
{
	int d;

	memset(run, 0, sizeof(*run));
	run->journal_fd = -1;
	run->dir = strdup(dir);
	run->name = strdup("journal-selftest");
	run->t0 = 1000.0;
	run->o.tests_dir = strdup("/nowhere/tests");
	run->o.timeout_s = 60;
	run->o.abort_on = MONITOR_TAINT;
	run->ndev = NDEV;
	for (d = 0; d < NDEV; d++) {
		snprintf(run->devs[d].node.path, sizeof(run->devs[d].node.path),
			 "/dev/accel/accel%d", d);
		snprintf(run->devs[d].node.driver, sizeof(run->devs[d].node.driver), "refaccel");
		snprintf(run->devs[d].dir, sizeof(run->devs[d].dir), "refaccel-accel%d", d);
	}
}

/*
 * A whole run's journal: the plan, a boot, every subtest on device 0 and the
 * first ones on device 1 with results of every kind (output with quotes,
 * newlines and non-ASCII bytes), a crash the next boot recorded, the end.
 */
static void write_journal(const char *dir)
{
	struct run run;
	int d, b, s, k = 0;

	init_run(&run, dir);
	acts_assert_eq(journal_create(&run), 0);
	run_record_end = file_len(dir);
	run.bins = calloc(NBIN, sizeof(*run.bins));
	for (b = 0; b < NBIN; b++) {
		struct plan_binary *pb = &run.bins[b];

		acts_assert(asprintf(&pb->name, "bin%d", b) > 0);
		acts_assert(asprintf(&pb->path, "/nowhere/tests/bin%d", b) > 0);
		pb->subtests = calloc(NSUB, sizeof(char *));
		pb->descs = calloc(NSUB, sizeof(char *));
		pb->rules = calloc(NSUB, sizeof(char *));
		for (s = 0; s < NSUB; s++) {
			acts_assert(asprintf(&pb->subtests[s], "sub-%d", s) > 0);
			pb->descs[s] = strdup("a \"quoted\" description\nover two lines");
			pb->rules[s] = strdup("GEM-1, SUB-2");
		}
		pb->n = NSUB;
		run.nbins++;
		acts_assert_eq(journal_add_plan(&run, pb), 0);
		plan_end[b] = file_len(dir);
	}
	acts_assert_eq(run_expand_plan(&run, 0), 0);
	run.boots = 1;
	run.uname = strdup("Linux test 6.12.0-test #1 SMP x86_64");
	acts_assert_eq(journal_add_boot(&run), 0);
	for (d = 0; d < NDEV; d++) {
		for (s = 0; s < run.devs[d].n; s++) {
			struct subtest_result *r = &run.devs[d].results[s];

			r->boot = run.boots;
			r->start = 10.0 * k;
			acts_assert_eq(journal_add_start(&run, &run.devs[d], r), 0);
			truth[d][s].start_end = file_len(dir);
			if (d == 1 && s == 2) {
				/* The kernel dies here; the next boot records it, as resume does. */
				struct run_event e = { .kind = "crash", .dev = run.devs[d].dir,
						       .test = "bin0@sub-2", .reason = "BUG: x",
						       .boot = 1 };

				r->result = RUN_CRASH;
				r->reason = strdup("the kernel died in this subtest: BUG: x");
				acts_assert_eq(journal_add_result(&run, &run.devs[d], r), 0);
				truth[d][s].result = RUN_CRASH;
				truth[d][s].result_end = file_len(dir);
				acts_assert_eq(journal_add_event(&run, &e), 0);
				run.boots = 2;
				acts_assert_eq(journal_add_boot(&run), 0);
				continue;
			}
			r->result = RUN_NRESULTS;
			for (b = 0; b < RUN_NRESULTS; b++)
				if (!strcmp(run_result_name(b), results_cycle[k % 6]))
					r->result = b;
			acts_assert(r->result != RUN_NRESULTS);
			r->end = r->start + 1.5;
			r->out = strdup("Subtest x: \"out\" \\ ok\n\tnext line \xc3\xa9\n");
			r->err = strdup(k % 2 ? "oops <&> </system-err>\n" : "");
			r->dmesg = strdup("<4> [1.0] refaccel: warned\n");
			r->reason = k % 3 ? strdup("why, \"exactly\"") : NULL;
			acts_assert_eq(journal_add_result(&run, &run.devs[d], r), 0);
			truth[d][s].result = r->result;
			truth[d][s].result_end = file_len(dir);
			k++;
		}
	}
	acts_assert_eq(journal_add_end(&run), 0);
	end_record_end = file_len(dir);
	run_free(&run);
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	acts_assert(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	acts_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void write_prefix(const char *dir, const char *text, size_t len)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/journal.jsonl", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	acts_assert(fd >= 0);
	acts_assert_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
}

static int count_lines(const char *path, const char *prefix)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int n = 0;

	acts_assert(f);
	while (fgets(line, sizeof(line), f))
		n += !strncmp(line, prefix, strlen(prefix));
	fclose(f);
	return n;
}

/* The results files of one device agree with each other and with the truth at cut. */
static void check_device(const char *dir, int d, int planned, size_t cut)
{
	char path[600], key[128];
	json_object *root, *tests, *t, *v, *totals, *all;
	int s, nok, nnot, junit_tests = 0, fails = 0, csv;
	FILE *f;

	snprintf(path, sizeof(path), "%s/refaccel-accel%d/results.json", dir, d);
	root = json_object_from_file(path);
	acts_assert(root);
	acts_assert(json_object_object_get_ex(root, "tests", &tests));
	acts_assert_eq(json_object_object_length(tests), planned);
	acts_assert(json_object_object_get_ex(root, "totals", &totals));
	acts_assert(json_object_object_get_ex(totals, "root", &all));
	{
		int sum = 0;

		json_object_object_foreach(all, k, c) {
			(void)k;
			sum += json_object_get_int(c);
		}
		acts_assert_eq(sum, planned);
	}
	for (s = 0; s < planned; s++) {
		const struct truth *tr = &truth[d][s];
		enum run_result want = cut >= tr->result_end ? tr->result :
				       cut >= tr->start_end ? RUN_INCOMPLETE : RUN_NOTRUN;

		snprintf(key, sizeof(key), "igt@bin%d@sub-%d", s / NSUB, s % NSUB);
		acts_assert(json_object_object_get_ex(tests, key, &t));
		acts_assert(json_object_object_get_ex(t, "result", &v));
		if (strcmp(json_object_get_string(v), run_result_name(want)))
			acts_fail("cut at %zu: device %d %s is %s, the journal says %s", cut, d, key,
				  json_object_get_string(v), run_result_name(want));
		fails += run_result_is_failure(want);
		if (want == tr->result && want != RUN_CRASH) {
			acts_assert(json_object_object_get_ex(t, "out", &v));
			acts_assert(!strcmp(json_object_get_string(v),
					    "Subtest x: \"out\" \\ ok\n\tnext line \xc3\xa9\n"));
		}
	}
	json_object_put(root);

	snprintf(path, sizeof(path), "%s/refaccel-accel%d/results.ktap", dir, d);
	nok = count_lines(path, "  ok ");
	nnot = count_lines(path, "  not ok ");
	acts_assert_eq(nok + nnot, planned);
	acts_assert_eq(nnot, fails);

	snprintf(path, sizeof(path), "%s/refaccel-accel%d/junit.xml", dir, d);
	f = fopen(path, "r");
	acts_assert(f);
	acts_assert_eq(fscanf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			      "<testsuites name=\"accel-cts\" tests=\"%d\"", &junit_tests), 1);
	fclose(f);
	acts_assert_eq(junit_tests, planned);
	acts_assert_eq(count_lines(path, "    <testcase "), planned);

	snprintf(path, sizeof(path), "%s/refaccel-accel%d/failures.csv", dir, d);
	csv = count_lines(path, "bin");
	acts_assert_eq(csv, fails);
}

/* Every byte of the journal a possible end: the results files are always consistent. */
static void test_cut_anywhere(struct acts_dev *dev)
{
	char *full = tmp_dir(), *cutdir = tmp_dir();
	size_t len, cut;
	char *text;
	int checked = 0;

	write_journal(full);
	{
		char path[512];

		snprintf(path, sizeof(path), "%s/journal.jsonl", full);
		text = read_all(path, &len);
	}
	acts_assert_eq(len, end_record_end);
	for (cut = 0; cut <= len; cut++) {
		struct run run = { 0 };
		int ret, d, planned = 0, b;

		write_prefix(cutdir, text, cut);
		quiet(true);
		ret = journal_load(cutdir, &run);
		quiet(false);
		if (cut < run_record_end) {
			if (ret != -ENODATA)
				acts_fail("cut at %zu: journal_load gave %d, expected -ENODATA", cut,
					  ret);
			run_free(&run);
			continue;
		}
		if (ret)
			acts_fail("cut at %zu: journal_load failed: %d", cut, ret);
		for (b = 0; b < NBIN; b++)
			planned += cut >= plan_end[b] ? NSUB : 0;
		acts_assert_eq(run.finished, cut == len);
		quiet(true);
		ret = run_write_results(&run);
		quiet(false);
		acts_assert_eq(ret, 0);
		for (d = 0; d < NDEV; d++) {
			acts_assert_eq(run.devs[d].n, planned);
			check_device(cutdir, d, planned, cut);
		}
		run_free(&run);
		checked++;
	}
	acts_info("%d cuts of a %zu-byte journal rebuilt consistent results\n", checked, len);
	free(text);
	remove_dir(full);
	remove_dir(cutdir);
}

/*
 * Resume at every cut: what it records as lost is exactly the subtest
 * started and unfinished; what it leaves to run is exactly what has no
 * result. Nothing finished runs again; nothing unfinished is skipped.
 */
static void test_resume_anywhere(struct acts_dev *dev)
{
	char *full = tmp_dir(), *cutdir = tmp_dir();
	size_t len, cut;
	char *text;

	write_journal(full);
	{
		char path[512];

		snprintf(path, sizeof(path), "%s/journal.jsonl", full);
		text = read_all(path, &len);
	}
	for (cut = run_record_end; cut < len; cut++) {
		struct run run = { 0 }, again = { 0 };
		int d, s, ret, events, lost;

		write_prefix(cutdir, text, cut);
		acts_assert_eq(journal_load(cutdir, &run), 0);
		acts_assert_eq(journal_reopen(&run), 0);
		events = run.nevents;
		lost = run_count(&run, RUN_INCOMPLETE);
		quiet(true);
		ret = run_record_lost(&run, NULL, cut % 2, true);
		quiet(false);
		acts_assert_eq(ret, 0);
		/* The death is an event, in the subtest or between two: never lost. */
		acts_assert_eq(run.nevents, events + 1);
		acts_assert_eq(!strcmp(run.events[events].test, ""), !lost);
		acts_assert(!strcmp(run.events[events].kind, cut % 2 ? "timeout" : "crash"));
		run_free(&run);
		/* What resume does next, it reads from the journal again. */
		acts_assert_eq(journal_load(cutdir, &again), 0);
		for (d = 0; d < NDEV; d++) {
			for (s = 0; s < again.devs[d].n; s++) {
				const struct truth *tr = &truth[d][s];
				enum run_result got = again.devs[d].results[s].result;

				if (cut >= tr->result_end) {
					if (got != tr->result)
						acts_fail("cut at %zu: finished %d/%d became %s", cut,
							  d, s, run_result_name(got));
				} else if (cut >= tr->start_end) {
					if (got != (cut % 2 ? RUN_TIMEOUT : RUN_CRASH))
						acts_fail("cut at %zu: the lost %d/%d is %s", cut, d,
							  s, run_result_name(got));
				} else if (got != RUN_NOTRUN) {
					acts_fail("cut at %zu: unstarted %d/%d is %s, not left to run",
						  cut, d, s, run_result_name(got));
				}
			}
		}
		run_free(&again);
	}
	free(text);
	remove_dir(full);
	remove_dir(cutdir);
}

/* A journal damaged in its middle (not merely cut) is refused, with its line. */
static void test_refused(struct acts_dev *dev)
{
	char *full = tmp_dir();
	char path[512], *text;
	size_t len;
	struct run run = { 0 };

	write_journal(full);
	snprintf(path, sizeof(path), "%s/journal.jsonl", full);
	text = read_all(path, &len);
	text[run_record_end + 3] = '#';
	write_prefix(full, text, len);
	acts_assert_eq(journal_load(full, &run), -EINVAL);
	run_free(&run);
	unlink(path);
	acts_assert_eq(journal_load(full, &run), -ENOENT);
	run_free(&run);
	/* A journal of another format version is not read as this one. */
	snprintf(text, len, "{\"ev\":\"run\",\"version\":99}\n");
	write_prefix(full, text, strlen(text));
	acts_assert_eq(journal_load(full, &run), -EPROTO);
	run_free(&run);
	free(text);
	remove_dir(full);
}

static const struct acts_subtest tests[] = {
	{ "cut-anywhere", "", "a journal cut at any byte rebuilds consistent results files",
	  test_cut_anywhere, ACTS_NO_DEVICE },
	{ "resume-anywhere", "", "resume at any cut reruns nothing finished, skips nothing left",
	  test_resume_anywhere, ACTS_NO_DEVICE },
	{ "refused", "", "a journal damaged in its middle, or missing, is refused",
	  test_refused, ACTS_NO_DEVICE },
};

ACTS_MAIN(tests)

// SPDX-License-Identifier: MIT
/*
 * accel-cts: the command-line front end.
 *
 *   accel-cts devices            list DRM/accel nodes and their backends
 *   accel-cts run [options]      run the conformance suite, write results
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "acts_backend.h"
#include "compare.h"
#include "expectations.h"
#include "lava.h"
#include "plot.h"
#include "report.h"
#include "runner.h"
#include "summary.h"

#define MAX_DEVICES 16

static void usage(FILE *f)
{
	fprintf(f,
		"usage: accel-cts devices\n"
		"       accel-cts run [options]\n"
		"       accel-cts summary RUN-FOLDER   totals of a run, KUnit results included\n"
		"       accel-cts compare BASE NEW     regressions between two runs (--help)\n"
		"       accel-cts plot --out DIR RUN...  gnuplot plots (PNG, SVG) of run folders\n"
		"       accel-cts report --out DIR RUN...  one HTML page: runs, changes, plots\n"
		"       accel-cts lava-cases RUN       the run as LAVA test cases, one per line\n"
		"run options:\n"
		"  --out DIR         results folder (default results/runs/<UTC time>); must not exist\n"
		"  --tests DIR       test binaries (default: tests/ next to this program)\n"
		"  --only LIST       comma-separated test binaries to run (default: all)\n"
		"  --device PATH     only this node (default: every node with a backend)\n"
		"  --driver NAME     only nodes of this driver\n"
		"  --timeout SECS    per-subtest timeout (default 60)\n"
		"  --name NAME       name recorded in results.json (default: the folder name)\n"
		"  --dmesg-ignore RE kernel warnings matching this extended regex do not make\n"
		"                    a subtest dmesg-warn (added to a built-in list of host noise)\n"
		"  --expectations DIR  DRM CI expectation files: DIR/<driver>-<board>-fails.txt\n"
		"                    (binary@subtest,Result), -flakes.txt and -skips.txt (regexes)\n"
		"  --board NAME      the <board> of those files (default in the VM: vm)\n"
		"  --flake-retries N reruns of a failing listed flake (default 2)\n"
		"  --quiet           no per-subtest lines, only the summary\n"
		"exit status: 0 no failures, 1 failures, 2 usage or no device\n");
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int mkdir_p(const char *path)
{
	char tmp[PATH_MAX];
	char *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
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

static int cmd_devices(void)
{
	struct acts_node nodes[MAX_DEVICES * 4];
	int n = acts_discover(nodes, MAX_DEVICES * 4), i;

	if (n == 0) {
		printf("no DRM or accel nodes found\n");
		return 0;
	}
	for (i = 0; i < n; i++) {
		const char *use = !nodes[i].be ? "no backend" :
				  nodes[i].be->node == nodes[i].kind ? "tested" :
				  "not this node kind";

		printf("%-22s %-8s %-12s %s\n", nodes[i].path, acts_node_kind_name(nodes[i].kind),
		       nodes[i].driver, use);
	}
	return 0;
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
	struct dirent *de;
	int n = 0, i;
	DIR *d = opendir(dir);

	if (!d) {
		fprintf(stderr, "accel-cts: cannot open tests folder %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (de->d_name[0] == '.' || stat(path, &st) || !S_ISREG(st.st_mode) ||
		    !(st.st_mode & S_IXUSR))
			continue;
		if (only && !in_list(only, de->d_name))
			continue;
		grown = realloc(names, (n + 1) * sizeof(*names));
		if (!grown || !(grown[n] = strdup(path))) {
			fprintf(stderr, "accel-cts: out of memory listing %s\n", dir);
			names = grown ? grown : names;
			goto fail;
		}
		names = grown;
		n++;
	}
	closedir(d);
	d = NULL;
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
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	*out = names;
	return n;

fail:
	if (d)
		closedir(d);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return -1;
}

static void write_environment(const char *dir)
{
	json_object *env = json_object_new_object();
	struct utsname u;
	char path[PATH_MAX], date[64];
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
	snprintf(path, sizeof(path), "%s/environment.json", dir);
	if (json_object_to_file_ext(path, env, JSON_C_TO_STRING_PRETTY))
		fprintf(stderr, "accel-cts: cannot write %s\n", path);
	json_object_put(env);
}

static int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "tests", required_argument, NULL, 't' },
		{ "only", required_argument, NULL, 'O' },
		{ "device", required_argument, NULL, 'd' },
		{ "driver", required_argument, NULL, 'k' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "name", required_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "dmesg-ignore", required_argument, NULL, 'I' },
		{ "expectations", required_argument, NULL, 'E' },
		{ "board", required_argument, NULL, 'B' },
		{ "flake-retries", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct run_options o = { .timeout_s = 60, .flake_retries = 2 };
	const char *device = NULL, *driver = NULL, *only = NULL, *name = NULL, *ignore = NULL;
	const char *exp_dir = NULL, *board = NULL;
	struct expectations exps[MAX_DEVICES] = { 0 };
	char out_default[PATH_MAX], tests_default[PATH_MAX + 8], exe[PATH_MAX];
	struct acts_node nodes[MAX_DEVICES * 4];
	struct device_run devs[MAX_DEVICES] = { 0 };
	char **bins;
	int c, n, nbins, ndev = 0, i, b, failures = 0;
	double t0 = now_s();
	struct stat st;
	FILE *sf;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		char *end;

		switch (c) {
		case 'o': o.out_dir = optarg; break;
		case 't': o.tests_dir = optarg; break;
		case 'O': only = optarg; break;
		case 'd': device = optarg; break;
		case 'k': driver = optarg; break;
		case 'n': name = optarg; break;
		case 'q': o.quiet = true; break;
		case 'I': ignore = optarg; break;
		case 'E': exp_dir = optarg; break;
		case 'B': board = optarg; break;
		case 'R':
			errno = 0;
			o.flake_retries = (int)strtol(optarg, &end, 10);
			if (errno || *end || o.flake_retries < 0 || o.flake_retries > 100) {
				fprintf(stderr, "accel-cts: --flake-retries '%s' is not 0-100\n", optarg);
				return 2;
			}
			break;
		case 'T':
			errno = 0;
			o.timeout_s = (int)strtol(optarg, &end, 10);
			if (errno || *end || o.timeout_s <= 0 || o.timeout_s > 86400) {
				fprintf(stderr, "accel-cts: --timeout '%s' is not 1-86400 seconds\n", optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "accel-cts: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (kmsg_set_ignore(ignore))
		return 2;
	if (exp_dir && !board)
		board = getenv("ACCEL_CTS_VM") ? "vm" : NULL;
	if (exp_dir && !board) {
		fprintf(stderr, "accel-cts: --expectations needs --board NAME (the <board> of "
			"<driver>-<board>-fails.txt)\n");
		return 2;
	}
	if (board && !exp_dir) {
		fprintf(stderr, "accel-cts: --board is for --expectations\n");
		return 2;
	}
	if (exp_dir) {
		struct stat est;

		if (stat(exp_dir, &est) || !S_ISDIR(est.st_mode)) {
			fprintf(stderr, "accel-cts: --expectations %s is not a folder\n", exp_dir);
			return 2;
		}
	}

	if (!o.tests_dir) {
		ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		exe[len > 0 ? len : 0] = '\0';
		*(strrchr(exe, '/') ?: exe) = '\0';
		snprintf(tests_default, sizeof(tests_default), "%s/tests", exe);
		o.tests_dir = tests_default;
	}
	nbins = list_binaries(o.tests_dir, only, &bins);
	if (nbins < 0)
		return 2;
	if (nbins == 0) {
		fprintf(stderr, "accel-cts: no test binaries%s%s in %s\n", only ? " named " : "",
			only ?: "", o.tests_dir);
		return 2;
	}

	n = acts_discover(nodes, MAX_DEVICES * 4);
	for (i = 0; i < n && ndev < MAX_DEVICES; i++) {
		if (!nodes[i].be || nodes[i].be->node != nodes[i].kind)
			continue;
		if ((device && strcmp(device, nodes[i].path)) || (driver && strcmp(driver, nodes[i].driver)))
			continue;
		devs[ndev++].node = nodes[i];
	}
	if (ndev == 0) {
		fprintf(stderr, "accel-cts: no %s%sdevice with a backend found%s%s (see: accel-cts devices)\n",
			driver ?: "", driver ? " " : "", device ? " at " : "", device ?: "");
		return 2;
	}
	for (i = 0; exp_dir && i < ndev; i++) {
		if (expectations_load(&exps[i], exp_dir, devs[i].node.driver, board))
			return 2;
		devs[i].exp = &exps[i];
		if (!exps[i].files[0][0] && !exps[i].files[1][0] && !exps[i].files[2][0])
			printf("accel-cts: no expectation files for %s-%s in %s: every failure counts\n",
			       devs[i].node.driver, board, exp_dir);
	}

	if (!o.out_dir) {
		time_t t = time(NULL);
		char stamp[32];

		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", gmtime(&t));
		snprintf(out_default, sizeof(out_default), "results/runs/%s", stamp);
		o.out_dir = out_default;
	}
	if (stat(o.out_dir, &st) == 0) {
		fprintf(stderr, "accel-cts: %s already exists; choose a new --out folder\n", o.out_dir);
		return 2;
	}
	if (mkdir_p(o.out_dir)) {
		fprintf(stderr, "accel-cts: cannot create %s: %s\n", o.out_dir, strerror(errno));
		return 2;
	}
	write_environment(o.out_dir);

	for (i = 0; i < ndev; i++) {
		char dir[PATH_MAX];
		const char *node = strrchr(devs[i].node.path, '/') + 1;

		printf("accel-cts: %s (%s), %d test binaries\n", devs[i].node.path,
		       devs[i].node.driver, nbins);
		devs[i].start = now_s() - t0;
		for (b = 0; b < nbins; b++)
			if (run_binary(&o, &devs[i], bins[b], t0))
				failures++;
		devs[i].end = now_s() - t0;

		snprintf(dir, sizeof(dir), "%s/%s-%s", o.out_dir, devs[i].node.driver, node);
		if (mkdir_p(dir) || write_results_json(dir, &devs[i], name ?: dir) ||
		    write_ktap(dir, &devs[i]) || write_junit(dir, &devs[i]) ||
		    write_failures_csv(dir, &devs[i])) {
			fprintf(stderr, "accel-cts: could not write results to %s\n", dir);
			failures++;
		}
		for (b = 0; b < devs[i].n; b++)
			failures += subtest_is_failure(&devs[i].results[b]);
	}

	print_summary(stdout, devs, ndev, o.out_dir);
	{
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/summary.txt", o.out_dir);
		sf = fopen(path, "we");
		if (sf) {
			print_summary(sf, devs, ndev, o.out_dir);
			fclose(sf);
		}
	}
	for (i = 0; i < ndev; i++)
		expectations_free(&exps[i]);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "devices"))
		return cmd_devices();
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "summary"))
		return cmd_summary(argc - 1, argv + 1);
	if (!strcmp(argv[1], "compare"))
		return cmd_compare(argc - 1, argv + 1);
	if (!strcmp(argv[1], "plot"))
		return cmd_plot(argc - 1, argv + 1);
	if (!strcmp(argv[1], "report"))
		return cmd_report(argc - 1, argv + 1);
	if (!strcmp(argv[1], "lava-cases"))
		return cmd_lava_cases(argc - 1, argv + 1);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "accel-cts: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}

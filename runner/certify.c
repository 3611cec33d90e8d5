// SPDX-License-Identifier: MIT
/*
 * accel-cts certify: the whole profile and the quick benchmarks on one
 * device, then its certificate (certificate.c) in the run's folder; and
 * certify --verify, which rebuilds the certificate from that folder and
 * names whatever differs from the one written there.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>
#include <xf86drm.h>

#include "acts_backend.h"
#include "acts_device.h"
#include "certificate.h"
#include "runner.h"

/* Differences a verify names before it stops counting them. */
#define MAX_DIFFS 12

static void usage(FILE *f)
{
	fprintf(f,
		"usage: accel-cts certify --device NODE --out DIR [--tests DIR] [--no-bench]\n"
		"                         [--per-test-timeout SECS]\n"
		"       accel-cts certify --verify DIR\n"
		"       accel-cts certify --write DIR\n"
		"  Run the whole profile (every test binary, as accel-cts run) and the quick\n"
		"  benchmarks found beside this program on NODE, and write DIR/certificate.md,\n"
		"  .html and .json: each level's verdict (conformant, conformant with declared\n"
		"  deviations, partial, not applicable, not conformant) with what it rests on,\n"
		"  the environment, the benchmark figures and a sha256 digest of DIR's files.\n"
		"  --verify rebuilds the certificate from DIR's results and files and names\n"
		"  every difference (an edited certificate, an edited, added or removed file).\n"
		"  --write writes the certificate of a certify folder again, e.g. after\n"
		"  `accel-cts resume DIR` finished a run the kernel interrupted.\n"
		"  See docs/CERTIFY.md.\n"
		"exit status: certify: 0 no level not conformant, 1 some level not conformant,\n"
		"             2 usage or no such device; --verify: 0 it matches, 1 it does not,\n"
		"             2 usage\n");
}

static int read_file(const char *path, char **buf, size_t *n)
{
	FILE *f = fopen(path, "re");
	char chunk[65536];
	size_t r, cap = 0;

	*buf = NULL;
	*n = 0;
	if (!f)
		return -errno;
	while ((r = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		char *grown = realloc(*buf, cap = *n + r + 1);

		if (!grown) {
			fclose(f);
			return -ENOMEM;
		}
		*buf = grown;
		memcpy(*buf + *n, chunk, r);
		*n += r;
	}
	fclose(f);
	if (!*buf)
		*buf = calloc(1, 1);
	else
		(*buf)[*n] = '\0';
	return *buf ? 0 : -ENOMEM;
}

static int write_text(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX * 2];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "we");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		fprintf(stderr, "accel-cts: cannot write %s: %s\n", path, strerror(errno));
		return -EIO;
	}
	return 0;
}

/* This program's folder: the build (or bundle) whose tests and benchmarks certify runs. */
static void exe_dir(char *buf, size_t n)
{
	ssize_t len = readlink("/proc/self/exe", buf, n - 1);

	buf[len > 0 ? len : 0] = '\0';
	*(strrchr(buf, '/') ?: buf) = '\0';
}

/* Run argv, its output to log (NULL: ours); its exit status, or -errno. */
static int spawn(char *const argv[], const char *log)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (log) {
			int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

			if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
				_exit(127);
		}
		execv(argv[0], argv);
		fprintf(stderr, "accel-cts: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The suite's git sha for environment.json and the records, when the caller gave none. */
static void git_sha_default(const char *bindir)
{
	char cmd[PATH_MAX + 96], sha[64] = "";
	FILE *p;

	if (getenv("ACCEL_CTS_GIT_SHA"))
		return;
	snprintf(cmd, sizeof(cmd), "git -C '%s/..' rev-parse --short HEAD 2>/dev/null", bindir);
	p = popen(cmd, "re");
	if (p) {
		if (!fgets(sha, sizeof(sha), p))
			sha[0] = '\0';
		pclose(p);
	}
	sha[strcspn(sha, "\n")] = '\0';
	if (*sha)
		setenv("ACCEL_CTS_GIT_SHA", sha, 0);
}

/* The device as it reports itself: DRM_IOCTL_VERSION and, if the backend can tell, its firmware. */
static int describe_device(const char *node, json_object *certify)
{
	struct acts_dev *dev = acts_dev_open(node);
	char fw[256] = "", ver[64];
	drmVersionPtr v;
	int ret;

	if (!dev) {
		fprintf(stderr, "accel-cts: cannot open %s\n", node);
		return -ENODEV;
	}
	v = drmGetVersion(dev->fd);
	if (v) {
		snprintf(ver, sizeof(ver), "%d.%d.%d", v->version_major, v->version_minor,
			 v->version_patchlevel);
		json_object_object_add(certify, "driver_version", json_object_new_string(ver));
		json_object_object_add(certify, "driver_description",
				       json_object_new_string(v->desc ?: ""));
		/* Since Linux 6.14 drivers have no date: the DRM core answers "0". */
		json_object_object_add(certify, "driver_date",
				       json_object_new_string(v->date && strcmp(v->date, "0") ?
							      v->date : ""));
		drmFreeVersion(v);
	}
	ret = dev->be->firmware_version ? dev->be->firmware_version(dev, fw, sizeof(fw)) :
	      -EOPNOTSUPP;
	json_object_object_add(certify, "firmware",
			       json_object_new_string(!ret ? fw : ret == -ENOENT ? "none" : ""));
	acts_dev_close(dev);
	return 0;
}

struct bench_family {
	const char *family, *binary;
	const char *args[5];
};

/*
 * The sizes of make run's quick pass (vm/guest-bench quick), with every
 * figure and weight-load strategy: a certificate describes the whole device.
 */
static const struct bench_family quick[] = {
	{ "latency", "accel_bench_latency", { "--quick" } },
	{ "bandwidth", "accel_bench_bandwidth", { "--max-size", "4" } },
	{ "weights", "accel_bench_weights", { "--size", "32", "--samples", "3" } },
};

static json_object *bench_entry(const char *family, const char *status, const char *note,
				const char *records)
{
	json_object *e = json_object_new_object();

	json_object_object_add(e, "family", json_object_new_string(family));
	json_object_object_add(e, "status", json_object_new_string(status));
	json_object_object_add(e, "note", json_object_new_string(note));
	json_object_object_add(e, "records", json_object_new_string(records));
	return e;
}

/* Each family on node, records in DIR/bench/, logs beside them; what happened into list. */
static void run_benchmarks(const char *bindir, const char *out, const char *node,
			   const char *devdir, bool skip, json_object *list)
{
	char bench[PATH_MAX + 16], dir[PATH_MAX + 16];
	size_t i;

	snprintf(bench, sizeof(bench), "%s/benchmarks", bindir);
	snprintf(dir, sizeof(dir), "%s/bench", out);
	for (i = 0; i < sizeof(quick) / sizeof(quick[0]); i++) {
		const struct bench_family *b = &quick[i];
		char prog[PATH_MAX + 64], rec[PATH_MAX + 160], log[PATH_MAX + 96];
		char relrec[256], note[320];
		char *argv[16];
		int a = 0, k, rc;

		snprintf(prog, sizeof(prog), "%s/%s", bench, b->binary);
		if (skip) {
			json_object_array_add(list, bench_entry(b->family, "not run",
								"certify --no-bench", ""));
			continue;
		}
		if (access(prog, X_OK)) {
			json_object_array_add(list, bench_entry(b->family, "not run",
								"not in this build", ""));
			continue;
		}
		if (mkdir(dir, 0755) && errno != EEXIST)
			fprintf(stderr, "accel-cts: cannot create %s: %s\n", dir, strerror(errno));
		/* As vm/guest-bench names them: <family>-<driver>-<node>.json */
		snprintf(relrec, sizeof(relrec), "bench/%s-%s.json", b->family, devdir);
		snprintf(rec, sizeof(rec), "%s/%s", out, relrec);
		snprintf(log, sizeof(log), "%s/bench/%s-%s.log", out, b->family, devdir);
		argv[a++] = prog;
		argv[a++] = "--device";
		argv[a++] = (char *)node;
		argv[a++] = "--out";
		argv[a++] = rec;
		for (k = 0; b->args[k]; k++)
			argv[a++] = (char *)b->args[k];
		argv[a] = NULL;
		printf("accel-cts: certify: %s benchmark on %s\n", b->family, node);
		fflush(stdout);
		rc = spawn(argv, log);
		snprintf(note, sizeof(note), "exit %d; its output is in bench/%s-%s.log", rc,
			 b->family, devdir);
		if (rc == 0)
			json_object_array_add(list, bench_entry(b->family, "ran", "", relrec));
		else if (rc == 77)
			json_object_array_add(list, bench_entry(b->family, "nothing to measure",
				"the device has nothing this benchmark measures", ""));
		else
			json_object_array_add(list, bench_entry(b->family, "failed", note,
				access(rec, F_OK) ? "" : relrec));
	}
}

static bool level_not_conformant(json_object *cert)
{
	json_object *levels, *v;
	size_t i;

	json_object_object_get_ex(cert, "levels", &levels);
	for (i = 0; i < json_object_array_length(levels); i++)
		if (json_object_object_get_ex(json_object_array_get_idx(levels, i), "verdict", &v) &&
		    !strcmp(json_object_get_string(v), CERT_NOT_CONFORMANT))
			return true;
	return false;
}

static void print_levels(json_object *cert)
{
	json_object *levels, *v, *l;
	size_t i;

	json_object_object_get_ex(cert, "levels", &levels);
	for (i = 0; i < json_object_array_length(levels); i++) {
		json_object *lv = json_object_array_get_idx(levels, i);

		json_object_object_get_ex(lv, "level", &l);
		json_object_object_get_ex(lv, "verdict", &v);
		printf("  %-9s %s\n", json_object_get_string(l), json_object_get_string(v));
	}
}

/* Build the certificate of dir and write its three files. 0, or -errno. */
static int write_certificate(const char *dir, json_object **cert)
{
	char *json = NULL, *md = NULL, *html = NULL;
	int ret = certificate_build(dir, cert);

	if (ret)
		return ret;
	json = certificate_json_text(*cert);
	md = certificate_markdown(*cert);
	html = certificate_html(*cert);
	ret = !json || !md || !html ? -ENOMEM : 0;
	ret = ret ?: write_text(dir, CERT_JSON, json);
	ret = ret ?: write_text(dir, CERT_MD, md);
	ret = ret ?: write_text(dir, CERT_HTML, html);
	free(json);
	free(md);
	free(html);
	return ret;
}

static int certify(const char *node, const char *out, const char *tests, const char *timeout,
		   bool no_bench, int argc, char **argv)
{
	json_object *certify = json_object_new_object(), *benches = json_object_new_array();
	json_object *cert = NULL;
	struct acts_node nodes[RUN_MAX_DEVICES * 4];
	char bindir[PATH_MAX], self[PATH_MAX + 16], devdir[160], path[PATH_MAX * 2], *cmd = NULL;
	char *run_argv[16];
	size_t cmdlen = 0;
	FILE *cf;
	int n, i, a = 0, rc, ret = 2;
	struct stat st;

	n = acts_discover(nodes, RUN_MAX_DEVICES * 4);
	for (i = 0; i < n; i++)
		if (!strcmp(nodes[i].path, node))
			break;
	if (i == n || !nodes[i].be) {
		fprintf(stderr, "accel-cts: certify: %s is %s (see: accel-cts devices)\n", node,
			i == n ? "not a DRM or accel node here" : "a node no backend drives");
		goto out;
	}
	if (stat(out, &st) == 0) {
		fprintf(stderr, "accel-cts: certify: %s already exists; choose a new --out folder\n",
			out);
		goto out;
	}
	snprintf(devdir, sizeof(devdir), "%s-%s", nodes[i].driver, strrchr(node, '/') + 1);
	exe_dir(bindir, sizeof(bindir));
	git_sha_default(bindir);
	if (describe_device(node, certify))
		goto out;

	/* The suite, exactly as accel-cts run gives it, on this one device. */
	snprintf(self, sizeof(self), "%s/accel-cts", bindir);
	run_argv[a++] = self;
	run_argv[a++] = "run";
	run_argv[a++] = "--device";
	run_argv[a++] = (char *)node;
	run_argv[a++] = "--out";
	run_argv[a++] = (char *)out;
	run_argv[a++] = "--label";
	run_argv[a++] = "certify";
	if (tests) {
		run_argv[a++] = "--tests";
		run_argv[a++] = (char *)tests;
	}
	if (timeout) {
		run_argv[a++] = "--per-test-timeout";
		run_argv[a++] = (char *)timeout;
	}
	run_argv[a] = NULL;
	printf("accel-cts: certify: the whole profile on %s into %s\n", node, out);
	fflush(stdout);
	rc = spawn(run_argv, NULL);
	if (rc == 3) {
		fprintf(stderr, "accel-cts: certify: the run stopped for a reboot; a certificate "
			"needs a finished run on a kernel fit for it\n");
		goto out;
	}
	if (rc != 0 && rc != 1) {
		fprintf(stderr, "accel-cts: certify: accel-cts run failed (exit %d)\n", rc);
		goto out;
	}
	/* The heartbeat is the run's in-flight state, not a result. */
	snprintf(path, sizeof(path), "%s/.heartbeat", out);
	unlink(path);

	run_benchmarks(bindir, out, node, devdir, no_bench, benches);

	cf = open_memstream(&cmd, &cmdlen);
	if (cf) {
		fputs("accel-cts", cf);
		for (i = 0; i < argc; i++)
			fprintf(cf, " %s", argv[i]);
		fclose(cf);
	}
	json_object_object_add(certify, "command", json_object_new_string(cmd ?: ""));
	json_object_object_add(certify, "results", json_object_new_string(devdir));
	json_object_object_add(certify, "benchmarks", benches);
	benches = NULL;
	snprintf(path, sizeof(path), "%s/%s", out, CERT_CERTIFY_JSON);
	if (json_object_to_file_ext(path, certify, JSON_C_TO_STRING_PRETTY |
				    JSON_C_TO_STRING_NOSLASHESCAPE)) {
		fprintf(stderr, "accel-cts: cannot write %s\n", path);
		goto out;
	}
	if (write_certificate(out, &cert))
		goto out;
	printf("accel-cts: certificate of %s (%s):\n", node, devdir);
	print_levels(cert);
	printf("accel-cts: %s/%s, %s, %s\n", out, CERT_MD, CERT_HTML, CERT_JSON);
	ret = level_not_conformant(cert) ? 1 : 0;
out:
	free(cmd);
	json_object_put(benches);
	json_object_put(certify);
	json_object_put(cert);
	return ret;
}

/* certify --write DIR: the certificate of a certify folder, written again (after a resume). */
static int write_only(const char *dir)
{
	json_object *cert = NULL;
	char path[PATH_MAX * 2];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, CERT_CERTIFY_JSON);
	if (access(path, R_OK)) {
		fprintf(stderr, "accel-cts: certify --write: %s: %s (not a folder certify made)\n",
			path, strerror(errno));
		return 2;
	}
	ret = write_certificate(dir, &cert);
	if (!ret) {
		printf("accel-cts: certificate of %s:\n", dir);
		print_levels(cert);
	}
	ret = ret ? 2 : level_not_conformant(cert) ? 1 : 0;
	json_object_put(cert);
	return ret;
}

/* --- verify --- */

static void diff_json(const char *where, json_object *said, json_object *found, int *ndiff)
{
	char sub[512];

	if (*ndiff >= MAX_DIFFS)
		return;
	if (json_object_get_type(said) != json_object_get_type(found)) {
		printf("  %s: the certificate says %s, the results give %s\n", where,
		       json_object_to_json_string(said), json_object_to_json_string(found));
		(*ndiff)++;
		return;
	}
	if (json_object_is_type(said, json_type_object)) {
		json_object_object_foreach(said, k, v) {
			json_object *w;

			snprintf(sub, sizeof(sub), "%s.%s", where, k);
			if (!json_object_object_get_ex(found, k, &w)) {
				if (*ndiff < MAX_DIFFS)
					printf("  %s: in the certificate, not in what the results give\n",
					       sub);
				(*ndiff)++;
			} else {
				diff_json(sub, v, w, ndiff);
			}
		}
		{
			json_object_object_foreach(found, k2, v2) {
				(void)v2;
				if (json_object_object_get_ex(said, k2, NULL))
					continue;
				if (*ndiff < MAX_DIFFS)
					printf("  %s.%s: missing from the certificate\n", where, k2);
				(*ndiff)++;
			}
		}
	} else if (json_object_is_type(said, json_type_array)) {
		size_t i, a = json_object_array_length(said), b = json_object_array_length(found);

		if (a != b) {
			printf("  %s: the certificate lists %zu, the results give %zu\n", where, a, b);
			(*ndiff)++;
		}
		for (i = 0; i < a && i < b; i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", where, i);
			diff_json(sub, json_object_array_get_idx(said, i),
				  json_object_array_get_idx(found, i), ndiff);
		}
	} else if (strcmp(json_object_to_json_string(said), json_object_to_json_string(found))) {
		printf("  %s: the certificate says %s, the results give %s\n", where,
		       json_object_to_json_string(said), json_object_to_json_string(found));
		(*ndiff)++;
	}
}

static json_object *file_entry(json_object *files, const char *path)
{
	size_t i;

	for (i = 0; i < json_object_array_length(files); i++) {
		json_object *e = json_object_array_get_idx(files, i), *p;

		if (json_object_object_get_ex(e, "path", &p) && !strcmp(json_object_get_string(p), path))
			return e;
	}
	return NULL;
}

static const char *field(json_object *o, const char *k)
{
	json_object *v;

	return o && json_object_object_get_ex(o, k, &v) ? json_object_get_string(v) : "";
}

/* The digest's file lists, compared file by file: what was edited, added, removed. */
static int diff_files(json_object *said, json_object *found)
{
	json_object *a = NULL, *b = NULL, *d;
	size_t i;
	int n = 0;

	if (json_object_object_get_ex(said, "digest", &d))
		json_object_object_get_ex(d, "files", &a);
	json_object_object_get_ex(found, "digest", &d);
	json_object_object_get_ex(d, "files", &b);
	if (!json_object_is_type(a, json_type_array) || !json_object_is_type(b, json_type_array))
		return 0;
	for (i = 0; i < json_object_array_length(b); i++) {
		json_object *e = json_object_array_get_idx(b, i);
		json_object *c = file_entry(a, field(e, "path"));

		if (!c)
			printf("  %s: a file the certificate does not list (added)\n", field(e, "path"));
		else if (strcmp(field(c, "sha256"), field(e, "sha256")))
			printf("  %s: its sha256 differs from the certificate's (edited)\n",
			       field(e, "path"));
		n += !c || strcmp(field(c, "sha256"), field(e, "sha256"));
	}
	for (i = 0; i < json_object_array_length(a); i++) {
		json_object *e = json_object_array_get_idx(a, i);

		if (file_entry(b, field(e, "path")))
			continue;
		printf("  %s: listed in the certificate, not in the folder (removed)\n",
		       field(e, "path"));
		n++;
	}
	return n;
}

/* The first line where text differs from the file's bytes, named. 0 same, 1 differs. */
static int diff_text(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX * 2], *buf;
	size_t n, i, line = 1;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (read_file(path, &buf, &n)) {
		printf("  %s: cannot be read: %s\n", name, strerror(errno));
		return 1;
	}
	for (i = 0; i < n && text[i] && buf[i] == text[i]; i++)
		line += buf[i] == '\n';
	if (i == n && !text[i]) {
		free(buf);
		return 0;
	}
	printf("  %s: differs from the certificate the results give, from line %zu%s\n", name,
	       line, i == n || !text[i] ? " (one is cut short)" : "");
	free(buf);
	return 1;
}

static int verify(const char *dir)
{
	json_object *cert = NULL, *said = NULL, *d;
	char path[PATH_MAX * 2], *json = NULL, *md = NULL, *html = NULL;
	int ret, bad = 0, ndiff = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, CERT_JSON);
	if (access(path, R_OK)) {
		printf("accel-cts: certify --verify: %s: %s: no certificate to verify\n", path,
		       strerror(errno));
		return 1;
	}
	ret = certificate_build(dir, &cert);
	if (ret) {
		printf("accel-cts: certify --verify: %s: MISMATCH: its results cannot be read back "
		       "(above): %s\n", dir, strerror(-ret));
		return 1;
	}
	json = certificate_json_text(cert);
	md = certificate_markdown(cert);
	html = certificate_html(cert);
	if (!json || !md || !html) {
		ret = 2;
		goto out;
	}
	said = json_object_from_file(path);
	if (!said) {
		printf("  %s: not JSON any more: %s\n", CERT_JSON, json_util_get_last_err());
		bad++;
	} else {
		bad += diff_files(said, cert);
		/* The digest's files were named above; the rest field by field. */
		if (json_object_object_get_ex(said, "digest", &d))
			json_object_object_del(d, "files");
		if (json_object_object_get_ex(cert, "digest", &d)) {
			json_object *copy = NULL;

			json_object_deep_copy(cert, &copy, NULL);
			json_object_object_get_ex(copy, "digest", &d);
			json_object_object_del(d, "files");
			diff_json("certificate", said, copy, &ndiff);
			json_object_put(copy);
		}
		if (ndiff > MAX_DIFFS)
			printf("  ... and %d more differences\n", ndiff - MAX_DIFFS);
		bad += ndiff;
	}
	bad += diff_text(dir, CERT_JSON, json);
	bad += diff_text(dir, CERT_MD, md);
	bad += diff_text(dir, CERT_HTML, html);
	if (bad) {
		printf("accel-cts: certify --verify: %s: MISMATCH (above): the certificate is not the "
		       "one its results give\n", dir);
		ret = 1;
	} else {
		json_object_object_get_ex(cert, "digest", &d);
		printf("OK: %s: the certificate matches its %zu results files (sha256 %s) and "
		       "every verdict\n", dir, json_object_array_length(json_object_object_get(d, "files")),
		       field(d, "sha256"));
		ret = 0;
	}
out:
	free(json);
	free(md);
	free(html);
	json_object_put(said);
	json_object_put(cert);
	return ret;
}

int cmd_certify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ "tests", required_argument, NULL, 't' },
		{ "per-test-timeout", required_argument, NULL, 'T' },
		{ "no-bench", no_argument, NULL, 'b' },
		{ "verify", required_argument, NULL, 'v' },
		{ "write", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *node = NULL, *out = NULL, *tests = NULL, *timeout = NULL, *check = NULL;
	const char *rewrite = NULL;
	bool no_bench = false;
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': node = optarg; break;
		case 'o': out = optarg; break;
		case 't': tests = optarg; break;
		case 'T': timeout = optarg; break;
		case 'b': no_bench = true; break;
		case 'v': check = optarg; break;
		case 'w': rewrite = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "accel-cts: certify: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (check || rewrite) {
		if (node || out || tests || timeout || no_bench || (check && rewrite)) {
			fprintf(stderr, "accel-cts: certify --verify DIR and --write DIR take no other "
				"option\n");
			return 2;
		}
		return check ? verify(check) : write_only(rewrite);
	}
	if (!node || !out) {
		fprintf(stderr, "accel-cts: certify needs --device NODE and --out DIR "
			"(or --verify DIR)\n");
		usage(stderr);
		return 2;
	}
	return certify(node, out, tests, timeout, no_bench, argc, argv);
}

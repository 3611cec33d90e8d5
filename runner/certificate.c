// SPDX-License-Identifier: MIT
/*
 * A certificate built from a certify folder: each profile level's verdict
 * from the device's results.json (the level of a rule is acts_profile.c's),
 * the environment from environment.json and certify.json, the benchmark
 * records of bench/, and the sha256 of every file of the folder. The
 * renderings (certificate_render.c) are functions of this JSON alone.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>
#include <nettle/sha2.h>

#include "acts_backend.h"
#include "acts_caps.h"
#include "acts_profile.h"
#include "certificate.h"
#include "json_checked.h"

/* The certificate's format, for readers to refuse one they do not know. */
#define CERT_FORMAT "accel-cts-certificate-1"

static const char *str_field(json_object *o, const char *key, const char *fallback)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return fallback;
	return json_object_get_string(v);
}

static void add_str(json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, json_object_new_string(v ? v : ""));
}

static json_object *copy_field(json_object *from, const char *key)
{
	json_object *v, *copy = NULL;

	if (!from || !json_object_object_get_ex(from, key, &v))
		return NULL;
	return json_object_deep_copy(v, &copy, NULL) ? NULL : copy;
}

/* --- the digest of the folder --- */

struct file_list {
	char **paths;
	int n, cap;
};

static bool is_certificate_file(const char *rel)
{
	return !strcmp(rel, CERT_JSON) || !strcmp(rel, CERT_MD) || !strcmp(rel, CERT_HTML);
}

/* Every file under dir/rel, recursively; anything but regular files and folders is refused. */
static int list_files(const char *dir, const char *rel, struct file_list *l)
{
	char path[PATH_MAX];
	struct dirent **ents;
	int n, i, ret = 0;

	snprintf(path, sizeof(path), "%s%s%s", dir, *rel ? "/" : "", rel);
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "accel-cts: cannot read %s: %s\n", path, strerror(errno));
		return -errno;
	}
	for (i = 0; i < n; i++) {
		const char *e = ents[i]->d_name;
		char sub[PATH_MAX], full[PATH_MAX * 2];
		struct stat st;

		if (ret || !strcmp(e, ".") || !strcmp(e, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", e);
		snprintf(full, sizeof(full), "%s/%s", dir, sub);
		if (lstat(full, &st)) {
			ret = -errno;
		} else if (S_ISDIR(st.st_mode)) {
			ret = list_files(dir, sub, l);
		} else if (!S_ISREG(st.st_mode)) {
			fprintf(stderr, "accel-cts: %s is not a regular file: a certified folder "
				"holds only files\n", full);
			ret = -EINVAL;
		} else if (!is_certificate_file(sub)) {
			if (l->n == l->cap) {
				char **grown = realloc(l->paths, (l->cap = l->cap * 2 + 16) *
						       sizeof(*grown));

				if (!grown) {
					ret = -ENOMEM;
					continue;
				}
				l->paths = grown;
			}
			l->paths[l->n] = strdup(sub);
			ret = l->paths[l->n] ? 0 : -ENOMEM;
			l->n += !ret;
		}
	}
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	return ret;
}

static void hex(const uint8_t *d, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static int sha256_file(const char *path, char out[SHA256_DIGEST_SIZE * 2 + 1], long long *size)
{
	struct sha256_ctx ctx;
	uint8_t buf[65536], d[SHA256_DIGEST_SIZE];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0) {
		fprintf(stderr, "accel-cts: cannot read %s: %s\n", path, strerror(errno));
		return -errno;
	}
	sha256_init(&ctx);
	*size = 0;
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		sha256_update(&ctx, (size_t)r, buf);
		*size += r;
	}
	close(fd);
	if (r < 0)
		return -EIO;
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, d);
	hex(d, SHA256_DIGEST_SIZE, out);
	return 0;
}

/*
 * Every file but the certificate's own, with its sha256 and size; the
 * folder's digest is the sha256 of "<sha256>  <path>\n" for each in path
 * order: what `sha256sum` prints, so it can be checked without accel-cts.
 */
static int digest(const char *dir, json_object *cert)
{
	struct file_list l = { 0 };
	json_object *d = json_object_new_object(), *files = json_object_new_array();
	struct sha256_ctx ctx;
	uint8_t total[SHA256_DIGEST_SIZE];
	char h[SHA256_DIGEST_SIZE * 2 + 1], line[PATH_MAX + 80], path[PATH_MAX * 2];
	int i, ret = list_files(dir, "", &l);

	sha256_init(&ctx);
	for (i = 0; i < l.n && !ret; i++) {
		json_object *f = json_object_new_object();
		long long size = 0;

		snprintf(path, sizeof(path), "%s/%s", dir, l.paths[i]);
		ret = sha256_file(path, h, &size);
		if (ret) {
			json_object_put(f);
			break;
		}
		add_str(f, "path", l.paths[i]);
		add_str(f, "sha256", h);
		json_object_object_add(f, "bytes", json_object_new_int64(size));
		json_object_array_add(files, f);
		snprintf(line, sizeof(line), "%s  %s\n", h, l.paths[i]);
		sha256_update(&ctx, strlen(line), (const uint8_t *)line);
	}
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, total);
	hex(total, SHA256_DIGEST_SIZE, h);
	add_str(d, "algorithm", "sha256");
	add_str(d, "sha256", h);
	json_object_object_add(d, "files", files);
	json_object_object_add(cert, "digest", d);
	for (i = 0; i < l.n; i++)
		free(l.paths[i]);
	free(l.paths);
	return ret;
}

/* --- the levels --- */

enum outcome { OUT_PASS, OUT_NA, OUT_UNCHECKED, OUT_FAIL };

struct level_acc {
	json_object *failures;		/* rule -> [ {subtest, result, reason} ] */
	json_object *unchecked;		/* reason -> { rules: {rule: 1}, subtests: [] } */
	json_object *na;		/* reason -> { rules, subtests } */
	json_object *deviations;	/* [ {subtest, deviation} ] */
	int subtests, passed, skipped, failed;
};

/*
 * A skip that names a capability the profile leaves to the driver's shape
 * (acts_cap_optional): the rule does not apply to this device. Any other
 * skip leaves a rule that applies unchecked.
 */
static bool skip_not_applicable(const char *reason)
{
	char name[64];
	int cap;

	if (strncmp(reason, ACTS_NEEDS_CAP, strlen(ACTS_NEEDS_CAP)))
		return false;
	snprintf(name, sizeof(name), "%s", reason + strlen(ACTS_NEEDS_CAP));
	name[strcspn(name, ", ")] = '\0';
	cap = acts_cap_parse(name);
	return cap >= 0 && acts_cap_optional(cap);
}

static json_object *get_or_add(json_object *o, const char *key, json_type type)
{
	json_object *v;

	if (json_object_object_get_ex(o, key, &v))
		return v;
	v = type == json_type_array ? json_object_new_array() : json_object_new_object();
	json_object_object_add(o, key, v);
	return v;
}

static void add_skip(json_object *by_reason, const char *reason, const char *rule,
		     const char *subtest)
{
	json_object *r = get_or_add(by_reason, reason, json_type_object);
	json_object *subs = get_or_add(r, "subtests", json_type_array);
	size_t i;

	json_object_object_add(get_or_add(r, "rules", json_type_object), rule,
			       json_object_new_boolean(1));
	for (i = 0; i < json_object_array_length(subs); i++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(subs, i)), subtest))
			return;
	json_object_array_add(subs, json_object_new_string(subtest));
}

/* by_reason (reason -> {rules, subtests}) as an array of {reason, rules[], subtests[]}. */
static json_object *skips_array(json_object *by_reason)
{
	json_object *a = json_object_new_array();

	json_object_object_foreach(by_reason, reason, r) {
		json_object *e = json_object_new_object(), *rules = json_object_new_array(), *rs;

		json_object_object_get_ex(r, "rules", &rs);
		{
			json_object_object_foreach(rs, rule, unused) {
				(void)unused;
				json_object_array_add(rules, json_object_new_string(rule));
			}
		}
		add_str(e, "reason", reason);
		json_object_object_add(e, "rules", rules);
		json_object_object_add(e, "subtests", copy_field(r, "subtests"));
		json_object_array_add(a, e);
	}
	return a;
}

static enum outcome outcome_of(const char *result)
{
	if (!strcmp(result, "pass"))
		return OUT_PASS;
	if (!strcmp(result, "skip"))
		return OUT_UNCHECKED;	/* refined by the reason */
	return OUT_FAIL;		/* fail, crash, timeout, dmesg-*, incomplete, notrun */
}

/* The rules a results.json entry names: its own, else its parent subtest's (a dynamic one). */
static const char *entry_rules(json_object *tests, const char *key, json_object *t, char *buf,
			       size_t len)
{
	const char *rules = str_field(t, "accel_cts_rules", "");
	const char *at;
	json_object *parent;

	if (*rules)
		return rules;
	/* igt@binary@subtest@dynamic: the parent is igt@binary@subtest. */
	at = strrchr(key, '@');
	if (!at || at - key >= (long)len)
		return "";
	snprintf(buf, len, "%.*s", (int)(at - key), key);
	if (json_object_object_get_ex(tests, buf, &parent))
		return str_field(parent, "accel_cts_rules", "");
	return "";
}

static void account(struct level_acc *acc, const char *rule, const char *subtest,
		    json_object *t, enum outcome o, const char *reason)
{
	json_object *list;

	switch (o) {
	case OUT_FAIL: {
		json_object *e = json_object_new_object();

		list = get_or_add(acc->failures, rule, json_type_array);
		add_str(e, "subtest", subtest);
		add_str(e, "result", str_field(t, "result", "?"));
		add_str(e, "reason", reason);
		json_object_array_add(list, e);
		break;
	}
	case OUT_NA:
		add_skip(acc->na, reason, rule, subtest);
		break;
	case OUT_UNCHECKED:
		add_skip(acc->unchecked, reason, rule, subtest);
		break;
	case OUT_PASS:
		break;
	}
}

/* Each level's verdict and what it rests on, from a results.json's tests. */
static json_object *levels_of(json_object *tests)
{
	struct level_acc acc[ACTS_PROFILE_NLEVELS] = { 0 };
	json_object *levels = json_object_new_array();
	int l;

	for (l = 0; l < ACTS_PROFILE_NLEVELS; l++) {
		acc[l].failures = json_object_new_object();
		acc[l].unchecked = json_object_new_object();
		acc[l].na = json_object_new_object();
		acc[l].deviations = json_object_new_array();
	}
	json_object_object_foreach(tests, key, t) {
		bool seen[ACTS_PROFILE_NLEVELS] = { 0 };
		const char *result = str_field(t, "result", "?");
		const char *reason = str_field(t, "accel_cts_reason", "");
		const char *subtest = strncmp(key, "igt@", 4) ? key : key + 4;
		char rules[1024], pbuf[1024], *rule, *save = NULL;
		enum outcome o = outcome_of(result);
		json_object *devs;

		if (o == OUT_UNCHECKED && skip_not_applicable(reason))
			o = OUT_NA;
		if (o == OUT_FAIL && !*reason)
			reason = !strcmp(result, "notrun") ? "not run: the run stopped before it" : result;
		snprintf(rules, sizeof(rules), "%s", entry_rules(tests, key, t, pbuf, sizeof(pbuf)));
		for (rule = strtok_r(rules, " ", &save); rule; rule = strtok_r(NULL, " ", &save)) {
			const char *level = acts_profile_level(rule);

			for (l = 0; level && l < ACTS_PROFILE_NLEVELS; l++)
				if (!strcmp(level, acts_profile_levels[l]))
					break;
			if (!level || l == ACTS_PROFILE_NLEVELS)
				continue;	/* no level: the profile check catches such an id */
			account(&acc[l], rule, subtest, t, o, reason);
			if (seen[l])
				continue;
			seen[l] = true;
			acc[l].subtests++;
			acc[l].passed += o == OUT_PASS;
			acc[l].skipped += o == OUT_NA || o == OUT_UNCHECKED;
			acc[l].failed += o == OUT_FAIL;
			if (o == OUT_PASS && json_object_object_get_ex(t, "accel_cts_deviations", &devs) &&
			    json_object_is_type(devs, json_type_array)) {
				size_t i;

				for (i = 0; i < json_object_array_length(devs); i++) {
					json_object *e = json_object_new_object();

					add_str(e, "subtest", subtest);
					add_str(e, "deviation", json_object_get_string(
						json_object_array_get_idx(devs, i)));
					json_object_array_add(acc[l].deviations, e);
				}
			}
		}
	}
	for (l = 0; l < ACTS_PROFILE_NLEVELS; l++) {
		json_object *lv = json_object_new_object(), *failed = json_object_new_array();
		const char *verdict;

		/* A build or --tests without the level's binaries: nothing was checked. */
		if (!acc[l].subtests) {
			json_object *e = json_object_new_object();

			json_object_object_add(e, "rules", json_object_new_object());
			json_object_object_add(e, "subtests", json_object_new_array());
			json_object_object_add(acc[l].unchecked, "no subtest of this level ran "
					       "(its test binary was not in the run)", e);
		}
		if (acc[l].failed)
			verdict = CERT_NOT_CONFORMANT;
		else if (json_object_object_length(acc[l].unchecked))
			verdict = CERT_PARTIAL;
		else if (!acc[l].passed)
			verdict = CERT_NOT_APPLICABLE;
		else if (json_object_array_length(acc[l].deviations))
			verdict = CERT_DEVIATIONS;
		else
			verdict = CERT_CONFORMANT;
		json_object_object_foreach(acc[l].failures, rule, subs) {
			json_object *e = json_object_new_object(), *copy = NULL;

			add_str(e, "rule", rule);
			json_object_deep_copy(subs, &copy, NULL);
			json_object_object_add(e, "subtests", copy);
			json_object_array_add(failed, e);
		}
		add_str(lv, "level", acts_profile_levels[l]);
		add_str(lv, "verdict", verdict);
		json_object_object_add(lv, "subtests", json_object_new_int(acc[l].subtests));
		json_object_object_add(lv, "passed", json_object_new_int(acc[l].passed));
		json_object_object_add(lv, "skipped", json_object_new_int(acc[l].skipped));
		json_object_object_add(lv, "failed", json_object_new_int(acc[l].failed));
		json_object_object_add(lv, "failed_rules", failed);
		json_object_object_add(lv, "unchecked", skips_array(acc[l].unchecked));
		json_object_object_add(lv, "not_applicable", skips_array(acc[l].na));
		json_object_object_add(lv, "deviations", acc[l].deviations);
		json_object_array_add(levels, lv);
		json_object_put(acc[l].failures);
		json_object_put(acc[l].unchecked);
		json_object_put(acc[l].na);
	}
	return levels;
}

/* --- the benchmarks --- */

/* One line per record: what it measured, its median, the limit and the ratio. */
static json_object *bench_figures(const char *path, int *err)
{
	json_object *recs = json_checked_load(path, err), *out;
	size_t i;

	if (!recs)
		return NULL;
	if (!json_object_is_type(recs, json_type_array)) {
		fprintf(stderr, "accel-cts: %s: not an array of benchmark records\n", path);
		json_object_put(recs);
		*err = -EINVAL;
		return NULL;
	}
	out = json_object_new_array();
	for (i = 0; i < json_object_array_length(recs); i++) {
		json_object *r = json_object_array_get_idx(recs, i), *f, *limit;

		if (json_checked_bench_record(path, i, r)) {
			json_object_put(out);
			json_object_put(recs);
			*err = -EINVAL;
			return NULL;
		}
		f = json_object_new_object();
		json_object_object_add(f, "benchmark", copy_field(r, "benchmark"));
		json_object_object_add(f, "params", copy_field(r, "params"));
		json_object_object_add(f, "unit", copy_field(r, "unit"));
		json_object_object_add(f, "n", copy_field(r, "n"));
		json_object_object_add(f, "median", copy_field(r, "median"));
		json_object_object_add(f, "p99", copy_field(r, "p99"));
		json_object_object_get_ex(r, "limit", &limit);
		json_object_object_add(f, "limit", copy_field(limit, "name"));
		json_object_object_add(f, "limit_value", copy_field(limit, "value"));
		json_object_object_add(f, "ratio", copy_field(r, "ratio"));
		json_object_object_add(f, "higher_is_better", copy_field(r, "higher_is_better"));
		json_object_array_add(out, f);
	}
	json_object_put(recs);
	return out;
}

/* certify.json's benchmark runs, each with its figures from the record file it names. */
static int benchmarks(const char *dir, json_object *certify, json_object *cert)
{
	json_object *runs, *out = json_object_new_array();
	size_t i;
	int err = 0;

	json_object_object_add(cert, "benchmarks", out);
	if (!json_object_object_get_ex(certify, "benchmarks", &runs) ||
	    !json_object_is_type(runs, json_type_array)) {
		fprintf(stderr, "accel-cts: %s/%s: no benchmarks array\n", dir, CERT_CERTIFY_JSON);
		return -EINVAL;
	}
	for (i = 0; i < json_object_array_length(runs) && !err; i++) {
		json_object *b = json_object_array_get_idx(runs, i), *e = json_object_new_object();
		const char *rec = str_field(b, "records", "");
		char path[PATH_MAX * 2];

		add_str(e, "family", str_field(b, "family", "?"));
		add_str(e, "status", str_field(b, "status", "?"));
		add_str(e, "note", str_field(b, "note", ""));
		snprintf(path, sizeof(path), "%s/%s", dir, rec);
		if (*rec && strstr(rec, "..")) {
			fprintf(stderr, "accel-cts: %s: a record path leaves the folder\n", rec);
			err = -EINVAL;
		} else if (*rec && access(path, F_OK) == 0) {
			json_object *figs = bench_figures(path, &err);

			if (figs)
				json_object_object_add(e, "figures", figs);
		} else if (!strcmp(str_field(b, "status", ""), "ran")) {
			fprintf(stderr, "accel-cts: %s: the benchmark ran but its records %s are "
				"missing\n", str_field(b, "family", "?"), rec);
			err = -ENOENT;
		}
		json_object_array_add(out, e);
	}
	return err;
}

/* --- the whole --- */

static json_object *load(const char *dir, const char *name, int *err)
{
	char path[PATH_MAX * 2];
	json_object *o;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	o = json_checked_load(path, err);
	if (o && !json_object_is_type(o, json_type_object)) {
		fprintf(stderr, "accel-cts: %s: not a JSON object\n", path);
		json_object_put(o);
		*err = -EINVAL;
		return NULL;
	}
	return o;
}

int certificate_build(const char *dir, json_object **out)
{
	json_object *env = NULL, *certify = NULL, *results = NULL, *tests, *meta = NULL;
	json_object *cert = json_object_new_object(), *device, *e, *run, *totals, *story;
	const char *devdir;
	char rel[PATH_MAX + 32];
	int err = 0;

	env = load(dir, "environment.json", &err);
	certify = env ? load(dir, CERT_CERTIFY_JSON, &err) : NULL;
	devdir = str_field(certify, "results", NULL);
	if (certify && (!devdir || !*devdir || strchr(devdir, '/') || devdir[0] == '.')) {
		fprintf(stderr, "accel-cts: %s/%s: \"results\" must name the device's folder\n", dir,
			CERT_CERTIFY_JSON);
		err = -EINVAL;
		goto out;
	}
	if (!certify)
		goto out;
	snprintf(rel, sizeof(rel), "%s/results.json", devdir);
	results = load(dir, rel, &err);
	if (!results)
		goto out;
	snprintf(rel, sizeof(rel), "%s/%s/results.json", dir, devdir);
	if (json_checked_results(rel, results) || !json_object_object_get_ex(results, "tests", &tests)) {
		err = -EINVAL;
		goto out;
	}
	json_object_object_get_ex(results, "accel_cts", &meta);

	add_str(cert, "format", CERT_FORMAT);
	device = json_object_new_object();
	add_str(device, "node", str_field(meta, "device", ""));
	add_str(device, "driver", str_field(meta, "driver", ""));
	add_str(device, "label", str_field(meta, "label", ""));
	add_str(device, "backend", str_field(meta, "backend", ""));
	add_str(device, "capabilities", str_field(meta, "capabilities", ""));
	add_str(device, "driver_version", str_field(certify, "driver_version", ""));
	add_str(device, "driver_description", str_field(certify, "driver_description", ""));
	add_str(device, "driver_date", str_field(certify, "driver_date", ""));
	add_str(device, "firmware", str_field(certify, "firmware", ""));
	json_object_object_add(cert, "device", device);

	e = json_object_new_object();
	add_str(e, "kernel_release", str_field(env, "kernel_release", ""));
	add_str(e, "kernel_version", str_field(env, "kernel_version", ""));
	add_str(e, "machine", str_field(env, "machine", ""));
	json_object_object_add(e, "vm", copy_field(env, "vm") ?: json_object_new_boolean(0));
	add_str(e, "clock", str_field(env, "clock", ""));
	add_str(e, "git_sha", str_field(env, "git_sha", "unknown"));
	add_str(e, "date", str_field(env, "date", ""));
	add_str(e, "command", str_field(certify, "command", ""));
	json_object_object_add(cert, "environment", e);

	run = json_object_new_object();
	totals = json_object_object_get_ex(results, "totals", &totals) ? copy_field(totals, "root") : NULL;
	json_object_object_add(run, "totals", totals ?: json_object_new_object());
	story = meta ? copy_field(meta, "run") : NULL;
	json_object_object_add(run, "complete", copy_field(story, "complete") ?: json_object_new_boolean(0));
	json_object_object_add(run, "boots", copy_field(story, "boots") ?: json_object_new_int(0));
	json_object_put(story);
	add_str(run, "results", devdir);
	json_object_object_add(cert, "run", run);

	json_object_object_add(cert, "levels", levels_of(tests));
	err = benchmarks(dir, certify, cert);
	err = err ?: digest(dir, cert);
out:
	json_object_put(env);
	json_object_put(certify);
	json_object_put(results);
	if (err) {
		json_object_put(cert);
		return err ?: -EINVAL;
	}
	*out = cert;
	return 0;
}

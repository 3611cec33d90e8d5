// SPDX-License-Identifier: MIT
/*
 * The run's journal, DIR/journal.jsonl: what the run is, what it plans to
 * run, and each subtest's start and result, one JSON record per line. Each
 * record goes out in one write() and is fsynced before the runner goes on,
 * so whatever the kernel does next, the journal holds every finished
 * subtest and names the one that was running, and the dynamic subtest in it
 * (each start and end of one is a record). A record cut short by a crash
 * is the last line, without its newline, and is ignored on reading.
 *
 *   {"ev":"run","version":1,"name":..,"t0":..,"options":{..},"devices":[..]}
 *   {"ev":"plan","binary":..,"path":..,"subtests":[{"name","desc","rules"}..]}
 *   {"ev":"boot","boot":N,"uname":..}
 *   {"ev":"start","dev":..,"binary":..,"subtest":..,"t":..}
 *   {"ev":"dynamic","dev":..,"binary":..,"subtest":..,"dynamic":"subtest@part","result":..}
 *   {"ev":"result","dev":..,"binary":..,"subtest":..,"result":.., out, err, ...,
 *    "dynamic":[{"name":"subtest@part","result":.., out, err, ...}..]}
 *   {"ev":"event","kind":"crash|timeout|abort","dev":..,"test":..,"reason":..}
 *   {"ev":"end"}
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "expectations.h"
#include "runner.h"

#define JOURNAL_VERSION 1

static int journal_path(const char *dir, char *buf, size_t len)
{
	return (size_t)snprintf(buf, len, "%s/journal.jsonl", dir) < len ? 0 : -ENAMETOOLONG;
}

static int open_journal(struct run *run, int flags)
{
	char path[4096];
	int ret = journal_path(run->dir, path, sizeof(path));

	if (ret)
		return ret;
	run->journal_fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | flags, 0644);
	if (run->journal_fd < 0) {
		ret = -errno;
		fprintf(stderr, "accel-cts: cannot open %s: %s\n", path, strerror(errno));
	}
	return ret;
}

/* Append rec as one line and make it durable; rec is consumed. */
static int append(struct run *run, json_object *rec)
{
	const char *text;
	char *line;
	size_t len, done = 0;
	int ret = 0;

	if (!rec)
		return -ENOMEM;
	text = json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	len = text ? strlen(text) : 0;
	line = text ? malloc(len + 2) : NULL;
	if (!line) {
		json_object_put(rec);
		return -ENOMEM;
	}
	memcpy(line, text, len);
	line[len++] = '\n';
	json_object_put(rec);
	while (done < len) {
		ssize_t n = write(run->journal_fd, line + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			break;
		}
		done += (size_t)n;
	}
	free(line);
	if (!ret && fsync(run->journal_fd) && errno != EINVAL)
		ret = -errno;
	if (ret)
		fprintf(stderr, "accel-cts: cannot write the journal in %s: %s\n", run->dir,
			strerror(-ret));
	return ret;
}

static json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *options_json(const struct run_options *o)
{
	json_object *j = json_object_new_object();

	json_object_object_add(j, "tests_dir", str_or_null(o->tests_dir));
	json_object_object_add(j, "only", str_or_null(o->only));
	json_object_object_add(j, "device", str_or_null(o->device));
	json_object_object_add(j, "driver", str_or_null(o->driver));
	json_object_object_add(j, "expectations", str_or_null(o->exp_dir));
	json_object_object_add(j, "board", str_or_null(o->board));
	json_object_object_add(j, "dmesg_ignore", str_or_null(o->dmesg_ignore));
	json_object_object_add(j, "per_test_timeout", json_object_new_int(o->timeout_s));
	json_object_object_add(j, "overall_timeout", json_object_new_int(o->overall_timeout_s));
	json_object_object_add(j, "inactivity_timeout", json_object_new_int(o->inactivity_s));
	json_object_object_add(j, "abort_on", json_object_new_int((int)o->abort_on));
	json_object_object_add(j, "flake_retries", json_object_new_int(o->flake_retries));
	if (o->no_device)
		json_object_object_add(j, "no_device", json_object_new_boolean(true));
	if (o->single)
		json_object_object_add(j, "single", json_object_new_boolean(true));
	return j;
}

int journal_create(struct run *run)
{
	json_object *rec = json_object_new_object(), *devs = json_object_new_array();
	int i, ret;

	ret = open_journal(run, O_CREAT | O_EXCL);
	if (ret) {
		json_object_put(rec);
		json_object_put(devs);
		return ret;
	}
	json_object_object_add(rec, "ev", json_object_new_string("run"));
	json_object_object_add(rec, "version", json_object_new_int(JOURNAL_VERSION));
	json_object_object_add(rec, "name", json_object_new_string(run->name));
	json_object_object_add(rec, "t0", json_object_new_double(run->t0));
	json_object_object_add(rec, "options", options_json(&run->o));
	{
		json_object *cmd = json_object_new_array();

		for (i = 0; i < run->ncmdline; i++)
			json_object_array_add(cmd, json_object_new_string(run->cmdline[i] ?: ""));
		json_object_object_add(rec, "cmdline", cmd);
	}
	for (i = 0; i < run->ndev; i++) {
		const struct device_run *d = &run->devs[i];
		json_object *dj = json_object_new_object();

		json_object_object_add(dj, "dir", json_object_new_string(d->dir));
		json_object_object_add(dj, "path", json_object_new_string(d->node.path));
		json_object_object_add(dj, "driver", json_object_new_string(d->node.driver));
		json_object_object_add(dj, "kind", json_object_new_int(d->node.kind));
		/* What the guest's probe found, for results rebuilt anywhere. */
		json_object_object_add(dj, "label", json_object_new_string(d->label));
		json_object_object_add(dj, "backend", json_object_new_string(d->backend));
		json_object_object_add(dj, "caps", json_object_new_string(d->caps));
		json_object_array_add(devs, dj);
	}
	json_object_object_add(rec, "devices", devs);
	return append(run, rec);
}

/*
 * Append to a journal again, after a reboot. A record the crash cut short
 * is dropped first: what follows must start on a line of its own.
 */
int journal_reopen(struct run *run)
{
	char path[4096], c;
	off_t end;
	int ret = journal_path(run->dir, path, sizeof(path)), rfd;

	ret = ret ?: open_journal(run, 0);
	if (ret)
		return ret;
	rfd = open(path, O_RDONLY | O_CLOEXEC);
	if (rfd < 0)
		return -errno;
	end = lseek(rfd, 0, SEEK_END);
	while (end > 0 && pread(rfd, &c, 1, end - 1) == 1 && c != '\n')
		end--;
	close(rfd);
	if (ftruncate(run->journal_fd, end) || fsync(run->journal_fd))
		return -errno;
	return 0;
}

int journal_add_plan(struct run *run, const struct plan_binary *b)
{
	json_object *rec = json_object_new_object(), *subs = json_object_new_array();
	int i;

	json_object_object_add(rec, "ev", json_object_new_string("plan"));
	json_object_object_add(rec, "binary", json_object_new_string(b->name));
	json_object_object_add(rec, "path", json_object_new_string(b->path));
	for (i = 0; i < b->n; i++) {
		json_object *s = json_object_new_object();

		json_object_object_add(s, "name", json_object_new_string(b->subtests[i]));
		json_object_object_add(s, "desc", json_object_new_string(b->descs[i]));
		json_object_object_add(s, "rules", json_object_new_string(b->rules[i]));
		json_object_array_add(subs, s);
	}
	json_object_object_add(rec, "subtests", subs);
	return append(run, rec);
}

int journal_add_boot(struct run *run)
{
	json_object *rec = json_object_new_object();

	json_object_object_add(rec, "ev", json_object_new_string("boot"));
	json_object_object_add(rec, "boot", json_object_new_int(run->boots));
	json_object_object_add(rec, "uname", json_object_new_string(run->uname ?: ""));
	return append(run, rec);
}

static json_object *test_record(const char *ev, const struct device_run *dev,
				const struct subtest_result *r)
{
	json_object *rec = json_object_new_object();

	json_object_object_add(rec, "ev", json_object_new_string(ev));
	json_object_object_add(rec, "dev", json_object_new_string(dev->dir));
	json_object_object_add(rec, "binary", json_object_new_string(r->binary));
	json_object_object_add(rec, "subtest", json_object_new_string(r->name));
	json_object_object_add(rec, "boot", json_object_new_int(r->boot));
	return rec;
}

int journal_add_start(struct run *run, const struct device_run *dev,
		      const struct subtest_result *r)
{
	json_object *rec = test_record("start", dev, r);

	json_object_object_add(rec, "start", json_object_new_double(r->start));
	return append(run, rec);
}

/* A dynamic subtest's fields, in a dynamic or result record. */
static void dynamic_fields(json_object *o, const struct subtest_result *d, bool whole)
{
	json_object_object_add(o, "result", json_object_new_string(run_result_name(d->result)));
	json_object_object_add(o, "start", json_object_new_double(d->start));
	json_object_object_add(o, "end", json_object_new_double(d->end));
	if (!whole)
		return;
	json_object_object_add(o, "name", json_object_new_string(d->name));
	json_object_object_add(o, "out", json_object_new_string(d->out ?: ""));
	json_object_object_add(o, "err", json_object_new_string(d->err ?: ""));
	json_object_object_add(o, "dmesg", json_object_new_string(d->dmesg ?: ""));
	json_object_object_add(o, "reason", str_or_null(d->reason));
	json_object_object_add(o, "verdict", json_object_new_int(d->verdict));
}

/* A dynamic subtest of parent started (result incomplete) or ended. */
int journal_add_dynamic(struct run *run, const struct device_run *dev,
			const struct subtest_result *parent, const struct subtest_result *d)
{
	json_object *rec = test_record("dynamic", dev, parent);

	json_object_object_add(rec, "dynamic", json_object_new_string(d->name));
	dynamic_fields(rec, d, false);
	return append(run, rec);
}

int journal_add_result(struct run *run, const struct device_run *dev,
		       const struct subtest_result *r)
{
	json_object *rec = test_record("result", dev, r);
	int i;

	json_object_object_add(rec, "result", json_object_new_string(run_result_name(r->result)));
	json_object_object_add(rec, "start", json_object_new_double(r->start));
	json_object_object_add(rec, "end", json_object_new_double(r->end));
	json_object_object_add(rec, "out", json_object_new_string(r->out ?: ""));
	json_object_object_add(rec, "err", json_object_new_string(r->err ?: ""));
	json_object_object_add(rec, "dmesg", json_object_new_string(r->dmesg ?: ""));
	json_object_object_add(rec, "reason", str_or_null(r->reason));
	json_object_object_add(rec, "verdict", json_object_new_int(r->verdict));
	json_object_object_add(rec, "retries", json_object_new_int(r->retries));
	json_object_object_add(rec, "retry_passed", json_object_new_boolean(r->retry_passed));
	if (r->ndyn) {
		json_object *dyn = json_object_new_array();

		for (i = 0; i < r->ndyn; i++) {
			json_object *d = json_object_new_object();

			dynamic_fields(d, &r->dyn[i], true);
			json_object_array_add(dyn, d);
		}
		json_object_object_add(rec, "dynamic", dyn);
	}
	return append(run, rec);
}

int journal_add_event(struct run *run, const struct run_event *e)
{
	json_object *rec = json_object_new_object();

	json_object_object_add(rec, "ev", json_object_new_string("event"));
	json_object_object_add(rec, "kind", json_object_new_string(e->kind));
	json_object_object_add(rec, "dev", json_object_new_string(e->dev));
	json_object_object_add(rec, "test", json_object_new_string(e->test));
	json_object_object_add(rec, "reason", json_object_new_string(e->reason));
	json_object_object_add(rec, "boot", json_object_new_int(e->boot));
	return append(run, rec);
}

int journal_add_end(struct run *run)
{
	json_object *rec = json_object_new_object();

	json_object_object_add(rec, "ev", json_object_new_string("end"));
	return append(run, rec);
}

/* Reading back. */

static const char *get_str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static bool get_int(json_object *o, const char *key, int *out)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return false;
	*out = json_object_get_int(v);
	return true;
}

/* A finite number member: json-c reads NaN and Infinity, which no time may be. */
static bool get_num(json_object *o, const char *key, double *out)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int)) ||
	    !isfinite(json_object_get_double(v)))
		return false;
	*out = json_object_get_double(v);
	return true;
}

/* A copy of an optional string member: NULL when absent, -ENOMEM noted. */
static char *dup_opt(json_object *o, const char *key, int *err)
{
	const char *s = get_str(o, key);
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		*err = -ENOMEM;
	return d;
}

static int load_run(struct run *run, json_object *rec)
{
	json_object *opts, *devs;
	int version = 0, ret = 0;
	size_t i;

	if (!get_int(rec, "version", &version) || version != JOURNAL_VERSION)
		return -EPROTO;
	if (!get_num(rec, "t0", &run->t0) || !get_str(rec, "name") ||
	    !json_object_object_get_ex(rec, "options", &opts) ||
	    !json_object_object_get_ex(rec, "devices", &devs) ||
	    !json_object_is_type(devs, json_type_array) ||
	    json_object_array_length(devs) > RUN_MAX_DEVICES)
		return -EINVAL;
	run->name = strdup(get_str(rec, "name"));
	run->o.tests_dir = dup_opt(opts, "tests_dir", &ret);
	run->o.only = dup_opt(opts, "only", &ret);
	run->o.device = dup_opt(opts, "device", &ret);
	run->o.driver = dup_opt(opts, "driver", &ret);
	run->o.exp_dir = dup_opt(opts, "expectations", &ret);
	run->o.board = dup_opt(opts, "board", &ret);
	run->o.dmesg_ignore = dup_opt(opts, "dmesg_ignore", &ret);
	if (!run->name || ret)
		return -ENOMEM;
	if (!run->o.tests_dir || !get_int(opts, "per_test_timeout", &run->o.timeout_s) ||
	    !get_int(opts, "overall_timeout", &run->o.overall_timeout_s) ||
	    !get_int(opts, "inactivity_timeout", &run->o.inactivity_s) ||
	    !get_int(opts, "abort_on", (int *)&run->o.abort_on) ||
	    !get_int(opts, "flake_retries", &run->o.flake_retries))
		return -EINVAL;
	{
		json_object *v;

		run->o.no_device = json_object_object_get_ex(opts, "no_device", &v) &&
				   json_object_get_boolean(v);
		run->o.single = json_object_object_get_ex(opts, "single", &v) &&
				json_object_get_boolean(v);
	}
	{
		json_object *cmd;

		if (json_object_object_get_ex(rec, "cmdline", &cmd) &&
		    json_object_is_type(cmd, json_type_array)) {
			size_t n = json_object_array_length(cmd);

			run->cmdline = calloc(n + 1, sizeof(char *));
			if (!run->cmdline)
				return -ENOMEM;
			for (i = 0; i < n; i++) {
				run->cmdline[i] = strdup(json_object_get_string(
					json_object_array_get_idx(cmd, i)) ?: "");
				if (!run->cmdline[i])
					return -ENOMEM;
				run->ncmdline++;
			}
		}
	}
	for (i = 0; i < json_object_array_length(devs); i++) {
		json_object *d = json_object_array_get_idx(devs, i);
		struct device_run *dev = &run->devs[run->ndev];
		const char *dir = get_str(d, "dir"), *path = get_str(d, "path");
		const char *driver = get_str(d, "driver");
		int kind;

		/* dir names a folder inside the run's: nothing that leaves it. */
		if (!dir || !path || !driver || !get_int(d, "kind", &kind) || !*dir ||
		    strchr(dir, '/') || !strcmp(dir, ".") || !strcmp(dir, "..") ||
		    strlen(dir) >= sizeof(dev->dir) || kind < ACTS_NODE_ACCEL ||
		    kind > ACTS_NODE_RENDER)
			return -EINVAL;
		snprintf(dev->dir, sizeof(dev->dir), "%s", dir);
		snprintf(dev->node.path, sizeof(dev->node.path), "%s", path);
		snprintf(dev->node.driver, sizeof(dev->node.driver), "%s", driver);
		dev->node.kind = (enum acts_node_kind)kind;
		/* Absent from journals before the capability boundary. */
		snprintf(dev->label, sizeof(dev->label), "%s", get_str(d, "label") ?: driver);
		snprintf(dev->backend, sizeof(dev->backend), "%s", get_str(d, "backend") ?: "");
		snprintf(dev->caps, sizeof(dev->caps), "%s", get_str(d, "caps") ?: "");
		run->ndev++;
	}
	return 0;
}

static int load_plan(struct run *run, json_object *rec)
{
	struct plan_binary *grown, *b;
	json_object *subs;
	const char *name = get_str(rec, "binary"), *path = get_str(rec, "path");
	size_t i, n;

	if (!name || !path || !json_object_object_get_ex(rec, "subtests", &subs) ||
	    !json_object_is_type(subs, json_type_array))
		return -EINVAL;
	grown = realloc(run->bins, (size_t)(run->nbins + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	run->bins = grown;
	b = &run->bins[run->nbins++];
	memset(b, 0, sizeof(*b));
	n = json_object_array_length(subs);
	b->name = strdup(name);
	b->path = strdup(path);
	b->subtests = calloc(n + 1, sizeof(char *));
	b->descs = calloc(n + 1, sizeof(char *));
	b->rules = calloc(n + 1, sizeof(char *));
	if (!b->name || !b->path || !b->subtests || !b->descs || !b->rules)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(subs, i);
		const char *sn = get_str(s, "name");

		if (!sn)
			return -EINVAL;
		b->subtests[i] = strdup(sn);
		b->descs[i] = strdup(get_str(s, "desc") ?: "");
		b->rules[i] = strdup(get_str(s, "rules") ?: "");
		b->n++;
		if (!b->subtests[i] || !b->descs[i] || !b->rules[i])
			return -ENOMEM;
	}
	return 0;
}

/* The planned subtest a start or result record names, or NULL. */
static struct subtest_result *find_test(struct run *run, json_object *rec,
					struct device_run **devp)
{
	const char *dev = get_str(rec, "dev"), *bin = get_str(rec, "binary");
	const char *sub = get_str(rec, "subtest");
	int d, i;

	if (!dev || !bin || !sub)
		return NULL;
	for (d = 0; d < run->ndev; d++) {
		if (strcmp(run->devs[d].dir, dev))
			continue;
		for (i = 0; i < run->devs[d].n; i++) {
			struct subtest_result *r = &run->devs[d].results[i];

			if (!strcmp(r->binary, bin) && !strcmp(r->name, sub)) {
				*devp = &run->devs[d];
				return r;
			}
		}
	}
	return NULL;
}

static int replace_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? strdup(src) : NULL;
	return src && !*dst ? -ENOMEM : 0;
}

static enum run_result result_by_name(const char *name)
{
	int r;

	for (r = 0; r < RUN_NRESULTS; r++)
		if (!strcmp(run_result_name(r), name))
			return r;
	return RUN_NRESULTS;
}

/* A dynamic subtest of r from a dynamic record, or from a result record's list. */
static int load_dynamic(struct subtest_result *r, json_object *o, const char *name, bool whole)
{
	const char *result = get_str(o, "result");
	struct subtest_result *d;
	int ret = 0;

	/* Its name is its subtest's, then "@" and a name of its own. */
	if (!name || strncmp(name, r->name, strlen(r->name)) || name[strlen(r->name)] != '@' ||
	    !name[strlen(r->name) + 1] || !result || result_by_name(result) == RUN_NRESULTS)
		return -EINVAL;
	d = subtest_dynamic(r, name);
	if (!d)
		return -ENOMEM;
	d->result = result_by_name(result);
	d->boot = r->boot;
	if (!get_num(o, "start", &d->start) || !get_num(o, "end", &d->end))
		return -EINVAL;
	if (!whole)
		return 0;
	if (!get_int(o, "verdict", &d->verdict) || d->verdict < EXP_NONE ||
	    d->verdict > EXP_LISTED_SKIP)
		return -EINVAL;
	ret |= replace_str(&d->out, get_str(o, "out") ?: "");
	ret |= replace_str(&d->err, get_str(o, "err") ?: "");
	ret |= replace_str(&d->dmesg, get_str(o, "dmesg") ?: "");
	ret |= replace_str(&d->reason, get_str(o, "reason"));
	return ret ? -ENOMEM : 0;
}

static int load_test(struct run *run, json_object *rec, const char *ev)
{
	bool is_result = !strcmp(ev, "result");
	struct device_run *dev;
	struct subtest_result *r = find_test(run, rec, &dev);
	const char *result;
	int ret = 0;

	if (!r)
		return -EINVAL;
	get_int(rec, "boot", &r->boot);
	if (!strcmp(ev, "dynamic")) {
		if (r->result != RUN_INCOMPLETE)
			return -EINVAL;	/* only the subtest that is running has parts running */
		return load_dynamic(r, rec, get_str(rec, "dynamic"), false);
	}
	if (!is_result) {
		subtest_result_dynamic_free(r);
		r->result = RUN_INCOMPLETE;
		if (!get_num(rec, "start", &r->start))
			return -EINVAL;
		r->end = r->start;
		return 0;
	}
	result = get_str(rec, "result");
	if (!result || result_by_name(result) == RUN_NRESULTS)
		return -EINVAL;
	r->result = result_by_name(result);
	if (!get_num(rec, "start", &r->start) || !get_num(rec, "end", &r->end) ||
	    !get_int(rec, "verdict", &r->verdict) || r->verdict < EXP_NONE ||
	    r->verdict > EXP_LISTED_SKIP || !get_int(rec, "retries", &r->retries) ||
	    r->retries < 0 || r->retries > 100)
		return -EINVAL;
	{
		json_object *v;

		r->retry_passed = json_object_object_get_ex(rec, "retry_passed", &v) &&
				  json_object_get_boolean(v);
	}
	ret |= replace_str(&r->out, get_str(rec, "out") ?: "");
	ret |= replace_str(&r->err, get_str(rec, "err") ?: "");
	ret |= replace_str(&r->dmesg, get_str(rec, "dmesg") ?: "");
	ret |= replace_str(&r->reason, get_str(rec, "reason"));
	if (ret)
		return -ENOMEM;
	{
		json_object *dyn;
		size_t i;

		subtest_result_dynamic_free(r);
		if (!json_object_object_get_ex(rec, "dynamic", &dyn))
			return 0;
		if (!json_object_is_type(dyn, json_type_array))
			return -EINVAL;
		for (i = 0; i < json_object_array_length(dyn) && !ret; i++) {
			json_object *d = json_object_array_get_idx(dyn, i);

			ret = load_dynamic(r, d, get_str(d, "name"), true);
		}
	}
	return ret;
}

static int load_event(struct run *run, json_object *rec)
{
	const char *kind = get_str(rec, "kind"), *test = get_str(rec, "test");
	const char *reason = get_str(rec, "reason");
	int boot = 0;

	if (!kind || !test || !reason)
		return -EINVAL;
	get_int(rec, "boot", &boot);
	return run_event_add(run, kind, get_str(rec, "dev") ?: "", test, reason, boot);
}

/*
 * One record. Plans come before any test record (the runner plans
 * everything first), so each plan is expanded into the devices' lists as it
 * is read.
 */
static int load_record(struct run *run, json_object *rec, bool *have_run)
{
	const char *ev = get_str(rec, "ev");

	if (!ev)
		return -EINVAL;
	if (!*have_run) {
		if (strcmp(ev, "run"))
			return -EINVAL;
		*have_run = true;
		return load_run(run, rec);
	}
	if (!strcmp(ev, "plan")) {
		int ret = load_plan(run, rec);

		return ret ?: run_expand_plan(run, run->nbins - 1);
	}
	if (!strcmp(ev, "boot")) {
		if (!get_int(rec, "boot", &run->boots))
			return -EINVAL;
		return replace_str(&run->uname, get_str(rec, "uname") ?: "");
	}
	if (!strcmp(ev, "start") || !strcmp(ev, "result") || !strcmp(ev, "dynamic"))
		return load_test(run, rec, ev);
	if (!strcmp(ev, "event"))
		return load_event(run, rec);
	if (!strcmp(ev, "end")) {
		run->finished = true;
		return 0;
	}
	return -EINVAL;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (cap - *len < 65536) {
			char *grown = realloc(buf, cap + 1048576);

			if (!grown) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = grown;
			cap += 1048576;
		}
		n = fread(buf + *len, 1, cap - *len - 1, f);
		*len += n;
		if (n == 0)
			break;
	}
	buf[*len] = '\0';
	if (ferror(f)) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

int journal_load(const char *dir, struct run *run)
{
	char path[4096], *text, *line, *nl;
	bool have_run = false;
	size_t len;
	int lineno = 0, ret = 0;

	run->journal_fd = -1;
	run->dir = strdup(dir);
	if (!run->dir)
		return -ENOMEM;
	ret = journal_path(dir, path, sizeof(path));
	if (ret)
		return ret;
	{
		struct stat st;

		if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
			fprintf(stderr, "accel-cts: %s is not a regular file\n", path);
			return -EINVAL;
		}
	}
	text = read_file(path, &len);
	if (!text) {
		ret = -errno;
		fprintf(stderr, "accel-cts: cannot read %s: %s\n", path, strerror(errno));
		return ret;
	}
	/* Only whole lines: a record cut short by a crash has no newline yet. */
	for (line = text; !ret && (nl = memchr(line, '\n', len - (size_t)(line - text)));
	     line = nl + 1) {
		enum json_tokener_error jerr;
		json_object *rec;

		lineno++;
		*nl = '\0';
		rec = json_tokener_parse_verbose(line, &jerr);
		if (!rec || !json_object_is_type(rec, json_type_object)) {
			ret = -EINVAL;
		} else {
			ret = load_record(run, rec, &have_run);
		}
		json_object_put(rec);
		if (ret)
			fprintf(stderr, "accel-cts: %s:%d: %s\n", path, lineno,
				ret == -ENOMEM ? "out of memory" :
				ret == -EPROTO ? "a journal of another version" :
				"not a journal record of this run");
	}
	free(text);
	if (!ret && !have_run) {
		fprintf(stderr, "accel-cts: %s holds no run record (the run stopped as it began)\n",
			path);
		ret = -ENODATA;
	}
	return ret;
}

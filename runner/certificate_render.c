// SPDX-License-Identifier: MIT
/*
 * A certificate's renderings, each a function of its JSON alone (so that
 * certify --verify can rebuild them byte for byte): the JSON file, Markdown
 * to paste into a cover letter, and one self-contained HTML page.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "certificate.h"
#include "xml_text.h"

/* Subtests named in a list before "and N more" (the JSON has them all). */
#define NAMES_SHOWN 4

static const char *s(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !v)
		return "";
	return json_object_get_string(v);
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static int num(json_object *o, const char *key)
{
	return json_object_get_int(get(o, key));
}

static size_t len(json_object *a)
{
	return a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

char *certificate_json_text(json_object *cert)
{
	const char *t = json_object_to_json_string_ext(cert, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_NOSLASHESCAPE);
	char *out = NULL;

	if (t && asprintf(&out, "%s\n", t) < 0)
		out = NULL;
	return out;
}

/* --- shared wording --- */

static const char *firmware_text(const char *fw)
{
	if (!strcmp(fw, "none"))
		return "none (the device runs no firmware)";
	return *fw ? fw : "not reported by the driver";
}

static void figure(char *buf, size_t n, double v, const char *unit)
{
	if (!strcmp(unit, "ns") && v >= 1e6)
		snprintf(buf, n, "%.2f ms", v / 1e6);
	else if (!strcmp(unit, "ns") && v >= 1e3)
		snprintf(buf, n, "%.1f µs", v / 1e3);
	else if (!strcmp(unit, "jobs/s"))
		snprintf(buf, n, "%.0f jobs/s", v);
	else if (!strcmp(unit, "GB/s"))
		snprintf(buf, n, "%.3g GB/s", v);
	else
		snprintf(buf, n, "%.4g %s", v, unit);
}

static void size_text(char *buf, size_t n, long long b)
{
	if (b >= (1ll << 30) && !(b % (1ll << 30)))
		snprintf(buf, n, "%lld GiB", b >> 30);
	else if (b >= (1ll << 20) && !(b % (1ll << 20)))
		snprintf(buf, n, "%lld MiB", b >> 20);
	else if (b >= 1024 && !(b % 1024))
		snprintf(buf, n, "%lld KiB", b >> 10);
	else if (b >= (1ll << 20))
		snprintf(buf, n, "%.1f MiB", (double)b / (1 << 20));
	else
		snprintf(buf, n, "%lld B", b);
}

/* A record's parameters as "key value, ...", sizes in binary units. */
static void params_text(char *buf, size_t n, json_object *params)
{
	size_t pos = 0;

	buf[0] = '\0';
	if (!params || !json_object_is_type(params, json_type_object))
		return;
	json_object_object_foreach(params, key, v) {
		char val[64];

		if (pos >= n)
			break;
		if (!strcmp(key, "bytes") && json_object_is_type(v, json_type_int))
			size_text(val, sizeof(val), json_object_get_int64(v));
		else
			snprintf(val, sizeof(val), "%s", json_object_get_string(v));
		pos += snprintf(buf + pos, n - pos, "%s%s %s", pos ? ", " : "",
				!strcmp(key, "bytes") ? "size" : key, val);
	}
}

/*
 * The figures a summary shows: every one, except bandwidth's, of which only
 * the smallest and the largest transfer (the JSON keeps every size).
 */
static bool figure_shown(const char *family, json_object *figs, size_t i)
{
	json_object *f = json_object_array_get_idx(figs, i), *b = get(get(f, "params"), "bytes");
	long long lo = -1, hi = -1, v;
	size_t k;

	if (strcmp(family, "bandwidth") || !b)
		return true;
	for (k = 0; k < len(figs); k++) {
		json_object *o = get(get(json_object_array_get_idx(figs, k), "params"), "bytes");

		if (!o)
			continue;
		v = json_object_get_int64(o);
		lo = lo < 0 || v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	v = json_object_get_int64(b);
	return v == lo || v == hi;
}

static void run_text(char *buf, size_t n, json_object *cert)
{
	json_object *run = get(cert, "run"), *t = get(run, "totals");

	snprintf(buf, n, "%s, %d boot%s: %d subtests passed, %d skipped, %d failed%s",
		 json_object_get_boolean(get(run, "complete")) ? "complete" : "NOT COMPLETE",
		 num(run, "boots"), num(run, "boots") == 1 ? "" : "s", num(t, "pass"), num(t, "skip"),
		 num(t, "fail") + num(t, "crash") + num(t, "timeout") + num(t, "dmesg-warn") +
		 num(t, "dmesg-fail") + num(t, "incomplete"),
		 num(t, "notrun") ? ", some not run" : "");
}

/* "conformant: core, memory; partial: submit; ...", verdicts best first. */
static void verdict_line(char *buf, size_t n, json_object *levels)
{
	static const char *const order[] = {
		CERT_CONFORMANT, CERT_DEVIATIONS, CERT_PARTIAL, CERT_NOT_APPLICABLE,
		CERT_NOT_CONFORMANT,
	};
	size_t pos = 0, v, i;

	buf[0] = '\0';
	for (v = 0; v < sizeof(order) / sizeof(order[0]) && pos < n; v++) {
		bool first = true;

		for (i = 0; i < len(levels) && pos < n; i++) {
			json_object *lv = json_object_array_get_idx(levels, i);

			if (strcmp(s(lv, "verdict"), order[v]))
				continue;
			pos += snprintf(buf + pos, n - pos, "%s%s%s", first ? (pos ? "; " : "") : ", ",
					first ? order[v] : "", first ? ": " : "");
			if (pos < n)
				pos += snprintf(buf + pos, n - pos, "%s", s(lv, "level"));
			first = false;
		}
	}
}

/* --- the two markups --- */

/*
 * What a level's and the benchmarks' sections need of a markup. Markdown
 * and HTML say the same things in the same order, so one set of functions
 * below writes both.
 */
struct markup {
	void (*text)(FILE *f, const char *t);	/* text, escaped for the markup */
	void (*badge)(FILE *f, const char *class, const char *t);	/* a verdict or status */
	const char *code[2], *strong[2], *muted[2], *para[2];
	const char *list[2], *item[2];		/* a bulleted list and its items */
	const char *title[2];			/* a list's title */
	const char *level[3];			/* before the name, before the badge, after */
	const char *level_end, *after_badge;
	const char *bench_head;
	const char *family[3], *note[2], *family_end;
	const char *table[2], *row_head, *row[2], *cell_sep, *cell_num;
	const char *env_head, *env_end, *kv[3], *quote[2];	/* the device's table */
};

/* Markdown table cells: a '|' would end the cell, a newline the row. */
static void md(FILE *f, const char *t)
{
	for (; t && *t; t++) {
		if (*t == '|')
			fputs("\\|", f);
		else if (*t == '\n' || *t == '\r')
			fputc(' ', f);
		else
			fputc(*t, f);
	}
}

/* Markdown has no badges: the verdict is plain text. */
static void md_badge(FILE *f, const char *class, const char *t)
{
	md(f, t);
}

static const struct markup markdown = {
	.text = md, .badge = md_badge,
	.code = { "`", "`" }, .strong = { "", "" }, .muted = { "", "" }, .para = { "", "\n\n" },
	.list = { "", "\n" }, .item = { "- ", "\n" }, .title = { "", ":\n\n" },
	.level = { "### ", ": ", "\n\n" }, .level_end = "", .after_badge = ": ",
	.bench_head = "## Benchmarks (quick pass; each figure against a limit measured in the same "
		      "run)\n\n",
	.family = { "**", "**: ", "" }, .note = { " (", ")" }, .family_end = "\n\n",
	.table = { "", "\n" },
	.row_head = "| figure | parameters | median | limit | ratio |\n|---|---|---|---|---|\n",
	.row = { "| ", " |\n" }, .cell_sep = " | ", .cell_num = " | ",
	.env_head = "\n| device and environment | |\n|---|---|\n", .env_end = "",
	.kv = { "| ", " | ", " |\n" }, .quote = { "\"", "\"" },
};

static void html_badge(FILE *f, const char *class, const char *t)
{
	fprintf(f, "<span class=\"badge %s\">", class);
	xml_escaped(f, t);
	fputs("</span>", f);
}

static const struct markup html = {
	.text = xml_escaped, .badge = html_badge,
	.code = { "<code>", "</code>" }, .strong = { "<b>", "</b>" },
	.muted = { "<span class=\"muted\">", "</span>" }, .para = { "<p>", "</p>\n" },
	.list = { "<ul>\n", "</ul>\n" }, .item = { "<li>", "</li>\n" },
	.title = { "<p class=\"sub\">", "</p>\n" },
	.level = { "<section class=\"level\"><h3>", " ", "</h3>\n" },
	.level_end = "</section>\n", .after_badge = " ",
	.bench_head = "<h2>Benchmarks</h2>\n<p class=\"muted\">Quick pass. Each figure is measured "
		      "against a limit measured in the same run; the ratio is figure / limit.</p>\n",
	.family = { "<h3>", " ", "</h3>\n" }, .note = { "<p class=\"muted\">", "</p>\n" },
	.family_end = "",
	.table = { "<table class=\"fig\">", "</table>\n" },
	.row_head = "<tr><th>figure</th><th>parameters</th><th>median</th><th>limit</th>"
		    "<th>ratio</th></tr>\n",
	.row = { "<tr><td>", "</td></tr>\n" }, .cell_sep = "</td><td>",
	.cell_num = "</td><td class=\"n\">",
	.env_head = "</table>\n<h2>Device and environment</h2>\n<table>\n", .env_end = "</table>\n",
	.kv = { "<tr><th>", "</th><td>", "</td></tr>\n" }, .quote = { "“", "”" },
};

static const char *verdict_class(const char *v)
{
	if (!strcmp(v, CERT_CONFORMANT))
		return "ok";
	if (!strcmp(v, CERT_DEVIATIONS))
		return "dev";
	if (!strcmp(v, CERT_PARTIAL))
		return "part";
	if (!strcmp(v, CERT_NOT_APPLICABLE))
		return "na";
	return "bad";
}

static void code(const struct markup *m, FILE *f, const char *t)
{
	fputs(m->code[0], f);
	m->text(f, t);
	fputs(m->code[1], f);
}

static void names(const struct markup *m, FILE *f, json_object *subs)
{
	size_t i, n = len(subs);

	for (i = 0; i < n && i < NAMES_SHOWN; i++) {
		fputs(i ? ", " : "", f);
		code(m, f, json_object_get_string(json_object_array_get_idx(subs, i)));
	}
	if (n > NAMES_SHOWN)
		fprintf(f, " and %zu more", n - NAMES_SHOWN);
}

static void titled_list(const struct markup *m, FILE *f, const char *title)
{
	fprintf(f, "%s%s%s%s", m->title[0], title, m->title[1], m->list[0]);
}

static void skips(const struct markup *m, FILE *f, json_object *list, const char *title)
{
	size_t i, k;

	if (!len(list))
		return;
	titled_list(m, f, title);
	for (i = 0; i < len(list); i++) {
		json_object *e = json_object_array_get_idx(list, i), *rules = get(e, "rules");

		fputs(m->item[0], f);
		if (len(rules)) {
			fputs(m->strong[0], f);
			for (k = 0; k < len(rules); k++)
				fprintf(f, "%s%s", k ? ", " : "", json_object_get_string(
					json_object_array_get_idx(rules, k)));
			fprintf(f, "%s: ", m->strong[1]);
		}
		m->text(f, s(e, "reason"));
		if (len(rules)) {
			fprintf(f, " %s(%zu subtest%s: ", m->muted[0], len(get(e, "subtests")),
				len(get(e, "subtests")) == 1 ? "" : "s");
			names(m, f, get(e, "subtests"));
			fprintf(f, ")%s", m->muted[1]);
		}
		fputs(m->item[1], f);
	}
	fputs(m->list[1], f);
}

static void level(const struct markup *m, FILE *f, json_object *lv)
{
	json_object *failed = get(lv, "failed_rules"), *devs = get(lv, "deviations");
	size_t i, k;

	fprintf(f, "%s%s%s", m->level[0], s(lv, "level"), m->level[1]);
	m->badge(f, verdict_class(s(lv, "verdict")), s(lv, "verdict"));
	fputs(m->level[2], f);
	if (!strcmp(s(lv, "verdict"), CERT_CONFORMANT) && !len(get(lv, "not_applicable")))
		fprintf(f, "%sAll %d subtests passed.%s", m->para[0], num(lv, "subtests"),
			m->para[1]);
	if (len(failed)) {
		titled_list(m, f, "Failed");
		for (i = 0; i < len(failed); i++) {
			json_object *e = json_object_array_get_idx(failed, i), *subs = get(e, "subtests");

			for (k = 0; k < len(subs); k++) {
				json_object *t = json_object_array_get_idx(subs, k);

				fprintf(f, "%s%s%s%s: ", m->item[0], m->strong[0], s(e, "rule"),
					m->strong[1]);
				code(m, f, s(t, "subtest"));
				fputc(' ', f);
				m->badge(f, "bad", s(t, "result"));
				fputs(m->after_badge, f);
				m->text(f, s(t, "reason"));
				fputs(m->item[1], f);
			}
		}
		fputs(m->list[1], f);
	}
	skips(m, f, get(lv, "unchecked"),
	      "Not checked (subtests of rules that apply, which the suite could not run here)");
	skips(m, f, get(lv, "not_applicable"),
	      "Not applicable (subtests that need a capability this driver's shape does not have)");
	if (len(devs)) {
		titled_list(m, f, "Declared deviations (passed, the driver's documented errno "
			    "recorded)");
		for (i = 0; i < len(devs); i++) {
			json_object *d = json_object_array_get_idx(devs, i);

			fputs(m->item[0], f);
			code(m, f, s(d, "subtest"));
			fputs(": ", f);
			m->text(f, s(d, "deviation"));
			fputs(m->item[1], f);
		}
		fputs(m->list[1], f);
	}
	fputs(m->level_end, f);
}

static const char *bench_class(const char *status)
{
	if (!strcmp(status, "ran"))
		return "ok";
	return !strcmp(status, "failed") ? "bad" : "na";
}

static void benchmarks(const struct markup *m, FILE *f, json_object *cert)
{
	json_object *benches = get(cert, "benchmarks");
	size_t i, k;

	fputs(m->bench_head, f);
	if (!len(benches))
		fprintf(f, "%sNone ran.%s", m->para[0], m->para[1]);
	for (i = 0; i < len(benches); i++) {
		json_object *b = json_object_array_get_idx(benches, i), *figs = get(b, "figures");
		const char *family = s(b, "family");

		fprintf(f, "%s%s%s", m->family[0], family, m->family[1]);
		m->badge(f, bench_class(s(b, "status")), s(b, "status"));
		fputs(m->family[2], f);
		if (*s(b, "note")) {
			fputs(m->note[0], f);
			m->text(f, s(b, "note"));
			fputs(m->note[1], f);
		}
		fputs(m->family_end, f);
		if (!len(figs))
			continue;
		fprintf(f, "%s%s", m->table[0], m->row_head);
		for (k = 0; k < len(figs); k++) {
			json_object *r = json_object_array_get_idx(figs, k);
			char med[48], lim[48], par[256];

			if (!figure_shown(family, figs, k))
				continue;
			figure(med, sizeof(med), json_object_get_double(get(r, "median")), s(r, "unit"));
			figure(lim, sizeof(lim), json_object_get_double(get(r, "limit_value")), s(r, "unit"));
			params_text(par, sizeof(par), get(r, "params"));
			fprintf(f, "%s%s%s", m->row[0], s(r, "benchmark"), m->cell_sep);
			m->text(f, par);
			fprintf(f, "%s%s%s%s: %s%s", m->cell_num, med, m->cell_sep, s(r, "limit"), lim,
				m->cell_num);
			fprintf(f, "%.3g %s(%s is better)%s", json_object_get_double(get(r, "ratio")),
				m->muted[0], json_object_get_boolean(get(r, "higher_is_better")) ?
				"higher" : "lower", m->muted[1]);
			fputs(m->row[1], f);
		}
		fputs(m->table[1], f);
	}
}

/* --- the device and environment, in either markup --- */

static void kv(const struct markup *m, FILE *f, const char *key, const char *value)
{
	fprintf(f, "%s%s%s", m->kv[0], key, m->kv[1]);
	if (value) {
		m->text(f, value);
		fputs(m->kv[2], f);
	}
}

static void environment(const struct markup *m, FILE *f, json_object *cert, const char *run)
{
	json_object *dev = get(cert, "device"), *env = get(cert, "environment");

	fputs(m->env_head, f);
	kv(m, f, "driver", NULL);
	m->text(f, s(dev, "driver"));
	fputc(' ', f);
	m->text(f, s(dev, "driver_version"));
	if (*s(dev, "driver_description")) {
		fprintf(f, ", %s", m->quote[0]);
		m->text(f, s(dev, "driver_description"));
		fputs(m->quote[1], f);
	}
	if (*s(dev, "driver_date")) {
		fputs(", dated ", f);
		m->text(f, s(dev, "driver_date"));
	}
	fputs(m->kv[2], f);
	kv(m, f, "firmware", firmware_text(s(dev, "firmware")));
	kv(m, f, "backend", s(dev, "backend"));
	kv(m, f, "capabilities", s(dev, "capabilities"));
	kv(m, f, "kernel", NULL);
	m->text(f, s(env, "kernel_release"));
	fprintf(f, " %s(", m->muted[0]);
	m->text(f, s(env, "kernel_version"));
	fprintf(f, ")%s, ", m->muted[1]);
	m->text(f, s(env, "machine"));
	fprintf(f, "%s%s", json_object_get_boolean(get(env, "vm")) ? ", in a VM" : "", m->kv[2]);
	kv(m, f, "accel-cts", NULL);
	fputs("git ", f);
	m->text(f, s(env, "git_sha"));
	fputs(m->kv[2], f);
	kv(m, f, "date", s(env, "date"));
	kv(m, f, "run", run);
	fputs(m->env_end, f);
}

char *certificate_markdown(json_object *cert)
{
	json_object *dev = get(cert, "device");
	json_object *levels = get(cert, "levels"), *dig = get(cert, "digest");
	char *buf = NULL, run[256];
	size_t size = 0, i;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return NULL;
	fputs("# accel-cts certificate: ", f);
	md(f, s(dev, "label"));
	fputs(" at ", f);
	md(f, s(dev, "node"));
	verdict_line(run, sizeof(run), levels);
	fprintf(f, "\n\n**%s**\n", run);
	fputs("\n| level | verdict | passed | skipped | failed |\n|---|---|---|---|---|\n", f);
	for (i = 0; i < len(levels); i++) {
		json_object *lv = json_object_array_get_idx(levels, i);

		fprintf(f, "| %s | **%s** | %d | %d | %d |\n", s(lv, "level"), s(lv, "verdict"),
			num(lv, "passed"), num(lv, "skipped"), num(lv, "failed"));
	}
	run_text(run, sizeof(run), cert);
	environment(&markdown, f, cert, run);
	fputs("\n## Levels\n\n", f);
	for (i = 0; i < len(levels); i++)
		level(&markdown, f, json_object_array_get_idx(levels, i));
	benchmarks(&markdown, f, cert);
	fprintf(f, "## Results\n\nThe results folder's %zu files hash to sha256 `%s` (the sha256 of "
		"`sha256sum` of each, in this order); `accel-cts certify --verify DIR` recomputes "
		"the digest and every verdict from them.\n\n| sha256 | bytes | file |\n|---|---|---|\n",
		len(get(dig, "files")), s(dig, "sha256"));
	for (i = 0; i < len(get(dig, "files")); i++) {
		json_object *e = json_object_array_get_idx(get(dig, "files"), i);

		fprintf(f, "| `%s` | %s | ", s(e, "sha256"), s(e, "bytes"));
		md(f, s(e, "path"));
		fputs(" |\n", f);
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* --- HTML --- */

static const char css[] =
	"body{font:15px/1.45 system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;"
	"color:#1b1f24}\n"
	"h1{font-size:1.5em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ccd;"
	"padding-bottom:.2em}h3{margin:1.2em 0 .3em}\n"
	"table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #d6d9de;"
	"padding:.25em .6em;text-align:left;vertical-align:top}th{background:#f2f4f7}\n"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	".badge{display:inline-block;border-radius:.8em;padding:.05em .7em;font-size:.85em;"
	"font-weight:600}\n"
	".ok{background:#d7f5dd;color:#11602a}.dev{background:#dcecff;color:#0b4a8f}"
	".part{background:#fff1c9;color:#7a5200}.na{background:#eceef1;color:#4a525c}"
	".bad{background:#ffd9d6;color:#9a1b12}\n"
	".muted{color:#5c6670}.sub{font-weight:600;margin:.6em 0 .2em}ul{margin-top:.2em}\n"
	"code{font-size:.9em;background:#f2f4f7;padding:0 .2em;border-radius:3px}\n"
	"table.files td{font-family:monospace;font-size:.85em}\n"
	"section.level{border-left:3px solid #d6d9de;padding-left:.8em}\n"
	"p.summary{font-weight:600;font-size:1.05em}\n";

char *certificate_html(json_object *cert)
{
	json_object *dev = get(cert, "device");
	json_object *levels = get(cert, "levels"), *dig = get(cert, "digest");
	char *buf = NULL, run[256];
	size_t size = 0, i;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return NULL;
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>"
	      "accel-cts certificate: ", f);
	xml_escaped(f, s(dev, "label"));
	fprintf(f, "</title>\n<style>\n%s</style></head>\n<body>\n<h1>accel-cts certificate: ", css);
	xml_escaped(f, s(dev, "label"));
	fputs(" <span class=\"muted\">at ", f);
	xml_escaped(f, s(dev, "node"));
	fputs("</span></h1>\n<p class=\"muted\">The common accel uapi profile, level by level "
	      "(docs/PROFILE.md).</p>\n<p class=\"summary\">", f);
	verdict_line(run, sizeof(run), levels);
	xml_escaped(f, run);
	fputs("</p>\n<table><tr><th>level</th><th>verdict</th><th>passed</th>"
	      "<th>skipped</th><th>failed</th></tr>\n", f);
	for (i = 0; i < len(levels); i++) {
		json_object *lv = json_object_array_get_idx(levels, i);

		fprintf(f, "<tr><td>%s</td><td><span class=\"badge %s\">%s</span></td>"
			"<td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td></tr>\n",
			s(lv, "level"), verdict_class(s(lv, "verdict")), s(lv, "verdict"),
			num(lv, "passed"), num(lv, "skipped"), num(lv, "failed"));
	}
	run_text(run, sizeof(run), cert);
	environment(&html, f, cert, run);
	fputs("<h2>Levels</h2>\n", f);
	for (i = 0; i < len(levels); i++)
		level(&html, f, json_object_array_get_idx(levels, i));
	benchmarks(&html, f, cert);
	fprintf(f, "<h2>Results</h2>\n<p>The results folder's %zu files hash to sha256 <code>%s"
		"</code> (the sha256 of <code>sha256sum</code> of each, in this order); "
		"<code>accel-cts certify --verify DIR</code> recomputes the digest and every verdict "
		"from them.</p>\n<table class=\"files\"><tr><th>sha256</th><th>bytes</th><th>file"
		"</th></tr>\n", len(get(dig, "files")), s(dig, "sha256"));
	for (i = 0; i < len(get(dig, "files")); i++) {
		json_object *e = json_object_array_get_idx(get(dig, "files"), i);

		fprintf(f, "<tr><td>%s</td><td class=\"n\">%s</td><td>", s(e, "sha256"),
			s(e, "bytes"));
		xml_escaped(f, s(e, "path"));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n</body></html>\n", f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

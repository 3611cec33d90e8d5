// SPDX-License-Identifier: MIT
/*
 * `accel-cts lava-cases RUN`: a run folder as LAVA test cases, one line each,
 * "NAME RESULT [MEASUREMENT UNITS]", for a LAVA test definition to hand to
 * lava-test-case:
 *
 *   <driver>-<node>.<binary>.<subtest>   pass, fail or skip (IGT's result:
 *                                         crash, timeout and dmesg-* are fail)
 *   bench.<driver>-<node>.<benchmark>[.<params>]   pass, its median and unit
 *   totals.pass, totals.fail, totals.skip          pass, the run's own counts
 *
 * Names keep [A-Za-z0-9_.-]; anything else becomes '_'. The totals let a lab
 * check that LAVA recorded every case the suite reported.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "compare.h"
#include "lava.h"

static void put_name(const char *s)
{
	for (; *s; s++)
		putchar(isalnum((unsigned char)*s) || *s == '_' || *s == '.' || *s == '-' ? *s :
			*s == '@' ? '.' : '_');
}

static void params_suffix(json_object *params)
{
	json_object_object_foreach(params, key, val) {
		putchar('.');
		put_name(key);
		putchar('-');
		put_name(json_object_get_string(val));
	}
}

int cmd_lava_cases(int argc, char **argv)
{
	struct run_data r;
	int pass = 0, fail = 0, skip = 0;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: accel-cts lava-cases RUN-FOLDER\n"
				"  one line per LAVA test case: NAME RESULT [MEASUREMENT UNITS]\n");
		return 2;
	}
	if (run_data_load(&r, argv[1])) {
		run_data_free(&r);
		return 2;
	}
	json_object_object_foreach(r.devices, dev, tests) {
		json_object_object_foreach(tests, key, t) {
			json_object *res;
			const char *v = json_object_object_get_ex(t, "result", &res) ?
					json_object_get_string(res) : "fail";
			/* Not run: no verdict of its own (the subtest that stopped the run fails it). */
			const char *lava = !strcmp(v, "pass") ? "pass" :
					   !strcmp(v, "skip") || !strcmp(v, "notrun") ? "skip" : "fail";

			/* igt@<binary>@<subtest> -> <device>.<binary>.<subtest> */
			put_name(dev);
			putchar('.');
			put_name(strncmp(key, "igt@", 4) ? key : key + 4);
			printf(" %s\n", lava);
			pass += lava[0] == 'p';
			fail += lava[0] == 'f';
			skip += lava[0] == 's';
		}
	}
	json_object_object_foreach(r.bench, bkey, rec) {
		json_object *b, *m, *u, *p;
		char node[128];

		if (!json_object_object_get_ex(rec, "benchmark", &b) ||
		    !json_object_object_get_ex(rec, "median", &m) ||
		    !json_object_object_get_ex(rec, "unit", &u))
			continue;
		bench_key_device(bkey, node, sizeof(node));
		fputs("bench.", stdout);
		put_name(node);
		putchar('.');
		put_name(json_object_get_string(b));
		if (json_object_object_get_ex(rec, "params", &p))
			params_suffix(p);
		printf(" pass %.6g ", json_object_get_double(m));
		put_name(json_object_get_string(u));
		putchar('\n');
	}
	printf("totals.pass pass %d cases\ntotals.fail pass %d cases\ntotals.skip pass %d cases\n",
	       pass, fail, skip);
	run_data_free(&r);
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * accel-cts: the command-line front end.
 *
 *   accel-cts devices            list DRM/accel nodes and their backends
 *   accel-cts backends           list the backends built, and those left out
 *   accel-cts run [options]      run the conformance suite, write results (run.c)
 *   accel-cts resume DIR         continue it after the kernel died
 *   accel-cts results DIR        rebuild its results files from the journal
 *   accel-cts certify ...        the whole profile on one device, a certificate (certify.c)
 * and the tools that read run folders back (reports/).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "acts_backend.h"
#include "acts_caps.h"
#include "compare.h"
#include "history.h"
#include "lava.h"
#include "plot.h"
#include "report.h"
#include "runner.h"
#include "summary.h"


static void usage(FILE *f)
{
	fprintf(f,
		"usage: accel-cts devices             DRM/accel nodes, their backends and capabilities\n"
		"       accel-cts backends            the backends built: status, header, capabilities\n"
		"       accel-cts run [options]        the suite on every device (run --help)\n"
		"       accel-cts resume DIR           continue a run the kernel interrupted\n"
		"       accel-cts results DIR          rebuild a run's results files from its journal\n"
		"       accel-cts certify --device NODE --out DIR   the whole profile and the quick\n"
		"                                      benchmarks on NODE, a certificate (--help)\n"
		"       accel-cts certify --verify DIR check a certificate against its results\n"
		"       accel-cts summary RUN-FOLDER   totals of a run, KUnit results included\n"
		"       accel-cts compare BASE NEW     regressions between two runs or run sets (--help)\n"
		"       accel-cts history RUN...       each figure over many runs, change points (--help)\n"
		"       accel-cts plot --out DIR RUN...  gnuplot plots (PNG, SVG) of run folders\n"
		"       accel-cts report --out DIR RUN...  one HTML page: runs, changes, plots\n"
		"       accel-cts lava-cases RUN       the run as LAVA test cases, one per line\n"
		"exit status: 0 no failures, 1 failures, 2 usage or bad input,\n"
		"             3 the run stopped for a reboot (accel-cts resume DIR continues)\n");
}

/* Whether this project ran the backend against its driver. */
static const char *backend_status(const struct acts_backend *be)
{
	return be->verified ? "verified on this machine" : "built, not run here";
}

/* One line of the backends built, for a machine without their devices. */
static void backends_line(void)
{
	int i;

	printf("backends built:");
	for (i = 0; acts_backends[i]; i++)
		printf(" %s", acts_backends[i]->alias ?: acts_backends[i]->name);
	printf(" generic (accel-cts backends: each one's status, header, capabilities)\n");
}

static int cmd_devices(void)
{
	struct acts_node nodes[RUN_MAX_DEVICES * 4];
	int n = acts_discover(nodes, RUN_MAX_DEVICES * 4), i;

	if (n == 0) {
		printf("no DRM or accel nodes found\n");
		backends_line();
		return 0;
	}
	for (i = 0; i < n; i++) {
		struct acts_dev *dev = nodes[i].be ? acts_dev_open(nodes[i].path) : NULL;
		const char *variant = dev && dev->be->variant ? dev->be->variant(dev) : NULL;
		char caps[512] = "";

		if (dev)
			acts_caps_format(dev->caps, caps, sizeof(caps));
		printf("%-22s %-8s %-12s %s%s%s%s%s%s%s\n", nodes[i].path,
		       acts_node_kind_name(nodes[i].kind), nodes[i].driver,
		       !nodes[i].be ? "not tested: no backend for this node" : "backend ",
		       nodes[i].be ? (nodes[i].be->name ?: "generic") : "",
		       variant ? "/" : "", variant ?: "",
		       nodes[i].be ? " (" : "", nodes[i].be ? backend_status(nodes[i].be) : "",
		       nodes[i].be ? ")" : "");
		if (dev)
			printf("%-22s capabilities: %s\n", "", caps);
		acts_dev_close(dev);
	}
	backends_line();
	return 0;
}

/* The backends in this build, what each declares, and the header it was built against. */
static int cmd_backends(void)
{
	const struct acts_backend *be;
	char caps[512];
	int i, bad = 0;

	for (i = 0; ; i++) {
		char why[256];

		be = acts_backends[i] ? acts_backends[i] : &acts_backend_generic;
		acts_caps_format(be->caps, caps, sizeof(caps));
		printf("%-20s %-26s driver %s\n", be->alias ?: be->name, backend_status(be),
		       be->any_node ? "any (DRM core only)" : be->name);
		printf("%-20s header: %s\n", "", be->uapi_header ?: "the project's own (no upstream header)");
		printf("%-20s declares: %s\n", "", caps);
		if (be->notes)
			printf("%-20s cannot: %s\n", "", be->notes);
		if (acts_backend_check_ops(be, why, sizeof(why))) {
			printf("%-20s BROKEN: %s\n", "", why);
			bad = 1;
		}
		if (!acts_backends[i])
			break;
	}
	for (i = 0; acts_backends_left_out[i]; i++)
		printf("%s\n", acts_backends_left_out[i]);
	return bad;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "devices"))
		return cmd_devices();
	if (!strcmp(argv[1], "backends"))
		return cmd_backends();
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "resume"))
		return cmd_resume(argc - 1, argv + 1);
	if (!strcmp(argv[1], "results"))
		return cmd_results(argc - 1, argv + 1);
	if (!strcmp(argv[1], "certify"))
		return cmd_certify(argc - 1, argv + 1);
	if (!strcmp(argv[1], "summary"))
		return cmd_summary(argc - 1, argv + 1);
	if (!strcmp(argv[1], "compare"))
		return cmd_compare(argc - 1, argv + 1);
	if (!strcmp(argv[1], "history"))
		return cmd_history(argc - 1, argv + 1);
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

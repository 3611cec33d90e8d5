/* SPDX-License-Identifier: MIT */
/*
 * Run folders read back for comparison, plotting and reports.
 */
#ifndef ACTS_RUN_FOLDER_H
#define ACTS_RUN_FOLDER_H

#include <stdbool.h>
#include <stddef.h>

struct json_object;

#define RUN_LABEL_MAX 64

struct run_data {
	const char *path;
	char label[RUN_LABEL_MAX];	/* unique among the runs loaded together (run_label.h) */
	struct json_object *devices;	/* device folder name -> results.json "tests" */
	struct json_object *stories;	/* device folder name -> results.json accel_cts.run */
	/* "<driver>[/<variant>]-<node> <benchmark> <params>" -> record */
	struct json_object *bench;
	struct json_object *env;	/* environment.json, or NULL */
};

/* A string or number member of a JSON object: NULL or NAN when absent. */
const char *json_str(struct json_object *o, const char *key);
double json_num(struct json_object *o, const char *key);

/*
 * A fact about a run: environment.json's env_key, else the record_key of a
 * benchmark record's env (runs of benchmarks alone have no environment.json).
 * NULL when neither has it.
 */
const char *run_env_str(const struct run_data *r, const char *env_key, const char *record_key);

/*
 * The device label of a key of run_data.bench (its text up to the first
 * space): "<driver>-<node>", or "<driver>/<variant>-<node>" for a device of
 * one of its driver's shapes ("refaccel/bo-wait-accel1").
 */
void bench_key_device(const char *key, char *buf, size_t len);

/* A device's results.json "tests" counted: pass, skip, fail, and other failures. */
void run_device_counts(struct json_object *tests, int counts[4]);

/*
 * A line of what a device's run went through (the kernel died or hung in a
 * subtest, the runner stopped, subtests never ran), the i-th of them; false
 * past the last. story: a value of run_data.stories (NULL: none).
 */
bool run_story_line(struct json_object *story, int i, char *buf, size_t len, bool *bad);

/*
 * The runs of a folder given on a command line: itself if it is a run (or a
 * device folder), else the run folders inside it, by name (a run set, as
 * REPEAT=N or make matrix write). Count (>= 1) with *paths allocated (free
 * with run_set_paths_free), or -errno with a message printed.
 */
int run_set_paths(const char *path, char ***paths);
void run_set_paths_free(char **paths, int n);
/*
 * run_set_paths() of each of args, one list; firsts (NULL, or nargs ints)
 * gets where each arg's runs start in it. Count, or -errno (printed).
 */
int run_sets_paths(char **args, int nargs, char ***paths, int *firsts);

/* Read a run folder (or one device folder). 0, or -errno with a message printed. */
int run_data_load(struct run_data *r, const char *path);
void run_data_free(struct run_data *r);
/* Read n run folders, labelled apart; NULL (messages printed) if one cannot be read. */
struct run_data *run_data_load_all(char **paths, int n);
void run_data_free_all(struct run_data *runs, int n);

#endif

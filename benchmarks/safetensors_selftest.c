// SPDX-License-Identifier: MIT
/*
 * Unit tests of the safetensors writer and reader: a written model reads
 * back tensor by tensor, and each kind of malformed header is refused with
 * a message that says what is wrong.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_test.h"
#include "safetensors.h"

/* A written model reads back: tiled offsets, BF16 shapes, the right size. */
static void test_round_trip(struct acts_dev *dev)
{
	char path[] = "/tmp/acts-st-XXXXXX", err[256] = "";
	struct st_file f;
	uint64_t total = 0;
	size_t i;
	int fd = mkstemp(path);

	acts_assert(fd >= 0);
	close(fd);
	acts_assert_ok(st_write_model(path, 8u << 20, 42, err, sizeof(err)));
	fd = open(path, O_RDONLY);
	acts_assert(fd >= 0);
	if (st_read(fd, &f, err, sizeof(err)))
		acts_fail("reading back: %s", err);
	close(fd);
	unlink(path);
	acts_assert(f.n > 10);
	acts_assert_eq(f.data_start % 8, 0);
	for (i = 0; i < f.n; i++) {
		acts_assert(!strcmp(f.tensors[i].dtype, "BF16"));
		acts_assert_eq_u64(f.tensors[i].begin, total);
		total = f.tensors[i].end;
	}
	acts_assert_eq_u64(total, f.data_size);
	/* Close to the asked size: within a layer's worth. */
	acts_assert(f.data_size > 4u << 20 && f.data_size <= 12u << 20);
	acts_assert(!strcmp(f.tensors[0].name, "model.embed_tokens.weight"));
	st_free(&f);
}

static void expect_refused(const char *json, uint64_t data_size, const char *why)
{
	char err[256] = "";
	struct st_file f;
	int ret = st_parse_header(json, strlen(json), data_size, &f, err, sizeof(err));

	if (ret != -EINVAL)
		acts_fail("header %s was accepted (%d), expected EINVAL for %s", json, ret, why);
	if (!strstr(err, why))
		acts_fail("header %s: message '%s' does not say '%s'", json, err, why);
}

static void test_malformed(struct acts_dev *dev)
{
	static const char ok[] = "{\"__metadata__\":{\"x\":\"y\"},\"e\":{\"dtype\":\"I8\","
				 "\"shape\":[0],\"data_offsets\":[0,0]}}   ";
	char err[256];
	struct st_file f;

	expect_refused("{\"a\":", 0, "not JSON");
	expect_refused("[1,2]", 0, "not a JSON object");
	expect_refused("{} x", 0, "bytes after");
	expect_refused("{\"a\":{\"dtype\":\"F7\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1,
		       "unknown dtype");
	expect_refused("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4,
		       "shape says 8 bytes");
	expect_refused("{\"a\":{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,1]}}", 1,
		       "bad dimension");
	expect_refused("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[4,0]}}", 4,
		       "not [begin, end]");
	expect_refused("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
		       "\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[2,6]}}", 6, "overlap");
	expect_refused("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[4,8]}}", 8,
		       "a hole");
	expect_refused("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}}", 8,
		       "cover 4 bytes");
	expect_refused("{\"a\":{\"dtype\":\"U8\",\"shape\":[4]}}", 4, "lacks");
	expect_refused("{\"__metadata__\":[1]}", 0, "__metadata__");
	/* Valid: metadata, padding spaces, and an empty tensor. */
	acts_assert_ok(st_parse_header(ok, strlen(ok), 0, &f, err, sizeof(err)));
	acts_assert_eq(f.n, 1);
	st_free(&f);
}

/* A file whose header length runs past its end is refused before any parse. */
static void test_bad_length(struct acts_dev *dev)
{
	char path[] = "/tmp/acts-st-XXXXXX", err[256] = "";
	unsigned char len[8] = { 0xff, 0xff, 0, 0, 0, 0, 0, 0 };
	struct st_file f;
	int fd = mkstemp(path);

	acts_assert(fd >= 0);
	acts_assert_eq(write(fd, len, 8), 8);
	acts_assert_eq(write(fd, "{}", 2), 2);
	acts_assert_err(st_read(fd, &f, err, sizeof(err)), -EINVAL);
	acts_assert(strstr(err, "does not fit"));
	acts_assert_eq(ftruncate(fd, 4), 0);
	acts_assert_err(st_read(fd, &f, err, sizeof(err)), -EINVAL);
	acts_assert(strstr(err, "shorter"));
	close(fd);
	unlink(path);
}

/* The checksum sees a single flipped bit and the order of words. */
static void test_checksum(struct acts_dev *dev)
{
	uint64_t a[4] = { 1, 2, 3, 4 }, b[4] = { 1, 2, 3, 4 }, c[4] = { 2, 1, 3, 4 };

	acts_assert_eq_u64(st_checksum(a, 32), st_checksum(b, 32));
	b[3] ^= 1ull << 40;
	acts_assert(st_checksum(a, 32) != st_checksum(b, 32));
	acts_assert(st_checksum(a, 32) != st_checksum(c, 32));
}

static const struct acts_subtest tests[] = {
	{ "round-trip", "", "a written model reads back, tensor by tensor", test_round_trip,
	  ACTS_NO_DEVICE },
	{ "malformed-headers", "", "each malformed header is refused and the message says why",
	  test_malformed, ACTS_NO_DEVICE },
	{ "bad-header-length", "", "header lengths past the file's end are refused",
	  test_bad_length, ACTS_NO_DEVICE },
	{ "checksum", "", "the checksum sees one flipped bit and swapped words", test_checksum,
	  ACTS_NO_DEVICE },
};

ACTS_MAIN(tests)

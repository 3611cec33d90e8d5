// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * KUnit suite refaccel_cmd: the command stream's validation, one bad field
 * at a time, and its execution on page-backed spans.
 */

#include <kunit/test.h>
#include <linux/ktime.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <uapi/drm/refaccel_accel.h>

#include "refaccel_cmd.h"
#include "refaccel_mac.h"
#include "refaccel_fault.h"
#include "refaccel_kunit.h"

#define SPAN_SIZE	(2 * PAGE_SIZE)

/* Two spans of two pages each, sizes only: validation never touches pages. */
static const struct refaccel_span two_spans[] = {
	{ .size = SPAN_SIZE, .owner = &two_spans[0] },
	{ .size = SPAN_SIZE, .owner = &two_spans[1] },
};

static int validate(const void *cmd, u32 size, u32 engine)
{
	return refaccel_cmds_validate(cmd, size, engine, two_spans, ARRAY_SIZE(two_spans), NULL);
}

static struct drm_refaccel_cmd_fill good_fill(void)
{
	return (struct drm_refaccel_cmd_fill){
		.hdr = { REFACCEL_CMD_FILL, sizeof(struct drm_refaccel_cmd_fill) },
		.bo_index = 1, .value = 0x12345678, .offset = PAGE_SIZE - 8, .size = 16,
	};
}

/* Passes when a well-formed FILL is accepted on both engines. */
static void refaccel_cmd_fill_valid(struct kunit *test)
{
	struct drm_refaccel_cmd_fill f = good_fill();

	KUNIT_EXPECT_EQ(test, validate(&f, sizeof(f), REFACCEL_ENGINE_COMPUTE), 0);
	KUNIT_EXPECT_EQ(test, validate(&f, sizeof(f), REFACCEL_ENGINE_COPY), 0);
}

/* Passes when each broken FILL field is refused with -EINVAL. */
static void refaccel_cmd_fill_bad_fields(struct kunit *test)
{
	struct drm_refaccel_cmd_fill f;

	f = good_fill(); f.bo_index = 2;
	KUNIT_EXPECT_EQ(test, validate(&f, sizeof(f), 0), -EINVAL);
	f = good_fill(); f.offset = 2;
	KUNIT_EXPECT_EQ(test, validate(&f, sizeof(f), 0), -EINVAL);
	f = good_fill(); f.size = 6;
	KUNIT_EXPECT_EQ(test, validate(&f, sizeof(f), 0), -EINVAL);
	f = good_fill(); f.size = 0;
	KUNIT_EXPECT_EQ(test, validate(&f, sizeof(f), 0), -EINVAL);
	/* One word past the end, and a range that wraps around 2^64. */
	f = good_fill(); f.offset = SPAN_SIZE - 12;
	KUNIT_EXPECT_EQ(test, validate(&f, sizeof(f), 0), -EINVAL);
	f = good_fill(); f.offset = 16; f.size = U64_MAX - 11;
	KUNIT_EXPECT_EQ(test, validate(&f, sizeof(f), 0), -EINVAL);
	f = good_fill(); f.offset = SPAN_SIZE - 16;
	KUNIT_EXPECT_EQ(test, validate(&f, sizeof(f), 0), 0);
}

/* Passes when headers that lie about their size or opcode are refused. */
static void refaccel_cmd_bad_headers(struct kunit *test)
{
	struct drm_refaccel_cmd_fill f = good_fill();
	struct drm_refaccel_cmd_header nop = { REFACCEL_CMD_NOP, 8 };
	u8 buf[64] = {};

	KUNIT_EXPECT_EQ(test, validate(&nop, 4, 0), -EINVAL);		/* truncated header */
	nop.size = 0;
	KUNIT_EXPECT_EQ(test, validate(&nop, 8, 0), -EINVAL);		/* zero size */
	nop.size = 16;
	memcpy(buf, &nop, sizeof(nop));
	KUNIT_EXPECT_EQ(test, validate(buf, 16, 0), -EINVAL);		/* not NOP's size */
	nop = (struct drm_refaccel_cmd_header){ 0, 8 };
	KUNIT_EXPECT_EQ(test, validate(&nop, 8, 0), -EINVAL);		/* opcode 0 */
	nop.opcode = 0x1000;
	KUNIT_EXPECT_EQ(test, validate(&nop, 8, 0), -EINVAL);		/* unknown opcode */
	KUNIT_EXPECT_EQ(test, validate(&f, sizeof(f) - 8, 0), -EINVAL);	/* cut short */
	f.hdr.size += 8;
	memcpy(buf, &f, sizeof(f));
	KUNIT_EXPECT_EQ(test, validate(buf, sizeof(f) + 8, 0), -EINVAL);
}

/* Passes when COPY is refused off the copy engine, on overlap and on wrap. */
static void refaccel_cmd_copy_rules(struct kunit *test)
{
	struct drm_refaccel_cmd_copy c = {
		.hdr = { REFACCEL_CMD_COPY, sizeof(c) },
		.src_index = 0, .dst_index = 1, .src_offset = 0, .dst_offset = 0, .size = SPAN_SIZE,
	};

	KUNIT_EXPECT_EQ(test, validate(&c, sizeof(c), REFACCEL_ENGINE_COPY), 0);
	KUNIT_EXPECT_EQ(test, validate(&c, sizeof(c), REFACCEL_ENGINE_COMPUTE), -EINVAL);
	c.dst_index = 0; c.size = 64; c.dst_offset = 32;	/* overlap within one BO */
	KUNIT_EXPECT_EQ(test, validate(&c, sizeof(c), REFACCEL_ENGINE_COPY), -EINVAL);
	c.dst_offset = 64;					/* adjacent: fine */
	KUNIT_EXPECT_EQ(test, validate(&c, sizeof(c), REFACCEL_ENGINE_COPY), 0);
	c.src_offset = U64_MAX - 8;
	KUNIT_EXPECT_EQ(test, validate(&c, sizeof(c), REFACCEL_ENGINE_COPY), -EINVAL);
}

/* Passes when TIMESTAMP needs zero padding, 8-byte alignment and room for 8 bytes. */
static void refaccel_cmd_timestamp_rules(struct kunit *test)
{
	struct drm_refaccel_cmd_timestamp t = {
		.hdr = { REFACCEL_CMD_TIMESTAMP, sizeof(t) },
		.bo_index = 0, .offset = SPAN_SIZE - 8,
	};

	KUNIT_EXPECT_EQ(test, validate(&t, sizeof(t), 0), 0);
	t.pad = 1;
	KUNIT_EXPECT_EQ(test, validate(&t, sizeof(t), 0), -EINVAL);
	t.pad = 0; t.offset = 4;
	KUNIT_EXPECT_EQ(test, validate(&t, sizeof(t), 0), -EINVAL);
	t.offset = SPAN_SIZE;
	KUNIT_EXPECT_EQ(test, validate(&t, sizeof(t), 0), -EINVAL);
}

/* A valid fp16 4x5x6 MAC with A, B and C in spans 0, 1 and 0. */
static struct drm_refaccel_cmd_mac good_mac(void)
{
	return (struct drm_refaccel_cmd_mac){
		.hdr = { REFACCEL_CMD_MAC, sizeof(struct drm_refaccel_cmd_mac) },
		.dtype = REFACCEL_MAC_FP16, .m = 4, .n = 5, .k = 6,
		.a_index = 0, .b_index = 1, .c_index = 0,
		.a_offset = 0, .a_stride = 12, .b_offset = 0, .b_stride = 10,
		.c_offset = PAGE_SIZE, .c_stride = 20,
	};
}

struct mac_defect {
	const char *name;
	void (*apply)(struct drm_refaccel_cmd_mac *m);
};

static void mac_dtype(struct drm_refaccel_cmd_mac *m)
{
	m->dtype = REFACCEL_MAC_DTYPE_COUNT;
}

static void mac_flags(struct drm_refaccel_cmd_mac *m)
{
	m->flags = 1U << 7;
}

static void mac_zero_k(struct drm_refaccel_cmd_mac *m)
{
	m->k = 0;
}

static void mac_big_n(struct drm_refaccel_cmd_mac *m)
{
	m->n = 4097;
}

static void mac_index(struct drm_refaccel_cmd_mac *m)
{
	m->c_index = 2;
}

/* A is 4 rows of 12 bytes, 48 bytes: 2 of them past the end. */
static void mac_a_oob(struct drm_refaccel_cmd_mac *m)
{
	m->a_offset = SPAN_SIZE - 46;
}

static void mac_b_tr_oob(struct drm_refaccel_cmd_mac *m)
{
	/* Transposed, B is 5 rows of 12 bytes, 60 bytes: 2 of them past the end. */
	m->flags = REFACCEL_MAC_TRANSPOSE_B;
	m->b_stride = 12;
	m->b_offset = SPAN_SIZE - 58;
}

static void mac_c_wrap(struct drm_refaccel_cmd_mac *m)
{
	m->c_stride = 0x5555555555555558ULL;
}

static void mac_a_misaligned(struct drm_refaccel_cmd_mac *m)
{
	m->a_offset = 1;
}

static void mac_c_misaligned(struct drm_refaccel_cmd_mac *m)
{
	m->c_stride = 22;
}

static void mac_short_stride(struct drm_refaccel_cmd_mac *m)
{
	m->a_stride = 10;
}

static void mac_overlap(struct drm_refaccel_cmd_mac *m)
{
	m->c_offset = 40;
}

static void mac_offset_wrap(struct drm_refaccel_cmd_mac *m)
{
	m->b_offset = U64_MAX - 1;
}

static const struct mac_defect mac_defects[] = {
	{ "unknown dtype", mac_dtype },
	{ "unknown flag", mac_flags },
	{ "K zero", mac_zero_k },
	{ "N past the limit", mac_big_n },
	{ "C's BO index past the list", mac_index },
	{ "A's last row past its span", mac_a_oob },
	{ "transposed B's last row past its span", mac_b_tr_oob },
	{ "C's stride times its rows wraps", mac_c_wrap },
	{ "fp16 A at an odd offset", mac_a_misaligned },
	{ "C's stride not a multiple of 4", mac_c_misaligned },
	{ "A's stride shorter than a row", mac_short_stride },
	{ "C overlapping A", mac_overlap },
	{ "B's offset wrapping", mac_offset_wrap },
};

static void mac_defect_desc(const struct mac_defect *d, char *desc)
{
	strscpy(desc, d->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mac_defect, mac_defects, mac_defect_desc);

/* Passes when the good MAC is accepted and this one broken field gets -EINVAL. */
static void refaccel_cmd_mac_defect(struct kunit *test)
{
	const struct mac_defect *d = test->param_value;
	struct drm_refaccel_cmd_mac m = good_mac();

	KUNIT_ASSERT_EQ(test, validate(&m, sizeof(m), REFACCEL_ENGINE_COMPUTE), 0);
	d->apply(&m);
	KUNIT_EXPECT_EQ_MSG(test, validate(&m, sizeof(m), REFACCEL_ENGINE_COMPUTE), -EINVAL,
			    "%s", d->name);
}

/* Passes when a MAC is refused on the copy engine. */
static void refaccel_cmd_mac_copy_engine(struct kunit *test)
{
	struct drm_refaccel_cmd_mac m = good_mac();

	KUNIT_EXPECT_EQ(test, validate(&m, sizeof(m), REFACCEL_ENGINE_COPY), -EINVAL);
}

/*
 * Passes when a buffer's bytes count its FILL and COPY sizes and 8 per
 * TIMESTAMP, and any MAC makes it U64_MAX (a job of unknown length).
 */
static void refaccel_cmd_bytes(struct kunit *test)
{
	struct {
		struct drm_refaccel_cmd_header nop;
		struct drm_refaccel_cmd_fill fill;
		struct drm_refaccel_cmd_copy copy;
		struct drm_refaccel_cmd_timestamp ts;
		struct drm_refaccel_cmd_mac mac;
	} __packed cmds = {
		.nop = { REFACCEL_CMD_NOP, sizeof(struct drm_refaccel_cmd_header) },
		.fill = good_fill(),
		.copy = {
			.hdr = { REFACCEL_CMD_COPY, sizeof(struct drm_refaccel_cmd_copy) },
			.src_index = 1, .dst_index = 0, .size = 32,
		},
		.ts.hdr = { REFACCEL_CMD_TIMESTAMP, sizeof(struct drm_refaccel_cmd_timestamp) },
		.mac = good_mac(),
	};

	KUNIT_EXPECT_EQ(test, refaccel_cmds_bytes(&cmds, sizeof(cmds.nop)), 0);
	KUNIT_EXPECT_EQ(test, refaccel_cmds_bytes(&cmds, offsetof(typeof(cmds), mac)),
			16 + 32 + 8);
	KUNIT_EXPECT_EQ(test, refaccel_cmds_bytes(&cmds, sizeof(cmds)), U64_MAX);
}

/*
 * Passes when FILL writes exactly its words across a page boundary and
 * COPY moves them to another span, leaving every other byte zero.
 */
static void refaccel_cmd_exec_fill_copy(struct kunit *test)
{
	struct refaccel_span spans[2];
	struct {
		struct drm_refaccel_cmd_fill fill;
		struct drm_refaccel_cmd_copy copy;
	} __packed cmds = {
		.fill = good_fill(),
		.copy = {
			.hdr = { REFACCEL_CMD_COPY, sizeof(struct drm_refaccel_cmd_copy) },
			.src_index = 1, .dst_index = 0, .src_offset = PAGE_SIZE - 8,
			.dst_offset = 100, .size = 16,
		},
	};
	static const u8 pattern[4] = { 0x78, 0x56, 0x34, 0x12 };	/* 0x12345678, LE */
	const struct refaccel_exec exec = { .spans = spans };
	u64 i;

	refaccel_kunit_span(test, &spans[0], 2);
	refaccel_kunit_span(test, &spans[1], 2);
	KUNIT_ASSERT_EQ(test, refaccel_cmds_validate(&cmds, sizeof(cmds), REFACCEL_ENGINE_COPY,
						     spans, 2, NULL), 0);
	KUNIT_ASSERT_EQ(test, refaccel_cmds_execute(&cmds, sizeof(cmds), &exec), 0);
	for (i = 0; i < SPAN_SIZE; i++) {
		bool in_fill = i >= PAGE_SIZE - 8 && i < PAGE_SIZE + 8;
		bool in_copy = i >= 100 && i < 116;
		u8 want = pattern[(in_fill ? i - (PAGE_SIZE - 8) : i - 100) % 4];

		KUNIT_ASSERT_EQ_MSG(test, *refaccel_kunit_byte(&spans[1], i), in_fill ? want : 0,
				    "span 1 byte %llu", i);
		KUNIT_ASSERT_EQ_MSG(test, *refaccel_kunit_byte(&spans[0], i), in_copy ? want : 0,
				    "span 0 byte %llu", i);
	}
}

/*
 * Passes when an executed int8 MAC writes C (1x2 = [1 2 3] · B) and the
 * corrupt_mac fault flips exactly bit 0 of the middle element once, and
 * counts it.
 */
static void refaccel_cmd_exec_mac_and_corruption(struct kunit *test)
{
	struct refaccel_faults faults = {};
	struct refaccel_span span;
	struct drm_refaccel_cmd_mac m = {
		.hdr = { REFACCEL_CMD_MAC, sizeof(m) }, .dtype = REFACCEL_MAC_INT8,
		.m = 1, .n = 2, .k = 3, .a_stride = 3, .b_offset = 8, .b_stride = 2,
		.c_offset = 64, .c_stride = 8,
	};
	static const s8 a[] = { 1, 2, 3 }, b[] = { 4, -5, 6, 7, -8, 9 };
	const struct refaccel_exec exec = { .spans = &span, .faults = &faults };
	s32 c[2];

	refaccel_kunit_span(test, &span, 1);
	memcpy(refaccel_kunit_byte(&span, 0), a, sizeof(a));
	memcpy(refaccel_kunit_byte(&span, 8), b, sizeof(b));
	KUNIT_ASSERT_EQ(test, refaccel_cmds_validate(&m, sizeof(m), 0, &span, 1, NULL), 0);
	KUNIT_ASSERT_EQ(test, refaccel_cmds_execute(&m, sizeof(m), &exec), 0);
	memcpy(c, refaccel_kunit_byte(&span, 64), sizeof(c));
	KUNIT_EXPECT_EQ(test, c[0], 1 * 4 + 2 * 6 + 3 * -8);
	KUNIT_EXPECT_EQ(test, c[1], 1 * -5 + 2 * 7 + 3 * 9);

	atomic_set(&faults.corrupt_mac, 1);
	KUNIT_ASSERT_EQ(test, refaccel_cmds_execute(&m, sizeof(m), &exec), 0);
	memcpy(c, refaccel_kunit_byte(&span, 64), sizeof(c));
	KUNIT_EXPECT_EQ(test, c[0], -8);
	KUNIT_EXPECT_EQ(test, c[1], 36 ^ 1);	/* the middle of a 1x2 C is [0][1] */
	KUNIT_EXPECT_EQ(test, atomic64_read(&faults.mac_corruptions), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&faults.corrupt_mac), 0);
}

/*
 * Passes when a refusal names the offending command's offset and a reason:
 * the second of two commands, with a bad FILL range.
 */
static void refaccel_cmd_reject_reason(struct kunit *test)
{
	struct {
		struct drm_refaccel_cmd_header nop;
		struct drm_refaccel_cmd_fill fill;
	} __packed cmds = { .nop = { REFACCEL_CMD_NOP, 8 }, .fill = good_fill() };
	struct refaccel_cmd_reject reject = {};

	cmds.fill.size = SPAN_SIZE;	/* from offset PAGE_SIZE - 8: past the end */
	KUNIT_ASSERT_EQ(test, refaccel_cmds_validate(&cmds, sizeof(cmds), REFACCEL_ENGINE_COPY,
						     two_spans, 2, &reject), -EINVAL);
	KUNIT_EXPECT_EQ(test, reject.offset, 8);
	KUNIT_ASSERT_NOT_NULL(test, reject.reason);
	KUNIT_EXPECT_NOT_NULL(test, strstr(reject.reason, "FILL"));
}

/* A stop request the test controls, freed with the test. */
static atomic_t *stop_request(struct kunit *test)
{
	atomic_t *stop = kunit_kzalloc(test, sizeof(*stop), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, stop);
	return stop;
}

/*
 * Passes when a stop request ends execution with its error before the next
 * command and before the next page of a FILL: a stop already requested
 * leaves the span untouched and returns -ECANCELED; without one, the same
 * commands run to the end.
 */
static void refaccel_cmd_exec_stop(struct kunit *test)
{
	struct refaccel_span span;
	struct drm_refaccel_cmd_fill fill = {
		.hdr = { REFACCEL_CMD_FILL, sizeof(fill) }, .value = 0xdeadbeef,
		.offset = 0, .size = 4 * PAGE_SIZE,
	};
	atomic_t *stop = stop_request(test);
	const struct refaccel_exec exec = { .spans = &span, .stop = stop };

	refaccel_kunit_span(test, &span, 4);
	KUNIT_ASSERT_EQ(test, refaccel_cmds_validate(&fill, sizeof(fill), 0, &span, 1, NULL), 0);

	atomic_set(stop, -ECANCELED);
	KUNIT_EXPECT_EQ(test, refaccel_cmds_execute(&fill, sizeof(fill), &exec), -ECANCELED);
	KUNIT_EXPECT_EQ(test, *refaccel_kunit_byte(&span, 0), 0);
	KUNIT_EXPECT_EQ(test, *refaccel_kunit_byte(&span, 4 * PAGE_SIZE - 1), 0);

	atomic_set(stop, 0);
	KUNIT_EXPECT_EQ(test, refaccel_cmds_execute(&fill, sizeof(fill), &exec), 0);
	KUNIT_EXPECT_EQ(test, *refaccel_kunit_byte(&span, 4 * PAGE_SIZE - 1), 0xde);
}

/*
 * Passes when job_delay_us makes every execution take at least that long,
 * a stop request cuts the delay short, and 0 takes the delay away.
 */
static void refaccel_cmd_exec_job_delay(struct kunit *test)
{
	struct refaccel_faults faults = {};
	struct refaccel_span span;
	struct drm_refaccel_cmd_fill fill = {
		.hdr = { REFACCEL_CMD_FILL, sizeof(fill) }, .value = 0x01010101,
		.offset = 0, .size = PAGE_SIZE,
	};
	atomic_t *stop = stop_request(test);
	const struct refaccel_exec exec = { .spans = &span, .faults = &faults, .stop = stop };
	u64 t0, took;

	refaccel_kunit_span(test, &span, 1);
	KUNIT_ASSERT_EQ(test, refaccel_cmds_validate(&fill, sizeof(fill), 0, &span, 1, NULL), 0);

	atomic_set(&faults.job_delay_us, 20000);
	t0 = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, refaccel_cmds_execute(&fill, sizeof(fill), &exec), 0);
	took = ktime_get_ns() - t0;
	KUNIT_EXPECT_GE(test, took, 20 * NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, *refaccel_kunit_byte(&span, PAGE_SIZE - 1), 1);

	/* Stopped: the delay ends within its next 100 us step, and nothing runs. */
	atomic_set(&faults.job_delay_us, 1000000);
	atomic_set(stop, -ECANCELED);
	*refaccel_kunit_byte(&span, 0) = 0;
	t0 = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, refaccel_cmds_execute(&fill, sizeof(fill), &exec), -ECANCELED);
	KUNIT_EXPECT_LT(test, ktime_get_ns() - t0, 500 * NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, *refaccel_kunit_byte(&span, 0), 0);
}

/*
 * Passes when copy_throttle_mbps holds a COPY to that rate (64 KiB at
 * 4 MB/s takes at least 16 ms) and moves every byte all the same.
 */
static void refaccel_cmd_exec_copy_throttle(struct kunit *test)
{
	struct refaccel_faults faults = {};
	struct refaccel_span spans[2];
	struct drm_refaccel_cmd_copy copy = {
		.hdr = { REFACCEL_CMD_COPY, sizeof(copy) },
		.src_index = 0, .dst_index = 1, .size = SZ_64K,
	};
	const struct refaccel_exec exec = { .spans = spans, .faults = &faults };
	u64 t0;

	refaccel_kunit_span(test, &spans[0], SZ_64K / PAGE_SIZE);
	refaccel_kunit_span(test, &spans[1], SZ_64K / PAGE_SIZE);
	*refaccel_kunit_byte(&spans[0], SZ_64K - 1) = 0x5a;
	KUNIT_ASSERT_EQ(test, refaccel_cmds_validate(&copy, sizeof(copy), REFACCEL_ENGINE_COPY,
						     spans, 2, NULL), 0);

	atomic_set(&faults.copy_throttle_mbps, 4);
	t0 = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, refaccel_cmds_execute(&copy, sizeof(copy), &exec), 0);
	KUNIT_EXPECT_GE(test, ktime_get_ns() - t0, (u64)SZ_64K / 4 * NSEC_PER_USEC);
	KUNIT_EXPECT_EQ(test, *refaccel_kunit_byte(&spans[1], SZ_64K - 1), 0x5a);
}

static bool stop_at_third_element(const void *data)
{
	int *calls = (int *)data;

	return ++*calls > 2;
}

/*
 * Passes when a MAC asked to stop before its third result element leaves
 * exactly two elements written and reports that it stopped.
 */
static void refaccel_cmd_mac_stops_between_elements(struct kunit *test)
{
	struct refaccel_mac_shape s = {
		.dtype = REFACCEL_MAC_INT8, .m = 2, .n = 2, .k = 1,
		.a_stride = 1, .b_stride = 2, .c_stride = 8,
	};
	static const s8 a[2] = { 2, 3 }, b[2] = { 5, 7 };
	s32 c[4] = { -1, -1, -1, -1 };
	int calls = 0;

	KUNIT_EXPECT_FALSE(test, refaccel_mac_compute(&s, a, b, c, stop_at_third_element,
						      &calls));
	KUNIT_EXPECT_EQ(test, c[0], 10);
	KUNIT_EXPECT_EQ(test, c[1], 14);
	KUNIT_EXPECT_EQ(test, c[2], -1);
	KUNIT_EXPECT_EQ(test, c[3], -1);
}

static struct kunit_case refaccel_cmd_cases[] = {
	KUNIT_CASE(refaccel_cmd_reject_reason),
	KUNIT_CASE(refaccel_cmd_exec_stop),
	KUNIT_CASE(refaccel_cmd_exec_job_delay),
	KUNIT_CASE(refaccel_cmd_exec_copy_throttle),
	KUNIT_CASE(refaccel_cmd_mac_stops_between_elements),
	KUNIT_CASE(refaccel_cmd_fill_valid),
	KUNIT_CASE(refaccel_cmd_fill_bad_fields),
	KUNIT_CASE(refaccel_cmd_bad_headers),
	KUNIT_CASE(refaccel_cmd_copy_rules),
	KUNIT_CASE(refaccel_cmd_timestamp_rules),
	KUNIT_CASE_PARAM(refaccel_cmd_mac_defect, mac_defect_gen_params),
	KUNIT_CASE(refaccel_cmd_mac_copy_engine),
	KUNIT_CASE(refaccel_cmd_bytes),
	KUNIT_CASE(refaccel_cmd_exec_fill_copy),
	KUNIT_CASE(refaccel_cmd_exec_mac_and_corruption),
	{}
};

static struct kunit_suite refaccel_cmd_suite = {
	.name = "refaccel_cmd",
	.test_cases = refaccel_cmd_cases,
};

kunit_test_suite(refaccel_cmd_suite);

/* SPDX-License-Identifier: MIT */
/*
 * The safetensors file format, as LLM weights ship: an 8-byte little-endian
 * header length, a JSON header naming each tensor's dtype, shape and
 * [begin, end) byte offsets into the data that follows, then the data.
 * A writer of synthetic, transformer-shaped models and a strict reader.
 */
#ifndef ACTS_SAFETENSORS_H
#define ACTS_SAFETENSORS_H

#include <stddef.h>
#include <stdint.h>

#define ST_MAX_DIMS 8
#define ST_MAX_HEADER (100u << 20)	/* the format's own cap on the header */

struct st_tensor {
	char name[96];
	char dtype[8];
	unsigned int ndim;
	uint64_t shape[ST_MAX_DIMS];
	uint64_t begin, end;	/* offsets into the data, which starts at data_start */
};

struct st_file {
	uint64_t data_start;	/* 8 + header length */
	uint64_t data_size;
	struct st_tensor *tensors;
	size_t n;
};

/* Bytes per element of a safetensors dtype name, or 0 if unknown. */
unsigned int st_dtype_size(const char *dtype);

/*
 * Check a header (JSON text) against a data section of data_size bytes:
 * known dtypes, shapes matching their offsets, and offsets that cover the
 * data exactly once (no holes, no overlap). 0, or -EINVAL with err set.
 */
int st_parse_header(const char *json, size_t len, uint64_t data_size, struct st_file *f,
		    char *err, size_t errlen);
/* Read and check the header of an open file. 0, or -errno with err set. */
int st_read(int fd, struct st_file *f, char *err, size_t errlen);
void st_free(struct st_file *f);

/*
 * Write a synthetic model of about target bytes: an embedding and layers of
 * attention (q, k, v, o), MLP (gate, up, down) and norm weights in bf16,
 * filled from seed. 0, or -errno with err set.
 */
int st_write_model(const char *path, uint64_t target, uint64_t seed, char *err, size_t errlen);

/* A checksum of bytes, fast enough for gigabytes, to prove a load is exact. */
uint64_t st_checksum(const void *data, uint64_t size);

#endif

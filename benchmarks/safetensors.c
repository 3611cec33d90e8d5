// SPDX-License-Identifier: MIT
/*
 * safetensors writer and strict reader. See safetensors.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "safetensors.h"

static int fail(char *err, size_t len, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return ret;
}

unsigned int st_dtype_size(const char *dtype)
{
	static const struct { const char *name; unsigned int size; } types[] = {
		{ "F64", 8 }, { "I64", 8 }, { "U64", 8 }, { "F32", 4 }, { "I32", 4 },
		{ "U32", 4 }, { "F16", 2 }, { "BF16", 2 }, { "I16", 2 }, { "U16", 2 },
		{ "I8", 1 }, { "U8", 1 }, { "BOOL", 1 }, { "F8_E4M3", 1 }, { "F8_E5M2", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(dtype, types[i].name))
			return types[i].size;
	return 0;
}

static int cmp_begin(const void *a, const void *b)
{
	const struct st_tensor *x = a, *y = b;

	return (x->begin > y->begin) - (x->begin < y->begin);
}

/* An exact non-negative integer from JSON, or -1. */
static int64_t json_u64(json_object *o)
{
	if (!json_object_is_type(o, json_type_int) || json_object_get_int64(o) < 0)
		return -1;
	return json_object_get_int64(o);
}

static int parse_tensor(const char *name, json_object *v, struct st_tensor *t, char *err,
			size_t errlen)
{
	json_object *dtype, *shape, *offs;
	uint64_t elems = 1, bytes;
	unsigned int size;
	int64_t b, e;
	size_t i;

	if (strlen(name) >= sizeof(t->name))
		return fail(err, errlen, -EINVAL, "tensor name '%.40s...' is too long", name);
	strcpy(t->name, name);
	if (!json_object_is_type(v, json_type_object) ||
	    !json_object_object_get_ex(v, "dtype", &dtype) ||
	    !json_object_object_get_ex(v, "shape", &shape) ||
	    !json_object_object_get_ex(v, "data_offsets", &offs))
		return fail(err, errlen, -EINVAL, "tensor '%s' lacks dtype, shape or data_offsets",
			    name);
	if (!json_object_is_type(dtype, json_type_string) ||
	    !(size = st_dtype_size(json_object_get_string(dtype))))
		return fail(err, errlen, -EINVAL, "tensor '%s' has an unknown dtype %s", name,
			    json_object_to_json_string(dtype));
	snprintf(t->dtype, sizeof(t->dtype), "%s", json_object_get_string(dtype));
	if (!json_object_is_type(shape, json_type_array) ||
	    json_object_array_length(shape) > ST_MAX_DIMS)
		return fail(err, errlen, -EINVAL, "tensor '%s': shape is not an array of at most %d "
			    "dimensions", name, ST_MAX_DIMS);
	t->ndim = (unsigned int)json_object_array_length(shape);
	for (i = 0; i < t->ndim; i++) {
		int64_t d = json_u64(json_object_array_get_idx(shape, i));

		if (d < 0 || (d && elems > UINT64_MAX / (uint64_t)d))
			return fail(err, errlen, -EINVAL, "tensor '%s': bad dimension %zu", name, i);
		t->shape[i] = (uint64_t)d;
		elems *= (uint64_t)d;
	}
	if (!json_object_is_type(offs, json_type_array) || json_object_array_length(offs) != 2 ||
	    (b = json_u64(json_object_array_get_idx(offs, 0))) < 0 ||
	    (e = json_u64(json_object_array_get_idx(offs, 1))) < 0 || e < b)
		return fail(err, errlen, -EINVAL, "tensor '%s': data_offsets is not [begin, end]",
			    name);
	t->begin = (uint64_t)b;
	t->end = (uint64_t)e;
	if (elems > UINT64_MAX / size || (bytes = elems * size) != t->end - t->begin)
		return fail(err, errlen, -EINVAL, "tensor '%s': shape says %llu bytes, offsets %llu",
			    name, (unsigned long long)(elems * size),
			    (unsigned long long)(t->end - t->begin));
	return 0;
}

int st_parse_header(const char *json, size_t len, uint64_t data_size, struct st_file *f,
		    char *err, size_t errlen)
{
	struct json_tokener *tok = json_tokener_new();
	json_object *root;
	uint64_t at = 0;
	size_t i, n = 0;
	int ret = 0;

	memset(f, 0, sizeof(*f));
	if (!tok)
		return fail(err, errlen, -ENOMEM, "out of memory");
	root = json_tokener_parse_ex(tok, json, (int)len);
	if (!root || json_tokener_get_error(tok) != json_tokener_success) {
		ret = fail(err, errlen, -EINVAL, "the header is not JSON: %s",
			   json_tokener_error_desc(json_tokener_get_error(tok)));
		goto out;
	}
	/* Whatever follows the JSON may only be the spaces that pad it. */
	for (i = json_tokener_get_parse_end(tok); i < len; i++)
		if (json[i] != ' ') {
			ret = fail(err, errlen, -EINVAL, "the header has bytes after its JSON");
			goto out;
		}
	if (!json_object_is_type(root, json_type_object)) {
		ret = fail(err, errlen, -EINVAL, "the header is not a JSON object");
		goto out;
	}
	f->tensors = calloc(json_object_object_length(root) + 1, sizeof(*f->tensors));
	if (!f->tensors) {
		ret = fail(err, errlen, -ENOMEM, "out of memory");
		goto out;
	}
	json_object_object_foreach(root, key, val) {
		if (!strcmp(key, "__metadata__")) {
			if (!json_object_is_type(val, json_type_object)) {
				ret = fail(err, errlen, -EINVAL, "__metadata__ is not an object");
				goto out;
			}
			continue;
		}
		ret = parse_tensor(key, val, &f->tensors[n], err, errlen);
		if (ret)
			goto out;
		n++;
	}
	f->n = n;
	f->data_size = data_size;
	/* Sorted by offset, the tensors must tile the data exactly. */
	qsort(f->tensors, n, sizeof(*f->tensors), cmp_begin);
	for (i = 0; i < n; i++) {
		if (f->tensors[i].begin != at) {
			ret = fail(err, errlen, -EINVAL, "tensor '%s' starts at %llu, not %llu: %s",
				   f->tensors[i].name, (unsigned long long)f->tensors[i].begin,
				   (unsigned long long)at,
				   f->tensors[i].begin < at ? "tensors overlap" : "a hole in the data");
			goto out;
		}
		at = f->tensors[i].end;
	}
	if (at != data_size)
		ret = fail(err, errlen, -EINVAL, "the tensors cover %llu bytes of data, the file has %llu",
			   (unsigned long long)at, (unsigned long long)data_size);
out:
	if (ret)
		st_free(f);
	json_object_put(root);
	json_tokener_free(tok);
	return ret;
}

int st_read(int fd, struct st_file *f, char *err, size_t errlen)
{
	unsigned char lenbuf[8];
	uint64_t hlen = 0;
	struct stat st;
	char *json;
	int i, ret;

	memset(f, 0, sizeof(*f));
	if (fstat(fd, &st))
		return fail(err, errlen, -errno, "cannot stat the file: %s", strerror(errno));
	if (pread(fd, lenbuf, 8, 0) != 8)
		return fail(err, errlen, -EINVAL, "the file is shorter than its 8-byte header length");
	for (i = 7; i >= 0; i--)
		hlen = hlen << 8 | lenbuf[i];
	if (hlen < 2 || hlen > ST_MAX_HEADER || hlen > (uint64_t)st.st_size - 8)
		return fail(err, errlen, -EINVAL, "header length %llu does not fit a %lld-byte file",
			    (unsigned long long)hlen, (long long)st.st_size);
	json = malloc(hlen);
	if (!json)
		return fail(err, errlen, -ENOMEM, "out of memory");
	if (pread(fd, json, hlen, 8) != (ssize_t)hlen) {
		free(json);
		return fail(err, errlen, -EIO, "cannot read the header");
	}
	ret = st_parse_header(json, hlen, (uint64_t)st.st_size - 8 - hlen, f, err, errlen);
	free(json);
	if (!ret)
		f->data_start = 8 + hlen;
	return ret;
}

void st_free(struct st_file *f)
{
	free(f->tensors);
	f->tensors = NULL;
	f->n = 0;
}

uint64_t st_checksum(const void *data, uint64_t size)
{
	const unsigned char *p = data;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ size, w, i;

	/* Words mixed with their position, summed: order-sensitive and fast. */
	for (i = 0; i + 8 <= size; i += 8) {
		memcpy(&w, p + i, 8);
		w ^= i * 0xbf58476d1ce4e5b9ull;
		h += (w ^ (w >> 31)) * 0x94d049bb133111ebull;
	}
	for (; i < size; i++)
		h = h * 31 + p[i];
	return h;
}

/* One tensor of the model: name and 2-D shape (cols 0 for 1-D). */
struct spec {
	char name[96];
	uint64_t rows, cols;
};

static size_t model_specs(uint64_t target, struct spec *s, size_t max)
{
	uint64_t d = 256, layers, per_layer, vocab = 8192;
	size_t n = 0, l;

	/* Wider models for bigger targets, as real ones are. */
	while (d < 4096 && (12 * d * d + vocab * d) * 2 * 4 < target)
		d *= 2;
	per_layer = (4 * d * d + 3 * 4 * d * d + 2 * d) * 2;
	layers = (target > vocab * d * 2 ? target - vocab * d * 2 : 0) / per_layer;
	if (!layers)
		layers = 1;
#define ADD(r, c, fmt, ...) do { \
		if (n < max) { \
			snprintf(s[n].name, sizeof(s[n].name), fmt, ##__VA_ARGS__); \
			s[n].rows = (r); \
			s[n].cols = (c); \
		} \
		n++; \
	} while (0)
	ADD(vocab, d, "model.embed_tokens.weight");
	for (l = 0; l < layers; l++) {
		ADD(d, 0, "model.layers.%zu.input_layernorm.weight", l);
		ADD(d, d, "model.layers.%zu.self_attn.q_proj.weight", l);
		ADD(d, d, "model.layers.%zu.self_attn.k_proj.weight", l);
		ADD(d, d, "model.layers.%zu.self_attn.v_proj.weight", l);
		ADD(d, d, "model.layers.%zu.self_attn.o_proj.weight", l);
		ADD(d, 0, "model.layers.%zu.post_attention_layernorm.weight", l);
		ADD(4 * d, d, "model.layers.%zu.mlp.gate_proj.weight", l);
		ADD(4 * d, d, "model.layers.%zu.mlp.up_proj.weight", l);
		ADD(d, 4 * d, "model.layers.%zu.mlp.down_proj.weight", l);
	}
	ADD(d, 0, "model.norm.weight");
#undef ADD
	return n;
}

int st_write_model(const char *path, uint64_t target, uint64_t seed, char *err, size_t errlen)
{
	size_t n = model_specs(target, NULL, 0), i;
	struct spec *s = calloc(n, sizeof(*s));
	json_object *root = json_object_new_object(), *meta = json_object_new_object();
	uint64_t at = 0, hlen, state = seed, w, done;
	unsigned char lenbuf[8];
	const char *json;
	char *hdr = NULL;
	uint64_t buf[8192];
	int fd = -1, ret = 0, k;

	if (!s || !root || !meta) {
		ret = fail(err, errlen, -ENOMEM, "out of memory");
		goto out;
	}
	model_specs(target, s, n);
	json_object_object_add(meta, "format", json_object_new_string("pt"));
	json_object_object_add(meta, "generator", json_object_new_string("accel-cts"));
	json_object_object_add(root, "__metadata__", meta);
	for (i = 0; i < n; i++) {
		json_object *t = json_object_new_object(), *shape = json_object_new_array();
		json_object *offs = json_object_new_array();
		uint64_t bytes = s[i].rows * (s[i].cols ? s[i].cols : 1) * 2;

		json_object_array_add(shape, json_object_new_int64((int64_t)s[i].rows));
		if (s[i].cols)
			json_object_array_add(shape, json_object_new_int64((int64_t)s[i].cols));
		json_object_array_add(offs, json_object_new_int64((int64_t)at));
		json_object_array_add(offs, json_object_new_int64((int64_t)(at + bytes)));
		json_object_object_add(t, "dtype", json_object_new_string("BF16"));
		json_object_object_add(t, "shape", shape);
		json_object_object_add(t, "data_offsets", offs);
		json_object_object_add(root, s[i].name, t);
		at += bytes;
	}
	json = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
	/* Pad with spaces so that the data starts 8-byte aligned, as writers do. */
	hlen = (strlen(json) + 7) / 8 * 8;
	hdr = malloc(hlen);
	if (!hdr) {
		ret = fail(err, errlen, -ENOMEM, "out of memory");
		goto out;
	}
	memset(hdr, ' ', hlen);
	memcpy(hdr, json, strlen(json));
	for (k = 0; k < 8; k++)
		lenbuf[k] = (unsigned char)(hlen >> (8 * k));

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, lenbuf, 8) != 8 || write(fd, hdr, hlen) != (ssize_t)hlen) {
		ret = fail(err, errlen, -errno, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	for (done = 0; done < at; done += sizeof(buf)) {
		size_t chunk = at - done < sizeof(buf) ? (size_t)(at - done) : sizeof(buf);

		for (k = 0; k < 8192; k++) {	/* splitmix64 */
			w = (state += 0x9e3779b97f4a7c15ull);
			w = (w ^ (w >> 30)) * 0xbf58476d1ce4e5b9ull;
			w = (w ^ (w >> 27)) * 0x94d049bb133111ebull;
			buf[k] = w ^ (w >> 31);
		}
		if (write(fd, buf, chunk) != (ssize_t)chunk) {
			ret = fail(err, errlen, -errno, "cannot write %s: %s", path, strerror(errno));
			goto out;
		}
	}
out:
	if (fd >= 0 && close(fd) && !ret)
		ret = fail(err, errlen, -errno, "cannot close %s: %s", path, strerror(errno));
	free(hdr);
	free(s);
	json_object_put(root);
	return ret;
}

/* SPDX-License-Identifier: MIT */
/*
 * A certificate: what a certify run's folder says about one device, level
 * by level, with its environment, benchmark figures and the digest of the
 * folder's files. It is a function of the folder alone, so that anyone can
 * recompute it (accel-cts certify --verify) and find an edit.
 */
#ifndef ACTS_CERTIFICATE_H
#define ACTS_CERTIFICATE_H

#include <stddef.h>

#include <json-c/json.h>

/* The files a certificate is written as, in the folder it certifies. */
#define CERT_JSON "certificate.json"
#define CERT_MD "certificate.md"
#define CERT_HTML "certificate.html"
/* What certify itself recorded: the device as it reported itself, the benchmarks' exits. */
#define CERT_CERTIFY_JSON "certify.json"

/* The verdicts of a level, best first. */
#define CERT_CONFORMANT "conformant"
#define CERT_DEVIATIONS "conformant with declared deviations"
#define CERT_PARTIAL "partial"
#define CERT_NOT_APPLICABLE "not applicable"
#define CERT_NOT_CONFORMANT "not conformant"

/*
 * Build the certificate of the certify folder dir into *cert. 0, or -errno
 * with a message naming the file and what is wrong in it.
 */
int certificate_build(const char *dir, json_object **cert);

/* The certificate as text: the JSON file's bytes, Markdown, HTML (malloc'd, NULL: no memory). */
char *certificate_json_text(json_object *cert);
char *certificate_markdown(json_object *cert);
char *certificate_html(json_object *cert);

#endif

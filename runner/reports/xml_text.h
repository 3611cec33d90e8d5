/* SPDX-License-Identifier: MIT */
#ifndef ACTS_XML_TEXT_H
#define ACTS_XML_TEXT_H

#include <stdio.h>

/* Text for XML or HTML: markup characters as entities, control characters as '?'. */
void xml_escaped(FILE *f, const char *s);

#endif

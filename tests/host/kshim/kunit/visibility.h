/* SPDX-License-Identifier: MIT */
/* No KUnit in userspace: exports for it vanish. */
#ifndef ACTS_KSHIM_VISIBILITY_H
#define ACTS_KSHIM_VISIBILITY_H

#define VISIBLE_IF_KUNIT static
#define EXPORT_SYMBOL_IF_KUNIT(symbol)

#endif

#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Check run folders against results/schema/accel-cts.schema.json, for `make check`.

usage: check_schema.py SCHEMA FOLDER...
Each folder's environment.json, */results.json, bench/*.json, certificate.json and
compare-*.json (a report's) is validated against its definition; a folder
must hold at least one of them. Uses Debian's python3-jsonschema.
"""
import glob
import json
import os
import sys

import jsonschema

KINDS = (("environment.json", "environment"), ("*/results.json", "igt_results"),
         ("bench/*.json", "bench_records"), ("compare-*.json", "comparison"),
         ("report/compare-*.json", "comparison"), ("certificate.json", "certificate"))


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    bad = 0
    for folder in sys.argv[2:]:
        seen = 0
        for pattern, kind in KINDS:
            sub = dict(schema, **{"$ref": f"#/$defs/{kind}"})
            validator = jsonschema.Draft202012Validator(sub)
            for path in sorted(glob.glob(os.path.join(folder, pattern))):
                seen += 1
                with open(path) as f:
                    doc = json.load(f)
                for err in validator.iter_errors(doc):
                    where = "/".join(str(p) for p in err.absolute_path)
                    print(f"{path}: {where}: {err.message[:300]}")
                    bad += 1
        if not seen:
            print(f"{folder}: no file of a run folder here")
            bad += 1
        else:
            print(f"{folder}: {seen} files checked")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

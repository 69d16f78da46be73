#!/usr/bin/env python3
"""Seeded JSONL input for bin/bench-convert, in the project's seed schema.

    make_jsonl.py --rows N --dim D --seed S --out F.jsonl

One JSON object per line: id (Int64, primary, 0..N-1), vector (FloatVector of D float32 values,
uniform in [-1, 1), written by json.dumps as the shortest double repr of each float32), scalar_1
(VarChar, 1..20 characters of A-Z0-9), scalar_2 (Int64, 0..99) and one key outside the schema,
dynamic_field_1 (0..99), for the dynamic field. The same --rows/--dim/--seed give the same bytes.

Also writes the schema (REST v2 shape, the seed schema of shared/conformance/fixtures/seed with
the dim replaced) next to the output: F.schema.json for F.jsonl. Needs python3 with numpy.
"""
import argparse
import json
import os
import sys

import numpy as np

LETTERS = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", dtype=np.uint8)


def seed_schema(dim):
    return {
        "autoID": False,
        "enableDynamicField": True,
        "fields": [
            {"fieldName": "id", "dataType": "Int64", "isPrimary": True},
            {"fieldName": "vector", "dataType": "FloatVector", "elementTypeParams": {"dim": dim}},
            {"fieldName": "scalar_1", "dataType": "VarChar",
             "elementTypeParams": {"max_length": 512}},
            {"fieldName": "scalar_2", "dataType": "Int64"},
        ],
        "functions": [],
    }


def schema_path(out):
    base = out[:-len(".jsonl")] if out.endswith(".jsonl") else out
    return base + ".schema.json"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--dim", type=int, required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", required=True)
    ap.add_argument("--batch", type=int, default=10000, help="rows generated per numpy batch")
    a = ap.parse_args()

    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(schema_path(a.out), "w") as f:
        json.dump(seed_schema(a.dim), f, indent=2)
        f.write("\n")

    rng = np.random.default_rng(a.seed)
    tmp = a.out + ".tmp"
    dumps = json.dumps
    with open(tmp, "w", buffering=1 << 22) as f:
        done = 0
        while done < a.rows:
            n = min(a.batch, a.rows - done)
            vectors = rng.uniform(-1.0, 1.0, (n, a.dim)).astype(np.float32).tolist()
            lengths = rng.integers(1, 21, n)
            chars = LETTERS[rng.integers(0, len(LETTERS), (n, 20))]
            scalar2 = rng.integers(0, 100, n).tolist()
            dyn = rng.integers(0, 100, n).tolist()
            lines = []
            for i in range(n):
                lines.append(dumps({
                    "id": done + i,
                    "vector": vectors[i],
                    "scalar_1": chars[i, :lengths[i]].tobytes().decode("ascii"),
                    "scalar_2": scalar2[i],
                    "dynamic_field_1": dyn[i],
                }))
            lines.append("")
            f.write("\n".join(lines))
            done += n
    os.replace(tmp, a.out)
    print(f"make_jsonl: {a.rows} rows x {a.dim} -> {a.out} ({os.path.getsize(a.out) / 1e6:.1f} MB),"
          f" schema {schema_path(a.out)}", file=sys.stderr)


if __name__ == "__main__":
    main()

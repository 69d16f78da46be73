"""Writes a fixture's valid rows as a user's pyarrow would: one Parquet file, typed by the schema.

usage: pyarrow_input.py SCHEMA ROWS REJECTS OUT
Struct arrays become list<struct<...>>, vectors list<float32>/list<uint8>, sparse vectors and the
dynamic fields ($meta) JSON strings, Text and VarChar strings.
"""
import json
import sys

import pyarrow as pa
import pyarrow.parquet as pq

schema_path, rows_path, rejects_path, out = sys.argv[1:5]
schema = json.load(open(schema_path))
rejected = {r if isinstance(r, int) else r["line"] for r in json.load(open(rejects_path))}

SCALARS = {"Bool": pa.bool_(), "Int8": pa.int8(), "Int16": pa.int16(), "Int32": pa.int32(),
           "Int64": pa.int64(), "Float": pa.float32(), "Double": pa.float64(),
           "VarChar": pa.string(), "Text": pa.string(), "JSON": pa.string()}


def arrow_type(dtype, element=None):
    if dtype in SCALARS:
        return SCALARS[dtype]
    if dtype == "Array":
        return pa.list_(SCALARS[element])
    if dtype in ("FloatVector", "Float16Vector", "BFloat16Vector"):
        return pa.list_(pa.float32())
    if dtype == "BinaryVector":
        return pa.list_(pa.uint8())
    if dtype == "Int8Vector":
        return pa.list_(pa.int8())
    if dtype == "SparseFloatVector":
        return pa.string()
    raise SystemExit("no arrow type for " + dtype)


def floats(v):
    return None if v is None else [float(x) for x in v]


def struct_converter(subs):
    kinds = {sub["fieldName"]: sub["elementDataType"] for sub in subs}

    def convert(v):
        out = []
        for e in v:
            out.append({k: floats(x) if kinds.get(k) == "FloatVector"
                        else float(x) if kinds.get(k) in ("Float", "Double") else x
                        for k, x in e.items()})
        return out
    return convert


fields, names, converters = [], set(), {}
for f in schema["fields"]:
    names.add(f["fieldName"])
    t = arrow_type(f["dataType"], f.get("elementDataType"))
    fields.append(pa.field(f["fieldName"], t))
    if f["dataType"] in ("FloatVector", "Float16Vector", "BFloat16Vector"):
        converters[f["fieldName"]] = floats
    elif f["dataType"] in ("Float", "Double"):
        converters[f["fieldName"]] = lambda v: None if v is None else float(v)
    elif f["dataType"] in ("SparseFloatVector", "JSON"):
        converters[f["fieldName"]] = lambda v: None if v is None else (
            v if isinstance(v, str) else json.dumps(v))
for s in schema.get("structFields", []):
    names.add(s["fieldName"])
    subs = [pa.field(sub["fieldName"], arrow_type(sub["elementDataType"]))
            for sub in s["fields"]]
    fields.append(pa.field(s["fieldName"], pa.list_(pa.struct(subs))))
    converters[s["fieldName"]] = struct_converter(s["fields"])
dynamic = schema.get("enableDynamicField", False)
if dynamic:
    fields.append(pa.field("$meta", pa.string()))

rows = []
for i, line in enumerate(open(rows_path, encoding="utf-8")):
    if i in rejected or not line.strip():
        continue
    row = json.loads(line)
    out_row = {}
    meta = dict(row.pop("$meta", {}) or {})
    for k, v in row.items():
        if k in names:
            out_row[k] = converters.get(k, lambda x: x)(v)
        else:
            meta[k] = v
    if dynamic:
        out_row["$meta"] = json.dumps(meta)
    rows.append(out_row)

pq.write_table(pa.Table.from_pylist(rows, schema=pa.schema(fields)), out)
print(len(rows))

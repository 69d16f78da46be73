#!/usr/bin/env python3
"""bin/bench-convert's "pymilvus" tool: a JSONL file converted with pymilvus's LocalBulkWriter the
way a user would write it: json.loads each line, append_row, then commit().

    pymilvus_convert.py --schema S.json --input F.jsonl --output DIR \
        --fileType parquet|json|csv|numpy [--chunkSize BYTES]

The schema is the REST v2 shape ({"fields": [...]}, "enableDynamicField", "autoID"). pymilvus
must be importable (installed, or its source tree on PYTHONPATH: bin/bench-convert sets this up).
Only the local writer is loaded: pymilvus.bulk_writer's __init__ also imports the remote writers,
which need minio and azure-storage-blob, so when those are missing the package's modules are
loaded without running that __init__ (the LocalBulkWriter code is the same).
Prints "pymilvus-result rows=<n> files=<n> version=<v>" on stdout.
"""
import argparse
import importlib.util
import json
import os
import sys
import types


def import_bulk_writer():
    import pymilvus

    if importlib.util.find_spec("minio") is None or importlib.util.find_spec("azure") is None:
        pkg = types.ModuleType("pymilvus.bulk_writer")
        pkg.__path__ = [os.path.join(os.path.dirname(pymilvus.__file__), "bulk_writer")]
        sys.modules["pymilvus.bulk_writer"] = pkg
    from pymilvus.bulk_writer.constants import BulkFileType
    from pymilvus.bulk_writer.local_bulk_writer import LocalBulkWriter

    return pymilvus, LocalBulkWriter, BulkFileType


TYPES = {
    "Bool": "BOOL", "Int8": "INT8", "Int16": "INT16", "Int32": "INT32", "Int64": "INT64",
    "Float": "FLOAT", "Double": "DOUBLE", "VarChar": "VARCHAR", "JSON": "JSON", "Array": "ARRAY",
    "FloatVector": "FLOAT_VECTOR", "BinaryVector": "BINARY_VECTOR",
    "Float16Vector": "FLOAT16_VECTOR", "BFloat16Vector": "BFLOAT16_VECTOR",
    "SparseFloatVector": "SPARSE_FLOAT_VECTOR", "Int8Vector": "INT8_VECTOR",
}


def collection_schema(path):
    from pymilvus import CollectionSchema, DataType, FieldSchema

    with open(path) as f:
        s = json.load(f)
    auto_id = bool(s.get("autoID", False))
    fields = []
    for f in s["fields"]:
        p = f.get("elementTypeParams", {})
        kw = {}
        primary = bool(f.get("isPrimary", False))
        if primary:
            kw["is_primary"] = True
            kw["auto_id"] = auto_id
        if "dim" in p:
            kw["dim"] = int(p["dim"])
        if "max_length" in p:
            kw["max_length"] = int(p["max_length"])
        if "max_capacity" in p:
            kw["max_capacity"] = int(p["max_capacity"])
        if "elementDataType" in f:
            kw["element_type"] = getattr(DataType, TYPES[f["elementDataType"]])
        if f.get("nullable"):
            kw["nullable"] = True
        fields.append(FieldSchema(f["fieldName"], getattr(DataType, TYPES[f["dataType"]]), **kw))
    return CollectionSchema(fields, enable_dynamic_field=bool(s.get("enableDynamicField", False)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schema", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--fileType", default="parquet")
    ap.add_argument("--chunkSize", type=int)
    a = ap.parse_args()

    pymilvus, LocalBulkWriter, BulkFileType = import_bulk_writer()
    os.makedirs(a.output, exist_ok=True)
    kw = {"chunk_size": a.chunkSize} if a.chunkSize else {}
    writer = LocalBulkWriter(schema=collection_schema(a.schema), local_path=a.output,
                             file_type=BulkFileType[a.fileType.upper()], **kw)
    rows = 0
    loads = json.loads
    with open(a.input, "rb") as f:
        for line in f:
            if line.strip():
                writer.append_row(loads(line))
                rows += 1
    writer.commit()
    files = writer.batch_files
    if rows > 0 and not files:
        sys.exit("pymilvus: commit wrote no file (see the log above)")
    print(f"pymilvus-result rows={rows} files={len(files)} version={pymilvus.__version__}")


if __name__ == "__main__":
    main()

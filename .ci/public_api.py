#!/usr/bin/env python3
"""Prints jwsgate's public API, one item path a line, sorted: every public module, item,
enum variant and inherent method reachable from the crate root (re-exports included),
with every feature but `aws-lc` on (it adds no public item). CI diffs it with public-api.txt so that the surface changes only
on purpose; after a deliberate change, regenerate:

    python3 .ci/public_api.py > public-api.txt

It reads rustdoc's JSON output (nightly: `-Z unstable-options --output-format json`),
built by this script into $CARGO_TARGET_DIR (or target/). Trait implementations are not
listed (derives and auto traits would drown the list)."""
import json, os, subprocess, sys

FEATURES = "tracing,cli,dev,outbound,remote,secrets,introspection,gcp,redis,http,axum"
root_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
target = os.environ.get("CARGO_TARGET_DIR", os.path.join(root_dir, "target"))
subprocess.run(
    # Every feature but `aws-lc`: it adds no public item (the backend is private behind
    # `backend::NAME`), and leaving it out spares CI a nightly build of AWS-LC's C code.
    ["cargo", "+nightly", "rustdoc", "-q", "--lib", "--features", FEATURES, "--",
     "-Z", "unstable-options", "--output-format", "json"],
    cwd=root_dir, check=True, stdout=sys.stderr)
with open(os.path.join(target, "doc", "jwsgate.json")) as f:
    doc = json.load(f)
index = doc["index"]
out = set()

def kind_of(item):
    return next(iter(item["inner"])) if isinstance(item["inner"], dict) else str(item["inner"])

def public(item):
    return item.get("visibility") == "public"

def walk(item_id, path, seen):
    item = index.get(str(item_id))
    if item is None or str(item_id) in seen:
        return
    seen = seen | {str(item_id)}
    kind = kind_of(item)
    inner = item["inner"][kind]
    if kind == "use":
        target_id = inner.get("id")
        if inner.get("is_glob"):
            target = index.get(str(target_id)) if target_id is not None else None
            if target and kind_of(target) == "module":
                for child in target["inner"]["module"]["items"]:
                    c = index.get(str(child))
                    if c and public(c):
                        walk(child, path, seen)
            return
        name = inner["name"]
        if target_id is None or str(target_id) not in index:
            out.add(f"{'::'.join(path + [name])} (re-export of {inner['source']})")
            return
        walk_named(target_id, path + [name], seen)
        return
    walk_named(item_id, path + [item["name"]], seen)

def walk_named(item_id, path, seen):
    item = index[str(item_id)]
    kind = kind_of(item)
    inner = item["inner"][kind]
    if kind == "use":
        walk(item_id, path[:-1], seen)
        return
    out.add(f"{'::'.join(path)} ({kind})")
    if kind == "module":
        for child in inner["items"]:
            c = index.get(str(child))
            if c and (public(c) or kind_of(c) == "use" and public(c)):
                walk(child, path, seen)
    elif kind in ("struct", "enum", "union"):
        for v in inner.get("variants", []):
            vi = index.get(str(v))
            if vi:
                out.add(f"{'::'.join(path + [vi['name']])} (variant)")
        for impl_id in inner.get("impls", []):
            impl = index.get(str(impl_id))
            if not impl or impl["inner"]["impl"].get("trait") is not None:
                continue
            for m in impl["inner"]["impl"]["items"]:
                mi = index.get(str(m))
                if mi and public(mi):
                    out.add(f"{'::'.join(path + [mi['name']])} ({kind_of(mi)})")
    elif kind == "trait":
        for m in inner.get("items", []):
            mi = index.get(str(m))
            if mi:
                out.add(f"{'::'.join(path + [mi['name']])} (trait item)")

root = index[str(doc["root"])]
for child in root["inner"]["module"]["items"]:
    c = index.get(str(child))
    if c and public(c):
        walk(child, ["jwsgate"], frozenset())
print("\n".join(sorted(out)))

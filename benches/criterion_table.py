#!/usr/bin/env python3
"""Prints the `verify/<ALG>` criterion results as the Markdown table of BENCHMARKS.md.

    python3 benches/criterion_table.py [CRITERION_DIR]

CRITERION_DIR defaults to $CARGO_TARGET_DIR/criterion, else target/criterion. Every
figure is criterion's median estimate of one run; ratios are against ring_raw of the
same run. Standard library only.
"""

import json
import os
import sys

ALGS = ["HS256", "HS384", "HS512", "RS256", "PS256", "ES256", "ES384", "ES512", "EdDSA"]
FUNCS = ["jwsgate", "ring_raw", "jsonwebtoken", "jwt_simple"]


def median_ns(root, group, func):
    path = os.path.join(root, group, func, "new", "estimates.json")
    try:
        with open(path) as f:
            return json.load(f)["median"]["point_estimate"]
    except FileNotFoundError:
        return None


def fmt(ns):
    if ns is None:
        return "—"
    return f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.0f} ns"


def main():
    default = os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "criterion")
    root = sys.argv[1] if len(sys.argv) > 1 else default
    print("| alg | jwsgate | ring_raw | jsonwebtoken | jwt-simple | jwsgate / ring_raw "
          "| jsonwebtoken / jwsgate | jwt-simple / jwsgate |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for alg in ALGS:
        # criterion writes the group `verify/HS256` as the directory `verify_HS256`.
        group = f"verify_{alg}"
        t = {f: median_ns(root, group, f) for f in FUNCS}
        jw, raw = t["jwsgate"], t["ring_raw"]

        def ratio(a, b):
            return f"{a / b:.2f}×" if a and b else "—"

        print(f"| {alg} | {fmt(jw)} | {fmt(raw)} | {fmt(t['jsonwebtoken'])} | "
              f"{fmt(t['jwt_simple'])} | {ratio(jw, raw)} | "
              f"{ratio(t['jsonwebtoken'], jw)} | {ratio(t['jwt_simple'], jw)} |")
    for func in ["refused_signature", "refused_expired"]:
        ns = median_ns(root, "verify_HS256", func)
        raw = median_ns(root, "verify_HS256", "ring_raw")
        if ns is not None:
            r = f" ({ns / raw:.2f}× ring_raw)" if raw else ""
            print(f"\nverify/HS256/{func}: {fmt(ns)}{r}")


if __name__ == "__main__":
    main()

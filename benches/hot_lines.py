#!/usr/bin/env python3
"""Instruction-cache lines a verify runs, from two callgrind profiles of the `phases` bench.

A line is "hot" when the instructions in it ran at least N times in a run of N calls:
once per call or more. The lines hot in the `verify` run and not in the floor's run
(`ring_raw`: the backend's own verification) are the code jwsgate adds to every verify;
they are listed by function. BENCHMARKS.md, "Round 8", says why the count matters (an
RSA verify on aws-lc runs more code than the L1 instruction cache holds).

    B=<the phases binary>
    for ph in ring_raw verify; do
      JWSGATE_PHASES_ALG=RS256 valgrind --tool=callgrind --dump-instr=yes \\
        --compress-strings=no --compress-pos=no --callgrind-out-file=rs.$ph.out \\
        $B --bench $ph 1000
    done
    python3 benches/hot_lines.py rs.ring_raw.out rs.verify.out 1000
"""

import collections
import sys

LINE_BITS = 6  # 64-byte cache lines


def hot_lines(path, calls):
    """{line: function} for every code line whose instructions ran >= calls times."""
    runs = collections.Counter()
    function_of = {}
    function = None
    skip_next = False
    with open(path) as profile:
        for row in profile:
            if row.startswith("fn="):
                function = row[3:].strip()
            elif row.startswith("calls="):
                # The cost row after `calls=` is the callee's inclusive cost: not this
                # instruction's own count.
                skip_next = True
            elif row.startswith("0x"):
                if skip_next:
                    skip_next = False
                    continue
                fields = row.split()
                address = int(fields[0], 16)
                runs[address] += int(fields[-1]) if len(fields) >= 3 else 0
                function_of[address] = function
    return {
        address >> LINE_BITS: function_of[address]
        for address, count in runs.items()
        if count >= calls
    }


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    floor_path, verify_path, calls = sys.argv[1], sys.argv[2], int(sys.argv[3])
    floor = hot_lines(floor_path, calls)
    verify = hot_lines(verify_path, calls)
    added = {line: fn for line, fn in verify.items() if line not in floor}
    print(f"hot lines: floor {len(floor)}, verify {len(verify)}, added by jwsgate {len(added)}")
    for function, count in collections.Counter(added.values()).most_common():
        print(f"{count:5}  {function}")


if __name__ == "__main__":
    main()

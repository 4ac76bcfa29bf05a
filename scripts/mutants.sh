#!/usr/bin/env bash
# Mutation testing of jwsgate's verification core with cargo-mutants (issue 19).
#
#   scripts/mutants.sh AREA [EXTRA cargo-mutants ARGS...]
#   scripts/mutants.sh diff [BASE] [EXTRA...]   # only mutants on lines changed since BASE
#   scripts/mutants.sh list                     # the areas, their files and test targets
#
# AREA is one of: alg base64url json jws claims keys verifier ratelimit (the core) and
# outbound remote http secrets introspection (wave 2), or `all`.
# Each area mutates only its own files and runs only the test targets that exercise them,
# so one area takes minutes, not hours. `diff` mutates the core lines changed between BASE
# (default: $MUTANTS_BASE, else the merge base with main, else HEAD~1) and HEAD, with the
# union of the test targets; CI uses it (.ci/run).
#
# Environment:
#   MUTANTS_TIMEOUT   seconds per mutant's test run (default 120)
#   MUTANTS_JOBS      parallel build dirs (default 1: the machine is shared)
#   MUTANTS_OUT       output directory (default target/mutants-out/AREA; gitignored)
#   MUTANTS_MAX       `diff` only: largest number of mutants tested; more are sharded
#                     down to about this many (default: no bound)
#   MUTANTS_TARGET_DIR  cargo target dir of the mutated builds (default:
#                     ${CARGO_TARGET_DIR:-./target}/mutants — never the developer's own).
#                     cargo-mutants copies the tree into a temporary directory under
#                     $TMPDIR (/tmp) and deletes it when done.
#
# Exit status: cargo-mutants' own — 0 all caught, 2 a mutant was missed, 3 a timeout,
# 4 the baseline (unmutated tests) failed. Results: MUTANTS_OUT/mutants.out/{caught,
# missed,unviable,timeout}.txt. Equivalent mutants are excluded in .cargo/mutants.toml,
# each with its reason. Figures per area: SECURITY.md, "Mutation testing".
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo mutants --version >/dev/null 2>&1; then
    echo "== installing cargo-mutants" >&2
    cargo install cargo-mutants --locked
fi

# Area → files (cargo-mutants --file globs), test targets, features.
files_of() {
    case "$1" in
    alg) echo "src/alg.rs" ;;
    base64url) echo "src/base64url.rs" ;;
    json) echo "src/json.rs src/swar.rs" ;;
    jws) echo "src/jws/*.rs" ;;
    claims) echo "src/claims/*.rs" ;;
    keys) echo "src/keys/*.rs" ;;
    verifier) echo "src/verifier/*.rs" ;;
    ratelimit) echo "src/ratelimit/*.rs" ;;
    # Wave 2 (issue 19: its modules join the list as they land).
    outbound) echo "src/outbound/*.rs" ;;
    remote) echo "src/remote/*.rs" ;;
    http) echo "src/http/*.rs" ;;
    secrets) echo "src/secrets/*.rs src/secrets/gcp/*.rs" ;;
    introspection) echo "src/introspection/*.rs" ;;
    *) return 1 ;;
    esac
}

# The integration tests that exercise each area (besides the unit tests, `--lib`).
tests_of() {
    case "$1" in
    alg) echo "mutants_alg verify attacks_alg_none attacks_key_confusion attacks_config" ;;
    base64url) echo "attacks_base64url attacks_serialization attacks_signatures verify vectors" ;;
    json) echo "attacks_json_bombs attacks_header_processing attacks_claims attacks_typ attacks_kid attacks_serialization limits_boundaries" ;;
    jws) echo "attacks_header_processing attacks_alg_none attacks_kid attacks_typ attacks_serialization attacks_json_bombs limits_boundaries verify" ;;
    claims) echo "attacks_claims attacks_typ attacks_json_bombs limits_boundaries verify properties introspection debug_output ergonomics owned_alloc" ;;
    keys) echo "attacks_degenerate_keys attacks_header_keys attacks_hmac_dress attacks_key_confusion attacks_kid attacks_config keys_never_panic limits_boundaries verify ergonomics" ;;
    verifier) echo "verify scratch_alloc attacks_alg_none attacks_claims attacks_config attacks_key_confusion attacks_kid attacks_signatures attacks_typ attacks_json_bombs limits_boundaries debug_output logging" ;;
    ratelimit) echo "ratelimit" ;;
    # In-process servers on 127.0.0.1 only (the oidc-provider interop tests need the
    # Node server that .ci/run installs, so they are not listed here).
    outbound) echo "outbound remote_jwks" ;;
    remote) echo "remote_jwks remote_logging" ;;
    http) echo "http_layer http_introspection" ;;
    secrets) echo "secrets_logging gcp_secret_manager" ;;
    introspection) echo "introspection http_introspection" ;;
    *) return 1 ;;
    esac
}

# Features an area's code or tests need: cfg'd-out code would otherwise survive every
# mutation (verifier: the `tracing` outcome events; claims: the introspection variant of
# the time checks).
features_of() {
    case "$1" in
    verifier) echo "tracing" ;;
    claims) echo "introspection" ;;
    outbound | remote) echo "remote" ;;
    http | introspection) echo "axum,introspection" ;;
    secrets) echo "gcp" ;;
    *) echo "" ;;
    esac
}

AREAS="alg base64url json jws claims keys verifier ratelimit outbound remote http secrets introspection"

# A target dir of the mutated builds' own, kept between runs (dependencies compile once).
# Never the developer's: cargo fingerprints a path package by file mtimes, so a mutated
# copy built into the same dir can leave a mutated libjwsgate that the worktree's next
# `cargo test` takes as fresh (seen: a passing test failing against a leftover mutant).
export CARGO_TARGET_DIR="${MUTANTS_TARGET_DIR:-${CARGO_TARGET_DIR:-$PWD/target}/mutants}"
timeout_secs="${MUTANTS_TIMEOUT:-120}"
jobs="${MUTANTS_JOBS:-1}"

# run NAME FILE_ARGS TESTS FEATURES EXTRA...
run() {
    local name="$1" files="$2" tests="$3" features="$4"
    shift 4
    local out="${MUTANTS_OUT:-target/mutants-out/$name}"
    mkdir -p "$out"
    local args=(--no-shuffle --profile mutants --timeout "$timeout_secs" --jobs "$jobs" --output "$out")
    local f
    for f in $files; do args+=(--file "$f"); done
    if [ -n "$features" ]; then args+=(--features "$features"); fi
    # Given as cargo args (`--cargo-arg`), not after `--`: then the build of each mutant
    # (`cargo test --no-run`) links only these test targets too, not all ~60 of them.
    args+=(--cargo-arg=--lib)
    local t
    for t in $tests; do args+=(--cargo-arg=--test --cargo-arg="$t"); done
    echo "== cargo mutants ${args[*]} $*" >&2
    # MUTANTS_BOUND (seconds): a hard bound on the mutants themselves (CI), after the
    # dependencies were built outside it.
    local bound=()
    if [ -n "${MUTANTS_BOUND:-}" ]; then bound=(timeout -s INT -k 30 "$MUTANTS_BOUND"); fi
    nice -n 10 "${bound[@]}" cargo mutants "${args[@]}" "$@"
}

area="${1:-}"
[ $# -gt 0 ] && shift
case "$area" in
list)
    for a in $AREAS; do
        printf '%-10s files: %s\n           tests: --lib %s\n' "$a" "$(files_of "$a")" "$(tests_of "$a")"
        if [ -n "$(features_of "$a")" ]; then
            printf '           features: %s\n' "$(features_of "$a")"
        fi
    done
    ;;
all)
    status=0
    for a in $AREAS; do
        run "$a" "$(files_of "$a")" "$(tests_of "$a")" "$(features_of "$a")" "$@" || status=$?
    done
    exit "$status"
    ;;
diff)
    # An optional BASE first; anything starting with `-` is cargo-mutants' (e.g.
    # `diff --baseline skip`), not a base.
    base="${MUTANTS_BASE:-}"
    if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
        base="$1"
        shift
    fi
    if [ -z "$base" ]; then
        base="$(git merge-base HEAD origin/main 2>/dev/null || git merge-base HEAD main 2>/dev/null || true)"
        if [ -z "$base" ] || [ "$base" = "$(git rev-parse HEAD)" ]; then base="HEAD~1"; fi
    fi
    patch="$(mktemp "${TMPDIR:-/tmp}/jwsgate-mutants-diff.XXXXXX")"
    trap 'rm -f "$patch"' EXIT
    git diff "$base"..HEAD -- 'src/*.rs' >"$patch"
    # Only the areas the change touched: their files, test targets and features.
    all_files="" all_tests="" all_features=""
    for a in $AREAS; do
        touched=no
        for f in $(files_of "$a"); do
            if grep -q "^+++ b/$f\$" "$patch"; then touched=yes; fi
        done
        [ "$touched" = yes ] || continue
        all_files="$all_files $(files_of "$a")"
        all_tests="$all_tests $(tests_of "$a")"
        all_features="$all_features $(features_of "$a")"
    done
    if [ -z "$all_files" ]; then
        echo "== no core file changed since $base: no mutants to test" >&2
        exit 0
    fi
    all_tests="$(echo "$all_tests" | tr ' ' '\n' | sort -u | tr '\n' ' ')"
    all_features="$(echo "$all_features" | xargs | tr ' ' ',')"
    extra=(--in-diff "$patch")
    # cargo-mutants' own file filters apply on top of --in-diff: only core files count.
    n="$(cargo mutants --list $(for f in $all_files; do printf -- '--file %s ' "$f"; done) \
        "${extra[@]}" 2>/dev/null | grep -c . || true)"
    echo "== $n mutants in the core lines changed since $base" >&2
    if [ "$n" -eq 0 ]; then exit 0; fi
    max="${MUTANTS_MAX:-0}"
    if [ "$max" -gt 0 ] && [ "$n" -gt "$max" ]; then
        shards=$(((n + max - 1) / max))
        # A different shard each run (by commit), so repeated CI runs cover them all.
        k=$(($(git rev-parse HEAD | cut -c1-6 | xargs -I{} printf '%d' 0x{}) % shards))
        echo "== more than $max: testing shard $k/$shards" >&2
        extra+=(--shard "$k/$shards")
    fi
    # Dependencies and dev-dependencies into the mutated builds' target dir first, outside
    # MUTANTS_BOUND: on a fresh clone that build alone would use up the bound. (Same
    # features, same workspace-relative paths: the mutated copies reuse them.)
    echo "== building the dependencies of the mutated builds" >&2
    nice -n 10 cargo test --no-run --profile mutants --lib ${all_features:+--features "$all_features"} >&2
    run diff "$all_files" "$all_tests" "$all_features" "${extra[@]}" "$@"
    ;;
*)
    if ! files_of "$area" >/dev/null 2>&1; then
        echo "usage: $0 {$(echo $AREAS | tr ' ' '|')|all|diff [BASE]|list} [cargo-mutants args...]" >&2
        exit 64
    fi
    run "$area" "$(files_of "$area")" "$(tests_of "$area")" "$(features_of "$area")" "$@"
    ;;
esac

//! p95 budgets: single verifies timed one at a time into histograms, jwsgate and the
//! primitive (`ring_raw`, as in the `verify` bench) interleaved sample by sample so that
//! whatever the shared machine does falls on both alike; median, p95 and p99 of each,
//! their ratios, and the allocations per verify. Checked against `benches/budgets.toml`;
//! the process exits 1 when a budget is missed.
//!
//! `cargo bench -p jwsgate-bench --bench p95` (all algorithms), or
//! `cargo bench -p jwsgate-bench --bench p95 -- HS256 ES256` (some). `JWSGATE_P95_SECS`
//! sets the seconds of sampling per algorithm (default 3). With `--features peers` each
//! peer is also sampled interleaved with jwsgate (printed, not budgeted).
//!
//! The floor is the primitive of the backend jwsgate is built with: `ring_raw`, or
//! `awslc_raw` with `--features aws-lc` (`cargo bench -p jwsgate-bench --features
//! aws-lc,peers --bench p95` is the aws-lc table); budgets are ratios against it, and the
//! table's last column names the backend.
//!
//! Run without `--bench` (as `cargo test --benches` does) it only checks that every
//! verifier accepts the valid token, refuses the tampered one, and allocates within
//! budget: no timing ever runs under `cargo test`.

mod common;

use std::collections::BTreeMap;
use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use common::{ALGS, Case, Keys};
use count_alloc::CountingAllocator;
use hdrhistogram::Histogram;
use jwsgate::{Algorithm, AlgorithmFamily};
use serde::Deserialize;

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

#[derive(Deserialize)]
struct Budgets {
    median_ratio: BTreeMap<String, f64>,
    tail: Tail,
    allocations: Allocations,
    /// Peer → algorithm → the least peer median ÷ jwsgate median (`--features peers`).
    #[cfg_attr(not(feature = "peers"), allow(dead_code))]
    #[serde(default)]
    peer_min_ratio: BTreeMap<String, BTreeMap<String, f64>>,
}

#[derive(Deserialize)]
struct Tail {
    p95_over_median: f64,
    noisy_host_p95_ratio: f64,
}

#[derive(Deserialize)]
struct Allocations {
    added_per_verify: f64,
}

impl Budgets {
    fn load() -> Budgets {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/budgets.toml");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn median_ratio(&self, alg: Algorithm) -> f64 {
        self.median_ratio
            .get(alg.name())
            .copied()
            .unwrap_or_else(|| panic!("budgets.toml has no median_ratio.{alg}"))
    }
}

/// Allocations per call of `f`, after one warm-up call, over `rounds` calls.
fn allocations_per_call(rounds: u64, mut f: impl FnMut() -> bool) -> f64 {
    assert!(f());
    let ((), n) = count_alloc::count(|| {
        for _ in 0..rounds {
            assert!(f());
        }
    });
    n as f64 / rounds as f64
}

/// The cost of the timing itself: the median of back-to-back `Instant` reads.
fn timer_overhead_ns() -> u64 {
    let mut h = Histogram::<u64>::new_with_bounds(1, 1_000_000, 3).unwrap();
    for _ in 0..20_000 {
        let t = Instant::now();
        let e = black_box(t).elapsed();
        h.saturating_record(e.as_nanos() as u64);
    }
    h.value_at_quantile(0.5)
}

#[inline(never)]
fn time_one(overhead: u64, f: &mut impl FnMut() -> bool) -> u64 {
    let t = Instant::now();
    let ok = f();
    let e = t.elapsed().as_nanos() as u64;
    assert!(ok);
    e.saturating_sub(overhead).max(1)
}

struct Stats {
    median: u64,
    p95: u64,
    p99: u64,
}

impl Stats {
    fn of(h: &Histogram<u64>) -> Stats {
        Stats {
            median: h.value_at_quantile(0.50),
            p95: h.value_at_quantile(0.95),
            p99: h.value_at_quantile(0.99),
        }
    }
}

/// How many stack positions [`sample`] spreads its pairs over.
const STACK_POSITIONS: u32 = 64;

/// Runs `f` with the stack `depth` frames deeper than the caller's (each frame about 100
/// bytes: [`frame_bytes`] measures it).
///
/// Where a function's stack temporaries fall relative to the heap data it reads (4 KiB
/// aliasing, cache sets) can change its time by a few percent, and jwsgate calls a
/// primitive deeper in the stack than the floor does: one process, one stack position,
/// would favour one side for the whole run (with `setarch -R` and only the size of the
/// environment changed, the aws-lc ES512 ratio, jwsgate ÷ floor, read anywhere from 0.975
/// to 1.004; BENCHMARKS.md "Round 9"). Both sides are therefore timed at many positions
/// alike.
#[inline(never)]
fn deeper<R>(depth: u32, f: &mut dyn FnMut() -> R) -> R {
    let pad = [depth as u8; 80];
    let r = if depth == 0 {
        f()
    } else {
        deeper(depth - 1, f)
    };
    // Read after the call, so the call is no tail call and every frame stays.
    black_box(&pad);
    r
}

/// The bytes one frame of [`deeper`] moves the stack (printed with the table).
fn frame_bytes() -> usize {
    let at = |depth| {
        deeper(depth, &mut || {
            let here = 0u8;
            black_box(&here) as *const u8 as usize
        })
    };
    at(0).abs_diff(at(1))
}

/// Interleaved samples of `a` and `b` (the order alternates every pair), for about
/// `secs` seconds and at least 1000 pairs, spread evenly over [`STACK_POSITIONS`] stack
/// positions ([`deeper`]).
fn sample(
    secs: f64,
    overhead: u64,
    mut a: impl FnMut() -> bool,
    mut b: impl FnMut() -> bool,
) -> (Histogram<u64>, Histogram<u64>, u64) {
    // Warm-up, and the cost of one pair to size the run.
    let warm = Instant::now();
    let mut pairs = 0u64;
    while warm.elapsed() < Duration::from_millis(300) || pairs < 10 {
        assert!(a() && b());
        pairs += 1;
    }
    let pair_ns = warm.elapsed().as_nanos() as f64 / pairs as f64;
    let n = ((secs * 1e9 / pair_ns) as u64).clamp(1_000, 2_000_000);
    let new = || Histogram::<u64>::new_with_bounds(1, 60_000_000_000, 3).unwrap();
    let per_position = n.div_ceil(u64::from(STACK_POSITIONS));
    let n = per_position * u64::from(STACK_POSITIONS);
    let (mut ha, mut hb) = (new(), new());
    for depth in 0..STACK_POSITIONS {
        deeper(depth, &mut || {
            for i in 0..per_position {
                if i & 1 == 0 {
                    ha.saturating_record(time_one(overhead, &mut a));
                    hb.saturating_record(time_one(overhead, &mut b));
                } else {
                    hb.saturating_record(time_one(overhead, &mut b));
                    ha.saturating_record(time_one(overhead, &mut a));
                }
            }
        });
    }
    (ha, hb, n)
}

fn us(ns: u64) -> String {
    format!("{:.2}", ns as f64 / 1000.0)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let timing = args.iter().any(|a| a == "--bench");
    let filters: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    let secs: f64 = std::env::var("JWSGATE_P95_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    let budgets = Budgets::load();
    let keys = Keys::fixed();
    let overhead = if timing { timer_overhead_ns() } else { 0 };
    let mut missed: Vec<String> = Vec::new();
    #[cfg(feature = "peers")]
    let mut peer_rows: Vec<String> = Vec::new();
    #[cfg(feature = "peers")]
    let mut peer_checks: Vec<String> = Vec::new();

    if timing {
        println!(
            "p95 budgets: {secs} s of interleaved samples per algorithm, at {STACK_POSITIONS} stack positions {} bytes apart; timer overhead {overhead} ns subtracted from every sample; times in µs\n",
            frame_bytes()
        );
        // The floor is the primitive of jwsgate's backend: `ring_raw`, or `awslc_raw` with
        // `--features aws-lc`; the last column names the backend.
        let floor = common::Floor::new(&keys, ALGS[0]).name();
        println!(
            "| alg | samples | jwsgate median | p95 | p99 | {floor} median | p95 | p99 | median ratio (budget) | p95 ratio | jwsgate p95/median (budget) | {floor} p95/median | allocs/verify jwsgate | {floor} | backend |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    }
    for alg in ALGS {
        if !filters.is_empty() && !filters.iter().any(|f| alg.name().contains(f)) {
            continue;
        }
        let case = Case::new(&keys, alg);
        case.assert_sound();
        let mut scratch = case.verifier.new_scratch();
        let rounds = match alg.family() {
            AlgorithmFamily::Hmac(_) => 1000,
            AlgorithmFamily::Asymmetric(_) => 50,
        };
        let jw_allocs = allocations_per_call(rounds, || case.jwsgate(&mut scratch, &case.token));
        let raw_allocs = allocations_per_call(rounds, || case.ring_raw());
        let added = jw_allocs - raw_allocs;
        if added > budgets.allocations.added_per_verify {
            missed.push(format!(
                "{alg}: jwsgate allocates {jw_allocs} per verify, {} {raw_allocs} (budget: +{})",
                case.raw.name(),
                budgets.allocations.added_per_verify
            ));
        }
        if !timing {
            println!(
                "{alg}: sound; allocations per verify: jwsgate {jw_allocs}, {} {raw_allocs} (backend {})",
                case.raw.name(),
                jwsgate::backend::NAME
            );
            continue;
        }
        let (hj, hr, n) = sample(
            secs,
            overhead,
            || case.jwsgate(&mut scratch, black_box(&case.token)),
            || {
                case.raw
                    .verify(black_box(&case.signing_input), black_box(&case.signature))
            },
        );
        let (j, r) = (Stats::of(&hj), Stats::of(&hr));
        let ratio = j.median as f64 / r.median as f64;
        let p95_ratio = j.p95 as f64 / r.p95 as f64;
        let tail = j.p95 as f64 / j.median as f64;
        let raw_tail = r.p95 as f64 / r.median as f64;
        let budget = budgets.median_ratio(alg);
        let tail_budget = budgets.tail.p95_over_median;
        // When the primitive's own tail is over budget in the same run, the tail is the
        // host's (preemption, steal time): jwsgate's p95 is then held to ring_raw's p95.
        let noisy_host = raw_tail > tail_budget;
        let tail_ok = if noisy_host {
            p95_ratio <= budgets.tail.noisy_host_p95_ratio
        } else {
            tail <= tail_budget
        };
        let tail_note = if noisy_host {
            format!(
                " host noise: p95 ratio ≤ {}",
                budgets.tail.noisy_host_p95_ratio
            )
        } else {
            String::new()
        };
        let mark = |ok: bool| if ok { "" } else { " **missed**" };
        println!(
            "| {alg} | {n} | {} | {} | {} | {} | {} | {} | {ratio:.3} (≤ {budget}){} | {p95_ratio:.3} | {tail:.2} (≤ {tail_budget}{tail_note}){} | {raw_tail:.2} | {jw_allocs} | {raw_allocs} | {} |",
            us(j.median),
            us(j.p95),
            us(j.p99),
            us(r.median),
            us(r.p95),
            us(r.p99),
            mark(ratio <= budget),
            mark(tail_ok),
            jwsgate::backend::NAME,
        );
        #[cfg(feature = "peers")]
        {
            let (rows, ratios) = peers_interleaved(&keys, &case, secs, overhead);
            peer_rows.extend(rows);
            peer_checks.extend(peer_budget_checks(&budgets, alg, &ratios, &mut missed));
        }
        if ratio > budget {
            missed.push(format!(
                "{alg}: median {ratio:.3} × {} (budget {budget})",
                case.raw.name()
            ));
        }
        if !tail_ok {
            missed.push(if noisy_host {
                format!(
                    "{alg}: jwsgate p95 {p95_ratio:.3} × {}'s p95 on a noisy host (budget {})",
                    case.raw.name(),
                    budgets.tail.noisy_host_p95_ratio
                )
            } else {
                format!("{alg}: jwsgate p95 {tail:.2} × its median (budget {tail_budget})")
            });
        }
    }
    #[cfg(feature = "peers")]
    if timing && !peer_rows.is_empty() {
        println!(
            "\npeers, each interleaved with jwsgate (not budgeted; times in µs)\n\n| alg | peer | jwsgate median | peer median | peer p95 | peer / jwsgate (median) | peer allocs/verify |\n|---|---|---:|---:|---:|---:|---:|"
        );
        for row in &peer_rows {
            println!("{row}");
        }
        for check in &peer_checks {
            println!("{check}");
        }
    }
    if missed.is_empty() {
        println!("\nevery budget met");
        ExitCode::SUCCESS
    } else {
        println!("\nbudgets missed:\n  {}", missed.join("\n  "));
        ExitCode::FAILURE
    }
}

/// The peer budgets of budgets.toml (`[peer_min_ratio.<peer>]`) for `alg`: one printed
/// line per budget, e.g. `jsonwebtoken ÷ jwsgate on HS256: 4.31 (≥ 4: met)`; a miss is
/// added to `missed`.
#[cfg(feature = "peers")]
fn peer_budget_checks(
    budgets: &Budgets,
    alg: Algorithm,
    ratios: &[(String, f64)],
    missed: &mut Vec<String>,
) -> Vec<String> {
    let mut lines = Vec::new();
    for (peer, ratio) in ratios {
        let Some(min) = budgets
            .peer_min_ratio
            .get(peer)
            .and_then(|m| m.get(alg.name()))
        else {
            continue;
        };
        let ok = *ratio >= *min;
        lines.push(format!(
            "{peer} ÷ jwsgate on {alg}: {ratio:.2} (≥ {min}: {})",
            if ok { "met" } else { "**missed**" }
        ));
        if !ok {
            missed.push(format!(
                "{alg}: {peer} only {ratio:.2} × jwsgate's median (budget ≥ {min})"
            ));
        }
    }
    lines
}

/// jwsgate against each peer that supports `case.alg`, interleaved like ring_raw: the
/// table rows, and each peer's median ÷ jwsgate's median.
#[cfg(feature = "peers")]
fn peers_interleaved(
    keys: &Keys,
    case: &Case,
    secs: f64,
    overhead: u64,
) -> (Vec<String>, Vec<(String, f64)>) {
    use common::peers::{JsonWebToken, JwtSimple, assert_sound};
    let alg = case.alg;
    let mut rows = Vec::new();
    let mut ratios = Vec::new();
    let mut scratch = case.verifier.new_scratch();
    let mut row = |name: &str, verify: &dyn Fn(&str) -> bool| {
        assert_sound(name, alg, verify, case);
        let allocs = allocations_per_call(50, || verify(&case.token));
        let (hj, hp, _) = sample(
            secs / 2.0,
            overhead,
            || case.jwsgate(&mut scratch, black_box(&case.token)),
            || verify(black_box(&case.token)),
        );
        let (j, p) = (Stats::of(&hj), Stats::of(&hp));
        ratios.push((name.to_string(), p.median as f64 / j.median as f64));
        rows.push(format!(
            "| {alg} | {name} | {} | {} | {} | {:.2} | {allocs} |",
            us(j.median),
            us(p.median),
            us(p.p95),
            p.median as f64 / j.median as f64
        ));
    };
    if let Some(p) = JsonWebToken::new(keys, alg) {
        row("jsonwebtoken", &|t| p.verify(t));
    }
    if let Some(p) = JwtSimple::new(keys, alg) {
        row("jwt-simple", &|t| p.verify(t));
    }
    (rows, ratios)
}

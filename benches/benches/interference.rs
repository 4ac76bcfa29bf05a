//! Is jwsgate's own time (verify − the floor) raised by what ran just before it? Issue 15
//! asks why jwsgate's share moves so much more than the primitive's from one machine (or
//! hour) to the next; this bench tries the suspects in one run.
//!
//! Each round runs, for every "polluter" in turn: the polluter, a timed HS256 verify, the
//! polluter again, a timed floor (ring's or aws-lc's HMAC); medians per polluter. The
//! polluters are interleaved round by round, so that a change of the host's state (a busy
//! hyperthread sibling, another tenant) hits all of them alike:
//!
//! * `none`: nothing;
//! * `rsa`: one RSA-2048 verify of the floor (what runs between two parses on an RS256
//!   server: a long stretch of bignum code, its own data and branches);
//! * `dcache`: a write to every cache line of 96 KiB (twice the L1 data cache);
//! * `branches`: 2000 data-dependent branches on a xorshift sequence (trains the branch
//!   predictor with noise).
//!
//! A second table times the other direction on an RSA server: the floor's RSA-2048
//! verify right after another one and right after a jwsgate HS256 verify, and jwsgate's
//! RS256 verify right after the floor's.
//!
//! `cargo bench -p jwsgate-bench --bench interference` (`JWSGATE_INTERFERENCE_ROUNDS`,
//! default 10000); without `--bench` (as `cargo test --benches` runs it) it makes sure
//! every polluter and both verifies run, and times nothing.

mod common;

use std::hint::black_box;
use std::time::Instant;

use common::{Case, Keys};
use jwsgate::Algorithm;

type Polluter<'a> = (&'static str, Box<dyn FnMut() + 'a>);

fn median(v: &mut [u64]) -> u64 {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

fn nanos_of(f: impl FnOnce() -> bool) -> u64 {
    let t = Instant::now();
    assert!(black_box(f()), "a verify failed");
    t.elapsed().as_nanos() as u64
}

fn main() {
    let timing = std::env::args().any(|a| a == "--bench");
    let rounds: usize = match timing {
        true => std::env::var("JWSGATE_INTERFERENCE_ROUNDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(10_000),
        false => 3,
    };
    let keys = Keys::fixed();
    let hs = Case::new(&keys, Algorithm::HS256);
    let rs = Case::new(&keys, Algorithm::RS256);
    hs.assert_sound();
    rs.assert_sound();
    let mut scratch = hs.verifier.new_scratch();
    let mut lines = vec![1u8; 96 * 1024];
    let mut x = 0x1234_5678_9abc_def0u64;
    let mut polluters: Vec<Polluter<'_>> = vec![
        ("none", Box::new(|| {})),
        (
            "rsa",
            Box::new(|| {
                assert!(black_box(rs.ring_raw()));
            }),
        ),
        (
            "dcache",
            Box::new(move || {
                for line in lines.chunks_mut(64) {
                    if let Some(b) = line.first_mut() {
                        *b = b.wrapping_add(1);
                    }
                }
                black_box(&lines);
            }),
        ),
        (
            "branches",
            Box::new(move || {
                let mut taken = 0u64;
                for _ in 0..2000 {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    if x & 1 == 0 {
                        taken += 1;
                    } else if x & 2 == 0 {
                        taken ^= 3;
                    }
                }
                black_box(taken);
            }),
        ),
    ];
    // Warm-up: half a second of both, as the p95 binary does.
    let warm = Instant::now();
    while timing && warm.elapsed().as_millis() < 500 {
        black_box(hs.jwsgate(&mut scratch, &hs.token));
        black_box(hs.ring_raw());
    }
    let n = polluters.len();
    let mut verify = vec![Vec::with_capacity(rounds); n];
    let mut floor = vec![Vec::with_capacity(rounds); n];
    for _ in 0..rounds {
        for (i, (_, pollute)) in polluters.iter_mut().enumerate() {
            pollute();
            verify[i].push(nanos_of(|| hs.jwsgate(&mut scratch, &hs.token)));
            pollute();
            floor[i].push(nanos_of(|| hs.ring_raw()));
        }
    }
    // The other direction, on an RSA server: the floor's RSA verify right after another
    // one and right after jwsgate's own code (an HS256 verify: jwsgate's code without the
    // RSA), and jwsgate's RS256 verify after the floor's. An RSA verify runs more code than
    // the L1 instruction cache holds (BENCHMARKS.md, round 8), so each side evicts the
    // other's lines; interleaved step by step, as above.
    let mut rs_scratch = rs.verifier.new_scratch();
    let mut after = [const { Vec::new() }; 3];
    for _ in 0..rounds {
        black_box(rs.ring_raw());
        after[0].push(nanos_of(|| rs.ring_raw()));
        black_box(hs.jwsgate(&mut scratch, &hs.token));
        after[1].push(nanos_of(|| rs.ring_raw()));
        black_box(rs.ring_raw());
        after[2].push(nanos_of(|| rs.jwsgate(&mut rs_scratch, &rs.token)));
    }
    if !timing {
        println!("interference: every polluter and both verifies ran {rounds} times");
        return;
    }
    println!(
        "| polluter | jwsgate HS256 median (ns) | {} median (ns) | own work (ns) |",
        hs.raw.name()
    );
    println!("|---|---:|---:|---:|");
    for (i, (name, _)) in polluters.iter().enumerate() {
        let (v, f) = (median(&mut verify[i]), median(&mut floor[i]));
        println!("| {name} | {v} | {f} | {} |", v as i64 - f as i64);
    }
    let [rsa_rsa, rsa_after_ours, ours_rs] = after.map(|mut v| median(&mut v));
    println!();
    println!("| timed | right after | median (ns) |");
    println!("|---|---|---:|");
    let floor = rs.raw.name();
    println!("| {floor} RS256 | {floor} RS256 | {rsa_rsa} |");
    println!("| {floor} RS256 | jwsgate HS256 | {rsa_after_ours} |");
    println!("| jwsgate RS256 | {floor} RS256 | {ours_rs} |");
    let own = ours_rs as i64 - rsa_rsa as i64;
    let cost = rsa_after_ours as i64 - rsa_rsa as i64;
    println!("\njwsgate's own RS256 time {own} ns, of which its code's cost to the RSA verify");
    println!("after it {cost} ns");
}

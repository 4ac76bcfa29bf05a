//! The algorithm vocabulary of `src/alg.rs`, pinned value by value through its public API
//! (issue 19: every mutant of the area must fail a test). The names, families, key kinds,
//! key and signature lengths are the registry values of RFC 7518 §3.1 and RFC 8037 §3.1,
//! written out here rather than derived from the code under test.

use jwsgate::{Algorithm, AlgorithmFamily, AlgorithmSet, AsymmetricAlg, HmacAlg, KeyKind};

/// (algorithm, its `alg` name, HMAC (min key / tag length) or asymmetric (key kind,
/// fixed signature length)).
enum Expect {
    Hmac(HmacAlg, usize),
    Asym(AsymmetricAlg, KeyKind, Option<usize>),
}

fn registry() -> Vec<(Algorithm, &'static str, Expect)> {
    use Expect::*;
    vec![
        (Algorithm::HS256, "HS256", Hmac(HmacAlg::HS256, 32)),
        (Algorithm::HS384, "HS384", Hmac(HmacAlg::HS384, 48)),
        (Algorithm::HS512, "HS512", Hmac(HmacAlg::HS512, 64)),
        (
            Algorithm::RS256,
            "RS256",
            Asym(AsymmetricAlg::RS256, KeyKind::Rsa, None),
        ),
        (
            Algorithm::RS384,
            "RS384",
            Asym(AsymmetricAlg::RS384, KeyKind::Rsa, None),
        ),
        (
            Algorithm::RS512,
            "RS512",
            Asym(AsymmetricAlg::RS512, KeyKind::Rsa, None),
        ),
        (
            Algorithm::PS256,
            "PS256",
            Asym(AsymmetricAlg::PS256, KeyKind::Rsa, None),
        ),
        (
            Algorithm::PS384,
            "PS384",
            Asym(AsymmetricAlg::PS384, KeyKind::Rsa, None),
        ),
        (
            Algorithm::PS512,
            "PS512",
            Asym(AsymmetricAlg::PS512, KeyKind::Rsa, None),
        ),
        (
            Algorithm::ES256,
            "ES256",
            Asym(AsymmetricAlg::ES256, KeyKind::EcP256, Some(64)),
        ),
        (
            Algorithm::ES384,
            "ES384",
            Asym(AsymmetricAlg::ES384, KeyKind::EcP384, Some(96)),
        ),
        (
            Algorithm::ES512,
            "ES512",
            Asym(AsymmetricAlg::ES512, KeyKind::EcP521, Some(132)),
        ),
        (
            Algorithm::EdDSA,
            "EdDSA",
            Asym(AsymmetricAlg::EdDSA, KeyKind::Ed25519, Some(64)),
        ),
    ]
}

/// Names, `Display`, `from_name`, families and the per-family facts, for every algorithm.
#[test]
fn every_algorithm_has_its_registered_name_family_and_lengths() {
    assert_eq!(registry().len(), Algorithm::ALL.len());
    for (alg, name, expect) in registry() {
        assert_eq!(alg.name(), name);
        assert_eq!(alg.to_string(), name);
        assert_eq!(Algorithm::from_name(name.as_bytes()), Some(alg));
        match expect {
            Expect::Hmac(h, len) => {
                assert_eq!(alg.family(), AlgorithmFamily::Hmac(h));
                assert_eq!(h.algorithm(), alg);
                assert_eq!(h.min_key_len(), len, "{name}");
                assert_eq!(h.tag_len(), len, "{name}");
            }
            Expect::Asym(a, kind, sig) => {
                assert_eq!(alg.family(), AlgorithmFamily::Asymmetric(a));
                assert_eq!(a.algorithm(), alg);
                assert_eq!(a.key_kind(), kind, "{name}");
                assert_eq!(a.fixed_signature_len(), sig, "{name}");
            }
        }
    }
}

/// Only exact names: any other spelling is no algorithm (and `from_name` is not a
/// constant answer).
#[test]
fn from_name_is_exact() {
    for bad in [
        "", "none", "hs256", "HS256 ", " HS256", "HS25", "HS2566", "ES256K", "eddsa",
    ] {
        assert_eq!(Algorithm::from_name(bad.as_bytes()), None, "{bad:?}");
    }
}

/// A set holds exactly what was put in: membership, emptiness and iteration agree, for
/// every single algorithm and for every pair.
#[test]
fn algorithm_set_holds_exactly_its_members() {
    assert!(AlgorithmSet::EMPTY.is_empty());
    assert_eq!(AlgorithmSet::EMPTY.iter().count(), 0);
    assert_eq!(AlgorithmSet::default(), AlgorithmSet::EMPTY);
    for a in Algorithm::ALL {
        let one = AlgorithmSet::EMPTY.with(a);
        assert!(!one.is_empty(), "{a}");
        assert_eq!(one.iter().collect::<Vec<_>>(), vec![a]);
        for b in Algorithm::ALL {
            assert_eq!(one.contains(b), a == b, "{a} holds {b}?");
            let two = one.with(b);
            assert!(two.contains(a) && two.contains(b), "{a} + {b}");
            assert_eq!(two.iter().count(), if a == b { 1 } else { 2 });
            // Adding is idempotent and order-free.
            assert_eq!(two, AlgorithmSet::EMPTY.with(b).with(a));
            assert_eq!(two.with(a), two);
        }
    }
    let all: AlgorithmSet = Algorithm::ALL.into_iter().collect();
    assert_eq!(all.iter().collect::<Vec<_>>(), Algorithm::ALL.to_vec());
    let some: AlgorithmSet = [Algorithm::ES256, Algorithm::HS512].into_iter().collect();
    assert_eq!(
        some.iter().collect::<Vec<_>>(),
        vec![Algorithm::HS512, Algorithm::ES256]
    );
    let none: AlgorithmSet = std::iter::empty().collect();
    assert!(none.is_empty());
}

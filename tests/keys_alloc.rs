//! Allocations on the per-token key path, counted by a global allocator.
//!
//! `KeyStore::load`, `KeySet::select`, `StrongHmacKey::verify` and `PublicKey::verify`
//! for ECDSA and Ed25519 must allocate nothing. RSA verification goes through ring's
//! `RsaPublicKeyComponents::verify`, which parses the modulus into heap-allocated limbs on
//! every call; that count is ring's, not jwsgate's, and is measured and bounded here.
//! Run with `--nocapture` to see the table.

use count_alloc::{CountingAllocator, count};
use jwsgate::{Algorithm, AsymmetricAlg, HmacAlg, KeyKind, KeySet, KeyStore, PublicKey};
use jwsgate_fixtures::fixture;

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

/// Most allocations one RSA verification may make inside ring (measured: see the table).
const RSA_RING_ALLOCATIONS_MAX: u64 = 5;

const ROUNDS: u64 = 16;

/// Allocations per call of `f`, after one warm-up call.
fn per_call(mut f: impl FnMut()) -> u64 {
    f();
    let ((), total) = count(|| {
        for _ in 0..ROUNDS {
            f();
        }
    });
    assert_eq!(total % ROUNDS, 0, "allocations vary between calls");
    total / ROUNDS
}

/// Every asymmetric algorithm with the fixture's public key and a signature over `message`.
fn keys_and_signatures(message: &[u8]) -> Vec<(AsymmetricAlg, PublicKey, Vec<u8>)> {
    let f = fixture();
    AsymmetricAlg::ALL
        .into_iter()
        .map(|alg| {
            let key = f.public_key(alg.key_kind());
            (alg, key, f.sign(alg.algorithm(), message))
        })
        .collect()
}

#[test]
fn the_per_token_key_path_allocates_nothing_of_its_own() {
    let message = b"eyJhbGciOiJFUzI1NiIsImtpZCI6ImEifQ.eyJzdWIiOiJhbGxvYyJ9";
    let cases = keys_and_signatures(message);
    println!("allocations per PublicKey::verify (ring / p521 included):");
    println!("alg    valid  invalid  wrong-length");
    for (alg, key, signature) in &cases {
        let valid = per_call(|| assert_eq!(key.verify(*alg, message, signature), Ok(())));
        let mut tampered = signature.clone();
        tampered[signature.len() / 2] ^= 1;
        let invalid = per_call(|| assert!(key.verify(*alg, message, &tampered).is_err()));
        let short = &signature[..signature.len() - 1];
        let wrong_length = per_call(|| assert!(key.verify(*alg, message, short).is_err()));
        println!(
            "{:<6} {valid:>5}  {invalid:>7}  {wrong_length:>12}",
            alg.algorithm().name()
        );

        assert_eq!(
            wrong_length, 0,
            "{alg:?}: a wrong length is refused before any work"
        );
        if key.kind() == KeyKind::Rsa && jwsgate::backend::NAME == "ring" {
            // ring's own allocations (modulus limbs); jwsgate adds none. With aws-lc the
            // key was parsed at load: nothing at all, as for the other kinds.
            assert!(valid <= RSA_RING_ALLOCATIONS_MAX, "{alg:?}: {valid}");
            assert!(invalid <= RSA_RING_ALLOCATIONS_MAX, "{alg:?}: {invalid}");
        } else {
            assert_eq!(valid, 0, "{alg:?}");
            assert_eq!(invalid, 0, "{alg:?}");
        }
    }

    // Selection and the store.
    let keys: Vec<PublicKey> = cases
        .iter()
        .filter(|(alg, _, _)| {
            matches!(
                alg,
                AsymmetricAlg::RS256 | AsymmetricAlg::ES256 | AsymmetricAlg::EdDSA
            )
        })
        .map(|(alg, key, _)| key.clone().with_kid(alg.algorithm().name()))
        .collect();
    let store = KeyStore::new(KeySet::from_keys(keys).unwrap());
    let select = per_call(|| {
        let set = store.load();
        assert!(set.select(Some("ES256"), AsymmetricAlg::ES256).is_ok());
        assert!(set.select(None, AsymmetricAlg::EdDSA).is_ok());
        assert_eq!(
            set.select(Some("nope"), AsymmetricAlg::ES256).unwrap_err(),
            jwsgate::Error::UnknownKey
        );
        assert_eq!(
            set.select(Some("RS256"), AsymmetricAlg::ES256).unwrap_err(),
            jwsgate::Error::AlgorithmNotAllowed(Algorithm::ES256)
        );
    });
    println!("KeyStore::load + 4 x KeySet::select: {select}");
    assert_eq!(select, 0);

    // HMAC.
    let hmac = fixture().hmac_key();
    for alg in [HmacAlg::HS256, HmacAlg::HS384, HmacAlg::HS512] {
        let tag = fixture().sign(alg.algorithm(), message);
        let n = per_call(|| assert_eq!(hmac.verify(alg, message, &tag), Ok(())));
        println!("StrongHmacKey::verify {:?}: {n}", alg);
        assert_eq!(n, 0);
    }
}

//! Allocations on the per-token key path, counted by a global allocator.
//!
//! `KeyStore::load`, `KeySet::select`, `StrongHmacKey::verify` and `PublicKey::verify`
//! for ECDSA and Ed25519 must allocate nothing. RSA verification goes through ring's
//! `RsaPublicKeyComponents::verify`, which parses the modulus into heap-allocated limbs on
//! every call; that count is ring's, not jwsgate's, and is measured and bounded here.
//! Run with `--nocapture` to see the table.

use count_alloc::{CountingAllocator, count};
use jwsgate::{
    Algorithm, AsymmetricAlg, HmacAlg, KeyKind, KeySet, KeyStore, PublicKey, StrongHmacKey,
};
use p521::ecdsa::signature::Signer as _;
use ring::rand::SystemRandom;
use ring::signature::{self as sig, EcdsaKeyPair, Ed25519KeyPair, KeyPair, RsaKeyPair};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

const RSA2048_PKCS8: &[u8] = include_bytes!("../src/keys/testdata/rsa2048.pk8.der");
/// RFC 7515 appendix A.4's P-521 private scalar (transcribed data).
const P521_D: &str =
    "AY5pb7A0UFiB3RELSD64fTLOSV_jazdF7fLYyuTw8lOfRhWg6Y6rUrPAxerEzgdRhajnu0ferB0d53vM9mE15j2C";

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

fn keys_and_signatures(message: &[u8]) -> Vec<(AsymmetricAlg, PublicKey, Vec<u8>)> {
    let rng = SystemRandom::new();
    let mut out = Vec::new();

    let rsa = RsaKeyPair::from_pkcs8(RSA2048_PKCS8).unwrap();
    let components = sig::RsaPublicKeyComponents::<Vec<u8>>::from(rsa.public());
    let rsa_key = PublicKey::from_rsa_components(&components.n, &components.e).unwrap();
    let encodings: [(AsymmetricAlg, &'static dyn sig::RsaEncoding); 6] = [
        (AsymmetricAlg::RS256, &sig::RSA_PKCS1_SHA256),
        (AsymmetricAlg::RS384, &sig::RSA_PKCS1_SHA384),
        (AsymmetricAlg::RS512, &sig::RSA_PKCS1_SHA512),
        (AsymmetricAlg::PS256, &sig::RSA_PSS_SHA256),
        (AsymmetricAlg::PS384, &sig::RSA_PSS_SHA384),
        (AsymmetricAlg::PS512, &sig::RSA_PSS_SHA512),
    ];
    for (alg, encoding) in encodings {
        let mut signature = vec![0; rsa.public().modulus_len()];
        rsa.sign(encoding, &rng, message, &mut signature).unwrap();
        out.push((alg, rsa_key.clone(), signature));
    }

    for (alg, kind, signing) in [
        (
            AsymmetricAlg::ES256,
            KeyKind::EcP256,
            &sig::ECDSA_P256_SHA256_FIXED_SIGNING,
        ),
        (
            AsymmetricAlg::ES384,
            KeyKind::EcP384,
            &sig::ECDSA_P384_SHA384_FIXED_SIGNING,
        ),
    ] {
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(signing, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(signing, pkcs8.as_ref(), &rng).unwrap();
        let key = PublicKey::from_ec_point(kind, pair.public_key().as_ref()).unwrap();
        let signature = pair.sign(&rng, message).unwrap().as_ref().to_vec();
        out.push((alg, key, signature));
    }

    let mut d = Vec::new();
    jwsgate::base64url::decode_into_vec(P521_D.as_bytes(), &mut d).unwrap();
    let p521_signing = p521::ecdsa::SigningKey::from_slice(&d).unwrap();
    let point = p521_signing.verifying_key().to_sec1_point(false);
    let key = PublicKey::from_ec_point(KeyKind::EcP521, point.as_ref()).unwrap();
    let signature: p521::ecdsa::Signature = p521_signing.sign(message);
    out.push((AsymmetricAlg::ES512, key, signature.to_bytes().to_vec()));

    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
    let key = PublicKey::from_ed25519(pair.public_key().as_ref()).unwrap();
    out.push((
        AsymmetricAlg::EdDSA,
        key,
        pair.sign(message).as_ref().to_vec(),
    ));
    out
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
        if key.kind() == KeyKind::Rsa {
            // ring's own allocations (modulus limbs); jwsgate adds none.
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
    let secret: Vec<u8> = (0u8..64)
        .map(|i| i.wrapping_mul(151).wrapping_add(7))
        .collect();
    let hmac = StrongHmacKey::new(&secret).unwrap();
    for alg in [HmacAlg::HS256, HmacAlg::HS384, HmacAlg::HS512] {
        let tag = ring::hmac::sign(&ring::hmac::Key::new(ring_hmac(alg), &secret), message);
        let n = per_call(|| assert_eq!(hmac.verify(alg, message, tag.as_ref()), Ok(())));
        println!("StrongHmacKey::verify {:?}: {n}", alg);
        assert_eq!(n, 0);
    }
}

fn ring_hmac(alg: HmacAlg) -> ring::hmac::Algorithm {
    match alg {
        HmacAlg::HS256 => ring::hmac::HMAC_SHA256,
        HmacAlg::HS384 => ring::hmac::HMAC_SHA384,
        HmacAlg::HS512 => ring::hmac::HMAC_SHA512,
    }
}

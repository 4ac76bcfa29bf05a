//! The live key source of `Policy::check_signature` (what `remote_jwks` plugs in), with
//! a fake source: the real one needs the `remote` feature and an HTTP server.
//!
//! Test code only: mod.rs declares this module under #[cfg(test)].

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use ring::signature::{Ed25519KeyPair, KeyPair};

use crate::keys::{KeySet, KeyStore, LiveKeys};
use crate::{Error, Scratch, UnixTime, Verifier, base64url};

struct FakeLive {
    store: KeyStore,
    usable: AtomicBool,
    missing: AtomicUsize,
}

impl LiveKeys for FakeLive {
    fn store(&self) -> &KeyStore {
        &self.store
    }
    fn check_usable(&self) -> Result<(), Error> {
        if self.usable.load(Ordering::SeqCst) {
            Ok(())
        } else {
            Err(Error::KeysUnavailable)
        }
    }
    fn key_missing(&self) {
        self.missing.fetch_add(1, Ordering::SeqCst);
    }
}

fn ed25519_token(pair: &Ed25519KeyPair, kid: &str) -> String {
    let header = base64url::encode(format!(r#"{{"alg":"EdDSA","kid":"{kid}"}}"#).as_bytes());
    let claims = br#"{"iss":"https://issuer.example","aud":"api://t","exp":2000000000}"#;
    let input = format!("{header}.{}", base64url::encode(claims));
    let sig = pair.sign(input.as_bytes());
    format!("{input}.{}", base64url::encode(sig.as_ref()))
}

#[test]
fn a_live_source_verifies_refuses_when_unusable_and_hears_of_missing_keys() {
    let pair = Ed25519KeyPair::from_seed_unchecked(&[7u8; 32]).unwrap();
    let x = base64url::encode(pair.public_key().as_ref());
    let jwks = format!(r#"{{"keys":[{{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"{x}"}}]}}"#);
    let live = Arc::new(FakeLive {
        store: KeyStore::new(KeySet::from_jwks(jwks.as_bytes()).unwrap()),
        usable: AtomicBool::new(true),
        missing: AtomicUsize::new(0),
    });
    let v = Verifier::builder()
        .live_keys(Arc::clone(&live) as Arc<dyn LiveKeys>)
        .issuer("https://issuer.example")
        .audience("api://t")
        .build()
        .unwrap();
    let now = UnixTime::from_secs(1_900_000_000);
    let mut scratch = Scratch::new();

    let known = ed25519_token(&pair, "k1");
    assert!(v.verify(&mut scratch, known.as_bytes(), now).is_ok());
    assert_eq!(live.missing.load(Ordering::SeqCst), 0, "told on a success");

    let unknown = ed25519_token(&pair, "k2");
    let r = v.verify(&mut scratch, unknown.as_bytes(), now).map(drop);
    assert_eq!(r, Err(Error::UnknownKey));
    assert_eq!(
        live.missing.load(Ordering::SeqCst),
        1,
        "not told of the missing key"
    );

    live.usable.store(false, Ordering::SeqCst);
    let r = v.verify(&mut scratch, known.as_bytes(), now).map(drop);
    assert_eq!(r, Err(Error::KeysUnavailable));
    assert_eq!(live.missing.load(Ordering::SeqCst), 1);
}

/// The scratch's dot hint (where the last token's dots were) steers only where a token
/// is cut, never the verdict: every token made from a good one by turning one byte into a
/// dot, or inserting one, is judged by a scratch that just verified the good token exactly
/// as by a fresh scratch; and a token of another shape verifies after any other.
#[test]
fn the_dot_hint_of_a_scratch_never_changes_a_verdict() {
    let pair = Ed25519KeyPair::from_seed_unchecked(&[9u8; 32]).unwrap();
    let x = base64url::encode(pair.public_key().as_ref());
    let jwks = format!(
        r#"{{"keys":[{{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"{x}"}},{{"kty":"OKP","crv":"Ed25519","kid":"a-longer-kid","x":"{x}"}}]}}"#
    );
    let v = Verifier::builder()
        .key_set(KeySet::from_jwks(jwks.as_bytes()).unwrap())
        .issuer("https://issuer.example")
        .audience("api://t")
        .build()
        .unwrap();
    let now = UnixTime::from_secs(1_900_000_000);
    let good = ed25519_token(&pair, "k1");
    let other = ed25519_token(&pair, "a-longer-kid");
    let judge = |scratch: &mut Scratch, t: &[u8]| {
        let verified = v.verify(scratch, t, now).map(|t| t.alg());
        let jws = v.verify_jws(scratch, t, None).map(|j| j.alg());
        (verified, jws)
    };

    let mut warm = Scratch::new();
    for (first, second) in [(&good, &other), (&other, &good), (&good, &good)] {
        assert!(judge(&mut warm, first.as_bytes()).0.is_ok());
        assert!(
            judge(&mut warm, second.as_bytes()).0.is_ok(),
            "after {first}"
        );
    }

    let mut variants = Vec::new();
    for i in 0..=good.len() {
        let mut inserted = good.clone().into_bytes();
        inserted.insert(i, b'.');
        variants.push(inserted);
        if i < good.len() && good.as_bytes()[i] != b'.' {
            let mut replaced = good.clone().into_bytes();
            replaced[i] = b'.';
            variants.push(replaced);
        }
    }
    for t in &variants {
        assert!(judge(&mut warm, good.as_bytes()).0.is_ok());
        let hinted = judge(&mut warm, t);
        let fresh = judge(&mut Scratch::new(), t);
        assert_eq!(hinted, fresh, "{}", String::from_utf8_lossy(t));
        assert!(fresh.0.is_err(), "{}", String::from_utf8_lossy(t));
    }
}

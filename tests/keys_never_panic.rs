//! Key loaders take configuration that may come from a remote JWKS endpoint: whatever the
//! bytes, they return a value or an error, never a panic.

use jwsgate::{KeySet, PublicKey, StrongHmacKey};
use proptest::prelude::*;

/// RFC 7515 appendix A.3's P-256 public key as SPKI DER (transcribed data).
const P256_SPKI_B64: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEf83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEXH8UTNG72bfocs3+257rn0s2ldbqkLJK2KRiMohYjlrQ==";

const JWKS: &str = r#"{"keys":[{"kty":"EC","crv":"P-256","kid":"a","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#;

fn spki() -> Vec<u8> {
    use base64ct::{Base64, Encoding};
    Base64::decode_vec(P256_SPKI_B64).unwrap()
}

fn load_everything(bytes: &[u8]) {
    let _ = PublicKey::from_jwk(bytes);
    let _ = PublicKey::from_pem(bytes);
    let _ = PublicKey::from_spki_der(bytes);
    let _ = KeySet::from_jwks(bytes);
    let _ = StrongHmacKey::from_jwk(bytes);
    let _ = StrongHmacKey::new(bytes);
}

#[test]
fn the_seeds_are_valid() {
    assert!(PublicKey::from_spki_der(&spki()).is_ok());
    assert_eq!(KeySet::from_jwks(JWKS.as_bytes()).unwrap().len(), 2);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        load_everything(&bytes);
    }

    #[test]
    fn mutated_spki_der(index in 0usize..91, value in any::<u8>(), cut in 0usize..92) {
        let mut der = spki();
        der[index] = value;
        let _ = PublicKey::from_spki_der(&der);
        let _ = PublicKey::from_spki_der(&der[..cut.min(der.len())]);
    }

    #[test]
    fn mutated_jwks(index in 0usize..JWKS.len(), value in any::<u8>(), cut in 0usize..JWKS.len()) {
        let mut doc = JWKS.as_bytes().to_vec();
        doc[index] = value;
        load_everything(&doc);
        load_everything(&JWKS.as_bytes()[..cut]);
    }
}

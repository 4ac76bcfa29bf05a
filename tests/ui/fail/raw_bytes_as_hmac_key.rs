// Raw bytes are not a StrongHmacKey: the secret must pass the validating constructor.
use jwsgate::Verifier;

fn main() {
    let _ = Verifier::builder()
        .hmac_key(b"0123456789abcdef0123456789abcdef")
        .no_issuer_check()
        .no_audience_check()
        .build();
}

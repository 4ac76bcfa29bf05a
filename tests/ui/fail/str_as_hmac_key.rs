// A &str is not a StrongHmacKey either.
use jwsgate::Verifier;

fn main() {
    let _ = Verifier::builder()
        .hmac_key("0123456789abcdef0123456789abcdef")
        .no_issuer_check()
        .no_audience_check()
        .build();
}

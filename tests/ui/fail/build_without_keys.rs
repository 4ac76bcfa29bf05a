// build() does not compile before a key source is chosen; the error names the calls.
use jwsgate::Verifier;

fn configure() {
    let _ = Verifier::builder()
        .issuer("https://issuer.example")
        .audience("api")
        .build();
}

fn main() {
    let _ = configure;
}

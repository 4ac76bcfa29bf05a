//! RFC test vectors: every record of `vectors/*.txt` (format in `vectors/README.md`) is run
//! through the public API, and its outcome — `valid`, an error's `code()`, or
//! `config_error` when the key or the verifier cannot be built — must equal its `Expect`.

use std::path::PathBuf;

use jwsgate::{KeySet, PublicKey, Scratch, StrongHmacKey, UnixTime, Verifier};

/// Every file of `vectors/`, with how many of its records must verify (`Expect = valid`).
const FILES: [(&str, usize); 5] = [
    ("rfc7515_appendix_a.txt", 4),
    ("rfc7519.txt", 1),
    ("rfc7520_section4.txt", 5),
    ("rfc7797.txt", 1),
    ("rfc8037_appendix_a.txt", 1),
];

const KEYS: [&str; 9] = [
    "Source",
    "Alg",
    "Jwk",
    "Token",
    "Mode",
    "Now",
    "Issuer",
    "DetachedPayload",
    "Expect",
];

/// One record: its `Key = value` pairs in file order, and the line it starts on.
struct Record {
    line: usize,
    fields: Vec<(String, String)>,
}

impl Record {
    fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn req(&self, key: &str) -> &str {
        self.get(key)
            .unwrap_or_else(|| panic!("record of line {}: no `{key}`", self.line))
    }
}

/// The attribute reader. Records are separated by blank lines; a line whose first character
/// is `#` is a comment (so values may contain `#`); any other line is `Key = value`, the
/// value being the rest of the line, verbatim.
fn read_records(text: &str) -> Vec<Record> {
    let mut records = Vec::new();
    let mut current: Option<Record> = None;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            records.extend(current.take());
            continue;
        }
        let (key, value) = line
            .split_once(" = ")
            .unwrap_or_else(|| panic!("line {}: not `Key = value`: {line:?}", i + 1));
        assert!(KEYS.contains(&key), "line {}: unknown key `{key}`", i + 1);
        let record = current.get_or_insert_with(|| Record {
            line: i + 1,
            fields: Vec::new(),
        });
        assert!(
            record.get(key).is_none(),
            "line {}: `{key}` twice in one record",
            i + 1
        );
        record.fields.push((key.to_owned(), value.to_owned()));
    }
    records.extend(current);
    records
}

fn b64(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    jwsgate::low_level::base64url::decode_into_vec(text.as_bytes(), &mut out)
        .unwrap_or_else(|| panic!("not base64url: {text}"));
    out
}

/// Finishes a builder with the record's issuer policy (no audience check: no RFC example
/// has `aud`), then verifies the record's token. Written as a macro so that it works
/// whatever typestate the key source leaves the builder in.
macro_rules! build_and_verify {
    ($builder:expr, $rec:expr) => {{
        let builder = $builder;
        let built = match $rec.get("Issuer") {
            Some(iss) => builder.issuer(iss).no_audience_check().build(),
            None => builder.no_issuer_check().no_audience_check().build(),
        };
        match built {
            Err(_) => "config_error".to_owned(),
            Ok(verifier) => {
                let mut scratch = Scratch::new();
                let token = $rec.req("Token").as_bytes();
                let result = match $rec.req("Mode") {
                    "jwt" => {
                        let now: u64 = $rec.req("Now").parse().expect("Now: whole seconds");
                        verifier
                            .verify(&mut scratch, token, UnixTime::from_secs(now))
                            .map(|_| ())
                    }
                    "jws" => {
                        let detached = $rec.get("DetachedPayload").map(b64);
                        let signed_payload = match &detached {
                            Some(bytes) => bytes.clone(),
                            None => b64(token_segment($rec.req("Token"), 1)),
                        };
                        verifier
                            .verify_jws(&mut scratch, token, detached.as_deref())
                            .map(|ok| assert_eq!(ok.payload(), &signed_payload[..], "payload"))
                    }
                    mode => panic!("record of line {}: unknown Mode {mode}", $rec.line),
                };
                match result {
                    Ok(()) => "valid".to_owned(),
                    Err(e) => e.code().to_owned(),
                }
            }
        }
    }};
}

fn token_segment(token: &str, index: usize) -> &str {
    token.split('.').nth(index).expect("three segments")
}

/// What jwsgate makes of one record.
fn outcome(rec: &Record) -> String {
    let jwk = rec.req("Jwk").as_bytes();
    // The files hold compact JWK JSON (vectors/README.md), so the key type reads plainly.
    if rec.req("Jwk").contains(r#""kty":"oct""#) {
        match StrongHmacKey::from_jwk(jwk) {
            Err(_) => "config_error".to_owned(),
            Ok(key) => build_and_verify!(Verifier::builder().hmac_key(key), rec),
        }
    } else {
        match PublicKey::from_jwk(jwk).and_then(|key| KeySet::from_keys(vec![key])) {
            Err(_) => "config_error".to_owned(),
            Ok(set) => build_and_verify!(Verifier::builder().key_set(set), rec),
        }
    }
}

fn run_file(name: &str) {
    let expected_valid = FILES
        .iter()
        .find(|(f, _)| *f == name)
        .expect("listed in FILES")
        .1;
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("vectors")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let records = read_records(&text);
    assert!(!records.is_empty(), "{name}: no records");

    let (mut valid, mut marked_valid, mut mismatches) = (0, 0, Vec::new());
    for rec in &records {
        let (expect, got) = (rec.req("Expect"), outcome(rec));
        valid += usize::from(got == "valid");
        marked_valid += usize::from(expect == "valid");
        if got != expect {
            let source = rec.req("Source");
            mismatches.push(format!(
                "{source} (line {}): expected {expect}, got {got}",
                rec.line
            ));
        }
    }
    println!(
        "{name}: {} records, {valid} valid, {} refused, {} mismatched",
        records.len(),
        records.len() - valid,
        mismatches.len()
    );
    assert!(mismatches.is_empty(), "{name}:\n{}", mismatches.join("\n"));
    assert_eq!(
        marked_valid, expected_valid,
        "{name}: records with Expect = valid"
    );
    assert_eq!(valid, expected_valid, "{name}: valid outcomes");
}

#[test]
fn every_vector_file_is_run() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("vectors/")
        .map(|e| {
            e.expect("entry")
                .file_name()
                .into_string()
                .expect("UTF-8 name")
        })
        .filter(|n| n.ends_with(".txt"))
        .collect();
    on_disk.sort();
    let listed: Vec<String> = FILES.iter().map(|(f, _)| (*f).to_owned()).collect();
    assert_eq!(
        on_disk, listed,
        "every vectors/*.txt needs an entry in FILES and a test"
    );
}

#[test]
fn rfc7515_appendix_a() {
    run_file("rfc7515_appendix_a.txt");
}

#[test]
fn rfc7519_sections_3_1_and_6_1() {
    run_file("rfc7519.txt");
}

#[test]
fn rfc7520_section_4() {
    run_file("rfc7520_section4.txt");
}

#[test]
fn rfc7797_section_4() {
    run_file("rfc7797.txt");
}

#[test]
fn rfc8037_appendix_a_4() {
    run_file("rfc8037_appendix_a.txt");
}

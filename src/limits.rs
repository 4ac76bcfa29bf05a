//! Every limit on what an attacker controls, in one place, each with its reason.

/// Default largest token accepted, in bytes (checked before any decoding). Access tokens
/// are sent in an HTTP header; 8 KiB is the common header-size ceiling of servers and
/// proxies, and the default of `../shared/CLI.md`'s `--max-token-bytes`.
pub const DEFAULT_MAX_TOKEN_BYTES: usize = 8192;

/// Hard ceiling on the configurable token size: 64 KiB keeps the scratch buffers small
/// and bounded whatever the configuration.
pub const MAX_TOKEN_BYTES_CEILING: usize = 64 * 1024;

/// Largest decoded JOSE header, in bytes. The header lives in a stack buffer; registered
/// parameters need far less (an `x5c` chain larger than this is refused, and is never
/// used anyway: DESIGN.md principle 2).
pub const MAX_HEADER_BYTES: usize = 2048;

/// Largest decoded signature, in bytes: an RSA-8192 signature (1024 bytes); ring refuses
/// larger moduli (`RSA_PKCS1_2048_8192_*`).
pub const MAX_SIGNATURE_BYTES: usize = 1024;

/// Deepest nesting of JSON objects and arrays, in the header and in the claims. Registered
/// members need depth 2; the limit stops depth bombs (CVE-2025-53864) without recursion
/// of unbounded depth.
pub const MAX_JSON_DEPTH: usize = 16;

/// Most members in the header object. Duplicate detection compares names pairwise, so the
/// count is bounded (RFC 7515 §4 has 11 registered parameters).
pub const MAX_HEADER_MEMBERS: usize = 32;

/// Most members in the claims object: bounds duplicate detection (RFC 7519 §4: duplicate
/// names must be refused or the last taken; jwsgate refuses).
pub const MAX_CLAIMS_MEMBERS: usize = 128;

/// Most entries in `aud`, `scp` or `crit` arrays that jwsgate reads.
pub const MAX_ARRAY_ITEMS: usize = 64;

/// Largest leeway for `exp`, `nbf` and `iat`, in seconds (`../shared/CLI.md`).
pub const MAX_LEEWAY_SECS: u64 = 120;

/// Default leeway, in seconds.
pub const DEFAULT_LEEWAY_SECS: u64 = 60;

/// Most keys in a JWK Set: key selection scans the set, and a provider publishes a few.
pub const MAX_JWKS_KEYS: usize = 64;

/// Largest JWK Set document, in bytes: bounds memory at load and for remote fetches.
pub const MAX_JWKS_BYTES: usize = 256 * 1024;

/// Smallest RSA modulus accepted, in bits (RFC 7518 §3.3, RFC 8725 §3.5).
pub const MIN_RSA_BITS: usize = 2048;

/// Largest RSA modulus accepted, in bits: ring's verification ceiling.
pub const MAX_RSA_BITS: usize = 8192;

/// Longest `kid` accepted, in bytes after unescaping: key ids are short labels or
/// thumbprints (a SHA-512 thumbprint is 86 characters); longer ones are refused as
/// malformed rather than copied.
pub const MAX_KID_BYTES: usize = 256;

/// Largest single JWK document, in bytes: an RSA-8192 JWK is under 2 KiB; 64 KiB leaves
/// room for an `x5c` chain (never used) while bounding what one key file can cost to parse.
pub const MAX_JWK_BYTES: usize = 64 * 1024;

/// Largest PEM document, in bytes: an RSA-8192 SPKI PEM is under 2 KiB; 64 KiB leaves
/// room for explanatory text around the block (RFC 7468 §5.2).
pub const MAX_PEM_BYTES: usize = 64 * 1024;

/// Deepest DER nesting the public-key reader enters: SPKI needs 2 (SubjectPublicKeyInfo,
/// AlgorithmIdentifier) and PKCS#1 `RSAPublicKey` 1; anything deeper is refused.
pub const MAX_DER_DEPTH: usize = 4;

// --- Token introspection (RFC 7662), feature `introspection` -------------------------

/// Default deadline around one introspection request (connect, TLS, request, whole
/// body): an authorization server answers in milliseconds; one that hangs must not hold a
/// request longer than a client would wait. The failure is `introspection_unavailable`.
pub const DEFAULT_INTROSPECTION_TIMEOUT: core::time::Duration = core::time::Duration::from_secs(5);

/// Largest introspection answer read, in bytes: an answer is a flat JSON object of a few
/// hundred bytes; 64 KiB leaves room for rich claims while bounding what a broken or
/// hostile endpoint can make jwsgate buffer.
pub const MAX_INTROSPECTION_BYTES: usize = 64 * 1024;

/// Suggested maximum life of a cached positive answer: a revoked token keeps working at
/// most this long after revocation (the cache never keeps an answer past the token's
/// `exp` either). Negative answers and failures are never cached.
pub const DEFAULT_INTROSPECTION_CACHE_TTL: core::time::Duration =
    core::time::Duration::from_secs(60);

/// Ceiling of the configurable cache life: five minutes bounds how long revocation can be
/// ignored whatever the configuration.
pub const MAX_INTROSPECTION_CACHE_TTL: core::time::Duration = core::time::Duration::from_secs(300);

/// Suggested number of cached answers: each holds an answer of a few hundred bytes, so
/// 10 000 entries cost a few MiB.
pub const DEFAULT_INTROSPECTION_CACHE_ENTRIES: usize = 10_000;

/// Ceiling of the configurable cache size: 100 000 answers of a few hundred bytes are tens
/// of MiB, so a configuration typo cannot make the cache unbounded.
pub const MAX_INTROSPECTION_CACHE_ENTRIES: usize = 100_000;

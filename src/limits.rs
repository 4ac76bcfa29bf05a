//! Every limit on what an attacker controls, in one place, each with its reason.

/// Default largest token accepted, in bytes (checked before any decoding). Access tokens
/// are sent in an HTTP header; 8 KiB is the common header-size ceiling of servers and
/// proxies, and the default of `docs/cli.md`'s `--max-token-bytes`.
pub const DEFAULT_MAX_TOKEN_BYTES: usize = 8192;

/// Hard ceiling on the configurable token size: 64 KiB keeps the scratch buffers small
/// and bounded whatever the configuration.
pub const MAX_TOKEN_BYTES_CEILING: usize = 64 * 1024;

/// Largest decoded JOSE header, in bytes. The header lives in a stack buffer; registered
/// parameters need far less (an `x5c` chain larger than this is refused, and is never
/// used anyway: docs/design.md principle 2).
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

/// Largest leeway for `exp`, `nbf` and `iat`, in seconds (`docs/cli.md`).
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

// ---------------------------------------------------------------------------------------
// Outbound HTTP and remote JWK Sets (features `outbound`, `remote`).

/// Default deadline around one outbound request — connect, TLS handshake, request and the
/// whole body. 5 s: identity providers answer a JWK Set in well under a second; a server
/// that hangs or trickles must not hold a refresh (or the constructor) longer.
pub const DEFAULT_OUTBOUND_TIMEOUT: core::time::Duration = core::time::Duration::from_secs(5);

/// Default time a fetched JWK Set is used before it is refetched, when the answer has no
/// `Cache-Control: max-age`: 5 min, the order of the caches of common resource-server
/// libraries, so a published rotation is picked up within minutes.
pub const DEFAULT_JWKS_TTL: core::time::Duration = core::time::Duration::from_secs(5 * 60);

/// Shortest `Cache-Control: max-age` honoured: 1 min. A provider answering `max-age=0`
/// (or `no-cache`) must not turn the refresher into a loop against it.
pub const MIN_JWKS_TTL: core::time::Duration = core::time::Duration::from_secs(60);

/// Longest `Cache-Control: max-age` honoured: 24 h. Keys removed by the provider (a
/// compromise) must stop verifying within a day whatever the provider's cache headers.
pub const MAX_JWKS_TTL: core::time::Duration = core::time::Duration::from_secs(24 * 60 * 60);

/// How long before expiry the background refresh runs: 30 s, so a new set is in place
/// before the old one expires even when the first attempt needs a retry.
pub const DEFAULT_JWKS_REFRESH_AHEAD: core::time::Duration = core::time::Duration::from_secs(30);

/// Smallest gap between two refetches caused by unknown `kid`s: 30 s. Tokens with random
/// `kid`s cost at most one fetch per cooldown, so jwsgate cannot be turned into a flood
/// against the identity provider.
pub const DEFAULT_JWKS_MISS_COOLDOWN: core::time::Duration = core::time::Duration::from_secs(30);

/// How long past its expiry the last good set may still be used while refreshing fails:
/// 1 h. A provider outage shorter than that costs nothing; past it verification fails
/// closed with `keys_unavailable` (503), because a removed (compromised) key could still
/// be in the stale set.
pub const DEFAULT_JWKS_MAX_STALENESS: core::time::Duration =
    core::time::Duration::from_secs(60 * 60);

/// First retry delay after a failed refresh: 1 s, doubled per failure (with jitter).
pub const JWKS_RETRY_INITIAL: core::time::Duration = core::time::Duration::from_secs(1);

/// Largest retry delay after failed refreshes: 60 s, so an outage is noticed to have
/// ended within a minute while a failing provider sees at most one request a minute.
pub const JWKS_RETRY_MAX: core::time::Duration = core::time::Duration::from_secs(60);
// ---- Fleet rate limiter on Redis (`redis` feature, src/fleet_limit) ----

/// Default deadline of one fleet-limiter call to Redis (the `EVALSHA` of the GCRA
/// script, and the `SCRIPT LOAD` + retry after a `NOSCRIPT`): 50 ms. A same-region Redis
/// answers in well under a millisecond; past 50 ms a check has become a latency problem
/// of its own, and the configured failure policy answers instead.
pub const DEFAULT_FLEET_CALL_TIMEOUT: core::time::Duration = core::time::Duration::from_millis(50);

/// Default deadline for opening a connection to Redis (TCP, TLS for `rediss://`, `AUTH`):
/// 250 ms. A same-region handshake takes a few milliseconds; only the one request per
/// [`DEFAULT_FLEET_RETRY_COOLDOWN`] that reconnects can ever wait for it.
pub const DEFAULT_FLEET_CONNECT_TIMEOUT: core::time::Duration =
    core::time::Duration::from_millis(250);

/// Longest call or connect deadline accepted: 5 s. Requests wait for these deadlines, so
/// a longer one is a misconfiguration that would let a sick Redis stall a server.
pub const MAX_FLEET_TIMEOUT: core::time::Duration = core::time::Duration::from_secs(5);

/// Default time a fleet limiter leaves Redis alone after a failed call or connect: 1 s.
/// Meanwhile checks get the failure policy's answer at once (no request waits on a
/// Redis known to be down), and a fleet of N instances sends a recovering Redis at most
/// N reconnects per second. It is also the `Retry-After` of a fail-closed 503.
pub const DEFAULT_FLEET_RETRY_COOLDOWN: core::time::Duration = core::time::Duration::from_secs(1);

/// Longest retry cooldown accepted: 60 s; longer would keep a recovered Redis unused
/// (and a fail-closed server answering 503) for minutes.
pub const MAX_FLEET_RETRY_COOLDOWN: core::time::Duration = core::time::Duration::from_secs(60);

/// Longest Redis key prefix accepted, in bytes: a namespace such as `jwsgate:rl:login:`
/// needs a few dozen; the bound keeps every key small (Redis stores it once per key).
pub const MAX_FLEET_KEY_PREFIX_BYTES: usize = 64;

/// Most checks `FleetLimiter::check_many` sends to Redis in one pipeline: 1024 scripts
/// are about 100 KiB on the wire and a few milliseconds of Redis time, well inside the
/// call deadline; a larger batch is split, each part with its own deadline.
pub const MAX_FLEET_BATCH: usize = 1024;

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

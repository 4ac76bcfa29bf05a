//! Static development tokens: a fixed list of opaque bearer tokens, each with its subject,
//! scopes and expiry, for local development without an authorization server.
//!
//! Only the SHA-256 of each token is kept. A presented token is hashed and compared with
//! every configured digest in constant time, without stopping at the first match, so the
//! time taken says nothing about which token, or which bytes of it, matched.

use core::fmt;

use ring::digest;
use secrecy::{ExposeSecret, SecretString};

use super::production_guard::{ProductionMarker, detect_production, process_env};
use crate::authn::{AuthContext, AuthMethod, Authenticator, Identity, MaybeReady};
use crate::error::Error;
use crate::time::UnixTime;

/// The SHA-256 of a token.
type Digest = [u8; 32];

/// Who a development token stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevIdentity {
    subject: String,
    scopes: Vec<String>,
    expires_at: UnixTime,
}

impl DevIdentity {
    /// The subject (`sub`) the token stands for.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The scopes the token carries.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scopes.iter().map(String::as_str)
    }

    /// When the token stops working.
    pub fn expires_at(&self) -> UnixTime {
        self.expires_at
    }
}

/// Why [`StaticTokens`] could not be built.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DevTokensError {
    /// The environment looks like production and the override was not given in code.
    #[error(
        "development tokens refused: the environment looks like production ({0}); \
         only StaticTokensBuilder::dangerous_allow_in_production overrides this"
    )]
    ProductionDetected(ProductionMarker),
    /// No token configured, an empty token, or the same token twice.
    #[error("invalid development token configuration: {0}")]
    InvalidConfig(&'static str),
}

/// A development-only authenticator of static opaque tokens (`dev` feature).
///
/// Construction refuses where the environment looks like production
/// ([`detect_production`]) unless [`StaticTokensBuilder::dangerous_allow_in_production`]
/// is called in code (no environment variable enables it), and logs a warning every time.
///
/// ```
/// use jwsgate::UnixTime;
/// use jwsgate::dev::StaticTokens;
/// use secrecy::SecretString;
///
/// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let tokens = StaticTokens::builder()
///     .token(
///         SecretString::from("dev-alice-7f3a9c"),
///         "alice",
///         &["orders:read"],
///         UnixTime::from_secs(4_102_444_800),
///     )
///     .build_with_env(|_| None)?; // `.build()` reads the process environment
/// let who = tokens.identify(b"dev-alice-7f3a9c", UnixTime::from_secs(1_700_000_000))?;
/// assert_eq!(who.subject(), "alice");
/// assert!(tokens.identify(b"dev-alice-7f3a9d", UnixTime::from_secs(1_700_000_000)).is_err());
/// # Ok(()) }
/// # demo()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct StaticTokens {
    entries: Vec<(Digest, DevIdentity)>,
}

impl fmt::Debug for StaticTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Subjects only: never a digest (a guessable token's digest is as good as it).
        f.debug_struct("StaticTokens")
            .field(
                "subjects",
                &self
                    .entries
                    .iter()
                    .map(|(_, id)| id.subject.as_str())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// The HTTP layer's view: tokens are looked up as by [`StaticTokens::identify`] and
/// become an [`Identity`] of [`AuthMethod::Static`] with the subject, scopes and expiry.
impl Authenticator for StaticTokens {
    fn authenticate(&self, token: &str, cx: &AuthContext) -> MaybeReady<Result<Identity, Error>> {
        MaybeReady::ready(self.identify(token.as_bytes(), cx.now()).map(|id| {
            Identity::builder(cx.fingerprint(), AuthMethod::Static)
                .subject(&id.subject)
                .scopes(id.scopes())
                .expires_at(id.expires_at)
                .build()
        }))
    }

    /// Static tokens carry no audience: `None` ("cannot say"), so that a development
    /// layer can be built for any resource. Production never gets this far
    /// ([`StaticTokensBuilder::build`] refuses there).
    fn accepts_audience(&self, _resource: &str) -> Option<bool> {
        None
    }
}

/// Builds [`StaticTokens`].
#[must_use]
pub struct StaticTokensBuilder {
    entries: Vec<(Digest, DevIdentity)>,
    empty_token: bool,
    allow_in_production: bool,
}

impl fmt::Debug for StaticTokensBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticTokensBuilder")
            .field("tokens", &self.entries.len())
            .field("allow_in_production", &self.allow_in_production)
            .finish()
    }
}

impl StaticTokens {
    /// A builder with no tokens.
    pub fn builder() -> StaticTokensBuilder {
        StaticTokensBuilder {
            entries: Vec::new(),
            empty_token: false,
            allow_in_production: false,
        }
    }

    /// The identity of `token` at `now`: `invalid_token` (401) when it is not one of the
    /// configured tokens, `expired` (401) when it is but its expiry has passed.
    pub fn identify(&self, token: &[u8], now: UnixTime) -> Result<&DevIdentity, Error> {
        let presented = sha256(token);
        let index = find(&self.entries, &presented, digests_equal).ok_or(Error::InvalidToken)?;
        let (_, identity) = self.entries.get(index).ok_or(Error::InvalidToken)?;
        if now >= identity.expires_at {
            return Err(Error::Expired);
        }
        Ok(identity)
    }

    /// How many tokens are configured.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no token is configured (never true of a built value).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl StaticTokensBuilder {
    /// Adds a token standing for `subject` with `scopes`, working until `expires_at`. Only
    /// its SHA-256 is kept; the secret itself is dropped (and zeroized) here.
    pub fn token(
        mut self,
        token: SecretString,
        subject: &str,
        scopes: &[&str],
        expires_at: UnixTime,
    ) -> Self {
        let bytes = token.expose_secret().as_bytes();
        self.empty_token |= bytes.is_empty();
        self.entries.push((
            sha256(bytes),
            DevIdentity {
                subject: subject.to_owned(),
                scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
                expires_at,
            },
        ));
        self
    }

    /// Lets [`build`](Self::build) succeed where the environment looks like production.
    /// Static tokens in production are an authentication bypass: this exists for the rare
    /// staging cluster that sets production markers, and only in code, never from the
    /// environment or a configuration file.
    pub fn dangerous_allow_in_production(mut self) -> Self {
        self.allow_in_production = true;
        self
    }

    /// Builds, reading the process environment for production markers.
    pub fn build(self) -> Result<StaticTokens, DevTokensError> {
        self.build_with_env(process_env)
    }

    /// Builds, reading production markers through `var` (tests inject an environment).
    pub fn build_with_env(
        self,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<StaticTokens, DevTokensError> {
        let marker = detect_production(var);
        warn_construction(
            self.entries.len(),
            marker.as_ref(),
            self.allow_in_production,
        );
        if let Some(marker) = marker {
            if !self.allow_in_production {
                return Err(DevTokensError::ProductionDetected(marker));
            }
        }
        if self.entries.is_empty() {
            return Err(DevTokensError::InvalidConfig("no token configured"));
        }
        if self.empty_token {
            return Err(DevTokensError::InvalidConfig("an empty token"));
        }
        for (i, (d, _)) in self.entries.iter().enumerate() {
            if self.entries.iter().skip(i + 1).any(|(e, _)| e == d) {
                return Err(DevTokensError::InvalidConfig("the same token twice"));
            }
        }
        Ok(StaticTokens {
            entries: self.entries,
        })
    }
}

fn sha256(bytes: &[u8]) -> Digest {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest::digest(&digest::SHA256, bytes).as_ref());
    out
}

/// The comparison of two digests: `subtle`'s constant-time equality, which folds every
/// byte and whose running time does not depend on where (or whether) the inputs differ.
/// (ring's `constant_time::verify_slices_are_equal` is deprecated, "no promises regarding
/// side channels".)
pub(crate) fn digests_equal(a: &Digest, b: &Digest) -> bool {
    bool::from(subtle::ConstantTimeEq::ct_eq(&a[..], &b[..]))
}

/// The index of the entry whose digest equals `presented`, comparing with `eq` against
/// every entry: no early exit on a match, so the number of comparisons is always the
/// number of entries.
fn find<T>(
    entries: &[(Digest, T)],
    presented: &Digest,
    eq: impl Fn(&Digest, &Digest) -> bool,
) -> Option<usize> {
    let mut found = None;
    for (i, (digest, _)) in entries.iter().enumerate() {
        let hit = eq(digest, presented);
        if hit && found.is_none() {
            found = Some(i);
        }
    }
    found
}

fn warn_construction(count: usize, marker: Option<&ProductionMarker>, allowed: bool) {
    let marker = marker.map(ToString::to_string);
    tracing::warn!(
        tokens = count,
        production_marker = marker.as_deref().unwrap_or("none"),
        dangerous_allow_in_production = allowed,
        "jwsgate development tokens configured: static bearer tokens are accepted; never use them in production"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    const FAR: UnixTime = UnixTime::from_secs(4_102_444_800);
    const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);

    fn builder() -> StaticTokensBuilder {
        StaticTokens::builder()
            .token(SecretString::from("tok-alice"), "alice", &["a", "b"], FAR)
            .token(SecretString::from("tok-bob"), "bob", &[], NOW)
    }

    #[test]
    fn known_tokens_authenticate_and_others_do_not() {
        let t = builder().build_with_env(|_| None).unwrap();
        let alice = t.identify(b"tok-alice", NOW).unwrap();
        assert_eq!(alice.subject(), "alice");
        assert_eq!(alice.scopes().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(t.identify(b"tok-alicf", NOW), Err(Error::InvalidToken));
        assert_eq!(t.identify(b"", NOW), Err(Error::InvalidToken));
        assert_eq!(t.identify(b"tok-alice ", NOW), Err(Error::InvalidToken));
    }

    #[test]
    fn expiry_is_checked() {
        let t = builder().build_with_env(|_| None).unwrap();
        // bob expires at NOW: valid strictly before it.
        assert_eq!(
            t.identify(b"tok-bob", UnixTime::from_secs(NOW.as_secs() - 1))
                .unwrap()
                .subject(),
            "bob"
        );
        assert_eq!(t.identify(b"tok-bob", NOW), Err(Error::Expired));
        assert_eq!(
            t.identify(b"tok-alice", UnixTime::from_secs(FAR.as_secs())),
            Err(Error::Expired)
        );
    }

    #[test]
    fn refused_under_every_production_marker_unless_overridden_in_code() {
        use super::super::production_guard::{PLATFORM_VARIABLES, STAGE_VARIABLES};
        let mut markers: Vec<(&str, &str)> = PLATFORM_VARIABLES.iter().map(|n| (*n, "x")).collect();
        for stage in STAGE_VARIABLES {
            markers.push((stage, "production"));
            markers.push((stage, "PROD"));
        }
        for (name, value) in markers {
            let env = move |n: &str| (n == name).then(|| value.to_string());
            let err = builder().build_with_env(env).unwrap_err();
            assert!(
                matches!(err, DevTokensError::ProductionDetected(_)),
                "{name}"
            );
            assert!(err.to_string().contains(name), "{err}");
            let t = builder()
                .dangerous_allow_in_production()
                .build_with_env(env)
                .unwrap();
            assert_eq!(t.len(), 2);
        }
        // An environment variable named like the override enables nothing.
        let env = |n: &str| {
            (n == "K_SERVICE" || n.contains("ALLOW") || n.contains("DANGEROUS"))
                .then(|| "1".to_string())
        };
        assert!(builder().build_with_env(env).is_err());
    }

    #[test]
    fn bad_configurations_are_refused() {
        let none = StaticTokens::builder().build_with_env(|_| None);
        assert!(matches!(none, Err(DevTokensError::InvalidConfig(_))));
        let empty = StaticTokens::builder()
            .token(SecretString::from(""), "x", &[], FAR)
            .build_with_env(|_| None);
        assert!(matches!(empty, Err(DevTokensError::InvalidConfig(_))));
        let twice = builder()
            .token(SecretString::from("tok-bob"), "eve", &[], FAR)
            .build_with_env(|_| None);
        assert!(matches!(twice, Err(DevTokensError::InvalidConfig(_))));
    }

    #[test]
    fn every_digest_is_compared_even_after_a_match() {
        let entries: Vec<(Digest, ())> = (0..5u8).map(|i| (sha256(&[i]), ())).collect();
        for target in 0..5u8 {
            let calls = Cell::new(0);
            let spy = |a: &Digest, b: &Digest| {
                calls.set(calls.get() + 1);
                digests_equal(a, b)
            };
            assert_eq!(
                find(&entries, &sha256(&[target]), spy),
                Some(usize::from(target))
            );
            assert_eq!(calls.get(), 5, "no early exit (match at {target})");
        }
        let calls = Cell::new(0);
        let spy = |a: &Digest, b: &Digest| {
            calls.set(calls.get() + 1);
            digests_equal(a, b)
        };
        assert_eq!(find(&entries, &sha256(b"other"), spy), None);
        assert_eq!(calls.get(), 5);
    }

    #[test]
    fn the_comparison_is_subtles_constant_time_one() {
        // Behaviour: equal and unequal digests, differing in the first or the last byte.
        let a = sha256(b"a");
        let mut first = a;
        first[0] ^= 1;
        let mut last = a;
        last[31] ^= 0x80;
        assert!(digests_equal(&a, &a));
        assert!(!digests_equal(&a, &first));
        assert!(!digests_equal(&a, &last));
        // Which function: `identify` looks up through `digests_equal`, and
        // `digests_equal` is subtle's constant-time comparison. Read from this very source
        // so that swapping either for `==` or an early-exit loop fails here.
        let src = include_str!("static_tokens.rs");
        let code = src.split("#[cfg(test)]").next().unwrap();
        assert!(code.contains("find(&self.entries, &presented, digests_equal)"));
        let body = code
            .split("fn digests_equal")
            .nth(1)
            .and_then(|rest| rest.split("\n}").next())
            .unwrap();
        assert!(
            body.contains("subtle::ConstantTimeEq::ct_eq(&a[..], &b[..])"),
            "{body}"
        );
        assert!(!body.contains("=="), "{body}");
        assert_eq!(
            code.matches("digests_equal").count(),
            2,
            "one definition, one use"
        );
    }

    #[test]
    fn every_construction_warns() {
        // The repository's one log-capturing subscriber (support/fixtures, feature `logs`).
        let seen = jwsgate_fixtures::logs::Capture::default();
        tracing::subscriber::with_default(seen.clone(), || {
            builder().build_with_env(|_| None).unwrap();
            builder().build_with_env(|_| None).unwrap();
            let _ = builder().build_with_env(|n| (n == "K_SERVICE").then(String::new));
        });
        let warnings = seen
            .lines()
            .iter()
            .filter(|l| l.starts_with("WARN "))
            .count();
        assert_eq!(warnings, 3);
    }

    #[test]
    fn the_authenticator_gives_a_static_identity() {
        use crate::fingerprint::fingerprint;
        let t = builder().build_with_env(|_| None).unwrap();
        let cx = AuthContext::new(fingerprint(b"tok-alice"), NOW);
        let id = Authenticator::authenticate(&t, "tok-alice", &cx)
            .into_ready()
            .unwrap()
            .unwrap();
        assert_eq!(id.method(), AuthMethod::Static);
        assert_eq!(id.subject(), Some("alice"));
        assert_eq!(id.scopes().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(id.expires_at(), Some(FAR));
        let refused = Authenticator::authenticate(&t, "tok-eve", &cx)
            .into_ready()
            .unwrap();
        assert_eq!(refused.unwrap_err(), Error::InvalidToken);
        let late = AuthContext::new(fingerprint(b"tok-bob"), NOW);
        let expired = Authenticator::authenticate(&t, "tok-bob", &late)
            .into_ready()
            .unwrap();
        assert_eq!(expired.unwrap_err(), Error::Expired);
    }

    #[test]
    fn debug_shows_no_digest_or_token() {
        let t = builder().build_with_env(|_| None).unwrap();
        let shown = format!("{t:?}");
        assert!(shown.contains("alice"));
        assert!(!shown.contains("tok-"));
        let hex: String = sha256(b"tok-alice")
            .iter()
            .take(4)
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(!shown.contains(&hex));
        assert!(!shown.contains(&format!("{:?}", sha256(b"tok-alice")[0..4].to_vec())));
    }
}

//! Where production is detected: the one guard of everything development-only (the static
//! token authenticator here, `jwsgate keygen`/`sign`/`public-jwk` in the binary).
//!
//! The environment is read through a function the caller passes, so tests inject it
//! instead of mutating the process environment (which is racy between parallel tests).

use core::fmt;

/// Variables whose value `production` or `prod` (any case, surrounding white space
/// ignored) marks production: the usual names of a deployment's stage.
pub const STAGE_VARIABLES: [&str; 2] = ["ENVIRONMENT", "APP_ENV"];

/// Variables whose mere presence marks a production platform: Cloud Run services
/// (`K_SERVICE`) and jobs (`CLOUD_RUN_JOB`), Kubernetes (`KUBERNETES_SERVICE_HOST`, set in
/// every pod), AWS Lambda (`AWS_LAMBDA_FUNCTION_NAME`) and Fly.io (`FLY_APP_NAME`).
pub const PLATFORM_VARIABLES: [&str; 5] = [
    "K_SERVICE",
    "CLOUD_RUN_JOB",
    "KUBERNETES_SERVICE_HOST",
    "AWS_LAMBDA_FUNCTION_NAME",
    "FLY_APP_NAME",
];

/// What made the environment look like production.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProductionMarker {
    /// A stage variable (`ENVIRONMENT`, `APP_ENV`) says production.
    Stage {
        /// The variable's name.
        name: &'static str,
        /// Its value, trimmed (`production` or `prod` in some case).
        value: String,
    },
    /// A platform variable is set.
    Platform(&'static str),
}

impl fmt::Display for ProductionMarker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProductionMarker::Stage { name, value } => write!(f, "{name}={value}"),
            ProductionMarker::Platform(name) => write!(f, "{name} is set"),
        }
    }
}

/// The first production marker in the environment that `var` reads, if any.
///
/// ```
/// use jwsgate::dev::{ProductionMarker, detect_production};
/// let env = |name: &str| (name == "APP_ENV").then(|| "Prod".to_string());
/// assert_eq!(detect_production(env).map(|m| m.to_string()).as_deref(), Some("APP_ENV=Prod"));
/// assert_eq!(detect_production(|_| None), None);
/// ```
pub fn detect_production(var: impl Fn(&str) -> Option<String>) -> Option<ProductionMarker> {
    for name in STAGE_VARIABLES {
        if let Some(value) = var(name) {
            let value = value.trim();
            if value.eq_ignore_ascii_case("production") || value.eq_ignore_ascii_case("prod") {
                return Some(ProductionMarker::Stage {
                    name,
                    value: value.to_owned(),
                });
            }
        }
    }
    PLATFORM_VARIABLES
        .into_iter()
        .find(|name| var(name).is_some())
        .map(ProductionMarker::Platform)
}

/// Reads the process environment (a value that is not UTF-8 is taken lossily: only its
/// presence or its stage word matters). The reader [`detect_production`] uses outside
/// tests.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn every_marker_is_production() {
        for stage in STAGE_VARIABLES {
            for value in ["production", "PRODUCTION", "Prod", " prod\n"] {
                let pairs: &'static [(&str, &str)] =
                    Box::leak(vec![(stage, value)].into_boxed_slice());
                let found = detect_production(env(pairs));
                assert!(
                    matches!(&found, Some(ProductionMarker::Stage { name, .. }) if *name == stage),
                    "{stage}={value:?}: {found:?}"
                );
            }
        }
        for platform in PLATFORM_VARIABLES {
            let pairs: &'static [(&str, &str)] = Box::leak(vec![(platform, "")].into_boxed_slice());
            assert_eq!(
                detect_production(env(pairs)),
                Some(ProductionMarker::Platform(platform))
            );
        }
    }

    #[test]
    fn other_environments_are_not_production() {
        assert_eq!(detect_production(env(&[])), None);
        for value in ["staging", "dev", "production-like", "preprod", ""] {
            let pairs: &'static [(&str, &str)] =
                Box::leak(vec![("ENVIRONMENT", value), ("APP_ENV", value)].into_boxed_slice());
            assert_eq!(detect_production(env(pairs)), None, "{value}");
        }
    }

    #[test]
    fn markers_say_what_they_saw() {
        assert_eq!(
            detect_production(env(&[("ENVIRONMENT", "PROD")]))
                .unwrap()
                .to_string(),
            "ENVIRONMENT=PROD"
        );
        assert_eq!(
            detect_production(env(&[("FLY_APP_NAME", "x")]))
                .unwrap()
                .to_string(),
            "FLY_APP_NAME is set"
        );
    }
}

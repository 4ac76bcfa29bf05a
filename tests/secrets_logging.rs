//! The `secrets` sources log which source served and warn about shared files, through
//! `tracing`, and never log a value. A capturing subscriber records every event.
#![cfg(feature = "secrets")]

use jwsgate_fixtures::logs::Capture;

use jwsgate::secrets::{SecretChain, SecretSpec};

#[test]
fn the_serving_source_is_logged_and_shared_files_warn_but_no_value_is_logged() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("jwsgate-secrets-log-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let value = "k7#Qv9!pL2@xR5$wZ8^mN1&bT4*cY6(e-log";
    let shared = dir.join("shared");
    std::fs::write(&shared, format!("{value}\n")).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o644)).unwrap();
    let missing: SecretSpec = format!("file:{}", dir.join("missing").display())
        .parse()
        .unwrap();
    let spec: SecretSpec = format!("file:{}", shared.display()).parse().unwrap();
    let chain = SecretChain::new(vec![
        "env:JWSGATE_SURELY_UNSET_9e1f".parse().unwrap(),
        missing,
        spec.clone(),
    ])
    .unwrap();
    let capture = Capture::default();
    let resolved =
        tracing::subscriber::with_default(capture.clone(), || chain.resolve_local()).unwrap();
    assert_eq!(resolved.source(), &spec);
    assert_eq!(resolved.value().expose_secret(), value.as_bytes());
    let lines = capture.0.lock().unwrap().clone();
    let all = lines.join("\n");
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("secret source failed"))
            .count(),
        2,
        "{all}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("WARN jwsgate::secrets")
            && l.contains("readable by group or others")
            && l.contains("mode=644")),
        "{all}"
    );
    assert!(
        lines.iter().any(|l| l.contains("secret served")
            && l.contains(&format!("source={spec}"))
            && l.contains("failed_before=2")),
        "{all}"
    );
    assert!(!all.contains("k7#Qv9"), "a value reached the log: {all}");

    // A private file does not warn.
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o600)).unwrap();
    let capture = Capture::default();
    tracing::subscriber::with_default(capture.clone(), || {
        SecretChain::new(vec![spec.clone()])
            .unwrap()
            .resolve_local()
    })
    .unwrap();
    let lines = capture.0.lock().unwrap().clone();
    assert!(
        !lines.iter().any(|l| l.contains("readable by group")),
        "{lines:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

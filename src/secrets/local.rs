//! The local sources: environment variables and files. Each value is read into a
//! buffer that is wiped when dropped, and copied once into the [`SecretValue`] box.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use zeroize::Zeroizing;

use super::limits::MAX_SECRET_BYTES;
use super::{SecretError, SecretSpec, SecretValue};

/// `env:NAME`: the variable's bytes, as they are (not trimmed). The process environment
/// keeps its own copy, which jwsgate cannot wipe.
pub(super) fn read_env(spec: &SecretSpec, name: &str) -> Result<SecretValue, SecretError> {
    let value = std::env::var_os(name).ok_or_else(|| SecretError::EnvNotSet {
        spec: spec.to_string(),
    })?;
    let bytes = Zeroizing::new(value.into_encoded_bytes());
    checked(spec, &bytes)
}

/// `file:PATH`: a regular file of at most [`MAX_SECRET_BYTES`] (plus one newline), with
/// one trailing `\n` or `\r\n` trimmed. A file readable by group or others is served
/// with a warning: whoever shares the group (or the machine) can read the secret too.
pub(super) fn read_file(spec: &SecretSpec, path: &Path) -> Result<SecretValue, SecretError> {
    let io_error = |e: std::io::Error| SecretError::File {
        spec: spec.to_string(),
        reason: e.to_string(),
    };
    let mut file = File::open(path).map_err(io_error)?;
    // The metadata of the opened file, not of the path: what is checked is what is read.
    let meta = file.metadata().map_err(io_error)?;
    if !meta.is_file() {
        return Err(SecretError::File {
            spec: spec.to_string(),
            reason: "not a regular file".into(),
        });
    }
    warn_if_shared(spec, &meta);
    // A fixed buffer: reading never reallocates, so no unwiped copy is left behind.
    // Room for the limit, a trailing CR LF, and one byte to notice a longer file.
    let mut buf = Zeroizing::new(vec![0u8; MAX_SECRET_BYTES + 3]);
    let mut len = 0;
    loop {
        let Some(room) = buf.get_mut(len..) else {
            break;
        };
        if room.is_empty() {
            break;
        }
        match file.read(room) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_error(e)),
        }
    }
    let read = buf.get(..len).unwrap_or_default();
    checked(spec, trim_one_newline(read))
}

/// Without one trailing `\n` (or `\r\n`): what `echo secret > file` adds.
fn trim_one_newline(bytes: &[u8]) -> &[u8] {
    let Some(rest) = bytes.strip_suffix(b"\n") else {
        return bytes;
    };
    rest.strip_suffix(b"\r").unwrap_or(rest)
}

fn checked(spec: &SecretSpec, bytes: &[u8]) -> Result<SecretValue, SecretError> {
    if bytes.is_empty() {
        return Err(SecretError::Empty {
            spec: spec.to_string(),
        });
    }
    if bytes.len() > MAX_SECRET_BYTES {
        return Err(SecretError::TooLarge {
            spec: spec.to_string(),
            max: MAX_SECRET_BYTES,
        });
    }
    Ok(SecretValue::from_slice(bytes))
}

/// The permission bits that let group or others read a file.
#[cfg(unix)]
const GROUP_OTHER_READ: u32 = 0o044;

#[cfg(unix)]
fn warn_if_shared(spec: &SecretSpec, meta: &std::fs::Metadata) {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode();
    if mode & GROUP_OTHER_READ != 0 {
        tracing::warn!(
            target: "jwsgate::secrets",
            source = %spec,
            mode = format_args!("{:o}", mode & 0o777),
            "secret file is readable by group or others; chmod 600 (or 400) it"
        );
    }
}

#[cfg(not(unix))]
fn warn_if_shared(_: &SecretSpec, _: &std::fs::Metadata) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_trailing_newline_is_trimmed() {
        assert_eq!(trim_one_newline(b"abc\n"), b"abc");
        assert_eq!(trim_one_newline(b"abc\r\n"), b"abc");
        assert_eq!(trim_one_newline(b"abc\n\n"), b"abc\n");
        assert_eq!(trim_one_newline(b"abc\r"), b"abc\r");
        assert_eq!(trim_one_newline(b"abc "), b"abc ");
        assert_eq!(trim_one_newline(b"\n"), b"");
    }

    #[test]
    fn env_reads_a_set_variable_and_names_an_unset_one() {
        // PATH is set for every test process; its value is not a secret.
        let spec = SecretSpec::Env("PATH".into());
        let v = read_env(&spec, "PATH").unwrap();
        assert_eq!(
            v.expose_secret(),
            std::env::var_os("PATH").unwrap().as_encoded_bytes()
        );
        let name = "JWSGATE_TEST_SURELY_UNSET_7f3a";
        let spec = SecretSpec::Env(name.into());
        let err = read_env(&spec, name).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("env:{name}: the environment variable is not set")
        );
    }
}

//! SSH public keys as customers paste them (OpenSSH `authorized_keys` format).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Key types accepted.
const TYPES: &[&str] = &[
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
];

/// A validated public key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SshKey {
    /// Key type, e.g. `ssh-ed25519`.
    pub kind: String,
    /// Base64 blob.
    pub blob: String,
    /// Comment (often user@host), may be empty.
    pub comment: String,
}

/// Why a key was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SshKeyError {
    /// Not `type base64 [comment]`.
    #[error("Paste one public key in OpenSSH format: ssh-ed25519 AAAA… comment")]
    Format,
    /// Unknown type.
    #[error("Key type {0} is not supported; use ssh-ed25519, ecdsa or ssh-rsa")]
    Type(String),
    /// The blob is damaged.
    #[error("The key data is damaged (it does not decode to a {0} key)")]
    Blob(String),
    /// A private key was pasted.
    #[error("That is a private key. Paste the public key (the .pub file) and keep the private key secret")]
    Private,
    /// RSA under 2048 bits.
    #[error("RSA keys must have at least 2048 bits")]
    WeakRsa,
}

impl SshKeyError {
    /// Its message's arguments (see [`crate::error::Coded::args`]).
    pub fn args(&self) -> crate::error::Args {
        use crate::error::{Arg, reason};
        match self {
            SshKeyError::Format => reason("format"),
            SshKeyError::Type(t) => vec![("reason", "type".into()), ("type", Arg::from(t.as_str()))],
            SshKeyError::Blob(t) => vec![("reason", "blob".into()), ("type", Arg::from(t.as_str()))],
            SshKeyError::Private => reason("private"),
            SshKeyError::WeakRsa => reason("weak-rsa"),
        }
    }
}

fn read_string(b: &[u8]) -> Option<(&[u8], &[u8])> {
    let len = u32::from_be_bytes(b.get(..4)?.try_into().ok()?) as usize;
    let s = b.get(4..4 + len)?;
    Some((s, &b[4 + len..]))
}

impl SshKey {
    /// Parse and check one key line.
    pub fn parse(line: &str) -> Result<SshKey, SshKeyError> {
        let line = line.trim();
        if line.contains("PRIVATE KEY") {
            return Err(SshKeyError::Private);
        }
        let mut parts = line.splitn(3, char::is_whitespace);
        let kind = parts.next().filter(|s| !s.is_empty()).ok_or(SshKeyError::Format)?;
        let blob = parts.next().map(str::trim).filter(|s| !s.is_empty()).ok_or(SshKeyError::Format)?;
        let comment = parts.next().unwrap_or("").trim();
        if !TYPES.contains(&kind) {
            return Err(SshKeyError::Type(kind.chars().take(40).collect()));
        }
        let raw = STANDARD.decode(blob).map_err(|_| SshKeyError::Blob(kind.to_string()))?;
        let (inner, rest) = read_string(&raw).ok_or_else(|| SshKeyError::Blob(kind.to_string()))?;
        if inner != kind.as_bytes() {
            return Err(SshKeyError::Blob(kind.to_string()));
        }
        if kind == "ssh-rsa" {
            let (_e, rest) = read_string(rest).ok_or_else(|| SshKeyError::Blob(kind.to_string()))?;
            let (n, _) = read_string(rest).ok_or_else(|| SshKeyError::Blob(kind.to_string()))?;
            let n = n.strip_prefix(&[0]).unwrap_or(n);
            if n.len() * 8 < 2048 {
                return Err(SshKeyError::WeakRsa);
            }
        }
        if comment.chars().any(char::is_control) || comment.len() > 200 {
            return Err(SshKeyError::Format);
        }
        Ok(SshKey { kind: kind.into(), blob: blob.into(), comment: comment.into() })
    }

    /// The `authorized_keys` line.
    pub fn line(&self) -> String {
        if self.comment.is_empty() {
            format!("{} {}", self.kind, self.blob)
        } else {
            format!("{} {} {}", self.kind, self.blob, self.comment)
        }
    }

    /// `SHA256:…` fingerprint as `ssh-keygen -l` prints it.
    pub fn fingerprint(&self) -> String {
        let raw = STANDARD.decode(&self.blob).unwrap_or_default();
        let digest = Sha256::digest(&raw);
        format!("SHA256:{}", base64::engine::general_purpose::STANDARD_NO_PAD.encode(digest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop";

    fn blob(kind: &str, body: &[&[u8]]) -> String {
        let mut b = Vec::new();
        for part in std::iter::once(kind.as_bytes()).chain(body.iter().copied()) {
            b.extend_from_slice(&(part.len() as u32).to_be_bytes());
            b.extend_from_slice(part);
        }
        STANDARD.encode(b)
    }

    #[test]
    fn valid_keys() {
        let k = SshKey::parse(&format!("  {ED}\n")).unwrap();
        assert_eq!(k.kind, "ssh-ed25519");
        assert_eq!(k.comment, "alice@laptop");
        assert_eq!(k.line(), ED);
        assert!(k.fingerprint().starts_with("SHA256:"));
        let rsa = format!("ssh-rsa {}", blob("ssh-rsa", &[&[1, 0, 1], &[0xAB; 256]]));
        assert!(SshKey::parse(&rsa).is_ok());
    }

    #[test]
    fn refused_keys() {
        assert_eq!(SshKey::parse(""), Err(SshKeyError::Format));
        assert_eq!(SshKey::parse("ssh-ed25519"), Err(SshKeyError::Format));
        assert!(matches!(SshKey::parse("ssh-dss AAAA"), Err(SshKeyError::Type(_))));
        assert!(matches!(SshKey::parse("ssh-ed25519 !!!notbase64"), Err(SshKeyError::Blob(_))));
        let wrong_inner = format!("ssh-ed25519 {}", blob("ssh-rsa", &[]));
        assert!(matches!(SshKey::parse(&wrong_inner), Err(SshKeyError::Blob(_))));
        let weak = format!("ssh-rsa {}", blob("ssh-rsa", &[&[1, 0, 1], &[0xAB; 128]]));
        assert_eq!(SshKey::parse(&weak), Err(SshKeyError::WeakRsa));
        assert_eq!(SshKey::parse("-----BEGIN OPENSSH PRIVATE KEY-----"), Err(SshKeyError::Private));
    }
}

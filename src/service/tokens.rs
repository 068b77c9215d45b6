//! Secret tokens (sessions, CSRF, reset links): 256 random bits, shown as unpadded base64url,
//! stored only as their SHA-256.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// A fresh 256-bit secret.
pub fn random_bytes() -> [u8; 32] {
    let mut b = [0u8; 32];
    // getrandom only fails when the OS has no entropy source at all; a zero token would be
    // catastrophic, so refuse to continue in that impossible case by aborting the process.
    if getrandom::fill(&mut b).is_err() {
        tracing::error!("the operating system random source failed; aborting");
        std::process::abort();
    }
    b
}

/// Text form of a token.
pub fn encode(bytes: &[u8; 32]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Parse the text form; `None` for anything that is not exactly 32 bytes of base64url.
pub fn decode(text: &str) -> Option<[u8; 32]> {
    if text.len() != 43 {
        return None;
    }
    URL_SAFE_NO_PAD.decode(text).ok()?.try_into().ok()
}

/// The stored form of a token.
pub fn digest(bytes: &[u8; 32]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Constant-time equality for secrets of equal length.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A random password for generated accounts: 20 characters from an unambiguous alphabet.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    random_bytes().iter().take(20).map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_differ() {
        let a = random_bytes();
        let b = random_bytes();
        assert_ne!(a, b);
        let text = encode(&a);
        assert_eq!(text.len(), 43);
        assert_eq!(decode(&text), Some(a));
        assert_eq!(decode("short"), None);
        assert_eq!(decode(&"!".repeat(43)), None);
        assert_ne!(digest(&a), a);
        assert!(ct_eq(&a, &a) && !ct_eq(&a, &b) && !ct_eq(&a, &a[..31]));
        assert_eq!(random_password().len(), 20);
    }
}

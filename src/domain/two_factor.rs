//! Two-factor sign-in rules: time-based one-time codes (RFC 6238: 30-second steps, six digits,
//! HMAC-SHA-1, as every authenticator app expects) accepted one step either side of now and
//! never twice, single-use recovery codes, and who must use a second factor.

use serde::{Deserialize, Serialize};
use totp_rs::{Algorithm, Secret, TOTP};

use super::account::Role;

/// Length of a TOTP step, seconds.
pub const STEP_SECS: u64 = 30;
/// Digits of a code.
pub const DIGITS: usize = 6;
/// Bytes of a TOTP secret (160 bits, RFC 4226's recommendation).
pub const SECRET_BYTES: usize = 20;
/// Recovery codes made at a time.
pub const RECOVERY_CODES: usize = 10;
/// Bytes of a recovery code: 80 bits, written as 16 base32 letters in groups of four.
pub const RECOVERY_BYTES: usize = 10;

/// Who must sign in with a second factor (an admin setting).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Required {
    /// Nobody: each account chooses.
    #[default]
    Nobody,
    /// Admin accounts.
    Admins,
    /// Every account.
    Everyone,
}

impl Required {
    /// Every value, in the order the admin page offers them.
    pub const ALL: [Required; 3] = [Required::Nobody, Required::Admins, Required::Everyone];

    /// Whether an account of `role` must use a second factor.
    pub fn applies_to(self, role: Role) -> bool {
        match self {
            Required::Nobody => false,
            Required::Admins => role == Role::Admin,
            Required::Everyone => true,
        }
    }

    /// The form and CLI word.
    pub fn as_str(self) -> &'static str {
        match self {
            Required::Nobody => "nobody",
            Required::Admins => "admins",
            Required::Everyone => "everyone",
        }
    }

    /// Parse [`Required::as_str`].
    pub fn parse(s: &str) -> Option<Required> {
        Required::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

fn totp(secret: &[u8; SECRET_BYTES], issuer: &str, account: &str) -> Option<TOTP> {
    // The otpauth label may not hold ':' in either part; neither is needed to tell accounts apart.
    let issuer = issuer.replace(':', " ");
    let issuer = (!issuer.trim().is_empty()).then(|| issuer.trim().to_string());
    TOTP::new(Algorithm::SHA1, DIGITS, 1, STEP_SECS, secret.to_vec(), issuer, account.replace(':', " ")).ok()
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_url(secret: &[u8; SECRET_BYTES], issuer: &str, account: &str) -> String {
    totp(secret, issuer, account).map(|t| t.get_url()).unwrap_or_default()
}

/// The secret as base32, for typing into an app by hand, in groups of four.
pub fn secret_text(secret: &[u8; SECRET_BYTES]) -> String {
    grouped(&Secret::Raw(secret.to_vec()).to_encoded().to_string())
}

fn grouped(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// The step `unix_secs` falls in.
pub fn step_of(unix_secs: i64) -> u64 {
    u64::try_from(unix_secs).unwrap_or(0) / STEP_SECS
}

/// The code of `step` (for tests and for showing what an app should say).
pub fn code_at(secret: &[u8; SECRET_BYTES], step: u64) -> String {
    totp(secret, "", "").map(|t| t.generate(step * STEP_SECS)).unwrap_or_default()
}

/// Whether `input` has the shape of a TOTP code (six digits, blanks ignored).
pub fn is_code_shaped(input: &str) -> bool {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    digits.len() == DIGITS && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The step whose code `input` is, if it is the code of the step of `unix_secs` or of one step
/// either side, and that step is later than `last_step` (a code works once).
pub fn matching_step(
    secret: &[u8; SECRET_BYTES],
    input: &str,
    unix_secs: i64,
    last_step: u64,
) -> Option<u64> {
    if !is_code_shaped(input) {
        return None;
    }
    let input: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    let now = step_of(unix_secs);
    let t = totp(secret, "", "")?;
    [now.saturating_sub(1), now, now + 1]
        .into_iter()
        .filter(|s| *s > last_step)
        .find(|s| constant_time_eq::constant_time_eq(t.generate(s * STEP_SECS).as_bytes(), input.as_bytes()))
}

/// The text of a recovery code made from `bytes`: `abcd-efgh-ijkl-mnop`.
pub fn recovery_text(bytes: &[u8; RECOVERY_BYTES]) -> String {
    grouped(&Secret::Raw(bytes.to_vec()).to_encoded().to_string().to_lowercase()).replace(' ', "-")
}

/// A typed recovery code in the form it is hashed in: base32 letters only, lower case, so
/// blanks, dashes and case do not matter. `None` for anything that cannot be one.
pub fn normalized_recovery(input: &str) -> Option<String> {
    let s: String =
        input.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_lowercase()).collect();
    let ok = s.len() == RECOVERY_BYTES * 8 / 5
        && s.bytes().all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b));
    ok.then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 key, "12345678901234567890".
    const RFC_KEY: &[u8; 20] = b"12345678901234567890";

    #[test]
    fn codes_are_rfc_6238s() {
        // Appendix B gives eight digits; a six-digit code is its last six.
        for (time, eight) in [(59, "94287082"), (1_111_111_109, "07081804"), (2_000_000_000, "69279037")] {
            assert_eq!(code_at(RFC_KEY, step_of(time)), eight[2..], "at {time}");
        }
    }

    #[test]
    fn a_code_works_one_step_either_side_and_never_twice() {
        let now = 1_800_000_000;
        let step = step_of(now);
        let code = code_at(RFC_KEY, step);
        assert_eq!(matching_step(RFC_KEY, &code, now, 0), Some(step));
        assert_eq!(matching_step(RFC_KEY, &format!(" {} {} ", &code[..3], &code[3..]), now, 0), Some(step));
        assert_eq!(matching_step(RFC_KEY, &code, now, step), None, "replayed");
        assert_eq!(matching_step(RFC_KEY, &code, now + 30, 0), Some(step), "a step late");
        assert_eq!(matching_step(RFC_KEY, &code, now - 30, 0), Some(step), "a step early");
        assert_eq!(matching_step(RFC_KEY, &code, now + 60, 0), None, "two steps late");
        let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
        assert_eq!(matching_step(RFC_KEY, &wrong, now, 0), None);
        for bad in ["", "12345", "1234567", "abcdef"] {
            assert_eq!(matching_step(RFC_KEY, bad, now, 0), None, "{bad:?}");
        }
    }

    #[test]
    fn the_app_address_and_the_typed_secret_name_the_same_key() {
        let url = otpauth_url(RFC_KEY, "panel.example.com", "a@example.com");
        assert!(
            url.starts_with(
                "otpauth://totp/panel.example.com:a%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            ),
            "{url}"
        );
        assert!(url.contains("issuer=panel.example.com"), "{url}");
        assert!(otpauth_url(RFC_KEY, "127.0.0.1:8443", "a@example.com").contains("issuer=127.0.0.1%208443"));
        assert_eq!(secret_text(RFC_KEY), "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
    }

    #[test]
    fn recovery_codes_read_back_however_they_are_typed() {
        let text = recovery_text(&[0xff; RECOVERY_BYTES]);
        assert_eq!(text, "7777-7777-7777-7777");
        let text = recovery_text(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        let plain = text.replace('-', "");
        assert_eq!(normalized_recovery(&text).as_deref(), Some(plain.as_str()));
        assert_eq!(
            normalized_recovery(&format!(" {} ", text.to_uppercase().replace('-', " "))).as_deref(),
            Some(plain.as_str())
        );
        assert_eq!(normalized_recovery("123456"), None);
        assert_eq!(normalized_recovery(&format!("{plain}a")), None);
        assert_eq!(normalized_recovery(&plain.replace(|c: char| c.is_ascii_lowercase(), "1")), None);
    }

    #[test]
    fn who_must_use_a_second_factor() {
        assert!(!Required::Nobody.applies_to(Role::Admin));
        assert!(Required::Admins.applies_to(Role::Admin) && !Required::Admins.applies_to(Role::Customer));
        assert!(Required::Everyone.applies_to(Role::Customer));
        for r in Required::ALL {
            assert_eq!(Required::parse(r.as_str()), Some(r));
        }
        assert_eq!(Required::parse("some"), None);
    }
}

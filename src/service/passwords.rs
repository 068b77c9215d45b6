//! Password hashing with argon2id on a bounded pool of blocking threads, so a burst of logins
//! cannot exhaust memory or starve the async runtime. Parameters: 7 MiB, 5 passes, 1 lane — one
//! of the equivalent OWASP-recommended argon2id settings, chosen over 19 MiB × 2 passes for its
//! smaller memory footprint per concurrent hash. Existing hashes keep the parameters recorded in
//! their PHC string.

use std::sync::{Arc, LazyLock};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use tokio::sync::Semaphore;

/// Why hashing failed (never because of a wrong password).
#[derive(Debug, thiserror::Error)]
#[error("Password hashing failed: {0}")]
pub struct HashError(String);

/// A hash of a password nobody knows, verified against when an account does not exist, so the
/// response time does not tell whether an e-mail is registered.
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| hash_blocking("not a real password").ok());

fn hash_blocking(password: &str) -> Result<String, HashError> {
    let random = super::tokens::random_bytes();
    let salt = SaltString::encode_b64(&random[..16]).map_err(|e| HashError(e.to_string()))?;
    hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

fn hasher() -> Result<Argon2<'static>, HashError> {
    let params = argon2::Params::new(7 * 1024, 5, 1, None).map_err(|e| HashError(e.to_string()))?;
    Ok(Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params))
}

fn verify_blocking(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// The bounded hashing pool.
#[derive(Clone, Debug)]
pub struct PasswordPool {
    permits: Arc<Semaphore>,
}

impl PasswordPool {
    /// A pool running at most `concurrency` hashes at once (0: number of CPUs).
    pub fn new(concurrency: usize) -> Self {
        let n = if concurrency == 0 {
            std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)
        } else {
            concurrency
        };
        Self { permits: Arc::new(Semaphore::new(n)) }
    }

    async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<T, HashError> {
        let _permit = self.permits.acquire().await.map_err(|e| HashError(e.to_string()))?;
        tokio::task::spawn_blocking(f).await.map_err(|e| HashError(e.to_string()))
    }

    /// Hash a new password into a PHC string.
    pub async fn hash(&self, password: &str) -> Result<String, HashError> {
        let pw = password.to_owned();
        self.run(move || hash_blocking(&pw)).await?
    }

    /// Check a password against a stored PHC string; `None` checks against a dummy hash and is
    /// always false.
    pub async fn verify(&self, password: &str, phc: Option<&str>) -> Result<bool, HashError> {
        let pw = password.to_owned();
        let phc = phc.map(str::to_owned);
        self.run(move || match phc {
            Some(phc) => verify_blocking(&pw, &phc),
            None => {
                if let Some(dummy) = DUMMY_HASH.as_deref() {
                    verify_blocking(&pw, dummy);
                }
                false
            }
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_then_verify() {
        let pool = PasswordPool::new(1);
        let h = pool.hash("correct horse battery").await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"), "{h}");
        assert!(pool.verify("correct horse battery", Some(&h)).await.unwrap());
        assert!(!pool.verify("wrong", Some(&h)).await.unwrap());
        assert!(!pool.verify("x", Some("not a hash")).await.unwrap());
        assert!(!pool.verify("not a real password", None).await.unwrap());
    }
}

//! Password hashing for local accounts: argon2id with the crate's default (OWASP) parameters.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Hashes a password into a PHC string (algorithm, parameters and salt included).
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// A new random password for a person to change later: 20 URL-safe characters (120 bits).
pub fn generate() -> String {
    crate::secret::random_token()[..20].to_owned()
}

/// Whether `password` matches the stored PHC string; a malformed hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Why a password could not be checked.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("the password check did not finish: {0}")]
    Aborted(#[from] tokio::task::JoinError),
    #[error("no password can be checked any more: {0}")]
    Closed(#[from] tokio::sync::AcquireError),
}

/// Checks sign-in passwords off the request threads, a bounded number at a time. One check is
/// tens of milliseconds of CPU and 19 MiB: on a request thread it stalls every request behind
/// it, and unbounded, a burst of sign-ins takes all the memory.
#[derive(Debug, Clone)]
pub struct PasswordChecker {
    permits: Arc<Semaphore>,
    /// Checked against when the account does not exist, so that timing reveals nothing.
    dummy_hash: Arc<str>,
}

impl PasswordChecker {
    /// At most `concurrent` checks run at once; the others wait their turn.
    pub fn new(concurrent: usize) -> Result<Self, argon2::password_hash::Error> {
        Ok(Self {
            permits: Arc::new(Semaphore::new(concurrent.max(1))),
            dummy_hash: hash(&crate::secret::random_token())?.into(),
        })
    }

    /// Whether `password` matches `phc`; without one (no such account), `false` after as long a
    /// check as a real one.
    pub async fn check(&self, password: String, phc: Option<String>) -> Result<bool, CheckError> {
        let permit = self.permits.clone().acquire_owned().await?;
        let exists = phc.is_some();
        let phc = phc.unwrap_or_else(|| self.dummy_hash.to_string());
        // The permit goes with the check: a request given up on does not free it early.
        let matches = tokio::task::spawn_blocking(move || {
            let matches = verify(&password, &phc);
            drop(permit);
            matches
        })
        .await?;
        Ok(exists && matches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_password_verifies_and_wrong_one_does_not() {
        let phc = hash("correct horse battery staple").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify("correct horse battery staple", &phc));
        assert!(!verify("Correct horse battery staple", &phc));
        assert!(!verify("anything", "not a phc string"));
    }

    #[test]
    fn the_same_password_hashes_differently_each_time() {
        assert_ne!(hash("pw").unwrap(), hash("pw").unwrap());
    }

    /// 50 argon2 passes instead of 2: checking any password against it takes a while.
    const SLOW: &str = "$argon2id$v=19$m=19456,t=50,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    #[tokio::test]
    async fn no_more_checks_run_at_once_than_allowed_even_when_given_up_on() {
        let checker = PasswordChecker::new(1).unwrap();
        let first = tokio::spawn({
            let checker = checker.clone();
            async move { checker.check("guess".into(), Some(SLOW.into())).await }
        });
        while checker.permits.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        // Its request given up on, the check runs on, and keeps its permit while it does.
        first.abort();
        assert!(first.await.unwrap_err().is_cancelled());
        assert_eq!(checker.permits.available_permits(), 0);
        let second = checker.check("guess".into(), Some(SLOW.into()));
        let waited = tokio::time::timeout(std::time::Duration::ZERO, second).await;
        assert!(waited.is_err(), "the second check waits its turn");
    }

    #[tokio::test]
    async fn the_checker_matches_as_verify_does_and_never_without_an_account() {
        let checker = PasswordChecker::new(1).unwrap();
        let phc = hash("correct horse battery staple").unwrap();
        let check = |password: &str, phc: Option<&str>| {
            checker.check(password.to_owned(), phc.map(str::to_owned))
        };
        assert!(
            check("correct horse battery staple", Some(&phc))
                .await
                .unwrap()
        );
        assert!(
            !check("wrong horse battery staple", Some(&phc))
                .await
                .unwrap()
        );
        assert!(!check("anything", None).await.unwrap());
    }
}

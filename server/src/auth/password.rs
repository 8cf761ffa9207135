//! Passwords: argon2id hashing (PHC strings), the rules a new password must
//! pass, and the login throttle (backoff after repeated failures).
//!
//! Rules follow NIST SP 800-63B rather than composition rules ("one digit, one
//! symbol"), which push people towards `Password1!`: a long minimum, a
//! maximum, no trivially guessable shapes (one repeated character, a straight
//! run like `abcdefghijkl`, a handful of the most common passwords), and not
//! the user's own email or name.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{DateTime, TimeDelta, Utc};
use std::sync::OnceLock;

/// Shortest accepted password, in characters.
pub const MIN_LEN: usize = 12;
/// Longest accepted password, in characters: long passphrases are fine, but
/// a megabyte "password" is a request-body attack, not a secret.
pub const MAX_LEN: usize = 128;
/// Fewest distinct characters: rejects `aaaaaaaaaaaa` and `abababababab`.
pub const MIN_DISTINCT: usize = 5;

/// Why a new password is refused. Messages are written for the person
/// choosing the password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRuleError {
    #[error("use at least {MIN_LEN} characters")]
    TooShort,
    #[error("use at most {MAX_LEN} characters")]
    TooLong,
    #[error("use at least {MIN_DISTINCT} different characters")]
    TooFewDistinct,
    #[error("avoid straight runs like `abcdef` or `123456` as the whole password")]
    Sequence,
    #[error("this password is too common; choose another")]
    Common,
    #[error("do not use your email address or name in the password")]
    ContainsIdentity,
    #[error("the password must not contain control characters")]
    ControlCharacter,
}

impl PasswordRuleError {
    /// Stable error code for clients.
    pub const CODE: &'static str = "weak_password";
}

/// The most common long-enough passwords (lowercased, compared after
/// stripping digits and symbols at the ends). Not a breach corpus; the login
/// throttle is what stops online guessing.
const COMMON: &[&str] = &[
    "password",
    "passwordpassword",
    "qwertyuiop",
    "qwertyuiopasdfghjkl",
    "iloveyou",
    "letmein",
    "welcome",
    "administrator",
    "changeme",
    "trustno",
    "football",
    "baseball",
    "sunshine",
    "princess",
    "superman",
    "starwars",
    "monkey",
    "dragon",
    "master",
    "productiontool",
];

/// Checks a new password. `identity` is what the account is known by (email,
/// display name, studio name); none of its parts of 4+ characters may appear
/// in the password.
pub fn check_password_rules(password: &str, identity: &[&str]) -> Result<(), PasswordRuleError> {
    let chars: Vec<char> = password.chars().collect();
    if chars.iter().any(|c| c.is_control()) {
        return Err(PasswordRuleError::ControlCharacter);
    }
    if chars.len() < MIN_LEN {
        return Err(PasswordRuleError::TooShort);
    }
    if chars.len() > MAX_LEN {
        return Err(PasswordRuleError::TooLong);
    }
    let mut distinct = chars.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < MIN_DISTINCT {
        return Err(PasswordRuleError::TooFewDistinct);
    }
    if is_straight_run(&chars) {
        return Err(PasswordRuleError::Sequence);
    }
    let lower = password.to_lowercase();
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    if COMMON.contains(&core) || COMMON.iter().any(|c| c.len() >= MIN_LEN && lower.contains(c)) {
        return Err(PasswordRuleError::Common);
    }
    let identity_parts = identity
        .iter()
        .flat_map(|s| s.split(|c: char| !c.is_alphanumeric()))
        .map(str::to_lowercase)
        .filter(|part| part.chars().count() >= 4);
    for part in identity_parts {
        if lower.contains(&part) {
            return Err(PasswordRuleError::ContainsIdentity);
        }
    }
    Ok(())
}

/// The whole password is one straight run up or down (`abcdefghijkl`,
/// `9876543210/.-`): every step is +1, or every step is −1.
fn is_straight_run(chars: &[char]) -> bool {
    let steps: Vec<i64> = chars.windows(2).map(|w| w[1] as i64 - w[0] as i64).collect();
    steps.iter().all(|&d| d == 1) || steps.iter().all(|&d| d == -1)
}

/// A stored password hash could not be used (corrupt PHC string) or hashing
/// failed. Never shown to clients: it is an internal error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// Hashes and verifies passwords with argon2id. Verification uses the
/// parameters stored in each PHC string, so raising the cost later does not
/// break old hashes; [`PasswordHasher::needs_rehash`] says when to upgrade one
/// after a successful login.
#[derive(Clone, Debug)]
pub struct PasswordHasher {
    params: Params,
}

impl PasswordHasher {
    /// Memory cost of production hashing, KiB: 46 MiB, t = 1, p = 1 — one of
    /// OWASP's recommended argon2id settings (equivalent to 19 MiB × 2 passes)
    /// and a few tens of milliseconds on one core.
    pub const M_COST_KIB: u32 = 46 * 1024;
    pub const T_COST: u32 = 1;
    pub const P_COST: u32 = 1;

    /// The production parameters.
    pub fn new() -> Self {
        Self::with_params(Self::M_COST_KIB, Self::T_COST, Self::P_COST)
    }

    /// Custom cost, e.g. [`PasswordHasher::for_tests`]. Panics on parameters
    /// argon2 rejects (a programming error, not input).
    pub fn with_params(m_cost_kib: u32, t_cost: u32, p_cost: u32) -> Self {
        let params = Params::new(m_cost_kib, t_cost, p_cost, None).expect("valid argon2 parameters");
        Self { params }
    }

    /// Cheap parameters (64 KiB, one pass) for tests: still argon2id, still
    /// verifiable by a production hasher.
    pub fn for_tests() -> Self {
        Self::with_params(64, 1, 1)
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// A PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`) with a fresh
    /// random salt. CPU- and memory-heavy: call it from `spawn_blocking`.
    pub fn hash(&self, password: &str) -> Result<String, HashError> {
        self.argon2().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| HashError(e.to_string()))
    }

    /// Whether `password` matches the stored PHC string. A wrong password is
    /// `Ok(false)`; only a corrupt hash is an error.
    pub fn verify(&self, password: &str, phc: &str) -> Result<bool, HashError> {
        let parsed = PasswordHash::new(phc).map_err(|e| HashError(e.to_string()))?;
        if parsed.algorithm.as_str() != Algorithm::Argon2id.as_str() {
            return Err(HashError(format!("unexpected algorithm {}", parsed.algorithm)));
        }
        match self.argon2().verify_password(password.as_bytes(), &parsed) {
            Ok(()) => Ok(true),
            Err(argon2::password_hash::Error::PasswordInvalid) => Ok(false),
            Err(e) => Err(HashError(e.to_string())),
        }
    }

    /// Spends the same work as [`verify`](Self::verify) against a fixed hash,
    /// for logins naming an unknown account, so response time does not tell
    /// which emails have accounts. Always `false`.
    pub fn verify_dummy(&self, password: &str) -> bool {
        static DUMMY: OnceLock<(Params, String)> = OnceLock::new();
        let (params, phc) = DUMMY
            .get_or_init(|| (self.params.clone(), self.hash("dummy password, never matches").expect("hashing works")));
        // If the parameters changed since the dummy was made, hash afresh.
        let phc = if *params == self.params { phc.clone() } else { self.hash("dummy").unwrap_or_default() };
        let _ = self.verify(password, &phc);
        false
    }

    /// Whether a stored hash is weaker than (or different from) the current
    /// parameters; after a successful login, rehash and store the new string.
    pub fn needs_rehash(&self, phc: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(phc) else { return true };
        if parsed.algorithm.as_str() != Algorithm::Argon2id.as_str() {
            return true;
        }
        match Params::try_from(&parsed) {
            Ok(p) => {
                p.m_cost() < self.params.m_cost()
                    || p.t_cost() < self.params.t_cost()
                    || p.p_cost() != self.params.p_cost()
            }
            Err(_) => true,
        }
    }
}

impl Default for PasswordHasher {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether a login attempt may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleDecision {
    Allow,
    /// Refuse with `429` and `Retry-After`; the attempt is not checked (so a
    /// correct guess during the wait tells the attacker nothing).
    Wait {
        until: DateTime<Utc>,
    },
}

impl ThrottleDecision {
    /// Seconds for the `Retry-After` header, rounded up; `None` when allowed.
    pub fn retry_after_secs(&self, now: DateTime<Utc>) -> Option<u64> {
        match *self {
            ThrottleDecision::Allow => None,
            ThrottleDecision::Wait { until } => {
                let ms = (until - now).num_milliseconds().max(0) as u64;
                Some(ms.div_ceil(1000).max(1))
            }
        }
    }
}

/// Exponential backoff after repeated login failures, for one key (an account
/// or an IP address). Pure: the caller passes the recent failure times it
/// stored and the current time.
///
/// The first `free_failures` failures within `window` cost nothing; after
/// the n-th failure beyond that, the next attempt waits
/// `base_delay × 2^(n−1)` from the latest failure, capped at `max_delay`.
/// A success clears the stored failures. This is backoff, not a permanent
/// lock: an attacker can slow a victim's logins but not lock them out for
/// longer than `max_delay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    pub free_failures: usize,
    pub base_delay: TimeDelta,
    pub max_delay: TimeDelta,
    /// Failures older than this are forgotten.
    pub window: TimeDelta,
}

impl LoginThrottle {
    /// Per account: 5 free failures, then 30 s, 1 min, 2 min … up to 15 min.
    pub const fn per_account() -> Self {
        Self {
            free_failures: 5,
            base_delay: TimeDelta::seconds(30),
            max_delay: TimeDelta::minutes(15),
            window: TimeDelta::hours(1),
        }
    }

    /// Per IP: looser (offices share an address), 20 free failures, then 10 s
    /// doubling up to 15 min.
    pub const fn per_ip() -> Self {
        Self {
            free_failures: 20,
            base_delay: TimeDelta::seconds(10),
            max_delay: TimeDelta::minutes(15),
            window: TimeDelta::hours(1),
        }
    }

    /// May an attempt happen at `now`, given the failures recorded for this key?
    pub fn check(&self, failures: &[DateTime<Utc>], now: DateTime<Utc>) -> ThrottleDecision {
        let recent = failures.iter().filter(|&&t| t <= now && now - t < self.window);
        let (count, latest) = recent.fold((0usize, None), |(n, latest): (usize, Option<DateTime<Utc>>), &t| {
            (n + 1, Some(latest.map_or(t, |l| l.max(t))))
        });
        let Some(latest) = latest else { return ThrottleDecision::Allow };
        let Some(delay) = self.delay_after(count) else { return ThrottleDecision::Allow };
        let until = latest + delay;
        if now < until { ThrottleDecision::Wait { until } } else { ThrottleDecision::Allow }
    }

    /// The wait imposed after `failures` recent failures (`None` while free).
    pub fn delay_after(&self, failures: usize) -> Option<TimeDelta> {
        let over = failures.checked_sub(self.free_failures).filter(|&n| n > 0)?;
        // 2^(over-1), saturating well before overflow; the cap applies anyway.
        let factor = 1i32 << (over - 1).min(20);
        Some(self.base_delay.checked_mul(factor).map_or(self.max_delay, |d| d.min(self.max_delay)))
    }

    /// The failures worth keeping at `now` (the store may delete the rest).
    pub fn prune(&self, failures: &mut Vec<DateTime<Utc>>, now: DateTime<Utc>) {
        failures.retain(|&t| now - t < self.window);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn rules_accept_reasonable_passwords() {
        for ok in ["correct horse battery staple", "Tr0ub4dor&3-xyzzy", "мой пароль очень длинный", "zq8!vLm2#pWx"]
        {
            assert_eq!(check_password_rules(ok, &["ana@studio.test", "Ana Pérez"]), Ok(()), "{ok}");
        }
    }

    #[test]
    fn rules_refuse_weak_passwords_with_a_reason() {
        use PasswordRuleError::*;
        let cases = [
            ("short1!", TooShort),
            ("aaaaaaaaaaaaaaaa", TooFewDistinct),
            ("abababababababab", TooFewDistinct),
            ("abcdefghijklmnop", Sequence),
            ("987654321", TooShort),
            ("9876543210/.-", Sequence),
            ("Password123456", Common),
            ("!!qwertyuiop!!", Common),
            ("mypasswordpassword", Common),
            ("ana.perez-2024!", ContainsIdentity),
            ("the studio nightjar rocks", ContainsIdentity),
            ("tab\there is bad!!", ControlCharacter),
        ];
        for (pw, want) in cases {
            assert_eq!(check_password_rules(pw, &["ana.perez@example.com", "Nightjar Studio"]), Err(want), "{pw}");
        }
        assert_eq!(check_password_rules(&"x1".repeat(65), &[]), Err(TooLong));
        assert_eq!(check_password_rules(&("x1yz!".repeat(25) + "abc"), &[]), Ok(()), "exactly MAX_LEN");
        // Length counts characters, not bytes.
        assert_eq!(check_password_rules("ééééééébcdf", &[]), Err(TooShort));
        assert_eq!(PasswordRuleError::TooShort.to_string(), "use at least 12 characters");
    }

    #[test]
    fn hash_and_verify() {
        let h = PasswordHasher::for_tests();
        let phc = h.hash("correct horse battery staple").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{phc}");
        assert_eq!(h.verify("correct horse battery staple", &phc), Ok(true));
        assert_eq!(h.verify("correct horse battery stapl", &phc), Ok(false));
        // Salted: the same password hashes differently.
        assert_ne!(phc, h.hash("correct horse battery staple").unwrap());
        // A hasher with other parameters still verifies (parameters come from the string).
        assert_eq!(PasswordHasher::with_params(128, 2, 1).verify("correct horse battery staple", &phc), Ok(true));
        assert!(h.verify("x", "not a phc string").is_err());
        assert!(!h.verify_dummy("anything"));
    }

    #[test]
    fn production_parameters_are_strong() {
        let p = PasswordHasher::new();
        assert!(p.params.m_cost() >= 19 * 1024 && p.params.t_cost() >= 1);
        let weak = PasswordHasher::for_tests().hash("correct horse battery staple").unwrap();
        assert!(p.needs_rehash(&weak));
        assert!(!PasswordHasher::for_tests().needs_rehash(&weak));
        assert!(p.needs_rehash("$argon2i$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"));
        assert!(p.needs_rehash("garbage"));
    }

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn throttle_is_free_for_the_first_failures() {
        let th = LoginThrottle::per_account();
        let failures: Vec<_> = (0..5).map(t).collect();
        assert_eq!(th.check(&[], t(0)), ThrottleDecision::Allow);
        assert_eq!(th.check(&failures, t(5)), ThrottleDecision::Allow);
    }

    #[test]
    fn throttle_backs_off_exponentially_and_caps() {
        let th = LoginThrottle::per_account();
        let mut failures: Vec<_> = (0..6).map(t).collect(); // 6th failure at t=5
        assert_eq!(th.check(&failures, t(6)), ThrottleDecision::Wait { until: t(35) });
        assert_eq!(th.check(&failures, t(6)).retry_after_secs(t(6)), Some(29));
        assert_eq!(th.check(&failures, t(35)), ThrottleDecision::Allow);
        failures.push(t(40)); // 7th: 60 s
        assert_eq!(th.check(&failures, t(41)), ThrottleDecision::Wait { until: t(100) });
        failures.push(t(100)); // 8th: 120 s
        assert_eq!(th.check(&failures, t(101)), ThrottleDecision::Wait { until: t(220) });
        assert_eq!(th.delay_after(9), Some(TimeDelta::seconds(240)));
        assert_eq!(th.delay_after(10), Some(TimeDelta::seconds(480)));
        assert_eq!(th.delay_after(11), Some(TimeDelta::minutes(15)), "capped");
        assert_eq!(th.delay_after(10_000), Some(TimeDelta::minutes(15)), "no overflow");
        assert_eq!(th.delay_after(5), None);
    }

    #[test]
    fn throttle_forgets_old_failures_and_ignores_order() {
        let th = LoginThrottle::per_account();
        // Six failures, unsorted; an hour later only two are inside the window: free again.
        let failures = vec![t(3), t(0), t(5), t(1), t(4), t(2)];
        assert_eq!(th.check(&failures, t(3600 + 3)), ThrottleDecision::Allow);
        // The same six within the window: the wait runs from the latest one.
        assert_eq!(th.check(&failures, t(10)), ThrottleDecision::Wait { until: t(35) });
        let mut kept = failures.clone();
        th.prune(&mut kept, t(3600 + 3));
        assert_eq!(kept, vec![t(5), t(4)]);
    }

    #[test]
    fn per_ip_is_looser() {
        let th = LoginThrottle::per_ip();
        let failures: Vec<_> = (0..20).map(t).collect();
        assert_eq!(th.check(&failures, t(20)), ThrottleDecision::Allow);
        let failures: Vec<_> = (0..21).map(t).collect();
        assert_eq!(th.check(&failures, t(21)), ThrottleDecision::Wait { until: t(30) });
    }
}

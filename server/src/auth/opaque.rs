//! Opaque secrets (refresh tokens, API tokens): 32 random bytes, base64url,
//! stored only as their SHA-256.
//!
//! A plain SHA-256 (no salt, no argon2) is right here and wrong for
//! passwords: these secrets carry 256 bits of randomness, so nothing can be
//! guessed from the hash, and an unsalted hash is what lets the store find
//! the row by `WHERE hash = $1`.

use sha2::{Digest, Sha256};
use std::fmt;

use super::{b64url, b64url_decode, random_bytes};

/// Random bytes in every opaque secret.
pub const SECRET_BYTES: usize = 32;
/// Characters of base64url (no padding) for [`SECRET_BYTES`].
pub const SECRET_CHARS: usize = 43;

/// SHA-256 of a secret: what the database stores and indexes.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash(pub [u8; 32]);

impl TokenHash {
    /// The hash of a secret as the client presents it (its text form).
    pub fn of(secret: &str) -> Self {
        Self(Sha256::digest(secret.as_bytes()).into())
    }

    /// From a stored `bytea`; `None` unless exactly 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(Self)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Compares without an early exit, so timing does not reveal how many
    /// leading bytes matched.
    pub fn ct_eq(&self, other: &TokenHash) -> bool {
        self.0.iter().zip(other.0.iter()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

impl fmt::Display for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenHash({self})")
    }
}

/// A presented string is not in the shape of the expected secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("malformed token")]
pub struct MalformedToken;

/// A fresh secret: base64url of [`SECRET_BYTES`] random bytes.
pub(crate) fn generate_secret() -> String {
    b64url(&random_bytes::<SECRET_BYTES>())
}

/// Whether `s` is exactly a base64url encoding of [`SECRET_BYTES`] bytes.
pub(crate) fn is_secret(s: &str) -> bool {
    s.len() == SECRET_CHARS
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && b64url_decode(s).is_some_and(|bytes| bytes.len() == SECRET_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_43_base64url_chars_and_unique() {
        let a = generate_secret();
        let b = generate_secret();
        assert_eq!(a.len(), SECRET_CHARS);
        assert!(is_secret(&a) && is_secret(&b));
        assert_ne!(a, b);
        assert!(!is_secret(&a[1..]));
        assert!(!is_secret(&format!("{}=", &a[1..])));
        assert!(!is_secret(&format!("+{}", &a[1..])));
    }

    #[test]
    fn hash_is_sha256_hex() {
        // SHA-256("abc"), FIPS 180-2 test vector.
        assert_eq!(
            TokenHash::of("abc").to_string(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let h = TokenHash::of("abc");
        assert!(h.ct_eq(&TokenHash::from_slice(h.as_bytes()).unwrap()));
        assert!(!h.ct_eq(&TokenHash::of("abd")));
        assert_eq!(TokenHash::from_slice(&[0; 31]), None);
    }
}

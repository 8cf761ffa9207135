//! Webhook signatures. Each call carries
//!
//! ```text
//! X-PT-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
//! ```
//!
//! A receiver recomputes the HMAC over the timestamp, a dot and the raw body
//! with the subscription's secret, compares in constant time, and refuses a
//! timestamp more than [`REPLAY_WINDOW_SECS`] from its clock (a replayed call).
//! [`verify`] is that check, for our own tests and as a reference.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// How far a signature's timestamp may be from the receiver's clock.
pub const REPLAY_WINDOW_SECS: i64 = 300;

/// The header value for `body` sent at `unix` seconds.
pub fn sign(secret: &str, unix: i64, body: &[u8]) -> String {
    format!("t={unix},v1={}", hex(&mac(secret, unix, body)))
}

fn mac(secret: &str, unix: i64, body: &[u8]) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    m.update(unix.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `header` signs `body` with `secret`, within the replay window of `now` (unix seconds).
pub fn verify(secret: &str, header: &str, body: &[u8], now: i64) -> bool {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => v1 = Some(v),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else { return false };
    if (now - t).abs() > REPLAY_WINDOW_SECS || v1.len() % 2 != 0 {
        return false;
    }
    let Some(given) =
        (0..v1.len()).step_by(2).map(|i| u8::from_str_radix(&v1[i..i + 2], 16).ok()).collect::<Option<Vec<u8>>>()
    else {
        return false;
    };
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    m.update(t.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m.verify_slice(&given).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_with_its_secret_body_and_time() {
        let h = sign("whsec_test", 1_800_000_000, b"{\"a\":1}");
        assert!(h.starts_with("t=1800000000,v1=") && h.len() == "t=1800000000,v1=".len() + 64, "{h}");
        assert!(verify("whsec_test", &h, b"{\"a\":1}", 1_800_000_100));
        assert!(!verify("whsec_other", &h, b"{\"a\":1}", 1_800_000_100));
        assert!(!verify("whsec_test", &h, b"{\"a\":2}", 1_800_000_100));
        assert!(!verify("whsec_test", &h, b"{\"a\":1}", 1_800_000_301), "outside the replay window");
        // RFC 4231 test case 2 (key "Jefe"), as a check of the HMAC itself.
        let mut m = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        m.update(b"what do ya want for nothing?");
        assert_eq!(hex(&m.finalize().into_bytes()), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}

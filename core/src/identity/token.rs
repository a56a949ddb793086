//! JWT access and refresh tokens (docs/contract.md §4, as the prototype's simplejwt issued them).
//!
//! Every token carries `exp`, `iat`, `nbf`, `iss`, `aud`, `jti` and a `token_type`;
//! [`TokenKeys::verify`] checks all of them and the expected type, so a refresh token is
//! never accepted as an access token. Only the configured algorithm is accepted
//! (`alg: none` and algorithm confusion are refused by construction).

use crate::config::Config;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use std::time::Duration;

/// Which kind of token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenType {
    /// Authorises API calls; short-lived.
    Access,
    /// Only buys new access tokens; revocable.
    Refresh,
}

/// The claims of a Ward token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user id, as text.
    pub sub: String,
    /// The user id (simplejwt's name for it).
    pub user_id: i64,
    /// The username.
    pub username: String,
    /// Expiry (seconds since the epoch).
    pub exp: i64,
    /// Issued at.
    pub iat: i64,
    /// Not before.
    pub nbf: i64,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Unique token id.
    pub jti: String,
    /// Access or refresh.
    pub token_type: TokenType,
    /// The sign-in session the token belongs to (its refresh-token family), which the
    /// CSRF token is bound to; absent on tokens minted outside a session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

/// Why a token was refused. The message is safe to show.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Past `exp`.
    #[error("the token has expired")]
    Expired,
    /// Before `nbf`.
    #[error("the token is not valid yet")]
    NotYetValid,
    /// A refresh token where an access token is needed, or the reverse.
    #[error("wrong token type")]
    WrongType,
    /// Anything else: bad signature, algorithm, issuer, audience, format.
    #[error("the token is invalid")]
    Invalid,
}

/// Signing and verification keys and the token rules.
pub struct TokenKeys {
    csrf_key: [u8; 32],
    algorithm: Algorithm,
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
    audience: String,
    access_ttl: Duration,
    refresh_ttl: Duration,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeys")
            .field("algorithm", &self.algorithm)
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

/// Seconds of clock skew tolerated on `exp` and `nbf`.
const LEEWAY_SECS: u64 = 5;

impl TokenKeys {
    /// Keys from the configuration: EdDSA, RSA or EC PEM files when configured, else HS256
    /// with `JWT_SECRET`.
    pub fn from_config(c: &Config) -> anyhow::Result<TokenKeys> {
        let mut csrf_key = sha2::Sha256::new();
        csrf_key.update(b"ward-csrf-key\0");
        let (algorithm, encoding, decoding) = match &c.jwt_key_files {
            Some((private, public)) => {
                let sk = std::fs::read(private)
                    .map_err(|e| anyhow::anyhow!("cannot read JWT_PRIVATE_KEY_FILE: {e}"))?;
                csrf_key.update(&sk);
                let pk = std::fs::read(public)
                    .map_err(|e| anyhow::anyhow!("cannot read JWT_PUBLIC_KEY_FILE: {e}"))?;
                if let (Ok(e), Ok(d)) =
                    (EncodingKey::from_ed_pem(&sk), DecodingKey::from_ed_pem(&pk))
                {
                    (Algorithm::EdDSA, e, d)
                } else if let (Ok(e), Ok(d)) = (
                    EncodingKey::from_rsa_pem(&sk),
                    DecodingKey::from_rsa_pem(&pk),
                ) {
                    (Algorithm::RS256, e, d)
                } else if let (Ok(e), Ok(d)) =
                    (EncodingKey::from_ec_pem(&sk), DecodingKey::from_ec_pem(&pk))
                {
                    (Algorithm::ES256, e, d)
                } else {
                    anyhow::bail!(
                        "the JWT key files are not a matching Ed25519, RSA or P-256 PEM pair"
                    );
                }
            }
            None => (
                {
                    csrf_key.update(c.jwt_secret.as_bytes());
                    Algorithm::HS256
                },
                EncodingKey::from_secret(c.jwt_secret.as_bytes()),
                DecodingKey::from_secret(c.jwt_secret.as_bytes()),
            ),
        };
        Ok(TokenKeys {
            csrf_key: csrf_key.finalize().into(),
            algorithm,
            encoding,
            decoding,
            issuer: c.jwt_issuer.clone(),
            audience: c.jwt_audience.clone(),
            access_ttl: c.access_token_ttl,
            refresh_ttl: c.refresh_token_ttl,
        })
    }

    /// How long an access token lives.
    pub fn access_ttl(&self) -> Duration {
        self.access_ttl
    }

    /// The CSRF token of a sign-in session: HMAC-SHA256 of its id under a key derived
    /// from the JWT signing key, so it is valid for that session only and every replica
    /// computes the same.
    pub fn csrf_token(&self, sid: &str) -> String {
        let mut inner_pad = [0x36u8; 64];
        let mut outer_pad = [0x5cu8; 64];
        for (i, k) in self.csrf_key.iter().enumerate() {
            inner_pad[i] ^= k;
            outer_pad[i] ^= k;
        }
        let inner = sha2::Sha256::new()
            .chain_update(inner_pad)
            .chain_update(sid.as_bytes())
            .finalize();
        let mac = sha2::Sha256::new()
            .chain_update(outer_pad)
            .chain_update(inner)
            .finalize();
        hex::encode(mac)
    }

    /// Issues a token of `kind` for a user, valid from `now` (seconds since the epoch),
    /// outside any sign-in session.
    pub fn issue(
        &self,
        user_id: i64,
        username: &str,
        kind: TokenType,
        now: i64,
    ) -> (String, Claims) {
        self.issue_in(user_id, username, kind, now, None)
    }

    /// Issues a token of `kind` that belongs to the sign-in session `sid`.
    pub fn issue_in(
        &self,
        user_id: i64,
        username: &str,
        kind: TokenType,
        now: i64,
        sid: Option<&str>,
    ) -> (String, Claims) {
        let ttl = match kind {
            TokenType::Access => self.access_ttl,
            TokenType::Refresh => self.refresh_ttl,
        };
        let claims = Claims {
            sub: user_id.to_string(),
            user_id,
            username: username.to_string(),
            exp: now + ttl.as_secs() as i64,
            iat: now,
            nbf: now,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            jti: uuid::Uuid::new_v4().simple().to_string(),
            token_type: kind,
            sid: sid.map(str::to_string),
        };
        let token = encode(&Header::new(self.algorithm), &claims, &self.encoding)
            .expect("claims always serialise");
        (token, claims)
    }

    /// Verifies signature, algorithm, `exp`, `nbf`, `iss`, `aud` and the token type.
    pub fn verify(&self, token: &str, expected: TokenType) -> Result<Claims, TokenError> {
        let mut v = Validation::new(self.algorithm);
        v.leeway = LEEWAY_SECS;
        v.validate_nbf = true;
        v.set_issuer(&[&self.issuer]);
        v.set_audience(&[&self.audience]);
        v.set_required_spec_claims(&["exp", "iat", "nbf", "iss", "aud", "sub", "jti"]);
        let data = decode::<Claims>(token, &self.decoding, &v).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind as K;
            match e.kind() {
                K::ExpiredSignature => TokenError::Expired,
                K::ImmatureSignature => TokenError::NotYetValid,
                _ => TokenError::Invalid,
            }
        })?;
        if data.claims.token_type != expected {
            return Err(TokenError::WrongType);
        }
        Ok(data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    fn keys(secret: &str, issuer: &str, audience: &str) -> TokenKeys {
        let c = Config::from_lookup(|k| match k {
            "JWT_SECRET" => Some(secret.to_string()),
            "JWT_ISSUER" => Some(issuer.to_string()),
            "JWT_AUDIENCE" => Some(audience.to_string()),
            _ => None,
        })
        .unwrap();
        TokenKeys::from_config(&c).unwrap()
    }

    fn now() -> i64 {
        chrono::Utc::now().timestamp()
    }

    #[test]
    fn a_fresh_access_token_verifies() {
        let k = keys("s3cret", "ward", "ward-api");
        let (t, c) = k.issue(7, "doctor", TokenType::Access, now());
        let got = k.verify(&t, TokenType::Access).unwrap();
        assert_eq!(got, c);
        assert_eq!(got.user_id, 7);
        assert!(!got.jti.is_empty() && got.nbf == got.iat && got.exp > got.iat);
    }

    #[test]
    fn an_expired_token_is_rejected() {
        let k = keys("s3cret", "ward", "ward-api");
        let (t, _) = k.issue(7, "doctor", TokenType::Access, now() - 24 * 3600);
        assert_eq!(k.verify(&t, TokenType::Access), Err(TokenError::Expired));
    }

    #[test]
    fn a_token_not_yet_valid_is_rejected() {
        let k = keys("s3cret", "ward", "ward-api");
        let (t, _) = k.issue(7, "doctor", TokenType::Access, now() + 3600);
        assert_eq!(
            k.verify(&t, TokenType::Access),
            Err(TokenError::NotYetValid)
        );
    }

    #[test]
    fn a_token_with_a_wrong_signature_is_rejected() {
        let (t, _) = keys("s3cret", "ward", "ward-api").issue(7, "d", TokenType::Access, now());
        let other = keys("another", "ward", "ward-api");
        assert_eq!(
            other.verify(&t, TokenType::Access),
            Err(TokenError::Invalid)
        );
        let mut tampered = t.clone();
        tampered.pop();
        tampered.push(if t.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(
            keys("s3cret", "ward", "ward-api").verify(&tampered, TokenType::Access),
            Err(TokenError::Invalid)
        );
    }

    #[test]
    fn an_alg_none_token_is_rejected() {
        let k = keys("s3cret", "ward", "ward-api");
        let (t, _) = k.issue(7, "doctor", TokenType::Access, now());
        let payload = t.split('.').nth(1).unwrap();
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        for forged in [
            format!("{header}.{payload}."),
            format!("{header}.{payload}"),
        ] {
            assert_eq!(
                k.verify(&forged, TokenType::Access),
                Err(TokenError::Invalid)
            );
        }
    }

    #[test]
    fn a_wrong_audience_or_issuer_is_rejected() {
        let k = keys("s3cret", "ward", "ward-api");
        let (t1, _) = keys("s3cret", "ward", "other-api").issue(7, "d", TokenType::Access, now());
        let (t2, _) = keys("s3cret", "evil", "ward-api").issue(7, "d", TokenType::Access, now());
        assert_eq!(k.verify(&t1, TokenType::Access), Err(TokenError::Invalid));
        assert_eq!(k.verify(&t2, TokenType::Access), Err(TokenError::Invalid));
    }

    #[test]
    fn the_csrf_token_is_bound_to_its_session_and_key() {
        let k = keys("s3cret", "ward", "ward-api");
        let a = k.csrf_token("session-a");
        assert_eq!(a, k.csrf_token("session-a"));
        assert_ne!(a, k.csrf_token("session-b"));
        assert_ne!(a, keys("other", "ward", "ward-api").csrf_token("session-a"));
        assert_eq!(a.len(), 64);
        let (t, _) = k.issue_in(7, "d", TokenType::Access, now(), Some("session-a"));
        assert_eq!(
            k.verify(&t, TokenType::Access).unwrap().sid.as_deref(),
            Some("session-a")
        );
    }

    #[test]
    fn a_refresh_token_is_not_an_access_token() {
        let k = keys("s3cret", "ward", "ward-api");
        let (r, _) = k.issue(7, "doctor", TokenType::Refresh, now());
        assert_eq!(k.verify(&r, TokenType::Access), Err(TokenError::WrongType));
        assert!(k.verify(&r, TokenType::Refresh).is_ok());
        let (a, _) = k.issue(7, "doctor", TokenType::Access, now());
        assert_eq!(k.verify(&a, TokenType::Refresh), Err(TokenError::WrongType));
    }
}

//! The bearer token: `KQLHUNT_TOKEN`, else the Azure CLI. The token is held
//! in a type whose `Debug` hides it, and is never printed, logged, put in an
//! error message or written anywhere.

use std::process::Command;

use super::error::RemoteError;

/// A bearer token.
#[derive(Clone)]
pub struct Token(String);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(hidden)")
    }
}

impl Token {
    /// A token given by the caller (a library user with its own credential flow).
    pub fn new(secret: String) -> Token {
        Token(secret)
    }

    /// The `Authorization` header value.
    pub(super) fn header(&self) -> String {
        format!("Bearer {}", self.0)
    }
}

/// The token for `resource`: `KQLHUNT_TOKEN` when set and not empty, else
/// `az account get-access-token --resource RESOURCE` when `az` runs.
pub fn token(resource: &str) -> Result<Token, RemoteError> {
    if let Some(t) = std::env::var_os("KQLHUNT_TOKEN").and_then(|v| v.into_string().ok()) {
        let t = t.trim();
        if !t.is_empty() {
            return Ok(Token(t.to_string()));
        }
    }
    let out = Command::new("az")
        .args(["account", "get-access-token", "--resource", resource, "--query", "accessToken", "--output", "tsv"])
        .stdin(std::process::Stdio::null())
        .output();
    let no_token = |why: String| RemoteError::NoToken { resource: resource.to_string(), why };
    match out {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(no_token("KQLHUNT_TOKEN is not set and the Azure CLI (az) is not on PATH".into()))
        }
        Err(e) => Err(no_token(format!("az could not be run: {e}"))),
        Ok(out) if !out.status.success() => {
            // az's own first line (e.g. "Please run 'az login'"); it never holds a token.
            let why = String::from_utf8_lossy(&out.stderr)
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim()
                .to_string();
            Err(no_token(format!("az account get-access-token failed: {why}")))
        }
        Ok(out) => {
            let t = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if t.is_empty() { Err(no_token("az returned an empty token".into())) } else { Ok(Token(t)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_token() {
        assert_eq!(format!("{:?}", Token("secret".into())), "Token(hidden)");
    }
}

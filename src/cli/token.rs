//! Where a bearer token comes from: `--token T`, `ORCHSCOPE_TOKEN`, or `--token-file PATH`
//! (the first line of a file, trimmed, so the token never shows in `ps`), and the flags that
//! say how a client authenticates. Reading the file, and refusing one that is missing or
//! empty, is one plain line and exit 2, never the token.

use super::Fatal;
use clap::Args;
use std::path::{Path, PathBuf};

/// How to authenticate to a live server.
#[derive(Args, Debug, Clone, Default)]
pub struct AuthArgs {
    /// Send `Authorization: Bearer T` (also ORCHSCOPE_TOKEN; visible to other local users in
    /// `ps` when given here: prefer the variable or --token-file)
    #[arg(
        long,
        env = "ORCHSCOPE_TOKEN",
        hide_env_values = true,
        value_name = "T"
    )]
    pub token: Option<String>,
    /// Read the token from this file (its content, trimmed; wins over --token and
    /// ORCHSCOPE_TOKEN)
    #[arg(long, value_name = "PATH")]
    pub token_file: Option<PathBuf>,
    /// Send the token as the `jwt-auth, jwt.<base64url>` subprotocols instead of a header
    #[arg(long)]
    pub subprotocol_token: bool,
    /// Add a header, 'Name: value' (repeatable)
    #[arg(long = "header", value_name = "'NAME: VALUE'")]
    pub headers: Vec<String>,
}

impl AuthArgs {
    /// The token to send, if any: the file's when `--token-file` is given, else `--token` /
    /// `ORCHSCOPE_TOKEN` (an empty one means none).
    pub fn token(&self) -> Result<Option<String>, Fatal> {
        match &self.token_file {
            Some(path) => read_token_file(path).map(Some),
            None => Ok(self.token.clone().filter(|t| !t.is_empty())),
        }
    }
}

/// The token of `--token-file`: the file's content, trimmed; missing, unreadable or empty is
/// an error naming the file.
pub fn read_token_file(path: &Path) -> Result<String, Fatal> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Fatal(format!(
            "{}: cannot read the token file: {e}",
            path.display()
        ))
    })?;
    let token = text.trim();
    if token.is_empty() {
        return Err(Fatal(format!(
            "{}: the token file is empty; put the token in it",
            path.display()
        )));
    }
    Ok(token.to_owned())
}

/// The token `serve` requires: `--token-file`, else `--token` / `ORCHSCOPE_TOKEN`, where an
/// empty value is a mistake (it would otherwise mean no authentication at all).
pub fn server_token(token: Option<&str>, file: Option<&Path>) -> Result<Option<String>, Fatal> {
    if let Some(path) = file {
        return read_token_file(path).map(Some);
    }
    match token {
        Some(t) if t.trim().is_empty() => Err(Fatal(
            "--token (or ORCHSCOPE_TOKEN) is empty: give a token, or unset both to serve without one"
                .to_owned(),
        )),
        Some(t) => Ok(Some(t.trim().to_owned())),
        None => Ok(None),
    }
}

//! The Camp extension for Zed: starts `camp-lsp`, the Camp language server.
//!
//! The server is the `lsp.camp-lsp.binary.path` setting when there is one
//! (with its `arguments`), otherwise `camp-lsp` found on the `PATH` of the
//! worktree's shell (`cargo install --path lsp` in the Camp repository puts
//! it there).

use zed_extension_api::{self as zed, LanguageServerId, Result, settings::LspSettings};

const SERVER: &str = "camp-lsp";

struct CampExtension;

impl zed::Extension for CampExtension {
    fn new() -> Self {
        CampExtension
    }

    fn language_server_command(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(SERVER, worktree)
            .ok()
            .and_then(|settings| settings.binary);
        let configured = binary.as_ref().and_then(|binary| binary.path.clone());
        let args = binary
            .and_then(|binary| binary.arguments)
            .unwrap_or_default();
        let command = match configured {
            Some(path) => path,
            None => worktree.which(SERVER).ok_or_else(|| {
                format!(
                    "`{SERVER}` is not on PATH: install it with `cargo install --path lsp` in the \
                     Camp repository, or set `lsp.{SERVER}.binary.path` in Zed's settings"
                )
            })?,
        };
        Ok(zed::Command {
            command,
            args,
            env: worktree.shell_env(),
        })
    }
}

zed::register_extension!(CampExtension);

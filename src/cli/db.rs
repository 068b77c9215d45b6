//! `vpsbox db backup FILE` (a consistent copy of the state, through the running daemon when it
//! runs), `vpsbox db list` (the automatic copies) and `vpsbox db restore FILE` (daemon stopped).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;

use super::{dispatch, print_reply};
use crate::clock::Clock;
use crate::config::Config;
use crate::control::Command;

#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Write a consistent copy of the state file to FILE, also while the daemon runs (everything
    /// committed before the copy began; FILE is replaced if it exists).
    Backup {
        /// Where to write the copy.
        file: PathBuf,
    },
    /// List the automatic copies under DATA_DIR/db-backups.
    List,
    /// Put a copy back as the state file. Stop the daemon first; the replaced state file is kept
    /// next to it as vpsbox.redb.before-restore-<time>.
    Restore {
        /// The copy to restore (left unchanged).
        file: PathBuf,
    },
}

pub async fn run(cfg: &Config, cmd: DbCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        DbCommand::Backup { file } => {
            // The daemon may run elsewhere in the file system tree: give it an absolute path.
            let path =
                std::path::absolute(&file).with_context(|| format!("cannot resolve {}", file.display()))?;
            let reply = dispatch(cfg, Command::DbBackup { path }).await?;
            Ok(print_reply(&reply))
        }
        DbCommand::List => Ok(print_reply(&dispatch(cfg, Command::DbList).await?)),
        DbCommand::Restore { file } => {
            let state = cfg.store_path();
            let now = crate::clock::SystemClock.now();
            let (from, to) = (file.clone(), state.clone());
            let done = tokio::task::spawn_blocking(move || crate::store::copy::restore(&from, &to, now))
                .await?
                .with_context(|| format!("cannot restore {}", file.display()))?;
            println!(
                "restored {} as {} (schema version {})",
                file.display(),
                state.display(),
                done.schema_version
            );
            if let Some(prev) = done.previous {
                println!("the replaced state file is kept as {}", prev.display());
            }
            println!(
                "until the next restore, domains, networks and disk images the restored state does not \
                 know are kept (they may be resources made after the copy); see the README"
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

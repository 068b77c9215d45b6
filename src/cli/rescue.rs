//! `vpsbox rescue import|list`: the rescue system servers boot into rescue mode. `import`
//! copies the image into the rescue directory itself (it may read files the daemon cannot),
//! then registers it directly or through the running daemon; from then on servers entering
//! rescue boot it (servers already in rescue keep theirs until they leave).

use crate::service::Coded;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use super::{dispatch, print_reply};
use crate::config::Config;
use crate::control::Command;

#[derive(Subcommand, Debug)]
pub enum RescueCommand {
    /// Import a qcow2 or raw image as the rescue system (scripts/build-rescue-image.sh builds
    /// one from Debian packages).
    Import {
        /// The image file.
        file: PathBuf,
    },
    /// List the rescue images kept (the newest is the current one).
    List,
}

pub async fn run(cfg: &Config, cmd: RescueCommand) -> anyhow::Result<ExitCode> {
    let command = match cmd {
        RescueCommand::Import { file } => {
            let dir = crate::service::rescue::RescueImages::dir_of(&cfg.data_dir);
            let staged =
                tokio::task::spawn_blocking(move || crate::service::templates::stage(&dir, &file)).await?;
            match staged {
                Ok(s) => Command::RescueRegister { staged: s.path, sha256: s.sha256 },
                Err(e) => {
                    eprintln!("error {}: {e}", e.code());
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
        RescueCommand::List => Command::RescueList,
    };
    let reply = dispatch(cfg, command).await?;
    Ok(print_reply(&reply))
}

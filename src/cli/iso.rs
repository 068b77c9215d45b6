//! `vpsbox iso import|list|delete`: the ISO images customers put in their servers' CD-ROM
//! drives. `import` copies the file into the ISO directory itself (it may read files the
//! daemon cannot), then registers it directly or through the running daemon.

use crate::service::Coded;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use super::{dispatch, print_reply};
use crate::config::Config;
use crate::control::Command;

#[derive(Subcommand, Debug)]
pub enum IsoCommand {
    /// Publish an ISO 9660 image (an installer, a live or rescue CD).
    Import {
        /// Its name in the list, e.g. debian-12-netinst.
        name: String,
        /// The image file.
        file: PathBuf,
    },
    /// List the published ISO images.
    List,
    /// Delete one (refused while a server has it in its drive).
    Delete {
        /// Its name.
        name: String,
    },
}

pub async fn run(cfg: &Config, cmd: IsoCommand) -> anyhow::Result<ExitCode> {
    let command = match cmd {
        IsoCommand::Import { name, file } => {
            let dir = crate::service::isos::Isos::dir_of(&cfg.data_dir);
            let staged =
                tokio::task::spawn_blocking(move || crate::service::templates::stage(&dir, &file)).await?;
            match staged {
                Ok(s) => Command::IsoRegister { staged: s.path, sha256: s.sha256, name },
                Err(e) => {
                    eprintln!("error {}: {e}", e.code());
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
        IsoCommand::List => Command::IsoList,
        IsoCommand::Delete { name } => Command::IsoDelete { name },
    };
    let reply = dispatch(cfg, command).await?;
    Ok(print_reply(&reply))
}

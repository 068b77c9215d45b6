//! `vpsbox template import|list|enable|disable|delete`. `import` copies the image into the
//! templates directory itself (it may read files the daemon cannot), then registers it
//! directly or through the running daemon.

use crate::service::Coded;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use super::{dispatch, print_reply};
use crate::config::Config;
use crate::control::Command;

#[derive(Subcommand, Debug)]
pub enum TemplateCommand {
    /// Import a qcow2 or raw image as an OS template.
    Import {
        /// Catalogue name, e.g. debian-12.
        name: String,
        /// The image file.
        file: PathBuf,
        /// OS family: linux, bsd or windows.
        #[arg(long, default_value = "linux")]
        os: String,
        /// Smallest disk for VMs from this template, GiB (default: the image's virtual size).
        #[arg(long, value_name = "N")]
        min_disk_gb: Option<u32>,
        /// The image's own login user (debian, ubuntu, almalinux, ...), who gets the customer's
        /// SSH keys too, with sudo; root always gets them.
        #[arg(long, value_name = "USER")]
        login_user: Option<String>,
    },
    /// List templates.
    List,
    /// Offer a template to customers.
    Enable {
        /// Template name.
        name: String,
    },
    /// Stop offering a template (existing VMs keep it).
    Disable {
        /// Template name.
        name: String,
    },
    /// Delete a template (refused while a VM's disk is based on it).
    Delete {
        /// Template name.
        name: String,
    },
}

pub async fn run(cfg: &Config, cmd: TemplateCommand) -> anyhow::Result<ExitCode> {
    let command = match cmd {
        TemplateCommand::Import { name, file, os, min_disk_gb, login_user } => {
            let dir = cfg.data_dir.join("templates");
            let staged =
                tokio::task::spawn_blocking(move || crate::service::templates::stage(&dir, &file)).await?;
            let staged = match staged {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("error {}: {e}", e.code());
                    return Ok(ExitCode::FAILURE);
                }
            };
            Command::TemplateRegister {
                staged: staged.path,
                sha256: staged.sha256,
                name,
                os,
                min_disk_gb,
                login_user,
            }
        }
        TemplateCommand::List => Command::TemplateList,
        TemplateCommand::Enable { name } => Command::TemplateSetEnabled { name, enabled: true },
        TemplateCommand::Disable { name } => Command::TemplateSetEnabled { name, enabled: false },
        TemplateCommand::Delete { name } => Command::TemplateDelete { name },
    };
    let reply = dispatch(cfg, command).await?;
    Ok(print_reply(&reply))
}

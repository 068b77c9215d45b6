//! The command line: `serve`, `user`, `template`, `ip-pool`, `rdns`, `db`, `config check`, `doctor`,
//! `healthcheck`. anyhow lives here and in
//! `main.rs` only.

mod db;
mod doctor;
mod healthcheck;
mod ip_pool;
mod iso;
mod print;
mod rescue;
mod template;
mod user;

pub(crate) use print::print_reply;

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::clock::SystemClock;
use crate::config::{Config, DEFAULT_CONFIG_PATH, LogFormat};

/// vpsbox: a self-hosted VPS platform in one binary.
#[derive(Parser, Debug)]
#[command(name = "vpsbox", version, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Options every command takes.
#[derive(Args, Debug, Clone)]
pub struct GlobalArgs {
    /// Configuration file.
    #[arg(long, global = true, env = "VPSBOX_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// State directory (overrides `data_dir` of the config file).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the daemon: the HTTPS cabinet and background jobs.
    Serve {
        /// HTTPS listen address (overrides `listen`).
        #[arg(long, value_name = "ADDR:PORT")]
        listen: Option<SocketAddr>,
        /// Embedded defaults for a quick look: demo accounts (passwords printed), a stocked
        /// shop, data in ./var unless --data-dir, libvirt's test driver unless --libvirt-uri.
        #[arg(long)]
        demo: bool,
        /// libvirt connection URI (overrides `libvirt.uri`; with --demo, the only way to leave
        /// the test driver).
        #[arg(long, value_name = "URI")]
        libvirt_uri: Option<String>,
    },
    /// Manage accounts.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Manage OS templates.
    #[command(subcommand)]
    Template(template::TemplateCommand),
    /// The rescue system servers boot into rescue mode.
    #[command(subcommand)]
    Rescue(rescue::RescueCommand),
    /// ISO images customers put in their servers' CD-ROM drives.
    #[command(subcommand)]
    Iso(iso::IsoCommand),
    /// Manage public IP address pools.
    #[command(subcommand, name = "ip-pool")]
    IpPool(ip_pool::PoolCommand),
    /// Reverse DNS of the public addresses.
    #[command(subcommand)]
    Rdns(ip_pool::RdnsCommand),
    /// Money: payments, corrections, balances, the price list.
    #[command(subcommand)]
    Billing(crate::control::BillingCommand),
    /// Planned maintenance windows: list, schedule, call off. Times are UTC, `YYYY-MM-DD HH:MM`.
    #[command(subcommand)]
    Maintenance(crate::control::MaintenanceCommand),
    /// Incidents: list, declare, update or resolve.
    #[command(subcommand)]
    Incident(crate::control::IncidentCommand),
    /// API tokens for billing systems, scripts and monitoring: create (printed once), list,
    /// revoke.
    #[command(subcommand)]
    Token(crate::control::TokenCommand),
    /// The support queue and the monthly report of responses within target.
    #[command(subcommand)]
    Support(crate::control::SupportCommand),
    /// Copies of the state file: backup (also while the daemon runs), list, restore.
    #[command(subcommand)]
    Db(db::DbCommand),
    /// Configuration file tools.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Exit 0 when the running daemon answers GET /healthz with 200.
    Healthcheck,
    /// Check the host for what VMs need (libvirt, the public bridge) and say what to fix.
    Doctor,
}

#[derive(Subcommand, Debug)]
enum ConfigCommand {
    /// Validate a configuration file and print the effective settings.
    Check,
}

impl GlobalArgs {
    /// Load the configuration these options point at.
    pub fn load_config(&self) -> anyhow::Result<Config> {
        let (path, explicit) = match &self.config {
            Some(p) => (p.clone(), true),
            None => (PathBuf::from(DEFAULT_CONFIG_PATH), false),
        };
        let mut cfg = Config::load(&path, explicit)?;
        if let Some(d) = &self.data_dir {
            cfg.data_dir = d.clone();
        }
        if cfg.data_dir.is_relative() {
            let cwd = std::env::current_dir().context("cannot read the working directory")?;
            cfg.data_dir = absolute_from(&cwd, &cfg.data_dir);
        }
        Ok(cfg)
    }
}

/// `path` made absolute against `cwd`, without `.` components: the daemon and the CLI must
/// spell the state directory the same way (the control socket, the automatic state copies).
fn absolute_from(cwd: &std::path::Path, path: &std::path::Path) -> PathBuf {
    let joined = if path.is_absolute() { path.to_path_buf() } else { cwd.join(path) };
    joined.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect()
}

fn init_tracing(cfg: &Config, default_level: &str) {
    use tracing_subscriber::EnvFilter;
    let filter =
        std::env::var("RUST_LOG").ok().and_then(|v| EnvFilter::try_new(v).ok()).unwrap_or_else(|| {
            EnvFilter::new(if default_level.is_empty() { cfg.log.filter.as_str() } else { default_level })
        });
    let terminal = std::io::stderr().is_terminal();
    let pretty = match cfg.log.format {
        LogFormat::Pretty => true,
        LogFormat::Journald => false,
        LogFormat::Auto => terminal,
    };
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let result = if pretty {
        builder.with_ansi(terminal).try_init()
    } else {
        // journald stamps each line itself; keep lines plain.
        builder.with_ansi(false).without_time().try_init()
    };
    let _ = result;
}

/// Entry point used by `main`.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve { listen, demo, libvirt_uri } => {
            let mut cfg = cli.global.load_config()?;
            // The demo never touches a real hypervisor unless told to on the command line:
            // not even the one a config file names.
            match libvirt_uri {
                Some(uri) => cfg.libvirt.uri = uri,
                None if demo => cfg.libvirt.uri = crate::hv::libvirt::TEST_URI.to_string(),
                None => {}
            }
            // The demo keeps its state in ./var unless a data dir is named (by --data-dir or in
            // a config file given with --config): never in the packaged default's directory.
            if demo && cli.global.data_dir.is_none() && cli.global.config.is_none() {
                let cwd = std::env::current_dir().context("cannot read the working directory")?;
                cfg.data_dir = absolute_from(&cwd, std::path::Path::new("var"));
            }
            if demo && listen.is_none() && cli.global.config.is_none() {
                cfg.listen = SocketAddr::from(([127, 0, 0, 1], 8443));
            }
            if let Some(l) = listen {
                cfg.listen = l;
            }
            init_tracing(&cfg, "");
            tracing::info!(data_dir = %cfg.data_dir.display(), "state directory");
            let opts = crate::app::StartOptions { config: cfg, demo, clock: Arc::new(SystemClock) };
            runtime()?.block_on(crate::app::run(opts))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::User(cmd) => {
            let cfg = cli.global.load_config()?;
            init_tracing(&cfg, "warn");
            runtime()?.block_on(user::run(&cfg, cmd))
        }
        Command::Template(cmd) => {
            let cfg = cli.global.load_config()?;
            init_tracing(&cfg, "warn");
            runtime()?.block_on(template::run(&cfg, cmd))
        }
        Command::Iso(cmd) => {
            let cfg = cli.global.load_config()?;
            init_tracing(&cfg, "warn");
            runtime()?.block_on(iso::run(&cfg, cmd))
        }
        Command::Rescue(cmd) => {
            let cfg = cli.global.load_config()?;
            init_tracing(&cfg, "warn");
            runtime()?.block_on(rescue::run(&cfg, cmd))
        }
        Command::IpPool(cmd) => {
            let cfg = cli.global.load_config()?;
            init_tracing(&cfg, "warn");
            runtime()?.block_on(ip_pool::run(&cfg, cmd))
        }
        Command::Rdns(cmd) => {
            let cfg = cli.global.load_config()?;
            init_tracing(&cfg, "warn");
            runtime()?.block_on(ip_pool::run_rdns(&cfg, cmd))
        }
        Command::Billing(cmd) => control(&cli.global, crate::control::Command::Billing(cmd)),
        Command::Maintenance(cmd) => control(&cli.global, crate::control::Command::Maintenance(cmd)),
        Command::Incident(cmd) => control(&cli.global, crate::control::Command::Incident(cmd)),
        Command::Support(cmd) => control(&cli.global, crate::control::Command::Support(cmd)),
        Command::Token(cmd) => control(&cli.global, crate::control::Command::Token(cmd)),
        Command::Db(cmd) => {
            let cfg = cli.global.load_config()?;
            init_tracing(&cfg, "warn");
            runtime()?.block_on(db::run(&cfg, cmd))
        }
        Command::Config(ConfigCommand::Check) => {
            let path = cli.global.config.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG_PATH));
            let cfg = Config::load(&path, true)?;
            println!("{}: OK", path.display());
            print!("{}", toml::to_string_pretty(&cfg).context("cannot print the configuration")?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Doctor => {
            let cfg = cli.global.load_config()?;
            init_tracing(&cfg, "warn");
            Ok(doctor::run(&cfg))
        }
        Command::Healthcheck => {
            let cfg = cli.global.load_config()?;
            init_tracing(&cfg, "warn");
            runtime()?.block_on(healthcheck::run(&cfg))
        }
    }
}

/// Run an admin command on the state file directly, or through the daemon's control socket
/// when the daemon holds the file.
pub(crate) async fn dispatch(
    cfg: &Config,
    command: crate::control::Command,
) -> anyhow::Result<crate::control::Reply> {
    use crate::store::{Store, StoreError};
    let path = cfg.store_path();
    let opened = tokio::task::spawn_blocking(move || Store::open(&path)).await?;
    match opened {
        Ok(store) => {
            let clock: Arc<dyn crate::clock::Clock> = Arc::new(SystemClock);
            let hv = Arc::new(crate::hv::link::HvLink::offline(&cfg.libvirt.uri, clock.clone()));
            let svc = crate::service::Services::new(Arc::new(store), clock, cfg, hv);
            Ok(crate::control::execute(&svc, command).await)
        }
        Err(StoreError::AlreadyInUse(_)) => {
            let sock = crate::control::socket_path(&cfg.data_dir);
            crate::control::send(&sock, &command).await.with_context(|| {
                format!(
                    "the state file is in use by the running daemon, and its control socket {} does not answer",
                    sock.display()
                )
            })
        }
        Err(e) => Err(e.into()),
    }
}

/// A command that needs nothing but the control socket (or the state file): run it, print
/// its reply.
fn control(global: &GlobalArgs, command: crate::control::Command) -> anyhow::Result<ExitCode> {
    let cfg = global.load_config()?;
    init_tracing(&cfg, "warn");
    let reply = runtime()?.block_on(dispatch(&cfg, command))?;
    Ok(print_reply(&reply))
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    #[test]
    fn a_relative_data_dir_is_resolved_against_the_working_directory() {
        let cwd = Path::new("/home/op/vpsbox");
        assert_eq!(super::absolute_from(cwd, Path::new("./var")), PathBuf::from("/home/op/vpsbox/var"));
        assert_eq!(
            super::absolute_from(cwd, Path::new("var/./state")),
            PathBuf::from("/home/op/vpsbox/var/state")
        );
        assert_eq!(super::absolute_from(cwd, Path::new("/var/lib/vpsbox")), PathBuf::from("/var/lib/vpsbox"));
    }
}

//! Wiring: open the store, connect the hypervisor, make sure an admin exists, start the
//! background jobs, serve HTTPS (and the optional HTTP redirect), reload the certificate on
//! SIGHUP, and shut down gracefully on SIGTERM/SIGINT.

use crate::service::Coded;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_server::Handle;
use axum_server::tls_rustls::RustlsConfig;
use tokio::task::JoinHandle;

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::account::{Email, Role};
use crate::hv::link::HvLink;
use crate::service::{AccountError, Accounts, Services, tokens};
use crate::store::{Store, StoreError};
use crate::web::tls::{self, CertFiles, TlsError};
use crate::web::{self, AppState};

/// How often the hypervisor link is checked when libvirt reports nothing.
const HV_CHECK_INTERVAL: Duration = Duration::from_secs(10);

/// Why the daemon could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The state store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// TLS setup failed.
    #[error(transparent)]
    Tls(#[from] TlsError),
    /// Account bootstrap failed.
    #[error(transparent)]
    Account(#[from] AccountError),
    /// A listener could not be bound or failed.
    #[error("Cannot listen on {addr}: {source}")]
    Listen {
        /// Address in question.
        addr: SocketAddr,
        /// What the OS said.
        source: std::io::Error,
    },
    /// A task failed.
    #[error("Internal task failed: {0}")]
    Task(String),
}

/// Options of one daemon run.
#[derive(Clone)]
pub struct StartOptions {
    /// The configuration.
    pub config: Config,
    /// Demo mode: demo accounts, test driver when libvirtd does not answer.
    pub demo: bool,
    /// Time source.
    pub clock: Arc<dyn Clock>,
}

/// Credentials of the demo accounts, printed at start in demo mode.
#[derive(Debug, Clone)]
pub struct DemoAccounts {
    /// `(email, password)` of the admin.
    pub admin: (String, String),
    /// `(email, password)` of the customer.
    pub customer: (String, String),
}

/// A started daemon.
pub struct Running {
    /// Bound HTTPS address.
    pub addr: SocketAddr,
    /// Bound HTTP redirect address, when configured.
    pub redirect_addr: Option<SocketAddr>,
    /// Bound plain-HTTP metrics address, when configured.
    pub metrics_addr: Option<SocketAddr>,
    /// SHA-256 fingerprint of the served certificate.
    pub fingerprint: String,
    /// Demo credentials, in demo mode.
    pub demo: Option<DemoAccounts>,
    /// The services, for tests and the control socket.
    pub svc: Services,
    /// The ACME client, when certificates come from a CA.
    pub acme: Option<Arc<crate::web::acme::Acme>>,
    handle: Handle<SocketAddr>,
    redirect_handle: Handle<SocketAddr>,
    metrics_handle: Handle<SocketAddr>,
    tls: RustlsConfig,
    cert_files: CertFiles,
    control_path: std::path::PathBuf,
    grace: Duration,
    server: JoinHandle<std::io::Result<()>>,
    redirect: Option<JoinHandle<std::io::Result<()>>>,
    metrics: Option<JoinHandle<std::io::Result<()>>>,
    jobs: Vec<JoinHandle<()>>,
}

async fn demo_accounts(accounts: &Accounts) -> Result<DemoAccounts, AppError> {
    let mut out = Vec::new();
    for (email, role) in [("admin@example.com", Role::Admin), ("customer@example.com", Role::Customer)] {
        let password = tokens::random_password();
        let email = Email::parse(email).map_err(AccountError::from)?;
        accounts.set_credentials(&email, &password, role).await?;
        out.push((email.to_string(), password));
    }
    let customer = out.pop().unwrap_or_default();
    let admin = out.pop().unwrap_or_default();
    Ok(DemoAccounts { admin, customer })
}

fn bind(addr: SocketAddr) -> Result<std::net::TcpListener, AppError> {
    let l = std::net::TcpListener::bind(addr).map_err(|source| AppError::Listen { addr, source })?;
    l.set_nonblocking(true).map_err(|source| AppError::Listen { addr, source })?;
    Ok(l)
}

async fn redirect_to_https(port: u16, headers: axum::http::HeaderMap, uri: Uri) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| h.rsplit_once(':').map(|(name, _)| name).unwrap_or(h).to_string());
    let Some(host) = host.filter(|h| !h.is_empty() && !h.contains(['/', '@', '\\'])) else {
        return (StatusCode::BAD_REQUEST, "Host header required\n").into_response();
    };
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let port = if port == 443 { String::new() } else { format!(":{port}") };
    Redirect::permanent(&format!("https://{host}{port}{path}")).into_response()
}

/// Start everything and return once the listeners are bound.
pub async fn start(opts: StartOptions) -> Result<Running, AppError> {
    let cfg = &opts.config;
    let store_path = cfg.store_path();
    let store = tokio::task::spawn_blocking(move || Store::open(&store_path))
        .await
        .map_err(|e| AppError::Task(e.to_string()))??;
    tracing::info!(path = %cfg.store_path().display(), schema = store.schema_version()?, "state store open");
    crate::store::write_installation_file(&cfg.store_path(), store.installation_id())?;
    let store = Arc::new(store);
    let (uri, demo_mode, clock) = (cfg.libvirt.uri.clone(), opts.demo, opts.clock.clone());
    let hv = tokio::task::spawn_blocking(move || HvLink::connect(&uri, demo_mode, clock))
        .await
        .map(Arc::new)
        .map_err(|e| AppError::Task(e.to_string()))?;

    let svc = Services::new(store.clone(), opts.clock.clone(), cfg, hv.clone());
    let accounts = svc.accounts.clone();
    match svc.templates.sweep_orphans() {
        Ok(removed) if !removed.is_empty() => {
            tracing::warn!(files = removed.len(), "removed orphaned template files")
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(code = e.code(), "template sweep failed: {e}"),
    }
    match svc.rescue_images.sweep() {
        Ok(removed) if !removed.is_empty() => {
            tracing::warn!(files = removed.len(), "removed orphaned rescue image files")
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(code = e.code(), "rescue image sweep failed: {e}"),
    }
    match svc.isos.sweep() {
        Ok(removed) if !removed.is_empty() => {
            tracing::warn!(files = removed.len(), "removed orphaned ISO files")
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(code = e.code(), "ISO sweep failed: {e}"),
    }

    let demo = if opts.demo { Some(demo_accounts(&accounts).await?) } else { None };
    if let Some(d) = &demo {
        // A fresh demo state is stocked so that every page has something to show.
        match crate::service::demo::stock(
            store.clone(),
            cfg,
            hv.clone(),
            opts.clock.now(),
            &d.admin.0,
            &d.customer.0,
        )
        .await
        {
            Ok(true) => {
                // The history was made on its own clock: the heartbeat is now.
                if let Err(e) = svc.sla.beat().await {
                    tracing::warn!(code = e.code(), "demo heartbeat: {e}");
                }
            }
            Ok(false) => {}
            Err(e) => tracing::warn!("the demo could not be stocked completely: {}", e.0),
        }
    }
    if let Some((email, password)) = accounts.ensure_admin(&cfg.accounts.bootstrap_admin_email).await? {
        tracing::warn!(
            "no admin account existed: created admin {email} with password {password} (shown once; \
             log in and change it on the Account page)"
        );
    }

    let cert_files = {
        let (cfg, now) = (cfg.clone(), opts.clock.now());
        tokio::task::spawn_blocking(move || tls::ensure_cert(&cfg, now))
            .await
            .map_err(|e| AppError::Task(e.to_string()))??
    };
    let (server_cfg, fingerprint, acme) = if cfg.tls.acme.enabled() {
        // The generated certificate is served until the CA's comes (or when it cannot).
        let read = |p: &std::path::Path| {
            std::fs::read(p).map_err(|source| TlsError::Io { path: p.to_path_buf(), source })
        };
        let fallback = crate::web::acme::certified_key(
            &read(&cert_files.cert)?,
            &read(&cert_files.key)?,
            &cert_files.cert,
        )?;
        let resolver = Arc::new(crate::web::acme::CertResolver::new(fallback));
        let acme = Arc::new(crate::web::acme::Acme::new(
            cfg.tls.acme.clone(),
            cfg.tls.acme.names(&cfg.public_url),
            &cfg.data_dir,
            opts.clock.clone(),
            resolver.clone(),
            svc.notices.clone(),
        ));
        let served = match acme.load_existing() {
            Some(info) => {
                tracing::info!(names = ?info.names, until = %info.not_after.display_utc(), "ACME certificate loaded");
                acme.cert_path()
            }
            None => cert_files.cert.clone(),
        };
        let fp = tls::fingerprint_of_file(&served)?;
        (tls::server_config_resolving(resolver)?, fp, Some(acme))
    } else {
        let (c, fp) = tls::server_config(&cert_files)?;
        (c, fp, None)
    };
    tracing::info!(sha256 = %fingerprint, cert = %cert_files.cert.display(), acme = acme.is_some(), "TLS certificate loaded");
    let tls_cfg = RustlsConfig::from_config(server_cfg);

    let catalog = svc.catalog.clone();
    for p in catalog.problems() {
        tracing::warn!(file = %p.file, "message bundle: {}", p.message);
    }
    let bot = crate::service::bot::Bot::new(
        store.clone(),
        opts.clock.clone(),
        catalog.clone(),
        &cfg.support,
        svc.support.hours().clone(),
    );
    let state = AppState::new(crate::web::AppStateInner {
        bot: bot.clone(),
        catalog,
        svc: svc.clone(),
        hv: hv.clone(),
        public_url: cfg.public_url.clone().into(),
        body_limit: cfg.http.body_limit_bytes,
        session_max_age: i64::from(cfg.accounts.session_absolute_hours) * 3600,
        api: cfg.api.clone(),
        api_limits: crate::web::api::limit::RateLimits::new(&cfg.api),
    });
    let app = web::router(state.clone());

    // The control socket is bound before the cabinet's port: once the port answers, CLI
    // commands reach this daemon (connections wait in the socket's backlog until it serves).
    let control_path = crate::control::socket_path(&cfg.data_dir);
    let control = crate::control::bind(&control_path).map_err(|source| {
        AppError::Task(format!("cannot bind control socket {}: {source}", control_path.display()))
    })?;
    let listener = bind(cfg.listen)?;
    let addr = listener.local_addr().map_err(|source| AppError::Listen { addr: cfg.listen, source })?;
    let handle: Handle<SocketAddr> = Handle::new();
    // TCP_NODELAY: console keystrokes and their echoes are tiny frames that must not wait for
    // Nagle's algorithm (measured: 40 ms stalls at p99 without it).
    let acceptor = axum_server::tls_rustls::RustlsAcceptor::new(tls_cfg.clone())
        .acceptor(axum_server::accept::NoDelayAcceptor::new());
    let server = axum_server::from_tcp(listener)
        .map_err(|source| AppError::Listen { addr, source })?
        .acceptor(acceptor)
        .handle(handle.clone())
        .serve(app.into_make_service_with_connect_info::<SocketAddr>());
    let server = tokio::spawn(server);
    tracing::info!(%addr, "cabinet listening on https://{addr}");

    let redirect_handle: Handle<SocketAddr> = Handle::new();
    let (redirect, redirect_addr) = match cfg.tls.redirect_http {
        Some(raddr) => {
            let l = bind(raddr)?;
            let bound = l.local_addr().map_err(|source| AppError::Listen { addr: raddr, source })?;
            let port = addr.port();
            let mut app = Router::new().fallback(move |h, u| redirect_to_https(port, h, u));
            if let Some(a) = acme.clone() {
                // HTTP-01 answers while a name is proved; everything else redirects.
                app = app.route(
                    "/.well-known/acme-challenge/{token}",
                    axum::routing::get(move |axum::extract::Path(token): axum::extract::Path<String>| {
                        let a = a.clone();
                        async move {
                            match a.http_answer(&token) {
                                Some(answer) => {
                                    ([(header::CONTENT_TYPE, "application/octet-stream")], answer)
                                        .into_response()
                                }
                                None => StatusCode::NOT_FOUND.into_response(),
                            }
                        }
                    }),
                );
            }
            let srv = axum_server::from_tcp(l)
                .map_err(|source| AppError::Listen { addr: bound, source })?
                .handle(redirect_handle.clone())
                .serve(app.into_make_service());
            tracing::info!(addr = %bound, "HTTP listener redirects to HTTPS");
            (Some(tokio::spawn(srv)), Some(bound))
        }
        None => (None, None),
    };

    let metrics_handle: Handle<SocketAddr> = Handle::new();
    let (metrics, metrics_addr) = match cfg.metrics.listen {
        Some(maddr) => {
            let l = bind(maddr)?;
            let bound = l.local_addr().map_err(|source| AppError::Listen { addr: maddr, source })?;
            let srv = axum_server::from_tcp(l)
                .map_err(|source| AppError::Listen { addr: bound, source })?
                .handle(metrics_handle.clone())
                .serve(web::metrics_router(state).into_make_service());
            tracing::info!(addr = %bound, "metrics listening on http://{bound}/metrics (no token)");
            (Some(tokio::spawn(srv)), Some(bound))
        }
        None => (None, None),
    };

    // Before anything refreshes the VMs' recorded power: time the daemon or host was down counts
    // as downtime of the VMs that were meant to run then.
    if let Err(e) = svc.sla.recover_gap().await {
        tracing::warn!(code = e.code(), "cannot check for downtime since the last start: {e}");
    }
    let jobs = vec![
        tokio::spawn(crate::jobs::sla::run(svc.sla.clone(), svc.support.clone(), svc.beats.clone())),
        tokio::spawn(crate::jobs::telegram::run(svc.telegram.clone(), svc.beats.clone())),
        tokio::spawn(crate::jobs::bot::run(bot, cfg.public_url.clone())),
        tokio::spawn(crate::jobs::housekeeping::run(accounts.clone(), svc.beats.clone())),
        tokio::spawn(crate::jobs::storage::run(store.clone(), opts.clock.clone(), svc.vms.space.clone())),
        tokio::spawn(crate::jobs::db_copies::run(svc.db.clone(), svc.beats.clone())),
        tokio::spawn(crate::jobs::backups::run(svc.backups.clone(), svc.beats.clone())),
        tokio::spawn(crate::jobs::billing::run(svc.billing.clone(), svc.beats.clone())),
        tokio::spawn(crate::jobs::mail::run(svc.mail.clone(), svc.beats.clone())),
        tokio::spawn(crate::jobs::webhooks::run(svc.webhooks.clone(), svc.beats.clone())),
        tokio::spawn(crate::control::serve(control, svc.clone())),
        tokio::spawn(hv.clone().run(HV_CHECK_INTERVAL)),
        tokio::spawn(crate::jobs::vm_sync::reconcile(
            svc.vms.clone(),
            svc.privnets.clone(),
            svc.disks.clone(),
            svc.backups.clone(),
            hv.clone(),
            Duration::from_secs(cfg.libvirt.reconcile_interval_secs.max(1)),
            svc.beats.clone(),
        )),
        tokio::spawn(crate::jobs::traffic::run(
            svc.vms.clone(),
            svc.traffic.clone(),
            hv.clone(),
            Duration::from_secs(cfg.network.traffic_interval_secs.max(1)),
            svc.beats.clone(),
        )),
        tokio::spawn(crate::jobs::usage::run(
            svc.usage.clone(),
            hv.clone(),
            Duration::from_secs(cfg.usage.sample_interval_secs.max(1)),
            svc.beats.clone(),
        )),
    ];
    let mut jobs = jobs;
    if let Some(a) = &acme {
        jobs.push(tokio::spawn(acme_loop(a.clone())));
    } else if cert_files.self_signed {
        jobs.push(tokio::spawn(renew_self_signed(
            cfg.clone(),
            opts.clock.clone(),
            tls_cfg.clone(),
            cert_files.clone(),
        )));
    }
    if let Some(rx) = hv.take_events() {
        jobs.push(tokio::spawn(crate::jobs::vm_sync::events(svc.vms.clone(), hv.clone(), rx)));
    }
    if let Some(rx) = hv.take_reboots() {
        jobs.push(tokio::spawn(crate::jobs::vm_sync::reboots(svc.vms.clone(), rx)));
    }
    Ok(Running {
        addr,
        redirect_addr,
        metrics_addr,
        fingerprint,
        demo,
        svc,
        acme,
        handle,
        redirect_handle,
        metrics_handle,
        tls: tls_cfg,
        cert_files,
        control_path,
        grace: Duration::from_secs(cfg.http.shutdown_grace_secs),
        server,
        redirect,
        metrics,
        jobs,
    })
}

/// How often the ACME certificate's renewal is looked at (and a failed one tried again).
const ACME_CHECK_INTERVAL: Duration = Duration::from_secs(600);

/// Obtain the ACME certificate at once, then renew it when due.
async fn acme_loop(acme: Arc<crate::web::acme::Acme>) {
    loop {
        // Failures are logged and reported to the admins by `ensure`.
        let _ = acme.ensure().await;
        tokio::time::sleep(ACME_CHECK_INTERVAL).await;
    }
}

/// How often the generated certificate's end is looked at.
const CERT_CHECK_INTERVAL: Duration = Duration::from_secs(6 * 3600);

/// Make the self-signed certificate again before it ends (see [`tls::ensure_cert`]) and serve
/// the new one to new connections; open connections keep theirs.
async fn renew_self_signed(cfg: Config, clock: Arc<dyn Clock>, served: RustlsConfig, files: tls::CertFiles) {
    let mut tick = tokio::time::interval(CERT_CHECK_INTERVAL);
    tick.tick().await;
    loop {
        tick.tick().await;
        let (cfg, now, files) = (cfg.clone(), clock.now(), files.clone());
        let renewed = tokio::task::spawn_blocking(move || {
            let before = std::fs::read(&files.cert).ok();
            tls::ensure_cert(&cfg, now)?;
            if std::fs::read(&files.cert).ok() == before {
                return Ok(None);
            }
            tls::server_config(&files).map(Some)
        })
        .await;
        match renewed {
            Ok(Ok(Some((config, fp)))) => {
                served.reload_from_config(config);
                tracing::info!(sha256 = %fp, "self-signed TLS certificate renewed and served");
            }
            Ok(Ok(None)) => {}
            Ok(Err(e)) => {
                tracing::error!(code = e.code(), "renewing the self-signed TLS certificate failed: {e}")
            }
            Err(e) => tracing::error!("renewing the self-signed TLS certificate failed: {e}"),
        }
    }
}

impl Running {
    /// Re-read the certificate files and serve them to new connections; open connections keep
    /// theirs. Returns the new fingerprint.
    pub fn reload_tls(&self) -> Result<String, TlsError> {
        if let Some(a) = &self.acme {
            // The resolver serves the CA's certificate on disk, when there is a valid one.
            let served =
                if a.load_existing().is_some() { a.cert_path() } else { self.cert_files.cert.clone() };
            return tls::fingerprint_of_file(&served);
        }
        let (cfg, fp) = tls::server_config(&self.cert_files)?;
        self.tls.reload_from_config(cfg);
        tracing::info!(sha256 = %fp, "TLS certificate reloaded");
        Ok(fp)
    }

    /// Stop accepting, let in-flight requests finish (up to the grace period), stop the jobs,
    /// and close the store.
    pub async fn shutdown(self) -> Result<(), AppError> {
        tracing::info!(grace_secs = self.grace.as_secs(), "shutting down: finishing in-flight requests");
        self.handle.graceful_shutdown(Some(self.grace));
        self.redirect_handle.graceful_shutdown(Some(self.grace));
        self.metrics_handle.graceful_shutdown(Some(self.grace));
        let served = self.server.await.map_err(|e| AppError::Task(e.to_string()))?;
        for r in [self.redirect, self.metrics].into_iter().flatten() {
            let _ = r.await;
        }
        for j in &self.jobs {
            j.abort();
        }
        for j in self.jobs {
            let _ = j.await;
        }
        let _ = std::fs::remove_file(&self.control_path);
        // The last reference to the store goes with the services; redb flushes and unlocks on
        // drop. Store work an aborted job had handed to a blocking thread still runs to its end
        // and holds the store meanwhile: wait for it, so the file is free when this returns (a
        // restart in the same process opens it at once).
        let store = Arc::downgrade(self.svc.accounts.store());
        drop(self.svc);
        // The ACME client tells admins through the notices, which hold the store too.
        drop(self.acme);
        let until = tokio::time::Instant::now() + self.grace;
        while store.strong_count() > 0 && tokio::time::Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        if store.strong_count() > 0 {
            tracing::warn!("the state store is still in use after the grace period");
        }
        served.map_err(|source| AppError::Listen { addr: self.addr, source })?;
        tracing::info!("stopped cleanly");
        Ok(())
    }
}

/// Run the daemon until SIGTERM or SIGINT; SIGHUP reloads the TLS certificate.
pub async fn run(opts: StartOptions) -> Result<(), AppError> {
    use tokio::signal::unix::{SignalKind, signal};
    let sig = |k| signal(k).map_err(|e| AppError::Task(format!("cannot install signal handler: {e}")));
    let (mut term, mut int, mut hup) =
        (sig(SignalKind::terminate())?, sig(SignalKind::interrupt())?, sig(SignalKind::hangup())?);
    let running = start(opts).await?;
    if let Some(d) = &running.demo {
        println!(
            "\nvpsbox demo is running at https://{}\n  (self-signed certificate, SHA-256 {})\n\n  admin:    {}  password: {}\n  customer: {}  password: {}\n\nPress Ctrl+C to stop.\n",
            running.addr, running.fingerprint, d.admin.0, d.admin.1, d.customer.0, d.customer.1
        );
    }
    loop {
        tokio::select! {
            _ = term.recv() => break,
            _ = int.recv() => break,
            _ = hup.recv() => {
                if let Err(e) = running.reload_tls() {
                    tracing::error!(code = e.code(), "TLS reload failed, keeping the old certificate: {e}");
                }
            }
        }
    }
    running.shutdown().await
}

//! The baseline for `make bench`: a bare axum handler over axum-server + rustls with the same
//! TLS setup as the cabinet (ring, TLS 1.2/1.3, the same certificate), answering a small HTML
//! page (`/`), or a page of N bytes (`/size/N`), to compare a cabinet page with a bare one of
//! the same size, or the small page after N microseconds of busy work (`/busy/N`), to show what
//! a few microseconds of a handler's own work do to the baseline's throughput on the machine
//! at hand. Usage: bare_tls ADDR:PORT CERT.pem KEY.pem

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark fixture, not product code

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use axum_server::tls_rustls::RustlsConfig;

const SMALL: &str = "<!DOCTYPE html><title>bare</title><p>hello</p>";

fn main() {
    let mut args = std::env::args().skip(1);
    let addr: SocketAddr = args.next().expect("ADDR:PORT").parse().expect("address");
    let cert = PathBuf::from(args.next().expect("CERT.pem"));
    let key = PathBuf::from(args.next().expect("KEY.pem"));
    let files = vpsbox::web::tls::CertFiles { cert, key, self_signed: false };
    let (cfg, _) = vpsbox::web::tls::server_config(&files).expect("tls config");
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        // `/size/N`: a page of N bytes (at most 4 MiB), made once, to separate a page's size
        // from our work on it.
        let pages: &'static std::sync::Mutex<std::collections::HashMap<usize, &'static str>> =
            Box::leak(Box::default());
        let sized = move |axum::extract::Path(n): axum::extract::Path<usize>| async move {
            let n = n.min(4 << 20);
            let mut pages = pages.lock().unwrap();
            let page: &'static str = pages.entry(n).or_insert_with(|| {
                let mut p = String::from("<!DOCTYPE html><title>sized</title>");
                while p.len() + 10 <= n {
                    p.push_str("<p>row</p>");
                }
                p.push_str(&" ".repeat(n.saturating_sub(p.len())));
                Box::leak(p.into_boxed_str())
            });
            Html(page)
        };
        // `/busy/N`: the small page after N microseconds (at most 1 ms) of spinning on the
        // worker, a stand-in for a handler's own work (a session lookup, a read, a render).
        // Spinning needs the monotonic clock itself; there is no product time here to inject.
        #[allow(clippy::disallowed_methods)]
        let busy = |axum::extract::Path(us): axum::extract::Path<u64>| async move {
            let until = std::time::Instant::now() + std::time::Duration::from_micros(us.min(1000));
            while std::time::Instant::now() < until {
                std::hint::spin_loop();
            }
            Html(SMALL)
        };
        let app = Router::new()
            .route("/", get(|| async { Html(SMALL) }))
            .route("/size/{n}", get(sized))
            .route("/busy/{us}", get(busy));
        axum_server::bind_rustls(addr, RustlsConfig::from_config(cfg))
            .serve(app.into_make_service())
            .await
            .unwrap();
    });
}

//! The baseline for `make bench`: a bare axum handler over axum-server + rustls with the same
//! TLS setup as the cabinet (ring, TLS 1.2/1.3, the same certificate), answering a small HTML
//! page. Usage: bare_tls ADDR:PORT CERT.pem KEY.pem

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark fixture, not product code

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use axum_server::tls_rustls::RustlsConfig;

fn main() {
    let mut args = std::env::args().skip(1);
    let addr: SocketAddr = args.next().expect("ADDR:PORT").parse().expect("address");
    let cert = PathBuf::from(args.next().expect("CERT.pem"));
    let key = PathBuf::from(args.next().expect("KEY.pem"));
    let files = vpsbox::web::tls::CertFiles { cert, key, self_signed: false };
    let (cfg, _) = vpsbox::web::tls::server_config(&files).expect("tls config");
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        // `/big`: a body the size of the 200-VM list page, to separate page size from our work.
        let big: &'static str = Box::leak(
            format!("<!DOCTYPE html><title>big</title>{}", "<p>row</p>".repeat(3870)).into_boxed_str(),
        );
        let app = Router::new()
            .route("/", get(|| async { Html("<!DOCTYPE html><title>bare</title><p>hello</p>") }))
            .route("/big", get(move || async move { Html(big) }));
        axum_server::bind_rustls(addr, RustlsConfig::from_config(cfg))
            .serve(app.into_make_service())
            .await
            .unwrap();
    });
}

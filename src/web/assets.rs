//! Static assets embedded in the binary and served under content-hashed names
//! (`/assets/app.<hash>.css`) with a year-long immutable cache lifetime.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::error::WebError;

struct Asset {
    name: &'static str,
    ext: &'static str,
    mime: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "app",
        ext: "css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../../assets/app.css"),
    },
    // The console clients, bundled from npm packages by build.rs (assets/console).
    Asset {
        name: "passkey",
        ext: "js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../../assets/passkey.js"),
    },
    Asset {
        name: "vnc",
        ext: "js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../../assets/console/dist/vnc.js"),
    },
    Asset {
        name: "serial",
        ext: "js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../../assets/console/dist/serial.js"),
    },
    Asset {
        name: "xterm",
        ext: "css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../../assets/console/dist/xterm.css"),
    },
];

/// `(url path, index into ASSETS)` computed once.
static URLS: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| {
            let hash = Sha256::digest(a.body);
            let short: String = hash.iter().take(6).map(|b| format!("{b:02x}")).collect();
            format!("/assets/{}.{short}.{}", a.name, a.ext)
        })
        .collect()
});

/// URL of the stylesheet.
pub fn stylesheet_url() -> &'static str {
    url_of("app", "css")
}

/// The content-hashed URL of asset `name.ext`.
pub fn url_of(name: &str, ext: &str) -> &'static str {
    ASSETS
        .iter()
        .position(|a| a.name == name && a.ext == ext)
        .and_then(|i| URLS.get(i))
        .map(String::as_str)
        .unwrap_or("/assets/missing")
}

/// `GET /assets/{file}`.
pub async fn asset_get(Path(file): Path<String>) -> Result<Response, WebError> {
    let wanted = format!("/assets/{file}");
    let idx = URLS.iter().position(|u| *u == wanted).ok_or(WebError::NotFound)?;
    let asset = ASSETS.get(idx).ok_or(WebError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(asset.mime)),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
        ],
        asset.body,
    )
        .into_response())
}

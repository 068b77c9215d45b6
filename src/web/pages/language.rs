//! The language switch: for visitors `GET /lang/{code}` remembers the choice in a cookie; a
//! logged-in account keeps it in its record (`POST /account/language`, from the switch or the
//! Account page). Either goes back to the page it was used on (a same-site `Referer`), so it
//! works on every page without JavaScript.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use crate::i18n::{Lang, Msg};
use crate::web::AppState;
use crate::web::ctx::{Ctx, Customer, LANG_COOKIE, set_cookie};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::csrf_field;

/// How long the choice is remembered: a year.
const LANG_COOKIE_SECS: i64 = 365 * 24 * 3600;

/// The path (and query) of the page the switch was clicked on, when the `Referer` names a page
/// of this site; else the start page.
fn back_to(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let referer = headers.get(header::REFERER).and_then(|h| h.to_str().ok());
    let path = referer.and_then(|r| {
        let rest = r.strip_prefix("https://").or_else(|| r.strip_prefix("http://"))?;
        let (authority, path) = rest.split_at(rest.find('/')?);
        (Some(authority) == host).then_some(path)
    });
    match path {
        Some(p) if !p.starts_with("//") && !p.contains('\\') && p.len() < 512 && !p.starts_with("/lang/") => {
            p.to_string()
        }
        _ => "/".to_string(),
    }
}

/// `GET /lang/{code}`: an unknown code is the 404 page.
pub async fn lang_get(Path(code): Path<String>, headers: HeaderMap) -> Result<Response, WebError> {
    let lang = Lang::from_code(&code).filter(|l| l.code() == code).ok_or(WebError::NotFound)?;
    let mut resp = Redirect::to(&back_to(&headers)).into_response();
    resp.headers_mut()
        .append(header::SET_COOKIE, set_cookie(LANG_COOKIE, lang.code(), Some(LANG_COOKIE_SECS)));
    Ok(resp)
}

/// Body of `POST /account/language`: a language code, or empty for the browser's.
#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    language: String,
}

/// `POST /account/language`.
pub async fn language_post(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<LanguageForm>,
) -> Result<Response, WebError> {
    let code = Some(f.language.trim()).filter(|c| !c.is_empty());
    // Without a same-site `Referer` (the switch sends one): the Account page.
    let back = Some(back_to(&headers)).filter(|b| b != "/").unwrap_or_else(|| "/account".into());
    match state.svc.accounts.set_language(s.user.id, code).await {
        Ok(()) => Ok(Redirect::to(&back).into_response()),
        Err(e) => crate::web::ctx::refused(&ctx, &back, e),
    }
}

/// The switch: each language in its own name, the page's own marked. Links for visitors; for a
/// logged-in account buttons of a form that keeps the choice in the account.
pub fn switch(ctx: &Ctx) -> maud::Markup {
    html! {
        nav.langs aria-label=(ctx.t(Msg::LanguageSwitch)) {
            @if ctx.session.is_some() {
                form.inline method="post" action="/account/language" {
                    (csrf_field(ctx))
                    @for (i, l) in Lang::ALL.into_iter().enumerate() {
                        @if i > 0 { " " }
                        @if l == ctx.lang {
                            span lang=(l.code()) aria-current="true" { (l.native_name()) }
                        } @else {
                            button.link type="submit" name="language" value=(l.code()) lang=(l.code()) { (l.native_name()) }
                        }
                    }
                }
            } @else {
                @for l in Lang::ALL {
                    @if l == ctx.lang {
                        span lang=(l.code()) aria-current="true" { (l.native_name()) }
                    } @else {
                        a href={ "/lang/" (l.code()) } lang=(l.code()) hreflang=(l.code()) { (l.native_name()) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(host: &str, referer: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, host.parse().unwrap());
        if let Some(r) = referer {
            h.insert(header::REFERER, r.parse().unwrap());
        }
        h
    }

    #[test]
    fn goes_back_only_to_pages_of_this_site() {
        assert_eq!(back_to(&headers("panel:8443", Some("https://panel:8443/signup?x=1"))), "/signup?x=1");
        assert_eq!(back_to(&headers("panel:8443", Some("https://evil.example/login"))), "/");
        assert_eq!(back_to(&headers("panel:8443", Some("https://panel:8443//evil.example"))), "/");
        assert_eq!(back_to(&headers("panel:8443", Some("https://panel:8443/lang/kk"))), "/");
        assert_eq!(back_to(&headers("panel:8443", None)), "/");
    }
}

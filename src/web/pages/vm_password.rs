//! A server's root password, changed from its page without a reinstall: set in the running
//! guest at once through the QEMU guest agent where the guest runs one, and kept (hashed) for
//! its next reinstall either way; the page says which happened.

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::vm::VmId;
use crate::i18n::Msg;
use crate::service::vms::PasswordApplied;
use crate::web::AppState;
use crate::web::ctx::{Ctx, Door, PathId};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::csrf_field;

/// The panel on the server's page.
/// `agent`: whether the running guest's agent answers (`None`: not running, or unknown).
pub fn password_panel(ctx: &Ctx, base: &str, id: VmId, agent: Option<bool>) -> Markup {
    let t = |m| ctx.t(m);
    html! {
        div.panel {
            h2 { (t(Msg::VmRootPassword)) }
            p.hint { (t(Msg::VmRootPasswordHint)) }
            @match agent {
                Some(true) => p.agent.ok { (t(Msg::VmAgentYes)) },
                Some(false) => p.agent.warn { (t(Msg::VmAgentNo)) },
                None => {},
            }
            form method="post" action={ (base) "/" (id) "/password" } {
                (csrf_field(ctx))
                label for="root-password" { (t(Msg::VmRootPasswordNew)) }
                input #root-password type="password" name="password" autocomplete="new-password" minlength="10" maxlength="128" required;
                div.actions { button.secondary type="submit" { (t(Msg::VmRootPasswordSet)) } }
            }
        }
    }
}

/// `password`: the new root password.
#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

/// `POST {base}/{id}/password`.
pub async fn password_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> Result<Response, WebError> {
    let r =
        state.svc.vms.set_root_password(&door.caller, id, &f.password).await.map(|applied| match applied {
            PasswordApplied::Now => door.ctx.t(Msg::VmRootPasswordNow).to_string(),
            PasswordApplied::AtReinstall(why) => {
                door.ctx.fmt_string(Msg::VmRootPasswordLater, &[("why", why.as_str().into())])
            }
        });
    super::vms::finish(&state, &door, id, r)
}

//! One Telegram update, handled inside the transaction that records it as handled: linking
//! with a one-time code, the menu, a new request (category, servers, description with an
//! optional text log), replies to a request, the list of requests. Replies to the customer are
//! queued in the same transaction, in their language.

use redb::ReadableTable;

use super::api::{Message, Update, User};
use crate::domain::account::UserId;
use crate::domain::support::Category;
use crate::domain::support_hours::{Channel, WorkingHours, target_mins};
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;
use crate::i18n::{Arg, Catalog, Lang, Msg};
use crate::service::Coded;
use crate::service::caller::Caller;
use crate::service::support::{self, NewReply, NewRequest, SupportError};
use crate::store::StoreError;
use crate::store::codec::decode;
use crate::store::records::UserRecord;
use crate::store::support as rec;
use crate::store::tables::{OWNER_SUPPORT, SUPPORT, TG_DIALOGS, TG_USERS, USERS};
use crate::store::telegram::{self as tg, Button, Dialog, Outgoing, TgLink};

/// What handling an update needs besides the transaction.
pub struct Env<'a> {
    /// The time now.
    pub now: Timestamp,
    /// The messages.
    pub catalog: &'a Catalog,
    /// The provider's working hours.
    pub hours: &'a WorkingHours,
}

/// The language to write to a Telegram user in: their account's, else their Telegram app's,
/// else the host's.
pub fn lang_of(catalog: &Catalog, account: Option<&UserRecord>, tg_user: Option<&User>) -> Lang {
    account
        .and_then(|u| u.language.as_deref())
        .and_then(Lang::from_code)
        .or_else(|| tg_user.and_then(|u| u.language_code.as_deref()).and_then(Lang::from_accept_language))
        .unwrap_or(catalog.default_lang())
}

/// Read an account.
pub fn account(tx: &redb::WriteTransaction, user: UserId) -> Result<Option<UserRecord>, StoreError> {
    tx.open_table(USERS)?.get(user.0)?.map(|v| decode(v.value())).transpose()
}

struct Say<'a> {
    catalog: &'a Catalog,
    lang: Lang,
    chat: i64,
}

impl Say<'_> {
    fn t(&self, m: Msg) -> String {
        self.catalog.t(self.lang, m).to_string()
    }

    fn fmt(&self, m: Msg, args: &[Arg<'_>]) -> String {
        self.catalog.fmt(self.lang, m, args)
    }

    fn button(&self, m: Msg, data: &str) -> Button {
        Button { text: self.t(m), data: data.into() }
    }

    fn send(
        &self,
        tx: &redb::WriteTransaction,
        text: String,
        buttons: Vec<Vec<Button>>,
    ) -> Result<(), StoreError> {
        tg::queue(tx, &Outgoing::Text { chat: self.chat, text, buttons }).map(|_| ())
    }

    fn menu(&self, tx: &redb::WriteTransaction, before: Option<String>) -> Result<(), StoreError> {
        let text = match before {
            Some(b) => format!("{b}\n\n{}", self.t(Msg::BotMenu)),
            None => self.t(Msg::BotMenu),
        };
        let buttons = vec![
            vec![self.button(Msg::BotNew, "new"), self.button(Msg::BotOutage, "outage")],
            vec![self.button(Msg::BotRequests, "list")],
        ];
        self.send(tx, text, buttons)
    }

    fn target(&self, mins: i64) -> String {
        if mins % 60 == 0 {
            self.fmt(Msg::SupportHours, &[("n", (mins / 60).into())])
        } else {
            self.fmt(Msg::SupportMinutes, &[("n", mins.into())])
        }
    }

    fn category(&self, c: Category) -> String {
        self.fmt(Msg::SupportCategory, &[("category", c.key().into())])
    }

    fn error(&self, e: &SupportError) -> String {
        let text = self.catalog.error(self.lang, e.code(), &e.args()).unwrap_or_else(|| e.to_string());
        self.fmt(Msg::BotNotFiled, &[("error", text.into()), ("code", e.code().into())])
    }
}

/// Handle `upd` inside `tx`. `file` is the text log the message carried, already fetched.
pub fn handle_in(
    tx: &redb::WriteTransaction,
    env: &Env<'_>,
    upd: &Update,
    file: Option<Result<crate::store::support::Attachment, SupportError>>,
) -> Result<(), StoreError> {
    let (from, chat, text, data) = match (&upd.message, &upd.callback_query) {
        (Some(m), _) => (m.from.as_ref(), m.chat.id, message_text(m), None),
        (None, Some(q)) => {
            (Some(&q.from), q.message.as_ref().map_or(q.from.id, |m| m.chat.id), None, q.data.clone())
        }
        (None, None) => return Ok(()),
    };
    let Some(from) = from else { return Ok(()) };
    // Only the private chat with the bot: a group could mix up whose request is whose.
    if upd.message.as_ref().is_some_and(|m| m.chat.kind != "private") {
        return Ok(());
    }
    let user = tg::user_of(&tx.open_table(TG_USERS)?, from.id)?;
    let acct = match user {
        Some(u) => account(tx, u)?.filter(|a| !a.disabled),
        None => None,
    };
    let say = Say { catalog: env.catalog, lang: lang_of(env.catalog, acct.as_ref(), Some(from)), chat };

    if let Some(code) = text.as_deref().and_then(|t| t.strip_prefix("/start")).map(str::trim)
        && !code.is_empty()
    {
        return link(tx, env, &say, from, chat, code);
    }
    let Some(acct) = acct else {
        return say.send(tx, say.t(Msg::BotNotLinked), vec![]);
    };
    let caller = Caller::of(acct.id, acct.role, format!("telegram:{}", from.id));
    let dialog = tg::dialog(&tx.open_table(TG_DIALOGS)?, from.id)?;
    let next = match (data.as_deref(), text.as_deref(), dialog) {
        (Some("cancel"), ..) | (None, Some("/cancel"), _) => {
            say.menu(tx, Some(say.t(Msg::BotCancelled)))?;
            Dialog::Idle
        }
        (Some("new"), ..) | (None, Some("/new"), _) => {
            let buttons = Category::ALL
                .iter()
                .map(|c| {
                    vec![Button {
                        text: format!("{} — {}", say.category(*c), say.target(c.target_mins())),
                        data: format!("cat:{}", c.key()),
                    }]
                })
                .chain([vec![say.button(Msg::BotCancel, "cancel")]])
                .collect();
            say.send(tx, say.t(Msg::BotChooseCategory), buttons)?;
            Dialog::Idle
        }
        (Some("outage"), ..) | (None, Some("/outage"), _) => {
            start_request(tx, env, &say, acct.id, Category::FullOutage)?
        }
        (Some(d), ..) if d.starts_with("cat:") => match Category::from_key(&d[4..]) {
            Some(c) => start_request(tx, env, &say, acct.id, c)?,
            None => Dialog::Idle,
        },
        (Some(d), _, Dialog::Servers { category, mut vms, since }) if d.starts_with("vm:") => {
            if let Ok(id) = d[3..].parse().map(VmId) {
                if let Some(at) = vms.iter().position(|v| *v == id) {
                    vms.remove(at);
                } else {
                    vms.push(id);
                }
            }
            servers_question(tx, &say, acct.id, &vms)?;
            Dialog::Servers { category, vms, since }
        }
        (Some("done"), _, Dialog::Servers { category, vms, since }) => {
            describe(&say, tx, category, vms, since)?
        }
        (Some("none"), _, Dialog::Servers { category, since, .. }) => {
            describe(&say, tx, category, vec![], since)?
        }
        (Some("list"), ..) | (None, Some("/requests"), _) => {
            list(tx, &say, acct.id)?;
            Dialog::Idle
        }
        (Some(d), ..) if d.starts_with("open:") => match d[5..].parse::<u64>() {
            Ok(id) => match rec::get(&tx.open_table(SUPPORT)?, id)? {
                Some(r) if r.owner == acct.id => {
                    say.send(
                        tx,
                        say.fmt(Msg::BotThread, &[("id", id.into()), ("subject", r.subject.as_str().into())]),
                        vec![],
                    )?;
                    Dialog::Thread { id }
                }
                _ => Dialog::Idle,
            },
            Err(_) => Dialog::Idle,
        },
        (None, Some(t), Dialog::Describe { category, vms, since }) if !t.starts_with('/') => {
            let (subject, body) = subject_and_body(t);
            let attachments = match file {
                Some(Ok(a)) => vec![a],
                Some(Err(e)) => return say.send(tx, say.error(&e), vec![]),
                None => vec![],
            };
            let n = NewRequest {
                category,
                subject,
                body,
                vms: vms.clone(),
                attachments,
                channel: Channel::Telegram,
                reported_at: Some(since),
            };
            match support::file_in(tx, env.now, env.hours, acct.id, n, &caller) {
                Ok(r) => {
                    let target = target_mins(category, Channel::Telegram, env.now, env.hours);
                    let due = r.due.map(|d| say.lang.time(d)).unwrap_or_default();
                    let text = say.fmt(
                        Msg::BotFiled,
                        &[("id", r.id.into()), ("target", say.target(target).into()), ("due", due.into())],
                    );
                    say.send(tx, text, vec![])?;
                    Dialog::Thread { id: r.id }
                }
                Err(SupportError::Store(e)) => return Err(e),
                Err(e) => {
                    say.send(tx, say.error(&e), vec![])?;
                    Dialog::Describe { category, vms, since }
                }
            }
        }
        (None, Some(t), Dialog::Thread { id }) if !t.starts_with('/') => {
            let attachments = match file {
                Some(Ok(a)) => vec![a],
                Some(Err(e)) => return say.send(tx, say.error(&e), vec![]),
                None => vec![],
            };
            let reply = NewReply { body: t.to_string(), attachments, resolve: false };
            match support::reply_in(tx, env.now, env.hours, &caller, id, reply) {
                Ok(r) => {
                    say.send(tx, say.fmt(Msg::BotAdded, &[("id", r.id.into())]), vec![])?;
                    Dialog::Thread { id }
                }
                Err(SupportError::Store(e)) => return Err(e),
                Err(e) => {
                    say.menu(tx, Some(say.error(&e)))?;
                    Dialog::Idle
                }
            }
        }
        (_, _, d) => {
            say.menu(tx, None)?;
            d
        }
    };
    tg::set_dialog(tx, from.id, &next)
}

/// A message's words: its text, or a file's caption (a file alone counts as "see the log").
fn message_text(m: &Message) -> Option<String> {
    m.text
        .clone()
        .or_else(|| m.caption.clone())
        .or_else(|| m.document.as_ref().map(|d| d.file_name.clone().unwrap_or_else(|| "log".into())))
}

/// The subject (first line, at most 200 characters) and the whole text as the body.
fn subject_and_body(t: &str) -> (String, String) {
    let first = t.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    (first.chars().take(200).collect(), t.trim().to_string())
}

fn link(
    tx: &redb::WriteTransaction,
    env: &Env<'_>,
    say: &Say<'_>,
    from: &User,
    chat: i64,
    code: &str,
) -> Result<(), StoreError> {
    let rec = tg::take_code(tx, code)?.filter(|c| c.expires_at > env.now);
    let acct = match rec {
        Some(c) => account(tx, c.user)?.filter(|a| !a.disabled),
        None => None,
    };
    let Some(acct) = acct else {
        return say.send(tx, say.t(Msg::BotLinkBad), vec![]);
    };
    let name = from.username.as_ref().map(|u| format!("@{u}")).unwrap_or_else(|| from.first_name.clone());
    tg::put_link(
        tx,
        &TgLink { user: acct.id, tg_user: from.id, chat, name: name.clone(), linked_at: env.now },
    )?;
    let caller = Caller::of(acct.id, acct.role, format!("telegram:{}", from.id));
    crate::service::audit::record(tx, env.now, &caller, acct.id, "telegram", "telegram.link", &name)?;
    let say = Say { lang: lang_of(env.catalog, Some(&acct), Some(from)), ..*say };
    say.menu(tx, Some(say.fmt(Msg::BotLinked, &[("email", acct.email.as_str().into())])))?;
    tg::set_dialog(tx, from.id, &Dialog::Idle)
}

fn servers_of(tx: &redb::WriteTransaction, user: UserId) -> Result<Vec<(VmId, String)>, StoreError> {
    let list = crate::store::vms::owned(&tx.open_table(crate::store::tables::OWNER_VMS)?, user)?;
    Ok(list.into_iter().map(|v| (v.id, v.hostname.to_string())).collect())
}

fn start_request(
    tx: &redb::WriteTransaction,
    env: &Env<'_>,
    say: &Say<'_>,
    user: UserId,
    category: Category,
) -> Result<Dialog, StoreError> {
    if servers_of(tx, user)?.is_empty() {
        return describe(say, tx, category, vec![], env.now);
    }
    servers_question(tx, say, user, &[])?;
    Ok(Dialog::Servers { category, vms: vec![], since: env.now })
}

fn servers_question(
    tx: &redb::WriteTransaction,
    say: &Say<'_>,
    user: UserId,
    picked: &[VmId],
) -> Result<(), StoreError> {
    let mut rows: Vec<Vec<Button>> = servers_of(tx, user)?
        .into_iter()
        .map(|(id, host)| {
            let mark = if picked.contains(&id) { "✓ " } else { "" };
            vec![Button { text: format!("{mark}{host} (#{id})"), data: format!("vm:{id}") }]
        })
        .collect();
    rows.push(vec![say.button(Msg::BotDone, "done"), say.button(Msg::BotNoServer, "none")]);
    rows.push(vec![say.button(Msg::BotCancel, "cancel")]);
    say.send(tx, say.t(Msg::BotChooseServers), rows)
}

fn describe(
    say: &Say<'_>,
    tx: &redb::WriteTransaction,
    category: Category,
    vms: Vec<VmId>,
    since: Timestamp,
) -> Result<Dialog, StoreError> {
    let mut text = say.t(Msg::BotDescribe);
    if category.is_incident() {
        text = format!("{}\n{text}", say.t(Msg::BotOutageCounted));
    }
    say.send(tx, text, vec![vec![say.button(Msg::BotCancel, "cancel")]])?;
    Ok(Dialog::Describe { category, vms, since })
}

fn list(tx: &redb::WriteTransaction, say: &Say<'_>, user: UserId) -> Result<(), StoreError> {
    let t = tx.open_table(SUPPORT)?;
    let mut rows = Vec::new();
    for id in rec::ids_of(&tx.open_table(OWNER_SUPPORT)?, user)?.into_iter().take(10) {
        if let Some(r) = rec::get(&t, id)? {
            let status = say.fmt(Msg::SupportStatus, &[("status", r.status.label().into())]);
            rows.push(vec![Button {
                text: format!("#{} {} — {status}", r.id, r.subject),
                data: format!("open:{}", r.id),
            }]);
        }
    }
    if rows.is_empty() {
        return say.menu(tx, Some(say.t(Msg::BotNoRequests)));
    }
    say.send(tx, say.t(Msg::BotList), rows)
}

//! Migration steps of the cabinet's languages: accounts' language preference; notices, incident
//! histories and audit details as messages of the bundles.

use redb::WriteTransaction;

use super::steps::old_record;
use crate::store::StoreError;

/// Version 1 accounts had no language: each keeps the browser's (`None`).
pub(super) fn v9_user_language(tx: &WriteTransaction) -> Result<(), StoreError> {
    use redb::ReadableTable;
    use serde::Deserialize;

    use crate::domain::account::{Email, Role, UserId};
    use crate::domain::time::Timestamp;
    use crate::store::codec::encode;
    use crate::store::records::UserRecord;
    use crate::store::tables::USERS;

    #[derive(Deserialize)]
    struct UserV1 {
        id: UserId,
        email: Email,
        password_hash: String,
        role: Role,
        disabled: bool,
        created_at: Timestamp,
        password_changed_at: Timestamp,
    }
    let mut table = tx.open_table(USERS)?;
    let mut rows = Vec::new();
    for row in table.iter()? {
        let (k, v) = row?;
        let u: UserV1 = old_record("user", 1, v.value())?;
        let rec = UserRecord {
            id: u.id,
            email: u.email,
            password_hash: u.password_hash,
            role: u.role,
            disabled: u.disabled,
            created_at: u.created_at,
            password_changed_at: u.password_changed_at,
            language: None,
        };
        rows.push((k.value(), encode(&rec)?));
    }
    for (k, v) in &rows {
        table.insert(*k, v.as_slice())?;
    }
    tracing::info!(accounts = rows.len(), "accounts upgraded (language: the browser's)");
    Ok(())
}

/// Version 1 notices had only their English text: they keep it and show it in every language
/// (no message to render them from).
pub(super) fn v11_notice_text(tx: &WriteTransaction) -> Result<(), StoreError> {
    use redb::ReadableTable;
    use serde::Deserialize;

    use crate::store::codec::encode;
    use crate::store::notices::{Audience, NoticeRecord};
    use crate::store::tables::NOTICES;

    #[derive(Deserialize)]
    struct NoticeV1 {
        id: u64,
        to: Audience,
        at: crate::domain::time::Timestamp,
        kind: String,
        subject: String,
        body: String,
        link: Option<String>,
    }
    let mut table = tx.open_table(NOTICES)?;
    let mut rows = Vec::new();
    for row in table.iter()? {
        let (k, v) = row?;
        let n: NoticeV1 = old_record("notice", 1, v.value())?;
        let rec = NoticeRecord {
            id: n.id,
            to: n.to,
            at: n.at,
            kind: n.kind,
            subject: n.subject,
            body: n.body,
            link: n.link,
            text: None,
        };
        rows.push((k.value(), encode(&rec)?));
    }
    for (k, v) in &rows {
        table.insert(*k, v.as_slice())?;
    }
    tracing::info!(notices = rows.len(), "notices upgraded (their English text kept)");
    Ok(())
}

/// Version 1 incidents: their history lines had only English text (they keep it and show it in
/// every language), and a customer's report had its title prefixed in English (the pages now
/// say it in the reader's language).
pub(super) fn v12_incident_messages(tx: &WriteTransaction) -> Result<(), StoreError> {
    use redb::ReadableTable;
    use serde::Deserialize;

    use crate::domain::account::UserId;
    use crate::domain::incident::{Blame, Scope, Severity};
    use crate::domain::time::Timestamp;
    use crate::store::codec::encode;
    use crate::store::incidents::{IncidentRecord, IncidentUpdate};
    use crate::store::tables::INCIDENTS;

    #[derive(Deserialize)]
    struct UpdateV1 {
        at: Timestamp,
        text: String,
    }
    #[derive(Deserialize)]
    struct IncidentV1 {
        id: u64,
        severity: Severity,
        scope: Scope,
        title: String,
        started: Timestamp,
        ended: Option<Timestamp>,
        blame: Blame,
        request: Option<u64>,
        reported_by: Option<UserId>,
        updates: Vec<UpdateV1>,
    }
    const PREFIX: &str = "Reported by a customer: ";
    let mut table = tx.open_table(INCIDENTS)?;
    let mut rows = Vec::new();
    for row in table.iter()? {
        let (k, v) = row?;
        let i: IncidentV1 = old_record("incident", 1, v.value())?;
        let title = match i.title.strip_prefix(PREFIX) {
            Some(rest) if i.reported_by.is_some() => rest.to_string(),
            _ => i.title,
        };
        let rec = IncidentRecord {
            id: i.id,
            severity: i.severity,
            scope: i.scope,
            title,
            started: i.started,
            ended: i.ended,
            blame: i.blame,
            request: i.request,
            reported_by: i.reported_by,
            updates: i
                .updates
                .into_iter()
                .map(|u| IncidentUpdate { at: u.at, text: u.text, told: None })
                .collect(),
        };
        rows.push((k.value(), encode(&rec)?));
    }
    for (k, v) in &rows {
        table.insert(*k, v.as_slice())?;
    }
    tracing::info!(incidents = rows.len(), "incidents upgraded (their history's English kept)");
    Ok(())
}

/// Version 1 audit entries had only their details' text: they keep it and show it in every
/// language.
pub(super) fn v13_audit_messages(tx: &WriteTransaction) -> Result<(), StoreError> {
    use redb::ReadableTable;
    use serde::Deserialize;

    use crate::domain::account::UserId;
    use crate::domain::time::Timestamp;
    use crate::store::codec::encode;
    use crate::store::records::AuditRecord;
    use crate::store::tables::AUDIT;

    #[derive(Deserialize)]
    struct AuditV1 {
        seq: u64,
        at: Timestamp,
        actor: Option<UserId>,
        ip: String,
        owner: UserId,
        resource: String,
        action: String,
        detail: String,
    }
    let mut table = tx.open_table(AUDIT)?;
    let mut rows = Vec::new();
    for row in table.iter()? {
        let (k, v) = row?;
        let a: AuditV1 = old_record("audit", 1, v.value())?;
        let rec = AuditRecord {
            seq: a.seq,
            at: a.at,
            actor: a.actor,
            ip: a.ip,
            owner: a.owner,
            resource: a.resource,
            action: a.action,
            detail: a.detail,
            told: None,
        };
        rows.push((k.value(), encode(&rec)?));
    }
    for (k, v) in &rows {
        table.insert(*k, v.as_slice())?;
    }
    tracing::info!(entries = rows.len(), "audit entries upgraded (their details' text kept)");
    Ok(())
}

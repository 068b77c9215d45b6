//! Tests of the steps of the cabinet's languages on files in the older shapes.

use redb::{Database, ReadableDatabase};

use super::*;
use crate::domain::time::Timestamp;
use crate::store::tables::{self, META, META_SCHEMA_VERSION};

use super::tests::versioned;

#[test]
fn v9_accounts_keep_the_browsers_language() {
    use crate::domain::account::{Email, Role, UserId};
    use crate::store::codec::decode;
    use crate::store::records::UserRecord;
    use crate::store::tables::USERS;
    #[derive(serde::Serialize)]
    struct UserV1 {
        id: UserId,
        email: Email,
        password_hash: String,
        role: Role,
        disabled: bool,
        created_at: Timestamp,
        password_changed_at: Timestamp,
    }
    let db = Database::builder().create_with_backend(redb::backends::InMemoryBackend::new()).unwrap();
    let tx = db.begin_write().unwrap();
    tables::create_all(&tx).unwrap();
    tx.open_table(META).unwrap().insert(META_SCHEMA_VERSION, 9).unwrap();
    let old = UserV1 {
        id: UserId(3),
        email: Email::parse("a@example.com").unwrap(),
        password_hash: "$argon2id$x".into(),
        role: Role::Admin,
        disabled: true,
        created_at: Timestamp::from_secs(10),
        password_changed_at: Timestamp::from_secs(20),
    };
    tx.open_table(USERS).unwrap().insert(3, versioned(1, &old).as_slice()).unwrap();
    tx.commit().unwrap();
    assert_eq!(migrate(&db, STEPS).unwrap(), 9);
    let tx = db.begin_read().unwrap();
    let u: UserRecord = decode(tx.open_table(USERS).unwrap().get(3).unwrap().unwrap().value()).unwrap();
    assert_eq!((u.id, u.email.as_str(), u.role, u.disabled), (UserId(3), "a@example.com", Role::Admin, true));
    assert_eq!(
        (u.created_at, u.password_changed_at, u.language),
        (Timestamp::from_secs(10), Timestamp::from_secs(20), None)
    );
}

#[test]
fn v11_notices_keep_their_english_text() {
    use crate::store::codec::decode;
    use crate::store::notices::{Audience, NoticeRecord};
    use crate::store::tables::NOTICES;
    #[derive(serde::Serialize)]
    struct NoticeV1 {
        id: u64,
        to: Audience,
        at: Timestamp,
        kind: String,
        subject: String,
        body: String,
        link: Option<String>,
    }
    let db = Database::builder().create_with_backend(redb::backends::InMemoryBackend::new()).unwrap();
    let tx = db.begin_write().unwrap();
    tables::create_all(&tx).unwrap();
    tx.open_table(META).unwrap().insert(META_SCHEMA_VERSION, 11).unwrap();
    let old = NoticeV1 {
        id: 9,
        to: Audience::Admins,
        at: Timestamp::from_secs(50),
        kind: "backup.failed".into(),
        subject: "Backup of web failed".into(),
        body: "Disk full".into(),
        link: Some("/admin/backups".into()),
    };
    tx.open_table(NOTICES).unwrap().insert((0, 9), versioned(1, &old).as_slice()).unwrap();
    tx.commit().unwrap();
    assert_eq!(migrate(&db, STEPS).unwrap(), 11);
    let tx = db.begin_read().unwrap();
    let n: NoticeRecord =
        decode(tx.open_table(NOTICES).unwrap().get((0, 9)).unwrap().unwrap().value()).unwrap();
    assert_eq!((n.id, n.to, n.at), (9, Audience::Admins, Timestamp::from_secs(50)));
    assert_eq!(
        (n.kind.as_str(), n.subject.as_str(), n.body.as_str()),
        ("backup.failed", "Backup of web failed", "Disk full")
    );
    assert_eq!((n.link.as_deref(), &n.text), (Some("/admin/backups"), &None));
}

#[test]
fn v12_incidents_keep_their_history_and_lose_the_english_prefix() {
    use crate::domain::account::UserId;
    use crate::domain::incident::{Blame, Scope, Severity};
    use crate::domain::vm::VmId;
    use crate::store::codec::decode;
    use crate::store::incidents::IncidentRecord;
    use crate::store::tables::INCIDENTS;
    #[derive(serde::Serialize)]
    struct UpdateV1 {
        at: Timestamp,
        text: String,
    }
    #[derive(serde::Serialize)]
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
    let db = Database::builder().create_with_backend(redb::backends::InMemoryBackend::new()).unwrap();
    let tx = db.begin_write().unwrap();
    tables::create_all(&tx).unwrap();
    tx.open_table(META).unwrap().insert(META_SCHEMA_VERSION, 12).unwrap();
    let incident = |id: u64, title: &str, reported: bool| IncidentV1 {
        id,
        severity: Severity::Outage,
        scope: Scope::Vms(vec![VmId(4)]),
        title: title.into(),
        started: Timestamp::from_secs(100),
        ended: None,
        blame: Blame::Provider,
        request: reported.then_some(7),
        reported_by: reported.then_some(UserId(3)),
        updates: vec![UpdateV1 {
            at: Timestamp::from_secs(100),
            text: "Reported in support request #7.".into(),
        }],
    };
    let reported = incident(1, "Reported by a customer: site down", true);
    // An admin's incident keeps its title even if it reads like a report.
    let declared = incident(2, "Reported by a customer: also", false);
    tx.open_table(INCIDENTS).unwrap().insert(1, versioned(1, &reported).as_slice()).unwrap();
    tx.open_table(INCIDENTS).unwrap().insert(2, versioned(1, &declared).as_slice()).unwrap();
    tx.commit().unwrap();
    assert_eq!(migrate(&db, STEPS).unwrap(), 12);
    let tx = db.begin_read().unwrap();
    let get = |id: u64| -> IncidentRecord {
        decode(tx.open_table(INCIDENTS).unwrap().get(id).unwrap().unwrap().value()).unwrap()
    };
    let (one, two) = (get(1), get(2));
    assert_eq!((one.title.as_str(), one.reported_by, one.request), ("site down", Some(UserId(3)), Some(7)));
    assert_eq!(one.updates.len(), 1);
    assert_eq!(
        (one.updates[0].text.as_str(), &one.updates[0].told),
        ("Reported in support request #7.", &None)
    );
    assert_eq!((two.title.as_str(), two.reported_by), ("Reported by a customer: also", None));
}

#[test]
fn v13_audit_entries_keep_their_details() {
    use crate::domain::account::UserId;
    use crate::store::codec::decode;
    use crate::store::records::AuditRecord;
    use crate::store::tables::AUDIT;
    #[derive(serde::Serialize)]
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
    let db = Database::builder().create_with_backend(redb::backends::InMemoryBackend::new()).unwrap();
    let tx = db.begin_write().unwrap();
    tables::create_all(&tx).unwrap();
    tx.open_table(META).unwrap().insert(META_SCHEMA_VERSION, 13).unwrap();
    let old = AuditV1 {
        seq: 5,
        at: Timestamp::from_secs(9),
        actor: None,
        ip: "192.0.2.1".into(),
        owner: UserId(2),
        resource: "vm:3".into(),
        action: "backup.start".into(),
        detail: "backup 4 on request".into(),
    };
    tx.open_table(AUDIT).unwrap().insert(5, versioned(1, &old).as_slice()).unwrap();
    tx.commit().unwrap();
    assert_eq!(migrate(&db, STEPS).unwrap(), 13);
    let tx = db.begin_read().unwrap();
    let a: AuditRecord = decode(tx.open_table(AUDIT).unwrap().get(5).unwrap().unwrap().value()).unwrap();
    assert_eq!((a.seq, a.at, a.actor, a.owner), (5, Timestamp::from_secs(9), None, UserId(2)));
    assert_eq!(
        (a.ip.as_str(), a.resource.as_str(), a.action.as_str()),
        ("192.0.2.1", "vm:3", "backup.start")
    );
    assert_eq!((a.detail.as_str(), a.told), ("backup 4 on request", None));
}

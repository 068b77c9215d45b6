//! What can go wrong with a support request, with the codes customers see.

use crate::service::{Coded, ErrorKind};
use crate::store::StoreError;

/// A support request could not be filed, read or answered.
#[derive(Debug, thiserror::Error)]
pub enum SupportError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A message that is empty or too long.
    #[error("Write a message of up to 10,000 characters")]
    Body,
    /// A subject that is empty, too long or not one line.
    #[error("The subject is one line of up to 200 characters")]
    Subject,
    /// A server that is not the customer's.
    #[error("You have no server #{0}")]
    NotYourServer(u64),
    /// The input is wrong (admin commands).
    #[error("{0}")]
    Invalid(String),
    /// No such request (or not yours).
    #[error("No such support request")]
    NotFound,
    /// Closed requests take no replies.
    #[error("This request is closed; file a new one")]
    Closed,
    /// An attachment over the size limit.
    #[error("{0}: attachments are text logs of at most {1} KiB")]
    AttachmentTooBig(String, usize),
    /// An attachment that is not text.
    #[error("{0}: only text files (logs) can be attached")]
    AttachmentNotText(String),
    /// Too many attachments.
    #[error("At most {0} attachments per message")]
    TooManyAttachments(usize),
}

store_error_conversions!(SupportError);

impl Coded for SupportError {
    fn code(&self) -> &'static str {
        match self {
            SupportError::Store(e) => e.code(),
            SupportError::Invalid(_)
            | SupportError::Body
            | SupportError::Subject
            | SupportError::NotYourServer(_) => "SUP0001",
            SupportError::NotFound => "SUP0002",
            SupportError::Closed => "SUP0003",
            SupportError::AttachmentTooBig(..)
            | SupportError::AttachmentNotText(_)
            | SupportError::TooManyAttachments(_) => "SUP0004",
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            SupportError::Store(e) => e.kind(),
            SupportError::NotFound => ErrorKind::NotFound,
            SupportError::Closed => ErrorKind::Conflict,
            _ => ErrorKind::Invalid,
        }
    }

    fn args(&self) -> crate::error::Args {
        match self {
            SupportError::Store(e) => e.args(),
            SupportError::Invalid(d) => vec![("reason", "detail".into()), ("detail", d.as_str().into())],
            SupportError::Body => crate::error::reason("body"),
            SupportError::Subject => crate::error::reason("subject"),
            SupportError::NotYourServer(v) => vec![("reason", "server".into()), ("server", (*v).into())],
            SupportError::AttachmentTooBig(name, kib) => {
                vec![("reason", "too-big".into()), ("name", name.as_str().into()), ("max", (*kib).into())]
            }
            SupportError::AttachmentNotText(name) => {
                vec![("reason", "not-text".into()), ("name", name.as_str().into())]
            }
            SupportError::TooManyAttachments(n) => vec![("reason", "too-many".into()), ("max", (*n).into())],
            _ => Vec::new(),
        }
    }
}

//! Stored values: a one-byte record version followed by the record in postcard encoding.
//! A record type changes shape by bumping its `VERSION` and adding a step to `migrate`.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::StoreError;

/// A value stored in a table.
pub trait Record: Serialize + DeserializeOwned {
    /// Name for error messages.
    const KIND: &'static str;
    /// Current version of the encoding.
    const VERSION: u8;
}

/// Encode a record with its version byte.
pub fn encode<R: Record>(record: &R) -> Result<Vec<u8>, StoreError> {
    let mut out = vec![R::VERSION];
    let body = postcard::to_stdvec(record)
        .map_err(|e| StoreError::Encode { kind: R::KIND, reason: e.to_string() })?;
    out.extend_from_slice(&body);
    Ok(out)
}

/// Decode a record, refusing a version other than the current one (migrations run first, so a
/// different version means a damaged file or a bug).
pub fn decode<R: Record>(bytes: &[u8]) -> Result<R, StoreError> {
    postcard::from_bytes(body::<R>(bytes)?)
        .map_err(|e| StoreError::Corrupt { kind: R::KIND, reason: e.to_string() })
}

/// A record read in place: the same encoding as the record [`View::Of`], with its text borrowed
/// from the stored bytes instead of copied (for list pages that read hundreds of records).
pub trait View<'a>: Deserialize<'a> {
    /// The record it reads.
    type Of: Record;
}

/// Decode a view of a record, with the same version check as [`decode`].
pub fn decode_view<'a, V: View<'a>>(bytes: &'a [u8]) -> Result<V, StoreError> {
    postcard::from_bytes(body::<V::Of>(bytes)?)
        .map_err(|e| StoreError::Corrupt { kind: V::Of::KIND, reason: e.to_string() })
}

/// The encoded body of a value of `R`, after checking its version byte.
fn body<R: Record>(bytes: &[u8]) -> Result<&[u8], StoreError> {
    let (version, body) = bytes
        .split_first()
        .ok_or_else(|| StoreError::Corrupt { kind: R::KIND, reason: "empty value".into() })?;
    if *version != R::VERSION {
        return Err(StoreError::Corrupt {
            kind: R::KIND,
            reason: format!("version {version}, expected {}", R::VERSION),
        });
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Thing {
        a: u32,
        b: String,
    }
    impl Record for Thing {
        const KIND: &'static str = "thing";
        const VERSION: u8 = 3;
    }

    #[test]
    fn round_trip_and_version_check() {
        let t = Thing { a: 7, b: "x".into() };
        let bytes = encode(&t).unwrap();
        assert_eq!(bytes[0], 3);
        assert_eq!(decode::<Thing>(&bytes).unwrap(), t);
        let mut wrong = bytes.clone();
        wrong[0] = 2;
        assert!(decode::<Thing>(&wrong).unwrap_err().to_string().contains("version 2"));
        assert!(decode::<Thing>(&[]).is_err());
        assert!(decode::<Thing>(&[3, 0xff]).is_err());
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct ThingView<'a> {
        a: u32,
        b: &'a str,
    }
    impl<'a> View<'a> for ThingView<'a> {
        type Of = Thing;
    }

    #[test]
    fn a_view_reads_the_record_in_place_with_the_same_checks() {
        let bytes = encode(&Thing { a: 9, b: "in place".into() }).unwrap();
        let v: ThingView<'_> = decode_view(&bytes).unwrap();
        assert_eq!(v, ThingView { a: 9, b: "in place" });
        assert!(std::ptr::eq(v.b.as_ptr(), bytes[bytes.len() - 8..].as_ptr()), "borrowed, not copied");
        let mut wrong = bytes.clone();
        wrong[0] = 1;
        assert!(decode_view::<ThingView<'_>>(&wrong).unwrap_err().to_string().contains("version 1"));
    }
}

//! Stored values: a one-byte record version followed by the record in postcard encoding.
//! A record type changes shape by bumping its `VERSION` and adding a step to `migrate`.

use serde::Serialize;
use serde::de::DeserializeOwned;

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

/// The byte string a record of `R` that keeps its own layout is encoded as (one postcard byte
/// string after the version byte), borrowed from the stored value after the same version check
/// as [`decode`]: for a record read in place, field by field, without copying its text.
pub fn decode_bytes<R: Record>(bytes: &[u8]) -> Result<&[u8], StoreError> {
    postcard::from_bytes(body::<R>(bytes)?)
        .map_err(|e| StoreError::Corrupt { kind: R::KIND, reason: e.to_string() })
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
    use serde::Deserialize;

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

    /// A record that keeps its own layout in a byte string.
    struct Raw(Vec<u8>);
    impl Serialize for Raw {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(&self.0)
        }
    }
    impl<'de> Deserialize<'de> for Raw {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            <&[u8]>::deserialize(d).map(|b| Raw(b.to_vec()))
        }
    }
    impl Record for Raw {
        const KIND: &'static str = "raw";
        const VERSION: u8 = 2;
    }

    #[test]
    fn a_byte_string_is_read_in_place_with_the_same_checks() {
        let bytes = encode(&Raw(b"in place".to_vec())).unwrap();
        let raw = decode_bytes::<Raw>(&bytes).unwrap();
        assert_eq!(raw, b"in place");
        assert!(std::ptr::eq(raw.as_ptr(), bytes[bytes.len() - 8..].as_ptr()), "borrowed, not copied");
        let mut wrong = bytes.clone();
        wrong[0] = 1;
        assert!(decode_bytes::<Raw>(&wrong).unwrap_err().to_string().contains("version 1"));
        assert!(decode_bytes::<Raw>(&bytes[..bytes.len() - 1]).is_err(), "cut short");
    }
}

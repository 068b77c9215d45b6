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
    let (version, body) =
        bytes.split_first().ok_or(StoreError::Corrupt { kind: R::KIND, reason: "empty value".into() })?;
    if *version != R::VERSION {
        return Err(StoreError::Corrupt {
            kind: R::KIND,
            reason: format!("version {version}, expected {}", R::VERSION),
        });
    }
    postcard::from_bytes(body).map_err(|e| StoreError::Corrupt { kind: R::KIND, reason: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

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
}

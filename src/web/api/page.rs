//! Lists: `?limit=&cursor=`, answered with `items` and `next_cursor` (absent on the last page).
//! A cursor is the last id of the previous page, so pages stay right while items come and go.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::problem::ApiError;

/// Most items a page holds, and the default.
pub const MAX_LIMIT: usize = 500;
const DEFAULT_LIMIT: usize = 100;

/// Which page of a list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1–500 (default 100).
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    /// The items, by id.
    pub items: Vec<T>,
    /// Where the next page starts; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

impl PageQuery {
    /// The page of `all` (sorted by `id`) this query asks for.
    pub fn page<T: ToSchema>(&self, mut all: Vec<T>, id: impl Fn(&T) -> u64) -> Result<Page<T>, ApiError> {
        let (limit, after) = self.checked()?;
        all.sort_by_key(|t| id(t));
        let start = after.map_or(0, |a| all.partition_point(|t| id(t) <= a));
        let mut items: Vec<T> = all.into_iter().skip(start).take(limit + 1).collect();
        let next_cursor = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|t| id(t).to_string())
        } else {
            None
        };
        Ok(Page { items, next_cursor })
    }

    /// The limit and the id after which the page starts, or why they are wrong.
    fn checked(&self) -> Result<(usize, Option<u64>), ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(bad("limit", format!("Give a limit of 1 to {MAX_LIMIT}")));
        }
        let after = match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            Some(c) => Some(
                c.parse::<u64>().map_err(|_| bad("cursor", "Give the next_cursor of the previous page"))?,
            ),
            None => None,
        };
        Ok((limit, after))
    }
}

/// A page written while its items are visited in ascending id order, each serialized as it
/// comes: an item may borrow from a store read that ends with the visit, and no list of
/// owned copies is built. The bytes are those `Json(Page<T>)` answers (a test compares).
pub struct PageWriter {
    out: Vec<u8>,
    limit: usize,
    after: Option<u64>,
    count: usize,
    last: u64,
    more: bool,
}

impl PageWriter {
    /// A writer for the page `query` asks for, with room for a full page of items of about
    /// `item_size` bytes (up to 64 KiB at first).
    pub fn new(query: &PageQuery, item_size: usize) -> Result<PageWriter, ApiError> {
        let (limit, after) = query.checked()?;
        let mut out = Vec::with_capacity((64 + limit.saturating_mul(item_size)).min(64 << 10));
        out.extend_from_slice(b"{\"items\":[");
        Ok(PageWriter { out, limit, after, count: 0, last: 0, more: false })
    }

    /// The id after which the page starts (a visit may start there).
    pub fn after(&self) -> Option<u64> {
        self.after
    }

    /// Whether the item of `id` goes on the page (call before building it); `false` for an
    /// item after a full page also records that the list goes on.
    pub fn wants(&mut self, id: u64) -> bool {
        if self.after.is_some_and(|a| id <= a) {
            return false;
        }
        if self.count == self.limit {
            self.more = true;
            return false;
        }
        true
    }

    /// Writes the item of `id` with `write`, which writes the bytes serde would (ids
    /// ascending, each first passed by [`PageWriter::wants`]).
    pub fn push_with(&mut self, id: u64, write: impl FnOnce(&mut Vec<u8>)) {
        if self.count > 0 {
            self.out.push(b',');
        }
        write(&mut self.out);
        self.count += 1;
        self.last = id;
    }

    /// The page as a response.
    pub fn finish(mut self) -> Response {
        self.out.push(b']');
        if self.more {
            let mut id = itoa::Buffer::new();
            for part in [&b",\"next_cursor\":\""[..], id.format(self.last).as_bytes(), b"\""] {
                self.out.extend_from_slice(part);
            }
        }
        self.out.push(b'}');
        ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], self.out).into_response()
    }
}

/// Whether JSON writes `s` as it is, between quotes: it holds no byte JSON must escape (a
/// control character, `"` or `\\`).
pub fn plain(s: &str) -> bool {
    // Every byte looked at, without an early exit: the loop vectorizes, and a list's strings
    // are short and almost never need escaping.
    !s.bytes().fold(false, |seen, b| seen | (b < 0x20) | (b == b'"') | (b == b'\\'))
}

fn bad(field: &str, detail: impl Into<String>) -> ApiError {
    let detail = detail.into();
    ApiError::new(
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "API0422",
        format!("The query parameter {field} is wrong"),
    )
    .field(field, detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Serialize, ToSchema)]
    struct Item {
        id: u64,
        name: String,
    }

    async fn body(r: Response) -> String {
        let bytes = axum::body::to_bytes(r.into_body(), usize::MAX).await.unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn a_written_page_is_the_page_serde_writes() {
        let all: Vec<Item> =
            [1u64, 2, 5, 9, 10, 40].iter().map(|&id| Item { id, name: format!("n\"{id}\"\u{2}") }).collect();
        for limit in [None, Some(1), Some(2), Some(5), Some(6), Some(7)] {
            for cursor in
                [None, Some(""), Some("0"), Some("2"), Some("3"), Some("10"), Some("40"), Some("99")]
            {
                let query = PageQuery { limit, cursor: cursor.map(str::to_string) };
                let expected = serde_json::to_string(&query.page(all.clone(), |i| i.id).unwrap()).unwrap();
                let mut w = PageWriter::new(&query, 0).unwrap();
                for item in &all {
                    if w.wants(item.id) {
                        w.push_with(item.id, |out| serde_json::to_writer(out, item).unwrap());
                    }
                }
                let r = w.finish();
                assert_eq!(r.headers()[header::CONTENT_TYPE], "application/json");
                assert_eq!(body(r).await, expected, "limit {limit:?} cursor {cursor:?}");
            }
        }
    }

    #[test]
    fn a_wrong_limit_or_cursor_is_refused() {
        for (limit, cursor) in
            [(Some(0), None), (Some(MAX_LIMIT + 1), None), (None, Some("x")), (None, Some("-1"))]
        {
            let query = PageQuery { limit, cursor: cursor.map(str::to_string) };
            assert!(PageWriter::new(&query, 0).is_err(), "{limit:?} {cursor:?}");
        }
    }

    #[test]
    fn plain_text_is_what_serde_writes_unescaped() {
        for s in ["", "plain", "q\"uote", "back\\slash", "\u{0}\u{7f}\u{1f}", "Сәлем ✓", "\r\n", "a b/c"]
        {
            assert_eq!(plain(s), serde_json::to_string(s).unwrap() == format!("\"{s}\""), "{s:?}");
        }
    }
}

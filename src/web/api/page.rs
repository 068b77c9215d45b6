//! Lists: `?limit=&cursor=`, answered with `items` and `next_cursor` (absent on the last page).
//! A cursor is the last id of the previous page, so pages stay right while items come and go.

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

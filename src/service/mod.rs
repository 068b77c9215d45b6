//! Use cases. Each service owns its transactions and the order of its side effects; handlers and
//! CLI commands call these and render the result.

pub mod accounts;
pub mod passwords;
pub mod tokens;

pub use accounts::{AccountError, Accounts};

//! Use cases. Each service owns its transactions and the order of its side effects; handlers and
//! CLI commands call these and render the result.

pub mod accounts;
pub mod passwords;
pub mod templates;
pub mod tokens;

pub use accounts::{AccountError, Accounts};
pub use templates::{TemplateError, Templates};

use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Config;
use crate::store::Store;

/// Every service, built once over one store and clock.
#[derive(Clone)]
pub struct Services {
    /// Accounts and sessions.
    pub accounts: Accounts,
    /// OS templates.
    pub templates: Templates,
}

impl Services {
    /// Build the services.
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>, cfg: &Config) -> Services {
        Services {
            accounts: Accounts::new(store.clone(), clock.clone(), &cfg.accounts),
            templates: Templates::new(store, clock, &cfg.data_dir),
        }
    }
}

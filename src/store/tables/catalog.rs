//! The catalogue: OS templates, plans with their traffic and overage terms, rescue images and ISO images.

use redb::TableDefinition;

/// OS templates by id → `TemplateRecord`.
pub const TEMPLATES: TableDefinition<u64, &[u8]> = TableDefinition::new("templates");

/// Template name → id.
pub const TEMPLATE_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("template_by_name");

/// Plans by id → `PlanRecord`.
pub const PLANS: TableDefinition<u64, &[u8]> = TableDefinition::new("plans");

/// Plan name → id.
pub const PLAN_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("plan_by_name");

/// Rescue image id → `RescueImage`: the rescue systems the hoster imported (the newest is the
/// one servers boot; older ones stay while a server in rescue still runs on them).
pub const RESCUE_IMAGES: TableDefinition<u64, &[u8]> = TableDefinition::new("rescue_images");

/// Plan id → its monthly traffic allowance, GiB (no row: unlimited). Beside the plan record,
/// so older plan records need no rewrite.
pub const PLAN_TRAFFIC: TableDefinition<u64, u64> = TableDefinition::new("plan_traffic");

/// Plan id → price of each GiB begun past the allowance (minor units): servers on such a plan
/// are charged for extra traffic instead of throttled (no row: throttled).
pub const PLAN_OVERAGE: TableDefinition<u64, i64> = TableDefinition::new("plan_overage");

/// ISO id → `IsoRecord`: the ISO images admins published.
pub const ISOS: TableDefinition<u64, &[u8]> = TableDefinition::new("isos");

/// ISO id → owner's user id: the ISOs customers uploaded for themselves (no row: published by
/// the hoster, for everyone).
pub const ISO_OWNERS: TableDefinition<u64, u64> = TableDefinition::new("iso_owners");

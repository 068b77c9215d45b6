//! The doors for billing systems: API tokens, idempotency keys, operations, links to outside accounts and services, webhooks.

use redb::{MultimapTableDefinition, TableDefinition};

/// An outside system's id of an account (a billing system's client id) → user id.
pub const USER_EXTERNAL: TableDefinition<&str, u64> = TableDefinition::new("user_external");

/// User id → its outside id (see [`USER_EXTERNAL`]).
pub const EXTERNAL_OF_USER: TableDefinition<u64, &str> = TableDefinition::new("external_of_user");

/// A billing system's id of a service (`external_service_id`) → VM id.
pub const EXTERNAL_SERVICES: TableDefinition<&str, u64> = TableDefinition::new("external_services");

/// VM id → its `external_service_id` (see [`EXTERNAL_SERVICES`]).
pub const VM_EXTERNAL: TableDefinition<u64, &str> = TableDefinition::new("vm_external");

/// `<token id>/<Idempotency-Key>` → `IdempotentRecord`: an API answer to replay.
pub const API_IDEMPOTENCY: TableDefinition<&str, &[u8]> = TableDefinition::new("api_idempotency");

/// Operation id → `OperationRecord`: slow operations on servers as the API shows them.
pub const OPERATIONS: TableDefinition<u64, &[u8]> = TableDefinition::new("operations");

/// VM id → id of its running operation (see [`OPERATIONS`]).
pub const VM_OPERATION: TableDefinition<u64, u64> = TableDefinition::new("vm_operation");

/// `payment/<reference>` or `correction/<reference>` → (account, ledger sequence): what an
/// outside payment system booked, once per reference.
pub const BOOKING_REFS: TableDefinition<&str, (u64, u64)> = TableDefinition::new("booking_refs");

/// Webhook id → `WebhookRecord`.
pub const WEBHOOKS: TableDefinition<u64, &[u8]> = TableDefinition::new("webhooks");

/// Delivery id → `DeliveryRecord`.
pub const WEBHOOK_DELIVERIES: TableDefinition<u64, &[u8]> = TableDefinition::new("webhook_deliveries");

/// `(next attempt, ms since the epoch; delivery id)` of pending deliveries.
pub const WEBHOOK_DUE: TableDefinition<(u64, u64), ()> = TableDefinition::new("webhook_due");

/// Webhook id → its deliveries' ids (the delivery log).
pub const WEBHOOK_LOG: MultimapTableDefinition<u64, u64> = MultimapTableDefinition::new("webhook_log");

/// API token id → `ApiTokenRecord`.
pub const API_TOKENS: TableDefinition<u64, &[u8]> = TableDefinition::new("api_tokens");

/// Owner id → ids of their API tokens.
pub const OWNER_TOKENS: MultimapTableDefinition<u64, u64> = MultimapTableDefinition::new("owner_tokens");

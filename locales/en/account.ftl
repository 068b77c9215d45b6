# vpsbox cabinet: the account page, SSH keys, notifications, setting a new password.

account-title = Account
account-details = Details
account-email = E-mail
account-role = Role
account-role-customer = customer
account-role-admin = admin
account-member-since = Member since
account-password-set = Password set
account-sessions = Active sessions
account-keys-link = SSH keys
account-activity-link = Activity log
account-logout-all = Log out everywhere
account-logout-all-hint = Ends every session of this account, on every device, including this one.
account-logged-out-all = Logged out everywhere ({ $n ->
    [one] { $n } session
   *[other] { $n } sessions
}).
account-tz-title = Time zone
account-tz-hint = Backup schedules run at times in this zone.
account-tz-label = Time zone (e.g. Asia/Almaty, Europe/Berlin, UTC)
account-tz-save = Save time zone
account-tz-set = Time zone set to { $zone }.
account-password-title = Change password
account-password-current = Current password
account-password-new = New password
account-password-hint = At least { $n } characters. Your other sessions end.
account-password-repeat = Repeat the new password
account-password-submit = Change password
account-password-differ = The two new passwords differ
account-password-changed = Your password has been changed.
account-logged-out = You have logged out.

## Setting a new password from a reset link

reset-title = Set a new password
reset-for = For { $email }. This link works once.
reset-hint = At least { $n } characters. All your sessions end.
reset-submit = Set password
reset-done = Your password is set. Log in with the new password.

## SSH keys

keys-title = SSH keys
keys-hint = Keys you save here can be put into new servers when you order them.
keys-none = No keys yet.
keys-col-name = Name
keys-col-type = Type
keys-col-fingerprint = Fingerprint
keys-col-added = Added
keys-delete = Delete
keys-add-title = Add a key
keys-name = Name (optional: the key's comment is used)
keys-key = Public key
keys-add = Add key
keys-added = Key { $name } added.
keys-deleted = Key deleted.

## Notifications

notices-title = Notifications
notices-none = Nothing yet.
notices-mark-read = Mark all read ({ $n })
notices-new = new
notices-admins = admins
notices-open = Open
notices-all-read = All notifications marked read.

## API tokens (Account → API tokens, Admin → API tokens)
account-tokens-link = API tokens
admin-tab-tokens = API tokens
tokens-title = API tokens
tokens-hint = A token lets a script or a billing system use the API (/api/v1) as this account, with the scopes you give it and never more than the account may do. Send it as "Authorization: Bearer <token>". The API guide is docs/api.md.
tokens-none = No tokens yet.
tokens-col-name = Name
tokens-col-owner = Account
tokens-col-kind = Kind
tokens-col-scopes = Scopes
tokens-col-networks = Client networks
tokens-col-expires = Expires
tokens-col-last-used = Last used
tokens-col-status = Status
tokens-any = any
tokens-never = never
tokens-unused = not yet
tokens-active = active
tokens-revoked = revoked
tokens-expired = expired
tokens-revoke = Revoke
tokens-revoked-done = Token { $name } is revoked; it no longer works.
tokens-create-title = Make a token
tokens-name = Name (e.g. whmcs, backup script)
tokens-kind = Kind
tokens-kind-customer = customer: this account's own servers
tokens-kind-admin = admin: everything an admin may do
tokens-kind-billing = billing: accounts, servers, power, money, usage, sign-on links
tokens-kind-metrics = metrics: the host's metrics only
tokens-scopes = Scopes, comma-separated (empty: all the kind allows)
tokens-networks = Client networks, CIDR, comma-separated (empty: any)
tokens-expires = Expires after days (empty: never)
tokens-create = Make token
tokens-made = Token { $name } is made. Copy it now: it is shown only this once.
tokens-admin-title = API tokens of every account
tokens-admin-hint = Every account's tokens. Revoking one stops it at once; a disabled account's tokens stop by themselves.

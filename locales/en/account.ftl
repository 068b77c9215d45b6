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

## Two-factor sign-in

two-factor-title = Two-factor sign-in
two-factor-on-since = On since { $since }
two-factor-off = Off
two-factor-required = The provider requires two-factor sign-in for your account.
two-factor-intro = With two-factor sign-in, logging in takes your password and a six-digit code from an authenticator app on your phone (such as Aegis, FreeOTP, Google Authenticator or Microsoft Authenticator), so a stolen password alone opens nothing.
two-factor-setup = Set up an authenticator app
two-factor-scan = Scan this code with your authenticator app, or type the key into it; then enter the six-digit code the app shows.
two-factor-key = Key
two-factor-code = Code
two-factor-code-hint = The six-digit code from your app, or one of your recovery codes.
two-factor-first-code = The six-digit code the app shows now.
two-factor-confirm = Turn on
two-factor-restart = Start again with a new key
two-factor-recovery-left = { $n ->
    [0] No recovery codes left: make new ones
    [one] One recovery code left
   *[other] { $n } recovery codes left
}
two-factor-recovery-title = Your recovery codes
two-factor-recovery-intro = Each code logs you in once if you lose your phone. Keep them somewhere safe, away from your password: they are shown only now.
two-factor-renew = Make new recovery codes
two-factor-renew-hint = With your password and a code; the old recovery codes stop working.
two-factor-disable = Turn off two-factor sign-in
two-factor-password = Password
two-factor-continue = Continue
two-factor-now-on = Two-factor sign-in is on.
two-factor-now-off = Two-factor sign-in is off.
two-factor-recovery-used = You logged in with a recovery code; { $n ->
    [one] one is left
   *[other] { $n } are left
}. Make new ones on the account page.
two-factor-step-intro = Enter the six-digit code from your authenticator app, or one of your recovery codes.
two-factor-enrol-intro = The provider requires two-factor sign-in for your account: set up an authenticator app to continue.
two-factor-cancel = Cancel
two-factor-lost = Lost your phone and your recovery codes? Contact support: the provider can turn two-factor sign-in off for your account.

## Passkeys

passkey-title = Passkeys
passkey-intro = A passkey lives on your phone, computer or security key and is unlocked by your fingerprint, face or PIN. It signs you in without a password, or answers the second step after your password.
passkey-none = No passkeys yet.
passkey-added = Added { $at }
passkey-last-used = Last used { $at }
passkey-never-used = Not used yet
passkey-remove = Remove
passkey-removed = The passkey was removed.
passkey-name = Name of the new passkey
passkey-name-example = Phone, laptop, YubiKey…
passkey-add = Add a passkey
passkey-needs-script = Adding or using a passkey needs JavaScript in this browser.
passkey-unsupported = This browser cannot use passkeys.
passkey-cancelled = The passkey request was cancelled or timed out; try again.
passkey-login = Sign in with a passkey
passkey-use = Use a passkey
passkey-step-intro = Confirm with one of your passkeys.

# The admin pages.

admin-title = Admin
admin-tab-overview = Overview
admin-tab-accounts = Accounts
admin-tab-vms = VMs
admin-tab-plans = Plans
admin-tab-templates = Templates
admin-tab-pools = IP pools
admin-tab-backups = Backups
admin-tab-billing = Billing
admin-tab-trials = Trials
admin-tab-support = Support
admin-tab-sla = Service level
admin-tab-quota = Quota requests
admin-tab-audit = Audit log
admin-tab-unmanaged = Unmanaged

## Overview

admin-enabled = { $n } enabled
admin-manage = manage
admin-customers-admins = { $customers ->
    [one] { $customers } customer
   *[other] { $customers } customers
}, { $admins ->
    [one] { $admins } admin
   *[other] { $admins } admins
}
admin-hypervisor = Hypervisor
admin-connected = connected
admin-hv-detail = { $driver } on { $host } · libvirt { $libvirt } · hypervisor { $hypervisor }
admin-since = Since { $since }
admin-reconnected = reconnected { $n }×
admin-unavailable = unavailable
admin-down-since = Down since { $since }; retrying automatically.
admin-store = State store
admin-in-memory = (in memory)
admin-refusing = refusing changes
admin-refusing-since = since { $since }
admin-store-reopens = vpsbox reopens it by itself once its disk takes writes again.
admin-schema = Schema version { $version }
admin-installation = Installation
admin-unmanaged-count = { $n ->
    [one] { $n } unmanaged resource
   *[other] { $n } unmanaged resources
}
admin-on-this-host = on this host
admin-see-them = see them
admin-settings = Settings
admin-signup-state = Customer sign-up is { $open ->
    [yes] open
   *[no] closed
}.
admin-signup-close = Close sign-up
admin-signup-open = Open sign-up

## Accounts

admin-col-id = ID
admin-col-email = E-mail
admin-col-role = Role
admin-col-status = Status
admin-col-created = Created
admin-col-actions = Actions
admin-role = { $role ->
    [admin] admin
   *[customer] customer
}
admin-disabled = disabled
admin-active = active
admin-reset-link = Reset link
admin-enable = Enable
admin-disable = Disable
admin-create-account = Create an account
admin-create-hint = For customers who asked by phone or e-mail. Leave the password empty to generate one; it is shown once.
admin-email = E-mail
admin-password-optional = Password (optional)
admin-create-submit = Create account
admin-account-created = Account { $id } created for { $email } ({ admin-role }).
admin-password-once = Password, shown only now:
admin-reset-link-for = One-time password-reset link for { $email }, valid for 1 hour:
admin-not-yourself = You cannot disable your own account.
admin-account-disabled = Account { $email } disabled; its sessions have ended.
admin-account-enabled = Account { $email } enabled.

## Unmanaged resources

admin-unmanaged-title = Unmanaged resources
admin-unmanaged-intro = vpsbox changes or removes only what carries this installation's mark ({ $mark }) and its state says must go. Everything below has vpsbox's names but is not provably this installation's: it is left exactly as it is. Remove it by hand (virsh) once you know whose it is.
admin-unmanaged-none = Nothing: every resource with vpsbox's names on this host is this installation's.
admin-col-kind = Kind
admin-col-name = Name
admin-col-state = State
admin-col-disks = Disks
admin-col-installation = Installation
admin-col-why = Why
admin-unmanaged-kind = { $kind ->
    [domain] virtual machine
    [network] network
    [network-filter] network filter
    [file] file
   *[other] { $kind }
}
admin-unmanaged-state = { $state ->
    [running] running
    [paused] paused
    [shutting-down] shutting down
    [stopped] stopped
    [crashed] crashed
    [suspended] suspended
    [defined] defined
    [active] active
    [inactive] inactive
    [kept] kept
    [unknown] unknown
   *[other] { $state }
}
admin-unmanaged-why = { $reason ->
    [no-mark] carries no vpsbox installation's mark (made by hand, or by another program)
    [another] belongs to another vpsbox installation ({ $installation })
    [no-record] carries this installation's mark, but the state has no record of it
    [restored] carries this installation's mark, but the state (restored from a copy) has no record of it
   *[file] a file in the data directory of a server this state has no record of
}
admin-col-first-seen = First seen
admin-col-last-seen = Last seen
admin-this-one = this one
admin-none = none

## OS templates

admin-templates-title = OS templates
admin-templates-none = No templates yet. Import one below or with { $command }.
admin-col-os = OS
admin-col-format = Format
admin-col-virtual-size = Virtual size
admin-col-min-disk = Min disk
admin-col-login = Login
admin-gib = { $n } GiB
admin-enabled-badge = enabled
admin-delete = Delete
admin-import-title = Import a template
admin-import-hint = A qcow2 or raw image already on this host, readable by the vpsbox service. It is copied into the templates directory; the original stays.
admin-name = Name
admin-image-path = Image path on the host
admin-os-family = OS family
admin-min-disk-optional = Minimum disk, GiB (optional)
admin-login-user-optional = Image's login user (optional)
admin-login-user-hint = The user the image's makers log in as. Customers' SSH keys go to it (with sudo) as well as to root.
admin-import = Import
admin-rescue-title = Rescue system
admin-rescue-hint = The system servers boot in rescue mode, with their own disks attached. Import a qcow2 or raw image here or with { $command }; { $script } builds one from Debian packages. The newest image is used from then on; an older one stays while servers in rescue still run on it.
admin-rescue-none = No rescue system yet: customers are not offered rescue mode.
admin-rescue-imported = Imported
admin-rescue-in-use = Servers in rescue
admin-rescue-current = current
admin-rescue-import = Import as the rescue system
admin-rescue-imported-done = Rescue image { $id } imported: servers entering rescue boot it from now on.
admin-isos-title = ISO images
admin-isos-hint = Installers, live and rescue CDs customers may put in their servers' CD-ROM drives and boot from. Publish an ISO 9660 image already on this host here, or with { $command }.
admin-isos-none = No ISO images yet.
admin-isos-size = Size
admin-isos-in-use = In drives
admin-isos-import = Publish
admin-isos-imported = ISO { $iso } published.
admin-isos-deleted = ISO { $iso } deleted.
admin-min-disk-whole = The minimum disk must be a whole number of GiB
admin-template-imported = Template { $name } imported ({ $format }, { $size }).
admin-template-enabled = Template { $name } enabled: customers can order it.
admin-template-disabled = Template { $name } disabled: no new VMs from it.
admin-template-deleted = Template { $name } deleted.

## IP pools

admin-pools-title = Public IP pools
admin-pools-none = No pools yet. Add one below or with { $command }.
admin-col-network = Network
admin-col-gateway = Gateway
admin-col-hands-out = Hands out
admin-col-assigned = Assigned
admin-col-resting = Resting
admin-col-dns = DNS
admin-pool-size = { $unit ->
    [prefix] { $n } /64s
   *[address] { $n } addresses
}
admin-remove = Remove
admin-add-pool-title = Add a pool
admin-add-pool-hint = Documentation ranges such as 192.0.2.0/24 or 2001:db8::/32 are for tests only. Addresses released from a VM rest before they are handed out again.
admin-network-cidr = Network (CIDR)
admin-gateway = Gateway
admin-hand-out-only = Hand out only (optional)
admin-never-hand-out = Never hand out (optional, one address or range per line)
admin-dns-servers = DNS servers (comma-separated)
admin-ipv6-each = IPv6: each VM gets
admin-ipv6-prefix = a /64 (IPv4 pools: one address)
admin-ipv6-single = a single address
admin-add-pool = Add pool
admin-pool-added = Pool { $name } added: { admin-pool-size } to hand out.
admin-pool-removed = Pool { $name } removed.
admin-pool-title = Pool { $name }
admin-pool-line = gateway { $gateway } · { admin-pool-size } · { $assigned } assigned
admin-pool-nothing = No address of this pool is assigned.
admin-col-address = Address
admin-col-account = Account
admin-col-vm = VM
admin-col-since = Since
admin-col-ptr = Reverse DNS
admin-col-move = Move to VM
admin-unattached = unattached
admin-move-label = Move { $address } to VM number
admin-move = Move
admin-move-which = Give the number of the VM to move the address to (WEB0400)
admin-moved = { $address } moved to VM { $vm }.

## Plans

admin-plans-title = Plans
admin-plans-none = No plans yet. Create the first one below.
admin-col-hardware = Hardware
admin-col-per-month = Per month
admin-col-per-hour = Per hour
admin-create-plan-title = Create a plan
admin-vcpus = vCPUs
admin-memory-mib = Memory, MiB
admin-disk-gib = Disk, GiB
admin-public-ipv4 = Public IPv4
admin-price-month = Price per month
admin-price-hour = Price per hour
admin-create-plan = Create plan
admin-whole-number = { $what } must be a whole number
admin-too-large = { $what } is too large
admin-amount-like = { $what } must be an amount like 12.50
admin-plan-created = Plan { $name } created.
admin-plan-enabled = Plan { $name } enabled: customers can order it.
admin-plan-disabled = Plan { $name } disabled: no new VMs on it.
admin-plan-deleted = Plan { $name } deleted.

## Billing

admin-billing-title = Billing
admin-prices = Prices
admin-prices-hint = Amounts in { $currency }. A change applies from the next full hour; hours already charged keep their price. Each hour costs the hourly price, never more in a calendar month than the monthly one.
admin-col-item = Item
admin-col-monthly = Monthly
admin-col-hourly = Hourly
admin-col-change = Change
admin-price-plan = Plan { $name }
admin-price-extra = Per { $unit }
admin-price-from = from { $at }: { $monthly } / { $hourly }
admin-monthly-price = Monthly price
admin-hourly-price = Hourly price
admin-set = Set
admin-book-payment-title = Book a payment
admin-account-email = Account e-mail
admin-amount = Amount
admin-payment-reference = Payment reference
admin-book-payment = Book payment
admin-arrears = Accounts in arrears
admin-none-dot = None.
admin-col-balance = Balance
admin-suspended = suspended
admin-suspends = suspends { $at }
admin-price-set = Price set; it applies from { $at }.
admin-booked = Booked { $amount }; the balance is now { $balance }.
admin-transactions-on = { $email }: transactions on { $day } (UTC)
admin-transactions = Transactions
admin-billing-of = Billing of { $email }
admin-correct-title = Correct the balance
admin-correct-amount = Amount (negative to take off)
admin-reason = Reason
admin-book-correction = Book correction
admin-statements = Statements

## Backups

admin-backups-title = Backups
admin-backups-line = { $stored } stored ({ $size }), { $running } running, { $failed } failed.
admin-col-server = Server
admin-col-started = Started
admin-schedule-n = schedule { $id }

## Free trials

admin-trials-title = Free trials
admin-trials-hint = { $days } days from the first server's start; once per customer, only for accounts that never used the service (checked again when they ask). Before approving, look at the accounts that share the e-mail domain or sign-up address.
admin-trials-none = No requests.
admin-trial-waiting = waiting
admin-trial-approved = approved
admin-trial-running = running
admin-trial-until = until { $at }
admin-trial-ended = ended{ $early ->
    [yes] {" "}early
   *[no] {""}
}{ $paid ->
    [yes] , paid
   *[no] {""}
}
admin-trial-declined = declined
admin-trial-asked = Asked { $at }
admin-signed-up-from = Signed up from { $address }
admin-signed-up-unknown = Signed up from (unknown: made by an admin)
admin-alike-none = No other account shares its e-mail domain or sign-up address.
admin-alike = Look-alike accounts:
admin-alike-why = { $why ->
    [address] same sign-up address
   *[domain] same e-mail domain
}
admin-trial-approve = Approve with these limits
admin-trial-decline = Decline
admin-trial-choose = Choose approve or decline
admin-trial-approved-flash = Trial approved.
admin-trial-declined-flash = Trial declined.

## Support

admin-support-title = Support
admin-support-queue = Support queue
admin-support-waiting = { $n } waiting for an answer, most urgent first.
admin-support-file = File a request for a customer
admin-support-report-link = Monthly report
admin-support-incidents-link = Incidents and maintenance
admin-col-request = Request
admin-col-category = Category
admin-col-subject = Subject
admin-col-filed = Filed
admin-col-time-left = Time left
admin-queue-label = { $quota ->
    [yes] quota #{ $id }
   *[no] #{ $id }
}
admin-queue-status = { $status ->
    [open] open
    [answered] answered
    [resolved] resolved
    [closed] closed
    [approved] approved
   *[declined] declined
}
admin-support-from = from { $email }
admin-support-filed = filed { $at }
admin-first-response = first response { $at }
admin-target-missed = target missed
admin-incident-n = incident #{ $id }
admin-close = Close
admin-support-report = Support report { $month }
admin-col-target = Target
admin-col-in-target = In target
admin-col-late = Late
admin-col-waiting = Waiting
admin-col-share = Share in target
admin-by-channel = By channel
admin-col-channel = Channel
admin-report-hint = A request counts as in target when its first response came within its target: the category's, or the messenger's { $mins } minutes for one filed through the Telegram bot in working hours. One still unanswered past its target counts as late. Quota increase requests count with their decision as the response.
admin-behalf-title = File a request for a customer
admin-behalf-short = File a request
admin-behalf-hint = For a customer who phoned or wrote an e-mail: the request joins the queue with its channel and the category's target, and the customer sees it on their Support page. An outage report opens an incident from now.
admin-behalf-email = Customer's e-mail
admin-behalf-came-by = Came by
admin-behalf-servers = Server numbers (optional)
admin-behalf-subject = Subject
admin-behalf-said = What the customer said
admin-behalf-submit = File the request
admin-behalf-choose-channel = Choose phone or e-mail (SUP0001)
admin-behalf-choose-category = Choose what the request is about (SUP0001)
admin-behalf-whole = Server numbers are whole numbers (SUP0001)
admin-behalf-filed = Request #{ $id } filed for { $email }.

## Quota requests, limits, audit

admin-audit-title = Audit log
admin-quota-title = Quota requests
admin-col-sent = Sent
admin-col-asked-for = Asked for
admin-col-reason = Reason
admin-approve = Approve
admin-decline = Decline
admin-quota-approved = Approved: the limits are raised.
admin-quota-declined = Declined.
admin-quota-of = Quota of { $email }
admin-quota = Quota
admin-set-limits = Set limits
admin-save-limits = Save limits
admin-limits-saved = Limits saved.

## Service level

admin-sla-title = Service level
admin-declare-title = Declare an incident
admin-title-label = Title
admin-severity = Severity
admin-severity-outage = Full outage (counts as downtime)
admin-severity-degradation = Degradation (shown, not counted)
admin-scope = Scope
admin-scope-placeholder = host, or server numbers: 12, 14
admin-started-utc = Started (UTC)
admin-declare = Declare
admin-incidents = Incidents
admin-responsibility = Responsibility
admin-responsibility-line = Responsibility: { admin-blame }
admin-blame = { $blame ->
    [provider] provider
    [customer] caused by the customer (excluded)
   *[force-majeure] force majeure (excluded)
}
admin-reported-in = reported in
admin-request-n = request #{ $id }
admin-update = Update
admin-restored-at = Restored at (UTC), to resolve
admin-save = Save
admin-schedule-title = Schedule maintenance
admin-schedule-hint = Customers it covers are notified { $hours } h before it starts. A window announced less than { $hours } h ahead is not excluded from availability.
admin-what-done = What will be done
admin-starts-utc = Starts (UTC)
admin-ends-utc = Ends (UTC)
admin-schedule = Schedule
admin-col-window = Window
admin-col-announced = Announced
admin-col-notified = Notified
admin-called-off = called off
admin-short-notice = short notice: counted
admin-yes = yes
admin-not-yet = not yet
admin-call-off = Call off
admin-below-title = Servers below 99.9% in { $month }
admin-col-availability = Availability
admin-col-counted = Counted downtime
admin-col-tier = Credit tier
admin-col-events = Events
admin-credits-title = Credits booked for { $month }
admin-credits-none = None (the month is not measured yet, or every server met 99.9%).
admin-col-below = Servers below 99.9%
admin-col-paid = Paid
admin-col-credit = Credit
admin-col-booked = Booked
admin-credits-hint = Credits are booked automatically once a month is metered, into the next period, capped at what the account paid that month.
admin-incident-declared = Incident #{ $id } declared; the customers it covers were notified.
admin-incident-updated = Incident updated.
admin-maintenance-scheduled = Maintenance #{ $id } scheduled.
admin-maintenance-called-off = Maintenance called off.

## Webhooks (Admin → Webhooks)
admin-tab-webhooks = Webhooks
webhooks-title = Webhooks
webhooks-hint = Events vpsbox sends to the provider's systems, signed with each subscription's secret. Subscriptions are made through the API (POST /api/v1/webhooks). A failed delivery is tried again for about two days.
webhooks-none = No subscriptions yet.
webhooks-owner = Account
webhooks-events = Events
webhooks-send-test = Send test
webhooks-test-queued = A test event (ping) is queued; its delivery shows below in a few seconds.
webhooks-no-deliveries = Nothing sent yet.
webhooks-col-queued = Queued
webhooks-col-event = Event
webhooks-col-state = State
webhooks-col-attempts = Attempts
webhooks-col-answer = Last answer
webhooks-pending = waiting, next try
webhooks-delivered = delivered
webhooks-failed = given up

## Two-factor sign-in

admin-two-factor-label = Two-factor sign-in required of
admin-two-factor-choice = { $required ->
    [admins] Admins
    [everyone] Everyone
   *[nobody] Nobody (each account chooses)
}
admin-two-factor-save = Save
admin-two-factor-hint = Accounts it is required of and that have no authenticator set one up at their next login.
admin-two-factor-set = Two-factor sign-in is now required of: { $required ->
    [admins] admins
    [everyone] everyone
   *[nobody] nobody
}
admin-col-two-factor = 2FA
admin-two-factor-reset = Reset 2FA
admin-two-factor-reset-done = Two-factor sign-in of { $email } is off; the account was told.
admin-tab-abuse = Abuse
admin-abuse-title = Abuse rule
admin-abuse-intro = Servers whose vCPUs were busy at { $percent }% or more for { $hours } hours without a break (the terms forbid crypto-mining and other distributed computing; set in [usage.abuse]). Open a server to see its CPU graph and act.
admin-abuse-off = The rule is turned off ([usage.abuse] enabled = false): no server is flagged.
admin-abuse-none = No server has been flagged.
admin-abuse-server = Server
admin-abuse-owner = Owner
admin-abuse-flagged-at = Flagged
admin-abuse-state = State
admin-col-fair-use = Fair use
admin-fair-use = { $cap ->
    [-1] no CPU cap
   *[other] CPU up to { $cap }% of each vCPU
}{ $shares ->
    [-1] {""}
   *[other] , weight { $shares }
}{ $port ->
    [-1] {""}
   *[other] , port { $port } Mbit/s
}{ $gib ->
    [-1] {""}
   *[other] , { $gib } GiB of traffic a month
}
admin-fair-use-title = Fair-use CPU limits
admin-fair-use-hint = Every server on the plan runs with them, at once and after each start: a cap (per cent of each vCPU) and a weight against other servers when the host is busy (libvirt's default is 1024). Leave a field empty for none. A port speed shapes the public interface both ways. A traffic allowance (GiB a month, in and out together) slows a server that used it up to the configured speed until the month ends. Or, with a price per GiB, the server keeps its speed and each GiB begun past the allowance is charged to the owner's balance.
admin-fair-use-cap = CPU cap (%)
admin-fair-use-port = Port speed (Mbit/s)
admin-fair-use-traffic = Traffic allowance (GiB a month)
admin-fair-use-overage = Price per GiB past the allowance (empty: slow down instead)
admin-overage = then { $price } per GiB begun
admin-fair-use-shares = CPU weight
admin-fair-use-set = Set limits
admin-fair-use-done = Fair-use limits of { $name } set; { $count } server(s) took them.

# vpsbox cabinet: virtual servers (the list, one server's page, its actions).

## Units and plans

unit-gib = { $n } GiB
unit-mib = { $n } MiB
plan-summary = { $vcpus } vCPU · { $memory } RAM · { $disk } GiB disk · { $ipv4 } IPv4

## States

vm-state-creating = creating
vm-state-reinstalling = reinstalling
vm-state-deleting = deleting
vm-state-failed = failed
vm-state-working = working
vm-state-suspended = suspended
vm-state-shutting-down = shutting down
vm-state-running = running
vm-state-crashed = crashed
vm-state-paused = paused
vm-state-stopped = stopped
vm-state-unknown = unknown

## Progress steps

step-reserve = Reserve resources
step-stop = Power off
step-disk = Create disk
step-seed = Write cloud-init seed
step-define = Define virtual machine
step-start = Start
step-undefine = Remove definition
step-remove-files = Remove disk and seed
step-grow-disk = Grow disk
step-rescue-disk = Prepare the rescue system
step-remove-rescue = Remove the rescue system
step-take-snapshot = Take the snapshot
step-revert-snapshot = Revert to the snapshot
step-delete-snapshot = Delete the snapshot

## The list

vms-title = Virtual machines
vms-all-title = All virtual machines
vms-none = No virtual machines yet.
vms-order = Order a virtual server
vms-col-hostname = Hostname
vms-col-state = State
vms-col-owner = Owner
vms-col-addresses = Addresses
vms-col-plan = Plan
vms-col-os = OS
vms-col-since = Since
vms-col-actions = Actions

## Power and consoles

vm-start = Start
vm-shut-down = Shut down
vm-reboot = Reboot
vm-hard-reset = Hard reset
vm-force-off = Force off
vm-console = Console
vm-serial-console = Serial console

## One server

vm-login-password = root logs in with the password or a key, over SSH and on the console
vm-login-keys = root logs in with your SSH keys only; password login is off
vm-failed = Creating this virtual machine failed: { $message }
vm-failed-hint = Nothing of it is left on the host and it counts against no quota. Delete it and order again.
vm-suspended-note = Suspended by the provider: it cannot be started. Contact support.
vm-in-progress = In progress
vm-started-at = Started { $at }. This page refreshes by itself.
vm-details = Details
vm-plan = Plan
vm-hardware = Hardware
vm-os = OS
vm-created = Created
vm-last-change = Last change
vm-uuid = UUID
vm-ssh-keys = SSH keys
vm-login = Login
vm-power = Power
vm-force-hint = The guest has not powered off after the shutdown request. It may not react to the power button; use Force off.
vm-reset-hint = Hard reset restarts a hung server at once, like the reset button of a physical machine.
vm-backups = Backups
vm-reinstall = Reinstall
vm-reinstall-hint = A fresh disk from the chosen OS; hostname, keys and password stay. Everything on the disk is lost.
vm-operating-system = Operating system
vm-confirm-hostname = Type the hostname to confirm
vm-change-plan = Change plan
vm-change-plan-hint = Shut the server down first. CPU and memory change; the disk only grows.
vm-rename = Rename
vm-hostname = Hostname
vm-delete = Delete
vm-delete-hint = Deletes the server, its disk and its cloud-init seed for good.
vm-delete-confirm = Type { $hostname } to confirm
vm-delete-button = Delete for good
vm-provider-actions = Provider actions
vm-suspend = Suspend
vm-unsuspend = Unsuspend
vm-owner-hint = Owner: account { $owner }. A suspended server is powered off and its owner cannot start it.
vm-activity = Activity
vm-nothing-yet = Nothing yet.

## What an action did

vm-done-started = Started.
vm-done-shutdown = Shutdown requested: the guest is powering off.
vm-done-forced-off = Powered off.
vm-done-reboot = Reboot requested.
vm-done-reset = Hard reset done; the server is { $state }.
vm-done-deleting = Deleting…
vm-done-reinstalling = Reinstalling…
vm-done-resizing = Changing the plan…
vm-done-renamed = Renamed to { $hostname }.
vm-done-suspended = Suspended.
vm-done-unsuspended = Unsuspended.
vm-done-rdns-set = Reverse DNS of { $address } set to { $name }.
vm-done-rdns-cleared = Reverse DNS of { $address } cleared.
vm-done-network-attached = On { $network } as eth{ $slot } with { $address }.
vm-done-network-detached = Detached from the network.
vm-done-disk-attached = Disk { $disk } attached as /dev/{ $device }.
vm-done-disk-detached = Disk detached.
vm-done-ip-added = { $address } added. It takes effect in the server at its next boot: reboot it when convenient.
vm-done-ip-removed = { $address } removed. Traffic from it is blocked now; the server stops using it at its next boot.
# A power action's result on the list names the server it is about.
vm-done-on-list = { $hostname }: { $message }

## Public addresses and traffic

addresses-title = Public addresses
addresses-none = None.
addresses-gateway = gateway
addresses-dns = DNS
addresses-rdns-placeholder = reverse DNS, e.g. mail.example.com
addresses-rdns-label = Reverse DNS of { $address }
addresses-save = Save
addresses-hint = cloud-init sets these addresses in the server. A change made here takes effect in the server at its next boot (reboot it from this page or from inside it); the address filter follows at once.
addresses-add = Add an IPv4 address
addresses-remove = Remove { $address }
addresses-quota-hint = Extra addresses count against your IPv4 quota. A removed address rests a while before anyone else gets it.
traffic-title = Traffic
traffic-month = { $month } { $year }: in { $in }, out { $out }
traffic-chart-label = Traffic per day in { $month }: in { $in }, out { $out }
traffic-day-in = Day { $day }: in { $bytes }
traffic-day-out = Day { $day }: out { $bytes }
traffic-hint = Blue: in, orange: out, per day (UTC) of the public interface.
traffic-allowance-use = Used { $used } of { $allowance } GiB this month ({ $percent }%), in and out together.
traffic-allowance-meter = Traffic used this month
traffic-throttled = The allowance is used up: the public interface runs at { $mbit } Mbit/s until the month ends (UTC) or the allowance is raised.
traffic-overage = Past the allowance each GiB begun costs { $price }; this month { $gib } GiB charged so far.
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Private networks and extra disks of a server

vm-networks-title = Private networks
vm-networks-none = Not on any private network.
vm-networks-hint = An interface is attached or detached at once; its address is set in the server at its next boot (reboot it, or set it now by hand, e.g. ip addr add ADDRESS dev eth1).
vm-network-label = Private network
vm-networks-create-hint = Private networks connect your servers with each other.
vm-networks-create = Create a private network
vm-detach = Detach
vm-attach = Attach
vm-disks-title = Extra disks
vm-disks-none = None attached.
vm-disks-hint = The guest names disks in the order it finds them; the by-id name always points at the right one. Unmount a disk in the guest before you detach it.
vm-disk-label = Disk
vm-disks-create-hint = Extra disks add storage; they can be attached while the server runs.
vm-disks-create = Create a disk

## Firewall

firewall-title = Firewall (inbound)
firewall-no-public = This host gives servers no public interface, so there is nothing to guard yet; rules are kept for when there is.
firewall-none = No rules.
firewall-rule = Rule
firewall-any-protocol = any protocol
firewall-rule-text = { $action ->
    [allow] allow
   *[deny] deny
} { $protocol ->
    [any] any protocol
   *[other] { $protocol }
}{ $ports ->
    [all] {""}
   *[other] , ports { $ports }
}, from { $source ->
    [anywhere] anywhere
   *[other] { $source }
}
firewall-remove = Remove
firewall-default = Anything no rule matches: { $action ->
    [allow] allowed
   *[deny] dropped
}.
firewall-allow = allow
firewall-deny = deny
firewall-action-label = Allow or deny
firewall-protocol = Protocol
firewall-ports = Ports
firewall-ports-placeholder = port or range, e.g. 22 or 8000-8100
firewall-source = Source
firewall-source-placeholder = from, e.g. 203.0.113.0/24 (empty: anywhere)
firewall-add = Add rule
firewall-drop-rest = Drop everything no rule allows
firewall-allow-rest = Allow everything no rule denies
firewall-hint = Rules are checked top to bottom; the first match decides. Replies to connections the server opens always come back in.
firewall-added = Rule added: { $rule }.
firewall-removed = Rule removed.
firewall-now-allowed = Traffic no rule matches is allowed.
firewall-now-dropped = Traffic no rule allows is dropped.

## Ordering a server

order-title = Order a virtual server
order-crumb = Order
order-nothing = Nothing is on offer yet. Please check back soon.
order-plan = Plan
order-per-month = { $price } / month
order-quota = Your quota: { $vms } of { $vms_limit } VMs, { $vcpus } of { $vcpus_limit } vCPUs, { $memory } of { $memory_limit } RAM, { $disk } of { $disk_limit } GiB disk in use.
order-ask-more = Ask for more
order-os = Operating system
order-hostname = Hostname
order-hostname-hint = Letters, digits and hyphens; dots between parts.
order-access = Access
order-no-keys = No SSH keys saved.
order-add-key = Add one or set a root password.
order-root-password = Root password (optional with keys)
order-root-password-hint = With a root password, root logs in with it over SSH and on the console (and with the keys). Without one, SSH takes only the keys and password login stays off.
order-networks = Private networks
order-create = Create virtual server

## Consoles

console-title = Console · { $hostname }
console-serial-title = Serial console · { $hostname }
console-back = Back to { $hostname }
console-graphical = Graphical console
console-connecting = Connecting…
console-connected = Connected
console-connected-serial = Connected — press Enter for a prompt
console-disconnected = Disconnected
console-lost = Connection lost — the VM may be off
console-lost-serial = Disconnected — the VM may be off
console-refused = Refused
console-full-screen = Full screen
console-scale = Scale to fit
console-reconnect = Reconnect
console-paste = Paste text
console-paste-label = Text to type
console-paste-button = Type it into the console
console-paste-hint = The text is typed as key presses of a US keyboard. If the server uses another keyboard layout, characters that sit elsewhere on it (such as y/z, @ or quotes) may come out differently.
console-serial-hint = The server's first serial port (ttyS0). One session at a time: opening it here ends it elsewhere. Paste with Ctrl+Shift+V.
console-open = Open the console
console-screen = The server's screen

## The public price list

plans-title = Plans
plans-none = No plans are on offer yet.
plans-per-month = / month
plans-vcpu = { $n } vCPU
plans-ram = { $memory } RAM
plans-disk = { $n } GiB disk
plans-ipv4 = { $n } public IPv4
plans-per-hour = { $price } per hour
plans-cpu-cap = CPU up to { $cap }% of each vCPU (fair use)
plans-port = Port { $mbit } Mbit/s
plans-traffic = { $gib } GiB of traffic a month, then { $mbit } Mbit/s until the month ends
plans-traffic-charged = { $gib } GiB of traffic a month, then { $price } per GiB begun
os-family = { $os ->
    [linux] Linux
    [bsd] BSD
   *[windows] Windows
}
console-close-taken-over = Another session opened this serial console; reconnect to take it back
console-close-logged-out = Your session ended; log in again
console-close-idle = Closed after { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
} without input
console-close-deleted = The virtual machine was deleted
console-close-ended = The console closed (is the server off?)
console-close-suspended = The virtual machine was suspended
usage-title = Usage
usage-day = 24 hours
usage-month = 30 days
usage-empty = No readings yet: usage is read every minute while the server runs.
usage-cpu = CPU over { $range }: average { $avg }, peak { $peak }
usage-disk = Disk over { $range }: read { $read }, written { $written } on average
usage-net = Network over { $range }: in { $in }, out { $out } on average
usage-hint = Blue: CPU, reads and incoming traffic; orange: writes and outgoing traffic. Times are UTC; gaps are times the server was off.
vm-abuse-capped = The provider limited this server's CPU to { $percent }% of each vCPU under the terms' fair-use rule.
vm-abuse-note = The provider's note: { $note }
abuse-title = Abuse rule
abuse-flagged = Flagged { $at }: its vCPUs were busy at { $percent }% or more from { $since } for { $hours } hours without a break.
abuse-state-open = Open: nothing done yet
abuse-state-capped = CPU capped at { $percent }%
abuse-state-suspended = Suspended
abuse-state-closed = Closed { $at }
abuse-cap-label = Cap each vCPU at (per cent)
abuse-cap = Cap CPU
abuse-lift = Lift the cap
abuse-close = Close the case
abuse-note-label = Note for the customer
abuse-suspend = Suspend
abuse-done-capped = CPU capped at { $percent }%.
abuse-done-lifted = The CPU cap was lifted.
abuse-done-closed = Case closed.
abuse-done-suspended = Server suspended; the customer reads your note.
vm-root-password = Root password
vm-root-password-hint = Set a new password for root without reinstalling: a guest that runs the QEMU guest agent takes it at once; otherwise it is kept for the next reinstall. Without the agent, rescue mode (below) lets you reset it yourself.
vm-root-password-new = New root password (10 to 128 characters)
vm-root-password-set = Set password
vm-root-password-now = The new root password works now (set through the guest agent).
vm-root-password-later = The new root password is kept for the next reinstall: { $why }.
vm-agent-yes = The guest agent answers in this server: a new password works at once.
vm-agent-no = The guest agent does not answer in this server: a new password is kept for the next reinstall. To reset it now, boot into rescue.
vm-rescue = Rescue mode
vm-rescue-hint = Boots a rescue system with this server's disks attached but not mounted, to repair a system that does not start or to reset a forgotten password. The server is powered off at once, as if unplugged: shut it down first if you can. You log in as root with a one-time password shown here once, or with the server's SSH keys.
vm-rescue-start = Boot into rescue
vm-rescue-none = Rescue mode is not available: this host has no rescue system yet.
vm-rescue-active = This server is in rescue
vm-rescue-active-hint = Since { $since } it runs the rescue system instead of its own. Its own disk is /dev/vda (extra disks follow it), attached but not mounted. Log in as root on the console or over SSH with the one-time password or the server's SSH keys.
vm-rescue-leave = Leave rescue
vm-rescue-leave-hint = Powers off the rescue system and boots the server's own system again; what was stored on the rescue system itself is deleted.
vm-rescue-started = Rescue is starting: the server boots the rescue system in a moment.
vm-rescue-password = Root password of the rescue system, shown only now:
vm-rescue-leaving = Leaving rescue: the server boots its own system.
vm-limits-title = This server's limits
vm-limits-hint = Instead of its plan's: a port speed (Mbit/s, each way) and a traffic allowance (GiB a month, or "unlimited"). Leave a field empty for the plan's.
vm-limits-done = The server's limits are set and applied.
vm-iso-title = ISO image (CD-ROM)
vm-iso-hint = Put an ISO image in the server's CD-ROM drive, to install another system from it (through the graphical console) or to use a live or rescue CD. The server boots from it before its own disk until you take it out. A change takes effect when the server starts again.
vm-iso-boot = Boot from it
vm-iso-boot-once = at the next start only
vm-iso-boot-always = at every start, until taken out
vm-iso-boot-no = no, only attach it
vm-iso-booting-once = { $iso } is in the drive; the server boots from it at its next start, and from its own disk when it reboots after that.
vm-iso-restart = Restart the server now (power off and on)
vm-iso-attach = Insert
vm-iso-detach = Take it out
vm-iso-booting = { $iso } is in the drive; the server boots from it first.
vm-iso-attached = { $iso } is in the drive; the server boots from its own disk.
vm-iso-done-now = Done: the server started again with the new drive.
vm-iso-done-later = Done: it takes effect when the server starts again.
vm-snapshots-title = Snapshots
vm-snapshots-hint = A snapshot keeps the server's disks as they are now (and its memory, while it runs), inside the server's own disks; reverting brings the server back to that moment. Each is billed like backup storage, at the size of the server's disks when it was taken. A snapshot is no backup: it goes with the server.
vm-snapshots-none = No snapshots yet.
vm-snapshot-label = Name (optional)
vm-snapshot-take = Take a snapshot
vm-snapshot-col-name = Name
vm-snapshot-col-taken = Taken
vm-snapshot-col-size = Size
vm-snapshot-with-memory = disks and memory (it was running)
vm-snapshot-disks-only = disks (it was off)
vm-snapshot-state = { $state ->
    [taking] being taken
    [reverting] reverting
    [deleting] being deleted
   *[ready] ready
}
vm-snapshot-revert = Revert
vm-snapshot-revert-confirm = Type the hostname to revert: all written since is lost
vm-snapshot-delete = Delete
vm-snapshot-taking = Taking the snapshot.
vm-snapshot-reverting = Reverting the server to the snapshot.
vm-snapshot-deleting = Deleting the snapshot.
isos-title = My ISO images
isos-hint = ISO images of your own (an installer of another system, a live CD) to put in your servers' CD-ROM drive. They count against your quota; only you see them.
isos-none = You have no ISO images of your own yet.
isos-col-name = Name
isos-col-size = Size
isos-col-uploaded = Uploaded
isos-col-in-use = In servers' drives
isos-delete = Delete
isos-quota = { $used } of { $limit } GiB of your ISO storage in use.
isos-upload-title = Upload an ISO image
isos-upload-hint = An ISO 9660 image (.iso) of at most { $max } MiB. Large files take a while: keep this page open until it answers.
isos-name = Name (a-z, 0-9, '.', '_', '-')
isos-file = File
isos-upload = Upload
isos-uploaded = { $iso } is uploaded: put it in a server's drive from the server's page.
isos-deleted = { $iso } is deleted.
isos-upload-link = Your own ISO images

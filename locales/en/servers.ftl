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

# The audit log and a customer's activity: what was done (by action code) and its details.

audit-action = { $action ->
    [vm-create] Server ordered
    [vm-created] Server created
    [vm-create-failed] Creating the server failed
    [vm-delete] Deletion requested
    [vm-deleted] Server deleted
    [vm-reinstall] Reinstall requested
    [vm-reinstalled] Server reinstalled
    [vm-reinstall-failed] Reinstall failed
    [vm-resize] Resize requested
    [vm-resized] Server resized
    [vm-start] Started
    [vm-shutdown] Shut down
    [vm-force-off] Powered off
    [vm-reboot] Rebooted
    [vm-reset] Reset
    [vm-suspend] Suspended
    [vm-unsuspend] Suspension lifted
    [vm-rename] Renamed
    [vm-root-password] Root password changed
    [vm-repaired] Repaired by vpsbox
    [vm-ip-add] Address added
    [vm-ip-remove] Address removed
    [vm-ip-move-out] Address moved away
    [vm-ip-move-in] Address moved here
    [vm-firewall] Firewall changed
    [vm-net-attach] Private network attached
    [vm-net-detach] Private network detached
    [vm-disk-attach] Disk attached
    [vm-disk-detach] Disk detached
    [disk-create] Disk created
    [disk-delete] Disk deleted
    [disk-grow] Disk grown
    [net-create] Private network created
    [net-delete] Private network deleted
    [key-add] SSH key added
    [key-delete] SSH key deleted
    [backup-start] Backup started
    [backup-done] Backup made
    [backup-failed] Backup failed
    [backup-restore] Backup restored
    [backup-delete] Backup deleted
    [backup-skipped] Backup skipped
    [backup-schedule-add] Backup schedule added
    [backup-schedule-remove] Backup schedule removed
    [billing-price] Price changed
    [billing-topup] Payment booked
    [billing-adjust] Balance corrected
    [trial-request] Free trial requested
    [trial-approve] Free trial approved
    [trial-decline] Free trial declined
    [trial-end] Free trial ended
    [support-file] Support request filed
    [support-reply] Support request answered
    [support-close] Support request closed
    [quota-set] Limits set
    [quota-request] Quota increase requested
    [quota-approve] Quota increase approved
    [quota-decline] Quota increase declined
    [telegram-link] Telegram linked
    [telegram-unlink] Telegram unlinked
    [account-2fa-on] Two-factor sign-in turned on
    [account-2fa-off] Two-factor sign-in turned off
    [account-2fa-recovery] New recovery codes made
    [account-2fa-reset] Two-factor sign-in reset by an admin
    [settings-two-factor] Two-factor requirement set
    [account-passkey-add] Passkey added
    [account-passkey-remove] Passkey removed
    [abuse-flag] Flagged by the abuse rule
    [abuse-cap] CPU capped
    [abuse-lift] CPU cap lifted
    [abuse-suspend] Suspended under the abuse rule
    [abuse-close] Abuse case closed
    [vm-rescue] Rescue requested
    [vm-rescued] Booted into rescue
    [vm-rescue-failed] Rescue failed
    [vm-unrescue] Leaving rescue requested
    [vm-unrescued] Rescue left
    [vm-snapshot] Snapshot requested
    [vm-snapshot-taken] Snapshot taken
    [vm-snapshot-revert] Revert to a snapshot requested
    [vm-snapshot-reverted] Reverted to a snapshot
    [vm-snapshot-delete] Snapshot deletion requested
    [vm-snapshot-deleted] Snapshot deleted
    [vm-snapshot-failed] Snapshot operation failed
    [vm-throttle] Slowed down: traffic allowance used up
    [vm-unthrottle] Speed restored
    [vm-traffic-charged] Extra traffic charged
    [vm-limits] Server limits set
    [vm-iso-attach] ISO attached
    [vm-iso-detach] ISO detached
    [vm-iso-once-done] Booted the ISO once; now its disk
   *[other] { $code }
}

audit-create = { $hostname } on { $plan } from { $template }
audit-create-backup = { $hostname } on { $plan } from backup { $backup }
audit-reinstall = from { $template }
audit-power = { $state ->
    [running] running
    [paused] paused
    [shutting-down] shutting down
    [stopped] stopped
    [crashed] crashed
    [suspended] suspended
   *[unknown] unknown
}
audit-firewall-add = added: { firewall-rule-text }
audit-firewall-remove = removed: { firewall-rule-text }
audit-firewall-default = { firewall-default }
audit-disk-attach = { $disk } as { $device }
audit-disk-grow = { $disk } to { $gib } GiB
audit-restored = backup { $backup } restored onto the server ({ $disks ->
    [one] { $disks } disk
   *[other] { $disks } disks
})
audit-backup-start = backup { $backup } { $scheduled ->
    [yes] scheduled
   *[no] on request
}
audit-backup-done = backup { $backup } made: { $kind ->
    [full] full
   *[incremental] incremental
}, { $live ->
    [yes] live
   *[no] offline
}
audit-backup-failed = backup { $backup } failed: { $reason }
audit-backup-interrupted = backup { $backup } interrupted by a daemon stop
audit-schedule = schedule { $id }: { $frequency ->
    [hourly] hourly at minute { $minute }
    [daily] daily at { $time }
    [weekly] weekly on { $weekday ->
        [1] { weekday-1 }
        [2] { weekday-2 }
        [3] { weekday-3 }
        [4] { weekday-4 }
        [5] { weekday-5 }
        [6] { weekday-6 }
       *[7] { weekday-7 }
    } at { $time }
   *[monthly] monthly on day { $day } at { $time }
}{ $keep ->
    [none] {""}
   *[other] , keeps { $keep }
}
audit-price = { $item }: { $monthly } a month, { $hourly } an hour, from { $from }
audit-booked = { $amount }: { $text }; balance { $balance }
audit-trial-ended-early = ended early
audit-support-file = { support-category } via { support-channel }
audit-support-reply = { support-status }
audit-repaired = { $how ->
    [defined] domain was missing; defined again
    [test-driver] domain was missing (the test driver keeps none across a restart); defined and started again
    [fault] domain was missing; defined and started again (a platform fault)
   *[left-off] domain was missing; defined again and left off after repeated platform faults
}
audit-abuse-flag = vCPUs at { $percent }% or more for { $hours } hours
audit-rescue = rescue image { $image }
audit-throttle = to { $mbit } Mbit/s
audit-vm-limits = port { $port ->
    [-1] as the plan
   *[other] { $port } Mbit/s
}, traffic { $gib ->
    [-1] as the plan
    [0] unlimited
   *[other] { $gib } GiB a month
}
audit-iso-attach = { $iso }{ $boot ->
    [always] , boots from it
    [once] , boots from it once
   *[other] {""}
}

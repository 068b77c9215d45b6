# vpsbox cabinet: backups of servers and their schedules.

backup-state-running = running
backup-state-running-percent = running { $percent }%
backup-state-done = done
backup-state-failed = failed
backup-kind-full = full
backup-kind-incremental = incremental
backup-size = { $mib } MiB
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
frequency-hourly = hourly
frequency-daily = daily
frequency-weekly = weekly
frequency-monthly = monthly
schedule-hourly = hourly at minute { $minute }
schedule-daily = daily at { $time }
schedule-weekly = weekly on { $weekday } at { $time }
schedule-monthly = monthly on day { $day } at { $time }
schedule-monthly-late = monthly on day { $day } (the last day in shorter months) at { $time }

vm-backups-title = Backups of { $hostname }
vm-backups-hint = Backups are taken while the server runs, without stopping it (crash-consistent, like pulling the power cord: journaling file systems recover). Each disk is kept as a compressed, checksummed image.
vm-backups-now = Back up now
vm-backups-none = No backups yet.
vm-backups-col-taken = Taken
vm-backups-col-kind = Kind
vm-backups-col-made-by = Made by
vm-backups-col-state = State
vm-backups-col-size = Size
vm-backups-col-files = Files
vm-backups-col-restore = Restore
vm-backups-on-backup = on backup { $backup }
vm-backups-was-off = server was off
vm-backups-by-schedule = schedule { $schedule }
vm-backups-by-hand = back up now
vm-backups-confirm = Type { $hostname } to confirm
vm-backups-restore = Restore onto this server
vm-backups-delete = Delete
vm-backups-restore-hint = Restore replaces the server's disks with the backup: the server is powered off, its disks are replaced, and it is started again if it was running. Everything written since the backup is lost. Downloads are qcow2 images; an incremental one needs the files of the backups it is built on (open it with them in one directory).
vm-schedules-title = Schedules
vm-schedules-hint = Times are in your time zone, { $zone } (change it on the Account page). A run missed while the host was down is made once when it is back. Each schedule keeps its newest backups; older ones are deleted unless a newer one is built on them.
vm-schedules-none = No schedules.
vm-schedules-col-when = When
vm-schedules-col-keeps = Keeps
vm-schedules-remove = Remove
vm-schedules-add-title = Add a schedule
vm-schedules-frequency = How often
vm-schedules-time = Time of day (hourly: the minute counts)
vm-schedules-weekday = Weekday (weekly)
vm-schedules-day = Day of the month (monthly; the last day in shorter months)
vm-schedules-keep = Keep the newest
vm-schedules-add = Add schedule
vm-backups-started = Backup started; it shows here as it runs.
vm-schedules-added = Schedule added: { $when }.
vm-schedules-removed = Schedule removed; its backups stay.
vm-backups-restored = Backup { $backup } restored ({ $disks }).
vm-backups-deleted = Backup { $backup } deleted.
vm-backups-disks = { $count ->
    [one] { $count } disk
   *[other] { $count } disks
}

## All of an account's backups

backups-title = Backups
backups-usage = { $used } of { $limit } backups, { $gib } of { $limit_gib } GiB of backup storage in use.
backups-ask-more = Ask for more
backups-hint = Schedules and "back up now" are on each server's Backups page. A deleted server's backups stay here until you delete them; a new server can be made from any finished backup.
backups-none = No backups.
backups-col-server = Server
backups-server-deleted = server deleted
backups-new-server = New server from it
backups-deleted = Backup { $id } deleted.
from-backup-title = New server from a backup
from-backup-crumb = New server
from-backup-heading = New server from backup { $id }
from-backup-of = Backup of { $hostname } taken { $at }.
from-backup-hint = The new server starts with the backup's system disk, grown to the plan's size; it gets its own addresses. Extra disks are not restored (download their files from the Backups page). Its users, passwords and keys are those on the disk; the keys you tick are added.
from-backup-keys = SSH keys to add
backup-interrupted = Interrupted: the daemon stopped during the backup

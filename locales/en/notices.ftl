# Notices (the bell, e-mails, the admins' Telegram chat): each reader gets them in their language.
# A notice keeps its values; the texts here are read when it is shown or sent.

## The free trial

notice-trial-approved = Your { $days }-day free trial is approved
notice-trial-approved-body = It starts when your first server starts.
notice-trial-approved-free = It starts when your first server starts; until it ends, servers within the trial's limits are free.
notice-trial-requested = Account { $account } asks for a free trial
notice-trial-requested-body = { $note }
notice-trial-declined = Your free trial request was declined
notice-trial-declined-body = You can still order servers at the price list.
notice-trial-started = Your free trial runs until { $until }
notice-trial-started-body = Servers left after that are paid at the price list from the next hour.
notice-trial-ending = Your free trial ends in { $hours ->
    [one] an hour
   *[other] { $hours } hours
}
notice-trial-ending-body = At { $at }. Servers left then are paid at the price list; delete them if you do not want to continue.
notice-trial-ended = Your free trial has ended
notice-trial-ended-paid = Your servers stay and are paid at the price list from the next hour. Delete them if you do not want to continue.
notice-trial-ended-free = Nothing was left running, so nothing is charged.

## Balance

notice-low-balance = Your balance lasts less than { $days ->
    [one] { $days } day
   *[other] { $days } days
}
notice-low-balance-body = Balance { $balance }, about { $per_hour } an hour. Top up to keep your servers running.
notice-negative = Your balance is below zero
notice-negative-body = Balance { $balance }. Top up by { $by }, or your servers will be stopped (not deleted) until you do.
notice-resumed = Thank you: your account is active again
notice-resumed-body = Your servers can be started again.
notice-suspended = Your account is suspended for non-payment
notice-suspended-body = Balance { $balance }. Your servers are stopped, not deleted; a top-up that brings the balance above zero lets them start again.
notice-suspended-admin = Account { $account } suspended for non-payment
notice-suspended-admin-body = Balance { $balance }; { $servers } servers stopped.

## Backups

notice-backup-failed = Backup of { $hostname } failed{ $attempts ->
    [1] {""}
   *[other] {" "}({ $attempts } attempts)
}
notice-backup-failed-body = Backup { $backup } could not be made: { $reason }. Nothing of it was kept; your earlier backups are untouched. The provider has been told.
notice-backup-failed-admin = Backup { $backup } of { $hostname } (account { $account }) failed{ $attempts ->
    [1] {""}
   *[other] {" "}({ $attempts } attempts)
}
notice-backup-failed-admin-body = { $reason }
notice-backup-skipped = Scheduled backup of { $hostname } skipped
notice-backup-skipped-body = { $reason }

## Support

notice-support-new = New support request #{ $id } ({ support-channel }): { support-category } — answer by { $due }
notice-support-new-body = { $subject }
notice-support-replied = Customer replied on #{ $id }: { $subject }
notice-support-answered = Support answered your request #{ $id }: { $subject }
notice-request-alert = Request #{ $id } { $level ->
    [breached] is past its response target
   *[risk] is close to its response target
} (due { $due })
notice-request-alert-body = { support-category }: { $subject }
notice-quota-new = New quota increase request #{ $id } — answer by { $due }
notice-quota-new-body = { $wanted }
notice-quota-alert = Quota request #{ $id } { $level ->
    [breached] is past its response target
   *[risk] is close to its response target
} (due { $due })
notice-quota-alert-body = { $wanted }

## Availability

notice-scope = { $scope ->
    [host] all servers
    [none] no servers
    [one] server { $servers }
   *[many] servers { $servers }
}
notice-incident = Incident: { $title }
notice-incident-body = We are working on a { $severity ->
    [outage] full outage
   *[degradation] degradation
} affecting { notice-scope } since { $since }. Follow it on the status page.
notice-resolved = Resolved: { $title }
notice-resolved-body = Service was restored at { $at }.
notice-maintenance = Planned maintenance { $starts } – { $ends }
notice-maintenance-body = { $description } Affects { notice-scope }.
notice-maintenance-cancelled = Maintenance called off: { $starts }
notice-maintenance-cancelled-body = { $description }
notice-credit = Availability credit for { $month }: { $amount }
notice-credit-body = Some of your servers were below the promised 99.9% availability. The credit reduces the cost of this period.

## The host (admins)

notice-fault-loop = Server #{ $vm } ({ $hostname }) left off after { $faults } platform faults in an hour
notice-fault-loop-body = vpsbox stopped restarting it; its downtime counts until it runs. Check QEMU's log for the domain.
notice-platform-fault = Server #{ $vm } ({ $hostname }) stopped: platform fault
notice-platform-fault-body = { $note }; vpsbox starts it again. Downtime counts against the SLA until it runs.
notice-unmanaged = { $count } resource(s) on this host that vpsbox leaves alone
notice-unmanaged-body = Found with vpsbox's names but not provably this installation's, so never changed or removed: { $names }.
notice-store-recovered = The state store refused changes from { $since } until { $until }
notice-store-recovered-body = Its disk was full or failing ({ $error }). vpsbox reopened it by itself; everything saved before is there, and what was refused in between has to be done again. Check the free space of the data directory.
notice-low-space = { $free } MiB free in { $dir }
notice-low-space-below = Below the floor of { $floor } MiB: new servers, disks and backups are refused (SPC0001) until there is room.
notice-low-space-body = New servers, disks and backups are refused (SPC0001) below { $floor } MiB. Make room or add storage.

## Sign-in

notice-two-factor-reset = Two-factor sign-in was turned off for your account by the provider
notice-two-factor-reset-body = You now log in with your password alone. Set up an authenticator again on the account page; if you did not ask for this, change your password and contact support.
notice-abuse-flagged = Server #{ $vm } ({ $hostname }) flagged by the abuse rule
notice-abuse-flagged-body = Its vCPUs were busy at { $percent }% or more for { $hours } hours without a break. Look at its CPU graph, then cap its CPU, suspend it or close the case.
notice-abuse-capped = The CPU of { $hostname } is limited to { $percent }% of each vCPU
notice-abuse-suspended = { $hostname } was suspended: { $note }
notice-abuse-body = Its processors were fully used for hours on end, which the terms forbid (crypto-mining and other distributed computing). Contact support if this is a mistake.
notice-abuse-lifted = The CPU limit on { $hostname } was lifted
notice-acme-failed = No certificate from the ACME CA for { $names }
notice-acme-failed-body = { $error }. The cabinet keeps serving its current certificate; vpsbox tries again every ten minutes. Check that the names point to this host and that the CA reaches the cabinet's port.
notice-rescue-ready = { $hostname } is in rescue
notice-rescue-ready-body = It booted the rescue system with its own disks attached, not mounted. Log in as root with the one-time password shown when you started rescue, or with the server's SSH keys. Leave rescue on the server's page to boot its own system again.
notice-rescue-left = { $hostname } boots its own system again
notice-rescue-failed = Rescue of { $hostname } failed ({ $code }); it boots its own system
notice-traffic-80 = { $hostname } has used 80% of its traffic this month ({ $used } of { $allowance } GiB)
notice-traffic-100 = { $hostname } has used all its traffic this month ({ $used } of { $allowance } GiB)
notice-traffic-100-body = Its public interface is slowed to { $mbit } Mbit/s until the month ends or its allowance is raised.
notice-traffic-100-charged = Its plan charges the traffic past the allowance: each GiB begun is booked to your balance until the month ends. The price is on the Plans page.
notice-traffic-lifted = { $hostname } runs at its full port speed again

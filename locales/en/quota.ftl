# vpsbox cabinet: quotas, requests for more, the activity log.

resource-name = { $resource ->
    [vms] virtual machines
    [vcpus] vCPUs
    [memory_mib] memory (MiB)
    [disk_gb] disk (GiB)
    [ipv4] public IPv4 addresses
    [backups] backups
    [private_networks] private networks
    [snapshots] snapshots
    [iso_gb] own ISO images (GiB)
   *[backup_gb] backup storage (GiB)
}
quota-title = Quota
quota-col-resource = Resource
quota-col-used = In use
quota-col-limit = Limit
quota-ask-title = Ask for more
quota-ask-hint = Enter the limits you need; the provider answers within 20 minutes, around the clock.
quota-reason = What do you need it for?
quota-send = Send request
quota-requests = Your requests
quota-col-sent = Sent
quota-col-asked = Asked for
quota-col-status = Status
quota-waiting = waiting
quota-approved = approved
quota-declined = declined
quota-not-number = { $resource } must be a whole number
quota-sent = Request sent. You will see the answer here.

## The activity log

activity-title = Activity
activity-none = Nothing yet.
activity-col-when = When
activity-col-owner = Owner
activity-col-who = Who
activity-col-what = What
activity-col-resource = Resource
activity-col-details = Details
activity-col-from = From

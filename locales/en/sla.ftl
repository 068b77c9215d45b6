# vpsbox cabinet: availability (SLA), credits and the status of the service.

## Why a server was down

cause-host-down = host or platform down
cause-platform = virtualization platform fault
cause-incident = provider incident
cause-maintenance = planned maintenance (not counted)
cause-customer = caused by the customer (not counted)
cause-force-majeure = force majeure (not counted)

## One server's availability

availability-title = Availability this month
availability-since = since { $since }
availability-credit = — below the promised 99.9%: a credit of { $percent }% of this server's charges for the month
availability-promised = (promised: 99.9%)
availability-no-downtime = No downtime recorded.
availability-minutes = { $minutes } min
availability-ongoing = ongoing
availability-maintenance = Planned maintenance { $from } – { $to }: not counted.
availability-all-servers = All servers and credits
availability-status = Service status
availability-counted = Counted: time the server was meant to run but the host, the virtualization platform or the network failed. Not counted: planned maintenance, force majeure, and anything inside the server (its operating system and software are yours).

## All of a customer's servers and credits

sla-title = Availability { $month }
sla-terms = The provider promises 99.9% availability of each server in the month. Below it, a credit on that server's charges for the month: 5% below 99.9%, 10% below 99.0%, 15% below 95.0%, never more than you paid that month, applied to the next period. Planned maintenance announced in time, force majeure and anything caused inside your server are not counted.
sla-page = Availability
sla-no-servers = You have no servers.
sla-col-server = Server
sla-col-availability = Availability
sla-col-downtime = Counted downtime
sla-col-tier = Credit tier
sla-col-events = Events
sla-credits = Credits
sla-no-month = No month measured yet.
sla-col-month = Month
sla-col-below = Servers below 99.9%
sla-col-paid = Paid
sla-col-credit = Credit
sla-col-booked = Booked
sla-credit-line = #{ $vm } { $availability } → { $percent }% of { $charges }
sla-report-outage = Report an outage

## The public status page

status-title = Service status
status-crumb = Status
status-all-ok = All systems operational.
status-current = Current incidents
status-planned = Planned maintenance
status-none-planned = None planned.
status-recent = Resolved in the last 7 days
status-ongoing = ongoing
status-resolved = resolved
status-since = since { $at }
status-until = until { $at }
severity-outage = full outage
severity-degradation = degradation
scope-host = all servers
scope-none = no servers
scope-one = server #{ $vm }
scope-many = servers { $list }

## Incident history (status page)

incident-reported-title = Reported by a customer: { $title }
incident-reported = Reported in support request #{ $request }.
incident-declared = Declared: { $title }
incident-updated = { $blame ->
    [same] {""}
   *[other] Responsibility: { admin-blame }.{" "}
}{ $resolved ->
    [yes] Resolved: service restored at { $at }.{" "}
   *[no] {""}
}{ $note }

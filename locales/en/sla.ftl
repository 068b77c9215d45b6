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

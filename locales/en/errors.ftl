# vpsbox: what errors say to people, by their stable code (`err-<CODE>`). English is the
# reference; each message says what the daemon's log says for the same error.
# `$reason` chooses between the messages of errors that share a code.

## The page shell

error-title-not-found = Page not found
error-title-forbidden = Not allowed
error-title-too-large = Request too large
error-title-internal = Internal error
error-title-unavailable = Temporarily unavailable
error-title-throttled = Too many attempts
error-title-gone = Link no longer valid
error-title-conflict = Not possible right now
error-title-refused = Request refused
error-internal = Something went wrong on our side; the error has been logged
error-back-to-start = Back to the start page

## Requests

err-WEB0001 = This form has expired or did not come from this site. Go back, reload the page and send it again
err-WEB0002 = Requests from other sites are not accepted. Open the cabinet directly and try again
err-WEB0400 = { $reason ->
    [value] The form field “{ $field }” cannot be “{ $value }”. Reload the page and send the form again
   *[other] The request could not be understood: { $detail }
}
err-WEB0403 = Your account may not open this page
err-WEB0404 = This page does not exist
err-WEB0405 = This address does not accept that kind of request
err-WEB0413 = The request is too large

## Accounts

err-ACC0001 = Enter an e-mail address of the form name@example.com
err-ACC0002 = { $reason ->
    [long] Choose a password of at most { $max } bytes
    [is-email] The password must not be the e-mail address
   *[short] Choose a password of at least { $min } characters
}
err-ACC0003 = An account with this e-mail address exists already; log in or ask for a password reset
err-ACC0004 = Wrong e-mail address or password
err-ACC0005 = Too many failed logins: logins are locked until { $until }. Try again then, or ask support for a password reset
err-ACC0006 = This account is disabled; contact support
err-ACC0007 = Sign-up is closed; ask the provider to create an account for you
err-ACC0008 = This password-reset link is invalid, was used already, or has expired; ask for a new one
err-ACC0009 = The current password is not correct
err-ACC0010 = No such account
err-ACC0011 = This is the last enabled admin account; create another admin first
err-ACC0013 = Unknown role "{ $role }": use customer or admin
err-ACC0014 = { $reason ->
    [range] The schedule's { $what ->
        [minute] minute
        [hour] hour
        [weekday] weekday
       *[day] day of the month
    } is out of range
   *[zone] Unknown time zone "{ $zone }": use a name such as Europe/Berlin or Asia/Almaty
}
err-ACC0015 = Unknown language "{ $language }": use kk, ru or en
err-ACC0016 = The external id "{ $external }" belongs to account { $account } already
err-ACC0017 = An external id is 1 to 128 printable characters
err-ACC0018 = This sign-in link was used or has expired; ask for a new one
err-ACC0019 = This is for customer accounts only
err-ACC0020 = The account still has servers; delete them first
err-ACC0021 = The code is not right or was used already; enter the code your app shows now, or one of your recovery codes
err-ACC0022 = This sign-in has expired; log in again
err-ACC0023 = No authenticator is being set up; start the set-up again
err-ACC0024 = Two-factor sign-in is on already; turn it off first to use another authenticator
err-ACC0025 = Two-factor sign-in is not on for this account
err-ACC0026 = The provider requires two-factor sign-in for this account; it cannot be turned off
err-ACC0027 = Unknown setting "{ $value }": use nobody, admins or everyone
err-ACC0028 = Passkeys need the cabinet to be reached by its domain name, not by an address
err-ACC0029 = The passkey was not accepted ({ $reason }); try again
err-ACC0030 = This passkey is not registered here; log in with your password
err-ACC0031 = A passkey's name is 1 to 64 printable characters
err-ACC0032 = The passkey request has expired; try again

## Virtual machines

err-VM0001 = { $reason ->
    [length] A hostname has 1 to 253 characters
    [numeric] The last part of the hostname must not be all digits
   *[label] Each part of the hostname (between dots) has 1 to 63 letters, digits or hyphens and neither starts nor ends with a hyphen
}
err-VM0002 = You have a virtual machine named { $hostname } already; choose another hostname
err-VM0003 = The plan you chose is not on offer; pick one from the list
err-VM0004 = The operating system you chose is not on offer; pick one from the list
err-VM0005 = The { $template } image needs a disk of at least { $min } GiB; the plan has { $disk } GiB
err-VM0006 = Choose at least one SSH key or set a root password, or you could not log in
err-VM0007 = The root password needs 10 to 128 characters
err-VM0008 = { quota-exceeded }
err-VM0009 = No such virtual machine
err-VM0010 = The virtual machine is busy ({ $reason ->
    [not-ready] it is not ready
    [disk-changed] the disk changed meanwhile
   *[operation] another operation is running
}); wait until it finishes
err-VM0011 = { $reason ->
    [running] The virtual machine is running already
    [not-running-console] The virtual machine is not running; start it first
    [running-resize] Shut the virtual machine down before changing its plan
    [no-consoles] This hypervisor (libvirt's test driver) has no consoles
    [screen] The screen could not be shown: { $detail }
    [max-ipv4] A virtual machine holds at most { $count } IPv4 addresses
    [included-ipv4] The plan includes { $count } IPv4 address(es); only extra addresses can be removed
    [only-ipv4-moves] Only IPv4 addresses move between virtual machines
    [already-here] { $address } is on this virtual machine already
   *[not-running] The virtual machine is not running
}
err-VM0012 = This virtual machine is suspended by the provider; contact support
err-VM0013 = Type the hostname exactly to confirm
err-VM0014 = Disks can only grow: the new plan has { $new } GiB, the VM has { $old } GiB
err-VM0015 = This host has used up its 16.7 million VM interface addresses; contact the vendor
err-VM0016 = Your account is suspended until the balance is above zero; top up to order or start servers
err-VM0017 = The external service id "{ $external }" belongs to server { $server } already
err-VM0018 = An external service id is 1 to 128 printable characters
err-VM0019 = This server is scheduled for deletion; restore it first
err-VM0020 = This server is not scheduled for deletion
err-VM0021 = No such operation
err-VM0022 = This server has no open abuse case
err-VM0023 = A CPU cap is 1 to 100 per cent of each vCPU
err-VM0024 = This host has no rescue system yet; please ask support
err-VM0025 = This server is in rescue; leave rescue first
err-VM0026 = This server is not in rescue
err-VM0027 = A port speed is 1 to 100000 Mbit/s and a traffic allowance 1 to 1048576 GiB a month (or unlimited)
err-VM0028 = This ISO image is not available
err-VM0029 = This server has no ISO image in its CD-ROM drive
err-VM0030 = This server has { $count } snapshot(s), which live in the disks this would replace or remove; delete them first
err-VM0031 = A snapshot's name is 1 to 64 printable characters
err-VM0032 = This snapshot covers a disk that is no longer attached to the server; attach it again or delete the snapshot
err-VM0033 = No such snapshot

# Shared by the quota errors of several areas.
quota-exceeded = Over your quota of { $resource ->
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
}: the limit is { $limit }, { $used } in use, this needs { $requested } more ({ $over } over). Free some up or ask for a quota increase

## The hypervisor and the host

err-HV0001 = { $reason ->
    [unavailable] The hypervisor is unavailable right now, so nothing was changed; try again in a minute
   *[other] The hypervisor cannot be reached right now; try again in a minute
}
err-HV0002 = { $reason ->
    [unavailable] The hypervisor is unavailable right now, so nothing was changed; try again in a minute
   *[other] A hypervisor call failed
}
err-HV0003 = The virtual machine's domain does not exist on the hypervisor
err-HV0004 = Not possible in the virtual machine's current state: { $detail }
err-HV0005 = The guest agent does not answer: { $detail }
err-SPC0001 = The host is short of disk space ({ $free } MiB free in { $dir }, { $floor } MiB kept free): new servers, disks and backups wait until the provider makes room
err-STO0008 = The state store cannot save changes right now (its disk is full or failing): nothing was changed. vpsbox retries by itself; try again in a minute

## Firewall

err-FWL0001 = Choose a protocol (tcp, udp, icmp, any) and allow or deny
err-FWL0002 = { $reason ->
    [no-ports] { $protocol } has no ports; leave the port empty
    [reversed] The port range { $from }-{ $to } is reversed; write { $to }-{ $from }
   *[not-a-port] `{ $port }` is not a port from 1 to 65535
}
err-FWL0003 = `{ $source }` is not an address or a network (such as 203.0.113.7 or 203.0.113.0/24)
err-FWL0004 = A virtual machine can have at most { $max } firewall rules

## Backups

err-BKP0001 = No such backup
err-BKP0002 = The virtual machine is busy being set up or changed; try again when it is ready
err-BKP0003 = { quota-exceeded }
err-BKP0005 = { $reason ->
    [range] The schedule's { $what ->
        [minute] minute
        [hour] hour
        [weekday] weekday
       *[day] day of the month
    } is out of range
   *[zone] Unknown time zone "{ $zone }": use a name such as Europe/Berlin or Asia/Almaty
}
err-BKP0006 = Backups { $frequency } are not offered on this host
err-BKP0007 = A schedule keeps between 1 and { $max } backups
err-BKP0008 = A server can have at most { $max } backup schedules
err-BKP0009 = Please check the { $field ->
    [frequency] frequency
    [time] time of day
    [weekday] weekday
    [day] day of the month
   *[number] number of backups to keep
}
err-BKP0010 = Type the server's hostname to confirm
err-BKP0011 = Only a finished backup can be restored or downloaded
err-BKP0012 = Backup { $backup } is built on this one; delete it first
err-BKP0013 = The backup is still running
err-BKP0014 = Your backups use { $used } of your { $limit } GiB of backup storage; delete older backups or ask for a quota increase
err-BKP0015 = A server is being made from this backup; try again when it is ready
err-BKP0016 = This backup holds no system disk, so no server can be made from it

## Billing and the trial

err-BIL0001 = Enter an amount such as 1500 or 1500.50 (above zero)
err-BIL0002 = Say in 1 to 200 characters { $what ->
    [reference] the payment reference
    [correction] why the balance is corrected
   *[credit] what the credit is for
}
err-BIL0003 = The hourly price cannot be above the monthly price
err-BIL0004 = No such { $what ->
    [plan] plan
    [trial] trial
   *[account] account
}
err-BIL0005 = The free trial is granted once per customer, and this account has asked for it already
err-BIL0006 = The free trial is for new customers: this account has used the service already
err-BIL0007 = The trial is not in a state for this
err-BIL0008 = The reference "{ $reference }" was booked already, for another account or amount

## Consoles

err-CON0001 = This console link was used already or is unknown; reload the console page
err-CON0002 = This console link expired; reload the console page
err-CON0003 = This console link belongs to another session
err-CON0004 = This virtual machine has { $count } console sessions open already; close one first
err-CON0005 = Your account has { $count } console sessions open already; close one first

## Disks

err-DSK0001 = A disk name has 1 to 32 letters, digits, dots, dashes or underscores
err-DSK0002 = A disk has 1 to { $max } GiB; `{ $size }` is not that
err-DSK0003 = { quota-exceeded }
err-DSK0004 = No such disk
err-DSK0005 = The disk is attached to a virtual machine; detach it first
err-DSK0006 = The disk is not attached to this virtual machine
err-DSK0007 = A virtual machine can have at most { $max } extra disks
err-DSK0008 = Disks can only grow: it has { $old } GiB, { $new } GiB is not more

## Public addresses and IP pools

err-IPM0001 = Pool names have 1 to 64 of a-z, 0-9, '.', '_', '-' and start with a letter or digit
err-IPM0002 = A pool named { $pool } exists already
err-IPM0003 = { $reason ->
    [address] `{ $address }` is not an IP address
    [gateway] The gateway { $gateway } is not a usable address of { $network }
    [empty] The pool has no assignable address left after the gateway and exclusions
   *[detail] { $detail }
}
err-IPM0004 = { $network } overlaps pool { $pool } ({ $pool_network })
err-IPM0005 = No such IP pool: { $pool }
err-IPM0006 = Pool { $pool } has { $count } address(es) in use; release them first
err-IPM0007 = Pool { $pool } has no free address left
err-IPM0008 = { $address } is not assigned from pool { $pool }
err-IPM0009 = No public { $family } address is free on this host; please contact support
err-IPM0010 = `{ $name }` is not a fully qualified host name (like server1.example.com: letters, digits and hyphens, at least two labels)
err-IPM0011 = { $address } is not one of your addresses

## SSH keys

err-KEY0001 = { $reason ->
    [type] Key type { $type } is not supported; use ssh-ed25519, ecdsa or ssh-rsa
    [blob] The key data is damaged (it does not decode to a { $type } key)
    [private] That is a private key. Paste the public key (the .pub file) and keep the private key secret
    [weak-rsa] RSA keys must have at least 2048 bits
   *[format] Paste one public key in OpenSSH format: ssh-ed25519 AAAA… comment
}
err-KEY0002 = Give the key a name of 1 to 64 characters
err-KEY0003 = This key is saved already (as { $name })
err-KEY0004 = An account keeps at most { $max } keys; delete one first
err-KEY0005 = No such key

## Private networks

err-NET0001 = A network name has 1 to 32 letters, digits, dots, dashes or underscores
err-NET0002 = { $detail }
err-NET0003 = You have a private network named { $name } already; choose another name
err-NET0004 = { quota-exceeded }
err-NET0005 = No such private network
err-NET0006 = { $count } virtual machine(s) are still on this network; detach them first
err-NET0007 = The network's subnet has no free address left; detach a VM or use a bigger subnet
err-NET0008 = The virtual machine is on this network already
err-NET0009 = The virtual machine is not on this network
err-NET0010 = A virtual machine can be on at most { $max } private networks
err-NET0011 = This host has used up its private network names; contact the vendor

## Plans and templates

err-PLN0001 = Plan names have 1 to 64 of a-z, 0-9, '.', '_', '-' and start with a letter or digit
err-PLN0002 = A plan named { $plan } exists already
err-PLN0003 = { $what ->
    [vcpus] vCPUs
    [memory] Memory (MiB)
    [disk] Disk (GiB)
   *[ipv4] Public IPv4 addresses
} must be between { $min } and { $max }
err-PLN0004 = No such plan: { $plan }
err-PLN0005 = Plan { $plan } is used by { $count } virtual machine(s); disable it instead
err-PLN0006 = CPU shares are 2 to 262144, a CPU cap is 1 to 100 per cent, a port speed 1 to 100000 Mbit/s and a traffic allowance 1 to 1048576 GiB a month
err-PLN0007 = The price of extra traffic is an amount above zero per GiB, such as 50 or 12.50 (empty: throttle instead)
err-TPL0001 = Template names have 1 to 64 of a-z, 0-9, '.', '_', '-' and start with a letter or digit
err-TPL0002 = A template named { $template } exists already
err-TPL0003 = Unknown OS "{ $os }": use linux, bsd or windows
err-TPL0004 = No such template: { $template }
err-TPL0005 = Template { $template } is the backing image of { $count } virtual machine(s); delete or reinstall them first
err-TPL0006 = The staged image must be an { $prefix }* file in the templates directory
err-TPL0007 = The minimum disk ({ $min } GiB) is smaller than the image's virtual size ({ $needed } GiB)
err-TPL0008 = A login user name has 1 to 32 of a-z, 0-9, '_' and '-' and starts with a letter or '_' (e.g. debian)

## Quota requests

err-QTA0002 = Ask for more of at least one resource than you have now
err-QTA0003 = Say in 1 to 1000 characters what you need the resources for
err-QTA0004 = You have a request waiting for an answer already
err-QTA0005 = No such request
err-QTA0006 = This request was answered already

## Availability, incidents and maintenance

err-SLA0001 = { $reason ->
    [line] The { $what ->
        [title] title
       *[description] description
    } is one line of 1 to { $max } characters
    [no-servers] Name the servers it covers, or "host" for all
    [no-such-server] There is no server #{ $server }
    [future] An incident cannot start in the future
    [update-long] An update is at most 2000 characters
    [end-outside] The end must be between its start ({ $start }) and now
    [nothing] Nothing to update: write a note, end it or set responsibility
    [window-past] A maintenance window must start in the future
    [window-length] A window ends after it starts and lasts at most 7 days
    [window-over] This window is over or called off already
    [time] { $what ->
        [started] Started
        [restored] Restored at
        [starts] Starts
       *[ends] Ends
    }: a date and time such as 2027-01-15T08:30
    [scope] Scope: "host" or server numbers such as 12, 14
   *[detail] { $detail }
}
err-SLA0002 = No such { $what ->
    [incident] incident
    [maintenance] maintenance window
   *[server] server
}

## Support

err-SUP0001 = { $reason ->
    [body] Write a message of up to 10,000 characters
    [subject] The subject is one line of up to 200 characters
    [server] You have no server #{ $server }
   *[detail] { $detail }
}
err-SUP0002 = No such support request
err-SUP0003 = This request is closed; file a new one
err-SUP0004 = { $reason ->
    [too-big] { $name }: attachments are text logs of at most { $max } KiB
    [not-text] { $name }: only text files (logs) can be attached
   *[too-many] At most { $max } attachments per message
}
err-TG0001 = The provider has no Telegram bot
err-TG0002 = Telegram cannot be reached now; try again in a minute

## API tokens

err-TOK0001 = Give the token a name of 1 to 64 characters
err-TOK0002 = Only admins hold admin, billing and metrics tokens
err-TOK0003 = The kind must be admin, billing, customer or metrics, not "{ $kind }"
err-TOK0004 = There is no scope "{ $scope }"
err-TOK0005 = A { $kind } token cannot carry the scope { $scope }
err-TOK0006 = { $detail }
err-TOK0007 = An account keeps at most 50 tokens; revoke one first
err-TOK0008 = No such token
err-TOK0009 = No such account
err-TOK0010 = A valid API token is needed: send it as `Authorization: Bearer vpsbox_<id>_<secret>`
err-TOK0011 = This API token expired at { $at }
err-TOK0012 = This API token was revoked
err-TOK0013 = The account of this API token is disabled
err-TOK0014 = This API token is not accepted from { $address }
err-TOK0015 = This API token lacks the scope { $scope }

## Webhooks
err-HOOK0001 = Give the webhook an http:// or https:// URL
err-HOOK0002 = There is no event "{ $event }"
err-HOOK0003 = Name at least one event
err-HOOK0004 = An account keeps at most { $max } webhooks; delete one first
err-HOOK0005 = No such webhook
err-RSC0001 = The staged image must be an { $prefix }* file in the rescue directory
err-ISO0001 = ISO names have 1 to 64 of a-z, 0-9, '.', '_', '-' and start with a letter or digit
err-ISO0002 = An ISO named { $iso } exists already
err-ISO0003 = This file is not an ISO 9660 image (no CD001 volume descriptor at sector 16)
err-ISO0004 = No such ISO image: { $iso }
err-ISO0005 = ISO { $iso } is in the CD-ROM drive of { $count } server(s); detach it first
err-ISO0006 = The staged image must be an { $prefix }* file in the ISO directory
err-ISO0007 = An uploaded ISO image may have at most { $max } MiB
err-ISO0008 = { quota-exceeded }
err-ISO0009 = Choose an ISO image file to upload
err-ISO0010 = This host takes no ISO uploads; ask support to publish the image you need

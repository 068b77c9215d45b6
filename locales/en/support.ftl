# vpsbox cabinet: support requests (the terms' request categories and response targets).
# Also used by the Telegram bot.

support-category = { $category ->
    [quota] Quota increase
    [password] Cabinet password change or recovery
    [hard-reboot] Hard reboot of a hung server
    [zone-link] Network link between availability zones
    [outage] Incident: all my services are down
    [degradation] Incident: my main services are degraded
   *[other] Other question
}
support-status = { $status ->
    [open] open
    [answered] answered
    [resolved] resolved
   *[closed] closed
}
support-channel = { $channel ->
    [cabinet] cabinet
    [telegram] Telegram
    [email] e-mail
   *[phone] phone
}
support-via = via { $channel }
support-minutes = { $n } min
support-hours = { $n } h
support-hours-minutes = { $h } h { $m } min
support-left = { $time } left
support-late = { $time } late
support-due = due { $at }
support-title = Support
support-new = New request
support-sla-link = Availability and credits
support-status-link = Service status
support-none = No requests yet.
support-col-subject = Subject
support-col-category = Category
support-col-status = Status
support-col-filed = Filed
support-col-due = Answer due
support-targets = Response targets
support-col-request = Request
support-col-target = First response within
support-around-the-clock = Around the clock, every day of the year.
support-from-customer = Customer
support-from-staff = Support
support-attached = Attached:
support-attached-size = ({ $n } bytes)
support-reply = Reply
support-attach = Attach text logs (optional, up to 3, 256 KiB each)
support-mark-resolved = Mark as resolved
support-send = Send
support-reset-title = Reset it yourself now
support-reset-text = A hard reset restarts a hung server at once, like the reset button of a physical machine. No need to wait for support.
support-reset-button = Hard reset
support-no-servers = You have no servers.
support-quota-title = Ask for higher limits directly
support-quota-text = The quota form sends your request straight to the provider's queue (answered within 20 minutes).
support-quota-button = Open the quota form
support-password-title = Change or recover your password yourself
support-password-text = You are logged in, so you can change it at once on your account page. Write to support below if you need it reset for another reason.
support-password-link = Your account page
support-two-factor-text = Two-factor sign-in, new recovery codes, or another phone: on the two-factor page. If you lost both your phone and your recovery codes, write below: the provider can turn it off for you.
support-two-factor-link = Two-factor sign-in
support-new-title = New support request
support-what-about = What is it about?
support-answered-within = answered within { $target }
support-write = Write to support
support-first-response = First response within { $target }, around the clock.
support-incident-hint = Reporting an incident starts the downtime count for the servers you name (or all yours) now.
support-subject = Subject
support-message = Message
support-servers = Servers it concerns
support-send-request = Send request
support-choose-category = Choose what the request is about
support-sent = Request #{ $id } sent. Support answers by { $due }.
support-request-title = Request #{ $id }
support-answer-due = answer due { $at }
support-servers-list = servers:
support-incident-reported = incident reported
support-close = Close the request
support-replied = Reply sent.
support-closed = Request closed.

# vpsbox: the customers' Telegram bot, and linking it on the Account page.

bot-not-linked = This Telegram account is not linked to an account of the cabinet, so nothing was filed. Log in to the cabinet, open Account → Telegram, press "Link Telegram" and open the link it gives.
bot-link-bad = This link is wrong, used or expired. Make a new one on the Account page of the cabinet.
bot-linked = Linked to { $email }. File support requests here; support's answers come to this chat.
bot-menu = What do you need?
bot-new = New request
bot-outage = Report an outage
bot-requests = My requests
bot-cancel = Cancel
bot-cancelled = Cancelled.
bot-choose-category = What is it about? First response within:
bot-choose-servers = Which servers does it concern? Tap to select, then Done.
bot-done = Done
bot-no-server = No particular server
bot-describe = Describe it in one message: the first line is the subject. A text log can come as a file, with the description as its caption.
bot-outage-counted = The outage counts from now, when you reported it.
bot-filed = Request #{ $id } is filed. Support answers within { $target } (by { $due }). Write here to add to it.
bot-added = Added to request #{ $id }.
bot-not-filed = Not filed: { $error } ({ $code })
bot-answer = Support answered request #{ $id } ({ $subject }):

    { $body }

    Write here to reply.
bot-status = Request #{ $id } ({ $subject }) is { $status }.
bot-no-requests = You have no requests.
bot-list = Your requests; tap one to write to it:
bot-thread = Writing to request #{ $id }: { $subject }. Your next messages are added to it.
bot-attachment = Log: { $name }

## The Account page

telegram-title = Telegram
telegram-hint = Link your Telegram account to file support requests and report outages through the provider's bot, and to get support's answers there.
telegram-off = The provider has no Telegram bot.
telegram-linked = Linked to { $name } since { $at }.
telegram-link = Link Telegram
telegram-open = Open this link in Telegram within { $minutes } minutes and press Start:
telegram-unlink = Unlink
telegram-unlinked = Telegram unlinked.

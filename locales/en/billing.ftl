# vpsbox cabinet: balance, charges, statements, the free trial.

billing-title = Billing
billing-usage = Usage { $hour } ({ $n ->
    [one] { $n } item
   *[other] { $n } items
})
billing-payment = Payment — { $reference }
billing-credit = Credit — { $reason }
billing-correction = Correction — { $reason }
billing-traffic = Extra traffic of { $hostname }: { $gib } GiB past its allowance
billing-no-transactions = No transactions yet.
billing-col-date = Date
billing-col-what = What
billing-col-amount = Amount
billing-col-balance-after = Balance after
billing-usage-hours = Usage, { $n ->
    [one] { $n } hour
   *[other] { $n } hours
}
billing-balance = Balance:
billing-suspended = The account is suspended for non-payment: servers are stopped and cannot be started. A payment that brings the balance above zero lifts it at once.
billing-below-zero = The balance is below zero. Pay by { $until }, or the servers will be stopped (not deleted) until you do.
billing-running-costs = Running costs now: { $amount } an hour.
billing-lasts = Running costs now: { $amount } an hour, so the balance lasts about { $days ->
    [one] { $days } day
   *[other] { $days } days
}.
billing-month-so-far = This month ({ $month }) so far
billing-nothing-this-month = Nothing charged this month.
billing-col-resource = Resource
billing-col-priced-as = Priced as
billing-col-units = Units
billing-col-hours = Hours
billing-total = Total
billing-hourly-hint = Each resource is charged by the hour it exists, never more in a calendar month than its monthly price.
billing-no-statements = No statements yet: one is issued after each month.
billing-col-number = No.
billing-col-month = Month
billing-col-charges = Charges
billing-col-closing = Closing balance
billing-view = View
billing-no-transactions-day = No transactions on this day.
billing-col-when = When
billing-line-price = at { $price }
billing-day-title = Transactions on { $day } (UTC)
billing-transactions-title = Transactions
billing-back = Back to billing
billing-how-to-pay = To pay, transfer to the provider quoting your account number { $account }; the payment shows here once it is booked.
billing-statements = Statements
billing-older = Older transactions
billing-statement-title = Statement { $number }
billing-statement-account = Account { $account } — { $email }
billing-statement-period = Period: { $month } (calendar month)
billing-statement-issued = Issued { $at }
billing-opening = Opening balance
billing-credits = Credits
billing-payments = Payments
billing-corrections = Corrections
billing-unit-server = server
billing-unit-ipv4 = extra IPv4 address
billing-unit-disk = GiB of extra disk
billing-unit-backup = GiB of backup storage
billing-unit-traffic = GiB of extra traffic

## The free trial (the terms' trial period)

trial-title = Free trial
trial-offer = New customers can try the service free for { $days ->
    [one] { $days } day
   *[other] { $days } days
}, counted from the first server's start, within limits the provider sets. The provider decides on each request and grants it once. Servers left when the trial ends are paid at the price list from the next hour.
trial-note = What would you like to try? (optional)
trial-ask = Ask for a free trial
trial-waiting = Your request is waiting for the provider's answer.
trial-approved = Your trial is approved. It starts when your first server starts.
trial-order = Order a server
trial-ends = Trial ends { $at } — in { $left }.
trial-ends-hint = Servers left then become paid at the price list from the next hour. To stop, delete them before the end.
trial-end-now = End the trial now
trial-ended = Your trial ended { $at }.
trial-ended-paid = Your trial ended { $at }; the servers you kept are paid at the price list.
trial-declined = The provider declined your trial request; you can still order servers at the price list.
trial-left-days = { $d } d { $h } h { $m } min
trial-left-hours = { $h } h { $m } min
trial-approved-flash = Your free trial is approved.
trial-requested-flash = Request sent; the provider answers soon.
trial-ended-flash = The trial has ended.
billing-backup-storage = backup and snapshot storage

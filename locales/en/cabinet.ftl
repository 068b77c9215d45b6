# vpsbox cabinet: English (the reference bundle: every message id is declared here first).
# Message ids are kebab-case; `{ $name }` are arguments the page supplies.

## The page shell

nav-dashboard = Dashboard
nav-servers = Servers
nav-networks = Networks
nav-disks = Disks
nav-backups = Backups
nav-plans = Plans
nav-billing = Billing
nav-support = Support
nav-account = Account
nav-notices = Notices
nav-notices-label = Notifications, { $count } unread
nav-admin = Admin
nav-status = Status
nav-log-in = Log in
nav-sign-up = Sign up
nav-log-out = Log out
nav-main = Main
nav-breadcrumb = Breadcrumb
language-switch = Language
error-code = Error { $code }

## Log in and sign up

login-title = Log in
login-email = E-mail
login-password = Password
login-submit = Log in
login-create-account = Create an account
login-forgot = Forgot your password? Ask support for a reset link.
signup-title = Sign up
signup-heading = Create an account
signup-closed = Sign-up is closed. Ask the provider to create an account for you.
signup-back-to-login = Back to log in
signup-password-hint = At least { $min } characters.
signup-repeat = Repeat the password
signup-submit = Create account
signup-have-account = I have an account
signup-passwords-differ = The two passwords differ
signup-welcome = Welcome! Your account is ready.
signup-ready-log-in = Your account is ready. Log in to continue.

## Account

account-language-label = The cabinet's language
account-language-browser = As my browser asks
account-language-save = Save language

## Dashboard

dashboard-incident = Incident:
dashboard-incident-since = ({ $severity } since { $since }).
dashboard-status-page = Status page
dashboard-maintenance = Planned maintenance
dashboard-trial-until = Free trial until
dashboard-trial-left = (in { $left }). Servers left then become paid.
dashboard-details = Details
dashboard-balance = Balance
dashboard-days-left = about { $days } days at the current rate
dashboard-billing-link = billing
dashboard-servers = Virtual servers
dashboard-no-servers = You have no virtual servers yet.
dashboard-order-one = Order one
dashboard-running = { $count } running
dashboard-manage = manage
dashboard-quota = Quota
dashboard-vcpus = { $used } of { $limit } vCPUs
dashboard-details-link = details
dashboard-member-since = Member since { $since }
dashboard-sessions = { $count ->
    [one] { $count } active session
   *[other] { $count } active sessions
}

# vpsbox cabinet: the account page, SSH keys, notifications, setting a new password.

account-title = Тіркелгі
account-details = Мәліметтер
account-email = Эл. пошта
account-role = Рөлі
account-role-customer = клиент
account-role-admin = әкімші
account-member-since = Тіркелген күні
account-password-set = Құпиясөз орнатылған
account-sessions = Белсенді сеанстар
account-keys-link = SSH кілттері
account-activity-link = Әрекеттер журналы
account-logout-all = Барлық құрылғыдан шығу
account-logout-all-hint = Осы тіркелгінің барлық құрылғыдағы, соның ішінде осы құрылғыдағы, барлық сеансын аяқтайды.
account-logged-out-all = Барлық жерден шықтыңыз ({ $n } сеанс).
account-tz-title = Уақыт белдеуі
account-tz-hint = Сақтық көшірме кестелері осы белдеудің уақытымен орындалады.
account-tz-label = Уақыт белдеуі (мысалы, Asia/Almaty, Asia/Aqtobe, UTC)
account-tz-save = Уақыт белдеуін сақтау
account-tz-set = Уақыт белдеуі: { $zone }.
account-password-title = Құпиясөзді өзгерту
account-password-current = Қазіргі құпиясөз
account-password-new = Жаңа құпиясөз
account-password-hint = Кемінде { $n } таңба. Басқа сеанстарыңыз аяқталады.
account-password-repeat = Жаңа құпиясөзді қайталаңыз
account-password-submit = Құпиясөзді өзгерту
account-password-differ = Жаңа құпиясөздер сәйкес емес
account-password-changed = Құпиясөзіңіз өзгертілді.
account-logged-out = Кабинеттен шықтыңыз.

## Setting a new password from a reset link

reset-title = Жаңа құпиясөз
reset-for = { $email } үшін. Сілтеме бір рет жарамды.
reset-hint = Кемінде { $n } таңба. Барлық сеансыңыз аяқталады.
reset-submit = Құпиясөзді орнату
reset-done = Құпиясөз орнатылды. Жаңа құпиясөзбен кіріңіз.

## SSH keys

keys-title = SSH кілттері
keys-hint = Мұнда сақталған кілттерді жаңа серверге тапсырыс бергенде қосуға болады.
keys-none = Әзірге кілт жоқ.
keys-col-name = Атауы
keys-col-type = Түрі
keys-col-fingerprint = Саусақ ізі
keys-col-added = Қосылған
keys-delete = Жою
keys-add-title = Кілт қосу
keys-name = Атауы (міндетті емес: кілттің түсініктемесі алынады)
keys-key = Ашық кілт
keys-add = Кілт қосу
keys-added = { $name } кілті қосылды.
keys-deleted = Кілт жойылды.

## Notifications

notices-title = Хабарламалар
notices-none = Әзірге ештеңе жоқ.
notices-mark-read = Барлығын оқылды деп белгілеу ({ $n })
notices-new = жаңа
notices-admins = әкімшілерге
notices-open = Ашу
notices-all-read = Барлық хабарлама оқылды деп белгіленді.

## API tokens (Account → API tokens, Admin → API tokens)
account-tokens-link = API токендері
admin-tab-tokens = API токендері
tokens-title = API токендері
tokens-hint = Токен скриптке немесе биллингке API-ды (/api/v1) осы тіркелгі атынан пайдалануға мүмкіндік береді — берілген аясында және тіркелгі құқығынан артық емес. Оны «Authorization: Bearer <токен>» түрінде жіберіңіз. API нұсқаулығы — docs/api.md.
tokens-none = Әзірге токен жоқ.
tokens-col-name = Атауы
tokens-col-owner = Тіркелгі
tokens-col-kind = Түрі
tokens-col-scopes = Аялары
tokens-col-networks = Клиент желілері
tokens-col-expires = Мерзімі бітеді
tokens-col-last-used = Соңғы қолданылуы
tokens-col-status = Күйі
tokens-any = кез келген
tokens-never = ешқашан
tokens-unused = әлі жоқ
tokens-active = жарамды
tokens-revoked = кері қайтарылған
tokens-expired = мерзімі өткен
tokens-revoke = Кері қайтару
tokens-revoked-done = { $name } токені кері қайтарылды, енді жұмыс істемейді.
tokens-create-title = Токен жасау
tokens-name = Атауы (мысалы, whmcs, сақтық көшірме скрипті)
tokens-kind = Түрі
tokens-kind-customer = клиенттік: тек осы тіркелгінің серверлері
tokens-kind-admin = әкімшілік: әкімші істей алатынның бәрі
tokens-kind-billing = биллинг: тіркелгілер, серверлер, қуат, ақша, тұтыну, кіру сілтемелері
tokens-kind-metrics = метрикалар: тек хост метрикалары
tokens-scopes = Аялар үтір арқылы (бос болса — түрі рұқсат ететіннің бәрі)
tokens-networks = Клиент желілері CIDR түрінде, үтір арқылы (бос болса — кез келген)
tokens-expires = Неше күннен кейін бітеді (бос болса — ешқашан)
tokens-create = Токен жасау
tokens-made = { $name } токені жасалды. Оны қазір көшіріп алыңыз: ол тек бір рет көрсетіледі.
tokens-admin-title = Барлық тіркелгілердің API токендері
tokens-admin-hint = Барлық тіркелгілердің токендері. Кері қайтарылған токен бірден тоқтайды; өшірілген тіркелгінің токендері өздігінен тоқтайды.

## Екі факторлы кіру

two-factor-title = Екі факторлы кіру
two-factor-on-since = { $since } бастап қосулы
two-factor-off = Өшірулі
two-factor-required = Провайдер тіркелгіңіз үшін екі факторлы кіруді талап етеді.
two-factor-intro = Екі факторлы кіруде құпиясөз бен телефондағы аутентификатор қолданбасының (мысалы, Aegis, FreeOTP, Google Authenticator немесе Microsoft Authenticator) алты таңбалы коды қажет, сондықтан ұрланған құпиясөздің өзі ештеңе ашпайды.
two-factor-setup = Аутентификатор қолданбасын баптау
two-factor-scan = Бұл кодты аутентификатор қолданбасымен сканерлеңіз немесе кілтті оған енгізіңіз; содан кейін қолданба көрсеткен алты таңбалы кодты енгізіңіз.
two-factor-key = Кілт
two-factor-code = Код
two-factor-code-hint = Қолданбадағы алты таңбалы код немесе қалпына келтіру кодтарының бірі.
two-factor-first-code = Қолданба қазір көрсетіп тұрған алты таңбалы код.
two-factor-confirm = Қосу
two-factor-restart = Жаңа кілтпен қайта бастау
two-factor-recovery-left = { $n ->
    [0] Қалпына келтіру кодтары қалмады: жаңаларын жасаңыз
   *[other] { $n } қалпына келтіру коды қалды
}
two-factor-recovery-title = Қалпына келтіру кодтарыңыз
two-factor-recovery-intro = Телефоныңызды жоғалтсаңыз, әр код бір рет кіруге мүмкіндік береді. Оларды құпиясөзден бөлек қауіпсіз жерде сақтаңыз: олар тек қазір көрсетіледі.
two-factor-renew = Жаңа қалпына келтіру кодтарын жасау
two-factor-renew-hint = Құпиясөз бен код арқылы; ескі қалпына келтіру кодтары жарамсыз болады.
two-factor-disable = Екі факторлы кіруді өшіру
two-factor-password = Құпиясөз
two-factor-continue = Жалғастыру
two-factor-now-on = Екі факторлы кіру қосылды.
two-factor-now-off = Екі факторлы кіру өшірілді.
two-factor-recovery-used = Сіз қалпына келтіру кодымен кірдіңіз; { $n } код қалды. Тіркелгі бетінде жаңаларын жасаңыз.
two-factor-step-intro = Аутентификатор қолданбасындағы алты таңбалы кодты немесе қалпына келтіру кодтарыңыздың бірін енгізіңіз.
two-factor-enrol-intro = Провайдер тіркелгіңіз үшін екі факторлы кіруді талап етеді: жалғастыру үшін аутентификатор қолданбасын баптаңыз.
two-factor-cancel = Болдырмау
two-factor-lost = Телефоныңыз бен қалпына келтіру кодтарыңызды жоғалттыңыз ба? Қолдау қызметіне жазыңыз: провайдер тіркелгіңіз үшін екі факторлы кіруді өшіре алады.

## Кіру кілттері

passkey-title = Кіру кілттері
passkey-intro = Кіру кілті телефонда, компьютерде немесе қауіпсіздік кілтінде сақталады және саусақ ізімен, бетпен немесе PIN-кодпен ашылады. Ол құпиясөзсіз кіруге мүмкіндік береді немесе құпиясөзден кейін кіруді растайды.
passkey-none = Әзірге кіру кілттері жоқ.
passkey-added = { $at } қосылды
passkey-last-used = Соңғы рет { $at } қолданылды
passkey-never-used = Әлі қолданылмаған
passkey-remove = Жою
passkey-removed = Кіру кілті жойылды.
passkey-name = Жаңа кіру кілтінің атауы
passkey-name-example = Телефон, ноутбук, YubiKey…
passkey-add = Кіру кілтін қосу
passkey-needs-script = Кіру кілтін қосу немесе қолдану үшін браузерде JavaScript қосулы болуы керек.
passkey-unsupported = Бұл браузер кіру кілттерін қолдамайды.
passkey-cancelled = Кіру кілті сұрауы тоқтатылды немесе мерзімі өтті; қайталап көріңіз.
passkey-login = Кіру кілтімен кіру
passkey-use = Кіру кілтін қолдану
passkey-step-intro = Кіруді кіру кілттеріңіздің бірімен растаңыз.

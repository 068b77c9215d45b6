# Әкімші беттері.

admin-title = Әкімшілік
admin-tab-overview = Шолу
admin-tab-accounts = Аккаунттар
admin-tab-vms = Серверлер
admin-tab-plans = Тарифтер
admin-tab-templates = Үлгілер
admin-tab-pools = IP пулдары
admin-tab-backups = Сақтық көшірмелер
admin-tab-billing = Биллинг
admin-tab-trials = Сынақ кезеңдері
admin-tab-support = Қолдау
admin-tab-sla = Қызмет деңгейі
admin-tab-quota = Квота сұраулары
admin-tab-audit = Аудит журналы
admin-tab-unmanaged = Бөгде ресурстар

## Шолу

admin-enabled = қосулы: { $n }
admin-manage = басқару
admin-customers-admins = клиенттер: { $customers }, әкімшілер: { $admins }
admin-hypervisor = Гипервизор
admin-connected = қосылған
admin-hv-detail = { $driver }, { $host } хостында · libvirt { $libvirt } · гипервизор { $hypervisor }
admin-since = { $since } бастап
admin-reconnected = қайта қосылу: { $n }
admin-unavailable = қолжетімсіз
admin-down-since = { $since } бастап қолжетімсіз; қайта әрекеттер автоматты түрде жасалады.
admin-store = Күй қоймасы
admin-in-memory = (жадта)
admin-refusing = өзгерістерді қабылдамайды
admin-refusing-since = { $since } бастап
admin-store-reopens = Дискі қайта жазуды қабылдағанда vpsbox оны өзі қайта ашады.
admin-schema = Схема нұсқасы { $version }
admin-installation = Орнату
admin-unmanaged-count = бөгде ресурстар: { $n }
admin-on-this-host = осы хостта
admin-see-them = қарау
admin-settings = Баптаулар
admin-signup-state = Клиенттерді тіркеу { $open ->
    [yes] ашық
   *[no] жабық
}.
admin-signup-close = Тіркеуді жабу
admin-signup-open = Тіркеуді ашу

## Аккаунттар

admin-col-id = ID
admin-col-email = E-mail
admin-col-role = Рөлі
admin-col-status = Күйі
admin-col-created = Құрылған
admin-col-actions = Әрекеттер
admin-role = { $role ->
    [admin] әкімші
   *[customer] клиент
}
admin-disabled = өшірілген
admin-active = белсенді
admin-reset-link = Қалпына келтіру сілтемесі
admin-enable = Қосу
admin-disable = Өшіру
admin-create-account = Аккаунт құру
admin-create-hint = Телефон немесе e-mail арқылы сұраған клиенттер үшін. Құпиясөзді автоматты түрде жасау үшін оны бос қалдырыңыз; ол бір рет көрсетіледі.
admin-email = E-mail
admin-password-optional = Құпиясөз (міндетті емес)
admin-create-submit = Аккаунт құру
admin-account-created = { $email } үшін { $id } аккаунты құрылды ({ admin-role }).
admin-password-once = Құпиясөз, тек қазір көрсетіледі:
admin-reset-link-for = { $email } үшін құпиясөзді қалпына келтірудің бір реттік сілтемесі, 1 сағат жарамды:
admin-not-yourself = Өз аккаунтыңызды өшіре алмайсыз.
admin-account-disabled = { $email } аккаунты өшірілді; оның сеанстары аяқталды.
admin-account-enabled = { $email } аккаунты қосылды.

## Бөгде ресурстар

admin-unmanaged-title = Бөгде ресурстар
admin-unmanaged-intro = vpsbox тек осы орнатудың белгісі ({ $mark }) бар және күйі бойынша жойылуы тиіс нәрсені ғана өзгертеді не жояды. Төмендегінің бәрі vpsbox атауларымен аталған, бірақ осы орнатуға тиесілі екені дәлелденбеген: ол сол күйінде қалады. Кімдікі екенін білгенде, оны қолмен жойыңыз (virsh).
admin-unmanaged-none = Ештеңе жоқ: осы хосттағы vpsbox атаулары бар барлық ресурстар осы орнатуға тиесілі.
admin-col-kind = Түрі
admin-col-name = Атауы
admin-col-state = Күйі
admin-col-disks = Дискілер
admin-col-installation = Орнату
admin-col-why = Себебі
admin-unmanaged-kind = { $kind ->
    [domain] виртуалды машина
    [network] желі
    [network-filter] желі сүзгісі
    [file] файл
   *[other] { $kind }
}
admin-unmanaged-state = { $state ->
    [running] жұмыс істеп тұр
    [paused] кідіртілген
    [shutting-down] өшірілуде
    [stopped] тоқтатылған
    [crashed] апатты тоқтаған
    [suspended] бұғатталған
    [defined] анықталған
    [active] белсенді
    [inactive] белсенді емес
    [kept] қалдырылған
    [unknown] белгісіз
   *[other] { $state }
}
admin-unmanaged-why = { $reason ->
    [no-mark] ешбір vpsbox орнатымының белгісі жоқ (қолмен немесе басқа бағдарламамен жасалған)
    [another] басқа vpsbox орнатымына тиесілі ({ $installation })
    [no-record] осы орнатымның белгісі бар, бірақ күйде ол туралы жазба жоқ
    [restored] осы орнатымның белгісі бар, бірақ (көшірмеден қалпына келтірілген) күйде ол туралы жазба жоқ
   *[file] күйде жазбасы жоқ сервердің деректер каталогындағы файл
}
admin-col-first-seen = Алғаш байқалды
admin-col-last-seen = Соңғы рет
admin-this-one = осы
admin-none = жоқ

## ОЖ үлгілері

admin-templates-title = ОЖ үлгілері
admin-templates-none = Әзірге үлгілер жоқ. Төменде немесе { $command } командасымен импорттаңыз.
admin-col-os = ОЖ
admin-col-format = Пішімі
admin-col-virtual-size = Виртуалды өлшемі
admin-col-min-disk = Ең аз диск
admin-col-login = Кіру
admin-gib = { $n } ГиБ
admin-enabled-badge = қосулы
admin-delete = Жою
admin-import-title = Үлгіні импорттау
admin-import-hint = Осы хостта бар, vpsbox қызметі оқи алатын qcow2 немесе raw бейнесі. Ол үлгілер каталогына көшіріледі; түпнұсқасы қалады.
admin-name = Атауы
admin-image-path = Хосттағы бейненің жолы
admin-os-family = ОЖ отбасы
admin-min-disk-optional = Ең аз диск, ГиБ (міндетті емес)
admin-login-user-optional = Бейненің кіру пайдаланушысы (міндетті емес)
admin-login-user-hint = Бейне авторлары кіретін пайдаланушы. Клиенттердің SSH кілттері оған (sudo құқығымен) және root-қа қосылады.
admin-import = Импорттау
admin-rescue-title = Қалпына келтіру жүйесі
admin-rescue-hint = Серверлер қалпына келтіру режимінде өз дискілерімен бірге жүктейтін жүйе. qcow2 немесе raw бейнесін осында немесе { $command } арқылы импорттаңыз; { $script } оны Debian пакеттерінен құрастырады. Бұдан былай ең жаңа бейне қолданылады; ескісі қалпына келтіру режиміндегі серверлер оны пайдаланғанша сақталады.
admin-rescue-none = Қалпына келтіру жүйесі әлі жоқ: клиенттерге қалпына келтіру режимі ұсынылмайды.
admin-rescue-imported = Импортталды
admin-rescue-in-use = Қалпына келтірудегі серверлер
admin-rescue-current = ағымдағы
admin-rescue-import = Қалпына келтіру жүйесі ретінде импорттау
admin-rescue-imported-done = { $id } қалпына келтіру бейнесі импортталды: қалпына келтіру режиміне кіретін серверлер енді оны жүктейді.
admin-isos-title = ISO бейнелері
admin-isos-hint = Клиенттер серверлерінің CD жетегіне салып, одан жүктей алатын орнатқыштар, live және rescue CD. Осы хосттағы ISO 9660 бейнесін осында немесе { $command } арқылы жариялаңыз.
admin-isos-none = Әзірге ISO бейнелері жоқ.
admin-isos-size = Өлшемі
admin-isos-in-use = Жетектерде
admin-isos-import = Жариялау
admin-isos-imported = { $iso } ISO жарияланды.
admin-isos-deleted = { $iso } ISO жойылды.
admin-min-disk-whole = Ең аз диск ГиБ-тың бүтін саны болуы керек
admin-template-imported = { $name } үлгісі импортталды ({ $format }, { $size }).
admin-template-enabled = { $name } үлгісі қосылды: клиенттер оған тапсырыс бере алады.
admin-template-disabled = { $name } үлгісі өшірілді: одан жаңа серверлер жасалмайды.
admin-template-deleted = { $name } үлгісі жойылды.

## IP пулдары

admin-pools-title = Жалпыға ортақ IP пулдары
admin-pools-none = Әзірге пулдар жоқ. Төменде немесе { $command } командасымен қосыңыз.
admin-col-network = Желі
admin-col-gateway = Шлюз
admin-col-hands-out = Береді
admin-col-assigned = Берілген
admin-col-resting = Үзілісте
admin-col-dns = DNS
admin-pool-size = { $unit ->
    [prefix] /64 желілері: { $n }
   *[address] мекенжайлар: { $n }
}
admin-remove = Жою
admin-add-pool-title = Пул қосу
admin-add-pool-hint = 192.0.2.0/24 немесе 2001:db8::/32 сияқты құжаттама ауқымдары тек сынақтарға арналған. Серверден босатылған мекенжайлар қайта берілгенге дейін үзіліс күтеді.
admin-network-cidr = Желі (CIDR)
admin-gateway = Шлюз
admin-hand-out-only = Тек мынаны беру (міндетті емес)
admin-never-hand-out = Ешқашан бермеу (міндетті емес, әр жолға бір мекенжай не ауқым)
admin-dns-servers = DNS серверлері (үтір арқылы)
admin-ipv6-each = IPv6: әр сервер алады
admin-ipv6-prefix = /64 желісі (IPv4 пулдары: бір мекенжай)
admin-ipv6-single = бір мекенжай
admin-add-pool = Пул қосу
admin-pool-added = { $name } пулы қосылды: { admin-pool-size }.
admin-pool-removed = { $name } пулы жойылды.
admin-pool-title = { $name } пулы
admin-pool-line = шлюз { $gateway } · { admin-pool-size } · берілгені: { $assigned }
admin-pool-nothing = Бұл пулдың бірде-бір мекенжайы берілмеген.
admin-col-address = Мекенжай
admin-col-account = Аккаунт
admin-col-vm = Сервер
admin-col-since = Бастап
admin-col-ptr = Кері DNS
admin-col-move = Серверге көшіру
admin-unattached = байланыспаған
admin-move-label = { $address } мекенжайын нөмірі мынадай серверге көшіру
admin-move = Көшіру
admin-move-which = Мекенжай көшірілетін сервердің нөмірін көрсетіңіз (WEB0400)
admin-moved = { $address } { $vm } серверіне көшірілді.

## Тарифтер

admin-plans-title = Тарифтер
admin-plans-none = Әзірге тарифтер жоқ. Біріншісін төменде құрыңыз.
admin-col-hardware = Ресурстар
admin-col-per-month = Айына
admin-col-per-hour = Сағатына
admin-create-plan-title = Тариф құру
admin-vcpus = vCPU
admin-memory-mib = Жад, МиБ
admin-disk-gib = Диск, ГиБ
admin-public-ipv4 = Жалпыға ортақ IPv4
admin-price-month = Айлық баға
admin-price-hour = Сағаттық баға
admin-create-plan = Тариф құру
admin-whole-number = { $what }: бүтін сан керек
admin-too-large = { $what }: мәні тым үлкен
admin-amount-like = { $what }: 12.50 сияқты сома керек
admin-plan-created = { $name } тарифі құрылды.
admin-plan-enabled = { $name } тарифі қосылды: клиенттер оған тапсырыс бере алады.
admin-plan-disabled = { $name } тарифі өшірілді: онда жаңа серверлер жасалмайды.
admin-plan-deleted = { $name } тарифі жойылды.

## Биллинг

admin-billing-title = Биллинг
admin-prices = Бағалар
admin-prices-hint = Сомалар { $currency } бойынша. Өзгеріс келесі толық сағаттан бастап қолданылады; есептеліп қойған сағаттар бағасын сақтайды. Әр сағат сағаттық баға тұрады, бірақ күнтізбелік айда айлық бағадан аспайды.
admin-col-item = Позиция
admin-col-monthly = Айына
admin-col-hourly = Сағатына
admin-col-change = Өзгерту
admin-price-plan = { $name } тарифі
admin-price-extra = { $unit } үшін
admin-price-from = { $at } бастап: { $monthly } / { $hourly }
admin-monthly-price = Айлық баға
admin-hourly-price = Сағаттық баға
admin-set = Орнату
admin-book-payment-title = Төлемді есепке алу
admin-account-email = Аккаунттың e-mail-і
admin-amount = Сома
admin-payment-reference = Төлем нөмірі
admin-book-payment = Төлемді есепке алу
admin-arrears = Берешегі бар аккаунттар
admin-none-dot = Жоқ.
admin-col-balance = Баланс
admin-suspended = тоқтатылған
admin-suspends = { $at } тоқтатылады
admin-price-set = Баға орнатылды; { $at } бастап қолданылады.
admin-booked = { $amount } есепке алынды; енді баланс { $balance }.
admin-transactions-on = { $email }: { $day } күнгі операциялар (UTC)
admin-transactions = Операциялар
admin-billing-of = { $email } биллингі
admin-correct-title = Балансты түзету
admin-correct-amount = Сома (шегеру үшін теріс)
admin-reason = Себебі
admin-book-correction = Түзетуді өткізу
admin-statements = Үзінді көшірмелер

## Сақтық көшірмелер

admin-backups-title = Сақтық көшірмелер
admin-backups-line = Сақталған: { $stored } ({ $size }), орындалуда: { $running }, қатемен: { $failed }.
admin-col-server = Сервер
admin-col-started = Басталды
admin-schedule-n = { $id } кестесі

## Сынақ кезеңдері

admin-trials-title = Тегін сынақ кезеңдері
admin-trials-hint = Бірінші сервер іске қосылғаннан бастап { $days } күн; әр клиентке бір рет, тек қызметті әлі пайдаланбаған аккаунттарға (сұрағанда қайта тексеріледі). Мақұлдар алдында e-mail домені немесе тіркелу мекенжайы бірдей аккаунттарды қараңыз.
admin-trials-none = Сұраулар жоқ.
admin-trial-waiting = күтуде
admin-trial-approved = мақұлданды
admin-trial-running = жүріп жатыр
admin-trial-until = { $at } дейін
admin-trial-ended = аяқталды{ $early ->
    [yes] {" "}мерзімінен бұрын
   *[no] {""}
}{ $paid ->
    [yes] , ақылы
   *[no] {""}
}
admin-trial-declined = қабылданбады
admin-trial-asked = Сұралды { $at }
admin-signed-up-from = Тіркелген мекенжай { $address }
admin-signed-up-unknown = Тіркелген мекенжай (белгісіз: әкімші құрған)
admin-alike-none = Басқа ешбір аккаунттың e-mail домені немесе тіркелу мекенжайы сәйкес келмейді.
admin-alike = Ұқсас аккаунттар:
admin-alike-why = { $why ->
    [address] тіркелу мекенжайы бірдей
   *[domain] e-mail домені бірдей
}
admin-trial-approve = Осы шектеулермен мақұлдау
admin-trial-decline = Қабылдамау
admin-trial-choose = Мақұлдауды не қабылдамауды таңдаңыз
admin-trial-approved-flash = Сынақ кезеңі мақұлданды.
admin-trial-declined-flash = Сынақ кезеңі қабылданбады.

## Қолдау

admin-support-title = Қолдау
admin-support-queue = Қолдау кезегі
admin-support-waiting = Жауап күтуде: { $n }, ең шұғылдары жоғарыда.
admin-support-file = Клиент атынан өтініш беру
admin-support-report-link = Айлық есеп
admin-support-incidents-link = Оқиғалар мен жұмыстар
admin-col-request = Өтініш
admin-col-category = Санат
admin-col-subject = Тақырып
admin-col-filed = Берілді
admin-col-time-left = Қалған уақыт
admin-queue-label = { $quota ->
    [yes] квота #{ $id }
   *[no] #{ $id }
}
admin-queue-status = { $status ->
    [open] ашық
    [answered] жауап берілді
    [resolved] шешілді
    [closed] жабық
    [approved] мақұлданды
   *[declined] қабылданбады
}
admin-support-from = { $email } жіберген
admin-support-filed = { $at } берілді
admin-first-response = алғашқы жауап { $at }
admin-target-missed = мерзім бұзылды
admin-incident-n = оқиға #{ $id }
admin-close = Жабу
admin-support-report = { $month } қолдау есебі
admin-col-target = Мерзім
admin-col-in-target = Мерзімінде
admin-col-late = Кешіккен
admin-col-waiting = Күтуде
admin-col-share = Мерзіміндегі үлесі
admin-by-channel = Арналар бойынша
admin-col-channel = Арна
admin-report-hint = Өтінішке алғашқы жауап оның мерзімі ішінде келсе, ол мерзімінде саналады: санаттың мерзімі немесе жұмыс уақытында Telegram-бот арқылы берілген өтініш үшін мессенджердің { $mins } минуты. Мерзімінен кейін әлі жауапсыз қалғаны кешіккен болып саналады. Квота сұрауларында шешім жауап болып саналады.
admin-behalf-title = Клиент атынан өтініш беру
admin-behalf-short = Өтініш беру
admin-behalf-hint = Қоңырау шалған немесе e-mail жазған клиент үшін: өтініш өз арнасымен және санаттың мерзімімен кезекке түседі, клиент оны «Қолдау» бетінде көреді. Істен шығу туралы хабар оқиғаны қазірден бастап ашады.
admin-behalf-email = Клиенттің e-mail-і
admin-behalf-came-by = Арна
admin-behalf-servers = Сервер нөмірлері (міндетті емес)
admin-behalf-subject = Тақырып
admin-behalf-said = Клиент не айтты
admin-behalf-submit = Өтініш беру
admin-behalf-choose-channel = Телефонды немесе e-mail-ді таңдаңыз (SUP0001)
admin-behalf-choose-category = Өтініш неге қатысты екенін таңдаңыз (SUP0001)
admin-behalf-whole = Сервер нөмірлері бүтін сандар болуы керек (SUP0001)
admin-behalf-filed = { $email } үшін #{ $id } өтініш берілді.

## Квота сұраулары, шектеулер, аудит

admin-audit-title = Аудит журналы
admin-quota-title = Квота сұраулары
admin-col-sent = Жіберілді
admin-col-asked-for = Сұралғаны
admin-col-reason = Себебі
admin-approve = Мақұлдау
admin-decline = Қабылдамау
admin-quota-approved = Мақұлданды: шектеулер көтерілді.
admin-quota-declined = Қабылданбады.
admin-quota-of = { $email } квотасы
admin-quota = Квота
admin-set-limits = Шектеулерді орнату
admin-save-limits = Шектеулерді сақтау
admin-limits-saved = Шектеулер сақталды.

## Қызмет деңгейі

admin-sla-title = Қызмет деңгейі
admin-declare-title = Оқиға жариялау
admin-title-label = Тақырыбы
admin-severity = Маңыздылығы
admin-severity-outage = Толық істен шығу (тоқтап тұру болып саналады)
admin-severity-degradation = Нашарлау (көрсетіледі, саналмайды)
admin-scope = Қамтуы
admin-scope-placeholder = host немесе сервер нөмірлері: 12, 14
admin-started-utc = Басталуы (UTC)
admin-declare = Жариялау
admin-incidents = Оқиғалар
admin-responsibility = Жауапкершілік
admin-responsibility-line = Жауапкершілік: { admin-blame }
admin-blame = { $blame ->
    [provider] провайдер
    [customer] клиенттің кесірінен (саналмайды)
   *[force-majeure] форс-мажор (саналмайды)
}
admin-reported-in = хабарланған
admin-request-n = #{ $id } өтініш
admin-update = Хабар
admin-restored-at = Қалпына келтірілген уақыт (UTC), жабу үшін
admin-save = Сақтау
admin-schedule-title = Жұмыстарды жоспарлау
admin-schedule-hint = Қамтылған клиенттерге басталудан { $hours } сағат бұрын хабарланады. { $hours } сағаттан аз уақыт бұрын жарияланған терезе қолжетімділіктен шығарылмайды.
admin-what-done = Не істеледі
admin-starts-utc = Басталуы (UTC)
admin-ends-utc = Аяқталуы (UTC)
admin-schedule = Жоспарлау
admin-col-window = Терезе
admin-col-announced = Жарияланды
admin-col-notified = Хабарланды
admin-called-off = тоқтатылды
admin-short-notice = кеш жарияланды: саналады
admin-yes = иә
admin-not-yet = әлі жоқ
admin-call-off = Тоқтату
admin-below-title = { $month } ішінде 99,9%-дан төмен серверлер
admin-col-availability = Қолжетімділік
admin-col-counted = Есептелген тоқтап тұру
admin-col-tier = Өтемақы сатысы
admin-col-events = Оқиғалар
admin-credits-title = { $month } үшін өтемақылар
admin-credits-none = Жоқ (ай әлі есептелмеген немесе барлық серверлер 99,9%-ға жетті).
admin-col-below = 99,9%-дан төмен серверлер
admin-col-paid = Төленді
admin-col-credit = Өтемақы
admin-col-booked = Өткізілді
admin-credits-hint = Өтемақылар ай есептелгеннен кейін келесі кезеңге автоматты түрде өткізіледі, аккаунттың сол айда төлегенінен аспайды.
admin-incident-declared = #{ $id } оқиғасы жарияланды; қамтылған клиенттерге хабарланды.
admin-incident-updated = Оқиға жаңартылды.
admin-maintenance-scheduled = #{ $id } жұмыстары жоспарланды.
admin-maintenance-called-off = Жұмыстар тоқтатылды.

## Webhooks (Admin → Webhooks)
admin-tab-webhooks = Вебхуктар
webhooks-title = Вебхуктар
webhooks-hint = vpsbox провайдер жүйелеріне жіберетін оқиғалар, әр жазылымның құпиясымен қол қойылған. Жазылымдар API арқылы жасалады (POST /api/v1/webhooks). Сәтсіз жеткізу шамамен екі тәулік бойы қайталанады.
webhooks-none = Әзірге жазылым жоқ.
webhooks-owner = Тіркелгі
webhooks-events = Оқиғалар
webhooks-send-test = Сынақ жіберу
webhooks-test-queued = Сынақ оқиғасы (ping) кезекке қойылды; оның жеткізілуі бірнеше секундтан кейін төменде көрінеді.
webhooks-no-deliveries = Әлі ештеңе жіберілмеді.
webhooks-col-queued = Кезекке қойылды
webhooks-col-event = Оқиға
webhooks-col-state = Күйі
webhooks-col-attempts = Әрекеттер
webhooks-col-answer = Соңғы жауап
webhooks-pending = күтуде, келесі әрекет
webhooks-delivered = жеткізілді
webhooks-failed = тоқтатылды

## Екі факторлы кіру

admin-two-factor-label = Екі факторлы кіру міндетті
admin-two-factor-choice = { $required ->
    [admins] Әкімшілерге
    [everyone] Барлығына
   *[nobody] Ешкімге (әр тіркелгі өзі шешеді)
}
admin-two-factor-save = Сақтау
admin-two-factor-hint = Міндетті болып, аутентификаторы жоқ тіркелгілер оны келесі кіргенде баптайды.
admin-two-factor-set = Екі факторлы кіру енді міндетті: { $required ->
    [admins] әкімшілерге
    [everyone] барлығына
   *[nobody] ешкімге
}
admin-col-two-factor = 2FA
admin-two-factor-reset = 2FA қалпына келтіру
admin-two-factor-reset-done = { $email } үшін екі факторлы кіру өшірілді; тіркелгі иесіне хабарланды.
admin-tab-abuse = Теріс пайдалану
admin-abuse-title = Теріс пайдалану ережесі
admin-abuse-intro = vCPU-лары { $hours } сағат бойы үзіліссіз { $percent }% және одан жоғары жүктелген серверлер (шарттар криптовалюта майнингіне және басқа таратылған есептеулерге тыйым салады; [usage.abuse] бөлімінде бапталады). Процессор графигін көріп, шара қолдану үшін серверді ашыңыз.
admin-abuse-off = Ереже өшірулі ([usage.abuse] enabled = false): серверлер белгіленбейді.
admin-abuse-none = Ешбір сервер белгіленбеген.
admin-abuse-server = Сервер
admin-abuse-owner = Иесі
admin-abuse-flagged-at = Белгіленді
admin-abuse-state = Күйі
admin-col-fair-use = Әділ пайдалану
admin-fair-use = { $cap ->
    [-1] процессор шектелмеген
   *[other] процессор әр vCPU-дың { $cap }%-ына дейін
}{ $shares ->
    [-1] {""}
   *[other] , салмағы { $shares }
}{ $port ->
    [-1] {""}
   *[other] , порт { $port } Мбит/с
}{ $gib ->
    [-1] {""}
   *[other] , айына { $gib } ГиБ трафик
}
admin-fair-use-title = Әділ пайдалануға арналған процессор шектеулері
admin-fair-use-hint = Тарифтің барлық серверлері олармен бірден және әр іске қосылғаннан кейін жұмыс істейді: шек (әр vCPU-дың пайызы) және хост бос емес кезде басқа серверлерге қатысты салмақ (libvirt-те әдепкі 1024). Шектемеу үшін өрісті бос қалдырыңыз. Порт жылдамдығы жария интерфейсті екі бағытта да шектейді. Трафик лимиті (айына ГиБ, кіріс пен шығыс бірге) оны таусқан сервердің жылдамдығын ай соңына дейін белгіленген жылдамдыққа түсіреді. Немесе ГиБ бағасы берілсе, сервер жылдамдығын сақтайды, ал лимиттен асқан әр басталған ГиБ иесінің балансынан шегеріледі.
admin-fair-use-cap = Процессор шегі (%)
admin-fair-use-port = Порт жылдамдығы (Мбит/с)
admin-fair-use-traffic = Трафик лимиті (айына ГиБ)
admin-fair-use-overage = Лимиттен асқан ГиБ бағасы (бос — жылдамдықты төмендету)
admin-overage = одан кейін әр басталған ГиБ үшін { $price }
admin-fair-use-shares = Процессор салмағы
admin-fair-use-set = Орнату
admin-fair-use-done = { $name } тарифінің шектеулері орнатылды; қолданылған серверлер: { $count }.

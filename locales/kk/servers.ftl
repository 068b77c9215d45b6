# vpsbox кабинеті: виртуалды серверлер (тізім, сервер беті, әрекеттер).

## Бірліктер мен тарифтер

unit-gib = { $n } ГиБ
unit-mib = { $n } МиБ
plan-summary = { $vcpus } vCPU · { $memory } ЖЖҚ · { $disk } ГиБ диск · IPv4: { $ipv4 }

## Күйлер

vm-state-creating = жасалуда
vm-state-reinstalling = қайта орнатылуда
vm-state-deleting = жойылуда
vm-state-failed = қате
vm-state-working = операция орындалуда
vm-state-suspended = тоқтатылған
vm-state-shutting-down = өшірілуде
vm-state-running = жұмыс істеп тұр
vm-state-crashed = ақау
vm-state-paused = кідіртілген
vm-state-stopped = өшірулі
vm-state-unknown = белгісіз

## Операция қадамдары

step-reserve = Ресурстарды брондау
step-stop = Өшіру
step-disk = Диск жасау
step-seed = cloud-init деректерін жазу
step-define = Виртуалды машинаны сипаттау
step-start = Іске қосу
step-undefine = Сипаттаманы жою
step-remove-files = Диск пен cloud-init деректерін жою
step-grow-disk = Дискіні үлкейту
step-rescue-disk = Қалпына келтіру жүйесін дайындау
step-remove-rescue = Қалпына келтіру жүйесін жою
step-take-snapshot = Лездік көшірме жасау
step-revert-snapshot = Лездік көшірмеге қайтару
step-delete-snapshot = Лездік көшірмені жою

## Тізім

vms-title = Виртуалды серверлер
vms-all-title = Барлық виртуалды серверлер
vms-none = Әзірге виртуалды серверлер жоқ.
vms-order = Виртуалды серверге тапсырыс беру
vms-col-hostname = Хост атауы
vms-col-state = Күйі
vms-col-owner = Иесі
vms-col-addresses = Мекенжайлар
vms-col-plan = Тариф
vms-col-os = ОЖ
vms-col-since = Қашаннан бері
vms-col-actions = Әрекеттер

## Қуат және консольдер

vm-start = Іске қосу
vm-shut-down = Өшіру
vm-reboot = Қайта жүктеу
vm-hard-reset = Қатаң қайта іске қосу
vm-force-off = Қуатты ажырату
vm-console = Консоль
vm-serial-console = Тізбекті консоль

## Бір сервер

vm-login-password = root құпиясөзбен немесе кілтпен кіреді, SSH арқылы да, консольде де
vm-login-keys = root тек сіздің SSH кілттеріңізбен кіреді; құпиясөзбен кіру өшірулі
vm-failed = Виртуалды серверді жасау сәтсіз аяқталды: { $message }
vm-failed-hint = Хостта одан ештеңе қалмады және ол квотаны алмайды. Оны жойып, қайта тапсырыс беріңіз.
vm-suspended-note = Провайдер тоқтатып қойған: оны іске қосу мүмкін емес. Қолдау қызметіне хабарласыңыз.
vm-in-progress = Орындалуда
vm-started-at = { $at } басталды. Бет өздігінен жаңарады.
vm-details = Мәліметтер
vm-plan = Тариф
vm-hardware = Ресурстар
vm-os = ОЖ
vm-created = Жасалған уақыты
vm-last-change = Соңғы өзгеріс
vm-uuid = UUID
vm-ssh-keys = SSH кілттері
vm-login = Кіру
vm-power = Қуат
vm-force-hint = Өшіру сұрауынан кейін қонақ жүйе өшпеді. Ол қуат батырмасына жауап бермеуі мүмкін; «Қуатты ажырату» батырмасын қолданыңыз.
vm-reset-hint = Қатаң қайта іске қосу қатып қалған серверді физикалық машинаның Reset батырмасы сияқты бірден қайта қосады.
vm-backups = Сақтық көшірмелер
vm-reinstall = Қайта орнату
vm-reinstall-hint = Таңдалған ОЖ бар жаңа диск; хост атауы, кілттер мен құпиясөз сақталады. Дискідегі барлық дерек жоғалады.
vm-operating-system = Операциялық жүйе
vm-confirm-hostname = Растау үшін хост атауын теріңіз
vm-change-plan = Тарифті өзгерту
vm-change-plan-hint = Алдымен серверді өшіріңіз. Процессор мен жад өзгереді; диск тек үлкейеді.
vm-rename = Атауын өзгерту
vm-hostname = Хост атауы
vm-delete = Жою
vm-delete-hint = Сервер, оның дискісі және cloud-init деректері біржола жойылады.
vm-delete-confirm = Растау үшін { $hostname } деп теріңіз
vm-delete-button = Біржола жою
vm-provider-actions = Провайдер әрекеттері
vm-suspend = Тоқтата тұру
vm-unsuspend = Қайта қосу
vm-owner-hint = Иесі: { $owner } тіркелгісі. Тоқтатылған сервер өшірулі тұрады және иесі оны іске қоса алмайды.
vm-activity = Әрекеттер журналы
vm-nothing-yet = Әзірге ештеңе жоқ.

## Әрекеттің нәтижесі

vm-done-started = Іске қосылды.
vm-done-shutdown = Өшіру сұралды: қонақ жүйе өшірілуде.
vm-done-forced-off = Қуат ажыратылды.
vm-done-reboot = Қайта жүктеу сұралды.
vm-done-reset = Қатаң қайта іске қосу орындалды; сервер күйі: { $state }.
vm-done-deleting = Жойылуда…
vm-done-reinstalling = Қайта орнатылуда…
vm-done-resizing = Тариф өзгертілуде…
vm-done-renamed = Жаңа атауы: { $hostname }.
vm-done-suspended = Тоқтатылды.
vm-done-unsuspended = Қайта қосылды.
vm-done-rdns-set = { $address } үшін кері DNS жазбасы: { $name }.
vm-done-rdns-cleared = { $address } үшін кері DNS жазбасы жойылды.
vm-done-network-attached = { $network } желісінде eth{ $slot } ретінде, мекенжайы { $address }.
vm-done-network-detached = Желіден ажыратылды.
vm-done-disk-attached = { $disk } дискісі /dev/{ $device } ретінде қосылды.
vm-done-disk-detached = Диск ажыратылды.
vm-done-ip-added = { $address } мекенжайы қосылды. Сервер оны келесі жүктелгенде қолдана бастайды: ыңғайлы кезде қайта жүктеңіз.
vm-done-ip-removed = { $address } мекенжайы жойылды. Одан келетін трафик қазір бұғатталған; сервер оны келесі жүктелгенде қолданбайды.
vm-done-on-list = { $hostname }: { $message }

## Жария мекенжайлар және трафик

addresses-title = Жария мекенжайлар
addresses-none = Жоқ.
addresses-gateway = шлюз
addresses-dns = DNS
addresses-rdns-placeholder = кері DNS, мысалы mail.example.com
addresses-rdns-label = { $address } үшін кері DNS
addresses-save = Сақтау
addresses-hint = Бұл мекенжайларды серверде cloud-init баптайды. Мұнда жасалған өзгеріс сервер келесі жүктелгенде күшіне енеді (оны осы беттен немесе ішінен қайта жүктеңіз); мекенжай сүзгісі бірден өзгереді.
addresses-add = IPv4 мекенжайын қосу
addresses-remove = { $address } жою
addresses-quota-hint = Қосымша мекенжайлар IPv4 квотаңызға есептеледі. Жойылған мекенжай біраз уақыт ешкімге берілмейді.
traffic-title = Трафик
traffic-month = { $year }, { $month }: кіріс { $in }, шығыс { $out }
traffic-chart-label = Күн сайынғы трафик, { $month }: кіріс { $in }, шығыс { $out }
traffic-day-in = { $day }-күн: кіріс { $bytes }
traffic-day-out = { $day }-күн: шығыс { $bytes }
traffic-hint = Көк — кіріс, қызғылт сары — шығыс, күн сайын (UTC), жария интерфейсте.
traffic-allowance-use = Осы айда { $allowance } ГиБ-тың { $used } пайдаланылды ({ $percent }%), кіріс пен шығыс бірге.
traffic-allowance-meter = Осы айдағы трафик
traffic-throttled = Трафик лимиті таусылды: жария интерфейс ай соңына дейін (UTC) немесе лимит көбейтілгенше { $mbit } Мбит/с жылдамдықпен жұмыс істейді.
traffic-overage = Лимиттен тыс әр басталған ГиБ { $price } тұрады; осы айда { $gib } ГиБ үшін төлем алынды.
month-1 = Қаңтар
month-2 = Ақпан
month-3 = Наурыз
month-4 = Сәуір
month-5 = Мамыр
month-6 = Маусым
month-7 = Шілде
month-8 = Тамыз
month-9 = Қыркүйек
month-10 = Қазан
month-11 = Қараша
month-12 = Желтоқсан

## Сервердің жеке желілері және қосымша дискілері

vm-networks-title = Жеке желілер
vm-networks-none = Ешбір жеке желіге қосылмаған.
vm-networks-hint = Интерфейс бірден қосылады не ажыратылады; оның мекенжайы сервер келесі жүктелгенде бапталады (оны қайта жүктеңіз немесе қолмен орнатыңыз, мысалы ip addr add МЕКЕНЖАЙ dev eth1).
vm-network-label = Жеке желі
vm-networks-create-hint = Жеке желілер серверлеріңізді бір-бірімен байланыстырады.
vm-networks-create = Жеке желі жасау
vm-detach = Ажырату
vm-attach = Қосу
vm-disks-title = Қосымша дискілер
vm-disks-none = Қосылмаған.
vm-disks-hint = Қонақ жүйе дискілерді табу ретімен атайды; by-id атауы әрқашан дұрыс дискіні көрсетеді. Дискіні ажыратпас бұрын оны қонақ жүйеде ажыратып (unmount) қойыңыз.
vm-disk-label = Диск
vm-disks-create-hint = Қосымша дискілер орын қосады; оларды жұмыс істеп тұрған серверге қосуға болады.
vm-disks-create = Диск жасау

## Желіаралық қалқан

firewall-title = Желіаралық қалқан (кіріс трафик)
firewall-no-public = Бұл хост серверлерге жария интерфейс бермейді, сондықтан әзірге қорғайтын ештеңе жоқ; ережелер кейінге сақталады.
firewall-none = Ережелер жоқ.
firewall-rule = Ереже
firewall-any-protocol = кез келген хаттама
firewall-rule-text = { $action ->
    [allow] рұқсат ету
   *[deny] тыйым салу
} { $protocol ->
    [any] кез келген хаттама
   *[other] { $protocol }
}{ $ports ->
    [all] {""}
   *[other] , порттар { $ports }
}, қайдан: { $source ->
    [anywhere] кез келген жерден
   *[other] { $source }
}
firewall-remove = Жою
firewall-default = Ешбір ережеге сәйкес келмейтін трафик: { $action ->
    [allow] өткізіледі
   *[deny] тасталады
}.
firewall-allow = рұқсат ету
firewall-deny = тыйым салу
firewall-action-label = Рұқсат ету немесе тыйым салу
firewall-protocol = Хаттама
firewall-ports = Порттар
firewall-ports-placeholder = порт немесе ауқым, мысалы 22 немесе 8000-8100
firewall-source = Көзі
firewall-source-placeholder = қайдан, мысалы 203.0.113.0/24 (бос: кез келген жерден)
firewall-add = Ереже қосу
firewall-drop-rest = Ережелер рұқсат етпегеннің бәрін тастау
firewall-allow-rest = Ережелер тыйым салмағанның бәрін өткізу
firewall-hint = Ережелер жоғарыдан төмен қарай тексеріледі; алғашқы сәйкес келгені шешеді. Сервер өзі ашқан қосылымдарға жауаптар әрқашан өтеді.
firewall-added = Ереже қосылды: { $rule }.
firewall-removed = Ереже жойылды.
firewall-now-allowed = Ешбір ережеге сәйкес келмейтін трафик өткізіледі.
firewall-now-dropped = Ережелер рұқсат етпеген трафик тасталады.

## Серверге тапсырыс беру

order-title = Виртуалды серверге тапсырыс беру
order-crumb = Тапсырыс
order-nothing = Әзірге ештеңе ұсынылмайды. Кейінірек қараңыз.
order-plan = Тариф
order-per-month = айына { $price }
order-quota = Квотаңыз: { $vms_limit } сервердің { $vms }, { $vcpus_limit } vCPU-дың { $vcpus }, { $memory_limit } ЖЖҚ-ның { $memory }, { $disk_limit } ГиБ дискінің { $disk } қолданыста.
order-ask-more = Көбірек сұрау
order-os = Операциялық жүйе
order-hostname = Хост атауы
order-hostname-hint = Әріптер, цифрлар және дефистер; бөліктер нүктемен бөлінеді.
order-access = Қолжетімділік
order-no-keys = SSH кілттері сақталмаған.
order-add-key = Кілт қосыңыз немесе root құпиясөзін орнатыңыз.
order-root-password = root құпиясөзі (кілттер болса, міндетті емес)
order-root-password-hint = root құпиясөзі болса, root онымен SSH арқылы және консольде (кілттермен де) кіреді. Онсыз SSH тек кілттерді қабылдайды және құпиясөзбен кіру өшірулі болады.
order-networks = Жеке желілер
order-create = Виртуалды сервер жасау

## Консольдер

console-title = Консоль · { $hostname }
console-serial-title = Тізбекті консоль · { $hostname }
console-back = { $hostname } серверіне оралу
console-graphical = Графикалық консоль
console-connecting = Қосылуда…
console-connected = Қосылды
console-connected-serial = Қосылды — шақыруды көру үшін Enter басыңыз
console-disconnected = Ажыратылды
console-lost = Байланыс үзілді — сервер өшірулі болуы мүмкін
console-lost-serial = Ажыратылды — сервер өшірулі болуы мүмкін
console-refused = Бас тартылды
console-full-screen = Толық экран
console-scale = Терезеге сыйғызу
console-reconnect = Қайта қосылу
console-paste = Мәтін қою
console-paste-label = Енгізілетін мәтін
console-paste-button = Консольге теру
console-paste-hint = Мәтін АҚШ пернетақтасының перне басулары ретінде енгізіледі. Серверде басқа пернетақта орналасуы болса, ондағы басқа орындағы таңбалар (мысалы y/z, @ немесе тырнақшалар) басқаша шығуы мүмкін.
console-serial-hint = Сервердің бірінші тізбекті порты (ttyS0). Бір уақытта бір сеанс: мұнда ашсаңыз, басқа жерде жабылады. Қою — Ctrl+Shift+V.
console-open = Консольді ашу
console-screen = Сервер экраны

## The public price list

plans-title = Тарифтер
plans-none = Әзірге тариф жоқ.
plans-per-month = / ай
plans-vcpu = { $n } vCPU
plans-ram = { $memory } ЖЖҚ
plans-disk = { $n } ГиБ диск
plans-ipv4 = { $n } жария IPv4
plans-per-hour = сағатына { $price }
plans-cpu-cap = Процессор әр vCPU-дың { $cap }%-ына дейін (әділ пайдалану)
plans-port = Порт { $mbit } Мбит/с
plans-traffic = Айына { $gib } ГиБ трафик, одан кейін ай соңына дейін { $mbit } Мбит/с
plans-traffic-charged = Айына { $gib } ГиБ трафик, одан кейін әр басталған ГиБ үшін { $price }
os-family = { $os ->
    [linux] Linux
    [bsd] BSD
   *[windows] Windows
}
console-close-taken-over = Тізбекті консольді басқа сеанс ашты; оны қайтару үшін қайта қосылыңыз
console-close-logged-out = Сеансыңыз аяқталды; қайта кіріңіз
console-close-idle = { $minutes } минут енгізусіз болғандықтан жабылды
console-close-deleted = Виртуалды машина жойылды
console-close-ended = Консоль жабылды (сервер өшірулі ме?)
console-close-suspended = Виртуалды машина тоқтатылды
usage-title = Жүктеме
usage-day = 24 сағат
usage-month = 30 күн
usage-empty = Әзірге өлшем жоқ: сервер жұмыс істеп тұрғанда жүктеме әр минут сайын оқылады.
usage-cpu = { $range } ішіндегі процессор: орташа { $avg }, ең жоғары { $peak }
usage-disk = { $range } ішіндегі диск: орташа оқу { $read }, жазу { $written }
usage-net = { $range } ішіндегі желі: орташа кіріс { $in }, шығыс { $out }
usage-hint = Көк: процессор, оқу және кіріс трафик; қызғылт сары: жазу және шығыс трафик. Уақыт UTC бойынша; үзілістер — сервер өшірулі болған уақыт.
vm-abuse-capped = Провайдер шарттардағы әділ пайдалану ережесі бойынша бұл сервердің процессорын әр vCPU-дың { $percent }%-ына дейін шектеді.
vm-abuse-note = Провайдердің ескертпесі: { $note }
abuse-title = Теріс пайдалану ережесі
abuse-flagged = { $at } белгіленді: оның vCPU-лары { $since } бастап { $hours } сағат бойы үзіліссіз { $percent }% және одан жоғары жүктелді.
abuse-state-open = Ашық: әзірге шара жоқ
abuse-state-capped = Процессор { $percent }%-ға дейін шектелді
abuse-state-suspended = Тоқтатылды
abuse-state-closed = { $at } жабылды
abuse-cap-label = Әр vCPU-ды шектеу (пайыз)
abuse-cap = Процессорды шектеу
abuse-lift = Шекті алу
abuse-close = Істі жабу
abuse-note-label = Клиентке ескертпе
abuse-suspend = Тоқтату
abuse-done-capped = Процессор { $percent }%-ға дейін шектелді.
abuse-done-lifted = Процессор шегі алынды.
abuse-done-closed = Іс жабылды.
abuse-done-suspended = Сервер тоқтатылды; клиент ескертпеңізді көреді.
vm-root-password = Root құпиясөзі
vm-root-password-hint = Қайта орнатпай root үшін жаңа құпиясөз орнатыңыз: жүйеде QEMU қонақ агенті жұмыс істесе, ол бірден күшіне енеді; әйтпесе келесі қайта орнатуға дейін сақталады. Агент болмаса, құпиясөзді қалпына келтіру режимінде (төменде) өзіңіз өзгерте аласыз.
vm-root-password-new = Жаңа root құпиясөзі (10-нан 128 таңбаға дейін)
vm-root-password-set = Құпиясөзді орнату
vm-root-password-now = Жаңа root құпиясөзі қазір жұмыс істейді (қонақ агенті арқылы орнатылды).
vm-root-password-later = Жаңа root құпиясөзі келесі қайта орнатуға дейін сақталды: { $why }.
vm-agent-yes = Бұл серверде қонақ агенті жауап береді: жаңа құпиясөз бірден күшіне енеді.
vm-agent-no = Бұл серверде қонақ агенті жауап бермейді: жаңа құпиясөз келесі қайта орнатуға дейін сақталады. Оны қазір өзгерту үшін қалпына келтіру режимін жүктеңіз.
vm-rescue = Қалпына келтіру режимі
vm-rescue-hint = Сервер дискілері қосылған (тіркелмеген) қалпына келтіру жүйесін жүктейді: іске қосылмайтын жүйені жөндеу немесе ұмытылған құпиясөзді өзгерту үшін. Сервер ток ажыратылғандай бірден өшіріледі: мүмкін болса, алдымен оны тоқтатыңыз. root ретінде мұнда бір рет көрсетілетін бір реттік құпиясөзбен немесе сервердің SSH кілттерімен кіресіз.
vm-rescue-start = Қалпына келтіру режимін жүктеу
vm-rescue-none = Қалпына келтіру режимі қолжетімсіз: бұл хостта әлі қалпына келтіру жүйесі жоқ.
vm-rescue-active = Сервер қалпына келтіру режимінде
vm-rescue-active-hint = { $since } бастап өз жүйесінің орнына қалпына келтіру жүйесі жұмыс істейді. Сервердің өз дискісі — /dev/vda (қосымша дискілер одан кейін), қосылған, бірақ тіркелмеген. Консольде немесе SSH арқылы root ретінде бір реттік құпиясөзбен немесе сервердің SSH кілттерімен кіріңіз.
vm-rescue-leave = Қалпына келтіру режимінен шығу
vm-rescue-leave-hint = Қалпына келтіру жүйесін өшіріп, сервердің өз жүйесін қайта жүктейді; қалпына келтіру жүйесінің өзінде сақталғанның бәрі жойылады.
vm-rescue-started = Қалпына келтіру режимі іске қосылуда: сервер бір сәтте қалпына келтіру жүйесін жүктейді.
vm-rescue-password = Қалпына келтіру жүйесінің root құпиясөзі, тек қазір көрсетіледі:
vm-rescue-leaving = Қалпына келтіру режимінен шығу: сервер өз жүйесін жүктейді.
vm-limits-title = Осы сервердің шектері
vm-limits-hint = Тарифтікінің орнына: порт жылдамдығы (әр бағытта Мбит/с) және трафик лимиті (айына ГиБ немесе шектеусіз үшін "unlimited"). Тарифтікі үшін өрісті бос қалдырыңыз.
vm-limits-done = Сервер шектері орнатылды және қолданылды.
vm-iso-title = ISO бейнесі (CD-ROM)
vm-iso-hint = Басқа жүйені орнату үшін (графикалық консоль арқылы) немесе live не rescue CD пайдалану үшін сервердің CD жетегіне ISO бейнесін салыңыз. Сервер оны шығарғаныңызша өз дискісінен бұрын одан жүктеледі. Өзгеріс сервер қайта іске қосылғанда күшіне енеді.
vm-iso-boot = Одан жүктеу
vm-iso-boot-once = тек келесі іске қосылғанда
vm-iso-boot-always = әр іске қосылғанда, шығарылғанша
vm-iso-boot-no = жоқ, тек қосу
vm-iso-booting-once = Жетекте { $iso }; сервер келесі іске қосылғанда одан, ал одан кейінгі қайта жүктеуде өз дискісінен жүктеледі.
vm-iso-restart = Серверді қазір қайта іске қосу (өшіріп-қосу)
vm-iso-attach = Салу
vm-iso-detach = Шығару
vm-iso-booting = Жетекте { $iso }; сервер алдымен одан жүктеледі.
vm-iso-attached = Жетекте { $iso }; сервер өз дискісінен жүктеледі.
vm-iso-done-now = Дайын: сервер жаңа жетекпен қайта іске қосылды.
vm-iso-done-later = Дайын: өзгеріс сервер қайта іске қосылғанда күшіне енеді.
vm-snapshots-title = Лездік көшірмелер
vm-snapshots-hint = Лездік көшірме сервер дискілерін қазіргі күйінде (жұмыс істеп тұрса, жадын да) сервердің өз дискілерінің ішінде сақтайды; оған қайтару серверді сол сәтке қайтарады. Әрқайсысы сақтық көшірмелер орны сияқты, жасалған сәттегі сервер дискілерінің көлемі бойынша төленеді. Лездік көшірме сақтық көшірме емес: ол сервермен бірге жойылады.
vm-snapshots-none = Лездік көшірмелер әлі жоқ.
vm-snapshot-label = Атауы (міндетті емес)
vm-snapshot-take = Лездік көшірме жасау
vm-snapshot-col-name = Атауы
vm-snapshot-col-taken = Жасалған уақыты
vm-snapshot-col-size = Көлемі
vm-snapshot-with-memory = дискілер мен жад (сервер жұмыс істеп тұрған)
vm-snapshot-disks-only = дискілер (сервер өшірулі болған)
vm-snapshot-state = { $state ->
    [taking] жасалуда
    [reverting] қайтарылуда
    [deleting] жойылуда
   *[ready] дайын
}
vm-snapshot-revert = Қайтару
vm-snapshot-revert-confirm = Қайтару үшін хост атауын енгізіңіз: содан бергі жазылғанның бәрі жоғалады
vm-snapshot-delete = Жою
vm-snapshot-taking = Лездік көшірме жасалуда.
vm-snapshot-reverting = Сервер лездік көшірмеге қайтарылуда.
vm-snapshot-deleting = Лездік көшірме жойылуда.
isos-title = Менің ISO бейнелерім
isos-hint = Серверлеріңіздің CD жетегіне салуға арналған өз ISO бейнелеріңіз (басқа жүйенің орнатушысы, live-CD). Олар квотаңызға есептеледі; оларды тек сіз көресіз.
isos-none = Өз ISO бейнелеріңіз әлі жоқ.
isos-col-name = Атауы
isos-col-size = Көлемі
isos-col-uploaded = Жүктелген уақыты
isos-col-in-use = Сервер жетектерінде
isos-delete = Жою
isos-quota = ISO бейнелеріне арналған { $limit } ГиБ орынның { $used } ГиБ пайдаланылуда.
isos-upload-title = ISO бейнесін жүктеу
isos-upload-hint = Көлемі { $max } МиБ-тан аспайтын ISO 9660 бейнесі (.iso). Үлкен файлдар ұзақ жүктеледі: жауап келгенше бетті жаппаңыз.
isos-name = Атауы (a-z, 0-9, '.', '_', '-')
isos-file = Файл
isos-upload = Жүктеу
isos-uploaded = { $iso } жүктелді: оны сервер бетінде сервер жетегіне салыңыз.
isos-deleted = { $iso } жойылды.
isos-upload-link = Өз ISO бейнелеріңіз

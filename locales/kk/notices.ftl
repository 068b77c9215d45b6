# Хабарламалар (қоңырау, хаттар, әкімшілердің Telegram чаты).

## Тегін сынақ кезеңі

notice-trial-approved = { $days } күндік тегін сынақ кезеңі мақұлданды
notice-trial-approved-body = Ол алғашқы серверіңіз іске қосылғанда басталады.
notice-trial-approved-free = Ол алғашқы серверіңіз іске қосылғанда басталады; аяқталғанға дейін сынақ шегіндегі серверлер тегін.
notice-trial-requested = { $account } аккаунты тегін сынақ кезеңін сұрайды
notice-trial-requested-body = { $note }
notice-trial-declined = Тегін сынақ кезеңі туралы сұрау қабылданбады
notice-trial-declined-body = Серверлерге баға тізімі бойынша тапсырыс бере аласыз.
notice-trial-started = Тегін сынақ кезеңіңіз { $until } дейін жарамды
notice-trial-started-body = Одан кейін қалған серверлер келесі сағаттан бастап баға тізімі бойынша төленеді.
notice-trial-ending = Тегін сынақ кезеңіңіз { $hours } сағаттан кейін аяқталады
notice-trial-ending-body = { $at }. Сол кезде қалған серверлер баға тізімі бойынша төленеді; жалғастырғыңыз келмесе, оларды жойыңыз.
notice-trial-ended = Тегін сынақ кезеңіңіз аяқталды
notice-trial-ended-paid = Серверлеріңіз қалады және келесі сағаттан бастап баға тізімі бойынша төленеді. Жалғастырғыңыз келмесе, оларды жойыңыз.
notice-trial-ended-free = Ештеңе іске қосулы қалмады, сондықтан ештеңе есептелмейді.

## Баланс

notice-low-balance = Балансыңыз { $days } күнге жетпейді
notice-low-balance-body = Баланс { $balance }, сағатына шамамен { $per_hour }. Серверлер жұмыс істей беруі үшін балансты толтырыңыз.
notice-negative = Балансыңыз нөлден төмен
notice-negative-body = Баланс { $balance }. { $by } дейін толтырыңыз, әйтпесе серверлеріңіз толтырғанша тоқтатылады (жойылмайды).
notice-resumed = Рахмет: аккаунтыңыз қайтадан белсенді
notice-resumed-body = Серверлерді қайта іске қосуға болады.
notice-suspended = Аккаунтыңыз төлемсіздік үшін тоқтатылды
notice-suspended-body = Баланс { $balance }. Серверлеріңіз тоқтатылды, жойылған жоқ; балансты нөлден жоғары көтеретін толтыру оларды қайта іске қосуға мүмкіндік береді.
notice-suspended-admin = { $account } аккаунты төлемсіздік үшін тоқтатылды
notice-suspended-admin-body = Баланс { $balance }; тоқтатылған серверлер: { $servers }.

## Сақтық көшірмелер

notice-backup-failed = { $hostname } сақтық көшірмесі жасалмады{ $attempts ->
    [1] {""}
   *[other] {" "}({ $attempts } әрекет)
}
notice-backup-failed-body = { $backup } сақтық көшірмесін жасау мүмкін болмады: { $reason }. Одан ештеңе сақталмады; бұрынғы көшірмелеріңізге тиіспеді. Провайдерге хабарланды.
notice-backup-failed-admin = { $hostname } серверінің { $backup } сақтық көшірмесі ({ $account } аккаунты) жасалмады{ $attempts ->
    [1] {""}
   *[other] {" "}({ $attempts } әрекет)
}
notice-backup-failed-admin-body = { $reason }
notice-backup-skipped = { $hostname } жоспарлы сақтық көшірмесі өткізіп жіберілді
notice-backup-skipped-body = { $reason }

## Қолдау

notice-support-new = Жаңа өтініш #{ $id } ({ support-channel }): { support-category } — жауап беру мерзімі { $due }
notice-support-new-body = { $subject }
notice-support-replied = Клиент #{ $id } өтінішіне жауап берді: { $subject }
notice-support-answered = Қолдау қызметі #{ $id } өтінішіңізге жауап берді: { $subject }
notice-request-alert = #{ $id } өтініш { $level ->
    [breached] жауап беру мерзімінен өтті
   *[risk] жауап беру мерзіміне жақын
} (мерзімі { $due })
notice-request-alert-body = { support-category }: { $subject }
notice-quota-new = Квотаны арттыру туралы жаңа сұрау #{ $id } — жауап беру мерзімі { $due }
notice-quota-new-body = { $wanted }
notice-quota-alert = #{ $id } квота сұрауы { $level ->
    [breached] жауап беру мерзімінен өтті
   *[risk] жауап беру мерзіміне жақын
} (мерзімі { $due })
notice-quota-alert-body = { $wanted }

## Қолжетімділік

notice-scope = { $scope ->
    [host] барлық серверлер
    [none] бірде-бір сервер
    [one] { $servers } сервері
   *[many] { $servers } серверлері
}
notice-incident = Оқиға: { $title }
notice-incident-body = Біз { $since } бастап { notice-scope } қамтитын { $severity ->
    [outage] толық істен шығуды
   *[degradation] жұмыстың нашарлауын
} жойып жатырмыз. Барысын күй бетінен бақылаңыз.
notice-resolved = Жойылды: { $title }
notice-resolved-body = Қызмет { $at } қалпына келтірілді.
notice-maintenance = Жоспарлы жұмыстар { $starts } – { $ends }
notice-maintenance-body = { $description } Қамтиды: { notice-scope }.
notice-maintenance-cancelled = Жоспарлы жұмыстар тоқтатылды: { $starts }
notice-maintenance-cancelled-body = { $description }
notice-credit = { $month } үшін қолжетімділік өтемақысы: { $amount }
notice-credit-body = Кейбір серверлеріңіздің қолжетімділігі уәде етілген 99,9%-дан төмен болды. Өтемақы осы кезеңнің құнын азайтады.

## Хост (әкімшілерге)

notice-fault-loop = #{ $vm } сервері ({ $hostname }) бір сағатта платформаның { $faults } ақауынан кейін өшірулі қалдырылды
notice-fault-loop-body = vpsbox оны қайта іске қосуды тоқтатты; ол жұмыс істегенше тоқтап тұру есептеледі. Домен үшін QEMU журналын тексеріңіз.
notice-platform-fault = #{ $vm } сервері ({ $hostname }) тоқтады: платформа ақауы
notice-platform-fault-body = { $note }; vpsbox оны қайта іске қосады. Ол жұмыс істегенше тоқтап тұру SLA бойынша есептеледі.
notice-unmanaged = Хосттағы vpsbox тиіспейтін ресурстар: { $count }
notice-unmanaged-body = vpsbox атауларымен табылды, бірақ осы орнатуға тиесілі екені дәлелденбеді, сондықтан ешқашан өзгертілмейді не жойылмайды: { $names }.
notice-store-recovered = Күй қоймасы { $since } бастап { $until } дейін өзгерістерді қабылдамады
notice-store-recovered-body = Оның дискісі толы немесе ақаулы болды ({ $error }). vpsbox оны өзі қайта ашты; бұрын сақталғанның бәрі орнында, ал арада қабылданбағанды қайта жасау керек. Деректер каталогындағы бос орынды тексеріңіз.
notice-low-space = { $dir } ішінде { $free } МиБ бос
notice-low-space-below = { $floor } МиБ шегінен төмен: орын босағанша жаңа серверлер, дискілер мен сақтық көшірмелер қабылданбайды (SPC0001).
notice-low-space-body = { $floor } МиБ-тан төмен болса, жаңа серверлер, дискілер мен сақтық көшірмелер қабылданбайды (SPC0001). Орын босатыңыз немесе қойма қосыңыз.

## Кіру

notice-two-factor-reset = Провайдер тіркелгіңіз үшін екі факторлы кіруді өшірді
notice-two-factor-reset-body = Енді тек құпиясөзбен кіресіз. Тіркелгі бетінде аутентификатор қолданбасын қайта баптаңыз; егер мұны сұрамаған болсаңыз, құпиясөзді өзгертіп, қолдау қызметіне жазыңыз.
notice-abuse-flagged = #{ $vm } сервері ({ $hostname }) теріс пайдалану ережесімен белгіленді
notice-abuse-flagged-body = Оның vCPU-лары { $hours } сағат бойы үзіліссіз { $percent }% және одан жоғары жүктелді. Процессор графигін қарап, процессорды шектеңіз, серверді тоқтатыңыз немесе істі жабыңыз.
notice-abuse-capped = { $hostname } процессоры әр vCPU-дың { $percent }%-ына дейін шектелді
notice-abuse-suspended = { $hostname } тоқтатылды: { $note }
notice-abuse-body = Оның процессорлары бірнеше сағат қатарынан толық жүктелді, бұған шарттар тыйым салады (криптовалюта майнингі және басқа таратылған есептеулер). Қате болса, қолдау қызметіне жазыңыз.
notice-abuse-lifted = { $hostname } процессорының шегі алынды
notice-acme-failed = { $names } үшін ACME сертификаты алынбады
notice-acme-failed-body = { $error }. Кабинет ағымдағы сертификатпен жұмысын жалғастырады; vpsbox он минут сайын қайта әрекеттенеді. Атаулар осы хостқа бағытталғанын және сертификаттау орталығы кабинет портына жете алатынын тексеріңіз.
notice-rescue-ready = { $hostname } қалпына келтіру режимінде
notice-rescue-ready-body = Сервер қалпына келтіру жүйесін жүктеді; оның дискілері қосылған, бірақ тіркелмеген. root ретінде қалпына келтіруді бастағанда көрсетілген бір реттік құпиясөзбен немесе сервердің SSH кілттерімен кіріңіз. Өз жүйесін қайта жүктеу үшін сервер бетінде қалпына келтіру режимінен шығыңыз.
notice-rescue-left = { $hostname } қайтадан өз жүйесін жүктейді
notice-rescue-failed = { $hostname } қалпына келтіру режимі сәтсіз аяқталды ({ $code }); сервер өз жүйесін жүктейді
notice-traffic-80 = { $hostname } осы айдағы трафигінің 80%-ын пайдаланды ({ $allowance } ГиБ-тың { $used })
notice-traffic-100 = { $hostname } осы айдағы бүкіл трафигін пайдаланды ({ $allowance } ГиБ-тың { $used })
notice-traffic-100-body = Оның жария интерфейсінің жылдамдығы ай соңына дейін немесе лимит көбейтілгенше { $mbit } Мбит/с дейін төмендетілді.
notice-traffic-100-charged = Оның тарифі лимиттен асқан трафикті төлетеді: ай соңына дейін әр басталған ГиБ балансыңыздан шегеріледі. Бағасы тарифтер бетінде көрсетілген.
notice-traffic-lifted = { $hostname } қайтадан порттың толық жылдамдығымен жұмыс істейді

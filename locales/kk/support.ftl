# vpsbox cabinet: support requests (the terms' request categories and response targets).
# Also used by the Telegram bot.

support-category = { $category ->
    [quota] Квотаны ұлғайту
    [password] Кабинет құпиясөзін өзгерту немесе қалпына келтіру
    [hard-reboot] Қатып қалған серверді қатаң қайта жүктеу
    [zone-link] Қолжетімділік аймақтары арасындағы желілік байланыс
    [outage] Инцидент: барлық қызметім істемейді
    [degradation] Инцидент: негізгі қызметтерімнің жұмысы нашарлады
   *[other] Басқа сұрақ
}
support-status = { $status ->
    [open] ашық
    [answered] жауап берілді
    [resolved] шешілді
   *[closed] жабық
}
support-channel = { $channel ->
    [cabinet] кабинет
    [telegram] Telegram
    [email] эл. пошта
   *[phone] телефон
}
support-via = арна: { $channel }
support-minutes = { $n } мин
support-hours = { $n } сағ
support-hours-minutes = { $h } сағ { $m } мин
support-left = { $time } қалды
support-late = { $time } кешікті
support-due = мерзімі { $at }
support-title = Қолдау
support-new = Жаңа өтініш
support-sla-link = Қолжетімділік және өтемақылар
support-status-link = Қызмет күйі
support-none = Әзірге өтініш жоқ.
support-col-subject = Тақырып
support-col-category = Санат
support-col-status = Күйі
support-col-filed = Жіберілді
support-col-due = Жауап мерзімі
support-targets = Жауап беру мерзімдері
support-col-request = Өтініш
support-col-target = Алғашқы жауап мерзімі
support-around-the-clock = Тәулік бойы, жылдың әр күні.
support-from-customer = Клиент
support-from-staff = Қолдау
support-attached = Тіркелген файл:
support-attached-size = ({ $n } байт)
support-reply = Жауап
support-attach = Мәтіндік журналдарды тіркеу (міндетті емес, 3-ке дейін, әрқайсысы 256 КиБ)
support-mark-resolved = Шешілді деп белгілеу
support-send = Жіберу
support-reset-title = Қазір өзіңіз қайта жүктеңіз
support-reset-text = Қатаң қайта жүктеу қатып қалған серверді физикалық машинаның Reset түймесі сияқты бірден қайта іске қосады. Қолдауды күтудің қажеті жоқ.
support-reset-button = Қатаң қайта жүктеу
support-no-servers = Сізде сервер жоқ.
support-quota-title = Шектерді тікелей сұраңыз
support-quota-text = Квота формасы сұрауыңызды бірден провайдердің кезегіне жібереді (20 минут ішінде жауап).
support-quota-button = Квота формасын ашу
support-password-title = Құпиясөзді өзіңіз өзгертіңіз немесе қалпына келтіріңіз
support-password-text = Сіз кабинетке кірдіңіз, сондықтан құпиясөзді тіркелгі бетінде бірден өзгерте аласыз. Басқа себеппен қалпына келтіру керек болса, төменде қолдауға жазыңыз.
support-password-link = Тіркелгі беті
support-two-factor-text = Екі факторлы кіру, жаңа қалпына келтіру кодтары немесе басқа телефон — екі факторлы кіру бетінде. Телефоныңызды да, қалпына келтіру кодтарыңызды да жоғалтсаңыз, төменде жазыңыз: провайдер оны сіз үшін өшіре алады.
support-two-factor-link = Екі факторлы кіру
support-new-title = Қолдауға жаңа өтініш
support-what-about = Өтініш не туралы?
support-answered-within = { $target } ішінде жауап
support-write = Қолдауға жазу
support-first-response = Алғашқы жауап { $target } ішінде, тәулік бойы.
support-incident-hint = Инцидент туралы хабарлау көрсетілген серверлер (немесе барлық серверіңіз) үшін тоқтап тұру есебін бірден бастайды.
support-subject = Тақырып
support-message = Хабарлама
support-servers = Қатысты серверлер
support-send-request = Өтініш жіберу
support-choose-category = Өтініш не туралы екенін таңдаңыз
support-sent = #{ $id } өтініш жіберілді. Қолдау { $due } дейін жауап береді.
support-request-title = #{ $id } өтініш
support-answer-due = жауап мерзімі { $at }
support-servers-list = серверлер:
support-incident-reported = инцидент тіркелді
support-close = Өтінішті жабу
support-replied = Жауап жіберілді.
support-closed = Өтініш жабылды.

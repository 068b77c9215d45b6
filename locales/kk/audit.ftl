# Аудит журналы және клиент әрекеттерінің тарихы: не істелді (әрекет коды бойынша) және толығырақ.

audit-action = { $action ->
    [vm-create] Серверге тапсырыс берілді
    [vm-created] Сервер құрылды
    [vm-create-failed] Серверді құру сәтсіз аяқталды
    [vm-delete] Жою сұралды
    [vm-deleted] Сервер жойылды
    [vm-reinstall] Қайта орнату сұралды
    [vm-reinstalled] Сервер қайта орнатылды
    [vm-reinstall-failed] Қайта орнату сәтсіз аяқталды
    [vm-resize] Тарифті ауыстыру сұралды
    [vm-resized] Сервер тарифі өзгертілді
    [vm-start] Іске қосылды
    [vm-shutdown] Өшірілді
    [vm-force-off] Қуаты ажыратылды
    [vm-reboot] Қайта жүктелді
    [vm-reset] Тасталды
    [vm-suspend] Тоқтатылды
    [vm-unsuspend] Тоқтату алынды
    [vm-rename] Атауы өзгертілді
    [vm-root-password] Root құпиясөзі өзгертілді
    [vm-repaired] vpsbox қалпына келтірді
    [vm-ip-add] Мекенжай қосылды
    [vm-ip-remove] Мекенжай жойылды
    [vm-ip-move-out] Мекенжай басқа серверге көшірілді
    [vm-ip-move-in] Мекенжай осында көшірілді
    [vm-firewall] Файрвол өзгертілді
    [vm-net-attach] Жеке желі қосылды
    [vm-net-detach] Жеке желі ажыратылды
    [vm-disk-attach] Диск қосылды
    [vm-disk-detach] Диск ажыратылды
    [disk-create] Диск құрылды
    [disk-delete] Диск жойылды
    [disk-grow] Диск үлкейтілді
    [net-create] Жеке желі құрылды
    [net-delete] Жеке желі жойылды
    [key-add] SSH кілті қосылды
    [key-delete] SSH кілті жойылды
    [backup-start] Сақтық көшірмелеу басталды
    [backup-done] Сақтық көшірме жасалды
    [backup-failed] Сақтық көшірме жасалмады
    [backup-restore] Сақтық көшірме қалпына келтірілді
    [backup-delete] Сақтық көшірме жойылды
    [backup-skipped] Сақтық көшірме өткізіп жіберілді
    [backup-schedule-add] Көшірме кестесі қосылды
    [backup-schedule-remove] Көшірме кестесі жойылды
    [billing-price] Баға өзгертілді
    [billing-topup] Төлем есепке алынды
    [billing-adjust] Баланс түзетілді
    [trial-request] Сынақ кезеңі сұралды
    [trial-approve] Сынақ кезеңі мақұлданды
    [trial-decline] Сынақ кезеңі қабылданбады
    [trial-end] Сынақ кезеңі аяқталды
    [support-file] Өтініш берілді
    [support-reply] Өтінішке жауап
    [support-close] Өтініш жабылды
    [quota-set] Шектеулер орнатылды
    [quota-request] Квотаны арттыру сұралды
    [quota-approve] Квотаны арттыру мақұлданды
    [quota-decline] Квотаны арттыру қабылданбады
    [telegram-link] Telegram байланыстырылды
    [telegram-unlink] Telegram ажыратылды
    [account-2fa-on] Екі факторлы кіру қосылды
    [account-2fa-off] Екі факторлы кіру өшірілді
    [account-2fa-recovery] Жаңа қалпына келтіру кодтары жасалды
    [account-2fa-reset] Екі факторлы кіруді әкімші қалпына келтірді
    [settings-two-factor] Екі факторлы кіру талабы өзгертілді
    [account-passkey-add] Кіру кілті қосылды
    [account-passkey-remove] Кіру кілті жойылды
    [abuse-flag] Теріс пайдалану ережесімен белгіленді
    [abuse-cap] Процессор шектелді
    [abuse-lift] Процессор шегі алынды
    [abuse-suspend] Теріс пайдалану ережесі бойынша тоқтатылды
    [abuse-close] Теріс пайдалану ісі жабылды
    [vm-rescue] Қалпына келтіру режимі сұралды
    [vm-rescued] Қалпына келтіру режимінде жүктелді
    [vm-rescue-failed] Қалпына келтіру режимі сәтсіз аяқталды
    [vm-unrescue] Қалпына келтіру режимінен шығу сұралды
    [vm-unrescued] Қалпына келтіру режимінен шықты
    [vm-snapshot] Лездік көшірме сұралды
    [vm-snapshot-taken] Лездік көшірме жасалды
    [vm-snapshot-revert] Лездік көшірмеге қайтару сұралды
    [vm-snapshot-reverted] Сервер лездік көшірмеге қайтарылды
    [vm-snapshot-delete] Лездік көшірмені жою сұралды
    [vm-snapshot-deleted] Лездік көшірме жойылды
    [vm-snapshot-failed] Лездік көшірме әрекеті сәтсіз аяқталды
    [vm-throttle] Жылдамдық төмендетілді: трафик таусылды
    [vm-unthrottle] Жылдамдық қалпына келтірілді
    [vm-traffic-charged] Лимиттен тыс трафик үшін төлем алынды
    [vm-limits] Сервер шектері орнатылды
    [vm-iso-attach] ISO қосылды
    [vm-iso-detach] ISO шығарылды
    [vm-iso-once-done] ISO бір рет жүктелді; енді дискіден
   *[other] { $code }
}

audit-create = { $hostname }, { $plan } тарифі, { $template } үлгісінен
audit-create-backup = { $hostname }, { $plan } тарифі, { $backup } сақтық көшірмесінен
audit-reinstall = { $template } үлгісінен
audit-power = { $state ->
    [running] жұмыс істеп тұр
    [paused] кідіртілген
    [shutting-down] өшірілуде
    [stopped] тоқтатылған
    [crashed] апатты тоқтаған
    [suspended] тоқтатылған
   *[unknown] белгісіз
}
audit-firewall-add = қосылды: { firewall-rule-text }
audit-firewall-remove = жойылды: { firewall-rule-text }
audit-firewall-default = { firewall-default }
audit-disk-attach = { $disk }, { $device } ретінде
audit-disk-grow = { $disk }, { $gib } ГиБ-қа дейін
audit-restored = { $backup } сақтық көшірмесі серверге қалпына келтірілді (дискілер: { $disks })
audit-backup-start = { $backup } көшірмесі { $scheduled ->
    [yes] кесте бойынша
   *[no] сұрау бойынша
}
audit-backup-done = { $backup } көшірмесі жасалды: { $kind ->
    [full] толық
   *[incremental] инкременттік
}, { $live ->
    [yes] жұмыс істеп тұрған серверде
   *[no] өшірулі серверде
}
audit-backup-failed = { $backup } көшірмесі жасалмады: { $reason }
audit-backup-interrupted = { $backup } көшірмесі қызмет тоқтауымен үзілді
audit-schedule = { $id } кестесі: { $frequency ->
    [hourly] әр сағат сайын { $minute } минутта
    [daily] күн сайын { $time }
    [weekly] апта сайын, { $weekday ->
        [1] { weekday-1 }
        [2] { weekday-2 }
        [3] { weekday-3 }
        [4] { weekday-4 }
        [5] { weekday-5 }
        [6] { weekday-6 }
       *[7] { weekday-7 }
    }, { $time }
   *[monthly] ай сайын { $day }-күні { $time }
}{ $keep ->
    [none] {""}
   *[other] , сақтау: { $keep }
}
audit-price = { $item }: айына { $monthly }, сағатына { $hourly }, { $from } бастап
audit-booked = { $amount }: { $text }; баланс { $balance }
audit-trial-ended-early = мерзімінен бұрын аяқталды
audit-support-file = { support-category }, арна: { support-channel }
audit-support-reply = { support-status }
audit-repaired = { $how ->
    [defined] домен жоқ болды; қайта анықталды
    [test-driver] домен жоқ болды (тест драйвері қайта іске қосқаннан кейін домендерді сақтамайды); қайта анықталып, іске қосылды
    [fault] домен жоқ болды; қайта анықталып, іске қосылды (платформа ақауы)
   *[left-off] домен жоқ болды; қайта анықталды және платформаның қайталанған ақауларынан кейін өшірулі қалдырылды
}
audit-abuse-flag = vCPU { $hours } сағат бойы { $percent }% және одан жоғары жүктелген
audit-rescue = қалпына келтіру бейнесі { $image }
audit-throttle = { $mbit } Мбит/с дейін
audit-vm-limits = порт { $port ->
    [-1] тарифтегідей
   *[other] { $port } Мбит/с
}, трафик { $gib ->
    [-1] тарифтегідей
    [0] шектеусіз
   *[other] айына { $gib } ГиБ
}
audit-iso-attach = { $iso }{ $boot ->
    [always] , одан жүктеледі
    [once] , одан бір рет жүктеледі
   *[other] {""}
}

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

# Страницы администратора.

admin-title = Администрирование
admin-tab-overview = Обзор
admin-tab-accounts = Аккаунты
admin-tab-vms = Серверы
admin-tab-plans = Тарифы
admin-tab-templates = Шаблоны
admin-tab-pools = Пулы IP
admin-tab-backups = Резервные копии
admin-tab-billing = Биллинг
admin-tab-trials = Пробные периоды
admin-tab-support = Поддержка
admin-tab-sla = Уровень сервиса
admin-tab-quota = Запросы квот
admin-tab-audit = Журнал аудита
admin-tab-unmanaged = Чужие ресурсы

## Обзор

admin-enabled = включено: { $n }
admin-manage = управлять
admin-customers-admins = клиентов: { $customers }, администраторов: { $admins }
admin-hypervisor = Гипервизор
admin-connected = подключён
admin-hv-detail = { $driver } на { $host } · libvirt { $libvirt } · гипервизор { $hypervisor }
admin-since = С { $since }
admin-reconnected = переподключений: { $n }
admin-unavailable = недоступен
admin-down-since = Недоступен с { $since }; повторные попытки идут автоматически.
admin-store = Хранилище состояния
admin-in-memory = (в памяти)
admin-refusing = отклоняет изменения
admin-refusing-since = с { $since }
admin-store-reopens = vpsbox сам откроет его заново, как только диск снова начнёт принимать запись.
admin-schema = Версия схемы { $version }
admin-installation = Установка
admin-unmanaged-count = чужих ресурсов: { $n }
admin-on-this-host = на этом хосте
admin-see-them = посмотреть
admin-settings = Настройки
admin-signup-state = Регистрация клиентов { $open ->
    [yes] открыта
   *[no] закрыта
}.
admin-signup-close = Закрыть регистрацию
admin-signup-open = Открыть регистрацию

## Аккаунты

admin-col-id = ID
admin-col-email = E-mail
admin-col-role = Роль
admin-col-status = Состояние
admin-col-created = Создан
admin-col-actions = Действия
admin-role = { $role ->
    [admin] администратор
   *[customer] клиент
}
admin-disabled = отключён
admin-active = активен
admin-reset-link = Ссылка для сброса
admin-enable = Включить
admin-disable = Отключить
admin-create-account = Создать аккаунт
admin-create-hint = Для клиентов, обратившихся по телефону или e-mail. Оставьте пароль пустым, чтобы создать его автоматически; он будет показан один раз.
admin-email = E-mail
admin-password-optional = Пароль (необязательно)
admin-create-submit = Создать аккаунт
admin-account-created = Аккаунт { $id } создан для { $email } ({ admin-role }).
admin-password-once = Пароль, показывается только сейчас:
admin-reset-link-for = Одноразовая ссылка для сброса пароля { $email }, действует 1 час:
admin-not-yourself = Нельзя отключить собственный аккаунт.
admin-account-disabled = Аккаунт { $email } отключён; его сеансы завершены.
admin-account-enabled = Аккаунт { $email } включён.

## Чужие ресурсы

admin-unmanaged-title = Чужие ресурсы
admin-unmanaged-intro = vpsbox изменяет или удаляет только то, что несёт метку этой установки ({ $mark }) и что, согласно её состоянию, должно быть удалено. Всё, что ниже, названо как ресурсы vpsbox, но не доказуемо принадлежит этой установке: оно остаётся как есть. Удалите его вручную (virsh), когда выясните, чьё оно.
admin-unmanaged-none = Ничего: все ресурсы с именами vpsbox на этом хосте принадлежат этой установке.
admin-col-kind = Тип
admin-col-name = Имя
admin-col-state = Состояние
admin-col-disks = Диски
admin-col-installation = Установка
admin-col-why = Почему
admin-unmanaged-kind = { $kind ->
    [domain] виртуальная машина
    [network] сеть
    [network-filter] сетевой фильтр
    [file] файл
   *[other] { $kind }
}
admin-unmanaged-state = { $state ->
    [running] работает
    [paused] приостановлена
    [shutting-down] выключается
    [stopped] остановлена
    [crashed] аварийно остановлена
    [suspended] заблокирована
    [defined] определён
    [active] активна
    [inactive] неактивна
    [kept] оставлен
    [unknown] неизвестно
   *[other] { $state }
}
admin-unmanaged-why = { $reason ->
    [no-mark] не несёт метки ни одной установки vpsbox (создан вручную или другой программой)
    [another] принадлежит другой установке vpsbox ({ $installation })
    [no-record] несёт метку этой установки, но в состоянии о нём нет записи
    [restored] несёт метку этой установки, но в состоянии (восстановленном из копии) о нём нет записи
   *[file] файл в каталоге данных сервера, о котором в состоянии нет записи
}
admin-col-first-seen = Впервые замечен
admin-col-last-seen = Последний раз
admin-this-one = эта
admin-none = нет

## Шаблоны ОС

admin-templates-title = Шаблоны ОС
admin-templates-none = Шаблонов пока нет. Импортируйте шаблон ниже или командой { $command }.
admin-col-os = ОС
admin-col-format = Формат
admin-col-virtual-size = Виртуальный размер
admin-col-min-disk = Мин. диск
admin-col-login = Вход
admin-gib = { $n } ГиБ
admin-enabled-badge = включён
admin-delete = Удалить
admin-import-title = Импорт шаблона
admin-import-hint = Образ qcow2 или raw, уже лежащий на этом хосте и доступный службе vpsbox для чтения. Он копируется в каталог шаблонов; исходный файл остаётся.
admin-name = Имя
admin-image-path = Путь к образу на хосте
admin-os-family = Семейство ОС
admin-min-disk-optional = Минимальный диск, ГиБ (необязательно)
admin-login-user-optional = Пользователь образа для входа (необязательно)
admin-login-user-hint = Пользователь, под которым входят по замыслу авторов образа. SSH-ключи клиентов добавляются ему (с sudo), а также root.
admin-import = Импортировать
admin-rescue-title = Система восстановления
admin-rescue-hint = Система, которую серверы загружают в режиме восстановления, с подключёнными собственными дисками. Импортируйте образ qcow2 или raw здесь или командой { $command }; { $script } собирает его из пакетов Debian. С этого момента используется самый новый образ; прежний хранится, пока на нём работают серверы в режиме восстановления.
admin-rescue-none = Системы восстановления ещё нет: режим восстановления клиентам не предлагается.
admin-rescue-imported = Импортирован
admin-rescue-in-use = Серверов в восстановлении
admin-rescue-current = текущий
admin-rescue-import = Импортировать как систему восстановления
admin-rescue-imported-done = Образ восстановления { $id } импортирован: серверы, входящие в режим восстановления, загружают его.
admin-isos-title = Образы ISO
admin-isos-hint = Установщики, live- и rescue-CD, которые клиенты могут вставить в CD-привод своих серверов и загрузиться с них. Опубликуйте образ ISO 9660, уже лежащий на этом хосте, здесь или командой { $command }.
admin-isos-none = Образов ISO пока нет.
admin-isos-size = Размер
admin-isos-in-use = В приводах
admin-isos-import = Опубликовать
admin-isos-imported = ISO { $iso } опубликован.
admin-isos-deleted = ISO { $iso } удалён.
admin-min-disk-whole = Минимальный диск должен быть целым числом ГиБ
admin-template-imported = Шаблон { $name } импортирован ({ $format }, { $size }).
admin-template-enabled = Шаблон { $name } включён: клиенты могут его заказывать.
admin-template-disabled = Шаблон { $name } отключён: новые серверы из него не создаются.
admin-template-deleted = Шаблон { $name } удалён.

## Пулы IP

admin-pools-title = Пулы публичных IP
admin-pools-none = Пулов пока нет. Добавьте пул ниже или командой { $command }.
admin-col-network = Сеть
admin-col-gateway = Шлюз
admin-col-hands-out = Выдаёт
admin-col-assigned = Выдано
admin-col-resting = На паузе
admin-col-dns = DNS
admin-pool-size = { $unit ->
    [prefix] сетей /64: { $n }
   *[address] адресов: { $n }
}
admin-remove = Удалить
admin-add-pool-title = Добавить пул
admin-add-pool-hint = Документационные диапазоны, такие как 192.0.2.0/24 или 2001:db8::/32, — только для тестов. Адреса, освобождённые сервером, выдерживаются паузу, прежде чем выдаются снова.
admin-network-cidr = Сеть (CIDR)
admin-gateway = Шлюз
admin-hand-out-only = Выдавать только (необязательно)
admin-never-hand-out = Никогда не выдавать (необязательно, по адресу или диапазону в строке)
admin-dns-servers = DNS-серверы (через запятую)
admin-ipv6-each = IPv6: каждый сервер получает
admin-ipv6-prefix = сеть /64 (пулы IPv4: один адрес)
admin-ipv6-single = один адрес
admin-add-pool = Добавить пул
admin-pool-added = Пул { $name } добавлен: { admin-pool-size }.
admin-pool-removed = Пул { $name } удалён.
admin-pool-title = Пул { $name }
admin-pool-line = шлюз { $gateway } · { admin-pool-size } · выдано: { $assigned }
admin-pool-nothing = Ни один адрес этого пула не выдан.
admin-col-address = Адрес
admin-col-account = Аккаунт
admin-col-vm = Сервер
admin-col-since = С
admin-col-ptr = Обратная зона DNS
admin-col-move = Перенести на сервер
admin-unattached = не привязан
admin-move-label = Перенести { $address } на сервер с номером
admin-move = Перенести
admin-move-which = Укажите номер сервера, на который перенести адрес (WEB0400)
admin-moved = { $address } перенесён на сервер { $vm }.

## Тарифы

admin-plans-title = Тарифы
admin-plans-none = Тарифов пока нет. Создайте первый ниже.
admin-col-hardware = Ресурсы
admin-col-per-month = В месяц
admin-col-per-hour = В час
admin-create-plan-title = Создать тариф
admin-vcpus = vCPU
admin-memory-mib = Память, МиБ
admin-disk-gib = Диск, ГиБ
admin-public-ipv4 = Публичные IPv4
admin-price-month = Цена в месяц
admin-price-hour = Цена в час
admin-create-plan = Создать тариф
admin-whole-number = { $what }: нужно целое число
admin-too-large = { $what }: слишком большое значение
admin-amount-like = { $what }: нужна сумма вида 12.50
admin-plan-created = Тариф { $name } создан.
admin-plan-enabled = Тариф { $name } включён: клиенты могут его заказывать.
admin-plan-disabled = Тариф { $name } отключён: новые серверы на нём не создаются.
admin-plan-deleted = Тариф { $name } удалён.

## Биллинг

admin-billing-title = Биллинг
admin-prices = Цены
admin-prices-hint = Суммы в { $currency }. Изменение действует со следующего полного часа; уже списанные часы сохраняют свою цену. Каждый час стоит почасовую цену, но за календарный месяц — не больше месячной.
admin-col-item = Позиция
admin-col-monthly = В месяц
admin-col-hourly = В час
admin-col-change = Изменить
admin-price-plan = Тариф { $name }
admin-price-extra = За { $unit }
admin-price-from = с { $at }: { $monthly } / { $hourly }
admin-monthly-price = Цена в месяц
admin-hourly-price = Цена в час
admin-set = Установить
admin-book-payment-title = Зачислить платёж
admin-account-email = E-mail аккаунта
admin-amount = Сумма
admin-payment-reference = Номер платежа
admin-book-payment = Зачислить платёж
admin-arrears = Аккаунты с задолженностью
admin-none-dot = Нет.
admin-col-balance = Баланс
admin-suspended = приостановлен
admin-suspends = приостановка { $at }
admin-price-set = Цена установлена; действует с { $at }.
admin-booked = Зачислено { $amount }; баланс теперь { $balance }.
admin-transactions-on = { $email }: операции за { $day } (UTC)
admin-transactions = Операции
admin-billing-of = Биллинг { $email }
admin-correct-title = Корректировка баланса
admin-correct-amount = Сумма (отрицательная, чтобы списать)
admin-reason = Причина
admin-book-correction = Провести корректировку
admin-statements = Выписки

## Резервные копии

admin-backups-title = Резервные копии
admin-backups-line = Хранится: { $stored } ({ $size }), выполняется: { $running }, с ошибкой: { $failed }.
admin-col-server = Сервер
admin-col-started = Начата
admin-schedule-n = расписание { $id }

## Пробные периоды

admin-trials-title = Пробные периоды
admin-trials-hint = { $days } дн. с первого запуска сервера; один раз на клиента, только для аккаунтов, которые ещё не пользовались услугами (проверяется повторно при запросе). Перед одобрением посмотрите на аккаунты с тем же доменом e-mail или адресом регистрации.
admin-trials-none = Запросов нет.
admin-trial-waiting = ожидает
admin-trial-approved = одобрен
admin-trial-running = идёт
admin-trial-until = до { $at }
admin-trial-ended = завершён{ $early ->
    [yes] {" "}досрочно
   *[no] {""}
}{ $paid ->
    [yes] , оплачивается
   *[no] {""}
}
admin-trial-declined = отклонён
admin-trial-asked = Запрошен { $at }
admin-signed-up-from = Регистрация с адреса { $address }
admin-signed-up-unknown = Регистрация с адреса (неизвестно: создан администратором)
admin-alike-none = Ни один другой аккаунт не имеет того же домена e-mail или адреса регистрации.
admin-alike = Похожие аккаунты:
admin-alike-why = { $why ->
    [address] тот же адрес регистрации
   *[domain] тот же домен e-mail
}
admin-trial-approve = Одобрить с этими лимитами
admin-trial-decline = Отклонить
admin-trial-choose = Выберите: одобрить или отклонить
admin-trial-approved-flash = Пробный период одобрен.
admin-trial-declined-flash = Пробный период отклонён.

## Поддержка

admin-support-title = Поддержка
admin-support-queue = Очередь поддержки
admin-support-waiting = Ожидают ответа: { $n }, самые срочные сверху.
admin-support-file = Создать обращение за клиента
admin-support-report-link = Отчёт за месяц
admin-support-incidents-link = Инциденты и работы
admin-col-request = Обращение
admin-col-category = Категория
admin-col-subject = Тема
admin-col-filed = Подано
admin-col-time-left = Осталось
admin-queue-label = { $quota ->
    [yes] квота #{ $id }
   *[no] #{ $id }
}
admin-queue-status = { $status ->
    [open] открыто
    [answered] отвечено
    [resolved] решено
    [closed] закрыто
    [approved] одобрено
   *[declined] отклонено
}
admin-support-from = от { $email }
admin-support-filed = подано { $at }
admin-first-response = первый ответ { $at }
admin-target-missed = срок нарушен
admin-incident-n = инцидент #{ $id }
admin-close = Закрыть
admin-support-report = Отчёт поддержки за { $month }
admin-col-target = Срок
admin-col-in-target = В срок
admin-col-late = С опозданием
admin-col-waiting = Ожидают
admin-col-share = Доля в срок
admin-by-channel = По каналам
admin-col-channel = Канал
admin-report-hint = Обращение считается отвеченным в срок, если первый ответ пришёл в пределах его срока: срока категории или { $mins } минут мессенджера для обращений через Telegram-бот в рабочее время. Неотвеченное после срока считается просроченным. Для запросов квот ответом считается решение.
admin-behalf-title = Создать обращение за клиента
admin-behalf-short = Создать обращение
admin-behalf-hint = Для клиента, который позвонил или написал на e-mail: обращение попадает в очередь со своим каналом и сроком категории, и клиент видит его на странице «Поддержка». Сообщение о сбое открывает инцидент с текущего момента.
admin-behalf-email = E-mail клиента
admin-behalf-came-by = Канал
admin-behalf-servers = Номера серверов (необязательно)
admin-behalf-subject = Тема
admin-behalf-said = Что сказал клиент
admin-behalf-submit = Создать обращение
admin-behalf-choose-channel = Выберите телефон или e-mail (SUP0001)
admin-behalf-choose-category = Выберите, о чём обращение (SUP0001)
admin-behalf-whole = Номера серверов — целые числа (SUP0001)
admin-behalf-filed = Обращение #{ $id } создано для { $email }.

## Запросы квот, лимиты, аудит

admin-audit-title = Журнал аудита
admin-quota-title = Запросы квот
admin-col-sent = Отправлен
admin-col-asked-for = Запрошено
admin-col-reason = Причина
admin-approve = Одобрить
admin-decline = Отклонить
admin-quota-approved = Одобрено: лимиты увеличены.
admin-quota-declined = Отклонено.
admin-quota-of = Квота { $email }
admin-quota = Квота
admin-set-limits = Установить лимиты
admin-save-limits = Сохранить лимиты
admin-limits-saved = Лимиты сохранены.

## Уровень сервиса

admin-sla-title = Уровень сервиса
admin-declare-title = Объявить инцидент
admin-title-label = Заголовок
admin-severity = Серьёзность
admin-severity-outage = Полный отказ (считается простоем)
admin-severity-degradation = Ухудшение (показывается, не считается)
admin-scope = Охват
admin-scope-placeholder = host или номера серверов: 12, 14
admin-started-utc = Начало (UTC)
admin-declare = Объявить
admin-incidents = Инциденты
admin-responsibility = Ответственность
admin-responsibility-line = Ответственность: { admin-blame }
admin-blame = { $blame ->
    [provider] провайдер
    [customer] по вине клиента (не учитывается)
   *[force-majeure] форс-мажор (не учитывается)
}
admin-reported-in = сообщено в
admin-request-n = обращении #{ $id }
admin-update = Сообщение
admin-restored-at = Восстановлено в (UTC), чтобы закрыть
admin-save = Сохранить
admin-schedule-title = Запланировать работы
admin-schedule-hint = Клиенты, которых они затрагивают, уведомляются за { $hours } ч до начала. Окно, объявленное менее чем за { $hours } ч, не исключается из доступности.
admin-what-done = Что будет сделано
admin-starts-utc = Начало (UTC)
admin-ends-utc = Окончание (UTC)
admin-schedule = Запланировать
admin-col-window = Окно
admin-col-announced = Объявлено
admin-col-notified = Уведомлены
admin-called-off = отменено
admin-short-notice = поздно объявлено: учитывается
admin-yes = да
admin-not-yet = ещё нет
admin-call-off = Отменить
admin-below-title = Серверы ниже 99,9% за { $month }
admin-col-availability = Доступность
admin-col-counted = Учтённый простой
admin-col-tier = Ступень компенсации
admin-col-events = События
admin-credits-title = Компенсации за { $month }
admin-credits-none = Нет (месяц ещё не подсчитан, или все серверы достигли 99,9%).
admin-col-below = Серверы ниже 99,9%
admin-col-paid = Оплачено
admin-col-credit = Компенсация
admin-col-booked = Проведено
admin-credits-hint = Компенсации проводятся автоматически после подсчёта месяца, в следующий период, не больше суммы, оплаченной аккаунтом за тот месяц.
admin-incident-declared = Инцидент #{ $id } объявлен; затронутые клиенты уведомлены.
admin-incident-updated = Инцидент обновлён.
admin-maintenance-scheduled = Работы #{ $id } запланированы.
admin-maintenance-called-off = Работы отменены.

## Webhooks (Admin → Webhooks)
admin-tab-webhooks = Вебхуки
webhooks-title = Вебхуки
webhooks-hint = События, которые vpsbox отправляет в системы провайдера, подписанные секретом каждой подписки. Подписки создаются через API (POST /api/v1/webhooks). Неудавшаяся доставка повторяется около двух суток.
webhooks-none = Подписок пока нет.
webhooks-owner = Учётная запись
webhooks-events = События
webhooks-send-test = Отправить тест
webhooks-test-queued = Тестовое событие (ping) поставлено в очередь; его доставка появится ниже через несколько секунд.
webhooks-no-deliveries = Ещё ничего не отправлено.
webhooks-col-queued = В очереди с
webhooks-col-event = Событие
webhooks-col-state = Состояние
webhooks-col-attempts = Попытки
webhooks-col-answer = Последний ответ
webhooks-pending = ожидает, следующая попытка
webhooks-delivered = доставлено
webhooks-failed = оставлено

## Двухфакторный вход

admin-two-factor-label = Двухфакторный вход обязателен для
admin-two-factor-choice = { $required ->
    [admins] Администраторов
    [everyone] Всех
   *[nobody] Никого (каждый решает сам)
}
admin-two-factor-save = Сохранить
admin-two-factor-hint = Учётные записи, для которых он обязателен и у которых нет аутентификатора, настроят его при следующем входе.
admin-two-factor-set = Двухфакторный вход теперь обязателен для: { $required ->
    [admins] администраторов
    [everyone] всех
   *[nobody] никого
}
admin-col-two-factor = 2FA
admin-two-factor-reset = Сбросить 2FA
admin-two-factor-reset-done = Двухфакторный вход { $email } выключен; владелец учётной записи уведомлён.
admin-tab-abuse = Злоупотребления
admin-abuse-title = Правило о злоупотреблениях
admin-abuse-intro = Серверы, чьи vCPU были загружены на { $percent }% и более { $hours } ч без перерыва (условия запрещают майнинг криптовалют и другие распределённые вычисления; настраивается в [usage.abuse]). Откройте сервер, чтобы увидеть график процессора и принять меры.
admin-abuse-off = Правило выключено ([usage.abuse] enabled = false): серверы не отмечаются.
admin-abuse-none = Ни один сервер не отмечен.
admin-abuse-server = Сервер
admin-abuse-owner = Владелец
admin-abuse-flagged-at = Отмечен
admin-abuse-state = Состояние
admin-col-fair-use = Честное использование
admin-fair-use = { $cap ->
    [-1] без ограничения процессора
   *[other] процессор до { $cap }% каждого vCPU
}{ $shares ->
    [-1] {""}
   *[other] , вес { $shares }
}{ $port ->
    [-1] {""}
   *[other] , порт { $port } Мбит/с
}{ $gib ->
    [-1] {""}
   *[other] , { $gib } ГиБ трафика в месяц
}
admin-fair-use-title = Ограничения процессора для честного использования
admin-fair-use-hint = С ними работают все серверы тарифа, сразу и после каждого запуска: ограничение (процент каждого vCPU) и вес относительно других серверов, когда хост занят (по умолчанию в libvirt — 1024). Оставьте поле пустым, чтобы не ограничивать. Скорость порта ограничивает публичный интерфейс в обе стороны. Лимит трафика (ГиБ в месяц, входящий и исходящий вместе) снижает скорость сервера, исчерпавшего его, до заданной до конца месяца. Или, с ценой за ГиБ, сервер сохраняет скорость, а каждый начатый ГиБ сверх лимита списывается с баланса владельца.
admin-fair-use-cap = Ограничение процессора (%)
admin-fair-use-port = Скорость порта (Мбит/с)
admin-fair-use-traffic = Лимит трафика (ГиБ в месяц)
admin-fair-use-overage = Цена за ГиБ сверх лимита (пусто — снижать скорость)
admin-overage = затем { $price } за каждый начатый ГиБ
admin-fair-use-shares = Вес процессора
admin-fair-use-set = Установить
admin-fair-use-done = Ограничения тарифа { $name } установлены; применено к серверам: { $count }.

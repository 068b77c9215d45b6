# Кабинет vpsbox: виртуальные серверы (список, страница сервера, действия).

## Единицы и тарифы

unit-gib = { $n } ГиБ
unit-mib = { $n } МиБ
plan-summary = { $vcpus } vCPU · { $memory } ОЗУ · диск { $disk } ГиБ · IPv4: { $ipv4 }

## Состояния

vm-state-creating = создаётся
vm-state-reinstalling = переустанавливается
vm-state-deleting = удаляется
vm-state-failed = ошибка
vm-state-working = выполняется операция
vm-state-suspended = приостановлен
vm-state-shutting-down = выключается
vm-state-running = работает
vm-state-crashed = сбой
vm-state-paused = на паузе
vm-state-stopped = выключен
vm-state-unknown = неизвестно

## Шаги операций

step-reserve = Резервирование ресурсов
step-stop = Выключение
step-disk = Создание диска
step-seed = Запись данных cloud-init
step-define = Описание виртуальной машины
step-start = Запуск
step-undefine = Удаление описания
step-remove-files = Удаление диска и данных cloud-init
step-grow-disk = Увеличение диска
step-rescue-disk = Подготовка системы восстановления
step-remove-rescue = Удаление системы восстановления
step-take-snapshot = Создание снимка
step-revert-snapshot = Возврат к снимку
step-delete-snapshot = Удаление снимка

## Список

vms-title = Виртуальные серверы
vms-all-title = Все виртуальные серверы
vms-none = Виртуальных серверов пока нет.
vms-order = Заказать виртуальный сервер
vms-col-hostname = Имя хоста
vms-col-state = Состояние
vms-col-owner = Владелец
vms-col-addresses = Адреса
vms-col-plan = Тариф
vms-col-os = ОС
vms-col-since = С момента
vms-col-actions = Действия

## Питание и консоли

vm-start = Запустить
vm-shut-down = Выключить
vm-reboot = Перезагрузить
vm-hard-reset = Жёсткий сброс
vm-force-off = Отключить питание
vm-console = Консоль
vm-serial-console = Последовательная консоль

## Один сервер

vm-login-password = root входит по паролю или ключу, по SSH и в консоли
vm-login-keys = root входит только по вашим SSH-ключам; вход по паролю выключен
vm-failed = Не удалось создать виртуальный сервер: { $message }
vm-failed-hint = От него ничего не осталось на хосте, и он не занимает квоту. Удалите его и закажите снова.
vm-suspended-note = Приостановлен провайдером: запустить его нельзя. Обратитесь в поддержку.
vm-in-progress = Выполняется
vm-started-at = Начато { $at }. Страница обновляется сама.
vm-details = Сведения
vm-plan = Тариф
vm-hardware = Ресурсы
vm-os = ОС
vm-created = Создан
vm-last-change = Последнее изменение
vm-uuid = UUID
vm-ssh-keys = SSH-ключи
vm-login = Вход
vm-power = Питание
vm-force-hint = Гость не выключился после запроса на выключение. Возможно, он не реагирует на кнопку питания; используйте «Отключить питание».
vm-reset-hint = Жёсткий сброс сразу перезапускает зависший сервер, как кнопка Reset на физической машине.
vm-backups = Резервные копии
vm-reinstall = Переустановить
vm-reinstall-hint = Новый диск с выбранной ОС; имя хоста, ключи и пароль сохраняются. Всё, что было на диске, теряется.
vm-operating-system = Операционная система
vm-confirm-hostname = Для подтверждения введите имя хоста
vm-change-plan = Сменить тариф
vm-change-plan-hint = Сначала выключите сервер. Процессор и память меняются; диск только увеличивается.
vm-rename = Переименовать
vm-hostname = Имя хоста
vm-delete = Удаление
vm-delete-hint = Сервер, его диск и данные cloud-init удаляются безвозвратно.
vm-delete-confirm = Для подтверждения введите { $hostname }
vm-delete-button = Удалить безвозвратно
vm-provider-actions = Действия провайдера
vm-suspend = Приостановить
vm-unsuspend = Возобновить
vm-owner-hint = Владелец: учётная запись { $owner }. Приостановленный сервер выключен, и владелец не может его запустить.
vm-activity = Журнал действий
vm-nothing-yet = Пока ничего.

## Что сделало действие

vm-done-started = Запущен.
vm-done-shutdown = Запрошено выключение: гость выключается.
vm-done-forced-off = Питание отключено.
vm-done-reboot = Запрошена перезагрузка.
vm-done-reset = Жёсткий сброс выполнен; сервер { $state }.
vm-done-deleting = Удаляется…
vm-done-reinstalling = Переустанавливается…
vm-done-resizing = Тариф меняется…
vm-done-renamed = Переименован в { $hostname }.
vm-done-suspended = Приостановлен.
vm-done-unsuspended = Возобновлён.
vm-done-rdns-set = Обратная запись DNS для { $address }: { $name }.
vm-done-rdns-cleared = Обратная запись DNS для { $address } удалена.
vm-done-network-attached = В сети { $network } как eth{ $slot } с адресом { $address }.
vm-done-network-detached = Отключён от сети.
vm-done-disk-attached = Диск { $disk } подключён как /dev/{ $device }.
vm-done-disk-detached = Диск отключён.
vm-done-ip-added = Адрес { $address } добавлен. Сервер начнёт им пользоваться после следующей загрузки: перезагрузите его, когда будет удобно.
vm-done-ip-removed = Адрес { $address } удалён. Трафик с него уже заблокирован; сервер перестанет им пользоваться после следующей загрузки.
vm-done-on-list = { $hostname }: { $message }

## Публичные адреса и трафик

addresses-title = Публичные адреса
addresses-none = Нет.
addresses-gateway = шлюз
addresses-dns = DNS
addresses-rdns-placeholder = обратная запись DNS, например mail.example.com
addresses-rdns-label = Обратная запись DNS для { $address }
addresses-save = Сохранить
addresses-hint = cloud-init настраивает эти адреса в сервере. Изменение, сделанное здесь, вступает в силу в сервере после его следующей загрузки (перезагрузите его с этой страницы или изнутри); фильтр адресов меняется сразу.
addresses-add = Добавить адрес IPv4
addresses-remove = Удалить { $address }
addresses-quota-hint = Дополнительные адреса учитываются в вашей квоте IPv4. Удалённый адрес какое-то время не выдаётся никому другому.
traffic-title = Трафик
traffic-month = { $month } { $year }: входящий { $in }, исходящий { $out }
traffic-chart-label = Трафик по дням, { $month }: входящий { $in }, исходящий { $out }
traffic-day-in = День { $day }: входящий { $bytes }
traffic-day-out = День { $day }: исходящий { $bytes }
traffic-hint = Синий — входящий, оранжевый — исходящий, по дням (UTC), на публичном интерфейсе.
traffic-allowance-use = Использовано { $used } из { $allowance } ГиБ в этом месяце ({ $percent }%), входящий и исходящий вместе.
traffic-allowance-meter = Трафик за этот месяц
traffic-throttled = Лимит трафика исчерпан: публичный интерфейс работает на { $mbit } Мбит/с до конца месяца (UTC) или до увеличения лимита.
traffic-overage = Сверх лимита каждый начатый ГиБ стоит { $price }; в этом месяце списано за { $gib } ГиБ.
month-1 = Январь
month-2 = Февраль
month-3 = Март
month-4 = Апрель
month-5 = Май
month-6 = Июнь
month-7 = Июль
month-8 = Август
month-9 = Сентябрь
month-10 = Октябрь
month-11 = Ноябрь
month-12 = Декабрь

## Частные сети и дополнительные диски сервера

vm-networks-title = Частные сети
vm-networks-none = Не подключён ни к одной частной сети.
vm-networks-hint = Интерфейс подключается и отключается сразу; его адрес настраивается в сервере при следующей загрузке (перезагрузите его или задайте адрес вручную, например ip addr add АДРЕС dev eth1).
vm-network-label = Частная сеть
vm-networks-create-hint = Частные сети соединяют ваши серверы друг с другом.
vm-networks-create = Создать частную сеть
vm-detach = Отключить
vm-attach = Подключить
vm-disks-title = Дополнительные диски
vm-disks-none = Не подключены.
vm-disks-hint = Гость называет диски в том порядке, в каком их находит; имя by-id всегда указывает на нужный. Перед отключением отмонтируйте диск в госте.
vm-disk-label = Диск
vm-disks-create-hint = Дополнительные диски добавляют место; их можно подключать к работающему серверу.
vm-disks-create = Создать диск

## Межсетевой экран

firewall-title = Межсетевой экран (входящий трафик)
firewall-no-public = Этот хост не даёт серверам публичного интерфейса, поэтому защищать пока нечего; правила сохраняются на будущее.
firewall-none = Правил нет.
firewall-rule = Правило
firewall-any-protocol = любой протокол
firewall-rule-text = { $action ->
    [allow] разрешить
   *[deny] запретить
} { $protocol ->
    [any] любой протокол
   *[other] { $protocol }
}{ $ports ->
    [all] {""}
   *[other] , порты { $ports }
}, откуда: { $source ->
    [anywhere] откуда угодно
   *[other] { $source }
}
firewall-remove = Удалить
firewall-default = Всё, что не подходит ни под одно правило: { $action ->
    [allow] пропускается
   *[deny] отбрасывается
}.
firewall-allow = разрешить
firewall-deny = запретить
firewall-action-label = Разрешить или запретить
firewall-protocol = Протокол
firewall-ports = Порты
firewall-ports-placeholder = порт или диапазон, например 22 или 8000-8100
firewall-source = Источник
firewall-source-placeholder = откуда, например 203.0.113.0/24 (пусто: откуда угодно)
firewall-add = Добавить правило
firewall-drop-rest = Отбрасывать всё, что не разрешено правилами
firewall-allow-rest = Пропускать всё, что не запрещено правилами
firewall-hint = Правила проверяются сверху вниз; решает первое совпавшее. Ответы на соединения, открытые самим сервером, всегда проходят.
firewall-added = Правило добавлено: { $rule }.
firewall-removed = Правило удалено.
firewall-now-allowed = Трафик, не подходящий ни под одно правило, пропускается.
firewall-now-dropped = Трафик, не разрешённый правилами, отбрасывается.

## Заказ сервера

order-title = Заказать виртуальный сервер
order-crumb = Заказ
order-nothing = Пока ничего не предлагается. Загляните позже.
order-plan = Тариф
order-per-month = { $price } в месяц
order-quota = Ваша квота: занято { $vms } из { $vms_limit } серверов, { $vcpus } из { $vcpus_limit } vCPU, { $memory } из { $memory_limit } ОЗУ, { $disk } из { $disk_limit } ГиБ диска.
order-ask-more = Попросить больше
order-os = Операционная система
order-hostname = Имя хоста
order-hostname-hint = Буквы, цифры и дефисы; части разделяются точками.
order-access = Доступ
order-no-keys = SSH-ключей нет.
order-add-key = Добавьте ключ или задайте пароль root.
order-root-password = Пароль root (необязателен, если есть ключи)
order-root-password-hint = С паролем root можно входить по нему по SSH и в консоли (и по ключам). Без пароля SSH принимает только ключи, а вход по паролю выключен.
order-networks = Частные сети
order-create = Создать виртуальный сервер

## Консоли

console-title = Консоль · { $hostname }
console-serial-title = Последовательная консоль · { $hostname }
console-back = Назад к { $hostname }
console-graphical = Графическая консоль
console-connecting = Подключение…
console-connected = Подключено
console-connected-serial = Подключено — нажмите Enter, чтобы увидеть приглашение
console-disconnected = Отключено
console-lost = Соединение потеряно — возможно, сервер выключен
console-lost-serial = Отключено — возможно, сервер выключен
console-refused = Отказано
console-full-screen = Во весь экран
console-scale = Вписать в окно
console-reconnect = Переподключиться
console-paste = Вставить текст
console-paste-label = Текст для ввода
console-paste-button = Напечатать в консоли
console-paste-hint = Текст вводится как нажатия клавиш на американской раскладке. Если на сервере другая раскладка, символы, стоящие на ней в других местах (например y/z, @ или кавычки), могут выйти иначе.
console-serial-hint = Первый последовательный порт сервера (ttyS0). Одновременно один сеанс: если открыть его здесь, в другом месте он закроется. Вставка — Ctrl+Shift+V.
console-open = Открыть консоль
console-screen = Экран сервера

## The public price list

plans-title = Тарифы
plans-none = Тарифов пока нет.
plans-per-month = / месяц
plans-vcpu = { $n } vCPU
plans-ram = { $memory } ОЗУ
plans-disk = диск { $n } ГиБ
plans-ipv4 = { $n } публ. IPv4
plans-per-hour = { $price } в час
plans-cpu-cap = Процессор до { $cap }% каждого vCPU (честное использование)
plans-port = Порт { $mbit } Мбит/с
plans-traffic = { $gib } ГиБ трафика в месяц, затем { $mbit } Мбит/с до конца месяца
plans-traffic-charged = { $gib } ГиБ трафика в месяц, затем { $price } за каждый начатый ГиБ
os-family = { $os ->
    [linux] Linux
    [bsd] BSD
   *[windows] Windows
}
console-close-taken-over = Последовательную консоль открыл другой сеанс; переподключитесь, чтобы вернуть её
console-close-logged-out = Ваш сеанс завершён; войдите снова
console-close-idle = Закрыта после { $minutes } мин. без ввода
console-close-deleted = Виртуальная машина удалена
console-close-ended = Консоль закрылась (сервер выключен?)
console-close-suspended = Виртуальная машина приостановлена
usage-title = Нагрузка
usage-day = 24 часа
usage-month = 30 дней
usage-empty = Замеров пока нет: нагрузка считывается каждую минуту, пока сервер работает.
usage-cpu = Процессор за { $range }: в среднем { $avg }, пик { $peak }
usage-disk = Диск за { $range }: чтение { $read }, запись { $written } в среднем
usage-net = Сеть за { $range }: входящий { $in }, исходящий { $out } в среднем
usage-hint = Синий: процессор, чтение и входящий трафик; оранжевый: запись и исходящий трафик. Время в UTC; разрывы — время, когда сервер был выключен.
vm-abuse-capped = Провайдер ограничил процессор этого сервера до { $percent }% каждого vCPU по правилу честного использования из условий.
vm-abuse-note = Примечание провайдера: { $note }
abuse-title = Правило о злоупотреблениях
abuse-flagged = Отмечен { $at }: его vCPU были загружены на { $percent }% и более с { $since } в течение { $hours } ч без перерыва.
abuse-state-open = Открыто: мер пока нет
abuse-state-capped = Процессор ограничен до { $percent }%
abuse-state-suspended = Приостановлен
abuse-state-closed = Закрыто { $at }
abuse-cap-label = Ограничить каждый vCPU до (процентов)
abuse-cap = Ограничить процессор
abuse-lift = Снять ограничение
abuse-close = Закрыть дело
abuse-note-label = Примечание для клиента
abuse-suspend = Приостановить
abuse-done-capped = Процессор ограничен до { $percent }%.
abuse-done-lifted = Ограничение процессора снято.
abuse-done-closed = Дело закрыто.
abuse-done-suspended = Сервер приостановлен; клиент увидит ваше примечание.
vm-root-password = Пароль root
vm-root-password-hint = Задайте новый пароль root без переустановки: если в системе работает гостевой агент QEMU, пароль действует сразу; иначе он сохраняется до следующей переустановки. Без агента сбросить пароль можно самостоятельно в режиме восстановления (ниже).
vm-root-password-new = Новый пароль root (от 10 до 128 символов)
vm-root-password-set = Задать пароль
vm-root-password-now = Новый пароль root уже действует (задан через гостевой агент).
vm-root-password-later = Новый пароль root сохранён до следующей переустановки: { $why }.
vm-agent-yes = Гостевой агент на этом сервере отвечает: новый пароль действует сразу.
vm-agent-no = Гостевой агент на этом сервере не отвечает: новый пароль сохранится до следующей переустановки. Чтобы сбросить пароль сейчас, загрузите режим восстановления.
vm-rescue = Режим восстановления
vm-rescue-hint = Загружает систему восстановления, к которой подключены диски сервера (без монтирования): чтобы починить систему, которая не загружается, или сбросить забытый пароль. Сервер выключается сразу, как при отключении питания: если можете, сначала завершите его работу. Вход — root с одноразовым паролем, который покажется здесь один раз, или по SSH-ключам сервера.
vm-rescue-start = Загрузить режим восстановления
vm-rescue-none = Режим восстановления недоступен: на этом хосте ещё нет системы восстановления.
vm-rescue-active = Сервер в режиме восстановления
vm-rescue-active-hint = С { $since } вместо собственной системы работает система восстановления. Собственный диск сервера — /dev/vda (дополнительные диски за ним), подключён, но не смонтирован. Войдите как root в консоли или по SSH с одноразовым паролем или SSH-ключами сервера.
vm-rescue-leave = Выйти из режима восстановления
vm-rescue-leave-hint = Выключает систему восстановления и снова загружает собственную систему сервера; всё, что хранилось в самой системе восстановления, удаляется.
vm-rescue-started = Режим восстановления запускается: через мгновение сервер загрузит систему восстановления.
vm-rescue-password = Пароль root системы восстановления, показывается только сейчас:
vm-rescue-leaving = Выход из режима восстановления: сервер загружает собственную систему.
vm-limits-title = Лимиты этого сервера
vm-limits-hint = Вместо тарифных: скорость порта (Мбит/с в каждую сторону) и лимит трафика (ГиБ в месяц или "unlimited" — без ограничений). Оставьте поле пустым, чтобы действовал тариф.
vm-limits-done = Лимиты сервера заданы и применены.
vm-iso-title = Образ ISO (CD-ROM)
vm-iso-hint = Вставьте образ ISO в CD-привод сервера, чтобы установить с него другую систему (через графическую консоль) или загрузить live- или rescue-CD. Сервер загружается с него раньше собственного диска, пока вы его не извлечёте. Изменение действует при следующем запуске сервера.
vm-iso-boot = Загружаться с него
vm-iso-boot-once = только при следующем запуске
vm-iso-boot-always = при каждом запуске, пока не извлечён
vm-iso-boot-no = нет, только подключить
vm-iso-booting-once = В приводе { $iso }; сервер загрузится с него при следующем запуске, а после перезагрузки — с собственного диска.
vm-iso-restart = Перезапустить сервер сейчас (выключить и включить)
vm-iso-attach = Вставить
vm-iso-detach = Извлечь
vm-iso-booting = В приводе { $iso }; сервер загружается с него первым.
vm-iso-attached = В приводе { $iso }; сервер загружается с собственного диска.
vm-iso-done-now = Готово: сервер запущен заново с новым приводом.
vm-iso-done-later = Готово: изменение вступит в силу при следующем запуске сервера.
vm-snapshots-title = Снимки
vm-snapshots-hint = Снимок сохраняет диски сервера в нынешнем виде (и его память, если он работает) внутри собственных дисков сервера; возврат к снимку возвращает сервер в тот момент. Каждый снимок оплачивается как место для резервных копий, по размеру дисков сервера в момент снимка. Снимок — не резервная копия: он удаляется вместе с сервером.
vm-snapshots-none = Снимков пока нет.
vm-snapshot-label = Имя (необязательно)
vm-snapshot-take = Сделать снимок
vm-snapshot-col-name = Имя
vm-snapshot-col-taken = Создан
vm-snapshot-col-size = Размер
vm-snapshot-with-memory = диски и память (сервер работал)
vm-snapshot-disks-only = диски (сервер был выключен)
vm-snapshot-state = { $state ->
    [taking] создаётся
    [reverting] идёт возврат
    [deleting] удаляется
   *[ready] готов
}
vm-snapshot-revert = Вернуть
vm-snapshot-revert-confirm = Введите имя хоста, чтобы вернуть: всё записанное после снимка будет потеряно
vm-snapshot-delete = Удалить
vm-snapshot-taking = Снимок создаётся.
vm-snapshot-reverting = Сервер возвращается к снимку.
vm-snapshot-deleting = Снимок удаляется.
isos-title = Мои образы ISO
isos-hint = Собственные образы ISO (установщик другой системы, live-CD), чтобы вставлять их в CD-привод ваших серверов. Они учитываются в вашей квоте; видите их только вы.
isos-none = Собственных образов ISO пока нет.
isos-col-name = Имя
isos-col-size = Размер
isos-col-uploaded = Загружен
isos-col-in-use = В приводах серверов
isos-delete = Удалить
isos-quota = Занято { $used } из { $limit } ГиБ места для образов ISO.
isos-upload-title = Загрузить образ ISO
isos-upload-hint = Образ ISO 9660 (.iso) размером не более { $max } МиБ. Большие файлы загружаются долго: не закрывайте страницу до ответа.
isos-name = Имя (a-z, 0-9, '.', '_', '-')
isos-file = Файл
isos-upload = Загрузить
isos-uploaded = { $iso } загружен: вставьте его в привод сервера на странице сервера.
isos-deleted = { $iso } удалён.
isos-upload-link = Ваши собственные образы ISO

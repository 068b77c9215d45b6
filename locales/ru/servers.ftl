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

# Кабинет vpsbox: резервные копии серверов и их расписания.

backup-state-running = выполняется
backup-state-running-percent = выполняется, { $percent } %
backup-state-done = готово
backup-state-failed = ошибка
backup-kind-full = полная
backup-kind-incremental = инкрементная
backup-size = { $mib } МиБ
weekday-1 = понедельник
weekday-2 = вторник
weekday-3 = среда
weekday-4 = четверг
weekday-5 = пятница
weekday-6 = суббота
weekday-7 = воскресенье
frequency-hourly = ежечасно
frequency-daily = ежедневно
frequency-weekly = еженедельно
frequency-monthly = ежемесячно
schedule-hourly = ежечасно в { $minute } минут
schedule-daily = ежедневно в { $time }
schedule-weekly = еженедельно, { $weekday }, в { $time }
schedule-monthly = ежемесячно, { $day }-го числа, в { $time }
schedule-monthly-late = ежемесячно, { $day }-го числа (в коротких месяцах — в последний день), в { $time }

vm-backups-title = Резервные копии { $hostname }
vm-backups-hint = Копии делаются на работающем сервере, без остановки (как при отключении питания: журналируемые файловые системы восстанавливаются). Каждый диск хранится сжатым образом с контрольной суммой.
vm-backups-now = Сделать копию сейчас
vm-backups-none = Резервных копий пока нет.
vm-backups-col-taken = Создана
vm-backups-col-kind = Вид
vm-backups-col-made-by = Кем
vm-backups-col-state = Состояние
vm-backups-col-size = Размер
vm-backups-col-files = Файлы
vm-backups-col-restore = Восстановление
vm-backups-on-backup = на основе копии { $backup }
vm-backups-was-off = сервер был выключен
vm-backups-by-schedule = расписание { $schedule }
vm-backups-by-hand = вручную
vm-backups-confirm = Для подтверждения введите { $hostname }
vm-backups-restore = Восстановить на этот сервер
vm-backups-delete = Удалить
vm-backups-restore-hint = Восстановление заменяет диски сервера копией: сервер выключается, его диски заменяются, и он снова запускается, если работал. Всё, что записано после копии, теряется. Скачиваются образы qcow2; для инкрементной копии нужны файлы копий, на которых она построена (откройте их вместе в одном каталоге).
vm-schedules-title = Расписания
vm-schedules-hint = Время указано в вашем часовом поясе, { $zone } (его можно сменить на странице учётной записи). Запуск, пропущенный, пока хост не работал, выполняется один раз после его возвращения. Каждое расписание хранит свои самые новые копии; более старые удаляются, если на них не построена более новая.
vm-schedules-none = Расписаний нет.
vm-schedules-col-when = Когда
vm-schedules-col-keeps = Хранит
vm-schedules-remove = Удалить
vm-schedules-add-title = Добавить расписание
vm-schedules-frequency = Как часто
vm-schedules-time = Время суток (для ежечасных копий важны минуты)
vm-schedules-weekday = День недели (для еженедельных)
vm-schedules-day = День месяца (для ежемесячных; в коротких месяцах — последний день)
vm-schedules-keep = Хранить последних
vm-schedules-add = Добавить расписание
vm-backups-started = Копирование началось; ход виден здесь.
vm-schedules-added = Расписание добавлено: { $when }.
vm-schedules-removed = Расписание удалено; его копии остаются.
vm-backups-restored = Копия { $backup } восстановлена ({ $disks }).
vm-backups-deleted = Копия { $backup } удалена.
vm-backups-disks = { $count ->
    [one] { $count } диск
    [few] { $count } диска
   *[other] { $count } дисков
}

## All of an account's backups

backups-title = Резервные копии
backups-usage = Используется { $used } из { $limit } копий, { $gib } из { $limit_gib } ГиБ хранилища копий.
backups-ask-more = Запросить больше
backups-hint = Расписания и «создать копию сейчас» — на странице «Резервные копии» каждого сервера. Копии удалённого сервера остаются здесь, пока вы их не удалите; из любой готовой копии можно создать новый сервер.
backups-none = Резервных копий нет.
backups-col-server = Сервер
backups-server-deleted = сервер удалён
backups-new-server = Новый сервер из копии
backups-deleted = Копия { $id } удалена.
from-backup-title = Новый сервер из резервной копии
from-backup-crumb = Новый сервер
from-backup-heading = Новый сервер из копии { $id }
from-backup-of = Копия сервера { $hostname } от { $at }.
from-backup-hint = Новый сервер получает системный диск из копии, увеличенный до размера тарифа, и собственные адреса. Дополнительные диски не восстанавливаются (скачайте их файлы на странице копий). Пользователи, пароли и ключи — те, что на диске; отмеченные ключи добавляются.
from-backup-keys = Добавить SSH-ключи
backup-interrupted = Прервана: служба остановилась во время копирования

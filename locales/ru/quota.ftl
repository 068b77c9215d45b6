# vpsbox cabinet: quotas, requests for more, the activity log.

resource-name = { $resource ->
    [vms] виртуальные машины
    [vcpus] vCPU
    [memory_mib] память (МиБ)
    [disk_gb] диск (ГиБ)
    [ipv4] публичные адреса IPv4
    [backups] резервные копии
    [private_networks] частные сети
    [snapshots] снимки серверов
    [iso_gb] собственные образы ISO (ГиБ)
   *[backup_gb] хранилище копий (ГиБ)
}
quota-title = Квота
quota-col-resource = Ресурс
quota-col-used = Используется
quota-col-limit = Лимит
quota-ask-title = Запросить больше
quota-ask-hint = Укажите нужные лимиты; провайдер отвечает в течение 20 минут, круглосуточно.
quota-reason = Для чего они нужны?
quota-send = Отправить запрос
quota-requests = Ваши запросы
quota-col-sent = Отправлен
quota-col-asked = Запрошено
quota-col-status = Статус
quota-waiting = ожидает
quota-approved = одобрен
quota-declined = отклонён
quota-not-number = { $resource }: нужно целое число
quota-sent = Запрос отправлен. Ответ появится здесь.

## The activity log

activity-title = Журнал действий
activity-none = Пока ничего нет.
activity-col-when = Когда
activity-col-owner = Владелец
activity-col-who = Кто
activity-col-what = Что
activity-col-resource = Ресурс
activity-col-details = Подробности
activity-col-from = Откуда

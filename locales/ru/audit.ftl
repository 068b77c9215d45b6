# Журнал аудита и история действий клиента: что сделано (по коду действия) и подробности.

audit-action = { $action ->
    [vm-create] Сервер заказан
    [vm-created] Сервер создан
    [vm-create-failed] Не удалось создать сервер
    [vm-delete] Запрошено удаление
    [vm-deleted] Сервер удалён
    [vm-reinstall] Запрошена переустановка
    [vm-reinstalled] Сервер переустановлен
    [vm-reinstall-failed] Переустановка не удалась
    [vm-resize] Запрошена смена тарифа
    [vm-resized] Тариф сервера изменён
    [vm-start] Запущен
    [vm-shutdown] Выключен
    [vm-force-off] Питание отключено
    [vm-reboot] Перезагружен
    [vm-reset] Сброшен
    [vm-suspend] Приостановлен
    [vm-unsuspend] Приостановка снята
    [vm-rename] Переименован
    [vm-root-password] Пароль root изменён
    [vm-repaired] Восстановлен vpsbox
    [vm-ip-add] Адрес добавлен
    [vm-ip-remove] Адрес удалён
    [vm-ip-move-out] Адрес перенесён на другой сервер
    [vm-ip-move-in] Адрес перенесён сюда
    [vm-firewall] Файрвол изменён
    [vm-net-attach] Частная сеть подключена
    [vm-net-detach] Частная сеть отключена
    [vm-disk-attach] Диск подключён
    [vm-disk-detach] Диск отключён
    [disk-create] Диск создан
    [disk-delete] Диск удалён
    [disk-grow] Диск увеличен
    [net-create] Частная сеть создана
    [net-delete] Частная сеть удалена
    [key-add] SSH-ключ добавлен
    [key-delete] SSH-ключ удалён
    [backup-start] Резервное копирование начато
    [backup-done] Резервная копия создана
    [backup-failed] Резервная копия не создана
    [backup-restore] Резервная копия восстановлена
    [backup-delete] Резервная копия удалена
    [backup-skipped] Резервная копия пропущена
    [backup-schedule-add] Расписание копий добавлено
    [backup-schedule-remove] Расписание копий удалено
    [billing-price] Цена изменена
    [billing-topup] Платёж зачислен
    [billing-adjust] Баланс скорректирован
    [trial-request] Запрошен пробный период
    [trial-approve] Пробный период одобрен
    [trial-decline] Пробный период отклонён
    [trial-end] Пробный период завершён
    [support-file] Обращение создано
    [support-reply] Ответ в обращении
    [support-close] Обращение закрыто
    [quota-set] Лимиты установлены
    [quota-request] Запрошено увеличение квоты
    [quota-approve] Увеличение квоты одобрено
    [quota-decline] Увеличение квоты отклонено
    [telegram-link] Telegram привязан
    [telegram-unlink] Telegram отвязан
    [account-2fa-on] Двухфакторный вход включён
    [account-2fa-off] Двухфакторный вход выключен
    [account-2fa-recovery] Созданы новые коды восстановления
    [account-2fa-reset] Двухфакторный вход сброшен администратором
    [settings-two-factor] Изменено требование двухфакторного входа
    [account-passkey-add] Добавлен ключ доступа
    [account-passkey-remove] Удалён ключ доступа
    [abuse-flag] Отмечен правилом о злоупотреблениях
    [abuse-cap] Процессор ограничен
    [abuse-lift] Ограничение процессора снято
    [abuse-suspend] Приостановлен по правилу о злоупотреблениях
    [abuse-close] Дело о злоупотреблении закрыто
    [vm-rescue] Запрошен режим восстановления
    [vm-rescued] Загружен в режим восстановления
    [vm-rescue-failed] Режим восстановления не удался
    [vm-unrescue] Запрошен выход из режима восстановления
    [vm-unrescued] Режим восстановления завершён
    [vm-snapshot] Запрошен снимок
    [vm-snapshot-taken] Снимок создан
    [vm-snapshot-revert] Запрошен возврат к снимку
    [vm-snapshot-reverted] Сервер возвращён к снимку
    [vm-snapshot-delete] Запрошено удаление снимка
    [vm-snapshot-deleted] Снимок удалён
    [vm-snapshot-failed] Операция со снимком не удалась
    [vm-throttle] Скорость снижена: трафик исчерпан
    [vm-unthrottle] Скорость восстановлена
    [vm-traffic-charged] Списана плата за трафик сверх лимита
    [vm-limits] Заданы лимиты сервера
    [vm-iso-attach] ISO подключён
    [vm-iso-detach] ISO извлечён
    [vm-iso-once-done] ISO загружен один раз; теперь — с диска
   *[other] { $code }
}

audit-create = { $hostname } на { $plan } из { $template }
audit-create-backup = { $hostname } на { $plan } из резервной копии { $backup }
audit-reinstall = из { $template }
audit-power = { $state ->
    [running] работает
    [paused] на паузе
    [shutting-down] выключается
    [stopped] остановлен
    [crashed] аварийно остановлен
    [suspended] приостановлен
   *[unknown] неизвестно
}
audit-firewall-add = добавлено: { firewall-rule-text }
audit-firewall-remove = удалено: { firewall-rule-text }
audit-firewall-default = { firewall-default }
audit-disk-attach = { $disk } как { $device }
audit-disk-grow = { $disk } до { $gib } ГиБ
audit-restored = резервная копия { $backup } восстановлена на сервер (дисков: { $disks })
audit-backup-start = копия { $backup } { $scheduled ->
    [yes] по расписанию
   *[no] по запросу
}
audit-backup-done = копия { $backup } создана: { $kind ->
    [full] полная
   *[incremental] инкрементная
}, { $live ->
    [yes] на работающем сервере
   *[no] на выключенном сервере
}
audit-backup-failed = копия { $backup } не создана: { $reason }
audit-backup-interrupted = копия { $backup } прервана остановкой службы
audit-schedule = расписание { $id }: { $frequency ->
    [hourly] каждый час в { $minute } мин.
    [daily] ежедневно в { $time }
    [weekly] еженедельно, { $weekday ->
        [1] { weekday-1 }
        [2] { weekday-2 }
        [3] { weekday-3 }
        [4] { weekday-4 }
        [5] { weekday-5 }
        [6] { weekday-6 }
       *[7] { weekday-7 }
    }, в { $time }
   *[monthly] ежемесячно, { $day }-го числа в { $time }
}{ $keep ->
    [none] {""}
   *[other] , хранить { $keep }
}
audit-price = { $item }: { $monthly } в месяц, { $hourly } в час, с { $from }
audit-booked = { $amount }: { $text }; баланс { $balance }
audit-trial-ended-early = завершён досрочно
audit-support-file = { support-category }, канал: { support-channel }
audit-support-reply = { support-status }
audit-repaired = { $how ->
    [defined] домен отсутствовал; определён заново
    [test-driver] домен отсутствовал (тестовый драйвер не сохраняет домены после перезапуска); определён и запущен заново
    [fault] домен отсутствовал; определён и запущен заново (сбой платформы)
   *[left-off] домен отсутствовал; определён заново и оставлен выключенным после повторных сбоев платформы
}
audit-abuse-flag = vCPU загружены на { $percent }% и более { $hours } ч подряд
audit-rescue = образ восстановления { $image }
audit-throttle = до { $mbit } Мбит/с
audit-vm-limits = порт { $port ->
    [-1] как в тарифе
   *[other] { $port } Мбит/с
}, трафик { $gib ->
    [-1] как в тарифе
    [0] без ограничений
   *[other] { $gib } ГиБ в месяц
}
audit-iso-attach = { $iso }{ $boot ->
    [always] , загрузка с него
    [once] , загрузка с него один раз
   *[other] {""}
}

# Уведомления (колокольчик, письма, Telegram-чат администраторов).

## Пробный период

notice-trial-approved = Бесплатный пробный период на { $days } { $days ->
    [one] день
    [few] дня
   *[other] дней
} одобрен
notice-trial-approved-body = Он начнётся, когда запустится ваш первый сервер.
notice-trial-approved-free = Он начнётся, когда запустится ваш первый сервер; до его окончания серверы в пределах лимитов пробного периода бесплатны.
notice-trial-requested = Аккаунт { $account } просит пробный период
notice-trial-requested-body = { $note }
notice-trial-declined = Запрос пробного периода отклонён
notice-trial-declined-body = Вы можете заказать серверы по прайс-листу.
notice-trial-started = Ваш пробный период действует до { $until }
notice-trial-started-body = Серверы, оставшиеся после этого, оплачиваются по прайс-листу со следующего часа.
notice-trial-ending = Ваш пробный период закончится через { $hours ->
    [one] { $hours } час
    [few] { $hours } часа
   *[other] { $hours } часов
}
notice-trial-ending-body = В { $at }. Оставшиеся серверы будут оплачиваться по прайс-листу; удалите их, если не хотите продолжать.
notice-trial-ended = Ваш пробный период закончился
notice-trial-ended-paid = Ваши серверы остаются и оплачиваются по прайс-листу со следующего часа. Удалите их, если не хотите продолжать.
notice-trial-ended-free = Ничего не осталось запущенным, поэтому ничего не списано.

## Баланс

notice-low-balance = Баланса хватит менее чем на { $days } { $days ->
    [one] день
    [few] дня
   *[other] дней
}
notice-low-balance-body = Баланс { $balance }, расход около { $per_hour } в час. Пополните баланс, чтобы серверы продолжали работать.
notice-negative = Баланс ниже нуля
notice-negative-body = Баланс { $balance }. Пополните его до { $by }, иначе серверы будут остановлены (не удалены), пока вы этого не сделаете.
notice-resumed = Спасибо: аккаунт снова активен
notice-resumed-body = Серверы можно снова запускать.
notice-suspended = Аккаунт приостановлен за неуплату
notice-suspended-body = Баланс { $balance }. Серверы остановлены, но не удалены; пополнение, после которого баланс станет больше нуля, позволит их снова запустить.
notice-suspended-admin = Аккаунт { $account } приостановлен за неуплату
notice-suspended-admin-body = Баланс { $balance }; остановлено серверов: { $servers }.

## Резервные копии

notice-backup-failed = Резервная копия { $hostname } не создана{ $attempts ->
    [1] {""}
   *[other] {" "}(попыток: { $attempts })
}
notice-backup-failed-body = Резервную копию { $backup } не удалось сделать: { $reason }. Ничего от неё не сохранено; прежние копии не затронуты. Провайдер уведомлён.
notice-backup-failed-admin = Резервная копия { $backup } сервера { $hostname } (аккаунт { $account }) не создана{ $attempts ->
    [1] {""}
   *[other] {" "}(попыток: { $attempts })
}
notice-backup-failed-admin-body = { $reason }
notice-backup-skipped = Плановая резервная копия { $hostname } пропущена
notice-backup-skipped-body = { $reason }

## Поддержка

notice-support-new = Новое обращение #{ $id } ({ support-channel }): { support-category } — ответить до { $due }
notice-support-new-body = { $subject }
notice-support-replied = Клиент ответил в #{ $id }: { $subject }
notice-support-answered = Поддержка ответила на обращение #{ $id }: { $subject }
notice-request-alert = Обращение #{ $id } { $level ->
    [breached] просрочено
   *[risk] близко к сроку ответа
} (срок { $due })
notice-request-alert-body = { support-category }: { $subject }
notice-quota-new = Новый запрос на увеличение квоты #{ $id } — ответить до { $due }
notice-quota-new-body = { $wanted }
notice-quota-alert = Запрос квоты #{ $id } { $level ->
    [breached] просрочен
   *[risk] близок к сроку ответа
} (срок { $due })
notice-quota-alert-body = { $wanted }

## Доступность

notice-scope = { $scope ->
    [host] все серверы
    [none] ни один сервер
    [one] сервер { $servers }
   *[many] серверы { $servers }
}
notice-incident = Инцидент: { $title }
notice-incident-body = Мы устраняем { $severity ->
    [outage] полный отказ
   *[degradation] ухудшение работы
}, затрагивающее: { notice-scope }, с { $since }. Следите за ходом работ на странице статуса.
notice-resolved = Устранено: { $title }
notice-resolved-body = Работа восстановлена в { $at }.
notice-maintenance = Плановые работы { $starts } – { $ends }
notice-maintenance-body = { $description } Затрагивает: { notice-scope }.
notice-maintenance-cancelled = Плановые работы отменены: { $starts }
notice-maintenance-cancelled-body = { $description }
notice-credit = Компенсация за доступность за { $month }: { $amount }
notice-credit-body = Доступность некоторых ваших серверов была ниже обещанных 99,9%. Компенсация уменьшает стоимость этого периода.

## Хост (администраторам)

notice-fault-loop = Сервер #{ $vm } ({ $hostname }) оставлен выключенным после { $faults } сбоев платформы за час
notice-fault-loop-body = vpsbox больше не перезапускает его; простой считается, пока он не заработает. Проверьте журнал QEMU для домена.
notice-platform-fault = Сервер #{ $vm } ({ $hostname }) остановлен: сбой платформы
notice-platform-fault-body = { $note }; vpsbox запускает его снова. Простой учитывается в SLA, пока он не заработает.
notice-unmanaged = Ресурсов на хосте, которые vpsbox не трогает: { $count }
notice-unmanaged-body = Найдены с именами vpsbox, но не доказуемо принадлежат этой установке, поэтому никогда не изменяются и не удаляются: { $names }.
notice-store-recovered = Хранилище состояния отклоняло изменения с { $since } до { $until }
notice-store-recovered-body = Его диск был заполнен или неисправен ({ $error }). vpsbox сам открыл его заново; всё сохранённое раньше на месте, а отклонённое в промежутке нужно сделать ещё раз. Проверьте свободное место в каталоге данных.
notice-low-space = Свободно { $free } МиБ в { $dir }
notice-low-space-below = Ниже порога { $floor } МиБ: новые серверы, диски и резервные копии отклоняются (SPC0001), пока не появится место.
notice-low-space-body = Новые серверы, диски и резервные копии отклоняются (SPC0001) ниже { $floor } МиБ. Освободите место или добавьте хранилище.

## Вход

notice-two-factor-reset = Провайдер выключил двухфакторный вход для вашей учётной записи
notice-two-factor-reset-body = Теперь вход выполняется только по паролю. Снова настройте приложение-аутентификатор на странице учётной записи; если вы об этом не просили, смените пароль и обратитесь в поддержку.
notice-abuse-flagged = Сервер #{ $vm } ({ $hostname }) отмечен правилом о злоупотреблениях
notice-abuse-flagged-body = Его vCPU были загружены на { $percent }% и более { $hours } ч без перерыва. Посмотрите график процессора и ограничьте процессор, приостановите сервер или закройте дело.
notice-abuse-capped = Процессор { $hostname } ограничен до { $percent }% каждого vCPU
notice-abuse-suspended = { $hostname } приостановлен: { $note }
notice-abuse-body = Его процессоры были полностью загружены много часов подряд, что запрещено условиями (майнинг криптовалют и другие распределённые вычисления). Если это ошибка, обратитесь в поддержку.
notice-abuse-lifted = Ограничение процессора { $hostname } снято
notice-acme-failed = Не удалось получить сертификат ACME для { $names }
notice-acme-failed-body = { $error }. Кабинет продолжает работать с текущим сертификатом; vpsbox повторяет попытку каждые десять минут. Проверьте, что имена указывают на этот хост и центр сертификации может достучаться до порта кабинета.
notice-rescue-ready = { $hostname } в режиме восстановления
notice-rescue-ready-body = Сервер загрузил систему восстановления; его диски подключены, но не смонтированы. Войдите как root с одноразовым паролем, показанным при запуске восстановления, или по SSH-ключам сервера. Чтобы загрузить собственную систему, выйдите из режима восстановления на странице сервера.
notice-rescue-left = { $hostname } снова загружает собственную систему
notice-rescue-failed = Режим восстановления { $hostname } не удался ({ $code }); сервер загружает собственную систему
notice-traffic-80 = { $hostname } израсходовал 80% трафика за месяц ({ $used } из { $allowance } ГиБ)
notice-traffic-100 = { $hostname } израсходовал весь трафик за месяц ({ $used } из { $allowance } ГиБ)
notice-traffic-100-body = Скорость его публичного интерфейса снижена до { $mbit } Мбит/с до конца месяца или до увеличения лимита.
notice-traffic-100-charged = Его тариф оплачивает трафик сверх лимита: каждый начатый ГиБ списывается с вашего баланса до конца месяца. Цена указана на странице тарифов.
notice-traffic-lifted = { $hostname } снова работает на полной скорости порта

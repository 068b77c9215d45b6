# vpsbox cabinet: support requests (the terms' request categories and response targets).
# Also used by the Telegram bot.

support-category = { $category ->
    [quota] Увеличение квоты
    [password] Смена или восстановление пароля от кабинета
    [hard-reboot] Жёсткая перезагрузка зависшего сервера
    [zone-link] Сетевая связь между зонами доступности
    [outage] Инцидент: не работают все мои сервисы
    [degradation] Инцидент: нарушена работа основных сервисов
   *[other] Другой вопрос
}
support-status = { $status ->
    [open] открыт
    [answered] есть ответ
    [resolved] решён
   *[closed] закрыт
}
support-channel = { $channel ->
    [cabinet] кабинет
    [telegram] Telegram
    [email] эл. почта
   *[phone] телефон
}
support-via = канал: { $channel }
support-minutes = { $n } мин
support-hours = { $n } ч
support-hours-minutes = { $h } ч { $m } мин
support-left = осталось { $time }
support-late = просрочено на { $time }
support-due = срок { $at }
support-title = Поддержка
support-new = Новое обращение
support-sla-link = Доступность и компенсации
support-status-link = Состояние сервиса
support-none = Обращений пока нет.
support-col-subject = Тема
support-col-category = Категория
support-col-status = Статус
support-col-filed = Создано
support-col-due = Ответ до
support-targets = Сроки ответа
support-col-request = Обращение
support-col-target = Первый ответ в течение
support-around-the-clock = Круглосуточно, каждый день года.
support-from-customer = Клиент
support-from-staff = Поддержка
support-attached = Вложение:
support-attached-size = ({ $n } байт)
support-reply = Ответ
support-attach = Приложить текстовые журналы (необязательно, до 3, по 256 КиБ)
support-mark-resolved = Отметить как решённое
support-send = Отправить
support-reset-title = Перезагрузите сами прямо сейчас
support-reset-text = Жёсткий сброс сразу перезапускает зависший сервер, как кнопка Reset на физической машине. Ждать поддержку не нужно.
support-reset-button = Жёсткий сброс
support-no-servers = У вас нет серверов.
support-quota-title = Запросите лимиты напрямую
support-quota-text = Форма квоты отправляет запрос сразу в очередь провайдера (ответ в течение 20 минут).
support-quota-button = Открыть форму квоты
support-password-title = Смените или восстановите пароль сами
support-password-text = Вы вошли в кабинет, поэтому можете сразу сменить пароль на странице учётной записи. Напишите в поддержку ниже, если пароль нужно сбросить по другой причине.
support-password-link = Страница учётной записи
support-two-factor-text = Двухфакторный вход, новые коды восстановления или другой телефон — на странице двухфакторного входа. Если вы потеряли и телефон, и коды восстановления, напишите ниже: провайдер может выключить его для вас.
support-two-factor-link = Двухфакторный вход
support-new-title = Новое обращение в поддержку
support-what-about = О чём обращение?
support-answered-within = ответ в течение { $target }
support-write = Написать в поддержку
support-first-response = Первый ответ в течение { $target }, круглосуточно.
support-incident-hint = Сообщение об инциденте сразу начинает отсчёт простоя для указанных серверов (или всех ваших).
support-subject = Тема
support-message = Сообщение
support-servers = Серверы, к которым относится
support-send-request = Отправить обращение
support-choose-category = Выберите, о чём обращение
support-sent = Обращение #{ $id } отправлено. Поддержка ответит до { $due }.
support-request-title = Обращение #{ $id }
support-answer-due = ответ до { $at }
support-servers-list = серверы:
support-incident-reported = инцидент зарегистрирован
support-close = Закрыть обращение
support-replied = Ответ отправлен.
support-closed = Обращение закрыто.

# vpsbox: the customers' Telegram bot, and linking it on the Account page.

bot-not-linked = Этот аккаунт Telegram не привязан к учётной записи кабинета, поэтому ничего не зарегистрировано. Войдите в кабинет, откройте «Учётная запись» → Telegram, нажмите «Привязать Telegram» и откройте полученную ссылку.
bot-link-bad = Ссылка неверна, уже использована или устарела. Создайте новую на странице учётной записи в кабинете.
bot-linked = Привязано к { $email }. Подавайте обращения здесь; ответы поддержки придут в этот чат.
bot-menu = Что вам нужно?
bot-new = Новое обращение
bot-outage = Сообщить о сбое
bot-requests = Мои обращения
bot-cancel = Отмена
bot-cancelled = Отменено.
bot-choose-category = О чём обращение? Первый ответ в течение:
bot-choose-servers = Каких серверов это касается? Отметьте нужные и нажмите «Готово».
bot-done = Готово
bot-no-server = Без конкретного сервера
bot-describe = Опишите проблему одним сообщением: первая строка — тема. Текстовый журнал можно прислать файлом, а описание — подписью к нему.
bot-outage-counted = Простой учитывается с этого момента — с вашего сообщения.
bot-filed = Обращение #{ $id } зарегистрировано. Поддержка ответит в течение { $target } (до { $due }). Пишите сюда, чтобы дополнить его.
bot-added = Добавлено к обращению #{ $id }.
bot-not-filed = Не зарегистрировано: { $error } ({ $code })
bot-answer = Поддержка ответила на обращение #{ $id } ({ $subject }):

    { $body }

    Пишите сюда, чтобы ответить.
bot-status = Обращение #{ $id } ({ $subject }): { $status }.
bot-no-requests = У вас нет обращений.
bot-list = Ваши обращения; нажмите, чтобы написать в него:
bot-thread = Пишете в обращение #{ $id }: { $subject }. Следующие сообщения добавляются к нему.
bot-attachment = Журнал: { $name }

## The Account page

telegram-title = Telegram
telegram-hint = Привяжите аккаунт Telegram, чтобы подавать обращения и сообщать о сбоях через бот провайдера и получать там ответы поддержки.
telegram-off = У провайдера нет бота Telegram.
telegram-linked = Привязан { $name } с { $at }.
telegram-link = Привязать Telegram
telegram-open = Откройте эту ссылку в Telegram в течение { $minutes } минут и нажмите «Старт»:
telegram-unlink = Отвязать
telegram-unlinked = Telegram отвязан.

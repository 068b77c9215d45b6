# vpsbox cabinet: the account page, SSH keys, notifications, setting a new password.

account-title = Учётная запись
account-details = Сведения
account-email = Эл. почта
account-role = Роль
account-role-customer = клиент
account-role-admin = администратор
account-member-since = Клиент с
account-password-set = Пароль задан
account-sessions = Активные сеансы
account-keys-link = SSH-ключи
account-activity-link = Журнал действий
account-logout-all = Выйти на всех устройствах
account-logout-all-hint = Завершает все сеансы этой учётной записи на всех устройствах, включая это.
account-logged-out-all = Выход выполнен везде ({ $n ->
    [one] { $n } сеанс
    [few] { $n } сеанса
   *[other] { $n } сеансов
}).
account-tz-title = Часовой пояс
account-tz-hint = Расписания резервного копирования идут по времени этого пояса.
account-tz-label = Часовой пояс (например, Asia/Almaty, Europe/Moscow, UTC)
account-tz-save = Сохранить часовой пояс
account-tz-set = Часовой пояс: { $zone }.
account-password-title = Смена пароля
account-password-current = Текущий пароль
account-password-new = Новый пароль
account-password-hint = Не короче { $n } символов. Другие ваши сеансы завершатся.
account-password-repeat = Повторите новый пароль
account-password-submit = Сменить пароль
account-password-differ = Новые пароли не совпадают
account-password-changed = Пароль изменён.
account-logged-out = Вы вышли из кабинета.

## Setting a new password from a reset link

reset-title = Новый пароль
reset-for = Для { $email }. Ссылка действует один раз.
reset-hint = Не короче { $n } символов. Все ваши сеансы завершатся.
reset-submit = Задать пароль
reset-done = Пароль задан. Войдите с новым паролем.

## SSH keys

keys-title = SSH-ключи
keys-hint = Сохранённые здесь ключи можно добавить в новые серверы при заказе.
keys-none = Ключей пока нет.
keys-col-name = Название
keys-col-type = Тип
keys-col-fingerprint = Отпечаток
keys-col-added = Добавлен
keys-delete = Удалить
keys-add-title = Добавить ключ
keys-name = Название (необязательно: возьмётся комментарий ключа)
keys-key = Открытый ключ
keys-add = Добавить ключ
keys-added = Ключ { $name } добавлен.
keys-deleted = Ключ удалён.

## Notifications

notices-title = Уведомления
notices-none = Пока ничего нет.
notices-mark-read = Отметить все прочитанными ({ $n })
notices-new = новое
notices-admins = администраторам
notices-open = Открыть
notices-all-read = Все уведомления отмечены прочитанными.

## API tokens (Account → API tokens, Admin → API tokens)
account-tokens-link = API-токены
admin-tab-tokens = API-токены
tokens-title = API-токены
tokens-hint = Токен позволяет скрипту или биллингу работать с API (/api/v1) от имени этой учётной записи — в пределах выданных областей и никогда шире её прав. Передавайте его как «Authorization: Bearer <токен>». Руководство по API — docs/api.md.
tokens-none = Токенов пока нет.
tokens-col-name = Название
tokens-col-owner = Учётная запись
tokens-col-kind = Вид
tokens-col-scopes = Области
tokens-col-networks = Сети клиента
tokens-col-expires = Истекает
tokens-col-last-used = Последнее использование
tokens-col-status = Состояние
tokens-any = любые
tokens-never = никогда
tokens-unused = ещё нет
tokens-active = действует
tokens-revoked = отозван
tokens-expired = истёк
tokens-revoke = Отозвать
tokens-revoked-done = Токен { $name } отозван и больше не действует.
tokens-create-title = Создать токен
tokens-name = Название (например, whmcs, скрипт резервных копий)
tokens-kind = Вид
tokens-kind-customer = клиентский: только серверы этой учётной записи
tokens-kind-admin = административный: всё, что может администратор
tokens-kind-billing = биллинг: учётные записи, серверы, питание, деньги, потребление, ссылки входа
tokens-kind-metrics = метрики: только метрики хоста
tokens-scopes = Области через запятую (пусто — все, что допускает вид)
tokens-networks = Сети клиента в CIDR через запятую (пусто — любые)
tokens-expires = Истекает через дней (пусто — никогда)
tokens-create = Создать токен
tokens-made = Токен { $name } создан. Скопируйте его сейчас: он показывается только один раз.
tokens-admin-title = API-токены всех учётных записей
tokens-admin-hint = Токены всех учётных записей. Отозванный токен перестаёт действовать сразу; токены отключённой учётной записи перестают действовать сами.

## Двухфакторный вход

two-factor-title = Двухфакторный вход
two-factor-on-since = Включён с { $since }
two-factor-off = Выключен
two-factor-required = Провайдер требует двухфакторный вход для вашей учётной записи.
two-factor-intro = При двухфакторном входе нужны пароль и шестизначный код из приложения-аутентификатора на телефоне (например, Aegis, FreeOTP, Google Authenticator или Microsoft Authenticator), так что украденный пароль сам по себе ничего не откроет.
two-factor-setup = Настроить приложение-аутентификатор
two-factor-scan = Отсканируйте этот код приложением-аутентификатором или введите в него ключ; затем введите шестизначный код, который покажет приложение.
two-factor-key = Ключ
two-factor-code = Код
two-factor-code-hint = Шестизначный код из приложения или один из кодов восстановления.
two-factor-first-code = Шестизначный код, который приложение показывает сейчас.
two-factor-confirm = Включить
two-factor-restart = Начать заново с новым ключом
two-factor-recovery-left = { $n ->
    [0] Кодов восстановления не осталось: создайте новые
    [one] Остался { $n } код восстановления
    [few] Осталось { $n } кода восстановления
   *[other] Осталось { $n } кодов восстановления
}
two-factor-recovery-title = Ваши коды восстановления
two-factor-recovery-intro = Каждый код один раз позволяет войти, если вы потеряете телефон. Храните их в надёжном месте отдельно от пароля: они показываются только сейчас.
two-factor-renew = Создать новые коды восстановления
two-factor-renew-hint = По паролю и коду; старые коды восстановления перестанут действовать.
two-factor-disable = Выключить двухфакторный вход
two-factor-password = Пароль
two-factor-continue = Продолжить
two-factor-now-on = Двухфакторный вход включён.
two-factor-now-off = Двухфакторный вход выключен.
two-factor-recovery-used = Вы вошли по коду восстановления; { $n ->
    [one] остался { $n }
    [few] осталось { $n }
   *[other] осталось { $n }
}. Создайте новые на странице учётной записи.
two-factor-step-intro = Введите шестизначный код из приложения-аутентификатора или один из кодов восстановления.
two-factor-enrol-intro = Провайдер требует двухфакторный вход для вашей учётной записи: чтобы продолжить, настройте приложение-аутентификатор.
two-factor-cancel = Отмена
two-factor-lost = Потеряли телефон и коды восстановления? Обратитесь в поддержку: провайдер может выключить двухфакторный вход для вашей учётной записи.

## Ключи доступа

passkey-title = Ключи доступа
passkey-intro = Ключ доступа хранится на телефоне, компьютере или аппаратном ключе и открывается отпечатком пальца, лицом или PIN-кодом. Он позволяет войти без пароля или подтверждает вход после пароля.
passkey-none = Ключей доступа пока нет.
passkey-added = Добавлен { $at }
passkey-last-used = Последний вход { $at }
passkey-never-used = Ещё не использовался
passkey-remove = Удалить
passkey-removed = Ключ доступа удалён.
passkey-name = Название нового ключа доступа
passkey-name-example = Телефон, ноутбук, YubiKey…
passkey-add = Добавить ключ доступа
passkey-needs-script = Чтобы добавить или использовать ключ доступа, в браузере должен быть включён JavaScript.
passkey-unsupported = Этот браузер не поддерживает ключи доступа.
passkey-cancelled = Запрос ключа доступа отменён или истёк; попробуйте ещё раз.
passkey-login = Войти с ключом доступа
passkey-use = Использовать ключ доступа
passkey-step-intro = Подтвердите вход одним из ключей доступа.

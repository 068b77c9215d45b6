# Кабинет vpsbox: русский.

## Оболочка страницы

nav-dashboard = Обзор
nav-servers = Серверы
nav-networks = Сети
nav-disks = Диски
nav-backups = Резервные копии
nav-plans = Тарифы
nav-billing = Оплата
nav-support = Поддержка
nav-account = Профиль
nav-notices = Уведомления
nav-notices-label = Уведомления, непрочитанных: { $count }
nav-admin = Администрирование
nav-status = Состояние
nav-log-in = Войти
nav-sign-up = Регистрация
nav-log-out = Выйти
nav-main = Главное меню
nav-breadcrumb = Путь
language-switch = Язык
error-code = Ошибка { $code }

## Вход и регистрация

login-title = Вход
login-email = Эл. почта
login-password = Пароль
login-submit = Войти
login-create-account = Создать учётную запись
login-forgot = Забыли пароль? Попросите поддержку прислать ссылку для сброса.
signup-title = Регистрация
signup-heading = Создание учётной записи
signup-closed = Регистрация закрыта. Попросите провайдера создать для вас учётную запись.
signup-back-to-login = Вернуться ко входу
signup-password-hint = { $min ->
    [one] Не менее { $min } символа.
   *[other] Не менее { $min } символов.
}
signup-repeat = Повторите пароль
signup-submit = Создать учётную запись
signup-have-account = У меня уже есть учётная запись
signup-passwords-differ = Пароли не совпадают
signup-welcome = Добро пожаловать! Ваша учётная запись готова.
signup-ready-log-in = Учётная запись готова. Войдите, чтобы продолжить.

## Профиль

account-language-label = Язык кабинета
account-language-browser = Как просит мой браузер
account-language-save = Сохранить язык

## Обзор

dashboard-incident = Инцидент:
dashboard-incident-since = ({ $severity }, с { $since }).
dashboard-status-page = Страница состояния
dashboard-maintenance = Плановые работы
dashboard-trial-until = Бесплатный пробный период до
dashboard-trial-left = (осталось { $left }). Оставшиеся серверы станут платными.
dashboard-details = Подробнее
dashboard-balance = Баланс
dashboard-days-left = { $days ->
    [one] примерно { $days } день при текущем расходе
    [few] примерно { $days } дня при текущем расходе
   *[other] примерно { $days } дней при текущем расходе
}
dashboard-billing-link = оплата
dashboard-servers = Виртуальные серверы
dashboard-no-servers = У вас пока нет виртуальных серверов.
dashboard-order-one = Заказать
dashboard-running = работают: { $count }
dashboard-manage = управление
dashboard-quota = Квота
dashboard-vcpus = { $used } из { $limit } vCPU
dashboard-details-link = подробнее
dashboard-member-since = С нами с { $since }
dashboard-sessions = { $count ->
    [one] { $count } активный сеанс
    [few] { $count } активных сеанса
   *[other] { $count } активных сеансов
}

# vpsbox кабинеті: қазақша.

## Бет қабығы

nav-dashboard = Шолу
nav-servers = Серверлер
nav-networks = Желілер
nav-disks = Дискілер
nav-backups = Сақтық көшірмелер
nav-plans = Тарифтер
nav-billing = Төлем
nav-support = Қолдау
nav-account = Профиль
nav-notices = Хабарламалар
nav-notices-label = Хабарламалар, оқылмағаны: { $count }
nav-admin = Әкімшілік
nav-status = Күйі
nav-log-in = Кіру
nav-sign-up = Тіркелу
nav-log-out = Шығу
nav-main = Басты мәзір
nav-breadcrumb = Жол
language-switch = Тіл
error-code = Қате { $code }

## Кіру және тіркелу

login-title = Кіру
login-email = Электрондық пошта
login-password = Құпиясөз
login-submit = Кіру
login-create-account = Тіркелгі ашу
login-forgot = Құпиясөзді ұмыттыңыз ба? Қалпына келтіру сілтемесін қолдау қызметінен сұраңыз.
signup-title = Тіркелу
signup-heading = Тіркелгі ашу
signup-closed = Тіркелу жабық. Тіркелгіні сізге провайдер ашсын.
signup-back-to-login = Кіруге оралу
signup-password-hint = Кемінде { $min } таңба.
signup-repeat = Құпиясөзді қайталаңыз
signup-submit = Тіркелгі ашу
signup-have-account = Менде тіркелгі бар
signup-passwords-differ = Құпиясөздер сәйкес емес
signup-welcome = Қош келдіңіз! Тіркелгіңіз дайын.
signup-ready-log-in = Тіркелгіңіз дайын. Жалғастыру үшін кіріңіз.

## Профиль

account-language-label = Кабинет тілі
account-language-browser = Браузерім сұрағандай
account-language-save = Тілді сақтау

## Шолу

dashboard-incident = Оқыс оқиға:
dashboard-incident-since = ({ $severity }, { $since } бастап).
dashboard-status-page = Күй беті
dashboard-maintenance = Жоспарлы жұмыстар
dashboard-trial-until = Тегін сынақ мерзімі аяқталады:
dashboard-trial-left = ({ $left } қалды). Қалған серверлер ақылы болады.
dashboard-details = Толығырақ
dashboard-balance = Баланс
dashboard-days-left = қазіргі шығынмен шамамен { $days } күн
dashboard-billing-link = төлем
dashboard-servers = Виртуалды серверлер
dashboard-no-servers = Сізде әзірге виртуалды сервер жоқ.
dashboard-order-one = Тапсырыс беру
dashboard-running = жұмыс істеп тұр: { $count }
dashboard-manage = басқару
dashboard-quota = Квота
dashboard-vcpus = { $limit } vCPU ішінен { $used }
dashboard-details-link = толығырақ
dashboard-member-since = Тіркелген күні: { $since }
dashboard-sessions = { $count } белсенді сеанс

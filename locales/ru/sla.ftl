# Кабинет vpsbox: доступность (SLA), компенсации и состояние сервиса.

## Почему сервер был недоступен

cause-host-down = сбой хоста или платформы
cause-platform = сбой платформы виртуализации
cause-incident = инцидент провайдера
cause-maintenance = плановые работы (не учитываются)
cause-customer = по вине клиента (не учитывается)
cause-force-majeure = форс-мажор (не учитывается)

## Доступность одного сервера

availability-title = Доступность в этом месяце
availability-since = с { $since }
availability-credit = — ниже обещанных 99,9 %: компенсация { $percent } % от начислений за этот сервер за месяц
availability-promised = (обещано: 99,9 %)
availability-no-downtime = Простоев не зафиксировано.
availability-minutes = { $minutes } мин
availability-ongoing = продолжается
availability-maintenance = Плановые работы { $from } – { $to }: не учитываются.
availability-all-servers = Все серверы и компенсации
availability-status = Состояние сервиса
availability-counted = Учитывается: время, когда сервер должен был работать, но отказали хост, платформа виртуализации или сеть. Не учитываются: плановые работы, форс-мажор и всё, что внутри сервера (его операционная система и программы — ваша зона ответственности).

## All of a customer's servers and credits

sla-title = Доступность за { $month }
sla-terms = Провайдер обещает доступность каждого сервера 99,9 % в месяц. Ниже неё — компенсация от начислений за этот сервер за месяц: 5 % ниже 99,9 %, 10 % ниже 99,0 %, 15 % ниже 95,0 %, не больше уплаченного за месяц, с зачётом в следующем периоде. Не учитываются плановые работы, объявленные заранее, форс-мажор и всё, что вызвано внутри вашего сервера.
sla-page = Доступность
sla-no-servers = У вас нет серверов.
sla-col-server = Сервер
sla-col-availability = Доступность
sla-col-downtime = Учтённый простой
sla-col-tier = Уровень компенсации
sla-col-events = События
sla-credits = Компенсации
sla-no-month = Ни один месяц ещё не измерен.
sla-col-month = Месяц
sla-col-below = Серверы ниже 99,9 %
sla-col-paid = Оплачено
sla-col-credit = Компенсация
sla-col-booked = Зачислена
sla-credit-line = #{ $vm } { $availability } → { $percent } % от { $charges }
sla-report-outage = Сообщить о сбое

## The public status page

status-title = Состояние сервиса
status-crumb = Состояние
status-all-ok = Все системы работают.
status-current = Текущие инциденты
status-planned = Плановые работы
status-none-planned = Не запланированы.
status-recent = Устранены за последние 7 дней
status-ongoing = продолжается
status-resolved = устранён
status-since = с { $at }
status-until = до { $at }
severity-outage = полный отказ
severity-degradation = ухудшение работы
scope-host = все серверы
scope-none = нет серверов
scope-one = сервер #{ $vm }
scope-many = серверы { $list }

## История инцидента (страница статуса)

incident-reported-title = Сообщено клиентом: { $title }
incident-reported = Сообщено в обращении #{ $request }.
incident-declared = Объявлен: { $title }
incident-updated = { $blame ->
    [same] {""}
   *[other] Ответственность: { admin-blame }.{" "}
}{ $resolved ->
    [yes] Устранено: работа восстановлена в { $at }.{" "}
   *[no] {""}
}{ $note }

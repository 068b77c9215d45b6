# vpsbox кабинеті: қолжетімділік (SLA), өтемақылар және қызмет күйі.

## Сервер неге қолжетімсіз болды

cause-host-down = хост немесе платформа ақауы
cause-platform = виртуалдау платформасының ақауы
cause-incident = провайдер инциденті
cause-maintenance = жоспарлы жұмыстар (есептелмейді)
cause-customer = клиенттің кінәсінен (есептелмейді)
cause-force-majeure = форс-мажор (есептелмейді)

## Бір сервердің қолжетімділігі

availability-title = Осы айдағы қолжетімділік
availability-since = { $since } бастап
availability-credit = — уәде етілген 99,9 %-дан төмен: осы сервер үшін айлық есептеудің { $percent } % мөлшеріндегі өтемақы
availability-promised = (уәде етілгені: 99,9 %)
availability-no-downtime = Тоқтап қалу тіркелмеген.
availability-minutes = { $minutes } мин
availability-ongoing = жалғасуда
availability-maintenance = Жоспарлы жұмыстар { $from } – { $to }: есептелмейді.
availability-all-servers = Барлық серверлер мен өтемақылар
availability-status = Қызмет күйі
availability-counted = Есептеледі: сервер жұмыс істеуге тиіс болған, бірақ хост, виртуалдау платформасы немесе желі істен шыққан уақыт. Есептелмейді: жоспарлы жұмыстар, форс-мажор және сервер ішіндегінің бәрі (оның операциялық жүйесі мен бағдарламалары — сіздің жауапкершілігіңіз).

## All of a customer's servers and credits

sla-title = { $month } қолжетімділігі
sla-terms = Провайдер әр сервердің айлық қолжетімділігін 99,9 % деп уәде етеді. Одан төмен болса — сол сервердің айлық есептеулерінен өтемақы: 99,9 %-дан төмен 5 %, 99,0 %-дан төмен 10 %, 95,0 %-дан төмен 15 %, айына төлегеніңізден аспайды, келесі кезеңде есепке алынады. Алдын ала хабарланған жоспарлы жұмыстар, форс-мажор және сервердің ішінде туындаған нәрселер есептелмейді.
sla-page = Қолжетімділік
sla-no-servers = Сізде сервер жоқ.
sla-col-server = Сервер
sla-col-availability = Қолжетімділік
sla-col-downtime = Есептелген тоқтап тұру
sla-col-tier = Өтемақы деңгейі
sla-col-events = Оқиғалар
sla-credits = Өтемақылар
sla-no-month = Әзірге бірде-бір ай өлшенбеді.
sla-col-month = Ай
sla-col-below = 99,9 %-дан төмен серверлер
sla-col-paid = Төленді
sla-col-credit = Өтемақы
sla-col-booked = Есепке алынды
sla-credit-line = #{ $vm } { $availability } → { $charges } сомасының { $percent } %
sla-report-outage = Ақау туралы хабарлау

## The public status page

status-title = Қызмет күйі
status-crumb = Күйі
status-all-ok = Барлық жүйе жұмыс істеп тұр.
status-current = Ағымдағы инциденттер
status-planned = Жоспарлы жұмыстар
status-none-planned = Жоспарланбаған.
status-recent = Соңғы 7 күнде шешілгендер
status-ongoing = жалғасуда
status-resolved = шешілді
status-since = { $at } бастап
status-until = { $at } дейін
severity-outage = толық істен шығу
severity-degradation = жұмыс сапасының төмендеуі
scope-host = барлық серверлер
scope-none = сервер жоқ
scope-one = #{ $vm } сервер
scope-many = { $list } серверлер

## Оқиға тарихы (күй беті)

incident-reported-title = Клиент хабарлады: { $title }
incident-reported = #{ $request } өтінішінде хабарланды.
incident-declared = Жарияланды: { $title }
incident-updated = { $blame ->
    [same] {""}
   *[other] Жауапкершілік: { admin-blame }.{" "}
}{ $resolved ->
    [yes] Жойылды: қызмет { $at } қалпына келтірілді.{" "}
   *[no] {""}
}{ $note }

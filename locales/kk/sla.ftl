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

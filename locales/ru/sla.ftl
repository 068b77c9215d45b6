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

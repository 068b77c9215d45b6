# vpsbox cabinet: balance, charges, statements, the free trial.

billing-title = Оплата
billing-usage = Потребление { $hour } ({ $n ->
    [one] { $n } позиция
    [few] { $n } позиции
   *[other] { $n } позиций
})
billing-payment = Платёж — { $reference }
billing-credit = Компенсация — { $reason }
billing-correction = Корректировка — { $reason }
billing-traffic = Трафик { $hostname } сверх лимита: { $gib } ГиБ
billing-no-transactions = Операций пока нет.
billing-col-date = Дата
billing-col-what = Что
billing-col-amount = Сумма
billing-col-balance-after = Баланс после
billing-usage-hours = Потребление, { $n ->
    [one] { $n } час
    [few] { $n } часа
   *[other] { $n } часов
}
billing-balance = Баланс:
billing-suspended = Учётная запись приостановлена за неуплату: серверы остановлены и не запускаются. Платёж, выводящий баланс выше нуля, сразу снимает приостановку.
billing-below-zero = Баланс ниже нуля. Пополните его до { $until }, иначе серверы будут остановлены (не удалены) до оплаты.
billing-running-costs = Текущие расходы: { $amount } в час.
billing-lasts = Текущие расходы: { $amount } в час, баланса хватит примерно на { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[other] { $days } дней
}.
billing-month-so-far = Этот месяц ({ $month }) на сегодня
billing-nothing-this-month = В этом месяце списаний нет.
billing-col-resource = Ресурс
billing-col-priced-as = Единица тарифа
billing-col-units = Единиц
billing-col-hours = Часов
billing-total = Итого
billing-hourly-hint = Каждый ресурс оплачивается за часы, пока он существует, и за календарный месяц — не больше его месячной цены.
billing-no-statements = Выписок пока нет: выписка выдаётся после каждого месяца.
billing-col-number = №
billing-col-month = Месяц
billing-col-charges = Списания
billing-col-closing = Баланс на конец
billing-view = Открыть
billing-no-transactions-day = В этот день операций нет.
billing-col-when = Когда
billing-line-price = по { $price }
billing-day-title = Операции за { $day } (UTC)
billing-transactions-title = Операции
billing-back = Назад к оплате
billing-how-to-pay = Для оплаты сделайте перевод провайдеру, указав номер учётной записи { $account }; платёж появится здесь после зачисления.
billing-statements = Выписки
billing-older = Более ранние операции
billing-statement-title = Выписка { $number }
billing-statement-account = Учётная запись { $account } — { $email }
billing-statement-period = Период: { $month } (календарный месяц)
billing-statement-issued = Выдана { $at }
billing-opening = Баланс на начало
billing-credits = Компенсации
billing-payments = Платежи
billing-corrections = Корректировки
billing-unit-server = сервер
billing-unit-ipv4 = доп. адрес IPv4
billing-unit-disk = ГиБ доп. диска
billing-unit-backup = ГиБ хранилища копий
billing-unit-traffic = ГиБ трафика сверх лимита

## The free trial (the terms' trial period)

trial-title = Пробный период
trial-offer = Новые клиенты могут бесплатно попробовать услугу { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[other] { $days } дней
} с первого запуска сервера, в пределах, установленных провайдером. Провайдер рассматривает каждую заявку и предоставляет период один раз. Серверы, оставшиеся после окончания периода, оплачиваются по прайс-листу со следующего часа.
trial-note = Что вы хотите попробовать? (необязательно)
trial-ask = Запросить пробный период
trial-waiting = Ваша заявка ждёт ответа провайдера.
trial-approved = Пробный период одобрен. Он начнётся с запуском вашего первого сервера.
trial-order = Заказать сервер
trial-ends = Пробный период заканчивается { $at } — через { $left }.
trial-ends-hint = Оставшиеся серверы станут платными по прайс-листу со следующего часа. Чтобы не платить, удалите их до окончания.
trial-end-now = Завершить пробный период сейчас
trial-ended = Пробный период закончился { $at }.
trial-ended-paid = Пробный период закончился { $at }; оставленные серверы оплачиваются по прайс-листу.
trial-declined = Провайдер отклонил заявку на пробный период; вы можете заказывать серверы по прайс-листу.
trial-left-days = { $d } д { $h } ч { $m } мин
trial-left-hours = { $h } ч { $m } мин
trial-approved-flash = Пробный период одобрен.
trial-requested-flash = Заявка отправлена; провайдер скоро ответит.
trial-ended-flash = Пробный период завершён.
billing-backup-storage = хранилище резервных копий и снимков

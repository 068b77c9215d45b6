# vpsbox cabinet: quotas, requests for more, the activity log.

resource-name = { $resource ->
    [vms] виртуалды машиналар
    [vcpus] vCPU
    [memory_mib] жад (МиБ)
    [disk_gb] диск (ГиБ)
    [ipv4] жария IPv4 мекенжайлары
    [backups] сақтық көшірмелер
    [private_networks] жеке желілер
    [snapshots] серверлердің лездік көшірмелері
    [iso_gb] өз ISO бейнелері (ГиБ)
   *[backup_gb] көшірме қоймасы (ГиБ)
}
quota-title = Квота
quota-col-resource = Ресурс
quota-col-used = Пайдаланылуда
quota-col-limit = Шек
quota-ask-title = Көбірек сұрау
quota-ask-hint = Қажетті шектерді көрсетіңіз; провайдер тәулік бойы 20 минут ішінде жауап береді.
quota-reason = Олар не үшін қажет?
quota-send = Сұрау жіберу
quota-requests = Сіздің сұрауларыңыз
quota-col-sent = Жіберілді
quota-col-asked = Сұралғаны
quota-col-status = Күйі
quota-waiting = күтуде
quota-approved = мақұлданды
quota-declined = қабылданбады
quota-not-number = { $resource }: бүтін сан болуы керек
quota-sent = Сұрау жіберілді. Жауап осында көрінеді.

## The activity log

activity-title = Әрекеттер журналы
activity-none = Әзірге ештеңе жоқ.
activity-col-when = Қашан
activity-col-owner = Иесі
activity-col-who = Кім
activity-col-what = Не
activity-col-resource = Ресурс
activity-col-details = Толығырақ
activity-col-from = Қайдан

# vpsbox кабинеті: клиенттің дискілері.

disks-title = Дискілер
disks-hint = Серверлеріңізге арналған қосымша дискілер. Олар серверлердің өз дискілерімен бірге диск квотасына есептеледі және сервер жойылғанда қалады.
disks-none = Әзірге дискілер жоқ.
disks-col-name = Атауы
disks-col-size = Көлемі
disks-col-attached = Қосылған сервер
disks-col-grow = Үлкейту
disks-attached-as = ретінде:
disks-not-attached = қосылмаған
disks-new-size = { $disk } дискісінің жаңа көлемі, ГиБ
disks-grow = Үлкейту
disks-delete = Жою
disks-grow-hint = Қосулы дискіні үлкейткен соң, қонақ жүйеде оның бөлімін немесе файлдық жүйесін үлкейтіңіз (мысалы, resize2fs).
disks-create-title = Диск жасау
disks-name = Атауы
disks-size = Көлемі (ГиБ)
disks-create = Диск жасау
disks-created = Диск жасалды. Оны сервер бетінде қосыңыз.
disks-grown = { $disk } дискісінің көлемі енді { $size } ГиБ.
disks-deleted = Диск жойылды.

## Жеке желілер

networks-title = Жеке желілер
networks-hint = Өз серверлеріңіз арасындағы оқшауланған желі: интернетсіз, басқа клиенттерсіз, тіпті хостсыз. Ондағы әр сервер сіз таңдаған ішкі желіден мекенжай алады.
networks-none = Әзірге жеке желілер жоқ.
networks-col-name = Атауы
networks-col-subnet = Ішкі желі
networks-col-servers = Серверлер
networks-col-created = Жасалған уақыты
networks-create-title = Желі жасау
networks-name = Атауы
networks-subnet = IPv4 ішкі желісі (/16-дан /29-ға дейін)
networks-create = Желі жасау
networks-created = Желі жасалды.
networks-isolation = Оқшаулау
networks-isolation-text = Сыртқа шығысы және хост мекенжайы жоқ жеке көпір ({ $bridge })
networks-members = Желідегі серверлер
networks-members-none = Жоқ. Серверлерді олардың бетінде қосыңыз немесе серверге тапсырыс бергенде желіні таңдаңыз.
networks-col-server = Сервер
networks-col-interface = Интерфейс
networks-col-address = Мекенжай
networks-delete-title = Жою
networks-delete-hint = Желіде сервер қалмағанда мүмкін болады.
networks-delete = Желіні жою
networks-deleted = Желі жойылды.

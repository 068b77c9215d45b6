# Кабинет vpsbox: диски клиента.

disks-title = Диски
disks-hint = Дополнительные диски для ваших серверов. Они учитываются в квоте на диск вместе с собственными дисками серверов и остаются после удаления сервера.
disks-none = Дисков пока нет.
disks-col-name = Имя
disks-col-size = Размер
disks-col-attached = Подключён к
disks-col-grow = Увеличить
disks-attached-as = как
disks-not-attached = не подключён
disks-new-size = Новый размер { $disk } в ГиБ
disks-grow = Увеличить
disks-delete = Удалить
disks-grow-hint = После увеличения подключённого диска увеличьте его раздел или файловую систему в госте (например, resize2fs).
disks-create-title = Создать диск
disks-name = Имя
disks-size = Размер (ГиБ)
disks-create = Создать диск
disks-created = Диск создан. Подключите его на странице сервера.
disks-grown = Размер { $disk } теперь { $size } ГиБ.
disks-deleted = Диск удалён.

## Частные сети

networks-title = Частные сети
networks-hint = Изолированная сеть между вашими серверами: без интернета, без других клиентов и даже без хоста. Каждый сервер в ней получает адрес из выбранной вами подсети.
networks-none = Частных сетей пока нет.
networks-col-name = Имя
networks-col-subnet = Подсеть
networks-col-servers = Серверы
networks-col-created = Создана
networks-create-title = Создать сеть
networks-name = Имя
networks-subnet = Подсеть IPv4 (от /16 до /29)
networks-create = Создать сеть
networks-created = Сеть создана.
networks-isolation = Изоляция
networks-isolation-text = Собственный мост ({ $bridge }) без выхода наружу и без адреса хоста
networks-members = Серверы в сети
networks-members-none = Нет. Подключите серверы на их странице или выберите сеть при заказе сервера.
networks-col-server = Сервер
networks-col-interface = Интерфейс
networks-col-address = Адрес
networks-delete-title = Удаление
networks-delete-hint = Возможно, когда в сети не осталось серверов.
networks-delete = Удалить сеть
networks-deleted = Сеть удалена.

# vpsbox cabinet: the customer's disks.

disks-title = Disks
disks-hint = Extra disks for your servers. They count against your disk quota together with the servers' own disks, and stay when a server is deleted.
disks-none = No disks yet.
disks-col-name = Name
disks-col-size = Size
disks-col-attached = Attached to
disks-col-grow = Grow
disks-attached-as = as
disks-not-attached = not attached
disks-new-size = New size of { $disk } in GiB
disks-grow = Grow
disks-delete = Delete
disks-grow-hint = After growing an attached disk, grow its partition or file system in the guest (e.g. resize2fs).
disks-create-title = Create a disk
disks-name = Name
disks-size = Size (GiB)
disks-create = Create disk
disks-created = Disk created. Attach it from a server's page.
disks-grown = { $disk } is now { $size } GiB.
disks-deleted = Disk deleted.

## Private networks

networks-title = Private networks
networks-hint = An isolated network between your own servers: no internet, no other customers, not even the host. Each server on it gets an address from the subnet you choose.
networks-none = No private networks yet.
networks-col-name = Name
networks-col-subnet = Subnet
networks-col-servers = Servers
networks-col-created = Created
networks-create-title = Create a network
networks-name = Name
networks-subnet = IPv4 subnet (/16 to /29)
networks-create = Create network
networks-created = Network created.
networks-isolation = Isolation
networks-isolation-text = Its own bridge ({ $bridge }) with no uplink and no host address
networks-members = Servers on it
networks-members-none = None. Attach servers from their page, or choose the network when you order one.
networks-col-server = Server
networks-col-interface = Interface
networks-col-address = Address
networks-delete-title = Delete
networks-delete-hint = Possible once no server is on it.
networks-delete = Delete network
networks-deleted = Network deleted.

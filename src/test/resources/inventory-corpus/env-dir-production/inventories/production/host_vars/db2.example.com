mysql_server_id: 2
mysql_replication_role: slave

"""Copies a database and its filestore, as Odoo's database manager duplicates one.

Usage: python tools/copy_db.py ODOO-OPTIONS... SOURCE TARGET

tools/test builds stock CRM with its demo data once and starts from copies of it: the add-on's
suite installs sales_team_org on one, the upgrade check installs the previous release on another.
PostgreSQL copies the database (CREATE DATABASE … TEMPLATE, no other session on the source), the
filestore is copied the way odoo.service.db.exp_duplicate_database does, and the copy gets a
database UUID of its own.
"""
import os
import shutil
import sys
import uuid
from contextlib import closing

import odoo
from odoo.tools import SQL, config


def main(argv):
    *options, source, target = argv
    config.parse_config(options)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(SQL("CREATE DATABASE %s ENCODING 'unicode' TEMPLATE %s",
                       SQL.identifier(target), SQL.identifier(source)))
    odoo.sql_db.close_all()
    with closing(odoo.sql_db.db_connect(target).cursor()) as cr:
        cr.execute("UPDATE ir_config_parameter SET value = %s WHERE key = 'database.uuid'", [str(uuid.uuid1())])
        cr.commit()
    odoo.sql_db.close_all()
    from_fs, to_fs = config.filestore(source), config.filestore(target)
    if os.path.exists(from_fs):
        shutil.rmtree(to_fs, ignore_errors=True)  # a leftover of an earlier run with the same name
        shutil.copytree(from_fs, to_fs)
    print(f"COPY OK {source} -> {target}")


if __name__ == "__main__":
    main(sys.argv[1:])

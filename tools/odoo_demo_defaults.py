"""Odoo's own test suites expect Odoo's demo company: an English administrator and US dollars.
Fed to `odoo-bin shell` by tools/test before running them on the add-on's demo database, whose
company is the seed's (简体中文, CNY)."""
env.ref("base.user_admin").lang = "en_US"
usd, cny = env.ref("base.USD"), env.ref("base.CNY")
usd.active = True
env.ref("base.main_company")._write({"currency_id": usd.id})  # accounting refuses it once entries exist
cny.active = False
env.cr.commit()
print("ODOO DEMO DEFAULTS OK")

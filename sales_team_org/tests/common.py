import base64
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

# a 1x1 PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAACXBIWXMAAC4jAAAuIwF4pT92AAAAD0lEQVQIHQEEAPv/AIdaewLIAV0IjhGPAAAAAElFTkSuQmCC"
)


class SalesOrgCommon(TransactionCase):
    """A small organisation, four levels deep:

    HQ (director)
    ├── East region (regional director)
    │   └── East business unit (manager as unit manager; clerk)
    │       └── Shanghai phone group (supervisor; rep)
    └── North region (regional director; rep)
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Role = cls.env["sales.org.role"]
        cls.role_director = Role.create({"name": "Director", "code": "T-DIR", "level": "director", "access_level": "all"})
        cls.role_regional = Role.create({
            "name": "Regional Director", "code": "T-RD", "level": "regional",
            "access_level": "unit", "parent_id": cls.role_director.id,
        })
        cls.role_manager = Role.create({
            "name": "Business Manager", "code": "T-BM", "level": "manager",
            "access_level": "unit", "parent_id": cls.role_regional.id,
        })
        cls.role_supervisor = Role.create({
            "name": "Supervisor", "code": "T-SUP", "level": "supervisor",
            "access_level": "unit", "parent_id": cls.role_manager.id,
        })
        cls.role_rep = Role.create({
            "name": "Sales Rep", "code": "T-REP", "level": "member",
            "access_level": "own", "parent_id": cls.role_manager.id,
        })
        cls.role_clerk = Role.create({
            "name": "Order Clerk", "code": "T-CLERK", "level": "member",
            "access_level": "own", "parent_id": cls.role_manager.id,
        })

        def user(login):
            return new_test_user(cls.env, login=login, groups="base.group_user", name=login.title(),
                                 email=f"{login}@example.com")

        cls.director = user("t_director")
        cls.regional_east = user("t_regional_east")
        cls.regional_north = user("t_regional_north")
        cls.manager = user("t_manager")
        cls.supervisor = user("t_supervisor")
        cls.rep_shanghai = user("t_rep_shanghai")
        cls.clerk_east = user("t_clerk_east")
        cls.rep_north = user("t_rep_north")

        Team = cls.env["crm.team"]
        cls.hq = Team.create({"name": "T HQ", "unit_type": "hq", "company_id": cls.env.company.id})
        cls.east = Team.create({"name": "T East", "unit_type": "region", "parent_id": cls.hq.id})
        cls.north = Team.create({"name": "T North", "unit_type": "region", "parent_id": cls.hq.id})
        cls.east_business = Team.create({
            "name": "T East Business", "parent_id": cls.east.id, "user_id": cls.manager.id,
        })
        cls.shanghai = Team.create({
            "name": "T Shanghai Phone", "parent_id": cls.east_business.id, "sales_channel": "inside",
        })
        cls.env["crm.team.member"].create([
            {"crm_team_id": team.id, "user_id": person.id, "role_id": role.id}
            for team, person, role in [
                (cls.hq, cls.director, cls.role_director),
                (cls.east, cls.regional_east, cls.role_regional),
                (cls.north, cls.regional_north, cls.role_regional),
                (cls.east_business, cls.manager, cls.role_manager),
                (cls.east_business, cls.clerk_east, cls.role_clerk),
                (cls.shanghai, cls.supervisor, cls.role_supervisor),
                (cls.shanghai, cls.rep_shanghai, cls.role_rep),
                (cls.north, cls.rep_north, cls.role_rep),
            ]
        ])

        # the organisation has been in place since the start of the year
        cls.env.flush_all()
        cls.env.cr.execute("UPDATE sales_org_assignment SET date_from = '2026-01-01' WHERE date_to IS NULL")

        cls.customer = cls.env["res.partner"].create({"name": "T Customer"})
        cls.product = cls.env["product.product"].create({"name": "T Gate", "list_price": 100.0})
        cls.people = (
            cls.director | cls.regional_east | cls.regional_north | cls.manager
            | cls.supervisor | cls.rep_shanghai | cls.clerk_east | cls.rep_north
        )
        cls.leads = {}
        cls.orders = {}
        for person in cls.people:
            cls.leads[person] = cls.env["crm.lead"].create({
                "name": f"Lead of {person.name}", "user_id": person.id, "type": "opportunity",
                "partner_id": cls.customer.id,
            })
            cls.orders[person] = cls.env["sale.order"].create({
                "partner_id": cls.customer.id, "user_id": person.id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 1})],
            })

    @classmethod
    def work_every_day(cls):
        """Every day is a working day of the test's people, in Shanghai: tests on the real clock
        (tours, the board) find them due whatever day the suite runs."""
        every_day = cls.env["resource.calendar"].create({
            "name": "T Every Day", "tz": "Asia/Shanghai", "attendance_ids": [Command.create({
                "name": f"Day {day}", "dayofweek": str(day), "hour_from": 8, "hour_to": 17,
            }) for day in range(7)],
        })
        cls.env["resource.resource"].create([
            {"name": person.name, "user_id": person.id, "calendar_id": every_day.id} for person in cls.people
        ])
        cls.people.tz = "Asia/Shanghai"  # the browser's today is the company's
        cls.env.company.resource_calendar_id.tz = "Asia/Shanghai"

    def speak_chinese(self):
        """The test's people read the add-on and Odoo in 简体中文.

        Where zh_CN is active already (the demo activates it), Odoo has loaded its terms for every
        installed module, at the activation and at each module's install: loading the .po files
        again (base's is large) would change nothing."""
        if not self.env["res.lang"]._lang_get("zh_CN"):
            self.env["res.lang"]._activate_lang("zh_CN")
            self.env["ir.module.module"].search([
                ("name", "in", ["base", "web", "mail", "crm", "sales_team", "sales_team_org"]),
            ])._update_translations(["zh_CN"])
        self.people.write({"lang": "zh_CN"})

    def leads_of(self, *people):
        return self.env["crm.lead"].union(*(self.leads[p] for p in people))

    def orders_of(self, *people):
        return self.env["sale.order"].union(*(self.orders[p] for p in people))

    def at_company_noon(self):
        """Freeze the clock at noon of the company's day. Odoo tells an assignee's browser of an
        activity due "today" by the UTC date, which before 8:00 in Shanghai is still yesterday:
        query counts that create activities are measured at noon, where both dates agree."""
        company = self.env.company
        start, _end = company._sales_org_day_bounds(company._sales_org_today())
        return freeze_time(start + timedelta(hours=12))


class SalesOrgTripCommon(SalesOrgCommon):
    """Business trips handed up the small organisation: the roles' budget limits (supervisor
    1000, manager 3000, regional director 10000) and a trip of a given budget."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["sales.org.role.limit"].create([
            {"role_id": role.id, "kind": "trip_budget", "limit": limit}
            for role, limit in ((cls.role_supervisor, 1000), (cls.role_manager, 3000), (cls.role_regional, 10000))
        ])
        cls.today = cls.env.company._sales_org_today()

    def trip(self, person, budget, **vals):
        start = self.today + timedelta(days=3)
        return self.env["sales.business.trip"].with_user(person).create({
            "name": "Visit the gate dealers",
            "date_start": start,
            "date_end": start + timedelta(days=2),
            "visit_ids": [Command.create({"partner_id": self.customer.id, "purpose": "Gate prices",
                                          "visit_date": start})],
            "cost_ids": [Command.create({"cost_type": "transport", "expected_amount": budget})],
            **vals,
        })

    def submitted(self, person, budget, **vals):
        trip = self.trip(person, budget, **vals)
        trip.with_user(person).action_submit()
        return trip

from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SalesOrgCommon

NOVEMBER = {"period_type": "month", "date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30)}
Q4 = {"period_type": "quarter", "date_from": date(2026, 10, 1), "date_to": date(2026, 12, 31)}
YEAR = {"period_type": "year", "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)}


class SalesTargetCommon(SalesOrgCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Target = cls.env["sales.target"]
        cls.admin = new_test_user(cls.env, login="t_sales_admin", name="T Sales Admin", email="t_admin@example.com",
                                  groups="base.group_user,sales_team.group_sale_manager")
        cls.env["crm.team.member"].create({
            "crm_team_id": cls.north.id, "user_id": cls.admin.id, "role_id": cls.role_rep.id,
        })

    @classmethod
    def unit_values(cls, team, amount=1000.0, period=None, **vals):
        return {"target_type": "unit", "team_id": team.id, "amount": amount, **(period or NOVEMBER), **vals}

    @classmethod
    def person_values(cls, person, team, amount=1000.0, period=None, **vals):
        return {"target_type": "person", "team_id": team.id, "user_id": person.id, "amount": amount,
                **(period or NOVEMBER), **vals}

    @classmethod
    def unit_target(cls, team, amount=1000.0, period=None, **vals):
        return cls.Target.sudo().create(cls.unit_values(team, amount, period, **vals)).sudo(False)

    @classmethod
    def person_target(cls, person, team, amount=1000.0, period=None, **vals):
        return cls.Target.sudo().create(cls.person_values(person, team, amount, period, **vals)).sudo(False)


@tagged("post_install", "-at_install")
class TestSalesTarget(SalesTargetCommon):
    """Who sets which target, who reads it, the lock, and bad input refused with nothing written."""

    def assertRefused(self, user, values, exception=AccessError):
        count = self.Target.search_count([])
        with self.assertRaises(exception):
            self.Target.with_user(user).create(values)
        self.assertEqual(self.Target.search_count([]), count, "nothing written")

    def test_who_sets_which_target(self):
        Target = self.Target
        # the director: the regions' targets, not HQ's (their own unit)
        east = Target.with_user(self.director).create(self.unit_values(self.east, 5000))
        self.assertEqual(east.company_id, self.env.company)
        self.assertRefused(self.director, self.unit_values(self.hq, 9000))
        # the regional director: the units below the region and their people, not the region's
        business = Target.with_user(self.regional_east).create(self.unit_values(self.east_business, 3000))
        Target.with_user(self.regional_east).create(self.unit_values(self.shanghai, 1000))
        Target.with_user(self.regional_east).create(self.person_values(self.clerk_east, self.east_business, 500))
        self.assertRefused(self.regional_east, self.unit_values(self.east, 5000, metric="call_count"))
        self.assertRefused(self.regional_east, self.unit_values(self.north, 5000))
        self.assertRefused(self.regional_east, self.person_values(self.rep_north, self.north))
        # the leader of East Business: its people's, not East Business's own
        rep = Target.with_user(self.manager).create(self.person_values(self.rep_shanghai, self.shanghai, 800))
        clerk = Target.with_user(self.manager).create(self.person_values(self.clerk_east, self.east_business, 50,
                                                                         metric="call_count"))
        self.assertRefused(self.manager, self.unit_values(self.east_business, 3000, metric="call_count"))
        with self.assertRaises(AccessError):
            business.with_user(self.manager).amount = 3500
        self.assertEqual(business.amount, 3000)
        # nobody their own person target; a rep no target at all
        self.assertRefused(self.manager, self.person_values(self.manager, self.east_business))
        self.assertRefused(self.regional_east, self.person_values(self.regional_east, self.east))
        self.assertRefused(self.rep_shanghai, self.person_values(self.rep_shanghai, self.shanghai, metric="call_count"))
        self.assertRefused(self.rep_shanghai, self.unit_values(self.shanghai, metric="call_count"))
        with self.assertRaises(AccessError):
            rep.with_user(self.rep_shanghai).amount = 1
        with self.assertRaises(AccessError):
            clerk.with_user(self.manager).user_id = self.manager  # nor moved onto one's own
        # the sales administrator: any, but their own
        Target.with_user(self.admin).create(self.unit_values(self.hq, 9000))
        Target.with_user(self.admin).create(self.person_values(self.director, self.hq, 100))
        self.assertRefused(self.admin, self.person_values(self.admin, self.north))
        # what the form shows
        self.assertEqual(
            (rep.with_user(self.manager).can_set, rep.with_user(self.rep_shanghai).can_set,
             business.with_user(self.manager).can_set, business.with_user(self.regional_east).can_set),
            (True, False, False, True))
        # unlinking is a setter's too
        with self.assertRaises(AccessError):
            rep.with_user(self.rep_shanghai).unlink()
        rep.with_user(self.manager).unlink()
        self.assertFalse(rep.exists())

    def test_who_reads_which_target(self):
        targets = {
            "hq": self.unit_target(self.hq), "east": self.unit_target(self.east),
            "north": self.unit_target(self.north), "business": self.unit_target(self.east_business),
            "shanghai": self.unit_target(self.shanghai),
            "rep": self.person_target(self.rep_shanghai, self.shanghai),
            "supervisor": self.person_target(self.supervisor, self.shanghai),
            "clerk": self.person_target(self.clerk_east, self.east_business),
            "rep_north": self.person_target(self.rep_north, self.north),
        }
        self.env.flush_all()

        def read(user):
            found = self.Target.with_user(user).search([])
            rows = self.env["sales.target.analysis"].with_user(user).search([])
            self.assertEqual(rows.target_id, found, "the analysis shows the same targets")
            return {key for key, target in targets.items() if target in found}

        self.assertEqual(read(self.rep_shanghai), {"rep", "shanghai"}, "their own and their unit's")
        self.assertEqual(read(self.rep_north), {"rep_north", "north"})
        self.assertEqual(read(self.manager), {"business", "shanghai", "rep", "supervisor", "clerk"})
        self.assertEqual(read(self.regional_north), {"north", "rep_north"}, "not another region's")
        self.assertEqual(read(self.director), set(targets))
        with self.assertRaises(AccessError):
            targets["business"].with_user(self.rep_shanghai).read(["amount"])

    def test_lock_and_unlock(self):
        target = self.Target.with_user(self.regional_east).create(self.unit_values(self.east_business, 3000))
        with self.assertRaises(AccessError):
            target.with_user(self.manager).action_agree()  # East Business's own leader
        target.with_user(self.regional_east).action_agree()
        self.assertEqual((target.state, target.agreed_by_id), ("agreed", self.regional_east))
        self.assertTrue(target.agreed_date)
        # locked: no change, no deletion, even by its setter
        for values in ({"amount": 3500}, {"note": "More"}):
            with self.assertRaises(UserError):
                target.with_user(self.regional_east).write(values)
        with self.assertRaises(UserError):
            target.with_user(self.regional_east).unlink()
        self.assertEqual(target.amount, 3000)
        # unlocked with a reason, by a setter only
        with self.assertRaises(UserError):
            target.with_user(self.regional_east).action_unlock("  ")
        for user in (self.manager, self.rep_shanghai, self.regional_north):
            with self.assertRaises(AccessError):
                target.with_user(user).action_unlock("I want to")
        self.assertEqual(target.state, "agreed")
        wizard = self.env["sales.target.unlock"].with_user(self.regional_east).create({
            "target_ids": target.ids, "reason": "华东 takes over the 苏州 accounts",
        })
        wizard.action_unlock()
        self.assertEqual((target.state, target.agreed_by_id), ("draft", self.env["res.users"]))
        self.assertIn("华东 takes over the 苏州 accounts", target.message_ids[0].body)
        with self.assertRaises(UserError):
            target.with_user(self.regional_east).action_unlock("Again")  # only an agreed target
        target.with_user(self.regional_east).amount = 3500
        self.assertEqual(target.amount, 3500)
        # the director, a leader above the setter, unlocks too
        target.with_user(self.director).action_agree()
        target.with_user(self.director).action_unlock("Reorganisation")
        self.assertEqual(target.state, "draft")

    def test_bad_input_is_refused(self):
        setter = self.regional_east
        business = self.unit_values(self.east_business, 3000)
        bad = [
            ("negative", dict(business, amount=-1)),
            ("a count with decimals", dict(business, metric="call_count", amount=10.5)),
            ("ends before it starts", dict(business, date_from=date(2026, 11, 30), date_to=date(2026, 11, 1))),
            ("not a whole month", dict(business, date_from=date(2026, 11, 2))),
            ("not a calendar quarter", dict(business, period_type="quarter", date_from=date(2026, 11, 1),
                                            date_to=date(2027, 1, 31))),
            ("a month as a year", dict(business, period_type="year")),
            ("a person in a unit they are not in", self.person_values(self.rep_north, self.east_business)),
            ("a person target without the person", dict(business, target_type="person")),
            ("a unit target naming a person", dict(business, user_id=self.clerk_east.id)),
        ]
        for label, values in bad:
            with self.subTest(label):
                self.assertRefused(setter, values, ValidationError)
        # one target per owner, metric and period, whatever the unit a person's is given in
        self.Target.with_user(setter).create(business)
        self.Target.with_user(setter).create(self.person_values(self.rep_shanghai, self.shanghai))
        self.env["ir.config_parameter"].sudo().set_param("sales_team.membership_multi", True)
        self.env["crm.team.member"].create({"crm_team_id": self.east_business.id, "user_id": self.rep_shanghai.id})
        duplicates = [
            business,
            self.person_values(self.rep_shanghai, self.east_business),
            [self.unit_values(self.shanghai), self.unit_values(self.shanghai, 2000)],
        ]
        for values in duplicates:
            with self.subTest(values=values):
                self.assertRefused(setter, values, ValidationError)
        other = self.Target.with_user(setter).create(self.unit_values(self.east_business, period=Q4))
        with self.assertRaises(ValidationError):
            other.with_user(setter).write(NOVEMBER)
        self.assertEqual(other.date_from, date(2026, 10, 1))

    def test_inconsistent_breakdown_is_refused(self):
        east_year = self.unit_target(self.east, 50000, YEAR)
        business_year = self.unit_target(self.east_business, 20000, YEAR, parent_id=east_year.id)
        self.assertEqual(business_year.breakdown, "owner")
        east_q4 = self.unit_target(self.east, 15000, Q4, parent_id=east_year.id)
        self.assertEqual(east_q4.breakdown, "period")
        self.assertEqual((east_year.children_amount, east_year.breakdown_gap), (20000, 35000))
        bad = [
            ("another metric", self.unit_values(self.east_business, 100, YEAR, metric="call_count",
                                                parent_id=east_year.id)),
            ("outside the parent's period", self.unit_values(self.east, 100, {
                "period_type": "month", "date_from": date(2027, 1, 1), "date_to": date(2027, 1, 31)},
                parent_id=east_q4.id)),
            ("a unit not just below", self.unit_values(self.shanghai, 100, YEAR, parent_id=east_year.id)),
            ("a unit of another branch", self.unit_values(self.north, 100, YEAR, parent_id=east_year.id)),
            ("below, for another period", self.unit_values(self.east_business, 100, Q4, parent_id=east_year.id)),
            ("a person of another unit", self.person_values(self.clerk_east, self.east_business, 100, YEAR,
                                                            parent_id=east_year.id)),
        ]
        for label, values in bad:
            with self.subTest(label):
                self.assertRefused(self.director, values, ValidationError)
        with self.assertRaises(ValidationError):
            self.Target.sudo().create(self.unit_values(self.east, 100, Q4, parent_id=east_q4.id, metric="visit_count"))

    def test_system_fields_are_refused(self):
        target = self.Target.with_user(self.regional_east).create(self.unit_values(self.east_business, 3000))
        parent = self.unit_target(self.east, 9000)
        system = {
            "state": "agreed", "closed_actual": 5.0, "is_closed": True, "company_id": self.env.company.id,
            "agreed_by_id": self.regional_east.id, "breakdown": "period", "agreed_date": "2026-11-01 00:00:00",
            "name": "Mine",
        }
        for fname, value in system.items():
            with self.subTest(fname):
                with self.assertRaises(AccessError):
                    target.with_user(self.regional_east).write({fname: value})
                self.assertRefused(self.regional_east, self.unit_values(self.shanghai, **{fname: value}))
        self.assertEqual((target.state, target.closed_actual, target.is_closed), ("draft", 0.0, False))
        # what the setter writes
        target.with_user(self.regional_east).write({"amount": 3200, "note": "With 苏州", "parent_id": parent.id})
        self.assertEqual(target.breakdown, "owner")
        self.assertEqual(target._round(1234.567), 1234.57)
        self.assertEqual(self.unit_target(self.shanghai, 10, metric="call_count")._round(2.5), 3)

    def test_open_the_assistants(self):
        target = self.Target.with_user(self.regional_east).create(self.unit_values(self.east_business, 3000))
        action = target.with_user(self.regional_east).action_open_unlock()
        self.assertEqual(action["context"], {"default_target_ids": target.ids})
        with self.assertRaises(AccessError):
            target.with_user(self.manager).action_open_unlock()
        with self.assertRaises(UserError):
            target.with_user(self.manager)._check_can_break_down()  # East Business's own leader

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SalesOrgCommon

OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))
# noon in Shanghai (UTC+8)
OCT_5 = "2026-10-05 04:00:00"
OCT_20 = "2026-10-20 04:00:00"
OCT_2025 = "2025-10-15 04:00:00"


@tagged("post_install", "-at_install")
class TestSalesScorecard(SalesOrgCommon):
    """Scorecards: each criterion from the data, weighted per role with the criteria without data
    left out, ranks in unit and region, the scheduled action, who writes what, and the query count."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.Card = cls.env["sales.scorecard"]

        def weights(**by_criterion):
            return [Command.create({"criterion": criterion, "weight": weight})
                    for criterion, weight in by_criterion.items()]

        cls.role_rep.scorecard_weight_ids = weights(sales=40, growth=20, satisfaction=20, teamwork=10, slips=10)
        cls.role_supervisor.scorecard_weight_ids = weights(sales=50, slips=50)
        cls.role_clerk.scorecard_weight_ids = weights(slips=100)
        # rep_north moved from the North region to Shanghai on 16 October
        cls.env.flush_all()
        cls.env.cr.execute("UPDATE sales_org_assignment SET date_to = '2026-10-15' WHERE user_id = %s",
                           [cls.rep_north.id])
        cls.env.cr.execute("""
            INSERT INTO sales_org_assignment (user_id, team_id, role_id, company_id, date_from)
            VALUES (%s, %s, %s, %s, '2026-10-16')
        """, [cls.rep_north.id, cls.shanghai.id, cls.role_rep.id, cls.company.id])
        cls.env.invalidate_all()

    def order(self, user, price, team, when):
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id, "user_id": user.id, "team_id": team.id, "company_id": self.company.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1, "price_unit": price,
                                           "tax_id": False})],
        })
        with freeze_time(when):
            order.action_confirm()
        return order

    def slip(self, person, points, state="approved", day=date(2026, 10, 10)):
        slip = self.env["sales.slip"].sudo().create({
            "kind": "reward" if points > 0 else "demerit", "user_id": self.manager.id, "person_id": person.id,
            "date": day, "points": points, "company_id": self.company.id,
        })
        slip.write({"state": state})
        return slip

    def october_data(self):
        # rep_shanghai: 1200 against a target of 1000, 1000 a year earlier, contacts rated 4 and 5,
        # slips +5 and -2 approved (+10 still a draft)
        self.order(self.rep_shanghai, 1200, self.shanghai, OCT_5)
        self.order(self.rep_shanghai, 1000, self.shanghai, OCT_2025)
        self.env["sales.target"].sudo().create({
            "target_type": "person", "team_id": self.shanghai.id, "user_id": self.rep_shanghai.id,
            "metric": "order_amount", "period_type": "month", "date_from": OCTOBER[0], "date_to": OCTOBER[1],
            "amount": 1000,
        })
        # a rating counts once its report is handed up
        self.env["sales.daily.report"].sudo().create({
            "user_id": self.rep_shanghai.id, "date": date(2026, 10, 12), "company_id": self.company.id,
            "state": "submitted",
            "line_ids": [Command.create({"partner_id": self.customer.id, "channel": "phone", "satisfaction": "4"}),
                         Command.create({"partner_id": self.customer.id, "channel": "visit", "satisfaction": "5"}),
                         Command.create({"partner_id": self.customer.id, "channel": "phone"})],
        })
        self.slip(self.rep_shanghai, 5)
        self.slip(self.rep_shanghai, -2)
        self.slip(self.rep_shanghai, 10, state="draft")
        # rep_north: 500 in the North before moving, 300 in Shanghai after; nothing a year earlier
        self.order(self.rep_north, 500, self.north, OCT_5)
        self.order(self.rep_north, 300, self.shanghai, OCT_20)
        # the supervisor: 500 against 1000, +10 of slips
        self.order(self.supervisor, 500, self.shanghai, OCT_5)
        self.env["sales.target"].sudo().create({
            "target_type": "person", "team_id": self.shanghai.id, "user_id": self.supervisor.id,
            "metric": "order_amount", "period_type": "month", "date_from": OCTOBER[0], "date_to": OCTOBER[1],
            "amount": 1000,
        })
        self.slip(self.supervisor, 10)

    def prepare(self, period_type="month", day=OCTOBER[1]):
        cards = self.Card.sudo()._prepare_scorecards(self.company, period_type, day)
        return {card.user_id: card.sudo(False) for card in self.Card.sudo().search([
            ("user_id", "in", self.people.ids), ("period_type", "=", period_type),
            ("date_from", "=", self.company._sales_org_period(period_type, day)[0])])}, cards

    def test_scorecard_numbers(self):
        self.october_data()
        cards, _new = self.prepare()
        # the roles with weights only: reps, the supervisor and the clerk
        self.assertEqual(set(cards), {self.rep_shanghai, self.rep_north, self.supervisor, self.clerk_east})
        rep = cards[self.rep_shanghai]
        self.assertEqual((rep.team_id, rep.region_id, rep.role_id), (self.shanghai, self.east, self.role_rep))
        self.assertEqual((rep.date_from, rep.date_to), OCTOBER)
        self.assertAlmostEqual(rep.sales_amount, 1200)
        self.assertAlmostEqual(rep.target_amount, 1000)
        self.assertAlmostEqual(rep.achievement, 120)
        self.assertAlmostEqual(rep.sales_score, 100)
        self.assertAlmostEqual(rep.last_year_amount, 1000)
        self.assertAlmostEqual(rep.growth, 20)
        self.assertAlmostEqual(rep.growth_score, 60)
        self.assertEqual(rep.satisfaction_count, 2)
        self.assertAlmostEqual(rep.satisfaction, 4.5)
        self.assertAlmostEqual(rep.satisfaction_score, 90)
        self.assertEqual(rep.slip_points, 3)
        self.assertAlmostEqual(rep.slips_score, 53)
        # teamwork not rated yet: left out, the other weights scaled up
        self.assertFalse(rep.teamwork)
        self.assertAlmostEqual(rep.score, (40 * 100 + 20 * 60 + 20 * 90 + 10 * 53) / 90, places=1)
        # the leader rates the teamwork: in the total at once
        rep.with_user(self.supervisor).write({"teamwork": "4", "teamwork_comment": "Helps the new ones"})
        self.assertAlmostEqual(rep.teamwork_score, 80)
        self.assertAlmostEqual(rep.score, (40 * 100 + 20 * 60 + 20 * 90 + 10 * 80 + 10 * 53) / 100)

        # moved mid-period: all their sales count, in the unit held on the period's last day;
        # no target and no sales a year earlier: sales and growth left out
        moved = cards[self.rep_north]
        self.assertEqual((moved.team_id, moved.region_id), (self.shanghai, self.east))
        self.assertAlmostEqual(moved.sales_amount, 800)
        self.assertFalse(moved.has_target)
        self.assertFalse(moved.has_growth)
        self.assertEqual((moved.achievement, moved.growth, moved.satisfaction_count), (0, 0, 0))
        self.assertAlmostEqual(moved.score, 50)  # slips alone: 50 + 0

        # another role, another weighting: sales 50 %, slips 50 %
        supervisor = cards[self.supervisor]
        self.assertAlmostEqual(supervisor.sales_score, 50)
        self.assertAlmostEqual(supervisor.slips_score, 60)
        self.assertAlmostEqual(supervisor.score, 55)
        self.assertAlmostEqual(cards[self.clerk_east].score, 50)

        # dense ranks; ties share one
        ranks = {person: (card.rank_unit, card.rank_region) for person, card in cards.items()}
        self.assertEqual(ranks, {
            self.rep_shanghai: (1, 1), self.supervisor: (2, 2), self.rep_north: (3, 3), self.clerk_east: (1, 3),
        })

    def test_quarter_and_year(self):
        self.october_data()
        cards, _new = self.prepare("year", date(2026, 12, 31))
        rep = cards[self.rep_shanghai]
        self.assertEqual((rep.date_from, rep.date_to), (date(2026, 1, 1), date(2026, 12, 31)))
        self.assertAlmostEqual(rep.sales_amount, 1200)
        self.assertAlmostEqual(rep.last_year_amount, 1000)
        self.assertFalse(rep.has_target)  # the October target is not the year's

    def test_cron_once_and_confirmed_kept(self):
        self.october_data()
        self.env["ir.config_parameter"].search([("key", "=like", "sales_team_org.scorecard_done.%")]).unlink()
        domain = [("user_id", "in", self.people.ids)]
        # the month closing a quarter brings the quarter's scorecards too
        with freeze_time("2026-10-01 04:00:00"):  # a Thursday, noon in Shanghai
            self.Card._cron_compute_scorecards()
        self.assertEqual(sorted(self.Card.sudo().search(domain).mapped(lambda card: (card.period_type, card.date_from))),
                         [("month", date(2026, 9, 1))] * 4 + [("quarter", date(2026, 7, 1))] * 4)
        with freeze_time("2026-11-01 02:00:00"):  # 10:00 in Shanghai, a Sunday
            self.company.resource_calendar_id = self.env["resource.calendar"].create({
                "name": "T Every Day", "tz": "Asia/Shanghai", "attendance_ids": [Command.create({
                    "name": f"Day {day}", "dayofweek": str(day), "hour_from": 8, "hour_to": 17,
                }) for day in range(7)],
            })
            self.Card._cron_compute_scorecards()
            cards = self.Card.sudo().search(domain + [("date_from", "=", OCTOBER[0])])
            self.assertEqual(set(cards.mapped("period_type")), {"month"})
            self.assertEqual(len(cards), 4)
            rep = cards.filtered(lambda card: card.user_id == self.rep_shanghai)
            self.assertAlmostEqual(rep.sales_amount, 1200)
            # a second run does nothing again
            self.order(self.rep_shanghai, 100, self.shanghai, OCT_20)
            count = self.Card.sudo().search_count([])
            self.Card._cron_compute_scorecards()
            self.assertEqual(self.Card.sudo().search_count([]), count)
            self.env.invalidate_all()
            self.assertAlmostEqual(rep.sales_amount, 1200)
        # a confirmed scorecard is never recomputed; the drafts are
        rep.with_user(self.manager).action_confirm()
        self.assertEqual((rep.state, rep.confirmed_by_id), ("confirmed", self.manager))
        supervisor = cards.filtered(lambda card: card.user_id == self.supervisor)
        self.order(self.supervisor, 500, self.shanghai, OCT_20)
        self.prepare()
        self.assertAlmostEqual(rep.sales_amount, 1200)
        self.assertAlmostEqual(supervisor.sales_amount, 1000)
        self.assertAlmostEqual(supervisor.score, 80)
        self.assertEqual(self.Card.sudo().search(domain + [("date_from", "=", OCTOBER[0])]), cards)

    def test_who_writes_what(self):
        self.october_data()
        cards, _new = self.prepare()
        rep, supervisor = cards[self.rep_shanghai], cards[self.supervisor]
        # the person reads and comments on their own draft; nothing else
        rep.with_user(self.rep_shanghai).comment = "A good month"
        self.assertEqual(rep.comment, "A good month")
        for values in ({"teamwork": "5"}, {"score": 100}, {"sales_amount": 1}, {"state": "confirmed"}):
            with self.assertRaises(AccessError):
                rep.with_user(self.rep_shanghai).write(values)
        with self.assertRaises(AccessError):
            rep.with_user(self.rep_shanghai).action_confirm()
        # a rep reads nobody else's scorecard
        with self.assertRaises(AccessError):
            rep.with_user(self.rep_north).read(["score"])
        # a leader above rates and confirms, but never comments in the person's stead
        with self.assertRaises(AccessError):
            rep.with_user(self.supervisor).comment = "Mine"
        # bad input: a rating outside its scale, nothing written
        with self.assertRaises(ValidationError):
            rep.with_user(self.supervisor).teamwork = "7"
        self.assertFalse(rep.teamwork)
        rep.with_user(self.supervisor).teamwork = "3"
        self.assertAlmostEqual(rep.teamwork_score, 60)
        rep.with_user(self.supervisor).teamwork = "0"  # the stars cleared: not rated, left out again
        self.assertFalse(rep.teamwork)
        self.assertAlmostEqual(rep.score, (40 * 100 + 20 * 60 + 20 * 90 + 10 * 53) / 90, places=1)
        rep.with_user(self.supervisor).teamwork = "3"
        # nobody rates nor confirms their own
        with self.assertRaises(AccessError):
            supervisor.with_user(self.supervisor).teamwork = "5"
        with self.assertRaises(AccessError):
            supervisor.with_user(self.supervisor).action_confirm()
        with self.assertRaises(AccessError):
            rep.with_user(self.clerk_east).action_refresh()
        supervisor.with_user(self.manager).teamwork = "5"
        self.assertTrue(rep.with_user(self.supervisor).can_review)
        self.assertFalse(supervisor.with_user(self.supervisor).can_review)
        rep.with_user(self.supervisor).action_refresh()
        rep.with_user(self.supervisor).action_confirm()
        # confirmed: locked for all
        with self.assertRaises(UserError):
            rep.with_user(self.rep_shanghai).comment = "Too late"
        with self.assertRaises(UserError):
            rep.with_user(self.manager).teamwork = "5"
        with self.assertRaises(UserError):
            rep.with_user(self.manager).action_refresh()
        # the scheduled action's work only
        with self.assertRaises(AccessError):
            self.Card.with_user(self.manager)._prepare_scorecards(self.company, "month", OCTOBER[1])
        with self.assertRaises(AccessError):
            self.Card.with_user(self.manager).create({
                "user_id": self.rep_north.id, "company_id": self.company.id, "period_type": "month",
                "date_from": date(2026, 9, 1), "date_to": date(2026, 9, 30)})
        # the leader's board: the people of their units now (rep_north's membership is still the
        # North's); My People leaves their own out
        board = self.Card.with_user(self.manager).search([("in_my_units", "=", True)])
        self.assertEqual(board.user_id, self.rep_shanghai | self.supervisor | self.clerk_east)

    def test_query_count_constant(self):
        self.env["sales.scorecard.weight"].search([]).unlink()
        role = self.env["sales.org.role"].create({
            "name": "T Counted", "code": "T-QC", "level": "member", "access_level": "own",
            "parent_id": self.role_manager.id,
            "scorecard_weight_ids": [Command.create({"criterion": c, "weight": 20})
                                     for c in ("sales", "growth", "satisfaction", "teamwork", "slips")],
        })
        people = [new_test_user(self.env, login=f"t_counted_{n}", groups="base.group_user") for n in range(6)]
        self.env["crm.team.member"].create([
            {"crm_team_id": self.shanghai.id, "user_id": person.id, "role_id": role.id} for person in people])
        self.env.flush_all()
        # two of them since the start of the year, four more since June
        self.env.cr.execute("UPDATE sales_org_assignment SET date_from = CASE WHEN user_id IN %s THEN '2026-01-01'"
                            "::date ELSE '2026-06-01'::date END WHERE role_id = %s",
                            [tuple(p.id for p in people[:2]), role.id])
        Card = self.Card.sudo()
        Card._prepare_scorecards(self.company, "month", date(2026, 1, 31))  # warm the caches
        for day, size in ((date(2026, 3, 31), 2), (date(2026, 7, 31), 6)):
            self.env.invalidate_all()
            with self.assertQueryCount(20):
                cards = Card._prepare_scorecards(self.company, "month", day)
            self.assertEqual(len(cards), size)

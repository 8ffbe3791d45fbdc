from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import SalesOrgCommon

REP_WEIGHTS = {"sales": 40, "growth": 20, "satisfaction": 20, "teamwork": 10, "slips": 10}


@tagged("post_install", "-at_install")
class TestSalesScorecardWeight(SalesOrgCommon):
    """A role's scorecard criteria are weighted, adding up to 100 %; a customer rates each call
    or visit of a daily report, and the figures source sums the ratings."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Weight = cls.env["sales.scorecard.weight"]
        cls.sales_admin = cls.env["res.users"].create({
            "name": "Sales Admin", "login": "t_sales_admin_wgt",
            "groups_id": [Command.set([cls.env.ref("sales_team.group_sale_manager").id])],
        })
        cls.customer.is_company = True

    def weigh(self, role, weights):
        role.with_user(self.sales_admin).write({"scorecard_weight_ids": [
            Command.create({"criterion": criterion, "weight": weight}) for criterion, weight in weights.items()
        ]})

    def weights_of(self, role):
        role.invalidate_recordset(["scorecard_weight_ids"])
        return {weight.criterion: weight.weight for weight in role.scorecard_weight_ids}

    # ------------------------------------------------------------------
    # Weights
    # ------------------------------------------------------------------

    def test_weights_add_up_to_100(self):
        self.weigh(self.role_rep, REP_WEIGHTS)
        self.assertEqual(self.weights_of(self.role_rep), REP_WEIGHTS)
        self.assertFalse(self.role_clerk.scorecard_weight_ids, "a role without weights has no scorecard")

        # the lines of the role's form are written one by one: only the end result counts
        sales, growth = (self.role_rep.scorecard_weight_ids.filtered(lambda w: w.criterion == criterion)
                         for criterion in ("sales", "growth"))
        self.role_rep.with_user(self.sales_admin).write({"scorecard_weight_ids": [
            Command.update(sales.id, {"weight": 30}), Command.update(growth.id, {"weight": 30}),
        ]})
        self.assertEqual(self.weights_of(self.role_rep), dict(REP_WEIGHTS, sales=30, growth=30))

        # a role may drop its scorecard altogether
        self.role_rep.with_user(self.sales_admin).scorecard_weight_ids = [Command.clear()]
        self.assertFalse(self.weights_of(self.role_rep))

    def test_role_form(self):
        """The administrator fills the role's Scorecard tab line by line, then saves once."""
        with Form(self.role_rep.with_user(self.sales_admin)) as form:
            for criterion, weight in REP_WEIGHTS.items():
                with form.scorecard_weight_ids.new() as line:
                    line.criterion = criterion
                    line.weight = weight
        self.assertEqual(self.weights_of(self.role_rep), REP_WEIGHTS)
        with Form(self.role_rep.with_user(self.sales_admin)) as form:
            for index in (0, 1):
                with form.scorecard_weight_ids.edit(index) as line:
                    line.weight = 30
        self.assertEqual(self.weights_of(self.role_rep), dict(REP_WEIGHTS, sales=30, growth=30))

    def test_weights_not_adding_up_to_100_are_refused(self):
        # (assertRaises, not assertRaisesRegex: only the former rolls back to before the write)
        with self.assertRaises(ValidationError) as refused:
            self.weigh(self.role_rep, dict(REP_WEIGHTS, sales=30))
        self.assertEqual(str(refused.exception), "The scorecard weights of Sales Rep add up to 90.0 %, not 100 %.")
        self.assertFalse(self.weights_of(self.role_rep))

        self.weigh(self.role_rep, REP_WEIGHTS)
        sales = self.role_rep.scorecard_weight_ids.filtered(lambda w: w.criterion == "sales")
        with self.assertRaises(ValidationError) as refused:
            self.role_rep.with_user(self.sales_admin).write({
                "scorecard_weight_ids": [Command.update(sales.id, {"weight": 50})]})
        self.assertIn("110.0 %", str(refused.exception))
        with self.assertRaises(ValidationError) as refused:
            self.role_rep.with_user(self.sales_admin).write({"scorecard_weight_ids": [Command.delete(sales.id)]})
        self.assertIn("60.0 %", str(refused.exception))
        self.assertEqual(self.weights_of(self.role_rep), REP_WEIGHTS)

        # written on their own, weights are checked before the transaction commits
        for change in (lambda: sales.with_user(self.sales_admin).write({"weight": 35}),
                       lambda: sales.with_user(self.sales_admin).unlink(),
                       lambda: self.Weight.with_user(self.sales_admin).create({
                           "role_id": self.role_clerk.id, "criterion": "sales", "weight": 40})):
            with self.assertRaises(ValidationError):
                change()
                self.env.cr.flush()
        self.assertEqual(self.weights_of(self.role_rep), REP_WEIGHTS)
        self.assertFalse(self.weights_of(self.role_clerk))
        # several at once, adding up again
        (sales | self.role_rep.scorecard_weight_ids.filtered(lambda w: w.criterion == "growth")).with_user(
            self.sales_admin).write({"weight": 30})
        self.env.cr.flush()
        self.assertEqual(self.weights_of(self.role_rep), dict(REP_WEIGHTS, sales=30, growth=30))

    def test_a_weight_is_a_percentage(self):
        for weight in (-10, 120):
            with self.subTest(weight=weight), self.assertRaises(ValidationError):
                self.weigh(self.role_rep, dict(REP_WEIGHTS, sales=weight, growth=60 - weight))
        self.assertFalse(self.weights_of(self.role_rep))

    @mute_logger("odoo.sql_db")
    def test_one_weight_per_criterion(self):
        with self.assertRaises(IntegrityError):
            self.role_rep.with_user(self.sales_admin).write({"scorecard_weight_ids": [
                Command.create({"criterion": "sales", "weight": 50}),
                Command.create({"criterion": "sales", "weight": 50}),
            ]})
        self.assertFalse(self.weights_of(self.role_rep))

    def test_only_the_sales_administrator_weighs(self):
        self.weigh(self.role_rep, REP_WEIGHTS)
        weights = self.role_rep.scorecard_weight_ids
        for person in (self.rep_shanghai, self.supervisor, self.director):
            with self.subTest(person=person.login):
                self.assertEqual(len(weights.with_user(person).read(["weight"])), 5)  # everybody reads them
                with self.assertRaises(AccessError):
                    weights[:2].with_user(person).write({"weight": 30})
                with self.assertRaises(AccessError):
                    self.role_clerk.with_user(person).write({"scorecard_weight_ids": [
                        Command.create({"criterion": "sales", "weight": 100})]})
        self.assertEqual(self.weights_of(self.role_rep), REP_WEIGHTS)

    def test_sums_checked_in_one_query(self):
        roles = self.env["sales.org.role"].create([
            {"name": f"T Scored {index}", "code": f"T-SCORED-{index}"} for index in range(6)])
        Weight = self.Weight.with_user(self.sales_admin)
        for size in (1, 2, 6):  # the first one warms the caches up
            with self.subTest(size=size), self.assertQueryCount(2 if size > 1 else 99):
                # one INSERT, then the sums of all their roles at once
                Weight.create([
                    {"role_id": role.id, "criterion": criterion, "weight": 50}
                    for role in roles[:size] for criterion in ("sales", "teamwork")
                ])
                self.env.cr.flush()
            roles.scorecard_weight_ids.unlink()
            self.env.cr.flush()

    # ------------------------------------------------------------------
    # Customer satisfaction
    # ------------------------------------------------------------------

    def write_report(self, person):
        return self.env["sales.daily.report"].with_user(person).create({
            "line_ids": [
                Command.create({"partner_id": self.customer.id, "channel": "phone", "subject": "Gate prices"}),
                Command.create({"partner_id": self.customer.id, "channel": "visit", "subject": "Site visit"}),
                Command.create({"partner_id": self.customer.id, "channel": "phone", "subject": "Not rated"}),
            ],
        })

    def test_the_author_rates_a_call(self):
        report = self.write_report(self.rep_shanghai)
        first, second = report.line_ids[:2]
        first.satisfaction = "4"
        second.satisfaction = "2"
        self.assertEqual(report.line_ids.mapped("satisfaction"), ["4", "2", False])
        with self.assertRaises(AccessError):
            first.with_user(self.supervisor).satisfaction = "1"  # a leader reads it, the author rates
        # the scale is the scale
        with self.assertRaises(ValueError):
            first.satisfaction = "7"
        report.action_submit()
        with self.assertRaises(UserError):
            first.satisfaction = "5"
        with self.assertRaises(AccessError):
            first.with_user(self.supervisor).satisfaction = "5"
        self.assertEqual(report.line_ids.mapped("satisfaction"), ["4", "2", False])

    def test_figures_sum_the_ratings(self):
        report = self.write_report(self.rep_shanghai)
        report.line_ids[0].satisfaction = "4"
        report.line_ids[1].satisfaction = "2"
        other = self.write_report(self.rep_north)
        other.line_ids[0].satisfaction = "5"
        report.action_submit()  # ratings count once their report is handed up: the North's is a draft
        self.env.flush_all()
        Figure = self.env["sales.org.figure"]
        groups = Figure._read_group(
            [("user_id", "in", (self.rep_shanghai | self.rep_north).ids), ("date", "=", report.date)],
            ["user_id", "date:day"], ["satisfaction_sum:sum", "satisfaction_count:sum", "call_count:sum"])
        self.assertEqual(sorted((user.login, points, ratings, calls) for user, _day, points, ratings, calls in groups), [
            ("t_rep_north", 0, 0, 2), ("t_rep_shanghai", 6, 2, 2),
        ])
        # other kinds of rows count no ratings
        self.assertFalse(Figure.search_count([("kind", "!=", "line"), ("satisfaction_count", "!=", 0)]))

import io

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SalesOrgCommon

UNIT_HEADERS = ["Unit", "Period", "Metric", "Target", "Actual", "Achievement", "Still to Do", "Status"]
PERSON_HEADERS = ["Unit", "Person"] + UNIT_HEADERS[1:]


@tagged("post_install", "-at_install")
class TestSalesTargetExport(SalesOrgCommon):
    """The screens of the targets and their XLSX: targets against actuals, per unit and person."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        today = company._sales_org_today()
        cls.month = company._sales_org_period("month", today)
        cls.year = company._sales_org_period("year", today)
        # confirmed this month, 100 untaxed each: two in Shanghai, one in the business unit above, one in the North
        orders = cls.env["sale.order"]
        for person, team in ((cls.rep_shanghai, cls.shanghai), (cls.supervisor, cls.shanghai),
                             (cls.manager, cls.east_business), (cls.rep_north, cls.north)):
            cls.orders[person].team_id = team
            orders |= cls.orders[person]
        orders.action_confirm()
        cls.east_year = cls.target(cls.east, 12000, period="year")
        cls.east_month = cls.target(cls.east, 1000)
        cls.shanghai_month = cls.target(cls.shanghai, 400)
        cls.north_month = cls.target(cls.north, 500)
        cls.rep_month = cls.target(cls.shanghai, 150, person=cls.rep_shanghai)
        cls.supervisor_calls = cls.target(cls.shanghai, 10, person=cls.supervisor, metric="call_count")
        cls.rep_north_month = cls.target(cls.north, 200, person=cls.rep_north)

    @classmethod
    def target(cls, team, amount, person=None, metric="order_amount", period="month", dates=None):
        date_from, date_to = dates or (cls.year if period == "year" else cls.month)
        return cls.env["sales.target"].sudo().create({
            "target_type": "person" if person else "unit", "team_id": team.id, "user_id": person and person.id,
            "metric": metric, "period_type": period, "date_from": date_from, "date_to": date_to, "amount": amount,
        })

    def export(self, user, **values):
        """The workbook `user` downloads, through the assistant and its attachment."""
        wizard = self.env["sales.target.export"].with_user(user).with_context(lang="en_US").create(values)
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment_id = int(action["url"].split("/")[-1].split("?")[0])
        attachment = self.env["ir.attachment"].with_user(user).browse(attachment_id)
        return attachment, openpyxl.load_workbook(io.BytesIO(attachment.raw))

    def rows(self, sheet):
        return [[cell.value for cell in row] for row in sheet.iter_rows()]

    def label(self, target):
        return target.with_context(lang="en_US").period_label

    def test_targets_against_actuals_per_unit_and_person(self):
        _attachment, book = self.export(self.director, team_ids=[Command.set(self.hq.ids)])
        self.assertEqual(book.sheetnames, ["Units", "People"])
        units, people = self.rows(book["Units"]), self.rows(book["People"])
        self.assertEqual(units[0], UNIT_HEADERS)
        self.assertEqual(people[0], PERSON_HEADERS)
        # the unit tree's order, a year before its months; a unit's actual holds the units below it
        year, month = self.label(self.east_year), self.label(self.east_month)
        self.assertEqual(units[1:], [
            ["T East", year, "Confirmed Sales", 12000, 300, 0.025, 11700, "Draft"],
            ["T East", month, "Confirmed Sales", 1000, 300, 0.3, 700, "Draft"],
            ["T Shanghai Phone", month, "Confirmed Sales", 400, 200, 0.5, 200, "Draft"],
            ["T North", month, "Confirmed Sales", 500, 100, 0.2, 400, "Draft"],
        ])
        self.assertEqual(people[1:], [
            ["T Shanghai Phone", self.rep_shanghai.name, month, "Confirmed Sales", 150, 100, 100 / 150, 50, "Draft"],
            ["T Shanghai Phone", self.supervisor.name, month, "Calls", 10, 0, 0, 10, "Draft"],
            ["T North", self.rep_north.name, month, "Confirmed Sales", 200, 100, 0.5, 100, "Draft"],
        ])
        self.assertEqual(book["Units"]["F2"].number_format, "0.0%")
        self.assertEqual(book["People"]["F3"].number_format, "#,##0")  # calls are counted, not money

    def test_selection(self):
        self.east_month.sudo().action_agree()
        _attachment, book = self.export(
            self.director, team_ids=[Command.set(self.east.ids)], period_type="month", metric="order_amount")
        self.assertEqual([row[0] for row in self.rows(book["Units"])[1:]], ["T East", "T Shanghai Phone"])
        self.assertEqual(self.rows(book["Units"])[1][-1], "Agreed")
        self.assertEqual([row[1] for row in self.rows(book["People"])[1:]], [self.rep_shanghai.name])
        with self.assertRaisesRegex(UserError, "No target matches"):
            self.export(self.director, team_ids=[Command.set(self.hq.ids)], date_from="2001-01-01",
                        date_to="2001-12-31")
        with self.assertRaises(ValidationError):
            self.export(self.director, date_from=self.month[1], date_to=self.month[0])

    def test_a_rep_exports_their_own_and_their_units_targets_only(self):
        for rep, unit, own in ((self.rep_shanghai, "T Shanghai Phone", self.rep_month),
                               (self.rep_north, "T North", self.rep_north_month)):
            # asking for the whole tree gives no more than the rep may read
            for values in ({}, {"team_ids": [Command.set(self.hq.ids)]}):
                _attachment, book = self.export(rep, **values)
                self.assertEqual([row[0] for row in self.rows(book["Units"])[1:]], [unit])
                self.assertEqual([row[1] for row in self.rows(book["People"])[1:]], [own.user_id.name])
        # a leader exports their units and people, not another region's
        _attachment, book = self.export(self.regional_east)
        self.assertEqual({row[0] for row in self.rows(book["Units"])[1:]}, {"T East", "T Shanghai Phone"})
        self.assertEqual({row[1] for row in self.rows(book["People"])[1:]},
                         {self.rep_shanghai.name, self.supervisor.name})

    def test_the_file_is_its_author_s(self):
        attachment, _book = self.export(self.rep_shanghai)
        self.assertEqual(attachment.mimetype, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertTrue(attachment.name.endswith(".xlsx"))
        for other in (self.rep_north, self.director):
            self.env.invalidate_all()
            with self.assertRaises(AccessError):
                attachment.with_user(other).check("read")
            with self.assertRaises(AccessError):
                attachment.with_user(other).mimetype  # noqa: B018 - what /web/content reads first
            self.assertFalse(self.env["ir.attachment"].with_user(other).search([("id", "=", attachment.id)]))

    def test_query_count_constant(self):
        dates = (self.month[0].replace(year=self.month[0].year - 3), self.month[1].replace(year=self.month[1].year - 3))
        self.target(self.east, 100, dates=dates)
        self.target(self.shanghai, 50, person=self.rep_shanghai, dates=dates)
        wizard = self.env["sales.target.export"].with_user(self.director).create({
            "date_from": dates[0], "date_to": dates[1], "team_ids": [Command.set(self.hq.ids)]})
        for size in (2, 6):
            if size == 6:
                self.target(self.north, 100, dates=dates)
                self.target(self.shanghai, 100, dates=dates)
                self.target(self.north, 80, person=self.rep_north, dates=dates)
                self.target(self.shanghai, 8, person=self.supervisor, metric="visit_count", dates=dates)
            for _warm in range(2):  # the caches of the rules and labels warm; no record in the cache
                wizard.action_export()
                self.env.invalidate_all()
            with self.assertQueryCount(13):
                wizard.action_export()
            self.assertEqual(len(wizard._targets()), size)

    def test_analysis_pivot_sums_per_unit(self):
        Analysis = self.env["sales.target.analysis"].with_user(self.director)
        groups = Analysis.read_group(
            [("team_id", "child_of", self.hq.id), ("target_type", "=", "unit"), ("period_type", "=", "month")],
            ["amount:sum", "actual:sum", "gap:sum"], ["team_id", "period_type"], lazy=False)
        self.assertEqual(
            {group["team_id"][0]: (group["amount"], group["actual"], group["gap"]) for group in groups},
            {self.east.id: (1000, 300, 700), self.shanghai.id: (400, 200, 200), self.north.id: (500, 100, 400)},
        )
        # a rep's pivot: their unit's target and their own
        groups = Analysis.with_user(self.rep_shanghai).read_group(
            [], ["amount:sum", "actual:sum"], ["team_id", "user_id"], lazy=False)
        self.assertEqual(
            {(group["team_id"][0], group["user_id"] and group["user_id"][0], group["amount"], group["actual"])
             for group in groups},
            {(self.shanghai.id, False, 400, 200), (self.shanghai.id, self.rep_shanghai.id, 150, 100)},
        )

    def test_views_load(self):
        for user in (self.rep_shanghai, self.regional_east, self.director):
            views = self.env["sales.target"].with_user(user).get_views(
                [(False, "kanban"), (False, "list"), (False, "form"), (False, "search")])
            self.assertIn("o_kanban_mobile", views["views"]["kanban"]["arch"])
            self.assertIn("progressbar", views["views"]["kanban"]["arch"])
            views = self.env["sales.target.analysis"].with_user(user).get_views(
                [(False, "pivot"), (False, "graph"), (False, "list"), (False, "search")])
            self.assertIn('name="period_type" type="col"', views["views"]["pivot"]["arch"])
        action = self.env.ref("sales_team_org.sales_target_action")
        self.assertIn("kanban", action.view_mode.split(","))  # the phone opens the cards
        with Form(self.env["sales.target.export"].with_user(self.rep_shanghai)) as wizard:
            self.assertEqual((wizard.date_from, wizard.date_to), self.year)
            wizard.metric = "call_count"
        self.assertEqual(wizard.record.create_uid, self.rep_shanghai)
        with Form(self.east_month.with_user(self.regional_east)) as target:
            self.assertEqual(target.achievement, 30)

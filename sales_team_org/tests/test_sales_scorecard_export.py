import io
from datetime import timedelta

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import SalesOrgCommon

HEADERS = [
    "Person", "Unit", "Region", "Role", "Period", "Sales", "Target", "Achievement", "Growth", "Customer Satisfaction",
    "Teamwork", "Slip Points", "Sales Score", "Growth Score", "Satisfaction Score", "Teamwork Score", "Slips Score",
    "Total Score", "Rank in Unit", "Rank in Region", "Status",
]


@tagged("post_install", "-at_install")
class TestSalesScorecardExport(SalesOrgCommon):
    """The XLSX of the scorecards: the ranking board of the scorecards the user may read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.last_month = company._sales_org_period(
            "month", company._sales_org_today().replace(day=1) - timedelta(days=1))
        cls.rep_card = cls.card(
            cls.rep_shanghai, cls.shanghai, cls.east, cls.role_rep, sales_amount=1200, target_amount=1000,
            achievement=120, last_year_amount=1000, growth=20, satisfaction=4.5, satisfaction_count=2, teamwork="4",
            slip_points=3, sales_score=100, growth_score=60, satisfaction_score=90, teamwork_score=80, slips_score=53,
            score=80.5, rank_unit=1, rank_region=1)
        cls.supervisor_card = cls.card(
            cls.supervisor, cls.shanghai, cls.east, cls.role_supervisor, sales_amount=500, target_amount=1000,
            achievement=50, slip_points=10, sales_score=50, slips_score=60, score=55, rank_unit=2, rank_region=2)
        cls.clerk_card = cls.card(cls.clerk_east, cls.east_business, cls.east, cls.role_clerk, slips_score=50,
                                  score=50, rank_unit=1, rank_region=3)
        cls.north_card = cls.card(cls.rep_north, cls.north, cls.north, cls.role_rep, sales_amount=800,
                                  slips_score=50, score=70, rank_unit=1, rank_region=1)

    @classmethod
    def card(cls, person, team, region, role, dates=None, **values):
        date_from, date_to = dates or cls.last_month
        return cls.env["sales.scorecard"].sudo().create(dict(
            values, user_id=person.id, team_id=team.id, region_id=region.id, role_id=role.id,
            company_id=cls.env.company.id, period_type="month", date_from=date_from, date_to=date_to,
        ))

    def export(self, user, context=None, **values):
        """The workbook `user` downloads, through the assistant and its attachment."""
        Export = self.env["sales.scorecard.export"].with_user(user).with_context(lang="en_US", **(context or {}))
        action = Export.create(values).action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment_id = int(action["url"].split("/")[-1].split("?")[0])
        attachment = self.env["ir.attachment"].with_user(user).browse(attachment_id)
        return attachment, openpyxl.load_workbook(io.BytesIO(attachment.raw))

    def rows(self, book):
        self.assertEqual(book.sheetnames, ["Scorecards"])
        return [[cell.value for cell in row] for row in book["Scorecards"].iter_rows()]

    def test_a_leader_exports_their_people_by_region_unit_and_rank(self):
        _attachment, book = self.export(self.manager)
        rows = self.rows(book)
        self.assertEqual(rows[0], HEADERS)
        period = self.rep_card.with_context(lang="en_US").period_label
        # not the North rep; the business unit before the group below it, then by rank in unit
        self.assertEqual(rows[1:], [
            ["T_Clerk_East", "T East Business", "T East", "Order Clerk", period, 0, None, None, None, None, None, 0,
             None, None, None, None, 50, 50, 1, 3, "To Review"],
            ["T_Rep_Shanghai", "T Shanghai Phone", "T East", "Sales Rep", period, 1200, 1000, 1.2, 0.2, 4.5, 4, 3,
             100, 60, 90, 80, 53, 80.5, 1, 1, "To Review"],
            ["T_Supervisor", "T Shanghai Phone", "T East", "Supervisor", period, 500, 1000, 0.5, None, None, None,
             10, 50, None, None, None, 60, 55, 2, 2, "To Review"],
        ])
        sheet = book["Scorecards"]
        self.assertEqual(sheet["H3"].number_format, "0.0%")
        self.assertEqual(sheet["F3"].number_format, "#,##0.00")
        # the director sees both regions, East first
        _attachment, book = self.export(self.director, team_ids=[Command.set(self.hq.ids)])
        self.assertEqual([row[0] for row in self.rows(book)[1:]],
                         ["T_Clerk_East", "T_Rep_Shanghai", "T_Supervisor", "T_Rep_North"])

    def test_a_rep_exports_their_own_only(self):
        for values in ({}, {"team_ids": [Command.set(self.hq.ids)]}):
            _attachment, book = self.export(self.rep_shanghai, **values)
            self.assertEqual([row[0] for row in self.rows(book)[1:]], ["T_Rep_Shanghai"])
        with self.assertRaisesRegex(UserError, "No scorecard"):
            self.export(self.rep_shanghai, team_ids=[Command.set(self.north.ids)])

    def test_selection(self):
        # units and below
        _attachment, book = self.export(self.director, team_ids=[Command.set(self.shanghai.ids)])
        self.assertEqual([row[0] for row in self.rows(book)[1:]], ["T_Rep_Shanghai", "T_Supervisor"])
        _attachment, book = self.export(self.director, team_ids=[Command.set(self.east.ids)])
        self.assertEqual(len(self.rows(book)), 4)
        # another period
        with self.assertRaisesRegex(UserError, "No scorecard"):
            self.export(self.director, date=self.last_month[0] - timedelta(days=1), team_ids=[Command.set(self.hq.ids)])
        # the scorecards selected in the list, still those the user may read only
        cards = self.rep_card | self.supervisor_card | self.north_card
        context = {"active_model": "sales.scorecard", "active_ids": cards.ids}
        _attachment, book = self.export(self.manager, context=context)
        self.assertEqual([row[0] for row in self.rows(book)[1:]], ["T_Rep_Shanghai", "T_Supervisor"])
        _attachment, book = self.export(self.rep_north, context=context)
        self.assertEqual([row[0] for row in self.rows(book)[1:]], ["T_Rep_North"])

    def test_the_file_is_its_author_s(self):
        attachment, _book = self.export(self.rep_shanghai)
        self.assertEqual(attachment.mimetype, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertTrue(attachment.name.endswith(".xlsx"))
        for other in (self.rep_north, self.director):
            self.env.invalidate_all()
            with self.assertRaises(AccessError):
                attachment.with_user(other).check("read")
            self.assertFalse(self.env["ir.attachment"].with_user(other).search([("id", "=", attachment.id)]))
        # nor is the assistant
        wizard = self.env["sales.scorecard.export"].with_user(self.rep_shanghai).create({})
        self.assertFalse(self.env["sales.scorecard.export"].with_user(self.rep_north).search(
            [("id", "=", wizard.id)]))

    def test_query_count_constant(self):
        first = self.last_month[0].replace(year=self.last_month[0].year - 3)
        dates = self.env.company._sales_org_period("month", first)
        people = [(self.rep_shanghai, self.shanghai, self.east), (self.supervisor, self.shanghai, self.east),
                  (self.clerk_east, self.east_business, self.east), (self.rep_north, self.north, self.north),
                  (self.manager, self.east_business, self.east), (self.regional_north, self.north, self.north)]
        wizard = self.env["sales.scorecard.export"].with_user(self.director).create({"date": first})
        for size in (2, 6):
            for person, team, region in people[len(wizard._scorecards()):size]:
                self.card(person, team, region, self.role_rep, dates=dates, score=50, rank_unit=1, rank_region=1)
            for _warm in range(2):  # the caches of the rules and labels warm; no record in the cache
                wizard.action_export()
                self.env.invalidate_all()
            with self.assertQueryCount(13):
                wizard.action_export()
            self.assertEqual(len(wizard._scorecards()), size)

    def test_views_load(self):
        with Form(self.env["sales.scorecard.export"].with_user(self.rep_shanghai)) as wizard:
            self.assertEqual(wizard.period_type, "month")
            self.assertEqual(wizard.date, self.last_month[1])
            wizard.period_type = "quarter"
        self.assertEqual(wizard.record.create_uid, self.rep_shanghai)
        action = self.env.ref("sales_team_org.sales_scorecard_export_action")
        self.assertEqual(action.binding_model_id.model, "sales.scorecard")

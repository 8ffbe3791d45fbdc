import io
from contextlib import contextmanager
from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SalesOrgCommon


@tagged("post_install", "-at_install")
class TestSalesOrgBadInput(SalesOrgCommon):
    """Bad input gets a message that says what is wrong, and changes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_admin = new_test_user(cls.env, login="t_bad_admin", groups="sales_team.group_sale_manager",
                                        name="T Bad Admin")
        cls.today = cls.env.company._sales_org_today()
        cls.report = cls.env["sales.daily.report"].with_user(cls.rep_shanghai).create({
            "date": cls.today - timedelta(days=2),
            "line_ids": [Command.create({"partner_id": cls.customer.id, "subject": "Gate prices", "duration": 1,
                                         "next_step": "Send the catalogue"})],
        })
        cls.line = cls.report.line_ids

    def count(self, model):
        return self.env[model].sudo().with_context(active_test=False).search_count([])

    @contextmanager
    def refused(self, exception, message):
        """The call is refused with `message`; what it did is rolled back, as a request is."""
        with self.assertRaises(exception) as refusal:
            yield
        self.assertIn(message, str(refusal.exception))

    # ------------------------------------------------------------------
    # Calls of a daily report
    # ------------------------------------------------------------------

    def test_a_call_lasts_between_zero_and_a_day(self):
        lines = self.count("sales.daily.report.line")
        Line = self.env["sales.daily.report.line"].with_user(self.rep_shanghai)
        for duration in (-0.5, 24.5):
            with self.subTest(duration=duration):
                with self.refused(ValidationError, "between 0 and 24 hours"):
                    Line.create({"report_id": self.report.id, "subject": "Call", "duration": duration})
                with self.refused(ValidationError, "between 0 and 24 hours"):
                    self.line.with_user(self.rep_shanghai).duration = duration
                self.assertEqual(self.count("sales.daily.report.line"), lines)
                self.line.invalidate_recordset()
                self.assertEqual(self.line.duration, 1)
        self.line.with_user(self.rep_shanghai).duration = 24  # a whole day is still a day
        self.assertEqual(self.line.duration, 24)

    def test_a_next_step_comes_after_its_call(self):
        lines = self.count("sales.daily.report.line")
        day_before = self.report.date - timedelta(days=1)
        with self.refused(ValidationError, "before the report's day"):
            self.env["sales.daily.report.line"].with_user(self.rep_shanghai).create({
                "report_id": self.report.id, "subject": "Call", "next_step_date": day_before})
        with self.refused(ValidationError, "before the report's day"):
            self.line.with_user(self.rep_shanghai).next_step_date = day_before
        self.assertEqual(self.count("sales.daily.report.line"), lines)
        self.line.invalidate_recordset()
        self.assertFalse(self.line.next_step_date)
        self.line.with_user(self.rep_shanghai).next_step_date = self.report.date  # the same day will do
        self.assertEqual(self.line.next_step_date, self.report.date)

    # ------------------------------------------------------------------
    # Daily reports
    # ------------------------------------------------------------------

    def test_a_daily_report_tells_a_day_that_has_come(self):
        reports = self.count("sales.daily.report")
        tomorrow = self.today + timedelta(days=1)
        with self.refused(ValidationError, "a day that has come"):
            self.env["sales.daily.report"].with_user(self.rep_north).create({"date": tomorrow})
        # nor by the workflow itself (sudo), nor by moving a report to a day to come
        with self.refused(ValidationError, "a day that has come"):
            self.env["sales.daily.report"].sudo().create({"user_id": self.rep_north.id, "date": tomorrow})
        with self.refused(ValidationError, "a day that has come"):
            self.report.sudo().date = tomorrow
        with self.assertRaises(AccessError):  # and the author never writes the day
            self.report.with_user(self.rep_shanghai).date = self.today
        self.assertEqual(self.count("sales.daily.report"), reports)
        self.report.invalidate_recordset()
        self.assertEqual(self.report.date, self.today - timedelta(days=2))

    # ------------------------------------------------------------------
    # Units
    # ------------------------------------------------------------------

    def test_a_unit_has_a_name(self):
        units = self.count("crm.team")
        Team = self.env["crm.team"].with_user(self.sales_admin)
        for name in ("", "   "):
            with self.subTest(name=name):
                with self.refused(ValidationError, "needs a name"):
                    Team.create({"name": name, "parent_id": self.north.id})
                with self.refused(ValidationError, "needs a name"):
                    self.shanghai.with_user(self.sales_admin).name = name
                self.assertEqual(self.count("crm.team"), units)
                self.shanghai.invalidate_recordset()
                self.assertEqual(self.shanghai.name, "T Shanghai Phone")
                self.assertEqual(self.shanghai.complete_name, "T HQ / T East / T East Business / T Shanghai Phone")

    # ------------------------------------------------------------------
    # XLSX export
    # ------------------------------------------------------------------

    def test_an_export_ends_after_it_starts(self):
        exports = self.count("sales.daily.report.export")
        Export = self.env["sales.daily.report.export"].with_user(self.rep_shanghai)
        with self.refused(ValidationError, "starts on or before its last day"):
            Export.create({"date_from": self.today, "date_to": self.today - timedelta(days=1)})
        self.assertEqual(self.count("sales.daily.report.export"), exports)
        export = Export.create({"date_from": self.today - timedelta(days=7), "date_to": self.today})
        with self.refused(ValidationError, "starts on or before its last day"):
            export.date_to = self.today - timedelta(days=8)
        export.invalidate_recordset()
        self.assertEqual((export.date_from, export.date_to), (self.today - timedelta(days=7), self.today))

    def test_an_export_that_matches_nothing_says_so(self):
        reports = self.count("sales.daily.report")
        export = self.env["sales.daily.report.export"].with_user(self.rep_shanghai).create({
            "date_from": self.today - timedelta(days=400), "date_to": self.today - timedelta(days=300)})
        with self.refused(UserError, "No daily report matches"):
            export.action_export()
        fileobj = io.BytesIO()
        with self.refused(UserError, "No daily report matches"):  # the download link too
            export._write_xlsx(fileobj)
        self.assertEqual(fileobj.getvalue(), b"", "no workbook is written")
        # reports the user may not read match nothing either
        export = self.env["sales.daily.report.export"].with_user(self.rep_north).create({
            "report_ids": [Command.set(self.report.ids)]})
        with self.refused(UserError, "No daily report matches"):
            export.action_export()
        self.assertEqual(self.count("sales.daily.report"), reports)

    # ------------------------------------------------------------------
    # Regions
    # ------------------------------------------------------------------

    def test_a_province_of_another_region_is_not_taken_from_it(self):
        shanghai, jiangsu = self.env.ref("base.state_cn_SH"), self.env.ref("base.state_cn_JS")
        for region, states in (shanghai | jiangsu).grouped("sales_region_id").items():
            if region:
                region.state_ids = [Command.unlink(state.id) for state in states]
        Region = self.env["sales.org.region"].with_user(self.sales_admin)
        east = Region.create({"name": "T East China", "code": "T-EC", "state_ids": [Command.link(shanghai.id)]})
        other = Region.create({"name": "T Coast", "code": "T-CO", "state_ids": [Command.link(jiangsu.id)]})
        regions = self.count("sales.org.region")
        message = f"{shanghai.name} belongs to the region T East China"
        for commands in ([Command.link(shanghai.id)], [Command.set((shanghai | jiangsu).ids)]):
            with self.subTest(commands=commands), self.refused(UserError, message):
                other.state_ids = commands
        with self.refused(UserError, message):
            Region.create({"name": "T Shanghai Area", "code": "T-SA", "state_ids": [Command.set(shanghai.ids)]})
        # nor taken out of it by another region
        with self.refused(UserError, f"{shanghai.name} belongs to the region T East China, not to T Coast"):
            other.state_ids = [Command.unlink(shanghai.id)]
        self.assertEqual(self.count("sales.org.region"), regions)
        self.env.invalidate_all()
        self.assertEqual(shanghai.sales_region_id, east)
        self.assertEqual(east.state_ids, shanghai)
        self.assertEqual(other.state_ids, jiangsu)
        # taken out first, it may join another region
        east.state_ids = [Command.unlink(shanghai.id)]
        other.state_ids = [Command.link(shanghai.id)]
        self.assertEqual(shanghai.sales_region_id, other)

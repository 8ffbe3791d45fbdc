from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import SalesOrgCommon


@tagged("post_install", "-at_install")
class TestSalesMarketInfo(SalesOrgCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.Info = env["sales.market.info"]
        cls.today = env.company._sales_org_today()
        cls.competitor = env["sales.competitor"].create({"name": "T Huatong", "positioning": "Cheap, via dealers"})
        cls.region_east = env["sales.org.region"].create({"name": "T East Region", "code": "T-ER"})
        cls.east.region_id = cls.region_east
        province = env["res.country.state"].create({
            "name": "T Province", "code": "T-P", "country_id": env.ref("base.cn").id})
        cls.region_province = env["sales.org.region"].create({
            "name": "T Province Region", "code": "T-PR", "state_ids": [Command.link(province.id)]})
        cls.province_customer = env["res.partner"].create({
            "name": "T Province Customer", "is_company": True, "state_id": province.id})
        cls.company_b = env["res.company"].create({"name": "T Company B"})
        cls.outsider = new_test_user(env, login="t_mi_outsider", groups="sales_team.group_sale_salesman_all_leads",
                                     company_id=cls.company_b.id, company_ids=[Command.set(cls.company_b.ids)])
        cls.sales_admin = new_test_user(env, login="t_mi_admin", groups="sales_team.group_sale_manager")

    def report(self, person, values, date=None):
        return self.Info.with_user(person).create({
            "kind": "trend", "description": "Old estates renovate their gates", "date": date or self.today, **values})

    def price(self, person, **values):
        return self.report(person, {"kind": "price", "competitor_id": self.competitor.id,
                                    "product_description": "Garage door 3m", "price": 2600, **values})

    # ------------------------------------------------------------------
    # Reporting
    # ------------------------------------------------------------------

    def test_report_from_a_call_of_the_daily_report(self):
        yesterday = self.today - timedelta(days=1)
        daily = self.env["sales.daily.report"].with_user(self.rep_shanghai).create({
            "date": yesterday,
            "line_ids": [Command.create({"partner_id": self.customer.id, "subject": "Gate prices"})]})
        line = daily.line_ids
        with Form(self.Info.with_user(self.rep_shanghai).with_context(default_daily_report_line_id=line.id)) as form:
            self.assertEqual(form.partner_id, self.customer)
            self.assertEqual(form.date, yesterday)
            self.assertEqual(form.team_id, self.shanghai)
            form.kind = "price"
            form.competitor_id = self.competitor
            form.product_description = "Garage door 3m"
            form.price = 2600
            form.description = "Huatong asks 2600 with installation"
        info = form.record
        self.assertRecordValues(info, [{
            "user_id": self.rep_shanghai.id, "daily_report_line_id": line.id, "partner_id": self.customer.id,
            "date": yesterday, "team_id": self.shanghai.id, "region_id": self.region_east.id, "state": "new",
            "company_id": self.env.company.id,
        }])
        self.assertEqual(self.competitor.with_user(self.rep_shanghai).market_info_count, 1)
        # another person's call is not theirs to log from
        count = self.Info.search_count([])
        with self.assertRaises(ValidationError):
            self.report(self.rep_north, {"daily_report_line_id": line.id})
        with self.assertRaises(AccessError):
            info.with_user(self.rep_shanghai).write({"daily_report_line_id": False})
        self.assertEqual(self.Info.search_count([]), count)

    def test_bad_input_is_refused_and_nothing_written(self):
        count = self.Info.search_count([])
        for values, error in [
            ({"date": self.today + timedelta(days=1)}, ValidationError),  # a day to come
            ({"kind": "price", "competitor_id": self.competitor.id, "product_description": "Door"}, ValidationError),
            ({"kind": "price", "competitor_id": self.competitor.id, "product_description": "Door", "price": -5},
             ValidationError),
            ({"price": -1}, ValidationError),
            ({"kind": "price", "product_description": "Door", "price": 10}, ValidationError),  # whose price?
            ({"kind": "price", "competitor_id": self.competitor.id, "price": 10}, ValidationError),  # of what?
            ({"kind": "supplier_opinion", "competitor_id": self.competitor.id}, ValidationError),  # whose?
            ({"team_id": self.north.id}, ValidationError),  # not their unit
            ({"user_id": self.rep_north.id}, AccessError),  # for someone else
            ({"state": "acknowledged"}, AccessError),
            ({"region_id": self.region_province.id}, AccessError),
            ({"company_id": self.company_b.id}, UserError),  # not their company
        ]:
            with self.subTest(values=values), self.assertRaises(error):
                self.report(self.rep_shanghai, values)
        self.assertEqual(self.Info.search_count([]), count)

    def test_region_of_the_unit_else_of_the_customer(self):
        # filed under Shanghai: the region of East, the nearest unit above with one
        self.assertEqual(self.report(self.rep_shanghai, {"partner_id": self.province_customer.id}).region_id,
                         self.region_east)
        # North has no region: the customer's province's
        north = self.report(self.rep_north, {"partner_id": self.province_customer.id})
        self.assertEqual(north.team_id, self.north)
        self.assertEqual(north.region_id, self.region_province)
        self.assertFalse(self.report(self.rep_north, {}).region_id)
        # a leader files it under a unit they lead
        self.assertEqual(self.report(self.regional_east, {"team_id": self.shanghai.id}).region_id, self.region_east)

    # ------------------------------------------------------------------
    # Acknowledgement, writes, infringements
    # ------------------------------------------------------------------

    def test_acknowledged_by_a_leader_above_and_locked(self):
        info = self.price(self.rep_shanghai)
        info.with_user(self.rep_shanghai).write({"price": 2500, "description": "2500 after bargaining"})
        with self.assertRaises(AccessError):
            info.with_user(self.rep_shanghai).action_acknowledge()  # not one's own
        with self.assertRaises(AccessError):
            info.with_user(self.clerk_east).action_acknowledge()  # a colleague, not a leader
        with self.assertRaises(AccessError):
            info.with_user(self.regional_north).action_acknowledge()  # another region
        with self.assertRaises(AccessError):
            info.with_user(self.manager).write({"price": 1})  # the author's words
        self.assertTrue(info.with_user(self.manager).can_acknowledge)
        self.assertFalse(info.with_user(self.rep_shanghai).can_acknowledge)
        info.with_user(self.manager).action_acknowledge()
        self.assertRecordValues(info, [{"state": "acknowledged", "acknowledged_by_id": self.manager.id, "price": 2500}])
        with self.assertRaises(UserError):
            info.with_user(self.rep_shanghai).write({"price": 1})
        with self.assertRaises(UserError):
            info.with_user(self.director).action_acknowledge()
        with self.assertRaises(UserError):
            info.with_user(self.rep_shanghai).unlink()
        new = self.report(self.rep_shanghai, {})
        with self.assertRaises(UserError):
            new.with_user(self.sales_admin).unlink()
        new.with_user(self.rep_shanghai).unlink()
        self.assertFalse(new.exists())

    def test_infringement_is_a_to_do_of_the_unit_leader(self):
        infringement = self.report(self.clerk_east, {
            "kind": "infringement", "product_description": "Copied swing gate", "partner_id": self.customer.id})
        activity = infringement.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager)  # the manager of the East business unit
        self.assertEqual(activity.summary, "Infringement reported")
        infringement.with_user(self.manager).action_acknowledge()
        self.assertFalse(infringement.activity_ids, "the leader's to-do is done with the acknowledgement")
        # a leader reports it: to the leader they report to
        self.assertEqual(self.report(self.manager, {"kind": "infringement"}).activity_ids.user_id,
                         self.regional_east)
        # a price turned into an infringement, likewise
        info = self.price(self.clerk_east)
        self.assertFalse(info.activity_ids)
        info.with_user(self.clerk_east).kind = "infringement"
        self.assertEqual(info.activity_ids.user_id, self.manager)
        # its author cannot take the leader's to-do away (from the review)
        with self.assertRaises(AccessError):
            info.activity_ids.with_user(self.clerk_east).unlink()
        with self.assertRaises(AccessError):
            info.activity_ids.with_user(self.clerk_east).action_feedback()
        # back and forth: one to-do while it is an infringement, none once it is not
        info.with_user(self.clerk_east).kind = "trend"
        self.assertFalse(info.activity_ids)
        info.with_user(self.clerk_east).kind = "infringement"
        info.with_user(self.clerk_east).write({"kind": "infringement", "description": "Copied again"})
        self.assertEqual(len(info.activity_ids), 1)
        # acknowledged by a leader above the one it went to: the to-do is answered all the same
        info.with_user(self.regional_east).action_acknowledge()
        self.assertFalse(info.activity_ids)
        # the leader marking the to-do done has read it: acknowledged
        other = self.report(self.clerk_east, {"kind": "infringement", "product_description": "Copied gate"})
        other.activity_ids.with_user(self.manager).action_feedback(feedback="Seen, legal informed")
        self.assertRecordValues(other, [{"state": "acknowledged", "acknowledged_by_id": self.manager.id}])

    def test_not_acknowledged_by_a_leader_below_its_author(self):
        # the regional director files it under a unit of theirs; its manager is below them (from the review)
        info = self.report(self.regional_east, {"team_id": self.east_business.id})
        with self.assertRaises(AccessError):
            info.with_user(self.manager).action_acknowledge()
        info.with_user(self.director).action_acknowledge()
        self.assertEqual(info.acknowledged_by_id, self.director)

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def test_access_per_role(self):
        rep = self.report(self.rep_shanghai, {})
        clerk = self.report(self.clerk_east, {})
        north = self.report(self.rep_north, {})
        outsider = self.Info.with_user(self.outsider).with_company(self.company_b).create(
            {"kind": "trend", "description": "B's market"})
        ours = rep | clerk | north | outsider
        for user, seen in [
            (self.rep_shanghai, rep), (self.clerk_east, clerk), (self.supervisor, rep),
            (self.manager, rep | clerk), (self.regional_east, rep | clerk), (self.regional_north, north),
            (self.director, rep | clerk | north), (self.sales_admin, rep | clerk | north), (self.outsider, outsider),
        ]:
            with self.subTest(user=user.login):
                self.assertEqual(self.Info.with_user(user).search([("id", "in", ours.ids)]), seen)
        with self.assertRaises(AccessError):
            rep.with_user(self.rep_north).read(["description"])
        with self.assertRaises(AccessError):
            rep.with_user(self.outsider).read(["description"])
        # competitors: every salesperson reads them, the leaders keep their company's, the shared are the administrator's
        shared = self.env["sales.competitor"].create({"name": "T Shared", "company_id": False})
        self.assertEqual(self.competitor.with_user(self.rep_shanghai).name, "T Huatong")
        self.assertEqual(shared.with_user(self.rep_shanghai).name, "T Shared")
        with self.assertRaises(AccessError):
            self.competitor.with_user(self.rep_shanghai).write({"strengths": "Fast"})
        with self.assertRaises(AccessError):
            self.env["sales.competitor"].with_user(self.rep_shanghai).create({"name": "T Rep's"})
        self.competitor.with_user(self.manager).write({"strengths": "Fast delivery"})
        self.env["sales.competitor"].with_user(self.manager).create({"name": "T Manager's"})
        with self.assertRaises(AccessError):
            shared.with_user(self.manager).write({"strengths": "Fast"})
        with self.assertRaises(AccessError):
            self.competitor.with_user(self.manager).write({"company_id": False})
        with self.assertRaises(AccessError):
            self.competitor.with_user(self.manager).write({"market_info_ids": [Command.clear()]})
        shared.with_user(self.sales_admin).write({"strengths": "Everywhere"})
        with self.assertRaises(AccessError):
            self.competitor.with_user(self.outsider).read(["name"])
        # a shared one is on the list once, like a company's (from the review)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.env["sales.competitor"].with_user(self.sales_admin).create({"name": "T Shared", "company_id": False})

    # ------------------------------------------------------------------
    # Feeds: the monthly summary and the weekly meeting
    # ------------------------------------------------------------------

    def summary(self, person, month):
        return self.env["sales.monthly.summary"].create(
            {"user_id": person.id, "month": month, "company_id": self.env.company.id})

    def test_monthly_summary_lists_its_units_information_of_the_month(self):
        month = self.today.replace(day=1)
        rep = self.report(self.rep_shanghai, {}, date=month)
        clerk = self.report(self.clerk_east, {}, date=self.today)
        self.report(self.rep_north, {}, date=self.today)  # another region
        self.report(self.rep_shanghai, {}, date=month - timedelta(days=1))  # last month
        summary = self.summary(self.manager, month)
        self.assertEqual(summary.with_user(self.manager).market_info_ids, clerk | rep)
        self.assertEqual(summary.with_user(self.regional_east).market_info_ids, clerk | rep)
        # the supervisor, who reads only Shanghai's, sees that of it
        self.assertEqual(summary.with_user(self.supervisor).market_info_ids, rep)
        self.assertEqual(self.summary(self.regional_north, month).with_user(self.regional_north).market_info_ids,
                         self.Info.search([("user_id", "=", self.rep_north.id)]))

    def meeting(self, team, week_start):
        start = datetime.combine(week_start, time(10)) - timedelta(hours=8)
        return self.env["sales.meeting"].create({"team_id": team.id, "start": start})

    def test_weekly_meeting_lists_last_weeks_information(self):
        monday = self.today - timedelta(days=self.today.weekday())
        meeting = self.meeting(self.east_business, monday)
        week = meeting.week_start
        last_week = self.report(self.rep_shanghai, {}, date=week - timedelta(days=7))
        sunday = self.report(self.clerk_east, {}, date=week - timedelta(days=1))
        self.report(self.clerk_east, {}, date=week)  # this week: next meeting's
        self.report(self.rep_shanghai, {}, date=week - timedelta(days=8))  # the week before
        self.report(self.rep_north, {}, date=week - timedelta(days=2))  # another unit
        self.report(self.regional_east, {"team_id": self.east.id}, date=week - timedelta(days=2))  # above it
        self.assertEqual(meeting.with_user(self.manager).market_info_ids, sunday | last_week)

    def test_feeds_in_a_constant_number_of_queries(self):
        month = self.today.replace(day=1)
        for person in (self.rep_shanghai, self.clerk_east, self.rep_north):
            self.report(person, {}, date=month)
            self.report(person, {}, date=month - timedelta(days=1))
        summaries = self.env["sales.monthly.summary"].union(*(
            self.summary(person, when) for person, when in [
                (self.manager, month), (self.regional_north, month), (self.regional_east, month),
                (self.supervisor, month), (self.manager, month - relativedelta(months=1)),
                (self.regional_north, month - relativedelta(months=1))]))
        monday = self.today - timedelta(days=self.today.weekday())
        meetings = self.env["sales.meeting"].union(*(
            self.meeting(team, monday - timedelta(days=7 * weeks))
            for team, weeks in [(self.east_business, 0), (self.north, 0), (self.shanghai, 0), (self.east, 0),
                                (self.east_business, 1), (self.north, 1)]))
        self.env.flush_all()
        for records, queries in ((summaries, SUMMARY_QUERIES), (meetings, MEETING_QUERIES)):
            # warm the caches (the reader's rules and groups) on the path measured below: records
            # read anew, not those still in the cache from their creation
            self.env.invalidate_all()
            records.with_user(self.director).mapped("market_info_ids")
            for size in (2, 6):
                self.env.invalidate_all()
                batch = records[:size].with_user(self.director)
                with self.subTest(model=records._name, size=size), self.assertQueryCount(queries):
                    batch.mapped("market_info_ids")
        self.assertEqual(len(summaries.with_user(self.director).market_info_ids), 6)


SUMMARY_QUERIES = 6
MEETING_QUERIES = 3

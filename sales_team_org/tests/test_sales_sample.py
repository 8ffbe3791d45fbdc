from contextlib import contextmanager, nullcontext
from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import SalesOrgCommon

# the cost pivot: the rules' scope, the groups and the names of their customers and units
COST_ANALYSIS_QUERIES = 16


class SampleCommon(SalesOrgCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Sample = cls.env["sales.sample"]
        cls.today = cls.env.company._sales_org_today()
        cls.product.standard_price = 30.0
        cls.customer2 = cls.env["res.partner"].create({"name": "T Customer 2", "is_company": True})

    def make_sample(self, author=None, partner=None, send=False, lines=((None, 2, 30.0),), **values):
        """A sample `author` (default the clerk) logs: lines of (product or None, quantity, unit cost)."""
        author = author or self.clerk_east
        sample = self.Sample.with_user(author).create({
            "partner_id": (partner or self.customer).id,
            "line_ids": [Command.create({
                "product_id": product.id if product else False, "description": "T Slat", "quantity": quantity,
                "unit_cost": cost,
            }) for product, quantity, cost in lines],
            **values,
        })
        if send:
            sample.action_send()
        return sample

    @contextmanager
    def refused(self, error, message=""):
        """Refused with this message, and nothing of the attempt left in the database."""
        with self.assertRaisesRegex(error, message), self.env.cr.savepoint():
            yield


@tagged("post_install", "-at_install")
class TestSalesSample(SampleCommon):
    """目录、样品的寄送与登记: a sample or catalogue logged, sent (its author has a follow-up
    activity), followed up with the customer's feedback; its items and cost frozen once sent."""

    def follow_up_activities(self, sample):
        activity_type = self.env.ref("sales_team_org.mail_activity_type_sample_follow_up")
        return sample.activity_ids.filtered(lambda activity: activity.activity_type_id == activity_type)

    def test_logged_sent_followed_up(self):
        form = Form(self.Sample.with_user(self.clerk_east))
        form.partner_id = self.customer
        with form.line_ids.new() as line:
            line.product_id = self.product
            line.quantity = 3
        sample = form.save()
        self.assertEqual(sample.state, "draft")
        self.assertTrue(sample.name.startswith("SMP/"))
        self.assertEqual(sample.user_id, self.clerk_east)
        self.assertEqual(sample.team_id, self.east_business)
        self.assertEqual(sample.date_sent, self.today)
        self.assertEqual(sample.follow_up_date, self.today + timedelta(days=7))
        self.assertEqual(sample.line_ids.unit_cost, 30.0, "the product's cost by default")
        self.assertEqual(sample.line_ids.description, self.product.display_name)
        self.assertEqual(sample.total_cost, 90.0)
        self.assertFalse(self.follow_up_activities(sample))

        sample.action_send()
        self.assertEqual(sample.state, "sent")
        activity = self.follow_up_activities(sample)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.clerk_east)
        self.assertEqual(activity.date_deadline, self.today + timedelta(days=7))
        self.assertEqual(activity.summary, "Follow up the sample")
        self.assertEqual(sample.activity_id, activity)

        with self.refused(UserError, "Write what the customer said"):
            sample.action_done()
        self.assertEqual(sample.state, "sent")
        sample.feedback = "Likes the slats, asks for a thicker one"
        sample.action_done()
        self.assertEqual(sample.state, "done")
        self.assertEqual(sample.done_date, self.today)
        self.assertFalse(self.follow_up_activities(sample), "the follow-up activity is closed")
        self.assertIn("thicker", "".join(sample.message_ids.mapped("body")), "the feedback is in the chatter")
        with self.refused(UserError, "cannot be done now"):
            sample.action_done()
        # a copy is a new sample to send: nothing of what was sent or said comes with it (from the review)
        again = sample.copy()
        self.assertRecordValues(again, [{"state": "draft", "feedback": False, "tracking_ref": False, "carrier": False,
                                         "date_sent": self.today}])

    def test_cancelled_with_its_activity(self):
        sample = self.make_sample(send=True)
        self.assertTrue(self.follow_up_activities(sample))
        sample.action_cancel()
        self.assertEqual(sample.state, "cancelled")
        self.assertFalse(self.follow_up_activities(sample))
        with self.refused(UserError):
            sample.action_send()

    def test_bad_items_refused_nothing_written(self):
        before = self.Sample.search_count([])
        with self.refused(ValidationError, "above zero"):
            self.make_sample(lines=((self.product, 0, 30.0),))
        with self.refused(ValidationError, "less than nothing"):
            self.make_sample(lines=((self.product, 1, -5.0),))
        self.assertEqual(self.Sample.search_count([]), before)
        sample = self.make_sample()
        with self.refused(ValidationError, "above zero"):
            sample.line_ids.quantity = -1
        self.assertEqual(sample.line_ids.quantity, 2)
        with self.refused(UserError, "add an item"):
            self.make_sample(lines=()).action_send()
        with self.refused(UserError, "a day still to come"):
            self.make_sample(date_sent=self.today + timedelta(days=1)).action_send()
        with self.refused(ValidationError, "comes before it was sent"):
            self.make_sample(follow_up_date=self.today - timedelta(days=1))

    def test_items_and_cost_frozen_once_sent(self):
        sample = self.make_sample(send=True)
        line = sample.line_ids
        for attempt in (
            lambda: line.write({"quantity": 5}),
            lambda: line.write({"unit_cost": 1}),
            lambda: sample.write({"line_ids": [Command.create({"description": "More", "quantity": 1})]}),
            lambda: self.env["sales.sample.line"].with_user(self.clerk_east).create(
                {"sample_id": sample.id, "description": "More", "quantity": 1}),
            lambda: line.unlink(),
            lambda: sample.write({"partner_id": self.customer2.id}),
            lambda: sample.write({"date_sent": self.today - timedelta(days=1)}),
            lambda: sample.unlink(),
        ):
            with self.refused(UserError):
                attempt()
        self.assertEqual((line.quantity, line.unit_cost, sample.total_cost), (2, 30.0, 60.0))
        self.assertEqual(len(sample.line_ids), 1)
        # the tracking number is often known after posting
        sample.write({"carrier": "SF Express", "tracking_ref": "SF123"})
        self.assertEqual(sample.tracking_ref, "SF123")

    def test_workflow_fields_not_by_hand(self):
        for values in ({"state": "done"}, {"total_cost": 1}, {"name": "MINE"}, {"done_date": self.today}):
            with self.refused(AccessError, "workflow"):
                self.make_sample(**values)
        sample = self.make_sample()
        for values in ({"state": "sent"}, {"user_id": self.rep_shanghai.id}, {"company_id": self.env.company.id},
                       {"name": "X"}, {"activity_id": False}):
            with self.refused(AccessError):
                sample.write(values)
        with self.refused(AccessError, "their own"):
            self.make_sample(user_id=self.rep_shanghai.id)
        with self.refused(ValidationError, "not a unit of"):
            self.make_sample(team_id=self.north.id)
        # a unit the author leads is fine
        self.assertEqual(self.make_sample(author=self.manager, team_id=self.shanghai.id).team_id, self.shanghai)

    def test_logged_from_a_call_of_ones_own_report(self):
        report = self.env["sales.daily.report"].with_user(self.clerk_east).create({
            "line_ids": [Command.create({"partner_id": self.customer2.id, "subject": "Wants a sample"})]})
        other = self.env["sales.daily.report"].with_user(self.rep_shanghai).create({
            "line_ids": [Command.create({"partner_id": self.customer2.id, "subject": "Wants a catalogue"})]})
        sample = self.Sample.with_user(self.clerk_east).create({"daily_report_line_id": report.line_ids.id})
        self.assertEqual(sample.partner_id, self.customer2, "the customer of the call")
        with self.refused(ValidationError, "own daily report"):
            self.Sample.with_user(self.clerk_east).create({"daily_report_line_id": other.line_ids.id})
        with self.refused(AccessError):
            sample.write({"daily_report_line_id": False})

    def test_costs_per_customer_and_unit(self):
        self.make_sample(send=True, lines=((self.product, 2, 30.0), (None, 1, 15.0)))  # 75, east business
        self.make_sample(send=True, partner=self.customer2, lines=((None, 4, 10.0),))  # 40
        done = self.make_sample(author=self.rep_shanghai, send=True, lines=((None, 1, 100.0),))  # 100, Shanghai
        done.feedback = "OK"
        done.action_done()
        self.make_sample(lines=((None, 1, 1000.0),))  # a draft: nothing sent
        self.make_sample(send=True, lines=((None, 1, 500.0),)).action_cancel()
        Line = self.env["sales.sample.line"].with_user(self.manager)
        domain = [("state", "in", ("sent", "done"))]
        by_customer = dict(Line._read_group(domain, ["partner_id"], ["subtotal:sum"]))
        self.assertEqual(by_customer, {self.customer: 175.0, self.customer2: 40.0})
        by_unit = dict(Line._read_group(domain, ["team_id"], ["subtotal:sum"]))
        self.assertEqual(by_unit, {self.east_business: 115.0, self.shanghai: 100.0})
        by_month = Line._read_group(domain, ["date:month"], ["subtotal:sum"])
        self.assertEqual([total for _month, total in by_month], [215.0])
        # the rep sees what they sent only
        mine = self.env["sales.sample.line"].with_user(self.rep_shanghai)._read_group(
            domain, ["partner_id"], ["subtotal:sum"])
        self.assertEqual(mine, [(self.customer, 100.0)])

    def test_cost_analysis_queries_do_not_grow(self):
        """The pivot of the sample costs, by customer, unit and month, as a leader: the same queries
        for 2 samples as for 6."""
        Line = self.env["sales.sample.line"].with_user(self.manager)
        domain = [("state", "in", ("sent", "done"))]
        with self.env.cr.savepoint() as savepoint:
            # a first pass warms what the registry's caches do not hold
            for size in (1, 2, 6):
                savepoint.rollback()
                for number in range(size):
                    author = (self.clerk_east, self.rep_shanghai)[number % 2]
                    partner = self.env["res.partner"].create({"name": f"T Buyer {number}"})
                    self.make_sample(author=author, partner=partner, send=True)
                self.env.flush_all()
                self.env.invalidate_all()
                self.env.registry.clear_cache()
                with self.assertQueryCount(COST_ANALYSIS_QUERIES) if size > 1 else nullcontext():
                    groups = Line._read_group(domain, ["partner_id", "team_id", "date:month"], ["subtotal:sum", "__count"])
                    names = [(partner.display_name, team.display_name) for partner, team, *_rest in groups]
                self.assertEqual(sum(count for *_rest, count in groups), size)
                self.assertEqual(len(names), size)


@tagged("post_install", "-at_install")
class TestSalesSampleAccess(SampleCommon):

    def test_who_reads_and_who_writes(self):
        sample = self.make_sample()
        readers = self.clerk_east | self.manager | self.regional_east | self.director
        for person in self.people:
            with self.subTest(person=person.name):
                self.assertEqual(bool(self.Sample.with_user(person).search([("id", "=", sample.id)])),
                                 person in readers)
                lines = self.env["sales.sample.line"].with_user(person).search([("sample_id", "=", sample.id)])
                self.assertEqual(bool(lines), person in readers)
        for leader in self.manager | self.regional_east | self.director:
            with self.subTest(leader=leader.name), self.refused(AccessError):
                sample.with_user(leader).write({"carrier": "Mine"})
            with self.subTest(leader=leader.name), self.refused(AccessError):
                sample.with_user(leader).action_send()
        with self.refused(AccessError):
            sample.with_user(self.rep_shanghai).action_send()
        self.assertEqual(sample.state, "draft")

    def test_other_company(self):
        company_b = self.env["res.company"].create({"name": "T Company B"})
        outsider = new_test_user(self.env, login="t_sample_outsider", groups="sales_team.group_sale_salesman_all_leads",
                                 company_id=company_b.id, company_ids=[Command.set(company_b.ids)])
        sample = self.make_sample(author=self.director)
        self.assertFalse(self.Sample.with_user(outsider).search([("id", "=", sample.id)]))
        with self.refused((AccessError, UserError)):
            self.Sample.with_user(self.clerk_east).create({"partner_id": self.customer.id,
                                                           "company_id": company_b.id})

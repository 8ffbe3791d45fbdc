from contextlib import contextmanager
from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SalesOrgCommon


@tagged("post_install", "-at_install")
class TestSalesSlip(SalesOrgCommon):
    """Reward and demerit slips: written by a leader above the person, approved up the
    author's reporting line (the regional director may grant 500 of a slip's amount: above,
    the director decides), read and commented on by the person."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Slip = cls.env["sales.slip"]
        cls.today = cls.env.company._sales_org_today()
        Reason = cls.env["sales.slip.reason"]
        cls.won = Reason.create({"name": "T Key account won", "kind": "reward", "points": 5, "amount": 300})
        cls.late = Reason.create({"name": "T Daily report late", "kind": "demerit", "points": -2})
        cls.env["sales.org.role.limit"].create({"role_id": cls.role_regional.id, "kind": "slip_amount", "limit": 500})

    def write_slip(self, author=None, person=None, **values):
        """A reward slip the manager writes about the rep, for the reason `won`."""
        return self.Slip.with_user(author or self.manager).create({
            "person_id": (person or self.rep_shanghai).id,
            "reason_id": self.won.id,
            "date": self.today,
            "description": "<p>Won T Customer's gates</p>",
            **values,
        })

    def submitted_slip(self, **values):
        slip = self.write_slip(**values)
        slip.with_user(self.manager).action_submit()
        return slip

    @contextmanager
    def refused(self, error, message=""):
        """Refused with this message, and nothing of the attempt left in the database."""
        with self.assertRaisesRegex(error, message), self.env.cr.savepoint():
            yield

    # ------------------------------------------------------------------
    # The flow
    # ------------------------------------------------------------------

    def test_reward_written_submitted_approved(self):
        slip = self.write_slip()
        self.assertRecordValues(slip, [{
            "kind": "reward", "user_id": self.manager.id, "person_id": self.rep_shanghai.id,
            "team_id": self.shanghai.id, "points": 5, "amount": 300.0, "state": "draft",
            "currency_id": self.env.company.currency_id.id,
        }])
        self.assertEqual(slip._approval_amount(), {slip.id: 300.0})
        slip.with_user(self.manager).action_submit()
        # the request is the author's: it waits for the first leader above the manager
        self.assertRecordValues(slip, [{"state": "submitted", "approver_id": self.regional_east.id}])
        self.assertTrue(slip.with_user(self.regional_east).can_review)
        self.assertFalse(slip.with_user(self.rep_shanghai).can_review)
        slip.with_user(self.regional_east).action_approve()
        self.assertRecordValues(slip, [{"state": "approved", "reviewer_id": self.regional_east.id}])

    def test_written_in_the_form(self):
        with Form(self.Slip.with_user(self.manager)) as form:
            self.assertEqual(form.date, self.today)
            form.kind = "demerit"
            form.person_id = self.clerk_east
            self.assertEqual(form.team_id, self.east_business)
            self.assertEqual(form.points, -1)
            form.reason_id = self.late
            self.assertEqual(form.points, -2)
            form.amount = 50
        slip = form.record
        self.assertRecordValues(slip, [{"user_id": self.manager.id, "kind": "demerit", "points": -2, "amount": 50}])
        self.assertIn(self.clerk_east.name, slip.display_name)

    def test_a_demerit_without_a_reason(self):
        slip = self.write_slip(person=self.clerk_east, kind="demerit", reason_id=False)
        self.assertRecordValues(slip, [{"points": -1, "amount": 0.0, "team_id": self.east_business.id}])
        slip.with_user(self.manager).write({"reason_id": self.late.id})
        self.assertEqual(slip.points, -2)

    def test_larger_amounts_go_higher(self):
        slip = self.submitted_slip(amount=2000)
        slip.with_user(self.regional_east).action_approve()
        self.assertRecordValues(slip, [{"state": "submitted", "approver_id": self.director.id}])
        with self.assertRaises(AccessError):
            slip.with_user(self.regional_east).action_approve()
        slip.with_user(self.director).action_approve()
        self.assertRecordValues(slip, [{"state": "approved", "reviewer_id": self.director.id}])
        self.assertEqual(slip.approval_step_ids.filtered(lambda step: step.state == "approved").decided_by_id,
                         self.regional_east | self.director)
        within = self.submitted_slip(amount=500)
        within.with_user(self.regional_east).action_approve()
        self.assertEqual(within.state, "approved", "within the regional director's limit")

    def test_returned_then_refused(self):
        slip = self.submitted_slip()
        with self.assertRaisesRegex(UserError, "Say what to fix"):
            slip.with_user(self.regional_east).action_return()
        slip.with_user(self.regional_east).review_comment = "Say which customer and when."
        slip.with_user(self.regional_east).action_return()
        self.assertEqual(slip.state, "returned")
        slip.with_user(self.manager).write({"description": "<p>Won T Customer on Monday</p>", "amount": 200})
        slip.with_user(self.manager).action_submit()
        self.assertRecordValues(slip, [{"state": "submitted", "approver_id": self.regional_east.id}])
        with self.assertRaisesRegex(UserError, "Say why"):
            slip.with_user(self.regional_east).action_refuse()
        slip.with_user(self.regional_east).review_comment = "A single order is the job, not a reward."
        slip.with_user(self.regional_east).action_refuse()
        self.assertEqual(slip.state, "refused")

    # ------------------------------------------------------------------
    # The person
    # ------------------------------------------------------------------

    def test_the_person_reads_and_comments_only(self):
        slip = self.submitted_slip()
        as_person = slip.with_user(self.rep_shanghai)
        self.assertEqual(self.Slip.with_user(self.rep_shanghai).search([]), slip)
        self.assertEqual(as_person.points, 5)
        Form(as_person)  # the form opens for them
        message = as_person.message_post(body="Thank you!", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.assertEqual(message.author_id, self.rep_shanghai.partner_id)
        for vals in ({"description": "<p>Mine</p>"}, {"points": 50}, {"review_comment": "OK"},
                     {"state": "approved"}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                as_person.write(vals)
        for action in ("action_approve", "action_submit", "action_cancel"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(as_person, action)()
        with self.assertRaises(AccessError):
            slip.with_user(self.rep_north).read(["points"])
        with self.assertRaises(AccessError):
            slip.with_user(self.clerk_east).read(["points"])
        slip.invalidate_recordset()
        self.assertRecordValues(slip, [{"state": "submitted", "points": 5}])

    def test_nobody_decides_a_slip_about_themselves(self):
        """Not even the sales administrator."""
        self.rep_shanghai.groups_id += self.env.ref("sales_team.group_sale_manager")
        slip = self.submitted_slip()
        with self.assertRaises(AccessError):
            slip.with_user(self.rep_shanghai).action_approve()
        self.assertFalse(slip.with_user(self.rep_shanghai).can_review)
        self.assertEqual(slip.state, "submitted")

    def test_the_approval_notifies_the_person(self):
        slip = self.submitted_slip()
        partner = self.rep_shanghai.partner_id
        self.assertNotIn(partner, slip.message_partner_ids)
        slip.with_user(self.regional_east).action_approve()
        message = slip.message_ids.filtered(lambda message: partner in message.partner_ids)
        self.assertEqual(len(message), 1)
        self.assertIn("approved: 5 points", message.body)
        self.assertTrue(self.env["mail.notification"].search(
            [("mail_message_id", "=", message.id), ("res_partner_id", "=", partner.id)]))
        self.assertIn(partner, slip.message_partner_ids, "they follow the slip from now on")

    # ------------------------------------------------------------------
    # Who writes a slip about whom
    # ------------------------------------------------------------------

    def test_only_a_leader_above_the_person(self):
        count = self.Slip.search_count([])
        with self.refused(ValidationError, "about themselves"):
            self.write_slip(person=self.manager)
        with self.refused(ValidationError, "is not above"):
            self.write_slip(author=self.rep_shanghai, person=self.manager)
        with self.refused(ValidationError, "is not above"):
            self.write_slip(author=self.regional_north, person=self.rep_shanghai)
        with self.refused(ValidationError, "is not above"):
            self.write_slip(author=self.clerk_east, person=self.rep_shanghai)
        with self.refused(AccessError):
            self.Slip.with_user(self.manager).create({
                "user_id": self.regional_east.id, "person_id": self.rep_shanghai.id, "reason_id": self.won.id})
        self.assertEqual(self.Slip.search_count([]), count)
        # the director and the supervisor are above the rep too
        for author in (self.director, self.supervisor):
            self.assertEqual(self.write_slip(author=author).state, "draft")
        slip = self.write_slip()
        with self.refused(ValidationError, "is not above"):
            slip.with_user(self.manager).write({"person_id": self.rep_north.id})
        with self.refused(ValidationError, "is not a unit of"):
            slip.with_user(self.manager).write({"team_id": self.north.id})
        self.assertEqual(slip.person_id, self.rep_shanghai)

    def test_bad_input_refused_nothing_written(self):
        count = self.Slip.search_count([])
        with self.refused(ValidationError, "A reward carries points above zero"):
            self.write_slip(points=-3)
        with self.refused(ValidationError, "A demerit carries points below zero"):
            self.write_slip(kind="demerit", reason_id=self.late.id, points=2)
        with self.refused(ValidationError, "An amount is zero or more"):
            self.write_slip(amount=-10)
        with self.refused(ValidationError, "a day still to come"):
            self.write_slip(date=self.today + timedelta(days=1))
        with self.refused(ValidationError, "not a reason for"):
            self.write_slip(kind="demerit", reason_id=self.won.id, points=-1)
        self.assertEqual(self.Slip.search_count([]), count)
        slip = self.write_slip().with_user(self.manager)
        for vals, message in (({"points": 0}, "above zero"), ({"amount": -1}, "zero or more"),
                              ({"date": self.today + timedelta(days=2)}, "still to come"),
                              ({"kind": "demerit"}, "not a reason for")):
            with self.subTest(vals=vals), self.refused(ValidationError, message):
                slip.write(vals)
        slip.invalidate_recordset()
        self.assertRecordValues(slip, [{"kind": "reward", "points": 5, "amount": 300.0, "date": self.today}])

    def test_fields_of_the_engine_not_by_hand(self):
        with self.assertRaises(AccessError):
            self.write_slip(state="approved")
        with self.assertRaises(AccessError):
            self.write_slip(approver_id=self.manager.id)
        slip = self.write_slip()
        for vals in ({"state": "approved"}, {"approver_id": self.manager.id}, {"reviewer_id": self.manager.id},
                     {"user_id": self.supervisor.id}, {"company_id": self.env.company.id}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                slip.with_user(self.manager).write(vals)
        # another leader above the rep reads it; its author writes it
        with self.assertRaises(AccessError):
            slip.with_user(self.supervisor).write({"points": 8})
        slip.with_user(self.manager).action_submit()
        for vals in ({"person_id": self.clerk_east.id}, {"amount": 100}, {"points": 1}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                slip.with_user(self.manager).write(vals)
        with self.assertRaises(UserError):
            slip.with_user(self.manager).unlink()
        slip.invalidate_recordset()
        self.assertRecordValues(slip, [{"person_id": self.rep_shanghai.id, "amount": 300.0, "points": 5,
                                        "state": "submitted"}])

    def test_leaders_read_the_slips_of_their_scope(self):
        slip = self.submitted_slip()
        for leader in (self.supervisor, self.manager, self.regional_east, self.director):
            with self.subTest(leader=leader.name):
                self.assertEqual(self.Slip.with_user(leader).search([("id", "=", slip.id)]), slip)
        self.assertFalse(self.Slip.with_user(self.regional_north).search([("id", "=", slip.id)]))

    def test_reason_catalogue(self):
        Reason = self.env["sales.slip.reason"]
        with self.refused(AccessError):
            Reason.with_user(self.manager).create({"name": "Mine", "kind": "reward", "points": 1})
        with self.refused(ValidationError, "A demerit carries points below zero"):
            Reason.create({"name": "Wrong", "kind": "demerit", "points": 3})
        with self.refused(ValidationError, "An amount is zero or more"):
            Reason.create({"name": "Wrong", "kind": "reward", "points": 1, "amount": -5})
        self.assertEqual(Reason.create({"name": "Late", "kind": "demerit"}).points, -1)
        self.assertEqual(Reason.with_user(self.rep_shanghai).search([("id", "=", self.won.id)]), self.won)

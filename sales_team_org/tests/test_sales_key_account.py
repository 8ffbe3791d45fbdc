from contextlib import contextmanager
from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SalesOrgCommon


@tagged("post_install", "-at_install")
class TestSalesKeyAccount(SalesOrgCommon):
    """大客户: the director marks a key account, takes it over with a reason and a date (the unit
    that manages it is kept) and hands it back; the history is dated and written by these
    actions only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._sales_org_today()
        cls.Takeover = cls.env["sales.key.account.takeover"]
        cls.customer.write({"is_company": True, "user_id": cls.rep_shanghai.id})
        cls.contact = cls.env["res.partner"].create({"name": "T Contact", "parent_id": cls.customer.id})

    @contextmanager
    def refused(self, error, message=""):
        """Refused with this message, and nothing of the attempt left in the database."""
        with self.assertRaisesRegex(error, message), self.env.cr.savepoint():
            yield

    def take_over(self, date=None, reason="T 大客户条件超出团队能力范围", team=None):
        self.customer.with_user(self.director).action_set_key_account()
        return self.Takeover.with_user(self.director)._take_over(
            self.customer, team or self.east_business, date or self.today - timedelta(days=10), reason)

    def test_mark_by_the_director_only(self):
        for person in (self.rep_shanghai, self.manager, self.regional_east):
            with self.refused(AccessError, "Only the sales director"):
                self.customer.with_user(person).action_set_key_account()
        self.assertFalse(self.customer.sales_key_account)
        # a contact marks its company
        self.contact.with_user(self.director).action_set_key_account()
        self.assertTrue(self.customer.sales_key_account)
        self.assertFalse(self.contact.sales_key_account)
        for person in (self.rep_shanghai, self.manager):
            with self.refused(AccessError):
                self.customer.with_user(person).action_unset_key_account()
            # nor by hand
            with self.refused(AccessError):
                self.customer.with_user(person).write({"sales_key_account": False})
        self.customer.with_user(self.director).action_unset_key_account()
        self.assertFalse(self.customer.sales_key_account)

    def test_takeover_of_a_customer_not_key_account_refused(self):
        with self.refused(UserError, "is not a key account"):
            self.Takeover.with_user(self.director)._take_over(
                self.customer, self.east_business, self.today, "T reason")
        self.assertFalse(self.Takeover.search([("partner_id", "=", self.customer.id)]))

    def test_takeover_and_hand_back(self):
        start = self.today - timedelta(days=10)
        takeover = self.take_over(date=start)
        self.assertRecordValues(takeover, [{
            "partner_id": self.customer.id, "director_id": self.director.id, "team_id": self.east_business.id,
            "company_id": self.env.company.id, "date_from": start, "date_to": False,
            "reason": "T 大客户条件超出团队能力范围",
        }])
        self.assertEqual(self.customer.sales_key_account_takeover_id, takeover)
        self.assertEqual(self.contact.sales_key_account_takeover_id, takeover)
        # still theirs while taken over
        with self.refused(UserError, "hand it back first"):
            self.customer.with_user(self.director).action_unset_key_account()
        self.assertTrue(self.customer.sales_key_account)
        # a hand-back: on or before the takeover's day, ahead, or without reason is refused
        for date, reason, message in [
            (start, "T back", "comes after the takeover"),
            (self.today + timedelta(days=1), "T back", "not ahead"),
            (self.today, " ", "Say why"),
        ]:
            with self.refused(UserError, message):
                takeover.with_user(self.director)._hand_back(date, reason)
        self.assertFalse(takeover.date_to)
        with self.refused(AccessError, "Only the sales director"):
            takeover.with_user(self.manager)._hand_back(self.today, "T back")
        takeover.with_user(self.director)._hand_back(self.today, "T 谈判结束，交回团队")
        self.assertRecordValues(takeover, [{
            "date_to": self.today - timedelta(days=1), "handback_reason": "T 谈判结束，交回团队",
        }])
        self.customer.invalidate_recordset(["sales_key_account_takeover_id"])
        self.assertFalse(self.customer.sales_key_account_takeover_id)
        self.assertEqual(self.customer.sales_key_account_takeover_ids, takeover)
        with self.refused(UserError, "already handed back"):
            takeover.with_user(self.director)._hand_back(self.today, "T again")
        # the history is dated: a takeover over days already covered is refused
        with self.refused((UserError, ValidationError), "already taken over on these days"):
            self.Takeover.with_user(self.director)._take_over(
                self.customer, self.east_business, start + timedelta(days=2), "T again")
        again = self.Takeover.with_user(self.director)._take_over(
            self.customer, self.east_business, self.today, "T again")
        self.assertEqual(self.customer.sales_key_account_takeover_ids, again | takeover)

    def test_takeover_bad_input_refused(self):
        self.customer.with_user(self.director).action_set_key_account()
        for date, reason, error, message in [
            (self.today + timedelta(days=1), "T reason", UserError, "not ahead"),
            (self.today, "", UserError, "Say why"),
        ]:
            with self.refused(error, message):
                self.Takeover.with_user(self.director)._take_over(self.customer, self.east_business, date, reason)
        for person in (self.rep_shanghai, self.manager):
            with self.refused(AccessError, "Only the sales director"):
                self.Takeover.with_user(person)._take_over(self.customer, self.east_business, self.today, "T")
        self.assertFalse(self.Takeover.search([("partner_id", "=", self.customer.id)]))
        takeover = self.take_over()
        # while it is taken over: a clear message, not the database's unique index
        with self.refused((UserError, ValidationError), "already taken over on these days"):
            self.Takeover.with_user(self.director)._take_over(self.customer, self.north, self.today, "T twice")
        self.assertEqual(self.customer.sales_key_account_takeover_ids, takeover)

    def test_takeover_written_by_its_actions_only(self):
        takeover = self.take_over()
        values = {"partner_id": self.customer.id, "director_id": self.rep_shanghai.id, "team_id": self.shanghai.id,
                  "company_id": self.env.company.id, "date_from": self.today, "reason": "T mine"}
        for person in (self.rep_shanghai, self.manager, self.director):
            with self.refused(AccessError):
                self.Takeover.with_user(person).create(values)
            with self.refused(AccessError):
                takeover.with_user(person).write({"director_id": person.id})
            with self.refused(AccessError):
                takeover.with_user(person).unlink()
        self.assertEqual(takeover.director_id, self.director)
        # everyone in sales reads the history
        self.assertEqual(takeover.with_user(self.rep_shanghai).reason, "T 大客户条件超出团队能力范围")

    def test_wizard_take_over_and_hand_back(self):
        self.customer.with_user(self.director).action_set_key_account()
        action = self.contact.with_user(self.director).action_take_over_key_account()
        self.assertEqual(action["context"], {"default_partner_id": self.customer.id, "default_mode": "take_over"})
        wizard = Form(self.env[action["res_model"]].with_user(self.director).with_context(**action["context"]))
        # the salesperson's unit manages it unless the director says otherwise
        self.assertEqual(wizard.team_id, self.rep_shanghai.sale_team_id)
        self.assertEqual(wizard.date, self.today)
        wizard.team_id = self.east_business
        wizard.date = self.today - timedelta(days=3)
        wizard.reason = "T 由销售总监直接参与谈判"
        wizard.save().action_confirm()
        takeover = self.customer.sales_key_account_takeover_id
        self.assertRecordValues(takeover, [{
            "director_id": self.director.id, "team_id": self.east_business.id,
            "date_from": self.today - timedelta(days=3), "reason": "T 由销售总监直接参与谈判",
        }])

        action = self.customer.with_user(self.director).action_hand_back_key_account()
        wizard = Form(self.env[action["res_model"]].with_user(self.director).with_context(**action["context"]))
        self.assertEqual(wizard.takeover_id, takeover)
        wizard.reason = "T 交回"
        wizard.save().action_confirm()
        self.assertRecordValues(takeover, [{"date_to": self.today - timedelta(days=1), "handback_reason": "T 交回"}])

    def test_wizard_refused_to_others(self):
        self.customer.with_user(self.director).action_set_key_account()
        for person in (self.rep_shanghai, self.manager):
            with self.refused(AccessError):
                self.customer.with_user(person).action_take_over_key_account()
            with self.refused(AccessError):
                self.env["sales.key.account.wizard"].with_user(person).create({
                    "partner_id": self.customer.id, "team_id": self.shanghai.id, "reason": "T mine"})

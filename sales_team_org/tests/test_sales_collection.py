from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import SalesOrgCommon

BOARD_SPEC = {
    "move_id": {"fields": {"display_name": {}}}, "partner_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}}, "team_id": {"fields": {"display_name": {}}},
    "currency_id": {"fields": {}}, "invoice_date_due": {}, "days_overdue": {}, "age_bucket": {},
    "amount_residual": {}, "amount_overdue": {}, "promised_date": {}, "promise_broken": {}, "call_count": {},
    "last_call_date": {},
}
BOARD_QUERIES = 7
GROUP_QUERIES = 4
REMINDER_QUERIES = 27
CLOSING_QUERIES = 10


@tagged("post_install", "-at_install")
class TestSalesCollection(SalesOrgCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._sales_org_today()
        cls.customer.is_company = True
        cls.north_customer = cls.env["res.partner"].create({"name": "T North Customer", "is_company": True})
        cls.billing = new_test_user(cls.env, login="t_billing", groups="account.group_account_invoice",
                                    name="T Billing")

    def invoice(self, user, team, due_days_ago, amount=1000.0, partner=None):
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": (partner or self.customer).id, "invoice_user_id": user.id,
            "team_id": team.id, "invoice_date": self.today - timedelta(days=max(due_days_ago, 0) + 30),
            "invoice_date_due": self.today - timedelta(days=due_days_ago),
            "invoice_line_ids": [Command.create({"product_id": self.product.id, "quantity": 1, "price_unit": amount,
                                                 "tax_ids": [Command.clear()]})],
        })
        move.action_post()
        return move

    def pay(self, move, amount):
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids).create(
            {"amount": amount, "payment_date": self.today})._create_payments()

    def board(self, moves, user=None):
        self.env.invalidate_all()  # the rows of an SQL view are read again
        Board = self.env["sales.collection.report"]
        if user:
            Board = Board.with_user(user)
        return Board.search([("move_id", "in", moves.ids)])

    def log_call(self, user, move, **values):
        return self.env["sales.collection.call"].with_user(user).create({"move_id": move.id, **values})

    # ------------------------------------------------------------------
    # The board
    # ------------------------------------------------------------------

    def test_board_numbers(self):
        not_due = self.invoice(self.rep_shanghai, self.shanghai, -5, 500)
        late_10 = self.invoice(self.rep_shanghai, self.shanghai, 10, 1000)
        late_45 = self.invoice(self.rep_shanghai, self.shanghai, 45, 2000)
        late_100 = self.invoice(self.rep_north, self.north, 100, 4000)
        paid = self.invoice(self.rep_north, self.north, 20, 300)
        self.pay(late_10, 400)
        self.pay(paid, 300)
        self.assertEqual(late_10.payment_state, "partial")
        self.assertEqual(late_10.amount_residual, 600)
        self.assertEqual(paid.payment_state, "paid")
        moves = not_due | late_10 | late_45 | late_100 | paid
        rows = {row.move_id: row for row in self.board(moves)}
        self.assertNotIn(paid, rows, "a paid invoice is not on the board")
        expected = {
            not_due: (500, 0, "not_due", False, 0),
            late_10: (600, 10, "1_30", True, 600),
            late_45: (2000, 45, "31_60", True, 2000),
            late_100: (4000, 100, "over_90", True, 4000),
        }
        for move, (residual, days, bucket, overdue, amount_overdue) in expected.items():
            row = rows[move]
            self.assertEqual((row.amount_residual, row.days_overdue, row.age_bucket, row.overdue, row.amount_overdue),
                             (residual, days, bucket, overdue, amount_overdue), move.name)
            self.assertEqual(row.user_id, move.invoice_user_id)
            self.assertEqual(row.team_id, move.team_id)
            self.assertEqual(row.partner_id, self.customer)
        sums = {user: (residual, overdue) for user, residual, overdue in self.env["sales.collection.report"]._read_group(
            [("move_id", "in", moves.ids)], ["user_id"], ["amount_residual:sum", "amount_overdue:sum"])}
        self.assertEqual(sums, {self.rep_shanghai: (3100, 2600), self.rep_north: (4000, 4000)})
        buckets = dict(self.env["sales.collection.report"]._read_group(
            [("move_id", "in", moves.ids)], ["age_bucket"], ["__count"]))
        self.assertEqual(buckets, {"not_due": 1, "1_30": 1, "31_60": 1, "over_90": 1})

    def test_board_access(self):
        rep_move = self.invoice(self.rep_shanghai, self.shanghai, 10)
        north_move = self.invoice(self.rep_north, self.north, 10)
        moves = rep_move | north_move
        self.assertEqual(self.board(moves, self.rep_shanghai).move_id, rep_move, "a rep sees their own invoices")
        self.assertEqual(self.board(moves, self.rep_north).move_id, north_move)
        self.assertEqual(self.board(moves, self.manager).move_id, rep_move, "a leader sees the units led and below")
        self.assertEqual(self.board(moves, self.regional_east).move_id, rep_move)
        self.assertEqual(self.board(moves, self.regional_north).move_id, north_move)
        self.assertEqual(self.board(moves, self.director).move_id, moves)
        # Odoo's own rules show a salesman their invoices only: the board is the leader's view
        self.assertFalse(self.env["account.move"].with_user(self.manager).search([("id", "=", rep_move.id)]))
        company_b = self.env["res.company"].create({"name": "T Company B"})
        outsider = new_test_user(self.env, login="t_outsider", groups="sales_team.group_sale_salesman_all_leads",
                                 company_id=company_b.id, company_ids=[Command.set(company_b.ids)])
        self.assertFalse(self.board(moves, outsider), "another company's people see none of its invoices")
        # opening the invoice from the board: Odoo's rules decide, as anywhere
        action = self.board(rep_move, self.manager).action_open_invoice()
        self.assertEqual((action["res_model"], action["res_id"]), ("account.move", rep_move.id))
        with self.assertRaises(AccessError):
            self.board(rep_move).with_user(self.rep_north).action_open_invoice()

    # ------------------------------------------------------------------
    # Calls and promises
    # ------------------------------------------------------------------

    def test_call_with_promise_updates_the_invoice(self):
        move = self.invoice(self.rep_shanghai, self.shanghai, 10, 1000)
        self.pay(move, 400)
        promised = self.today + timedelta(days=3)
        call = self.log_call(self.rep_shanghai, move, channel="phone", result="Pays on Friday",
                             promised_date=promised, promised_amount=500)
        self.assertEqual((call.user_id, call.partner_id, call.team_id, call.salesperson_id, call.company_id),
                         (self.rep_shanghai, self.customer, self.shanghai, self.rep_shanghai, self.env.company))
        self.assertEqual((move.sales_promised_payment_date, move.sales_promised_amount, move.sales_last_collection_date),
                         (promised, 500, self.today))
        self.assertIn("Pays on Friday", move.message_ids[:1].body)
        row = self.board(move)
        self.assertEqual((row.promised_date, row.promised_amount, row.promise_broken, row.call_count,
                          row.last_call_date), (promised, 500, False, 1, self.today))
        # a promise without an amount is for everything due
        self.log_call(self.manager, move, promised_date=self.today)
        self.assertEqual((move.sales_promised_payment_date, move.sales_promised_amount), (self.today, 600))
        self.assertEqual(self.board(move).call_count, 2)

    def test_bad_promises_are_refused(self):
        move = self.invoice(self.rep_shanghai, self.shanghai, 10, 1000)
        self.pay(move, 400)
        Call = self.env["sales.collection.call"]
        cases = [
            ({"promised_date": self.today + timedelta(days=3), "promised_amount": 600.01}, ValidationError),
            ({"promised_date": self.today + timedelta(days=3), "promised_amount": -1}, ValidationError),
            ({"promised_date": self.today - timedelta(days=1)}, ValidationError),
            ({"promised_amount": 100}, ValidationError),
            ({"date": self.today + timedelta(days=1)}, ValidationError),
            ({"date": move.invoice_date - timedelta(days=1)}, ValidationError),
            ({"promised_date": self.today, "promised_residual": 1}, AccessError),
            ({"user_id": self.rep_north.id}, AccessError),
            ({"reminded": True}, AccessError),
            ({"team_id": self.north.id}, AccessError),
        ]
        for values, error in cases:
            with self.subTest(values=values), self.assertRaises(error):
                self.log_call(self.rep_shanghai, move, **values)
        self.assertFalse(Call.search([("move_id", "=", move.id)]))
        self.assertFalse(move.sales_promised_payment_date or move.sales_promised_amount
                         or move.sales_last_collection_date)
        paid = self.invoice(self.rep_shanghai, self.shanghai, 10, 100)
        self.pay(paid, 100)
        with self.assertRaises(ValidationError):
            self.log_call(self.rep_shanghai, paid, promised_date=self.today)
        draft = self.invoice(self.rep_shanghai, self.shanghai, 10, 100)
        draft.button_draft()
        with self.assertRaises(ValidationError):
            self.log_call(self.rep_shanghai, draft)

    def test_who_may_log_a_call(self):
        move = self.invoice(self.rep_shanghai, self.shanghai, 10)
        for person in (self.rep_shanghai, self.supervisor, self.clerk_east, self.manager, self.regional_east,
                       self.director):
            with self.subTest(person=person.name):
                self.assertTrue(self.log_call(person, move, result="Called"))
        for person in (self.rep_north, self.regional_north):
            with self.subTest(person=person.name), self.assertRaises(AccessError):
                self.log_call(person, move)
        self.assertEqual(len(self.env["sales.collection.call"].search([("move_id", "=", move.id)])), 6)
        # from the board: the leader's form shows the invoice Odoo's rules hide from them elsewhere
        with Form(self.env["sales.collection.call"].with_user(self.manager).with_context(
                default_move_id=move.id)) as form:
            self.assertEqual(form.partner_id, self.customer)
            self.assertEqual(form.amount_residual, 1000)
            form.result = "The customer pays on Monday"
            form.promised_date = self.today
        self.assertEqual(move.sales_promised_payment_date, self.today)
        # nothing of the invoice to who may not log a call about it, form or onchange
        spec = {"move_id": {"fields": {"display_name": {}}}, "partner_id": {"fields": {"display_name": {}}},
                "salesperson_id": {"fields": {"display_name": {}}}, "team_id": {"fields": {"display_name": {}}},
                "amount_residual": {}, "invoice_date_due": {}, "currency_id": {"fields": {}}}
        for person in (self.rep_north, self.regional_north):
            Call = self.env["sales.collection.call"].with_user(person)
            with self.subTest(person=person.name), self.assertRaises(AccessError):
                Form(Call.with_context(default_move_id=move.id))
            for names in ([], ["move_id"]):
                with self.subTest(person=person.name, names=names), self.assertRaises(AccessError):
                    Call.onchange({"move_id": move.id}, names, spec)

    def test_a_call_is_made_once_the_invoice_is_issued(self):
        move = self.invoice(self.rep_shanghai, self.shanghai, 10)
        with self.assertRaisesRegex(ValidationError, "was issued on"), self.env.cr.savepoint():
            self.log_call(self.rep_shanghai, move, date=move.invoice_date - timedelta(days=1), result="Too early")
        self.assertFalse(move.sales_collection_call_count or move.sales_last_collection_date)
        self.assertTrue(self.log_call(self.rep_shanghai, move, date=move.invoice_date, result="The day it was issued"))

    def test_a_call_is_not_duplicated(self):
        move = self.invoice(self.rep_shanghai, self.shanghai, 10)
        call = self.log_call(self.rep_shanghai, move, result="Called", promised_date=self.today)
        for record in (call, call.with_user(self.rep_shanghai)):
            with self.assertRaisesRegex(UserError, "log a new call"), self.env.cr.savepoint():
                record.copy()
        self.assertEqual(self.env["sales.collection.call"].search([("move_id", "=", move.id)]), call)

    def test_promise_fields_are_the_servers(self):
        move = self.invoice(self.rep_shanghai, self.shanghai, 10)
        for fname, value in (("sales_promised_payment_date", self.today), ("sales_promised_amount", 10),
                             ("sales_last_collection_date", self.today)):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                move.with_user(self.billing).write({fname: value})
        self.assertFalse(move.sales_promised_payment_date or move.sales_promised_amount)
        call = self.log_call(self.rep_shanghai, move, result="Called", promised_date=self.today)
        call.with_user(self.rep_shanghai).write({"result": "Called twice"})
        for user, values in ((self.rep_shanghai, {"promised_date": self.today + timedelta(days=9)}),
                             (self.rep_shanghai, {"move_id": move.id}), (self.manager, {"result": "Not theirs"})):
            with self.subTest(values=values), self.assertRaises(AccessError):
                call.with_user(user).write(values)
        self.assertEqual((call.result, call.promised_date), ("Called twice", self.today))
        # a call is the history of the collection: not deleted by its caller
        with self.assertRaises(AccessError):
            call.with_user(self.rep_shanghai).unlink()

    def test_call_access(self):
        move = self.invoice(self.rep_shanghai, self.shanghai, 10)
        call = self.log_call(self.manager, move, result="Called")
        Call = self.env["sales.collection.call"]
        for person, sees in ((self.rep_shanghai, True), (self.manager, True), (self.regional_east, True),
                             (self.rep_north, False), (self.regional_north, False), (self.clerk_east, False)):
            with self.subTest(person=person.name):
                self.assertEqual(bool(Call.with_user(person).search([("id", "=", call.id)])), sees)

    # ------------------------------------------------------------------
    # Broken promises
    # ------------------------------------------------------------------

    def break_promise(self, calls):
        """The promised days have passed."""
        self.env.flush_all()
        self.env.cr.execute("UPDATE sales_collection_call SET promised_date = %s WHERE id IN %s",
                            [self.today - timedelta(days=1), tuple(calls.ids)])
        self.env.cr.execute("UPDATE account_move SET sales_promised_payment_date = %s WHERE id IN %s",
                            [self.today - timedelta(days=1), tuple(calls.move_id.ids)])
        self.env.invalidate_all()

    def broken_promise_activities(self, moves):
        return self.env["mail.activity"].search([
            ("res_model", "=", "account.move"), ("res_id", "in", moves.ids),
            ("activity_type_id", "=", self.env.ref("sales_team_org.mail_activity_type_broken_promise").id)])

    def test_broken_promise_reminded_once(self):
        move = self.invoice(self.rep_shanghai, self.shanghai, 10, 1000)
        kept = self.invoice(self.rep_north, self.north, 10, 1000)
        call = self.log_call(self.rep_shanghai, move, promised_date=self.today, promised_amount=1000)
        kept_call = self.log_call(self.rep_north, kept, promised_date=self.today)
        self.break_promise(call | kept_call)
        self.pay(kept, 1000)  # paid as promised
        self.assertTrue(self.board(move).promise_broken)
        Call = self.env["sales.collection.call"]
        self.assertEqual(Call._remind_broken_promises(self.env.company.ids), call)
        activity = self.broken_promise_activities(move | kept)
        self.assertEqual((activity.res_id, activity.user_id, activity.summary),
                         (move.id, self.rep_shanghai, "Payment promise broken"))
        self.assertTrue(call.reminded)
        self.assertFalse(Call._remind_broken_promises(self.env.company.ids), "once per promise")
        self.assertEqual(len(self.broken_promise_activities(move | kept)), 1)
        # a new promise, broken again: reminded again (the first reminder closed by the new promise)
        new_call = self.log_call(self.rep_shanghai, move, promised_date=self.today)
        self.assertFalse(self.broken_promise_activities(move))
        self.break_promise(new_call)
        self.assertEqual(Call._remind_broken_promises(self.env.company.ids), new_call)
        self.assertEqual(len(self.broken_promise_activities(move)), 1)

    def test_a_promise_paid_on_time_is_kept(self):
        Call = self.env["sales.collection.call"]
        kept = self.invoice(self.rep_shanghai, self.shanghai, 10, 103500)
        short = self.invoice(self.rep_shanghai, self.shanghai, 10, 103500)
        calls = {move: self.log_call(self.rep_shanghai, move, promised_date=self.today + timedelta(days=3),
                                     promised_amount=50000) for move in (kept, short)}
        self.assertEqual(calls[kept].promised_residual, 103500, "what was due when promised")
        self.pay(kept, 50000)
        self.pay(short, 40000)
        self.break_promise(calls[kept] | calls[short])
        rows = {row.move_id: row for row in self.board(kept | short)}
        self.assertEqual((rows[kept].promise_broken, rows[short].promise_broken), (False, True))
        self.assertEqual(self.env["sales.collection.report"].search([
            ("move_id", "in", (kept | short).ids), ("promise_broken", "=", True)]).move_id, short)
        self.assertEqual(Call._remind_broken_promises(self.env.company.ids), calls[short])
        self.assertEqual(self.broken_promise_activities(kept | short).res_id, short.id)

    def test_broken_promise_activities_are_closed(self):
        Call = self.env["sales.collection.call"]
        renewed, paid, kept, short = (self.invoice(self.rep_shanghai, self.shanghai, 10, 1000) for _ in range(4))
        moves = renewed | paid | kept | short
        calls = Call.union(*(self.log_call(self.rep_shanghai, move, promised_date=self.today, promised_amount=500)
                             for move in moves))
        self.break_promise(calls)
        self.assertEqual(Call._remind_broken_promises(self.env.company.ids), calls)
        self.assertEqual(len(self.broken_promise_activities(moves)), 4)
        # a new promise takes over from the broken one at once
        self.log_call(self.rep_shanghai, renewed, promised_date=self.today + timedelta(days=5))
        self.assertEqual(set(self.broken_promise_activities(moves).mapped("res_id")), {paid.id, kept.id, short.id})
        # the next run: paid, or the promised amount paid late, closes them; paying less does not
        self.pay(paid, 1000)
        self.pay(kept, 500)
        self.pay(short, 100)
        self.assertFalse(Call._remind_broken_promises(self.env.company.ids))
        self.assertEqual(self.broken_promise_activities(moves).res_id, short.id)
        # the new promise marked its to-do done, saying why
        done = renewed.message_ids.filtered(lambda message: message.mail_activity_type_id == self.env.ref(
            "sales_team_org.mail_activity_type_broken_promise"))
        self.assertEqual(len(done), 1)
        self.assertIn("A new payment promise was made.", done.body)

    def test_broken_promise_without_salesperson_goes_to_the_nearest_leader(self):
        Call = self.env["sales.collection.call"]
        # the Shanghai group has no leader: its business unit's manager; nobody leads North or HQ
        move = self.invoice(self.env["res.users"], self.shanghai, 10)
        nobodys = self.invoice(self.env["res.users"], self.north, 10, partner=self.north_customer)
        self.assertFalse((move | nobodys).invoice_user_id)
        call = self.log_call(self.manager, move, promised_date=self.today)
        self.break_promise(call | self.log_call(self.director, nobodys, promised_date=self.today))
        self.assertEqual(Call._remind_broken_promises(self.env.company.ids), call)
        self.assertEqual(self.broken_promise_activities(move | nobodys).user_id, self.manager)

    def test_broken_promise_cron_at_the_company_hour(self):
        every_day = self.env["resource.calendar"].create({
            "name": "T Every Day", "tz": "Asia/Shanghai", "attendance_ids": [Command.create({
                "name": f"Day {day}", "dayofweek": str(day), "hour_from": 8, "hour_to": 17}) for day in range(7)]})
        self.env.company.resource_calendar_id = every_day
        self.today = self.env.company._sales_org_today()
        move = self.invoice(self.rep_shanghai, self.shanghai, 10)
        call = self.log_call(self.rep_shanghai, move, promised_date=self.today)
        self.break_promise(call)
        Param = self.env["ir.config_parameter"].sudo()
        Call = self.env["sales.collection.call"]
        Param.set_param("sales_team_org.collection_reminder_hour", 24)  # never reached today
        self.assertFalse(Call._cron_remind_broken_promises())
        Param.set_param("sales_team_org.collection_reminder_hour", 0)
        self.assertEqual(Call._cron_remind_broken_promises(), call)

    # ------------------------------------------------------------------
    # Query counts
    # ------------------------------------------------------------------

    def test_query_counts_do_not_grow_with_the_invoices(self):
        with self.at_company_noon():
            Board = self.env["sales.collection.report"].with_user(self.manager)
            Call = self.env["sales.collection.call"]
            # the caches a first reminder fills (the activity type, the model, the languages)
            warm = self.log_call(self.manager, self.invoice(self.rep_shanghai, self.shanghai, 5), promised_date=self.today)
            self.break_promise(warm)
            Call._remind_broken_promises(self.env.company.ids)
            for size in (2, 6):
                moves = self.env["account.move"].union(*(
                    self.invoice(person, team, 10 * number)
                    for number in range(size // 2)
                    for person, team in ((self.rep_shanghai, self.shanghai), (self.supervisor, self.shanghai))))
                calls = Call.union(*(self.log_call(self.manager, move, promised_date=self.today) for move in moves))
                domain = [("move_id", "in", moves.ids)]
                Board.web_search_read(domain, BOARD_SPEC)  # warm the caches
                Board.env.invalidate_all()
                with self.subTest(size=size), self.assertQueryCount(BOARD_QUERIES):
                    self.assertEqual(Board.web_search_read(domain, BOARD_SPEC)["length"], size)
                Board.env.invalidate_all()
                with self.subTest(size=size), self.assertQueryCount(GROUP_QUERIES):
                    Board.web_read_group(domain, ["amount_residual:sum"], ["user_id"])
                self.break_promise(calls)
                self.env.invalidate_all()
                with self.subTest(size=size), self.assertQueryCount(REMINDER_QUERIES):
                    self.assertEqual(len(Call._remind_broken_promises(self.env.company.ids)), size)
                # closing them once paid: as many queries whatever their number
                for move in moves:
                    self.pay(move, move.amount_residual)
                self.env.invalidate_all()
                with self.subTest(size=size), self.assertQueryCount(CLOSING_QUERIES):
                    self.assertFalse(Call._remind_broken_promises(self.env.company.ids))
                self.assertFalse(self.broken_promise_activities(moves))

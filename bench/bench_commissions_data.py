"""Data of the commissions' benchmark (bench_commissions.py), fed to `odoo-bin shell`.

Run once in the bench tree with BENCH_TREE set (prepare_tree), then in both copies of it,
ours and OCA's (with `sale_commission_oca` installed), with the same environment, so that
both get the same data, in SQL: BENCH_LINES confirmed
order lines (4 per order) of the first BENCH_PEOPLE bench people, all dated in the month
BENCH_MONTH (YYYY-MM-01), over customers of which one in 50 is a key account taken over by
the director, and the posted invoice of each order, dated as the order (OCA 18.0 settles
invoices only). The units get leaders (for the override). Then, where it is installed:
  - ours: a flat 2 % rule on confirmed sales, an override of three levels, the 2 ‰ fee;
  - OCA: the same 2 % as a fixed-percentage commission, the salespeople's partners as its
    agents, each order line's and invoice line's agent set.
"""
import os
import time
from datetime import date, timedelta

from odoo import SUPERUSER_ID, Command, api
from odoo.tools import SQL

LINES_PER_ORDER = 4
RATE = 2.0  # %
KEY_ACCOUNT_EVERY = 50  # one customer in 50 is a key account, taken over
BENCH_LOGINS = r"bench\_rep\_%"  # bench_access.py's people


def people(env, count):
    """The first `count` bench people (bench_access.py's: 5 regional directors, the
    unrestricted director, then the reps) with their unit."""
    env.cr.execute(SQL(
        """
        SELECT DISTINCT ON (u.id) u.id, m.crm_team_id
          FROM res_users u JOIN crm_team_member m ON m.user_id = u.id AND m.active
         WHERE u.login LIKE %s
         ORDER BY u.id, m.id
         LIMIT %s
        """,
        BENCH_LOGINS, count,
    ))
    return env.cr.fetchall()


def prepare_tree(env, year_start):
    """Once per copy: the bench's own orders out of the way, the bench people's history from the
    start of the year (bench_access.py dates it from the day it ran) and a leader for each unit:
    HQ's the unrestricted director, each region's its director, any other unit its first member."""
    env.cr.execute("""
        DELETE FROM sale_order_line WHERE order_id IN (SELECT id FROM sale_order WHERE name LIKE 'BENCH/%');
        DELETE FROM sale_order WHERE name LIKE 'BENCH/%';
    """)
    env.cr.execute(SQL(
        """
        UPDATE sales_org_assignment SET date_from = %(start)s
         WHERE date_from > %(start)s AND user_id IN (SELECT id FROM res_users WHERE login LIKE %(logins)s)
        """,
        start=year_start, logins=BENCH_LOGINS,
    ))
    env.cr.execute("""
        UPDATE crm_team t SET user_id = l.user_id
          FROM (SELECT DISTINCT ON (m.crm_team_id) m.crm_team_id, m.user_id
                  FROM crm_team_member m JOIN sales_org_role r ON r.id = m.role_id
                 WHERE m.active AND r.code LIKE 'BENCH-%'
                 ORDER BY m.crm_team_id, r.code = 'BENCH-own', m.user_id) l
         WHERE t.id = l.crm_team_id AND t.user_id IS NULL
    """)
    return env.cr.rowcount


def build_customers(env, count):
    partners = env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True).create([
        {"name": f"Bench Commission Customer {i}", "is_company": True} for i in range(count)])
    env.flush_all()
    return partners


def build_orders(env, sellers, customers, product, month, lines):
    """`lines` order lines, 4 per order, spread over the month's days, amounts in whole money
    (so that 2 % of each is exact to the cent, both sides alike)."""
    days = ((month + timedelta(days=32)).replace(day=1) - month).days
    company = env.company
    env.cr.execute(SQL(
        """
        CREATE TEMP TABLE bc_seller ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY s.user_id) - 1 AS n, s.user_id, s.team_id
          FROM unnest(%(users)s::int[], %(teams)s::int[]) AS s(user_id, team_id);
        CREATE TEMP TABLE bc_customer ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM unnest(%(customers)s::int[]) AS id;
        INSERT INTO sale_order (name, state, date_order, partner_id, partner_invoice_id, partner_shipping_id,
                                company_id, currency_id, currency_rate, user_id, team_id, amount_untaxed,
                                amount_tax, amount_total, invoice_status, create_date, write_date, create_uid,
                                write_uid)
        SELECT 'BC/' || g, 'sale', %(month)s::timestamp + (mod(g * 7919, %(days)s) || ' days')::interval
                                   + INTERVAL '12 hours',
               c.id, c.id, c.id, %(company)s, %(currency)s, 1.0, s.user_id, s.team_id, 0, 0, 0, 'invoiced',
               now(), now(), 1, 1
          FROM generate_series(0, %(orders)s - 1) g
          JOIN bc_seller s ON s.n = mod(g, %(people)s)
          JOIN bc_customer c ON c.n = mod(g * 31, %(ncustomers)s);
        INSERT INTO sale_order_line (order_id, name, sequence, product_id, product_uom, product_uom_qty, price_unit,
                                     price_subtotal, price_tax, price_total, price_reduce_taxexcl, customer_lead,
                                     state, company_id, currency_id, order_partner_id, salesman_id,
                                     qty_invoiced, qty_to_invoice, invoice_status,
                                     create_date, write_date, create_uid, write_uid)
        SELECT so.id, 'Bench Commission Gate', 10 * k, %(product)s, %(uom)s, 1, a.amount, a.amount, 0, a.amount,
               a.amount, 0, 'sale', so.company_id, so.currency_id, so.partner_id, so.user_id, 1, 0, 'invoiced',
               now(), now(), 1, 1
          FROM sale_order so CROSS JOIN generate_series(1, %(per_order)s) k
         CROSS JOIN LATERAL (SELECT (100 * (1 + mod(so.id * 7 + k * 13, 50)))::numeric AS amount) a
         WHERE starts_with(so.name, 'BC/');
        UPDATE sale_order so SET amount_untaxed = l.total, amount_total = l.total
          FROM (SELECT order_id, sum(price_subtotal) AS total FROM sale_order_line
                 WHERE order_id IN (SELECT id FROM sale_order WHERE starts_with(name, 'BC/'))
                 GROUP BY order_id) l
         WHERE l.order_id = so.id;
        """,
        users=[u for u, _t in sellers], teams=[t for _u, t in sellers], customers=customers.ids, month=month,
        days=days, company=company.id, currency=company.currency_id.id, orders=lines // LINES_PER_ORDER,
        people=len(sellers), ncustomers=len(customers), product=product.id, uom=product.uom_id.id,
        per_order=LINES_PER_ORDER,
    ))


def build_invoices(env, customers):
    """The posted invoice of each bench order, dated as the order, a product line per order line
    (linked to it) and the receivable line."""
    company = env.company
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    receivable = customers[:1].property_account_receivable_id
    env.cr.execute(SQL(
        """
        INSERT INTO account_move (name, journal_id, company_id, currency_id, state, move_type, auto_post, date,
                                  invoice_date, invoice_date_due, partner_id, commercial_partner_id,
                                  invoice_user_id, team_id, invoice_origin, payment_state, amount_untaxed,
                                  amount_tax, amount_total, amount_residual, amount_untaxed_signed,
                                  amount_total_signed, amount_residual_signed, amount_untaxed_in_currency_signed,
                                  amount_total_in_currency_signed, invoice_partner_display_name,
                                  create_date, write_date, create_uid, write_uid)
        SELECT 'BCINV/' || so.name, %(journal)s, so.company_id, so.currency_id, 'posted', 'out_invoice', 'no',
               so.date_order::date, so.date_order::date, so.date_order::date, so.partner_id, so.partner_id,
               so.user_id, so.team_id, so.name, 'not_paid', so.amount_untaxed, 0, so.amount_untaxed,
               so.amount_untaxed, so.amount_untaxed, so.amount_untaxed, so.amount_untaxed, so.amount_untaxed,
               so.amount_untaxed, 'Bench', now(), now(), 1, 1
          FROM sale_order so WHERE starts_with(so.name, 'BC/');
        ANALYZE account_move;
        CREATE TEMP TABLE bc_invoice_line ON COMMIT DROP AS
        WITH inserted AS (
            INSERT INTO account_move_line (move_id, journal_id, company_id, company_currency_id, currency_id,
                                           account_id, partner_id, product_id, product_uom_id, name, display_type,
                                           quantity, price_unit, price_subtotal, price_total, balance, debit,
                                           credit, amount_currency, amount_residual, amount_residual_currency,
                                           date, invoice_date, parent_state, move_name, sequence, reconciled,
                                           create_date, write_date, create_uid, write_uid)
            SELECT am.id, am.journal_id, am.company_id, am.currency_id, am.currency_id, %(income)s, am.partner_id,
                   sol.product_id, sol.product_uom, sol.name, 'product', 1, sol.price_subtotal, sol.price_subtotal,
                   sol.price_subtotal, -sol.price_subtotal, 0, sol.price_subtotal, -sol.price_subtotal, 0, 0,
                   am.date, am.invoice_date, 'posted', am.name, sol.sequence, FALSE, now(), now(), 1, 1
              FROM account_move am
              JOIN sale_order so ON so.name = am.invoice_origin AND starts_with(am.name, 'BCINV/')
              JOIN sale_order_line sol ON sol.order_id = so.id
             ORDER BY sol.id
            RETURNING id, move_id, sequence
        )
        SELECT * FROM inserted;
        ANALYZE bc_invoice_line;
        INSERT INTO sale_order_line_invoice_rel (invoice_line_id, order_line_id)
        SELECT il.id, sol.id
          FROM bc_invoice_line il
          JOIN account_move am ON am.id = il.move_id
          JOIN sale_order so ON so.name = am.invoice_origin
          JOIN sale_order_line sol ON sol.order_id = so.id AND sol.sequence = il.sequence;
        INSERT INTO account_move_line (move_id, journal_id, company_id, company_currency_id, currency_id, account_id,
                                       partner_id, name, display_type, quantity, price_unit, balance, debit, credit,
                                       amount_currency, amount_residual, amount_residual_currency, date,
                                       date_maturity, invoice_date, parent_state, move_name, sequence, reconciled,
                                       create_date, write_date, create_uid, write_uid)
        SELECT am.id, am.journal_id, am.company_id, am.currency_id, am.currency_id, %(receivable)s, am.partner_id,
               am.name, 'payment_term', 0, 0, am.amount_total, am.amount_total, 0, am.amount_total, am.amount_total,
               am.amount_total, am.date, am.invoice_date_due, am.invoice_date, 'posted', am.name, 100, FALSE,
               now(), now(), 1, 1
          FROM account_move am WHERE starts_with(am.name, 'BCINV/');
        """,
        journal=journal.id, income=journal.default_account_id.id, receivable=receivable.id,
    ))


def build_key_accounts(env, customers, director, month):
    """One customer in 50 is a key account, taken over by the director before the month, managed
    by the unit of the first order's seller."""
    key = customers.filtered(lambda partner: partner.id % KEY_ACCOUNT_EVERY == 0)
    env.cr.execute(SQL(
        """
        UPDATE res_partner SET sales_key_account = jsonb_build_object(%(company)s::text, TRUE)
         WHERE id = ANY(%(key)s);
        INSERT INTO sales_key_account_takeover (partner_id, director_id, team_id, company_id, date_from, reason,
                                                create_date, write_date, create_uid, write_uid)
        SELECT DISTINCT ON (so.partner_id) so.partner_id, %(director)s, so.team_id, so.company_id,
               %(month)s::date - 10, 'Bench', now(), now(), 1, 1
          FROM sale_order so
         WHERE so.partner_id = ANY(%(key)s) AND starts_with(so.name, 'BC/')
         ORDER BY so.partner_id, so.id
        """,
        key=key.ids, director=director, month=month, company=env.company.id,
    ))
    return env.cr.rowcount


def build_our_rules(env, month):
    Rule = env["sales.commission.rule"].with_context(tracking_disable=True, mail_create_nolog=True)
    return Rule.create([
        {"name": "Bench flat 2 %", "rule_type": "percent", "base": "confirmed", "rate": RATE,
         "date_from": month.replace(month=1, day=1)},
        {"name": "Bench override", "rule_type": "override", "base": "confirmed",
         "date_from": month.replace(month=1, day=1),
         "level_ids": [Command.create({"level": 1, "rate": 1.0}), Command.create({"level": 2, "rate": 0.5}),
                       Command.create({"level": 3, "rate": 0.25})]},
        {"name": "Bench key-account fee", "rule_type": "key_account_fee", "base": "confirmed", "fee_permille": 2.0,
         "date_from": month.replace(month=1, day=1)},
    ])


def build_oca(env, sellers):
    """OCA's flat rule: a fixed 2 % commission, settled monthly on invoices, the sellers' partners
    (and the director's) its agents, each order line's and each invoice line's agent set."""
    commission = env["commission"].create({
        "name": "Bench flat 2 %", "commission_type": "fixed", "fix_qty": RATE, "amount_base_type": "gross_amount",
        "settlement_type": "sale_invoice", "invoice_state": "open",
    })
    env.flush_all()
    env.cr.execute(SQL(
        """
        UPDATE res_partner p SET agent = TRUE, agent_type = 'agent', commission_id = %(commission)s,
                                 settlement = 'monthly'
          FROM res_users u WHERE u.partner_id = p.id AND u.id = ANY(%(users)s);
        UPDATE sale_order_line SET commission_free = FALSE
         WHERE order_id IN (SELECT id FROM sale_order WHERE starts_with(name, 'BC/'));
        UPDATE account_move_line SET commission_free = FALSE
         WHERE move_id IN (SELECT id FROM account_move WHERE starts_with(name, 'BCINV/'));
        INSERT INTO sale_order_line_agent (object_id, agent_id, commission_id, amount, currency_id,
                                           create_date, write_date, create_uid, write_uid)
        SELECT sol.id, u.partner_id, %(commission)s, round(sol.price_subtotal * %(rate)s / 100, 2), sol.currency_id,
               now(), now(), 1, 1
          FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id AND starts_with(so.name, 'BC/')
          JOIN res_users u ON u.id = so.user_id;
        INSERT INTO account_invoice_line_agent (object_id, agent_id, commission_id, amount, invoice_id,
                                                invoice_date, settled, company_id,
                                                create_date, write_date, create_uid, write_uid)
        SELECT aml.id, u.partner_id, %(commission)s, round(aml.price_subtotal * %(rate)s / 100, 2), am.id,
               am.invoice_date, FALSE, am.company_id, now(), now(), 1, 1
          FROM account_move_line aml
          JOIN account_move am ON am.id = aml.move_id AND starts_with(am.name, 'BCINV/')
          JOIN res_users u ON u.id = am.invoice_user_id
         WHERE aml.display_type = 'product';
        UPDATE sale_order so SET commission_total = so.amount_untaxed * %(rate)s / 100
         WHERE starts_with(so.name, 'BC/');
        UPDATE account_move am SET commission_total = am.amount_untaxed * %(rate)s / 100
         WHERE starts_with(am.name, 'BCINV/');
        """,
        commission=commission.id, users=sorted({u for u, _t in sellers}), rate=RATE,
    ))
    return commission


def main(env):
    env = api.Environment(env.cr, SUPERUSER_ID, {})
    month = date.fromisoformat(os.environ["BENCH_MONTH"])
    count, lines = int(os.environ["BENCH_PEOPLE"]), int(os.environ["BENCH_LINES"])
    start = step = time.perf_counter()

    def done(what):
        nonlocal step
        print(f"BENCH_DATA   {what} in {time.perf_counter() - step:.1f} s")
        step = time.perf_counter()

    if os.environ.get("BENCH_TREE"):
        leaders = prepare_tree(env, month.replace(month=1, day=1))
        env.cr.commit()
        done(f"the tree prepared ({leaders} unit leaders set)")
        return
    sellers = people(env, count)
    director = env["res.users"].search([("login", "=", "bench_rep_5")]).id  # bench_access.py's unrestricted
    customers = build_customers(env, max(lines // 200, 10))
    product = env["product.product"].create({"name": "Bench Commission Gate", "list_price": 1000.0})
    env.flush_all()
    done(f"{len(customers)} customers")
    build_orders(env, sellers, customers, product, month, lines)
    done(f"{lines} order lines of {len(sellers)} sellers in {month:%Y-%m}")
    build_invoices(env, customers)
    done("their invoices")
    takeovers = build_key_accounts(env, customers, director, month)
    if "sales.commission.rule" in env:
        build_our_rules(env, month)
    if "commission" in env:
        build_oca(env, sellers)
    done(f"{takeovers} key accounts taken over, the rules" + (", OCA's agents" if "commission" in env else ""))
    env.cr.execute("""
        ANALYZE sale_order; ANALYZE sale_order_line; ANALYZE account_move; ANALYZE account_move_line;
        ANALYZE res_partner; ANALYZE crm_team; ANALYZE sales_org_assignment; ANALYZE sales_key_account_takeover;
    """)
    if "commission" in env:
        env.cr.execute("ANALYZE sale_order_line_agent; ANALYZE account_invoice_line_agent")
    env.cr.commit()
    done("analysed")
    print(f"BENCH_DATA built in {time.perf_counter() - start:.0f} s")


main(env)  # noqa: F821 - `env` is given by odoo-bin shell

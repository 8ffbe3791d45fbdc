from odoo import api, fields, models
from odoo.tools import SQL


class SalesOrgAssignment(models.Model):
    """Who was in which unit, in which role, from when to when: the memberships' history.

    A membership's first period starts the day it was created; moving a person (another
    unit, another role, archiving the membership, the unit or the person) closes the open
    period the day before and opens a new one, never rewriting the past. An open period is
    thus always an active person's, in an active membership of an active unit. Figures of a past day or period are attributed with it.
    Written by the system only, set-based, whenever the tree or a membership changes.
    """

    _name = "sales.org.assignment"
    _description = "Unit and Role Assignment"
    _order = "date_from desc, id desc"
    _rec_name = "user_id"

    member_id = fields.Many2one("crm.team.member", string="Membership", readonly=True, index="btree_not_null",
                                ondelete="set null")
    user_id = fields.Many2one("res.users", string="Person", required=True, readonly=True, index=True,
                              ondelete="cascade")
    team_id = fields.Many2one("crm.team", string="Unit", required=True, readonly=True, index=True,
                              ondelete="cascade")
    role_id = fields.Many2one("sales.org.role", readonly=True, ondelete="set null")
    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", readonly=True, help="The last day in this unit and role; empty: until now.")

    def init(self):
        # one open period per membership, whatever runs at the same time
        self.env.cr.execute(SQL(
            "CREATE UNIQUE INDEX IF NOT EXISTS sales_org_assignment_open_uniq ON sales_org_assignment (member_id)"
            " WHERE date_to IS NULL AND member_id IS NOT NULL"))

    @api.model
    def _sync(self):
        """Close the open periods no membership matches any more and open one for each active
        membership without it: three statements whatever the number of people."""
        self.env["crm.team.member"].flush_model(["user_id", "crm_team_id", "role_id", "active", "create_date"])
        self.env["res.users"].flush_model(["active"])
        self.env["crm.team"].flush_model(["active", "company_id"])
        self.flush_model()
        current = SQL("""
            SELECT m.id AS member_id, m.user_id, m.crm_team_id AS team_id, m.role_id, m.create_date,
                   COALESCE(t.company_id, u.company_id) AS company_id
              FROM crm_team_member m
              JOIN crm_team t ON t.id = m.crm_team_id AND t.active
              JOIN res_users u ON u.id = m.user_id AND u.active
             WHERE m.active
        """)
        matches = SQL("""
            cur.member_id = a.member_id AND cur.user_id = a.user_id AND cur.team_id = a.team_id
            AND cur.role_id IS NOT DISTINCT FROM a.role_id
        """)
        tz = self.env["res.company"]._sql_sales_org_tz()
        # a period that would end before it began (opened today) is dropped, not closed
        self.env.cr.execute(SQL("""
            WITH cur AS (%(current)s), ctz AS (%(tz)s)
            DELETE FROM sales_org_assignment a USING ctz
             WHERE ctz.id = a.company_id AND a.date_to IS NULL AND a.date_from >= ctz.today
               AND NOT EXISTS (SELECT 1 FROM cur WHERE %(matches)s)
        """, current=current, tz=tz, matches=matches))
        self.env.cr.execute(SQL("""
            WITH cur AS (%(current)s), ctz AS (%(tz)s)
            UPDATE sales_org_assignment a SET date_to = ctz.today - 1, write_date = now() AT TIME ZONE 'UTC',
                   write_uid = %(uid)s
              FROM ctz
             WHERE ctz.id = a.company_id AND a.date_to IS NULL
               AND NOT EXISTS (SELECT 1 FROM cur WHERE %(matches)s)
        """, current=current, tz=tz, matches=matches, uid=self.env.uid))
        # a membership's first period starts the day it was created (installing on an existing
        # organisation included); a move starts today
        self.env.cr.execute(SQL("""
            WITH cur AS (%(current)s), ctz AS (%(tz)s)
            INSERT INTO sales_org_assignment (member_id, user_id, team_id, role_id, company_id, date_from,
                                              create_uid, create_date, write_uid, write_date)
            SELECT cur.member_id, cur.user_id, cur.team_id, cur.role_id, cur.company_id,
                   CASE WHEN EXISTS (SELECT 1 FROM sales_org_assignment a WHERE a.member_id = cur.member_id)
                        THEN ctz.today
                        ELSE LEAST((cur.create_date AT TIME ZONE 'UTC' AT TIME ZONE ctz.tz)::date, ctz.today) END,
                   %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM cur JOIN ctz ON ctz.id = cur.company_id
             WHERE NOT EXISTS (SELECT 1 FROM sales_org_assignment a WHERE a.date_to IS NULL AND %(matches)s)
            ON CONFLICT (member_id) WHERE date_to IS NULL AND member_id IS NOT NULL DO NOTHING
        """, current=current, tz=tz, matches=matches, uid=self.env.uid))
        self.invalidate_model()

    @api.model
    def _sql_unit_on(self, user, day):
        """SQL of the unit `user` (an SQL expression) was in on `day` (idem): their oldest
        period covering it. For figures that carry no unit of their own."""
        return SQL("""
            (SELECT a.team_id FROM sales_org_assignment a
              WHERE a.user_id = %(user)s AND a.date_from <= %(day)s AND (a.date_to IS NULL OR a.date_to >= %(day)s)
              ORDER BY a.date_from, a.id LIMIT 1)
        """, user=user, day=day)

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import SalesOrgCommon


class SalesOrgPlannedCommon(SalesOrgCommon):
    """The common tree with its headcount plan; the one gap is two levels below East:

    HQ            director 1/1
    East          regional 1/1
    East Business manager 1/1, clerk 1/1
    Shanghai      supervisor 1 of 2 planned (gap), rep 2 of 1 planned (over)
    North         regional 1/1, rep 1/1
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep_shanghai_2 = new_test_user(cls.env, login="t_rep_shanghai_2", groups="base.group_user")
        cls.env["crm.team.member"].create({
            "crm_team_id": cls.shanghai.id, "user_id": cls.rep_shanghai_2.id, "role_id": cls.role_rep.id,
        })
        cls.env["sales.org.headcount"].create([
            {"team_id": team.id, "role_id": role.id, "planned_count": planned}
            for team, role, planned in [
                (cls.hq, cls.role_director, 1),
                (cls.east, cls.role_regional, 1),
                (cls.east_business, cls.role_manager, 1),
                (cls.east_business, cls.role_clerk, 1),
                (cls.shanghai, cls.role_supervisor, 2),
                (cls.shanghai, cls.role_rep, 1),
                (cls.north, cls.role_regional, 1),
                (cls.north, cls.role_rep, 1),
            ]
        ])

    def figures(self, team):
        return (team.actual_headcount, team.planned_headcount,
                team.subtree_actual_headcount, team.subtree_planned_headcount, team.gap_unit_count)


@tagged("post_install", "-at_install")
class TestSalesOrgSubtreeHeadcount(SalesOrgPlannedCommon):

    def test_region_shows_its_subtree_and_the_gap_below(self):
        # East itself is full, and so are its totals: only the count of units with gaps tells
        self.assertEqual(self.figures(self.east), (1, 1, 6, 6, 1))
        self.assertEqual(self.figures(self.east_business), (2, 2, 5, 5, 1))
        self.assertEqual(self.figures(self.shanghai), (3, 3, 3, 3, 1))
        self.assertEqual(self.figures(self.north), (2, 2, 2, 2, 0))
        self.assertEqual(self.figures(self.hq), (1, 1, 9, 9, 1))

    def test_gaps_list_names_the_role_short_of_plan(self):
        action = self.env.ref("sales_team_org.sales_org_headcount_action_gaps")
        domain = safe_eval(action.domain, {"active_id": self.east.id})
        lines = self.env["sales.org.headcount"].search(domain + [("gap", ">", 0)])
        self.assertEqual((lines.team_id, lines.role_id, lines.gap), (self.shanghai, self.role_supervisor, 1))
        over = self.env["sales.org.headcount"].search(domain + [("gap", "<", 0)])
        self.assertEqual((over.team_id, over.role_id, over.gap), (self.shanghai, self.role_rep, -1))
        north = safe_eval(action.domain, {"active_id": self.north.id})
        self.assertFalse(self.env["sales.org.headcount"].search(north + [("gap", ">", 0)]))

    def test_figures_follow_moves_and_archived_units(self):
        # filling the seat closes the gap, everywhere above
        supervisor_2 = new_test_user(self.env, login="t_supervisor_2", groups="base.group_user")
        self.env["crm.team.member"].create({
            "crm_team_id": self.shanghai.id, "user_id": supervisor_2.id, "role_id": self.role_supervisor.id,
        })
        self.assertEqual(self.figures(self.east), (1, 1, 7, 6, 0))
        # an archived unit below counts for nothing
        self.shanghai.action_archive()
        self.assertEqual(self.figures(self.east), (1, 1, 3, 3, 0))
        self.assertEqual(self.figures(self.shanghai)[2:], (4, 3, 0))
        # archived memberships are not people in their seats
        self.env["crm.team.member"].search([("user_id", "=", self.clerk_east.id)]).action_archive()
        self.assertEqual(self.figures(self.east), (1, 1, 2, 3, 1))

    def test_active_unit_under_an_archived_one_counts_for_nothing_above_it(self):
        self.east_business.action_archive()
        self.assertTrue(self.shanghai.active)
        self.assertEqual(self.figures(self.east), (1, 1, 1, 1, 0))
        self.assertEqual(self.figures(self.hq), (1, 1, 4, 4, 0))
        # read from the archived unit itself, its subtree is still its own
        self.assertEqual(self.figures(self.east_business)[2:], (5, 5, 1))

    def test_gap_search_refuses_what_is_not_a_comparison_with_a_number(self):
        with self.assertRaises(UserError):
            self.env["sales.org.headcount"].search([("gap", "in", [1, 2])])
        with self.assertRaises(UserError):
            self.env["sales.org.headcount"].search([("gap", ">", "0; DROP TABLE crm_team")])


@tagged("post_install", "-at_install")
class TestSalesOrgSubtreeHeadcountQueries(SalesOrgPlannedCommon):
    """The org chart reads every unit's subtree figures in the same number of queries,
    whatever the size of the tree."""

    def grow_tree(self, under, units, people_per_unit):
        Team = self.env["crm.team"]
        parents = Team.create([{"name": f"Grown {under.name} {i}", "parent_id": under.id} for i in range(units)])
        children = Team.create([{"name": f"{p.name} / sub", "parent_id": p.id} for p in parents])
        teams = parents | children
        self.env["sales.org.headcount"].create([
            {"team_id": team.id, "role_id": self.role_rep.id, "planned_count": people_per_unit + 1}
            for team in teams
        ])
        reps = self.env["res.users"].create([
            {"name": f"Rep {under.id}-{i}", "login": f"t_hc_{under.id}_{i}"}
            for i in range(len(teams) * people_per_unit)
        ])
        self.env["crm.team.member"].create([
            {"crm_team_id": teams[i % len(teams)].id, "user_id": rep.id, "role_id": self.role_rep.id}
            for i, rep in enumerate(reps)
        ])
        return teams

    def read_chart_cold(self, expected_queries):
        teams = self.env["crm.team"].search([("id", "child_of", self.hq.id)])
        self.env.invalidate_all()
        with self.assertQueryCount(expected_queries):
            rows = teams.read(["subtree_planned_headcount", "subtree_actual_headcount", "gap_unit_count",
                               "staff_user_ids"])
        return {row["id"]: row for row in rows}

    def test_chart_figures_query_count(self):
        self.read_chart_cold(5)
        grown = self.grow_tree(self.shanghai, units=5, people_per_unit=2)
        rows = self.read_chart_cold(5)
        self.assertEqual(rows[self.east.id]["gap_unit_count"], 1 + len(grown))
        self.assertEqual(rows[self.east.id]["subtree_planned_headcount"], 6 + 3 * len(grown))
        self.assertEqual(rows[self.east.id]["subtree_actual_headcount"], 6 + 2 * len(grown))
        self.grow_tree(self.north, units=30, people_per_unit=3)
        self.read_chart_cold(5)


@tagged("post_install", "-at_install")
class TestSalesOrgManagerOnce(SalesOrgCommon):

    def test_chart_shows_the_manager_apart_from_the_members(self):
        self.assertIn(self.manager, self.east_business.member_ids)
        self.assertEqual(self.east_business.staff_user_ids, self.clerk_east)
        self.assertEqual(self.shanghai.staff_user_ids, self.supervisor | self.rep_shanghai)
        arch = self.env.ref("sales_team_org.crm_team_view_hierarchy").arch
        self.assertNotIn('name="member_ids"', arch)


@tagged("post_install", "-at_install")
class TestSalesOrgTransferMessage(SalesOrgCommon):
    """A move shows in the chatter of the person's membership, with the unit left and the unit joined."""

    def setUp(self):
        super().setUp()
        self.env = self.env(context=dict(self.env.context, tracking_disable=False))
        self.north.with_context(lang="en_US").name = "T North"
        self.env["res.lang"]._activate_lang("zh_CN")
        self.north.with_context(lang="zh_CN").name = "华北"
        self.east.with_context(lang="zh_CN").name = "华东"

    def membership(self, user):
        return self.env["crm.team.member"].search([("user_id", "=", user.id)])

    def test_moving_a_membership_is_tracked(self):
        member = self.membership(self.rep_north)
        # Odoo tracks no change of a record created in the same transaction, as setUpClass's are
        self.env.cr.precommit.data.pop("mail.tracking.crm.team.member", None)
        member.write({"crm_team_id": self.east.id, "role_id": self.role_clerk.id})
        self.env.flush_all()
        self.env.cr.flush()
        tracking = member.message_ids.tracking_value_ids
        unit = tracking.filtered(lambda value: value.field_id.name == "crm_team_id")
        self.assertEqual((unit.old_value_char, unit.new_value_char), ("T North", "T East"))
        role = tracking.filtered(lambda value: value.field_id.name == "role_id")
        self.assertEqual((role.old_value_char, role.new_value_char), ("Sales Rep", "Order Clerk"))

    def test_joining_another_unit_says_where_from_in_the_persons_language(self):
        self.rep_north.lang = "zh_CN"
        old = self.membership(self.rep_north)
        old_clerk = self.membership(self.clerk_east)
        new, new_clerk = self.env["crm.team.member"].with_context(lang="en_US").create([
            {"crm_team_id": self.east.id, "user_id": self.rep_north.id, "role_id": self.role_rep.id},
            {"crm_team_id": self.north.id, "user_id": self.clerk_east.id, "role_id": self.role_rep.id},
        ])
        self.assertFalse(old.active or old_clerk.active)  # stock CRM: one unit per person
        said = "".join(new.message_ids.mapped("body"))
        self.assertIn("华北", said)
        self.assertIn("华东", said)
        clerk_said = "".join(new_clerk.message_ids.mapped("body"))
        self.assertIn("T East Business (Order Clerk)", clerk_said)
        self.assertIn("T North (Sales Rep)", clerk_said)
        # the history tells the same move
        history = self.env["sales.org.assignment"].search([("user_id", "=", self.rep_north.id)])
        self.assertEqual(history.team_id, self.north | self.east)

    def test_a_first_membership_says_nothing_of_a_move(self):
        newcomer = new_test_user(self.env, login="t_newcomer", groups="base.group_user")
        member = self.env["crm.team.member"].create({
            "crm_team_id": self.east.id, "user_id": newcomer.id, "role_id": self.role_rep.id,
        })
        self.assertFalse(member.message_ids.filtered(lambda message: "Transferred" in (message.body or "")))

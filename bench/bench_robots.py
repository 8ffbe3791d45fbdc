"""Benchmark: the group robots' outbox at the scale of DESIGN.md (run after bench_access.py, same database).

Fed to `odoo-bin shell` by bench/run. Gives each of the 300 units a robot on a loopback server
playing the two apps' contracts (half DingTalk with signing, half WeCom), each answer taking
ROUND_TRIP seconds as a request to the apps would, and queues 5 messages to each (1,500). Then
measures, side by side in one run: queueing them (SQL queries, time), and posting them with
1 connection at a time and with the outbox's WORKERS robots at once (SQL queries, time, messages
a second). Everything is rolled back; nothing leaves the machine.
"""
import time

from odoo import SUPERUSER_ID, api
from odoo.addons.sales_team_org.models import sales_org_robot_message as outbox
from odoo.addons.sales_team_org.tests.robot_server import RobotServer

PER_ROBOT = 5
ROUND_TRIP = 0.02


def main(env):
    env = api.Environment(env.cr, SUPERUSER_ID, {})
    units = env["crm.team"].search([("name", "like", "Bench")])
    server = RobotServer()
    server.delay = ROUND_TRIP
    server.start()
    try:
        env.cr.execute("SAVEPOINT bench_robots")
        robots = env["sales.org.robot"].create([{
            "name": f"Bench group {unit.id}", "team_id": unit.id, "lang": "zh_CN" if index % 3 else "en_US",
            **({"kind": "dingtalk", "webhook_url": server.add_dingtalk(f"t{unit.id}", f"SEC{unit.id}"),
                "secret": f"SEC{unit.id}"} if index % 2 else
               {"kind": "wecom", "webhook_url": server.add_wecom(f"k{unit.id}")}),
        } for index, unit in enumerate(units)])
        Message = env["sales.org.robot.message"]
        body = "\n".join(f"- 第{line}位销售代表：电话 12，拜访 3，订单 ¥12,345.00" for line in range(40))
        env.flush_all()
        count, started = env.cr.sql_log_count, time.perf_counter()
        messages = Message._enqueue([{"robot": robot, "kind": "digest", "key": f"bench:{n}", "title": "日报汇总",
                                      "body": body} for robot in robots for n in range(PER_ROBOT)])
        env.flush_all()
        print(f"queued {len(messages)} messages to {len(robots)} robots: "
              f"{time.perf_counter() - started:.2f} s, {env.cr.sql_log_count - count} queries")
        env.cr.execute("SAVEPOINT bench_robots_queued")
        results = {}
        for workers in (1, outbox.WORKERS):
            outbox.WORKERS = workers
            server._sent_at.clear()
            server.accepted.clear()
            env.invalidate_all()
            count, started = env.cr.sql_log_count, time.perf_counter()
            while due := Message._due():
                due._send(commit=False)
            env.flush_all()
            seconds = time.perf_counter() - started
            sent = Message.search_count([("state", "=", "sent")])
            assert sent == len(messages) == len(server.accepted), (sent, len(server.accepted))
            results[workers] = (seconds, env.cr.sql_log_count - count)
            env.cr.execute("ROLLBACK TO SAVEPOINT bench_robots_queued")
        print(f"posted {len(messages)} messages, each answer taking {ROUND_TRIP * 1000:.0f} ms:")
        for workers, (seconds, queries) in results.items():
            print(f"  {workers} at a time: {seconds:.2f} s ({len(messages) / seconds:.0f} a second), "
                  f"{queries} queries")
        one, many = results[1][0], results[max(results)][0]
        print(f"  RATIO 1 at a time / {max(results)} at a time: {one / many:.1f}")
    finally:
        server.stop()
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_robots")
        env.cr.rollback()


main(env)  # noqa: F821 - `env` is given by odoo-bin shell

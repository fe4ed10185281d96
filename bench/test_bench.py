"""The runner's splitting of a rate step between several SIPp processes (rates, users, local ports),
and its rule for fixed-rate runs spoilt by the host's steal (bench.py)."""

import os
import tempfile
import unittest

import bench


class SplitTest(unittest.TestCase):

    def test_processes_per_rate(self):
        self.assertEqual(1, bench.sipp_processes(100))
        self.assertEqual(1, bench.sipp_processes(12500))
        self.assertEqual(2, bench.sipp_processes(12501))
        self.assertEqual(3, bench.sipp_processes(27500))

    def test_shares_add_up_and_differ_by_one_at_most(self):
        for total, n in ((27500, 3), (55000, 3), (7, 2), (2, 3), (40000, 2)):
            s = bench.shares(total, n)
            self.assertEqual(n, len(s))
            self.assertEqual(total, sum(s))
            self.assertLessEqual(max(s) - min(s), 1)

    def test_users_sliced_round_robin_each_once_with_the_header(self):
        with tempfile.TemporaryDirectory() as d:
            inf = bench.write_users(os.path.join(d, "users.csv"), [(f"u{i}", f"a{i}") for i in range(1, 8)])
            self.assertEqual(inf, bench.inf_slice(inf, 0, 1))
            seen = []
            for i in range(3):
                lines = open(bench.inf_slice(inf, i, 3)).read().splitlines()
                self.assertEqual("SEQUENTIAL", lines[0])
                seen += [l.split(";")[0] for l in lines[1:]]
            self.assertEqual(sorted(f"u{i}" for i in range(1, 8)), sorted(seen))
            self.assertEqual(["u1", "u4", "u7"],
                             [l.split(";")[0] for l in open(bench.inf_slice(inf, 0, 3)).read().splitlines()[1:]])

    def test_one_process_keeps_the_callers_port(self):
        self.assertEqual([0], bench.sipp_ports(1))
        self.assertEqual([15091], bench.sipp_ports(1, 15091))

    def test_several_processes_get_distinct_ports_the_same_at_every_step(self):
        first = bench.sipp_ports(3)
        self.assertEqual(3, len(set(first)))
        self.assertEqual(first, bench.sipp_ports(3))   # a user's Contact stays the same: a refresh, not a new binding
        self.assertEqual(first[:2], bench.sipp_ports(2))
        self.assertTrue(all(p in bench.SIPP_PORTS for p in first))
        self.assertNotIn(bench.CALLEE_PORT, bench.SIPP_PORTS)
        self.assertNotIn(15091, bench.SIPP_PORTS)   # (f)'s


class StealTest(unittest.TestCase):

    def test_share_of_the_machines_cpu_time(self):
        self.assertAlmostEqual(0.25, bench.steal_share((100, 1000), (150, 1200)))
        self.assertEqual(0.0, bench.steal_share((100, 1000), (100, 1000)))   # no time passed

    def test_cpu_times_reads_proc_stat_steal_within_the_total(self):
        steal, total = bench.cpu_times()
        self.assertGreater(total, 0)
        self.assertLessEqual(steal, total)

    def test_a_run_is_repeated_only_above_the_bound_and_only_while_tries_are_left(self):
        self.assertFalse(bench.run_again(bench.STEAL_MAX, 1))
        self.assertTrue(bench.run_again(bench.STEAL_MAX + 0.01, 1))
        self.assertTrue(bench.run_again(0.40, bench.STEAL_TRIES - 1))
        self.assertFalse(bench.run_again(0.40, bench.STEAL_TRIES))    # the last attempt stands



class UnregisterScenarioTest(unittest.TestCase):
    """(f) is measured again from no bindings: the unregister scenario must remove all of a user's."""

    def test_both_requests_remove_every_binding_and_the_second_answers_the_challenge(self):
        import xml.etree.ElementTree as ET
        root = ET.parse(os.path.join(os.path.dirname(bench.__file__), "scenarios", "unregister.xml")).getroot()
        sends = [e.text for e in root if e.tag == "send"]
        self.assertEqual(2, len(sends))
        for text in sends:
            headers = [l.strip() for l in text.strip().splitlines()]
            self.assertIn("Contact: *", headers)
            self.assertIn("Expires: 0", headers)
            self.assertEqual(1, sum(1 for h in headers if h.startswith("Contact:")))
        self.assertIn("[field1]", sends[1])
        self.assertEqual(["401", "200"], [e.get("response") for e in root if e.tag == "recv"])

if __name__ == "__main__":
    unittest.main()

"""`make bench`: the parts that judge and report a run (the load itself is measured, not tested)."""

from meedoen.bench import __main__ as bench


def test_the_benchmark_uses_its_own_database_on_the_same_server():
    url = "postgres://postgres@127.0.0.1:5432/meedoen"
    assert bench.bench_database_url(url) == "postgres://postgres@127.0.0.1:5432/meedoen_bench"
    assert bench.bench_database_url(bench.bench_database_url(url)).endswith("/meedoen_bench")


def test_sequential_scans_are_found_at_any_depth_of_a_plan():
    plan = {
        "Node Type": "Hash Join",
        "Plans": [
            {"Node Type": "Index Scan", "Relation Name": "signalering_signal"},
            {"Node Type": "Hash", "Plans": [{"Node Type": "Seq Scan", "Relation Name": "brigade_visitrequest"}]},
        ],
    }
    assert bench._sequential_scans(plan) == {"brigade_visitrequest"}


def _page(name, user, target, **result):
    page = bench.Page(name, user, ["/"], target)
    page.result = {"p50": 1.0, "p99": 3.0, "bad": 0, "queries": 4, "scans": [], **result}
    return page


def test_the_table_judges_each_target():
    pages = [
        _page("bare", "", None, rps=1000.0, p95=2.0),
        _page("list", "someone", 100, rps=450.0, p95=99.0),
        _page("page", "someone", 100, rps=100.0, p95=101.0, scans=["privacy_accesslog"]),
    ]
    lines = bench.table(pages, 1000.0, {"rows": 1_000_000, "seconds": 40.0, "rows_per_s": 25_000, "extra_mb": 120})
    assert "p95 ≤ 100 ms: met; ≥ 40%: met" in lines[3]
    assert "p95 ≤ 100 ms: MISSED; ≥ 40%: MISSED" in lines[4] and "seq scan of privacy_accesslog" in lines[4]
    assert "25,000 rows/s" in lines[-1] and "MISSED" in lines[-1]  # fast enough, but too much memory


def test_a_run_replaces_only_the_measured_part_of_the_page(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    page = tmp_path / "docs" / "benchmarks.md"
    page.write_text("# Benchmarks\n\nby hand\n<!-- bench:start -->\nold run\n<!-- bench:end -->\nalso by hand\n")
    monkeypatch.setattr(bench, "BASE_DIR", tmp_path)
    bench.write_report(["new run"])
    assert page.read_text() == (
        "# Benchmarks\n\nby hand\n<!-- bench:start -->\nnew run\n<!-- bench:end -->\nalso by hand\n"
    )

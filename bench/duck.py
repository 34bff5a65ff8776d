"""DuckDB side of bench/run: the same workloads as examples/measure.rs.

    duck.py load FILE          read_json into a table; prints {"bytes","rows","load_s"}
    duck.py hunt DIR [REPEAT]  loads the three tables, then times the bundled
                               rules as SQL, the toggle query and the summarize

`has` is Kusto term matching; the closest DuckDB equivalent used here is
regexp_matches(col, '(?i)(^|[^a-z0-9])term($|[^a-z0-9])') (RE2, case-insensitive,
term bounded by non-alphanumerics or the ends); has_any is one alternation.
"""

import json
import os
import re
import statistics
import sys
import time

import duckdb

TABLES = ["DeviceProcessEvents", "DeviceNetworkEvents", "DeviceFileCertificateInfo"]


def has(col, *terms):
    alt = "|".join(re.escape(t.lower()) for t in terms).replace("'", "''")
    return f"regexp_matches({col}, '(?i)(^|[^a-z0-9])({alt})($|[^a-z0-9])')"


def window(days):
    return f"Timestamp BETWEEN getvariable('now') - INTERVAL {days} DAY AND getvariable('now')"


SUMMARY = "min(Timestamp) AS FirstSeen, max(Timestamp) AS LastSeen, list(DISTINCT ReportId) AS Report, count(*) AS Count"

RULES = {
    "connectwise": f"""SELECT DeviceId, DeviceName, {SUMMARY} FROM DeviceProcessEvents
        WHERE {window(5)} AND {has('ProcessVersionInfoCompanyName', 'ConnectWise', 'Continuum Managed', 'ScreenConnect')}
        GROUP BY DeviceId, DeviceName""",
    "level": f"""SELECT DeviceId, DeviceName, {SUMMARY} FROM DeviceFileCertificateInfo
        WHERE {window(5)} AND {has('Signer', 'Level Software, Inc')} GROUP BY DeviceId, DeviceName""",
    "litemanager": f"""SELECT DeviceId, DeviceName, {SUMMARY} FROM DeviceProcessEvents
        WHERE {window(5)} AND {has('ProcessVersionInfoProductName', 'LiteManager', 'ROMViewer', 'ROMServer')}
        GROUP BY DeviceId, DeviceName""",
    "mremoteng": f"""SELECT DeviceId, DeviceName, {SUMMARY} FROM DeviceProcessEvents
        WHERE {window(5)} AND {has('ProcessVersionInfoProductName', 'mRemoteNG')} GROUP BY DeviceId, DeviceName""",
    "action1": f"""SELECT DeviceId, DeviceName, RemoteUrl, {SUMMARY} FROM DeviceNetworkEvents
        WHERE {window(5)} AND {has('RemoteUrl', 'server.action1.com')}
          AND {has('InitiatingProcessVersionInfoCompanyName', 'Action1')}
          AND {has('InitiatingProcessVersionInfoProductName', 'Action1')}
        GROUP BY DeviceId, DeviceName, RemoteUrl""",
}

# The toggled rule after the exclusion is switched on: DuckDB has no stored
# hit state, so "new counts" is the query re-run with the filter added.
TOGGLE = f"""SELECT DeviceId, DeviceName, count(*) FROM DeviceProcessEvents
    WHERE Timestamp > getvariable('now') - INTERVAL 30 DAY AND NOT (lower(InitiatingProcessFileName) = 'explorer.exe')
    GROUP BY DeviceId, DeviceName"""

SUMMARIZE = "SELECT DeviceName, FileName, count(*) FROM DeviceProcessEvents GROUP BY DeviceName, FileName"


def connect():
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    return con


def read(con, table, path):
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM read_json(?, format = 'newline_delimited')", [path])


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def materialize(con, query):
    """Runs a query to completion inside DuckDB (no conversion to Python objects)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE result AS {query}")


def median(n, fn):
    return statistics.median(fn() for _ in range(n))


def load(files):
    con = connect()
    size = sum(os.path.getsize(f) for f in files)
    rows = 0

    def run():
        for i, f in enumerate(files):
            read(con, f"t{i}", f)

    secs, _ = timed(run)
    for i in range(len(files)):
        rows += con.execute(f"SELECT count(*) FROM t{i}").fetchone()[0]
    return {"bytes": size, "rows": rows, "load_s": round(secs, 4)}


def hunt(folder, repeat):
    con = connect()
    secs, _ = timed(lambda: [read(con, t, os.path.join(folder, f"{t}.jsonl")) for t in TABLES])
    latest = " UNION ALL ".join(f"SELECT max(Timestamp) AS t FROM {t}" for t in TABLES)
    con.execute(f"SET VARIABLE now = (SELECT max(t) FROM ({latest}))")
    hits = sum(con.execute(f"SELECT sum(Count) FROM ({q})").fetchone()[0] or 0 for q in RULES.values())

    def rules():
        return timed(lambda: [materialize(con, q) for q in RULES.values()])[0]

    def toggle():
        return timed(lambda: materialize(con, TOGGLE))[0]

    def summarize():
        return timed(lambda: materialize(con, SUMMARIZE))[0]

    groups = con.execute(f"SELECT count(*) FROM ({SUMMARIZE})").fetchone()[0]
    return {
        "load_s": round(secs, 4),
        "rules_s": round(median(repeat, rules), 5),
        "rules_hits": hits,
        "toggle_ms": round(1e3 * median(max(repeat, 9), toggle), 4),
        "summarize_s": round(median(repeat, summarize), 5),
        "summarize_rows": groups,
    }


def main():
    args = sys.argv[1:]
    if len(args) >= 2 and args[0] == "load":
        out = load(args[1:])
    elif len(args) >= 2 and args[0] == "hunt":
        out = hunt(args[1], int(args[2]) if len(args) > 2 else 5)
    else:
        sys.exit("usage: duck.py load FILE... | duck.py hunt DIR [REPEAT]")
    print(json.dumps(out))


if __name__ == "__main__":
    main()

"""DuckDB doing what `tradewind-bench analytics` asks of Tradewind, on the same Shopify
orders export: read it (read_csv), make orders and lines of it with their amounts in USD
at the ECB rate of the order's day, then answer the dashboard's questions. Prints one
JSON line: seconds per import step, milliseconds per question (the best of five), peak
RSS.

Usage: analytics_duckdb.py ORDERS.csv ECB_RATES.zip FROM_DAY TO_DAY COUNTRY
"""

import json
import sys
import tempfile
import time
import zipfile

import duckdb

import process

path, rates_zip, day_from, day_to, country = sys.argv[1:6]
db = duckdb.connect()
steps = {}



def timed(name, sql):
    started = time.perf_counter()
    db.execute(sql)
    steps[name] = time.perf_counter() - started


timed("read_csv", f"CREATE TABLE raw AS SELECT * FROM read_csv('{path}', header = true)")
rows = db.execute("SELECT count(*) FROM raw").fetchone()[0]

with tempfile.TemporaryDirectory() as folder:
    with zipfile.ZipFile(rates_zip) as archive:
        archive.extractall(folder)
        csv = f"{folder}/{archive.namelist()[0]}"
    timed(
        "rates",
        f"""CREATE TABLE rates AS
            SELECT currency, "Date"::DATE AS day, TRY_CAST(per_euro AS DOUBLE) AS per_euro
            FROM (UNPIVOT (SELECT * FROM read_csv('{csv}', header = true, nullstr = 'N/A',
                                                  all_varchar = true))
                  ON COLUMNS(* EXCLUDE ("Date")) INTO NAME currency VALUE per_euro)
            WHERE TRY_CAST(per_euro AS DOUBLE) IS NOT NULL AND currency <> ''
            UNION ALL SELECT 'EUR', DATE '1999-01-01', 1.0""",
    )

# An order is its first row's fields (the later rows of an order leave them empty); the
# lines are every row's; amounts in USD at the rate of the order's day or the last before.
timed(
    "orders",
    """CREATE TABLE orders AS
       WITH o AS (
           SELECT "Name" AS name, lower(replace(max("Email"), ' ', '')) AS customer,
                  max("Currency") AS currency,
                  strptime(max("Created at"), '%Y-%m-%d %H:%M:%S %z') AS created_at,
                  strptime(max("Created at"), '%Y-%m-%d %H:%M:%S %z')::DATE AS day, max("Shipping Country") AS country,
                  max("Cancelled at") AS cancelled_at,
                  coalesce(max("Discount Amount"), 0) AS discount,
                  coalesce(max("Refunded Amount"), 0) AS refunded,
                  sum("Lineitem quantity" * "Lineitem price") AS items
           FROM raw GROUP BY "Name"),
       own AS (SELECT o.*, r.per_euro AS own_rate FROM o ASOF JOIN rates r
               ON r.currency = o.currency AND r.day <= o.day),
       usd AS (SELECT own.*, r.per_euro AS usd_rate FROM own ASOF JOIN rates r
               ON r.currency = 'USD' AND r.day <= own.day)
       SELECT *, items / own_rate * usd_rate AS gross,
              (items - discount - refunded) / own_rate * usd_rate AS net
       FROM usd""",
)
timed(
    "lines",
    """CREATE TABLE lines AS SELECT "Name" AS name, "Lineitem sku" AS sku,
              "Lineitem name" AS product_name, "Lineitem quantity" AS quantity,
              "Lineitem quantity" * "Lineitem price" AS total FROM raw""",
)


def dashboard(where):
    """The dashboard's questions, as the Analytics view asks them."""
    return [
        f"""SELECT count(*), sum(gross), sum(net), count(DISTINCT customer),
                   (SELECT sum(quantity) FROM lines JOIN orders o USING (name) WHERE {where})
            FROM orders o WHERE {where}""",
        f"""SELECT count(*) FILTER (WHERE n > 1) / count(*) FROM
            (SELECT customer, count(*) AS n FROM orders o WHERE {where} GROUP BY customer)""",
        f"""SELECT median(gap) FROM (SELECT epoch(created_at - lag(created_at) OVER
            (PARTITION BY customer ORDER BY created_at)) / 86400 AS gap FROM orders o WHERE {where})""",
        f"""SELECT date_trunc('month', day) AS period, count(*), sum(net), count(DISTINCT customer)
            FROM orders o WHERE {where} GROUP BY period ORDER BY period""",
        f"""SELECT country, count(*), count(DISTINCT customer), sum(net) FROM orders o
            WHERE {where} GROUP BY country ORDER BY 4 DESC LIMIT 50""",
        f"""SELECT currency, count(*), count(DISTINCT customer), sum(net) FROM orders o
            WHERE {where} GROUP BY currency ORDER BY 4 DESC LIMIT 30""",
        f"""SELECT coalesce(nullif(sku, ''), product_name) AS product, sum(quantity),
                   count(DISTINCT name), sum(total * o.gross / nullif(o.items, 0)) AS sales
            FROM lines JOIN orders o USING (name) WHERE {where}
            GROUP BY product ORDER BY sales DESC LIMIT 20""",
    ]


everything = "cancelled_at IS NULL"
ranged = (
    f"cancelled_at IS NULL AND day BETWEEN DATE '{day_from}' AND DATE '{day_to}'"
    f" AND country = '{country}'"
)
questions = {
    "dashboard": dashboard(everything),
    "dashboard, a quarter in one country": dashboard(ranged),
    "rfm": [
        f"""SELECT customer, ntile(5) OVER (ORDER BY last_at) AS r, ntile(5) OVER (ORDER BY n) AS f,
                   ntile(5) OVER (ORDER BY money) AS m
            FROM (SELECT customer, count(*) AS n, min(created_at), max(created_at) AS last_at,
                         sum(net) AS money FROM orders WHERE {everything} GROUP BY customer)"""
    ],
    "cohorts": [
        f"""WITH months AS (SELECT customer, date_trunc('month', day) AS month, sum(net) AS net
                            FROM orders WHERE {everything} GROUP BY ALL),
                 firsts AS (SELECT customer, min(month) AS cohort FROM months GROUP BY customer)
            SELECT cohort, datediff('month', cohort, month) AS offset, count(*), sum(net)
            FROM months JOIN firsts USING (customer) GROUP BY ALL ORDER BY ALL"""
    ],
    "orders list": [
        f"""SELECT * FROM orders WHERE {everything} ORDER BY created_at DESC LIMIT 200"""
    ],
}

latencies = {}
for name, sqls in questions.items():
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for sql in sqls:
            db.execute(sql).fetchall()
        best = min(best, time.perf_counter() - started)
    latencies[name] = best * 1000

print(
    json.dumps(
        {
            "version": duckdb.__version__,
            "rows": rows,
            "orders": db.execute("SELECT count(*) FROM orders").fetchone()[0],
            "steps": steps,
            "query_ms": latencies,
            "peak_rss_mb": process.peak_rss_mb(),
        }
    )
)
